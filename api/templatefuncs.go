package api

import (
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"minyi"
)

// templateFuncs are what pages may call. Everything a template prints goes
// through html/template's escaping: text from posts is data, never markup.
var templateFuncs = template.FuncMap{
	"t":  label,
	"tf": labelf,
	// datetime and date show an instant in China time, as users read it.
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return label("common.none")
		}
		return t.In(minyi.ChinaTime).Format("2006-01-02 15:04")
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return label("common.none")
		}
		return t.In(minyi.ChinaTime).Format("2006-01-02")
	},
	// rate shows a share as a percentage, and a rate that was not measured
	// (nil: its denominator is zero) as "—", never as 0.
	"rate": func(r *float64) string {
		if r == nil {
			return label("common.none")
		}
		return fmt.Sprintf("%.1f%%", *r*100)
	},
	// chartJSON is data for a chart, put in a data- attribute and read by
	// static/app.js; attribute escaping keeps it inert.
	"chartJSON": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	// auditAction names an audit log action in words.
	"auditAction": func(a string) string {
		if l, ok := labels["audit.action."+a]; ok {
			return l[lang]
		}
		return a
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
}
