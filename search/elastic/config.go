package elastic

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	elasticsearch "github.com/elastic/go-elasticsearch/v8"

	"minyi"
)

// Config is how minyi reaches a cluster. An ES 8 node starts with security
// on: HTTPS under a CA of its own and credentials, so a real deployment sets
// the CA (or its fingerprint) and an API key or a user.
type Config struct {
	URLs []string // one or more nodes, or a load balancer
	// Index is the alias minyi reads and writes; the index behind it is
	// named after the mapping version (see Open and Rebuild).
	Index string

	// APIKey is the base64 "encoded" value Elasticsearch returns when the
	// key is created. It wins over Username/Password.
	APIKey             string
	Username, Password string

	// CACert is the PEM of the cluster's HTTP CA (config/certs/http_ca.crt
	// on a default install); without it the system's roots are used.
	CACert []byte
	// CAFingerprint pins the cluster's CA by its SHA-256 (printed by
	// Elasticsearch at first start), for when the file is not at hand.
	CAFingerprint string

	// RequestTimeout bounds each attempt's wait for a response; retries
	// get their own. Default 30 s.
	RequestTimeout time.Duration
	// MaxRetries is how often a request (and a bulk's rejected items) is
	// resent after a 429, 502, 503, 504 or a connection error, with
	// exponential backoff from RetryBackoff (default 5 times from 200 ms).
	MaxRetries   int
	RetryBackoff time.Duration
	// Compress gzips request bodies; bulks of Chinese text shrink about 3×.
	Compress bool
}

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 5
	defaultRetryBackoff   = 200 * time.Millisecond
	maxRetryBackoff       = 10 * time.Second
)

// retryStatuses are the answers that say "later", not "no": a full queue
// (429) and a node or proxy in trouble.
var retryStatuses = []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

// LogValue keeps secrets out of logs: a Config logged with slog shows
// which credentials are set, never their values.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("urls", c.redactedURLs()),
		slog.String("index", c.Index),
		slog.Bool("api_key", c.APIKey != ""),
		slog.String("username", c.Username),
		slog.Bool("password", c.Password != ""),
		slog.Bool("ca_cert", len(c.CACert) > 0),
		slog.String("ca_fingerprint", c.CAFingerprint),
		slog.Duration("request_timeout", c.RequestTimeout),
		slog.Int("max_retries", c.MaxRetries),
		slog.Bool("compress", c.Compress),
	)
}

// String and GoString are what fmt prints: the same redacted view.
func (c Config) String() string   { return c.LogValue().String() }
func (c Config) GoString() string { return c.String() }

func (c Config) redactedURLs() []string {
	out := make([]string, len(c.URLs))
	for i, u := range c.URLs {
		out[i] = redactURL(u)
	}
	return out
}

// redactURL hides a password written into a URL.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}

// withDefaults validates c and fills in what it leaves out. Every error
// is EINVALID and names the setting, never a secret.
func (c Config) withDefaults() (Config, error) {
	if len(c.URLs) == 0 {
		return c, minyi.Errorf(minyi.EINVALID, "elasticsearch: no URL")
	}
	for _, s := range c.URLs {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, minyi.Errorf(minyi.EINVALID, "elasticsearch URL %s is not http(s)://host:port", redactURL(s))
		}
		if u.User != nil && (c.APIKey != "" || c.Username != "") {
			return c, minyi.Errorf(minyi.EINVALID, "elasticsearch URL %s carries credentials and the config sets others; keep one", u.Redacted())
		}
	}
	if c.Index == "" || strings.ToLower(c.Index) != c.Index || strings.ContainsAny(c.Index, `\/*?"<>| ,#:`) || strings.ContainsAny(c.Index[:1], "-_+.") {
		return c, minyi.Errorf(minyi.EINVALID, "elasticsearch index name %q must be non-empty lower case, without \\/*?\"<>|,#: or spaces, and not start with - _ + .", c.Index)
	}
	if (c.Username == "") != (c.Password == "") && c.APIKey == "" {
		return c, minyi.Errorf(minyi.EINVALID, "elasticsearch: a username needs a password and a password a username")
	}
	if c.CAFingerprint != "" {
		fp := strings.ToLower(strings.ReplaceAll(c.CAFingerprint, ":", ""))
		if b, err := hex.DecodeString(fp); err != nil || len(b) != sha256.Size {
			return c, minyi.Errorf(minyi.EINVALID, "elasticsearch CA fingerprint must be 64 hex digits (SHA-256, colons allowed)")
		}
		c.CAFingerprint = fp
	}
	if len(c.CACert) > 0 {
		if block, _ := pem.Decode(c.CACert); block == nil || block.Type != "CERTIFICATE" {
			return c, minyi.Errorf(minyi.EINVALID, "elasticsearch CA certificate holds no PEM CERTIFICATE block")
		}
	}
	if c.RequestTimeout < 0 || c.MaxRetries < 0 || c.RetryBackoff < 0 {
		return c, minyi.Errorf(minyi.EINVALID, "elasticsearch request_timeout, max_retries and retry_backoff may not be negative")
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = defaultRequestTimeout
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = defaultMaxRetries
	}
	if c.RetryBackoff == 0 {
		c.RetryBackoff = defaultRetryBackoff
	}
	return c, nil
}

