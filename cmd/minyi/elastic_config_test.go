package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const elasticYAML = `
sources:
  - {name: city-forum, kind: discuz, start_urls: ["https://bbs.example.gov.cn/forum.php"]}
search:
  backend: elasticsearch
  url: "https://es-1.example.gov.cn:9200, https://es-2.example.gov.cn:9200"
  index: minyi-documents
  elasticsearch:
    username: minyi_writer
    ca_cert: %s
    request_timeout: 10s
    max_retries: 7
    compress: false
`

func TestElasticsearchConfig(t *testing.T) {
	dir := t.TempDir()
	caPath := filepath.Join(dir, "http_ca.crt")
	ca := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	if err := os.WriteFile(caPath, []byte(ca), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig([]byte(fmt.Sprintf(elasticYAML, caPath)), "city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = dir
	if cfg, err = fillDefaults(cfg); err != nil {
		t.Fatal(err)
	}
	const password = "from-the-environment-0"
	t.Setenv(envElasticPassword, password)
	t.Setenv(envElasticAPIKey, "")
	ec, err := elasticConfig(cfg.Search)
	if err != nil {
		t.Fatal(err)
	}
	if len(ec.URLs) != 2 || ec.URLs[1] != "https://es-2.example.gov.cn:9200" || ec.Index != "minyi-documents" ||
		ec.Username != "minyi_writer" || ec.Password != password || string(ec.CACert) != ca ||
		ec.RequestTimeout != 10*time.Second || ec.MaxRetries != 7 || ec.Compress {
		t.Errorf("elastic config %#v (password %v)", ec, ec.Password == password)
	}
	if s := fmt.Sprintf("%v %+v", cfg.Search, cfg); strings.Contains(s, password) {
		t.Errorf("a printed config shows the password: %s", s)
	}

	// The file's secret loses to the environment's, and compression is on
	// unless the file turns it off.
	cfg.Search.Elasticsearch.APIKey, cfg.Search.Elasticsearch.Compress = "from-the-file", nil
	t.Setenv(envElasticAPIKey, "from-the-env")
	if ec, err = elasticConfig(cfg.Search); err != nil || ec.APIKey != "from-the-env" || !ec.Compress {
		t.Errorf("API key %q compress %v, %v", ec.APIKey, ec.Compress, err)
	}

	cfg.Search.Elasticsearch.CACert = filepath.Join(dir, "missing.crt")
	if _, err := elasticConfig(cfg.Search); err == nil || !strings.Contains(err.Error(), "search.elasticsearch.ca_cert") {
		t.Errorf("missing CA file: %v", err)
	}
}

func TestElasticsearchConfigErrors(t *testing.T) {
	cfg, err := parseConfig([]byte("sources:\n  - {name: f, kind: discuz, start_urls: [\"https://bbs.example.gov.cn/\"]}\nsearch: {backend: elasticsearch}\n"), "city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	if _, err := fillDefaults(cfg); err == nil || !strings.Contains(err.Error(), "search.url") {
		t.Errorf("no URL: %v", err)
	}
	if _, err := parseConfig([]byte("search:\n  elasticsearch: {apikey: x}\n"), "city.yaml"); err == nil {
		t.Error("a misspelt elasticsearch key was accepted")
	}
	// A secret in the URL never reaches an error message.
	const password = "in-the-url-0"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = openIndex(ctx, SearchConfig{Backend: "elasticsearch", URL: "https://elastic:" + password + "@127.0.0.1:1", Index: "minyi",
		Elasticsearch: ElasticsearchConfig{MaxRetries: 1, RetryBackoff: time.Millisecond}})
	if err == nil || strings.Contains(err.Error(), password) {
		t.Errorf("unreachable node: %v", err)
	}
}
