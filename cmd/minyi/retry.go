package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.temporal.io/api/serviceerror"
)

// whileUnavailable retries fn while Temporal is not ready yet: an embedded
// server restarted on an existing database accepts calls before its history
// and matching services have joined, and answers Unavailable ("Not enough
// hosts to serve the request") or lets the call time out.
func whileUnavailable(ctx context.Context, logger *slog.Logger, what string, fn func() error) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	wait := 200 * time.Millisecond
	for {
		err := fn()
		var unavailable *serviceerror.Unavailable
		var timeout *serviceerror.DeadlineExceeded
		notReady := errors.As(err, &unavailable) || errors.As(err, &timeout) ||
			errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil
		if err == nil || !notReady {
			return err
		}
		logger.Info("temporal not ready yet; retrying", "what", what, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}
