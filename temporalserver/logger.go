package temporalserver

import (
	"sync/atomic"

	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// quietStop passes the server's log through, except that once Stop has
// begun errors are logged as warnings: the services, stopping one after the
// other, report each other's absence as errors ("error fetching user data
// from parent", 19 to 39 lines on every stop), and a clean stop logs
// nothing at error level. The same line while matching starts up is
// transient too (Temporal's own tests allow it).
type quietStop struct {
	tlog.Logger
	stopping *atomic.Bool
}

// transient are error lines that are never an operator's concern.
var transient = map[string]bool{"error fetching user data from parent": true}

func (l quietStop) Error(msg string, tags ...tag.Tag) {
	if l.stopping.Load() || transient[msg] {
		l.Logger.Warn(msg, tags...)
		return
	}
	l.Logger.Error(msg, tags...)
}

// With keeps the filter on loggers the services derive with their own tags.
func (l quietStop) With(tags ...tag.Tag) tlog.Logger {
	return quietStop{Logger: tlog.With(l.Logger, tags...), stopping: l.stopping}
}
