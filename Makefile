# Valv — see README.md for what each target does.
GO      ?= go
BIN     := bin
FUZZTIME ?= 8s
# One version for the three programs, from git describe (see scripts/version).
VERSION := $(shell scripts/version)
LDFLAGS := -X github.com/valvpm/valv/internal/version.Version=$(VERSION)

.PHONY: run test test-browser extension bench fuzz build generate setup vet lint clean dist

setup:
	@scripts/setup

build: setup generate
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/...

# The breach filter inside Valv, rebuilt from the list in vault/breach/data; the same
# list gives the same bytes (a test checks the committed filter is the list's).
generate:
	$(GO) generate ./vault/breach

run: build
	@scripts/run

test: setup
	@FUZZTIME=$(FUZZTIME) scripts/test

test-browser: setup
	@scripts/test-browser

extension: setup
	@scripts/extension

bench:
	@scripts/setup bench
	@scripts/bench

fuzz: setup
	@FUZZTIME=2m scripts/fuzz

lint:
	@scripts/lint

vet:
	$(GO) vet ./...

# Every package into dist/ (Linux, Windows, macOS) and their checks; see docs/release.md.
dist:
	@scripts/setup dist
	@scripts/dist

clean:
	rm -rf $(BIN) dist

.PHONY: screenshots
screenshots: setup
	@scripts/screenshots
