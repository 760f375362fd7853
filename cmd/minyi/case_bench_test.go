package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/routing"
	"minyi/store/sqlite"
	"minyi/temporalserver"
	"minyi/workflows"
)

// What the two case benchmarks measure, for both kinds of workflow alike:
// the time from the first ExecuteWorkflow call (for a case, from opening its
// batch) until every one of the N workflows has reached its first durable
// timer, seen by a worker interceptor when the workflow code (not a replay)
// first calls Sleep or AwaitWithTimeout. Cases open the way the ingest
// workflow opens them: OpenCases records a batch of BatchSize in the store,
// then each case workflow starts with the case as recorded, and its first
// timer comes after the "assigned" notice. For the bare workflow it is its
// first workflow task. The timer command itself is committed by the server
// when that workflow task completes, a few milliseconds later.

// benchStarters bounds the ExecuteWorkflow calls in flight.
const benchStarters = 16

// benchWarmUp is how many bare workflows run before BenchmarkCaseStart measures.
const benchWarmUp = 200

// BenchmarkCaseStart starts N cases on the embedded Temporal server and then
// N bare one-timer workflows on the same server and worker; the ratio is
// what the case's own work costs on top of Temporal's per-workflow floor.
// N more cases whose workflows open themselves (before the ingest opened
// them in batches, and still after a crash inside OpenCases) are the line
// to compare with.
func BenchmarkCaseStart(b *testing.B) {
	if testing.Short() {
		b.Skip("starts a Temporal server and hundreds of workflows; skipped with -short")
	}
	n := benchEnvInt(b, "MINYI_BENCH_CASES", 500)
	var cases, selfOpening, bare startRun
	for b.Loop() {
		cb := startCaseBench(b)
		// A fresh server's first workflows pay for its warm-up (caches,
		// the pollers scaling up), which would fall on whichever run is first.
		cb.runStarts(b, "bare", benchWarmUp, func() starter { return bareStart("bench-warm-up-%d") })
		docs := cb.putMessages(b, 0, n)
		cases = cb.runStarts(b, "case", n, func() starter {
			opened := cb.openCases(b, docs)
			return func(i int) (client.StartWorkflowOptions, any, any) { return caseStart(opened[i]) }
		})
		if got := cb.caseCount(b); got != n {
			b.Fatalf("store holds %d cases after every case workflow reached its timer; want %d", got, n)
		}
		docs = cb.putMessages(b, n, n)
		selfOpening = cb.runStarts(b, "case", n, func() starter {
			return func(i int) (client.StartWorkflowOptions, any, any) {
				return caseStart(workflows.CaseInput{DocumentID: docs[i].ID})
			}
		})
		bare = cb.runStarts(b, "bare", n, func() starter { return bareStart("bench-timer-%d") })
		for _, r := range []struct {
			what string
			run  startRun
		}{{"cases", cases}, {"self-opening cases", selfOpening}, {"bare workflows", bare}} {
			b.Logf("%d %s: starts accepted in %s, all at their first timer after %s, %s of CPU",
				n, r.what, r.run.accepted.Round(time.Millisecond), r.run.timed.Round(time.Millisecond), r.run.cpu.Round(time.Millisecond))
		}
	}
	caseRate, caseAccept := cases.rate(n)
	bareRate, bareAccept := bare.rate(n)
	selfRate, _ := selfOpening.rate(n)
	b.ReportMetric(caseRate, "cases/s")
	b.ReportMetric(bareRate, "bare-workflows/s")
	b.ReportMetric(caseRate/bareRate, "ratio")
	b.ReportMetric(selfRate, "self-opening-cases/s")
	b.ReportMetric(caseAccept, "case-starts-accepted/s")
	b.ReportMetric(bareAccept, "bare-starts-accepted/s")
	b.ReportMetric(cases.cpuPer(n), "cpu-ms/case")
	b.ReportMetric(selfOpening.cpuPer(n), "cpu-ms/self-opening-case")
	b.ReportMetric(bare.cpuPer(n), "cpu-ms/bare-workflow")
}

