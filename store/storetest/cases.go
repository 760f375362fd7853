package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi"
)

// fullCase sets every field, with times in China time and sub-seconds that
// the store must drop.
func fullCase() minyi.Case {
	return minyi.Case{
		ID:          minyi.CaseIDFor("msg-0001"),
		DocumentID:  "msg-0001",
		Source:      "mailbox-city",
		Title:       "关于某小区夜间施工噪音扰民的投诉",
		MessageType: minyi.TypeComplaint,
		Category:    "城乡建设",
		Region:      "西湖区",
		Department:  "dept-housing",
		Routing: &minyi.Routing{Department: "dept-housing", Rule: "施工噪音", Reason: `关键词 "施工" 命中`,
			At: t0.Add(90*time.Second + 250*time.Millisecond)},
		Status:     minyi.CaseAnswered,
		Received:   t0.Add(123 * time.Millisecond),
		Due:        t0.Add(15*24*time.Hour + 999*time.Millisecond),
		Extended:   true,
		Answered:   t0.Add(5*24*time.Hour + 500*time.Millisecond),
		OnTime:     true,
		Rung:       minyi.RungUrge,
		Returns:    2,
		Rating:     minyi.RatingBasic,
		Redo:       true,
		Historical: true,
		Updated:    t0.Add(6*24*time.Hour + 1),
	}
}

// storedCase is what the store must hand back for c.
func storedCase(c minyi.Case) minyi.Case {
	c.Received, c.Due = storedTime(c.Received), storedTime(c.Due)
	c.Answered, c.Updated = storedTime(c.Answered), storedTime(c.Updated)
	if c.Routing != nil {
		r := *c.Routing
		r.At = storedTime(r.At)
		c.Routing = &r
	}
	return c
}

// diffCase lists the fields in which got differs from want. Times must be
// equal instants and, unless zero, in UTC.
func diffCase(got, want minyi.Case) string {
	var diffs []string
	check := func(field string, g, w any) {
		if g != w {
			diffs = append(diffs, fmt.Sprintf("%s = %#v, want %#v", field, g, w))
		}
	}
	tm := func(field string, g, w time.Time) {
		if !g.Equal(w) || (!g.IsZero() && g.Location() != time.UTC) {
			diffs = append(diffs, fmt.Sprintf("%s = %s, want %s", field, g, w))
		}
	}
	check("ID", got.ID, want.ID)
	check("DocumentID", got.DocumentID, want.DocumentID)
	check("Source", got.Source, want.Source)
	check("Title", got.Title, want.Title)
	check("MessageType", got.MessageType, want.MessageType)
	check("Category", got.Category, want.Category)
	check("Region", got.Region, want.Region)
	check("Department", got.Department, want.Department)
	switch {
	case (got.Routing == nil) != (want.Routing == nil):
		check("Routing", got.Routing, want.Routing)
	case got.Routing != nil:
		check("Routing.Department", got.Routing.Department, want.Routing.Department)
		check("Routing.Rule", got.Routing.Rule, want.Routing.Rule)
		check("Routing.Reason", got.Routing.Reason, want.Routing.Reason)
		tm("Routing.At", got.Routing.At, want.Routing.At)
	}
	check("Status", got.Status, want.Status)
	tm("Received", got.Received, want.Received)
	tm("Due", got.Due, want.Due)
	check("Extended", got.Extended, want.Extended)
	tm("Answered", got.Answered, want.Answered)
	check("OnTime", got.OnTime, want.OnTime)
	check("Rung", got.Rung, want.Rung)
	check("Returns", got.Returns, want.Returns)
	check("Rating", got.Rating, want.Rating)
	check("Redo", got.Redo, want.Redo)
	check("Historical", got.Historical, want.Historical)
	tm("Updated", got.Updated, want.Updated)
	return strings.Join(diffs, "\n")
}

func putCase(t *testing.T, s minyi.Store, cs ...minyi.Case) {
	t.Helper()
	for _, c := range cs {
		if err := s.PutCase(context.Background(), c); err != nil {
			t.Fatalf("PutCase(%q): %v", c.ID, err)
		}
	}
}

func checkCase(t *testing.T, s minyi.Store, want minyi.Case) {
	t.Helper()
	got, err := s.Case(context.Background(), want.ID)
	if err != nil {
		t.Fatalf("Case(%q): %v", want.ID, err)
	}
	if d := diffCase(*got, storedCase(want)); d != "" {
		t.Errorf("case %q differs:\n%s", want.ID, d)
	}
}

