package activities

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// starterStub stands for the Temporal client: d-running is started
// already, d-down fails.
type starterStub struct {
	mu    sync.Mutex
	tried []string
}

func (s *starterStub) StartCase(_ context.Context, st CaseStart) (bool, error) {
	s.mu.Lock()
	s.tried = append(s.tried, st.DocumentID)
	s.mu.Unlock()
	switch st.DocumentID {
	case "d-running":
		return false, nil
	case "d-down":
		return false, errors.New("unavailable")
	}
	return true, nil
}

// StartCases counts the cases it started, tries every one even when one
// fails, and then fails so that the batch runs again.
func TestStartCasesCountsAndFails(t *testing.T) {
	stub := &starterStub{}
	acts := &Activities{Cases: stub}
	starts := []CaseStart{{DocumentID: "d1"}, {DocumentID: "d-running"}, {DocumentID: "d2"}}
	n, err := acts.StartCases(t.Context(), starts)
	if err != nil || n != 2 {
		t.Fatalf("StartCases = %d, %v; want 2 started", n, err)
	}
	stub.tried = nil
	n, err = acts.StartCases(t.Context(), append(starts, CaseStart{DocumentID: "d-down"}))
	if err == nil || n != 2 || len(stub.tried) != 4 {
		t.Fatalf("with one start failing: %d started, err %v, tried %v; want 2, an error and all four tried", n, err, stub.tried)
	}
	if _, err := (&Activities{}).StartCases(t.Context(), starts); err == nil {
		t.Error("a worker without a case starter reported its cases started")
	}
}
