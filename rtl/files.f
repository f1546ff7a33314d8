// tlsnic RTL file list: the single source read by simulation (sim/build.rs),
// lint (make lint) and synthesis (syn/). One file per line, relative to the
// repository root; packages first. `//` starts a comment.

// common cells
rtl/common/axil_reg_if.sv
rtl/common/sync_fifo.sv

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

// board self-test (docs/synthesis.md): the core, its simulation top, the
// ECPIX-5 top (the PLL primitive only under `ifdef SYNTHESIS)
rtl/board/board_conn_cfg.sv
rtl/board/board_axil_master.sv
rtl/board/board_seq.sv
rtl/board/board_frame_gen.sv
rtl/board/board_checker.sv
rtl/board/board_axis_slice.sv
rtl/board/board_reset_sync.sv
rtl/board/tls_offload_stub.sv
rtl/board/board_selftest.sv
rtl/board/board_sim_top.sv
rtl/board/board_ecp5_pll.sv
rtl/board/ecpix5_top.sv
