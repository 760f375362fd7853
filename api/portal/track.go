package portal

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// stage is one step of a letter's timeline as the citizen reads it.
type stage struct {
	Label  string
	At     time.Time
	Detail string
	Done   bool
}

// trackPage is what the writer sees with the 查询码: never the contact.
type trackPage struct {
	Number     string
	Code       string // carried in the page's forms (rate, follow-up), never in a URL
	Letter     minyi.PortalLetter
	Title      string
	Type       string
	Case       *minyi.Case
	Department string
	Stages     []stage
	Reply      *stage
	Files      []replyFile // sent with the reply
	FollowUps  []stage
	MayRate    bool
	MayFollow  bool
	FollowDays int
	Ratings    []minyi.Rating
	Flash      string
	Error      string
}

func (p *Portal) trackForm(c echo.Context) error {
	return p.render(c, http.StatusOK, "track", page{Title: labels.T("portal.track.title"), Nav: "track"})
}

// unlock finds the letter a number and 查询码 name. Wrong codes are counted
// per address and per letter, as failed logins are, and lock both for a
// while; a right code clears the address's count.
func (p *Portal) unlock(c echo.Context) (minyi.PortalLetter, string, error) {
	number := strings.ToUpper(strings.TrimSpace(c.FormValue("number")))
	code := strings.ToUpper(strings.TrimSpace(c.FormValue("code")))
	now := p.Now()
	addr, letter := "fail:"+c.RealIP(), "fail-letter:"+number
	if p.limits.over(addr, failuresPerAddr, now) || p.limits.over(letter, failuresPerLetter, now) {
		return minyi.PortalLetter{}, "", errTooMany{labels.T("portal.track.locked")}
	}
	wrong := func() error {
		p.limits.add(addr, failuresPerAddr, now)
		p.limits.add(letter, failuresPerLetter, now)
		p.audit(c, "portal_code_failed", clip(number, 40), "")
		return refuse(minyi.ENOTFOUND, "portal.track.wrong")
	}
	if number == "" || code == "" || len(number) > 40 || len(code) > 40 {
		return minyi.PortalLetter{}, "", refuse(minyi.EINVALID, "portal.track.missing")
	}
	l, err := p.Store.PortalLetter(c.Request().Context(), number)
	switch {
	case minyi.ErrorCode(err) == minyi.ENOTFOUND:
		return l, "", wrong()
	case err != nil:
		return l, "", err
	case !codeMatches(l, code):
		return l, "", wrong()
	}
	p.limits.reset(addr)
	return l, code, nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (p *Portal) track(c echo.Context) error {
	l, code, err := p.unlock(c)
	if err != nil {
		return p.trackError(c, err)
	}
	return p.showTrack(c, l, code, "")
}

// trackError shows the 查询 form again with what went wrong.
func (p *Portal) trackError(c echo.Context, err error) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	return p.render(c, status, "track", page{Title: labels.T("portal.track.title"), Nav: "track",
		Data: trackPage{Number: c.FormValue("number"), Error: message(err, status)}})
}

func (p *Portal) showTrack(c echo.Context, l minyi.PortalLetter, code, flash string) error {
	tp, err := p.trackData(c.Request().Context(), l)
	if err != nil {
		return err
	}
	tp.Code, tp.Flash, tp.Files = code, flash, p.replyFiles(tp)
	return p.render(c, http.StatusOK, "status", page{Title: labels.T("portal.track.title"), Nav: "track", Data: tp})
}

// trackData is the letter's status for its writer: the timeline from the
// case's events, the deadline, the reply, the rating.
func (p *Portal) trackData(ctx context.Context, l minyi.PortalLetter) (trackPage, error) {
	tp := trackPage{Number: l.Number, Letter: l, FollowDays: p.FollowUpDays, Ratings: minyi.Ratings}
	accepted := stage{Label: labels.T("portal.stage.received"), At: l.Created, Done: true}
	switch l.State {
	case minyi.LetterHeld:
		tp.Stages = []stage{accepted, {Label: labels.T("portal.stage.held"), Detail: labels.T("portal.stage.held_detail")}}
		if l.Held != nil {
			tp.Title, tp.Type = l.Held.Title, l.Held.MessageType
		}
		return tp, nil
	case minyi.LetterRejected:
		tp.Stages = []stage{accepted, {Label: labels.T("portal.stage.rejected"), At: l.Updated, Detail: l.Review, Done: true}}
		return tp, nil
	}
	c, err := p.Store.Case(ctx, minyi.CaseIDFor(l.DocumentID))
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		// Stored, the pipeline not through yet: 受理, and routing to come.
		tp.Stages = []stage{accepted, {Label: labels.T("portal.stage.routed"), Detail: labels.T("portal.stage.routing")}}
		return tp, nil
	} else if err != nil {
		return tp, err
	}
	events, err := p.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return tp, err
	}
	tp.Case, tp.Title, tp.Type = c, c.Title, string(c.MessageType)
	tp.Department = p.departmentName(c.Department)
	tp.Stages, tp.Reply, tp.FollowUps = p.timeline(c, events)
	now := p.Now()
	tp.MayRate = c.Status == minyi.CaseAnswered && p.Rater != nil
	tp.MayFollow = (c.Status == minyi.CaseAnswered || c.Status == minyi.CaseClosed) && !c.Answered.IsZero() &&
		now.Before(c.Answered.AddDate(0, 0, p.FollowUpDays)) && len(tp.FollowUps) < maxFollowUps
	return tp, nil
}

const maxFollowUps = 5

