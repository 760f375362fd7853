package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"minyi"
)

// t0 is in China time on purpose: stores must hand back the same instant in UTC.
var t0 = time.Date(2024, 3, 5, 9, 30, 15, 0, minyi.ChinaTime)

// message returns a valid message document with content hash, numbered i.
func message(source, id string, i int) minyi.Document {
	d := minyi.Document{
		ID:          id,
		Source:      source,
		Kind:        minyi.KindMessage,
		URL:         fmt.Sprintf("https://www.example.gov.cn/szxx/detail/%d.html", i),
		ExternalID:  fmt.Sprintf("XJ2024%06d", i),
		Board:       "市长信箱",
		Title:       fmt.Sprintf("关于小区停车难的问题（%d）", i),
		Body:        "我们小区晚上停车位严重不足，消防通道被占用，希望有关部门尽快协调解决。",
		Author:      "网友",
		Published:   t0.Add(time.Duration(i) * time.Minute),
		Fetched:     t0.Add(48 * time.Hour),
		MessageType: "投诉",
		Status:      "办理中",
	}
	d.ContentHash = d.Hash()
	return d
}

// fullDocument sets every field, with text that trips naive storage: CJK,
// 4-byte UTF-8, markup, quotes, and times with sub-seconds in China time.
func fullDocument() minyi.Document {
	d := minyi.Document{
		ID:          minyi.DocumentID("bbs-example", "tid-88123"),
		Source:      "bbs-example",
		Kind:        minyi.KindPost,
		URL:         "https://bbs.example.cn/forum.php?mod=viewthread&tid=88123",
		ExternalID:  "88123",
		Board:       "民生热线",
		Title:       "城东菜市场污水横流 😡 <b>谁来管管</b>",
		Body:        "每天早上菜市场门口污水横流，臭气熏天。\n<script>alert('x')</script>\n已经反映过多次，\"没有人处理\"。",
		Author:      "城东老李",
		Published:   time.Date(2024, 5, 1, 7, 45, 30, 987654321, minyi.ChinaTime),
		Fetched:     time.Date(2024, 5, 2, 1, 0, 0, 500, time.UTC),
		MessageType: "求助",
		Status:      "已回复",
		Likes:       1_000_000_000,
		Dislikes:    37,
		Comments: []minyi.Comment{
			{Author: "路人甲", Published: time.Date(2024, 5, 1, 8, 0, 1, 0, minyi.ChinaTime), Body: "同感，夏天更严重。"},
			{Published: time.Date(2024, 5, 1, 9, 12, 0, 250_000_000, minyi.ChinaTime), Body: "顶！"},
		},
		Reply: &minyi.OfficialReply{
			Unit:      "城东街道办事处",
			Body:      "您好，已安排城管中队现场核查，并督促市场方于五月十日前完成排污管道改造。",
			Published: time.Date(2024, 5, 6, 16, 20, 0, 0, minyi.ChinaTime),
		},
		Contact: &minyi.Contact{Name: "李先生", Phone: "13800000000", Email: "li@example.cn"},
	}
	d.ContentHash = d.Hash()
	return d
}

func put(t *testing.T, s minyi.Store, docs ...minyi.Document) minyi.PutResult {
	t.Helper()
	res, err := s.PutDocuments(context.Background(), docs)
	if err != nil {
		t.Fatalf("PutDocuments: %v", err)
	}
	return res
}

func count(t *testing.T, s minyi.Store) int {
	t.Helper()
	n, err := s.CountDocuments(context.Background())
	if err != nil {
		t.Fatalf("CountDocuments: %v", err)
	}
	return n
}

func get(t *testing.T, s minyi.Store, id string) minyi.Document {
	t.Helper()
	d, err := s.Document(context.Background(), id)
	if err != nil {
		t.Fatalf("Document(%q): %v", id, err)
	}
	return *d
}

func testRoundTrip(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	full := fullDocument()
	res := put(t, s, full)
	checkStrings(t, "Changed", res.Changed, []string{full.ID})
	want := stored(full)

	checkDocument(t, "Document", get(t, s, full.ID), want)
	got, err := s.Documents(ctx, []string{full.ID})
	if err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, "Documents", got, []minyi.Document{want})
	got, err = s.ScanDocuments(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, "ScanDocuments", got, []minyi.Document{want})
	if n := count(t, s); n != 1 {
		t.Errorf("CountDocuments = %d, want 1", n)
	}
}

