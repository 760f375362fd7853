package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"minyi"
	"minyi/activities"
)

// raisedIncident is a 舆情事件 due in 4 days, and the case OpenIncident
// builds for it.
func (h *caseHarness) raisedIncident(level minyi.IncidentLevel) minyi.Incident {
	in := minyi.Incident{ID: "incident-1", Title: "供暖不热", Level: level, Note: "多个论坛集中反映",
		Event: "doc1", DocumentID: "doc1", Department: "heat", Deadline: h.t0.Add(4 * day), RaisedBy: "analyst", Raised: h.t0}
	h.env.OnActivity(a.OpenIncident, mock.Anything, in).Return(activities.CaseOpened{
		Case: minyi.Case{ID: in.ID, DocumentID: "doc1", Title: in.Title, Department: "heat", Status: minyi.CaseOpen,
			Received: h.t0, Due: in.Deadline, Routing: &minyi.Routing{Department: "heat", Rule: "incident", Reason: "舆情事件交办"}},
		Ladder: ladderAt(h.t0, 4*day),
	}, nil)
	return in
}

func (h *caseHarness) runIncident(in minyi.Incident) minyi.Case {
	h.env.ExecuteWorkflow(CaseWorkflow, CaseInput{DocumentID: in.DocumentID, Incident: &in})
	require.True(h.t, h.env.IsWorkflowCompleted())
	require.NoError(h.t, h.env.GetWorkflowError())
	var c minyi.Case
	require.NoError(h.t, h.env.GetWorkflowResult(&c))
	return c
}

// A major incident: the leaders hear at once, the department climbs the
// ladder like any case, answers late, is not rated, and the analyst closes it.
func TestIncidentRaisedToClosed(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	in := h.raisedIncident(minyi.IncidentMajor)
	rate := h.update(6*day, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	earlyClose := h.update(day, UpdateCloseIncident, CloseRequest{Analyst: "analyst"})
	reply := h.update(6*day+time.Hour, UpdateReply, ReplyRequest{Department: "heat", Text: "已约谈供热公司，恢复供暖", Resolved: true})
	anonymous := h.update(30*day, UpdateCloseIncident, CloseRequest{})
	closing := h.update(30*day+time.Minute, UpdateCloseIncident, CloseRequest{Analyst: "analyst", Note: "处置到位"})
	c := h.runIncident(in)

	require.ErrorContains(t, rate.err, "its analyst closes it", "an incident is never rated")
	require.ErrorContains(t, earlyClose.err, "处置", "an incident closes only after the department's 处置")
	require.NoError(t, reply.err)
	require.ErrorContains(t, anonymous.err, "only an analyst")
	require.True(t, closing.completed)
	require.NoError(t, closing.err)

	require.Equal(t, minyi.CaseClosed, c.Status)
	require.False(t, c.OnTime, "answered after its deadline")
	require.Equal(t, minyi.RungUrge, c.Rung, "overdue and urged before the reply")
	ev := h.eventTimes()
	require.Len(t, ev[minyi.EventReminder], 1)
	require.Len(t, ev[minyi.EventUrge], 1)
	require.Empty(t, ev[minyi.EventSupervise], "the reply stopped the ladder")
	require.Equal(t, []time.Time{h.t0.Add(30*day + time.Minute)}, ev[minyi.EventClosed],
		"no rating window closes an incident: only its analyst, weeks later")
	last := h.events[len(h.events)-1]
	require.Equal(t, "analyst", last.Actor)
	require.Equal(t, "处置到位", last.Detail)
	require.Equal(t, "analyst", h.events[0].Actor, "raised by the analyst")

	var leaders, assigned int
	for _, n := range h.notices {
		if n.Leaders {
			leaders++
			require.Equal(t, minyi.NoticeIncident, n.Kind)
			require.Equal(t, "incident-1", n.CaseID)
		}
		if n.Kind == minyi.NoticeAssigned {
			assigned++
			require.Equal(t, "heat", n.Department)
		}
	}
	require.Equal(t, 1, leaders, "a major incident tells the leaders once")
	require.Equal(t, 1, assigned)
}

// A general incident tells no leader; a return leaves it for a supervisor
// to reassign (no routing rule applies), who does, and the new department
// answers.
func TestIncidentReturnedAndReassigned(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	h.env.OnActivity(a.RerouteDeadline, mock.Anything, mock.Anything).Return(h.t0.Add(3*day), nil)
	in := h.raisedIncident(minyi.IncidentGeneral)
	ret := h.update(time.Hour, UpdateReturn, ReturnRequest{Department: "heat", Reason: "不属我单位职责"})
	reassign := h.update(2*time.Hour, UpdateReassign, ReassignRequest{Supervisor: "supervisor", Department: "housing", Reason: "物业问题"})
	reply := h.update(day, UpdateReply, ReplyRequest{Department: "housing", Text: "已处理", Resolved: true})
	closing := h.update(2*day, UpdateCloseIncident, CloseRequest{Analyst: "analyst"})
	c := h.runIncident(in)

	require.NoError(t, ret.err)
	require.NoError(t, reassign.err)
	require.NoError(t, reply.err)
	require.NoError(t, closing.err)
	require.Equal(t, minyi.CaseClosed, c.Status)
	require.Equal(t, "housing", c.Department)
	require.True(t, c.OnTime)
	for _, n := range h.notices {
		require.False(t, n.Leaders, "a general incident tells no leader")
	}
}

// A message's case cannot be closed as an incident.
func TestCloseIncidentRefusedOnACase(t *testing.T) {
	h := newCaseHarness(t)
	h.notifyOK()
	reply := h.update(day, UpdateReply, ReplyRequest{Department: "env", Text: "已处理", Resolved: true})
	closing := h.update(2*day, UpdateCloseIncident, CloseRequest{Analyst: "analyst"})
	rate := h.update(3*day, UpdateRate, RatingRequest{Rating: minyi.RatingSatisfied})
	c := h.run()
	require.NoError(t, reply.err)
	require.ErrorContains(t, closing.err, "not a 舆情事件")
	require.NoError(t, rate.err)
	require.Equal(t, minyi.RatingSatisfied, c.Rating)
}
