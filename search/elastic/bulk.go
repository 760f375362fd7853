package elastic

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/refresh"

	"minyi"
)

// Index writes documents in one bulk request and, outside a Build, waits
// until a search sees them: what a user reading their own write needs.
func (x *Indexer) Index(ctx context.Context, docs []minyi.Document) error {
	return x.index(ctx, docs, x.waitForRefresh)
}

// IndexBulk writes like Index but returns without waiting for a refresh:
// the documents become searchable within the index's refresh_interval
// (1 s in the mapping). Crawl batches use it; a wait per batch would cost a
// second each.
func (x *Indexer) IndexBulk(ctx context.Context, docs []minyi.Document) error {
	return x.index(ctx, docs, false)
}

func (x *Indexer) index(ctx context.Context, docs []minyi.Document, wait bool) error {
	if len(docs) == 0 {
		return nil
	}
	ops := make([]operation, len(docs))
	for i := range docs {
		if docs[i].ID == "" {
			return minyi.Errorf(minyi.EINVALID, "document %d of the batch has no id", i)
		}
		s := toSource(&docs[i])
		ops[i] = operation{id: docs[i].ID, doc: &s}
	}
	return x.bulk(ctx, ops, wait)
}

// Delete removes documents by id; unknown ids are ignored.
func (x *Indexer) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	ops := make([]operation, len(ids))
	for i, id := range ids {
		ops[i] = operation{id: id}
	}
	return x.bulk(ctx, ops, x.waitForRefresh)
}

// operation is one bulk action, kept so that a rejected one can be resent.
type operation struct {
	id  string
	doc *source // nil for a delete
}

// bulk sends ops and resends, with backoff, the items Elasticsearch
// rejected for now (a full write queue answers 429 per item inside a 200).
// Items rejected for good (a mapping error, say) fail the call and so are
// never dropped either: every operation is idempotent by id, and the caller
// (a Temporal activity, or reindex) retries the batch.
func (x *Indexer) bulk(ctx context.Context, ops []operation, wait bool) error {
	total := len(ops)
	for attempt := 1; ; attempt++ {
		rejected, err := x.bulkOnce(ctx, ops, wait)
		if err != nil || len(rejected) == 0 {
			return err
		}
		if attempt > x.cfg.MaxRetries {
			return fmt.Errorf("elasticsearch bulk: %d of %d operations still rejected after %d retries (%s); none was dropped, retry the batch",
				len(rejected), total, x.cfg.MaxRetries, rejected[0].id)
		}
		if err := sleep(ctx, x.cfg.backoff(attempt)); err != nil {
			return fmt.Errorf("elasticsearch bulk: %d operations waiting to be resent: %w", len(rejected), err)
		}
		ops = rejected
	}
}

// bulkOnce sends ops once and returns those to resend.
func (x *Indexer) bulkOnce(ctx context.Context, ops []operation, wait bool) ([]operation, error) {
	b := x.es.Bulk().Index(x.target)
	if wait {
		b.Refresh(refresh.Waitfor)
	}
	if x.viaAlias {
		b.RequireAlias(true)
	}
	for i := range ops {
		o := &ops[i]
		var err error
		if o.doc != nil {
			err = b.IndexOp(types.IndexOperation{Id_: &o.id}, o.doc)
		} else {
			err = b.DeleteOp(types.DeleteOperation{Id_: &o.id})
		}
		if err != nil {
			return nil, fmt.Errorf("encode bulk operation on %s: %w", o.id, err)
		}
	}
	res, err := b.Do(ctx)
	if err != nil {
		return nil, fmt.Errorf("elasticsearch bulk of %d operations: %w", len(ops), err)
	}
	if !res.Errors {
		return nil, nil
	}
	if len(res.Items) != len(ops) {
		return nil, fmt.Errorf("elasticsearch bulk: %d results for %d operations", len(res.Items), len(ops))
	}
	var rejected []operation
	var failed []string
	for i, item := range res.Items {
		for action, r := range item {
			switch {
			case r.Error == nil: // a delete of an unknown id is a 404 without error
			case slices.Contains(retryStatuses, r.Status):
				rejected = append(rejected, ops[i])
			default:
				reason := ""
				if r.Error.Reason != nil {
					reason = *r.Error.Reason
				}
				failed = append(failed, fmt.Sprintf("%s %s: %d %s %s", action, ops[i].id, r.Status, r.Error.Type, reason))
			}
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("elasticsearch bulk: %d of %d operations failed: %s", len(failed), len(ops), strings.Join(failed[:min(3, len(failed))], "; "))
	}
	return rejected, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
