package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"minyi"
)

// errUnavailable is what a caller learns when PostgreSQL cannot be reached:
// the API answers 503 with Retry-After, and nothing was written.
var errUnavailable = minyi.Errorf(minyi.EUNAVAILABLE, "the database is unavailable; try again shortly")

// unavailableError keeps the driver's own words for the log, and the domain
// code for whoever decides what to answer.
type unavailableError struct{ cause error }

func (e unavailableError) Error() string   { return "postgres unavailable: " + e.cause.Error() }
func (e unavailableError) Unwrap() []error { return []error{errUnavailable, e.cause} }

// classify marks the errors of a database that is down, restarting or
// unreachable; any other error is returned as it is.
func classify(err error) error {
	if err == nil || !isUnavailable(err) {
		return err
	}
	return unavailableError{err}
}

func isUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01-03: the server is shutting down
		// or starting; 53300: too many connections.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" ||
			pe.Code == "57P03" || pe.Code == "53300"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false // the caller gave up; that is not the database's state
	}
	// pgx reports a connection it found dead this way, without a type.
	return strings.Contains(err.Error(), "conn closed")
}
