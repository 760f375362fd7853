package workflows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"minyi"
)

// The test environment runs one workflow: the other side of a merge is
// played by signals sent to it and by the signals it sends, caught here.

// signalAt sends the workflow a signal after delay.
func (h *caseHarness) signalAt(after time.Duration, name string, arg any) {
	h.env.RegisterDelayedCallback(func() { h.env.SignalWorkflow(name, arg) }, after)
}

// sent catches the signals the workflow sends to other cases, by name.
func (h *caseHarness) sent(answer func(target string, arg any)) map[string][]any {
	out := map[string][]any{}
	h.env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return(
		func(_, target, _, name string, arg any) error {
			h.mu.Lock()
			out[name] = append(out[name], arg)
			h.mu.Unlock()
			if answer != nil {
				answer(target, arg)
			}
			return nil
		})
	return out
}

// primaryOK plays a primary, case-doc0, that takes the letter: due at day 5.
func (h *caseHarness) primaryOK() map[string][]any {
	return h.sent(func(target string, arg any) {
		if ask, ok := arg.(mergeAsk); ok {
			p := minyi.Case{ID: target, Department: "env", Status: minyi.CaseOpen, Due: h.t0.Add(5 * day)}
			h.env.RegisterDelayedCallback(func() {
				h.env.SignalWorkflow(signalMergeAnswer, mergeAnswer{Attempt: ask.Attempt, Case: p})
			}, time.Minute)
		}
	})
}

func codeOf(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Type()
	}
	return ""
}

