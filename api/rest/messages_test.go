package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi/api/apitest"
	"minyi/api/core"

	"minyi"
)

func messageJSON(t *testing.T, req MessageRequest) []byte {
	t.Helper()
	raw, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestPostMessageNewThenDuplicate(t *testing.T) {
	ts := apitest.NewServer(t)
	published := time.Date(2026, 11, 20, 14, 5, 9, 0, minyi.ChinaTime)
	msg := MessageRequest{Source: "hotline-12345", ExternalID: "RX2026112000017", Title: "金桂苑路灯不亮",
		Body: "金桂苑门口的路灯坏了一个多月。", MessageType: "求助", Published: &published}

	first := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, msg)), http.StatusCreated)
	if first.ID == "" || first.Duplicate {
		t.Fatalf("first post: %+v", first)
	}
	again := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, msg)), http.StatusOK)
	if again.ID != first.ID || !again.Duplicate {
		t.Fatalf("resubmission: %+v, want the id %s marked duplicate", again, first.ID)
	}
	// The ingester dedups on its own; the server hands it both, so a retry
	// after a failed start still gets the message ingested.
	if got := ts.Ingester.IDs(); !slices.Equal(got, []string{first.ID, first.ID}) {
		t.Fatalf("ingested %v, want %s twice", got, first.ID)
	}
	if n, _ := ts.Store.CountDocuments(context.Background()); n != 1 {
		t.Fatalf("store holds %d documents, want 1", n)
	}

	doc := apitest.Decode[minyi.Document](t, ts.Get("/api/posts/"+first.ID), http.StatusOK)
	if doc.Source != "hotline-12345" || doc.Kind != minyi.KindMessage || doc.ExternalID != msg.ExternalID ||
		doc.Title != msg.Title || doc.Body != msg.Body || doc.MessageType != "求助" || !doc.Published.Equal(published) {
		t.Fatalf("stored %+v", doc)
	}
}

func TestPostMessageWithoutIDsDedupsByContent(t *testing.T) {
	ts := apitest.NewServer(t)
	msg := MessageRequest{Title: "噪声扰民", Body: "工地夜间施工到凌晨两点。"}
	first := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, msg)), http.StatusCreated)
	again := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, msg)), http.StatusOK)
	if again.ID != first.ID {
		t.Fatalf("same content got ids %s and %s", first.ID, again.ID)
	}
	msg.Body += "已经持续一周。"
	other := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, msg)), http.StatusCreated)
	if other.ID == first.ID {
		t.Fatal("different content got the same id")
	}
	doc := apitest.Decode[minyi.Document](t, ts.Get("/api/posts/"+first.ID), http.StatusOK)
	if doc.Source != DefaultIntakeSource || !doc.Published.Equal(apitest.Now) {
		t.Fatalf("a message without source and time: source %q, published %v; want %q, %v",
			doc.Source, doc.Published, DefaultIntakeSource, apitest.Now)
	}
}

func TestPostMessageRejectsBadInput(t *testing.T) {
	ts := apitest.NewServer(t)
	for name, body := range map[string]string{
		"invalid JSON":  `{"title": "路灯不亮"`,
		"not an object": `["路灯不亮"]`,
		"unknown field": `{"title":"路灯","body":"不亮","password":"x"}`,
		"two values":    `{"title":"路灯","body":"不亮"} {}`,
		"empty":         `{"title":"  ","body":""}`,
		"bad channel":   `{"source":"Hotline 12345","title":"路灯","body":"不亮"}`,
		"bad time":      `{"title":"路灯","body":"不亮","published":"yesterday"}`,
		"empty body":    ``,
	} {
		t.Run(name, func(t *testing.T) {
			apitest.WantError(t, ts.Post("/api/messages", []byte(body)), http.StatusBadRequest, "invalid")
		})
	}
	if got := ts.Ingester.IDs(); len(got) != 0 {
		t.Errorf("rejected messages were ingested: %v", got)
	}
	if n, _ := ts.Store.CountDocuments(context.Background()); n != 0 {
		t.Errorf("rejected messages were stored: %d documents", n)
	}
}

func TestPostMessageTooLarge(t *testing.T) {
	ts := apitest.NewServer(t)
	// Three times the limit, so that the JSON is still incomplete where
	// reading stops.
	huge := messageJSON(t, MessageRequest{Title: "很长", Body: strings.Repeat("很", core.DefaultMaxBodyBytes)})

	t.Run("declared length over the limit", func(t *testing.T) {
		apitest.WantError(t, ts.Post("/api/messages", huge), http.StatusRequestEntityTooLarge, "too_large")
	})
	t.Run("chunked body over the limit", func(t *testing.T) {
		// No Content-Length: echo's BodyLimit finds the limit only while
		// reading and then fails the read with echo.ErrStatusRequestEntityTooLarge,
		// which decodeMessage must report as too_large, not as invalid JSON.
		req := httptest.NewRequest(http.MethodPost, "/api/messages", struct{ *bytes.Reader }{bytes.NewReader(huge)})
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		apitest.WantError(t, ts.Do(req), http.StatusRequestEntityTooLarge, "too_large")
	})
	t.Run("body text over the document limit", func(t *testing.T) {
		long := messageJSON(t, MessageRequest{Title: "很长", Body: strings.Repeat("a", minyi.MaxBodyRunes+1)})
		apitest.WantError(t, ts.Post("/api/messages", long), http.StatusRequestEntityTooLarge, "too_large")
	})
	if got := ts.Ingester.IDs(); len(got) != 0 {
		t.Errorf("oversized messages were ingested: %v", got)
	}
}

