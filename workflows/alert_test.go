package workflows

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
	"minyi/notify"
)

func TestAlertWorkflowOpensCaseAndNotifies(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.RegisterWorkflow(CaseWorkflow)
	rule := minyi.AlertRule{Window: time.Hour, BaselineWindows: 24, Factor: 2, MinCount: 3}
	in := AlertInput{Rule: rule, Subscriptions: []activities.Subscription{
		{Name: "noise", Keyword: "噪音", Department: "env", OpenCase: true},
		{Name: "traffic", Keyword: "拥堵", Department: "traffic"},
	}}
	start := env.Now()
	wantEnd := start.Truncate(time.Hour)

	env.OnActivity(a.CheckAlerts, mock.Anything, mock.Anything).Return(func(_ context.Context, c activities.AlertCheck) ([]activities.Alert, error) {
		require.True(t, wantEnd.Equal(c.End), "checks the window that just ended: %s, want %s", c.End, wantEnd)
		require.Len(t, c.Subscriptions, 2)
		return []activities.Alert{
			{Key: activities.AlertKey("keyword:noise", c.End.Add(-time.Hour)), Subscription: "noise", Department: "env", OpenCase: true, Title: "噪音", Text: "负面 12"},
			{Key: activities.AlertKey("topic:t1", c.End.Add(-time.Hour)), Topic: "t1", Title: "话题", Text: "负面 5"},
		}, nil
	}).Once()
	env.OnActivity(a.AlertDocument, mock.Anything, mock.MatchedBy(func(al activities.Alert) bool { return al.Subscription == "noise" })).
		Return("alertdoc", nil).Once()
	var started []string
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		started = append(started, info.WorkflowExecution.ID)
	})
	env.OnWorkflow(CaseWorkflow, mock.Anything, mock.Anything).Return(minyi.Case{}, nil).Maybe()
	var mu sync.Mutex
	var notices []activities.Notice
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(func(_ context.Context, n activities.Notice) error {
		mu.Lock()
		defer mu.Unlock()
		notices = append(notices, n)
		return nil
	})

	env.ExecuteWorkflow(AlertWorkflow, in)
	require.NoError(t, env.GetWorkflowError())
	var res AlertResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, 1, res.Cases)
	require.Len(t, res.Alerts, 2)
	require.Equal(t, []string{minyi.CaseIDFor("alertdoc")}, started)
	require.Len(t, notices, 2)
	require.Equal(t, notify.KindAlert, string(notices[0].Kind))
	require.Equal(t, "env", notices[0].Department)
	require.True(t, notices[0].Supervisor)
	require.Equal(t, minyi.CaseIDFor("alertdoc"), notices[0].CaseID)
	require.Empty(t, notices[1].CaseID, "a topic alert opens no case")
	env.AssertExpectations(t)
}

// Nothing found: no notice, no case.
func TestAlertWorkflowQuiet(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.CheckAlerts, mock.Anything, mock.Anything).Return(nil, nil).Once()
	env.ExecuteWorkflow(AlertWorkflow, AlertInput{Rule: minyi.DefaultAlertRule})
	require.NoError(t, env.GetWorkflowError())
	env.AssertNotCalled(t, "Notify", mock.Anything, mock.Anything)
	env.AssertNotCalled(t, "AlertDocument", mock.Anything, mock.Anything)
}
