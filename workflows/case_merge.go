package workflows

import (
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/deadline"
)

// 并单: a supervisor merges a repeat letter (the "merged" case) into an
// earlier open case of the same department (the "primary"). The two case
// workflows agree by signals, since a workflow may not call another's
// update: the merged case asks, the primary takes the letter or says why
// not, and later hands its reply to every letter it took. Each letter keeps
// its own petitioner, rating window and place in every rate.

// Signals between the case workflows of a merge; no one else sends them.
const (
	signalMergeAsk     = "merge-ask"        // mergeAsk, merged case → primary
	signalMergeAnswer  = "merge-answer"     // mergeAnswer, primary → merged case
	signalMergedReply  = "merged-reply"     // mergedReply, primary → each merged case
	signalPrimaryNews  = "primary-news"     // primaryNews, primary → each merged case
	mergeVersion       = "case-merge"       // GetVersion change id of 并单
	mergeAnswerTimeout = 2 * time.Minute    // a primary busy longer than this is asked again by the supervisor
	maxMergeReasonRune = maxReplyRunes / 10 // as the API bounds a reason
)

type mergeAsk struct {
	Case       string
	Department string
	Supervisor string
	Attempt    int // echoed in the answer: a late answer to an earlier ask is dropped
}

type mergeAnswer struct {
	Attempt int
	Case    minyi.Case // the primary after taking the letter
	Code    string     // a minyi error code when the primary refused
	Message string
}

// mergedReply is the primary's reply, recorded by each merged case as its own.
type mergedReply struct {
	Primary    string
	Type       minyi.EventType // replied, or source_replied
	Department string
	Detail     string
	At         time.Time
}

// primaryNews tells merged cases where the primary stands now: they follow
// its department, status and due date until it is answered.
type primaryNews struct {
	Primary    string
	Status     minyi.CaseStatus
	Department string
	Due        time.Time
}

// mayMerge validates an UpdateMerge on the case to be merged.
func (s *caseState) mayMerge(r MergeRequest) error {
	switch {
	case r.Supervisor == "":
		return rejected(minyi.EFORBIDDEN, "only a supervisor merges cases (并单)")
	case strings.TrimSpace(r.Into) == "":
		return rejected(minyi.EINVALID, "并单 needs the case to merge into")
	case r.Into == s.c.ID:
		return rejected(minyi.EINVALID, "case %s cannot be merged into itself", s.c.ID)
	case utf8.RuneCountInString(r.Reason) > maxMergeReasonRune:
		return rejected(minyi.EINVALID, "the reason is longer than %d characters", maxMergeReasonRune)
	case s.incident:
		return rejected(minyi.EINVALID, "%s is a 舆情事件: it is not merged", s.c.ID)
	case s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting:
		return rejected(minyi.ECONFLICT, "case %s is %s: only an unanswered letter is merged", s.c.ID, s.c.Status)
	case s.c.MergedInto != "":
		return rejected(minyi.ECONFLICT, "case %s is already merged into %s", s.c.ID, s.c.MergedInto)
	case s.mergingInto != "":
		return rejected(minyi.ECONFLICT, "case %s is being merged into %s", s.c.ID, s.mergingInto)
	case len(s.merged) > 0:
		return rejected(minyi.ECONFLICT, "letters are merged into case %s: merge those into the other case first", s.c.ID)
	}
	return nil
}

// merge asks the primary to take this letter and, once it has, follows it:
// the ladder stops (the primary's climbs for both) and the due date is the
// primary's.
func (s *caseState) merge(ctx workflow.Context, r MergeRequest) (minyi.Case, error) {
	workflow.GetVersion(ctx, mergeVersion, workflow.DefaultVersion, 1)
	s.mergingInto = r.Into
	s.mergeAttempt++
	ask := mergeAsk{Case: s.c.ID, Department: s.c.Department, Supervisor: r.Supervisor, Attempt: s.mergeAttempt}
	answer, err := s.ask(ctx, r.Into, ask)
	if err == nil && s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting {
		// A reply seen on the source meanwhile: the letter is answered on
		// its own, and ignores the primary's reply when it comes.
		err = rejected(minyi.ECONFLICT, "case %s was answered while it was being merged", s.c.ID)
	}
	if err != nil {
		s.mergingInto = ""
		return s.c, err
	}
	p := answer.Case
	s.c.MergedInto, s.pending, s.rerouteBy = r.Into, nil, time.Time{}
	s.climbed = len(deadline.Rungs)
	s.follow(primaryNews{Primary: p.ID, Status: p.Status, Department: p.Department, Due: p.Due})
	if s.cancelEscalation != nil {
		s.cancelEscalation()
	}
	detail := MergedDetail + r.Into
	if reason := strings.TrimSpace(r.Reason); reason != "" {
		detail += ": " + reason
	}
	return s.c, s.record(ctx, s.event(ctx, minyi.EventMerged, r.Supervisor, s.c.Department, detail))
}

