# Valv — see README.md for what each target does.
GO      ?= go
BIN     := bin
FUZZTIME ?= 8s
# One version for the three programs, from git describe (see scripts/version).
VERSION := $(shell scripts/version)
LDFLAGS := -X github.com/valvpm/valv/internal/version.Version=$(VERSION)
# Every build and test leaves out Fyne's bundled emoji font (build tag no_emoji): parsed,
# it held 13 MiB of the app's memory from the first screen on (160 against 148 MiB at
# the welcome screen), and Fyne falls back to the system's fonts for any character its
# own lack, so emoji in titles come from the system's emoji font (Windows and macOS
# have one; the .deb recommends fonts-noto-color-emoji). Exported, so the packaging
# scripts and the tests that build the real app get it too.
export GOFLAGS := $(strip $(GOFLAGS) -tags=no_emoji)

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