// BenchmarkOpenCases100k fills the embedded server with N open cases whose
// ladder timers are all pending, then reports what holding them costs
// (memory, disk) and how long one audit over them takes.
func BenchmarkOpenCases100k(b *testing.B) {
	if testing.Short() {
		b.Skip("starts a Temporal server and up to 100,000 workflows; skipped with -short")
	}
	n := benchEnvInt(b, "MINYI_BENCH_OPEN_CASES", 100_000)
	const batch = 5000
	var fill, audit, query time.Duration
	var rss, peak, heapMB, stacksMB, goroutines, temporalMB, storeMB float64
	for b.Loop() {
		cb := startCaseBench(b)
		// Documents are written first, so that the fill measures cases alone.
		var docs []minyi.Document
		for from := 0; from < n; from += batch {
			docs = append(docs, cb.putMessages(b, from, min(batch, n-from))...)
		}
		start := time.Now()
		// A batch is opened and started once the one before last has
		// reached its timers: two batches in flight keep the worker busy
		// without a backlog that would only move the wait into the task queue.
		opened := make([]workflows.CaseInput, n)
		for from := 0; from < n; from += batch {
			cb.waitTimers(b, "case", max(0, from-batch), time.Now())
			to := min(from+batch, n)
			copy(opened[from:to], cb.openCases(b, docs[from:to]))
			cb.startAll(b, from, to, func(i int) (client.StartWorkflowOptions, any, any) {
				return caseStart(opened[i])
			})
			if done := from + batch; done%10_000 == 0 || done >= n {
				slog.Info("open cases: started", "started", min(done, n), "of", n,
					"at-timer", cb.watch.count("case"), "elapsed", time.Since(start).Round(time.Second))
			}
		}
		cb.waitTimers(b, "case", n, start)
		fill = time.Since(start)
		if got := cb.caseCount(b); got != n {
			b.Fatalf("store holds %d cases; want %d", got, n)
		}
		slog.Info("open cases: all at their timers", "cases", n, "took", fill.Round(time.Second),
			"cases/s", fmt.Sprintf("%.1f", float64(n)/fill.Seconds()))
		cb.watch.forget() // its map is the benchmark's, not the app's, memory

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		in := activities.AuditInput{Window: 30 * 24 * time.Hour, SuperviseBelow: .9, NoticeBelow: .6}
		t0 := time.Now()
		run, err := cb.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "bench-audit", TaskQueue: workflows.TaskQueue},
			workflows.AuditWorkflow, in)
		if err != nil {
			b.Fatal(err)
		}
		var res activities.AuditResult
		if err := run.Get(ctx, &res); err != nil {
			b.Fatalf("audit: %v", err)
		}
		audit = time.Since(t0)
		// The same query straight on the store tells the SQL from the
		// Temporal round trips, and checks the audit saw every case.
		now := time.Now()
		t0 = time.Now()
		stats, err := cb.store.DepartmentStats(ctx, now.Add(-in.Window), now, now)
		query = time.Since(t0)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		received := 0
		for _, s := range stats {
			received += s.Received
		}
		if received != n || res.Departments != len(stats) {
			b.Fatalf("audit over %d departments, stats over %d with %d cases; want %d cases", res.Departments,
				len(stats), received, n)
		}
		b.Logf("audit over %d cases in %d departments: %s (the stats query alone %s), %d escalations",
			n, res.Departments, audit.Round(time.Millisecond), query.Round(time.Millisecond), len(res.Escalations))

		runtime.GC()
		debug.FreeOSMemory() // RSS of what is live, not of garbage not yet returned
		rss, peak = procStatusMB(b, "VmRSS"), procStatusMB(b, "VmHWM")
		heapMB, stacksMB, goroutines = goMemory()
		temporalMB, storeMB = fileMB(cb.temporalDB), fileMB(cb.storeDB)
	}
	b.ReportMetric(float64(n), "open-cases")
	b.ReportMetric(float64(n)/fill.Seconds(), "cases/s")
	b.ReportMetric(rss, "rss-MB")
	b.ReportMetric(peak, "peak-rss-MB")
	b.ReportMetric(heapMB, "go-heap-MB")
	b.ReportMetric(stacksMB, "goroutine-stacks-MB")
	b.ReportMetric(goroutines, "goroutines")
	b.ReportMetric(temporalMB, "temporal-db-MB")
	b.ReportMetric(storeMB, "store-db-MB")
	b.ReportMetric(audit.Seconds(), "audit-s")
	b.ReportMetric(query.Seconds(), "stats-query-s")
}

