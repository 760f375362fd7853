package portal

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// errTooMany is a request over a rate limit or a lock: 429, with the
// label's words.
type errTooMany struct{ msg string }

func (e errTooMany) Error() string { return e.msg }

// statusOf maps an error to the portal's answer: a minyi error by its code,
// echo's own by its status, a limit by 429, anything else 500.
func statusOf(err error) int {
	var tm errTooMany
	var he *echo.HTTPError
	switch {
	case errors.As(err, &tm):
		return http.StatusTooManyRequests
	case errors.As(err, &he):
		return he.Code
	}
	switch minyi.ErrorCode(err) {
	case minyi.EINVALID:
		return http.StatusBadRequest
	case minyi.ENOTFOUND:
		return http.StatusNotFound
	case minyi.ECONFLICT:
		return http.StatusConflict
	case minyi.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case minyi.EFORBIDDEN:
		return http.StatusForbidden
	case minyi.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// message is what the visitor reads of an error: the portal's own words
// (labels), never a store's or echo's English detail.
func message(err error, status int) string {
	var tm errTooMany
	var sh shown
	switch {
	case errors.As(err, &tm):
		return tm.msg
	case errors.As(err, &sh):
		return sh.err.Message
	case status == http.StatusNotFound:
		return labels.T("portal.error.not_found")
	case status == http.StatusRequestEntityTooLarge:
		return labels.T("portal.error.too_large")
	case status < 500:
		return labels.T("portal.error.invalid")
	}
	return labels.T("portal.error.internal")
}

// shown is a refusal in the visitor's words, with the code of its status.
type shown struct{ err *minyi.Error }

func (s shown) Error() string { return s.err.Message }
func (s shown) Unwrap() error { return s.err }

// refuse is an error of code whose message is a label's text.
func refuse(code, key string, args ...any) error {
	return shown{minyi.Errorf(code, "%s", labels.Tf(key, args...))}
}

// ipExtractor reads the client's address from the peer, or from
// X-Forwarded-For when the peer is a trusted proxy: nobody else dodges a
// per-address limit with a header.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// network is the audit's record of a visitor's address: its /24 (IPv4) or
// /48 (IPv6), enough to see a flood, not to name a person.
func network(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	bits := 24
	if a.Is6() && !a.Is4In6() {
		bits = 48
	}
	p, _ := a.Unmap().Prefix(bits)
	return p.String()
}

// sameOrigin refuses a form posted from another site: a browser names the
// page's origin on every POST, and it must be this host.
func sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost || strings.HasPrefix(r.URL.Path, "/open311/") {
			return next(c)
		}
		if o := r.Header.Get("Origin"); o != "" && o != "null" {
			u, err := url.Parse(o)
			if err != nil || u.Host != r.Host {
				return refuse(minyi.EFORBIDDEN, "portal.error.origin")
			}
		}
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			return refuse(minyi.EFORBIDDEN, "portal.error.origin")
		}
		return next(c)
	}
}

// limit is one kind of rate limit: at most n events per window for a key.
type limit struct {
	n      int
	window time.Duration
}

// Limits of the portal, per client address, per phone and per letter.
var (
	writesPerAddress  = limit{5, time.Hour}
	writesPerPhone    = limit{3, 24 * time.Hour}
	failuresPerAddr   = limit{10, 15 * time.Minute}
	failuresPerLetter = limit{5, 15 * time.Minute}
	actionsPerAddress = limit{30, time.Hour}
	open311PerKey     = limit{600, time.Hour}
)

// limits counts events per key in fixed windows. It holds at most
// maxKeys keys: when full of live windows it refuses new keys (fails
// closed) rather than grow without bound under a flood.
type limits struct {
	mu   sync.Mutex
	keys map[string]*window
}

type window struct {
	count int
	ends  time.Time
}

const maxKeys = 200_000

func newLimits() limits { return limits{keys: map[string]*window{}} }

// over tells whether key has reached l's count in its window.
func (ls *limits) over(key string, l limit, now time.Time) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	w := ls.keys[key]
	return w != nil && now.Before(w.ends) && w.count >= l.n
}

// add counts one event for key; false when the key was already at its
// limit (the event is not counted) or no room is left.
func (ls *limits) add(key string, l limit, now time.Time) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	w := ls.keys[key]
	if w == nil || !now.Before(w.ends) {
		if w == nil && len(ls.keys) >= maxKeys {
			ls.sweep(now)
			if len(ls.keys) >= maxKeys {
				return false
			}
		}
		w = &window{ends: now.Add(l.window)}
		ls.keys[key] = w
	}
	if w.count >= l.n {
		return false
	}
	w.count++
	return true
}

