package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
	"minyi/deadline"
)

const maxReplyRunes = 20_000

// rejected is how an update says no: the type is a minyi error code, which
// the API maps to an HTTP status.
func rejected(code, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), code)
}

// assignedTo rejects an action by any department but the assigned one.
func (s *caseState) assignedTo(department string) error {
	switch {
	case s.c.Status == minyi.CaseClosed:
		return rejected(minyi.ECONFLICT, "case %s is closed", s.c.ID)
	case s.c.Status != minyi.CaseOpen:
		return rejected(minyi.ECONFLICT, "case %s is %s, not open", s.c.ID, s.c.Status)
	case s.c.MergedInto != "":
		return rejected(minyi.ECONFLICT, "case %s is merged into %s (并单): the reply there answers it", s.c.ID, s.c.MergedInto)
	case s.mergingInto != "":
		return rejected(minyi.ECONFLICT, "case %s is being merged into %s (并单)", s.c.ID, s.mergingInto)
	case department == "" || department != s.c.Department:
		return rejected(minyi.EFORBIDDEN, "case %s is assigned to another department", s.c.ID)
	}
	return nil
}

func (s *caseState) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryCase, func() (minyi.Case, error) { return s.c, nil }); err != nil {
		return err
	}
	handlers := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateReply, s.reply, func(r ReplyRequest) error {
			if err := s.assignedTo(r.Department); err != nil {
				return err
			}
			if text := strings.TrimSpace(r.Text); text == "" {
				return rejected(minyi.EINVALID, "reply text is empty")
			} else if utf8.RuneCountInString(text) > maxReplyRunes {
				return rejected(minyi.EINVALID, "reply is longer than %d characters", maxReplyRunes)
			}
			return nil
		}},
		{UpdateReturn, s.giveBack, func(r ReturnRequest) error {
			if err := s.assignedTo(r.Department); err != nil {
				return err
			}
			if strings.TrimSpace(r.Reason) == "" {
				return rejected(minyi.EINVALID, "a return (回退) needs a reason")
			}
			return nil
		}},
		{UpdateRequestExtension, s.requestExtension, func(r ExtensionRequest) error {
			if err := s.assignedTo(r.Department); err != nil {
				return err
			}
			switch {
			case strings.TrimSpace(r.Reason) == "":
				return rejected(minyi.EINVALID, "an extension (延期) needs a reason")
			case r.Days <= 0:
				return rejected(minyi.EINVALID, "extension days must be positive")
			case s.c.Extended:
				return rejected(minyi.ECONFLICT, "case %s was already extended once", s.c.ID)
			case s.pending != nil:
				return rejected(minyi.ECONFLICT, "an extension request for case %s is waiting for a decision", s.c.ID)
			case !workflow.Now(ctx).Before(s.c.Due):
				return rejected(minyi.EINVALID, "the due date has passed: an extension must be asked for before it")
			}
			return nil
		}},
		{UpdateDecideExtension, s.decideExtension, func(d ExtensionDecision) error {
			switch {
			case d.Supervisor == "":
				return rejected(minyi.EFORBIDDEN, "only a supervisor decides on extensions")
			case s.pending == nil:
				return rejected(minyi.ECONFLICT, "case %s has no extension request waiting", s.c.ID)
			}
			return nil
		}},
		{UpdateRate, s.rate, func(r RatingRequest) error {
			if s.incident {
				return rejected(minyi.EINVALID, "%s is a 舆情事件: its analyst closes it, nobody rates it", s.c.ID)
			}
			if s.c.Status != minyi.CaseAnswered {
				return rejected(minyi.ECONFLICT, "case %s is %s: only an answered case can be rated", s.c.ID, s.c.Status)
			}
			switch r.Rating {
			case minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied:
				return nil
			}
			return rejected(minyi.EINVALID, "rating must be satisfied, basic or dissatisfied")
		}},
		{UpdateReassign, s.reassign, func(r ReassignRequest) error {
			switch {
			case r.Supervisor == "":
				return rejected(minyi.EFORBIDDEN, "only a supervisor reassigns cases")
			case s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting:
				return rejected(minyi.ECONFLICT, "case %s is %s: only an open case can be reassigned", s.c.ID, s.c.Status)
			case s.c.MergedInto != "":
				return rejected(minyi.ECONFLICT, "case %s is merged into %s (并单): reassign that case", s.c.ID, s.c.MergedInto)
			case r.Department == "":
				return rejected(minyi.EINVALID, "reassign needs a department")
			case r.Department == s.c.Department:
				return rejected(minyi.EINVALID, "case %s is already assigned to %s", s.c.ID, r.Department)
			}
			return nil
		}},
		{UpdateMerge, s.merge, s.mayMerge},
		{UpdateCloseIncident, s.closeIncident, func(r CloseRequest) error {
			switch {
			case !s.incident:
				return rejected(minyi.EINVALID, "case %s is not a 舆情事件: a citizen rating closes it", s.c.ID)
			case r.Analyst == "":
				return rejected(minyi.EFORBIDDEN, "only an analyst closes a 舆情事件")
			case s.c.Status != minyi.CaseAnswered:
				return rejected(minyi.ECONFLICT, "舆情事件 %s is %s: it closes once the department has recorded its 处置", s.c.ID, s.c.Status)
			case utf8.RuneCountInString(r.Note) > maxReplyRunes:
				return rejected(minyi.EINVALID, "the closing note is longer than %d characters", maxReplyRunes)
			}
			return nil
		}},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler,
			workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

