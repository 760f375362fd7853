package portal_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"minyi"
	"minyi/api/portal"
	"minyi/store/postgres"
	"minyi/store/postgres/pgtest"
	"minyi/store/sqlite"

	_ "github.com/jackc/pgx/v5/stdlib" // the seed's PostgreSQL rows
)

// BenchmarkPortalPages measures the public pages' server time, p50 and
// p99, over MINYI_BENCH_PORTAL_LETTERS published, answered letters
// (default 100,000) in SQLite, and in PostgreSQL when TEST_POSTGRES_URL
// is set. The target is p99 < 50 ms.
func BenchmarkPortalPages(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("MINYI_BENCH_PORTAL_LETTERS")); err == nil && v > 0 {
		n = v
	}
	b.Run("sqlite", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "minyi.db")
		s, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchPortalPages(b, s, n, seedDB{db, `INSERT INTO portal_letters (number, document_id, case_id, code_hash,
			publish, state, created, updated, public_text) VALUES (?, ?, ?, 'x', 1, 'accepted', ?, ?, ?)`,
			func(t time.Time) any { return t.Unix() }, ""})
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := pgtest.FreshSchema(b)
		s, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchPortalPages(b, s, n, seedDB{db, `INSERT INTO portal_letters (number, document_id, case_id, code_hash,
			publish, state, created, updated, public_text) VALUES ($1, $2, $3, 'x', true, 'accepted', $4, $5, $6)`,
			func(t time.Time) any { return t }, `ANALYZE`})
	})
}

// benchStore is a store the bench seeds and serves the portal from.
type benchStore interface {
	portal.Store
	PutDocuments(ctx context.Context, docs []minyi.Document) (minyi.PutResult, error)
	PutCases(ctx context.Context, cs []minyi.Case) error
	RebuildPublicSearch(ctx context.Context) (int, error)
}

// seedDB writes portal_letters rows straight into a store's database:
// the statement, a time as the column takes it, and what refreshes the
// planner's statistics as PostgreSQL's autovacuum would soon after (SQLite
// keeps none unless told).
type seedDB struct {
	db      *sql.DB
	insert  string
	time    func(time.Time) any
	analyze string
}

func benchPortalPages(b *testing.B, s benchStore, n int, db seedDB) {
	began := time.Now()
	seedPublished(b, s, db, n)
	b.Logf("seeded %d published letters in %v", n, time.Since(began).Round(time.Millisecond))
	p := &portal.Portal{Store: s, PublicStats: true, Now: time.Now,
		Departments: func() []minyi.Department {
			return []minyi.Department{{ID: "housing", Name: "市住建局"}, {ID: "water", Name: "市水务局"}}
		}}
	h := p.Handler()
	pages := []struct{ name, path string }{
		{"board", "/letters"},
		{"board-deep", "/letters?page=" + strconv.Itoa(minyi.MaxPublicTotal/20)},
		{"board-department", "/letters?department=water&type=投诉"},
		{"board-search", "/letters?q=" + url.QueryEscape("路灯")},
		// Every pair of these is common; only one letter has them all.
		{"board-search-rare", "/letters?q=" + url.QueryEscape("第4242封")},
		{"board-search-char", "/letters?q=" + url.QueryEscape("灯")},
		{"board-search-none", "/letters?q=" + url.QueryEscape("地铁")},
		{"letter", "/letters/BENCH-" + strconv.Itoa(n/2)},
		{"stats", "/stats"},
		{"open311", "/open311/v2/requests.json?status=closed&start_date=2026-01-01"},
	}
	b.ResetTimer()
	for _, pg := range pages {
		var took []time.Duration
		for range 50 {
			req, _ := http.NewRequest(http.MethodGet, pg.path, nil)
			req.RemoteAddr = "192.0.2.1:1234"
			w := &discard{h: http.Header{}}
			t0 := time.Now()
			h.ServeHTTP(w, req)
			took = append(took, time.Since(t0))
			if w.code != http.StatusOK {
				b.Fatalf("%s: %d", pg.path, w.code)
			}
		}
		slices.Sort(took)
		b.ReportMetric(ms(took[len(took)/2]), pg.name+"-p50-ms")
		b.ReportMetric(ms(took[len(took)*99/100]), pg.name+"-p99-ms")
	}
	b.ReportMetric(float64(n), "letters")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = http.StatusOK
	}
	return io.Discard.Write(p)
}
func (d *discard) WriteHeader(c int) { d.code = c }

// seedPublished writes n answered letters with their documents, cases and
// portal records in batches: through the store for documents and cases,
// straight into portal_letters for the portal's rows (the store writes
// those one letter at a time, as the portal does), whose search grams the
// store then writes.
func seedPublished(b *testing.B, s benchStore, db seedDB, n int) {
	ctx := context.Background()
	base := time.Date(2026, 6, 1, 9, 0, 0, 0, minyi.ChinaTime)
	depts := []string{"housing", "water"}
	words := []string{"路灯不亮", "噪音扰民", "道路破损", "停水", "垃圾清运"}
	for start := 0; start < n; start += 1000 {
		var docs []minyi.Document
		var cases []minyi.Case
		tx, err := db.db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < min(n, start+1000); i++ {
			number := "BENCH-" + strconv.Itoa(i)
			at := base.Add(time.Duration(i) * time.Minute)
			d := minyi.Document{ID: minyi.DocumentID(minyi.PortalSource, "id:"+number), Source: minyi.PortalSource,
				Kind: minyi.KindMessage, ExternalID: number, Title: words[i%5] + " " + strconv.Itoa(i),
				Body:        fmt.Sprintf("第%d封信：小区附近%s已经一周，请尽快处理。联系电话13800%06d。", i, words[i%5], i%1000000),
				MessageType: "投诉", Published: at, Fetched: at, Contact: &minyi.Contact{Name: "张三", Phone: "13800000000"}}
			d.ContentHash = d.Hash()
			docs = append(docs, d)
			cases = append(cases, minyi.Case{ID: minyi.CaseIDFor(d.ID), DocumentID: d.ID, Source: d.Source, Title: d.Title,
				MessageType: minyi.TypeComplaint, Department: depts[i%2], Status: minyi.CaseClosed, Received: at,
				Due: at.AddDate(0, 0, 21), Answered: at.Add(48 * time.Hour), OnTime: true, Rating: minyi.RatingSatisfied, Updated: at})
			if _, err := tx.Exec(db.insert, number, d.ID, minyi.CaseIDFor(d.ID), db.time(at), db.time(at),
				portal.PublicText(d.Title, d.Body, d.Contact)); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		if _, err := s.PutDocuments(ctx, docs); err != nil {
			b.Fatal(err)
		}
		if err := s.PutCases(ctx, cases); err != nil {
			b.Fatal(err)
		}
	}
	began := time.Now()
	if indexed, err := s.RebuildPublicSearch(ctx); err != nil || indexed != n {
		b.Fatalf("search grams of %d letters: %v", indexed, err)
	}
	b.Logf("search grams written in %v", time.Since(began).Round(time.Millisecond))
	if db.analyze != "" {
		if _, err := db.db.Exec(db.analyze); err != nil {
			b.Fatal(err)
		}
	}
}
