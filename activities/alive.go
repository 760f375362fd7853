package activities

import (
	"context"
	"minyi/internal/safely"
	"time"

	"go.temporal.io/sdk/activity"
)

// HeartbeatTimeout is how long an ingest step may go without a heartbeat
// before Temporal gives its task to another attempt. Under load, Temporal
// now and then hands an activity task to a worker that never runs it: the
// task shows as started while nothing works on it, and only a timeout
// brings it back. Without heartbeats that was the step's StartToClose
// timeout, five minutes in which its batch stayed unsearchable
// (BenchmarkIngestPrefetched).
const HeartbeatTimeout = 30 * time.Second

// keepAlive heartbeats for the activity of ctx until stop is called, so
// that a step that is slow but running (a batch behind a hundred others
// in the index) is not taken for lost.
func keepAlive(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	safely.Go(func() {
		t := time.NewTicker(HeartbeatTimeout / 6)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	})
	return func() { close(done) }
}
