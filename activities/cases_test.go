package activities

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/deadline"
	"minyi/routing"
)

// 2026-11-23 is a Monday.
var monday = time.Date(2026, 11, 23, 9, 30, 0, 0, minyi.ChinaTime)

func TestSelectCases(t *testing.T) {
	f := newFixture(t)
	letter := f.letter(t, "L1", "小区电梯停运", "电梯坏了一个月。", monday)
	chat := f.put(t, minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: "T1",
		Title: "周末去哪儿玩", Body: "求推荐。", Published: monday, Fetched: monday})
	polluted := f.put(t, minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: "T2",
		Title: "河边工厂偷排污水", Body: "晚上偷排，河水发黑。", Published: monday, Fetched: monday})
	replied := f.letter(t, "L2", "路灯不亮", "江北区滨江路路灯不亮。", monday)
	replied.Reply = &minyi.OfficialReply{Unit: "市城管局", Body: "已修复。", Published: monday.Add(48 * time.Hour)}
	replied = f.put(t, replied)
	imported := f.letter(t, "L3", "历史来信", "导入的往年信件。", monday.AddDate(-1, 0, 0))
	if err := f.store.PutCase(context.Background(), minyi.Case{ID: minyi.CaseIDFor(imported.ID), DocumentID: imported.ID,
		Source: imported.Source, Title: imported.Title, MessageType: minyi.TypeHelp, Department: "housing",
		Status: minyi.CaseClosed, Received: imported.Published, Due: imported.Published.AddDate(0, 0, 14), Historical: true}); err != nil {
		t.Fatal(err)
	}

	var starts []CaseStart
	f.must(t, &starts, f.acts.SelectCases, []string{letter.ID, chat.ID, polluted.ID, replied.ID, imported.ID, "missing"})
	var got []string
	for _, s := range starts {
		got = append(got, s.DocumentID)
	}
	// Every letter, a post only when a rule with posts takes it, never imported history.
	if want := []string{letter.ID, polluted.ID, replied.ID}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("cases for %v, want %v", got, want)
	}
	if starts[0].Reply != nil || starts[2].Reply == nil || starts[2].Reply.Unit != "市城管局" {
		t.Errorf("replies carried: %+v", starts)
	}
}

func TestOpenCase(t *testing.T) {
	f := newFixture(t)
	d := f.letter(t, "L1", "投诉江北区工地夜间施工噪音", "每晚施工到凌晨。", monday)
	var o CaseOpened
	f.must(t, &o, f.acts.OpenCase, d.ID)
	c := o.Case
	if c.ID != minyi.CaseIDFor(d.ID) || c.DocumentID != d.ID || c.Status != minyi.CaseOpen || c.Department != "ecology" {
		t.Fatalf("case %+v: want it open at ecology", c)
	}
	if c.MessageType != minyi.TypeComplaint || c.Region != "江北区" || !c.Received.Equal(monday) {
		t.Errorf("type %s, region %q, received %s: want the inferred 投诉 in 江北区 at the letter's time", c.MessageType, c.Region, c.Received)
	}
	if c.Routing == nil || c.Routing.Rule != "noise" || !c.Routing.At.Equal(monday) {
		t.Errorf("routing %+v", c.Routing)
	}
	// 15 working days for a complaint, counted from when the citizen wrote.
	want := f.acts.Deadlines.Plan(f.acts.Calendar, d.Source, minyi.TypeComplaint, monday)
	if !sameLadder(o.Ladder, want) || !c.Due.Equal(want.Due) || o.RatingWindow != f.acts.Deadlines.RatingWindow {
		t.Errorf("ladder %+v (due %s, rating window %s), want %+v", o.Ladder, c.Due, o.RatingWindow, want)
	}
	if o.SourceReply != nil {
		t.Errorf("source reply %+v on a letter without one", o.SourceReply)
	}

	// A case for a document that is not stored can never open: no retry.
	err := f.run(t, nil, f.acts.OpenCase, "missing")
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != minyi.ENOTFOUND || !app.NonRetryable() {
		t.Errorf("OpenCase(missing) = %v, want a non-retryable not_found", err)
	}
}

func TestRouteCaseExcludesReturningDepartments(t *testing.T) {
	f := newFixture(t)
	d := f.letter(t, "L1", "工地噪音扰民", "江北区每晚施工。", monday)
	in := RouteInput{DocumentID: d.ID, Type: minyi.TypeComplaint, Region: "江北区"}
	var first, second, none RouteResult
	f.must(t, &first, f.acts.RouteCase, in)
	in.Exclude = []string{"ecology"}
	f.must(t, &second, f.acts.RouteCase, in)
	if first.Routing == nil || first.Routing.Department != "ecology" || second.Routing == nil || second.Routing.Department != "jiangbei" {
		t.Fatalf("routed to %+v, then without ecology to %+v; want ecology, then jiangbei", first.Routing, second.Routing)
	}
	in.Exclude = []string{"ecology", "jiangbei", routing.DemoCityOffice}
	f.must(t, &none, f.acts.RouteCase, in)
	if none.Routing != nil {
		t.Errorf("every candidate returned it, still routed to %+v", none.Routing)
	}
}

