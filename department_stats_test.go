package minyi_test

import (
	"testing"

	"minyi"
)

func TestDepartmentStatsWithRates(t *testing.T) {
	d := minyi.DepartmentStats{Received: 4, Answered: 3, Due: 2, AnsweredOnTime: 1, Returned: 1}.WithRates()
	for name, c := range map[string]struct {
		got  *float64
		want float64
	}{
		"response": {d.ResponseRate, 0.75}, "on time": {d.OnTimeRate, 0.5}, "return": {d.ReturnRate, 0.25},
	} {
		if c.got == nil || *c.got != c.want {
			t.Errorf("%s rate = %v, want %v", name, c.got, c.want)
		}
	}
	if d.SatisfactionRate != nil {
		t.Errorf("satisfaction rate of nothing rated = %v, want nil (not measured)", *d.SatisfactionRate)
	}
}
