package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"minyi"
)

var sample = Notification{
	Kind:       KindUrge,
	Title:      "道路积水问题超期未复",
	Text:       "市民反映的道路积水问题已超过办理时限，请尽快答复。",
	CaseID:     "C-2026-0042",
	Department: "市住建局",
	Due:        time.Date(2026, 2, 27, 23, 59, 59, 999_000_000, minyi.ChinaTime),
	URL:        "https://minyi.example.gov.cn/cases/C-2026-0042",
}

const sampleMarkdown = "### 【催办】道路积水问题超期未复\n" +
	"> 案件编号：C-2026-0042\n" +
	"> 承办单位：市住建局\n" +
	"> 办理时限：2026-02-27 23:59\n" +
	"\n市民反映的道路积水问题已超过办理时限，请尽快答复。\n" +
	"\n[查看详情](https://minyi.example.gov.cn/cases/C-2026-0042)\n"

// robot is a test receiver: it records each request and answers with status and body.
type robot struct {
	*httptest.Server
	reqs   []*http.Request
	bodies []string
}

func newRobot(t *testing.T, status int, answer string) *robot {
	r := &robot{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.reqs = append(r.reqs, req)
		r.bodies = append(r.bodies, string(b))
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(r.Close)
	return r
}

func TestWebhookFormats(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   string
	}{
		{"", `{"kind":"urge","title":"道路积水问题超期未复","text":"市民反映的道路积水问题已超过办理时限，请尽快答复。","case_id":"C-2026-0042","department":"市住建局","due":"2026-02-27T23:59:59.999+08:00","url":"https://minyi.example.gov.cn/cases/C-2026-0042"}`},
		{FormatWeCom, mustJSON(map[string]any{"msgtype": "markdown", "markdown": map[string]any{"content": sampleMarkdown}})},
		{FormatDingTalk, mustJSON(map[string]any{"msgtype": "markdown", "markdown": map[string]any{"title": "【催办】道路积水问题超期未复", "text": sampleMarkdown}})},
	} {
		r := newRobot(t, 200, `{"errcode":0,"errmsg":"ok"}`)
		if err := (Webhook{URL: r.URL + "/send?key=k1", Format: tc.format}).Notify(context.Background(), sample); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if len(r.reqs) != 1 || r.reqs[0].Method != http.MethodPost || r.reqs[0].URL.Query().Get("key") != "k1" ||
			!strings.HasPrefix(r.reqs[0].Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s: bad request %+v", tc.format, r.reqs)
		}
		var got, want any
		json.Unmarshal([]byte(r.bodies[0]), &got)
		json.Unmarshal([]byte(tc.want), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s body:\n got %s\nwant %s", tc.format, r.bodies[0], tc.want)
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestWebhookJSONOmitsEmpty(t *testing.T) {
	r := newRobot(t, 204, "")
	if err := (Webhook{URL: r.URL, Format: FormatJSON}).Notify(context.Background(), Notification{Kind: KindAlert, Title: "负面舆情激增"}); err != nil {
		t.Fatal(err)
	}
	if want := `{"kind":"alert","title":"负面舆情激增"}`; r.bodies[0] != want {
		t.Errorf("body %s, want %s", r.bodies[0], want)
	}
}

func TestDingTalkSigning(t *testing.T) {
	const secret = "SEC0123456789abcdef"
	r := newRobot(t, 200, `{"errcode":0,"errmsg":"ok"}`)
	w := Webhook{URL: r.URL + "/robot/send?access_token=tok", Format: FormatDingTalk, Secret: secret}
	if err := w.Notify(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	q := r.reqs[0].URL.Query()
	ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil || time.Since(time.UnixMilli(ts)).Abs() > time.Hour {
		t.Fatalf("timestamp %q", q.Get("timestamp"))
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(q.Get("timestamp") + "\n" + secret))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); q.Get("sign") != want || q.Get("access_token") != "tok" {
		t.Errorf("query %v, want sign %s", q, want)
	}
}

func TestWebhookErrors(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		status       int
		answer       string
		permanent    bool
	}{
		{"wecom bad key", FormatWeCom, 200, `{"errcode":93000,"errmsg":"invalid webhook url"}`, true},
		{"wecom rate limit", FormatWeCom, 200, `{"errcode":45009,"errmsg":"api freq out of limit"}`, false},
		{"dingtalk bad sign", FormatDingTalk, 200, `{"errcode":310000,"errmsg":"sign not match"}`, true},
		{"dingtalk too fast", FormatDingTalk, 200, `{"errcode":130101,"errmsg":"send too fast"}`, false},
		{"json errcode", FormatJSON, 200, `{"errcode":7,"errmsg":"nope"}`, true},
		{"robot html page", FormatWeCom, 200, `<html>login</html>`, true},
		{"server error", FormatJSON, 502, `bad gateway`, false},
		{"throttled", FormatDingTalk, 429, ``, false},
		{"not found", FormatWeCom, 404, `no such robot`, true},
		{"bad request", FormatJSON, 400, `{"error":"x"}`, true},
	} {
		r := newRobot(t, tc.status, tc.answer)
		err := (Webhook{URL: r.URL, Format: tc.format}).Notify(context.Background(), sample)
		if err == nil || Permanent(err) != tc.permanent {
			t.Errorf("%s: err %v, Permanent %v, want %v", tc.name, err, Permanent(err), tc.permanent)
		}
	}
}

func TestWebhookNetworkErrorIsRetryable(t *testing.T) {
	r := newRobot(t, 200, "")
	url := r.URL
	r.Close()
	err := (Webhook{URL: url + "/cgi-bin/webhook/send?key=SECRETKEY", Format: FormatWeCom}).Notify(context.Background(), sample)
	if err == nil || Permanent(err) {
		t.Fatalf("err %v, Permanent %v", err, Permanent(err))
	}
	if strings.Contains(err.Error(), "SECRETKEY") || !strings.Contains(err.Error(), "/cgi-bin/webhook/send") {
		t.Errorf("error should name the URL without its key: %v", err)
	}
}

func TestWebhookBadConfig(t *testing.T) {
	r := newRobot(t, 200, `{"errcode":0}`)
	for _, w := range []Webhook{
		{URL: r.URL, Format: "slack"},
		{URL: "ftp://example.com/x", Format: FormatJSON},
		{URL: "not a url", Format: FormatWeCom},
		{URL: r.URL, Format: FormatWeCom, Secret: "s"},
	} {
		err := w.Notify(context.Background(), sample)
		if minyi.ErrorCode(err) != minyi.EINVALID || !Permanent(err) {
			t.Errorf("%+v: %v", w, err)
		}
	}
	if len(r.reqs) != 0 {
		t.Errorf("bad config still sent %d requests", len(r.reqs))
	}
}

// Post titles are public input: they must not become links or tags in a group chat.
func TestMarkdownNeutralisesPostText(t *testing.T) {
	n := Notification{Kind: KindAlert, Title: "点我 [领奖](http://evil.example)\n# 标题", Text: `<font color="warning">假通知</font>`}
	md := markdown(n)
	if strings.Contains(md, "](http://evil") || strings.Contains(md, "<font") || strings.Contains(md, "\n# ") {
		t.Errorf("markdown kept markup from post text:\n%s", md)
	}
	if !strings.Contains(md, "领奖") || !strings.Contains(md, "假通知") {
		t.Errorf("markdown lost the text:\n%s", md)
	}
}
