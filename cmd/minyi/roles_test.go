package main

import (
	"strings"
	"testing"
)

// Who polls which queue and who opens the index: with bleve exactly the
// page-serving processes hold it and poll the index queue, so a worker never
// opens it; with Elasticsearch every worker polls both queues.
func TestRoleQueues(t *testing.T) {
	for _, c := range []struct {
		role              role
		backend           string
		main, index, open bool
	}{
		{roleAll, "bleve", true, true, true},
		{roleAll, "elasticsearch", true, true, true},
		{roleAPI, "bleve", false, true, true},
		{roleAPI, "elasticsearch", false, false, true},
		{roleWorker, "bleve", true, false, false},
		{roleWorker, "elasticsearch", true, true, true},
	} {
		main, index := c.role.queues(c.backend)
		if main != c.main || index != c.index || c.role.opensIndex(c.backend) != c.open {
			t.Errorf("%s on %s: main %v, index %v, opens the index %v; want %v, %v, %v",
				c.role, c.backend, main, index, c.role.opensIndex(c.backend), c.main, c.index, c.open)
		}
	}
}

func TestCheckRole(t *testing.T) {
	scale := Config{Temporal: TemporalConfig{Address: "temporal:7233"}, Store: StoreConfig{Driver: "postgres"}}
	embedded := scale
	embedded.Temporal.Address = ""
	sqlite := scale
	sqlite.Store.Driver = "sqlite"
	demo := scale
	demo.Demo = true
	remoteDemo := demo
	remoteDemo.DemoSite = "http://demo:8081"
	for _, c := range []struct {
		role role
		cfg  Config
		want string // "" for accepted
	}{
		{roleAll, Config{}, ""},
		{roleAPI, scale, ""},
		{roleWorker, scale, ""},
		{roleWorker, remoteDemo, ""},
		{roleAPI, embedded, "temporal.address"},
		{roleWorker, sqlite, "postgres"},
		{roleWorker, demo, "demo_site"},
	} {
		err := checkRole(c.role, c.cfg)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("checkRole(%s, %+v) = %v; want %q", c.role, c.cfg, err, c.want)
		}
	}
	if _, err := parseRole("scheduler"); err == nil {
		t.Error("--role scheduler accepted")
	}
	if r, err := parseRole(""); r != roleAll || err != nil {
		t.Errorf(`parseRole("") = %q, %v`, r, err)
	}
}
