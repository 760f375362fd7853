package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi"
)

func TestMappingIsGeneratedFromDeploy(t *testing.T) {
	deployed, err := os.ReadFile("../../deploy/elasticsearch/minyi-index.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(deployed, indexDefinition) {
		t.Error("search/elastic/mapping.json differs from its source deploy/elasticsearch/minyi-index.json: run go generate ./search/elastic")
	}
	var def struct {
		Settings map[string]any `json:"settings"`
		Mappings struct {
			Dynamic    string                    `json:"dynamic"`
			Properties map[string]map[string]any `json:"properties"`
		} `json:"mappings"`
	}
	if err := json.Unmarshal(indexDefinition, &def); err != nil {
		t.Fatalf("mapping.json: %v", err)
	}
	// Every field minyi writes is mapped, or a strict mapping fails the bulk.
	var fields []string
	for _, f := range reflect.VisibleFields(reflect.TypeOf(source{})) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fields = append(fields, name)
		if _, ok := def.Mappings.Properties[name]; !ok {
			t.Errorf("field %s of the documents is not in the mapping", name)
		}
	}
	if len(def.Mappings.Properties) != len(fields) || def.Mappings.Dynamic != "strict" {
		t.Errorf("mapping has %d properties (dynamic %q), documents %d fields", len(def.Mappings.Properties), def.Mappings.Dynamic, len(fields))
	}
}

func TestMappingVersionIgnoresFormatting(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal(indexDefinition, &v); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(v)
	if bytes.Equal(compact, indexDefinition) || len(mappingVersion) != 12 {
		t.Fatalf("version %q; the test needs a formatted definition", mappingVersion)
	}
	if versionOf(compact) != mappingVersion {
		t.Error("reformatting the definition changed its version")
	}
	v["mappings"].(map[string]any)["properties"].(map[string]any)["region"] = map[string]any{"type": "keyword"}
	changed, _ := json.Marshal(v)
	if versionOf(changed) == mappingVersion {
		t.Error("a new field left the version as it was")
	}
	body, err := createBody("minyi", nil)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		Aliases  map[string]any `json:"aliases"`
		Mappings struct {
			Meta map[string]string `json:"_meta"`
		} `json:"mappings"`
	}
	if err := json.Unmarshal(body, &sent); err != nil || sent.Mappings.Meta[metaKey] != mappingVersion || sent.Aliases["minyi"] == nil {
		t.Errorf("create body %s: %v", body, err)
	}
}

