package workflows

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"minyi"
	"minyi/activities"
	"minyi/deadline"
)

const day = 24 * time.Hour

// caseHarness runs CaseWorkflow in the test environment, which skips time,
// over mocked activities that record what the workflow asked for.
type caseHarness struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment
	t0  time.Time

	mu      sync.Mutex
	events  []minyi.CaseEvent
	notices []activities.Notice
	last    minyi.Case
}

func newCaseHarness(t *testing.T) *caseHarness {
	var ts testsuite.WorkflowTestSuite
	h := &caseHarness{t: t, env: ts.NewTestWorkflowEnvironment()}
	h.env.RegisterActivity(a)
	h.t0 = h.env.Now().UTC()
	h.env.OnActivity(a.OpenCase, mock.Anything, "doc1").Return(activities.CaseOpened{
		Case: minyi.Case{ID: "case-doc1", DocumentID: "doc1", Source: "mailbox", Title: "小区噪音扰民",
			MessageType: minyi.TypeComplaint, Department: "env", Status: minyi.CaseOpen, Received: h.t0,
			Due: h.t0.Add(10 * day), Routing: &minyi.Routing{Department: "env", Rule: "noise", Reason: "关键词 噪音"}},
		Ladder:       ladderAt(h.t0, 10*day),
		RatingWindow: 15 * day,
	}, nil)
	h.recordCases()
	return h
}

// recordCases keeps what the workflow records.
func (h *caseHarness) recordCases() {
	h.env.OnActivity(a.RecordCase, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RecordInput) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.events = append(h.events, in.Events...)
		h.last = in.Case
		return nil
	})
}

// ladderAt is a ladder due after d, with rungs a day or more apart.
func ladderAt(received time.Time, d time.Duration) deadline.Ladder {
	due := received.Add(d)
	return deadline.Ladder{Received: received, Reminder: due.Add(-2 * day), Due: due,
		Urge: due.Add(day), Supervise: due.Add(5 * day), Notice: due.Add(10 * day)}
}

func (h *caseHarness) notifyOK() {
	h.env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(_ context.Context, n activities.Notice) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.notices = append(h.notices, n)
		return nil
	})
}

// update sends an update after delay and returns where its outcome lands.
func (h *caseHarness) update(after time.Duration, name string, arg any) *updateOutcome {
	out := &updateOutcome{}
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(name, name+after.String(), &testsuite.TestUpdateCallback{
			OnAccept: func() { out.accepted = true },
			OnReject: func(err error) { out.err = err },
			OnComplete: func(res any, err error) {
				out.completed = true
				if err != nil {
					out.err = err
				}
			},
		}, arg)
	}, after)
	return out
}

type updateOutcome struct {
	accepted, completed bool
	err                 error
}

func (h *caseHarness) run() minyi.Case {
	h.env.ExecuteWorkflow(CaseWorkflow, CaseInput{DocumentID: "doc1"})
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var c minyi.Case
	require.NoError(h.t, h.env.GetWorkflowResult(&c))
	return c
}

// eventTimes returns, per event type, the times it was recorded, in UTC.
func (h *caseHarness) eventTimes() map[minyi.EventType][]time.Time {
	out := map[minyi.EventType][]time.Time{}
	keys := map[string]bool{}
	for _, e := range h.events {
		require.False(h.t, keys[e.Key], "event key %s recorded twice", e.Key)
		keys[e.Key] = true
		out[e.Type] = append(out[e.Type], e.At.UTC())
	}
	return out
}

func TestCaseAnsweredInTime(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	reply := h.update(3*day, UpdateReply, ReplyRequest{Department: "env", Text: "已督促物业整改", Resolved: true})
	c := h.run()

	require.True(t, reply.completed)
	require.NoError(t, reply.err)
	require.Equal(t, minyi.CaseClosed, c.Status, "closed when the rating window passed")
	require.True(t, c.OnTime)
	require.Equal(t, h.t0.Add(3*day), c.Answered.UTC())
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReplied], 1)
	require.Empty(t, ev[minyi.EventReminder], "a reply before the reminder stops the ladder")
	require.Equal(t, h.t0.Add(18*day), ev[minyi.EventClosed][0])
	require.Equal(t, c.Status, h.last.Status, "the store has the final snapshot")
	require.Equal(t, c.Updated.UTC(), h.last.Updated.UTC())
}

