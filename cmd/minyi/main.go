// Command minyi is the one binary: `serve` runs the whole system, the other
// commands are tools around it. This is the only package that picks backends.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	_ "time/tzdata" // schedules run in Asia/Shanghai on machines without tzdata

	"minyi"
)

const usage = `minyi — public-opinion and petition tracker

usage:
  minyi serve     [--config city.yaml] [--data ./data] [--listen :8080] [--role all|api|worker]
  minyi demo-site [--listen 127.0.0.1:8081]
  minyi temporal-server [--postgres URL] [--db temporal] [--port 7233]   # Temporal alone on PostgreSQL (dev, tests)
  minyi reindex   [--config city.yaml] [--data ./data]
  minyi backup    [--config city.yaml] [--data ./data] DIR   # while running: store and Temporal snapshots
  minyi restore   [--config city.yaml] [--data ./data] DIR   # into an empty data dir; rebuilds the index
  minyi status    [--api http://127.0.0.1:8080] [-token T]
  minyi user      add|passwd|disable|list [--config city.yaml] -login name ...   # accounts of the web interface
  minyi import    [--config city.yaml] [--map title=标题,...] [--source name] cases.xlsx|cases.csv
  minyi report    [--config city.yaml] --kind daily|weekly|monthly|special [--from DATE --to DATE] [--query Q] [-o DIR] [--draft edited.json]
  minyi train-sentiment  data.csv [more.tsv ...] [-o sentiment.model]   # label,review CSV or TSV
  minyi train-categories messages.csv -taxonomy gov-category-taxonomy.csv [-o categories.model]
  minyi analyze   [FILE] [-csv -column NAME] [-sentiment-model FILE|lexicon] [-category-model FILE]   # one JSON line per text
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = runServe(ctx, args)
	case "demo-site":
		err = runDemoSite(ctx, args)
	case "temporal-server":
		err = runTemporalServer(ctx, args)
	case "reindex":
		err = runReindex(ctx, args)
	case "backup":
		err = runBackup(ctx, args, os.Stdout)
	case "restore":
		err = runRestore(ctx, args, os.Stdout)
	case "import":
		err = runImport(ctx, args, os.Stdout)
	case "report":
		err = runReport(ctx, args, os.Stdout)
	case "train-sentiment":
		err = runTrainSentiment(args, os.Stdout, os.Stderr)
	case "train-categories":
		err = runTrainCategories(args, os.Stdout, os.Stderr)
	case "analyze":
		err = runAnalyze(ctx, args, os.Stdin, os.Stdout)
	case "status":
		err = runStatus(ctx, args, os.Stdout)
	case "user":
		err = runUser(ctx, args, os.Stdin, os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		err = fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "minyi:", userMessage(err))
		os.Exit(1)
	}
}

// userMessage is err as a person should read it: a *minyi.Error anywhere in
// the chain reads as its message, with the context wrapped around it kept,
// not as "minyi error: code=invalid message=...".
func userMessage(err error) string {
	var me *minyi.Error
	if !errors.As(err, &me) {
		return err.Error()
	}
	return strings.Replace(err.Error(), me.Error(), minyi.ErrorMessage(me), 1)
}

// commonFlags are shared by the commands that open the data directory.
type commonFlags struct {
	config, data, listen, logLevel string
}

// parseCommon parses the shared flags and those that more adds.
func parseCommon(name string, args []string, more ...func(*flag.FlagSet)) (commonFlags, error) {
	var f commonFlags
	fs := f.flagSet(name)
	fs.StringVar(&f.listen, "listen", "", "API listen address (overrides listen; default :8080)")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	for _, m := range more {
		m(fs)
	}
	return f, fs.Parse(args)
}

// flagSet has the flags that say where the config and the data are, which
// every command that opens the data directory takes.
func (f *commonFlags) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&f.config, "config", "", "YAML config file; without one minyi crawls its bundled demo site")
	fs.StringVar(&f.data, "data", "", "data directory (overrides data_dir in the config; default ./data)")
	return fs
}

// load reads the config, applies the flags over it, then derives defaults,
// so that --data also moves the database and index files.
func (f commonFlags) load() (Config, error) {
	cfg, err := readConfig(f.config)
	if err != nil {
		return cfg, err
	}
	if f.data != "" {
		cfg.DataDir = f.data
	}
	if f.listen != "" {
		cfg.Listen = f.listen
	}
	if cfg, err = fillDefaults(cfg); err != nil {
		return cfg, err
	}
	// Every command that opens the data directory creates it when missing.
	dirs := []string{cfg.DataDir}
	if cfg.Store.Driver == "sqlite" && !strings.ContainsAny(cfg.Store.DSN, ":?") { // a plain path, not a URI
		dirs = append(dirs, filepath.Dir(cfg.Store.DSN))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return cfg, fmt.Errorf("creating data directory: %w", err)
		}
	}
	return cfg, nil
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

func runServe(ctx context.Context, args []string) error {
	var roleFlag string
	f, err := parseCommon("serve", args, func(fs *flag.FlagSet) {
		fs.StringVar(&roleFlag, "role", "all", "all (one process), api (HTTP and pages) or worker (Temporal worker)")
	})
	if err != nil {
		return err
	}
	r, err := parseRole(roleFlag)
	if err != nil {
		return err
	}
	cfg, err := f.load()
	if err != nil {
		return err
	}
	cfg.role = r
	logger := newLogger(f.logLevel)
	slog.SetDefault(logger)
	a, err := startApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	logger.Info("minyi is running; Ctrl-C stops it", "role", r, "http", a.apiURL, "data", cfg.DataDir)
	<-ctx.Done()
	logger.Info("shutting down")
	return nil
}
