package minyi_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The dependency rules of DESIGN.md, checked over the real import graph so
// that a package breaking them fails the build's tests, not a review.
func TestDependencyRules(t *testing.T) {
	pkgs := listPackages(t)
	concrete := []string{"minyi/store/sqlite", "minyi/store/postgres", "minyi/search/bleve",
		"minyi/search/elastic", "minyi/crawler", "minyi/temporalserver", "minyi/demosite"}

	for pkg, info := range pkgs {
		imports := info.deps
		switch {
		case pkg == "minyi":
			for _, d := range imports {
				if !isStd(d) {
					t.Errorf("root package imports %s; it may import the standard library only", d)
				}
			}
		case isBackend(pkg):
			for _, d := range imports {
				if isBackend(d) && !strings.HasPrefix(d, pkg) {
					t.Errorf("backend %s imports backend %s; backends never import each other", pkg, d)
				}
				if strings.HasPrefix(d, "minyi/") && !isBackend(d) && !strings.HasPrefix(d, "minyi/analysis") && !sharedByFamily(pkg, d) && d != "minyi/internal/safely" {
					t.Errorf("backend %s imports %s; backends import the root package (text analysis, panic-safe goroutines) only", pkg, d)
				}
			}
		}
		if strings.HasPrefix(pkg, "minyi/workflows") || strings.HasPrefix(pkg, "minyi/activities") {
			for _, d := range imports {
				for _, banned := range []string{"minyi/crawler", "minyi/search", "minyi/store", "github.com/gocolly", "github.com/blevesearch", "github.com/elastic", "modernc.org/sqlite", "github.com/jackc"} {
					if strings.HasPrefix(d, banned) {
						t.Errorf("%s depends on %s; workflows and activities see backends through root interfaces only", pkg, d)
					}
				}
			}
		}
		if strings.HasPrefix(pkg, "minyi/workflows") {
			for _, d := range info.imports {
				if d == "minyi/notify" || strings.HasPrefix(d, "minyi/api") || strings.HasPrefix(d, "minyi/internal/crashpoint") {
					t.Errorf("%s imports %s; workflows orchestrate, and delivery, HTTP and crash points live in activities", pkg, d)
				}
			}
		}
		if pkg == "minyi/crawler" || strings.HasPrefix(pkg, "minyi/crawler/") {
			for _, d := range imports {
				if strings.HasPrefix(d, "go.temporal.io") || strings.HasPrefix(d, "minyi/search") || strings.HasPrefix(d, "github.com/blevesearch") {
					t.Errorf("crawler depends on %s; it knows nothing of Temporal or search", d)
				}
			}
		}
		if pkg == "minyi/report" {
			// Reports are made the same from a web page, a schedule or the
			// command line: data through root interfaces, no HTTP.
			for _, d := range imports {
				for _, banned := range []string{"net/http", "github.com/labstack", "minyi/api", "minyi/store", "minyi/search", "minyi/workflows"} {
					if d == banned || strings.HasPrefix(d, banned+"/") {
						t.Errorf("report depends on %s; it reads the store and index through root interfaces and serves nothing", d)
					}
				}
			}
		}
		checkHTTPAudiences(t, pkg, info, pkgs)
		if !strings.HasPrefix(pkg, "minyi/cmd/") && pkg != apiTest {
			for _, d := range info.imports {
				for _, c := range concrete {
					if d == c && !strings.HasPrefix(pkg, c) {
						t.Errorf("%s imports %s; only cmd/ wires concrete implementations", pkg, d)
					}
				}
			}
		}
	}
}

// apiTest is the HTTP layer's test fixture (a real SQLite store and bleve
// index behind the server): tests import it, no package does.
const apiTest = "minyi/api/apitest"