// ask signals the primary and waits for its answer.
func (s *caseState) ask(ctx workflow.Context, into string, ask mergeAsk) (mergeAnswer, error) {
	var answer mergeAnswer
	if err := workflow.SignalExternalWorkflow(ctx, into, "", signalMergeAsk, ask).Get(ctx, nil); err != nil {
		return answer, rejected(minyi.ECONFLICT, "case %s takes no letters: it is closed or does not exist", into)
	}
	tctx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timedOut := false
	timer := workflow.NewTimer(tctx, mergeAnswerTimeout)
	ch := workflow.GetSignalChannel(ctx, signalMergeAnswer)
	for !timedOut && answer.Attempt != ask.Attempt {
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(ch, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &answer) })
		sel.AddFuture(timer, func(workflow.Future) { timedOut = true })
		sel.Select(ctx)
	}
	if answer.Attempt != ask.Attempt {
		return answer, rejected(minyi.EUNAVAILABLE, "case %s did not answer the merge in time; try again", into)
	}
	if answer.Code != "" {
		return answer, rejected(answer.Code, "%s", answer.Message)
	}
	return answer, nil
}

// follow mirrors the primary's department, status and due date.
func (s *caseState) follow(n primaryNews) {
	s.c.Department, s.c.Due = n.Department, n.Due
	if n.Status == minyi.CaseRouting || n.Department == "" {
		s.c.Status = minyi.CaseRouting
	} else {
		s.c.Status = minyi.CaseOpen
	}
	s.version++
}

// listenMerges takes the signals of merges, in the order they came: as a
// primary, letters asking to be merged; as a merged case, its primary's
// news and reply.
func (s *caseState) listenMerges(ctx workflow.Context) {
	asks := workflow.GetSignalChannel(ctx, signalMergeAsk)
	replies := workflow.GetSignalChannel(ctx, signalMergedReply)
	news := workflow.GetSignalChannel(ctx, signalPrimaryNews)
	log := workflow.GetLogger(ctx)
	for {
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(asks, func(c workflow.ReceiveChannel, _ bool) {
			var a mergeAsk
			c.Receive(ctx, &a)
			s.takeLetter(ctx, a)
		})
		sel.AddReceive(replies, func(c workflow.ReceiveChannel, _ bool) {
			var r mergedReply
			c.Receive(ctx, &r)
			if err := s.primaryAnswered(ctx, r); err != nil {
				log.Error("recording the reply of the case this one is merged into", "err", err)
			}
		})
		sel.AddReceive(news, func(c workflow.ReceiveChannel, _ bool) {
			var n primaryNews
			c.Receive(ctx, &n)
			if err := s.primaryChanged(ctx, n); err != nil {
				log.Error("following the case this one is merged into", "err", err)
			}
		})
		sel.Select(ctx)
	}
}

// mayTake tells whether this case, as a primary, takes the letter.
func (s *caseState) mayTake(a mergeAsk) error {
	switch {
	case a.Case == s.c.ID:
		return rejected(minyi.EINVALID, "case %s cannot be merged into itself", s.c.ID)
	case s.incident:
		return rejected(minyi.EINVALID, "%s is a 舆情事件: letters are not merged into it", s.c.ID)
	case s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting:
		return rejected(minyi.ECONFLICT, "case %s is %s: letters are merged only into an unanswered case", s.c.ID, s.c.Status)
	case s.c.MergedInto != "":
		return rejected(minyi.ECONFLICT, "case %s is itself merged into %s: merge into %s", s.c.ID, s.c.MergedInto, s.c.MergedInto)
	case s.mergingInto != "":
		return rejected(minyi.ECONFLICT, "case %s is being merged into %s", s.c.ID, s.mergingInto)
	case a.Department != s.c.Department:
		return rejected(minyi.ECONFLICT, "case %s is with another department: reassign the letter to it first", s.c.ID)
	}
	return nil
}

