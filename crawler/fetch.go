package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"minyi"
	"minyi/internal/safely"
)

// resultKey holds a task's *fetchResult in its colly context; every task gets
// a fresh context, so retries of one page share it and no other page does.
const resultKey = "minyi.fetch"

// fetchResult is what the colly callbacks saw of a task's last attempt.
type fetchResult struct {
	attempts    int
	retries     int
	status      int
	err         error
	contentType string // as the server sent it, before the charset was hidden from colly
	header      http.Header
	body        []byte
	finalURL    *url.URL
	tooLarge    bool
	notHTML     string
}

// page is a fetched detail or list page, decoded to UTF-8 and parsed.
type page struct {
	url      *url.URL // after redirects
	base     *url.URL // for relative links: <base href> if the page has one
	doc      *goquery.Document
	fetched  time.Time
	valid    validators
	encoding string
}

// validators are a response's cache validators, replayed for conditional GET.
type validators struct{ etag, lastModified string }

// link resolves href against the page into a canonical URL ("" if unusable).
func (p *page) link(href string) string { return resolve(p.base, href) }

func (cr *crawl) newCollector() *colly.Collector {
	ua := cr.src.UserAgent
	if ua == "" {
		ua = defaultUserAgent
	}
	col := colly.NewCollector(
		colly.StdlibContext(cr.ctx),
		colly.UserAgent(ua),
		// One byte over the cap, so a body that hit it is told from one that fits.
		colly.MaxBodySize(cr.src.MaxBodyBytes+1),
	)
	// Set after NewCollector so COLLY_* environment variables cannot loosen them.
	col.IgnoreRobotsTxt = false
	col.DetectCharset = false  // decodeHTML decides, from all the evidence
	col.AllowURLRevisit = true // the frontier dedupes by canonical URL; retries and 304s must not be "already visited"
	col.ParseHTTPErrorResponse = false
	col.SetRequestTimeout(cr.opts.RequestTimeout)
	if cr.opts.Transport != nil {
		col.WithTransport(cr.opts.Transport)
	}
	// colly sleeps Delay after each request in each of Parallelism slots, so
	// this Delay keeps the host at RateLimit requests per second overall.
	delay := time.Duration(float64(cr.src.Parallelism) / cr.src.RateLimit * float64(time.Second))
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: cr.src.Parallelism, Delay: delay}); err != nil {
		panic(err) // "*" always compiles
	}

	col.OnRequest(func(r *colly.Request) {
		if cr.ctx.Err() != nil {
			r.Abort()
			return
		}
		res := resultOf(r.Ctx)
		res.attempts++
		res.status, res.err, res.body, res.tooLarge, res.notHTML = 0, nil, nil, false, ""
	})
	col.OnResponseHeaders(func(r *colly.Response) {
		res := resultOf(r.Ctx)
		ct := r.Headers.Get("Content-Type")
		res.contentType = ct
		// colly re-encodes the body itself when the header names a charset
		// (Response.fixCharset); hiding the charset leaves the raw bytes to
		// decodeHTML, so nothing is decoded twice.
		if strings.Contains(strings.ToLower(ct), "charset") {
			r.Headers.Set("Content-Type", mediaType(ct))
		}
		if r.StatusCode != http.StatusOK {
			return
		}
		if n, err := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64); err == nil && n > int64(cr.src.MaxBodyBytes) {
			res.tooLarge = true
			r.Request.Abort()
			return
		}
		if mt := mediaType(ct); mt != "" && !isHTMLish(mt) {
			res.notHTML = mt
			r.Request.Abort()
		}
	})
	col.OnResponse(func(r *colly.Response) {
		res := resultOf(r.Ctx)
		res.status, res.err, res.body = r.StatusCode, nil, r.Body
		res.header = r.Headers.Clone()
		res.finalURL = r.Request.URL
	})
	col.OnError(func(r *colly.Response, err error) {
		res := resultOf(r.Ctx)
		res.status, res.err = r.StatusCode, err
		if r.Headers != nil {
			res.header = r.Headers.Clone()
		}
		if res.retries >= cr.opts.MaxRetries || !retryable(r.StatusCode, err) || cr.ctx.Err() != nil {
			return
		}
		wait := cr.opts.RetryBackoff << res.retries
		if ra := retryAfter(res.header); ra > wait {
			wait = ra
		}
		res.retries++
		cr.log.Debug("retrying page", "url", r.Request.URL.String(), "status", r.StatusCode, "error", err, "wait", wait)
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-cr.ctx.Done():
			return
		case <-timer.C:
		}
		// Retry runs the request again synchronously, through the same
		// callbacks, so res ends up describing the last attempt.
		if rerr := r.Request.Retry(); rerr != nil && res.err == err {
			res.err = rerr
		}
	})
	return col
}

func resultOf(ctx *colly.Context) *fetchResult {
	res, _ := ctx.GetAny(resultKey).(*fetchResult)
	if res == nil {
		res = &fetchResult{} // never nil in practice; keeps a misuse from panicking
		ctx.Put(resultKey, res)
	}
	return res
}