func (s *caseState) reply(ctx workflow.Context, r ReplyRequest) (minyi.Case, error) {
	s.answer(workflow.Now(ctx))
	detail := strings.TrimSpace(r.Text)
	if !r.Resolved {
		detail = "[未解决 unresolved] " + detail
	}
	if err := s.record(ctx, s.event(ctx, minyi.EventReplied, r.Department, r.Department, detail)); err != nil {
		return s.c, err
	}
	s.answerMerged(ctx, minyi.EventReplied, detail)
	return s.c, nil
}

// giveBack handles a return (回退): the case goes back to routing, to any
// department but those that returned it, within the re-route deadline.
func (s *caseState) giveBack(ctx workflow.Context, r ReturnRequest) (minyi.Case, error) {
	s.c.Status, s.c.Department, s.c.Routing = minyi.CaseRouting, "", nil
	s.c.Returns++
	s.excluded = append(s.excluded, r.Department)
	s.version++
	if err := s.record(ctx, s.event(ctx, minyi.EventReturned, r.Department, r.Department, r.Reason)); err != nil {
		return s.c, err
	}
	s.tellMerged(ctx)
	var by = s.rerouteBy
	if err := workflow.ExecuteActivity(quick(ctx), a.RerouteDeadline, workflow.Now(ctx)).Get(ctx, &by); err != nil {
		return s.c, err
	}
	s.rerouteBy, s.rerouteFired = by, false
	if s.incident {
		return s.c, nil // no rule routes a 舆情事件: a supervisor reassigns it by rerouteBy
	}
	var res activities.RouteResult
	in := activities.RouteInput{DocumentID: s.c.DocumentID, Type: s.c.MessageType, Region: s.c.Region, Exclude: slices.Clone(s.excluded)}
	if err := workflow.ExecuteActivity(quick(ctx), a.RouteCase, in).Get(ctx, &res); err != nil {
		return s.c, err
	}
	if res.Routing == nil {
		return s.c, nil // stays in routing; the main loop escalates at rerouteBy
	}
	return s.c, s.assign(ctx, *res.Routing, "system")
}

func (s *caseState) assign(ctx workflow.Context, r minyi.Routing, actor string) error {
	r.At = workflow.Now(ctx)
	s.c.Routing, s.c.Department, s.c.Status = &r, r.Department, minyi.CaseOpen
	s.rerouteBy = time.Time{}
	s.version++
	t := minyi.EventRouted
	if actor != "system" {
		t = minyi.EventReassigned
	}
	if err := s.record(ctx, s.event(ctx, t, actor, r.Department, r.Reason)); err != nil {
		return err
	}
	s.tellMerged(ctx)
	s.notify(ctx, activities.Notice{Kind: minyi.NoticeAssigned, Text: "新交办案件 / case assigned: " + r.Reason})
	return nil
}

