// Context table of one direction: the walker's part of every context in
// block RAM, read one frame ahead (`ctx_ram`).
//
// Two memories, read together for one context:
//   state: the walker state (tlsnic_pkg::wst_t) and, for RX, the sync state
//          (rxst_t); written by the walker at each frame's end and by
//          commands;
//   keys:  the control word (kctl_t: installed, TLS 1.3, AES-256, RX
//          stack-driven), the key and the IV; written by commands only.
// The prefetch port serves the walker, or the command unit while the
// pipeline is held (the owner muxes). Latency: one clock.
`default_nettype none

module ctx_table #(
    parameter int N_CTX = 64,
    parameter int CTX_W = $clog2(N_CTX),
    parameter bit RX    = 1'b0
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 pf_req,
    input  logic [CTX_W-1:0]     pf_ctx,
    input  logic                 pf_drop,
    output logic                 pf_valid,
    output logic [CTX_W-1:0]     pf_ctx_q,
    output tlsnic_pkg::wst_t     pf_st,
    output tlsnic_pkg::rxst_t    pf_rxs,
    output tlsnic_pkg::kctl_t    pf_kc,
    output logic [255:0]         pf_key,
    output logic [95:0]          pf_iv,

    input  logic                 st_wr,
    input  logic [CTX_W-1:0]     st_wr_ctx,
    input  tlsnic_pkg::wst_t     st_wr_st,
    input  tlsnic_pkg::rxst_t    st_wr_rxs,

    input  logic                 key_wr,
    input  logic [CTX_W-1:0]     key_wr_ctx,
    input  tlsnic_pkg::kctl_t    key_wr_kc,
    input  logic [255:0]         key_wr_key,
    input  logic [95:0]          key_wr_iv
);

    localparam int ST_W  = $bits(st_wr_st);
    localparam int RXS_W = RX ? $bits(st_wr_rxs) : 0;
    localparam int KC_W  = $bits(key_wr_kc);
    localparam int KEY_W = KC_W + 256 + 96;

    logic               s_valid, k_valid;
    logic [CTX_W-1:0]   s_ctx_q, k_ctx_unused;
    logic [KEY_W-1:0]   k_data;

    if (RX) begin : g_rx
        logic [ST_W+RXS_W-1:0] s_data;
        ctx_ram #(.WIDTH(ST_W + RXS_W), .DEPTH(N_CTX)) u_state (
            .clk(clk), .rst(rst),
            .wr_en(st_wr), .wr_addr(st_wr_ctx), .wr_data({st_wr_st, st_wr_rxs}),
            .pf_req(pf_req), .pf_addr(pf_ctx), .pf_drop(pf_drop),
            .pf_valid(s_valid), .pf_addr_q(s_ctx_q), .pf_data(s_data)
        );
        assign pf_st  = s_data[ST_W+RXS_W-1 -: ST_W];
        assign pf_rxs = s_data[RXS_W-1:0];
    end else begin : g_tx
        logic [ST_W-1:0] s_data;
        /* verilator lint_off UNUSEDSIGNAL */ // TX has no sync state
        tlsnic_pkg::rxst_t rxs_unused;
        /* verilator lint_on UNUSEDSIGNAL */
        assign rxs_unused = st_wr_rxs;
        ctx_ram #(.WIDTH(ST_W), .DEPTH(N_CTX)) u_state (
            .clk(clk), .rst(rst),
            .wr_en(st_wr), .wr_addr(st_wr_ctx), .wr_data(st_wr_st),
            .pf_req(pf_req), .pf_addr(pf_ctx), .pf_drop(pf_drop),
            .pf_valid(s_valid), .pf_addr_q(s_ctx_q), .pf_data(s_data)
        );
        assign pf_st  = s_data;
        assign pf_rxs = '0;
    end

    ctx_ram #(.WIDTH(KEY_W), .DEPTH(N_CTX)) u_keys (
        .clk(clk), .rst(rst),
        .wr_en(key_wr), .wr_addr(key_wr_ctx), .wr_data({key_wr_kc, key_wr_key, key_wr_iv}),
        .pf_req(pf_req), .pf_addr(pf_ctx), .pf_drop(pf_drop),
        .pf_valid(k_valid), .pf_addr_q(k_ctx_unused), .pf_data(k_data)
    );

    assign pf_valid = s_valid;
    assign pf_ctx_q = s_ctx_q;
    assign pf_kc    = k_data[KEY_W-1 -: KC_W];
    assign pf_key   = k_data[96 +: 256];
    assign pf_iv    = k_data[95:0];

    // Assertions
    `TLSNIC_ASSERT(CtxTablesInStep, s_valid == k_valid, clk, rst)

endmodule

`default_nettype wire
