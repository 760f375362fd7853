package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/rest"
	"minyi/workflows"
)

func sendAs(ts *apitest.Env, method, token, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	return ts.Do(req)
}

// An analyst raises a post to a 舆情事件; its case starts assigned to the
// department; the department reads only its own; the analyst closes it
// once answered; both steps are audited; contact data never shows.
func TestIncidentsAPI(t *testing.T) {
	ts := apitest.NewServer(t)
	posts := apitest.ForumPosts()
	posts[0].Contact = &minyi.Contact{Name: "张三", Phone: "13800000000"}
	ts.Seed(posts...)
	starter := &apitest.IncidentStarter{Store: ts.Store}
	updater := &apitest.RecordingUpdater{}
	ts.Server.Incidents, ts.Server.Cases = starter, updater
	ctx := context.Background()

	deadline := apitest.Now.AddDate(0, 0, 3).Format("2006-01-02")
	raise := fmt.Sprintf(`{"document_id": %q, "level": "major", "note": "集中反映，<b>情绪激烈</b>", "department": "housing", "deadline": %q}`, posts[0].ID, deadline)
	for _, tc := range []struct {
		token, body string
		status      int
	}{
		{apitest.TokHousing, raise, http.StatusForbidden},
		{apitest.TokSupervisor, raise, http.StatusForbidden},
		{apitest.TokAnalyst, strings.Replace(raise, `"major"`, `"huge"`, 1), http.StatusBadRequest},
		{apitest.TokAnalyst, strings.Replace(raise, `"housing"`, `"nowhere"`, 1), http.StatusBadRequest},
		{apitest.TokAnalyst, strings.Replace(raise, deadline, "2026-11-22", 1), http.StatusBadRequest},
		{apitest.TokAnalyst, strings.Replace(raise, deadline, "2030-01-01", 1), http.StatusBadRequest},
		{apitest.TokAnalyst, fmt.Sprintf(`{"event": "e", "document_id": %q, "level": "major", "note": "x", "department": "housing", "deadline": %q}`, posts[0].ID, deadline), http.StatusBadRequest},
		{apitest.TokAnalyst, strings.Replace(raise, posts[0].ID, "no-such-doc", 1), http.StatusNotFound},
	} {
		if rec := sendAs(ts, "POST", tc.token, "/api/incidents", tc.body); rec.Code != tc.status {
			t.Errorf("raise by %s: %d, want %d: %s", tc.token, rec.Code, tc.status, rec.Body)
		}
	}
	if n := len(starter.Started()); n != 0 {
		t.Fatalf("%d refused raises started a case", n)
	}

	in := apitest.Decode[minyi.Incident](t, sendAs(ts, "POST", apitest.TokAnalyst, "/api/incidents", raise), http.StatusCreated)
	if !minyi.IsIncident(in.ID) || in.Level != minyi.IncidentMajor || in.Department != "housing" || in.RaisedBy == "" ||
		in.Title != posts[0].Title || in.Deadline.In(minyi.ChinaTime).Format("2006-01-02 15:04:05") != deadline+" 23:59:59" {
		t.Fatalf("raised %+v", in)
	}
	if started := starter.Started(); len(started) != 1 || started[0].ID != in.ID {
		t.Fatalf("started %+v", started)
	}

	// Who reads it: the analyst, supervisors, its department; not another.
	for token, status := range map[string]int{apitest.TokAnalyst: 200, apitest.TokSupervisor: 200, apitest.TokHousing: 200, apitest.TokWater: 403} {
		rec := getAs(ts, token, "/api/incidents/"+in.ID)
		if rec.Code != status {
			t.Errorf("%s reads the incident: %d, want %d", token, rec.Code, status)
		}
		if strings.Contains(rec.Body.String(), "13800000000") {
			t.Error("an incident carries contact data")
		}
	}
	list := apitest.Decode[rest.IncidentList](t, getAs(ts, apitest.TokWater, "/api/incidents"), http.StatusOK)
	if list.Total != 0 {
		t.Errorf("water sees %d incidents of housing", list.Total)
	}
	apitest.WantError(t, getAs(ts, apitest.TokWater, "/api/incidents?department=housing"), http.StatusForbidden, minyi.EFORBIDDEN)
	list = apitest.Decode[rest.IncidentList](t, getAs(ts, apitest.TokHousing, "/api/incidents?open=true"), http.StatusOK)
	if list.Total != 1 || list.Incidents[0].Status != minyi.CaseOpen {
		t.Errorf("housing's open incidents %+v", list)
	}

	// The department answers (its workflow records it); the analyst closes.
	c, err := ts.Store.Case(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Status, c.Answered = minyi.CaseAnswered, apitest.Now
	if err := ts.Store.PutCase(ctx, *c); err != nil {
		t.Fatal(err)
	}
	if rec := sendAs(ts, "POST", apitest.TokHousing, "/api/incidents/"+in.ID+"/close", `{"note": "x"}`); rec.Code != http.StatusForbidden {
		t.Errorf("a department closes: %d", rec.Code)
	}
	detail := apitest.Decode[minyi.Incident](t, sendAs(ts, "POST", apitest.TokAnalyst, "/api/incidents/"+in.ID+"/close", `{"note": "处置到位"}`), http.StatusOK)
	if detail.ID != in.ID {
		t.Errorf("closed %+v", detail)
	}
	calls := updater.Calls()
	if len(calls) != 1 || calls[0].CaseID != in.ID || calls[0].Update != workflows.UpdateCloseIncident ||
		calls[0].Arg.(workflows.CloseRequest).Note != "处置到位" || calls[0].Arg.(workflows.CloseRequest).Analyst == "" {
		t.Errorf("close sent %+v", calls)
	}
	audit, err := ts.Store.Audit(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		if e.Target == in.ID {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "incident_close,incident_raise" {
		t.Errorf("audit of the incident: %v", actions)
	}
	apitest.WantError(t, getAs(ts, apitest.TokAnalyst, "/api/incidents/incident-none"), http.StatusNotFound, minyi.ENOTFOUND)
	apitest.WantError(t, getAs(ts, apitest.TokAnalyst, "/api/incidents?page_size=1000"), http.StatusBadRequest, minyi.EINVALID)
}
