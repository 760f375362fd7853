# minyi — see README.md. Everything runs on embedded defaults: no docker,
# no external service.
GO       ?= go
BIN      := bin/minyi
TMPDIR   ?= /tmp
# The local PostgreSQL, when there is one, runs the postgres store suite;
# without it those tests skip with a message.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export TEST_POSTGRES_URL

.PHONY: run build build-noembed assets test test-short test-scale bench bench-search bench-search-2g bench-case-start bench-open-cases bench-pages-1m bench-report eval train-sentiment sentiment-corpora fuzz vet clean

run: build
	./$(BIN) serve

# -trimpath and -s -w leave out build paths, the symbol table and DWARF
# (330 MB → 247 MB; README: "What the binary is made of").
build: assets
	@echo "== building $(BIN): the first build compiles the embedded Temporal server and its dependencies and takes several minutes on two cores; later builds reuse the Go cache"
	$(GO) build -trimpath -ldflags "-s -w" -o $(BIN) ./cmd/minyi

# The binary for scale mode, without the embedded Temporal server (and the
# Kubernetes, AWS and Google Cloud code it drags in): 248 MB → 133 MB. It
# serves only with temporal.address set (README: "What the binary is made of").
build-noembed: assets
	$(GO) build -trimpath -ldflags "-s -w" -tags noembed -o $(BIN)-noembed ./cmd/minyi

# Front-end packages (ECharts) from npm, pinned by api/web/package-lock.json and
# copied next to our own static files, which the binary embeds.
VENDOR := api/web/static/vendor/echarts.min.js
REPORT_FONT := report/fonts/wqy-microhei.ttc
assets: $(VENDOR) $(REPORT_FONT)
$(VENDOR): api/web/package.json api/web/package-lock.json
	cd api/web && npm ci --no-audit --no-fund --loglevel=error
	cp api/web/node_modules/echarts/dist/echarts.min.js $(VENDOR)

# The CJK font of the PDF reports and their charts (report/fonts/README),
# from Debian's fonts-wqy-microhei, copied in for the binary to embed.
SYSTEM_REPORT_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(REPORT_FONT):
	@test -f $(SYSTEM_REPORT_FONT) || { echo "the reports need a CJK font: apt-get install fonts-wqy-microhei" >&2; exit 1; }
	cp $(SYSTEM_REPORT_FONT) $@

# Temporal's workflowcheck proves the workflows call nothing non-deterministic
# (wall clock, I/O, map ranges, goroutines) through any depth of calls.
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

test: assets
	$(GO) vet ./...
	$(GO) build -tags noembed -o /dev/null ./cmd/minyi
	$(GO) run $(WORKFLOWCHECK) ./workflows/...
	$(GO) test -count=1 -timeout 25m ./...

# Scale mode on this machine (README: Scale mode): the PostgreSQL store,
# `minyi temporal-server` (Temporal's released server on PostgreSQL) as its
# own process, two worker processes started at once, an API process holding
# the bleve index, the demo site; a worker killed mid-crawl and the API
# restarted. Databases of its own, dropped after. `make test` runs it too.
test-scale:
	$(GO) test -count=1 -run '^TestScaleMode$$' -v -timeout 15m ./cmd/minyi/

# Unit tests only: skips the tests that start a Temporal server.
test-short:
	$(GO) test -count=1 -short ./...

