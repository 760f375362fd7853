package portal

import (
	"net/http"
	"regexp"
	"testing"
)

var photoName = regexp.MustCompile(`^photo-[1-3]\.(jpg|png|webp)$`)

// FuzzCheckPhoto: whatever the bytes, a photo is accepted only when its
// content sniffs as JPEG, PNG or WebP and it is at most 2 MB, and it is
// kept under a name of ours with that type.
func FuzzCheckPhoto(f *testing.F) {
	for _, seed := range []string{"\x89PNG\r\n\x1a\n\x00", "\xff\xd8\xff\xe0", "RIFF\x00\x00\x00\x00WEBPVP8 ",
		"GIF89a", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "<html>", "%PDF-1.4", ""} {
		f.Add([]byte(seed), 1)
	}
	f.Fuzz(func(t *testing.T, data []byte, n int) {
		n = 1 + (n%3+3)%3
		p, err := checkPhoto(data, n)
		sniffed := http.DetectContentType(data)
		_, allowed := photoTypes[sniffed]
		if err != nil {
			if allowed && len(data) > 0 && len(data) <= maxPhotoBytes {
				t.Fatalf("a %s of %d bytes refused: %v", sniffed, len(data), err)
			}
			return
		}
		if !allowed || p.Type != sniffed || !photoName.MatchString(p.Name) || len(p.Data) != len(data) {
			t.Fatalf("accepted %q as %s %q (sniffed %s)", data[:min(len(data), 16)], p.Name, p.Type, sniffed)
		}
	})
}

func TestCheckPhotoTypes(t *testing.T) {
	for _, tc := range []struct {
		data string
		name string // "" when refused
	}{
		{"\x89PNG\r\n\x1a\n\x00\x00", "photo-2.png"},
		{"\xff\xd8\xff\xdb\x00", "photo-2.jpg"},
		{"RIFF\x10\x00\x00\x00WEBPVP8 ", "photo-2.webp"},
		{"GIF89a\x01\x00", ""},
		{`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, ""},
		{"<!DOCTYPE html><img src=x onerror=alert(1)>", ""},
		{"BM\x00\x00", ""}, // BMP
		{"", ""},
	} {
		p, err := checkPhoto([]byte(tc.data), 2)
		if tc.name == "" && err == nil || tc.name != "" && (err != nil || p.Name != tc.name) {
			t.Errorf("%q: %q, %v; want %q", tc.data, p.Name, err, tc.name)
		}
	}
	if _, err := checkPhoto(append([]byte("\xff\xd8\xff\xdb"), make([]byte, maxPhotoBytes)...), 1); err == nil {
		t.Errorf("a JPEG over 2 MB accepted")
	}
}
