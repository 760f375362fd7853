package core

import (
	"context"
	"time"
)

// AlertSubscription watches negative documents matching a keyword (search
// syntax) for a department, as activities.Subscription does.
type AlertSubscription struct {
	Name       string
	Keyword    string
	Department string
	OpenCase   bool
}

// RaisedAlert is an alert the alert workflow raised.
type RaisedAlert struct {
	Key        string
	Title      string
	Text       string
	Start, End time.Time
	Count      int
	Baseline   float64
	CaseID     string // the case it opened, if any
}

// AlertBook keeps the keyword subscriptions and lists raised alerts. The
// server is given one; cmd/minyi provides it (today in memory, seeded from
// the configuration, until the versioned settings store exists).
type AlertBook interface {
	Subscriptions(ctx context.Context) ([]AlertSubscription, error)
	// AddSubscription is ECONFLICT for a name in use.
	AddSubscription(ctx context.Context, sub AlertSubscription, author string) error
	// RemoveSubscription is ENOTFOUND for an unknown name.
	RemoveSubscription(ctx context.Context, name, author string) error
	// Raised lists the newest raised alerts first, at most limit.
	Raised(ctx context.Context, limit int) ([]RaisedAlert, error)
}