# The long benchmarks run once each (-benchtime 1x), the search and open-case
# ones in a process of their own so that resident memory is theirs alone
# (100,000 open cases take about half an hour on two cores at ~58 cases/s); then
# the store and index micro-benchmarks. Results print as benchmark lines.
bench:
	@echo "== ingest: crawl to searchable through the app vs raw bleve indexing"
	$(GO) test -run '^$$' -bench '^BenchmarkIngest$$' -benchtime 1x -timeout 30m ./cmd/minyi/
	@echo "== search latency and memory over 100,000 posts on disk"
	$(GO) test -run '^$$' -bench '^BenchmarkSearchLatency100k$$' -benchtime 1x -timeout 30m ./search/bleve/
	@echo "== search latency and memory over a realistic corpus of 1,000,000 posts, bigram vs the old analyzer at 100,000 (MINYI_BENCH_SEARCH_DOCS for fewer; indexes cached in MINYI_BENCH_CACHE)"
	$(GO) test -run '^$$' -bench '^BenchmarkSearchLatency1M$$' -benchtime 1x -v -timeout 4h ./search/bleve/
	@$(MAKE) --no-print-directory bench-case-start
	@echo "== scale: case starts per second with 1 and 2 worker processes on minyi temporal-server (PostgreSQL) next to the embedded server (MINYI_BENCH_SCALE_CASES)"
	$(GO) test -run '^$$' -bench '^BenchmarkScaleCaseStart$$' -benchtime 1x -timeout 30m ./cmd/minyi/
	@$(MAKE) --no-print-directory bench-open-cases
	@echo "== intake: 2,000 messages from 8 clients to searchable and to cased"
	$(GO) test -run '^$$' -bench '^BenchmarkIntake2000$$' -benchtime 1x -timeout 15m ./cmd/minyi/
	@echo "== ingest of 20,000 already-fetched posts (MINYI_BENCH_INGEST_DOCS) through the pipeline vs the same work without Temporal: ratio of rates to searchable, rate to done, CPU per document"
	$(GO) test -run '^$$' -bench '^BenchmarkIngestPrefetched$$' -benchtime 1x -timeout 30m ./cmd/minyi/
	@echo "== freshness: a thread appearing on the demo forum to searchable with the 1-minute schedule, p50/p99 and the share spent waiting for the schedule"
	$(GO) test -run '^$$' -bench '^BenchmarkFreshness$$' -benchtime 1x -timeout 15m ./cmd/minyi/
	@echo "== recovery: minyi serve killed mid-crawl, restart to ready and to crawling again"
	$(GO) test -run '^$$' -bench '^BenchmarkRecovery$$' -benchtime 1x -timeout 10m ./cmd/minyi/
	@echo "== history import: a generated 200,000-row CSV into SQLite, rows/s and peak heap"
	$(GO) test -run '^$$' -bench '^BenchmarkImport200k$$' -benchtime 1x -timeout 30m ./cmd/minyi/
	@echo "== pages: server-side render p50/p99 of inbox, overdue board and one group of it, stats, search over 100,000 documents and 10,000 cases (MINYI_BENCH_PAGE_DOCS, MINYI_BENCH_PAGE_CASES: 1000000 and 100000 for a large city's year; MINYI_BENCH_CACHE keeps the fill)"
	$(GO) test -run '^$$' -bench '^BenchmarkPageRender$$' -benchtime 1x -timeout 30m ./api/web/
	@echo "== portal: public pages p50/p99 over 100,000 published letters (MINYI_BENCH_PORTAL_LETTERS)"
	$(GO) test -run '^$$' -bench '^BenchmarkPortalPages$$' -benchtime 1x -timeout 30m ./api/portal/
	@echo "== portal: letters written on the form at 200/s for 60 s from 16 clients, each then cased and tracked (MINYI_BENCH_PORTAL_RATE, _SECONDS, _CLIENTS)"
	$(GO) test -run '^$$' -bench '^BenchmarkPortalWrites$$' -benchtime 1x -timeout 30m ./cmd/minyi/
	@$(MAKE) --no-print-directory bench-report
	@echo "== events: one document's event assignment after a synthetic million, and the clusterer's heap (MINYI_BENCH_EVENT_DOCS)"
	$(GO) test -run '^$$' -bench '^BenchmarkEventAssign$$' -benchtime 20000x -timeout 60m ./analysis/event/
	@echo "== hot events: the top 20 of a day, week, month and year over 1,000,000 documents, p50/p99 (MINYI_BENCH_EVENT_DOCS; the seeded store kept in MINYI_BENCH_CACHE)"
	mkdir -p $(MINYI_BENCH_CACHE)
	MINYI_BENCH_CACHE=$(MINYI_BENCH_CACHE) $(GO) test -run '^$$' -bench '^BenchmarkHotEvents$$' -benchtime 20x -timeout 60m ./store/sqlite/
	@echo "== micro-benchmarks"
	$(GO) test -run '^$$' -bench '^Benchmark(IndexBatch|Search|PutDocuments)$$' -timeout 10m ./search/bleve/ ./store/sqlite/

# A weekly report over a generated corpus while indexing goes on
# (MINYI_BENCH_REPORT_DOCS, default 100,000; the issue's target is 1,000,000
# in under 30 s; MINYI_BENCH_CACHE keeps the built index).
bench-report: $(REPORT_FONT)
	@echo "== report: a weekly report over MINYI_BENCH_REPORT_DOCS documents (default 100,000) and 10,000 cases while ingest continues"
	$(GO) test -run '^$$' -bench '^BenchmarkWeeklyReport$$' -benchtime 1x -timeout 3h ./report/

