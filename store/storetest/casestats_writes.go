package storetest

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"minyi"
	"minyi/store/internal/sqlstore"
)

// testDepartmentStatsAfterWrites writes cases the ways a case's life writes
// them (opened, routed, answered, rated, reopened as 重办, reassigned,
// returned, merged, extended (延期), imported as history) in a random order,
// and after every few writes compares DepartmentStats over many windows and
// times with the figures counted here, case by case, from what was written:
// the store's running totals must give exactly what a recount gives.
// Windows and times fall on China midnights, a second either side of one,
// and anywhere, with sub-seconds.
func testDepartmentStatsAfterWrites(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(20, 4))
	base := oct(1, 0) // cases are received from 75 days before to 75 days after
	departments := []string{"dept-a", "dept-b", "Z-office", "market"}
	// A time near base: at a China midnight, a second either side, or any second.
	someTime := func(days int) time.Time {
		day := base.AddDate(0, 0, rng.IntN(2*days+1)-days)
		switch rng.IntN(4) {
		case 0:
			return day
		case 1:
			return day.Add(-time.Second)
		case 2:
			return day.Add(time.Second)
		}
		return day.Add(time.Duration(rng.IntN(24*60*60)) * time.Second)
	}
	written := map[string]minyi.Case{}
	var ids []string
	fresh := func() minyi.Case {
		id := fmt.Sprintf("w%03d", len(ids))
		ids = append(ids, id)
		received := someTime(75)
		c := minyi.Case{ID: id, DocumentID: "doc-" + id, Source: "mailbox", Title: "案件 " + id,
			Department: departments[rng.IntN(len(departments))], Status: minyi.CaseOpen,
			Received: received, Due: received.Add(time.Duration(rng.IntN(21*24*60*60)) * time.Second)}
		if rng.IntN(10) == 0 {
			c.Department, c.Status = "", minyi.CaseRouting
		}
		if rng.IntN(10) == 0 {
			c.Due = time.Time{}
		}
		if rng.IntN(6) == 0 && len(ids) > 1 {
			c.RepeatOf = []string{ids[rng.IntN(len(ids)-1)]}
		}
		return c
	}
	answer := func(c *minyi.Case) {
		c.Status = minyi.CaseAnswered
		c.Answered = c.Received.Add(time.Duration(rng.IntN(30*24*60*60)) * time.Second)
		c.OnTime = !c.Due.IsZero() && !c.Answered.After(c.Due)
	}
	// The writes of a case's life, each on a case as last written.
	writes := []func(c *minyi.Case){
		func(c *minyi.Case) { answer(c) },
		func(c *minyi.Case) { // rated, closed
			answer(c)
			c.Status = minyi.CaseClosed
			c.Rating = []minyi.Rating{minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied}[rng.IntN(3)]
		},
		func(c *minyi.Case) { // reopened as 重办 after a dissatisfied rating
			c.Status, c.Rating, c.Redo = minyi.CaseOpen, minyi.RatingDissatisfied, true
		},
		func(c *minyi.Case) { // reassigned
			c.Department = departments[rng.IntN(len(departments))]
			if c.Status == minyi.CaseRouting {
				c.Status = minyi.CaseOpen
			}
		},
		func(c *minyi.Case) { // returned: routing again, no department
			c.Returns++
			c.Department, c.Status = "", minyi.CaseRouting
		},
		func(c *minyi.Case) { // merged into another case, answered by its reply
			if other := ids[rng.IntN(len(ids))]; other != c.ID {
				c.MergedInto = other
				answer(c)
			}
		},
		func(c *minyi.Case) { // 延期: the due date moves, across days or not
			c.Extended = true
			if c.Due.IsZero() {
				c.Due = c.Received
			}
			c.Due = c.Due.Add(time.Duration(rng.IntN(10*24*60*60)) * time.Second)
		},
		func(c *minyi.Case) { // a rung reached: no figure moves
			c.Rung = minyi.RungUrge
			c.Updated = c.Received.Add(time.Hour)
		},
		func(c *minyi.Case) { // found to repeat an earlier case, or not after all
			if len(c.RepeatOf) > 0 {
				c.RepeatOf = nil
			} else if other := ids[rng.IntN(len(ids))]; other != c.ID {
				c.RepeatOf = []string{other}
			}
		},
		func(c *minyi.Case) { // received again at another time (a corrected import)
			c.Received = someTime(75)
		},
	}
	write := func() {
		if rng.IntN(4) == 0 || len(ids) < 10 {
			c := fresh()
			if rng.IntN(5) == 0 { // historical import: answered long ago
				c.Historical = true
				answer(&c)
				c.Status = minyi.CaseClosed
			}
			putCase(t, s, c)
			written[c.ID] = c
			return
		}
		// A batch or one case, as ingest and workflows write.
		batch := []minyi.Case{}
		for range 1 + rng.IntN(3) {
			id := ids[rng.IntN(len(ids))]
			if slices.ContainsFunc(batch, func(c minyi.Case) bool { return c.ID == id }) {
				continue
			}
			c := written[id]
			writes[rng.IntN(len(writes))](&c)
			batch = append(batch, c)
		}
		if err := s.PutCases(ctx, batch); err != nil {
			t.Fatalf("PutCases: %v", err)
		}
		for _, c := range batch {
			written[c.ID] = c
		}
	}
	check := func(round int) {
		t.Helper()
		for i := range 12 {
			from := someTime(90)
			to := someTime(90)
			switch i % 4 {
			case 0: // within a day or two
				to = from.Add(time.Duration(rng.IntN(48*60*60)) * time.Second)
			case 1: // whole months, as the statistics page asks
				from = time.Date(2026, time.Month(7+rng.IntN(4)), 1, 0, 0, 0, 0, minyi.ChinaTime)
				to = from.AddDate(0, 1+rng.IntN(3), 0)
			}
			if rng.IntN(2) == 0 {
				from = from.Add(-time.Duration(rng.IntN(1000)) * time.Millisecond)
			}
			if !to.After(from) {
				from, to = to, from.Add(time.Second)
			}
			now := someTime(90)
			if rng.IntN(3) == 0 { // at a due date, or just after it
				if c := written[ids[rng.IntN(len(ids))]]; !c.Due.IsZero() {
					now = c.Due.Add(time.Duration(rng.IntN(2)) * 500 * time.Millisecond)
				}
			}
			if rng.IntN(3) == 0 {
				now = now.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
			}
			got, err := s.DepartmentStats(ctx, from, to, now)
			if err != nil {
				t.Fatal(err)
			}
			checkStats(t, fmt.Sprintf("after write %d, window [%s, %s) at %s", round,
				from.Format(time.RFC3339Nano), to.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano)),
				got, recountStats(written, from, to, now))
			if t.Failed() { // one window is enough to look at
				t.FailNow()
			}
		}
	}
	for round := range 240 {
		write()
		if round%15 == 14 {
			check(round)
		}
	}
}

