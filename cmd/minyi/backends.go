package main

import (
	"context"
	"fmt"

	"minyi"
	"minyi/search/bleve"
	"minyi/search/elastic"
	"minyi/store/postgres"
	"minyi/store/sqlite"
)

// openStore is the one place that picks the system of record.
func openStore(ctx context.Context, cfg StoreConfig) (minyi.Store, error) {
	switch cfg.Driver {
	case "sqlite":
		return sqlite.Open(cfg.DSN)
	case "postgres":
		return postgres.Open(ctx, cfg.DSN)
	}
	return nil, fmt.Errorf("store driver %q is neither sqlite nor postgres", cfg.Driver)
}

// openIndex is the one place that picks the search backend.
func openIndex(ctx context.Context, cfg SearchConfig) (minyi.Index, error) {
	switch cfg.Backend {
	case "bleve":
		return bleve.Open(cfg.Index)
	case "elasticsearch":
		return elastic.Open(ctx, cfg.URL, cfg.Index)
	}
	return nil, fmt.Errorf("search backend %q is neither bleve nor elasticsearch", cfg.Backend)
}

// rebuildIndex fills a new index with fill. A bleve index is built beside
// the old one and replaces it only when complete, which is also how an
// index of an older analyzer is migrated; Elasticsearch documents are
// replaced in place.
func rebuildIndex(ctx context.Context, cfg SearchConfig, fill func(minyi.Index) error) error {
	if cfg.Backend == "bleve" {
		return bleve.Rebuild(cfg.Index, fill)
	}
	index, err := openIndex(ctx, cfg)
	if err != nil {
		return err
	}
	defer index.Close()
	return fill(index)
}
