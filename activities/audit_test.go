package activities

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"minyi"
)

// seedCases stores n cases of a department received ten days before at and
// due two days before it, answered on time or not answered.
func seedCases(t *testing.T, st minyi.Store, at time.Time, dept string, n int, answered bool) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("%s-%t-%d", dept, answered, i)
		c := minyi.Case{ID: "case-" + id, DocumentID: id, Source: "mayor-mailbox", Title: "样本", MessageType: minyi.TypeComplaint,
			Department: dept, Status: minyi.CaseOpen, Received: at.AddDate(0, 0, -10), Due: at.AddDate(0, 0, -2), Updated: at}
		if answered {
			c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, at.AddDate(0, 0, -3), true
		}
		if err := st.PutCase(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditDepartments(t *testing.T) {
	f := newFixture(t)
	at := monday.Add(2 * time.Hour)
	seedCases(t, f.store, at, "ecology", 4, true)
	seedCases(t, f.store, at, "ecology", 1, false) // 80% on time: 督办
	seedCases(t, f.store, at, "urban", 2, false)   // 0%: 通报
	seedCases(t, f.store, at, "housing", 3, true)  // 100%: nothing
	in := AuditInput{At: at, Window: 30 * 24 * time.Hour, SuperviseBelow: 0.9, NoticeBelow: 0.6}

	var res AuditResult
	f.must(t, &res, f.acts.AuditDepartments, in)
	if res.Departments != 3 || len(res.Escalations) != 2 {
		t.Fatalf("audit %+v: want 3 departments judged, 2 escalated", res)
	}
	eco, urban := res.Escalations[0], res.Escalations[1]
	if eco.Department != "ecology" || eco.Rung != minyi.RungSupervise || eco.OnTimeRate != 0.8 || eco.Key != "ecology:supervise:2026-11-23" {
		t.Errorf("ecology escalation %+v", eco)
	}
	if urban.Department != "urban" || urban.Rung != minyi.RungNotice || !strings.Contains(urban.Reason, "按时答复率 0.0% (0/2) over 30 days, threshold 60%") {
		t.Errorf("urban escalation %+v", urban)
	}
	stored, err := f.store.DepartmentEscalations(context.Background(), "", at.AddDate(0, 0, -1))
	if err != nil || len(stored) != 2 {
		t.Fatalf("stored escalations %+v, %v", stored, err)
	}
	if sup := f.hooks.supervisors.notifications(); len(sup) != 2 || sup[0].Kind != string(minyi.RungSupervise) {
		t.Errorf("supervisors told %+v", sup)
	}
	if head := f.hooks.head.notifications(); len(head) != 1 || head[0].Department != "ecology" {
		t.Errorf("ecology's head told %+v", head)
	}

	// Re-run the same day: the same keys, so nothing is escalated twice.
	f.must(t, &res, f.acts.AuditDepartments, in)
	if stored, _ := f.store.DepartmentEscalations(context.Background(), "", at.AddDate(0, 0, -1)); len(stored) != 2 {
		t.Errorf("after a re-run %d escalations stored, want 2", len(stored))
	}
}
