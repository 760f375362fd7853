package demosite

import (
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The search tests elsewhere rely on these fixtures; see topics.go.
func TestSearchFixturesExistForAnySeed(t *testing.T) {
	for seed := range int64(20) {
		s := New(Options{Seed: seed, Threads: len(topics) + 1, Start: testStart})
		phrase, apart := 0, 0
		for _, th := range s.Threads() {
			text := th.Title + "\n" + th.Body
			switch {
			case strings.Contains(text, "拆迁补偿"):
				phrase++
			case strings.Contains(text, "拆") && strings.Contains(text, "补"):
				apart++
			}
		}
		if phrase == 0 || apart == 0 {
			t.Errorf("seed %d: %d threads with 拆迁补偿, %d with 拆 and 补 apart; want both", seed, phrase, apart)
		}
	}
	for _, tp := range topics {
		for _, o := range tp.openings {
			if tp.key == "demolition" && !strings.Contains(o, "拆迁补偿") {
				t.Errorf("demolition opening without 拆迁补偿: %s", o)
			}
			if tp.key == "road" && (!strings.Contains(o, "拆") || !strings.Contains(o, "补") || strings.Contains(o, "拆迁补偿")) {
				t.Errorf("road opening without 拆 and 补 apart: %s", o)
			}
		}
	}
}

func TestVariantsShareAndShape(t *testing.T) {
	total, trad, reposts := 0, 0, 0
	for seed := range int64(10) {
		s := New(Options{Seed: seed, Start: testStart})
		byTID := map[int]Thread{}
		for _, th := range s.Threads() {
			total++
			byTID[th.TID] = th
			if th.Traditional {
				trad++
				if toTraditional(th.Title) != th.Title || toTraditional(th.Body) != th.Body {
					t.Errorf("tid %d is marked traditional but has simplified text", th.TID)
				}
			}
			if th.RepostOf != 0 {
				reposts++
				orig, ok := byTID[th.RepostOf]
				if !ok || !strings.HasSuffix(th.Title, orig.Title) || !strings.Contains(th.Title, "转") || orig.Board != th.Board {
					t.Errorf("tid %d reposts %d badly: %q vs %q", th.TID, th.RepostOf, th.Title, orig.Title)
				}
				if !strings.Contains(th.Body, strings.Split(orig.Body, "\n")[0]) {
					t.Errorf("tid %d does not carry the text of %d", th.TID, th.RepostOf)
				}
			}
		}
	}
	for name, n := range map[string]int{"traditional": trad, "repost": reposts} {
		if share := float64(n) / float64(total); share < 0.05 || share > 0.15 {
			t.Errorf("%.1f%% %s threads, want about 10%%", share*100, name)
		}
	}
}

// Every generated text must survive the forum's GBK encoding unchanged.
func TestGeneratedTextIsGBK(t *testing.T) {
	s := New(Options{Seed: 17, Threads: 300, Letters: 200, Start: testStart})
	s.Grow(20, 20)
	var texts []string
	for _, th := range s.Threads() {
		texts = append(texts, th.Title, th.Body, th.Author)
		for _, r := range th.Replies {
			texts = append(texts, r.Body, r.Author)
		}
	}
	for _, l := range s.Letters() {
		texts = append(texts, l.Title, l.Body, l.ReplyText, l.ReplyUnit, l.Type, l.Status)
	}
	texts = append(texts, signatures...)
	for _, text := range texts {
		if _, err := simplifiedchinese.GBK.NewEncoder().String(text); err != nil {
			t.Errorf("not encodable in GBK: %q", text)
		}
		if strings.ContainsAny(text, "{}") {
			t.Errorf("unfilled placeholder in %q", text)
		}
	}
}

// The traditional table is compared with OpenCC's s2tw conversion when the
// opencc command is installed; the listed characters are the deliberate,
// context-driven departures documented in trad.go.
func TestTraditionalTableAgainstOpenCC(t *testing.T) {
	if _, err := exec.LookPath("opencc"); err != nil {
		t.Skip("opencc not installed (apt-get install opencc)")
	}
	var b strings.Builder
	for _, tp := range topics {
		for _, xs := range [][]string{tp.titles, tp.openings, tp.details, tp.demands} {
			b.WriteString(strings.Join(xs, "\n") + "\n")
		}
	}
	for _, xs := range [][]string{politeClosings, angryClosings, districts, roads, communities, schools, hospitals, managers, factories, employers, busLines, thankedDept} {
		b.WriteString(strings.Join(xs, "\n") + "\n")
	}
	src := b.String()
	cmd := exec.Command("opencc", "-c", "s2tw.json")
	cmd.Stdin = strings.NewReader(src)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("opencc failed: %v", err)
	}
	deliberate := "出才烟钟游冲签脏赞着复范里采占划回"
	want, got := []rune(strings.TrimRight(string(out), "\n")), []rune(strings.TrimRight(toTraditional(src), "\n"))
	if len(want) != len(got) {
		t.Fatalf("opencc returned %d characters for %d", len(want), len(got))
	}
	for i, r := range []rune(strings.TrimRight(src, "\n")) {
		if got[i] != want[i] && !strings.ContainsRune(deliberate, r) {
			t.Errorf("%c: table gives %c, OpenCC %c", r, got[i], want[i])
		}
	}
}
