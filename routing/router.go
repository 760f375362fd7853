// Package routing decides which department answers a message (交办): the
// routing rules of the config, by priority, with a fallback department
// (兜底) for the rest; the message type when the source gives none; and the
// department a reply published on a source site came from.
//
// A Router does no I/O, reads no clock and iterates no map. Replace swaps
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

// table is one validated Config, ready to route by; it never changes.
type table struct {
	departments []minyi.Department
	byID        map[string]int
	rules       []rule // by descending priority, ties in config order
	fallback    string
	regions     []region // for DetectRegion, longest first
}

// rule is a RoutingRule with its text conditions folded once, up front.
type rule struct {
	minyi.RoutingRule
	keywords   []string // folded, parallel to Keywords
	regions    []string // folded, parallel to Regions
	categories []string // folded, parallel to Categories
}

type region struct{ name, folded string }

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

	r := &table{byID: map[string]int{}, fallback: cfg.Fallback}
	names := map[string]string{} // folded name -> id
	for i, d := range cfg.Departments {
		where := fmt.Sprintf("department %d", i+1)
		if strings.TrimSpace(d.ID) != "" {
			where = fmt.Sprintf("department %q", d.ID)
		}
		switch {
		case strings.TrimSpace(d.ID) == "":
			bad("%s (%q) has no id", where, d.Name)
			continue
		case d.ID != strings.TrimSpace(d.ID):
			bad("%s: id has leading or trailing spaces", where)
		}
		if _, dup := r.byID[d.ID]; dup {
			bad("%s is defined twice", where)
			continue
		}
		if key := foldName(d.Name); key == "" {
			bad("%s has no name", where)
		} else if other, dup := names[key]; dup {
			bad("%s has the same name %q as department %q", where, d.Name, other)
		} else {
			names[key] = d.ID
		}
		for _, reg := range d.Regions {
			if strings.TrimSpace(reg) == "" {
				bad("%s has an empty region", where)
			}
		}
		d.Regions = slices.Clone(d.Regions)
		d.Email = slices.Clone(d.Email)
		d.HeadEmail = slices.Clone(d.HeadEmail)
		r.byID[d.ID] = len(r.departments)
		r.departments = append(r.departments, d)
	}
	r.checkParents(bad)

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
		if _, ok := r.byID[rl.Department]; !ok {
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
		for _, t := range rl.Types {
			if !slices.Contains(minyi.MessageTypes, t) {
				bad("%s: unknown message type %q (want one of 咨询 求助 建议 投诉 举报 信访)", where, t)
			}
		}
		r.rules = append(r.rules, c)
	}
	// SortStableFunc keeps config order among equal priorities.
	slices.SortStableFunc(r.rules, func(a, b rule) int { return cmp.Compare(b.Priority, a.Priority) })

	switch _, ok := r.byID[cfg.Fallback]; {
	case cfg.Fallback == "":
		bad("no fallback department: set fallback to the id of the department that takes unmatched messages (兜底)")
	case !ok:
		bad("fallback department %q does not exist", cfg.Fallback)
	}

	r.regions = collectRegions(r.departments)
	if len(errs) > 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "routing config: %s", strings.Join(errs, "; "))
	}
	return r, nil
}

// checkParents reports unknown parents and cycles in the department tree.
func (r *table) checkParents(bad func(string, ...any)) {
	for _, d := range r.departments {
		if d.Parent == "" {
			continue
		}
		if _, ok := r.byID[d.Parent]; !ok {
			bad("department %q: parent %q does not exist", d.ID, d.Parent)
			continue
		}
		// A walk longer than the number of departments has gone round a cycle.
		id, steps := d.ID, 0
		for id != "" && steps <= len(r.departments) {
			i, ok := r.byID[id]
			if !ok {
				break
			}
			id = r.departments[i].Parent
			steps++
		}
		if id != "" && steps > len(r.departments) {
			bad("department %q: its parent chain goes round in a cycle", d.ID)
		}
	}
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

// foldName is the form names are compared in: folded, without spaces.
func foldName(s string) string {
	return strings.Join(strings.Fields(analysis.Fold(s)), "")
}

// collectRegions lists the departments' regions once each, longest first
// (ties in config order), so "江北区新城街道" is found before "江北区".
func collectRegions(depts []minyi.Department) []region {
	var out []region
	seen := map[string]bool{}
	for _, d := range depts {
		for _, name := range d.Regions {
			f := analysis.Fold(strings.TrimSpace(name))
			if f == "" || seen[f] {
				continue
			}
			seen[f] = true
			out = append(out, region{name: name, folded: f})
		}
	}
	slices.SortStableFunc(out, func(a, b region) int { return cmp.Compare(len(b.folded), len(a.folded)) })
	return out
}

// Departments returns every department in config order.
func (r *table) Departments() []minyi.Department {
	out := make([]minyi.Department, len(r.departments))
	for i, d := range r.departments {
		out[i] = cloneDepartment(d)
	}
	return out
}

// Department returns the department with the given id.
func (r *table) Department(id string) (minyi.Department, bool) {
	i, ok := r.byID[id]
	if !ok {
		return minyi.Department{}, false
	}
	return cloneDepartment(r.departments[i]), true
}

// cloneDepartment keeps callers from editing the router's slices.
func cloneDepartment(d minyi.Department) minyi.Department {
	d.Regions = slices.Clone(d.Regions)
	d.Email = slices.Clone(d.Email)
	d.HeadEmail = slices.Clone(d.HeadEmail)
	return d
}

// ByName finds the department a name refers to, e.g. the 回复单位 of a reply
// published on a source site. In order:
//  1. the exact name;
//  2. the same name folded (traditional/simplified, width, spaces);
//  3. the department with the longest name contained in name, so
//     "临江市住建局物业科" is 市住建局 and "市公安局交警支队" is not 市公安局;
//  4. the only department whose name contains name ("住建局" → 市住建局);
//     two or more candidates are ambiguous and give false.
//
// Containment needs at least two characters on the shorter side, so that "市"
// matches nothing.
func (r *table) ByName(name string) (minyi.Department, bool) {
	for _, d := range r.departments {
		if d.Name == name {
			return cloneDepartment(d), true
		}
	}
	q := foldName(name)
	if q == "" {
		return minyi.Department{}, false
	}
	for _, d := range r.departments {
		if foldName(d.Name) == q {
			return cloneDepartment(d), true
		}
	}
	best := -1
	for i, d := range r.departments {
		n := foldName(d.Name)
		if runeCount(n) >= 2 && strings.Contains(q, n) && (best < 0 || len(n) > len(foldName(r.departments[best].Name))) {
			best = i
		}
	}
	if best >= 0 {
		return cloneDepartment(r.departments[best]), true
	}
	if runeCount(q) < 2 {
		return minyi.Department{}, false
	}
	found := -1
	for i, d := range r.departments {
		if strings.Contains(foldName(d.Name), q) {
			if found >= 0 {
				return minyi.Department{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return minyi.Department{}, false
	}
	return cloneDepartment(r.departments[found]), true
}

func runeCount(s string) int { return len([]rune(s)) }
