// RX engine: classifies wire frames, decrypts and authenticates the records
// of offloaded flows in place, all or nothing per frame, keeps and regains
// record sync (docs/engine.md, docs/rx.md).
//
//   s_* -> frame_ingress -> rx_flow ---> rec_pipe -> rx_egress -> m_*
//          (parse, TCP     (4-tuple     (walker, scan and resync,  (verdict,
//           checksum)       -> context)  keystream, datapath,       descriptor)
//                                        tag check; commands)
//
// The RX descriptor goes out in m_tuser (docs/rx.md). Latency and
// throughput as for the TX engine.
`default_nettype none

module rx_engine #(
    parameter int DATA_W = 128,
    parameter int N_CTX  = 64,
    parameter int OUT_BEATS = 1024,     // egress frame FIFO
    parameter int RESYNC_CONFIRM  = 1,  // headers found after a candidate before asking
    parameter int RESYNC_PATIENCE = 16, // records to wait for the answer, then rescan
    parameter int AES_STAGES  = 14,     // crypto configuration: rec_pipe
    parameter int GHASH_DIGIT = 128,
    parameter int KS_DEPTH    = 32 * (DATA_W / 128),
    parameter int LEAN        = 0,
    parameter int FLOW_WAYS   = 4       // RX flow table ways per bucket (a power of two >= 2)
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic [DATA_W-1:0]    s_tdata,
    input  logic [DATA_W/8-1:0]  s_tkeep,
    input  logic                 s_tvalid,
    output logic                 s_tready,
    input  logic                 s_tlast,

    output logic [DATA_W-1:0]    m_tdata,
    output logic [DATA_W/8-1:0]  m_tkeep,
    output logic                 m_tvalid,
    input  logic                 m_tready,
    output logic                 m_tlast,
    output logic [63:0]          m_tuser,

    input  logic                 cmd_valid,
    input  logic [2:0]           cmd_op,
    input  logic [15:0]          cmd_ctx,
    input  logic [255:0]         cmd_key,
    input  logic                 cmd_key256,
    input  logic                 cmd_v13,
    input  logic [95:0]          cmd_iv,
    input  logic [31:0]          cmd_seq,
    input  logic [63:0]          cmd_rec,
    input  logic                 cmd_sd,
    input  logic                 cmd_v6,
    input  logic [127:0]         cmd_saddr,     // IPv4 in [127:96]
    input  logic [127:0]         cmd_daddr,
    input  logic [31:0]          cmd_ports,
    output logic                 cmd_done,
    output logic                 cmd_err,
    output logic [3:0]           cmd_code,
    output logic [15:0]          cmd_result,

    output logic [32*tlsnic_regs_pkg::RX_CNT_N-1:0] stats
);

    localparam int W       = DATA_W / 8;
    localparam int CTX_W   = $clog2(N_CTX);
    // Flow table: 2 * N_CTX entries, in buckets of FLOW_WAYS ways
    localparam int WAY_W   = $clog2(FLOW_WAYS);
    localparam int BUCKETS = (N_CTX / FLOW_WAYS >= 2) ? N_CTX / FLOW_WAYS : 2;
    localparam int BKT_W   = $clog2(BUCKETS);

    if (W < 16 || (W & (W - 1)) != 0 || W > 64 || (1 << CTX_W) != N_CTX) begin : g_bad
        $error("rx_engine: DATA_W must be 128, 256 or 512 and N_CTX a power of two");
    end

    // -------------------------------------------------------------- ingress
    logic [DATA_W-1:0] i_data;
    logic [W-1:0]      i_keep;
    logic              i_last, i_valid, i_ready;
    logic              m_valid_i, m_ready_i, e_valid_i, e_ready_i;
    tlsnic_pkg::imeta_t meta;
    tlsnic_pkg::iend_t  endr;

    frame_ingress #(.DATA_W(DATA_W), .DEPTH(64), .CSUM(1'b1)) u_in (
        .clk(clk), .rst(rst),
        .s_tdata(s_tdata), .s_tkeep(s_tkeep), .s_tvalid(s_tvalid), .s_tready(s_tready),
        .s_tlast(s_tlast), .s_tuser(64'd0),
        .out_data(i_data), .out_keep(i_keep), .out_last(i_last), .out_valid(i_valid), .out_ready(i_ready),
        .meta_valid(m_valid_i), .meta_ready(m_ready_i), .meta(meta),
        .end_valid(e_valid_i), .end_ready(e_ready_i), .end_rec(endr)
    );

    // ------------------------------------------------------------ flow table
    logic               hd_valid, hd_ready, hd_hit, hold, flush;
    tlsnic_pkg::imeta_t hd_meta;
    logic [CTX_W-1:0]   hd_ctx;
    logic               f_look, f_direct, f_done, f_hit, f_room, f_bank, f_wr, f_clear, f_wr_valid, f_wr_bank;
    logic [BKT_W-1:0]   f_bucket, f_wr_bucket;
    logic [WAY_W-1:0]   f_way, f_wr_way;
    logic [CTX_W-1:0]   f_wr_ctx;
    /* verilator lint_off UNUSEDSIGNAL */ // an add checks only that the flow is not there
    logic [CTX_W-1:0]   f_hit_ctx_unused;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [288:0]       cmd_flow;
    assign cmd_flow = {cmd_v6, cmd_v6 ? cmd_saddr : {cmd_saddr[127:96], 96'd0},
                       cmd_v6 ? cmd_daddr : {cmd_daddr[127:96], 96'd0}, cmd_ports};

    rx_flow #(.N_CTX(N_CTX), .WAYS(FLOW_WAYS), .BUCKETS(BUCKETS)) u_flow (
        .clk(clk), .rst(rst),
        .m_valid(m_valid_i), .m_ready(m_ready_i), .m_meta(meta),
        .hd_valid(hd_valid), .hd_ready(hd_ready), .hd_meta(hd_meta), .hd_hit(hd_hit), .hd_ctx(hd_ctx),
        .hold(hold), .flush(flush),
        .c_look(f_look), .c_direct(f_direct), .c_key(cmd_flow), .c_done(f_done), .c_hit(f_hit),
        .c_hit_ctx(f_hit_ctx_unused), .c_room(f_room), .c_bank(f_bank), .c_bucket(f_bucket), .c_way(f_way),
        .c_wr(f_wr), .c_clear(f_clear), .c_wr_valid(f_wr_valid), .c_wr_bank(f_wr_bank), .c_wr_bucket(f_wr_bucket),
        .c_wr_way(f_wr_way), .c_wr_ctx(f_wr_ctx)
    );

    // ------------------------------------------------------------- pipeline
    logic              e_valid, e_ready, e_last, e_auth;
    logic [DATA_W-1:0] e_data, e_orig;
    logic [W-1:0]      e_keep;
    tlsnic_pkg::fres_t e_res;
    logic              ev_add, ev_del, ev_full, ev_res_ok, ev_res_ign;
    /* verilator lint_off UNUSEDSIGNAL */ // the TX egress needs the frame descriptor, RX does not
    logic               e_first_unused;
    logic [15:0]        e_tagw_unused;
    tlsnic_pkg::fdesc_t e_fd_unused;
    logic               tc_valid_unused;    // tag completions: TX only
    logic [15:0]        tc_ctx_unused;
    logic [63:0]        tc_rec_unused;
    logic [127:0]       tc_tag_unused;
    /* verilator lint_on UNUSEDSIGNAL */

    rec_pipe #(.W(W), .RX(1'b1), .N_CTX(N_CTX), .BKT_W(BKT_W), .WAY_W(WAY_W), .RESYNC_CONFIRM(RESYNC_CONFIRM),
               .RESYNC_PATIENCE(RESYNC_PATIENCE), .AES_STAGES(AES_STAGES), .GHASH_DIGIT(GHASH_DIGIT),
               .KS_DEPTH(KS_DEPTH), .LEAN(LEAN)) u_pipe (
        .clk(clk), .rst(rst),
        .hd_valid(hd_valid), .hd_ready(hd_ready), .hd_meta(hd_meta), .hd_hit(hd_hit), .hd_ctx(hd_ctx),
        .in_valid(i_valid), .in_ready(i_ready), .in_data(i_data), .in_keep(i_keep), .in_last(i_last),
        .end_valid(e_valid_i), .end_ready(e_ready_i), .end_rec(endr),
        .e_valid(e_valid), .e_ready(e_ready), .e_data(e_data), .e_orig(e_orig), .e_keep(e_keep),
        .e_last(e_last), .e_first(e_first_unused), .e_fd(e_fd_unused), .e_res(e_res), .e_auth_fail(e_auth),
        .e_tagw(e_tagw_unused),
        .cmd_valid(cmd_valid), .cmd_op(cmd_op), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key), .cmd_key256(cmd_key256),
        .cmd_v13(cmd_v13), .cmd_iv(cmd_iv), .cmd_seq(cmd_seq), .cmd_rec(cmd_rec), .cmd_sd(cmd_sd),
        .cmd_flow(cmd_flow),
        .cmd_done(cmd_done), .cmd_err(cmd_err), .cmd_code(cmd_code), .cmd_result(cmd_result),
        .hold(hold), .flush(flush),
        .f_look(f_look), .f_direct(f_direct), .f_done(f_done), .f_hit(f_hit), .f_room(f_room), .f_bank(f_bank),
        .f_bucket(f_bucket), .f_way(f_way), .f_wr(f_wr), .f_clear(f_clear), .f_wr_valid(f_wr_valid),
        .f_wr_bank(f_wr_bank),
        .f_wr_bucket(f_wr_bucket), .f_wr_way(f_wr_way), .f_wr_ctx(f_wr_ctx),
        .tc_valid(tc_valid_unused), .tc_ctx(tc_ctx_unused), .tc_rec(tc_rec_unused), .tc_tag(tc_tag_unused),
        .ev_add(ev_add), .ev_del(ev_del), .ev_full(ev_full), .ev_res_ok(ev_res_ok), .ev_res_ign(ev_res_ign)
    );

    // -------------------------------------------------------------- egress
    logic              ev_valid, eg_idle_unused;
    tlsnic_pkg::fres_t ev_res;
    rx_egress #(.W(W), .DEPTH(OUT_BEATS)) u_out (
        .clk(clk), .rst(rst),
        .in_valid(e_valid), .in_ready(e_ready), .in_data(e_data), .in_orig(e_orig), .in_keep(e_keep),
        .in_last(e_last), .in_res(e_res), .in_auth_fail(e_auth),
        .m_tdata(m_tdata), .m_tkeep(m_tkeep), .m_tvalid(m_tvalid), .m_tready(m_tready), .m_tlast(m_tlast),
        .m_tuser(m_tuser),
        .ev_valid(ev_valid), .ev_res(ev_res), .idle(eg_idle_unused)
    );

    rx_stats u_stats (
        .clk(clk), .rst(rst), .ev_valid(ev_valid), .ev_res(ev_res), .ev_add(ev_add), .ev_del(ev_del),
        .ev_full(ev_full), .ev_res_ok(ev_res_ok), .ev_res_ign(ev_res_ign), .cnt(stats)
    );

endmodule

`default_nettype wire
