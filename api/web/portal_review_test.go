package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"minyi"
	"minyi/api/apitest"
	"minyi/api/web"
)

// heldLetter keeps a letter the portal held for review.
func heldLetter(t *testing.T, st minyi.Store, number, title string) minyi.Document {
	t.Helper()
	doc := minyi.Document{ID: minyi.DocumentID(minyi.PortalSource, "id:"+number), Source: minyi.PortalSource,
		Kind: minyi.KindMessage, ExternalID: number, Title: title, Body: "<script>alert(1)</script> 加微信 http://a.com",
		MessageType: "投诉", Published: apitest.Now, Fetched: apitest.Now, Contact: &minyi.Contact{Name: "赵六", Phone: "13800000000"}}
	doc.ContentHash = doc.Hash()
	l := minyi.PortalLetter{Number: number, DocumentID: doc.ID, CodeHash: "h", State: minyi.LetterHeld, HoldReason: "words", Created: apitest.Now}
	if err := st.(minyi.PortalStore).CreatePortalLetter(context.Background(), l, doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func reviewForm(e *apitest.Env, number, token string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/portal/held/"+number, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec
}

func TestPortalReviewQueue(t *testing.T) {
	e := apitest.NewServer(t)
	spam := heldLetter(t, e.Store, "20261123-AAAAAA", "疑似广告")
	real := heldLetter(t, e.Store, "20261123-BBBBBB", "真的投诉")

	req := httptest.NewRequest(http.MethodGet, "/portal/held", nil)
	req.Header.Set("Authorization", "Bearer "+apitest.TokSupervisor)
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "疑似广告") || !strings.Contains(body, "广告或辱骂用语") ||
		strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
		t.Fatalf("queue: %d\n%.1500s", rec.Code, body)
	}
	for _, tok := range []string{apitest.TokHousing, apitest.TokAnalyst} {
		req := httptest.NewRequest(http.MethodGet, "/portal/held", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("queue for a %s: %d, want 403", tok, rec.Code)
		}
	}
	if rec := reviewForm(e, "20261123-AAAAAA", apitest.TokHousing, url.Values{"action": {"release"}}); rec.Code != http.StatusForbidden {
		t.Errorf("department releasing: %d", rec.Code)
	}
	if rec := reviewForm(e, "20261123-AAAAAA", apitest.TokSupervisor, url.Values{"action": {"reject"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("reject without a reason: %d", rec.Code)
	}
	e.Server.AttachmentDir = t.TempDir()
	photos := web.LetterPhotos{Dir: e.Server.AttachmentDir}
	for _, d := range []minyi.Document{spam, real} {
		if err := photos.KeepPhotos(context.Background(), minyi.CaseIDFor(d.ID), []minyi.Photo{{Name: "photo-1.png", Data: []byte("png")}}); err != nil {
			t.Fatal(err)
		}
	}
	if rec := reviewForm(e, "20261123-AAAAAA", apitest.TokSupervisor, url.Values{"action": {"reject"}, "reason": {"广告"}}); rec.Code != http.StatusOK {
		t.Errorf("reject: %d", rec.Code)
	}
	// A rejected letter's photos go with it; a released letter keeps its own.
	if n, err := os.ReadDir(e.Server.AttachmentDir); err != nil || len(n) != 1 {
		t.Errorf("after the rejection the attachment folder holds %d case folders (%v), want the released letter's only", len(n), err)
	}
	if rec := reviewForm(e, "20261123-BBBBBB", apitest.TokAdmin, url.Values{"action": {"release"}}); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Body.String(), "已受理") {
		t.Errorf("release: %d", rec.Code)
	}
	ctx := context.Background()
	if _, err := e.Store.Document(ctx, spam.ID); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("rejected letter stored as a document: %v", err)
	}
	if d, err := e.Store.Document(ctx, real.ID); err != nil || d.Contact == nil || d.Contact.Name != "赵六" {
		t.Errorf("released letter: %+v %v", d, err)
	}
	if ids := e.Ingester.IDs(); !slices.Equal(ids, []string{real.ID}) {
		t.Errorf("ingested %v, want the released letter", ids)
	}
	l, _ := e.Store.(minyi.PortalStore).PortalLetter(ctx, "20261123-AAAAAA")
	if l.State != minyi.LetterRejected || l.Review != "广告" || l.Reviewer == "" {
		t.Errorf("rejected letter: %+v", l)
	}
	audit, _ := e.Store.Audit(ctx, 5)
	if len(audit) < 2 || audit[0].Action != "portal_release" || audit[1].Action != "portal_reject" {
		t.Errorf("audit: %+v", audit)
	}
}
