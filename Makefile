# dangjian — the two commands a newcomer needs are `make demo` and `make test`.
GO      ?= go
BIN     := bin/dangjian
DATA    ?= ./data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/dangjian/dangjian/internal/cli.Version=$(VERSION)

.PHONY: demo build web test check test-go test-web bench clean

## demo: build everything, load the 武陵区 demo data once, and serve on http://127.0.0.1:8080
demo: build
	@if [ ! -f $(DATA)/dangjian.db ]; then ./$(BIN) --data $(DATA) demo --area 430702; \
	else echo "数据目录 $(DATA) 已有数据，跳过演示数据生成（删除该目录可重新生成）；演示账号密码 Dangjian@2026"; fi
	./$(BIN) --data $(DATA) serve

## build: the single binary with the web UI embedded
build: web
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/dangjian

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

## web: the Vue UI, built into web/dist/app for embedding
web: web/node_modules/.package-lock.json
	cd web && npm run build

## test: every test — Go (SQLite and PostgreSQL), browser end-to-end (Chromium), web unit tests
test: check web test-web test-go

check:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

test-web: web/node_modules/.package-lock.json
	cd web && npm test

test-go:
	$(GO) test -count=1 -timeout 20m ./...

## bench: Go benchmarks, then the load script on the county and city tiers (SQLite and PostgreSQL)
## writing docs/benchmarks.md; `make bench TIER=province` runs the province tier (≈ 4 million
## members; about 10 minutes per engine) and merges it into the same report. ENGINES=sqlite skips
## PostgreSQL (BENCH_PG names the local server); FRESH=1 rebuilds the tiers' databases.
TIER    ?=
ENGINES ?= sqlite,postgres
FRESH   ?=
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
bench:
	$(GO) build -trimpath -o $(BIN) ./cmd/dangjian
	@if [ -z "$(TIER)" ]; then \
		$(GO) test -run '^$$' -bench . -benchtime 1s ./bench/ ./internal/roster/ | tee bench/gobench.txt; \
	fi
	$(GO) run ./cmd/dangjian-load -bin $(BIN) -engines $(ENGINES) -pg '$(BENCH_PG)' -tiers $(if $(TIER),$(TIER),county$(comma)city) $(if $(FRESH),-fresh,) \
		$(if $(filter province,$(TIER)),-phases prepare$(comma)query$(comma)http$(comma)export -runs 1,)

comma := ,

clean:
	rm -rf bin web/dist/app
