package crawler

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// prescanBytes is how far into a document a <meta charset> is honoured (WHATWG).
const prescanBytes = 1024

// decodeHTML converts an HTML body to UTF-8 and names the encoding it used.
//
// The evidence is weighed in this order: a byte-order mark (it cannot be
// there by accident; a UTF-8 BOM read as GBK is the classic 锘 mojibake), the
// HTTP Content-Type charset, a <meta> in the first 1024 bytes (outweighed by
// a body that is valid non-ASCII UTF-8, see below), then UTF-8 if
// the bytes are valid UTF-8, else GB18030, the superset of GBK and GB2312 that
// most Chinese government sites really use. A declared label that is unknown,
// or that says UTF-8 over bytes that are not, is treated as missing. GBK and
// GB2312 labels decode as GB18030 so characters outside GBK survive.
//
// The result is always valid UTF-8: undecodable bytes become U+FFFD.
func decodeHTML(body []byte, contentType string) (text, encodingName string) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return decodeWith(enc, body[n:]), name
	}
	for i, label := range []string{contentTypeCharset(contentType), metaCharset(body)} {
		enc, name := lookupEncoding(label)
		if enc == nil {
			continue
		}
		if i == 1 && name != "utf-8" && hasHighBit(body) && utf8.Valid(body) {
			// A template's stale <meta charset=gbk> over a site converted to
			// UTF-8: Chinese text in GBK is practically never valid UTF-8, so
			// valid UTF-8 outweighs a meta tag (not an HTTP header, which the
			// server sets for the bytes it sends).
			return string(body), "utf-8"
		}
		if name == "utf-8" {
			if utf8.Valid(body) {
				return string(body), name
			}
			continue // mislabelled: look for better evidence
		}
		return decodeWith(enc, body), name
	}
	if utf8.Valid(body) {
		return string(body), "utf-8"
	}
	return decodeWith(simplifiedchinese.GB18030, body), "gb18030"
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

// lookupEncoding resolves a WHATWG label; GBK (which WHATWG also uses for
// gb2312) is widened to GB18030.
func lookupEncoding(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, ""
	}
	switch name {
	case "gbk", "gb18030":
		return simplifiedchinese.GB18030, "gb18030"
	case "utf-16be", "utf-16le":
		// A label cannot declare UTF-16 for bytes without a BOM (WHATWG treats it as UTF-8).
		return unicode.UTF8, "utf-8"
	case "utf-8":
		return unicode.UTF8, "utf-8"
	}
	return enc, name
}

func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

var httpEquivCharset = regexp.MustCompile(`(?i)charset\s*=\s*["']?([^"'\s;]+)`)

// metaCharset is the HTML prescan: the charset named by the first
// <meta charset> or <meta http-equiv="Content-Type" content="...charset=...">
// within the first 1024 bytes.
func metaCharset(body []byte) string {
	if len(body) > prescanBytes {
		body = body[:prescanBytes]
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, content string
			var isContentType bool
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					cs = string(v)
				case "content":
					content = string(v)
				case "http-equiv":
					isContentType = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
				}
			}
			if cs != "" {
				return cs
			}
			if isContentType {
				if m := httpEquivCharset.FindStringSubmatch(content); m != nil {
					return m[1]
				}
			}
		}
	}
}

func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		// x/text decoders replace bad input rather than fail; this is belt and braces.
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}