# The pages benchmark at a large city's year: 1,000,000 documents and 100,000
# cases, filled once into MINYI_BENCH_CACHE (default ./data/bench, about 5 GB;
# the fill takes most of an hour on two cores) and reused after.
MINYI_BENCH_CACHE ?= $(CURDIR)/data/bench
bench-pages-1m:
	mkdir -p $(MINYI_BENCH_CACHE)
	MINYI_BENCH_CACHE=$(MINYI_BENCH_CACHE) MINYI_BENCH_PAGE_DOCS=1000000 MINYI_BENCH_PAGE_CASES=100000 \
	    $(GO) test -run '^$$' -bench '^BenchmarkPageRender$$' -benchtime 1x -v -timeout 4h ./api/web/

# The two case benchmarks, each alone.
bench-case-start:
	@echo "== cases: opened as the ingest does, to their first timer per second vs a bare one-timer workflow on the same server (MINYI_BENCH_CASES, default 500)"
	$(GO) test -run '^$$' -bench '^BenchmarkCaseStart$$' -benchtime 1x -timeout 30m ./cmd/minyi/
bench-open-cases:
	@echo "== open cases with pending timers: fill rate, memory, disk, audit time (MINYI_BENCH_OPEN_CASES, default 100000)"
	$(GO) test -run '^$$' -bench '^BenchmarkOpenCases100k$$' -benchtime 1x -timeout 4h ./cmd/minyi/

# With SENTIMENT_CORPORA present, make eval also measures the sentiment
# model per corpus, in-domain and across domains.
eval:
	$(GO) run ./cmd/eval -data ../shared/data $(if $(wildcard $(SENTIMENT_CORPORA)),-corpora $(SENTIMENT_CORPORA))

# The embedded sentiment model, from public labelled corpora that are not in
# the repository (README: Sentiment says where each file comes from and its
# terms). make sentiment-corpora fetches them into SENTIMENT_CORPORA (each
# one file of a public repository at a fixed commit; python3, standard
# library only). Training is deterministic: the same files give the same
# model. Files whose names share the part before the first '-' are one
# corpus (senticnet-phone.tsv, senticnet-car.tsv …), weighed as one.
SENTIMENT_CORPORA ?= ../corpora
SENTIMENT_FILES := ../shared/data/sentiment-waimai-10k.csv $(addprefix $(SENTIMENT_CORPORA)/,nlpcc14-sc-train.tsv \
	senticnet-phone.tsv senticnet-camera.tsv senticnet-car.tsv senticnet-notebook.tsv douban-movie.tsv weibo2018.tsv \
	smp2020-ewect-usual.tsv smp2020-ewect-virus.tsv conversation-xs.tsv jd-clauses.tsv)
sentiment-corpora:
	python3 analysis/sentiment/corpora.py $(SENTIMENT_CORPORA)
train-sentiment:
	$(GO) run ./cmd/minyi train-sentiment $(SENTIMENT_FILES) -o analysis/sentiment/model/default.model

# The million-document search benchmark alone, and the same inside a 2 GiB
# memory cgroup (cgroup v1, as root) with the page cache dropped first: the
# index's mapped pages then count against the limit, as in a container.
bench-search:
	$(GO) test -run '^$$' -bench '^BenchmarkSearchLatency1M$$' -benchtime 1x -v -timeout 4h ./search/bleve/
bench-search-2g:
	$(GO) test -c -o $(TMPDIR)/minyi-search.test ./search/bleve/
	cg=/sys/fs/cgroup/memory/minyi-bench-search; mkdir -p $$cg && echo 2G > $$cg/memory.limit_in_bytes && \
	  sync && echo 3 > /proc/sys/vm/drop_caches && \
	  cd search/bleve && sh -c "echo \$$\$$ > $$cg/cgroup.procs && exec $(TMPDIR)/minyi-search.test -test.run '^$$' \
	    -test.bench '^BenchmarkSearchLatency1M$$' -test.benchtime 1x -test.v -test.timeout 4h"; \
	  status=$$?; rmdir $$cg; exit $$status

# A short run of every fuzz target; the seeds in testdata run with `make test`.
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin data api/web/node_modules $(VENDOR) $(REPORT_FONT)
