package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"minyi"
	"minyi/internal/crashpoint"
)

// IndexResult is what IndexVersions wrote: the versions it read from the
// store, which the ingest workflow clears from the outbox once it is done.
type IndexResult struct {
	Indexed  int
	Versions []minyi.DocumentVersion
}

// IndexVersions is IndexDocuments that also says which version of each
// document went into the index.
func (a *Activities) IndexVersions(ctx context.Context, ids []string) (IndexResult, error) {
	defer keepAlive(ctx)()
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return IndexResult{}, fmt.Errorf("loading %d documents: %w", len(ids), err)
	}
	if readBack(ctx) {
		err = a.Index.Index(ctx, docs)
	} else {
		err = minyi.IndexBulk(ctx, a.Index, docs)
	}
	if err != nil {
		return IndexResult{}, fmt.Errorf("indexing %d documents: %w", len(docs), err)
	}
	documentsIndexed.Add(float64(len(docs)))
	a.observeFreshness(docs, time.Now())
	crashpoint.Hit(crashpoint.IndexBatch)
	res := IndexResult{Indexed: len(docs), Versions: make([]minyi.DocumentVersion, len(docs))}
	for i, d := range docs {
		res.Versions[i] = minyi.DocumentVersion{ID: d.ID, ContentHash: d.ContentHash}
	}
	return res, nil
}

// IntakeBatchPrefix starts the workflow id of an ingest of messages posted
// to the intake API. Whoever posted one may search for it the next moment,
// so its batch waits until the index shows it; crawl and reconcile batches
// do not wait for that (Elasticsearch shows them within its refresh
// interval, a second).
const IntakeBatchPrefix = "ingest-intake-"

// readBack reports whether the ingest running this activity is one whose
// writer reads its own write back at once.
func readBack(ctx context.Context) bool {
	return activity.IsActivity(ctx) && strings.HasPrefix(activity.GetInfo(ctx).WorkflowExecution.ID, IntakeBatchPrefix)
}

// FinishDocuments clears the outbox marks of the versions a finished
// ingest went through.
func (a *Activities) FinishDocuments(ctx context.Context, done []minyi.DocumentVersion) error {
	defer keepAlive(ctx)()
	return a.Store.FinishDocuments(ctx, done)
}

// PendingInput says which pending documents a reconcile takes: those marked
// at least OlderThan ago (younger ones are most likely in an ingest that is
// still running), and OlderThan before the oldest crawl or ingest in
// flight, at most Max of them.
type PendingInput struct {
	OlderThan time.Duration
	Max       int
}

// InFlight tells when the oldest crawl or ingest workflow still running
// started (false: none is). What the outbox marked since may be that
// run's to finish: a crawl marks its documents before it starts their
// ingests, and an ingest waiting its turn behind others holds its marks
// for minutes under load.
type InFlight interface {
	OldestRunningStart(ctx context.Context) (time.Time, bool, error)
}

// PendingBatches lists the documents the outbox still holds, cut into
// ingest batches.
func (a *Activities) PendingBatches(ctx context.Context, in PendingInput) ([][]string, error) {
	before := time.Now().Add(-in.OlderThan)
	if a.Started.After(before) {
		before = a.Started
	}
	if a.InFlight != nil {
		// Taking the marks of batches still on their way did their work
		// twice: 20,000 posts stored at once were analysed and indexed
		// again, batch after batch, by every pass (BenchmarkIngestPrefetched).
		oldest, ok, err := a.InFlight.OldestRunningStart(ctx)
		if err != nil {
			return nil, fmt.Errorf("finding the crawls and ingests in flight: %w", err)
		}
		if limit := oldest.Add(-in.OlderThan); ok && limit.Before(before) {
			before = limit
		}
	}
	vs, err := a.Store.PendingDocuments(ctx, before, in.Max)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	if len(ids) > 0 {
		a.logger().Info("outbox: documents left behind by an unfinished ingest", "count", len(ids))
	}
	return Batches(ids, BatchSize), nil
}
