package httpx

import (
	"net/url"
	"testing"
	"time"

	"minyi"
)

func TestQueryParams(t *testing.T) {
	p := &Query{values: url.Values{"q": {"  拆迁补偿 "}, "n": {"7"}, "b": {"1"}, "day": {"2026-11-23"},
		"kind": {"post"}}}
	if got := p.String("q"); got != "拆迁补偿" {
		t.Errorf("String = %q", got)
	}
	if got := p.Int("n"); got != 7 {
		t.Errorf("Int = %d", got)
	}
	if got := p.Bool("b"); got == nil || !*got {
		t.Errorf("Bool = %v", got)
	}
	if got := p.Bool("absent"); got != nil {
		t.Errorf("absent Bool = %v", *got)
	}
	if got, want := p.Time("day", true), time.Date(2026, 11, 24, 0, 0, 0, 0, minyi.ChinaTime); !got.Equal(want) {
		t.Errorf("upper Time = %v, want the next midnight %v", got, want)
	}
	if got := p.OneOf("kind", "", "post", "message"); got != "post" {
		t.Errorf("OneOf = %q", got)
	}
	if got := p.OneOf("absent", "day", "day", "week"); got != "day" {
		t.Errorf("absent OneOf = %q, want the default", got)
	}
	if p.Err() != nil {
		t.Fatalf("unexpected error %v", p.Err())
	}

	// The first bad parameter is the error, and it is a 400.
	bad := &Query{values: url.Values{"page": {"二"}, "kind": {"tweet"}}}
	bad.Int("page")
	bad.OneOf("kind", "", "post", "message")
	if got := minyi.ErrorMessage(bad.Err()); got != `page must be a whole number, got "二"` {
		t.Errorf("error %q", got)
	}
	if minyi.ErrorCode(bad.Err()) != minyi.EINVALID {
		t.Errorf("code %q", minyi.ErrorCode(bad.Err()))
	}
}
