package rest

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"
)

// Whatever arrives as a message body, decoding never panics, refuses text
// that is not UTF-8, and what it accepts becomes a document that either
// validates or says why not.
func FuzzDecodeMessage(f *testing.F) {
	f.Add([]byte(`{"title":"小区路灯不亮","body":"晚上出行不安全","message_type":"求助"}`))
	f.Add([]byte(`{"source":"hotline","external_id":"GD001","title":"a","body":"b","contact":{"phone":"13800000000"}}`))
	f.Add([]byte{'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', 0xb2, 0xe2, '"', '}'})
	f.Add([]byte(`{"title":"x"} {"title":"y"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeMessage(bytes.NewReader(body))
		if err != nil {
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted a body that is not UTF-8: %q", body)
		}
		if !channelName.MatchString(req.Source) {
			t.Fatalf("accepted source %q", req.Source)
		}
		doc := req.document(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		if err := doc.Validate(); err == nil && doc.ID == "" {
			t.Fatal("a valid document without an id")
		}
	})
}
