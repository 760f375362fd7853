package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"minyi"
)

// RunPortalTests is the suite of minyi.PortalStore; a backend's test is one
// line. Beyond the interface's doc comments it pins down: an accepted
// letter's document is in the outbox at once; a held letter's document is
// not stored (nothing ingests it) until it is released, its contact kept;
// only published, accepted, answered letters are public.
func RunPortalTests(t *testing.T, open func(t *testing.T) minyi.Store) {
	t.Run("AcceptHoldRelease", func(t *testing.T) { testPortalLifecycle(t, open(t)) })
	t.Run("PublicLetters", func(t *testing.T) { testPublicLetters(t, open(t)) })
	t.Run("ConcurrentLetters", func(t *testing.T) { testConcurrentLetters(t, open(t)) })
}

var portalDay = time.Date(2026, 12, 7, 9, 0, 0, 0, minyi.ChinaTime)

func portalLetter(n int, state minyi.LetterState, publish bool) (minyi.PortalLetter, minyi.Document) {
	number := "MY20261207-" + string(rune('A'+n))
	doc := minyi.Document{ID: minyi.DocumentID(minyi.PortalSource, "id:"+number), Source: minyi.PortalSource,
		Kind: minyi.KindMessage, ExternalID: number, Title: "路灯不亮 " + number, Body: "江北区滨江路 100% 的路灯_不亮",
		MessageType: string(minyi.TypeComplaint), Published: portalDay.Add(time.Duration(n) * time.Minute),
		Fetched: portalDay, Contact: &minyi.Contact{Name: "张三", Phone: "13800001234"}}
	doc.ContentHash = doc.Hash()
	return minyi.PortalLetter{Number: number, DocumentID: doc.ID, CodeHash: "hash-" + number, Publish: publish,
		State: state, Created: doc.Published, PublicText: doc.Title + "\n" + doc.Body}, doc
}

func testPortalLifecycle(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	ps := s.(minyi.PortalStore)
	accepted, adoc := portalLetter(0, minyi.LetterAccepted, true)
	held, hdoc := portalLetter(1, minyi.LetterHeld, false)
	held.HoldReason = "links"
	for _, l := range []struct {
		l minyi.PortalLetter
		d minyi.Document
	}{{accepted, adoc}, {held, hdoc}} {
		if err := ps.CreatePortalLetter(ctx, l.l, l.d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ps.CreatePortalLetter(ctx, accepted, adoc); minyi.ErrorCode(err) != minyi.ECONFLICT {
		t.Errorf("a number kept twice: %v, want ECONFLICT", err)
	}
	if _, err := s.Document(ctx, adoc.ID); err != nil {
		t.Errorf("accepted letter's document: %v", err)
	}
	if _, err := s.Document(ctx, hdoc.ID); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("held letter's document is stored before review: %v", err)
	}
	pending, err := s.PendingDocuments(ctx, time.Now().Add(time.Minute), 10)
	if err != nil || len(pending) != 1 || pending[0].ID != adoc.ID {
		t.Fatalf("outbox after intake: %v %v, want the accepted letter alone", pending, err)
	}
	got, err := ps.PortalLetter(ctx, accepted.Number)
	if err != nil || got.CodeHash != accepted.CodeHash || !got.Publish || got.State != minyi.LetterAccepted ||
		got.Held != nil || !got.Created.Equal(accepted.Created) {
		t.Errorf("letter read back: %+v %v", got, err)
	}
	if _, err := ps.PortalLetter(ctx, "MY-nope"); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		t.Errorf("unknown number: %v", err)
	}
	queue, err := ps.HeldLetters(ctx, 10)
	if err != nil || len(queue) != 1 || queue[0].Held == nil || queue[0].Held.Contact == nil ||
		queue[0].Held.Contact.Phone != "13800001234" || queue[0].HoldReason != "links" {
		t.Fatalf("held queue: %+v %v", queue, err)
	}
	if _, err := ps.ReviewPortalLetter(ctx, held.Number, false, "admin", "", portalDay); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("rejection without a reason: %v", err)
	}
	if _, err := ps.ReviewPortalLetter(ctx, accepted.Number, true, "admin", "", portalDay); minyi.ErrorCode(err) != minyi.ECONFLICT {
		t.Errorf("reviewing an accepted letter: %v", err)
	}
	rel, err := ps.ReviewPortalLetter(ctx, held.Number, true, "admin", "", portalDay.Add(time.Hour))
	if err != nil || rel.State != minyi.LetterAccepted || rel.Reviewer != "admin" {
		t.Fatalf("release: %+v %v", rel, err)
	}
	d, err := s.Document(ctx, hdoc.ID)
	if err != nil || d.Contact == nil || d.Contact.Name != "张三" || d.Body != hdoc.Body {
		t.Errorf("released letter's document: %+v %v", d, err)
	}
	if queue, _ := ps.HeldLetters(ctx, 10); len(queue) != 0 {
		t.Errorf("held queue after release: %+v", queue)
	}
	if _, err := ps.ReviewPortalLetter(ctx, held.Number, false, "admin", "spam", portalDay); minyi.ErrorCode(err) != minyi.ECONFLICT {
		t.Errorf("reviewing a released letter again: %v", err)
	}
}

