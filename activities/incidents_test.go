package activities

import (
	"testing"
	"time"

	"minyi"
)

// A 舆情事件's case goes to the department the analyst chose, whatever the
// routing rules say, due at the analyst's deadline with the ladder around it.
func TestOpenIncident(t *testing.T) {
	f := newFixture(t)
	d := f.letter(t, "L1", "投诉江北区工地夜间施工噪音", "每晚施工到凌晨。", monday)
	deadline := monday.AddDate(0, 0, 4).Add(23*time.Hour + 59*time.Minute + 59*time.Second)
	in := minyi.Incident{ID: "incident-1", Title: "工地噪音", Level: minyi.IncidentSerious, Note: "集中反映",
		DocumentID: d.ID, Department: "urban", Deadline: deadline, RaisedBy: "analyst", Raised: monday.Add(time.Hour)}
	var o CaseOpened
	f.must(t, &o, f.acts.OpenIncident, in)
	c := o.Case
	if c.ID != in.ID || c.DocumentID != d.ID || c.Department != "urban" || c.Status != minyi.CaseOpen ||
		c.Routing == nil || c.Routing.Rule != "incident" || c.Region != "江北区" || !c.Received.Equal(in.Raised) {
		t.Fatalf("case %+v", c)
	}
	want := f.acts.Deadlines.PlanDue(f.acts.Calendar, in.Raised, deadline)
	if !sameLadder(o.Ladder, want) || !c.Due.Equal(deadline) || o.Ladder.Urge.IsZero() {
		t.Errorf("ladder %+v, want %+v due at the deadline", o.Ladder, want)
	}
	in.DocumentID = "none"
	if err := f.run(t, nil, f.acts.OpenIncident, in); err == nil {
		t.Errorf("an unknown document: %v", err)
	}
}
