// Package httpx holds what every audience of the HTTP layer reads a
// request with: the query-string binder whose errors the one error writer
// turns into a 400.
package httpx

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
)

// Query binds a request's query string. Every /api handler, and the
// pages that share their parsing, read parameters through it, so each kind
// of parameter is trimmed, parsed and refused in one way, as the contract
// (openapi.yaml) describes it. The first bad parameter is kept and the
// rest read as absent; the handler returns Err(), which the one error
// writer turns into a 400.
type Query struct {
	values url.Values
	err    error
}

// Params binds c's query string.
func Params(c echo.Context) *Query {
	return &Query{values: c.QueryParams()}
}

// Err is the first parameter that could not be read, as an EINVALID error.
func (p *Query) Err() error { return p.err }

func (p *Query) fail(format string, args ...any) {
	if p.err == nil {
		p.err = minyi.Errorf(minyi.EINVALID, format, args...)
	}
}

// String is the value without surrounding space; "" when absent.
func (p *Query) String(name string) string {
	return strings.TrimSpace(p.values.Get(name))
}

// OneOf is the value if it is one of allowed, def when absent.
func (p *Query) OneOf(name, def string, allowed ...string) string {
	v := p.String(name)
	if v == "" {
		return def
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail("%s must be %s, got %q", name, orList(allowed), v)
	return def
}

// Int is a whole number; 0 when absent.
func (p *Query) Int(name string) int {
	v := p.String(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.fail("%s must be a whole number, got %q", name, v)
	}
	return n
}

// Bool is true or false (also 1/0, t/f); nil when absent.
func (p *Query) Bool(name string) *bool {
	v := p.String(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail("%s must be true or false, got %q", name, v)
		return nil
	}
	return &b
}

// Time accepts a day (2006-01-02, China time) or an RFC 3339 instant; zero
// when absent. A day given as the upper bound includes that whole day.
func (p *Query) Time(name string, upper bool) time.Time {
	v := p.String(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, minyi.ChinaTime); err == nil {
		if upper {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	p.fail("%s must be a date like 2026-11-23 or a time like 2026-11-23T08:00:00+08:00, got %q", name, v)
	return time.Time{}
}

// Date is a day (China time) only; zero when absent.
func (p *Query) Date(name string) time.Time {
	v := p.String(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, v, minyi.ChinaTime)
	if err != nil {
		p.fail("%s must be a date like 2026-11-01, got %q", name, v)
	}
	return t
}

// orList writes a, b or c.
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
