package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"minyi"
	"minyi/activities"
	"minyi/analysis"
	"minyi/analysis/category"
	"minyi/analysis/pipeline"
	"minyi/api"
	"minyi/api/core"
	"minyi/api/portal"
	"minyi/api/workflowclient"
	"minyi/calendar"
	"minyi/crawler"
	"minyi/demosite"
	"minyi/internal/freshness"
	"minyi/routing"
	"minyi/workflows"
)

// app is a running `minyi serve`: every part of its role (roles.go).
type app struct {
	cfg        Config
	role       role
	logger     *slog.Logger
	store      minyi.Store
	index      minyi.Index // nil in a worker with bleve: the API process holds it
	temporal   *embeddedServer
	client     client.Client
	sources    []minyi.Source
	router     *routing.Router
	routing    routing.Config // the admin-editable routing in force at start
	analyzer   *pipeline.Analyzer
	demo       *demosite.Site
	demoURL    string
	apiURL     string
	metricsURL string
	api        *api.Server // the API process's server, for tests that walk its routes
	portal     *portal.Portal
	portalURL  string
	// freshness is measured where documents are indexed and shown on the
	// sources page: with --role all both are this process; an API process
	// alone shows the sources' freshness as not measured.
	freshness *freshness.Tracker
	stop      []func()
}

// startApp brings the parts up in dependency order; on error everything
// already started is stopped again.
func startApp(ctx context.Context, cfg Config, logger *slog.Logger) (_ *app, err error) {
	a := &app{cfg: cfg, role: cfg.role, logger: logger, sources: cfg.Sources, freshness: &freshness.Tracker{}}
	if a.role == "" {
		a.role = roleAll
	}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	if err := checkRole(a.role, cfg); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data dir: %w", err)
	}
	if cfg.Demo {
		if err := a.startDemoSite(ctx); err != nil {
			return nil, err
		}
	}
	if a.store, err = openStore(ctx, cfg.Store); err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	a.stop = append(a.stop, func() { a.store.Close() })
	if a.role.opensIndex(cfg.Search.Backend) {
		if a.index, err = openIndex(ctx, cfg.Search); err != nil {
			return nil, fmt.Errorf("opening search index: %w", err)
		}
		a.stop = append(a.stop, func() { a.index.Close() })
	}
	if a.routing, err = loadRouting(ctx, cfg, a.store, logger); err != nil {
		return nil, err
	}
	if a.router, err = routing.New(core.WithGenerated(a.routing, cfg.alertRules)); err != nil {
		return nil, fmt.Errorf("routing: %w", err)
	}
	if err := seedRouting(ctx, a.store, a.routing); err != nil {
		return nil, err
	}
	if err := setupAccounts(ctx, cfg, a.store, a.router.Directory().Departments(), logger); err != nil {
		return nil, err
	}
	// The segmenter's dictionary takes a second or two to load: at start,
	// not in the first ingest.
	analysis.Preload()
	if err := a.startAnalyzer(ctx); err != nil {
		return nil, err
	}
	if err := a.startTemporal(); err != nil {
		return nil, err
	}
	if err := a.startWorkers(); err != nil {
		return nil, err
	}
	if err := whileUnavailable(ctx, logger, "crawl schedules", func() error {
		return syncSchedules(ctx, a.client, a.sources, logger)
	}); err != nil {
		return nil, err
	}
	if err := whileUnavailable(ctx, logger, "list polling", func() error {
		return syncPollers(ctx, a.client, a.sources, logger)
	}); err != nil {
		return nil, fmt.Errorf("list polling: %w", err)
	}
	if err := whileUnavailable(ctx, logger, "audit schedule", func() error {
		return ensureAuditSchedule(ctx, a.client, cfg.Audit)
	}); err != nil {
		return nil, fmt.Errorf("audit schedule: %w", err)
	}
	if err := whileUnavailable(ctx, logger, "alert schedule", func() error {
		return ensureAlertSchedule(ctx, a.client, cfg.Alerts)
	}); err != nil {
		return nil, fmt.Errorf("alert schedule: %w", err)
	}
	if err := whileUnavailable(ctx, logger, "report schedules", func() error {
		return ensureReportSchedules(ctx, a.client, cfg.Reports, logger)
	}); err != nil {
		return nil, fmt.Errorf("report schedules: %w", err)
	}
	if err := whileUnavailable(ctx, logger, "outbox reconcile schedule", func() error {
		return ensureReconcileSchedule(ctx, a.client, workflows.DefaultReconcile)
	}); err != nil {
		return nil, fmt.Errorf("reconcile schedule: %w", err)
	}
	if st, ok := a.store.(labelStore); ok && a.analyzer != nil {
		if err := whileUnavailable(ctx, logger, "re-analysis", func() error {
			return ensureLabels(ctx, a.client, st, a.analyzer.Version(), logger)
		}); err != nil {
			return nil, fmt.Errorf("re-analysis: %w", err)
		}
	}
	if a.role.servesPages() {
		err = a.startAPI()
	} else {
		err = a.startProbes()
	}
	if err != nil {
		return nil, err
	}
	a.startMetrics()
	return a, nil
}

