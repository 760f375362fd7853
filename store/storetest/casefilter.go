package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// matches is the reference meaning of a CaseFilter, from the minyi doc
// comments; the store's SQL must agree with it on every combination.
func matches(f minyi.CaseFilter, c minyi.Case) bool {
	return (f.Department == "" || c.Department == f.Department) &&
		(f.Status == "" || c.Status == f.Status) &&
		(f.Overdue == nil || c.Overdue(f.Now) == *f.Overdue) &&
		(f.From.IsZero() || !c.Received.Before(f.From)) &&
		(f.To.IsZero() || c.Received.Before(f.To)) &&
		(f.Historical == nil || c.Historical == *f.Historical)
}

// newestFirst is the order of Cases: received descending, then id descending.
func newestFirst(a, b minyi.Case) int {
	if c := b.Received.Compare(a.Received); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

// dueFirst is the order of Cases with ByDue: due ascending, no due last,
// then id ascending.
func dueFirst(a, b minyi.Case) int {
	if a.Due.IsZero() != b.Due.IsZero() {
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	if c := a.Due.Compare(b.Due); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

func caseIDs(cs []minyi.Case) []string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

func listCases(t *testing.T, s minyi.Store, f minyi.CaseFilter) ([]string, int) {
	t.Helper()
	got, total, err := s.Cases(context.Background(), f)
	if err != nil {
		t.Fatalf("Cases(%+v): %v", f, err)
	}
	return caseIDs(got), total
}

func testCaseFilters(t *testing.T, s minyi.Store) {
	cases := statsCases()
	putCase(t, s, cases...)
	yes, no := true, false

	// Hand-checked answers first, so the reference is not the only oracle.
	for _, tc := range []struct {
		name string
		f    minyi.CaseFilter
		want []string
	}{
		{"all", minyi.CaseFilter{}, []string{"c1", "a10", "a4", "a8", "a5", "a1", "b2", "a3", "n1", "a2",
			"b1", "a7", "b3", "a6", "a11", "a9"}},
		{"inbox", minyi.CaseFilter{Department: "dept-a", Status: minyi.CaseOpen}, []string{"a10", "a4", "a3", "a11"}},
		{"overdue board", minyi.CaseFilter{Overdue: &yes, Now: statsNow}, []string{"a3", "n1", "b3"}},
		{"overdue at a fractional second", minyi.CaseFilter{Overdue: &yes, Now: oct(13, 17).Add(time.Millisecond),
			Department: "dept-a"}, []string{"a3"}},
		{"not yet overdue at due", minyi.CaseFilter{Overdue: &yes, Now: oct(13, 17), Department: "dept-a"}, []string{}},
		{"not overdue, open", minyi.CaseFilter{Overdue: &no, Now: statsNow, Status: minyi.CaseOpen},
			[]string{"c1", "a10", "a4", "b2", "a11"}},
		{"window", minyi.CaseFilter{From: statsFrom, To: statsTo, Department: "dept-b"}, []string{"b2", "b1", "b3"}},
		{"window bounds", minyi.CaseFilter{From: statsFrom, To: statsTo.Add(time.Millisecond), Department: "dept-a",
			Status: minyi.CaseOpen}, []string{"a10", "a4", "a3", "a11"}},
		{"from only", minyi.CaseFilter{From: oct(14, 9)}, []string{"c1", "a10", "a4"}},
		{"to only", minyi.CaseFilter{To: statsFrom.Add(time.Millisecond)}, []string{"a11", "a9"}},
		{"history", minyi.CaseFilter{Historical: &yes}, []string{"a7"}},
		{"unknown department", minyi.CaseFilter{Department: "dept-z"}, []string{}},
	} {
		ids, total := listCases(t, s, tc.f)
		if !slices.Equal(ids, tc.want) || total != len(tc.want) {
			t.Errorf("%s: Cases = %q (total %d), want %q", tc.name, ids, total, tc.want)
		}
	}

	// Every combination against the reference.
	departments := []string{"", "dept-a", "dept-b", "dept-c"}
	statuses := []minyi.CaseStatus{"", minyi.CaseRouting, minyi.CaseOpen, minyi.CaseAnswered, minyi.CaseClosed}
	overdue := []*bool{nil, &yes, &no}
	windows := [][2]time.Time{{}, {statsFrom, statsTo}, {oct(5, 9), {}}, {{}, oct(9, 9)}}
	historical := []*bool{nil, &yes, &no}
	for _, d := range departments {
		for _, st := range statuses {
			for _, od := range overdue {
				for _, w := range windows {
					for _, h := range historical {
						f := minyi.CaseFilter{Department: d, Status: st, Overdue: od, Now: statsNow,
							From: w[0], To: w[1], Historical: h}
						var want []minyi.Case
						for _, c := range cases {
							if matches(f, storedCase(c)) {
								want = append(want, c)
							}
						}
						slices.SortFunc(want, newestFirst)
						ids, total := listCases(t, s, f)
						if !slices.Equal(ids, caseIDs(want)) || total != len(want) {
							t.Errorf("Cases(%s) = %q (total %d), want %q", describe(f), ids, total, caseIDs(want))
						}
						// By due date: earliest first, none last, then by id.
						slices.SortFunc(want, dueFirst)
						f.ByDue = true
						ids, total = listCases(t, s, f)
						if !slices.Equal(ids, caseIDs(want)) || total != len(want) {
							t.Errorf("Cases(%s, by due) = %q (total %d), want %q", describe(f), ids, total, caseIDs(want))
						}
					}
				}
			}
		}
	}
}

func describe(f minyi.CaseFilter) string {
	var parts []string
	if f.Department != "" {
		parts = append(parts, "department="+f.Department)
	}
	if f.Status != "" {
		parts = append(parts, "status="+string(f.Status))
	}
	if f.Overdue != nil {
		parts = append(parts, fmt.Sprintf("overdue=%v", *f.Overdue))
	}
	if !f.From.IsZero() {
		parts = append(parts, "from="+f.From.Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		parts = append(parts, "to="+f.To.Format(time.RFC3339))
	}
	if f.Historical != nil {
		parts = append(parts, fmt.Sprintf("historical=%v", *f.Historical))
	}
	return strings.Join(parts, " ")
}

func testCasePaging(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	// 120 cases in one department, received in pairs at the same second, so
	// that pages must break ties by id to neither skip nor repeat a case.
	var all []minyi.Case
	for i := range 120 {
		c := minyi.Case{ID: fmt.Sprintf("case-%03d", i), DocumentID: fmt.Sprintf("%03d", i),
			Department: "dept-p", Status: minyi.CaseOpen, Received: t0.Add(time.Duration(i/2) * time.Minute)}
		if i%3 == 0 {
			c.Status = minyi.CaseClosed
		}
		all = append(all, c)
	}
	putCase(t, s, all...)
	putCase(t, s, minyi.Case{ID: "case-elsewhere", DocumentID: "x", Department: "dept-q",
		Status: minyi.CaseOpen, Received: t0})
	slices.SortFunc(all, newestFirst)

	// Default page size.
	ids, total := listCases(t, s, minyi.CaseFilter{Department: "dept-p"})
	if total != 120 || !slices.Equal(ids, caseIDs(all[:50])) {
		t.Errorf("first default page: total %d, %d ids %q; want 120 and the 50 newest", total, len(ids), ids)
	}

	// Pages of 7 through the open cases add up to the whole list.
	var open []minyi.Case
	for _, c := range all {
		if c.Status == minyi.CaseOpen {
			open = append(open, c)
		}
	}
	var paged []string
	for offset := 0; ; offset += 7 {
		ids, total := listCases(t, s, minyi.CaseFilter{Department: "dept-p", Status: minyi.CaseOpen,
			Offset: offset, Limit: 7})
		if total != len(open) {
			t.Fatalf("offset %d: total %d, want %d", offset, total, len(open))
		}
		if len(ids) == 0 {
			break
		}
		if len(ids) > 7 {
			t.Fatalf("offset %d: %d cases on a page of 7", offset, len(ids))
		}
		paged = append(paged, ids...)
	}
	if !slices.Equal(paged, caseIDs(open)) {
		t.Errorf("paged open cases = %q,\nwant %q", paged, caseIDs(open))
	}

	ids, total = listCases(t, s, minyi.CaseFilter{Limit: 500})
	if total != 121 || len(ids) != 121 {
		t.Errorf("Limit 500: %d cases, total %d; want 121", len(ids), total)
	}
	ids, total = listCases(t, s, minyi.CaseFilter{Offset: 1000})
	if total != 121 || len(ids) != 0 {
		t.Errorf("offset past the end: %d cases, total %d; want 0 and 121", len(ids), total)
	}

	for _, tc := range []struct {
		name string
		f    minyi.CaseFilter
	}{
		{"limit above 500", minyi.CaseFilter{Limit: 501}},
		{"negative limit", minyi.CaseFilter{Limit: -1}},
		{"negative offset", minyi.CaseFilter{Offset: -1}},
		{"unknown status", minyi.CaseFilter{Status: "overdue"}},
		{"overdue without now", minyi.CaseFilter{Overdue: new(bool)}},
		{"reversed window", minyi.CaseFilter{From: t0, To: t0.Add(-time.Hour)}},
	} {
		_, _, err := s.Cases(ctx, tc.f)
		if minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: Cases error = %v, want EINVALID", tc.name, err)
		}
	}
}