func TestContactNeverLeavesThroughReadEndpoints(t *testing.T) {
	ts := apitest.NewServer(t)
	contact := &minyi.Contact{Name: "张秀兰", Phone: "13912345678", Email: "zxl@example.com"}
	res := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, MessageRequest{
		Title: "拆迁补偿咨询", Body: "请问城南村拆迁补偿标准。", Contact: contact})), http.StatusCreated)

	// It is kept for the department that handles the message...
	stored, err := ts.Store.Document(context.Background(), res.ID)
	if err != nil || stored.Contact == nil || *stored.Contact != *contact {
		t.Fatalf("stored contact %+v, %v; want %+v", stored.Contact, err, contact)
	}
	// ...and never shown to whoever reads documents or searches.
	for _, path := range []string{"/api/posts/" + res.ID, "/api/search?" + url.Values{"q": {"拆迁补偿"}}.Encode()} {
		rec := ts.Get(path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), res.ID) {
			t.Fatalf("GET %s does not show the message at all: %s", path, rec.Body)
		}
		for _, secret := range []string{contact.Phone, contact.Email, `"contact"`, rawJSONString(contact.Name)} {
			if strings.Contains(rec.Body.String(), secret) {
				t.Errorf("GET %s leaks %s: %s", path, secret, rec.Body)
			}
		}
	}
}

func TestMarkupIsStoredAsTextAndEscapedInHighlights(t *testing.T) {
	ts := apitest.NewServer(t)
	body := `路灯坏了<script>alert("x")</script><b>路灯</b>一直不亮`
	res := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, MessageRequest{
		Title: "路灯问题", Body: body})), http.StatusCreated)

	doc := apitest.Decode[minyi.Document](t, ts.Get("/api/posts/"+res.ID), http.StatusOK)
	if doc.Body != body {
		t.Fatalf("body stored as %q, want it verbatim %q", doc.Body, body)
	}
	found := apitest.Decode[minyi.SearchResult](t, ts.Get("/api/search?"+url.Values{"q": {"路灯"}}.Encode()), http.StatusOK)
	if len(found.Hits) != 1 || found.Hits[0].ID != res.ID {
		t.Fatalf("search for 路灯: %+v", found.Hits)
	}
	frags := found.Hits[0].Highlights["body"]
	joined := strings.Join(frags, "")
	if !strings.Contains(joined, "&lt;script&gt;") || !strings.Contains(joined, "<mark>路灯</mark>") {
		t.Fatalf("body highlights %q: want the markup escaped next to <mark>路灯</mark>", frags)
	}
	without := strings.ReplaceAll(strings.ReplaceAll(joined, "<mark>", ""), "</mark>", "")
	if strings.ContainsAny(without, "<>") {
		t.Fatalf("body highlights %q carry markup other than <mark>", frags)
	}
}

// rawJSONString is s as encoding/json writes it inside a string.
func rawJSONString(s string) string {
	raw, _ := json.Marshal(s)
	return strings.Trim(string(raw), `"`)
}

// Input is checked, not repaired: text that is not UTF-8 is refused with
// where it goes wrong, and a body that is not JSON by its type is a 415.
func TestPostMessageRefusesWhatItCannotRead(t *testing.T) {
	ts := apitest.NewServer(t)
	gbk := append([]byte(`{"title":"`), 0xb2, 0xe2, 0xca, 0xd4) // 测试 in GBK
	gbk = append(gbk, []byte(`","body":"x"}`)...)
	req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(gbk))
	req.Header.Set("Content-Type", "application/json")
	rec := ts.Do(req)
	apitest.WantError(t, rec, http.StatusBadRequest, "invalid")
	if !strings.Contains(rec.Body.String(), "UTF-8 at byte 10") {
		t.Errorf("the error does not say where the text goes wrong: %s", rec.Body)
	}
	for _, ct := range []string{"text/plain", "", "application/x-www-form-urlencoded"} {
		req := httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader(`{"title":"停车难","body":"x"}`))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		apitest.WantError(t, ts.Do(req), http.StatusUnsupportedMediaType, "unsupported_media_type")
	}
	req = httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader(`{"title":"停车难","body":"x"}`))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if rec := ts.Do(req); rec.Code != http.StatusCreated {
		t.Errorf("application/json with a charset: %d %s", rec.Code, rec.Body)
	}
	if n, _ := ts.Store.CountDocuments(context.Background()); n != 1 {
		t.Errorf("%d documents stored, want only the readable one", n)
	}
}

