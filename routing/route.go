package routing

import (
	"fmt"
	"slices"
	"strings"

	"minyi"
	"minyi/analysis"
)

// Input is what routing looks at in a message.
type Input struct {
	Title, Body string
	Category    string // first-level category from the classifier, if any
	Region      string // region the source or DetectRegion gave, if any
	Source      string
	Kind        minyi.Kind // "" is taken as a message
	Type        minyi.MessageType
	// Exclude lists departments that returned the case (回退): routing
	// sends it elsewhere.
	Exclude []string
}

// Route picks the department for a message.
//
// Rules are tried by descending priority, ties in config order; a rule
// matches when every condition it sets matches (within a condition, any one
// value is enough). Text conditions compare folded text, so a message in
// traditional characters matches simplified keywords. A rule whose
// department is in in.Exclude is passed over and the next one tried.
//
// A message no rule takes goes to the fallback department (rule
// FallbackRule). A forum post is only routed by rules with Posts set and
// never falls back: ok is false when none takes it, meaning the post opens
// no case. ok is also false when the fallback itself is excluded: every
// candidate has returned the case and a supervisor must reassign it.
//
// Routing.At is left zero for the caller to stamp: the router has no clock.
func (r *table) Route(in Input) (minyi.Routing, bool) {
	text := analysis.Fold(in.Title + "\n" + in.Body)
	post := in.Kind == minyi.KindPost
	var skipped []string
	for i := range r.rules {
		rl := &r.rules[i]
		if post && !rl.Posts {
			continue
		}
		why, ok := rl.match(in, text)
		if !ok {
			continue
		}
		if slices.Contains(in.Exclude, rl.Department) {
			skipped = appendOnce(skipped, rl.Department)
			continue
		}
		return r.routing(rl.Department, rl.Name, why, skipped), true
	}
	if post || slices.Contains(in.Exclude, r.fallback) {
		return minyi.Routing{}, false
	}
	return r.routing(r.fallback, FallbackRule, "无规则匹配，兜底 (no rule matched, fallback)", skipped), true
}

func (r *table) routing(dept, ruleName, why string, skipped []string) minyi.Routing {
	reason := why + " → " + r.dir.name(dept)
	if len(skipped) > 0 {
		names := make([]string, len(skipped))
		for i, id := range skipped {
			names[i] = r.dir.name(id)
		}
		reason += "；已跳过回退单位 (skipped, returned the case): " + strings.Join(names, "、")
	}
	return minyi.Routing{Department: dept, Rule: ruleName, Reason: reason}
}

// match tells whether every condition the rule sets holds, and says which
// value of each condition matched.
func (rl *rule) match(in Input, text string) (string, bool) {
	var why []string
	if len(rl.Sources) > 0 {
		i := slices.Index(rl.Sources, in.Source)
		if i < 0 {
			return "", false
		}
		why = append(why, fmt.Sprintf("来源 %q (source)", rl.Sources[i]))
	}
	if len(rl.Types) > 0 {
		i := slices.Index(rl.Types, in.Type)
		if i < 0 {
			return "", false
		}
		why = append(why, fmt.Sprintf("类型 %q (type)", rl.Types[i]))
	}
	if len(rl.categories) > 0 {
		cat := analysis.Fold(strings.TrimSpace(in.Category))
		i := slices.Index(rl.categories, cat)
		if cat == "" || i < 0 {
			return "", false
		}
		why = append(why, fmt.Sprintf("类别 %q (category)", rl.Categories[i]))
	}
	if len(rl.regions) > 0 {
		reg := analysis.Fold(strings.TrimSpace(in.Region))
		i := slices.IndexFunc(rl.regions, func(r string) bool { return r == reg || strings.Contains(text, r) })
		if i < 0 {
			return "", false
		}
		why = append(why, fmt.Sprintf("区域 %q (region)", rl.Regions[i]))
	}
	if len(rl.keywords) > 0 {
		i := slices.IndexFunc(rl.keywords, func(k string) bool { return strings.Contains(text, k) })
		if i < 0 {
			return "", false
		}
		why = append(why, fmt.Sprintf("关键词 %q (keyword)", rl.Keywords[i]))
	}
	return strings.Join(why, " + "), true
}

func appendOnce(xs []string, x string) []string {
	if slices.Contains(xs, x) {
		return xs
	}
	return append(xs, x)
}
