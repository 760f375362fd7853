package activities

import (
	"testing"
	"time"

	"minyi"
)

// OpenCases records a batch's new cases with their opening events, leaves
// cases that already exist as they are, and skips posts no rule asks a
// department to answer.
func TestOpenCasesRecordsTheBatch(t *testing.T) {
	f := newFixture(t)
	st, acts := f.store, f.acts
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, minyi.ChinaTime)
	doc := func(id string, kind minyi.Kind, title string) minyi.Document {
		d := minyi.Document{ID: id, Source: "mailbox", Kind: kind, Title: title, Body: title + "，请有关部门处理。",
			Published: at, Fetched: at, MessageType: "投诉"}
		d.ContentHash = d.Hash()
		return d
	}
	docs := []minyi.Document{
		doc("m-noise", minyi.KindMessage, "夜间施工噪音扰民"),
		doc("m-old", minyi.KindMessage, "拆迁补偿款迟迟不到位"),
		doc("p-chat", minyi.KindPost, "周末去哪里爬山"),
	}
	if _, err := st.PutDocuments(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	// m-old's case workflow ran before and answered it: OpenCases must not reset it.
	answered := minyi.Case{ID: minyi.CaseIDFor("m-old"), DocumentID: "m-old", Source: "mailbox", Title: "拆迁补偿款迟迟不到位",
		Status: minyi.CaseAnswered, Department: "expropriation", Received: at, Due: at.Add(10 * 24 * time.Hour), Updated: at}
	if err := st.PutCase(t.Context(), answered); err != nil {
		t.Fatal(err)
	}

	val, err := f.env.ExecuteActivity(acts.OpenCases, []string{"m-noise", "m-old", "p-chat"})
	if err != nil {
		t.Fatal(err)
	}
	var starts []CaseStart
	if err := val.Get(&starts); err != nil {
		t.Fatal(err)
	}
	if len(starts) != 2 || starts[0].DocumentID != "m-noise" || starts[1].DocumentID != "m-old" {
		t.Fatalf("starts = %+v; want m-noise and m-old, not the chat post", starts)
	}
	o := starts[0].Opened
	if o == nil || o.Recorded != 2 || o.Case.Department != "ecology" || o.Case.Status != minyi.CaseOpen || o.Ladder.Due.IsZero() {
		t.Fatalf("m-noise opened as %+v; want routed to ecology with two recorded events and a due date", o)
	}
	if starts[1].Opened != nil {
		t.Errorf("an existing case was opened again: %+v", starts[1].Opened)
	}

	c, err := st.Case(t.Context(), minyi.CaseIDFor("m-noise"))
	if err != nil || c.Department != "ecology" || !c.Due.Equal(o.Case.Due) {
		t.Fatalf("recorded case = %+v, %v", c, err)
	}
	events, err := st.CaseEvents(t.Context(), c.ID)
	if err != nil || len(events) != 2 || events[0].Key != minyi.EventKey(1, minyi.EventOpened) || events[1].Key != minyi.EventKey(2, minyi.EventRouted) {
		t.Fatalf("recorded events = %+v, %v; want opened and routed", events, err)
	}
	if old, _ := st.Case(t.Context(), minyi.CaseIDFor("m-old")); old.Status != minyi.CaseAnswered {
		t.Errorf("the answered case became %s", old.Status)
	}
	if _, err := st.Case(t.Context(), minyi.CaseIDFor("p-chat")); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("a chat post got a case: %v", err)
	}

	// Run again, as after a crash before the workflows started: nothing new
	// is recorded, and every case is left to its workflow to open.
	val, err = f.env.ExecuteActivity(acts.OpenCases, []string{"m-noise", "m-old", "p-chat"})
	if err != nil {
		t.Fatal(err)
	}
	if err := val.Get(&starts); err != nil || len(starts) != 2 || starts[0].Opened != nil || starts[1].Opened != nil {
		t.Fatalf("second run: %+v, %v; want both cases, neither opened again", starts, err)
	}
	if events, _ := st.CaseEvents(t.Context(), c.ID); len(events) != 2 {
		t.Errorf("second run recorded %d events", len(events))
	}
}
