package demosite

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// toGBK encodes a UTF-8 page to GBK. Generated text is kept within GBK; a
// character outside it becomes a numeric character reference, which is what
// a browser submits to a GBK forum, so nothing is lost.
func toGBK(utf8Page []byte) []byte {
	// Encoders keep state, so each page gets its own.
	enc := encoding.HTMLEscapeUnsupported(simplifiedchinese.GBK.NewEncoder())
	out, err := enc.Bytes(utf8Page)
	if err != nil {
		// Only invalid UTF-8 gets here, and the templates produce none.
		panic("demosite: GBK encoding failed: " + err.Error())
	}
	return out
}

// serveCached writes a page with an ETag over its bytes and, when modified
// is set, a Last-Modified; http.ServeContent answers If-None-Match and
// If-Modified-Since with 304 (If-None-Match wins when both are sent).
func serveCached(w http.ResponseWriter, r *http.Request, page []byte, modified time.Time) {
	sum := sha256.Sum256(page)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", modified, bytes.NewReader(page))
}

const robotsTxt = "User-agent: *\nDisallow: /admin/\nDisallow: /home.php\n"

func serveRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(robotsTxt))
}

// serveAdmin is the back office robots.txt keeps crawlers out of; a test
// asserts no request ever reaches it.
func (s *Site) serveAdmin(w http.ResponseWriter, r *http.Request) {
	s.forumMessage(w, r, http.StatusForbidden, "抱歉，您无权访问管理中心")
}

// serveHomePHP stands in for Discuz's member spaces, also disallowed by
// robots.txt: minyi tracks issues, not the people who post them.
func (s *Site) serveHomePHP(w http.ResponseWriter, r *http.Request) {
	s.forumMessage(w, r, http.StatusForbidden, "抱歉，您需要先登录才能继续本操作")
}
