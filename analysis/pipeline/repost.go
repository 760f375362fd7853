package pipeline

import (
	"strings"
	"unicode/utf8"
)

// repostTitlePrefixes mark a forum repost in its title; they are folded
// (half-width punctuation), as the text is when they are stripped.
var repostTitlePrefixes = []string{"转帖:", "转帖", "【转】", "[转]", "转载:", "转载", "转:"}

// maxFramingRunes is the longest line that can be repost framing ("转自本地
// 业主群：", "大家帮忙转发，让更多人看到！"); a longer line mentioning 转 is
// content.
const maxFramingRunes = 20

// withoutRepostFraming returns the title and body a fingerprint should see:
// a repost's marker in the title and its short framing lines that mention
// 转 (转自, 转过来, 转发) removed. On a short post such framing moves more
// fingerprint bits than the near-duplicate threshold allows, so without
// this a repost would start a topic of its own. Only the fingerprint uses
// it; sentiment and category see the whole text.
//
// A title marked as a repost also loses its body's short first and last
// lines, whatever they say: a reposter's "希望这次能引起重视。" moves a
// short post's fingerprint as far as "转自本地业主群：" does.
func withoutRepostFraming(title string, bodyLines string) (string, string) {
	t := strings.TrimSpace(title)
	repost := false
	for _, p := range repostTitlePrefixes {
		if rest, ok := strings.CutPrefix(t, p); ok {
			t, repost = strings.TrimSpace(rest), true
			break
		}
	}
	lines := strings.Split(bodyLines, "\n")
	kept := lines[:0:0]
	for i, l := range lines {
		short := utf8.RuneCountInString(l) <= maxFramingRunes
		edge := repost && len(lines) > 2 && (i == 0 || i == len(lines)-1)
		if short && (strings.Contains(l, "转") || edge) {
			continue
		}
		kept = append(kept, l)
	}
	return t, strings.Join(kept, "\n")
}
