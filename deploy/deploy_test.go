// Package deploy holds the deployment files; its tests check them offline:
// the Helm chart with helm itself (built from its Go module), the compose
// file by parsing it.
package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// helm is the released helm, compiled from its module through the Go module
// proxy (the first run builds it, later ones come from the Go cache).
func helm(t *testing.T, args ...string) (string, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds helm from its Go module; skipped with -short")
	}
	cmd := exec.Command("go", append([]string{"run", "helm.sh/helm/v3/cmd/helm@v3.22.0"}, args...)...)
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		err = errors.New(errOut.String())
	}
	return out.String(), err
}

type manifest struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec map[string]any `yaml:"spec"`
}

func render(t *testing.T, set ...string) map[string]yaml.Node {
	t.Helper()
	args := []string{"template", "city", "helm/minyi"}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	out, err := helm(t, args...)
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	docs := map[string]yaml.Node{}
	dec := yaml.NewDecoder(strings.NewReader(out))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			return docs
		} else if err != nil {
			t.Fatalf("helm template output: %v\n%s", err, out)
		}
		var m manifest
		if err := n.Decode(&m); err != nil || m.Kind == "" {
			continue
		}
		docs[m.Kind+"/"+m.Metadata.Name] = n
	}
}

func TestHelmChart(t *testing.T) {
	if out, err := helm(t, "lint", "--strict", "helm/minyi"); err != nil {
		t.Fatalf("helm lint: %v\n%s", err, out)
	}
	docs := render(t, "ingress.enabled=true")
	for _, want := range []string{"Deployment/city-minyi-api", "Deployment/city-minyi-worker", "Service/city-minyi",
		"Ingress/city-minyi", "HorizontalPodAutoscaler/city-minyi-worker", "Secret/city-minyi-config"} {
		if _, ok := docs[want]; !ok {
			t.Errorf("helm template has no %s; has %v", want, keys(docs))
		}
	}
	for _, role := range []string{"api", "worker"} {
		n := docs["Deployment/city-minyi-"+role]
		var d struct {
			Spec struct {
				Template struct {
					Metadata struct {
						Annotations map[string]string `yaml:"annotations"`
					} `yaml:"metadata"`
					Spec struct {
						Containers []struct {
							Args           []string `yaml:"args"`
							LivenessProbe  probe    `yaml:"livenessProbe"`
							ReadinessProbe probe    `yaml:"readinessProbe"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		if err := n.Decode(&d); err != nil || len(d.Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s deployment: %v", role, err)
		}
		c := d.Spec.Template.Spec.Containers[0]
		if !slices.Equal(c.Args[len(c.Args)-2:], []string{"--role", role}) {
			t.Errorf("%s deployment runs %v", role, c.Args)
		}
		if c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
			t.Errorf("%s probes: liveness %+v, readiness %+v", role, c.LivenessProbe, c.ReadinessProbe)
		}
		if a := d.Spec.Template.Metadata.Annotations; a["prometheus.io/scrape"] != "true" || a["prometheus.io/path"] != "/metrics" || a["prometheus.io/port"] != "9464" {
			t.Errorf("%s pods lack the Prometheus scrape annotations: %v", role, a)
		}
	}
	// bleve is one process's directory: two API replicas on it are refused.
	if _, err := helm(t, "template", "city", "helm/minyi", "--set", "config.search.backend=bleve"); err == nil ||
		!strings.Contains(err.Error(), "api.replicas") {
		t.Errorf("bleve with 2 API replicas rendered (err %v)", err)
	}
	if docs := render(t, "config.search.backend=bleve", "api.replicas=1", "api.persistence.enabled=true"); len(docs) == 0 {
		t.Error("bleve with one API replica and a volume did not render")
	} else if _, ok := docs["PersistentVolumeClaim/city-minyi-data"]; !ok {
		t.Errorf("bleve with persistence has no volume claim: %v", keys(docs))
	}
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
	} `yaml:"httpGet"`
}

func keys(m map[string]yaml.Node) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
