package texts

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzRead(f *testing.F) {
	f.Add("好\n差\r\n", false)
	f.Add("id,text\n1,\"多\n行\"\n2,好\n", true)
	f.Add("id,text\n1,\"坏\n", true)
	f.Add("\xff\xfe\n", false)
	f.Fuzz(func(t *testing.T, in string, csv bool) {
		format := Format{}
		if csv {
			format = Format{CSV: true, Column: "text"}
		}
		last := 0
		_ = Read(strings.NewReader(in), format, func(r Record) error {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
			if !csv && strings.Contains(r.Text, "\n") {
				t.Fatalf("a line holds a newline: %q", r.Text)
			}
			if !utf8.ValidString(r.Text) || !utf8.ValidString(r.Title) {
				t.Fatalf("invalid UTF-8 passed on: %q", r.Text)
			}
			return nil
		})
	})
}
