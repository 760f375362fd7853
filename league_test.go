package minyi_test

import (
	"slices"
	"testing"

	"minyi"
)

func dept(id string, received, due int, onTime, response, satisfaction float64) minyi.DepartmentStats {
	d := minyi.DepartmentStats{Department: id, Received: received, Due: due,
		ResponseRate: &response, SatisfactionRate: &satisfaction}
	if due > 0 {
		d.OnTimeRate = &onTime // nothing fell due: not measured
	}
	return d
}

func ids(stats []minyi.DepartmentStats) []string {
	out := []string{}
	for _, s := range stats {
		out = append(out, s.Department)
	}
	return out
}

func TestRankDepartments(t *testing.T) {
	tests := []struct {
		name       string
		stats      []minyi.DepartmentStats
		n          int
		red, black []string
	}{
		{
			name: "on-time rate decides first",
			stats: []minyi.DepartmentStats{
				dept("a", 10, 10, 0.5, 1, 1), dept("b", 10, 10, 0.9, 0.5, 0), dept("c", 10, 10, 0.7, 1, 1),
				dept("d", 10, 10, 0.1, 1, 1), dept("e", 10, 10, 0.3, 1, 1), dept("f", 10, 10, 1, 0.2, 0),
			},
			n: 2, red: []string{"f", "b"}, black: []string{"d", "e"},
		},
		{
			name: "ties broken by response, satisfaction, received, id",
			stats: []minyi.DepartmentStats{
				dept("resp-low", 10, 10, 0.8, 0.5, 1), dept("resp-high", 10, 10, 0.8, 0.9, 0),
				dept("sat-high", 10, 10, 0.8, 0.7, 0.9), dept("sat-low", 10, 10, 0.8, 0.7, 0.1),
				dept("big", 50, 10, 0.6, 0.6, 0.6), dept("small", 5, 10, 0.6, 0.6, 0.6),
				dept("id-b", 5, 5, 0.2, 0.2, 0.2), dept("id-a", 5, 5, 0.2, 0.2, 0.2),
			},
			n:     4,
			red:   []string{"resp-high", "sat-high", "sat-low", "resp-low"},
			black: []string{"id-b", "id-a", "small", "big"},
		},
		{
			name: "no due cases: response rate stands in, later keys ignored",
			stats: []minyi.DepartmentStats{
				dept("measured", 10, 10, 0.8, 0.8, 0.5),
				// 0% on time would be black-listed; nothing fell due, so its 95% response counts.
				dept("fresh", 3, 0, 0, 0.95, 0),
				dept("fresh-silent", 3, 0, 0, 0.1, 1),
				dept("late", 10, 10, 0.3, 1, 1),
				// Same primary rate as "measured": the measured on-time rate wins,
				// and satisfaction/load do not lift a stand-in.
				dept("fresh-tie", 100, 0, 0, 0.8, 1),
				dept("zz", 1, 1, 0.05, 0, 0),
			},
			n: 3, red: []string{"fresh", "measured", "fresh-tie"}, black: []string{"zz", "fresh-silent", "late"},
		},
		{
			name: "fewer than 2n departments: halves, middle on neither",
			stats: []minyi.DepartmentStats{
				dept("a", 1, 1, 1, 1, 1), dept("b", 1, 1, 0.8, 1, 1), dept("c", 1, 1, 0.6, 1, 1),
				dept("d", 1, 1, 0.4, 1, 1), dept("e", 1, 1, 0.2, 1, 1),
			},
			n: 5, red: []string{"a", "b"}, black: []string{"e", "d"},
		},
		{
			name:  "one department is on neither list",
			stats: []minyi.DepartmentStats{dept("only", 5, 5, 1, 1, 1)},
			n:     5, red: nil, black: nil,
		},
		{
			name:  "unrouted cases are not a department",
			stats: []minyi.DepartmentStats{dept("", 9, 9, 0, 0, 0), dept("a", 1, 1, 1, 1, 1), dept("b", 1, 1, 0, 0, 0)},
			n:     5, red: []string{"a"}, black: []string{"b"},
		},
		{name: "n of zero", stats: []minyi.DepartmentStats{dept("a", 1, 1, 1, 1, 1), dept("b", 1, 1, 0, 0, 0)}, n: 0},
		{name: "empty", n: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.stats)
			red, black := minyi.RankDepartments(tt.stats, tt.n)
			if got := ids(red); !slices.Equal(got, orEmpty(tt.red)) {
				t.Errorf("red = %v, want %v", got, tt.red)
			}
			if got := ids(black); !slices.Equal(got, orEmpty(tt.black)) {
				t.Errorf("black = %v, want %v", got, tt.black)
			}
			for _, r := range red {
				if slices.Contains(ids(black), r.Department) {
					t.Errorf("%s is on both lists", r.Department)
				}
			}
			if !slices.Equal(before, tt.stats) {
				t.Errorf("input was reordered or modified")
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
