package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/web"
)

// The photos sent with a letter show on its case page, and are served, to
// the handling department, supervisors and admins only; never to another
// department or an analyst, and never as anything but an image.
func TestLetterPhotosOnTheCasePage(t *testing.T) {
	e, dir := newPageEnv(t)
	e.SeedBasic()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	if err := (web.LetterPhotos{Dir: dir}).KeepPhotos(context.Background(), "case-w1",
		[]minyi.Photo{{Name: "photo-1.png", Type: "image/png", Data: png}}); err != nil {
		t.Fatal(err)
	}
	link := "/cases/case-w1/photos/photo-1.png"
	for _, tok := range []string{apitest.TokWater, apitest.TokSupervisor, apitest.TokAdmin} {
		body := wantPage(t, e.page("/cases/case-w1", tok), http.StatusOK, "来信照片")
		if !strings.Contains(body, `<img src="`+link+`"`) {
			t.Errorf("case page for %s does not show the photo", tok)
		}
		rec := e.page(link, tok)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Body.String() != string(png) {
			t.Errorf("photo for %s: %d %q", tok, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	wantPage(t, e.page(link, apitest.TokHousing), http.StatusForbidden)
	wantPage(t, e.page(link, apitest.TokAnalyst), http.StatusForbidden)
	wantPage(t, e.page("/cases/case-w1/photos/..%2F..%2Fminyi.db", apitest.TokWater), http.StatusNotFound)
	// Reply files and letter photos stay apart: the photo is no reply file.
	wantPage(t, e.page("/cases/case-w1/files/photo-1.png", apitest.TokWater), http.StatusNotFound)

	// A file that is no image (put there by other means) is not served.
	if err := (web.LetterPhotos{Dir: dir}).KeepPhotos(context.Background(), "case-w1",
		[]minyi.Photo{{Name: "photo-2.png", Data: []byte("<html><script>alert(1)</script>")}}); err != nil {
		t.Fatal(err)
	}
	wantPage(t, e.page("/cases/case-w1/photos/photo-2.png", apitest.TokWater), http.StatusNotFound)
	if err := (web.LetterPhotos{Dir: dir}).KeepPhotos(context.Background(), "case-w1",
		[]minyi.Photo{{Name: "photo-1.png", Data: png}}); err == nil {
		t.Errorf("a photo overwrote another")
	}
}
