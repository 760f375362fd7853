package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/analysis/category"
)

// An admin imports a history with categories, trains the city's category
// model on it, reads the cross-validated scores and puts the model in
// force; the sources page names it and the setting points at a model file
// that loads.
func TestTrainCategoryModelOnImportedHistory(t *testing.T) {
	as := newAdminServer(t)
	var csv strings.Builder
	csv.WriteString("编号,标题,时间,内容,分类\n")
	topics := []struct{ cat, title, body string }{
		{"交通运输", "公交线路调整", "12路公交车站台取消，班次太少，等车要半小时"},
		{"教育文体", "学校招生学位", "小学招生学位不够，孩子上学要跨区，老师也不够"},
		{"城乡建设", "小区路面破损", "小区道路坑洼不平，施工队挖开后一直没有修复"},
	}
	for i := range 60 {
		tp := topics[i%3]
		fmt.Fprintf(&csv, "T%d,%s%d,2024/3/%d 9:00,%s（第%d封）,%s\n", i, tp.title, i, 1+i%28, tp.body, i, tp.cat)
	}
	rec := as.upload("分类历史.csv", []byte(csv.String()))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	jobPath := rec.Header().Get("Location")
	form := url.Values{"source": {"history"}, "map_id": {"编号"}, "map_title": {"标题"}, "map_body": {"内容"},
		"map_received": {"时间"}, "map_category": {"分类"}}
	if v := as.runJob(jobPath, form); v.State != jobDone || v.Done != 60 {
		t.Fatalf("import %+v", v)
	}
	if body := as.page(jobPath); !strings.Contains(body, `action="`+jobPath+`/train"`) {
		t.Fatal("the finished import with categories offers no training")
	}
	// Nothing to put in force before training.
	if rec := as.Do(http.MethodPost, jobPath+"/model", adminToken, "application/x-www-form-urlencoded", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("put in force before training: %d", rec.Code)
	}
	if rec := as.Do(http.MethodPost, jobPath+"/train", adminToken, "application/x-www-form-urlencoded", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("train: %d %s", rec.Code, rec.Body)
	}
	var v importView
	for deadline := time.Now().Add(2 * time.Minute); ; {
		rec := as.Do(http.MethodGet, jobPath+"/status", adminToken, "", nil)
		v = importView{}
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if v.Training != nil && v.Training.State != jobRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("training still running: %+v", v.Training)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tr := v.Training
	if tr.State != jobDone || tr.Examples != 60 || tr.Validation == nil || tr.Validation.Folds != 5 || len(tr.Validation.Classes) != 3 {
		t.Fatalf("training %+v", tr)
	}
	if tr.Validation.Accuracy < 0.9 {
		t.Errorf("cross-validated accuracy %.3f on three categories with words of their own", tr.Validation.Accuracy)
	}
	body := as.page(jobPath)
	for _, w := range []string{"train-scores", "train-classes", "交通运输", "启用此模型"} {
		if !strings.Contains(body, w) {
			t.Errorf("the job page lacks %q after training", w)
		}
	}

	// An analyst may not put a model in force.
	if rec := as.Do(http.MethodPost, jobPath+"/model", analystToken, "application/x-www-form-urlencoded", nil); rec.Code != http.StatusForbidden {
		t.Errorf("analyst puts a model in force: %d", rec.Code)
	}
	if rec := as.Do(http.MethodPost, jobPath+"/model", adminToken, "application/x-www-form-urlencoded", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "train-in-force") {
		t.Fatalf("put in force: %d", rec.Code)
	}
	m, _, err := category.ReadInForce(context.Background(), as.Store.(minyi.SettingsStore))
	if err != nil || m == nil || m.File != tr.File || m.Source != "history" || m.Examples != 60 {
		t.Fatalf("model in force %+v, %v", m, err)
	}
	f, err := os.Open(m.File)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	model, err := category.Load(f, strings.Fields)
	if err != nil {
		t.Fatalf("the model in force does not load: %v", err)
	}
	if got := len(model.Categories()); got != 3 {
		t.Errorf("model in force knows %d categories", got)
	}
	if page := as.page("/admin/sources"); !strings.Contains(page, m.File) {
		t.Errorf("the sources page does not name the model in force")
	}
}
