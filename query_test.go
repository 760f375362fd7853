package minyi

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []QueryClause
	}{
		{"停车", []QueryClause{{Text: "停车"}}},
		{"  小区  停车\t难 ", []QueryClause{{Text: "小区"}, {Text: "停车"}, {Text: "难"}}},
		{`"拆迁 补偿" 款`, []QueryClause{{Text: "拆迁 补偿", Phrase: true}, {Text: "款"}}},
		{"“噪声扰民”", []QueryClause{{Text: "噪声扰民", Phrase: true}}},
		{"“噪声扰民“", []QueryClause{{Text: "噪声扰民", Phrase: true}}},
		{"学校 -培训", []QueryClause{{Text: "学校"}, {Text: "培训", Exclude: true}}},
		{"学校 －培训", []QueryClause{{Text: "学校"}, {Text: "培训", Exclude: true}}},
		{`医疗 -"民营 医院"`, []QueryClause{{Text: "医疗"}, {Text: "民营 医院", Phrase: true, Exclude: true}}},
		{`停车"难"`, []QueryClause{{Text: "停车"}, {Text: "难", Phrase: true}}},
		{"covid-19", []QueryClause{{Text: "covid-19"}}},
		{"社区\u3000环境", []QueryClause{{Text: "社区"}, {Text: "环境"}}},
	}
	for _, tt := range tests {
		got, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"empty", "", "empty"},
		{"blank", " \t\u3000", "empty"},
		{"unbalanced", `"拆迁补偿`, "not closed"},
		{"unbalanced cn", "学校 “噪声", "not closed"},
		{"only exclusions", "-拆迁 -补偿", "only excludes"},
		{"bare dash", "拆迁 - 补偿", "'-'"},
		{"trailing dash", "拆迁 -", "'-'"},
		{"empty quotes", `拆迁 ""`, "enclose nothing"},
		{"too long", strings.Repeat("拆", MaxQueryRunes+1), "at most"},
		{"too many clauses", strings.Repeat("词 ", MaxQueryClauses+1), "more than"},
		{"invalid utf8", "拆迁\xff", "UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: ParseQuery(%q) error = %v, want code %s", tt.name, tt.in, err, EINVALID)
			continue
		}
		if !strings.Contains(ErrorMessage(err), tt.msg) {
			t.Errorf("%s: message %q does not mention %q", tt.name, ErrorMessage(err), tt.msg)
		}
	}
}

func TestParseQueryLimitsAreInclusive(t *testing.T) {
	if _, err := ParseQuery(strings.Repeat("拆", MaxQueryRunes)); err != nil {
		t.Errorf("query of exactly MaxQueryRunes: %v", err)
	}
	if _, err := ParseQuery(strings.TrimSpace(strings.Repeat("词 ", MaxQueryClauses))); err != nil {
		t.Errorf("query of exactly MaxQueryClauses: %v", err)
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		clauses, err := ParseQuery(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseQuery(%q): error code %q, want %q", s, ErrorCode(err), EINVALID)
			}
			return
		}
		if len(clauses) == 0 || len(clauses) > MaxQueryClauses {
			t.Fatalf("ParseQuery(%q): %d clauses", s, len(clauses))
		}
		included := false
		for _, c := range clauses {
			if c.Text == "" || !utf8.ValidString(c.Text) {
				t.Fatalf("ParseQuery(%q): clause with bad text %+v", s, c)
			}
			included = included || !c.Exclude
		}
		if !included {
			t.Fatalf("ParseQuery(%q): only exclusions accepted", s)
		}
	})
}
