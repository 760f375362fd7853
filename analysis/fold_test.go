package analysis

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"請問社區停車問題", "请问社区停车问题"},
		{"環境醫療學校補償拆遷噪聲", "环境医疗学校补偿拆迁噪声"},
		{"什么为什麼為什麼", "什么为什么为什么"}, // 為 is the Taiwan form of 爲
		{"ＷｉＦｉ信號１２３", "wifi信号123"},
		{"已经是简体的文字", "已经是简体的文字"},
		{"HELLO　World", "hello world"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldKeepsRunesAndChineseOffsets(t *testing.T) {
	in := "業主反映噪聲擾民。請儘快處理"
	out := Fold(in)
	if utf8.RuneCountInString(out) != utf8.RuneCountInString(in) || len(out) != len(in) {
		t.Fatalf("Fold(%q) = %q: rune or byte length changed", in, out)
	}
}

func TestTableIsRuneForRune(t *testing.T) {
	if len(tsTable) < 2500 {
		t.Fatalf("traditional→simplified table has only %d entries", len(tsTable))
	}
	for k, v := range tsTable {
		if utf8.RuneLen(k) != utf8.RuneLen(v) {
			t.Fatalf("%q → %q changes the UTF-8 length", k, v)
		}
	}
}