// Letters come only from intake clients, for their own channels: a staff
// token that could post one could rewrite another department's letter.
func TestOnlyIntakeClientsDeliverLetters(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Server.Users = append(ts.Server.Users,
		core.TokenUser{Name: "analyst", Token: "analyst-token-0123456789", Role: core.RoleAnalyst},
		core.TokenUser{Name: "housing", Token: "housing-token-0123456789", Role: core.RoleDepartment, Department: "housing"},
		core.TokenUser{Name: "supervisor", Token: "supervisor-token-0123456789", Role: core.RoleSupervisor},
		core.TokenUser{Name: "hotline-bridge", Token: "hotline-token-0123456789", Role: core.RoleIntake, Sources: []string{"hotline-12345"}})
	ts.Handler = apitest.ContractHandler(t, ts.Server.Handler())
	msg := messageJSON(t, MessageRequest{Source: "hotline-12345", ExternalID: "RX1", Title: "路灯不亮", Body: "一个月了"})
	post := func(token string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		return ts.Do(req)
	}
	for _, token := range []string{apitest.Token, "analyst-token-0123456789", "housing-token-0123456789", "supervisor-token-0123456789"} {
		apitest.WantError(t, post(token, msg), http.StatusForbidden, minyi.EFORBIDDEN)
	}
	other := messageJSON(t, MessageRequest{Source: "mayor-mailbox", ExternalID: "M1", Title: "路灯不亮", Body: "一个月了"})
	apitest.WantError(t, post("hotline-token-0123456789", other), http.StatusForbidden, minyi.EFORBIDDEN)
	if n, _ := ts.Store.CountDocuments(context.Background()); n != 0 {
		t.Fatalf("refused deliveries stored %d documents", n)
	}
	apitest.Decode[MessageResponse](t, post("hotline-token-0123456789", msg), http.StatusCreated)

	entries, err := ts.Store.Audit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	denials := 0
	for _, e := range entries {
		if e.Action == minyi.AuditDenied && e.Target == "POST /api/messages" {
			denials++
		}
	}
	if denials != 5 {
		t.Errorf("%d denials in the audit log, want 5 (four staff roles, one foreign source): %+v", denials, entries)
	}
	// An intake client reads nothing: it delivers letters and that is all.
	for _, path := range []string{"/api/search?q=路灯", "/api/cases", "/api/status", "/search"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer hotline-token-0123456789")
		if rec := ts.Do(req); rec.Code != http.StatusForbidden {
			t.Errorf("intake client GET %s: %d, want 403", path, rec.Code)
		}
	}
}

// A second delivery of a letter with other words under the same id is a
// conflict that keeps the original, never a silent replacement.
func TestRedeliveryWithOtherContentKeepsTheOriginal(t *testing.T) {
	ts := apitest.NewServer(t)
	published := time.Date(2026, 11, 20, 14, 5, 9, 0, minyi.ChinaTime)
	orig := MessageRequest{Source: "mayor-mailbox", ExternalID: "XJ-0042", Title: "小区电梯停运", Body: "三号楼电梯停了两周",
		MessageType: "投诉", Published: &published, Contact: &minyi.Contact{Name: "王女士", Phone: "13800000042"}}
	first := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, orig)), http.StatusCreated)

	retry := orig
	retry.Published = nil // a retry that leaves the time to the server is the same letter
	if got := apitest.Decode[MessageResponse](t, ts.Post("/api/messages", messageJSON(t, retry)), http.StatusOK); !got.Duplicate || got.ID != first.ID {
		t.Fatalf("identical redelivery: %+v", got)
	}
	for name, change := range map[string]func(*MessageRequest){
		"title":      func(m *MessageRequest) { m.Title = "电梯已修好" },
		"body":       func(m *MessageRequest) { m.Body = "无事" },
		"type":       func(m *MessageRequest) { m.MessageType = "咨询" },
		"contact":    func(m *MessageRequest) { m.Contact = &minyi.Contact{Name: "冒名者", Phone: "13900000000"} },
		"no contact": func(m *MessageRequest) { m.Contact = nil },
		"time": func(m *MessageRequest) {
			later := published.Add(time.Hour)
			m.Published = &later
		},
	} {
		m := orig
		change(&m)
		rec := ts.Post("/api/messages", messageJSON(t, m))
		apitest.WantError(t, rec, http.StatusConflict, minyi.ECONFLICT)
		if !strings.Contains(rec.Body.String(), "original is kept") {
			t.Errorf("%s: the conflict does not say the original is kept: %s", name, rec.Body)
		}
	}
	doc, err := ts.Store.Document(context.Background(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != orig.Title || doc.Body != orig.Body || doc.MessageType != "投诉" || doc.Contact == nil || *doc.Contact != *orig.Contact {
		t.Fatalf("stored letter changed: %+v contact %+v", doc, doc.Contact)
	}
}
