package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"minyi"
	"minyi/store/sqlite"
)

// backupManifest says what a backup holds, so a restore can be checked.
type backupManifest struct {
	Created   time.Time `json:"created"`
	Documents int       `json:"documents"`
	Cases     int       `json:"cases"`
	Files     []string  `json:"files"`
}

const (
	storeBackup    = "minyi.db"
	temporalBackup = "temporal.db"
	manifestName   = "backup.json"
)

// runBackup serves `minyi backup [--config f] [--data d] DIR`.
func runBackup(ctx context.Context, args []string, out io.Writer) error {
	f, rest, err := parseWithTarget("backup", args)
	if err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	m, err := backup(ctx, cfg, rest)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %d documents and %d cases to %s\n", m.Documents, m.Cases, rest)
	return nil
}

// backup snapshots the store and the embedded Temporal database into dir
// while minyi keeps running. The search index is not copied: it is rebuilt
// from the store on restore, which is also what makes it consistent with it.
func backup(ctx context.Context, cfg Config, dir string) (backupManifest, error) {
	var m backupManifest
	if cfg.Store.Driver != "sqlite" {
		return m, errors.New("backup covers the SQLite store; back up PostgreSQL with pg_dump and the Temporal cluster with its own tooling")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return m, err
	}
	m.Created = time.Now().UTC()
	// Temporal first: a case it knows of is then always in the store copy
	// taken after it, never the other way round.
	if cfg.Temporal.Address == "" {
		if err := sqlite.BackupFile(ctx, filepath.Join(cfg.DataDir, "temporal.db"), filepath.Join(dir, temporalBackup)); err != nil {
			return m, err
		}
		m.Files = append(m.Files, temporalBackup)
	}
	if err := sqlite.BackupFile(ctx, cfg.Store.DSN, filepath.Join(dir, storeBackup)); err != nil {
		return m, err
	}
	m.Files = append(m.Files, storeBackup)
	copyStore, err := sqlite.Open(filepath.Join(dir, storeBackup))
	if err != nil {
		return m, err
	}
	defer copyStore.Close()
	if m.Documents, err = copyStore.CountDocuments(ctx); err != nil {
		return m, err
	}
	if _, m.Cases, err = copyStore.Cases(ctx, minyi.CaseFilter{Limit: 1}); err != nil {
		return m, err
	}
	raw, _ := json.MarshalIndent(m, "", "  ")
	return m, os.WriteFile(filepath.Join(dir, manifestName), raw, 0o644)
}

// runRestore serves `minyi restore [--config f] [--data d] DIR`.
func runRestore(ctx context.Context, args []string, out io.Writer) error {
	f, rest, err := parseWithTarget("restore", args)
	if err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	m, indexed, err := restore(ctx, cfg, rest)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %d documents and %d cases from %s; index rebuilt with %d documents\n", m.Documents, m.Cases, rest, indexed)
	return nil
}

// restore puts a backup into an empty data directory and rebuilds the
// search index from the restored store. It refuses to overwrite data.
func restore(ctx context.Context, cfg Config, dir string) (backupManifest, int, error) {
	var m backupManifest
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return m, 0, fmt.Errorf("%s is not a minyi backup: %w", dir, err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, 0, fmt.Errorf("%s: %w", manifestName, err)
	}
	if cfg.Store.Driver != "sqlite" {
		return m, 0, errors.New("restore covers the SQLite store; restore PostgreSQL with pg_restore")
	}
	targets := map[string]string{storeBackup: cfg.Store.DSN, temporalBackup: filepath.Join(cfg.DataDir, "temporal.db")}
	for _, f := range m.Files {
		if _, err := os.Stat(targets[f]); err == nil {
			return m, 0, fmt.Errorf("%s exists: restore only into an empty data directory (stop minyi and move the old one away)", targets[f])
		}
	}
	if _, err := os.Stat(cfg.Search.Index); err == nil && cfg.Search.Backend == "bleve" {
		return m, 0, fmt.Errorf("%s exists: restore only into an empty data directory", cfg.Search.Index)
	}
	for _, f := range m.Files {
		if err := os.MkdirAll(filepath.Dir(targets[f]), 0o755); err != nil {
			return m, 0, err
		}
		if err := sqlite.BackupFile(ctx, filepath.Join(dir, f), targets[f]); err != nil {
			return m, 0, err
		}
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		return m, 0, err
	}
	defer store.Close()
	n, err := rebuildIndex(ctx, cfg.Search, store)
	return m, n, err
}

// parseWithTarget parses the common flags and the one directory argument.
func parseWithTarget(name string, args []string) (commonFlags, string, error) {
	var f commonFlags
	fs := f.flagSet(name)
	if err := fs.Parse(args); err != nil {
		return f, "", err
	}
	if fs.NArg() != 1 {
		return f, "", fmt.Errorf("usage: minyi %s [--config city.yaml] [--data ./data] DIR", name)
	}
	return f, fs.Arg(0), nil
}
