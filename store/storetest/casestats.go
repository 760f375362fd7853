package storetest

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"minyi"
)

// The audit window of the stats fixture: the first half of October 2026,
// China time, judged on 20 October at noon.
var (
	statsFrom = time.Date(2026, 10, 1, 0, 0, 0, 0, minyi.ChinaTime)
	statsTo   = time.Date(2026, 10, 16, 0, 0, 0, 0, minyi.ChinaTime)
	statsNow  = time.Date(2026, 10, 20, 12, 0, 0, 0, minyi.ChinaTime)
)

// oct is a time on day d of October 2026 at hour h, China time.
func oct(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, minyi.ChinaTime) }

// statsCases are hand-built so that each counts in known figures; the
// comment after each says where (R received, A answered, D due, T answered
// on time, Ret returned, Rt rated, S satisfied, O open, Ov overdue, Rp a
// repeat complaint 重复件, A1 answered once, Rd reopened as 重办).
func statsCases() []minyi.Case {
	c := func(id, dept string, status minyi.CaseStatus, received, due time.Time) minyi.Case {
		return minyi.Case{ID: id, DocumentID: "doc-" + id, Source: "mailbox", Title: "案件 " + id,
			MessageType: minyi.TypeHelp, Department: dept, Status: status, Received: received, Due: due}
	}
	answered := func(k minyi.Case, at time.Time, onTime bool, rating minyi.Rating) minyi.Case {
		k.Answered, k.OnTime, k.Rating = at, onTime, rating
		return k
	}
	a4 := c("a4", "dept-a", minyi.CaseOpen, oct(14, 9), oct(28, 17))
	a4.Returns = 1
	a7 := answered(c("a7", "dept-a", minyi.CaseClosed, oct(3, 9), oct(10, 17)), oct(4, 9), true, "")
	a7.Historical = true
	a3 := c("a3", "dept-a", minyi.CaseOpen, oct(6, 9), oct(13, 17))
	a3.Rung = minyi.RungUrge
	a3.Redo = true // answered, rated dissatisfied, reopened: open again
	b3 := c("b3", "dept-b", minyi.CaseRouting, oct(2, 9), oct(9, 17))
	b3.Returns = 2
	a6 := answered(c("a6", "dept-a", minyi.CaseClosed, oct(2, 9), oct(9, 17)), oct(8, 9), true, minyi.RatingDissatisfied)
	a6.Redo = true
	a2 := answered(c("a2", "dept-a", minyi.CaseAnswered, oct(5, 9), oct(12, 17)), oct(14, 9), false, "")
	a2.RepeatOf = []string{"a9"}
	b1 := answered(c("b1", "dept-b", minyi.CaseAnswered, oct(4, 9), oct(11, 17)), oct(20, 9), false, "")
	b1.RepeatOf = []string{"a1", "a5"}
	c1 := c("c1", "dept-c", minyi.CaseOpen, oct(20, 9), oct(27, 17))
	c1.RepeatOf = []string{"a1"}
	return []minyi.Case{
		answered(c("a1", "dept-a", minyi.CaseClosed, oct(8, 9), oct(15, 17)), oct(12, 9), true, minyi.RatingSatisfied), // R A D T Rt S
		a2, // R A D Rp A1
		a3, // R D O Ov A1 Rd
		a4, // R Ret O (due after now)
		answered(c("a5", "dept-a", minyi.CaseClosed, oct(9, 9), oct(15, 12)), oct(10, 9), true, minyi.RatingBasic), // R A D T Rt S
		a6, // R A D T Rt A1 Rd
		a7, // R A D T A1, historical cases count
		answered(c("a8", "dept-a", minyi.CaseAnswered, oct(13, 9), oct(20, 9)), oct(14, 9), true, ""),               // R A: due after the window
		answered(c("a9", "dept-a", minyi.CaseClosed, oct(1, 0).Add(-time.Second), oct(2, 17)), oct(2, 9), true, ""), // before the window
		c("a10", "dept-a", minyi.CaseOpen, statsTo, oct(23, 17)),                                                    // received at the window's end: outside
		c("a11", "dept-a", minyi.CaseOpen, statsFrom, oct(22, 17)),                                                  // R O: received at the window's start
		b1, // R A D Rp A1
		c("b2", "dept-b", minyi.CaseOpen, oct(7, 9), time.Time{}), // R O: no due date, never overdue
		b3, // R D Ret O Ov: returned, waiting to be re-routed
		c1, // received after the window; Rp
		c("n1", "", minyi.CaseRouting, oct(5, 9), oct(7, 17)), // no department: not in stats
	}
}