func TestCaseClimbsEveryRung(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.update(22*day, UpdateReply, ReplyRequest{Department: "env", Text: "迟到的答复"})
	c := h.run()

	ev := h.eventTimes()
	l := ladderAt(h.t0, 10*day)
	for rung, at := range map[minyi.EventType]time.Time{minyi.EventReminder: l.Reminder, minyi.EventOverdue: l.Due,
		minyi.EventUrge: l.Urge, minyi.EventSupervise: l.Supervise, minyi.EventNotice: l.Notice} {
		require.Equal(t, []time.Time{at}, ev[rung], "rung %s", rung)
	}
	require.False(t, c.OnTime)
	require.Equal(t, minyi.RungNotice, c.Rung)
	supervisors := 0
	for _, n := range h.notices {
		if n.Supervisor {
			supervisors++
			require.Contains(t, []minyi.NoticeKind{"supervise", "notice"}, n.Kind)
		}
	}
	require.Equal(t, 2, supervisors, "督办 and 通报 go to supervisors")
}

func TestExtensionMovesLaterRungs(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	extended := ladderAt(h.t0, 15*day)
	h.env.OnActivity(a.ExtendLadder, mock.Anything, mock.MatchedBy(func(in activities.ExtendInput) bool {
		return in.Ladder.Due.Equal(h.t0.Add(10*day)) && in.Type == minyi.TypeComplaint && in.Days == 5
	})).Return(extended, nil)
	req := h.update(1*day, UpdateRequestExtension, ExtensionRequest{Department: "env", Reason: "需现场勘查", Days: 5})
	second := h.update(1*day+time.Hour, UpdateRequestExtension, ExtensionRequest{Department: "env", Reason: "again", Days: 5})
	decision := h.update(2*day, UpdateDecideExtension, ExtensionDecision{Supervisor: "sup", Approve: true, Reason: "同意"})
	h.update(16*day+time.Hour, UpdateReply, ReplyRequest{Department: "env", Text: "已处理"})
	c := h.run()

	require.NoError(t, req.err)
	require.Error(t, second.err, "a second request while one is pending is rejected")
	require.NoError(t, decision.err)
	require.True(t, c.Extended)
	require.Equal(t, extended.Due, c.Due.UTC())
	ev := h.eventTimes()
	require.Equal(t, []time.Time{extended.Reminder}, ev[minyi.EventReminder], "the reminder moved with the due date")
	require.Equal(t, []time.Time{extended.Due}, ev[minyi.EventOverdue])
	require.Equal(t, []time.Time{extended.Urge}, ev[minyi.EventUrge])
	require.Empty(t, ev[minyi.EventSupervise])
}

func TestReturnAndReroute(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.env.OnActivity(a.RerouteDeadline, mock.Anything, mock.Anything).Return(h.t0.Add(3*day), nil)
	h.env.OnActivity(a.RouteCase, mock.Anything, activities.RouteInput{DocumentID: "doc1", Type: minyi.TypeComplaint, Exclude: []string{"env"}}).
		Return(activities.RouteResult{Routing: &minyi.Routing{Department: "housing", Rule: "fallback", Reason: "兜底"}}, nil)
	noReason := h.update(1*day-time.Hour, UpdateReturn, ReturnRequest{Department: "env"})
	ret := h.update(1*day, UpdateReturn, ReturnRequest{Department: "env", Reason: "不属于本单位职责"})
	wrong := h.update(2*day, UpdateReply, ReplyRequest{Department: "env", Text: "我们答复一下"})
	right := h.update(2*day+time.Hour, UpdateReply, ReplyRequest{Department: "housing", Text: "已答复"})
	c := h.run()

	require.Error(t, noReason.err)
	require.NoError(t, ret.err)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(wrong.err, &appErr), "%v", wrong.err)
	require.Equal(t, minyi.EFORBIDDEN, appErr.Type())
	require.NoError(t, right.err)
	require.Equal(t, "housing", c.Department)
	require.Equal(t, 1, c.Returns)
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReturned], 1)
	require.Len(t, ev[minyi.EventRouted], 2, "routed at opening and again after the return")
}

