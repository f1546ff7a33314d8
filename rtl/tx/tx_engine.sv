// TX engine: encrypts the host's marked segments, writes their tags and
// TCP checksums, rebuilds crypto state from DUMP frames, drops what it
// cannot encrypt. Assembled from the stages (docs/engine.md):
//
//   s_* -> frame_ingress -> rec_walker ------> plan FIFO -> gcm_datapath -> FIFO -> tag_stage -> tx_egress -> m_*
//            (parse)          | ctx_table        (RAM)      | ghash_core            (tags)       (checksum,
//                             | tx_admit                    | H / GHASH tables                   drops)
//                             +-> ks_gen (AES-CTR) ---------+
//                             +-> AAD queue ----------------+
//   commands -> eng_cmd (drains the pipeline, key set-up, tables)
//
// Host frames carry the TX descriptor in tuser (docs/tx.md). Latency of a
// frame: its length plus about 30 clocks (walker lag behind the ingress,
// keystream lead, tag lead, checksum); throughput one beat per clock for
// back-to-back frames of any connections once the pipeline runs.
`default_nettype none

module tx_engine #(
    parameter int DATA_W = 128,
    parameter int N_CTX  = 64,
    parameter int OUT_BEATS = 1024      // egress frame FIFO (>= 2 frames of 9600 bytes at 128 bits)
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

    localparam int W      = DATA_W / 8;
    localparam int CTX_W  = $clog2(N_CTX);
    localparam int P      = W / 16;             // AES blocks and GHASH blocks per clock
    localparam int K      = 2 * P;              // GHASH lanes (2-clock multiplier)
    localparam int WIN    = 2 * P + 2;          // keystream entries a step may use
    localparam int KS_D   = 32 * P;
    localparam int KS_CW  = $clog2(KS_D) + 1;

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
    logic [15:0]      d_ctx;
    logic             d_ok;
    assign d_ctx = meta.tuser[tlsnic_regs_pkg::TXD_CTX_LSB +: tlsnic_regs_pkg::TXD_CTX_W];
    assign d_ok  = 32'(d_ctx) < N_CTX;

    // ------------------------------------------------------------- commands
    logic hold, flush, wipe, scrub, drained;
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
    logic         ev_add, ev_del;
    /* verilator lint_off UNUSEDSIGNAL */ // eng_cmd's RX outputs
    logic         unused_full, unused_ok, unused_ign, unused_fl, unused_fd, unused_fwr, unused_fwv, unused_fwb;
    logic [3:0]   unused_fbk;
    logic [1:0]   unused_fw;
    logic [15:0]  unused_result;
    /* verilator lint_on UNUSEDSIGNAL */

    // ----------------------------------------------------------- the walker
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

    ctx_table #(.N_CTX(N_CTX), .RX(1'b0)) u_ctx (
        .clk(clk), .rst(rst),
        .pf_req(hold ? c_pf_req : w_pf_req), .pf_ctx(hold ? c_pf_ctx : w_pf_ctx), .pf_drop(w_pf_drop),
        .pf_valid(t_pf_valid), .pf_ctx_q(t_pf_ctx_q), .pf_st(t_st), .pf_rxs(t_rxs), .pf_kc(t_kc),
        .pf_key(t_key), .pf_iv(t_iv),
        .st_wr(w_wb || c_st_wr), .st_wr_ctx(c_st_wr ? c_wr_ctx : w_wb_ctx),
        .st_wr_st(c_st_wr ? c_st : w_wb_st), .st_wr_rxs(c_st_wr ? c_rxs : w_wb_rxs),
        .key_wr(c_key_wr), .key_wr_ctx(c_wr_ctx), .key_wr_kc(c_kc), .key_wr_key(c_key), .key_wr_iv(c_iv)
    );

    logic             pl_valid, pl_ready, fd_valid, fd_ready, w_busy;
    tlsnic_pkg::step_t pl_step;
    logic [DATA_W-1:0] pl_data;
    logic [W-1:0]      pl_keep;
    tlsnic_pkg::fres_t pl_res;
    tlsnic_pkg::fdesc_t fd;
    logic [2:0]        rq_en;
    tlsnic_pkg::ksreq_t rq0, rq1, rq2;
    logic              rq_room, key_valid, key_ready, aad_room, key256;
    logic [255:0]      key;
    logic [1:0]        aad_en;
    logic [127:0]      aad0, aad1;

    rec_walker #(.W(W), .RX(1'b0), .N_CTX(N_CTX)) u_walk (
        .clk(clk), .rst(rst),
        .hd_valid(m_valid_i), .hd_ready(m_ready_i), .hd_meta(meta), .hd_hit(d_ok),
        .hd_ctx(d_ok ? CTX_W'(d_ctx) : '0),
        .pf_req(w_pf_req), .pf_ctx(w_pf_ctx), .pf_drop(w_pf_drop), .pf_valid(t_pf_valid && !hold),
        .pf_ctx_q(t_pf_ctx_q), .pf_st(t_st), .pf_rxs(t_rxs), .pf_kc(t_kc), .pf_key(t_key), .pf_iv(t_iv),
        .wb_en(w_wb), .wb_ctx(w_wb_ctx), .wb_st(w_wb_st), .wb_rxs(w_wb_rxs),
        .in_valid(i_valid), .in_ready(i_ready), .in_data(i_data), .in_keep(i_keep), .in_last(i_last),
        .end_valid(e_valid_i), .end_ready(e_ready_i), .end_rec(endr),
        .pl_valid(pl_valid), .pl_ready(pl_ready), .pl_step(pl_step), .pl_data(pl_data), .pl_keep(pl_keep),
        .pl_res(pl_res),
        .fd_valid(fd_valid), .fd_ready(fd_ready), .fd(fd),
        .rq_en(rq_en), .rq0(rq0), .rq1(rq1), .rq2(rq2), .rq_room(rq_room),
        .key_valid(key_valid), .key_ready(key_ready), .key(key), .key256(key256),
        .aad_en(aad_en), .aad0(aad0), .aad1(aad1), .aad_room(aad_room),
        .hold(hold), .flush(flush), .wipe(wipe), .busy(w_busy)
    );

    // -------------------------------------------------- queues to the datapath
    localparam int ST_W   = $bits(pl_step);
    localparam int RES_W  = $bits(pl_res);
    localparam int PLAN_W = ST_W + DATA_W + W + RES_W;
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

    logic [255:0] aad_win;
    logic [4:0]   aad_cnt;
    logic [1:0]   aad_pop;
    fifo_mp #(.WIDTH(128), .DEPTH(16), .NIN(2), .NOUT(2)) u_aadq (
        .clk(clk), .rst(rst),
        .in_en(aad_en), .in_data({aad1, aad0}), .in_room(aad_room),
        .win(aad_win), .count(aad_cnt), .pop(aad_pop)
    );

    logic [WIN*128-1:0]   ks_win;
    logic [KS_CW-1:0]     ks_count;
    logic [$clog2(WIN):0] ks_pop, dp_ks_pop;
    logic                 ks_idle;
    ks_gen #(.LANES(P), .KS_DEPTH(KS_D), .WIN(WIN)) u_ks (
        .clk(clk), .rst(rst),
        .req_en(hold ? {2'b00, c_k_req} : rq_en), .req0(hold ? c_rq : rq0), .req1(rq1), .req2(rq2),
        .req_room(rq_room),
        .key_valid(hold ? c_k_key_valid : key_valid), .key_ready(key_ready),
        .key(hold ? c_k_key : key), .key256(hold ? c_k_key256 : key256),
        .ks_win(ks_win), .ks_count(ks_count), .ks_pop(ks_pop),
        .wipe(wipe), .idle(ks_idle)
    );
    assign ks_pop = hold ? ($clog2(WIN)+1)'(c_k_pop) : dp_ks_pop;

    // ------------------------------------------------------------ datapath
    tlsnic_pkg::step_t q_step;
    logic [DATA_W-1:0] q_data;
    logic [W-1:0]      q_keep;
    tlsnic_pkg::fres_t q_res;
    assign {q_step, q_data, q_keep, q_res} = q_out;

    logic              o_valid, o_ready, td_valid, td_ready, tag_valid, tag_ready, dp_idle;
    tlsnic_pkg::step_t o_step;
    logic [DATA_W-1:0] o_data, o_orig_unused;
    logic [W-1:0]      o_keep;
    tlsnic_pkg::fres_t o_res;
    tlsnic_pkg::fdesc_t td;
    logic [127:0]      tag;

    gcm_datapath #(.W(W), .RX(1'b0), .N_CTX(N_CTX), .M(P), .K(K), .WIN(WIN), .KS_CW(KS_CW)) u_dp (
        .clk(clk), .rst(rst),
        .pl_valid(q_valid), .pl_ready(q_ready), .pl_step(q_step), .pl_data(q_data), .pl_keep(q_keep),
        .pl_res(q_res),
        .fd_valid(fq_valid), .fd_ready(fq_ready), .fd(fq),
        .ks_win(ks_win), .ks_count(ks_count), .ks_pop(dp_ks_pop),
        .aad_win(aad_win), .aad_count((aad_cnt >= 5'd2) ? 2'd2 : aad_cnt[1:0]), .aad_pop(aad_pop),
        .o_valid(o_valid), .o_ready(o_ready), .o_step(o_step), .o_data(o_data), .o_orig(o_orig_unused),
        .o_keep(o_keep), .o_res(o_res),
        .td_valid(td_valid), .td_ready(td_ready), .td(td),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .h_wr_en(c_h_wr), .h_wr_ctx(c_wr_ctx), .h_wr_pow(c_h_pow),
        .pw_start(c_pw_start), .pw_h(c_pw_h), .pw_done(c_pw_done), .pw_pow(c_pw_pow),
        .flush(flush), .wipe(wipe), .scrub(scrub), .scrub_ctx(c_wr_ctx), .idle(dp_idle)
    );

    // ----------------------------------------------------------- tag stage
    localparam int DT_W = ST_W + DATA_W + W + RES_W;
    logic              r_valid, r_ready;
    logic [DT_W-1:0]   r_out;
    logic [4:0]        r_count;
    fifo_ram #(.WIDTH(DT_W), .DEPTH(16)) u_dtq (
        .clk(clk), .rst(rst),
        .in_valid(o_valid), .in_ready(o_ready), .in_data({o_step, o_data, o_keep, o_res}),
        .out_valid(r_valid), .out_ready(r_ready), .out_data(r_out), .count(r_count)
    );
    tlsnic_pkg::step_t r_step;
    logic [DATA_W-1:0] r_data;
    logic [W-1:0]      r_keep;
    tlsnic_pkg::fres_t r_res;
    assign {r_step, r_data, r_keep, r_res} = r_out;

    logic               tq_valid, tq_ready;
    tlsnic_pkg::fdesc_t tq;
    logic [5:0]         tq_count;
    sync_fifo #(.WIDTH($bits(td)), .DEPTH(32)) u_tdq (
        .clk(clk), .rst(rst),
        .in_valid(td_valid), .in_ready(td_ready), .in_data(td),
        .out_valid(tq_valid), .out_ready(tq_ready), .out_data(tq), .count(tq_count)
    );

    logic              e_valid, e_ready, e_last, e_first, e_auth_unused, tg_idle;
    logic [DATA_W-1:0] e_data, e_orig_unused;
    logic [W-1:0]      e_keep;
    tlsnic_pkg::fdesc_t e_fd;
    tlsnic_pkg::fres_t  e_res;

    tag_stage #(.W(W), .RX(1'b0), .N_CTX(N_CTX)) u_tag (
        .clk(clk), .rst(rst),
        .d_valid(r_valid), .d_ready(r_ready), .d_step(r_step), .d_data(r_data), .d_orig(r_data),
        .d_keep(r_keep), .d_res(r_res),
        .td_valid(tq_valid), .td_ready(tq_ready), .td(tq),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .e_valid(e_valid), .e_ready(e_ready), .e_data(e_data), .e_orig(e_orig_unused), .e_keep(e_keep),
        .e_last(e_last), .e_first(e_first), .e_fd(e_fd), .e_res(e_res), .e_auth_fail(e_auth_unused),
        .idle(tg_idle)
    );

    // -------------------------------------------------------------- egress
    logic              ev_valid, eg_idle_unused;
    tlsnic_pkg::fres_t ev_res;
    tx_egress #(.W(W), .DEPTH(OUT_BEATS)) u_out (
        .clk(clk), .rst(rst),
        .in_valid(e_valid), .in_ready(e_ready), .in_data(e_data), .in_keep(e_keep), .in_last(e_last),
        .in_first(e_first), .in_fd(e_fd), .in_res(e_res),
        .m_tdata(m_tdata), .m_tkeep(m_tkeep), .m_tvalid(m_tvalid), .m_tready(m_tready), .m_tlast(m_tlast),
        .ev_valid(ev_valid), .ev_res(ev_res), .idle(eg_idle_unused)
    );

    tx_stats u_stats (
        .clk(clk), .rst(rst), .ev_valid(ev_valid), .ev_res(ev_res), .ev_add(ev_add), .ev_del(ev_del),
        .cnt(stats)
    );

    // ------------------------------------------------------------ commands
    assign drained = !w_busy && q_count == '0 && fq_count == '0 && aad_cnt == '0 && ks_idle
                  && dp_idle && r_count == '0 && tq_count == '0 && tg_idle;

    eng_cmd #(.RX(1'b0), .N_CTX(N_CTX), .K(K)) u_cmd (
        .clk(clk), .rst(rst),
        .cmd_valid(cmd_valid), .cmd_op(cmd_op), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key),
        .cmd_key256(cmd_key256), .cmd_v13(cmd_v13), .cmd_iv(cmd_iv), .cmd_seq(cmd_seq), .cmd_rec(cmd_rec),
        .cmd_sd(1'b0), .cmd_flow('0),
        .cmd_done(cmd_done), .cmd_err(cmd_err), .cmd_code(cmd_code), .cmd_result(unused_result),
        .hold(hold), .flush(flush), .wipe(wipe), .scrub(scrub), .drained(drained),
        .t_pf_req(c_pf_req), .t_pf_ctx(c_pf_ctx), .t_pf_valid(t_pf_valid), .t_st(t_st), .t_rxs(t_rxs),
        .t_kc(t_kc), .t_st_wr(c_st_wr), .t_wr_ctx(c_wr_ctx), .t_st_wr_st(c_st), .t_st_wr_rxs(c_rxs),
        .t_key_wr(c_key_wr), .t_key_wr_kc(c_kc), .t_key_wr_key(c_key), .t_key_wr_iv(c_iv),
        .k_req(c_k_req), .k_rq(c_rq), .k_key_valid(c_k_key_valid), .k_key(c_k_key), .k_key256(c_k_key256),
        .k_ks_there(ks_count != '0), .k_h(ks_win[127:0]), .k_pop(c_k_pop),
        .pw_start(c_pw_start), .pw_h(c_pw_h), .pw_done(c_pw_done), .pw_pow(c_pw_pow),
        .h_wr_en(c_h_wr), .h_wr_pow(c_h_pow),
        .f_look(unused_fl), .f_direct(unused_fd), .f_done(1'b0), .f_hit(1'b0), .f_room(1'b0), .f_bank(1'b0),
        .f_bucket(4'd0), .f_way(2'd0), .f_wr(unused_fwr), .f_wr_valid(unused_fwv), .f_wr_bank(unused_fwb),
        .f_wr_bucket(unused_fbk), .f_wr_way(unused_fw),
        .ev_add(ev_add), .ev_del(ev_del), .ev_full(unused_full), .ev_res_ok(unused_ok), .ev_res_ign(unused_ign)
    );

endmodule

`default_nettype wire