// The merged letter stops its own ladder, takes the primary's due date,
// refuses its department's own reply, and records the primary's reply as
// its own; its petitioner then rates it on its own.
func TestMergedLetterFollowsPrimary(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	sent := h.primaryOK()
	self := h.update(day-time.Hour, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc1"})
	anon := h.update(day-time.Minute, UpdateMerge, MergeRequest{Into: "case-doc0"})
	merge := h.update(day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0", Reason: "同一工地"})
	again := h.update(2*day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc9"})
	ownReply := h.update(2*day+time.Hour, UpdateReply, ReplyRequest{Department: "env", Text: "自行答复"})
	reassign := h.update(2*day+2*time.Hour, UpdateReassign, ReassignRequest{Supervisor: "督查室", Department: "housing"})
	h.signalAt(20*day, signalMergedReply, mergedReply{Primary: "case-doc0", Type: minyi.EventReplied,
		Department: "env", Detail: "已责令停工", At: h.t0.Add(20 * day)})
	rate := h.update(21*day, UpdateRate, RatingRequest{Rating: minyi.RatingBasic})
	c := h.run()

	require.Equal(t, minyi.EINVALID, codeOf(self.err))
	require.Equal(t, minyi.EFORBIDDEN, codeOf(anon.err))
	require.True(t, merge.completed)
	require.NoError(t, merge.err)
	require.Equal(t, minyi.ECONFLICT, codeOf(again.err), "a merged letter is not merged again")
	require.Equal(t, minyi.ECONFLICT, codeOf(ownReply.err), "the primary's reply answers a merged letter")
	require.Equal(t, minyi.ECONFLICT, codeOf(reassign.err))
	require.NoError(t, rate.err)
	require.Len(t, sent[signalMergeAsk], 1)
	require.Equal(t, mergeAsk{Case: "case-doc1", Department: "env", Supervisor: "督查室", Attempt: 1}, sent[signalMergeAsk][0])

	require.Equal(t, "case-doc0", c.MergedInto)
	require.Equal(t, minyi.CaseClosed, c.Status)
	require.Equal(t, minyi.RatingBasic, c.Rating)
	require.Equal(t, h.t0.Add(5*day), c.Due.UTC(), "the primary's due date")
	require.Equal(t, h.t0.Add(20*day), c.Answered.UTC())
	require.False(t, c.OnTime, "answered after the primary's due date")
	ev := h.eventTimes()
	require.Equal(t, []time.Time{h.t0.Add(day + time.Minute)}, ev[minyi.EventMerged])
	require.Equal(t, []time.Time{h.t0.Add(20 * day)}, ev[minyi.EventReplied])
	for _, rung := range []minyi.EventType{minyi.EventReminder, minyi.EventOverdue, minyi.EventUrge, minyi.EventSupervise, minyi.EventNotice} {
		require.Empty(t, ev[rung], "the primary's ladder climbs for the merged letter, not its own (%s)", rung)
	}
	for _, e := range h.events {
		if e.Type == minyi.EventMerged {
			require.Equal(t, "并单 merged into case-doc0: 同一工地", e.Detail)
			require.Equal(t, "督查室", e.Actor)
		}
	}
}

// A primary that refuses (answered already, another department, itself
// merged) leaves the letter as it was: its own ladder, its own reply.
func TestMergeRefusedByPrimary(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.sent(func(target string, arg any) {
		if ask, ok := arg.(mergeAsk); ok {
			h.env.RegisterDelayedCallback(func() {
				h.env.SignalWorkflow(signalMergeAnswer, mergeAnswer{Attempt: ask.Attempt - 1}) // a stale answer is dropped
				h.env.SignalWorkflow(signalMergeAnswer, mergeAnswer{Attempt: ask.Attempt, Code: minyi.ECONFLICT, Message: "case-doc0 is answered"})
			}, time.Minute)
		}
	})
	merge := h.update(day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0"})
	reply := h.update(12*day, UpdateReply, ReplyRequest{Department: "env", Text: "已处理", Resolved: true})
	c := h.run()

	require.Equal(t, minyi.ECONFLICT, codeOf(merge.err))
	require.ErrorContains(t, merge.err, "case-doc0 is answered")
	require.NoError(t, reply.err, "the letter is still its department's to answer")
	require.Empty(t, c.MergedInto)
	ev := h.eventTimes()
	require.Empty(t, ev[minyi.EventMerged])
	require.Len(t, ev[minyi.EventOverdue], 1, "its own ladder still climbs")
}

// A primary that never answers: the merge fails as unavailable and can be
// tried again.
func TestMergeUnansweredTimesOut(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.sent(nil)
	first := h.update(day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0"})
	second := h.update(day+time.Hour, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0"})
	h.update(3*day, UpdateReply, ReplyRequest{Department: "env", Text: "已处理"})
	c := h.run()

	require.Equal(t, minyi.EUNAVAILABLE, codeOf(first.err))
	require.Equal(t, minyi.EUNAVAILABLE, codeOf(second.err), "tried again once the first gave up")
	require.Empty(t, c.MergedInto)
}

// As a primary: a letter of its department is taken, one of another
// department refused; the reply goes to the letter taken, once. After a
// dissatisfied rating reopens the primary (重办), its second reply goes to
// no letter: each petitioner rated the first reply on their own.
func TestPrimaryAnswersMergedLetters(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.env.OnActivity(a.PlanLadder, mock.Anything, mock.Anything).Return(ladderAt(h.t0.Add(3*day), 10*day), nil)
	sent := h.sent(nil)
	h.signalAt(day, signalMergeAsk, mergeAsk{Case: "case-doc2", Department: "env", Supervisor: "督查室", Attempt: 1})
	h.signalAt(day+time.Hour, signalMergeAsk, mergeAsk{Case: "case-doc3", Department: "housing", Supervisor: "督查室", Attempt: 1})
	h.signalAt(day+2*time.Hour, signalMergeAsk, mergeAsk{Case: "case-doc2", Department: "env", Supervisor: "督查室", Attempt: 2})
	h.update(2*day, UpdateReply, ReplyRequest{Department: "env", Text: "已责令停工", Resolved: true})
	h.update(3*day, UpdateRate, RatingRequest{Rating: minyi.RatingDissatisfied})
	late := mergeAsk{Case: "case-doc4", Department: "env", Supervisor: "督查室", Attempt: 1}
	h.signalAt(2*day+time.Hour, signalMergeAsk, late)
	h.update(4*day, UpdateReply, ReplyRequest{Department: "env", Text: "再次处理", Resolved: true})
	h.update(5*day, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	c := h.run()

	require.Equal(t, minyi.CaseClosed, c.Status)
	answers := sent[signalMergeAnswer]
	require.Len(t, answers, 4)
	ok := answers[0].(mergeAnswer)
	require.Empty(t, ok.Code)
	require.Equal(t, "case-doc1", ok.Case.ID)
	require.Equal(t, h.t0.Add(10*day), ok.Case.Due.UTC())
	require.Equal(t, minyi.ECONFLICT, answers[1].(mergeAnswer).Code, "another department's letter")
	require.Empty(t, answers[2].(mergeAnswer).Code, "asking again is answered alike")
	require.Equal(t, minyi.ECONFLICT, answers[3].(mergeAnswer).Code, "an answered case takes no letters")

	replies := sent[signalMergedReply]
	require.Len(t, replies, 1, "one reply, to the one letter taken, and not again after 重办")
	require.Equal(t, mergedReply{Primary: "case-doc1", Type: minyi.EventReplied, Department: "env",
		Detail: "已责令停工", At: h.t0.Add(2 * day)}, normalized(replies[0].(mergedReply)))
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventMergedLetter], 1, "the letter asked twice is recorded once")
}

func normalized(r mergedReply) mergedReply { r.At = r.At.UTC(); return r }

// A merged letter whose petitioner is dissatisfied reopens (重办) as its
// own case: its department answers it directly.
func TestMergedLetterReopensOnItsOwn(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.primaryOK()
	h.env.OnActivity(a.PlanLadder, mock.Anything, mock.Anything).Return(ladderAt(h.t0.Add(4*day), 10*day), nil)
	h.update(day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0"})
	h.signalAt(3*day, signalMergedReply, mergedReply{Primary: "case-doc0", Type: minyi.EventReplied,
		Department: "env", Detail: "已责令停工", At: h.t0.Add(3 * day)})
	h.update(4*day, UpdateRate, RatingRequest{Rating: minyi.RatingDissatisfied})
	own := h.update(5*day, UpdateReply, ReplyRequest{Department: "env", Text: "单独回复", Resolved: true})
	h.update(6*day, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	c := h.run()

	require.NoError(t, own.err)
	require.Empty(t, c.MergedInto, "reopened, it left the merge")
	require.True(t, c.Redo)
	require.Equal(t, minyi.CaseClosed, c.Status)
	require.Len(t, h.eventTimes()[minyi.EventReplied], 2)
}

// A primary answered on the source hands that reply on too; one reassigned
// tells its letters their new department.
func TestPrimaryTellsMergedLetters(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	sent := h.sent(nil)
	h.signalAt(day, signalMergeAsk, mergeAsk{Case: "case-doc2", Department: "env", Supervisor: "督查室", Attempt: 1})
	h.update(2*day, UpdateReassign, ReassignRequest{Supervisor: "督查室", Department: "housing", Reason: "归住建"})
	h.signalAt(3*day, SignalSourceReply, minyi.OfficialReply{Unit: "市住建局", Body: "已处理", Published: h.t0.Add(3 * day)})
	h.run()

	require.Len(t, sent[signalPrimaryNews], 1)
	n := sent[signalPrimaryNews][0].(primaryNews)
	require.Equal(t, "housing", n.Department)
	require.Equal(t, minyi.CaseOpen, n.Status)
	require.Len(t, sent[signalMergedReply], 1)
	r := normalized(sent[signalMergedReply][0].(mergedReply))
	require.Equal(t, mergedReply{Primary: "case-doc1", Type: minyi.EventSourceReplied, Department: "housing",
		Detail: "已处理", At: h.t0.Add(3 * day)}, r)
}

// A merged letter follows its primary reassigned and extended, and no
// other case's news; its department cannot reply while it is being merged.
func TestMergedLetterFollowsNews(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.sent(func(target string, arg any) {
		if ask, ok := arg.(mergeAsk); ok {
			p := minyi.Case{ID: target, Department: "env", Status: minyi.CaseOpen, Due: h.t0.Add(5 * day)}
			h.env.RegisterDelayedCallback(func() {
				h.env.SignalWorkflow(signalMergeAnswer, mergeAnswer{Attempt: ask.Attempt, Case: p})
			}, time.Minute)
		}
	})
	merge := h.update(day, UpdateMerge, MergeRequest{Supervisor: "督查室", Into: "case-doc0"})
	meanwhile := h.update(day+30*time.Second, UpdateReply, ReplyRequest{Department: "env", Text: "抢答"})
	h.signalAt(2*day, signalPrimaryNews, primaryNews{Primary: "case-doc9", Status: minyi.CaseOpen, Department: "water", Due: h.t0.Add(30 * day)})
	h.signalAt(3*day, signalPrimaryNews, primaryNews{Primary: "case-doc0", Status: minyi.CaseOpen, Department: "housing", Due: h.t0.Add(9 * day)})
	h.signalAt(4*day, signalMergedReply, mergedReply{Primary: "case-doc0", Type: minyi.EventReplied, Department: "housing", Detail: "已处理", At: h.t0.Add(4 * day)})
	c := h.run()

	require.NoError(t, merge.err)
	require.Equal(t, minyi.ECONFLICT, codeOf(meanwhile.err))
	require.Equal(t, "housing", c.Department)
	require.Equal(t, h.t0.Add(9*day), c.Due.UTC())
	require.True(t, c.OnTime)
	require.Len(t, h.eventTimes()[minyi.EventReassigned], 1)
}
