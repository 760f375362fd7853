package core

import (
	"context"
	"time"

	"minyi"
)

// HotEvents is the answer of GET /api/analytics/events: the events of a
// period ranked by heat (count, growth against the period of equal length
// before, negative share, sources).
type HotEvents struct {
	From   time.Time        `json:"from"`
	To     time.Time        `json:"to"`
	Events []minyi.HotEvent `json:"events"`
}

// MaxEventPeriod bounds a hot-events period: growth compares it with the
// period before, so the store reads twice its length.
const MaxEventPeriod = 400 * 24 * time.Hour

// HotEventData ranks the events of [from, to).
func (s *Server) HotEventData(ctx context.Context, from, to time.Time, limit int) (HotEvents, error) {
	switch {
	case !from.Before(to):
		return HotEvents{}, minyi.Errorf(minyi.EINVALID, "from must be before to")
	case to.Sub(from) > MaxEventPeriod:
		return HotEvents{}, minyi.Errorf(minyi.EINVALID, "a hot-events period is at most %d days", int(MaxEventPeriod/(24*time.Hour)))
	case limit < 1 || limit > minyi.MaxPageSize:
		return HotEvents{}, minyi.Errorf(minyi.EINVALID, "limit must be between 1 and %d", minyi.MaxPageSize)
	}
	events, err := s.Store.HotEvents(ctx, from, to, limit)
	if err != nil {
		return HotEvents{}, err
	}
	if events == nil {
		events = []minyi.HotEvent{}
	}
	return HotEvents{From: from, To: to, Events: events}, nil
}

// EventDetail is one event with its cases, the answer of GET /api/events/{id}.
type EventDetail struct {
	minyi.Event
	Cases []minyi.EventCase `json:"cases"`
}

// EventData reads an event and every case of its documents.
func (s *Server) EventData(ctx context.Context, id string) (EventDetail, error) {
	e, err := s.Store.Event(ctx, id)
	if err != nil {
		return EventDetail{}, err
	}
	// Every case, open or closed at any time.
	cases, err := s.Store.EventCases(ctx, id, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, 0)
	if err != nil {
		return EventDetail{}, err
	}
	if cases == nil {
		cases = []minyi.EventCase{}
	}
	return EventDetail{Event: *e, Cases: cases}, nil
}
