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

// nodeConfig is the cluster the suite runs against, from the environment:
// TEST_ELASTICSEARCH_URL (e.g. https://localhost:9200, deploy/elasticsearch
// starts one), with TEST_ELASTICSEARCH_API_KEY and TEST_ELASTICSEARCH_CA_CERT
// (a PEM file, e.g. the node's http_ca.crt) when the node is secured.
func nodeConfig(tb testing.TB) Config {
	url := os.Getenv("TEST_ELASTICSEARCH_URL")
	if url == "" {
		tb.Skip("TEST_ELASTICSEARCH_URL is not set: Elasticsearch cannot run on this machine; set it to run the suite against a cluster")
	}
	cfg := Config{URLs: []string{url}, APIKey: os.Getenv("TEST_ELASTICSEARCH_API_KEY"), Compress: true}
	if path := os.Getenv("TEST_ELASTICSEARCH_CA_CERT"); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			tb.Fatalf("TEST_ELASTICSEARCH_CA_CERT: %v", err)
		}
		cfg.CACert = pem
	}
	return cfg
}

// TestIndex runs the conformance suite against a real cluster.
func TestIndex(t *testing.T) {
	cfg := nodeConfig(t)
	searchtest.RunIndexTests(t, func(t *testing.T) minyi.Index {
		ctx := context.Background()
		c := cfg
		c.Index = fmt.Sprintf("minyi-test-%d", time.Now().UnixNano())
		x, err := Open(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = x.DropIndex(ctx) })
		return x
	})
}