func testPublicLetters(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	ps := s.(minyi.PortalStore)
	// 0: published, answered; 1: published, open; 2: not published,
	// answered; 3: held, published.
	for i, l := range []struct {
		state   minyi.LetterState
		publish bool
		status  minyi.CaseStatus
	}{{minyi.LetterAccepted, true, minyi.CaseAnswered}, {minyi.LetterAccepted, true, minyi.CaseOpen},
		{minyi.LetterAccepted, false, minyi.CaseClosed}, {minyi.LetterHeld, true, ""}} {
		pl, doc := portalLetter(i, l.state, l.publish)
		if err := ps.CreatePortalLetter(ctx, pl, doc); err != nil {
			t.Fatal(err)
		}
		if l.status == "" {
			continue
		}
		c := minyi.Case{ID: minyi.CaseIDFor(doc.ID), DocumentID: doc.ID, Source: doc.Source, Title: doc.Title,
			MessageType: minyi.TypeComplaint, Department: "housing", Status: l.status, Received: doc.Published,
			Due: doc.Published.AddDate(0, 0, 20), Updated: doc.Published}
		if err := s.PutCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	list := func(f minyi.PublicLetterFilter) []string {
		t.Helper()
		ls, total, err := ps.PublicLetters(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(ls) && f.Limit == 0 {
			t.Errorf("%+v: total %d, %d listed", f, total, len(ls))
		}
		var out []string
		for _, l := range ls {
			if l.Contact == nil || l.Contact.Name != "张三" || l.Title == "" {
				t.Errorf("public letter %s lacks its text or the contact to mask", l.Number)
			}
			out = append(out, l.Number)
		}
		return out
	}
	want := func(f minyi.PublicLetterFilter, numbers ...string) {
		t.Helper()
		if got := list(f); !slices.Equal(got, numbers) {
			t.Errorf("%+v: %v, want %v", f, got, numbers)
		}
	}
	want(minyi.PublicLetterFilter{}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Open: true}, "MY20261207-B", "MY20261207-A")
	want(minyi.PublicLetterFilter{Department: "ecology"})
	want(minyi.PublicLetterFilter{Unanswered: true}, "MY20261207-B")
	want(minyi.PublicLetterFilter{Number: "MY20261207-B"})
	want(minyi.PublicLetterFilter{Number: "MY20261207-B", Open: true}, "MY20261207-B")
	want(minyi.PublicLetterFilter{Number: "MY20261207-C", Open: true})
	want(minyi.PublicLetterFilter{Type: minyi.TypeInquiry})
	want(minyi.PublicLetterFilter{Type: minyi.TypeComplaint, Query: "路灯"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "100%"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "_不亮"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "%x"})
	want(minyi.PublicLetterFilter{Open: true, From: portalDay.Add(time.Minute)}, "MY20261207-B")
	want(minyi.PublicLetterFilter{Query: "灯"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "亮 MY"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "不亮江北"})  // each pair is there, the words are not
	want(minyi.PublicLetterFilter{Query: "的路灯不亮"}) // each triple is there, the words are not
	want(minyi.PublicLetterFilter{Query: "滨江路"}, "MY20261207-A")
	want(minyi.PublicLetterFilter{Query: "滨江路 100% 的路灯_不亮"}, "MY20261207-A")
	testPublicSearch(t, s)
	if _, _, err := ps.PublicLetters(ctx, minyi.PublicLetterFilter{Limit: minyi.MaxPageSize + 1}); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("limit over the maximum: %v", err)
	}
}

