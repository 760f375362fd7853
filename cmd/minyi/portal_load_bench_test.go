package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"minyi"
	"minyi/demosite"
)

// BenchmarkPortalWrites writes letters on the public portal's form at a
// fixed rate (MINYI_BENCH_PORTAL_RATE a second, default 200) for
// MINYI_BENCH_PORTAL_SECONDS (default 60) from MINYI_BENCH_PORTAL_CLIENTS
// clients (default 16), each letter as a citizen does: the form (with its
// challenge) fetched, then posted. Each comes from an address and phone of
// its own, through the trusted proxy's X-Forwarded-For, so the per-address
// and per-phone limits hold and do not throttle the load. Afterwards every
// acknowledged letter must be stored, have its case and its case workflow,
// and be found by its number and 查询码 on /track (MINYI_BENCH_PORTAL_WAIT
// bounds the wait for cases and workflows).
func BenchmarkPortalWrites(b *testing.B) {
	rate := benchEnvInt(b, "MINYI_BENCH_PORTAL_RATE", 200)
	seconds := benchEnvInt(b, "MINYI_BENCH_PORTAL_SECONDS", 60)
	clients := benchEnvInt(b, "MINYI_BENCH_PORTAL_CLIENTS", 16)
	total := rate * seconds
	for b.Loop() {
		ta := startTestAppWith(b, demosite.Options{Seed: 1, Threads: 1, Letters: 1}, func(c *Config) {
			c.TrustedProxies = []string{"127.0.0.1/32"}
		})
		ctx := context.Background()
		_, baseCases, err := ta.store.Cases(ctx, minyi.CaseFilter{Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}
		acks := make([]portalAck, total)
		var next atomic.Int64
		var late atomic.Int64 // letters whose turn had passed before a client was free
		// CPU per letter is the process's from the first letter to the
		// last case workflow running: the server's and the worker's, the
		// load generator's (small) and the polls for cases below.
		cpu0 := cpuTime(b)
		start := time.Now()
		errs := make(chan error, clients)
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= total {
						return
					}
					turn := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
					if wait := time.Until(turn); wait > 0 {
						time.Sleep(wait)
					} else if wait < -100*time.Millisecond {
						late.Add(1)
					}
					a, err := writeLetter(hc, ta.portalURL, i)
					if err != nil {
						errs <- err
						return
					}
					acks[i] = a
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		lastAck := time.Now()
		var took []time.Duration
		for _, a := range acks {
			took = append(took, a.took)
		}
		slices.Sort(took)

		// Each acknowledged letter's case, looked up by id until all are
		// there, then their workflows, within MINYI_BENCH_PORTAL_WAIT
		// seconds (default 600).
		wait := time.Duration(benchEnvInt(b, "MINYI_BENCH_PORTAL_WAIT", 600)) * time.Second
		var cased, running, cpu time.Duration
		pending := slices.Clone(acks)
		workflows := 0
		for deadline := lastAck.Add(wait); time.Now().Before(deadline) && running == 0; time.Sleep(2 * time.Second) {
			pending = slices.DeleteFunc(pending, func(a portalAck) bool {
				_, err := ta.store.Case(ctx, minyi.CaseIDFor(minyi.DocumentID(minyi.PortalSource, "id:"+a.number)))
				return err == nil
			})
			if cased == 0 && len(pending) == 0 {
				cased = time.Since(lastAck)
			}
			if cased != 0 {
				if workflows = ta.runningCases(b); workflows >= baseCases+total {
					running = time.Since(lastAck)
					cpu = cpuTime(b) - cpu0
				}
			}
		}
		b.ReportMetric(float64(total)/elapsed.Seconds(), "letters/s")
		b.ReportMetric(float64(late.Load()), "letters-late")
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "submit-p50-ms")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "submit-p99-ms")
		b.ReportMetric(float64(total-len(pending)), "cased")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(total), "cpu-ms/letter")
		b.Logf("%d letters in %v (%d late), submit p50 %v p99 %v; cased %d after %v, workflows %d after %v; %v CPU",
			total, elapsed.Round(time.Millisecond), late.Load(), took[len(took)/2], took[len(took)*99/100],
			total-len(pending), cased.Round(time.Second), workflows, running.Round(time.Second), cpu.Round(time.Millisecond))
		if running == 0 {
			b.Fatalf("%v after the last of %d letters: %d without a case, %d case workflows (of %d before the load)",
				wait, total, len(pending), workflows, baseCases)
		}
		// Every acknowledged letter, by its number and code.
		var found atomic.Int64
		next.Store(0)
		errs = make(chan error, clients)
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < total; i = int(next.Add(1)) - 1 {
					if err := trackLetter(hc, ta.portalURL, acks[i].number, acks[i].code, i); err != nil {
						errs <- err
						return
					}
					found.Add(1)
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(cased.Seconds(), "cased-after-last-s")
		b.ReportMetric(running.Seconds(), "case-workflows-after-last-s")
		b.ReportMetric(float64(found.Load()), "tracked")
	}
}

