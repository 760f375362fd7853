package postgres

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"minyi"
	"minyi/store/internal/input"
)

// PageStates returns the known states of urls, keyed by URL. Unknown urls are
// absent from the map. The urls travel as one array parameter, so a few
// thousand at once need no chunking.
func (s *Store) PageStates(ctx context.Context, urls []string) (map[string]minyi.PageState, error) {
	if urls == nil {
		urls = []string{}
	}
	rows, err := s.pool.Query(ctx, `SELECT url, etag, last_modified, content_hash, fetched
		FROM page_states WHERE url = ANY($1)`, urls)
	if err != nil {
		return nil, fmt.Errorf("postgres: page states: %w", err)
	}
	defer rows.Close()
	out := make(map[string]minyi.PageState, len(urls))
	for rows.Next() {
		var p minyi.PageState
		var fetched *time.Time
		if err := rows.Scan(&p.URL, &p.ETag, &p.LastModified, &p.ContentHash, &fetched); err != nil {
			return nil, fmt.Errorf("postgres: page states: %w", err)
		}
		p.Fetched = fromDB(fetched)
		out[p.URL] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: page states: %w", err)
	}
	return out, nil
}

// PutPageStates upserts states by URL in one transaction, in URL order so
// that concurrent writers of overlapping urls cannot deadlock.
func (s *Store) PutPageStates(ctx context.Context, states []minyi.PageState) error {
	for i := range states {
		if err := input.CheckPageState(&states[i]); err != nil {
			return minyi.Errorf(minyi.ErrorCode(err), "page state %d (%q): %s", i, states[i].URL, minyi.ErrorMessage(err))
		}
	}
	if len(states) == 0 {
		return nil
	}
	sorted := make([]minyi.PageState, len(states))
	copy(sorted, states)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].URL < sorted[j].URL })

	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for start := 0; start < len(sorted); start += maxBatch {
			batch := &pgx.Batch{}
			for _, p := range sorted[start:min(start+maxBatch, len(sorted))] {
				batch.Queue(`INSERT INTO page_states (url, etag, last_modified, content_hash, fetched)
					VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
						content_hash = excluded.content_hash, fetched = excluded.fetched`,
					p.URL, p.ETag, p.LastModified, p.ContentHash, dbTime(p.Fetched))
			}
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: put page states: %w", err)
	}
	return nil
}

// PutCrawlRun upserts run by ID, so a crawler can report progress repeatedly.
func (s *Store) PutCrawlRun(ctx context.Context, run minyi.CrawlRun) error {
	if err := input.CheckCrawlRun(&run); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO crawl_runs (id, source, started, finished,
			pages_fetched, pages_not_modified, items, new_items, errors, last_error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET source = excluded.source, started = excluded.started,
			finished = excluded.finished, pages_fetched = excluded.pages_fetched,
			pages_not_modified = excluded.pages_not_modified, items = excluded.items,
			new_items = excluded.new_items, errors = excluded.errors, last_error = excluded.last_error`,
		run.ID, run.Source, dbTime(run.Started), dbTime(run.Finished),
		run.PagesFetched, run.PagesNotModified, run.Items, run.NewItems, run.Errors, run.LastError)
	if err != nil {
		return fmt.Errorf("postgres: put crawl run %q: %w", run.ID, err)
	}
	return nil
}

// CrawlStatus returns one row per source that has documents or runs, ordered
// by source name; LastRun is the run that started last (ties broken by id).
func (s *Store) CrawlStatus(ctx context.Context) ([]minyi.SourceStatus, error) {
	bySource := make(map[string]*minyi.SourceStatus)
	status := func(source string) *minyi.SourceStatus {
		st, ok := bySource[source]
		if !ok {
			st = &minyi.SourceStatus{Source: source}
			bySource[source] = st
		}
		return st
	}
	// One snapshot for counts and runs.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		var source string
		var n int
		// pgx reports a query error from the rows, so ForEachRow sees it.
		rows, _ := tx.Query(ctx, `SELECT source, count(*) FROM documents GROUP BY source`)
		_, err := pgx.ForEachRow(rows, []any{&source, &n}, func() error {
			status(source).Documents = n
			return nil
		})
		if err != nil {
			return err
		}

		var r minyi.CrawlRun
		var finished *time.Time
		var runs int
		rows, _ = tx.Query(ctx, `SELECT id, source, started, finished, pages_fetched,
				pages_not_modified, items, new_items, errors, last_error, runs
			FROM (SELECT *,
					row_number() OVER (PARTITION BY source ORDER BY started DESC, id DESC) AS rank,
					count(*) OVER (PARTITION BY source) AS runs
				FROM crawl_runs) AS ranked
			WHERE rank = 1`)
		_, err = pgx.ForEachRow(rows,
			[]any{&r.ID, &r.Source, &r.Started, &finished, &r.PagesFetched, &r.PagesNotModified,
				&r.Items, &r.NewItems, &r.Errors, &r.LastError, &runs},
			func() error {
				last := r
				last.Started, last.Finished = r.Started.UTC(), fromDB(finished)
				st := status(r.Source)
				st.LastRun, st.Runs = &last, runs
				return nil
			})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: crawl status: %w", err)
	}

	out := make([]minyi.SourceStatus, 0, len(bySource))
	for _, st := range bySource {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}
