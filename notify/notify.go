// Package notify delivers escalation notifications (reminder, overdue, 催办,
// 督办, 通报, alerts) to chat-group robots (generic JSON webhook, WeCom,
// DingTalk) and by email. It is called from Temporal activities, so every
// error says whether retrying can help: see Permanent.
package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
	"minyi/internal/safely"
)

// Kinds of notification: the domain's notice kinds, as the JSON says them.
const (
	KindAssigned  = string(minyi.NoticeAssigned)
	KindReminder  = string(minyi.NoticeReminder)
	KindOverdue   = string(minyi.NoticeOverdue)
	KindUrge      = string(minyi.NoticeUrge)
	KindSupervise = string(minyi.NoticeSupervise)
	KindNotice    = string(minyi.NoticeNotice)
	KindAlert     = string(minyi.NoticeAlert)
	KindReport    = string(minyi.NoticeReport)
)

// Notification is one message about a case or a department. It carries IDs
// and short text, never a petitioner's contact data.
type Notification struct {
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	Text       string    `json:"text,omitempty"`
	CaseID     string    `json:"case_id,omitempty"`
	Department string    `json:"department,omitempty"`
	Due        time.Time `json:"due,omitzero"`
	URL        string    `json:"url,omitempty"`
	// Attachments go by email only (a published report's DOCX and PDF);
	// robots get the link.
	Attachments []Attachment `json:"-"`
}

// Attachment is a file sent with an email.
type Attachment struct {
	Name        string // e.g. 舆情日报-2026-12-06.pdf
	ContentType string
	Data        []byte
}

// Notifier delivers a Notification to one destination.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// label is the Chinese tag a reader sees first, e.g. "【催办】".
func label(kind string) string {
	if kind == "" {
		return ""
	}
	return "【" + minyi.NoticeKind(kind).Label() + "】"
}

// subject is the one-line headline: label plus title, newlines folded so a
// title cannot break a header or a markdown heading.
func subject(n Notification) string {
	return label(n.Kind) + strings.Join(strings.Fields(n.Title), " ")
}

// facts are the labelled lines under the headline, in a fixed order.
func facts(n Notification) [][2]string {
	var f [][2]string
	if n.CaseID != "" {
		f = append(f, [2]string{"案件编号", n.CaseID})
	}
	if n.Department != "" {
		f = append(f, [2]string{"承办单位", n.Department})
	}
	if !n.Due.IsZero() {
		f = append(f, [2]string{"办理时限", n.Due.In(minyi.ChinaTime).Format("2006-01-02 15:04")})
	}
	return f
}

// Multi sends to every notifier, concurrently, and joins their errors in the
// notifiers' order. A retry of a failed Multi resends to all of them; give
// each destination its own activity where duplicates matter.
type Multi []Notifier

func (m Multi) Notify(ctx context.Context, n Notification) error {
	errs := make([]error, len(m))
	var g safely.Group
	for i, nt := range m {
		g.Go(func() error {
			if err := nt.Notify(ctx, n); err != nil {
				errs[i] = fmt.Errorf("notifier %d: %w", i, err)
			}
			return nil
		})
	}
	// A notifier's panic comes back from Wait; errs keeps the others' order.
	return errors.Join(append(errs, g.Wait())...)
}
