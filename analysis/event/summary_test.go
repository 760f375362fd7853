package event

import (
	"minyi/analysis"
	"slices"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	titles := []string{
		"投诉a2区丽发新城附近建搅拌站噪音扰民",
		"丽发新城小区附近的搅拌站噪音严重扰民",
		"a市暮云街道丽发新城社区搅拌站灰尘，噪音污染严重",
		"丽发新城小区旁建搅拌厂严重扰民",
	}
	s := Summarize(titles, NewExtractor(nil), nil)
	if len(s.Sites) == 0 || s.Sites[0] != "丽发新城" {
		t.Errorf("sites %q, want 丽发新城 first", s.Sites)
	}
	if !slices.Contains(s.Terms, "搅拌站") {
		t.Errorf("terms %q lack 搅拌站", s.Terms)
	}
	if !strings.HasPrefix(s.Title, "丽发新城：") || !strings.Contains(s.Title, "搅拌站") {
		t.Errorf("title %q", s.Title)
	}
	if !slices.Contains(s.Regions, "暮云街道") {
		t.Errorf("regions %q lack 暮云街道", s.Regions)
	}
	if empty := Summarize(nil, NewExtractor(nil), nil); empty.Title != "" {
		t.Errorf("no titles: title %q", empty.Title)
	}
}

// A title's key phrases begin and end where words do: the character
// n-grams it was once built from gave 么时候 and 嫌诈骗巨额资.
func TestSummaryTermsAreWholeWords(t *testing.T) {
	titles := []string{
		"凉塘路旧城改造什么时候才能动工",
		"凉塘路旧城改造到底什么时候动工",
		"请问凉塘路的旧城改造什么时候开始",
		"聚利网涉嫌诈骗巨额资金，普惠投资无人管",
		"普惠投资聚利网涉嫌诈骗巨额资金",
	}
	s := Summarize(titles, NewExtractor(nil), nil)
	for _, term := range s.Terms {
		for _, cut := range []string{"么时候", "嫌诈骗", "巨额资"} {
			if strings.HasPrefix(term, cut) || strings.HasSuffix(term, cut) {
				t.Errorf("term %q begins or ends inside a word (%s); terms %q", term, cut, s.Terms)
			}
		}
	}
	if !slices.Contains(s.Terms, "旧城改造") {
		t.Errorf("terms %q lack 旧城改造", s.Terms)
	}
}

func BenchmarkSummarize(b *testing.B) {
	titles := make([]string, 24)
	for i := range titles {
		titles[i] = []string{"丽发新城小区附近的搅拌站噪音严重扰民", "a市暮云街道丽发新城社区搅拌站灰尘，噪音污染严重"}[i%2]
	}
	x := NewExtractor(nil)
	analysis.Preload()
	for b.Loop() {
		Summarize(titles, x, nil)
	}
}
