package routing

import (
	"sync/atomic"

	"minyi"
)

// Router routes messages by the compiled rules of a validated Config and
// hands out the Directory of the same config. It is safe for concurrent use,
// and Replace changes its config while others route.
type Router struct {
	t atomic.Pointer[table]
}

// Replace validates cfg as New does and, when it is valid, puts it in force
// for every call that starts afterwards; a call under way finishes by the
// config it started with. An invalid cfg changes nothing.
func (r *Router) Replace(cfg Config) error {
	t, err := build(cfg)
	if err != nil {
		return err
	}
	r.t.Store(t)
	return nil
}

// Route picks the department for a message; see the table's Route.
func (r *Router) Route(in Input) (minyi.Routing, bool) { return r.t.Load().Route(in) }

// Directory is the department directory of the config in force. Hold on
// to it for one piece of work: a Replace meanwhile leaves it as it was.
func (r *Router) Directory() *Directory { return r.t.Load().dir }
