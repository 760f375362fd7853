package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// boardCases are overdue and not overdue cases at boardNow over two
// departments and the unassigned, with every rung, ties of due dates
// broken by id, and cases that look overdue but are not (answered, closed,
// due later, no due date).
var boardNow = time.Date(2026, 11, 23, 10, 0, 0, 0, minyi.ChinaTime)

func boardCases() []minyi.Case {
	var out []minyi.Case
	rungs := []minyi.Rung{minyi.RungNone, minyi.RungReminder, minyi.RungOverdue, minyi.RungUrge, minyi.RungSupervise, minyi.RungNotice}
	statuses := []minyi.CaseStatus{minyi.CaseOpen, minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseOpen, minyi.CaseClosed}
	for i := range 90 {
		dept := []string{"dept-b", "dept-a", "", "dept-a"}[i%4]
		c := minyi.Case{ID: fmt.Sprintf("ob-%03d", i), DocumentID: fmt.Sprintf("ob-doc-%03d", i),
			Title: "超期 " + fmt.Sprint(i), Department: dept, Status: statuses[i%len(statuses)],
			Rung:     rungs[(i/3)%len(rungs)],
			Received: boardNow.AddDate(0, -1, 0),
			// Pairs of cases share a due date; some fall due after now.
			Due: boardNow.Add(time.Duration(12-i/2) * 7 * time.Hour),
		}
		if i%11 == 0 {
			c.Due = time.Time{} // never overdue
		}
		out = append(out, c)
	}
	// Due exactly at now: not yet overdue; judged half a second later, it is.
	out = append(out, minyi.Case{ID: "ob-now", DocumentID: "ob-now", Department: "dept-a", Status: minyi.CaseOpen,
		Received: boardNow.AddDate(0, 0, -20), Due: boardNow})
	return out
}

func testOverdueBoard(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	cases := boardCases()
	putCase(t, s, cases...)

	// Judged later and later, the board follows each due date passed, asked
	// once or again at the same time.
	for _, now := range []time.Time{boardNow, boardNow.Add(500 * time.Millisecond), boardNow.Add(time.Second),
		boardNow.Add(7 * time.Hour), boardNow.Add(7*time.Hour + time.Second), boardNow.Add(20 * time.Hour)} {
		// The reference: minyi.Case.Overdue and minyi.BoardRung over the fixture.
		groups := map[minyi.OverdueGroup][]minyi.Case{}
		for _, c := range cases {
			if c.Overdue(now) {
				k := minyi.OverdueGroup{Department: c.Department, Rung: minyi.BoardRung(c.Rung)}
				groups[k] = append(groups[k], c)
			}
		}
		var want []minyi.OverdueGroup
		for k, cs := range groups {
			slices.SortFunc(cs, func(a, b minyi.Case) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
			k.Count, k.OldestDue = len(cs), cs[0].Due.UTC()
			want = append(want, k)
		}
		slices.SortFunc(want, func(a, b minyi.OverdueGroup) int {
			return cmp.Or(strings.Compare(a.Department, b.Department),
				slices.Index(minyi.BoardRungs, a.Rung)-slices.Index(minyi.BoardRungs, b.Rung))
		})
		if len(want) < 8 {
			t.Fatalf("the fixture makes only %d groups", len(want))
		}

		for range 2 {
			got, err := s.OverdueBoard(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("OverdueBoard(%s) =\n%+v\nwant\n%+v", now, got, want)
			}
			got[0].Count = -1 // the caller's copy
		}

		// Each group in pages of 3, and each department whole, oldest due first.
		page := func(f minyi.OverdueFilter, want []minyi.Case) {
			t.Helper()
			var ids []string
			for f.Offset = 0; ; f.Offset += 3 {
				f.Limit = 3
				cs, total, err := s.OverdueCases(ctx, f)
				if err != nil {
					t.Fatalf("OverdueCases(%+v): %v", f, err)
				}
				if total != len(want) {
					t.Fatalf("OverdueCases(%+v): total %d, want %d", f, total, len(want))
				}
				if len(cs) == 0 {
					break
				}
				ids = append(ids, caseIDs(cs)...)
			}
			if !slices.Equal(ids, caseIDs(want)) {
				t.Errorf("OverdueCases(%q, %q) at %s = %q,\nwant %q", f.Department, f.Rung, now, ids, caseIDs(want))
			}
		}
		byDept := map[string][]minyi.Case{}
		for k, cs := range groups {
			page(minyi.OverdueFilter{Department: k.Department, Rung: k.Rung, Now: now}, cs)
			byDept[k.Department] = append(byDept[k.Department], cs...)
		}
		for d, cs := range byDept {
			slices.SortFunc(cs, func(a, b minyi.Case) int { return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID)) })
			page(minyi.OverdueFilter{Department: d, Now: now}, cs)
		}
		if _, ok := byDept["dept-a"]; !ok {
			t.Fatal("no overdue case in dept-a")
		}
		nowCase := slices.ContainsFunc(byDept["dept-a"], func(c minyi.Case) bool { return c.ID == "ob-now" })
		if nowCase != now.After(boardNow) {
			t.Errorf("at %s the case due at %s is on the board: %v", now, boardNow, nowCase)
		}
	}

	// A group of nobody, and the default page size.
	cs, total, err := s.OverdueCases(ctx, minyi.OverdueFilter{Department: "nobody", Rung: minyi.RungNotice, Now: boardNow})
	if err != nil || total != 0 || len(cs) != 0 {
		t.Errorf("an empty group: %d cases, total %d, %v", len(cs), total, err)
	}
	if _, _, err := s.OverdueCases(ctx, minyi.OverdueFilter{Department: "dept-a", Now: boardNow}); err != nil {
		t.Errorf("default page size: %v", err)
	}

	for _, f := range []minyi.OverdueFilter{
		{Department: "dept-a", Rung: minyi.RungReminder, Now: boardNow}, // not a column of the board
		{Department: "dept-a", Rung: "unknown", Now: boardNow},
		{Department: "dept-a"}, // no now
		{Department: "dept-a", Now: boardNow, Offset: -1},
		{Department: "dept-a", Now: boardNow, Limit: 501},
		{Department: "bad\x00id", Now: boardNow},
	} {
		if _, _, err := s.OverdueCases(ctx, f); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("OverdueCases(%+v) error = %v, want EINVALID", f, err)
		}
	}
	if _, err := s.OverdueBoard(ctx, time.Time{}); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("OverdueBoard without now: %v, want EINVALID", err)
	}
}