func testMinimalDocument(t *testing.T, s minyi.Store) {
	d := minyi.Document{ID: "min", Source: "s", Kind: minyi.KindPost, Body: "只有正文", Published: t0}
	d.ContentHash = d.Hash()
	put(t, s, d)
	got := get(t, s, d.ID)
	checkDocument(t, "Document", got, stored(d))
	if got.Comments != nil || got.Reply != nil || got.Contact != nil || !got.Fetched.IsZero() {
		t.Errorf("absent parts came back: comments %v, reply %v, contact %v, fetched %v",
			got.Comments, got.Reply, got.Contact, got.Fetched)
	}
}

func testNotFound(t *testing.T, s minyi.Store) {
	_, err := s.Document(context.Background(), "no-such-id")
	wantCode(t, err, minyi.ENOTFOUND)
	put(t, s, message("s", "a", 1))
	_, err = s.Document(context.Background(), "b")
	wantCode(t, err, minyi.ENOTFOUND)
}

func testRedelivery(t *testing.T, s minyi.Store) {
	var docs []minyi.Document
	var ids []string
	for i := range 5 {
		id := fmt.Sprintf("doc-%d", 4-i) // input order is not id order
		docs = append(docs, message("s", id, i))
		ids = append(ids, id)
	}
	res := put(t, s, docs...)
	checkStrings(t, "first delivery Changed", res.Changed, ids)
	if res.Unchanged != 0 {
		t.Errorf("first delivery Unchanged = %d, want 0", res.Unchanged)
	}

	// A later fetch of the same content must not even move Fetched.
	again := slices.Clone(docs)
	for i := range again {
		again[i].Fetched = again[i].Fetched.Add(24 * time.Hour)
	}
	res = put(t, s, again...)
	if len(res.Changed) != 0 || res.Unchanged != 5 {
		t.Errorf("redelivery = %+v, want no Changed and 5 Unchanged", res)
	}
	checkDocument(t, "after redelivery", get(t, s, docs[2].ID), stored(docs[2]))
	if n := count(t, s); n != 5 {
		t.Errorf("CountDocuments = %d, want 5", n)
	}
}

func testChangedHash(t *testing.T, s minyi.Store) {
	a, b, c := message("s", "a", 1), message("s", "b", 2), message("s", "c", 3)
	put(t, s, a, b, c)

	c.Status, c.Reply = "已回复", &minyi.OfficialReply{Unit: "市交通局", Body: "已增设停车位。", Published: t0.Add(72 * time.Hour)}
	c.ContentHash = c.Hash()
	a.Body += "补充：周末更严重。"
	a.ContentHash = a.Hash()
	d := message("s", "d", 4)
	res := put(t, s, c, b, a, d)
	checkStrings(t, "Changed", res.Changed, []string{"c", "a", "d"})
	if res.Unchanged != 1 {
		t.Errorf("Unchanged = %d, want 1", res.Unchanged)
	}
	checkDocument(t, "updated a", get(t, s, "a"), stored(a))
	checkDocument(t, "updated c", get(t, s, "c"), stored(c))
	checkDocument(t, "untouched b", get(t, s, "b"), stored(b))
}

func testHashFilledIn(t *testing.T, s minyi.Store) {
	d := message("s", "nohash", 1)
	d.ContentHash = ""
	put(t, s, d)
	if got := get(t, s, d.ID).ContentHash; got != d.Hash() {
		t.Errorf("stored ContentHash = %q, want Hash() %q", got, d.Hash())
	}
	if res := put(t, s, d); len(res.Changed) != 0 {
		t.Errorf("redelivery without hash changed %v", res.Changed)
	}
}

func testDuplicateInBatch(t *testing.T, s minyi.Store) {
	a := message("s", "a", 1)
	a2 := a
	a2.Title = "改过的标题"
	a2.ContentHash = a2.Hash()
	res := put(t, s, a, a, a2)
	checkStrings(t, "Changed", res.Changed, []string{"a"})
	checkDocument(t, "last write wins", get(t, s, "a"), stored(a2))
	if n := count(t, s); n != 1 {
		t.Errorf("CountDocuments = %d, want 1", n)
	}
}

