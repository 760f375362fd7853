package crawler

import (
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// blockElements start a new line in the text a reader sees.
var blockElements = map[string]bool{
	"p": true, "div": true, "li": true, "tr": true, "table": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "pre": true, "section": true, "article": true, "dd": true, "dt": true,
}

// skipElements never hold text a reader sees.
var skipElements = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "head": true}

var sourceBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// blockText returns the text of sel as a reader sees it: <br> and block
// elements break lines, runs of spaces collapse, lines are trimmed and at most
// one blank line separates paragraphs.
func blockText(sel *goquery.Selection) string {
	var b strings.Builder
	for _, n := range sel.Nodes {
		writeText(&b, n, 0)
		b.WriteByte('\n')
	}
	return tidyLines(b.String())
}

// maxNesting bounds recursion on hostile, absurdly nested markup.
const maxNesting = 512

func writeText(b *strings.Builder, n *html.Node, depth int) {
	if depth > maxNesting {
		return
	}
	switch n.Type {
	case html.TextNode:
		// Line breaks in the HTML source are spaces to a reader.
		b.WriteString(sourceBreaks.Replace(n.Data))
		return
	case html.ElementNode:
		if skipElements[n.Data] {
			return
		}
		if n.Data == "br" {
			b.WriteByte('\n')
			return
		}
	}
	block := n.Type == html.ElementNode && blockElements[n.Data]
	if block {
		b.WriteByte('\n')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c, depth+1)
	}
	if block {
		b.WriteByte('\n')
	}
}

// tidyLines collapses whitespace inside lines (HTML source line breaks are
// just spaces; only <br> and blocks made real newlines) and blank-line runs.
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	var out []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// inlineText is the whitespace-collapsed text of sel on one line, for titles,
// names and times.
func inlineText(sel *goquery.Selection) string {
	return strings.Join(strings.Fields(sel.Text()), " ")
}
