package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"minyi"
	"minyi/api/core"
	"minyi/calendar"
	"minyi/importer"
	"minyi/routing"
)

// runImport loads past cases from a CSV or XLSX file as historical cases, so
// a city's statistics start with its baseline. No workflow runs and no
// notification is sent for history. The server must be stopped (SQLite).
func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	config := fs.String("config", "", "YAML config file (departments, routing, deadlines, store)")
	data := fs.String("data", "", "data directory (default ./data)")
	source := fs.String("source", "", "source name for the imported messages (default: import-<file name>)")
	mapping := fs.String("map", "", `column mapping, e.g. "title=标题,body=内容,received=来信时间,reply_unit=答复单位,reply_time=答复时间,type=类型"; default: common Chinese headers`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: minyi import [--config city.yaml] [--map ...] cases.xlsx|cases.csv")
	}
	path := fs.Arg(0)
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "csv" && format != "xlsx" {
		return fmt.Errorf("%s: only .csv and .xlsx files can be imported", path)
	}
	m := importer.DefaultMapping()
	if *mapping != "" {
		var err error
		if m, err = importer.ParseMapping(*mapping); err != nil {
			return err
		}
	}
	if *source == "" {
		*source = importer.SourceName(path)
	}
	cfg, err := commonFlags{config: *config, data: *data}.load()
	if err != nil {
		return err
	}
	deps, closeStore, err := importDeps(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	rep, err := importer.Import(ctx, deps, *source, f, format, m)
	if err != nil {
		// Only the error: a summary here would read like success.
		return err
	}
	fmt.Fprintf(stdout, "%s: %d rows, %d imported, %d already there, %d failed, %d answered (%d on time), %d without department, in %s\n",
		path, rep.Rows, rep.Imported, rep.Duplicates, rep.Failed, rep.Answered, rep.OnTime, rep.Unassigned,
		time.Since(start).Round(time.Millisecond))
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, "  ", e.String())
	}
	if rep.Failed > len(rep.Errors) {
		fmt.Fprintf(stdout, "   … and %d more rows with errors\n", rep.Failed-len(rep.Errors))
	}
	return nil
}

// importDeps wires the importer to the configured store, deadline policy,
// calendar and router: the same rules live cases follow.
func importDeps(ctx context.Context, cfg Config) (importer.Deps, func(), error) {
	cal, err := calendar.New(cfg.Holidays)
	if err != nil {
		return importer.Deps{}, nil, fmt.Errorf("config: holidays: %w", err)
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		return importer.Deps{}, nil, fmt.Errorf("opening store: %w", err)
	}
	// The routing in force, as the server routes: the admin's stored
	// version when there is one, else the config's.
	rc, err := loadRouting(ctx, cfg, store, slog.New(slog.DiscardHandler))
	if err != nil {
		store.Close()
		return importer.Deps{}, nil, err
	}
	router, err := routing.New(core.WithGenerated(rc, cfg.alertRules))
	if err != nil {
		store.Close()
		return importer.Deps{}, nil, fmt.Errorf("routing: %w", err)
	}
	return newImportDeps(cfg, store, router, cal), func() { store.Close() }, nil
}

// newImportDeps is the importer over an open store, for the command and
// for the server's import page alike.
func newImportDeps(cfg Config, store minyi.Store, router *routing.Router, cal *calendar.Calendar) importer.Deps {
	return importer.Deps{
		Store: store,
		Plan: func(source string, t minyi.MessageType, received time.Time) time.Time {
			return cfg.Deadlines.Plan(cal, source, t, received).Due
		},
		Route: func(d minyi.Document, t minyi.MessageType, region string) (minyi.Routing, bool) {
			return router.Route(routing.Input{Title: d.Title, Body: d.Body, Category: d.Board, Source: d.Source,
				Kind: d.Kind, Type: t, Region: region})
		},
		DepartmentByName: func(name string) (string, bool) {
			d, ok := router.Directory().ByName(name)
			return d.ID, ok
		},
		InferType: routing.InferType,
		ParseType: routing.ParseType,
		Now:       time.Now,
	}
}
