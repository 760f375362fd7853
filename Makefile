# minyi — see README.md. Everything runs on embedded defaults: no docker,
# no external service.
GO       ?= go
BIN      := bin/minyi
# The local PostgreSQL, when there is one, runs the postgres store suite;
# without it those tests skip with a message.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export TEST_POSTGRES_URL

.PHONY: run build test test-short bench eval fuzz vet clean

run: build
	./$(BIN) serve

build:
	$(GO) build -o $(BIN) ./cmd/minyi

test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 25m ./...

# Unit tests only: skips the tests that start a Temporal server.
test-short:
	$(GO) test -count=1 -short ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./cmd/minyi/
	$(GO) test -run '^$$' -bench . -timeout 30m ./search/bleve/ ./store/sqlite/

eval:
	$(GO) run ./cmd/eval -data ../shared/data

# A short run of every fuzz target; the seeds in testdata run with `make test`.
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin data