func testDepartmentStats(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	putCase(t, s, statsCases()...)

	got, err := s.DepartmentStats(ctx, statsFrom, statsTo, statsNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []minyi.DepartmentStats{
		{Department: "dept-a", Received: 9, Answered: 6, Due: 6, AnsweredOnTime: 4, Returned: 1, Rated: 3,
			Satisfied: 2, Open: 3, Overdue: 1, Repeats: 1, AnsweredOnce: 7, Redone: 2,
			ResponseRate: ptr(6.0 / 9), OnTimeRate: ptr(4.0 / 6), ReturnRate: ptr(1.0 / 9), SatisfactionRate: ptr(2.0 / 3),
			RedoRate: ptr(2.0 / 7)},
		{Department: "dept-b", Received: 3, Answered: 1, Due: 2, AnsweredOnTime: 0, Returned: 1, Rated: 0,
			Satisfied: 0, Open: 2, Overdue: 1, Repeats: 1, AnsweredOnce: 1,
			// Nothing rated: satisfaction is not measured (nil), while an
			// on-time rate of 0 of 2 is measured and is 0.
			ResponseRate: ptr(1.0 / 3), OnTimeRate: ptr(0), ReturnRate: ptr(1.0 / 3), SatisfactionRate: nil,
			RedoRate: ptr(0)},
	}
	checkStats(t, "stats at noon on 20 October", got, want)

	// Judged the moment a3 falls due, it is due but not yet overdue; half a
	// second later it is overdue. a1 and a5 (due on the 15th) are not due yet.
	a3due := oct(13, 17)
	for _, tc := range []struct {
		now                          time.Time
		due, onTime, overdue, bOverd int
	}{
		{a3due, 4, 2, 0, 1},
		{a3due.Add(500 * time.Millisecond), 4, 2, 1, 1},
		{oct(9, 17).Add(-time.Second), 0, 0, 0, 0}, // before any due date
	} {
		got, err := s.DepartmentStats(ctx, statsFrom, statsTo, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("at %s: %d departments, want 2", tc.now, len(got))
		}
		a := got[0]
		if a.Due != tc.due || a.AnsweredOnTime != tc.onTime || a.Overdue != tc.overdue || got[1].Overdue != tc.bOverd {
			t.Errorf("at %s: dept-a due %d, on time %d, overdue %d, dept-b overdue %d; want %d, %d, %d, %d",
				tc.now, a.Due, a.AnsweredOnTime, a.Overdue, got[1].Overdue, tc.due, tc.onTime, tc.overdue, tc.bOverd)
		}
	}

	// Asked again as time passes, the figures follow the due dates passed
	// since the last answer: a11 (due the 22nd) and a4 (the 28th) fall
	// overdue, a4 returned and open, a11 received at the window's start.
	for _, tc := range []struct {
		now     time.Time
		overdue int
	}{
		{statsNow, 1},
		{statsNow.Add(time.Hour), 1},
		{oct(22, 17), 1},
		{oct(22, 17).Add(time.Second), 2},
		{oct(22, 17).Add(2 * time.Second), 2},
		{oct(28, 17).Add(500 * time.Millisecond), 3},
	} {
		got, err := s.DepartmentStats(ctx, statsFrom, statsTo, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Overdue != tc.overdue || got[0].Due != 6 {
			t.Errorf("at %s: dept-a overdue %d, due %d; want %d, 6", tc.now, got[0].Overdue, got[0].Due, tc.overdue)
		}
	}
	// What a caller does with its answer is its own, asked once or again.
	late := oct(29, 0)
	for range 2 {
		if got, err = s.DepartmentStats(ctx, statsFrom, statsTo, late); err != nil {
			t.Fatal(err)
		}
	}
	got[0].Received = 1000
	*got[0].ResponseRate = 0.5
	if again, err := s.DepartmentStats(ctx, statsFrom, statsTo, late); err != nil ||
		again[0].Received != 9 || *again[0].ResponseRate != 6.0/9 {
		t.Errorf("stats asked again after the caller changed its copy: %+v, %v", again, err)
	}

	// Departments come in bytewise order of their ids, whatever the
	// database's collation ("Z" sorts before "d" in bytes, after in en_US).
	putCase(t, s, minyi.Case{ID: "z1", DocumentID: "z1", Department: "Z-office", Status: minyi.CaseOpen,
		Received: oct(3, 9)})
	got, err = s.DepartmentStats(ctx, statsFrom, statsTo, statsNow)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "stats with Z-office", got, append([]minyi.DepartmentStats{
		{Department: "Z-office", Received: 1, Open: 1, ResponseRate: ptr(0), ReturnRate: ptr(0)}}, want...))

	// A window with no cases, and one with dept-c only.
	got, err = s.DepartmentStats(ctx, statsFrom.AddDate(-1, 0, 0), statsFrom.AddDate(0, -6, 0), statsNow)
	if err != nil || len(got) != 0 {
		t.Errorf("stats of an empty window = %+v, %v; want none", got, err)
	}
	got, err = s.DepartmentStats(ctx, oct(20, 0), oct(21, 0), statsNow)
	if err != nil {
		t.Fatal(err)
	}
	checkStats(t, "stats of 20 October", got, []minyi.DepartmentStats{
		// Nothing answered yet: 重办率 is not measured.
		{Department: "dept-c", Received: 1, Open: 1, Repeats: 1, ResponseRate: ptr(0), ReturnRate: ptr(0)},
	})

	for _, tc := range []struct {
		name          string
		from, to, now time.Time
	}{
		{"reversed window", statsTo, statsFrom, statsNow},
		{"empty window", statsFrom, statsFrom, statsNow},
		{"no start", time.Time{}, statsTo, statsNow},
		{"no end", statsFrom, time.Time{}, statsNow},
		{"no now", statsFrom, statsTo, time.Time{}},
	} {
		_, err := s.DepartmentStats(ctx, tc.from, tc.to, tc.now)
		if minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: DepartmentStats error = %v, want EINVALID", tc.name, err)
		}
	}
}