// caseBench is the case half of `minyi serve`: the embedded Temporal server
// on a file, a sqlite store and a worker with the real workflows and
// activities, plus the bare timer workflow and the timer watch.
type caseBench struct {
	client              client.Client
	store               *sqlite.Store
	acts                *activities.Activities
	watch               *timerWatch
	temporalDB, storeDB string
}

func startCaseBench(b *testing.B) *caseBench {
	b.Helper()
	dir := b.TempDir()
	cb := &caseBench{watch: newTimerWatch(), temporalDB: filepath.Join(dir, "temporal.db"), storeDB: filepath.Join(dir, "minyi.db")}
	var err error
	if cb.store, err = sqlite.Open(cb.storeDB); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cb.store.Close() })
	srv, err := temporalserver.Start(temporalserver.Options{DatabaseFile: cb.temporalDB, LogLevel: "fatal"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Stop() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if cb.client, err = client.Dial(client.Options{HostPort: srv.HostPort, Namespace: temporalserver.Namespace,
		Logger: newTemporalLogger(quiet)}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cb.client.Close)
	router, err := routing.New(routing.DemoConfig())
	if err != nil {
		b.Fatal(err)
	}
	cal, err := calendar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	cb.acts = &activities.Activities{Store: cb.store, Router: router, Deadlines: deadline.DefaultPolicy(),
		Calendar: cal, Logger: quiet}
	// The app's worker options but for the watch.
	opts := workerOptions()
	opts.Interceptors = []interceptor.WorkerInterceptor{cb.watch}
	w := worker.New(cb.client, workflows.TaskQueue, opts)
	workflows.Register(w, cb.acts)
	w.RegisterWorkflow(benchTimerWorkflow)
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Stop)
	return cb
}

// benchTopics route to different departments of the demo city, so that the
// audit has several to compute.
var benchTopics = []string{"小区夜间施工噪音扰民", "拖欠工资三个月", "老旧小区电梯故障", "学区划片入学", "末班车太早",
	"小区停车位不足", "人行道破损", "医院挂号难", "拆迁补偿款未到位", "河道黑臭", "城南区菜市场占道经营", "社保转移"}

var benchTypes = []string{"咨询", "求助", "建议", "投诉", "举报"}

// putMessages stores n mailbox messages numbered from first, received now,
// so that every rung of their ladders lies in the future.
func (cb *caseBench) putMessages(b *testing.B, first, n int) []minyi.Document {
	b.Helper()
	docs := benchMessages(first, n)
	for i := 0; i < n; i += 1000 {
		if _, err := cb.store.PutDocuments(context.Background(), docs[i:min(i+1000, n)]); err != nil {
			b.Fatal(err)
		}
	}
	return docs
}

// benchMessages are n mailbox messages numbered from first, received now.
func benchMessages(first, n int) []minyi.Document {
	now := time.Now()
	docs := make([]minyi.Document, n)
	for i := range docs {
		no := first + i
		topic := benchTopics[no%len(benchTopics)]
		docs[i] = minyi.Document{
			ID: minyi.DocumentID("bench-mailbox", strconv.Itoa(no)), Source: "bench-mailbox", Kind: minyi.KindMessage,
			ExternalID: strconv.Itoa(no), Board: "市长信箱", Title: fmt.Sprintf("关于%s的问题（%d）", topic, no),
			Body:      strings.Repeat("反映"+topic+"，希望有关部门尽快处理。", 4),
			Published: now, Fetched: now, MessageType: benchTypes[no%len(benchTypes)],
		}
	}
	return docs
}

