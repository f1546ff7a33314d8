#!/usr/bin/env bash
# Scale check: does a top's flip-flop count stay flat as a size parameter
# grows? (The device top keeps its per-connection state in synchronous-read
# RAM, so N_CTX should add RAM words, not flip-flops.)
#
# Usage: syn/synth_scale.sh          (`make synth-scale`)
#
# Runs the keepmem synthesis of syn/synth_check.sh (memories kept as
# $mem_v2 cells, everything else mapped to gates; the same checks) of
# SYNTH_SCALE_TOP once per value in SYNTH_SCALE_N, passing
# `-D SYNTH_SCALE_DEFINE=value` to read_verilog, each into
# build/synth/scale/<define>-<value>/, then syn/synth_scale.py prints cells,
# flip-flops, memory bits and time per size, the instances whose flip-flops
# changed and the async-read RAMs that grew, and fails when, between the
# smallest and the largest size, the flip-flops or the flip-flops plus the
# async-read RAM bits (tables that keepmem synthesis keeps as memory cells
# but a real target builds from flip-flops or LUT RAM) differ by
# SYNTH_SCALE_MAX_PCT percent or more.
#
# Environment (defaults from the Makefile):
#   SYNTH_SCALE_TOP     top (tls_offload_top)
#   SYNTH_SCALE_DEFINE  the macro the top takes its size from (TLSNIC_N_CTX)
#   SYNTH_SCALE_N       sizes, smallest first ("64 256")
#   SYNTH_SCALE_MAX_PCT limit in percent (10)
#   SYNTH_SCALE_JOBS    sizes synthesized at once (default: number of CPUs)
#   SYNTH_TIMEOUT       seconds per run (default 14400 here: N_CTX = 256 took
#                       73 min beside other jobs with the flip-flop-table RX
#                       engine, docs/build.md)
#   YOSYS, FILES_F      as for syn/synth_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. syn/jobs.sh
top=${SYNTH_SCALE_TOP:-tls_offload_top}
define=${SYNTH_SCALE_DEFINE:-TLSNIC_N_CTX}
sizes=${SYNTH_SCALE_N:-64 256}
max_pct=${SYNTH_SCALE_MAX_PCT:-10}
jobs=${SYNTH_SCALE_JOBS:-$(nproc)}
export SYNTH_TIMEOUT=${SYNTH_TIMEOUT:-14400}
base=build/synth/scale

one() { # size
    SYNTH_OUT="$base/$define-$1" SYNTH_KEEPMEM="$top" SYNTH_LIGHT="" \
        SYNTH_DEFINES="$top:$define=$1" SYNTH_JOBS=1 \
        syn/synth_check.sh "$top" > "$base/$define-$1.out" 2>&1
}

mkdir -p "$base"
echo "synth-scale $top: keepmem synthesis at $define = $sizes ($jobs at a time; logs in $base/)"
failed=0
# shellcheck disable=SC2086 # $sizes is a word list
run_jobs "$jobs" one $sizes || failed=1
for n in $sizes; do
    sed 's/^/  | /' "$base/$define-$n.out"
done
if [ $failed -ne 0 ]; then
    echo "synth-scale: FAILED: a synthesis run failed (above)" >&2
    exit 1
fi

args=()
for n in $sizes; do
    args+=("$define=$n:$base/$define-$n/$top.ram.json")
done
python3 syn/synth_scale.py "$max_pct" "${args[@]}"
