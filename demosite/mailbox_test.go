package demosite

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"minyi"
)

var (
	reLetterItem = regexp.MustCompile(`<li><a class="letter-link" href="(/mailbox/letter/(\d+))">([^<]*)</a><span class="type">([^<]+)</span><span class="date">([^<]+)</span><span class="status">([^<]+)</span></li>`)
	reLetterNext = regexp.MustCompile(`<div class="pager">.*<a class="next" href="([^"]+)">下一页</a></div>`)
	reParagraphs = regexp.MustCompile(`(?s)<div class="(letter-body|reply-text)">(.*?)</div>`)
)

func field(t *testing.T, text, class string) string {
	t.Helper()
	m := regexp.MustCompile(`<(?:span|h2) class="` + class + `">([^<]*)</`).FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func paragraphText(s string) string {
	s = strings.ReplaceAll(s, "</p>\n<p>", "\n")
	return html.UnescapeString(strings.TrimSuffix(strings.TrimPrefix(s, "<p>"), "</p>"))
}

func TestMailboxListAndLettersMatchGroundTruth(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 13, Letters: 47, LettersPerPage: 10})
	letters := s.Letters()
	var listed []string
	next, pages := "/mailbox/list?page=1", 0
	for next != "" {
		p := fetch(t, srv, next)
		mustOK(t, p, next)
		if ct := p.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
		if !strings.Contains(p.text, `<ul class="letter-list">`) {
			t.Fatal("no ul.letter-list")
		}
		for _, m := range all(reLetterItem, p.text) {
			listed = append(listed, m[2])
		}
		next = ""
		if m := reLetterNext.FindStringSubmatch(p.text); m != nil {
			next = m[1]
		}
		if pages++; pages > 10 {
			t.Fatal("mailbox pagination does not end")
		}
	}
	if pages != 5 || len(listed) != len(letters) {
		t.Fatalf("%d pages listing %d letters, want 5 pages and %d", pages, len(listed), len(letters))
	}
	for i, no := range listed {
		if want := letters[len(letters)-1-i].No; no != want {
			t.Fatalf("list position %d: %s, want %s (newest first)", i, no, want)
		}
	}

	answered := 0
	for _, l := range letters {
		p := fetch(t, srv, "/mailbox/letter/"+l.No)
		mustOK(t, p, l.No)
		got := map[string]string{
			"title": field(t, p.text, "letter-title"), "no": field(t, p.text, "letter-no"),
			"type": field(t, p.text, "letter-type"), "time": field(t, p.text, "letter-time"),
			"status": field(t, p.text, "letter-status"),
		}
		want := map[string]string{"title": l.Title, "no": l.No, "type": l.Type, "time": l.Published.Format("2006-01-02 15:04:05"), "status": l.Status}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("letter %s %s: %q, want %q", l.No, k, got[k], want[k])
			}
		}
		blocks := all(reParagraphs, p.text)
		if len(blocks) == 0 || paragraphText(blocks[0][2]) != l.Body {
			t.Errorf("letter %s body differs", l.No)
		}
		if l.ReplyTime.IsZero() {
			if strings.Contains(p.text, `class="reply"`) || l.Status == "已回复" {
				t.Errorf("unanswered letter %s shows a reply or status %s", l.No, l.Status)
			}
			continue
		}
		answered++
		if field(t, p.text, "reply-unit") != l.ReplyUnit || field(t, p.text, "reply-time") != l.ReplyTime.Format("2006-01-02 15:04:05") ||
			len(blocks) != 2 || paragraphText(blocks[1][2]) != l.ReplyText || l.Status != "已回复" {
			t.Errorf("letter %s: reply block does not match %+v", l.No, l)
		}
		if d := l.ReplyTime.Sub(l.Published); d < 12*time.Hour || d > 16*24*time.Hour {
			t.Errorf("letter %s answered after %v, want 1-15 days", l.No, d)
		}
	}
	if share := float64(answered) / float64(len(letters)); share < 0.4 || share > 0.8 {
		t.Errorf("%.0f%% of letters answered, want about 60%%", share*100)
	}
}

func TestLettersAnsweredByTheFittingDepartment(t *testing.T) {
	s, _ := newTestSite(t, Options{Seed: 14, Letters: 200})
	fits := map[string][]string{
		"物业": {"市住建局"}, "拆迁补偿": {"市房屋征收办"}, "供暖": {"市住建局"}, "公交": {"市交通运输局"},
		"学区": {"市教育局"}, "学校": {"市教育局"}, "医院": {"市卫生健康委"}, "工资": {"市人社局"}, "社保": {"市人社局"},
	}
	for _, l := range s.Letters() {
		if l.ReplyTime.IsZero() {
			continue
		}
		for word, units := range fits {
			if strings.Contains(l.Title, word) && !strings.Contains(l.Title, "感谢") && !contains(units, l.ReplyUnit) {
				t.Errorf("letter %q answered by %s, want one of %v", l.Title, l.ReplyUnit, units)
			}
		}
		if !contains(letterTypes, l.Type) {
			t.Errorf("letter %s has type %q", l.No, l.Type)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func TestMailboxBadInput(t *testing.T) {
	_, srv := newTestSite(t, Options{Seed: 15})
	for path, want := range map[string]int{
		"/mailbox/list?page=0":     http.StatusBadRequest,
		"/mailbox/list?page=x":     http.StatusBadRequest,
		"/mailbox/list?page=99":    http.StatusNotFound,
		"/mailbox/letter/20240001": http.StatusNotFound,
	} {
		if p := fetch(t, srv, path); p.status != want {
			t.Errorf("%s: status %d, want %d", path, p.status, want)
		}
	}
}

func TestLetterPagesAreCacheable(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 16})
	l := s.Letters()[0]
	p := fetch(t, srv, "/mailbox/letter/"+l.No)
	if p2 := fetch(t, srv, "/mailbox/letter/"+l.No, "If-None-Match", p.header.Get("ETag")); p2.status != http.StatusNotModified {
		t.Errorf("If-None-Match on a letter: %d, want 304", p2.status)
	}
	if !l.ReplyTime.IsZero() && p.header.Get("Last-Modified") != l.ReplyTime.In(minyi.ChinaTime).UTC().Format(http.TimeFormat) {
		t.Errorf("Last-Modified %q, want the reply time", p.header.Get("Last-Modified"))
	}
}