// startAnalyzer loads the models of the analysis step, which only the main
// task queue's activities run.
func (a *app) startAnalyzer(ctx context.Context) (err error) {
	if main, _ := a.role.queues(a.cfg.Search.Backend); !main {
		return nil
	}
	if st, ok := a.store.(minyi.SettingsStore); ok {
		m, _, err := category.ReadInForce(ctx, st)
		if err != nil {
			return err
		}
		if m != nil {
			// Put in force on the import page: it wins over the config file.
			a.cfg.Analysis.CategoryModel = m.File
			a.logger.Info("category model put in force on the import page", "file", m.File, "source", m.Source,
				"accuracy", m.Validation.Accuracy, "macro_f1", m.Validation.MacroF1)
		}
	}
	if a.cfg.Demo && a.cfg.Analysis.CategoryModel == "" {
		// No model ships: the demo city trains its own from its history
		// once, so 分类分布 and category rules work on a fresh make run.
		if a.cfg.Analysis.CategoryModel, err = demoCategoryModel(a.cfg.DataDir); err != nil {
			return err
		}
		a.logger.Info("demo category model", "file", a.cfg.Analysis.CategoryModel)
	}
	if a.analyzer, err = pipeline.New(ctx, a.store, pipeline.Options{
		SentimentModel: a.cfg.Analysis.SentimentModel,
		CategoryModel:  a.cfg.Analysis.CategoryModel,
		Threshold:      a.cfg.Analysis.SimhashThreshold,
		Logger:         a.logger,
	}); err != nil {
		return fmt.Errorf("config: analysis: %w", err)
	}
	a.logger.Info("sentiment analysis", "version", a.analyzer.SentimentVersion())
	if !a.analyzer.HasCategories() {
		a.logger.Info("no category model: documents get no category; train one with `minyi train-categories`")
	}
	return nil
}

func (a *app) startDemoSite(ctx context.Context) error {
	url := a.cfg.DemoSite
	if url == "" {
		a.demo = demosite.New(demosite.Options{Seed: 1, Start: demoStart()})
		var stop func()
		var err error
		if url, stop, err = serveHTTP("127.0.0.1:0", a.demo.Handler()); err != nil {
			return fmt.Errorf("starting demo site: %w", err)
		}
		runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		go a.demo.Run(runCtx, 20*time.Second)
		a.stop = append(a.stop, func() { cancel(); stop() })
	}
	a.demoURL = url
	a.sources = append(a.sources,
		demosite.ForumSource(url).WithDefaults(),
		demosite.MailboxSource(url).WithDefaults())
	a.logger.Info("demo city site", "url", url)
	return nil
}

// demoStart is the demo site's first day: a start on a day boundary keeps
// the generated posts identical across restarts on the same day, so they are
// not re-ingested as changed.
func demoStart() time.Time {
	return time.Now().In(minyi.ChinaTime).Truncate(24*time.Hour).AddDate(0, 0, -30)
}

func (a *app) startTemporal() error {
	hostPort := a.cfg.Temporal.Address
	if hostPort == "" {
		srv, err := startEmbeddedTemporal(filepath.Join(a.cfg.DataDir, "temporal.db"), a.cfg.Temporal.Port, a.cfg.Temporal.LogLevel)
		if err != nil {
			return err
		}
		a.temporal = srv
		a.stop = append(a.stop, func() { srv.Stop() })
		hostPort = srv.HostPort
	}
	c, err := client.Dial(client.Options{
		HostPort:  hostPort,
		Namespace: a.cfg.Temporal.Namespace,
		Logger:    newTemporalLogger(a.logger),
	})
	if err != nil {
		return fmt.Errorf("connecting to temporal at %s: %w", hostPort, err)
	}
	a.client = c
	a.stop = append(a.stop, c.Close)
	return nil
}

