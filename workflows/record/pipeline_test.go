package record

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"minyi"
	"minyi/activities"
	"minyi/report"
	"minyi/workflows"
)

// reconcile leaves two letters and a forum post in the outbox, as a crash
// between the store write and the ingest would, and lets the reconcile
// workflow finish their pipeline. Its ingest child is recorded too, and the
// case of the first letter, which starts with the case the ingest opened.
func (r *recorder) reconcile(t *testing.T) {
	now := time.Now()
	var docs []minyi.Document
	for i, title := range []string{"小区电梯长期停运无人维修", "广场舞噪音扰民", "江北区路灯不亮"} {
		d := minyi.Document{Source: "mayor-mailbox", Kind: minyi.KindMessage, ExternalID: fmt.Sprintf("outbox-%d", i),
			Title: title, Body: title + "，请有关部门尽快处理。", Published: now.Add(-time.Duration(i+1) * time.Hour), Fetched: now}
		if i == 2 {
			d.Source, d.Kind = "city-forum", minyi.KindPost
		}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		docs = append(docs, d)
	}
	if _, err := r.store.PutDocuments(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	run := r.start(t, "reconcile-record", workflows.ReconcileWorkflow, workflows.ReconcileInput{Max: 100, Parallel: 2})
	var res workflows.ReconcileResult
	if err := run.Get(timeout(t), &res); err != nil {
		t.Fatal(err)
	}
	if res.Documents != len(docs) || res.Batches != 1 {
		t.Fatalf("reconcile finished %+v, want the %d pending documents in one batch", res, len(docs))
	}
	if n, err := r.store.CountPending(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d still pending (%v)", n, err)
	}
	r.save(t, "ReconcileWorkflow.json", run.GetID(), run.GetRunID())
	r.save(t, "IngestWorkflow-reconcile.json", fmt.Sprintf("ingest-outbox-%s-0", run.GetRunID()), "")
	caseID := minyi.CaseIDFor(docs[0].ID)
	r.waitTimer(t, caseID)
	r.save(t, "CaseWorkflow-opened-by-ingest.json", caseID, "")
}

// audit seeds two departments' cases, one below each threshold: ecology
// answered 4 of 5 on time (督办 below 90%), urban none of 2 (通报 below 60%).
func (r *recorder) audit(t *testing.T) {
	now := time.Now()
	var cases []minyi.Case
	add := func(dept string, n int, answered bool) {
		for range n {
			c := minyi.Case{ID: fmt.Sprintf("case-audit-%d", len(cases)), DocumentID: fmt.Sprintf("audit-%d", len(cases)),
				Source: "mayor-mailbox", Title: "审计样本", MessageType: minyi.TypeComplaint, Department: dept,
				Status: minyi.CaseOpen, Received: now.Add(-10 * 24 * time.Hour), Due: now.Add(-2 * 24 * time.Hour), Updated: now}
			if answered {
				c.Status, c.Answered, c.OnTime = minyi.CaseAnswered, now.Add(-3*24*time.Hour), true
			}
			cases = append(cases, c)
		}
	}
	add("ecology", 4, true)
	add("ecology", 1, false)
	add("urban", 2, false)
	for _, c := range cases {
		if err := r.store.PutCase(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	in := activities.AuditInput{At: now, Window: 30 * 24 * time.Hour, SuperviseBelow: 0.9, NoticeBelow: 0.6}
	run := r.start(t, "audit-record", workflows.AuditWorkflow, in)
	var res activities.AuditResult
	if err := run.Get(timeout(t), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Escalations) != 2 || res.Escalations[0].Rung != minyi.RungSupervise || res.Escalations[1].Rung != minyi.RungNotice {
		t.Fatalf("audit escalated %+v, want ecology 督办 and urban 通报", res.Escalations)
	}
	r.save(t, "AuditWorkflow-escalations.json", run.GetID(), run.GetRunID())
}

// alert indexes a burst of negative noise posts in the last hour against a
// quiet baseline: the subscription raises an alert that opens a case.
func (r *recorder) alert(t *testing.T) {
	end := time.Now().UTC().Truncate(time.Minute)
	var docs []minyi.Document
	for i := range 4 {
		d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: fmt.Sprintf("burst-%d", i),
			Title: "夜里噪音吵得睡不着", Body: fmt.Sprintf("第%d晚了，工地噪音一直不停。", i+1),
			Published: end.Add(-time.Duration(10*(i+1)) * time.Minute), Fetched: end,
			Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative, SentimentScore: -0.8}}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		docs = append(docs, d)
	}
	if err := r.index.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	in := workflows.AlertInput{
		Rule:          minyi.AlertRule{Window: time.Hour, BaselineWindows: 3, Factor: 2, MinCount: 3},
		Subscriptions: []activities.Subscription{{Name: "noise", Keyword: "噪音", Department: "ecology", OpenCase: true}},
		End:           end,
	}
	run := r.start(t, "alert-record", workflows.AlertWorkflow, in)
	var res workflows.AlertResult
	if err := run.Get(timeout(t), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Alerts) != 1 || res.Cases != 1 {
		t.Fatalf("alert run %+v, want one alert that opened one case", res)
	}
	r.save(t, "AlertWorkflow-spike.json", run.GetID(), run.GetRunID())
}

// report runs the daily report schedule's workflow over a day of posts: the
// draft is made from the index and kept.
func (r *recorder) report(t *testing.T) {
	yesterday := time.Now().In(minyi.ChinaTime).AddDate(0, 0, -1).Truncate(time.Hour)
	var docs []minyi.Document
	for i := range 3 {
		d := minyi.Document{Source: "city-forum", Kind: minyi.KindPost, ExternalID: fmt.Sprintf("report-%d", i),
			Title: "小区门口道路积水", Body: fmt.Sprintf("第%d次反映，下雨就积水。", i+1),
			Published: yesterday, Fetched: yesterday, Analysis: &minyi.Analysis{Sentiment: minyi.SentimentNegative}}
		d.ID, d.ContentHash = minyi.DocumentID(d.Source, d.ExternalID), d.Hash()
		docs = append(docs, d)
	}
	if err := r.index.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	run := r.start(t, "report-record", workflows.ReportWorkflow, activities.ReportInput{Kind: "daily"})
	var res activities.ReportDraft
	if err := run.Get(timeout(t), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Created {
		t.Fatalf("report workflow %+v, want a new draft", res)
	}
	r.save(t, "ReportWorkflow-daily.json", run.GetID(), run.GetRunID())

	kept, err := r.store.Report(context.Background(), res.ID)
	if err != nil {
		t.Fatal(err)
	}
	var content report.Report
	if err := json.Unmarshal(kept.Content, &content); err != nil {
		t.Fatal(err)
	}
	docx, pdf, err := report.Render(&content)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.PublishReport(context.Background(), res.ID, "analyst", time.Now(), docx, pdf); err != nil {
		t.Fatal(err)
	}
	before := r.hook.got.Load()
	deliver := r.start(t, "report-deliver-record", workflows.DeliverReportWorkflow, res.ID)
	if err := deliver.Get(timeout(t), nil); err != nil {
		t.Fatal(err)
	}
	if r.hook.got.Load() != before+1 {
		t.Fatal("the published report did not reach its subscribers")
	}
	r.save(t, "DeliverReportWorkflow.json", deliver.GetID(), deliver.GetRunID())
}
