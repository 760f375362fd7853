package record

import (
	"context"
	"testing"
	"time"

	"minyi"
	"minyi/workflows"
)

// incident records a major 舆情事件 raised on a forum post: the leaders are
// told, the department records its 处置, the analyst closes it.
func (r *recorder) incident(t *testing.T) {
	d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: "record-incident",
		Title: "江边小区供暖不热", Body: "江边小区连续三天供暖不达标，居民在论坛集中投诉。",
		Published: time.Now().Add(-time.Hour), Fetched: time.Now()}
	d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
	if _, err := r.store.PutDocuments(context.Background(), []minyi.Document{d}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	in := minyi.Incident{ID: minyi.IncidentIDPrefix + "record", Title: d.Title, Level: minyi.IncidentMajor,
		Note: "集中投诉，情绪激烈", DocumentID: d.ID, Department: "housing", Deadline: now.Add(72 * time.Hour),
		RaisedBy: "analyst", Raised: now}
	if err := r.store.CreateIncident(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	cs := &caseRun{r: r, id: in.ID}
	run := r.start(t, in.ID, workflows.CaseWorkflow, workflows.CaseInput{DocumentID: d.ID, Incident: &in})
	cs.waitFor(t, func(c minyi.Case) bool { return c.Department == "housing" })
	cs.reply(t, "housing")
	if c := cs.update(t, workflows.UpdateCloseIncident, workflows.CloseRequest{Analyst: "analyst", Note: "处置到位"}); c.Status != minyi.CaseClosed {
		t.Fatalf("closing left %+v", c)
	}
	var final minyi.Case
	if err := run.Get(timeout(t), &final); err != nil {
		t.Fatal(err)
	}
	r.save(t, "CaseWorkflow-incident.json", in.ID, run.GetRunID())
}