// checkHTTPAudiences keeps the audiences of api/ apart (issue 20): the JSON
// API never renders a template and knows no page; the staff pages know no
// JSON handler; the public portal (api/portal, anonymous and on the
// internet) reaches none of the staff's code, not even its sessions,
// tokens and authorization (api/core), so that a change to a staff page
// cannot weaken it.
func checkHTTPAudiences(t *testing.T, pkg string, info pkgInfo, pkgs map[string]pkgInfo) {
	t.Helper()
	banned := map[string][]string{
		"rest":   {"web", "portal"},
		"web":    {"rest", "portal"},
		"core":   {"rest", "web", "portal"},
		"portal": {"core", "rest", "web"},
	}
	for audience, others := range banned {
		if !inAPI(pkg, audience) {
			continue
		}
		for _, d := range info.deps {
			for _, o := range others {
				if inAPI(d, o) {
					t.Errorf("%s depends on %s; api/%s never reaches api/%s", pkg, d, audience, o)
				}
			}
		}
	}
	if inAPI(pkg, "rest") {
		// Neither the JSON API nor a package of api/ it stands on renders a
		// template (echo and Temporal import html/template for themselves).
		for _, p := range append([]string{pkg}, info.deps...) {
			if p != pkg && !strings.HasPrefix(p, "minyi/api/") {
				continue
			}
			for _, d := range pkgs[p].imports {
				if d == "html/template" || d == "text/template" {
					t.Errorf("%s imports %s, and the JSON API depends on it; the JSON API renders no template", p, d)
				}
			}
		}
	}
	if inAPI(pkg, "portal") {
		// The portal gets what it may do as the few services cmd/minyi
		// hands it (api/portal.Portal), never a backend, Temporal or the
		// workflows themselves.
		allowed := []string{"minyi", "minyi/api/httpx", "minyi/api/labels", "minyi/internal/safely"}
		for _, d := range info.imports {
			if (d == "minyi" || strings.HasPrefix(d, "minyi/")) && !slices.Contains(allowed, d) {
				t.Errorf("%s imports %s; the portal stands on the root package, httpx and labels only", pkg, d)
			}
			if strings.HasPrefix(d, "go.temporal.io/") {
				t.Errorf("%s imports %s; the portal reaches Temporal only through its services", pkg, d)
			}
		}
	}
	for _, d := range info.imports {
		if d == "go.temporal.io/sdk/client" && strings.HasPrefix(pkg, "minyi/api") && !inAPI(pkg, "workflowclient") {
			t.Errorf("%s imports %s; under api/ only api/workflowclient talks to Temporal", pkg, d)
		}
		if d == apiTest {
			t.Errorf("%s imports %s, a test fixture", pkg, d)
		}
	}
}

// inAPI tells whether pkg is api/<name> or below it.
func inAPI(pkg, name string) bool {
	p := "minyi/api/" + name
	return pkg == p || strings.HasPrefix(pkg, p+"/")
}

// isBackend tells a store or search implementation from the shared test
// suites and the internal rules every backend of a family shares.
func isBackend(pkg string) bool {
	for _, p := range []string{"minyi/store/", "minyi/search/"} {
		if strings.HasPrefix(pkg, p) && !strings.HasSuffix(pkg, "test") && !strings.HasPrefix(pkg, p+"internal/") {
			return true
		}
	}
	return false
}

// sharedByFamily is the internal package backends of one family may share.
func sharedByFamily(backend, dep string) bool {
	for _, p := range []string{"minyi/store/", "minyi/search/"} {
		if strings.HasPrefix(backend, p) && strings.HasPrefix(dep, p+"internal/") {
			return true
		}
	}
	return false
}

func isStd(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".") && first != "minyi"
}

type pkgInfo struct {
	deps    []string // transitive
	imports []string // direct
}

// listPackages lists every package of the module, tests excluded, with what
// it imports directly and depends on transitively.
func listPackages(t *testing.T) map[string]pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-e", "-f",
		"{{.ImportPath}}\t{{join .Deps \" \"}}\t{{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkgInfo{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			continue
		}
		pkgs[parts[0]] = pkgInfo{deps: strings.Fields(parts[1]), imports: strings.Fields(parts[2])}
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages: %q", len(pkgs), out)
	}
	return pkgs
}

// The scale-mode binary (-tags noembed) leaves the embedded Temporal
// server out, and with it the cloud SDKs that make most of the default
// binary's size.
func TestNoEmbedBuildLinksNoTemporalServer(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "noembed", "-deps", "./cmd/minyi").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"go.temporal.io/server", "minyi/temporalserver", "k8s.io/", "github.com/aws/", "cloud.google.com/"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("the noembed build links %s", dep)
			}
		}
	}
}
