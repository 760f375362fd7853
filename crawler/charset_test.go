package crawler

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

func TestDecodeHTML(t *testing.T) {
	const text = "城东路夜间施工噪音扰民"
	page := func(head string) string {
		return "<html><head>" + head + "<title>t</title></head><body><p>" + text + "</p></body></html>"
	}
	gbk := func(head string) []byte { return encode(t, simplifiedchinese.GBK, page(head)) }
	// 𠮷 (U+20BB7) and ㄅ are outside GBK: only GB18030 can carry them.
	const rare = "𠮷野家·€"
	gb18030 := encode(t, simplifiedchinese.GB18030, page(`<meta charset="gb2312">`)+rare)
	utf16 := append([]byte{0xFF, 0xFE}, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), page(""))...)

	for _, tc := range []struct {
		name, contentType string
		body              []byte
		want, wantEnc     string
	}{
		{"gbk header only", "text/html; charset=GBK", gbk(""), text, "gb18030"},
		{"gbk meta only", "text/html", gbk(`<meta charset="gbk">`), text, "gb18030"},
		{"gbk http-equiv meta", "", gbk(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />`), text, "gb18030"},
		{"gbk header and meta", "text/html; charset=gbk", gbk(`<meta charset="gbk">`), text, "gb18030"},
		{"gbk no label", "text/html", gbk(""), text, "gb18030"},
		{"gbk labelled utf-8 in header", "text/html; charset=utf-8", gbk(""), text, "gb18030"},
		{"gbk labelled utf-8 in meta", "", gbk(`<meta charset="utf-8">`), text, "gb18030"},
		{"gbk unknown label", "text/html; charset=x-nonsense", gbk(`<meta charset="gbk2312">`), text, "gb18030"},
		{"gb18030 four-byte chars via gb2312 label", "", gb18030, rare, "gb18030"},
		{"big5 header", "text/html; charset=big5", encode(t, traditionalchinese.Big5, page("")+"臺灣"), "臺灣", "big5"},
		{"big5 meta", "", encode(t, traditionalchinese.Big5, page(`<meta charset="big5">`)+"市長信箱"), "市長信箱", "big5"},
		{"utf-8 bom beats a gbk header", "text/html; charset=gbk", append([]byte{0xEF, 0xBB, 0xBF}, page("")...), text, "utf-8"},
		{"utf-16 bom", "", utf16, text, "utf-16le"},
		{"utf-8 unlabelled", "", []byte(page("")), text, "utf-8"},
		{"utf-8 under a stale gbk meta", "", []byte(page(`<meta charset="gbk">`)), text, "utf-8"},
		{"meta after 1024 bytes is ignored", "", gbk(strings.Repeat(" ", 1100) + `<meta charset="big5">`), text, "gb18030"},
		{"empty", "", nil, "", "utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, enc := decodeHTML(tc.body, tc.contentType)
			if !strings.Contains(got, tc.want) || enc != tc.wantEnc {
				t.Errorf("decodeHTML = (%.80q, %s); want text containing %q, encoding %s", got, enc, tc.want, tc.wantEnc)
			}
			if !utf8.ValidString(got) {
				t.Error("result is not valid UTF-8")
			}
		})
	}
}

func FuzzDecodeHTML(f *testing.F) {
	f.Add([]byte(`<meta charset="gbk"><p>`+"\xb3\xc7\xb6\xab"), "text/html")
	f.Add([]byte("\xef\xbb\xbfhello"), "text/html; charset=big5")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got, enc := decodeHTML(body, contentType)
		if !utf8.ValidString(got) {
			t.Fatalf("decodeHTML(%q, %q) = invalid UTF-8 %q", body, contentType, got)
		}
		if enc == "" {
			t.Fatalf("decodeHTML(%q, %q) names no encoding", body, contentType)
		}
	})
}
