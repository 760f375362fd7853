package deploy

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"minyi/temporalserver"
)

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]any    `yaml:"depends_on"`
		Configs     []struct {
			Source string `yaml:"source"`
			Target string `yaml:"target"`
		} `yaml:"configs"`
		Deploy struct {
			Replicas int `yaml:"replicas"`
		} `yaml:"deploy"`
	} `yaml:"services"`
	Configs map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
}

// The compose file starts Temporal with its UI, PostgreSQL, Elasticsearch,
// one minyi API and two workers, wired to each other by the config it
// mounts; Docker cannot run here, so this is what can be checked.
func TestComposeFile(t *testing.T) {
	raw, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"postgresql", "elasticsearch", "temporal", "temporal-ui", "temporal-search-attributes",
		"demo-site", "minyi-api", "minyi-worker"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("compose.yaml has no service %s", name)
		}
	}
	if e := c.Services["temporal"].Environment; e["DB"] != "postgres12" || e["POSTGRES_SEEDS"] != "postgresql" {
		t.Errorf("temporal is not on the postgresql service: %v", e)
	}
	if e := c.Services["temporal-ui"].Environment; e["TEMPORAL_ADDRESS"] != "temporal:7233" {
		t.Errorf("temporal-ui: %v", e)
	}
	if e := c.Services["elasticsearch"].Environment; e["discovery.type"] != "single-node" {
		t.Errorf("elasticsearch: %v", e)
	}
	// Every search attribute minyi sets is registered, with its type.
	sa := strings.Join(c.Services["temporal-search-attributes"].Command, " ")
	for name, typ := range temporalserver.SearchAttributes {
		want := "--name " + name + " --type " + typ.String()
		if !strings.Contains(sa, want) {
			t.Errorf("temporal-search-attributes runs %q; want it to contain %q", sa, want)
		}
	}
	for svc, want := range map[string]int{"minyi-api": 0, "minyi-worker": 2} {
		s := c.Services[svc]
		role := strings.TrimPrefix(svc, "minyi-")
		if !slices.Equal(s.Command[len(s.Command)-2:], []string{"--role", role}) {
			t.Errorf("%s runs %v", svc, s.Command)
		}
		if s.Deploy.Replicas != want {
			t.Errorf("%s: %d replicas, want %d", svc, s.Deploy.Replicas, want)
		}
		if len(s.Configs) != 1 || s.Configs[0].Target != "/etc/minyi/city.yaml" || !slices.Contains(s.Command, s.Configs[0].Target) {
			t.Errorf("%s does not read the mounted config: %+v, %v", svc, s.Configs, s.Command)
		}
		for _, dep := range []string{"postgresql", "elasticsearch", "temporal-search-attributes"} {
			if _, ok := s.DependsOn[dep]; !ok {
				t.Errorf("%s does not wait for %s", svc, dep)
			}
		}
	}
	var city struct {
		DemoSite string `yaml:"demo_site"`
		Temporal struct {
			Address string `yaml:"address"`
		} `yaml:"temporal"`
		Store struct {
			Driver, DSN string
		} `yaml:"store"`
		Search struct {
			Backend, URL string
		} `yaml:"search"`
	}
	if err := yaml.Unmarshal([]byte(c.Configs["city"].Content), &city); err != nil {
		t.Fatalf("the city config in compose.yaml: %v", err)
	}
	if city.Temporal.Address != "temporal:7233" || city.Store.Driver != "postgres" || !strings.Contains(city.Store.DSN, "@postgresql:5432/") ||
		city.Search.Backend != "elasticsearch" || city.Search.URL != "http://elasticsearch:9200" || city.DemoSite != "http://demo-site:8081" {
		t.Errorf("the city config does not point at the compose services: %+v", city)
	}
}
