// Package temporalserver runs Temporal's released server code: inside the
// minyi process on a SQLite file, so `make run` needs no external service
// (Start), or as a process of its own on PostgreSQL, set up the way a cluster
// is (StartPostgres, `minyi temporal-server`). A deployment at scale runs
// Temporal's own image or Helm chart instead (deploy/README.md).
package temporalserver

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	tlog "go.temporal.io/server/common/log"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
)

const (
	clusterName = "minyi"
	// Namespace is the one namespace minyi uses.
	Namespace = "default"
)

// Options configure the embedded server.
type Options struct {
	// DatabaseFile is the SQLite file; "" keeps everything in memory (tests).
	DatabaseFile string
	// Port is the frontend gRPC port on 127.0.0.1; 0 picks a free one.
	Port int
	// LogLevel of the server's own (chatty) logs: debug, info, warn, error.
	LogLevel string
	// LogFile takes the server's logs instead of standard error.
	LogFile string
}

// Server is a running embedded Temporal server.
type Server struct {
	server   temporal.Server
	HostPort string
	stopping *atomic.Bool // read by the server's logger (quietStop)
}

// Start builds the schema on first use, registers the namespace and starts
// every Temporal service in this process.
func Start(opts Options) (*Server, error) {
	// A configured port fixes every service's ports too, so that a restart
	// on the same database finds its membership ring where it left it;
	// random ports leave stale members the ring waits out for a minute.
	fixed := opts.Port != 0
	if !fixed {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		opts.Port = p
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "warn"
	}
	sqlConf, err := sqlConfig(opts.DatabaseFile)
	if err != nil {
		return nil, err
	}
	conf, err := serverConfig(opts.Port, fixed, config.DataStore{SQL: sqlConf}, 1)
	if err != nil {
		return nil, err
	}
	srv, err := startServices(conf, tlog.Config{Level: opts.LogLevel, Format: "json", OutputFile: opts.LogFile})
	if err != nil {
		return nil, err
	}
	if err := registerSearchAttributes(srv.HostPort); err != nil {
		srv.Stop()
		return nil, err
	}
	return srv, nil
}

// historyCacheEntries bounds the workflows whose state the history service
// keeps in memory. The default of 128,000 holds every one of 100,000 open
// cases, about 9 KB each; a case is touched days apart, and a miss is one
// read of its row.
const historyCacheEntries = 10_000

// startServices runs every Temporal service of conf in this process.
func startServices(conf *config.Config, logConf tlog.Config) (*Server, error) {
	stopping := new(atomic.Bool)
	logger := quietStop{Logger: tlog.NewZapLogger(tlog.BuildZapLogger(logConf)), stopping: stopping}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
			dynamicconfig.FrontendEnableUpdateWorkflowExecution.Key():   true,
			dynamicconfig.HistoryCacheHostLevelMaxSize.Key():            historyCacheEntries,
			// One host: a task written to any of four partitions but the
			// one its pollers wait on is forwarded between them. Every task
			// is written to one; all four are still read, so the tasks that a
			// database of an earlier version holds in the others drain
			// (BenchmarkIngestPrefetched: ratio 0.45 with four, 0.51–0.58 with one).
			dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("building temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("starting temporal server: %w", err)
	}
	return &Server{server: srv, HostPort: conf.PublicClient.HostPort, stopping: stopping}, nil
}

// Stop shuts every service down; the SQLite file keeps the state.
func (s *Server) Stop() error {
	s.stopping.Store(true)
	return s.server.Stop()
}

func sqlConfig(file string) (*config.SQL, error) {
	conf := &config.SQL{PluginName: sqliteplugin.PluginName}
	fresh := true
	if file == "" {
		// A random name keeps two in-memory servers of one process apart.
		p, _ := freePort()
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		conf.DatabaseName = "minyi-" + strconv.Itoa(p)
	} else {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, fmt.Errorf("creating directory for temporal database: %w", err)
		}
		if _, err := os.Stat(file); err == nil {
			fresh = false
		}
		// The plugin passes every key but a few URI parameters on as a
		// pragma under its own name: "journal_mode", not "_journal_mode"
		// (an unknown pragma SQLite ignores). WAL with synchronous=normal
		// spares an fsync per commit, about 3.5x the workflow throughput.
		conf.ConnectAttributes = map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "normal", "busy_timeout": "10000"}
		conf.DatabaseName = file
	}
	if fresh {
		if err := sqliteschema.SetupSchema(conf); err != nil {
			return nil, fmt.Errorf("setting up temporal schema: %w", err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, Namespace, false, nil)
	if err != nil {
		return nil, err
	}
	if err := sqliteschema.CreateNamespaces(conf, ns); err != nil {
		return nil, fmt.Errorf("creating temporal namespace: %w", err)
	}
	return conf, nil
}

// serverConfig lays out the four services. With fixed ports they follow
// Temporal's own defaults relative to the frontend: gRPC on port+1..+3 and
// membership on port-300.. (7233 → 7234-7236, 6933-6936).
// The history and visibility stores may be one (SQLite) or two (PostgreSQL
// databases); shards is fixed for the life of the database.
func serverConfig(frontendPort int, fixed bool, store config.DataStore, shards int32, visibility ...config.DataStore) (*config.Config, error) {
	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30e9
	conf.Global.Membership.BroadcastAddress = "127.0.0.1"
	conf.Persistence.DefaultStore = "default"
	conf.Persistence.VisibilityStore = "default"
	conf.Persistence.NumHistoryShards = shards
	conf.Persistence.DataStores = map[string]config.DataStore{"default": store}
	if len(visibility) > 0 {
		conf.Persistence.VisibilityStore = "visibility"
		conf.Persistence.DataStores["visibility"] = visibility[0]
	}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
			Enabled:                true,
			InitialFailoverVersion: 1,
			RPCAddress:             fmt.Sprintf("127.0.0.1:%d", frontendPort),
			ClusterID:              "minyi-embedded",
		}},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	port := func(offset int) (int, error) {
		if fixed {
			return frontendPort + offset, nil
		}
		return freePort()
	}
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		var svc config.Service
		var err error
		if name == "frontend" {
			svc.RPC.GRPCPort = frontendPort
			svc.RPC.BindOnIP = "127.0.0.1"
		} else {
			svc.RPC.BindOnLocalHost = true
			if svc.RPC.GRPCPort, err = port(i); err != nil {
				return nil, err
			}
		}
		if svc.RPC.MembershipPort, err = port(i - 300); err != nil {
			return nil, err
		}
		conf.Services[name] = svc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = fmt.Sprintf("127.0.0.1:%d", frontendPort)
	return &conf, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
