package web

import (
	"regexp"
	"slices"
	"testing"

	"minyi"
)

func TestEventDetail(t *testing.T) {
	for _, tc := range []struct {
		typ          minyi.EventType
		detail, want string
	}{
		{minyi.EventExtensionRequested, "5 days: 需要现场勘查", "延期 5 天：需要现场勘查"},
		{minyi.EventExtensionApproved, "5 days approved: ", "同意延期 5 天"},
		{minyi.EventExtensionApproved, "5 days approved: 同意", "同意延期 5 天 同意"},
		{minyi.EventReplied, "[未解决 unresolved] 正在协调", "【未解决】 正在协调"},
		{minyi.EventReplied, "5 days: 是答复原文", "5 days: 是答复原文"},
		{minyi.EventUrge, "due 2026-11-13 23:59", ""},
		{minyi.EventReturned, "due 不是我们的", "due 不是我们的"},
	} {
		if got := eventDetail(minyi.CaseEvent{Type: tc.typ, Detail: tc.detail}); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.typ, tc.detail, got, tc.want)
		}
	}
}

// fragmentTokens splits as the regular expression it replaced did.
func FuzzFragmentTokens(f *testing.F) {
	re := regexp.MustCompile(`</?mark>|&(?:[a-zA-Z]{2,8}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});|(?s:.)`)
	for _, s := range []string{"", "a<mark>拆迁</mark>补偿", "&lt;b&gt; &amp;&#12;&#x1F;&#x;&#;&a;&abcdefghi;&abcdefgh;",
		"&#12345678;&#1234567;&#x1234567;&#x123456;", "<mar", "</mark", "&", "&#", "&#x", "\xff\xfe<mark>\x80", "&lt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fragmentTokens(s), re.FindAllString(s, -1); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("fragmentTokens(%q) = %q, want %q", s, got, want)
		}
	})
}
