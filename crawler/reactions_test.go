package crawler

import (
	"testing"

	"minyi"
)

func TestCount(t *testing.T) {
	for in, want := range map[string]int{
		"":                  0,
		"0":                 0,
		"12":                12,
		"1,208":             1208,
		"（35）":              35,
		"点赞：１２３":            123,
		"支持 1.2万":           12000,
		"反对(3) 收藏(9)":       3,
		"暂无":                0,
		"99999999999999999": minyi.MaxReactions,
		"1.2.3":             0,
	} {
		if got := count(in); got != want {
			t.Errorf("count(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzCount: any text gives a count a document may hold.
func FuzzCount(f *testing.F) {
	for _, s := range []string{"1,208", "点赞：１２３", "1.2万", "9e99", "NaN", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n := count(s); n < 0 || n > minyi.MaxReactions {
			t.Fatalf("count(%q) = %d", s, n)
		}
	})
}
