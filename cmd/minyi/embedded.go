//go:build !noembed

package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	"minyi/temporalserver"
)

// embeddedServer is the Temporal server `minyi serve` runs in-process when
// no temporal.address is configured (the embedded default of make run).
type embeddedServer = temporalserver.Server

func startEmbeddedTemporal(databaseFile string, port int, logLevel string) (*embeddedServer, error) {
	return temporalserver.Start(temporalserver.Options{DatabaseFile: databaseFile, Port: port, LogLevel: logLevel})
}

// runTemporalServer is `minyi temporal-server`: Temporal's released server
// code as a process of its own on PostgreSQL, for development and the scale
// tests. It is never part of `minyi serve`; a deployment runs Temporal's
// image or Helm chart instead (deploy/README.md).
func runTemporalServer(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("temporal-server", flag.ContinueOnError)
	pg := fs.String("postgres", "postgres://postgres@127.0.0.1:5432/", "PostgreSQL server URL (its database part is ignored)")
	db := fs.String("db", "temporal", "history database; the visibility one is <db>_visibility")
	port := fs.Int("port", 7233, "frontend gRPC port on 127.0.0.1 (the services use the next three, membership port-300..)")
	shards := fs.Int("shards", 4, "history shards: fixed when the database is created")
	logLevel := fs.String("log-level", "warn", "the server's own logs: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*pg)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--postgres %q is not a postgres://user:password@host:port/ URL", *pg)
	}
	password, _ := u.User.Password()
	start := time.Now()
	srv, err := temporalserver.StartPostgres(ctx, temporalserver.PostgresOptions{
		Addr: u.Host, User: u.User.Username(), Password: password,
		Database: *db, VisibilityDatabase: *db + "_visibility",
		Port: *port, Shards: int32(*shards), LogLevel: *logLevel,
	})
	if err != nil {
		return err
	}
	defer srv.Stop()
	// One line on stdout when the namespace and search attributes are in
	// place: scripts and tests wait for it.
	fmt.Fprintf(os.Stdout, "temporal server ready on %s (namespace %s, %s shards, PostgreSQL %s/%s) after %v\n",
		srv.HostPort, temporalserver.Namespace, strconv.Itoa(*shards), u.Host, *db, time.Since(start).Round(time.Millisecond))
	<-ctx.Done()
	return nil
}
