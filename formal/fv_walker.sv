// Formal harness: the record walker (rec_walker, TX or RX, 16-byte beats,
// two contexts in a ctx_table) between an ingress and a crypto pipeline
// that do anything the stream handshakes allow. Checked (make formal,
// bounded):
//   - the walker's own assertions (WalkerProgress, WalkerFrameEndIsLastStep,
//     WalkerKeyWithFirstRequest, WalkerRecordRoom, WalkerRetxNoCommit, ...)
//     and the context table's (CtxTablesInStep, CtxRamAddrInRange, ...);
//   - CryptoFrameCoversPayload: a frame whose result says send it encrypted
//     (TX: walked, not failed, not a DUMP; the walker half of the TX
//     security rule) or deliver it decrypted (RX: reason DEC) had every one
//     of its TCP payload bytes walked with crypto steps: the result's count
//     of walked bytes (which the TX egress checks against the payload
//     length, TxSentOnlyEncrypted) is the number of payload bytes that
//     entered, counted here from the beats, and the payload length;
//   - PlainFrameHasNoCryptoLanes: a step of a frame that is not walked with
//     crypto asks for no keystream, no AAD and marks no body or tag lane;
//   - QueuesWrittenWithRoom: the plan, descriptor, keystream request, AAD,
//     record and descriptor-tag queues are written only with room.
// Both contexts are installed (as the command unit does: any key, IV,
// sequence and record number, at a record header, RX in sync) in the reset
// clock and the one after it; frames arrive from that second clock on (a
// prefetch of the context written in the same clock sees the write), their
// parser records chosen freely (any descriptor, flow hit, payload offset and
// length) and their beats with contiguous keep bits; the ingress end record
// tells a frame shorter than its IP length, as the ingress does (its RX
// checksum verdict is free).
//
// DP = 1 (the datapath job): the pipeline's side is the crypto pipeline of
// rec_pipe instead of free handshakes: the plan and the frame descriptors
// through two-entry queues into the datapath (gcm_datapath), the keystream
// requests and keys into the keystream generator (ks_gen, with the AES
// pipe abstracted: fv_aes_pipe_abs.sv) and its queue into the datapath,
// the AAD blocks through the AAD queue (fifo_mp), the GHASH multipliers
// abstracted to their timing (fv_gf128_mul_abs.sv). The datapath's
// readers (tag stage) take its outputs at any time. Checked besides the
// above: the datapath's, GHASH unit's, keystream generator's and queues'
// own assertions (DpCarryHasOpenSlot, DpParkedNotReloaded, DpBodyHasSlot,
// DpNoOpenAtFrameEnd, DpKeystreamOfItsContext, DpFreshSlotFree, Gh*,
// KsPopAvailable, KsNoOverflow, FifoMpNoOverflow, FifoMpNoUnderflow, ...),
// and DpOutHeld / DpDescHeld / DpTagHeld: the datapath's three output
// streams hold what they offer. Byte values do not reach the datapath
// (beats, keystream and AAD blocks as zeros: the walker still reads the
// real beats), so the job checks control and handshakes, not values
// (simulation compares every byte with the reference). No commands: hold,
// flush and wipe stay low (the command unit raises them only around a
// drained pipeline), the H table is not written, keys and IVs are zero.
`default_nettype none

module fv_walker #(
    parameter bit RX   = 1'b0,
    parameter bit LEAN = 1'b0,
    parameter bit DP   = 1'b0           // the crypto pipeline behind the walker (above)
) (
    input  logic                 clk,
    input  logic                 rst,
    // installs
    input  tlsnic_pkg::kctl_t    i_kc,
    input  logic [255:0]         i_key,
    input  logic [95:0]          i_iv,
    input  logic [31:0]          i_seq,
    input  logic [63:0]          i_rec,
    // frames
    input  logic                 hd_valid,
    input  tlsnic_pkg::imeta_t   hd_meta,
    input  logic                 hd_hit,
    input  logic                 hd_ctx,
    input  logic                 in_valid,
    input  logic [127:0]         in_data,
    input  logic [4:0]           in_n,      // bytes in the beat (contiguous from lane 0)
    input  logic                 in_last,
    input  logic                 end_valid,
    input  logic                 end_csum_ok,
    // the pipeline's side
    input  logic                 pl_ready,
    input  logic                 fd_ready,
    input  logic                 rq_room,
    input  logic                 key_ready,
    input  logic                 aad_room,
    input  logic                 rr_room,
    input  logic                 rt_room,
    input  logic                 hold,
    input  logic                 flush,
    input  logic                 wipe,
    // DP: the datapath's readers
    input  logic                 o_ready,
    input  logic                 td_ready,
    input  logic                 tag_ready
);
    localparam int W = 16;

    // ---------------------------------------------------------- installs
    logic [1:0] init_reg = 2'd2;        // 2: reset, install context 0; 1: install context 1
    always_ff @(posedge clk) begin
        if (init_reg != 2'd0) begin
            init_reg <= init_reg - 2'd1;
        end
    end
    logic             ins;
    logic             ins_ctx;
    tlsnic_pkg::wst_t ins_st;
    tlsnic_pkg::rxst_t ins_rxs;
    assign ins     = init_reg != 2'd0;
    assign ins_ctx = init_reg == 2'd1;
    assign ins_st  = tlsnic_pkg::fresh_st(i_seq, i_rec);     // as eng_cmd installs a context
    assign ins_rxs = tlsnic_pkg::fresh_rxs(i_seq);

    // ---------------------------------------------------------- the DUT
    logic              hd_ready, pf_req, pf_drop, pf_valid, pf_ctx, pf_ctx_q, wb_en, wb_ctx;
    tlsnic_pkg::wst_t  pf_st, wb_st;
    tlsnic_pkg::rxst_t pf_rxs, wb_rxs;
    tlsnic_pkg::kctl_t pf_kc;
    logic [255:0]      pf_key, key;
    logic [95:0]       pf_iv;
    logic              in_ready, end_ready, pl_valid, fd_valid, key_valid, key256, rr_valid, rt_valid, busy;
    logic [15:0]       in_keep, pl_keep, key_ctx;
    logic [127:0]      pl_data, aad0, aad1, rt_tag;
    tlsnic_pkg::step_t pl_step;
    tlsnic_pkg::fres_t pl_res;
    tlsnic_pkg::fdesc_t fd;
    logic [2:0]        rq_en;
    tlsnic_pkg::ksreq_t rq0, rq1, rq2;
    logic [1:0]        aad_en;
    logic [64:0]       rr_data;
    tlsnic_pkg::iend_t end_rec;

    ctx_table #(.N_CTX(2), .RX(RX)) u_ctx (
        .clk(clk), .rst(rst),
        .pf_req(pf_req), .pf_ctx(pf_ctx), .pf_drop(pf_drop),
        .pf_valid(pf_valid), .pf_ctx_q(pf_ctx_q), .pf_st(pf_st), .pf_rxs(pf_rxs), .pf_kc(pf_kc),
        .pf_key(pf_key), .pf_iv(pf_iv),
        .st_wr(ins || wb_en), .st_wr_ctx(ins ? ins_ctx : wb_ctx), .st_wr_st(ins ? ins_st : wb_st),
        .st_wr_rxs(ins ? ins_rxs : wb_rxs),
        .key_wr(ins), .key_wr_ctx(ins_ctx), .key_wr_kc(i_kc), .key_wr_key(i_key), .key_wr_iv(i_iv)
    );

    // the pipeline's side as the walker sees it: free (DP = 0) or the
    // crypto pipeline's (DP = 1)
    logic pl_ready_w, fd_ready_w, rq_room_w, key_ready_w, aad_room_w;

    rec_walker #(.W(W), .RX(RX), .N_CTX(2), .LEAN(LEAN)) dut (
        .clk(clk), .rst(rst),
        .hd_valid(hd_valid), .hd_ready(hd_ready), .hd_meta(hd_meta), .hd_hit(hd_hit), .hd_ctx(hd_ctx),
        .pf_req(pf_req), .pf_ctx(pf_ctx), .pf_drop(pf_drop), .pf_valid(pf_valid && !hold),
        .pf_ctx_q(pf_ctx_q), .pf_st(pf_st), .pf_rxs(pf_rxs), .pf_kc(pf_kc), .pf_key(pf_key), .pf_iv(pf_iv),
        .wb_en(wb_en), .wb_ctx(wb_ctx), .wb_st(wb_st), .wb_rxs(wb_rxs),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_keep(in_keep), .in_last(in_last),
        .end_valid(end_valid), .end_ready(end_ready), .end_rec(end_rec),
        .pl_valid(pl_valid), .pl_ready(pl_ready_w), .pl_step(pl_step), .pl_data(pl_data), .pl_keep(pl_keep),
        .pl_res(pl_res),
        .fd_valid(fd_valid), .fd_ready(fd_ready_w), .fd(fd),
        .rq_en(rq_en), .rq0(rq0), .rq1(rq1), .rq2(rq2), .rq_room(rq_room_w),
        .key_valid(key_valid), .key_ready(key_ready_w), .key(key), .key256(key256), .key_ctx(key_ctx),
        .aad_en(aad_en), .aad0(aad0), .aad1(aad1), .aad_room(aad_room_w),
        .rr_valid(rr_valid), .rr_data(rr_data), .rr_room(rr_room), .rt_valid(rt_valid), .rt_tag(rt_tag),
        .rt_room(rt_room),
        .hold(hold), .flush(flush), .wipe(wipe), .busy(busy)
    );

    // ---------------------------------------------------------- the crypto pipeline
    if (DP) begin : g_dp
        localparam int K     = LEAN ? 1 : 2;
        localparam int WIN   = 4;
        localparam int KS_D  = 4;
        localparam int KS_CW = $clog2(KS_D) + 1;
        localparam int ST_W  = $bits(pl_step);
        localparam int RES_W = $bits(pl_res);

        // plan and descriptors: two-entry queues (rec_pipe: 32)
        logic              q_valid, q_ready, fq_valid, fq_ready;
        tlsnic_pkg::step_t q_step;
        logic [15:0]       q_keep;
        tlsnic_pkg::fres_t q_res;
        tlsnic_pkg::fdesc_t fq;
        logic [1:0]        q_count_unused, fq_count_unused;
        sync_fifo #(.WIDTH(ST_W + 16 + RES_W), .DEPTH(2)) u_plan (
            .clk(clk), .rst(rst),
            .in_valid(pl_valid), .in_ready(pl_ready_w), .in_data({pl_step, pl_keep, pl_res}),
            .out_valid(q_valid), .out_ready(q_ready), .out_data({q_step, q_keep, q_res}), .count(q_count_unused)
        );
        sync_fifo #(.WIDTH($bits(fd)), .DEPTH(2)) u_fdq (
            .clk(clk), .rst(rst),
            .in_valid(fd_valid), .in_ready(fd_ready_w), .in_data(fd),
            .out_valid(fq_valid), .out_ready(fq_ready), .out_data(fq), .count(fq_count_unused)
        );

        // AAD queue (block values zero)
        logic [255:0] aad_win_unused;
        logic [2:0]   aad_cnt;
        logic [1:0]   aad_pop;
        fifo_mp #(.WIDTH(128), .DEPTH(4), .NIN(2), .NOUT(2)) u_aadq (
            .clk(clk), .rst(rst),
            .in_en(aad_en), .in_data(256'd0), .in_room(aad_room_w),
            .win(aad_win_unused), .count(aad_cnt), .pop(aad_pop)
        );

        // keystream generator (AES abstracted; its blocks not passed on)
        logic [WIN*128-1:0]   ks_win_unused;
        logic [WIN*16-1:0]    ks_ctx;
        logic [KS_CW-1:0]     ks_count;
        logic [$clog2(WIN):0] ks_pop;
        logic                 ks_idle_unused;
        ks_gen #(.LANES(1), .KS_DEPTH(KS_D), .WIN(WIN), .REQ_DEPTH(4), .AES_STAGES(LEAN ? 2 : 14),
                 .SBOX_RAM(LEAN)) u_ks (
            .clk(clk), .rst(rst),
            .req_en(rq_en), .req0(rq0), .req1(rq1), .req2(rq2), .req_room(rq_room_w),
            .key_valid(key_valid), .key_ready(key_ready_w), .key(key), .key256(key256), .key_ctx(key_ctx),
            .ks_win(ks_win_unused), .ks_ctx(ks_ctx), .ks_count(ks_count), .ks_pop(ks_pop),
            .wipe(1'b0), .idle(ks_idle_unused)
        );

        logic               o_valid, td_valid, tag_valid, pw_done_unused, dp_idle_unused;
        tlsnic_pkg::step_t  o_step;
        logic [127:0]       o_data_unused, o_orig_unused, tag;
        logic [15:0]        o_keep;
        tlsnic_pkg::fres_t  o_res;
        tlsnic_pkg::fdesc_t td;
        logic [K*128-1:0]   pw_pow_unused;
        gcm_datapath #(.W(W), .RX(RX), .N_CTX(2), .M(1), .K(K), .WIN(WIN), .KS_CW(KS_CW),
                       .GHASH_DIGIT(LEAN ? 32 : 128), .LEAN(LEAN ? 1 : 0)) u_dp (
            .clk(clk), .rst(rst),
            .pl_valid(q_valid), .pl_ready(q_ready), .pl_step(q_step), .pl_data(128'd0), .pl_keep(q_keep),
            .pl_res(q_res),
            .fd_valid(fq_valid), .fd_ready(fq_ready), .fd(fq),
            .ks_win('0), .ks_ctx(ks_ctx), .ks_count(ks_count), .ks_pop(ks_pop),
            .aad_win(256'd0), .aad_count((aad_cnt >= 3'd2) ? 2'd2 : aad_cnt[1:0]), .aad_pop(aad_pop),
            .o_valid(o_valid), .o_ready(o_ready), .o_step(o_step), .o_data(o_data_unused), .o_orig(o_orig_unused),
            .o_keep(o_keep), .o_res(o_res),
            .td_valid(td_valid), .td_ready(td_ready), .td(td),
            .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
            .h_wr_en(1'b0), .h_wr_ctx(1'b0), .h_wr_pow('0),
            .pw_start(1'b0), .pw_h(128'd0), .pw_done(pw_done_unused), .pw_pow(pw_pow_unused),
            .flush(1'b0), .park(1'b0), .wipe(1'b0), .scrub(1'b0), .scrub_ctx(1'b0), .idle(dp_idle_unused)
        );

        // the datapath's outputs hold what they offer
        fv_stream_hold #(.WIDTH(ST_W + 16 + RES_W)) DpOutHeld (
            .clk(clk), .rst(rst), .valid(o_valid), .ready(o_ready), .excuse(1'b0), .data({o_step, o_keep, o_res})
        );
        fv_stream_hold #(.WIDTH($bits(td))) DpDescHeld (
            .clk(clk), .rst(rst), .valid(td_valid), .ready(td_ready), .excuse(1'b0), .data(td)
        );
        fv_stream_hold #(.WIDTH(128)) DpTagHeld (
            .clk(clk), .rst(rst), .valid(tag_valid), .ready(tag_ready), .excuse(1'b0), .data(tag)
        );

        always_comb begin
            assume (!hold && !flush && !wipe);
            // keys and IVs zero: their bytes reach nothing checked here
            assume (i_key == '0 && i_iv == '0);
            // Not vacuous: a crypto frame's last step and a record's tag
            // leave the datapath.
            if (!rst) begin
                DpFrameOut: cover (o_valid && o_ready && o_step.last && o_step.crypto);
                DpTagOut: cover (tag_valid && tag_ready);
            end
        end
    end else begin : g_free
        assign {pl_ready_w, fd_ready_w, rq_room_w, key_ready_w, aad_room_w}
                = {pl_ready, fd_ready, rq_room, key_ready, aad_room};
    end

    // ---------------------------------------------------------- the ingress
    always_comb begin
        for (int l = 0; l < W; l++) begin
            in_keep[l] = 5'(l) < in_n;
        end
    end

    // Frames entering: the parser record of each frame (taken at its
    // start), the payload bytes of its beats so far.
    logic [7:0]  nhd_reg, nbeat_fr_reg; // frames started; frames whose last beat was taken
    logic [15:0] pos_reg;               // frame bytes before the beat at the head
    logic [15:0] poff_reg, plen_reg;    // payload of the frame being walked
    logic [15:0] pcnt_reg;              // its payload bytes in the beats taken

    // stream sources hold what they offered
    fv_stream_hold #(.WIDTH($bits(hd_meta) + 2), .ASSUME(1'b1)) u_hd_src (
        .clk(clk), .rst(rst), .valid(hd_valid), .ready(hd_ready), .excuse(1'b0), .data({hd_meta, hd_hit, hd_ctx})
    );
    fv_stream_hold #(.WIDTH(128 + 5 + 1), .ASSUME(1'b1)) u_in_src (
        .clk(clk), .rst(rst), .valid(in_valid), .ready(in_ready), .excuse(1'b0), .data({in_data, in_n, in_last})
    );
    fv_stream_hold #(.WIDTH(1), .ASSUME(1'b1)) u_end_src (
        .clk(clk), .rst(rst), .valid(end_valid), .ready(end_ready), .excuse(1'b0), .data(1'b0)
    );

    logic [15:0] pcnt_beat;             // payload bytes in the head beat
    always_comb begin
        pcnt_beat = '0;
        for (int l = 0; l < W; l++) begin
            if (in_keep[l] && pos_reg + 16'(l) >= poff_reg && pos_reg + 16'(l) < poff_reg + plen_reg) begin
                pcnt_beat = pcnt_beat + 16'd1;
            end
        end
    end

    always_ff @(posedge clk) begin
        if (hd_valid && hd_ready) begin
            nhd_reg  <= nhd_reg + 8'd1;
            poff_reg <= 16'(hd_meta.pay_off);
            plen_reg <= hd_meta.pay_len;
        end
        if (in_valid && in_ready) begin
            pos_reg  <= in_last ? 16'd0 : pos_reg + 16'(W);
            pcnt_reg <= in_last ? 16'd0 : pcnt_reg + pcnt_beat;
            if (in_last) begin
                nbeat_fr_reg <= nbeat_fr_reg + 8'd1;
            end
        end
        if (rst) begin
            nhd_reg <= 8'd0;
            nbeat_fr_reg <= 8'd0;
            pos_reg <= 16'd0;
            pcnt_reg <= 16'd0;
        end
    end

    always_comb begin
        assume (rst == (init_reg == 2'd2));
        if (rst) begin
            assume (!hd_valid && !in_valid && !end_valid && !flush && !wipe);
        end
        if (hd_valid && !hd_hit) begin
            assume (!hd_ctx);
        end
        // beats: full but the last, which holds at least one byte
        if (in_valid) begin
            assume (in_last ? (in_n != 5'd0 && in_n <= 5'd16) : in_n == 5'd16);
            // a frame's beats come after its parser record was taken
            assume (nbeat_fr_reg < nhd_reg);
        end
        // the end record: offered once the frame started (its length
        // flag below, read by the walker with the frame's last beat)
        if (end_valid) begin
            assume (nbeat_fr_reg < nhd_reg);
        end
    end

    // The end record's length flag, against the payload end the frame was
    // admitted with (poff_reg + plen_reg: the record taken last is the
    // frame walked, as the walker takes the next record only when the
    // frame before has ended).
    logic short_now;
    assign short_now = {1'b0, pos_reg} + 17'(in_n) < {1'b0, poff_reg} + {1'b0, plen_reg};
    assign end_rec.csum_ok = end_csum_ok;
    always_comb begin
        end_rec.len_err = 1'b0;
        if (end_valid && in_valid && in_last) begin
            end_rec.len_err = short_now;
        end
    end

    // ---------------------------------------------------------- properties
    // TX: the result says send it encrypted; RX: deliver it decrypted.
    logic walked_send;
    assign walked_send = RX ? pl_res.reason == tlsnic_regs_pkg::RX_REASON_DEC
                            : pl_res.act == tlsnic_pkg::A_WALK && !pl_res.fail && !pl_res.dump;
    logic [15:0] last_ctx_reg;          // context of the last frame walked and sent
    always_ff @(posedge clk) begin
        if (pl_valid && pl_step.last && walked_send) begin
            last_ctx_reg <= pl_res.ctx;
        end
    end
    logic [1:0] nsent_reg;              // frames walked and sent so far (saturating)
    always_ff @(posedge clk) begin
        if (pl_valid && pl_step.last && walked_send && nsent_reg != 2'd3) begin
            nsent_reg <= nsent_reg + 2'd1;
        end
        if (rst) begin
            nsent_reg <= 2'd0;
        end
    end

    always_comb begin
        if (!rst && pl_valid && pl_step.last && walked_send) begin
            CryptoFrameCoversPayload: assert (pl_res.cov == pcnt_reg + pcnt_beat && pcnt_reg + pcnt_beat == plen_reg);
        end
        if (!rst && pl_valid && !pl_step.crypto) begin
            PlainFrameHasNoCryptoLanes: assert (rq_en == 3'd0 && aad_en == 2'd0 && !rr_valid
                                                && pl_step.c0_lo == pl_step.c0_hi && pl_step.t_lo == pl_step.t_hi
                                                && pl_step.c1_lo == pl_step.c1_hi);
        end
        if (!rst) begin
            QueuesWrittenWithRoom: assert ((!pl_valid || pl_ready_w) && (rq_en == 3'd0 || rq_room_w)
                                           && (aad_en == 2'd0 || aad_room_w) && (!rr_valid || rr_room)
                                           && (!fd_valid || fd_ready_w) && (!rt_valid || rt_room));
        end
        // Not vacuous: a frame walked and sent, of payload in two beats;
        // a second frame of the same context walked and sent after a
        // first one (from the state the first wrote back).
        if (!rst) begin
            WalkedTwoBeats: cover (pl_valid && pl_step.last && walked_send && pos_reg != 16'd0 && plen_reg > 16'd16);
            // (in the board form the second frame ends after the 10 clocks checked)
            if (!LEAN) begin
                SecondFrameWalked: cover (pl_valid && pl_step.last && walked_send && nsent_reg == 2'd1
                                          && pl_res.ctx == last_ctx_reg);
            end
        end
    end

    logic unused;
    assign unused = ^{busy, key_valid, key256, key_ctx, key, pl_data, pl_keep, aad0, aad1, rt_tag,
                      fd, rq0, rq1, rq2, rr_data};
endmodule

`default_nettype wire