func (s *caseState) takeLetter(ctx workflow.Context, a mergeAsk) {
	workflow.GetVersion(ctx, mergeVersion, workflow.DefaultVersion, 1)
	answer := mergeAnswer{Attempt: a.Attempt}
	if err := s.mayTake(a); err != nil {
		answer.Code, answer.Message = refusal(err)
	} else if !slices.Contains(s.merged, a.Case) {
		s.merged = append(s.merged, a.Case)
		if err := s.record(ctx, s.event(ctx, minyi.EventMergedLetter, a.Supervisor, s.c.Department, a.Case)); err != nil {
			s.merged = slices.DeleteFunc(s.merged, func(id string) bool { return id == a.Case })
			answer.Code, answer.Message = minyi.EINTERNAL, "case "+s.c.ID+" could not record the letter; try again"
		}
	}
	answer.Case = s.c
	if err := workflow.SignalExternalWorkflow(ctx, a.Case, "", signalMergeAnswer, answer).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("merge answer not delivered", "case", a.Case, "err", err)
	}
}

// answerMerged hands the primary's reply to every letter merged into it.
// The letters taken are done with: one merged after a reopening (重办)
// waits for the next reply.
func (s *caseState) answerMerged(ctx workflow.Context, t minyi.EventType, detail string) {
	letters := s.merged
	s.merged = nil
	r := mergedReply{Primary: s.c.ID, Type: t, Department: s.c.Department, Detail: detail, At: s.c.Answered}
	s.signalMerged(ctx, letters, signalMergedReply, r)
}

// tellMerged tells the letters merged into this case where it stands.
func (s *caseState) tellMerged(ctx workflow.Context) {
	n := primaryNews{Primary: s.c.ID, Status: s.c.Status, Department: s.c.Department, Due: s.c.Due}
	s.signalMerged(ctx, s.merged, signalPrimaryNews, n)
}

// signalMerged signals every letter at once, then waits for all; a letter
// whose workflow is gone is logged, never failing the primary.
func (s *caseState) signalMerged(ctx workflow.Context, letters []string, name string, arg any) {
	sent := make([]workflow.Future, len(letters))
	for i, id := range letters {
		sent[i] = workflow.SignalExternalWorkflow(ctx, id, "", name, arg)
	}
	for i, f := range sent {
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("merged letter not told", "case", letters[i], "signal", name, "err", err)
		}
	}
}

// primaryAnswered records the primary's reply as this case's own; its
// rating window then runs as after any reply.
func (s *caseState) primaryAnswered(ctx workflow.Context, r mergedReply) error {
	// The answer of the merge and the reply may come in one task: the
	// merge handler then sets MergedInto first.
	if err := workflow.Await(ctx, func() bool { return s.mergingInto != r.Primary || s.c.MergedInto == r.Primary }); err != nil {
		return err
	}
	if s.c.MergedInto != r.Primary || (s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting) {
		return nil
	}
	s.c.Department = r.Department
	s.answer(r.At)
	return s.record(ctx, s.event(ctx, r.Type, r.Department, r.Department, r.Detail))
}

// primaryChanged follows the primary reassigned, returned or extended.
func (s *caseState) primaryChanged(ctx workflow.Context, n primaryNews) error {
	if s.c.MergedInto != n.Primary || (s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting) {
		return nil
	}
	moved := n.Department != s.c.Department
	s.follow(n)
	if !moved {
		return s.record(ctx)
	}
	return s.record(ctx, s.event(ctx, minyi.EventReassigned, "system", n.Department, "并单 follows "+n.Primary))
}

// leaveMerge: a merged letter reopened (重办) on its own petitioner's
// dissatisfied rating is its own case again, answered by its department.
func (s *caseState) leaveMerge() {
	s.c.MergedInto, s.mergingInto = "", ""
}

// refusal is the code and message of a rejection, to pass on in an answer.
func refusal(err error) (code, message string) {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type(), appErr.Message()
	}
	return minyi.EINTERNAL, err.Error()
}
