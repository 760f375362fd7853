package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// templateFuncs are what pages may call. Everything a template prints goes
// through html/template's escaping: text from posts is data, never markup.
var templateFuncs = template.FuncMap{
	"t":    labels.T,
	"tf":   labels.Tf,
	"join": strings.Join,
	// datetime and date show an instant in China time, as users read it.
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return labels.T("common.none")
		}
		return t.In(minyi.ChinaTime).Format("2006-01-02 15:04")
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return labels.T("common.none")
		}
		return t.In(minyi.ChinaTime).Format("2006-01-02")
	},
	// rate shows a share as a percentage, and a rate that was not measured
	// (nil: its denominator is zero) as "—", never as 0.
	"rate": func(r *float64) string {
		if r == nil {
			return labels.T("common.none")
		}
		return fmt.Sprintf("%.1f%%", *r*100)
	},
	// chartJSON is data for a chart, put in a data- attribute and read by
	// static/core.js; attribute escaping keeps it inert.
	"chartJSON": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// auditAction names an audit log action in words.
	"auditAction": actionLabel,
	"add":         func(a, b int) int { return a + b },
	"isIncident":  minyi.IsIncident,
	"incidentRow": func(in minyi.Incident, ds []minyi.Department, now time.Time) incidentRow {
		return incidentRow{Incident: in, Departments: ds, Now: now}
	},
	// has reports whether list holds v, e.g. a filter value among the options.
	"has": func(list []string, v string) bool { return slices.Contains(list, v) },
	// sentimentList is the sentiments in the order pages show them.
	"sentimentList": func() []minyi.Sentiment { return core.Sentiments },
	// sentClass is a CSS class for a sentiment's colour.
	"sentClass": func(s minyi.Sentiment) string {
		switch s {
		case minyi.SentimentPositive:
			return "pos"
		case minyi.SentimentNegative:
			return "neg"
		}
		return "neu"
	},
	"addDays": func(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) },
	// deptName names a department id, or shows the id of an unknown one.
	"deptName": func(ds []minyi.Department, id string) string {
		for _, d := range ds {
			if d.ID == id {
				return d.Name
			}
		}
		return id
	},
	"ratio":   func(a, b int) float64 { return float64(a) / float64(b) },
	"percent": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	// percent1 keeps a decimal, where a point of accuracy matters.
	"percent1": func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
	"sub":      func(a, b int) int { return a - b },
}

// actionLabel names an audit log action in words.
func actionLabel(a string) string {
	if l, ok := labels.Lookup("audit.action." + a); ok {
		return l
	}
	return a
}
