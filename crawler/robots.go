package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsTTL is how long a polled site's robots.txt is trusted. A crawl's
// colly collector reads robots.txt afresh every crawl; polls come every few
// seconds, and reading it before each would double what they cost the site.
const robotsTTL = 10 * time.Minute

// robotsCache holds the robots.txt of the hosts polled, by scheme and host.
type robotsCache struct {
	mu     sync.Mutex
	byHost map[string]robotsEntry
}

type robotsEntry struct {
	data  *robotstxt.RobotsData
	until time.Time
}

// allows reports whether robots.txt lets userAgent fetch u. A robots.txt
// that is missing (4xx) allows everything, one that errs (5xx) nothing, as
// colly and the robots.txt convention have it.
func (rc *robotsCache) allows(ctx context.Context, client *http.Client, u *url.URL, userAgent string, now time.Time) (bool, error) {
	key := u.Scheme + "://" + u.Host
	rc.mu.Lock()
	e, ok := rc.byHost[key]
	rc.mu.Unlock()
	if !ok || now.After(e.until) {
		data, err := fetchRobots(ctx, client, key, userAgent)
		if err != nil {
			return false, err
		}
		e = robotsEntry{data: data, until: now.Add(robotsTTL)}
		rc.mu.Lock()
		if rc.byHost == nil {
			rc.byHost = map[string]robotsEntry{}
		}
		rc.byHost[key] = e
		rc.mu.Unlock()
	}
	g := e.data.FindGroup(userAgent)
	if g == nil {
		return true, nil
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.Query().Encode()
	}
	return g.Test(p), nil
}

func fetchRobots(ctx context.Context, client *http.Client, origin, userAgent string) (*robotstxt.RobotsData, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading robots.txt: %w", err)
	}
	defer resp.Body.Close()
	data, err := robotstxt.FromResponse(resp)
	if err != nil {
		return nil, fmt.Errorf("reading robots.txt: %w", err)
	}
	return data, nil
}
