package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/core"
	"minyi/api/rest"
)

var wantStats = []core.DepartmentRow{
	{Name: "市住建局", DepartmentStats: minyi.DepartmentStats{Department: "housing", Received: 2, Answered: 2, Due: 1,
		AnsweredOnTime: 1, Rated: 2, Satisfied: 1, AnsweredOnce: 2, Redone: 1,
		ResponseRate: ptr(1), OnTimeRate: ptr(1), ReturnRate: ptr(0), SatisfactionRate: ptr(0.5), RedoRate: ptr(0.5)}},
	// Nothing of parks fell due, was rated or answered: those rates are not measured (nil).
	{DepartmentStats: minyi.DepartmentStats{Department: "parks", Received: 1, Open: 1, ResponseRate: ptr(0), ReturnRate: ptr(0)}},
	{Name: "市水务局", DepartmentStats: minyi.DepartmentStats{Department: "water", Received: 4, Answered: 2, Due: 3,
		AnsweredOnTime: 1, Returned: 1, Rated: 1, Satisfied: 1, Open: 2, Overdue: 1, Repeats: 1, AnsweredOnce: 2,
		ResponseRate: ptr(0.5), OnTimeRate: ptr(1.0 / 3), ReturnRate: ptr(0.25), SatisfactionRate: ptr(1), RedoRate: ptr(0)}},
}

func ptr(f float64) *float64 { return &f }

func TestDepartmentStats(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	apitest.SeedStats(e)
	for _, window := range []string{"", "30d", "720h"} {
		rec := e.Do("GET", "/api/departments/stats?window="+window, apitest.TokAnalyst, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		rep := apitest.CaseDecode[core.StatsReport](t, rec)
		if !reflect.DeepEqual(rep.Departments, wantStats) {
			t.Errorf("window %q:\n got %+v\nwant %+v", window, rep.Departments, wantStats)
		}
		if rep.Window != "30d" || !rep.To.Equal(apitest.CaseNow) || !rep.From.Equal(apitest.CaseNow.Add(-30*apitest.CaseDay)) {
			t.Errorf("window %q reported as %s [%s, %s)", window, rep.Window, rep.From, rep.To)
		}
	}
	// A 2-day window holds w4 (received exactly 2 days ago) and p1; h2, 3 days old, is out.
	rec := e.Do("GET", "/api/departments/stats?window=2d", apitest.TokWater, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	rep := apitest.CaseDecode[core.StatsReport](t, rec)
	var got []string
	for _, d := range rep.Departments {
		got = append(got, fmt.Sprintf("%s:%d", d.Department, d.Received))
	}
	if !reflect.DeepEqual(got, []string{"parks:1", "water:1"}) {
		t.Errorf("2d window: %v", got)
	}
	for _, w := range []string{"0d", "367d", "abc", "-1h", "1.5d", "9000h", "0"} {
		if rec := e.Do("GET", "/api/departments/stats?window="+w, apitest.TokAnalyst, ""); rec.Code != 400 {
			t.Errorf("window %q: %d, want 400", w, rec.Code)
		}
	}
}

func TestLeagueTable(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	oct := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, minyi.ChinaTime) }
	// Eleven departments with ten October cases each, all due in October;
	// department k answers k-1 of them on time, water all ten.
	depts := []string{"d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08", "d09", "d10", "water"}
	for k, dept := range depts {
		for i := range 10 {
			c := minyi.Case{ID: fmt.Sprintf("%s-%d", dept, i), Department: dept, Received: oct(1 + i), Due: oct(11 + i),
				Status: minyi.CaseAnswered, Answered: oct(5 + i), OnTime: true}
			if i >= k {
				c.Answered, c.OnTime = oct(25), false
			}
			e.Put(c, nil)
		}
	}
	// Outside October (China time): late cases that would sink water.
	e.Put(minyi.Case{ID: "water-sep", Department: "water", Received: time.Date(2026, 9, 30, 23, 59, 0, 0, minyi.ChinaTime),
		Due: oct(10)}, nil)
	e.Put(minyi.Case{ID: "water-nov", Department: "water", Received: time.Date(2026, 11, 1, 0, 0, 0, 0, minyi.ChinaTime),
		Due: apitest.CaseNow.Add(-apitest.CaseDay)}, nil)

	for _, q := range []string{"?month=2026-10", ""} {
		rec := e.Do("GET", "/api/leaguetable"+q, tokDepartmentOrAnalyst(q), "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		lt := apitest.CaseDecode[rest.LeagueTable](t, rec)
		if lt.Month != "2026-10" || !lt.From.Equal(oct(1).Add(-9*time.Hour)) {
			t.Errorf("%q: month %s from %s", q, lt.Month, lt.From)
		}
		if got := rowIDs(lt.Red); !reflect.DeepEqual(got, []string{"water", "d10", "d09", "d08", "d07"}) {
			t.Errorf("%q: red list %v", q, got)
		}
		if got := rowIDs(lt.Black); !reflect.DeepEqual(got, []string{"d01", "d02", "d03", "d04", "d05"}) {
			t.Errorf("%q: black list %v", q, got)
		}
		if lt.Red[0].Name != "市水务局" || *lt.Red[0].OnTimeRate != 1 || lt.Red[0].Received != 10 {
			t.Errorf("%q: top of the red list: %+v", q, lt.Red[0])
		}
		if b := lt.Black[1]; *b.OnTimeRate != 0.1 || b.Due != 10 {
			t.Errorf("%q: d02 = %+v, want 10%% on time of 10 due", q, b)
		}
		if len(lt.Departments) != 11 {
			t.Errorf("%q: %d departments, want 11", q, len(lt.Departments))
		}
	}
	rec := e.Do("GET", "/api/leaguetable?month=2026-12", apitest.TokAnalyst, "")
	apitest.CaseWant(t, rec, http.StatusOK, "")
	if lt := apitest.CaseDecode[rest.LeagueTable](t, rec); len(lt.Red) != 0 || len(lt.Black) != 0 || lt.Red == nil {
		t.Errorf("a month without cases: %+v", lt)
	}
	for _, m := range []string{"2026-13", "2026/10", "October", "2026-10-01"} {
		apitest.CaseWant(t, e.Do("GET", "/api/leaguetable?month="+m, apitest.TokAnalyst, ""), http.StatusBadRequest, minyi.EINVALID)
	}
}

// tokDepartmentOrAnalyst shows that the league table is public to every role.
func tokDepartmentOrAnalyst(q string) string {
	if q == "" {
		return apitest.TokWater
	}
	return apitest.TokAnalyst
}

func rowIDs(rows []core.DepartmentRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Department)
	}
	return out
}

