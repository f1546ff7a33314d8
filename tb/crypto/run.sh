#!/usr/bin/env bash
# Unit tests of the crypto blocks the board configuration folds
# (docs/synthesis.md): aes_enc_pipe unfolded and as a ring of round units,
# the S-boxes in logic and in block RAM (SBOX_RAM), gf128_mul pipelined
# and digit-serial, each against the independent
# reference of tb/crypto/gen_crypto_vectors.py (which checks itself against
# FIPS-197 and the GCM test vectors first). Exits non-zero on any failure.
# Work files go to build/crypto/.
#
#   tb/crypto/run.sh                  seed from the clock
#   SEED=123 tb/crypto/run.sh         replay a seed
#   AES_STAGES="14 7 2 1" AES_SBOX_RAM="0 1" GF_DIGITS="128 64 32 16" COUNT=3000 GAP=30 tb/crypto/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

SEED=${SEED:-$(date +%s)}
AES_STAGES=${AES_STAGES:-"14 7 4 2 1"}
AES_SBOX_RAM=${AES_SBOX_RAM:-"0 1"}
GF_DIGITS=${GF_DIGITS:-"128 64 32 16"}
COUNT=${COUNT:-3000}
GAP=${GAP:-30}
out=build/crypto
mkdir -p "$out"
echo "tb/crypto: seed $SEED (replay with SEED=$SEED tb/crypto/run.sh)"

build() {   # build TOP "PARAM=VALUE ..." RTL -> prints the binary path
    local top=$1 params=$2 rtl=$3 dir gflags=() p
    dir=$out/${1}_$(echo "$2" | tr ' =' '__')
    for p in $params; do gflags+=(-G"$p"); done
    mkdir -p "$dir"
    if ! nice verilator --binary --timing --assert -j 2 -Wno-fatal -Wno-lint -Wno-style \
            "${gflags[@]}" --top-module "$top" -Mdir "$dir/obj" -CFLAGS -O1 \
            rtl/common/tlsnic_assert.sv $rtl "tb/crypto/$top.sv" > "$dir/build.log" 2>&1; then
        tail -n 30 "$dir/build.log" >&2
        echo "tb/crypto: build of $top ($params) FAILED" >&2
        exit 1
    fi
    echo "$dir/obj/V$top"
}

python3 tb/crypto/gen_crypto_vectors.py aes --seed "$SEED" --count "$COUNT" --out "$out/aes.txt"
python3 tb/crypto/gen_crypto_vectors.py gf --seed "$SEED" --count "$COUNT" --out "$out/gf.txt"

status=0
aes_rtl="rtl/crypto/aes_sbox.sv rtl/crypto/aes_sbox_ram.sv rtl/crypto/aes_sub_bytes.sv rtl/crypto/aes_round.sv rtl/crypto/aes_key_step.sv rtl/crypto/aes_enc_pipe.sv"
for st in $AES_STAGES; do
    for ram in $AES_SBOX_RAM; do
        bin=$(build tb_aes_enc_pipe "STAGES=$st SBOX_RAM=$ram" "$aes_rtl")
        if ! nice "$bin" +vec="$out/aes.txt" +seed="$SEED" +gap="$GAP"; then
            echo "tb/crypto: aes_enc_pipe STAGES=$st SBOX_RAM=$ram FAILED (seed $SEED)" >&2
            status=1
        fi
    done
done
for d in $GF_DIGITS; do
    bin=$(build tb_gf128_mul "DIGIT=$d" rtl/crypto/gf128_mul.sv)
    if ! nice "$bin" +vec="$out/gf.txt" +seed="$SEED" +gap="$GAP"; then
        echo "tb/crypto: gf128_mul DIGIT=$d FAILED (seed $SEED)" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "tb/crypto: all passed"
exit $status
