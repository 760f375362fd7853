package record

import (
	"context"
	"fmt"
	"testing"
	"time"

	"minyi"
	"minyi/workflows"
)

// merge records 并单: a repeat letter merged into an earlier case of the
// same department, which is then answered once; the letter records that
// reply as its own and each closes after its own rating window.
func (r *recorder) merge(t *testing.T) {
	open := func(name string) *caseRun {
		d := minyi.Document{Source: "mayor-mailbox", Kind: minyi.KindMessage, ExternalID: "record-merge-" + name,
			Title: "工地夜间施工噪音扰民", Body: "江边路工地每晚施工到凌晨，噪音严重影响休息。",
			MessageType: string(minyi.TypeComplaint), Published: time.Now().Add(-time.Hour), Fetched: time.Now()}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		if _, err := r.store.PutDocuments(context.Background(), []minyi.Document{d}); err != nil {
			t.Fatal(err)
		}
		r.clock.set(d.ID, quickClose)
		return &caseRun{r: r, id: minyi.CaseIDFor(d.ID)}
	}
	primary, letter := open("primary"), open("letter")
	runs := map[*caseRun]string{}
	for _, cs := range []*caseRun{primary, letter} {
		runs[cs] = r.start(t, cs.id, workflows.CaseWorkflow, workflows.CaseInput{DocumentID: cs.id[len("case-"):]}).GetRunID()
		cs.department = cs.waitFor(t, func(c minyi.Case) bool { return c.Department != "" }).Department
	}
	c := letter.update(t, workflows.UpdateMerge, workflows.MergeRequest{Supervisor: "督查室", Into: primary.id, Reason: "同一工地"})
	if c.MergedInto != primary.id {
		t.Fatalf("merged letter %+v", c)
	}
	primary.reply(t, primary.department)
	letter.waitFor(t, func(c minyi.Case) bool { return c.Status != minyi.CaseOpen })
	for cs, name := range map[*caseRun]string{primary: "merge-primary", letter: "merge"} {
		var final minyi.Case
		if err := r.c.GetWorkflow(context.Background(), cs.id, runs[cs]).Get(timeout(t), &final); err != nil {
			t.Fatal(err)
		}
		if final.Status != minyi.CaseClosed || final.Answered.IsZero() {
			t.Fatalf("%s ended %+v", cs.id, final)
		}
		r.save(t, fmt.Sprintf("CaseWorkflow-%s.json", name), cs.id, runs[cs])
	}
}