// timeline turns a case's events into the stages a citizen follows:
// 受理 → 交办 → 办理中 → 已答复, with 延期 and 重办 where they happened.
func (p *Portal) timeline(c *minyi.Case, events []minyi.CaseEvent) (stages []stage, reply *stage, followUps []stage) {
	stages = []stage{{Label: labels.T("portal.stage.received"), At: c.Received, Done: true}}
	routed := false
	for _, e := range events {
		switch e.Type {
		case minyi.EventRouted, minyi.EventReassigned:
			if !routed {
				stages = append(stages, stage{Label: labels.T("portal.stage.routed"), At: e.At, Detail: p.departmentName(e.Department), Done: true})
				routed = true
			}
		case minyi.EventExtensionApproved:
			stages = append(stages, stage{Label: labels.T("portal.stage.extended"), At: e.At,
				Detail: labels.Tf("portal.stage.new_due", e.Due.In(minyi.ChinaTime).Format("2006-01-02")), Done: true})
		case minyi.EventReplied:
			text := strings.TrimPrefix(e.Detail, "[未解决 unresolved] ")
			reply = &stage{Label: p.departmentName(e.Department), At: e.At, Detail: text, Done: true}
			stages = append(stages, stage{Label: labels.T("portal.stage.answered"), At: e.At, Done: true})
		case minyi.EventReopened:
			stages = append(stages, stage{Label: labels.T("portal.stage.reopened"), At: e.At, Done: true})
		case minyi.EventRated:
			r, _, _ := strings.Cut(e.Detail, " ")
			stages = append(stages, stage{Label: labels.T("portal.stage.rated"), At: e.At, Detail: minyi.Rating(r).Label(), Done: true})
		case minyi.EventFollowUp:
			followUps = append(followUps, stage{Label: labels.T("portal.followup.title"), At: e.At, Detail: e.Detail, Done: true})
		}
	}
	if !routed {
		stages = append(stages, stage{Label: labels.T("portal.stage.routed"), Detail: labels.T("portal.stage.routing")})
	}
	if c.Status == minyi.CaseOpen || c.Status == minyi.CaseRouting {
		stages = append(stages, stage{Label: labels.T("portal.stage.handling"), Detail: labels.Tf("portal.stage.due", c.Due.In(minyi.ChinaTime).Format("2006-01-02")), Done: c.Status == minyi.CaseOpen})
	}
	return stages, reply, followUps
}

// rate gives the case the writer's rating through the case workflow.
func (p *Portal) rate(c echo.Context) error {
	l, code, err := p.unlock(c)
	if err != nil {
		return p.trackError(c, err)
	}
	if !p.limits.add("act:"+c.RealIP(), actionsPerAddress, p.Now()) {
		return errTooMany{labels.T("portal.limit.address")}
	}
	r := minyi.Rating(c.FormValue("rating"))
	if !slices.Contains(minyi.Ratings, r) {
		return refuse(minyi.EINVALID, "portal.rate.choose")
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if utf8.RuneCountInString(reason) > 500 {
		return refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.rate.reason"), 500)
	}
	if l.State != minyi.LetterAccepted || p.Rater == nil {
		return refuse(minyi.ECONFLICT, "portal.rate.not_now")
	}
	if _, err := p.Rater.Rate(c.Request().Context(), minyi.CaseIDFor(l.DocumentID), r, reason); err != nil {
		if code := minyi.ErrorCode(err); code == minyi.ECONFLICT || code == minyi.ENOTFOUND {
			return refuse(minyi.ECONFLICT, "portal.rate.not_now")
		}
		return err
	}
	p.audit(c, "portal_rate", l.Number, string(r))
	return p.showTrack(c, l, code, labels.T("portal.rate.thanks"))
}

// followUp joins a writer's follow-up question (追问) to the case, as an
// event the department reads on the case page.
func (p *Portal) followUp(c echo.Context) error {
	l, code, err := p.unlock(c)
	if err != nil {
		return p.trackError(c, err)
	}
	now := p.Now()
	if !p.limits.add("act:"+c.RealIP(), actionsPerAddress, now) {
		return errTooMany{labels.T("portal.limit.address")}
	}
	text := strings.TrimSpace(strings.ToValidUTF8(c.FormValue("text"), ""))
	switch {
	case text == "":
		return refuse(minyi.EINVALID, "portal.followup.empty")
	case utf8.RuneCountInString(text) > maxFollowUp:
		return refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.followup.title"), maxFollowUp)
	}
	tp, err := p.trackData(c.Request().Context(), l)
	if err != nil {
		return err
	}
	if !tp.MayFollow {
		return refuse(minyi.ECONFLICT, "portal.followup.closed", p.FollowUpDays)
	}
	e := minyi.CaseEvent{CaseID: tp.Case.ID, Key: fmt.Sprintf("follow-up-%d", now.UnixNano()), Type: minyi.EventFollowUp,
		At: now, Actor: "citizen", Department: tp.Case.Department, Detail: text}
	if err := p.Store.AppendCaseEvents(c.Request().Context(), []minyi.CaseEvent{e}); err != nil {
		return err
	}
	if p.FollowUps != nil {
		// The question is on the case's timeline whatever happens here; a
		// notice that could not be handed over is the operator's to see.
		if err := p.FollowUps.FollowedUp(c.Request().Context(), *tp.Case, e); err != nil {
			p.Logger.Error("追问 notice not started", "case", tp.Case.ID, "err", err)
		}
	}
	p.audit(c, "portal_follow_up", l.Number, "")
	return p.showTrack(c, l, code, labels.T("portal.followup.sent"))
}
