package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"minyi"
)

// Webhook formats.
const (
	FormatJSON     = "json"     // the Notification as JSON, for any receiver
	FormatWeCom    = "wecom"    // 企业微信 group robot, markdown message
	FormatDingTalk = "dingtalk" // 钉钉 custom robot, markdown message
)

// Webhook posts notifications to a URL.
type Webhook struct {
	URL    string
	Format string // FormatJSON (also ""), FormatWeCom or FormatDingTalk
	// Secret is a DingTalk robot's 加签 secret; with it every request carries
	// timestamp and sign query parameters.
	Secret string
	Client *http.Client // nil: a client with a 10 s timeout
}

// maxResponse bounds how much of a response is read: robots answer with a
// few dozen bytes, and a misconfigured URL may point at a large page.
const maxResponse = 64 << 10

var defaultClient = &http.Client{Timeout: 10 * time.Second}

func (w Webhook) Notify(ctx context.Context, n Notification) error {
	endpoint, err := w.endpoint()
	if err != nil {
		return err
	}
	var payload any
	switch w.Format {
	case "", FormatJSON:
		payload = n
	case FormatWeCom:
		payload = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": markdown(n)}}
	case FormatDingTalk:
		payload = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": subject(n), "text": markdown(n)}}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return permanent(fmt.Errorf("notify webhook: encode: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return permanent(fmt.Errorf("notify webhook: %w", err))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	client := w.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the URL, whose query holds the robot's key or
		// access_token; activity errors end up in workflow history and logs.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redact(ue.URL)
		}
		return retryable(fmt.Errorf("notify webhook %s: %w", w.Format, err))
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return retryable(fmt.Errorf("notify webhook %s: read response: %w", w.Format, err))
	}
	return checkResponse(w.Format, resp.StatusCode, answer)
}

// endpoint validates the configuration and adds DingTalk's signature:
// sign = base64(HMAC-SHA256(secret, timestamp+"\n"+secret)), timestamp in ms.
func (w Webhook) endpoint() (string, error) {
	switch w.Format {
	case "", FormatJSON, FormatWeCom, FormatDingTalk:
	default:
		return "", minyi.Errorf(minyi.EINVALID, "notify webhook: unknown format %q (want json, wecom or dingtalk)", w.Format)
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", minyi.Errorf(minyi.EINVALID, "notify webhook: URL %q is not an http(s) URL", redact(w.URL))
	}
	if w.Secret == "" {
		return u.String(), nil
	}
	if w.Format != FormatDingTalk {
		return "", minyi.Errorf(minyi.EINVALID, "notify webhook: a signing secret is only used with the dingtalk format")
	}
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(w.Secret))
	mac.Write([]byte(ts + "\n" + w.Secret))
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// redact drops the query and user info of a URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(webhook URL)"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// Robot errcodes worth a retry: -1 system busy (WeCom), 45009 API rate
// limit (WeCom), 130101 "send too fast" (DingTalk). Any other non-zero errcode
// — bad key, bad signature, keyword mismatch, message too long — stays wrong.
var retryableErrcodes = map[int]bool{-1: true, 45009: true, 130101: true}

func checkResponse(format string, status int, body []byte) error {
	snippet := strings.TrimSpace(string(body))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500:
		return retryable(fmt.Errorf("notify webhook %s: HTTP %d: %s", format, status, snippet))
	case status < 200 || status > 299:
		return permanent(fmt.Errorf("notify webhook %s: HTTP %d: %s", format, status, snippet))
	}
	// Robots answer HTTP 200 with {"errcode":N,"errmsg":...} for their own errors.
	var r struct {
		Errcode *int   `json:"errcode"`
		Errmsg  string `json:"errmsg"`
	}
	parsed := json.Unmarshal(body, &r) == nil && r.Errcode != nil
	robot := format == FormatWeCom || format == FormatDingTalk
	switch {
	case !parsed && robot:
		// A robot that does not answer with an errcode did not confirm
		// delivery: the URL points at something else (a proxy page, a typo).
		return permanent(fmt.Errorf("notify webhook %s: unexpected response: %s", format, snippet))
	case !parsed || *r.Errcode == 0:
		return nil
	}
	err := fmt.Errorf("notify webhook %s: errcode %d: %s", format, *r.Errcode, r.Errmsg)
	if retryableErrcodes[*r.Errcode] {
		return retryable(err)
	}
	return permanent(err)
}