func TestReplyWhileEscalationRetries(t *testing.T) {
	h := newCaseHarness(t)
	attempts := 0
	h.env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(_ context.Context, n activities.Notice) error {
		if n.Kind == minyi.NoticeReminder {
			attempts++
			return errors.New("robot webhook unreachable")
		}
		return nil
	})
	l := ladderAt(h.t0, 10*day)
	reply := h.update(l.Reminder.Sub(h.t0)+2*time.Minute, UpdateReply, ReplyRequest{Department: "env", Text: "正在处理中", Resolved: false})
	c := h.run()

	require.NoError(t, reply.err)
	require.Greater(t, attempts, 1, "the reminder's notification was retrying")
	require.Less(t, attempts, 10, "and the reply cancelled it")
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReminder], 1)
	require.Empty(t, ev[minyi.EventOverdue], "the reply stopped the ladder")
	require.True(t, c.OnTime)
}

func TestDissatisfiedRatingReopensOnce(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.env.OnActivity(a.PlanLadder, mock.Anything, mock.Anything).Return(func(_ context.Context, in PlanInputAlias) (deadline.Ladder, error) {
		return ladderAt(in.Received, 10*day), nil
	})
	h.update(1*day, UpdateReply, ReplyRequest{Department: "env", Text: "已处理"})
	first := h.update(2*day, UpdateRate, RatingRequest{Rating: minyi.RatingDissatisfied})
	h.update(3*day, UpdateReply, ReplyRequest{Department: "env", Text: "重新处理完毕"})
	second := h.update(4*day, UpdateRate, RatingRequest{Rating: minyi.RatingDissatisfied})
	late := h.update(5*day, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	c := h.run()

	require.NoError(t, first.err)
	require.NoError(t, second.err)
	require.False(t, late.completed, "a closed case cannot be rated")
	require.True(t, c.Redo)
	require.Equal(t, minyi.CaseClosed, c.Status)
	require.Equal(t, minyi.RatingDissatisfied, c.Rating)
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReopened], 1, "重办 happens once")
	require.Equal(t, h.t0.Add(2*day).Add(10*day), c.Due.UTC(), "the reopened case got a fresh deadline")
}

func TestInvalidActionsChangeNothing(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	empty := h.update(time.Hour, UpdateReply, ReplyRequest{Department: "env", Text: "  "})
	other := h.update(2*time.Hour, UpdateReply, ReplyRequest{Department: "police", Text: "我们来"})
	rateOpen := h.update(3*time.Hour, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	lateExt := h.update(11*day, UpdateRequestExtension, ExtensionRequest{Department: "env", Reason: "太忙", Days: 3})
	h.update(12*day, UpdateReply, ReplyRequest{Department: "env", Text: "答复"})
	afterReply := h.update(12*day+time.Hour, UpdateReply, ReplyRequest{Department: "env", Text: "again"})
	h.run()

	for name, o := range map[string]*updateOutcome{"empty reply": empty, "other department": other,
		"rating an open case": rateOpen, "extension after due": lateExt, "reply to an answered case": afterReply} {
		require.Error(t, o.err, name)
		require.False(t, o.completed, "%s was accepted", name)
	}
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReplied], 1)
	require.Empty(t, ev[minyi.EventExtensionRequested])
}

// PlanInputAlias keeps the mock's signature readable.
type PlanInputAlias = activities.PlanInput

// A case opened long after its deadline climbs every passed rung at once,
// with one notification for the highest rung, not one per rung.
func TestLateCaseCatchesUp(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	now := env.Now().UTC()
	received := now.Add(-40 * day)
	env.OnActivity(a.OpenCase, mock.Anything, "old").Return(activities.CaseOpened{
		Case: minyi.Case{ID: "case-old", DocumentID: "old", MessageType: minyi.TypeHelp, Department: "env",
			Status: minyi.CaseOpen, Received: received, Due: received.Add(10 * day)},
		Ladder: ladderAt(received, 10*day), RatingWindow: day,
	}, nil)
	var records [][]minyi.CaseEvent
	env.OnActivity(a.RecordCase, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RecordInput) error {
		records = append(records, in.Events)
		return nil
	})
	var kinds []minyi.NoticeKind
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(_ context.Context, n activities.Notice) error {
		kinds = append(kinds, n.Kind)
		return nil
	})
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateReply, "r", &testsuite.TestUpdateCallback{OnAccept: func() {}, OnReject: func(error) {}, OnComplete: func(any, error) {}},
			ReplyRequest{Department: "env", Text: "迟复"})
	}, time.Hour)
	env.ExecuteWorkflow(CaseWorkflow, CaseInput{DocumentID: "old"})
	require.NoError(t, env.GetWorkflowError())
	require.GreaterOrEqual(t, len(records), 2)
	var climbed []minyi.EventType
	for _, e := range records[1] {
		climbed = append(climbed, e.Type)
	}
	require.Equal(t, []minyi.EventType{minyi.EventReminder, minyi.EventOverdue, minyi.EventUrge, minyi.EventSupervise, minyi.EventNotice}, climbed,
		"every passed rung in one record")
	require.Equal(t, []minyi.NoticeKind{"assigned", "notice"}, kinds)
}