// reset forgets key (a right 查询码 clears the address's failures).
func (ls *limits) reset(key string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	delete(ls.keys, key)
}

func (ls *limits) sweep(now time.Time) {
	for k, w := range ls.keys {
		if !now.Before(w.ends) {
			delete(ls.keys, k)
		}
	}
}

// nonces remembers the challenges already answered until they expire, so
// that one solved challenge cannot post twice.
type nonces struct {
	mu  sync.Mutex
	max int
	m   map[uint64]time.Time
}

func newNonces(max int) *nonces { return &nonces{max: max, m: map[uint64]time.Time{}} }

// use marks n used; false when it was used already or no room is left.
func (ns *nonces) use(n uint64, expires, now time.Time) bool {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	if _, ok := ns.m[n]; ok {
		return false
	}
	if len(ns.m) >= ns.max {
		for k, exp := range ns.m {
			if now.After(exp) {
				delete(ns.m, k)
			}
		}
		if len(ns.m) >= ns.max {
			return false
		}
	}
	ns.m[n] = expires
	return true
}

// challenge is a self-hosted check that a person fills the form: a small
// sum to solve, signed by the server so that it needs no state until it is
// answered, valid for challengeTTL, usable once.
type challenge struct {
	A, B    int
	Expires time.Time
	Nonce   uint64
	Token   string
}

const challengeTTL = 30 * time.Minute

// Question is the sum in words on the form.
func (ch challenge) Question() string { return labels.Tf("portal.challenge.question", ch.A, ch.B) }

func (p *Portal) newChallenge() challenge {
	a, _ := rand.Int(rand.Reader, big.NewInt(40))
	b, _ := rand.Int(rand.Reader, big.NewInt(40))
	var nb [8]byte
	rand.Read(nb[:])
	ch := challenge{A: int(a.Int64()) + 3, B: int(b.Int64()) + 2, Expires: p.Now().Add(challengeTTL).Truncate(time.Second),
		Nonce: binary.BigEndian.Uint64(nb[:])}
	payload := fmt.Sprintf("%d.%d.%d.%d", ch.A, ch.B, ch.Expires.Unix(), ch.Nonce)
	ch.Token = base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + p.sign(payload)
	return ch
}

func (p *Portal) sign(payload string) string {
	m := hmac.New(sha256.New, p.secret)
	m.Write([]byte("portal-challenge\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// parseChallenge reads a token the portal signed; an altered, foreign or
// malformed one is an error.
func (p *Portal) parseChallenge(token string) (challenge, error) {
	bad := refuse(minyi.EINVALID, "portal.challenge.invalid")
	enc, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
		return challenge{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || !hmac.Equal([]byte(sig), []byte(p.sign(string(raw)))) {
		return challenge{}, bad
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 4 {
		return challenge{}, bad
	}
	a, errA := strconv.Atoi(parts[0])
	b, errB := strconv.Atoi(parts[1])
	exp, errE := strconv.ParseInt(parts[2], 10, 64)
	nonce, errN := strconv.ParseUint(parts[3], 10, 64)
	if errors.Join(errA, errB, errE, errN) != nil {
		return challenge{}, bad
	}
	return challenge{A: a, B: b, Expires: time.Unix(exp, 0), Nonce: nonce, Token: token}, nil
}

// solve checks an answer to a challenge and uses the challenge up.
func (p *Portal) solve(token, answer string) error {
	ch, err := p.parseChallenge(token)
	if err != nil {
		return err
	}
	now := p.Now()
	if now.After(ch.Expires) {
		return refuse(minyi.EINVALID, "portal.challenge.expired")
	}
	n, err := strconv.Atoi(strings.TrimSpace(answer))
	if err != nil || n != ch.A+ch.B {
		return refuse(minyi.EINVALID, "portal.challenge.wrong")
	}
	if !p.seen.use(ch.Nonce, ch.Expires, now) {
		return refuse(minyi.EINVALID, "portal.challenge.used")
	}
	return nil
}

// audit writes a public action to the audit log: the action, the letter's
// number and the address's network, nothing of the letter's content or
// its writer.
func (p *Portal) audit(c echo.Context, action, number, detail string) {
	e := minyi.AuditEntry{At: p.Now(), Actor: "portal", Action: action, Target: number, Detail: detail,
		Address: network(c.RealIP())}
	if err := p.Store.AppendAudit(context.WithoutCancel(c.Request().Context()), e); err != nil {
		p.Logger.Error("portal: writing the audit log", "action", action, "err", err)
	}
}
