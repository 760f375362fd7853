package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"minyi"
)

var _ minyi.ListPoller = (*Crawler)(nil)

// pollTimeout bounds one polled page: a poll that has to wait longer is
// better given up and tried again at the next poll.
const pollTimeout = 10 * time.Second

// PollLists fetches the source's start URLs (a board's first page, the
// forum index, a mailbox's first list page) once each, with If-None-Match
// and If-Modified-Since where the last poll got validators, and reports
// whether any changed. A page without validators is compared by a hash of
// its links (where they point and what they say), so a new thread, a
// thread bumped by a reply or a new letter shows. The site's robots.txt
// (read at most every robotsTTL) is honoured and nothing is retried: the
// next poll is a few seconds away.
//
// A page that fails keeps its previous state, so the next poll compares
// against what was last seen; the poll fails only when every page did.
func (c *Crawler) PollLists(ctx context.Context, src minyi.Source, prev minyi.ListState) (minyi.ListState, error) {
	src = src.WithDefaults()
	if err := src.Validate(); err != nil {
		return prev, err
	}
	before := make(map[string]minyi.ListPage, len(prev.Pages))
	for _, p := range prev.Pages {
		before[p.URL] = p
	}
	ua := src.UserAgent
	if ua == "" {
		ua = defaultUserAgent
	}
	client := &http.Client{Transport: c.opts.Transport, Timeout: min(c.opts.RequestTimeout, pollTimeout)}
	out := minyi.ListState{}
	var errs []error
	for _, raw := range src.StartURLs {
		u, err := Canonicalize(raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		old, seen := before[u]
		now, notModified, err := c.pollPage(ctx, client, src, ua, u, old)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u, err))
			if seen {
				out.Pages = append(out.Pages, old)
			}
			continue
		}
		out.Pages = append(out.Pages, now)
		if notModified {
			out.NotModified++
		} else if seen && listChanged(old, now) {
			out.Changed = true
		}
	}
	if len(errs) > 0 && len(errs) == len(src.StartURLs) {
		return out, errors.Join(errs...)
	}
	for _, err := range errs {
		c.opts.Logger.Warn("polling a list page", "source", src.Name, "error", err)
	}
	return out, nil
}

// listChanged compares two looks at a list page by the strongest evidence
// both have: the ETag, the Last-Modified date, or the links.
func listChanged(old, now minyi.ListPage) bool {
	switch {
	case old.ETag != "" && now.ETag != "":
		return old.ETag != now.ETag
	case old.LastModified != "" && now.LastModified != "":
		return old.LastModified != now.LastModified
	}
	return old.LinksHash != now.LinksHash
}

// pollPage fetches one list page; a 304 returns old unchanged.
func (c *Crawler) pollPage(ctx context.Context, client *http.Client, src minyi.Source, ua, pageURL string, old minyi.ListPage) (minyi.ListPage, bool, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return old, false, err
	}
	ok, err := c.robots.allows(ctx, client, u, ua, c.opts.Now())
	if err != nil {
		return old, false, err
	}
	if !ok {
		return old, false, errors.New("robots.txt disallows the page")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return old, false, err
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	if old.ETag != "" {
		req.Header.Set("If-None-Match", old.ETag)
	}
	if old.LastModified != "" {
		req.Header.Set("If-Modified-Since", old.LastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return old, false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return old, true, nil
	case http.StatusOK:
	default:
		return old, false, fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	body, err := readCapped(resp, src.MaxBodyBytes)
	if err != nil {
		return old, false, err
	}
	text, _ := decodeHTML(body, resp.Header.Get("Content-Type"))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return old, false, fmt.Errorf("malformed HTML: %w", err)
	}
	pg := &page{url: resp.Request.URL, base: baseOf(doc, resp.Request.URL)}
	return minyi.ListPage{
		URL:          pageURL,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		LinksHash:    linksHash(doc, pg),
	}, false, nil
}

// linksHash hashes every link of a page in order, with its text: a new
// item, a reordered list or a link whose text moved (a reply count, a last
// post time) changes it.
func linksHash(doc *goquery.Document, pg *page) string {
	h := sha256.New()
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if u := pg.link(a.AttrOr("href", "")); u != "" {
			fmt.Fprintf(h, "%s\t%s\n", u, inlineText(a))
		}
	})
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// readCapped reads a body of at most limit bytes; a larger one is an error.
func readCapped(resp *http.Response, limit int) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(body) > limit {
		return nil, fmt.Errorf("page is larger than the %d-byte cap", limit)
	}
	return body, nil
}