// startWorkers polls the task queues of the role: the main queue with every
// workflow and activity registered, the index queue with the activities alone
// (its activities are the ones that need the index this process holds).
func (a *app) startWorkers() error {
	main, index := a.role.queues(a.cfg.Search.Backend)
	if !main && !index {
		return nil
	}
	bySource := make(map[string]minyi.Source, len(a.sources))
	for _, s := range a.sources {
		bySource[s.Name] = s
	}
	cal, err := calendar.New(a.cfg.Holidays)
	if err != nil {
		return fmt.Errorf("config: holidays: %w", err)
	}
	crawl := crawler.New(crawler.Options{Logger: a.logger})
	acts := &activities.Activities{
		Store:      a.store,
		Index:      a.index,
		Crawler:    crawl,
		Poller:     crawl,
		Freshness:  a.freshness,
		Sources:    bySource,
		Router:     a.router,
		Deadlines:  a.cfg.Deadlines,
		Calendar:   cal,
		Repeats:    a.cfg.RepeatWindow,
		Recipients: recipients(a.cfg, a.router.Directory().Departments()),
		Analyzer:   a.analyzer,
		Logger:     a.logger,
		Started:    time.Now(),
		InFlight:   inFlight{a.client},
		Cases:      workflowclient.CaseStarter{Client: a.client},
	}
	if a.analyzer != nil {
		acts.Relabeler = a.analyzer
	}
	if st, ok := a.store.(minyi.SettingsStore); ok {
		acts.Settings = st
	}
	if main {
		w := worker.New(a.client, workflows.TaskQueue, workerOptions())
		workflows.Register(w, acts)
		if err := a.startWorker(w); err != nil {
			return err
		}
	}
	if index {
		w := worker.New(a.client, workflows.IndexTaskQueue, workerOptions())
		w.RegisterActivity(acts)
		if err := a.startWorker(w); err != nil {
			return err
		}
	}
	return nil
}

// stickyWorkflows bounds the workflows the process keeps in memory between
// their workflow tasks. Each holds its goroutines' stacks, and the SDK's
// default of 10,000 came to about 1 GB with 100,000 cases open; a case's
// next task comes days later and replays its short history instead.
const stickyWorkflows = 1000

// workerOptions are every worker's; the first call also sizes the sticky
// cache, which the SDK shares between the process's workers and reads when
// the first of them is created. The default pollers, two that each pick
// the sticky or the normal queue per poll, follow the sticky queue's last
// backlog hint: when it runs dry both can sit in a minute-long sticky poll
// while new workflows wait on the normal queue, which stalled case starts
// for up to a minute at a time (BenchmarkCaseStart). Autoscaling pollers
// keep polls on both queues and add more while tasks are waiting.
func workerOptions() worker.Options {
	worker.SetStickyWorkflowCacheSize(stickyWorkflows)
	return worker.Options{
		WorkflowTaskPollerBehavior: worker.NewPollerBehaviorAutoscaling(worker.PollerBehaviorAutoscalingOptions{}),
	}
}

func (a *app) startWorker(w worker.Worker) error {
	if err := w.Start(); err != nil {
		return fmt.Errorf("starting worker: %w", err)
	}
	a.stop = append(a.stop, w.Stop)
	return nil
}

