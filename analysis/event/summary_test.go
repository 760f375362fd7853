package event

import (
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
