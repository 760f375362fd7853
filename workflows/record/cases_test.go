package record

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/workflows"
)

// caseScenario is one recorded case: a noise complaint, routed to ecology
// (市生态环境局) by the demo rules, and what happens to it.
type caseScenario struct {
	name  string // the history is CaseWorkflow-<name>.json
	pace  pace
	drive func(t *testing.T, cs *caseRun)
}

// quickClose lets an answered case close by itself soon after the reply.
var quickClose = pace{step: time.Hour, rating: 2 * time.Second}

var caseScenarios = []caseScenario{
	{"rungs", pace{step: 2 * time.Second, rating: 2 * time.Second}, func(t *testing.T, cs *caseRun) {
		cs.waitFor(t, func(c minyi.Case) bool { return c.Rung == minyi.RungNotice })
		cs.reply(t, cs.department)
	}},
	{"source-reply", quickClose, func(t *testing.T, cs *caseRun) {
		reply := minyi.OfficialReply{Unit: "市生态环境局", Body: "已责令工地停止夜间施工。", Published: time.Now()}
		if err := cs.r.c.SignalWorkflow(context.Background(), cs.id, "", workflows.SignalSourceReply, reply); err != nil {
			t.Fatal(err)
		}
	}},
	{"reply", quickClose, func(t *testing.T, cs *caseRun) {
		cs.reply(t, cs.department)
	}},
	{"return", quickClose, func(t *testing.T, cs *caseRun) {
		c := cs.update(t, workflows.UpdateReturn, workflows.ReturnRequest{Department: cs.department, Reason: "不属于本单位职责"})
		if c.Status != minyi.CaseOpen || c.Department == "" || c.Department == cs.department {
			t.Fatalf("returned case %+v: want it re-routed to another department", c)
		}
		cs.reply(t, c.Department)
	}},
	{"extension", quickClose, func(t *testing.T, cs *caseRun) {
		cs.update(t, workflows.UpdateRequestExtension, workflows.ExtensionRequest{Department: cs.department, Reason: "需现场监测", Days: 3})
		c := cs.update(t, workflows.UpdateDecideExtension, workflows.ExtensionDecision{Supervisor: "督查室", Approve: true, Reason: "同意"})
		if !c.Extended {
			t.Fatalf("approved extension left %+v", c)
		}
		cs.reply(t, cs.department)
	}},
	{"redo", relaxed, func(t *testing.T, cs *caseRun) {
		cs.reply(t, cs.department)
		c := cs.update(t, workflows.UpdateRate, workflows.RatingRequest{Rating: minyi.RatingDissatisfied, Comment: "噪音依旧"})
		if c.Status != minyi.CaseOpen || !c.Redo {
			t.Fatalf("dissatisfied rating left %+v: want it reopened (重办)", c)
		}
		cs.reply(t, cs.department)
		if c := cs.update(t, workflows.UpdateRate, workflows.RatingRequest{Rating: minyi.RatingSatisfied}); c.Status != minyi.CaseClosed {
			t.Fatalf("satisfied rating left %+v", c)
		}
	}},
	{"reassign", quickClose, func(t *testing.T, cs *caseRun) {
		c := cs.update(t, workflows.UpdateReassign, workflows.ReassignRequest{Supervisor: "督查室", Department: "urban", Reason: "工地归城管"})
		if c.Department != "urban" {
			t.Fatalf("reassigned case %+v", c)
		}
		cs.reply(t, "urban")
	}},
}

// caseRun is a scenario's case workflow, started on a stored letter.
type caseRun struct {
	r          *recorder
	id         string
	department string // routed to at the start
}

func (r *recorder) runCase(t *testing.T, sc caseScenario) {
	d := minyi.Document{Source: "mayor-mailbox", Kind: minyi.KindMessage, ExternalID: "record-" + sc.name,
		Title: "工地夜间施工噪音扰民", Body: "江边路工地每晚施工到凌晨，噪音严重影响休息，请尽快处理。",
		MessageType: string(minyi.TypeComplaint), Published: time.Now().Add(-time.Hour), Fetched: time.Now()}
	d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
	if _, err := r.store.PutDocuments(context.Background(), []minyi.Document{d}); err != nil {
		t.Fatal(err)
	}
	r.clock.set(d.ID, sc.pace)
	cs := &caseRun{r: r, id: minyi.CaseIDFor(d.ID)}
	run := r.start(t, cs.id, workflows.CaseWorkflow, workflows.CaseInput{DocumentID: d.ID})
	cs.department = cs.waitFor(t, func(c minyi.Case) bool { return c.Department != "" }).Department
	sc.drive(t, cs)
	var final minyi.Case
	if err := run.Get(timeout(t), &final); err != nil {
		t.Fatal(err)
	}
	if final.Status != minyi.CaseClosed {
		t.Fatalf("case ended %s", final.Status)
	}
	r.save(t, fmt.Sprintf("CaseWorkflow-%s.json", sc.name), cs.id, run.GetRunID())
}

// waitFor queries the case until ok holds.
func (cs *caseRun) waitFor(t *testing.T, ok func(minyi.Case) bool) minyi.Case {
	t.Helper()
	ctx := timeout(t)
	for {
		var c minyi.Case
		if v, err := cs.r.c.QueryWorkflow(ctx, cs.id, "", workflows.QueryCase); err == nil && v.Get(&c) == nil && ok(c) {
			return c
		}
		select {
		case <-ctx.Done():
			t.Fatalf("case %s: %v", cs.id, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (cs *caseRun) update(t *testing.T, name string, arg any) minyi.Case {
	t.Helper()
	h, err := cs.r.c.UpdateWorkflow(timeout(t), client.UpdateWorkflowOptions{
		WorkflowID: cs.id, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var c minyi.Case
	if err := h.Get(timeout(t), &c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

func (cs *caseRun) reply(t *testing.T, department string) {
	t.Helper()
	c := cs.update(t, workflows.UpdateReply, workflows.ReplyRequest{Department: department, Text: "已责令工地停止夜间施工。", Resolved: true})
	if c.Status != minyi.CaseAnswered {
		t.Fatalf("reply left %+v", c)
	}
}
