// tlsnic RTL file list: the single source read by simulation (sim/build.rs),
// lint (make lint) and synthesis (syn/). One file per line, relative to the
// repository root; packages first. `//` starts a comment.

// assertion macros (only `define`s): first, so that every later file sees them
rtl/common/tlsnic_assert.sv

// packages: the generated register map (scripts/gen_regmap.py)
rtl/common/tlsnic_regs_pkg.sv

// common cells
rtl/common/axil_reg_if.sv
rtl/common/sync_fifo.sv

// protocol checkers (assertions only; empty under SYNTHESIS)
rtl/common/axis_checker.sv
rtl/common/axil_checker.sv

// crypto: AES
rtl/crypto/aes_sbox.sv
rtl/crypto/aes_round.sv
rtl/crypto/aes_key_step.sv
rtl/crypto/aes_enc_pipe.sv

// crypto: GHASH / GCM
rtl/crypto/gf128_mul.sv
rtl/crypto/gcm_core.sv

// record engine: TX encryption and RX decryption
rtl/core/tls_engine.sv

// net: frame parsing and checksums
rtl/net/net_pkg.sv
rtl/net/net_hdr_parse.sv
rtl/net/tcp_csum.sv

// tops
rtl/top/gcm_stream_top.sv
rtl/top/tls_offload_top.sv
