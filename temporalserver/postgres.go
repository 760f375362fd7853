package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
	"google.golang.org/protobuf/types/known/durationpb"
)

// PostgresOptions configure a Temporal server on PostgreSQL.
type PostgresOptions struct {
	Addr     string // host:port of PostgreSQL
	User     string
	Password string
	// Database and VisibilityDatabase are created when missing; Temporal
	// keeps its history and its visibility records apart, as a cluster does.
	Database, VisibilityDatabase string
	// Port is the frontend gRPC port on 127.0.0.1; the other services take
	// the next three, membership port-300.. (Temporal's layout).
	Port int
	// Shards is the number of history shards, fixed when the database is
	// created: a cluster sizes it for its peak load (deploy/README.md).
	Shards   int32
	LogLevel string
	// Retention of closed workflows' histories; default 7 days.
	Retention time.Duration
}

// StartPostgres sets up both databases with Temporal's own SQL schema tool
// (what `temporal-sql-tool create-database`, `setup-schema -v 0.0` and
// `update-schema` do), starts every service, and registers the namespace
// and minyi's search attributes through the frontend, as an operator does
// on a cluster. Each step is idempotent, so a restart runs them again.
func StartPostgres(ctx context.Context, opts PostgresOptions) (*Server, error) {
	if opts.Shards == 0 {
		opts.Shards = 4
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "warn"
	}
	if opts.Retention == 0 {
		opts.Retention = 7 * 24 * time.Hour
	}
	stores := make([]config.DataStore, 2)
	for i, db := range []struct{ name, schema string }{
		{opts.Database, "postgresql/v12/temporal"},
		{opts.VisibilityDatabase, "postgresql/v12/visibility"},
	} {
		sql := &config.SQL{PluginName: postgresql.PluginName, ConnectProtocol: "tcp", ConnectAddr: opts.Addr,
			User: opts.User, Password: opts.Password, DatabaseName: db.name,
			MaxConns: 20, MaxIdleConns: 20, MaxConnLifetime: time.Hour}
		if err := setupSchema(sql, db.schema, opts.LogLevel); err != nil {
			return nil, fmt.Errorf("temporal database %s: %w", db.name, err)
		}
		stores[i] = config.DataStore{SQL: sql}
	}
	conf, err := serverConfig(opts.Port, true, stores[0], opts.Shards, stores[1])
	if err != nil {
		return nil, err
	}
	srv, err := startServices(conf, tlog.Config{Level: opts.LogLevel, Format: "json"})
	if err != nil {
		return nil, err
	}
	if err := registerNamespace(ctx, srv.HostPort, opts.Retention); err != nil {
		srv.Stop()
		return nil, err
	}
	if err := registerSearchAttributes(srv.HostPort); err != nil {
		srv.Stop()
		return nil, err
	}
	return srv, nil
}

// setupSchema creates the database when missing, puts the schema version
// tables in a fresh one and applies every versioned schema update since.
func setupSchema(sql *config.SQL, schemaName, logLevel string) error {
	logger := tlog.NewZapLogger(tlog.BuildZapLogger(tlog.Config{Level: logLevel, Format: "json"}))
	create := *sql
	if err := sqltool.DoCreateDatabase(&create, "postgres", logger); err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("creating database: %w", err)
	}
	conn, err := sqltool.NewConnection(sql, logger)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ReadSchemaVersion(); err != nil { // no version table yet: a fresh database
		setup := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger)
		if err := setup.Run(); err != nil {
			return fmt.Errorf("setting up the schema version: %w", err)
		}
	}
	update := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: sql.DatabaseName, SchemaName: schemaName}, logger)
	if err := update.Run(); err != nil {
		return fmt.Errorf("updating the schema: %w", err)
	}
	return nil
}

// registerNamespace registers Namespace through the frontend unless it
// exists: what `temporal operator namespace create` does on a cluster.
func registerNamespace(ctx context.Context, hostPort string, retention time.Duration) error {
	c, err := client.NewNamespaceClient(client.Options{HostPort: hostPort, Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("connecting to temporal: %w", err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req := &workflowservice.RegisterNamespaceRequest{Namespace: Namespace,
		WorkflowExecutionRetentionPeriod: durationpb.New(retention)}
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		err := c.Register(ctx, req)
		var exists *serviceerror.NamespaceAlreadyExists
		var unavailable *serviceerror.Unavailable
		switch {
		case err == nil || errors.As(err, &exists):
			return nil
		case !errors.As(err, &unavailable):
			return fmt.Errorf("registering namespace %s: %w", Namespace, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("registering namespace %s: %w", Namespace, err)
		case <-time.After(wait):
		}
	}
}