func (a *app) startAPI() error {
	cal, err := calendar.New(a.cfg.Holidays)
	if err != nil {
		return fmt.Errorf("config: holidays: %w", err)
	}
	ingester := &workflowclient.BatchIngester{Client: a.client, Logger: a.logger}
	a.stop = append(a.stop, ingester.Close)
	srv := &api.Server{
		Calendar:       cal,
		AttachmentDir:  a.cfg.attachmentDir(),
		Store:          a.store,
		Index:          a.index,
		Ingester:       ingester,
		Cases:          workflowclient.WorkflowCaseUpdater{Client: a.client},
		Reports:        workflowclient.ReportDelivery{Client: a.client},
		Incidents:      workflowclient.IncidentCases{Client: a.client},
		Users:          a.cfg.Users,
		Departments:    a.router.Directory().Departments(),
		Alerts:         newAlertBook(a.client, a.cfg.Alerts, a.logger),
		Logger:         a.logger,
		Demo:           a.cfg.Demo,
		TrustedProxies: a.cfg.trustedProxies(),
	}
	srv.Admin = &core.Admin{
		Router:    a.router,
		Routing:   a.routing,
		Generated: a.cfg.alertRules,
		Deadlines: a.cfg.Deadlines,
		Sources:   a.sources,
		Crawls:    scheduleCrawls{a.client},
		Relabels:  workflowclient.Relabelings{Client: a.client},
		Freshness: a.freshness,
		Import:    newImportDeps(a.cfg, a.store, a.router, cal),
		ImportDir: filepath.Join(a.cfg.DataDir, "imports"),
		ModelDir:  filepath.Join(a.cfg.DataDir, "models"),
	}
	a.api = srv
	url, stop, err := serveHTTP(a.cfg.Listen, a.withReadiness(srv.Handler()))
	if err != nil {
		return fmt.Errorf("starting API: %w", err)
	}
	a.apiURL = url
	a.stop = append(a.stop, stop)
	a.logger.Info("minyi API", "url", url)
	if err := a.startPortal(ingester, cal); err != nil {
		return err
	}
	if a.cfg.Demo {
		a.logger.Info("demo tokens (Authorization: Bearer ...)", "supervisor", demoToken("supervisor"),
			"analyst", demoToken("analyst"), "department", demoToken("<department id>"))
	}
	return nil
}

// loadRouting is the admin-editable routing (departments, rules, fallback):
// the version in the settings store when there is one, else the config
// file's (the seed), without the generated alert rules either way.
func loadRouting(ctx context.Context, cfg Config, store minyi.Store, logger *slog.Logger) (routing.Config, error) {
	seed := cfg.seedRouting()
	st, ok := store.(minyi.SettingsStore)
	if !ok {
		return seed, nil
	}
	set, err := st.Setting(ctx, core.RoutingSetting)
	switch {
	case minyi.ErrorCode(err) == minyi.ENOTFOUND:
		return seed, nil
	case err != nil:
		return routing.Config{}, fmt.Errorf("reading the routing setting: %w", err)
	}
	stored, err := core.DecodeRouting(set.Value)
	if err != nil {
		return routing.Config{}, err
	}
	logger.Info("routing from the settings store (edited on /admin/rules; the config file's routing is only the seed)",
		"version", set.Version, "author", set.Author, "at", set.At)
	return stored, nil
}

// seedRouting saves the config file's routing as version 1, by "config",
// when the settings store has none yet.
func seedRouting(ctx context.Context, store minyi.Store, seed routing.Config) error {
	st, ok := store.(minyi.SettingsStore)
	if !ok {
		return nil
	}
	if _, err := st.Setting(ctx, core.RoutingSetting); minyi.ErrorCode(err) != minyi.ENOTFOUND {
		return err
	}
	value, err := core.EncodeRouting(seed)
	if err != nil {
		return err
	}
	// ECONFLICT: another server seeded it first, from the same kind of file.
	if _, err := st.PutSetting(ctx, core.RoutingSetting, 0, value, "config", time.Now()); err != nil && minyi.ErrorCode(err) != minyi.ECONFLICT {
		return fmt.Errorf("saving the routing seed: %w", err)
	}
	return nil
}

// Close stops the parts in reverse order of their start.
func (a *app) Close() {
	for i := len(a.stop) - 1; i >= 0; i-- {
		a.stop[i]()
	}
	a.stop = nil
}

// serveHTTP listens on addr and serves h until the returned stop is called.
func serveHTTP(addr string, h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "addr", addr, "err", err)
		}
	}()
	host := ln.Addr().(*net.TCPAddr)
	url = fmt.Sprintf("http://127.0.0.1:%d", host.Port)
	return url, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// scheduleCrawls triggers a source's crawl schedule (crawl-<name>) for the
// admin page's 立即抓取: the crawl runs as every scheduled one does.
type scheduleCrawls struct{ c client.Client }

func (s scheduleCrawls) TriggerCrawl(ctx context.Context, source string) error {
	return s.c.ScheduleClient().GetHandle(ctx, schedulePrefix+source).Trigger(ctx, client.ScheduleTriggerOptions{})
}
