package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"minyi"
)

// leagueListSize is the length of the red and the black list, as on the
// league table page.
const leagueListSize = 5

// cases reports on the cases received in the period with the store's own
// department figures (the same DepartmentStats as the statistics page and
// the audit), judged at the report's time.
func (g *generator) cases(ctx context.Context) error {
	r, cr := g.r, g.deps.Cases
	stats, err := cr.DepartmentStats(ctx, r.From, r.To, r.Generated)
	if err != nil {
		return fmt.Errorf("report: department figures: %w", err)
	}
	names := make(map[string]string, len(g.deps.Departments))
	for _, d := range g.deps.Departments {
		names[d.ID] = d.Name
	}
	c := &Cases{Departments: []DepartmentRow{}, OverdueCases: []CaseItem{}}
	c.addDepartments(stats, names)
	// Department figures leave out the cases no department holds yet.
	_, all, err := cr.Cases(ctx, minyi.CaseFilter{From: r.From, To: r.To, Limit: 1})
	if err != nil {
		return fmt.Errorf("report: counting cases: %w", err)
	}
	c.Unrouted = max(all-c.Received, 0)
	if r.Kind == Monthly {
		red, black := minyi.RankDepartments(stats, leagueListSize)
		for _, d := range red {
			c.Red = append(c.Red, departmentName(names, d.Department))
		}
		for _, d := range black {
			c.Black = append(c.Black, departmentName(names, d.Department))
		}
	}
	c.ResponseRate = minyi.Ratio(c.Answered, c.Received)
	c.OnTimeRate = minyi.Ratio(c.AnsweredOnTime, c.Due)
	if c.OverdueCases, err = g.overdueCases(ctx, names); err != nil {
		return err
	}
	r.Cases = c
	return nil
}

// overdueCases are the overdue cases of the period received first (so
// overdue longest), earliest due first.
func (g *generator) overdueCases(ctx context.Context, names map[string]string) ([]CaseItem, error) {
	r, cr := g.r, g.deps.Cases
	overdue := true
	f := minyi.CaseFilter{From: r.From, To: r.To, Overdue: &overdue, Now: r.Generated, Limit: 1}
	_, n, err := cr.Cases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("report: overdue cases: %w", err)
	}
	// Cases come newest received first: the last page holds the oldest.
	f.Offset, f.Limit = max(n-overdueCasesListed, 0), overdueCasesListed
	page, _, err := cr.Cases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("report: overdue cases: %w", err)
	}
	out := make([]CaseItem, 0, len(page))
	for _, k := range page {
		out = append(out, CaseItem{ID: k.ID, Title: k.Title, Department: departmentName(names, k.Department),
			Type: k.MessageType, Received: k.Received.In(minyi.ChinaTime), Due: k.Due.In(minyi.ChinaTime), Rung: k.Rung})
	}
	slices.SortStableFunc(out, func(a, b CaseItem) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// departmentName is a department's configured name, its id without one,
// and 待交办 for the cases no department holds.
func departmentName(names map[string]string, id string) string {
	switch {
	case id == "":
		return minyi.CaseRouting.Label()
	case names[id] != "":
		return names[id]
	}
	return id
}

// maxEventCases bounds the cases an event's report reads one by one.
const maxEventCases = 1000

// eventCases reports on the cases opened for the documents of a special
// report's event: those open at its end or closed within its period,
// counted per department as the statistics count them, judged at the
// report's time.
func (g *generator) eventCases(ctx context.Context) error {
	r := g.r
	linked, err := g.deps.Events.EventCases(ctx, r.Event, r.To, r.From, maxEventCases)
	if err != nil {
		return fmt.Errorf("report: cases of event %s: %w", r.Event, err)
	}
	names := make(map[string]string, len(g.deps.Departments))
	for _, d := range g.deps.Departments {
		names[d.ID] = d.Name
	}
	c := &Cases{Departments: []DepartmentRow{}, OverdueCases: []CaseItem{}}
	byDept := map[string]*minyi.DepartmentStats{}
	var order []string
	for _, l := range linked {
		k, err := g.deps.Cases.Case(ctx, l.ID)
		if minyi.ErrorCode(err) == minyi.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("report: case %s: %w", l.ID, err)
		}
		if k.Department == "" {
			c.Unrouted++
			continue
		}
		s := byDept[k.Department]
		if s == nil {
			s = &minyi.DepartmentStats{Department: k.Department}
			byDept[k.Department] = s
			order = append(order, k.Department)
		}
		s.Received++
		answered := !k.Answered.IsZero()
		if answered {
			s.Answered++
		}
		if !k.Due.IsZero() && k.Due.Before(r.Generated) {
			s.Due++
			if answered && k.OnTime {
				s.AnsweredOnTime++
			}
		}
		if k.Status == minyi.CaseOpen {
			s.Open++
		}
		if k.Overdue(r.Generated) {
			s.Overdue++
			c.OverdueCases = append(c.OverdueCases, CaseItem{ID: k.ID, Title: k.Title, Department: departmentName(names, k.Department),
				Type: k.MessageType, Received: k.Received.In(minyi.ChinaTime), Due: k.Due.In(minyi.ChinaTime), Rung: k.Rung})
		}
	}
	stats := make([]minyi.DepartmentStats, 0, len(order))
	for _, id := range order {
		stats = append(stats, *byDept[id])
	}
	c.addDepartments(stats, names)
	slices.SortStableFunc(c.OverdueCases, func(a, b CaseItem) int { return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID)) })
	c.OverdueCases = c.OverdueCases[:min(len(c.OverdueCases), overdueCasesListed)]
	c.ResponseRate = minyi.Ratio(c.Answered, c.Received)
	c.OnTimeRate = minyi.Ratio(c.AnsweredOnTime, c.Due)
	r.Cases = c
	return nil
}

// addDepartments adds the departments' figures to the totals and lists
// them, most received first.
func (c *Cases) addDepartments(stats []minyi.DepartmentStats, names map[string]string) {
	for _, s := range stats {
		c.Received += s.Received
		c.Answered += s.Answered
		c.Due += s.Due
		c.AnsweredOnTime += s.AnsweredOnTime
		c.Open += s.Open
		c.Overdue += s.Overdue
		c.Departments = append(c.Departments, DepartmentRow{DepartmentStats: s.WithRates(), Name: departmentName(names, s.Department)})
	}
	slices.SortStableFunc(c.Departments, func(a, b DepartmentRow) int {
		return cmp.Or(b.Received-a.Received, b.Overdue-a.Overdue, cmp.Compare(a.Department, b.Department))
	})
}
