package main

import (
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"minyi"
	"minyi/demosite"
	"minyi/notify"
)

// TestPortalEndToEnd: a citizen writes a letter on a phone with a photo,
// gets its number and 查询码, tracks it; the department's clerk sees the
// photo and replies with a file through the real case workflow; the
// citizen reads the reply, downloads the file with the 查询码, rates the
// reply and asks again (追问), which reaches the department's webhook even
// though the webhook is away at first; the rating is the case's and shows
// in the supervisor's statistics. The pages are shot at 390×844 (phone)
// and 1366 px (desktop).
func TestPortalEndToEnd(t *testing.T) {
	hook := newFollowUpHook(t)
	ta := startTestAppWith(t, demosite.Options{Seed: 5, Threads: 2, Letters: 2, Start: time.Now().AddDate(0, 0, -3)}, func(cfg *Config) {
		for i := range cfg.Routing.Departments {
			cfg.Routing.Departments[i].Webhook = hook.URL
		}
	})
	if ta.portalURL == "" {
		t.Fatal("the portal is not served")
	}
	phone := newBrowser(t, ta.portalURL)
	phone.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	phone.visit("/")
	phone.visit("/write")
	answer := eval[string](phone, `(function () { var m = document.querySelector('label[for=answer]').textContent.match(/(\d+) 加 (\d+)/); return String(Number(m[1]) + Number(m[2])); })()`)
	phone.run(
		chromedp.Click(chromedp.CSS(`input[name=type][value=投诉]`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "滨江路路灯不亮"),
		chromedp.SendKeys(chromedp.CSS(`#body`), "江北区滨江路的路灯坏了一个月，晚上很黑，请尽快修理。"),
		chromedp.SendKeys(chromedp.CSS(`#place`), "江北区滨江路 12 号"),
		chromedp.SendKeys(chromedp.CSS(`#name`), "王小明"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), "13812345678"),
		chromedp.Click(chromedp.CSS(`input[name=publish][value=yes]`)),
		chromedp.SendKeys(chromedp.CSS(`#answer`), answer),
		chromedp.SetUploadFiles(chromedp.CSS(`#photo`), []string{photoFile(t, "路灯.png")}),
	)
	phone.shot("write-filled")
	phone.run(chromedp.Click(chromedp.CSS(`form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#letter-code`)))
	phone.shot("written")
	number, code := phone.text("#letter-number"), phone.text("#letter-code")
	if number == "" || len(code) != 8 {
		t.Fatalf("receipt: number %q code %q", number, code)
	}
	if receipt := phone.text("main"); !strings.Contains(receipt, "个工作日内答复") {
		t.Errorf("receipt does not say by when: %q", receipt)
	}

	// The same intake as every letter: a case, routed, with a deadline.
	ctx := context.Background()
	caseID := minyi.CaseIDFor(minyi.DocumentID(minyi.PortalSource, "id:"+number))
	c := waitCase(t, ta, caseID, func(c *minyi.Case) bool { return c.Status == minyi.CaseOpen })
	if c.Source != minyi.PortalSource || c.Due.IsZero() || c.Department == "" {
		t.Fatalf("case: %+v", c)
	}

	track := func() {
		phone.visit("/track")
		phone.run(
			chromedp.SendKeys(chromedp.CSS(`#number`), number),
			chromedp.SendKeys(chromedp.CSS(`#code`), code),
			chromedp.Click(chromedp.CSS(`form button.primary`)),
			chromedp.WaitVisible(chromedp.CSS(`#status-number`)),
		)
	}
	track()
	phone.shot("tracked-open")
	if tl := phone.text(".timeline"); !strings.Contains(tl, "交办") || !strings.Contains(tl, "办理中") {
		t.Errorf("timeline before the reply: %q", tl)
	}

	// The department's clerk sees the photo and replies with a file.
	clerk := newBrowser(t, ta.apiURL)
	clerk.run(chromedp.EmulateViewport(1366, 900))
	ta.demoLogin(clerk, c.Department)
	clerk.visit("/cases/" + caseID)
	if loaded := eval[bool](clerk, `(function () { var i = document.querySelector('#photos img'); return !!i && i.complete && i.naturalWidth === 16; })()`); !loaded {
		t.Errorf("the clerk does not see the letter's photo")
	}
	record := filepath.Join(t.TempDir(), "维修记录.txt")
	if err := os.WriteFile(record, []byte("滨江路 12 号路灯：更换灯头，已恢复照明。"), 0o644); err != nil {
		t.Fatal(err)
	}
	clerk.run(
		chromedp.SendKeys(chromedp.CSS(`#reply-text`), "王小明您好，路灯已于今日修复。"),
		chromedp.SetUploadFiles(chromedp.CSS(`#reply-files`), []string{record}),
		chromedp.Click(chromedp.CSS(`#reply-form button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#reply-form`)),
	)
	clerk.shot("replied-with-file")
	waitCase(t, ta, caseID, func(c *minyi.Case) bool { return c.Status == minyi.CaseAnswered })

	track()
	phone.shot("tracked-answered")
	if r := phone.text("#reply"); !strings.Contains(r, "路灯已于今日修复") {
		t.Errorf("reply on the status page: %q", r)
	}
	if files := phone.text("#reply-files"); !strings.Contains(files, "维修记录.txt") {
		t.Errorf("reply files on the status page: %q", files)
	}
	// The file comes with the 查询码, by the page's own form.
	got := value(phone, chromedp.Evaluate[string](`(async function () { var r = await fetch('/track/file', {method: 'POST', body: new FormData(document.querySelector('#reply-files form'))}); return r.status + ' ' + await r.text(); })()`, chromedp.EvalAwaitPromise))
	if got != "200 滨江路 12 号路灯：更换灯头，已恢复照明。" {
		t.Errorf("reply file downloaded with the 查询码: %q", got)
	}
	phone.run(
		chromedp.Click(chromedp.CSS(`input[name=rating][value=satisfied]`)),
		chromedp.SendKeys(chromedp.CSS(`#reason`), "修得很快"),
		chromedp.Click(chromedp.CSS(`form[action="/rate"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	phone.shot("rated")
	rated := waitCase(t, ta, caseID, func(c *minyi.Case) bool { return c.Rating != "" })
	if rated.Rating != minyi.RatingSatisfied || rated.Status != minyi.CaseClosed {
		t.Errorf("case after the rating: %s %s", rated.Rating, rated.Status)
	}

	// A question after the rating joins the case and reaches the department.
	eval[bool](phone, `document.body.appendChild(document.createElement('i')).id = 'asked-before'; true`)
	phone.run(
		chromedp.SendKeys(chromedp.CSS(`form[action="/followup"] textarea`), "旁边那盏也不亮了"),
		chromedp.Click(chromedp.CSS(`form[action="/followup"] button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#asked-before`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if page := phone.text("main"); !strings.Contains(page, "旁边那盏也不亮了") {
		t.Errorf("the status page after the 追问 does not list it: %q", page)
	}
	phone.shot("followed-up")
	select {
	case n := <-hook.notices:
		if n.Kind != string(minyi.NoticeFollowUp) || n.CaseID != caseID || n.Department != c.Department || !strings.Contains(n.Text, "旁边那盏也不亮了") {
			t.Errorf("追问 notice: %+v", n)
		}
		if hook.refused.Load() != 1 {
			t.Errorf("the webhook refused %d follow-up notices first, want 1 (the retry is what is tested)", hook.refused.Load())
		}
	case <-time.After(time.Minute):
		t.Fatal("the 追问 did not reach the department's webhook")
	}

	// Published and answered: on the board, masked.
	phone.visit("/letters")
	phone.visit("/letters/" + number)
	if body := phone.text("main"); strings.Contains(body, "王小明") || !strings.Contains(body, "路灯已于今日修复") {
		t.Errorf("published letter: %q", body)
	}
	phone.visit("/stats")

	// The supervisor's statistics count the rating: 满意率 of the department.
	sup := newBrowser(t, ta.apiURL)
	sup.run(chromedp.EmulateViewport(1366, 900))
	ta.demoLogin(sup, "supervisor")
	month := time.Now().In(minyi.ChinaTime).Format("2006-01")
	sup.visit("/stats?month=" + month)
	if got := sup.text(`tr[data-department="` + c.Department + `"] td[data-col="satisfaction-rate"]`); got != "100.0%" && got != "100%" {
		t.Errorf("满意率 of %s in the statistics: %q, want 100%%", c.Department, got)
	}
	stats, err := ta.store.DepartmentStats(ctx, time.Now().AddDate(0, 0, -1), time.Now().Add(time.Hour), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.Department == c.Department && (s.Rated != 1 || s.Satisfied != 1) {
			t.Errorf("department stats: %+v", s)
		}
	}

	// The portal at desktop size.
	desk := newBrowser(t, ta.portalURL)
	desk.run(chromedp.EmulateViewport(1366, 900))
	for _, p := range []string{"/", "/write", "/letters", "/letters/" + number, "/stats"} {
		desk.visit(p)
	}
}

// waitCase waits for the case projection to satisfy ok.
func waitCase(t *testing.T, ta *testApp, id string, ok func(*minyi.Case) bool) *minyi.Case {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		c, err := ta.store.Case(context.Background(), id)
		if err == nil && ok(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("case %s: %+v %v", id, c, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// photoFile writes a 16×16 PNG, as a phone's photo would arrive.
func photoFile(t *testing.T, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range 16 {
		img.Set(i, i, color.RGBA{R: 200, G: 160, B: 40, A: 255})
	}
	file := filepath.Join(t.TempDir(), name)
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return file
}

// followUpHook is the departments' webhook: it refuses the first 追问
// notice with a 503, as a robot that is down would, and passes on the
// next; other notices it takes and drops.
type followUpHook struct {
	*httptest.Server
	refused atomic.Int32
	notices chan notify.Notification
}

func newFollowUpHook(t *testing.T) *followUpHook {
	h := &followUpHook{notices: make(chan notify.Notification, 4)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n notify.Notification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil || n.Kind != string(minyi.NoticeFollowUp) {
			return
		}
		if h.refused.CompareAndSwap(0, 1) {
			http.Error(w, "down for a moment", http.StatusServiceUnavailable)
			return
		}
		h.notices <- n
	}))
	t.Cleanup(h.Close)
	return h
}