// backoff is the wait before retry number attempt (from 1): exponential
// with full jitter, so many workers rejected together do not return together.
func (c Config) backoff(attempt int) time.Duration {
	d := c.RetryBackoff << min(attempt-1, 16)
	if d <= 0 || d > maxRetryBackoff {
		d = maxRetryBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// newClient builds the typed client over a transport of our own, so that
// dial, TLS handshake and response waits are bounded and the CA pin is
// verified as a trust root rather than matched anywhere in the chain.
func newClient(c Config) (*elasticsearch.TypedClient, error) {
	tlsConfig, err := c.tlsConfig()
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: c.RequestTimeout,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	es, err := elasticsearch.NewTypedClient(elasticsearch.Config{
		Addresses:           c.URLs,
		APIKey:              c.APIKey,
		Username:            c.Username,
		Password:            c.Password,
		Transport:           transport,
		RetryOnStatus:       retryStatuses,
		MaxRetries:          c.MaxRetries,
		RetryBackoff:        c.backoff,
		CompressRequestBody: c.Compress,
		// The client's default level is 0, gzip's "no compression".
		CompressRequestBodyLevel: gzip.BestSpeed,
	})
	if err != nil {
		return nil, fmt.Errorf("elasticsearch client for %v: %w", c.redactedURLs(), err)
	}
	return es, nil
}

func (c Config) tlsConfig() (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(c.CACert) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(c.CACert) {
			return nil, minyi.Errorf(minyi.EINVALID, "elasticsearch CA certificate does not parse")
		}
		cfg.RootCAs = pool
	}
	if c.CAFingerprint != "" {
		want, _ := hex.DecodeString(c.CAFingerprint)
		// The pinned certificate is the trust root and the host name is
		// not checked: ES's generated certificates name the node, not the
		// address clients use. Matching the pin anywhere in the presented
		// chain would not do: the CA certificate is public, so anyone can
		// send it along with a leaf of their own.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error { return verifyPinned(cs.PeerCertificates, want) }
	}
	return cfg, nil
}

var errPinMismatch = errors.New("elasticsearch: the server's certificate chain does not lead to the pinned CA fingerprint")

// verifyPinned accepts a chain whose leaf verifies against the presented
// certificate with the pinned SHA-256.
func verifyPinned(chain []*x509.Certificate, pin []byte) error {
	if len(chain) == 0 {
		return errPinMismatch
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	found := false
	for _, cert := range chain {
		sum := sha256.Sum256(cert.Raw)
		if bytes.Equal(sum[:], pin) {
			roots.AddCert(cert)
			found = true
		} else {
			inter.AddCert(cert)
		}
	}
	if !found {
		return errPinMismatch
	}
	if _, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter}); err != nil {
		return fmt.Errorf("%w: %v", errPinMismatch, err)
	}
	return nil
}
