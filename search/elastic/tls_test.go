package elastic

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"minyi"
)

// testCA is a certificate authority of the test's own, as an ES 8 node
// generates at first start (config/certs/http_ca.crt).
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t *testing.T, name string) testCA {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return testCA{cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// leaf issues a server certificate for 127.0.0.1; the chain it returns
// holds the CA too, as an ES node sends it.
func (ca testCA) leaf(t *testing.T, sendAlso ...*x509.Certificate) tls.Certificate {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "es-node-1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	chain := [][]byte{der, ca.cert.Raw}
	for _, c := range sendAlso {
		chain = append(chain, c.Raw)
	}
	return tls.Certificate{Certificate: chain, PrivateKey: key}
}

func (ca testCA) fingerprint() string {
	sum := sha256.Sum256(ca.cert.Raw)
	return hex.EncodeToString(sum[:])
}

const (
	testPassword = "s3cret-Passw0rd"
	testAPIKey   = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
)

// securedNode is an HTTPS fake node that, like ES 8 with security on,
// answers 401 to a request without valid credentials.
func securedNode(t *testing.T, cert tls.Certificate) (*fakeES, string) {
	f, _ := newFakeWithIndex(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("minyi_writer:"+testPassword))
		// Elasticsearch reads the ApiKey scheme case-insensitively.
		a := r.Header.Get("Authorization")
		scheme, cred, _ := strings.Cut(a, " ")
		if a != basic && !(strings.EqualFold(scheme, "ApiKey") && cred == testAPIKey) {
			reason := "missing authentication credentials for REST request [" + r.URL.Path + "]"
			if a != "" {
				reason = "unable to authenticate user [minyi_writer] for REST request [" + r.URL.Path + "]"
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="security", charset="UTF-8"`)
			w.Header().Add("WWW-Authenticate", `ApiKey`)
			w.Header().Set("X-Elastic-Product", "Elasticsearch")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			if r.Method != http.MethodHead {
				fmt.Fprint(w, errorBody("security_exception", reason, 401))
			}
			return
		}
		f.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return f, srv.URL
}

// newFakeWithIndex scripts a current index behind alias "minyi".
func newFakeWithIndex(t *testing.T) (*fakeES, string) {
	f := newFake(t)
	index := firstVersionName("minyi")
	f.on("HEAD /_alias/minyi", ok200)
	f.on("GET /_alias/minyi", aliasOf("minyi", index))
	f.on("GET /"+index+"/_mapping", mappingOf(t, index, mappingVersion))
	f.on("POST /minyi/_count", answer{200, `{"count":7,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}`})
	return f, index
}

func TestSecuredNode(t *testing.T) {
	ca := newCA(t, "Elasticsearch security auto-configuration HTTP CA")
	f, url := securedNode(t, ca.leaf(t))
	ctx := context.Background()
	open := func(c Config) error {
		c.URLs, c.Index, c.MaxRetries = []string{url}, "minyi", 1
		x, err := Open(ctx, c)
		if err == nil {
			_, err = x.Count(ctx)
		}
		return err
	}
	for name, c := range map[string]Config{
		"CA file and API key":        {CACert: ca.pem, APIKey: testAPIKey},
		"CA file and user":           {CACert: ca.pem, Username: "minyi_writer", Password: testPassword},
		"fingerprint and API key":    {CAFingerprint: ca.fingerprint(), APIKey: testAPIKey},
		"fingerprint with colons":    {CAFingerprint: colons(ca.fingerprint()), APIKey: testAPIKey},
		"CA file, gzip request body": {CACert: ca.pem, APIKey: testAPIKey, Compress: true},
	} {
		if err := open(c); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if r := f.sent("HEAD /_alias/minyi"); len(r) == 0 || r[0].header.Get("User-Agent") == "" {
		t.Error("the node saw no request")
	}

	other := newCA(t, "another CA")
	for name, c := range map[string]Config{
		"no CA":             {APIKey: testAPIKey},
		"another CA":        {CACert: other.pem, APIKey: testAPIKey},
		"wrong fingerprint": {CAFingerprint: other.fingerprint(), APIKey: testAPIKey},
	} {
		if err := open(c); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("%s: %v, want a certificate error", name, err)
		}
	}
	for name, c := range map[string]Config{
		"no credentials": {CACert: ca.pem},
		"wrong password": {CACert: ca.pem, Username: "minyi_writer", Password: "guess"},
		"wrong API key":  {CACert: ca.pem, APIKey: "bm9wZTpub3Bl"},
	} {
		err := open(c)
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("%s: %v, want a 401", name, err)
		}
		if err != nil && (strings.Contains(err.Error(), "guess") || strings.Contains(err.Error(), "bm9wZTpub3Bl")) {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
}

// An attacker may send the (public) CA certificate along with a leaf of
// their own; a pin must still refuse them.
func TestPinnedCAIsATrustRootNotAMatch(t *testing.T) {
	ca := newCA(t, "cluster CA")
	attacker := newCA(t, "attacker CA")
	_, url := securedNode(t, attacker.leaf(t, ca.cert))
	_, err := Open(context.Background(), Config{URLs: []string{url}, Index: "minyi", CAFingerprint: ca.fingerprint(), APIKey: testAPIKey, MaxRetries: 1})
	if err == nil || !strings.Contains(err.Error(), "pinned CA") {
		t.Errorf("Open through a chain that merely contains the pinned CA: %v", err)
	}
}

func TestCompressedBulkReachesTheNode(t *testing.T) {
	f, index := newFakeWithIndex(t)
	f.on("POST /minyi/_bulk", bulkResponse(bulkOK(index, "a")))
	srv := f.start()
	x, err := Open(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi", Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.IndexBulk(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	doc := minyiDocs("a")
	doc[0].Body = strings.Repeat("小区停车位严重不足，消防通道被占用。", 50)
	if err := x.IndexBulk(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	b := f.sent("POST /minyi/_bulk")[0]
	if b.header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(b.body, `{"index":{"_id":"a"}}`) {
		t.Errorf("bulk sent with %q: %.60q", b.header.Get("Content-Encoding"), b.body)
	}
	if b.wire*3 > len(b.body) {
		t.Errorf("%d bytes gzipped to %d", len(b.body), b.wire)
	}
}

func TestRequestTimeoutIsRetried(t *testing.T) {
	f, _ := newFakeWithIndex(t)
	var answered atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/minyi/_count" && !answered.Swap(true) {
			time.Sleep(3 * time.Second)
		}
		f.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	x, err := Open(context.Background(), Config{URLs: []string{srv.URL}, Index: "minyi", RequestTimeout: 200 * time.Millisecond, RetryBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if n, err := x.Count(context.Background()); err != nil || n != 7 {
		t.Errorf("Count = %d, %v", n, err)
	}
	if took := time.Since(start); took > 2500*time.Millisecond {
		t.Errorf("the slow attempt was waited out: %s", took)
	}
}

func TestSecretsAreNeverLogged(t *testing.T) {
	c := Config{URLs: []string{"https://elastic:" + testPassword + "@es.example.gov.cn:9200"}, Index: "minyi",
		APIKey: testAPIKey, Username: "minyi_writer", Password: testPassword}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("search", "config", c)
	fmt.Fprintf(&buf, "%v %+v %s %#v", c, c, c, c)
	if out := buf.String(); strings.Contains(out, testPassword) || strings.Contains(out, testAPIKey) || !strings.Contains(out, "minyi_writer") {
		t.Errorf("logged config: %s", out)
	}
	_, err := Open(context.Background(), Config{URLs: []string{"ftp://elastic:" + testPassword + "@es:9200"}, Index: "minyi"})
	if err == nil || strings.Contains(err.Error(), testPassword) {
		t.Errorf("error for a bad URL with a password: %v", err)
	}
}

func minyiDocs(ids ...string) []minyi.Document {
	docs := make([]minyi.Document, len(ids))
	for i, id := range ids {
		docs[i] = minyi.Document{ID: id, Title: "停车难", Published: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	}
	return docs
}

func colons(hexs string) string {
	var parts []string
	for i := 0; i < len(hexs); i += 2 {
		parts = append(parts, strings.ToUpper(hexs[i:i+2]))
	}
	return strings.Join(parts, ":")
}
