package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"minyi"
	"minyi/store/internal/input"
)

// PageStates returns the known states of urls, keyed by URL. Unknown urls are
// absent from the map.
func (s *Store) PageStates(ctx context.Context, urls []string) (map[string]minyi.PageState, error) {
	out := make(map[string]minyi.PageState, len(urls))
	for start := 0; start < len(urls); start += maxInList {
		chunk := urls[start:min(start+maxInList, len(urls))]
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = u
		}
		rows, err := s.read.QueryContext(ctx, `SELECT url, etag, last_modified, content_hash, fetched
			FROM page_states WHERE url IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: page states: %w", err)
		}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				var p minyi.PageState
				var fetched sql.NullInt64
				if err := rows.Scan(&p.URL, &p.ETag, &p.LastModified, &p.ContentHash, &fetched); err != nil {
					return err
				}
				p.Fetched = fromUnix(fetched)
				out[p.URL] = p
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("sqlite: page states: %w", err)
		}
	}
	return out, nil
}

// PutPageStates upserts states by URL in one transaction.
func (s *Store) PutPageStates(ctx context.Context, states []minyi.PageState) error {
	for i := range states {
		if err := input.CheckPageState(&states[i]); err != nil {
			return minyi.Errorf(minyi.ErrorCode(err), "page state %d (%q): %s", i, states[i].URL, minyi.ErrorMessage(err))
		}
	}
	if len(states) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO page_states (url, etag, last_modified, content_hash, fetched)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
				content_hash = excluded.content_hash, fetched = excluded.fetched`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, p := range states {
			if _, err := stmt.ExecContext(ctx, p.URL, p.ETag, p.LastModified, p.ContentHash, unixTime(p.Fetched)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: put page states: %w", err)
	}
	return nil
}

// PutCrawlRun upserts run by ID, so a crawler can report progress repeatedly.
func (s *Store) PutCrawlRun(ctx context.Context, run minyi.CrawlRun) error {
	if err := input.CheckCrawlRun(&run); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO crawl_runs (id, source, started, finished,
			pages_fetched, pages_not_modified, items, new_items, errors, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET source = excluded.source, started = excluded.started,
			finished = excluded.finished, pages_fetched = excluded.pages_fetched,
			pages_not_modified = excluded.pages_not_modified, items = excluded.items,
			new_items = excluded.new_items, errors = excluded.errors, last_error = excluded.last_error`,
		run.ID, run.Source, run.Started.Unix(), unixTime(run.Finished),
		run.PagesFetched, run.PagesNotModified, run.Items, run.NewItems, run.Errors, run.LastError)
	if err != nil {
		return fmt.Errorf("sqlite: put crawl run %q: %w", run.ID, err)
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
	// One read transaction, so that counts and runs come from one snapshot.
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: crawl status: %w", err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT source, count(*) FROM documents GROUP BY source`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: crawl status: %w", err)
	}
	err = eachRow(rows, func() error {
		var source string
		var n int
		if err := rows.Scan(&source, &n); err != nil {
			return err
		}
		status(source).Documents = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: crawl status: %w", err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, source, started, finished, pages_fetched, pages_not_modified,
			items, new_items, errors, last_error, runs
		FROM (SELECT *,
				row_number() OVER (PARTITION BY source ORDER BY started DESC, id DESC) AS rank,
				count(*) OVER (PARTITION BY source) AS runs
			FROM crawl_runs)
		WHERE rank = 1`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: crawl status: %w", err)
	}
	err = eachRow(rows, func() error {
		var r minyi.CrawlRun
		var started int64
		var finished sql.NullInt64
		var runs int
		if err := rows.Scan(&r.ID, &r.Source, &started, &finished, &r.PagesFetched, &r.PagesNotModified,
			&r.Items, &r.NewItems, &r.Errors, &r.LastError, &runs); err != nil {
			return err
		}
		r.Started = fromUnix(sql.NullInt64{Int64: started, Valid: true})
		r.Finished = fromUnix(finished)
		st := status(r.Source)
		st.LastRun, st.Runs = &r, runs
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: crawl status: %w", err)
	}

	out := make([]minyi.SourceStatus, 0, len(bySource))
	for _, st := range bySource {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out, nil
}

func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}
