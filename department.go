package minyi

import "time"

// Department is a unit that answers cases (承办单位).
type Department struct {
	ID      string   `json:"id" yaml:"id"`
	Name    string   `json:"name" yaml:"name"`
	Parent  string   `json:"parent,omitempty" yaml:"parent"`
	Regions []string `json:"regions,omitempty" yaml:"regions"` // regions or grids it covers
	// Where its notifications go; contact data of the department, not of citizens.
	Webhook       string   `json:"-" yaml:"webhook"`
	WebhookFormat string   `json:"-" yaml:"webhook_format"` // json | wecom | dingtalk
	Email         []string `json:"-" yaml:"email"`
	HeadEmail     []string `json:"-" yaml:"head_email"` // department head, copied on 督办
}

// RoutingRule sends matching messages to a department. Rules are tried by
// descending Priority; the first match wins; the fallback department takes
// the rest (兜底).
type RoutingRule struct {
	Name       string        `json:"name" yaml:"name"`
	Priority   int           `json:"priority" yaml:"priority"`
	Department string        `json:"department" yaml:"department"`
	Categories []string      `json:"categories,omitempty" yaml:"categories"` // any of these first-level categories
	Keywords   []string      `json:"keywords,omitempty" yaml:"keywords"`     // any of these in title or body
	Regions    []string      `json:"regions,omitempty" yaml:"regions"`       // any of these regions
	Sources    []string      `json:"sources,omitempty" yaml:"sources"`       // only messages from these sources
	Types      []MessageType `json:"types,omitempty" yaml:"types"`           // only these message types
	// Posts makes the rule open a case for a matching forum post too; every
	// message opens one anyway.
	Posts bool `json:"posts,omitempty" yaml:"posts"`
}

// DepartmentEscalation is a notice to a department as a whole, opened by the
// audit when its reply figures fall below a threshold.
type DepartmentEscalation struct {
	Key        string    `json:"key"` // unique: department, rung and audit window
	Department string    `json:"department"`
	Rung       Rung      `json:"rung"` // RungSupervise (督办) or RungNotice (通报)
	At         time.Time `json:"at"`
	OnTimeRate float64   `json:"on_time_rate"`
	Reason     string    `json:"reason"`
}
