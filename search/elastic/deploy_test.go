package elastic

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The compose file cannot run here; this checks what it must say for the
// node to be a secured ES 8 that minyi's config in the README reaches.
func TestComposeStartsASecuredNode(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/elasticsearch/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string   `yaml:"image"`
			Environment []string `yaml:"environment"`
			Ports       []string `yaml:"ports"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	node, ok := compose.Services["es01"]
	if !ok || !strings.HasPrefix(node.Image, "docker.elastic.co/elasticsearch/elasticsearch:8.") {
		t.Fatalf("no ES 8 node: %+v", compose.Services)
	}
	for _, want := range []string{"discovery.type=single-node", "xpack.security.enabled=true", "xpack.security.http.ssl.enabled=true",
		"xpack.security.http.ssl.certificate_authorities=certs/ca/ca.crt", "xpack.security.transport.ssl.enabled=true"} {
		if !slices.Contains(node.Environment, want) {
			t.Errorf("es01 environment lacks %s", want)
		}
	}
	if !slices.ContainsFunc(node.Environment, func(e string) bool { return strings.HasPrefix(e, "ELASTIC_PASSWORD=${ELASTIC_PASSWORD:?") }) {
		t.Error("the elastic password must come from the caller's environment, required")
	}
	if !slices.Contains(node.Ports, "127.0.0.1:9200:9200") {
		t.Errorf("ports %v; want HTTPS on 127.0.0.1:9200", node.Ports)
	}
	if certs, ok := compose.Services["certs"]; !ok || certs.Image != node.Image || node.DependsOn["certs"].Condition != "service_completed_successfully" {
		t.Error("the node must wait for its certificates, made with the same image")
	}
	if hc := strings.Join(node.Healthcheck.Test, " "); !strings.Contains(hc, "https://localhost:9200") || !strings.Contains(hc, "--cacert") {
		t.Errorf("healthcheck %q does not check HTTPS under the CA", hc)
	}
}