func ptr(f float64) *float64 { return &f }

func checkStats(t *testing.T, what string, got, want []minyi.DepartmentStats) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d departments %+v, want %d %+v", what, len(got), got, len(want), want)
	}
	// A rate is near its want when both are not measured (nil) or both are
	// measured and equal within rounding: nil and 0 differ.
	near := func(a, b *float64) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return math.Abs(*a-*b) < 1e-9
	}
	for i, g := range got {
		w := want[i]
		gr, wr := g, w
		gr.ResponseRate, gr.OnTimeRate, gr.ReturnRate, gr.SatisfactionRate, gr.RedoRate = nil, nil, nil, nil, nil
		wr.ResponseRate, wr.OnTimeRate, wr.ReturnRate, wr.SatisfactionRate, wr.RedoRate = nil, nil, nil, nil, nil
		if gr != wr || !near(g.ResponseRate, w.ResponseRate) || !near(g.OnTimeRate, w.OnTimeRate) ||
			!near(g.ReturnRate, w.ReturnRate) || !near(g.SatisfactionRate, w.SatisfactionRate) ||
			!near(g.RedoRate, w.RedoRate) {
			t.Errorf("%s [%d]:\n got %+v rates %s\nwant %+v rates %s", what, i, g, rates(g), w, rates(w))
		}
	}
}