// recountStats is DepartmentStats counted case by case, as the minyi docs
// define each figure. Stored times are whole seconds, so comparing them
// with the exact from, to and now is what the store does.
func recountStats(cases map[string]minyi.Case, from, to, now time.Time) []minyi.DepartmentStats {
	byDept := map[string]*minyi.DepartmentStats{}
	for _, c := range cases {
		if c.Department == "" || c.Received.Before(from) || !c.Received.Before(to) {
			continue
		}
		d := byDept[c.Department]
		if d == nil {
			d = &minyi.DepartmentStats{Department: c.Department}
			byDept[c.Department] = d
		}
		answered := c.Status == minyi.CaseAnswered || c.Status == minyi.CaseClosed
		open := c.Status == minyi.CaseRouting || c.Status == minyi.CaseOpen
		count := func(n *int, yes bool) {
			if yes {
				*n++
			}
		}
		due := !c.Due.IsZero() && !c.Due.Before(from) && c.Due.Before(to) && !c.Due.After(now)
		d.Received++
		count(&d.Answered, answered)
		count(&d.Due, due)
		count(&d.AnsweredOnTime, due && answered && c.OnTime)
		count(&d.Returned, c.Returns > 0)
		count(&d.Rated, c.Rating != "")
		count(&d.Satisfied, c.Rating == minyi.RatingSatisfied || c.Rating == minyi.RatingBasic)
		count(&d.Open, open)
		count(&d.Overdue, open && !c.Due.IsZero() && now.After(c.Due))
		count(&d.Repeats, len(c.RepeatOf) > 0)
		count(&d.AnsweredOnce, answered || c.Redo)
		count(&d.Redone, c.Redo)
	}
	out := []minyi.DepartmentStats{}
	for _, d := range byDept {
		out = append(out, d.WithRates())
	}
	slices.SortFunc(out, func(a, b minyi.DepartmentStats) int { return strings.Compare(a.Department, b.Department) })
	return out
}

// CheckStatsRebuilt checks that the cases an install held before the
// running totals of the statistics (migration 0019) count in
// DepartmentStats exactly as those written since: put writes cases into a
// store whose schema stops before 0019, and migrate then brings it up to
// date and returns it.
func CheckStatsRebuilt(t *testing.T, put func(context.Context, []minyi.Case) error, migrate func() minyi.Store) {
	ctx := context.Background()
	cases := statsCases()
	if err := put(ctx, cases); err != nil {
		t.Fatal(err)
	}
	s := migrate()
	written := map[string]minyi.Case{}
	for _, c := range cases {
		written[c.ID] = c
	}
	for _, w := range [][3]time.Time{
		{statsFrom, statsTo, statsNow},
		{oct(3, 12), oct(14, 5), oct(13, 17)}, // cutting days
		{oct(20, 0), oct(21, 0), statsNow},
		{oct(1, 0), oct(1, 0).AddDate(0, 1, 0), statsNow}, // whole months
		{oct(1, 0).AddDate(0, -1, 0), oct(1, 0).AddDate(0, 2, 0), oct(13, 17).Add(time.Second)},
	} {
		got, err := s.DepartmentStats(ctx, w[0], w[1], w[2])
		if err != nil {
			t.Fatal(err)
		}
		checkStats(t, fmt.Sprintf("stats of [%s, %s) at %s after the migration", w[0], w[1], w[2]),
			got, recountStats(written, w[0], w[1], w[2]))
	}
}

// MigrationsBefore is the migrations of fsys up to, not including, version:
// a schema as an install that has not run version yet has it.
func MigrationsBefore(t *testing.T, fsys fs.FS, version int) fstest.MapFS {
	ms, err := sqlstore.LoadMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	before := fstest.MapFS{}
	for _, m := range ms[:version-1] {
		before["migrations/"+m.Name] = &fstest.MapFile{Data: []byte(m.SQL)}
	}
	return before
}
