package storetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"minyi"
)

// RunReportTests is the suite of minyi.ReportStore; a backend's test is one
// line:
//
//	func TestReports(t *testing.T) { storetest.RunReportTests(t, openTestReports) }
//
// Beyond the interface's doc comments it pins down: times come back in UTC,
// truncated to whole seconds; content comes back as the same JSON; the
// files come back byte for byte.
func RunReportTests(t *testing.T, open func(t *testing.T) minyi.ReportStore) {
	t.Run("DraftToPublished", func(t *testing.T) { testReportLifecycle(t, open(t)) })
	t.Run("List", func(t *testing.T) { testReportList(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testReportInvalid(t, open(t)) })
	t.Run("ConcurrentPublish", func(t *testing.T) { testReportConcurrentPublish(t, open(t)) })
}

var reportDay = time.Date(2026, 12, 6, 0, 0, 0, 0, minyi.ChinaTime)

func dailyReport(day time.Time) minyi.Report {
	return minyi.Report{ID: "daily-" + day.Format("20060102"), Kind: "daily", From: day, To: day.AddDate(0, 0, 1),
		Title: "舆情日报", Author: minyi.ScheduleAuthor, Created: day.AddDate(0, 0, 1).Add(8*time.Hour + 500*time.Millisecond),
		Content: []byte(`{"summary": "昨日共监测到信息120条。"}`)}
}

func testReportLifecycle(t *testing.T, s minyi.ReportStore) {
	ctx := context.Background()
	r := dailyReport(reportDay)
	if err := s.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	// The schedule running twice for the day makes one draft.
	again := r
	again.Content = []byte(`{"summary": "另一份"}`)
	wantCode(t, s.CreateReport(ctx, again), minyi.ECONFLICT)

	got, err := s.Report(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	created := r.Created.UTC().Truncate(time.Second)
	if got.Status != minyi.ReportDraft || !got.From.Equal(r.From) || !got.To.Equal(r.To) || got.Kind != "daily" ||
		got.Author != minyi.ScheduleAuthor || !got.Created.Equal(created) || !got.Edited.Equal(created) ||
		got.Created.Location() != time.UTC || !got.Published.IsZero() || got.DOCX != nil {
		t.Errorf("new draft %+v", got)
	}
	sameJSON(t, got.Content, `{"summary": "昨日共监测到信息120条。"}`)

	edited := created.Add(time.Hour)
	if err := s.SaveReportDraft(ctx, r.ID, "舆情日报（第1期）", []byte(`{"summary": "改过的摘要"}`), edited); err != nil {
		t.Fatal(err)
	}
	docx, pdf := []byte("PK\x03\x04 docx \x00\xff"), []byte("%PDF-1.7 \x00\xfe")
	if err := s.PublishReport(ctx, r.ID, "analyst", edited.Add(time.Minute), docx, pdf); err != nil {
		t.Fatal(err)
	}
	got, err = s.Report(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != minyi.ReportPublished || got.Title != "舆情日报（第1期）" || got.Publisher != "analyst" ||
		!got.Edited.Equal(edited) || !got.Published.Equal(edited.Add(time.Minute)) ||
		!bytes.Equal(got.DOCX, docx) || !bytes.Equal(got.PDF, pdf) {
		t.Errorf("published %+v", got)
	}
	sameJSON(t, got.Content, `{"summary": "改过的摘要"}`)

	// What was handed out stays as it was.
	wantCode(t, s.SaveReportDraft(ctx, r.ID, "x", []byte(`{}`), edited), minyi.ECONFLICT)
	wantCode(t, s.PublishReport(ctx, r.ID, "supervisor", edited, []byte("a"), []byte("b")), minyi.ECONFLICT)
	if after, _ := s.Report(ctx, r.ID); !bytes.Equal(after.DOCX, docx) || after.Publisher != "analyst" {
		t.Errorf("a second publication changed the report: %+v", after)
	}

	_, err = s.Report(ctx, "daily-19990101")
	wantCode(t, err, minyi.ENOTFOUND)
	wantCode(t, s.SaveReportDraft(ctx, "nope", "x", []byte(`{}`), edited), minyi.ENOTFOUND)
	wantCode(t, s.PublishReport(ctx, "nope", "analyst", edited, docx, pdf), minyi.ENOTFOUND)
}

func testReportList(t *testing.T, s minyi.ReportStore) {
	ctx := context.Background()
	const days = 30
	for i := range days {
		if err := s.CreateReport(ctx, dailyReport(reportDay.AddDate(0, 0, -i))); err != nil {
			t.Fatal(err)
		}
	}
	weekly := minyi.Report{ID: "weekly-20261130", Kind: "weekly", From: reportDay.AddDate(0, 0, -6), To: reportDay.AddDate(0, 0, 1),
		Title: "舆情周报", Author: "analyst", Created: reportDay.AddDate(0, 0, 1), Content: []byte(`{}`)}
	if err := s.CreateReport(ctx, weekly); err != nil {
		t.Fatal(err)
	}
	if err := s.PublishReport(ctx, "daily-20261205", "analyst", reportDay, []byte("d"), []byte("p")); err != nil {
		t.Fatal(err)
	}

	all, total, err := s.Reports(ctx, minyi.ReportFilter{Limit: 100})
	if err != nil || total != days+1 || len(all) != days+1 {
		t.Fatalf("all reports: %d of %d, %v", len(all), total, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].To.After(all[i-1].To) {
			t.Fatalf("report %s (to %v) listed after %s (to %v)", all[i].ID, all[i].To, all[i-1].ID, all[i-1].To)
		}
	}
	for _, r := range all {
		if r.Content != nil || r.DOCX != nil || r.PDF != nil {
			t.Fatalf("a list carries %s's content or files", r.ID)
		}
	}

	page, total, err := s.Reports(ctx, minyi.ReportFilter{Kind: "daily", Limit: 7, Offset: 7})
	if err != nil || total != days || len(page) != 7 || page[0].ID != "daily-"+reportDay.AddDate(0, 0, -7).Format("20060102") {
		t.Fatalf("second page of dailies: %v of %d, %v", ids(page), total, err)
	}
	published, total, err := s.Reports(ctx, minyi.ReportFilter{Status: minyi.ReportPublished})
	if err != nil || total != 1 || published[0].ID != "daily-20261205" || published[0].Publisher != "analyst" {
		t.Fatalf("published: %+v %d %v", published, total, err)
	}
	// The period filter selects reports whose period overlaps it.
	overlap, total, err := s.Reports(ctx, minyi.ReportFilter{From: reportDay.AddDate(0, 0, -1), To: reportDay})
	if err != nil || total != 2 || fmt.Sprint(ids(overlap)) != "[weekly-20261130 daily-20261205]" {
		t.Fatalf("reports overlapping 12-05: %v of %d, %v", ids(overlap), total, err)
	}
	if rest, total, err := s.Reports(ctx, minyi.ReportFilter{Offset: 1000}); err != nil || len(rest) != 0 || total != days+1 {
		t.Fatalf("past the end: %v %d %v", rest, total, err)
	}
}

func ids(rs []minyi.Report) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func testReportInvalid(t *testing.T, s minyi.ReportStore) {
	ctx := context.Background()
	good := dailyReport(reportDay)
	for name, change := range map[string]func(*minyi.Report){
		"no id":            func(r *minyi.Report) { r.ID = " " },
		"no kind":          func(r *minyi.Report) { r.Kind = "" },
		"empty period":     func(r *minyi.Report) { r.To = r.From },
		"no creation":      func(r *minyi.Report) { r.Created = time.Time{} },
		"content not JSON": func(r *minyi.Report) { r.Content = []byte("{") },
	} {
		r := good
		change(&r)
		if err := s.CreateReport(ctx, r); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	if _, total, _ := s.Reports(ctx, minyi.ReportFilter{}); total != 0 {
		t.Errorf("invalid reports were kept: %d", total)
	}
	for _, f := range []minyi.ReportFilter{{Limit: -1}, {Limit: minyi.MaxPageSize + 1}, {Offset: -1}, {Status: "lost"}} {
		if _, _, err := s.Reports(ctx, f); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("filter %+v: %v, want EINVALID", f, err)
		}
	}
	if err := s.CreateReport(ctx, good); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.SaveReportDraft(ctx, good.ID, "x", []byte("not json"), reportDay), minyi.EINVALID)
	wantCode(t, s.PublishReport(ctx, good.ID, "analyst", reportDay, nil, []byte("p")), minyi.EINVALID)
	wantCode(t, s.PublishReport(ctx, good.ID, "", reportDay, []byte("d"), []byte("p")), minyi.EINVALID)
	if got, _ := s.Report(ctx, good.ID); got.Status != minyi.ReportDraft {
		t.Errorf("a refused publication changed the draft: %+v", got)
	}
}

// Two analysts publishing one draft at once: one wins, the other is told.
func testReportConcurrentPublish(t *testing.T, s minyi.ReportStore) {
	ctx := context.Background()
	r := dailyReport(reportDay)
	if err := s.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.PublishReport(ctx, r.ID, fmt.Sprintf("analyst%d", i), reportDay, []byte{byte(i)}, []byte{byte(i)})
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch minyi.ErrorCode(err) {
		case "":
			if won >= 0 {
				t.Fatalf("publications %d and %d both succeeded", won, i)
			}
			won = i
		case minyi.ECONFLICT:
		default:
			t.Fatalf("publication %d: %v", i, err)
		}
	}
	got, _ := s.Report(ctx, r.ID)
	if won < 0 || got.Publisher != fmt.Sprintf("analyst%d", won) || !bytes.Equal(got.DOCX, []byte{byte(won)}) {
		t.Fatalf("winner %d, stored %+v", won, got)
	}
}
