// The record pipeline of an engine: everything between the frame head (a
// parsed frame with its context) and the egress, the same for TX and RX.
//
//   hd_*, beats -> rec_walker --> plan FIFO ------> gcm_datapath -> FIFO -> tag_stage -> e_*
//                  | ctx_table    (block RAM)       | ghash_core           (tags)
//                  | admission                      | H, GHASH tables
//                  +-> ks_gen (AES-CTR) ------------+
//                  +-> AAD queue -------------------+
//   cmd_* -> eng_cmd (holds the walker, drains, runs, releases)
//
// The walker runs ahead of the datapath by at least the keystream latency
// (16 clocks) and the datapath ahead of the tag stage by the GHASH latency;
// the FIFOs between them keep that lead once it has built up, so the
// pipeline moves one beat per clock. Each stage owns the context state it
// uses (walker state and keys, H and GHASH state, tag state) and reads it
// one frame ahead. RX passes the received beat along for the egress.
// TX: two small queues from the walker to the tag stage, the record number
// of every tag finalized and the descriptor tags of retransmissions; the
// tag stage's completions (context, record number, tag) leave on `tc_*`.
`default_nettype none

module rec_pipe #(
    parameter int W      = 16,              // beat bytes
    parameter bit RX     = 1'b0,
    parameter int N_CTX  = 64,
    parameter int CTX_W  = $clog2(N_CTX),
    parameter int BKT_W  = 4,               // RX flow table bucket index
    parameter int WAY_W  = 2,               // RX flow table way index
    parameter int RESYNC_CONFIRM  = 1,
    parameter int RESYNC_PATIENCE = 16,
    // Crypto configuration (docs/synthesis.md: the board configuration);
    // the defaults are the full-rate datapath.
    parameter int AES_STAGES  = 14,         // AES round units per engine: < 14 folds the AES (ks_gen)
    parameter int GHASH_DIGIT = 128,        // GF(2^128) multiplier: 128 = pipelined, else digit-serial
    parameter int KS_DEPTH    = 32 * (W / 16),  // keystream queue entries
    parameter int LEAN        = 0           // W = 16: area-lean forms of the same functions (gcm_blocks16, S-boxes in block RAM, shorter AAD and keystream request queues)
) (
    input  logic                 clk,
    input  logic                 rst,

    // Frames: head records and beats (frame_ingress, rx_flow)
    input  logic                 hd_valid,
    output logic                 hd_ready,
    input  tlsnic_pkg::imeta_t   hd_meta,
    input  logic                 hd_hit,
    input  logic [CTX_W-1:0]     hd_ctx,
    input  logic                 in_valid,
    output logic                 in_ready,
    input  logic [W*8-1:0]       in_data,
    input  logic [W-1:0]         in_keep,
    input  logic                 in_last,
    input  logic                 end_valid,
    output logic                 end_ready,
    input  tlsnic_pkg::iend_t    end_rec,

    // To the egress, one beat at a time
    output logic                 e_valid,
    input  logic                 e_ready,
    output logic [W*8-1:0]       e_data,
    output logic [W*8-1:0]       e_orig,        // RX: as received
    output logic [W-1:0]         e_keep,
    output logic                 e_last,
    output logic                 e_first,
    output tlsnic_pkg::fdesc_t   e_fd,          // with e_first
    output tlsnic_pkg::fres_t    e_res,         // with e_last
    output logic                 e_auth_fail,   // with e_last (RX)
    output logic [15:0]          e_tagw,        // with e_last: tag bytes written (TX)

    // Commands
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
    input  logic [288:0]         cmd_flow,
    output logic                 cmd_done,
    output logic                 cmd_err,
    output logic [3:0]           cmd_code,
    output logic [15:0]          cmd_result,
    output logic                 hold,          // a command holds the frame head
    output logic                 flush,         // ...and the tables change under it

    // RX flow table commands (rx_flow)
    output logic                 f_look,
    output logic                 f_direct,
    input  logic                 f_done,
    input  logic                 f_hit,
    input  logic                 f_room,
    input  logic                 f_bank,
    input  logic [BKT_W-1:0]     f_bucket,
    input  logic [WAY_W-1:0]     f_way,
    output logic                 f_wr,
    output logic                 f_clear,
    output logic                 f_wr_valid,
    output logic                 f_wr_bank,
    output logic [BKT_W-1:0]     f_wr_bucket,
    output logic [WAY_W-1:0]     f_wr_way,
    output logic [CTX_W-1:0]     f_wr_ctx,

    // Command events (counters)
    output logic                 tc_valid,      // TX tag completion
    output logic [15:0]          tc_ctx,
    output logic [63:0]          tc_rec,
    output logic [127:0]         tc_tag,

    output logic                 ev_add,
    output logic                 ev_del,
    output logic                 ev_full,
    output logic                 ev_res_ok,
    output logic                 ev_res_ign
);

    localparam int P     = W / 16;              // AES and GHASH blocks per clock
    // GHASH lanes: 2 per block per clock (the pipelined multiplier takes a
    // lane's next block 2 clocks later); 1 in the lean form, whose
    // digit-serial multiplier (a product every 5 clocks per lane) still
    // outruns the folded AES (a block every 7 clocks).
    localparam int K     = (LEAN != 0) ? 1 : 2 * P;
    localparam int WIN   = 2 * P + 2;           // keystream entries a step may use
    localparam int KS_D  = KS_DEPTH;
    localparam int KS_CW = $clog2(KS_D) + 1;

    // ------------------------------------------------------------- commands
    logic wipe, scrub, drained, park;
    logic c_pf_req, c_st_wr, c_key_wr, c_k_req, c_k_key_valid, c_k_pop;
    logic [CTX_W-1:0] c_pf_ctx, c_wr_ctx;
    tlsnic_pkg::wst_t  c_st;
    tlsnic_pkg::rxst_t c_rxs;
    tlsnic_pkg::kctl_t c_kc;
    logic [255:0] c_key;
    logic [95:0]  c_iv;
    tlsnic_pkg::ksreq_t c_rq;
    logic [255:0] c_k_key;
    logic         c_k_key256;
    logic         c_pw_start, c_pw_done, c_h_wr;
    logic [127:0] c_pw_h;
    logic [K*128-1:0] c_pw_pow, c_h_pow;
    assign f_wr_ctx = c_wr_ctx;

    // ---------------------------------------------------- context table
    logic             w_pf_req, w_pf_drop, w_wb;
    logic [CTX_W-1:0] w_pf_ctx, w_wb_ctx;
    tlsnic_pkg::wst_t  w_wb_st;
    tlsnic_pkg::rxst_t w_wb_rxs;
    logic             t_pf_valid;
    logic [CTX_W-1:0] t_pf_ctx_q;
    tlsnic_pkg::wst_t  t_st;
    tlsnic_pkg::rxst_t t_rxs;
    tlsnic_pkg::kctl_t t_kc;
    logic [255:0]     t_key;
    logic [95:0]      t_iv;

    ctx_table #(.N_CTX(N_CTX), .RX(RX)) u_ctx (
        .clk(clk), .rst(rst),
        .pf_req(hold ? c_pf_req : w_pf_req), .pf_ctx(hold ? c_pf_ctx : w_pf_ctx), .pf_drop(w_pf_drop),
        .pf_valid(t_pf_valid), .pf_ctx_q(t_pf_ctx_q), .pf_st(t_st), .pf_rxs(t_rxs), .pf_kc(t_kc),
        .pf_key(t_key), .pf_iv(t_iv),
        .st_wr(w_wb || c_st_wr), .st_wr_ctx(c_st_wr ? c_wr_ctx : w_wb_ctx),
        .st_wr_st(c_st_wr ? c_st : w_wb_st), .st_wr_rxs(c_st_wr ? c_rxs : w_wb_rxs),
        .key_wr(c_key_wr), .key_wr_ctx(c_wr_ctx), .key_wr_kc(c_kc), .key_wr_key(c_key), .key_wr_iv(c_iv)
    );

    // ------------------------------------------------------------ walker
    logic              pl_valid, pl_ready, fd_valid, fd_ready, w_busy;
    tlsnic_pkg::step_t pl_step;
    logic [W*8-1:0]    pl_data;
    logic [W-1:0]      pl_keep;
    tlsnic_pkg::fres_t pl_res;
    tlsnic_pkg::fdesc_t fd;
    logic [2:0]        rq_en;
    tlsnic_pkg::ksreq_t rq0, rq1, rq2;
    logic              rq_room, key_valid, key_ready, aad_room, key256;
    logic [255:0]      key;
    logic [15:0]       key_ctx;
    logic [1:0]        aad_en;
    logic [127:0]      aad0, aad1;

    logic         rr_in_valid, rr_room, rr_valid, rr_ready, rt_in_valid, rt_room, rt_valid, rt_ready;
    logic [64:0]  rr_in, rr_out;
    logic [127:0] rt_in, rt_out;
    logic [5:0]   rr_count;
    logic [2:0]   rt_count;

    rec_walker #(.W(W), .RX(RX), .N_CTX(N_CTX), .RESYNC_CONFIRM(RESYNC_CONFIRM),
                 .RESYNC_PATIENCE(RESYNC_PATIENCE), .LEAN(LEAN != 0)) u_walk (
        .clk(clk), .rst(rst),
        .hd_valid(hd_valid), .hd_ready(hd_ready), .hd_meta(hd_meta), .hd_hit(hd_hit), .hd_ctx(hd_ctx),
        .pf_req(w_pf_req), .pf_ctx(w_pf_ctx), .pf_drop(w_pf_drop), .pf_valid(t_pf_valid && !hold),
        .pf_ctx_q(t_pf_ctx_q), .pf_st(t_st), .pf_rxs(t_rxs), .pf_kc(t_kc), .pf_key(t_key), .pf_iv(t_iv),
        .wb_en(w_wb), .wb_ctx(w_wb_ctx), .wb_st(w_wb_st), .wb_rxs(w_wb_rxs),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_keep(in_keep), .in_last(in_last),
        .end_valid(end_valid), .end_ready(end_ready), .end_rec(end_rec),
        .pl_valid(pl_valid), .pl_ready(pl_ready), .pl_step(pl_step), .pl_data(pl_data), .pl_keep(pl_keep),
        .pl_res(pl_res),
        .fd_valid(fd_valid), .fd_ready(fd_ready), .fd(fd),
        .rq_en(rq_en), .rq0(rq0), .rq1(rq1), .rq2(rq2), .rq_room(rq_room),
        .key_valid(key_valid), .key_ready(key_ready), .key(key), .key256(key256), .key_ctx(key_ctx),
        .aad_en(aad_en), .aad0(aad0), .aad1(aad1), .aad_room(aad_room),
        .rr_valid(rr_in_valid), .rr_data(rr_in), .rr_room(rr_room), .rt_valid(rt_in_valid), .rt_tag(rt_in),
        .rt_room(rt_room),
        .hold(hold), .flush(flush), .wipe(wipe), .busy(w_busy)
    );

    // TX: tag record numbers and descriptor tags, walker -> tag stage
    if (!RX) begin : g_tx_queues
        sync_fifo #(.WIDTH(65), .DEPTH(32)) u_rrq (
            .clk(clk), .rst(rst),
            .in_valid(rr_in_valid), .in_ready(rr_room), .in_data(rr_in),
            .out_valid(rr_valid), .out_ready(rr_ready), .out_data(rr_out), .count(rr_count)
        );
        sync_fifo #(.WIDTH(128), .DEPTH(4)) u_rtq (
            .clk(clk), .rst(rst),
            .in_valid(rt_in_valid), .in_ready(rt_room), .in_data(rt_in),
            .out_valid(rt_valid), .out_ready(rt_ready), .out_data(rt_out), .count(rt_count)
        );
    end else begin : g_rx_no_queues
        /* verilator lint_off UNUSEDSIGNAL */
        logic unused_q;
        /* verilator lint_on UNUSEDSIGNAL */
        assign unused_q = rr_in_valid ^ rr_ready ^ rt_in_valid ^ rt_ready ^ (^rr_in) ^ (^rt_in);
        assign rr_room  = 1'b1;
        assign rt_room  = 1'b1;
        assign rr_valid = 1'b0;
        assign rt_valid = 1'b0;
        assign rr_out   = '0;
        assign rt_out   = '0;
        assign rr_count = '0;
        assign rt_count = '0;
    end

    // -------------------------------------------- queues to the datapath
    localparam int ST_W   = $bits(pl_step);
    localparam int RES_W  = $bits(pl_res);
    localparam int PLAN_W = ST_W + W*8 + W + RES_W;
    logic              q_valid, q_ready;
    logic [PLAN_W-1:0] q_out;
    logic [5:0]        q_count;
    fifo_ram #(.WIDTH(PLAN_W), .DEPTH(32)) u_plan (
        .clk(clk), .rst(rst),
        .in_valid(pl_valid), .in_ready(pl_ready), .in_data({pl_step, pl_data, pl_keep, pl_res}),
        .out_valid(q_valid), .out_ready(q_ready), .out_data(q_out), .count(q_count)
    );

    logic               fq_valid, fq_ready;
    tlsnic_pkg::fdesc_t fq;
    logic [5:0]         fq_count;
    sync_fifo #(.WIDTH($bits(fd)), .DEPTH(32)) u_fdq (
        .clk(clk), .rst(rst),
        .in_valid(fd_valid), .in_ready(fd_ready), .in_data(fd),
        .out_valid(fq_valid), .out_ready(fq_ready), .out_data(fq), .count(fq_count)
    );

    // AAD queue: 16 records' AAD blocks (8 in the lean form: the board
    // configuration's folded AES keeps fewer records in flight).
    localparam int AAD_D = (LEAN != 0) ? 8 : 16;
    logic [255:0] aad_win;
    logic [$clog2(AAD_D):0] aad_cnt;
    logic [1:0]   aad_pop;
    fifo_mp #(.WIDTH(128), .DEPTH(AAD_D), .NIN(2), .NOUT(2)) u_aadq (
        .clk(clk), .rst(rst),
        .in_en(aad_en), .in_data({aad1, aad0}), .in_room(aad_room),
        .win(aad_win), .count(aad_cnt), .pop(aad_pop)
    );

    logic [WIN*128-1:0]   ks_win;
    logic [WIN*16-1:0]    ks_ctx;
    logic [KS_CW-1:0]     ks_count;
    logic [$clog2(WIN):0] ks_pop, dp_ks_pop;
    logic                 ks_idle;
    // The command takes the keystream generator (key set-up) once the
    // pipeline has drained (`flush`); until then the frames in flight keep
    // requesting and using keystream.
    ks_gen #(.LANES(P), .KS_DEPTH(KS_D), .WIN(WIN), .AES_STAGES(AES_STAGES), .SBOX_RAM(LEAN),
             .REQ_DEPTH((LEAN != 0) ? 4 : 8)) u_ks (
        .clk(clk), .rst(rst),
        .req_en(flush ? {2'b00, c_k_req} : rq_en), .req0(flush ? c_rq : rq0), .req1(rq1), .req2(rq2),
        .req_room(rq_room),
        .key_valid(flush ? c_k_key_valid : key_valid), .key_ready(key_ready),
        .key(flush ? c_k_key : key), .key256(flush ? c_k_key256 : key256), .key_ctx(flush ? 16'hFFFF : key_ctx),
        .ks_win(ks_win), .ks_ctx(ks_ctx), .ks_count(ks_count), .ks_pop(ks_pop),
        .wipe(wipe), .idle(ks_idle)
    );
    assign ks_pop = flush ? ($clog2(WIN)+1)'(c_k_pop) : dp_ks_pop;

    // ------------------------------------------------------------ datapath
    tlsnic_pkg::step_t q_step, q_step_ram;
    logic [W*8-1:0]    q_data;
    logic [W-1:0]      q_keep;
    tlsnic_pkg::fres_t q_res;
    assign {q_step_ram, q_data, q_keep, q_res} = q_out;
    // LEAN: the walker's board form (rec_step ONE) never opens a C1 in a
    // step (asserted below), so the datapath gets C1 as constants and its C1
    // logic (in gcm_blocks16, the second GHASH phase) is not built; Yosys
    // does not follow the walker's constants through the plan RAM (measured
    // on gcm_blocks16 alone, synth_ecp5: 15,615 LUT4 with C1, 8,361 without).
    always_comb begin : plan_step
        q_step = q_step_ram;
        if (LEAN != 0) begin
            q_step.c1      = 1'b0;
            q_step.c1_lo   = '0;
            q_step.c1_hi   = '0;
            q_step.c1_blen = '0;
            q_step.c1_nks  = '0;
        end
    end
    `TLSNIC_ASSERT_IMP(PipeLeanNoC1, LEAN != 0 && pl_valid,
                       {pl_step.c1, pl_step.c1_lo, pl_step.c1_hi, pl_step.c1_blen, pl_step.c1_nks} == '0, clk, rst)

    logic              o_valid, o_ready, td_valid, td_ready, tag_valid, tag_ready, dp_idle;
    tlsnic_pkg::step_t o_step;
    logic [W*8-1:0]    o_data, o_orig;
    logic [W-1:0]      o_keep;
    tlsnic_pkg::fres_t o_res;
    tlsnic_pkg::fdesc_t td;
    logic [127:0]      tag;

    gcm_datapath #(.W(W), .RX(RX), .N_CTX(N_CTX), .M(P), .K(K), .WIN(WIN), .KS_CW(KS_CW),
                   .GHASH_DIGIT(GHASH_DIGIT), .LEAN(LEAN)) u_dp (
        .clk(clk), .rst(rst),
        .pl_valid(q_valid), .pl_ready(q_ready), .pl_step(q_step), .pl_data(q_data), .pl_keep(q_keep),
        .pl_res(q_res),
        .fd_valid(fq_valid), .fd_ready(fq_ready), .fd(fq),
        .ks_win(ks_win), .ks_ctx(ks_ctx), .ks_count(ks_count), .ks_pop(dp_ks_pop),
        .aad_win(aad_win), .aad_count((aad_cnt >= ($clog2(AAD_D)+1)'(2)) ? 2'd2 : aad_cnt[1:0]), .aad_pop(aad_pop),
        .o_valid(o_valid), .o_ready(o_ready), .o_step(o_step), .o_data(o_data), .o_orig(o_orig),
        .o_keep(o_keep), .o_res(o_res),
        .td_valid(td_valid), .td_ready(td_ready), .td(td),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .h_wr_en(c_h_wr), .h_wr_ctx(c_wr_ctx), .h_wr_pow(c_h_pow),
        .pw_start(c_pw_start), .pw_h(c_pw_h), .pw_done(c_pw_done), .pw_pow(c_pw_pow),
        .flush(flush), .park(park), .wipe(wipe), .scrub(scrub), .scrub_ctx(c_wr_ctx), .idle(dp_idle)
    );

    // ----------------------------------------------------------- tag stage
    // RX keeps the received beat for the egress (a frame that is not
    // decrypted leaves as received).
    localparam int OW   = RX ? W*8 : 0;
    localparam int DT_W = ST_W + W*8 + OW + W + RES_W;
    logic              r_valid, r_ready;
    logic [DT_W-1:0]   r_in, r_out;
    logic [4:0]        r_count;
    tlsnic_pkg::step_t r_step;
    logic [W*8-1:0]    r_data, r_orig;
    logic [W-1:0]      r_keep;
    tlsnic_pkg::fres_t r_res;

    if (RX) begin : g_orig
        assign r_in = {o_step, o_data, o_orig, o_keep, o_res};
        assign {r_step, r_data, r_orig, r_keep, r_res} = r_out;
    end else begin : g_no_orig
        /* verilator lint_off UNUSEDSIGNAL */ // TX sends what it encrypted
        logic [W*8-1:0] orig_unused;
        /* verilator lint_on UNUSEDSIGNAL */
        assign orig_unused = o_orig;
        assign r_in = {o_step, o_data, o_keep, o_res};
        assign {r_step, r_data, r_keep, r_res} = r_out;
        assign r_orig = r_data;
    end

    fifo_ram #(.WIDTH(DT_W), .DEPTH(16)) u_dtq (
        .clk(clk), .rst(rst),
        .in_valid(o_valid), .in_ready(o_ready), .in_data(r_in),
        .out_valid(r_valid), .out_ready(r_ready), .out_data(r_out), .count(r_count)
    );

    logic               tq_valid, tq_ready, tg_idle;
    tlsnic_pkg::fdesc_t tq;
    logic [5:0]         tq_count;
    sync_fifo #(.WIDTH($bits(td)), .DEPTH(32)) u_tdq (
        .clk(clk), .rst(rst),
        .in_valid(td_valid), .in_ready(td_ready), .in_data(td),
        .out_valid(tq_valid), .out_ready(tq_ready), .out_data(tq), .count(tq_count)
    );

    tag_stage #(.W(W), .RX(RX), .N_CTX(N_CTX), .LEAN(LEAN != 0)) u_tag (
        .clk(clk), .rst(rst),
        .d_valid(r_valid), .d_ready(r_ready), .d_step(r_step), .d_data(r_data), .d_orig(r_orig),
        .d_keep(r_keep), .d_res(r_res),
        .td_valid(tq_valid), .td_ready(tq_ready), .td(tq),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .rr_valid(rr_valid), .rr_ready(rr_ready), .rr_data(rr_out),
        .rt_valid(rt_valid), .rt_ready(rt_ready), .rt_tag(rt_out),
        .ev_valid(tc_valid), .ev_ctx(tc_ctx), .ev_rec(tc_rec), .ev_tag(tc_tag),
        .e_valid(e_valid), .e_ready(e_ready), .e_data(e_data), .e_orig(e_orig), .e_keep(e_keep),
        .e_last(e_last), .e_first(e_first), .e_fd(e_fd), .e_res(e_res), .e_auth_fail(e_auth_fail),
        .e_tagw(e_tagw), .idle(tg_idle)
    );

    // ------------------------------------------------------------ commands
    assign drained = !w_busy && q_count == '0 && fq_count == '0 && aad_cnt == '0 && ks_idle
                  && dp_idle && r_count == '0 && tq_count == '0 && tg_idle && rr_count == '0 && rt_count == '0;

    eng_cmd #(.RX(RX), .N_CTX(N_CTX), .K(K), .BKT_W(BKT_W), .WAY_W(WAY_W)) u_cmd (
        .clk(clk), .rst(rst),
        .cmd_valid(cmd_valid), .cmd_op(cmd_op), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key),
        .cmd_key256(cmd_key256), .cmd_v13(cmd_v13), .cmd_iv(cmd_iv), .cmd_seq(cmd_seq), .cmd_rec(cmd_rec),
        .cmd_sd(cmd_sd), .cmd_flow(cmd_flow),
        .cmd_done(cmd_done), .cmd_err(cmd_err), .cmd_code(cmd_code), .cmd_result(cmd_result),
        .hold(hold), .flush(flush), .park(park), .wipe(wipe), .scrub(scrub), .drained(drained),
        .t_pf_req(c_pf_req), .t_pf_ctx(c_pf_ctx), .t_pf_valid(t_pf_valid), .t_st(t_st), .t_rxs(t_rxs),
        .t_kc(t_kc), .t_st_wr(c_st_wr), .t_wr_ctx(c_wr_ctx), .t_st_wr_st(c_st), .t_st_wr_rxs(c_rxs),
        .t_key_wr(c_key_wr), .t_key_wr_kc(c_kc), .t_key_wr_key(c_key), .t_key_wr_iv(c_iv),
        .k_req(c_k_req), .k_rq(c_rq), .k_key_valid(c_k_key_valid), .k_key(c_k_key), .k_key256(c_k_key256),
        .k_ks_there(ks_count != '0), .k_h(ks_win[127:0]), .k_pop(c_k_pop),
        .pw_start(c_pw_start), .pw_h(c_pw_h), .pw_done(c_pw_done), .pw_pow(c_pw_pow),
        .h_wr_en(c_h_wr), .h_wr_pow(c_h_pow),
        .f_look(f_look), .f_direct(f_direct), .f_done(f_done), .f_hit(f_hit), .f_room(f_room), .f_bank(f_bank),
        .f_bucket(f_bucket), .f_way(f_way), .f_wr(f_wr), .f_clear(f_clear), .f_wr_valid(f_wr_valid),
        .f_wr_bank(f_wr_bank),
        .f_wr_bucket(f_wr_bucket), .f_wr_way(f_wr_way),
        .ev_add(ev_add), .ev_del(ev_del), .ev_full(ev_full), .ev_res_ok(ev_res_ok), .ev_res_ign(ev_res_ign)
    );

endmodule

`default_nettype wire