// testPublicSearch: the board searches a letter's public text only, so what
// masking hid cannot find it; a letter released from review is found.
func testPublicSearch(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	ps := s.(minyi.PortalStore)
	answer := func(doc minyi.Document) {
		t.Helper()
		c := minyi.Case{ID: minyi.CaseIDFor(doc.ID), DocumentID: doc.ID, Source: doc.Source, Title: doc.Title,
			MessageType: minyi.TypeComplaint, Department: "housing", Status: minyi.CaseAnswered, Received: doc.Published,
			Due: doc.Published.AddDate(0, 0, 20), Updated: doc.Published}
		if err := s.PutCase(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	named, doc := portalLetter(4, minyi.LetterAccepted, true)
	doc.Body = "我叫张三，STREET LAMP 坏了"
	doc.ContentHash = doc.Hash()
	named.PublicText = doc.Title + "\n我叫**，STREET LAMP 坏了"
	if err := ps.CreatePortalLetter(ctx, named, doc); err != nil {
		t.Fatal(err)
	}
	answer(doc)
	held, hdoc := portalLetter(5, minyi.LetterHeld, true)
	hdoc.Body, held.PublicText = "井盖丢失", hdoc.Title+"\n井盖丢失"
	hdoc.ContentHash = hdoc.Hash()
	if err := ps.CreatePortalLetter(ctx, held, hdoc); err != nil {
		t.Fatal(err)
	}
	search := func(q string) []string {
		t.Helper()
		ls, total, err := ps.PublicLetters(ctx, minyi.PublicLetterFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range ls {
			out = append(out, l.Number)
		}
		if total != len(out) {
			t.Errorf("%q: total %d, listed %v", q, total, out)
		}
		return out
	}
	for q, want := range map[string][]string{"张三": nil, "我叫": {named.Number}, "LAMP 坏": {named.Number},
		"坏": {named.Number}, "井盖": nil} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("search %q: %v, want %v", q, got, want)
		}
	}
	if _, err := ps.ReviewPortalLetter(ctx, held.Number, true, "admin", "", portalDay); err != nil {
		t.Fatal(err)
	}
	answer(hdoc)
	if got := search("井盖"); !slices.Equal(got, []string{held.Number}) {
		t.Errorf("search of a released letter: %v", got)
	}
}

// seedPortalSearch writes letters for a test of a migration that writes
// search grams: published and not, accepted and held, upper-case
// ASCII, a text of two characters, a character outside the BMP.
func seedPortalSearch(t *testing.T, s minyi.Store) {
	t.Helper()
	ps := s.(minyi.PortalStore)
	for i, text := range []string{"路灯不亮 STREET Lamp 第4242封", "井盖", "𠮷野家门口积水 OK", "停水三天"} {
		l, doc := portalLetter(10+i, minyi.LetterAccepted, i != 3)
		if i == 1 {
			l.State = minyi.LetterHeld
			l.Publish = true
		}
		doc.Body, l.PublicText = text, text
		doc.ContentHash = doc.Hash()
		if err := ps.CreatePortalLetter(context.Background(), l, doc); err != nil {
			t.Fatal(err)
		}
	}
}

// CheckTriplesMigration checks a backend's migration that writes the search
// triples of the letters published before it: deleted, the triples the
// store wrote come back exactly. triples lists the table's as "gram
// number", ordered; exec runs a statement.
func CheckTriplesMigration(t *testing.T, s minyi.Store, migration string, triples func() []string, exec func(string)) {
	seedPortalSearch(t, s)
	written := triples()
	if !slices.Contains(written, "et  MY20261207-K") || !slices.Contains(written, "𠮷野家 MY20261207-M") {
		t.Fatalf("the store's triples lack folded ASCII or a character outside the BMP: %q", written)
	}
	exec(`DELETE FROM portal_grams WHERE length(gram) = 3`)
	exec(migration)
	if got := triples(); !slices.Equal(got, written) {
		t.Errorf("triples after the migration:\n%q\nthe store's:\n%q", got, written)
	}
}

// testConcurrentLetters: letters and audit entries written at once (which
// a backend may commit together) are each stored or refused on their own:
// of two letters with one number one is stored and the other is refused,
// and every letter stored has its document in the outbox.
func testConcurrentLetters(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	ps := s.(minyi.PortalStore)
	const n = 40
	errs := make([]error, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			l, doc := portalLetter(i%n, minyi.LetterAccepted, true)
			errs[i] = ps.CreatePortalLetter(ctx, l, doc)
			if err := s.AppendAudit(ctx, minyi.AuditEntry{Actor: "portal", Action: "portal_write", Target: l.Number}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range n {
		first, second := errs[i], errs[i+n]
		if first != nil {
			first, second = second, first
		}
		if first != nil || minyi.ErrorCode(second) != minyi.ECONFLICT {
			t.Errorf("letter %d written twice at once: %v and %v, want one stored and one ECONFLICT", i, errs[i], errs[i+n])
		}
	}
	pending, err := s.PendingDocuments(ctx, time.Now().Add(time.Minute), 2*n)
	if err != nil || len(pending) != n {
		t.Errorf("outbox: %d documents, %v; want %d", len(pending), err, n)
	}
	if audit, err := s.Audit(ctx, 4*n); err != nil || len(audit) != 2*n {
		t.Errorf("audit log: %d entries, %v; want %d", len(audit), err, 2*n)
	}
}
