package main

import (
	"fmt"
)

// role is the part of minyi one `serve` process runs (--role). Any number
// of api and worker processes share one Temporal namespace, store and index;
// all is the single process of the embedded default.
type role string

const (
	roleAll    role = "all"    // everything, the embedded Temporal server included when no address is set
	roleAPI    role = "api"    // HTTP and pages; a Temporal client
	roleWorker role = "worker" // the Temporal worker and its activities; HTTP for probes and metrics only
)

func parseRole(s string) (role, error) {
	switch r := role(s); r {
	case roleAll, roleAPI, roleWorker:
		return r, nil
	case "":
		return roleAll, nil
	}
	return "", fmt.Errorf("--role %q is none of all, api, worker", s)
}

// A bleve index is a directory that one process opens and locks, so with
// bleve only the processes that serve pages (api, all) hold it, and they
// alone poll the index queue; workers never open it. Elasticsearch is a
// service every process reaches, so every worker serves both queues.
func (r role) opensIndex(backend string) bool {
	return r != roleWorker || backend != "bleve"
}

// queues says which task queues the process polls: the main one (every
// workflow, the activities that need no index) and the index one.
func (r role) queues(backend string) (main, index bool) {
	switch r {
	case roleAPI:
		return false, backend == "bleve"
	case roleWorker:
		return true, backend != "bleve"
	}
	return true, true
}

// servesPages is whether the process runs the API and web pages; a worker
// serves /healthz, /readyz and /metrics alone.
func (r role) servesPages() bool { return r != roleWorker }

// checkRole refuses the combinations that cannot work, with the reason.
func checkRole(r role, cfg Config) error {
	if r == roleAll {
		return nil
	}
	switch {
	case cfg.Temporal.Address == "":
		return fmt.Errorf("--role %s needs temporal.address: the embedded Temporal server runs only with --role all", r)
	case cfg.Store.Driver != "postgres":
		return fmt.Errorf("--role %s needs store.driver postgres: a SQLite file belongs to one process", r)
	case cfg.Demo && cfg.DemoSite == "":
		return fmt.Errorf("--role %s with demo needs demo_site (a `minyi demo-site` URL): every process must crawl the same site", r)
	}
	return nil
}
