package pipeline

import (
	"strings"
	"testing"
)

func TestWithoutRepostFraming(t *testing.T) {
	title, body := withoutRepostFraming("转帖:电梯又坏了", "转自本地业主群:\n电梯坏了三天，老人下不了楼，物业说在等配件。\n大家帮忙转发,让更多人看到!")
	if title != "电梯又坏了" || body != "电梯坏了三天，老人下不了楼，物业说在等配件。" {
		t.Errorf("got %q / %q", title, body)
	}
	// A long line that mentions 转 is content, not framing.
	long := "小区门口的路口车辆转弯时经常和行人抢道，希望增设信号灯。"
	if _, b := withoutRepostFraming("路口", long); b != long {
		t.Errorf("content line dropped: %q", b)
	}
}

// FuzzWithoutRepostFraming: only a prefix of the title and whole lines of
// the body are removed, and removing again changes nothing more in the body.
func FuzzWithoutRepostFraming(f *testing.F) {
	f.Add("转帖:标题", "转自群:\n正文一行\n转发")
	f.Add("【转】", "")
	f.Add("普通标题", "没有转载")
	f.Fuzz(func(t *testing.T, title, body string) {
		nt, nb := withoutRepostFraming(title, body)
		if !strings.HasSuffix(strings.TrimSpace(title), nt) {
			t.Errorf("title %q became %q, not a suffix", title, nt)
		}
		lines := strings.Split(body, "\n")
		for _, l := range strings.Split(nb, "\n") {
			if nb != "" && !contains(lines, l) {
				t.Errorf("body line %q was not in %q", l, body)
			}
		}
		if _, again := withoutRepostFraming(nt, nb); again != nb {
			t.Errorf("not idempotent: %q then %q", nb, again)
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