// openCases opens the cases of docs in batches, as the ingest workflow's
// OpenCases activity does, and returns their workflows' inputs in order.
func (cb *caseBench) openCases(b *testing.B, docs []minyi.Document) []workflows.CaseInput {
	b.Helper()
	ins := make([]workflows.CaseInput, 0, len(docs))
	for _, ids := range activities.Batches(docIDs(docs), activities.BatchSize) {
		starts, err := cb.acts.OpenCases(context.Background(), ids)
		if err != nil {
			b.Fatal(err)
		}
		for i, st := range starts {
			if st.DocumentID != ids[i] || st.Opened == nil {
				b.Fatalf("OpenCases gave %s (opened: %v) for %s; want every bench message opened", st.DocumentID, st.Opened != nil, ids[i])
			}
			ins = append(ins, workflows.CaseInput{DocumentID: st.DocumentID, Opened: st.Opened})
		}
	}
	if len(ins) != len(docs) {
		b.Fatalf("OpenCases opened %d cases for %d messages", len(ins), len(docs))
	}
	return ins
}

// caseStart starts a case workflow as the ingest workflow does.
func caseStart(in workflows.CaseInput) (client.StartWorkflowOptions, any, any) {
	return client.StartWorkflowOptions{ID: minyi.CaseIDFor(in.DocumentID), TaskQueue: workflows.TaskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}, workflows.CaseWorkflow, in
}

// startRun is how long N starts took: until the last ExecuteWorkflow call
// returned, and until the last workflow reached its first timer; and the
// CPU the process spent on them until it was idle again.
type startRun struct{ accepted, timed, cpu time.Duration }

func (r startRun) rate(n int) (timed, accepted float64) {
	return float64(n) / r.timed.Seconds(), float64(n) / r.accepted.Seconds()
}

func (r startRun) cpuPer(n int) float64 { return float64(r.cpu.Milliseconds()) / float64(n) }

// starter gives the start of the i-th workflow of a run.
type starter func(i int) (client.StartWorkflowOptions, any, any)

// runStarts starts n workflows of a kind (the watch's name for its type)
// and waits for all to reach their first timer, then for the process to
// settle. The clock runs from prepare on: opening the cases is their work.
func (cb *caseBench) runStarts(b *testing.B, kind string, n int, prepare func() starter) startRun {
	b.Helper()
	before := cb.watch.count(kind)
	t0, cpu0 := time.Now(), cpuTime(b)
	cb.startAll(b, 0, n, prepare())
	accepted := time.Since(t0)
	timed := cb.waitTimers(b, kind, before+n, t0)
	settle(b)
	return startRun{accepted: accepted, timed: timed, cpu: cpuTime(b) - cpu0}
}

