package minyi_test

import (
	"testing"
	"time"

	"minyi"
)

func TestSpikeBaselineMath(t *testing.T) {
	r := minyi.AlertRule{Window: time.Hour, BaselineWindows: 4, Factor: 2, MinCount: 3}
	for _, c := range []struct {
		count    int
		baseline []int
		mean     float64
		spike    bool
	}{
		{12, []int{2, 2, 3, 1}, 2, true},
		{4, []int{2, 2, 2, 2}, 2, false}, // twice the mean is not above it
		{5, []int{2, 2, 2, 2}, 2, true},
		{2, []int{0, 0, 0, 0}, 0, false}, // below min_count however quiet the baseline
		{3, []int{0, 0, 0, 0}, 0, true},
		{3, nil, 0, true},
		{30, []int{20, 10, 15, 15}, 15, false},
	} {
		mean, spike := r.Spike(c.count, c.baseline)
		if mean != c.mean || spike != c.spike {
			t.Errorf("Spike(%d, %v) = %g, %v; want %g, %v", c.count, c.baseline, mean, spike, c.mean, c.spike)
		}
	}
}

func TestRuleValidate(t *testing.T) {
	if err := minyi.DefaultAlertRule.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []minyi.AlertRule{
		{Window: time.Second, BaselineWindows: 24, Factor: 2, MinCount: 3},
		{Window: time.Hour, BaselineWindows: 0, Factor: 2, MinCount: 3},
		{Window: time.Hour, BaselineWindows: 24, Factor: 0.5, MinCount: 3},
		{Window: time.Hour, BaselineWindows: 24, Factor: 2, MinCount: 0},
	} {
		if minyi.ErrorCode(r.Validate()) != minyi.EINVALID {
			t.Errorf("%+v accepted", r)
		}
	}
}
