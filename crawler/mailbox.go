package crawler

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"minyi"
)

// mailbox crawls a mayor's mailbox or leaders' message board described by
// CSS selectors: list pages link to letters and to the next list page; each
// letter page is one document.
type mailbox struct {
	sel minyi.MailboxSelectors
}

func newMailbox(sel minyi.MailboxSelectors) (*mailbox, error) {
	for name, s := range map[string]string{
		"detail_link": sel.DetailLink, "next_page": sel.NextPage, "id": sel.ID, "title": sel.Title,
		"body": sel.Body, "time": sel.Time, "type": sel.Type, "status": sel.Status,
		"reply_unit": sel.ReplyUnit, "reply_text": sel.ReplyText, "reply_time": sel.ReplyTime,
		"likes": sel.Likes, "dislikes": sel.Dislikes,
	} {
		if s == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(s); err != nil {
			return nil, minyi.Errorf(minyi.EINVALID, "mailbox selector %s %q is not valid CSS: %v", name, s, err)
		}
	}
	return &mailbox{sel: sel}, nil
}

func (m *mailbox) start(rawURL string) (task, error) {
	canon, err := Canonicalize(rawURL)
	if err != nil {
		return task{}, err
	}
	return task{url: canon, role: roleList}, nil
}

func (m *mailbox) handle(cr *crawl, t task, pg *page) {
	if t.role == roleDetail {
		d, timeErrs := m.extractLetter(pg.doc, t.url)
		for _, err := range timeErrs {
			cr.pageError(t.url, err)
		}
		if d.Title == "" && d.Body == "" {
			cr.pageError(t.url, fmt.Errorf("no title (%s) and no body (%s): not a letter page, or the layout changed", m.sel.Title, m.sel.Body))
			return
		}
		d.Fetched = pg.fetched
		cr.emit(d, pg.valid)
		return
	}
	var ts []task
	pg.doc.Find(m.sel.DetailLink).Each(func(_ int, a *goquery.Selection) {
		if u := pg.link(a.AttrOr("href", "")); u != "" {
			ts = append(ts, task{url: u, role: roleDetail, docURL: u})
		}
	})
	if m.sel.NextPage != "" {
		// Only the first match: "next" must be one page, or a pager becomes a fan-out.
		if u := pg.link(pg.doc.Find(m.sel.NextPage).First().AttrOr("href", "")); u != "" {
			ts = append(ts, task{url: u, role: roleList})
		}
	}
	if len(ts) == 0 && pg.doc.Find(m.sel.DetailLink).Length() == 0 {
		cr.pageError(t.url, fmt.Errorf("no letter links (%s) on a list page", m.sel.DetailLink))
	}
	cr.follow(t, ts...)
}

// extractLetter reads a letter page. Times that cannot be parsed are left
// zero (emit falls back to the fetch time) and reported.
func (m *mailbox) extractLetter(doc *goquery.Document, pageURL string) (minyi.Document, []error) {
	var errs []error
	text := func(sel string) string {
		if sel == "" {
			return ""
		}
		return inlineText(doc.Find(sel).First())
	}
	block := func(sel string) string {
		if sel == "" {
			return ""
		}
		s := doc.Find(sel).First()
		s.Find("script, style").Remove()
		return blockText(s)
	}
	d := minyi.Document{
		Kind:        minyi.KindMessage,
		URL:         pageURL,
		ExternalID:  stripLabel(text(m.sel.ID)),
		Title:       text(m.sel.Title),
		Body:        block(m.sel.Body),
		MessageType: stripLabel(text(m.sel.Type)),
		Status:      stripLabel(text(m.sel.Status)),
		Likes:       count(text(m.sel.Likes)),
		Dislikes:    count(text(m.sel.Dislikes)),
	}
	if d.ExternalID == "" {
		d.ExternalID = pageURL
	}
	if ts := text(m.sel.Time); ts != "" {
		t, err := ParseTime(ts)
		if err != nil {
			errs = append(errs, fmt.Errorf("letter time: %s; using the fetch time", errText(err)))
		}
		d.Published = t
	} else {
		errs = append(errs, fmt.Errorf("no letter time (%s); using the fetch time", m.sel.Time))
	}
	if reply := block(m.sel.ReplyText); reply != "" {
		d.Reply = &minyi.OfficialReply{Unit: stripLabel(text(m.sel.ReplyUnit)), Body: reply}
		if rt := text(m.sel.ReplyTime); rt != "" {
			t, err := ParseTime(rt)
			if err != nil {
				errs = append(errs, fmt.Errorf("reply time: %s; using the fetch time", errText(err)))
			}
			d.Reply.Published = t
		} else {
			errs = append(errs, errors.New("reply has no time; using the fetch time"))
		}
	}
	return d, errs
}

// stripLabel drops a field label such as "信件编号：" or "办理状态:" that
// boards print inside the same element as the value; a label with no value
// is no value.
func stripLabel(s string) string {
	i := strings.LastIndexAny(s, ":：")
	if i < 0 {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return strings.TrimSpace(s[i+size:])
}

func (m *mailbox) abandon(*crawl, task) {}
func (m *mailbox) finish(*crawl)        {}
