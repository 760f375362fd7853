package minyi

import "time"

// AlertRule says when negative volume is a spike: at least MinCount
// negative documents in the last Window, and more than Factor times the
// mean of the BaselineWindows windows before it.
type AlertRule struct {
	Window          time.Duration `yaml:"window"`
	BaselineWindows int           `yaml:"baseline_windows"`
	Factor          float64       `yaml:"factor"`
	MinCount        int           `yaml:"min_count"`
}

// DefaultAlertRule: an hour against the day before it.
var DefaultAlertRule = AlertRule{Window: time.Hour, BaselineWindows: 24, Factor: 2, MinCount: 3}

// Validate rejects a rule that would alert on nothing or on everything.
func (r AlertRule) Validate() error {
	switch {
	case r.Window < time.Minute:
		return Errorf(EINVALID, "alert window must be at least a minute, not %s", r.Window)
	case r.BaselineWindows < 1 || r.BaselineWindows > 24*28:
		return Errorf(EINVALID, "baseline_windows must be between 1 and %d", 24*28)
	case r.Factor < 1:
		return Errorf(EINVALID, "alert factor must be 1 or more, not %g", r.Factor)
	case r.MinCount < 1:
		return Errorf(EINVALID, "alert min_count must be 1 or more")
	}
	return nil
}

// Spike applies the rule to a window's count and the counts of the
// baseline windows before it, returning their mean for the explanation.
func (r AlertRule) Spike(count int, baseline []int) (mean float64, spike bool) {
	if len(baseline) > 0 {
		sum := 0
		for _, n := range baseline {
			sum += n
		}
		mean = float64(sum) / float64(len(baseline))
	}
	return mean, count >= r.MinCount && float64(count) > r.Factor*mean
}