// retryable reports whether a failure is worth another try: the server was
// overloaded or broke off, not a page that is simply absent or forbidden.
func retryable(status int, err error) bool {
	if status >= 500 || status == http.StatusTooManyRequests {
		return true
	}
	if status != 0 || err == nil || errors.Is(err, colly.ErrAbortedAfterHeaders) || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// maxRetryAfter caps a server's Retry-After so one answer cannot stall a crawl.
const maxRetryAfter = time.Minute

func retryAfter(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	secs, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || secs <= 0 {
		return 0
	}
	return min(time.Duration(secs)*time.Second, maxRetryAfter)
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		if strings.Contains(mt, "charset") {
			return "" // too mangled to keep; an empty type makes colly leave the body alone
		}
	}
	return mt
}

func isHTMLish(mt string) bool {
	return strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.Contains(mt, "xml") || mt == "application/octet-stream"
}

// work is one worker: it fetches tasks until the frontier runs dry.
func (cr *crawl) work() {
	for {
		t, ok := cr.frontier.next()
		if !ok {
			return
		}
		// A page that makes an adapter panic is that page's error, not the
		// end of the worker (whose crawl would wait for it forever) or of
		// the process.
		if err := safely.Call(func() error { cr.fetch(t); return nil }); err != nil {
			cr.pageError(t.url, err)
		}
		cr.frontier.done()
	}
}

// fetch requests one page (with retries), then hands it to the adapter.
func (cr *crawl) fetch(t task) {
	res := &fetchResult{}
	cctx := colly.NewContext()
	cctx.Put(resultKey, res)
	hdr := http.Header{}
	if u := cr.stateURL(t); u != "" {
		st := cr.storedState(u)
		if st.ETag != "" {
			hdr.Set("If-None-Match", st.ETag)
		}
		if st.LastModified != "" {
			hdr.Set("If-Modified-Since", st.LastModified)
		}
	}
	hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	reqErr := cr.collector.Request(http.MethodGet, t.url, nil, cctx, hdr)
	if cr.ctx.Err() != nil {
		return
	}
	defer cr.progress()

	switch {
	case res.attempts == 0 && errors.Is(reqErr, colly.ErrRobotsTxtBlocked):
		cr.frontier.refund()
		cr.log.Info("robots.txt disallows page", "url", t.url)
		cr.adapter.abandon(cr, t)
	case res.attempts == 0:
		cr.pageError(t.url, fmt.Errorf("not requested: %w", reqErr))
		cr.adapter.abandon(cr, t)
	case res.status == http.StatusNotModified:
		cr.notModified(t)
		cr.adapter.abandon(cr, t)
	case res.tooLarge || (res.err == nil && len(res.body) > cr.src.MaxBodyBytes):
		cr.pageError(t.url, fmt.Errorf("page is larger than the %d-byte cap", cr.src.MaxBodyBytes))
		cr.adapter.abandon(cr, t)
	case res.notHTML != "":
		cr.pageError(t.url, fmt.Errorf("page is %s, not HTML", res.notHTML))
		cr.adapter.abandon(cr, t)
	case res.err != nil:
		cr.pageError(t.url, httpError(res))
		cr.adapter.abandon(cr, t)
	default:
		cr.count(func(r *minyi.CrawlRun) { r.PagesFetched++ })
		pg, err := cr.parse(t, res)
		if err != nil {
			cr.pageError(t.url, err)
			cr.adapter.abandon(cr, t)
			return
		}
		cr.adapter.handle(cr, t, pg)
		if t.role == roleList {
			cr.listFetched(t, pg)
		}
	}
}

// baseOf is what relative links on a page fetched from final resolve
// against: its <base href> if it has a usable one.
func baseOf(doc *goquery.Document, final *url.URL) *url.URL {
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := final.Parse(strings.TrimSpace(href)); err == nil && (b.Scheme == "http" || b.Scheme == "https") {
			return b
		}
	}
	return final
}

func httpError(res *fetchResult) error {
	tries := ""
	if res.attempts > 1 {
		tries = fmt.Sprintf(" (after %d attempts)", res.attempts)
	}
	if res.status != 0 {
		return fmt.Errorf("HTTP %d %s%s", res.status, http.StatusText(res.status), tries)
	}
	return fmt.Errorf("%w%s", res.err, tries)
}

func (cr *crawl) parse(t task, res *fetchResult) (*page, error) {
	text, enc := decodeHTML(res.body, res.contentType)
	// html.Parse recovers from malformed markup but refuses pathological
	// nesting (over 512 open elements), which is then this page's error.
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("malformed HTML: %w", err)
	}
	final := res.finalURL
	if final == nil {
		final, _ = url.Parse(t.url)
	}
	pg := &page{url: final, base: baseOf(doc, final), doc: doc, fetched: cr.opts.Now(), encoding: enc}
	if res.header != nil {
		pg.valid = validators{etag: res.header.Get("ETag"), lastModified: res.header.Get("Last-Modified")}
	}
	return pg, nil
}
