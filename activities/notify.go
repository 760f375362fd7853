package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/internal/crashpoint"
	"minyi/notify"
)

// Recipients knows where each kind of notice goes. Nil notifiers are skipped.
type Recipients struct {
	Departments map[string]notify.Notifier // by department id
	Heads       map[string]notify.Notifier // department heads, copied on 督办
	Supervisors notify.Notifier
	// Leaders are told at once of a 舆情事件 judged 重大 (major).
	Leaders notify.Notifier
	// Reports receive every published report: the files by email, the
	// summary and link by robot.
	Reports notify.Notifier
	// BaseURL prefixes links to a case or report in notifications.
	BaseURL string
}

// Notice is what the workflows ask to be delivered.
type Notice struct {
	Kind       minyi.NoticeKind
	CaseID     string
	Title      string
	Text       string
	Department string
	Supervisor bool // copy supervisors and the department head
	Leaders    bool // tell the leaders (a 重大 舆情事件), and only them
	Due        time.Time
}

// Notify delivers a notice. A permanent failure (a bad webhook URL) is
// logged and dropped: retrying cannot fix it and the event is recorded anyway.
func (a *Activities) Notify(ctx context.Context, n Notice) error {
	switch k := n.Kind; {
	case k.IsRung():
		crashpoint.Hit(crashpoint.RungNotification)
	case k == minyi.NoticeAssigned:
		// A case opened by the ingest's batch does this first, and nothing else.
		crashpoint.Hit(crashpoint.AfterCaseStart)
	}
	var targets notify.Multi
	r := a.Recipients
	if n.Leaders {
		if r.Leaders == nil {
			return nil
		}
		targets = append(targets, r.Leaders)
	} else if d := r.Departments[n.Department]; d != nil {
		targets = append(targets, d)
	}
	if n.Supervisor {
		if h := r.Heads[n.Department]; h != nil {
			targets = append(targets, h)
		}
		if r.Supervisors != nil {
			targets = append(targets, r.Supervisors)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	msg := notify.Notification{Kind: string(n.Kind), Title: n.Title, Text: n.Text, CaseID: n.CaseID, Department: n.Department, Due: n.Due}
	if n.CaseID != "" && r.BaseURL != "" {
		msg.URL = r.BaseURL + "/api/cases/" + n.CaseID
	}
	return a.send(ctx, targets, msg, "notifying "+n.Department, "kind", n.Kind, "case", n.CaseID, "department", n.Department)
}

// send delivers msg. A permanent failure (a bad webhook URL) is logged with
// logArgs and dropped: retrying cannot fix it. Any other failure is an
// error the activity retries, described as what.
func (a *Activities) send(ctx context.Context, to notify.Notifier, msg notify.Notification, what string, logArgs ...any) error {
	err := to.Notify(ctx, msg)
	if err != nil && notify.Permanent(err) {
		a.logger().Error("notification dropped", append(logArgs, "err", err)...)
		return nil
	}
	if err != nil {
		return temporal.NewApplicationErrorWithCause(fmt.Sprintf("%s: %v", what, err), "notify", err)
	}
	return nil
}
