package main

import (
	"log/slog"

	"go.temporal.io/sdk/log"
)

// newTemporalLogger routes the Temporal SDK's logs into minyi's slog output.
func newTemporalLogger(l *slog.Logger) log.Logger {
	return log.NewStructuredLogger(l.With("component", "temporal-sdk"))
}