func TestDepartmentEscalations(t *testing.T) {
	e := apitest.NewCaseEnv(t)
	ctx := context.Background()
	for _, esc := range []minyi.DepartmentEscalation{
		{Key: "water-supervise-1001", Department: "water", Rung: minyi.RungSupervise, At: time.Date(2026, 10, 1, 8, 0, 0, 0, minyi.ChinaTime), OnTimeRate: 0.8, Reason: "按时答复率低于90%"},
		{Key: "water-supervise-1120", Department: "water", Rung: minyi.RungSupervise, At: apitest.CaseNow.Add(-3 * apitest.CaseDay), OnTimeRate: 0.85, Reason: "按时答复率低于90%"},
		{Key: "housing-notice-1122", Department: "housing", Rung: minyi.RungNotice, At: apitest.CaseNow.Add(-apitest.CaseDay), OnTimeRate: 0.5, Reason: "按时答复率低于60%"},
	} {
		if err := e.Store.PutDepartmentEscalation(ctx, esc); err != nil {
			t.Fatal(err)
		}
	}
	list := func(token, q string) []string {
		t.Helper()
		rec := e.Do("GET", "/api/departments/escalations"+q, token, "")
		apitest.CaseWant(t, rec, http.StatusOK, "")
		body := apitest.CaseDecode[struct{ Escalations []minyi.DepartmentEscalation }](t, rec)
		keys := []string{}
		for _, esc := range body.Escalations {
			keys = append(keys, esc.Key)
		}
		return keys
	}
	cases := []struct {
		token, q string
		want     []string
	}{
		{apitest.TokSupervisor, "", []string{"housing-notice-1122", "water-supervise-1120", "water-supervise-1001"}},
		{apitest.TokSupervisor, "?since=2026-11-01", []string{"housing-notice-1122", "water-supervise-1120"}},
		{apitest.TokSupervisor, "?department=housing", []string{"housing-notice-1122"}},
		{apitest.TokWater, "", []string{"water-supervise-1120", "water-supervise-1001"}},
		{apitest.TokWater, "?department=water&since=2026-11-01", []string{"water-supervise-1120"}},
	}
	for _, c := range cases {
		if got := list(c.token, c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q: %v, want %v", c.token, c.q, got, c.want)
		}
	}
	apitest.CaseWant(t, e.Do("GET", "/api/departments/escalations?department=housing", apitest.TokWater, ""), http.StatusForbidden, minyi.EFORBIDDEN)
	apitest.CaseWant(t, e.Do("GET", "/api/departments/escalations?since=soon", apitest.TokSupervisor, ""), http.StatusBadRequest, minyi.EINVALID)
}