func testCaseRoundTrip(t *testing.T, s minyi.Store) {
	full := fullCase()
	putCase(t, s, full)
	checkCase(t, s, full)

	// Nothing optional: zero times stay zero, no routing stays nil.
	bare := minyi.Case{ID: "case-bare", DocumentID: "bare", Status: minyi.CaseRouting, Received: t0}
	putCase(t, s, bare)
	checkCase(t, s, bare)

	// Upsert replaces every field, clearing those now unset.
	next := minyi.Case{ID: full.ID, DocumentID: full.DocumentID, Source: "mailbox-province",
		Title: "标题已更正", MessageType: minyi.TypeInquiry, Status: minyi.CaseRouting,
		Received: t0.Add(time.Hour), Due: t0.Add(48 * time.Hour), Updated: t0.Add(49 * time.Hour)}
	putCase(t, s, next)
	checkCase(t, s, next)
	putCase(t, s, full)
	checkCase(t, s, full)
	checkCase(t, s, bare)

	_, err := s.Case(context.Background(), "case-unknown")
	wantCode(t, err, minyi.ENOTFOUND)

	// Many at once: all written, or, when one is invalid, none.
	a, b := fullCase(), bare
	a.ID, a.Title = "case-batch-a", "批量一"
	b.ID, b.Status = "case-batch-b", minyi.CaseOpen
	if err := s.PutCases(context.Background(), []minyi.Case{a, b}); err != nil {
		t.Fatalf("PutCases: %v", err)
	}
	checkCase(t, s, a)
	checkCase(t, s, b)
	a.Title, b.Status = "批量二", ""
	wantCode(t, s.PutCases(context.Background(), []minyi.Case{a, b}), minyi.EINVALID)
	a.Title = "批量一"
	checkCase(t, s, a)
}

func testInvalidCases(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		code   string
		modify func(*minyi.Case)
	}{
		{"no id", minyi.EINVALID, func(c *minyi.Case) { c.ID = "" }},
		{"huge id", minyi.ETOOLARGE, func(c *minyi.Case) { c.ID = strings.Repeat("x", 4096) }},
		{"no document", minyi.EINVALID, func(c *minyi.Case) { c.DocumentID = "" }},
		{"no status", minyi.EINVALID, func(c *minyi.Case) { c.Status = "" }},
		{"unknown status", minyi.EINVALID, func(c *minyi.Case) { c.Status = "overdue" }},
		{"no received time", minyi.EINVALID, func(c *minyi.Case) { c.Received = time.Time{} }},
		{"negative returns", minyi.EINVALID, func(c *minyi.Case) { c.Returns = -1 }},
		{"unknown rung", minyi.EINVALID, func(c *minyi.Case) { c.Rung = "shout" }},
		{"unknown rating", minyi.EINVALID, func(c *minyi.Case) { c.Rating = "great" }},
		{"NUL in title", minyi.EINVALID, func(c *minyi.Case) { c.Title = "a\x00b" }},
		{"invalid UTF-8 in routing reason", minyi.EINVALID, func(c *minyi.Case) { c.Routing.Reason = "\xff" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fullCase()
			c.ID = "case-invalid"
			tc.modify(&c)
			wantCode(t, s.PutCase(ctx, c), tc.code)
			if c.ID != "" {
				_, err := s.Case(ctx, c.ID)
				wantCode(t, err, minyi.ENOTFOUND)
			}
		})
	}
}

func event(caseID, key string, typ minyi.EventType, at time.Time) minyi.CaseEvent {
	return minyi.CaseEvent{CaseID: caseID, Key: key, Type: typ, At: at, Actor: "system"}
}

func appendEvents(t *testing.T, s minyi.Store, events ...minyi.CaseEvent) {
	t.Helper()
	if err := s.AppendCaseEvents(context.Background(), events); err != nil {
		t.Fatalf("AppendCaseEvents: %v", err)
	}
}

