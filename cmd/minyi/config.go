package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"minyi"
)

// Config is the YAML file given with --config. Every field has an embedded
// default, so running with no file at all is the demo.
type Config struct {
	DataDir  string         `yaml:"data_dir"`
	Listen   string         `yaml:"listen"`
	Temporal TemporalConfig `yaml:"temporal"`
	Store    StoreConfig    `yaml:"store"`
	Search   SearchConfig   `yaml:"search"`
	Sources  []minyi.Source `yaml:"sources"`
	// Demo starts the bundled demo city site and crawls it; on when no
	// config file is given.
	Demo bool `yaml:"demo"`
}

type TemporalConfig struct {
	// Address of a Temporal cluster; empty runs the embedded server.
	Address   string `yaml:"address"`
	Namespace string `yaml:"namespace"`
	Port      int    `yaml:"port"`      // embedded server frontend port
	LogLevel  string `yaml:"log_level"` // embedded server's own logs: debug|info|warn|error|fatal
}

type StoreConfig struct {
	Driver string `yaml:"driver"` // sqlite | postgres
	DSN    string `yaml:"dsn"`    // file path for sqlite, URL for postgres
}

type SearchConfig struct {
	Backend string `yaml:"backend"` // bleve | elasticsearch
	URL     string `yaml:"url"`     // Elasticsearch URL
	Index   string `yaml:"index"`   // bleve directory or Elasticsearch index name
}

func defaultConfig() Config {
	return Config{DataDir: "./data", Listen: ":8080", Demo: true}
}

// readConfig reads path, or returns the demo defaults for "".
func readConfig(path string) (Config, error) {
	cfg := defaultConfig()
	if path == "" {
		return cfg, nil
	}
	cfg.Demo = false
	raw, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("reading config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// fillDefaults derives what the file left out and validates the sources.
func fillDefaults(cfg Config) (Config, error) {
	if cfg.Temporal.Namespace == "" {
		cfg.Temporal.Namespace = "default"
	}
	if cfg.Temporal.LogLevel == "" {
		cfg.Temporal.LogLevel = "error"
	}
	if cfg.Temporal.Port == 0 {
		cfg.Temporal.Port = 7233
	}
	if cfg.Store.Driver == "" {
		cfg.Store.Driver = "sqlite"
	}
	if cfg.Store.Driver == "sqlite" && cfg.Store.DSN == "" {
		cfg.Store.DSN = filepath.Join(cfg.DataDir, "minyi.db")
	}
	if cfg.Search.Backend == "" {
		cfg.Search.Backend = "bleve"
	}
	if cfg.Search.Backend == "bleve" && cfg.Search.Index == "" {
		cfg.Search.Index = filepath.Join(cfg.DataDir, "index.bleve")
	}
	if cfg.Search.Backend == "elasticsearch" && cfg.Search.Index == "" {
		cfg.Search.Index = "minyi-documents"
	}
	seen := map[string]bool{}
	for i, src := range cfg.Sources {
		if err := src.Validate(); err != nil {
			return cfg, fmt.Errorf("config: sources[%d]: %s", i, minyi.ErrorMessage(err))
		}
		if seen[src.Name] {
			return cfg, fmt.Errorf("config: two sources are named %q", src.Name)
		}
		seen[src.Name] = true
		cfg.Sources[i] = src.WithDefaults()
	}
	if !cfg.Demo && len(cfg.Sources) == 0 {
		return cfg, fmt.Errorf("config: no sources and demo is off: nothing to crawl")
	}
	return cfg, nil
}
