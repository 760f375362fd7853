package elastic

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
)

func highlighterFor(t *testing.T, text string) highlighter {
	t.Helper()
	hl, err := addText(&types.BoolQuery{}, text)
	if err != nil {
		t.Fatal(err)
	}
	return hl
}

func TestHighlightMarksWhatMatched(t *testing.T) {
	tests := []struct{ query, text, want string }{
		// Traditional text is marked in its own characters.
		{"停车问题", "請問社區停車問題何時解決", "請問社區<mark>停車問題</mark>何時解決"},
		// Punctuation takes no position: the phrase matches across it,
		// and the mark leaves the comma outside.
		{"小区停车", "我们小区，停车很难", "我们<mark>小区</mark>，<mark>停车</mark>很难"},
		// Latin and full-width letters fold, and are marked as written.
		{"wifi", "小区ＷｉＦｉ信号差", "小区<mark>ＷｉＦｉ</mark>信号差"},
		// Two phrases that overlap make one mark.
		{"拆迁 迁补偿", "拆迁补偿款", "<mark>拆迁补偿</mark>款"},
		// Markup is text.
		{"噪声", `<b onclick="x">噪声</b>`, "&lt;b onclick=&#34;x&#34;&gt;<mark>噪声</mark>&lt;/b&gt;"},
		// What the token-copy highlights used to need joining for.
		{"拆迁补偿", "关于拆迁补偿款", "关于<mark>拆迁补偿</mark>款"},
		{"学校", "<script>学校", "&lt;script&gt;<mark>学校</mark>"},
		{"wifi", "WiFi信号5g hello world", "<mark>WiFi</mark>信号5g hello world"},
		// An excluded clause is not marked.
		{"停车 -物业", "物业收停车费", "物业收<mark>停车</mark>费"},
	}
	for _, tt := range tests {
		if got := highlighterFor(t, tt.query).whole(tt.text); got != tt.want {
			t.Errorf("%s in %s: %s, want %s", tt.query, tt.text, got, tt.want)
		}
	}
	if got := highlighterFor(t, "垃圾").whole("河边的垃 圾"); got != "河边的<mark>垃</mark> <mark>圾</mark>" {
		t.Errorf("split phrase: %s", got)
	}
	if got := highlighterFor(t, "停车").fragments("没有匹配的内容"); got != nil {
		t.Errorf("no match gave fragments %q", got)
	}
}

func TestHighlightFragmentsAroundMatches(t *testing.T) {
	filler := strings.Repeat("城市管理工作", 100) // 600 characters
	text := filler + "拆迁补偿" + filler + "补偿" + filler + "补偿" + filler + "补偿"
	frags := highlighterFor(t, "补偿").fragments(text)
	if len(frags) != maxFragments {
		t.Fatalf("%d fragments, want %d", len(frags), maxFragments)
	}
	for i, f := range frags {
		plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f)
		if n := utf8.RuneCountInString(plain); n != fragmentRunes {
			t.Errorf("fragment %d has %d characters, want %d", i, n, fragmentRunes)
		}
		before, _, ok := strings.Cut(plain, "补偿")
		if !ok || utf8.RuneCountInString(before) > contextRunes+2 {
			t.Errorf("fragment %d opens %d characters before its match", i, utf8.RuneCountInString(before))
		}
		if strings.Count(f, "<mark>") != 1 {
			t.Errorf("fragment %d: %s", i, f)
		}
	}
	// A match at the very start needs no context; a mark is never cut.
	frags = highlighterFor(t, "拆迁补偿").fragments("拆迁补偿" + filler)
	if len(frags) != 1 || !strings.HasPrefix(frags[0], "<mark>拆迁补偿</mark>城市") {
		t.Errorf("fragments %q", frags)
	}
}
