package main

import (
	"context"
	"fmt"
	"os"
	"strings"

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
		ec, err := elasticConfig(cfg)
		if err != nil {
			return nil, err
		}
		return elastic.Open(ctx, ec)
	}
	return nil, fmt.Errorf("search backend %q is neither bleve nor elasticsearch", cfg.Backend)
}

// rebuildIndex fills the search index from the store (`minyi reindex`,
// `minyi restore`). Either backend builds a new index beside the old one,
// which takes over only once it is complete, so a rebuild also moves an
// index of an older analyzer or mapping to the current one: bleve in a
// directory beside it, Elasticsearch in a new version behind the alias.
func rebuildIndex(ctx context.Context, cfg SearchConfig, store minyi.Store) (int, error) {
	if cfg.Backend != "elasticsearch" {
		n := 0
		err := bleve.Rebuild(cfg.Index, func(index minyi.Index) (err error) {
			n, err = reindex(ctx, store, index, 500)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("rebuilding search index %s (is minyi serve still running?): %w", cfg.Index, err)
		}
		return n, nil
	}
	ec, err := elasticConfig(cfg)
	if err != nil {
		return 0, err
	}
	build, err := elastic.Rebuild(ctx, ec)
	if err != nil {
		return 0, err
	}
	defer build.Close() // deletes the new version unless committed
	n, err := reindex(ctx, store, build, 500)
	if err != nil {
		return n, fmt.Errorf("rebuilding %s (the alias still points at the old version): %w", build.Name(), err)
	}
	return n, build.Commit(ctx)
}

// Environment variables that carry Elasticsearch secrets, so that they
// need not be written in the config file. They win over the file.
const (
	envElasticAPIKey   = "MINYI_ELASTICSEARCH_API_KEY"
	envElasticPassword = "MINYI_ELASTICSEARCH_PASSWORD"
)

// elasticConfig turns the search section into the backend's config: the
// CA file read, the secrets taken from the environment when set there.
func elasticConfig(cfg SearchConfig) (elastic.Config, error) {
	es := cfg.Elasticsearch
	ec := elastic.Config{
		Index:          cfg.Index,
		APIKey:         es.APIKey,
		Username:       es.Username,
		Password:       es.Password,
		CAFingerprint:  es.CAFingerprint,
		RequestTimeout: es.RequestTimeout,
		MaxRetries:     es.MaxRetries,
		RetryBackoff:   es.RetryBackoff,
		Compress:       es.Compress == nil || *es.Compress,
	}
	for _, u := range strings.Split(cfg.URL, ",") {
		if u = strings.TrimSpace(u); u != "" {
			ec.URLs = append(ec.URLs, u)
		}
	}
	if v := os.Getenv(envElasticAPIKey); v != "" {
		ec.APIKey = v
	}
	if v := os.Getenv(envElasticPassword); v != "" {
		ec.Password = v
	}
	if es.CACert != "" {
		pem, err := os.ReadFile(es.CACert)
		if err != nil {
			return ec, fmt.Errorf("search.elasticsearch.ca_cert: %w", err)
		}
		ec.CACert = pem
	}
	return ec, nil
}
