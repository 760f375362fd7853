package apitest

import (
	"context"
	"sync"

	"minyi"
)

// IncidentStarter stands in for the case workflow of a 舆情事件: it records
// the incident's case as the workflow opens it, assigned and open.
type IncidentStarter struct {
	Store   minyi.Store
	mu      sync.Mutex
	started []minyi.Incident
}

func (s *IncidentStarter) StartIncident(ctx context.Context, in minyi.Incident) error {
	s.mu.Lock()
	s.started = append(s.started, in)
	s.mu.Unlock()
	return s.Store.PutCase(ctx, minyi.Case{ID: in.ID, DocumentID: in.DocumentID, Title: in.Title,
		Department: in.Department, Status: minyi.CaseOpen, Received: in.Raised, Due: in.Deadline, Updated: in.Raised})
}

// Started lists the incidents whose case was started.
func (s *IncidentStarter) Started() []minyi.Incident {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]minyi.Incident(nil), s.started...)
}
