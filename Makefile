# monostack: `make up` runs the all-in-one cloud, `make test` runs every
# test tier this machine can run. Both install what they need first.

GO        ?= go
BIN       := bin/monostack
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/monostack/monostack/internal/cli.Version=$(VERSION)
STATE_DIR ?=
PG_DIR    ?= /tmp/monostack-test-pg
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2

# Debian packages the test tiers use: the real openstack CLI, Tempest,
# a PostgreSQL server for the PostgreSQL run of the suite and qemu-img for
# real disk images.
TEST_PACKAGES := python3-openstackclient tempest postgresql qemu-utils

.PHONY: up build test deps-up deps-test lint unit postgres conformance docs-check bench clean

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/monostack

deps-up:
	@true # the identity service needs no host packages yet

up: deps-up build
	$(BIN) up $(if $(STATE_DIR),--state-dir $(STATE_DIR))

deps-test:
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
		{ DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	fi
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GOBIN)/staticcheck ./...
	./scripts/check-api-imports.sh

# Every Go test (unit, api through the real router, compat with the real
# openstack CLI against a running monostack) on SQLite.
unit: build
	MONOSTACK_BIN=$(CURDIR)/$(BIN) $(GO) test -race -shuffle=on -count=1 ./...

# The database-backed suites (identity, image, compat) again on a real
# PostgreSQL started for the run.
postgres: build
	@dsn=$$(./scripts/test-postgres.sh start $(PG_DIR)) && \
	MONOSTACK_BIN=$(CURDIR)/$(BIN) MONOSTACK_TEST_POSTGRES="$$dsn" $(GO) test -race -shuffle=on -count=1 \
		./internal/db/... ./internal/identity/... ./internal/image/... ./internal/placement/... \
		./internal/compute/... ./test/...; \
	rc=$$?; ./scripts/test-postgres.sh stop $(PG_DIR); exit $$rc

# Tempest's identity and image API tests against fresh servers; see
# docs/conformance.md.
conformance: build
	MONOSTACK_BIN=$(CURDIR)/$(BIN) ./scripts/conformance.sh

docs-check: build
	@$(BIN) config doc | diff -u docs/config.md - || { echo "docs/config.md is stale: run make docs"; exit 1; }

docs: build
	$(BIN) config doc > docs/config.md

test: deps-test lint docs-check unit postgres conformance

bench: build
	MONOSTACK_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench . -benchtime 3s ./bench/...

clean:
	rm -rf bin
