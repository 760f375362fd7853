// Package safely runs work on goroutines so that a panic fails that work,
// never the process. A panic in a goroutine of its own cannot be caught by
// echo's or Temporal's recover, which only guard the goroutine serving the
// request or the activity: one bad request would otherwise take down the
// whole minyi, the embedded Temporal server and its workers with it. Every
// goroutine started on behalf of a request or an activity goes through here.
package safely

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
)

// PanicError is a recovered panic: its value and the stack where it happened.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Call runs fn and returns its error, or a *PanicError when it panics; the
// panic is logged with its stack, since the error's receiver may only see
// a 500.
func Call(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			pe := &PanicError{Value: v, Stack: debug.Stack()}
			slog.Error("recovered from a panic", "panic", fmt.Sprint(v), "stack", string(pe.Stack))
			err = pe
		}
	}()
	return fn()
}

// Go runs fn on a goroutine of its own and logs a panic instead of dying of
// it: for work nobody waits on, like a heartbeat or a notification.
func Go(fn func()) {
	go Call(func() error { fn(); return nil }) //nolint:errcheck // Call logs a panic; fn has no error
}

// Group runs functions on goroutines and waits for them all, like a
// sync.WaitGroup whose goroutines return errors and may panic.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// Go runs fn on a new goroutine.
func (g *Group) Go(fn func() error) {
	g.wg.Go(func() {
		if err := Call(fn); err != nil {
			g.mu.Lock()
			g.errs = append(g.errs, err)
			g.mu.Unlock()
		}
	})
}

// Wait waits for every function and joins their errors.
func (g *Group) Wait() error {
	g.wg.Wait()
	return errors.Join(g.errs...)
}