func testDepartmentEscalations(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	esc := func(key, dept string, rung minyi.Rung, at time.Time, rate float64) minyi.DepartmentEscalation {
		return minyi.DepartmentEscalation{Key: key, Department: dept, Rung: rung, At: at, OnTimeRate: rate,
			Reason: "按时答复率低于阈值"}
	}
	e1 := esc("dept-a/supervise/2026-09", "dept-a", minyi.RungSupervise, oct(1, 2).Add(300*time.Millisecond), 0.85)
	e2 := esc("dept-b/notice/2026-09", "dept-b", minyi.RungNotice, oct(1, 2), 0.5)
	e3 := esc("dept-a/notice/2026-10", "dept-a", minyi.RungNotice, oct(16, 2), 0.4)
	e4 := esc("dept-b/supervise/2026-08", "dept-b", minyi.RungSupervise, oct(1, 2).AddDate(0, -1, 0), 0.75)
	for _, e := range []minyi.DepartmentEscalation{e1, e2, e3, e4} {
		if err := s.PutDepartmentEscalation(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// An audit run again: the key exists, so nothing changes.
	again := e3
	again.OnTimeRate, again.Reason, again.At = 0.1, "rerun", oct(17, 2)
	if err := s.PutDepartmentEscalation(ctx, again); err != nil {
		t.Fatal(err)
	}

	list := func(dept string, since time.Time, want ...minyi.DepartmentEscalation) {
		t.Helper()
		got, err := s.DepartmentEscalations(ctx, dept, since)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("DepartmentEscalations(%q, %s) = %d escalations %+v, want %d", dept, since, len(got), got, len(want))
		}
		for i, g := range got {
			w := want[i]
			w.At = storedTime(w.At)
			if g != w {
				t.Errorf("DepartmentEscalations(%q, %s)[%d] = %+v, want %+v", dept, since, i, g, w)
			}
		}
	}
	// e1 and e2 share a second: the later recorded comes first.
	list("", time.Time{}, e3, e2, e1, e4)
	list("", oct(1, 2), e3, e2, e1)
	list("", oct(1, 2).Add(time.Millisecond), e3) // e1's sub-second is not stored
	list("dept-a", time.Time{}, e3, e1)
	list("dept-b", oct(1, 0), e2)
	list("dept-z", time.Time{})

	for _, tc := range []struct {
		name   string
		code   string
		modify func(*minyi.DepartmentEscalation)
	}{
		{"no key", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.Key = "" }},
		{"no department", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.Department = "" }},
		{"case rung", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.Rung = minyi.RungUrge }},
		{"no time", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.At = time.Time{} }},
		{"percent rate", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.OnTimeRate = 85 }},
		{"NaN rate", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.OnTimeRate = math.NaN() }},
		{"NUL in reason", minyi.EINVALID, func(e *minyi.DepartmentEscalation) { e.Reason = "\x00" }},
	} {
		e := esc("bad", "dept-z", minyi.RungSupervise, oct(18, 2), 0.5)
		tc.modify(&e)
		if err := s.PutDepartmentEscalation(ctx, e); minyi.ErrorCode(err) != tc.code {
			t.Errorf("%s: PutDepartmentEscalation = %v, want %s", tc.name, err, tc.code)
		}
	}
	list("", oct(18, 0))
}

func rates(d minyi.DepartmentStats) string {
	f := func(r *float64) string {
		if r == nil {
			return "nil"
		}
		return fmt.Sprintf("%.4f", *r)
	}
	return fmt.Sprintf("response %s on-time %s return %s satisfaction %s redo %s",
		f(d.ResponseRate), f(d.OnTimeRate), f(d.ReturnRate), f(d.SatisfactionRate), f(d.RedoRate))
}

// TestStatsSeeOtherWriters checks that DepartmentStats and OverdueBoard
// through reader count a case written through writer, another handle on
// the same database (another process, in production), and a case updated
// there, however often reader was asked before.
func TestStatsSeeOtherWriters(t *testing.T, reader, writer minyi.Store) {
	ctx := context.Background()
	putCase(t, writer, statsCases()...)
	ask := func(what string, received, answered int) {
		t.Helper()
		for range 2 {
			got, err := reader.DepartmentStats(ctx, statsFrom, statsTo, statsNow)
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Department != "dept-a" || got[0].Received != received || got[0].Answered != answered {
				t.Fatalf("%s: dept-a received %d, answered %d; want %d, %d", what, got[0].Received, got[0].Answered, received, answered)
			}
		}
	}
	ask("the fixture", 9, 6)
	extra := minyi.Case{ID: "a12", DocumentID: "doc-a12", Department: "dept-a", Status: minyi.CaseOpen,
		Received: oct(10, 9), Due: oct(17, 17)}
	putCase(t, writer, extra)
	ask("a case added by the other handle", 10, 6)
	extra.Status, extra.Answered, extra.OnTime = minyi.CaseAnswered, oct(11, 9), true
	putCase(t, writer, extra)
	ask("the case answered by the other handle", 10, 7)

	// The overdue board the same way: of dept-a only a3 is open and overdue
	// at statsNow; a12, answered, is opened again past its due date.
	board := func(what string, want int) {
		t.Helper()
		for range 2 {
			groups, err := reader.OverdueBoard(ctx, statsNow)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, g := range groups {
				if g.Department == "dept-a" {
					n += g.Count
				}
			}
			if n != want {
				t.Fatalf("%s: dept-a has %d overdue cases on the board, want %d", what, n, want)
			}
		}
	}
	board("the fixture", 1)
	extra.Status = minyi.CaseOpen
	putCase(t, writer, extra)
	board("a case opened again by the other handle", 2)
}
