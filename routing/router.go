// Package routing decides which department answers a message (交办): the
// routing rules of the config, by priority, with a fallback department
// (兜底) for the rest; the message type when the source gives none; and,
// in the Directory, the departments, their regions and the department a
// reply published on a source site came from.
//
// Routing does no I/O, reads no clock and iterates no map. Replace swaps
// in a new config at once for every caller (the admin pages edit the rules
// while the server runs); each call routes by one config from start to end.
// Because of Replace, workflows route through an activity, never directly.
package routing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"minyi"
	"minyi/analysis"
)

// Config is the routing section of the config file.
type Config struct {
	Departments []minyi.Department  `json:"departments" yaml:"departments"`
	Rules       []minyi.RoutingRule `json:"rules" yaml:"rules"`
	Fallback    string              `json:"fallback" yaml:"fallback"` // department id (兜底)
}

// FallbackRule is the Routing.Rule of a message no rule matched.
const FallbackRule = "fallback"

// table is one validated Config, its rules compiled against its
// directory, ready to route by; it never changes.
type table struct {
	dir      *Directory
	rules    []rule // by descending priority, ties in config order
	fallback string
}

// rule is a RoutingRule with its text conditions folded once, up front.
type rule struct {
	minyi.RoutingRule
	keywords   []string // folded, parallel to Keywords
	regions    []string // folded, parallel to Regions
	categories []string // folded, parallel to Categories
}

// New validates cfg and builds a Router. Every problem is reported at once,
// as minyi.EINVALID naming the offending department or rule.
func New(cfg Config) (*Router, error) {
	t, err := build(cfg)
	if err != nil {
		return nil, err
	}
	r := &Router{}
	r.t.Store(t)
	return r, nil
}

func build(cfg Config) (*table, error) {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	t := &table{dir: newDirectory(cfg.Departments, bad), fallback: cfg.Fallback}
	ruleNames := map[string]bool{}
	for i, rl := range cfg.Rules {
		where := fmt.Sprintf("rule %d", i+1)
		if strings.TrimSpace(rl.Name) != "" {
			where = fmt.Sprintf("rule %d %q", i+1, rl.Name)
		}
		switch {
		case strings.TrimSpace(rl.Name) == "":
			bad("%s has no name; the name is what a case shows as the reason it was routed", where)
		case rl.Name == FallbackRule:
			bad("%s: the name %q is reserved for the fallback", where, FallbackRule)
		case ruleNames[rl.Name]:
			bad("%s: another rule has the same name", where)
		}
		ruleNames[rl.Name] = true
		if !t.dir.has(rl.Department) {
			bad("%s: department %q does not exist", where, rl.Department)
		}
		if len(rl.Categories)+len(rl.Keywords)+len(rl.Regions)+len(rl.Sources)+len(rl.Types) == 0 {
			bad("%s sets no condition; it would take every message, which is what fallback is for", where)
		}
		c := rule{RoutingRule: rl}
		c.Sources = slices.Clone(rl.Sources)
		c.Types = slices.Clone(rl.Types)
		c.Categories = slices.Clone(rl.Categories)
		c.Keywords = slices.Clone(rl.Keywords)
		c.Regions = slices.Clone(rl.Regions)
		c.keywords = foldAll(where, "keyword", rl.Keywords, bad)
		c.regions = foldAll(where, "region", rl.Regions, bad)
		c.categories = foldAll(where, "category", rl.Categories, bad)
		foldAll(where, "source", rl.Sources, bad)
		for _, mt := range rl.Types {
			if !slices.Contains(minyi.MessageTypes, mt) {
				bad("%s: unknown message type %q (want one of 咨询 求助 建议 投诉 举报 信访)", where, mt)
			}
		}
		t.rules = append(t.rules, c)
	}
	// SortStableFunc keeps config order among equal priorities.
	slices.SortStableFunc(t.rules, func(a, b rule) int { return cmp.Compare(b.Priority, a.Priority) })

	switch {
	case cfg.Fallback == "":
		bad("no fallback department: set fallback to the id of the department that takes unmatched messages (兜底)")
	case !t.dir.has(cfg.Fallback):
		bad("fallback department %q does not exist", cfg.Fallback)
	}

	if len(errs) > 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "routing config: %s", strings.Join(errs, "; "))
	}
	return t, nil
}

// foldAll folds a rule's condition values; an empty value would match
// everything (every text contains ""), so it is an error.
func foldAll(where, what string, values []string, bad func(string, ...any)) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = analysis.Fold(strings.TrimSpace(v))
		if out[i] == "" {
			bad("%s has an empty %s", where, what)
		}
	}
	return out
}
