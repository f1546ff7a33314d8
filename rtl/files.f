// tlsnic RTL file list: the single source read by simulation (sim/build.rs),
// lint (make lint) and synthesis (syn/). One file per line, relative to the
// repository root; packages first. `//` starts a comment.

// assertion macros (only `define`s): first, so that every later file sees them
rtl/common/tlsnic_assert.sv

// packages: the generated register map (scripts/gen_regmap.py), the
// engines' shared types, the parser's types
rtl/common/tlsnic_regs_pkg.sv
rtl/common/tlsnic_pkg.sv
rtl/net/net_pkg.sv

// common cells
rtl/common/axil_reg_if.sv
rtl/common/sync_fifo.sv
rtl/common/fifo_mp.sv
rtl/common/ram_sdp.sv
rtl/common/fifo_ram.sv
rtl/common/ctx_ram.sv

// protocol checkers (assertions only; empty under SYNTHESIS)
rtl/common/axis_checker.sv
rtl/common/axil_checker.sv

// crypto: AES, keystream
rtl/crypto/aes_sbox.sv
rtl/crypto/aes_sbox_ram.sv
rtl/crypto/aes_sub_bytes.sv
rtl/crypto/aes_round.sv
rtl/crypto/aes_key_step.sv
rtl/crypto/aes_enc_pipe.sv
rtl/crypto/ks_gen.sv

// crypto: GHASH / GCM
rtl/crypto/gf128_mul.sv
rtl/crypto/ghash_core.sv
rtl/crypto/gcm_core.sv

// net: frame parsing and checksums, ingress
rtl/net/net_hdr_parse.sv
rtl/net/tcp_csum.sv
rtl/net/frame_ingress.sv

// record engine stages shared by TX and RX
rtl/engine/ctx_table.sv
rtl/engine/rec_step.sv
rtl/engine/retx_desc.sv
rtl/engine/walk_admit.sv
rtl/engine/rec_walker.sv
rtl/engine/gcm_blocks.sv
rtl/engine/gcm_blocks16.sv
rtl/engine/gcm_datapath.sv
rtl/engine/tag_stage.sv
rtl/engine/eng_cmd.sv
rtl/engine/rec_pipe.sv

// TX engine
rtl/tx/tx_admit.sv
rtl/tx/tx_egress.sv
rtl/tx/tx_stats.sv
rtl/tx/tx_engine.sv

// RX engine
rtl/rx/rx_admit.sv
rtl/rx/rx_flow.sv
rtl/rx/rx_egress.sv
rtl/rx/rx_stats.sv
rtl/rx/rx_engine.sv

// tops
rtl/top/gcm_stream_top.sv
rtl/top/tlsnic_csr.sv
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
