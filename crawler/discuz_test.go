package crawler

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/encoding/simplifiedchinese"

	"minyi"
)

// fixtureDoc reads a testdata page, encodes it as GBK (as the sites serve it,
// with the charset only in a meta tag) and decodes it the way a crawl does.
func fixtureDoc(t testing.TB, name string) *goquery.Document {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	text, enc := decodeHTML(encode(t, simplifiedchinese.GBK, string(raw)), "text/html")
	if enc != "gb18030" {
		t.Fatalf("%s decoded as %s, want gb18030 from its meta tag", name, enc)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestExtractDiscuzThread(t *testing.T) {
	tp := extractDiscuzThread(fixtureDoc(t, "discuz_thread.html"))
	if tp.title != "城东路夜间施工噪音扰民，希望有关部门管一管" {
		t.Errorf("title = %q", tp.title)
	}
	if tp.board != "民生热线" {
		t.Errorf("breadcrumb board = %q", tp.board)
	}
	if tp.likes != 1208 || tp.dislikes != 3 {
		t.Errorf("支持/反对 = %d/%d, want 1208/3", tp.likes, tp.dislikes)
	}
	if tp.next != "forum.php?mod=viewthread&tid=1024&extra=page%3D1&page=2" {
		t.Errorf("next = %q", tp.next)
	}
	if len(tp.posts) != 3 {
		t.Fatalf("got %d posts, want 3: %+v", len(tp.posts), tp.posts)
	}
	first := tp.posts[0]
	wantBody := "城东路（人民路至建设路段）最近一个月每天晚上十一点以后还在施工，渣土车来回跑，噪音很大。\n" +
		"小区里有老人和孩子，根本睡不着。\n\n希望住建局和城管局管一管，夜间施工有没有审批？"
	if first.body != wantBody {
		t.Errorf("first post body =\n%q\nwant\n%q", first.body, wantBody)
	}
	if first.author != "石城老街坊" || first.id != "post_88001" {
		t.Errorf("first post author %q id %q", first.author, first.id)
	}
	if want := time.Date(2024, 3, 5, 10, 20, 0, 0, minyi.ChinaTime); !first.published.Equal(want) {
		t.Errorf("first post time %v (%q), want %v", first.published, first.timeText, want)
	}
	reply := tp.posts[1]
	if reply.body != "同感，我家就在路边，凌晨一点还在打桩。" {
		t.Errorf("quote not removed from reply: %q", reply.body)
	}
	if want := time.Date(2024, 3, 5, 11, 2, 45, 0, minyi.ChinaTime); !reply.published.Equal(want) {
		t.Errorf("reply time %v, want the span title's %v", reply.published, want)
	}
	third := tp.posts[2]
	if want := time.Date(2024, 3, 6, 9, 15, 0, 0, minyi.ChinaTime); !third.published.Equal(want) || third.timeErr != nil {
		t.Errorf("relative time not taken from title: %v %v", third.published, third.timeErr)
	}
	if third.body != "已向街道反映，12345工单号：20240306-0102。" {
		t.Errorf("third body %q", third.body)
	}
	for _, p := range tp.posts {
		for _, junk := range []string{"本帖最后由", "x7Rq", "8dKs", "document.write", "城东人，说城东事", "pcb{"} {
			if strings.Contains(p.body, junk) {
				t.Errorf("post %s keeps %q: %q", p.id, junk, p.body)
			}
		}
	}
}

func TestExtractDiscuzBoard(t *testing.T) {
	bp := extractDiscuzBoard(fixtureDoc(t, "discuz_board.html"))
	if bp.name != "民生热线" {
		t.Errorf("board name %q", bp.name)
	}
	want := []string{"forum.php?mod=viewthread&tid=990&extra=page%3D1", "forum.php?mod=viewthread&tid=1024&extra=page%3D1", "thread-1031-1-1.html"}
	if strings.Join(bp.threads, " ") != strings.Join(want, " ") {
		t.Errorf("threads = %q, want %q", bp.threads, want)
	}
	if bp.next != "forum.php?mod=forumdisplay&fid=2&page=2" {
		t.Errorf("next %q", bp.next)
	}
}

func TestExtractDiscuzThreadBadInput(t *testing.T) {
	for name, html := range map[string]string{
		"empty":          "",
		"no posts":       "<html><body><span id=thread_subject>标题</span></body></html>",
		"unclosed":       `<div id="postlist"><div id="post_1"><td class="t_f" id="postmessage_1"><b><i>正文`,
		"deep nesting":   "<div id=postlist><div id=post_1><table><tr><td class=t_f id=postmessage_1>" + strings.Repeat("<div>", 5000) + "深",
		"bad time":       `<div id="postlist"><div id="post_1"><div class="authi"><a class="xw1">甲</a><em id="authorposton1">发表于 昨天 10:20</em></div><table><tr><td class="t_f" id="postmessage_1">正文</td></tr></table></div></div>`,
		"binary garbage": "\x00\xff\xfe<\x00d\x00i\x00v",
	} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
		if err != nil {
			if name == "deep nesting" {
				continue // x/net/html refuses over 512 open elements; fetch reports it as a page error
			}
			t.Fatal(err)
		}
		tp := extractDiscuzThread(doc)
		if name == "bad time" {
			if len(tp.posts) != 1 || tp.posts[0].timeErr == nil || !tp.posts[0].published.IsZero() || tp.posts[0].body != "正文" {
				t.Errorf("bad time: %+v", tp.posts)
			}
		}
	}
}

func FuzzExtractDiscuzThread(f *testing.F) {
	raw, err := os.ReadFile("testdata/discuz_thread.html")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Fuzz(func(t *testing.T, body []byte) {
		text, _ := decodeHTML(body, "text/html")
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(text)))
		if err != nil {
			t.Skip() // pathological nesting: fetch reports it as a page error
		}
		tp := extractDiscuzThread(doc)
		for _, p := range tp.posts {
			if !utf8.ValidString(p.body) || !utf8.ValidString(p.author) {
				t.Fatalf("invalid UTF-8 in post %+v", p)
			}
			if p.published.IsZero() != (p.timeErr != nil || p.timeText == "") {
				t.Fatalf("time and error disagree: %+v", p)
			}
		}
		if !utf8.ValidString(tp.title) {
			t.Fatalf("invalid UTF-8 title %q", tp.title)
		}
	})
}