func checkTimeline(t *testing.T, s minyi.Store, caseID string, want ...minyi.CaseEvent) {
	t.Helper()
	got, err := s.CaseEvents(context.Background(), caseID)
	if err != nil {
		t.Fatalf("CaseEvents(%q): %v", caseID, err)
	}
	var diffs []string
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("%d events, want %d", len(got), len(want)))
	}
	for i := range min(len(got), len(want)) {
		g, w := got[i], want[i]
		w.At, w.Due = storedTime(w.At), storedTime(w.Due)
		if g.CaseID != w.CaseID || g.Key != w.Key || g.Type != w.Type || !g.At.Equal(w.At) ||
			g.At.Location() != time.UTC || g.Actor != w.Actor || g.Department != w.Department ||
			g.Detail != w.Detail || !g.Due.Equal(w.Due) || (!g.Due.IsZero() && g.Due.Location() != time.UTC) {
			diffs = append(diffs, fmt.Sprintf("[%d] = %+v,\n  want %+v", i, g, w))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("timeline of %q:\n%s", caseID, strings.Join(diffs, "\n"))
	}
}

func testCaseEvents(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	id := minyi.CaseIDFor("msg-0001")
	opened := event(id, "opened", minyi.EventOpened, t0.Add(300*time.Millisecond))
	opened.Actor, opened.Due = "system", t0.Add(15*24*time.Hour+700*time.Millisecond)
	routed := event(id, "routed-1", minyi.EventRouted, t0.Add(time.Second))
	routed.Department, routed.Detail = "dept-housing", `规则 "施工噪音"：关键词命中`
	// Same second as routed, written after it with a key that sorts before:
	// insertion order breaks the tie.
	reminder := event(id, "reminder", minyi.EventReminder, t0.Add(time.Second+500*time.Millisecond))
	// Written first but happened last: time order wins over insertion order.
	replied := event(id, "replied-1", minyi.EventReplied, t0.Add(72*time.Hour))
	replied.Actor, replied.Department, replied.Detail = "dept-housing", "dept-housing", "已责令施工方整改"
	other := event("case-other", "opened", minyi.EventOpened, t0)

	appendEvents(t, s, replied, opened, other)
	appendEvents(t, s, routed, reminder)
	checkTimeline(t, s, id, opened, routed, reminder, replied)

	// A retried activity writes its batch again, with one event that is new.
	// Existing keys keep their first content.
	retry := reminder
	retry.Detail, retry.At = "second attempt", t0.Add(24*time.Hour)
	overdue := event(id, "rung-overdue", minyi.EventOverdue, t0.Add(48*time.Hour))
	appendEvents(t, s, routed, retry, overdue)
	checkTimeline(t, s, id, opened, routed, reminder, overdue, replied)

	// A key repeated within one batch: the first one counts.
	urge1 := event(id, "rung-urge", minyi.EventUrge, t0.Add(50*time.Hour))
	urge2 := urge1
	urge2.Detail = "duplicate"
	appendEvents(t, s, urge1, urge2)
	checkTimeline(t, s, id, opened, routed, reminder, overdue, urge1, replied)

	// Keys are per case: another case may use the same key.
	checkTimeline(t, s, "case-other", other)
	checkTimeline(t, s, "case-unknown")

	// A batch with one invalid event writes nothing.
	for _, tc := range []struct {
		name   string
		modify func(*minyi.CaseEvent)
	}{
		{"no case", func(e *minyi.CaseEvent) { e.CaseID = "" }},
		{"no key", func(e *minyi.CaseEvent) { e.Key = "" }},
		{"no type", func(e *minyi.CaseEvent) { e.Type = "" }},
		{"no time", func(e *minyi.CaseEvent) { e.At = time.Time{} }},
		{"NUL in detail", func(e *minyi.CaseEvent) { e.Detail = "\x00" }},
	} {
		bad := event(id, "bad", minyi.EventClosed, t0.Add(100*time.Hour))
		tc.modify(&bad)
		good := event(id, "good", minyi.EventClosed, t0.Add(100*time.Hour))
		err := s.AppendCaseEvents(ctx, []minyi.CaseEvent{good, bad})
		if minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(err.Error(), "event 1") {
			t.Errorf("%s: AppendCaseEvents = %v, want EINVALID naming event 1", tc.name, err)
		}
	}
	checkTimeline(t, s, id, opened, routed, reminder, overdue, urge1, replied)

	if err := s.AppendCaseEvents(ctx, nil); err != nil {
		t.Errorf("AppendCaseEvents(nil) = %v", err)
	}
}
