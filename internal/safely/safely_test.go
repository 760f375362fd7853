package safely

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestGroupTurnsPanicIntoError(t *testing.T) {
	var g Group
	var done atomic.Int32
	for i := range 4 {
		g.Go(func() error {
			defer done.Add(1)
			if i == 2 {
				var s []int
				_ = s[i] // index out of range, as a bad page bound would
			}
			return nil
		})
	}
	err := g.Wait()
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Wait = %v, want a *PanicError", err)
	}
	if !strings.Contains(pe.Error(), "index out of range") || !strings.Contains(string(pe.Stack), "safely_test.go") {
		t.Errorf("panic error %q lacks the cause or its stack:\n%s", pe, pe.Stack)
	}
	if done.Load() != 4 {
		t.Errorf("%d functions finished, want all 4", done.Load())
	}
}

func TestGroupJoinsErrors(t *testing.T) {
	var g Group
	errA, errB := errors.New("a"), errors.New("b")
	g.Go(func() error { return errA })
	g.Go(func() error { return nil })
	g.Go(func() error { return errB })
	err := g.Wait()
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Errorf("Wait = %v, want both errors", err)
	}
	var empty Group
	if err := empty.Wait(); err != nil {
		t.Errorf("empty group: %v", err)
	}
}

func TestGoSurvivesPanic(t *testing.T) {
	done := make(chan struct{})
	Go(func() {
		defer close(done)
		panic("boom")
	})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("goroutine did not run")
	}
	// Reaching here at all is the assertion: an unrecovered panic on another
	// goroutine would have ended the test binary.
	ran := make(chan bool)
	Go(func() { ran <- true })
	if !<-ran {
		t.Fatal("process did not keep running goroutines")
	}
}

func TestCallReturnsError(t *testing.T) {
	want := errors.New("plain")
	if err := Call(func() error { return want }); err != want {
		t.Errorf("Call = %v, want %v", err, want)
	}
}
