# Valv — see README.md for what each target does.
GO      ?= go
BIN     := bin
FUZZTIME ?= 8s

.PHONY: run test test-browser extension bench fuzz build setup vet lint clean

setup:
	@scripts/setup

build: setup
	$(GO) build -o $(BIN)/ ./cmd/...

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

clean:
	rm -rf $(BIN)

.PHONY: screenshots
screenshots: setup
	@scripts/screenshots
