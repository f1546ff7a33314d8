#!/usr/bin/env bash
# Unit tests of rtl/net: generates vectors (tb/net/gen_net_vectors.py),
# builds the Verilator testbenches and runs them; exits non-zero on any
# failure. Work files go to build/net/.
#
#   tb/net/run.sh                 default: DATA_W=128, seed from the clock
#   SEED=123 tb/net/run.sh        replay a seed
#   WIDTHS="128 64 512" tb/net/run.sh   also other stream widths
#   COUNT=3000 GAP=30 tb/net/run.sh      frames per run, % idle cycles
#   WAVE=1 tb/net/run.sh          FST waveforms in build/net/*/wave.fst
set -euo pipefail
cd "$(dirname "$0")/../.."

SEED=${SEED:-$(date +%s)}
WIDTHS=${WIDTHS:-128}
COUNT=${COUNT:-3000}
GAP=${GAP:-30}
WAVE=${WAVE:-}
RTL="rtl/common/tlsnic_assert.sv rtl/net/net_pkg.sv rtl/net/net_hdr_parse.sv rtl/net/tcp_csum.sv"
echo "tb/net: seed $SEED (replay with SEED=$SEED tb/net/run.sh), widths $WIDTHS"

build() {   # build TOP DATA_W -> prints the binary path
    local top=$1 dw=$2 dir=build/net/${1}_${2}
    local trace=()
    [ -n "$WAVE" ] && trace=(--trace-fst)
    mkdir -p "$dir"
    if ! nice verilator --binary --timing -j 2 -Wno-fatal -Wno-lint -Wno-style \
            "${trace[@]}" -GDATA_W="$dw" --top-module "$top" -Mdir "$dir/obj" \
            -CFLAGS -O1 $RTL "tb/net/$top.sv" > "$dir/build.log" 2>&1; then
        tail -n 30 "$dir/build.log" >&2
        echo "tb/net: build of $top (DATA_W=$dw) FAILED" >&2
        exit 1
    fi
    echo "$dir/obj/V$top"
}

status=0
for dw in $WIDTHS; do
    kw=$((dw / 8))
    for mode in parse csum; do
        top=$([ $mode = parse ] && echo tb_net_hdr_parse || echo tb_tcp_csum)
        vec=build/net/vec_${mode}_${dw}
        mkdir -p "$vec"
        python3 tb/net/gen_net_vectors.py "$mode" --seed "$SEED" --count "$COUNT" \
            --keep-w "$kw" --out "$vec"
        bin=$(build "$top" "$dw")
        wave_arg=()
        [ -n "$WAVE" ] && wave_arg=(+wave="build/net/${top}_${dw}/wave.fst")
        if ! nice "$bin" +vec="$vec" +seed="$SEED" +gap="$GAP" "${wave_arg[@]}"; then
            echo "tb/net: $top DATA_W=$dw FAILED (seed $SEED)" >&2
            status=1
        fi
    done
done
[ $status -eq 0 ] && echo "tb/net: all passed"
exit $status
