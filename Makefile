# Valv — see README.md for what each target does.
GO      ?= go
BIN     := bin
FUZZTIME ?= 8s
# One version for the three programs, from git describe (see scripts/version).
VERSION := $(shell scripts/version)
LDFLAGS := -X github.com/valvpm/valv/internal/version.Version=$(VERSION)

.PHONY: run test bench fuzz build setup vet lint clean dist

setup:
	@scripts/setup

build: setup
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/...

run: build
	@scripts/run

test: setup
	@FUZZTIME=$(FUZZTIME) scripts/test

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
