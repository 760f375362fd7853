package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"minyi"
)

// RunIncidentTests is the suite of minyi.IncidentStore; it needs the case
// store too, since an incident's state is its case's. A backend's test is
// one line:
//
//	func TestIncidents(t *testing.T) { storetest.RunIncidentTests(t, openTestStore) }
func RunIncidentTests(t *testing.T, open func(t *testing.T) minyi.Store) {
	t.Run("RaisedToClosed", func(t *testing.T) { testIncidentLifecycle(t, open(t)) })
	t.Run("ListOrderAndFilters", func(t *testing.T) { testIncidentList(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testIncidentInvalid(t, open(t)) })
	t.Run("WatchSeen", func(t *testing.T) { testWatchSeen(t, open(t)) })
}

func testWatchSeen(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	if seen, err := s.WatchSeen(ctx, "analyst"); err != nil || !seen.IsZero() {
		t.Fatalf("never marked: %v, %v", seen, err)
	}
	for _, at := range []time.Time{incidentRaised, incidentRaised.Add(time.Hour)} {
		if err := s.MarkWatchSeen(ctx, "analyst", at); err != nil {
			t.Fatal(err)
		}
		if seen, err := s.WatchSeen(ctx, "analyst"); err != nil || !seen.Equal(at.Truncate(time.Second)) {
			t.Errorf("marked at %v, reads %v, %v", at, seen, err)
		}
	}
	if seen, _ := s.WatchSeen(ctx, "other"); !seen.IsZero() {
		t.Error("one analyst's mark is another's")
	}
	wantCode(t, s.MarkWatchSeen(ctx, "", incidentRaised), minyi.EINVALID)
}

var incidentRaised = time.Date(2026, 12, 7, 9, 30, 0, 500_000_000, minyi.ChinaTime)

func newIncident(id string, level minyi.IncidentLevel, department string, deadlineDays int) minyi.Incident {
	return minyi.Incident{ID: minyi.IncidentIDPrefix + id, Title: "某小区供暖不热 " + id, Level: level,
		Note: "多个论坛集中反映，情绪激烈", Event: "doc-" + id, DocumentID: "doc-" + id, Department: department,
		Deadline: incidentRaised.AddDate(0, 0, deadlineDays), RaisedBy: "analyst", Raised: incidentRaised}
}

// incidentCase is the case the workflow records for an incident.
func incidentCase(in minyi.Incident, status minyi.CaseStatus, department string) minyi.Case {
	return minyi.Case{ID: in.ID, DocumentID: in.DocumentID, Title: in.Title, Department: department,
		Status: status, Received: in.Raised, Due: in.Deadline, Updated: in.Raised}
}

func testIncidentLifecycle(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	in := newIncident("a", minyi.IncidentMajor, "housing", 3)
	if err := s.CreateIncident(ctx, in); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateIncident(ctx, in), minyi.ECONFLICT)

	// Before its case is recorded it reads as routing, to the department raised to.
	got, err := s.Incident(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != minyi.CaseRouting || got.Department != "housing" || got.Level != minyi.IncidentMajor ||
		got.Note != in.Note || got.Event != in.Event || got.DocumentID != in.DocumentID || got.RaisedBy != "analyst" ||
		!got.Raised.Equal(in.Raised.Truncate(time.Second)) || got.Raised.Location() != time.UTC ||
		!got.Deadline.Equal(in.Deadline.Truncate(time.Second)) || !got.Answered.IsZero() {
		t.Errorf("new incident %+v", got)
	}

	// Its case, reassigned and answered, is what it reads as.
	c := incidentCase(in, minyi.CaseAnswered, "transport")
	c.Answered, c.Rung = in.Raised.Add(time.Hour), minyi.RungReminder
	if err := s.PutCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Incident(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if got.Status != minyi.CaseAnswered || got.Department != "transport" || got.Rung != minyi.RungReminder ||
		!got.Answered.Equal(c.Answered.Truncate(time.Second)) {
		t.Errorf("answered incident %+v", got)
	}
	c.Status = minyi.CaseClosed
	if err := s.PutCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	open := true
	list, total, err := s.Incidents(ctx, minyi.IncidentFilter{Open: &open})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("open incidents after closing: %v, %d, %v", list, total, err)
	}
	_, err = s.Incident(ctx, minyi.IncidentIDPrefix+"none")
	wantCode(t, err, minyi.ENOTFOUND)
}

func testIncidentList(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	raise := []minyi.Incident{
		newIncident("general-soon", minyi.IncidentGeneral, "housing", 1),
		newIncident("major-late", minyi.IncidentMajor, "housing", 9),
		newIncident("major-soon", minyi.IncidentMajor, "transport", 2),
		newIncident("serious", minyi.IncidentSerious, "housing", 1),
		newIncident("closed-major", minyi.IncidentMajor, "housing", 1),
	}
	for _, in := range raise {
		if err := s.CreateIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutCase(ctx, incidentCase(raise[4], minyi.CaseClosed, "housing")); err != nil {
		t.Fatal(err)
	}
	// A case that is not an incident's is never listed.
	other := incidentCase(newIncident("x", minyi.IncidentMajor, "housing", 1), minyi.CaseOpen, "housing")
	other.ID = minyi.CaseIDFor("doc-x")
	if err := s.PutCase(ctx, other); err != nil {
		t.Fatal(err)
	}
	ids := func(f minyi.IncidentFilter) ([]string, int) {
		t.Helper()
		list, total, err := s.Incidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, in := range list {
			out = append(out, in.ID[len(minyi.IncidentIDPrefix):])
		}
		return out, total
	}
	got, total := ids(minyi.IncidentFilter{})
	want := []string{"major-soon", "major-late", "serious", "general-soon", "closed-major"}
	if total != 5 || !slices.Equal(got, want) {
		t.Errorf("all incidents %v (total %d), want %v", got, total, want)
	}
	got, total = ids(minyi.IncidentFilter{Department: "housing", Limit: 2, Offset: 1})
	if total != 4 || !slices.Equal(got, []string{"serious", "general-soon"}) {
		t.Errorf("housing page 2 %v (total %d)", got, total)
	}
	closed := false
	if got, total = ids(minyi.IncidentFilter{Open: &closed}); total != 1 || !slices.Equal(got, []string{"closed-major"}) {
		t.Errorf("closed incidents %v (total %d)", got, total)
	}
}

func testIncidentInvalid(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	for name, change := range map[string]func(*minyi.Incident){
		"no prefix":      func(in *minyi.Incident) { in.ID = "a" },
		"level":          func(in *minyi.Incident) { in.Level = "huge" },
		"no note":        func(in *minyi.Incident) { in.Note = "  " },
		"no department":  func(in *minyi.Incident) { in.Department = "" },
		"no deadline":    func(in *minyi.Incident) { in.Deadline = time.Time{} },
		"NUL in a title": func(in *minyi.Incident) { in.Title = "a\x00b" },
	} {
		in := newIncident("bad", minyi.IncidentGeneral, "housing", 1)
		change(&in)
		if err := s.CreateIncident(ctx, in); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	for _, limit := range []int{-1, minyi.MaxPageSize + 1} {
		_, _, err := s.Incidents(ctx, minyi.IncidentFilter{Limit: limit})
		wantCode(t, err, minyi.EINVALID)
	}
}
