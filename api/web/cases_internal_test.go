package web

import (
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
