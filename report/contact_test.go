package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"minyi"
)

// A petitioner's contact data never reaches a report: not from the
// contact field of a message, nor from a letter its writer signed. The
// fixture plants the same name, phone and address in both on every message;
// here a negative signed letter is added so that it is cited, and a special
// report searches for it.
func TestNoContactDataInAnyReport(t *testing.T) {
	f, daily := seededDaily(t)
	letter := doc("signed", minyi.KindMessage, "投诉电梯长期停运无人维修", at(day, 18, 0), minyi.SentimentNegative, "城乡建设", "")
	f.put(t, letter)
	daily = f.daily(t)
	special, err := Generate(context.Background(), f.deps, Spec{Kind: Special, Query: "电梯", From: day, To: nextDay, Now: madeAt})
	if err != nil {
		t.Fatal(err)
	}
	cited := false
	for _, p := range special.Negative {
		cited = cited || p.ID == "signed"
	}
	if !cited {
		t.Fatalf("the signed letter is not cited, so the test proves nothing: %+v", special.Negative)
	}
	stored, err := f.store.Document(context.Background(), "signed")
	if err != nil || stored.Contact == nil || stored.Contact.Phone != planted.Phone || !strings.Contains(stored.Body, planted.Phone) {
		t.Fatalf("the store does not hold the planted contact data (%+v, %v), so the test proves nothing", stored, err)
	}

	secrets := []string{planted.Name, planted.Phone, planted.Email, "13987654321"}
	for name, r := range map[string]*Report{"daily": daily, "special": special} {
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		noneOf(t, name+" JSON", string(raw), secrets)

		var docx bytes.Buffer
		if err := WriteDOCX(&docx, r); err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for part, b := range docxParts(t, docx.Bytes()) {
			all.WriteString(part + "\n" + string(b) + "\n")
		}
		if !strings.Contains(all.String(), "电梯") {
			t.Fatalf("%s DOCX does not mention the letter at all", name)
		}
		noneOf(t, name+" DOCX", all.String(), secrets)

		path := filepath.Join(t.TempDir(), name+".pdf")
		writePDFFile(t, r, path)
		text := runTool(t, "pdftotext", "-enc", "UTF-8", path, "-")
		if !strings.Contains(text, "电梯") {
			t.Fatalf("%s PDF does not mention the letter at all", name)
		}
		noneOf(t, name+" PDF text", text, secrets)
		if raw, err := os.ReadFile(path); err != nil || bytes.Contains(raw, []byte(planted.Phone)) || bytes.Contains(raw, []byte(planted.Email)) {
			t.Errorf("%s PDF bytes hold the phone or address (%v)", name, err)
		}
	}
}

func noneOf(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the petitioner's %q", what, s)
		}
	}
}
