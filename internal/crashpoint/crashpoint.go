// Package crashpoint lets a test kill the process abruptly at a named point
// of the pipeline, the way a power cut or `kill -9` would, to prove that
// nothing stored is left behind. It is inert unless MINYI_CRASH_AT names a
// point; no configuration file can set it.
package crashpoint

import (
	"fmt"
	"os"
)

// The points a test may name.
const (
	StoreWrite       = "store-write"       // a crawled batch is in the store, nothing else has happened
	IndexBatch       = "index-batch"       // an ingest batch is in the index, its cases not started
	BeforeCaseStart  = "before-case-start" // the ingest has chosen (and recorded) the cases to start
	AfterCaseStart   = "after-case-start"  // a case workflow has started, its first activity running
	RungNotification = "rung-notification" // a case workflow is delivering a rung's notice
	UpdateReply      = "update-reply"      // a department's reply is accepted, its record being written
)

// ExitCode is how a crash at a point ends the process, so a test can tell it
// from any other exit.
const ExitCode = 97

var at = os.Getenv("MINYI_CRASH_AT")

// Hit ends the process at once, without deferred calls or cleanup, when
// MINYI_CRASH_AT names point.
func Hit(point string) {
	if at != "" && at == point {
		fmt.Fprintf(os.Stderr, "crashpoint: exiting at %s\n", point)
		os.Exit(ExitCode)
	}
}
