package notify

import "strings"

// markdown renders n for a WeCom or DingTalk robot. Titles and texts come
// from public posts, so link and tag syntax in them is neutralised: a post
// must not be able to put a clickable link or a <font> tag into a
// government group chat. Only n.URL, which minyi builds, becomes a link.
func markdown(n Notification) string {
	var b strings.Builder
	b.WriteString("### " + inert(subject(n)) + "\n")
	for _, f := range facts(n) {
		b.WriteString("> " + f[0] + "：" + inert(f[1]) + "\n")
	}
	if text := strings.TrimSpace(n.Text); text != "" {
		b.WriteString("\n" + inert(text) + "\n")
	}
	if n.URL != "" {
		b.WriteString("\n[查看详情](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(n.URL) + ")\n")
	}
	return b.String()
}

// inert swaps markdown link brackets and HTML angle brackets for their
// full-width forms, which read the same to a person and mean nothing to the
// renderer.
var inert = strings.NewReplacer("[", "［", "]", "］", "<", "＜", ">", "＞").Replace