func testInvalidBatch(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	old := message("s", "old", 0)
	put(t, s, old)

	cases := []struct {
		name  string
		code  string
		spoil func(*minyi.Document)
	}{
		{"no id", minyi.EINVALID, func(d *minyi.Document) { d.ID = "" }},
		{"no source", minyi.EINVALID, func(d *minyi.Document) { d.Source = " " }},
		{"bad kind", minyi.EINVALID, func(d *minyi.Document) { d.Kind = "tweet" }},
		{"no text", minyi.EINVALID, func(d *minyi.Document) { d.Title, d.Body = "", "" }},
		{"no published", minyi.EINVALID, func(d *minyi.Document) { d.Published = time.Time{} }},
		{"body too large", minyi.ETOOLARGE, func(d *minyi.Document) { d.Body = strings.Repeat("长", minyi.MaxBodyRunes+1) }},
		{"NUL in author", minyi.EINVALID, func(d *minyi.Document) { d.Author = "a\x00b" }},
		{"bad UTF-8 in comment", minyi.EINVALID, func(d *minyi.Document) {
			d.Comments = []minyi.Comment{{Body: "\xff\xfe", Published: t0}}
		}},
		{"bad UTF-8 in contact", minyi.EINVALID, func(d *minyi.Document) { d.Contact = &minyi.Contact{Name: "\xc3"} }},
	}
	for _, tc := range cases {
		changedOld := old
		changedOld.Body = "不应写入"
		changedOld.ContentHash = changedOld.Hash()
		bad := message("s", "bad-doc", 2)
		tc.spoil(&bad)
		batch := []minyi.Document{changedOld, message("s", "new", 1), bad, message("s", "new2", 3)}

		_, err := s.PutDocuments(ctx, batch)
		if minyi.ErrorCode(err) != tc.code {
			t.Errorf("%s: error code = %q, want %q (err: %v)", tc.name, minyi.ErrorCode(err), tc.code, err)
			continue
		}
		if msg := minyi.ErrorMessage(err); !strings.Contains(msg, "document 2") || !strings.Contains(msg, fmt.Sprintf("%q", bad.ID)) {
			t.Errorf("%s: message %q does not name position 2 and id %q", tc.name, msg, bad.ID)
		}
		if n := count(t, s); n != 1 {
			t.Fatalf("%s: rejected batch wrote documents: count = %d, want 1", tc.name, n)
		}
		checkDocument(t, tc.name+": old document", get(t, s, old.ID), stored(old))
	}
}

func testDocumentsOrder(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	var all []minyi.Document
	for i := range 1200 {
		all = append(all, message("s", fmt.Sprintf("id-%04d", i), i))
	}
	put(t, s, all...)

	got, err := s.Documents(ctx, []string{"id-0007", "missing", "id-0002", "id-0005"})
	if err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, "Documents", got, []minyi.Document{stored(all[7]), stored(all[2]), stored(all[5])})

	got, err = s.Documents(ctx, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("Documents(nil) = %d documents, %v; want none", len(got), err)
	}

	// More ids than any backend binds in one statement, half of them unknown,
	// in descending order.
	var ids, want []string
	for i := 2399; i >= 0; i-- {
		id := fmt.Sprintf("id-%04d", i)
		ids = append(ids, id)
		if i < 1200 {
			want = append(want, id)
		}
	}
	got, err = s.Documents(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	checkStrings(t, "Documents(2400 ids)", docIDs(got), want)
}

func testScanPagination(t *testing.T, s minyi.Store) {
	ctx := context.Background()
	// Mixed case, punctuation and CJK: a collation-aware database would order
	// these differently from Go and break keyset pagination.
	prefixes := []string{"a", "B", "_", "Z", "中", "b", "0"}
	var docs []minyi.Document
	var want []string
	for i := range 1050 {
		id := fmt.Sprintf("%s%04d", prefixes[i%len(prefixes)], i)
		docs = append(docs, message("s", id, i))
		want = append(want, id)
	}
	for start := 0; start < len(docs); start += 500 {
		put(t, s, docs[start:min(start+500, len(docs))]...)
	}
	slices.Sort(want)

	var got []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("ScanDocuments does not terminate")
		}
		page, err := s.ScanDocuments(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 100 {
			t.Fatalf("page of %d documents, limit 100", len(page))
		}
		if len(page) == 0 {
			break
		}
		got = append(got, docIDs(page)...)
		after = page[len(page)-1].ID
	}
	checkStrings(t, "scanned ids", got, want)
	if n := count(t, s); n != 1050 {
		t.Errorf("CountDocuments = %d, want 1050", n)
	}
	page, err := s.ScanDocuments(ctx, want[len(want)-1], 10)
	if err != nil || len(page) != 0 {
		t.Errorf("scan after the last id = %v, %v; want nothing", docIDs(page), err)
	}
	_, err = s.ScanDocuments(ctx, "", 0)
	wantCode(t, err, minyi.EINVALID)
}
