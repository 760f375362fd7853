package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Build is a new index version that `minyi reindex` fills from the store.
// Nothing searches it until Commit moves the alias to it, so a rebuild
// never shows a half-filled index, and it never refreshes while loading.
type Build struct {
	*Indexer
	committed bool
}

// loadSettings speed up the load: no refresh and no replicas to copy
// every write to. Commit puts the definition's values back.
var loadSettings = map[string]any{"refresh_interval": "-1", "number_of_replicas": 0}

// Rebuild creates an empty index version for cfg.Index. It works whatever
// the alias points at now (an older mapping, a plain index from an earlier
// minyi, nothing), which is the point.
func Rebuild(ctx context.Context, cfg Config) (*Build, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	es, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	name := rebuildName(cfg.Index, now())
	x := &Indexer{es: es, cfg: cfg, target: name}
	if err := x.createVersion(ctx, name, false, loadSettings); err != nil {
		return nil, err
	}
	return &Build{Indexer: x}, nil
}

// now names rebuilt versions; tests stop it.
var now = time.Now

// Name is the new index version's name.
func (b *Build) Name() string { return b.target }

// Commit makes the new version searchable and, in one atomic alias update,
// points the alias at it and deletes what the alias pointed at before (or
// the plain index that had the alias's name).
func (b *Build) Commit(ctx context.Context) error {
	if err := b.restoreSettings(ctx); err != nil {
		return err
	}
	if _, err := b.es.Indices.Refresh().Index(b.target).Do(ctx); err != nil {
		return fmt.Errorf("elasticsearch: refreshing %s: %w", b.target, err)
	}
	alias := b.cfg.Index
	old, err := b.aliasTargets(ctx)
	if err != nil {
		return err
	}
	actions := []map[string]any{{"add": map[string]any{"index": b.target, "alias": alias}}}
	if len(old) == 0 {
		legacy, err := b.es.Indices.Exists(alias).Do(ctx)
		if err != nil {
			return fmt.Errorf("elasticsearch: checking index %s: %w", alias, err)
		}
		if legacy {
			old = []string{alias}
		}
	}
	for _, index := range old {
		actions = append(actions, map[string]any{"remove_index": map[string]any{"index": index}})
	}
	body, _ := json.Marshal(map[string]any{"actions": actions})
	if _, err := b.es.Indices.UpdateAliases().Raw(bytes.NewReader(body)).Do(ctx); err != nil {
		return fmt.Errorf("elasticsearch: moving alias %s to %s: %w", alias, b.target, err)
	}
	b.committed = true
	return nil
}

// restoreSettings sets what loadSettings changed back to the definition's
// value, or to Elasticsearch's default where the definition has none.
func (b *Build) restoreSettings(ctx context.Context) error {
	var def struct {
		Settings map[string]any `json:"settings"`
	}
	if err := json.Unmarshal(indexDefinition, &def); err != nil {
		return err
	}
	index, _ := def.Settings["index"].(map[string]any)
	restore := map[string]any{}
	for k := range loadSettings {
		var v any // null resets a setting to its default
		if dv, ok := def.Settings[k]; ok {
			v = dv
		} else if dv, ok := index[k]; ok {
			v = dv
		}
		restore[k] = v
	}
	body, _ := json.Marshal(map[string]any{"index": restore})
	if _, err := b.es.Indices.PutSettings().Indices(b.target).Raw(bytes.NewReader(body)).Do(ctx); err != nil {
		return fmt.Errorf("elasticsearch: settings of %s after the load: %w", b.target, err)
	}
	return nil
}

// Close deletes the new version unless it was committed: an unfinished
// rebuild is nobody's index.
func (b *Build) Close() error {
	if b.committed {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.RequestTimeout)
	defer cancel()
	if _, err := b.es.Indices.Delete(b.target).Do(ctx); err != nil {
		return fmt.Errorf("elasticsearch: deleting the unfinished %s: %w", b.target, err)
	}
	return nil
}
