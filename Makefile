# Valv — see README.md for what each target does.
GO      ?= go
BIN     := bin
FUZZTIME ?= 8s

.PHONY: run test test-browser extension bench fuzz build generate setup vet lint clean

setup:
	@scripts/setup

build: setup generate
	$(GO) build -o $(BIN)/ ./cmd/...

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

clean:
	rm -rf $(BIN)

.PHONY: screenshots
screenshots: setup
	@scripts/screenshots
