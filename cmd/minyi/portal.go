package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/api/portal"
	"minyi/api/web"
	"minyi/api/workflowclient"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/notify"
	"minyi/workflows"
)

// PortalConfig is the public portal (api/portal): off unless listen is set;
// the demo turns it on on a loopback port.
type PortalConfig struct {
	// Listen is the portal's own address, e.g. ":8443" behind the city's
	// TLS proxy; empty: no portal.
	Listen string `yaml:"listen"`
	// FollowUpDays is how long after the reply a follow-up (追问) joins
	// the case; default 15.
	FollowUpDays int `yaml:"follow_up_days"`
	// PublicStats publishes the month's reply rates by department (通报).
	PublicStats *bool `yaml:"public_stats"`
	// Open311Keys may post requests to /open311/v2/ (16+ characters each).
	Open311Keys []string `yaml:"open311_keys"`
	// ChallengeSecret signs the form's challenges; set the same one on
	// every API process behind one address (default: random per process).
	ChallengeSecret string `yaml:"challenge_secret"`
}

// demoPortalListen is the demo's portal: this machine only, any free port.
const demoPortalListen = "127.0.0.1:0"

func (c PortalConfig) validate() error {
	if c.FollowUpDays < 0 || c.FollowUpDays > 365 {
		return fmt.Errorf("config: portal.follow_up_days must be 0..365, not %d", c.FollowUpDays)
	}
	for i, k := range c.Open311Keys {
		if len(k) < 16 {
			return fmt.Errorf("config: portal.open311_keys[%d] has fewer than 16 characters", i)
		}
	}
	return nil
}

// startPortal serves the public portal on its own address when configured.
func (a *app) startPortal(ingester portal.Intake, cal *calendar.Calendar) error {
	listen := a.cfg.Portal.Listen
	if listen == "" && a.cfg.Demo {
		listen = demoPortalListen
	}
	if listen == "" {
		return nil
	}
	ps, ok := a.store.(portal.Store)
	if !ok {
		return fmt.Errorf("portal: the store keeps no portal letters")
	}
	p := &portal.Portal{
		Store:          ps,
		Intake:         ingester,
		Rater:          workflowRater{a.client},
		Deadlines:      portalDeadlines{a.cfg.Deadlines, cal},
		Departments:    func() []minyi.Department { return a.router.Directory().Departments() },
		FollowUpDays:   a.cfg.Portal.FollowUpDays,
		PublicStats:    a.cfg.Portal.PublicStats == nil || *a.cfg.Portal.PublicStats,
		Open311Keys:    a.cfg.Portal.Open311Keys,
		Secret:         []byte(a.cfg.Portal.ChallengeSecret),
		TrustedProxies: a.cfg.trustedProxies(),
		Logger:         a.logger,
		// Beside the reply files, where the case page shows them to the
		// department and supervisors.
		Photos: web.LetterPhotos{Dir: a.cfg.attachmentDir()},
		Files:  web.LetterPhotos{Dir: a.cfg.attachmentDir()},
	}
	if s := a.cfg.Notify.SMTP; s.Addr != "" {
		p.Mailer = codeMailer{s}
	}
	p.FollowUps = workflowclient.FollowUpNotices{Client: a.client}
	h := p.Handler()
	url, stop, err := serveHTTP(listen, h)
	if err != nil {
		return fmt.Errorf("starting the portal: %w", err)
	}
	a.portal, a.portalURL = p, url
	a.stop = append(a.stop, stop)
	a.logger.Info("public portal", "url", url)
	return nil
}

// workflowRater carries a citizen's rating to the case workflow's rate
// update, the same one a supervisor's 回访 form uses.
type workflowRater struct{ c client.Client }

func (r workflowRater) Rate(ctx context.Context, caseID string, rating minyi.Rating, comment string) (minyi.Case, error) {
	return workflowclient.WorkflowCaseUpdater{Client: r.c}.UpdateCase(ctx, caseID, workflows.UpdateRate,
		workflows.RatingRequest{Rating: rating, Comment: comment})
}

// portalDeadlines tells a writer the deadline the case will get: the
// policy's working days for the portal's channel and type.
type portalDeadlines struct {
	policy deadline.Policy
	cal    *calendar.Calendar
}

func (d portalDeadlines) Plan(t minyi.MessageType, received time.Time) (int, time.Time) {
	return d.policy.DaysFor(minyi.PortalSource, t), d.policy.Plan(d.cal, minyi.PortalSource, t, received).Due
}

// codeMailer sends a letter's number and 查询码 to its writer by e-mail.
type codeMailer struct{ s SMTPConfig }

func (m codeMailer) SendCode(ctx context.Context, to, number, code string) error {
	n := notify.Notification{Title: "您的信件已受理：编号 " + number,
		Text: "信件编号：" + number + "\n查询码：" + code + "\n凭编号和查询码可在市民信箱查看办理进度和答复。请妥善保管查询码。"}
	return notify.SMTP{Addr: m.s.Addr, From: m.s.From, To: []string{to}, Username: m.s.Username, Password: m.s.Password}.Notify(ctx, n)
}

// attachmentDir keeps the files of cases: reply files, and the photos sent
// with portal letters.
func (c Config) attachmentDir() string { return filepath.Join(c.DataDir, "attachments") }
