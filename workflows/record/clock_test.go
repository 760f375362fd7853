package record

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"

	"minyi/activities"
	"minyi/deadline"
)

// pace is how fast a recorded case's deadlines come. The real ladder counts
// working days and would keep a recording waiting for weeks; the workflow
// only sees instants, so a ladder of seconds records the same commands.
type pace struct {
	step   time.Duration // from one rung to the next
	rating time.Duration // how long an answered case waits for a rating
}

// relaxed keeps every rung out of the way of a scenario's Updates.
var relaxed = pace{step: time.Hour, rating: time.Hour}

// clock wraps the activities that plan deadlines: the real activity runs,
// then its ladder is replaced by one at the pace set for the document.
type clock struct {
	acts  *activities.Activities
	mu    sync.Mutex
	cases map[string]pace // by document id; relaxed when not set
}

func (c *clock) set(documentID string, p pace) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cases[documentID] = p
}

func (c *clock) pace(documentID string) pace {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.cases[documentID]; ok {
		return p
	}
	return relaxed
}

// register puts the wrappers on w under the activities' own names, in place
// of the real ones workflows.Register put there.
func (c *clock) register(w worker.Worker) {
	as := func(name string) activity.RegisterOptions {
		return activity.RegisterOptions{Name: name, DisableAlreadyRegisteredCheck: true}
	}
	w.RegisterActivityWithOptions(c.OpenCase, as("OpenCase"))
	w.RegisterActivityWithOptions(c.PlanLadder, as("PlanLadder"))
	w.RegisterActivityWithOptions(c.ExtendLadder, as("ExtendLadder"))
}

// ladder has its rungs step apart from now on, in the order they fire.
func ladder(received time.Time, step time.Duration) deadline.Ladder {
	now := time.Now()
	at := func(n int) time.Time { return now.Add(time.Duration(n) * step) }
	return deadline.Ladder{Received: received, Reminder: at(1), Due: at(2), Urge: at(3), Supervise: at(4), Notice: at(5)}
}

func (c *clock) OpenCase(ctx context.Context, documentID string) (activities.CaseOpened, error) {
	o, err := c.acts.OpenCase(ctx, documentID)
	if err != nil {
		return o, err
	}
	p := c.pace(documentID)
	o.Ladder = ladder(o.Ladder.Received, p.step)
	o.Case.Due, o.RatingWindow = o.Ladder.Due, p.rating
	return o, nil
}

func (c *clock) PlanLadder(ctx context.Context, in activities.PlanInput) (deadline.Ladder, error) {
	l, err := c.acts.PlanLadder(ctx, in)
	return ladder(l.Received, relaxed.step), err
}

// ExtendLadder lets the real policy judge the days, then moves every rung
// by an hour a day.
func (c *clock) ExtendLadder(ctx context.Context, in activities.ExtendInput) (deadline.Ladder, error) {
	if _, err := c.acts.ExtendLadder(ctx, in); err != nil {
		return deadline.Ladder{}, err
	}
	l, by := in.Ladder, time.Duration(in.Days)*time.Hour
	for _, t := range []*time.Time{&l.Reminder, &l.Due, &l.Urge, &l.Supervise, &l.Notice} {
		if !t.IsZero() {
			*t = t.Add(by)
		}
	}
	return l, nil
}

// webhook is the supervisors' robot: it takes every notification.
type webhook struct {
	*httptest.Server
	got atomic.Int64
}

func newWebhook(t *testing.T) *webhook {
	h := &webhook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.got.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(h.Close)
	return h
}
