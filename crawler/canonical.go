package crawler

import (
	"net/url"
	"regexp"
	"sort"
	"strings"

	"minyi"
)

// noiseParams are query parameters that change between visits without
// changing the page: session ids, Discuz form hashes and its "came from" hints.
// Keeping them would make one post look like many.
var noiseParams = map[string]bool{
	"sid":        true,
	"phpsessid":  true,
	"jsessionid": true,
	"sessionid":  true,
	"formhash":   true,
	"extra":      true,
	"from":       true,
}

// jsessionidParam is the Java servlet session id glued to a path segment.
var jsessionidParam = regexp.MustCompile(`(?i);jsessionid=[^/?#;]*`)

// Canonicalize returns the one spelling of rawURL that minyi uses as a page's
// identity: lower-case scheme and host, no default port, no fragment, no
// session ids or Discuz noise parameters, query parameters sorted by name.
// Only absolute http(s) URLs are accepted.
func Canonicalize(rawURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return "", minyi.Errorf(minyi.EINVALID, "URL %q cannot be parsed: %v", clip(rawURL, 200), err)
	}
	return canonicalURL(u)
}

func canonicalURL(in *url.URL) (string, error) {
	u := *in
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", minyi.Errorf(minyi.EINVALID, "URL %q is not http or https", clip(in.String(), 200))
	}
	if u.Host == "" {
		return "", minyi.Errorf(minyi.EINVALID, "URL %q has no host", clip(in.String(), 200))
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	u.User = nil

	if strings.Contains(strings.ToLower(u.Path), ";jsessionid=") {
		u.Path = jsessionidParam.ReplaceAllString(u.Path, "")
		u.RawPath = ""
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawQuery = canonicalQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String(), nil
}

// canonicalQuery drops noise parameters and sorts the rest by name, keeping
// the order of repeated names. It splits the query itself because
// url.ParseQuery drops pairs containing ';', which old sites still use.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ key, raw string }
	var pairs []pair
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, hasValue := strings.Cut(kv, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		if noiseParams[strings.ToLower(key)] {
			continue
		}
		enc := url.QueryEscape(key)
		if hasValue {
			val, err := url.QueryUnescape(v)
			if err != nil {
				enc += "=" + v // keep what we cannot decode exactly as it was
			} else {
				enc += "=" + url.QueryEscape(val)
			}
		}
		pairs = append(pairs, pair{key, enc})
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.raw
	}
	return strings.Join(out, "&")
}

// resolve turns a link found on a page into an absolute canonical URL, or ""
// for links a crawler must not follow (javascript:, mailto:, fragments only).
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	s, err := canonicalURL(base.ResolveReference(ref))
	if err != nil {
		return ""
	}
	return s
}

// clip shortens s for error messages so a hostile input cannot flood logs.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
