// TX engine: encrypts the host's marked segments, writes their tags and
// TCP checksums, rebuilds crypto state from DUMP frames, drops what it
// cannot encrypt (docs/engine.md, docs/tx.md).
//
//   s_* -> frame_ingress -> rec_pipe -> tx_egress -> m_*
//          (parse)          (walker, keystream,     (checksum, drops)
//                            datapath, tags; commands)
//
// Host frames carry the TX descriptor in tuser: the frame's context is the
// descriptor's id (a frame naming one outside the table is dropped).
// Tag completions (the context, record number and tag of every record whose
// tag a SEND frame finalized) leave as events on m_evt_* (EVT_* record,
// EVTD_* in tuser), through a 32-entry block-RAM queue; when it is full a
// completion is lost and counted (TX_CNT_EVT_LOST), the frames go on. Latency
// of a frame: its length plus about 40 clocks; one beat per clock for
// back-to-back frames of any connections.
`default_nettype none

module tx_engine #(
    parameter int DATA_W = 128,
    parameter int N_CTX  = 64,
    parameter int OUT_BEATS = 1024,     // egress frame FIFO (two 9600-byte frames at 128 bits)
    parameter int AES_STAGES  = 14,     // crypto configuration: rec_pipe
    parameter int GHASH_DIGIT = 128,
    parameter int KS_DEPTH    = 32 * (DATA_W / 128),
    parameter int LEAN        = 0
   ) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic [DATA_W-1:0]    s_tdata,
    input  logic [DATA_W/8-1:0]  s_tkeep,
    input  logic                 s_tvalid,
    output logic                 s_tready,
    input  logic                 s_tlast,
    input  logic [63:0]          s_tuser,

    output logic [DATA_W-1:0]    m_tdata,
    output logic [DATA_W/8-1:0]  m_tkeep,
    output logic                 m_tvalid,
    input  logic                 m_tready,
    output logic                 m_tlast,

    output logic [DATA_W-1:0]    m_evt_tdata,
    output logic [DATA_W/8-1:0]  m_evt_tkeep,
    output logic                 m_evt_tvalid,
    input  logic                 m_evt_tready,
    output logic                 m_evt_tlast,
    output logic [63:0]          m_evt_tuser,

    input  logic                 cmd_valid,
    input  logic [2:0]           cmd_op,
    input  logic [15:0]          cmd_ctx,
    input  logic [255:0]         cmd_key,
    input  logic                 cmd_key256,
    input  logic                 cmd_v13,
    input  logic [95:0]          cmd_iv,
    input  logic [31:0]          cmd_seq,
    input  logic [63:0]          cmd_rec,
    output logic                 cmd_done,
    output logic                 cmd_err,
    output logic [3:0]           cmd_code,

    output logic [32*tlsnic_regs_pkg::TX_CNT_N-1:0] stats
);

    localparam int W     = DATA_W / 8;
    localparam int CTX_W = $clog2(N_CTX);

    if (W < 16 || (W & (W - 1)) != 0 || W > 64 || (1 << CTX_W) != N_CTX) begin : g_bad
        $error("tx_engine: DATA_W must be 128, 256 or 512 and N_CTX a power of two");
    end

    // -------------------------------------------------------------- ingress
    logic [DATA_W-1:0] i_data;
    logic [W-1:0]      i_keep;
    logic              i_last, i_valid, i_ready;
    logic              m_valid_i, m_ready_i, e_valid_i, e_ready_i;
    tlsnic_pkg::imeta_t meta;
    tlsnic_pkg::iend_t  endr;

    frame_ingress #(.DATA_W(DATA_W), .DEPTH(64), .CSUM(1'b0)) u_in (
        .clk(clk), .rst(rst),
        .s_tdata(s_tdata), .s_tkeep(s_tkeep), .s_tvalid(s_tvalid), .s_tready(s_tready),
        .s_tlast(s_tlast), .s_tuser(s_tuser),
        .out_data(i_data), .out_keep(i_keep), .out_last(i_last), .out_valid(i_valid), .out_ready(i_ready),
        .meta_valid(m_valid_i), .meta_ready(m_ready_i), .meta(meta),
        .end_valid(e_valid_i), .end_ready(e_ready_i), .end_rec(endr)
    );

    // The frame's context: the descriptor's id, when in range.
    logic [15:0] d_ctx;
    logic        d_ok;
    assign d_ctx = meta.tuser[tlsnic_regs_pkg::TXD_CTX_LSB +: tlsnic_regs_pkg::TXD_CTX_W];
    assign d_ok  = 32'(d_ctx) < N_CTX;

    // ------------------------------------------------------------- pipeline
    logic              e_valid, e_ready, e_last, e_first;
    logic [DATA_W-1:0] e_data;
    logic [W-1:0]      e_keep;
    tlsnic_pkg::fdesc_t e_fd;
    tlsnic_pkg::fres_t  e_res;
    logic [15:0]        e_tagw;
    logic              ev_add, ev_del;
    logic              tc_valid;
    logic [15:0]       tc_ctx;
    logic [63:0]       tc_rec;
    logic [127:0]      tc_tag;
    /* verilator lint_off UNUSEDSIGNAL */ // the RX parts of the pipeline's interface
    logic [DATA_W-1:0] e_orig_unused;
    logic              e_auth_unused, hold_unused, flush_unused;
    logic              f_look_unused, f_direct_unused, f_wr_unused, f_clear_unused, f_wr_valid_unused, f_wr_bank_unused;
    logic [3:0]        f_wr_bucket_unused;
    logic [1:0]        f_wr_way_unused;
    logic [CTX_W-1:0]  f_wr_ctx_unused;
    logic [15:0]       result_unused;
    logic              ev_full_unused, ev_ok_unused, ev_ign_unused;
    /* verilator lint_on UNUSEDSIGNAL */

    rec_pipe #(.W(W), .RX(1'b0), .N_CTX(N_CTX), .AES_STAGES(AES_STAGES), .GHASH_DIGIT(GHASH_DIGIT),
               .KS_DEPTH(KS_DEPTH), .LEAN(LEAN)) u_pipe (
        .clk(clk), .rst(rst),
        .hd_valid(m_valid_i), .hd_ready(m_ready_i), .hd_meta(meta), .hd_hit(d_ok),
        .hd_ctx(d_ok ? CTX_W'(d_ctx) : '0),
        .in_valid(i_valid), .in_ready(i_ready), .in_data(i_data), .in_keep(i_keep), .in_last(i_last),
        .end_valid(e_valid_i), .end_ready(e_ready_i), .end_rec(endr),
        .e_valid(e_valid), .e_ready(e_ready), .e_data(e_data), .e_orig(e_orig_unused), .e_keep(e_keep),
        .e_last(e_last), .e_first(e_first), .e_fd(e_fd), .e_res(e_res), .e_auth_fail(e_auth_unused),
        .e_tagw(e_tagw),
        .cmd_valid(cmd_valid), .cmd_op(cmd_op), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key), .cmd_key256(cmd_key256),
        .cmd_v13(cmd_v13), .cmd_iv(cmd_iv), .cmd_seq(cmd_seq), .cmd_rec(cmd_rec), .cmd_sd(1'b0), .cmd_flow('0),
        .cmd_done(cmd_done), .cmd_err(cmd_err), .cmd_code(cmd_code), .cmd_result(result_unused),
        .hold(hold_unused), .flush(flush_unused),
        .f_look(f_look_unused), .f_direct(f_direct_unused), .f_done(1'b0), .f_hit(1'b0), .f_room(1'b0),
        .f_bank(1'b0), .f_bucket(4'd0), .f_way(2'd0), .f_wr(f_wr_unused), .f_clear(f_clear_unused), .f_wr_valid(f_wr_valid_unused),
        .f_wr_bank(f_wr_bank_unused), .f_wr_bucket(f_wr_bucket_unused), .f_wr_way(f_wr_way_unused),
        .f_wr_ctx(f_wr_ctx_unused),
        .tc_valid(tc_valid), .tc_ctx(tc_ctx), .tc_rec(tc_rec), .tc_tag(tc_tag),
        .ev_add(ev_add), .ev_del(ev_del), .ev_full(ev_full_unused), .ev_res_ok(ev_ok_unused),
        .ev_res_ign(ev_ign_unused)
    );

    // ------------------------------------------------------ tag completions
    localparam int EV_N     = tlsnic_regs_pkg::EVT_HDR_BYTES;
    localparam int EV_BEATS = (EV_N + W - 1) / W;
    localparam int EB_W     = (EV_BEATS > 1) ? $clog2(EV_BEATS) : 1;
    logic          evq_ready, evq_valid, evq_pop, ev_lost;
    logic [207:0]  evq_out;
    logic [5:0]    evq_count_unused;
    fifo_ram #(.WIDTH(208), .DEPTH(32)) u_evq (
        .clk(clk), .rst(rst),
        .in_valid(tc_valid), .in_ready(evq_ready), .in_data({tc_ctx, tc_rec, tc_tag}),
        .out_valid(evq_valid), .out_ready(evq_pop), .out_data(evq_out), .count(evq_count_unused)
    );
    assign ev_lost = tc_valid && !evq_ready;

    // The event record by lane (lane i = byte i), beat by beat.
    logic [8*EV_BEATS*W-1:0] ev_bytes;
    logic [EB_W-1:0]         eb_reg;
    always_comb begin : ev_record
        ev_bytes = '0;
        for (int i = 0; i < 8; i++) begin
            ev_bytes[8*(tlsnic_regs_pkg::EVT_REC_OFF + i) +: 8] = evq_out[191 - 8*i -: 8];
        end
        for (int i = 0; i < 16; i++) begin
            ev_bytes[8*(tlsnic_regs_pkg::EVT_TAG_OFF + i) +: 8] = evq_out[127 - 8*i -: 8];
        end
        for (int l = 0; l < W; l++) begin
            m_evt_tkeep[l] = 32'(eb_reg) * W + l < EV_N;
        end
    end
    assign m_evt_tdata  = ev_bytes[DATA_W*32'(eb_reg) +: DATA_W];
    assign m_evt_tvalid = evq_valid;
    assign m_evt_tlast  = 32'(eb_reg) == EV_BEATS - 1;
    assign m_evt_tuser  = 64'(evq_out[207:192]) << tlsnic_regs_pkg::EVTD_CTX_LSB
                        | 64'(tlsnic_regs_pkg::EVTD_TYPE_TX_TAG) << tlsnic_regs_pkg::EVTD_TYPE_LSB;
    assign evq_pop      = m_evt_tvalid && m_evt_tready && m_evt_tlast;
    always_ff @(posedge clk) begin : ev_beats
        if (m_evt_tvalid && m_evt_tready) begin
            eb_reg <= m_evt_tlast ? '0 : eb_reg + EB_W'(1);
        end
        if (rst) begin
            eb_reg <= '0;
        end
    end

    // -------------------------------------------------------------- egress
    logic              ev_valid, eg_idle_unused;
    tlsnic_pkg::fres_t ev_res;
    tx_egress #(.W(W), .DEPTH(OUT_BEATS)) u_out (
        .clk(clk), .rst(rst),
        .in_valid(e_valid), .in_ready(e_ready), .in_data(e_data), .in_keep(e_keep), .in_last(e_last),
        .in_first(e_first), .in_fd(e_fd), .in_res(e_res), .in_tagw(e_tagw),
        .m_tdata(m_tdata), .m_tkeep(m_tkeep), .m_tvalid(m_tvalid), .m_tready(m_tready), .m_tlast(m_tlast),
        .ev_valid(ev_valid), .ev_res(ev_res), .idle(eg_idle_unused)
    );

    tx_stats u_stats (
        .clk(clk), .rst(rst), .ev_valid(ev_valid), .ev_res(ev_res), .ev_add(ev_add), .ev_del(ev_del),
        .ev_lost(ev_lost), .cnt(stats)
    );

endmodule

`default_nettype wire
