package routing

import (
	"sync/atomic"

	"minyi"
)

// Router routes messages by a validated Config. It is safe for concurrent
// use, and Replace changes its config while others route.
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

// DetectRegion returns the first region the text mentions; see the table's.
func (r *Router) DetectRegion(text string) string { return r.t.Load().DetectRegion(text) }

// Departments returns every department in config order.
func (r *Router) Departments() []minyi.Department { return r.t.Load().Departments() }

// Department returns the department with the given id.
func (r *Router) Department(id string) (minyi.Department, bool) { return r.t.Load().Department(id) }

// ByName finds the department a name refers to; see the table's ByName.
func (r *Router) ByName(name string) (minyi.Department, bool) { return r.t.Load().ByName(name) }
