# dangjian — the two commands a newcomer needs are `make demo` and `make test`.
GO      ?= go
BIN     := bin/dangjian
DATA    ?= ./data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/dangjian/dangjian/internal/cli.Version=$(VERSION)

.PHONY: demo build web test check test-go test-web clean

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

clean:
	rm -rf bin web/dist/app