// portalAck is a letter the portal acknowledged: its number, its 查询码,
// and how long the post took.
type portalAck struct {
	number, code string
	took         time.Duration
}

var (
	challengeField = regexp.MustCompile(`name="challenge" value="([^"]+)"`)
	letterNumber   = regexp.MustCompile(`id="letter-number">([^<]+)<`)
	letterCode     = regexp.MustCompile(`id="letter-code">([^<]+)<`)
)

// writeLetter fetches the form, solves its sum and posts letter i as the
// client at address and phone i; the post's time is the submit latency.
func writeLetter(hc *http.Client, portal string, i int) (portalAck, error) {
	var a portalAck
	form, err := portalDo(hc, http.MethodGet, portal+"/write", nil, i)
	if err != nil {
		return a, err
	}
	m := challengeField.FindStringSubmatch(form)
	if m == nil {
		return a, fmt.Errorf("letter %d: no challenge on the form", i)
	}
	token := html.UnescapeString(m[1])
	// The token carries its sum ("a.b.expiry.nonce", signed): a load
	// generator reads it rather than the words of the question.
	enc, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	parts := strings.Split(string(raw), ".")
	if err != nil || len(parts) != 4 {
		return a, fmt.Errorf("letter %d: challenge %q", i, token)
	}
	x, _ := strconv.Atoi(parts[0])
	y, _ := strconv.Atoi(parts[1])
	v := url.Values{"type": {"投诉"}, "title": {fmt.Sprintf("第%d号楼路灯不亮", i)},
		"body":  {fmt.Sprintf("小区第%d号楼门口的路灯已经坏了两个星期，晚上出行很不安全，希望尽快维修。", i)},
		"place": {"江北区滨江路"}, "name": {"王小明"}, "phone": {fmt.Sprintf("139%08d", i)}, "publish": {"yes"},
		"challenge": {token}, "answer": {strconv.Itoa(x + y)}}
	t0 := time.Now()
	page, err := portalDo(hc, http.MethodPost, portal+"/write", v, i)
	a.took = time.Since(t0)
	if err != nil {
		return a, err
	}
	n, c := letterNumber.FindStringSubmatch(page), letterCode.FindStringSubmatch(page)
	if n == nil || c == nil {
		return a, fmt.Errorf("letter %d: no number and code on the receipt", i)
	}
	a.number, a.code = n[1], c[1]
	return a, nil
}

// trackLetter finds a letter on /track by its number and code.
func trackLetter(hc *http.Client, portal, number, code string, i int) error {
	page, err := portalDo(hc, http.MethodPost, portal+"/track", url.Values{"number": {number}, "code": {code}}, i)
	if err != nil {
		return err
	}
	if !strings.Contains(page, `id="status-number">`+number+`<`) {
		return fmt.Errorf("letter %s: /track does not show it", number)
	}
	return nil
}

// portalDo sends a request as the client at address i behind the proxy.
func portalDo(hc *http.Client, method, target string, form url.Values, i int) (string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode >= 300 {
		return "", fmt.Errorf("%s %s: %s", method, target, resp.Status)
	}
	return string(b), nil
}