func TestTokenText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"拆遷補償款", "拆 迁 补 偿 款"},
		{"小区，WiFi信号差！", "小 区 wifi 信 号 差"},
		{"！！", ""},
	}
	for _, tt := range tests {
		if got := tokenText(tt.in); got != tt.want {
			t.Errorf("tokenText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpenCreatesTheFirstVersionUnderTheAlias(t *testing.T) {
	f := newFake(t)
	index := firstVersionName("minyi")
	f.on("HEAD /_alias/minyi", notFound404, ok200)
	f.on("HEAD /minyi", notFound404)
	f.on("PUT /"+index, created(index))
	f.on("GET /_alias/minyi", aliasOf("minyi", index))
	f.on("GET /"+index+"/_mapping", mappingOf(t, index, mappingVersion))
	srv := f.start()
	if _, err := Open(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi"}); err != nil {
		t.Fatal(err)
	}
	puts := f.sent("PUT /" + index)
	if len(puts) != 1 {
		t.Fatalf("%d creates", len(puts))
	}
	want, _ := createBody("minyi", nil)
	if puts[0].body != string(want) {
		t.Errorf("created with %s, want %s", puts[0].body, want)
	}
}

func TestOpenAfterAnotherProcessCreatedTheIndex(t *testing.T) {
	f := newFake(t)
	index := firstVersionName("minyi")
	f.on("HEAD /_alias/minyi", notFound404, ok200)
	f.on("HEAD /minyi", notFound404)
	f.on("PUT /"+index, answer{400, errorBody("resource_already_exists_exception", "index ["+index+"/x1yZ] already exists", 400)})
	f.on("GET /_alias/minyi", aliasOf("minyi", index))
	f.on("GET /"+index+"/_mapping", mappingOf(t, index, mappingVersion))
	srv := f.start()
	if _, err := Open(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi"}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesAnotherMapping(t *testing.T) {
	for name, script := range map[string]func(f *fakeES){
		"older version": func(f *fakeES) {
			f.on("HEAD /_alias/minyi", ok200)
			f.on("GET /_alias/minyi", aliasOf("minyi", "minyi-0123456789ab"))
			f.on("GET /minyi-0123456789ab/_mapping", mappingOf(t, "minyi-0123456789ab", "0123456789ab"))
		},
		"no version": func(f *fakeES) {
			f.on("HEAD /_alias/minyi", ok200)
			f.on("GET /_alias/minyi", aliasOf("minyi", "minyi-v1"))
			f.on("GET /minyi-v1/_mapping", mappingOf(t, "minyi-v1", ""))
		},
		"plain index of an earlier minyi": func(f *fakeES) {
			f.on("HEAD /_alias/minyi", notFound404)
			f.on("HEAD /minyi", ok200)
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			script(f)
			srv := f.start()
			_, err := Open(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi"})
			if !errors.Is(err, ErrMappingMismatch) || !strings.Contains(err.Error(), `run "minyi reindex"`) {
				t.Errorf("Open: %v, want a mapping mismatch that says to run minyi reindex", err)
			}
			if len(f.sent("PUT /minyi")) != 0 || len(f.sent("POST /minyi/_bulk")) != 0 {
				t.Error("Open changed something")
			}
		})
	}
}

func TestOpenRefusesBadConfig(t *testing.T) {
	for _, c := range []Config{
		{Index: "minyi"},
		{URLs: []string{"es.example.cn:9200"}, Index: "minyi"},
		{URLs: []string{"https://es:9200"}, Index: "Minyi"},
		{URLs: []string{"https://es:9200"}, Index: "_minyi"},
		{URLs: []string{"https://es:9200"}, Index: "minyi", Username: "elastic"},
		{URLs: []string{"https://es:9200"}, Index: "minyi", CAFingerprint: "abc"},
		{URLs: []string{"https://es:9200"}, Index: "minyi", CACert: []byte("not pem")},
		{URLs: []string{"https://es:9200"}, Index: "minyi", RequestTimeout: -time.Second},
	} {
		if _, err := Open(context.Background(), c); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Open(%v): %v, want %s", c, err, minyi.EINVALID)
		}
	}
}

func TestIndexWaitsForRefreshAndIndexBulkDoesNot(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	f.on("POST /minyi/_bulk", bulkResponse(bulkOK(index, "a")))
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	doc := minyi.Document{ID: "a", Source: "city-forum", Kind: minyi.KindPost, Title: "學校門口噪聲擾民",
		Body: "<script>x</script>", Published: time.Date(2024, 5, 2, 21, 5, 0, 0, minyi.ChinaTime)}
	ctx := context.Background()
	if err := x.Index(ctx, []minyi.Document{doc}); err != nil {
		t.Fatal(err)
	}
	if err := minyi.IndexBulk(ctx, x, []minyi.Document{doc}); err != nil {
		t.Fatal(err)
	}
	bulks := f.sent("POST /minyi/_bulk")
	if len(bulks) != 2 {
		t.Fatalf("%d bulks", len(bulks))
	}
	for i, want := range []string{"wait_for", ""} {
		q, _ := url.ParseQuery(bulks[i].query)
		if q.Get("refresh") != want || q.Get("require_alias") != "true" {
			t.Errorf("bulk %d query %q, want refresh=%q and require_alias", i, bulks[i].query, want)
		}
	}
	lines := strings.Split(strings.TrimSpace(bulks[0].body), "\n")
	if len(lines) != 2 || lines[0] != `{"index":{"_id":"a"}}` {
		t.Fatalf("bulk body %q", lines)
	}
	var sent source
	if err := json.Unmarshal([]byte(lines[1]), &sent); err != nil {
		t.Fatal(err)
	}
	if sent.TitleTokens != "学 校 门 口 噪 声 扰 民" || sent.Day != "2024-05-02" || sent.Title != doc.Title || sent.TopicGroup != "a" {
		t.Errorf("bulk document %+v", sent)
	}
	doc.ID = ""
	if err := x.Index(ctx, []minyi.Document{doc}); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("document without id: %v", err)
	}
}

func TestBulkResendsRejectedItems(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	f.on("POST /minyi/_bulk",
		bulkResponse(bulkOK(index, "a"), bulkError(index, "b", 429, "es_rejected_execution_exception", rejected429), bulkOK(index, "c")),
		bulkResponse(bulkError(index, "b", 429, "es_rejected_execution_exception", rejected429)),
		bulkResponse(bulkOK(index, "b")))
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	docs := []minyi.Document{{ID: "a", Title: "一"}, {ID: "b", Title: "二"}, {ID: "c", Title: "三"}}
	if err := x.Index(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	bulks := f.sent("POST /minyi/_bulk")
	if len(bulks) != 3 {
		t.Fatalf("%d bulks, want the first and two resends of b", len(bulks))
	}
	for _, resend := range bulks[1:] {
		if lines := strings.Split(strings.TrimSpace(resend.body), "\n"); len(lines) != 2 || lines[0] != `{"index":{"_id":"b"}}` {
			t.Errorf("resent %q, want b alone", lines)
		}
	}
}

func TestBulkGivesUpLoudly(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	cfg.MaxRetries = 2
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	docs := []minyi.Document{{ID: "a"}, {ID: "b"}}

	f.on("POST /minyi/_bulk", bulkResponse(bulkOK(index, "a"), bulkError(index, "b", 429, "es_rejected_execution_exception", rejected429)),
		bulkResponse(bulkError(index, "b", 429, "es_rejected_execution_exception", rejected429)))
	err = x.Index(context.Background(), docs)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 operations still rejected after 2 retries") {
		t.Errorf("always rejected: %v", err)
	}
	if n := len(f.sent("POST /minyi/_bulk")); n != 3 {
		t.Errorf("%d bulks, want 1 + 2 retries", n)
	}

	f.on("POST /minyi/_bulk", bulkResponse(bulkOK(index, "a"), bulkError(index, "b", 400, "strict_dynamic_mapping_exception",
		"[1:160] mapping set to strict, dynamic introduction of [category3] within [_doc] is not allowed")))
	if err := x.Index(context.Background(), docs); err == nil || !strings.Contains(err.Error(), "index b: 400 strict_dynamic_mapping_exception") {
		t.Errorf("mapping error: %v", err)
	}
}

func TestDeleteIgnoresUnknownIDs(t *testing.T) {
	f, cfg := openedFake(t)
	index := firstVersionName("minyi")
	f.on("POST /minyi/_bulk", answer{200, `{"took":2,"errors":false,"items":[` +
		`{"delete":{"_index":"` + index + `","_id":"a","_version":2,"result":"deleted","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":3,"_primary_term":1,"status":200}},` +
		`{"delete":{"_index":"` + index + `","_id":"nope","_version":1,"result":"not_found","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":4,"_primary_term":1,"status":404}}]}`})
	x, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(context.Background(), []string{"a", "nope"}); err != nil {
		t.Fatal(err)
	}
	if body := f.sent("POST /minyi/_bulk")[0].body; body != "{\"delete\":{\"_id\":\"a\"}}\n{\"delete\":{\"_id\":\"nope\"}}\n" {
		t.Errorf("delete body %q", body)
	}
}

func TestRebuildLoadsWithoutRefreshAndSwapsTheAlias(t *testing.T) {
	f := newFake(t)
	srv := f.start()
	cfg := Config{URLs: []string{srv.URL}, Index: "minyi"}
	old := "minyi-0123456789ab"
	f.on("HEAD /_alias/minyi", ok200)
	f.on("GET /_alias/minyi", aliasOf("minyi", old))
	f.on("POST /_aliases", acked)
	name := rebuildName("minyi", stopClock(t))
	f.on("PUT /"+name, created(name))
	f.on("POST /"+name+"/_bulk", bulkResponse(bulkOK(name, "a")))
	f.on("PUT /"+name+"/_settings", acked)
	f.on("POST /"+name+"/_refresh", refreshed)
	ctx := context.Background()
	b, err := Rebuild(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Index(ctx, []minyi.Document{{ID: "a", Title: "停车"}}); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Name() != name {
		t.Fatalf("rebuilding into %s, want %s", b.Name(), name)
	}
	var created struct {
		Settings map[string]any `json:"settings"`
		Aliases  map[string]any `json:"aliases"`
	}
	if err := json.Unmarshal([]byte(f.sent("PUT /" + name)[0].body), &created); err != nil {
		t.Fatal(err)
	}
	if created.Settings["refresh_interval"] != "-1" || created.Aliases != nil {
		t.Errorf("new version created with %+v; want no refresh and no alias yet", created)
	}
	bulk := f.sent("POST /" + name + "/_bulk")[0]
	if q, _ := url.ParseQuery(bulk.query); q.Has("refresh") || q.Has("require_alias") {
		t.Errorf("load bulk query %q", bulk.query)
	}
	settings := f.sent("PUT /" + name + "/_settings")[0].body
	if settings != `{"index":{"number_of_replicas":null,"refresh_interval":"1s"}}` {
		t.Errorf("settings after the load %s", settings)
	}
	if len(f.sent("POST /"+name+"/_refresh")) != 1 {
		t.Error("no refresh at the end")
	}
	want := `{"actions":[{"add":{"alias":"minyi","index":"` + name + `"}},{"remove_index":{"index":"` + old + `"}}]}`
	if got := f.sent("POST /_aliases")[0].body; got != want {
		t.Errorf("alias update %s, want %s", got, want)
	}
	if len(f.sent("DELETE /"+name)) != 0 {
		t.Error("Close deleted the committed version")
	}
}

func TestUnfinishedRebuildIsDeleted(t *testing.T) {
	f := newFake(t)
	srv := f.start()
	name := rebuildName("minyi", stopClock(t))
	f.on("PUT /"+name, created(name))
	f.on("DELETE /"+name, acked)
	b, err := Rebuild(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if len(f.sent("DELETE /"+b.Name())) != 1 || len(f.sent("POST /_aliases")) != 0 {
		t.Error("an unfinished rebuild was kept or put in service")
	}
}

// stopClock makes Rebuild's clock read one instant, for the test.
func stopClock(t *testing.T) time.Time {
	at := time.Date(2026, 12, 2, 5, 14, 0, 0, time.UTC)
	saved := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = saved })
	return at
}
