package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"minyi"
	"minyi/api/rest"
	"minyi/demosite"
)

const govMessages = "../../../shared/data/gov-messages-labelled-494.csv"

func (ta *testApp) post(t *testing.T, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ta.apiURL+"/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+demoToken("intake"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// waitIndexed polls until search lists n documents of source.
func (ta *testApp) waitIndexed(t *testing.T, source string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res := ta.search(t, url.Values{"source": {source}, "page_size": {"1"}})
		if res.Total >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search lists %d documents of %s after 3 minutes, want %d", res.Total, source, n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestGovMessagesImport sends the real government messages through direct
// intake and finds every one again by a phrase of its title.
func TestGovMessagesImport(t *testing.T) {
	f, err := os.Open(govMessages)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is absent: the real-message import test needs ../shared/data", govMessages)
	} else if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "id,title,time,body,category" {
		t.Fatalf("unexpected header %v", rows[0])
	}
	rows = rows[1:]
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})

	ids := make([]string, len(rows))
	var first []byte
	for i, r := range rows {
		published, err := time.ParseInLocation("2006/1/2 15:04:05", r[2], minyi.ChinaTime)
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		body, _ := json.Marshal(rest.MessageRequest{Source: "hotline", ExternalID: r[0], Title: r[1],
			Body: r[3], Board: r[4], Published: &published, Contact: &minyi.Contact{Phone: "13800000000"}})
		if i == 0 {
			first = body
		}
		code, raw := ta.post(t, body)
		var res rest.MessageResponse
		if code != http.StatusCreated || json.Unmarshal(raw, &res) != nil || res.ID == "" {
			t.Fatalf("row %d: %d %s", i+2, code, raw)
		}
		ids[i] = res.ID
	}

	t.Run("resubmission returns the existing id", func(t *testing.T) {
		code, raw := ta.post(t, first)
		var res rest.MessageResponse
		json.Unmarshal(raw, &res)
		if code != http.StatusOK || res.ID != ids[0] || !res.Duplicate {
			t.Fatalf("got %d %s; want 200 with id %s", code, raw, ids[0])
		}
	})

	ta.waitIndexed(t, "hotline", uint64(len(rows)))
	t.Run("every message is found by its title", func(t *testing.T) {
		for i, r := range rows {
			phrase := strings.NewReplacer(`"`, " ", "“", " ", "”", " ").Replace(r[1])
			q := `"` + strings.Join(strings.Fields(phrase), " ") + `"`
			if strings.Trim(q, `" `) == "" {
				continue
			}
			res := ta.search(t, url.Values{"q": {q}, "source": {"hotline"}, "page_size": {"50"}})
			found := false
			for _, h := range res.Hits {
				found = found || h.ID == ids[i]
			}
			if !found {
				t.Errorf("message %s %q not found by %s (%d hits)", r[0], r[1], q, res.Total)
			}
		}
	})

	t.Run("contact data never leaves through the document endpoint", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, ta.apiURL+"/api/posts/"+ids[0], nil)
		req.Header.Set("Authorization", "Bearer "+demoToken("analyst"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte("13800000000")) {
			t.Fatalf("status %d, body leaks contact: %s", resp.StatusCode, raw)
		}
	})
}

// Bad input gets a clear error and changes nothing.
func TestIntakeRejectsBadInput(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	cases := []struct {
		name string
		body []byte
		code int
		want string
	}{
		{"invalid JSON", []byte(`{"title": "路灯不亮"`), 400, minyi.EINVALID},
		{"unknown field", []byte(`{"title":"a","body":"b","pwd":1}`), 400, minyi.EINVALID},
		{"empty", []byte(`{"title":" ","body":""}`), 400, minyi.EINVALID},
		{"bad channel", []byte(`{"source":"Not A Channel","title":"a","body":"b"}`), 400, minyi.EINVALID},
		{"too large for the body limit", []byte(`{"title":"a","body":"` + strings.Repeat("很", 400_000) + `"}`), 413, minyi.ETOOLARGE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, raw := ta.post(t, c.body)
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(raw, &body); err != nil || code != c.code || body.Error.Code != c.want || body.Error.Message == "" {
				t.Fatalf("got %d %s; want %d %s", code, raw, c.code, c.want)
			}
		})
	}
	var st struct{ Sources []minyi.SourceStatus }
	ta.get(t, "/api/status", &st)
	for _, s := range st.Sources {
		if s.Source == rest.DefaultIntakeSource {
			t.Fatalf("rejected messages were stored: %+v", s)
		}
	}
}