func TestLadderActivities(t *testing.T) {
	f := newFixture(t)
	var plan deadline.Ladder
	f.must(t, &plan, f.acts.PlanLadder, PlanInput{Source: "mayor-mailbox", Type: minyi.TypeInquiry, Received: monday})
	if want := f.acts.Deadlines.Plan(f.acts.Calendar, "mayor-mailbox", minyi.TypeInquiry, monday); !sameLadder(plan, want) {
		t.Fatalf("PlanLadder = %+v, want %+v", plan, want)
	}
	// 5 working days for an inquiry from Monday: due at the end of Monday 11/30.
	if due := plan.Due.In(minyi.ChinaTime); due.Format("2006-01-02") != "2026-11-30" {
		t.Errorf("inquiry due %s", due)
	}

	var extended deadline.Ladder
	f.must(t, &extended, f.acts.ExtendLadder, ExtendInput{Ladder: plan, Type: minyi.TypeInquiry, Days: 2})
	if !extended.Due.After(plan.Due) || !extended.Notice.After(plan.Notice) || !extended.Received.Equal(plan.Received) {
		t.Errorf("extended %+v from %+v: want the due date and later rungs moved", extended, plan)
	}
	// More days than the type allows is the supervisor's mistake: rejected, never retried.
	err := f.run(t, nil, f.acts.ExtendLadder, ExtendInput{Ladder: plan, Type: minyi.TypeInquiry, Days: 6})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != minyi.EINVALID || !app.NonRetryable() {
		t.Errorf("6-day extension: %v, want a non-retryable invalid", err)
	}

	var by time.Time
	f.must(t, &by, f.acts.RerouteDeadline, monday)
	if want := f.acts.Deadlines.Reroute(f.acts.Calendar, monday); !by.Equal(want) || !by.After(monday) {
		t.Errorf("RerouteDeadline = %s, want %s", by, want)
	}
}

func TestDepartmentByName(t *testing.T) {
	f := newFixture(t)
	for name, want := range map[string]string{" 市生态环境局 ": "ecology", "临江市住建局物业科": "housing", "市教育厅": ""} {
		var id string
		f.must(t, &id, f.acts.DepartmentByName, name)
		if id != want {
			t.Errorf("DepartmentByName(%q) = %q, want %q", name, id, want)
		}
	}
}

func TestRecordCase(t *testing.T) {
	f := newFixture(t)
	c := minyi.Case{ID: "case-1", DocumentID: "1", Source: "mayor-mailbox", Title: "噪音", MessageType: minyi.TypeComplaint,
		Department: "ecology", Status: minyi.CaseOpen, Received: monday, Due: monday.AddDate(0, 0, 21), Updated: monday}
	ev := func(key string, typ minyi.EventType) minyi.CaseEvent {
		return minyi.CaseEvent{CaseID: c.ID, Key: key, Type: typ, At: monday, Actor: "system", Department: "ecology", Due: c.Due}
	}
	in := RecordInput{Case: c, Events: []minyi.CaseEvent{ev("001-opened", minyi.EventOpened), ev("002-routed", minyi.EventRouted)}}
	f.must(t, nil, f.acts.RecordCase, in)
	// A retry of the same record, then the next step.
	f.must(t, nil, f.acts.RecordCase, in)
	c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, monday.Add(time.Hour), true
	f.must(t, nil, f.acts.RecordCase, RecordInput{Case: c, Events: []minyi.CaseEvent{ev("003-replied", minyi.EventReplied)}})

	got, err := f.store.Case(context.Background(), c.ID)
	if err != nil || got.Status != minyi.CaseAnswered || !got.OnTime {
		t.Fatalf("stored case %+v, %v", got, err)
	}
	events, err := f.store.CaseEvents(context.Background(), c.ID)
	if err != nil || len(events) != 3 {
		t.Fatalf("events %+v, %v: want 3, the retry recording nothing twice", events, err)
	}
}

// sameLadder compares instants: a ladder back from the activity environment
// has its times in a zone of the same offset, not the same *time.Location.
func sameLadder(a, b deadline.Ladder) bool {
	x := []time.Time{a.Received, a.Accept, a.Reminder, a.Due, a.Urge, a.Supervise, a.Notice}
	y := []time.Time{b.Received, b.Accept, b.Reminder, b.Due, b.Urge, b.Supervise, b.Notice}
	for i := range x {
		if !x[i].Equal(y[i]) {
			return false
		}
	}
	return true
}
