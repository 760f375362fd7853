package record

import (
	"context"
	"testing"
	"time"

	"minyi"
	"minyi/api/workflowclient"
)

// notice records a citizen's 追问 told to the handling department by a
// NoticeWorkflow, started as the portal starts it.
func (r *recorder) notice(t *testing.T) {
	before := r.hook.got.Load()
	e := minyi.CaseEvent{CaseID: "case-notice-record", Key: "follow-up-1", Type: minyi.EventFollowUp,
		At: time.Now(), Actor: "citizen", Department: "housing", Detail: "另一盏也坏了"}
	c := minyi.Case{ID: e.CaseID, Title: "人民路路灯不亮", Department: "housing"}
	if err := (workflowclient.FollowUpNotices{Client: r.c}).FollowedUp(context.Background(), c, e); err != nil {
		t.Fatal(err)
	}
	id := workflowclient.NoticeWorkflowID(e)
	run := r.c.GetWorkflow(context.Background(), id, "")
	if err := run.Get(timeout(t), nil); err != nil {
		t.Fatal(err)
	}
	if r.hook.got.Load() != before+1 {
		t.Fatal("the 追问 did not reach the department's webhook")
	}
	r.save(t, "NoticeWorkflow.json", id, run.GetRunID())
}