// startAll calls ExecuteWorkflow for [from, to) from benchStarters goroutines.
func (cb *caseBench) startAll(b *testing.B, from, to int, start starter) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	errs := make(chan error, benchStarters)
	for range benchStarters {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < to; i = int(next.Add(1) - 1) {
				opts, wf, arg := start(i)
				args := []any{}
				if arg != nil {
					args = append(args, arg)
				}
				if _, err := cb.client.ExecuteWorkflow(ctx, opts, wf, args...); err != nil {
					errs <- fmt.Errorf("starting %s: %w", opts.ID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

// waitTimers waits until want workflows of kind reached a timer and returns
// the time from since to the last arrival.
func (cb *caseBench) waitTimers(b *testing.B, kind string, want int, since time.Time) time.Duration {
	b.Helper()
	deadline := time.Now().Add(10 * time.Minute)
	for {
		if n, last := cb.watch.progress(kind); n >= want {
			return last.Sub(since)
		}
		if time.Now().After(deadline) {
			n, _ := cb.watch.progress(kind)
			b.Fatalf("%d %s workflows at their timer after 10 minutes; want %d", n, kind, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until the process is all but idle: the server has done what
// the workflows of one run left behind (its visibility queue trails the
// workflows), which would otherwise be charged to the next run.
func settle(b *testing.B) {
	b.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for prev := cpuTime(b); ; {
		time.Sleep(time.Second)
		now := cpuTime(b)
		if now-prev < 50*time.Millisecond { // a twentieth of a core
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("still busy after 2 minutes: %s of CPU in the last second", now-prev)
		}
		prev = now
	}
}

// cpuTime is the CPU this process has used so far.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (cb *caseBench) caseCount(b *testing.B) int {
	b.Helper()
	_, total, err := cb.store.Cases(context.Background(), minyi.CaseFilter{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// bareStart starts bare timer workflows with ids from the pattern.
func bareStart(idPattern string) starter {
	return func(i int) (client.StartWorkflowOptions, any, any) {
		return client.StartWorkflowOptions{ID: fmt.Sprintf(idPattern, i), TaskQueue: workflows.TaskQueue}, benchTimerWorkflow, nil
	}
}

// benchTimerWorkflow is Temporal's floor: one workflow task that starts one
// timer and nothing else.
func benchTimerWorkflow(ctx workflow.Context) error {
	return workflow.Sleep(ctx, time.Hour)
}

// timerWatch counts, per kind, the workflows whose code has reached its
// first timer, and when the last one did. Replays are not counted, and a
// workflow counts once even if its first workflow task is retried.
type timerWatch struct {
	interceptor.WorkerInterceptorBase
	mu   sync.Mutex
	seen map[string]struct{}
	n    map[string]int
	last map[string]time.Time
}

func newTimerWatch() *timerWatch {
	return &timerWatch{seen: map[string]struct{}{}, n: map[string]int{}, last: map[string]time.Time{}}
}

func kindOf(workflowType string) string {
	if workflowType == "CaseWorkflow" {
		return "case"
	}
	return "bare"
}

func (w *timerWatch) reached(ctx workflow.Context) {
	if workflow.IsReplaying(ctx) {
		return
	}
	info := workflow.GetInfo(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen == nil { // forgotten: the counts are final
		return
	}
	if _, ok := w.seen[info.WorkflowExecution.ID]; ok {
		return
	}
	w.seen[info.WorkflowExecution.ID] = struct{}{}
	k := kindOf(info.WorkflowType.Name)
	w.n[k]++
	w.last[k] = time.Now()
}

func (w *timerWatch) progress(kind string) (int, time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n[kind], w.last[kind]
}

func (w *timerWatch) count(kind string) int { n, _ := w.progress(kind); return n }

// forget drops the per-workflow set once nothing more is counted.
func (w *timerWatch) forget() {
	w.mu.Lock()
	w.seen = nil
	w.mu.Unlock()
}

func (w *timerWatch) InterceptWorkflow(_ workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &watchInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, watch: w}
}

type watchInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	watch *timerWatch
}

func (i *watchInbound) Init(out interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&watchOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: out}, watch: i.watch})
}

type watchOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	watch *timerWatch
}

func (o *watchOutbound) Sleep(ctx workflow.Context, d time.Duration) error {
	o.watch.reached(ctx)
	return o.Next.Sleep(ctx, d)
}

func (o *watchOutbound) AwaitWithTimeout(ctx workflow.Context, d time.Duration, cond func() bool) (bool, error) {
	o.watch.reached(ctx)
	return o.Next.AwaitWithTimeout(ctx, d, cond)
}

func benchEnvInt(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// procStatusMB reads a kB field of /proc/self/status (VmRSS, VmHWM) in MB.
func procStatusMB(b *testing.B, field string) float64 {
	b.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatalf("%s: %v", field, err)
			}
			return kb / 1024
		}
	}
	b.Fatalf("/proc/self/status has no %s", field)
	return 0
}

// goMemory is where the Go part of resident memory is: live heap objects,
// goroutine stacks, and how many goroutines those are.
func goMemory() (heapMB, stacksMB, goroutines float64) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"}, {Name: "/sched/goroutines:goroutines"}}
	metrics.Read(samples)
	return float64(samples[0].Value.Uint64()) / (1 << 20), float64(samples[1].Value.Uint64()) / (1 << 20),
		float64(samples[2].Value.Uint64())
}

// fileMB is a SQLite database's size on disk, its write-ahead log included.
func fileMB(path string) float64 {
	var total int64
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	return float64(total) / (1 << 20)
}
