package temporalserver

import (
	"fmt"
	"sync/atomic"

	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// quietStop passes the server's log through, except that once Stop has
// begun errors are logged as warnings: the services, stopping one after the
// other, report each other's absence as errors ("error fetching user data
// from parent", 19 to 39 lines on every stop), and a clean stop logs
// nothing at error level. The same line while matching starts up is
// transient too (Temporal's own tests allow it), and so is the frontend
// refusing the server's own system worker until its membership is ready.
type quietStop struct {
	tlog.Logger
	stopping *atomic.Bool
}

// transient are error lines that are never an operator's concern.
var transient = map[string]bool{"error fetching user data from parent": true}

// notServingYet is what the frontend answers before it serves; the caller
// retries.
const notServingYet = "Frontend is not healthy yet"

func (l quietStop) Error(msg string, tags ...tag.Tag) {
	if l.stopping.Load() || transient[msg] || saysNotServingYet(tags) {
		l.Logger.Warn(msg, tags...)
		return
	}
	l.Logger.Error(msg, tags...)
}

// With keeps the filter on loggers the services derive with their own tags.
func (l quietStop) With(tags ...tag.Tag) tlog.Logger {
	return quietStop{Logger: tlog.With(l.Logger, tags...), stopping: l.stopping}
}

func saysNotServingYet(tags []tag.Tag) bool {
	for _, t := range tags {
		if t.Key() == "error" && fmt.Sprint(t.Value()) == notServingYet {
			return true
		}
	}
	return false
}
