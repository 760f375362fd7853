package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"minyi/api/core"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// This chromedp is the generic one: an action is chromedp.Action[T],
// selectors are typed (chromedp.CSS("…")), and several steps run with
// chromedp.Do or b.run.

// browser is a real headless Chromium (Debian's package) driven by chromedp,
// for tests that use the web pages the way a clerk does. Every page it
// visits is saved as a screenshot in one directory per test run, logged at
// the start, so that a person can look at what the test saw.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string // http://127.0.0.1:port of the app
	dir  string // screenshots
	n    int
	id   string // "" for a test's first browser, "b2-" etc. for the next ones
}

// browsers counts the browsers of each test, so that their screenshots do
// not overwrite each other.
var (
	browsersMu sync.Mutex
	browsers   = map[string]int{}
)

// screenshotDir is shared by every browser of a test binary run.
var screenshotDir = func() string {
	if d := os.Getenv("MINYI_SCREENSHOTS"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "minyi-screenshots")
}()

func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it with apt-get")
	}
	t.Skip("chromium is not installed (apt-get install chromium)")
	return ""
}

// newBrowser starts a browser with an empty profile for one user's session.
func newBrowser(t *testing.T, baseURL string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Location()); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	dir := filepath.Join(screenshotDir, sanitize(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	browsersMu.Lock()
	browsers[t.Name()]++
	id := ""
	if k := browsers[t.Name()]; k > 1 {
		id = fmt.Sprintf("b%d-", k)
	}
	browsersMu.Unlock()
	return &browser{t: t, ctx: ctx, base: strings.TrimRight(baseURL, "/"), dir: dir, id: id}
}

// run performs steps with a time limit, failing the test on an error.
func (b *browser) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
}

// value runs one action that returns a value.
func value[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v (at %s)", err, b.location())
	}
	return v
}

// header sends an HTTP header with every request from now on, e.g. a
// bearer token for a test that is not about logging in.
func (b *browser) header(name, val string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{name: val}}); err != nil {
		b.t.Fatalf("setting header %s: %v", name, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return value(b, chromedp.Evaluate[T](expr))
}

// visit opens path, waits for the page to load and saves a screenshot.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body")))
	b.shot(path)
}

// shot saves a full-page screenshot named after the step.
func (b *browser) shot(name string) {
	b.t.Helper()
	// A window that has just opened can report a zero-width page for a
	// moment; wait for layout rather than fail the test on it.
	var png []byte
	for try := 0; ; try++ {
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err == nil {
			png = shot
			break
		}
		if try == 5 || !strings.Contains(err.Error(), "0 width") {
			b.t.Fatalf("screenshot %s: %v (at %s)", name, err, b.location())
		}
		time.Sleep(300 * time.Millisecond)
	}
	b.n++
	file := filepath.Join(b.dir, fmt.Sprintf("%s%02d-%s.png", b.id, b.n, sanitize(name)))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// login fills the login form as a user would and waits for the next page.
func (b *browser) login(name, password string) {
	b.t.Helper()
	b.visit("/login")
	b.run(
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name=login]`), name),
		chromedp.SendKeys(chromedp.CSS(`#login-form input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`#login-form button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#login-form`)),
	)
	b.shot("after-login-" + name)
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return value(b, chromedp.Text(chromedp.CSS(sel)))
}

// location is the URL the browser shows, for failure messages.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func sanitize(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_")
	if s == "" {
		s = "root"
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// demoLogin logs the browser in through the login page as a demo account
// (admin, supervisor, analyst or a department id), creating the demo
// accounts in the app's store first if they are not there yet.
func (ta *testApp) demoLogin(b *browser, who string) {
	b.t.Helper()
	ta.accountsOnce.Do(func() {
		users, err := demoAccounts(ta.router.Directory().Departments(), func(string) bool { return true })
		if err == nil {
			_, err = core.EnsureUsers(context.Background(), ta.store, users)
		}
		ta.accountsErr = err
	})
	if ta.accountsErr != nil {
		b.t.Fatalf("creating demo accounts: %v", ta.accountsErr)
	}
	b.login(who, demoPassword)
}
