package portal

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"minyi"
)

// FuzzChallenge: a token parses only when its signature is the portal's
// for its payload, and neither parsing nor solving panics.
func FuzzChallenge(f *testing.F) {
	p := &Portal{Now: time.Now}
	p.secret = []byte("fuzz-secret")
	p.seen = newNonces(10)
	f.Add(p.newChallenge().Token)
	for _, s := range []string{"", ".", "MS4yLjMuNA.", "MS4yLjMuNA.AAAAAAAAAAAAAAAAAAAAAA", strings.Repeat("A", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if _, err := p.parseChallenge(token); err == nil {
			enc, sig, _ := strings.Cut(token, ".")
			raw, _ := base64.RawURLEncoding.DecodeString(enc)
			if p.sign(string(raw)) != sig {
				t.Fatalf("token %q parsed without the portal's signature", token)
			}
		}
		p.solve(token, "7")
	})
}

// FuzzMask: masking never panics, keeps UTF-8 valid, and leaves no run of
// seven digits (a phone, an ID or card number) in what it returns.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"我叫王小明，电话13812345678", "身份证110101199003077777", "邮箱 a.b@example.com",
		"2026年12月7日 100元", "028-85123456", "姓名：李四", "1 3 8 1 2 3 4 5 6 7 8", ""} {
		f.Add(s, "王小明", "13812345678")
	}
	f.Fuzz(func(t *testing.T, text, name, phone string) {
		if !utf8.ValidString(text) {
			return // letters are UTF-8 by the time they are stored
		}
		out := mask(text, &minyi.Contact{Name: name, Phone: phone})
		if !utf8.ValidString(out) {
			t.Fatalf("mask made %q invalid UTF-8", out)
		}
		run := 0
		for _, r := range out {
			switch {
			case r >= '0' && r <= '9':
				if run++; run >= 7 {
					t.Fatalf("seven digits left in %q (from %q)", out, text)
				}
			case r != '-' && r != ' ':
				run = 0
			}
		}
	})
}
