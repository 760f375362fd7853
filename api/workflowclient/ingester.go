package workflowclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/activities"
	"minyi/internal/safely"
	"minyi/workflows"
)

// BatchIngester gathers the messages posted within a short delay into one
// ingest workflow: one workflow per message cannot keep up with a city's
// intake. The message is already stored and marked in the outbox when it
// arrives here, so a batch that fails to start (Temporal unreachable, the
// process killed) is not lost: the reconcile workflow ingests it later. That
// is why Ingest never fails the request.
type BatchIngester struct {
	Client   client.Client
	Logger   *slog.Logger
	MaxBatch int           // ids per workflow; default 100
	Delay    time.Duration // how long the first id of a batch waits for more; default 200ms

	mu      sync.Mutex
	pending []minyi.DocumentVersion
	timer   *time.Timer
	wg      sync.WaitGroup
	closing chan struct{} // closed by Close: starts stop retrying
	once    sync.Once
}

// retryFor is how long a batch keeps trying to start while Temporal is
// unreachable before it is left to the outbox reconcile.
const retryFor = time.Minute

func (b *BatchIngester) Ingest(_ context.Context, doc minyi.Document) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, minyi.DocumentVersion{ID: doc.ID, ContentHash: doc.ContentHash})
	switch {
	case len(b.pending) >= b.maxBatch():
		b.flushLocked()
	case b.timer == nil:
		b.timer = time.AfterFunc(b.delay(), func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.flushLocked()
		})
	}
	return nil
}

// Close starts what is still gathered and waits for every start to return;
// a start still retrying gives up, its messages left to the outbox.
func (b *BatchIngester) Close() {
	b.mu.Lock()
	b.flushLocked()
	b.mu.Unlock()
	close(b.closed())
	b.wg.Wait()
}

func (b *BatchIngester) closed() chan struct{} {
	b.once.Do(func() { b.closing = make(chan struct{}) })
	return b.closing
}

func (b *BatchIngester) flushLocked() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	if len(b.pending) == 0 {
		return
	}
	batch := b.pending
	b.pending = nil
	b.wg.Add(1)
	safely.Go(func() {
		defer b.wg.Done()
		b.start(batch)
	})
}

// start runs one ingest workflow, retrying with backoff while Temporal is
// unreachable so that intake catches up as soon as it is back. Its id names
// the exact versions in the batch, so a batch started twice is ingested once.
func (b *BatchIngester) start(batch []minyi.DocumentVersion) {
	h := sha256.New()
	ids := make([]string, len(batch))
	for i, v := range batch {
		ids[i] = v.ID
		h.Write([]byte(v.ID + ":" + v.ContentHash + "\n"))
	}
	opts := client.StartWorkflowOptions{
		ID:                    activities.IntakeBatchPrefix + hex.EncodeToString(h.Sum(nil)[:12]),
		TaskQueue:             workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}
	giveUp := time.Now().Add(retryFor)
	for wait := time.Second; ; wait = min(2*wait, 10*time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := b.Client.ExecuteWorkflow(ctx, opts, workflows.IngestWorkflow, workflows.IngestInput{IDs: ids})
		cancel()
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err == nil || errors.As(err, &started) {
			return
		}
		if time.Now().After(giveUp) {
			b.logger().Warn("intake: ingest not started; the outbox reconcile will ingest these messages",
				"messages", len(ids), "err", err)
			return
		}
		b.logger().Info("intake: Temporal unreachable, retrying the ingest start", "messages", len(ids), "in", wait, "err", err)
		select {
		case <-b.closed():
			return
		case <-time.After(wait):
		}
	}
}

func (b *BatchIngester) maxBatch() int {
	if b.MaxBatch > 0 {
		return b.MaxBatch
	}
	return 100
}

func (b *BatchIngester) delay() time.Duration {
	if b.Delay > 0 {
		return b.Delay
	}
	return 200 * time.Millisecond
}

func (b *BatchIngester) logger() *slog.Logger {
	if b.Logger != nil {
		return b.Logger
	}
	return slog.Default()
}
