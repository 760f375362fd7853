package activities

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"minyi"
)

// The outbox round trip: what is stored is pending, indexing reports the
// versions it read, and finishing clears exactly those.
func TestIndexAndFinishDocuments(t *testing.T) {
	f := newFixture(t)
	a := f.letter(t, "L1", "拆迁补偿标准咨询", "长青街片区拆迁补偿标准是多少？", monday)
	b := f.letter(t, "L2", "小区停车难", "晚上没有车位。", monday)

	var batches [][]string
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{Max: 10})
	if len(batches) != 1 || len(batches[0]) != 2 {
		t.Fatalf("pending batches %v, want both letters in one", batches)
	}

	var res IndexResult
	f.must(t, &res, f.acts.IndexVersions, []string{a.ID, b.ID, "missing"})
	if res.Indexed != 2 || len(res.Versions) != 2 || res.Versions[0] != (minyi.DocumentVersion{ID: a.ID, ContentHash: a.ContentHash}) {
		t.Fatalf("IndexVersions = %+v", res)
	}
	hits, err := f.index.Search(context.Background(), minyi.SearchQuery{Text: "拆迁补偿", Page: 1, PageSize: 10})
	if err != nil || hits.Total != 1 || hits.Hits[0].ID != a.ID {
		t.Fatalf("search after indexing: %+v, %v", hits, err)
	}

	// b changes while its ingest runs: finishing the version read leaves it pending.
	b.Body += "（补充）已经三个月了。"
	b = f.put(t, b)
	f.must(t, nil, f.acts.FinishDocuments, res.Versions)
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{Max: 10})
	if len(batches) != 1 || len(batches[0]) != 1 || batches[0][0] != b.ID {
		t.Fatalf("pending after finishing %v, want only the changed letter", batches)
	}

	// The pre-outbox activity indexes the same way and reports only a count.
	var n int
	f.must(t, &n, f.acts.IndexDocuments, []string{b.ID})
	if n != 1 {
		t.Errorf("IndexDocuments = %d", n)
	}
}

// A reconcile leaves young marks to the ingest that made them, and marks
// from before this worker started are always old enough.
func TestPendingBatchesAge(t *testing.T) {
	f := newFixture(t)
	f.letter(t, "L1", "噪音", "夜间施工。", monday)
	var batches [][]string
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{OlderThan: time.Hour, Max: 10})
	if len(batches) != 0 {
		t.Fatalf("a mark seconds old was taken: %v", batches)
	}
	f.acts.Started = time.Now().Add(time.Second)
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{OlderThan: time.Hour, Max: 10})
	if len(batches) != 1 {
		t.Fatalf("a mark from before the worker started was left: %v", batches)
	}
}

// refreshCounter is a bleve index that counts which write its caller chose.
type refreshCounter struct {
	searchIndex  // its methods but Index, which the counter overrides
	bleve        minyi.Index
	waited, bulk int
}

// searchIndex names the embedded field apart from the Index method.
type searchIndex = minyi.Index

func (r *refreshCounter) Index(ctx context.Context, docs []minyi.Document) error {
	r.waited++
	return r.bleve.Index(ctx, docs)
}

func (r *refreshCounter) IndexBulk(ctx context.Context, docs []minyi.Document) error {
	r.bulk++
	return r.bleve.Index(ctx, docs)
}

// An intake batch waits until its messages are searchable, for whoever
// posted them searches next; a crawl batch does not wait.
func TestIndexVersionsWaitsForIntakeOnly(t *testing.T) {
	f := newFixture(t)
	counter := &refreshCounter{searchIndex: f.index, bleve: f.index}
	f.acts.Index = counter
	doc := minyi.Document{ID: "m1", Source: "hotline", Kind: minyi.KindMessage, Title: "路灯不亮", Body: "晚上很黑",
		Published: time.Now().UTC(), Fetched: time.Now().UTC()}
	doc.ContentHash = doc.Hash()
	if _, err := f.store.PutDocuments(t.Context(), []minyi.Document{doc}); err != nil {
		t.Fatal(err)
	}
	index := func(ctx workflow.Context) error {
		ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		return workflow.ExecuteActivity(ctx, f.acts.IndexVersions, []string{"m1"}).Get(ctx, nil)
	}
	for _, id := range []string{IntakeBatchPrefix + "abc", "ingest-0190-crawl-run-0"} {
		var ts testsuite.WorkflowTestSuite
		env := ts.NewTestWorkflowEnvironment()
		env.RegisterWorkflowWithOptions(index, workflow.RegisterOptions{Name: "index"})
		env.RegisterActivity(f.acts)
		env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: id})
		env.ExecuteWorkflow("index")
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
	}
	if counter.waited != 1 || counter.bulk != 1 {
		t.Errorf("waited for a refresh %d times and wrote in bulk %d times; want once each", counter.waited, counter.bulk)
	}
}

// oldestRun is an InFlight that says what the test tells it.
type oldestRun struct {
	at time.Time
	ok bool
}

func (o oldestRun) OldestRunningStart(context.Context) (time.Time, bool, error) {
	return o.at, o.ok, nil
}

// A reconcile leaves the marks a crawl or ingest in flight may still be on
// its way to, even those from before a worker restart; once none is in
// flight, it takes them.
func TestPendingBatchesLeaveInFlight(t *testing.T) {
	f := newFixture(t)
	f.letter(t, "L1", "噪音", "夜间施工。", monday)
	f.acts.Started = time.Now().Add(time.Second)
	f.acts.InFlight = oldestRun{time.Now().Add(-10 * time.Second), true}
	var batches [][]string
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{OlderThan: time.Minute, Max: 10})
	if len(batches) != 0 {
		t.Fatalf("a mark younger than the crawl in flight was taken: %v", batches)
	}
	f.acts.InFlight = oldestRun{}
	f.must(t, &batches, f.acts.PendingBatches, PendingInput{OlderThan: time.Minute, Max: 10})
	if len(batches) != 1 {
		t.Fatalf("with nothing in flight, a mark from before the worker started was left: %v", batches)
	}
}
