package sqlstore

import (
	"context"
	"slices"
	"strings"

	"minyi"
	"minyi/store/internal/input"
)

// PageStates returns the known states of urls, keyed by URL. Unknown urls are
// absent from the map.
func (s *Store) PageStates(ctx context.Context, urls []string) (map[string]minyi.PageState, error) {
	out := make(map[string]minyi.PageState, len(urls))
	err := s.queryAnyOf(ctx, `SELECT url, etag, last_modified, content_hash, fetched
		FROM page_states WHERE url %s`, urls, func(r Rows) error {
		var p minyi.PageState
		if err := r.Scan(&p.URL, &p.ETag, &p.LastModified, &p.ContentHash, timeOf(&p.Fetched)); err != nil {
			return err
		}
		out[p.URL] = p
		return nil
	})
	if err != nil {
		return nil, s.errorf("page states: %w", err)
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
	args := make([][]any, 0, len(states))
	for _, i := range byKey(states, func(p *minyi.PageState) string { return p.URL }) {
		p := &states[i]
		args = append(args, []any{p.URL, p.ETag, p.LastModified, p.ContentHash, s.time(p.Fetched)})
	}
	err := s.c.InTx(ctx, func(tx DB) error {
		_, err := tx.ExecEach(ctx, s.sql(`INSERT INTO page_states (url, etag, last_modified, content_hash, fetched)
			VALUES (?1, ?2, ?3, ?4, ?5)
			ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
				content_hash = excluded.content_hash, fetched = excluded.fetched`), args)
		return err
	})
	if err != nil {
		return s.errorf("put page states: %w", err)
	}
	return nil
}

// PutCrawlRun upserts run by ID, so a crawler can report progress repeatedly.
func (s *Store) PutCrawlRun(ctx context.Context, run minyi.CrawlRun) error {
	if err := input.CheckCrawlRun(&run); err != nil {
		return err
	}
	_, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO crawl_runs (id, source, started, finished,
			pages_fetched, pages_not_modified, items, new_items, errors, last_error)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
		ON CONFLICT (id) DO UPDATE SET source = excluded.source, started = excluded.started,
			finished = excluded.finished, pages_fetched = excluded.pages_fetched,
			pages_not_modified = excluded.pages_not_modified, items = excluded.items,
			new_items = excluded.new_items, errors = excluded.errors, last_error = excluded.last_error`),
		run.ID, run.Source, s.time(run.Started), s.time(run.Finished),
		run.PagesFetched, run.PagesNotModified, run.Items, run.NewItems, run.Errors, run.LastError)
	if err != nil {
		return s.errorf("put crawl run %q: %w", run.ID, err)
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
	// One snapshot, so that counts and runs agree.
	err := s.c.InSnapshot(ctx, func(tx DB) error {
		rows, err := tx.Query(ctx, `SELECT source, count(*) FROM documents GROUP BY source`)
		err = each(rows, err, func(r Rows) error {
			var source string
			var n int
			err := r.Scan(&source, &n)
			status(source).Documents = n
			return err
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id, source, started, finished, pages_fetched,
				pages_not_modified, items, new_items, errors, last_error, runs
			FROM (SELECT *,
					row_number() OVER (PARTITION BY source ORDER BY started DESC, id DESC) AS rank,
					count(*) OVER (PARTITION BY source) AS runs
				FROM crawl_runs) AS ranked
			WHERE rank = 1`)
		return each(rows, err, func(r Rows) error {
			var run minyi.CrawlRun
			var runs int
			if err := r.Scan(&run.ID, &run.Source, timeOf(&run.Started), timeOf(&run.Finished), &run.PagesFetched,
				&run.PagesNotModified, &run.Items, &run.NewItems, &run.Errors, &run.LastError, &runs); err != nil {
				return err
			}
			st := status(run.Source)
			st.LastRun, st.Runs = &run, runs
			return nil
		})
	})
	if err != nil {
		return nil, s.errorf("crawl status: %w", err)
	}
	out := make([]minyi.SourceStatus, 0, len(bySource))
	for _, st := range bySource {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b minyi.SourceStatus) int { return strings.Compare(a.Source, b.Source) })
	return out, nil
}