func (s *caseState) reassign(ctx workflow.Context, r ReassignRequest) (minyi.Case, error) {
	reason := fmt.Sprintf("督查改派 reassigned by %s: %s", r.Supervisor, r.Reason)
	err := s.assign(ctx, minyi.Routing{Department: r.Department, Rule: "reassign", Reason: reason}, r.Supervisor)
	return s.c, err
}

func (s *caseState) requestExtension(ctx workflow.Context, r ExtensionRequest) (minyi.Case, error) {
	s.pending = &r
	detail := fmt.Sprintf("%d days: %s", r.Days, r.Reason)
	if err := s.record(ctx, s.event(ctx, minyi.EventExtensionRequested, r.Department, r.Department, detail)); err != nil {
		return s.c, err
	}
	s.notify(ctx, activities.Notice{Kind: minyi.NoticeExtension, Supervisor: true, Text: "延期申请 extension requested: " + detail})
	return s.c, nil
}

// decideExtension: an approved extension moves the due date and every rung
// not yet fired; rungs already fired stay fired.
func (s *caseState) decideExtension(ctx workflow.Context, d ExtensionDecision) (minyi.Case, error) {
	req := *s.pending
	if !d.Approve {
		s.pending = nil
		return s.c, s.record(ctx, s.event(ctx, minyi.EventExtensionRejected, d.Supervisor, s.c.Department, d.Reason))
	}
	var l deadline.Ladder
	in := activities.ExtendInput{Ladder: s.ladder, Type: s.c.MessageType, Days: req.Days}
	if err := workflow.ExecuteActivity(quick(ctx), a.ExtendLadder, in).Get(ctx, &l); err != nil {
		return s.c, err // the request stays pending: the supervisor may reject it instead
	}
	s.pending, s.ladder, s.c.Due, s.c.Extended = nil, l, l.Due, true
	s.version++
	detail := fmt.Sprintf("%d days approved: %s", req.Days, d.Reason)
	if err := s.record(ctx, s.event(ctx, minyi.EventExtensionApproved, d.Supervisor, s.c.Department, detail)); err != nil {
		return s.c, err
	}
	s.tellMerged(ctx)
	return s.c, nil
}

// rate records the citizen's 回访; the first dissatisfied rating reopens the
// case (重办) with a fresh deadline and ladder.
func (s *caseState) rate(ctx workflow.Context, r RatingRequest) (minyi.Case, error) {
	s.c.Rating = r.Rating
	s.version++
	events := []minyi.CaseEvent{s.event(ctx, minyi.EventRated, "citizen", s.c.Department, string(r.Rating)+" "+r.Comment)}
	if r.Rating != minyi.RatingDissatisfied || s.c.Redo {
		s.c.Status = minyi.CaseClosed
		events = append(events, s.event(ctx, minyi.EventClosed, "system", s.c.Department, ""))
		return s.c, s.record(ctx, events...)
	}
	var l deadline.Ladder
	in := activities.PlanInput{Source: s.c.Source, Type: s.c.MessageType, Received: workflow.Now(ctx)}
	if err := workflow.ExecuteActivity(quick(ctx), a.PlanLadder, in).Get(ctx, &l); err != nil {
		return s.c, err
	}
	s.ladder, s.climbed, s.cycle = l, 0, s.cycle+1
	s.leaveMerge()
	s.c.Status, s.c.Redo, s.c.Due, s.c.Answered, s.c.OnTime, s.c.Rung = minyi.CaseOpen, true, l.Due, time.Time{}, false, minyi.RungNone
	events = append(events, s.event(ctx, minyi.EventReopened, "system", s.c.Department, "重办: dissatisfied rating"))
	return s.c, s.record(ctx, events...)
}

// closeIncident closes a 舆情事件 its department has answered.
func (s *caseState) closeIncident(ctx workflow.Context, r CloseRequest) (minyi.Case, error) {
	s.c.Status = minyi.CaseClosed
	s.version++
	return s.c, s.record(ctx, s.event(ctx, minyi.EventClosed, r.Analyst, s.c.Department, strings.TrimSpace(r.Note)))
}