// A policy without reminders (reminder_before: 0) gives a ladder with no
// reminder time; the case must not fire a reminder for it.
func TestLadderWithoutReminder(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	t0 := env.Now().UTC()
	l := ladderAt(t0, 10*day)
	l.Reminder = time.Time{}
	env.OnActivity(a.OpenCase, mock.Anything, "doc1").Return(activities.CaseOpened{
		Case: minyi.Case{ID: "case-doc1", DocumentID: "doc1", MessageType: minyi.TypeHelp, Department: "env",
			Status: minyi.CaseOpen, Received: t0, Due: l.Due},
		Ladder: l, RatingWindow: day,
	}, nil)
	var events []minyi.CaseEvent
	env.OnActivity(a.RecordCase, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RecordInput) error {
		events = append(events, in.Events...)
		return nil
	})
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(nil)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(UpdateReply, "r", &testsuite.TestUpdateCallback{OnAccept: func() {}, OnReject: func(error) {}, OnComplete: func(any, error) {}},
			ReplyRequest{Department: "env", Text: "已处理"})
	}, 12*day)
	env.ExecuteWorkflow(CaseWorkflow, CaseInput{DocumentID: "doc1"})
	require.NoError(t, env.GetWorkflowError())
	var got []minyi.EventType
	for _, e := range events {
		if e.Type != minyi.EventOpened && e.Type != minyi.EventReplied && e.Type != minyi.EventClosed {
			got = append(got, e.Type)
			require.False(t, e.At.Before(l.Due), "%s fired at %v, before the due date", e.Type, e.At)
		}
	}
	require.Equal(t, []minyi.EventType{minyi.EventOverdue, minyi.EventUrge}, got)
}

// A case the ingest already opened and recorded (OpenCases) starts without
// reading or writing anything: its first activity is the department's
// notice, and its own events are numbered after the recorded ones.
func TestCaseOpenedByTheIngest(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	h := &caseHarness{t: t, env: ts.NewTestWorkflowEnvironment()}
	h.env.RegisterActivity(a)
	h.t0 = h.env.Now().UTC()
	h.recordCases()
	h.notifyOK()
	h.env.OnActivity(a.OpenCase, mock.Anything, mock.Anything).Return(func(context.Context, string) (activities.CaseOpened, error) {
		t.Error("a case the ingest opened is opened again")
		return activities.CaseOpened{}, temporal.NewNonRetryableApplicationError("opened twice", "test", nil)
	})
	opened := activities.CaseOpened{
		Case: minyi.Case{ID: "case-doc1", DocumentID: "doc1", Source: "mailbox", Title: "小区噪音扰民",
			MessageType: minyi.TypeComplaint, Department: "env", Status: minyi.CaseOpen, Received: h.t0,
			Due: h.t0.Add(10 * day), Routing: &minyi.Routing{Department: "env", Rule: "noise", Reason: "关键词 噪音"}},
		Ladder: ladderAt(h.t0, 10*day), RatingWindow: 15 * day, Recorded: 2,
	}
	reply := h.update(3*day, UpdateReply, ReplyRequest{Department: "env", Text: "已督促物业整改", Resolved: true})
	h.env.ExecuteWorkflow(CaseWorkflow, CaseInput{DocumentID: "doc1", Opened: &opened})
	require.NoError(t, h.env.GetWorkflowError())
	require.True(t, reply.completed)
	require.NoError(t, reply.err)

	require.Equal(t, minyi.NoticeAssigned, h.notices[0].Kind, "the department hears of its new case first")
	ev := h.eventTimes()
	require.Empty(t, ev[minyi.EventOpened], "the ingest recorded the opening")
	require.Empty(t, ev[minyi.EventRouted], "the ingest recorded the routing")
	require.Equal(t, minyi.EventKey(3, minyi.EventReplied), h.events[0].Key, "numbered after the two recorded events")
	require.Len(t, ev[minyi.EventClosed], 1)
}
