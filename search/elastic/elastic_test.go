package elastic

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"minyi"
	"minyi/search/searchtest"
)

// TestIndex runs the conformance suite against a real cluster, e.g.
// TEST_ELASTICSEARCH_URL=http://localhost:9200 (deploy/ can start one).
func TestIndex(t *testing.T) {
	url := os.Getenv("TEST_ELASTICSEARCH_URL")
	if url == "" {
		t.Skip("TEST_ELASTICSEARCH_URL is not set: Elasticsearch cannot run on this machine; set it to run the suite against a cluster")
	}
	searchtest.RunIndexTests(t, func(t *testing.T) minyi.Index {
		ctx := context.Background()
		x, err := Open(ctx, url, fmt.Sprintf("minyi-test-%d", time.Now().UnixNano()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = x.DropIndex(ctx) })
		return x
	})
}
