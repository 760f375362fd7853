package storetest

import (
	"context"
	"slices"
	"testing"

	"minyi"
)

// testMergedCases: a letter merged into a case (并单) keeps the link, the
// primary finds its merged letters by it, and each letter counts once in
// every figure, with its own rating.
func testMergedCases(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	mk := func(id string, rating minyi.Rating, into string) minyi.Case {
		return minyi.Case{ID: id, DocumentID: "doc-" + id, Source: "mailbox", Title: "工地噪音 " + id,
			MessageType: minyi.TypeComplaint, Department: "dept-a", Status: minyi.CaseClosed,
			Received: oct(5, 9), Due: oct(12, 17), Answered: oct(8, 9), OnTime: true, Rating: rating, MergedInto: into}
	}
	primary := mk("p", minyi.RatingSatisfied, "")
	l1, l2 := mk("l1", minyi.RatingBasic, "p"), mk("l2", minyi.RatingDissatisfied, "p")
	l1.RepeatOf, l2.RepeatOf = []string{"p"}, []string{"p"}
	other := mk("o", "", "q")
	putCase(t, s, primary, l1, l2, other)

	got, err := s.Case(ctx, "l1")
	if err != nil {
		t.Fatal(err)
	}
	if got.MergedInto != "p" {
		t.Errorf("merged letter reads back merged into %q, want p", got.MergedInto)
	}
	if got, err := s.Case(ctx, "p"); err != nil || got.MergedInto != "" {
		t.Errorf("primary merged into %q, %v", got.MergedInto, err)
	}
	letters, total, err := s.Cases(ctx, minyi.CaseFilter{MergedInto: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range letters {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	if total != 2 || !slices.Equal(ids, []string{"l1", "l2"}) {
		t.Errorf("letters merged into p = %q (total %d), want l1 and l2", ids, total)
	}

	stats, err := s.DepartmentStats(ctx, statsFrom, statsTo, statsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 {
		t.Fatalf("stats = %+v, want dept-a only", stats)
	}
	d := stats[0]
	if d.Received != 4 || d.Answered != 4 || d.Rated != 3 || d.Satisfied != 2 || d.Repeats != 2 {
		t.Errorf("stats = %+v: want each merged letter counted once (4 received and answered, 3 rated, 2 satisfied, 2 repeats)", d)
	}

	// A letter reopened on its own (重办) leaves the merge.
	l2.MergedInto, l2.Status, l2.Redo = "", minyi.CaseOpen, true
	putCase(t, s, l2)
	if got, err := s.Case(ctx, "l2"); err != nil || got.MergedInto != "" {
		t.Errorf("unmerged letter reads back merged into %q, %v", got.MergedInto, err)
	}
	if _, total, err := s.Cases(ctx, minyi.CaseFilter{MergedInto: "p"}); err != nil || total != 1 {
		t.Errorf("letters merged into p after one left: %d, %v", total, err)
	}

	self := mk("s", "", "s")
	wantCode(t, s.PutCase(ctx, self), minyi.EINVALID)
}
