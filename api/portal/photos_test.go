package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"minyi"
)

// recordingPhotos keeps photos in memory by case.
type recordingPhotos struct {
	mu     sync.Mutex
	byCase map[string][]minyi.Photo
}

func (r *recordingPhotos) KeepPhotos(_ context.Context, caseID string, photos []minyi.Photo) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byCase == nil {
		r.byCase = map[string][]minyi.Photo{}
	}
	r.byCase[caseID] = append(r.byCase[caseID], photos...)
	return nil
}

func (r *recordingPhotos) kept() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ps := range r.byCase {
		n += len(ps)
	}
	return n
}

// Image heads, each what http.DetectContentType sniffs as its type.
var (
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpegHead = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	webpHead = []byte("RIFF\x00\x00\x00\x00WEBPVP8 ")
	gifHead  = []byte("GIF89a\x01\x00\x01\x00")
)

// writeWithPhotos posts a letter as the form does with files chosen: one
// multipart body, the photos in parts named photo.
func (f *fixture) writeWithPhotos(form url.Values, photos ...[]byte) (string, int, string) {
	f.t.Helper()
	token, answer := f.challenge()
	form.Set("challenge", token)
	form.Set("answer", answer)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for i, p := range photos {
		name := fmt.Sprintf("IMG_%d.jpg", i)
		if p == nil {
			name = "" // a file input left empty
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photo"; filename=%q`, name))
		h.Set("Content-Type", "application/octet-stream")
		part, _ := w.CreatePart(h)
		part.Write(p)
	}
	w.Close()
	resp, err := http.Post(f.srv.URL+"/write", w.FormDataContentType(), &body)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n := numberPattern.FindStringSubmatch(string(b))
	if n == nil {
		return "", resp.StatusCode, string(b)
	}
	return n[1], resp.StatusCode, string(b)
}

func TestWriteWithPhotos(t *testing.T) {
	f := newFixture(t)
	if _, form := f.get("/write"); !strings.Contains(form, `enctype="multipart/form-data"`) || !strings.Contains(form, `name="photo"`) {
		t.Fatalf("the form takes no photos:\n%s", form)
	}
	number, status, body := f.writeWithPhotos(letterForm("路灯不亮", "路灯坏了，见照片。", "13812345601"),
		append(pngHead, 1, 2, 3), jpegHead)
	if status != http.StatusCreated {
		t.Fatalf("letter with two photos: %d\n%s", status, body)
	}
	caseID := minyi.CaseIDFor(minyi.DocumentID(minyi.PortalSource, "id:"+number))
	got := f.photos.byCase[caseID]
	var names []string
	for _, p := range got {
		names = append(names, p.Name+" "+p.Type)
	}
	if want := []string{"photo-1.png image/png", "photo-2.jpg image/jpeg"}; !slices.Equal(names, want) {
		t.Errorf("photos kept with case %s: %v, want %v", caseID, names, want)
	}
	if len(got) == 2 && !bytes.Equal(got[0].Data, append(pngHead, 1, 2, 3)) {
		t.Errorf("the first photo's bytes changed")
	}

	letters := len(f.intake.docs)
	for _, tc := range []struct {
		name   string
		photos [][]byte
		status int
		says   string
	}{
		{"a GIF", [][]byte{pngHead, gifHead}, http.StatusBadRequest, "JPG、PNG 或 WebP"},
		{"a page named .jpg", [][]byte{[]byte("<html><script>alert(1)</script>")}, http.StatusBadRequest, "JPG、PNG 或 WebP"},
		{"four photos", [][]byte{pngHead, jpegHead, webpHead, pngHead}, http.StatusBadRequest, "最多只能上传 3 张"},
		{"a photo over 2 MB", [][]byte{append(jpegHead, make([]byte, 2<<20)...)}, http.StatusRequestEntityTooLarge, "不能超过 2 MB"},
		{"a form over its 7 MB", slices.Repeat([][]byte{append(jpegHead, make([]byte, 2<<20-len(jpegHead))...)}, 4),
			http.StatusRequestEntityTooLarge, "提交的内容太大"},
	} {
		n, status, body := f.writeWithPhotos(letterForm("路灯不亮", "路灯坏了。", "13812345602"), tc.photos...)
		if status != tc.status || !strings.Contains(body, tc.says) || n != "" {
			t.Errorf("%s: %d, letter %q, want %d saying %q", tc.name, status, n, tc.status, tc.says)
		}
	}
	if len(f.intake.docs) != letters || f.photos.kept() != 2 {
		t.Errorf("refused letters reached intake (%d → %d) or kept photos (%d)", letters, len(f.intake.docs), f.photos.kept())
	}
	if n, status, _ := f.writeWithPhotos(letterForm("井盖丢失", "井盖丢了。", "13812345603"), webpHead, webpHead, webpHead); status != http.StatusCreated || n == "" {
		t.Errorf("three WebP photos: %d", status)
	}
	// A letter without photos, sent as a multipart form with the file
	// input left empty, as browsers send it.
	if n, status, _ := f.writeWithPhotos(letterForm("路面坑洼", "路面坑洼。", "13812345604"), nil); status != http.StatusCreated || n == "" {
		t.Errorf("a letter with an empty file input: %d", status)
	}
}
