// Record walker stage: takes frames in order, decides per frame what to do
// (tx_admit / rx_admit), walks each walked frame's payload with `rec_step`
// (one step per clock, at most one record boundary per step), and emits
// for every beat the plan the crypto datapath executes: the beat, its
// body/tag lanes, keystream requests (to ks_gen), AAD blocks and per-frame
// descriptors. It owns the walker part of the context state (ctx_table):
// prefetched for the next frame while the current one is walked, written
// back at the frame's end.
//
// Frame start (its admission: walk_admit): from the head record (`hd_*`:
// parser record, context id, flow hit) and the prefetched context, or,
// when the frame starts in the clock the previous frame of the same
// context ends, from that frame's
// end state (the RAM write lands at that clock edge). No idle clock between
// frames once the next frame's context is prefetched (one clock after its
// record reaches the head; so frames of one beat take two clocks).
//
// Frame end: the last step waits for the ingress end record (length check,
// RX TCP checksum). A frame that fails (TX: malformed record or short frame;
// RX: bad checksum or truncated) commits nothing; if it continued a record
// whose GHASH state the datapath carried from the previous frame, that state
// is lost, which the context records (`stale`). The frame's result
// (tlsnic_pkg::fres_t) travels with its last step to the egress.
//
// TX retransmissions: a retransmit descriptor frame (A_DESC) is taken into
// the descriptor registers (`retx_desc`: the walker state at the segment's
// first byte, decoded from the RETX header when the frame ends); the next RETX
// frame of that context and sequence number starts from it instead of the
// context's state, does not carry or park GHASH state (`fd.retx`), and
// commits nothing. Its descriptor tag goes to the tag stage (`rt_*` port).
// Every step that finalizes a record's tag (C0's body end) tells the tag
// stage that record's number (`rr_*`) and whether its tag is reported as a
// completion (not for DUMP and RETX frames).
//
// LEAN (the board configuration) trades clocks for a shorter clock path:
// one record section per step: the beat's lanes registered first, the step
// computed from them, the walker state and the head beat into a register
// (q_res_reg) in the next clock and taken in a later one (three clocks per
// step); the lanes of a frame's last beat never end
// the frame, a step of no lanes does (the frame's result from registers);
// a frame starts no earlier than the third clock after the previous one
// ended, its context from the context table's prefetch register (which
// follows the write-back) instead of the ending frame's logic, and its
// admission (tx_admit | rx_admit) registered in the clock before, the
// admission's compares in the clock before that.
// The payload lane bounds of each beat are registered (both forms).
//
// `hold`: start no new frame (a command waits for the pipeline to drain);
// `flush`: the tables changed, prefetch again.
// Handshakes: one step per clock when the beat is there and every queue it
// writes has room (plan, keystream requests (3), AAD (2), key, descriptor).
`default_nettype none

module rec_walker #(
    parameter int W      = 16,
    parameter bit RX     = 1'b0,
    parameter int N_CTX  = 64,
    parameter int CTX_W  = $clog2(N_CTX),
    parameter int RESYNC_CONFIRM  = 1,
    parameter int RESYNC_PATIENCE = 16,
    // The board form (a shorter clock path, more clocks per frame: see
    // above): one record section per step (rec_step ONE), three clocks per
    // step, three clocks between frames.
    parameter bit LEAN            = 1'b0
) (
    input  logic                 clk,
    input  logic                 rst,

    // Next frame: parser record and context
    input  logic                 hd_valid,
    output logic                 hd_ready,
    input  tlsnic_pkg::imeta_t   hd_meta,
    input  logic                 hd_hit,        // RX: flow table hit; TX: context id < N_CTX
    input  logic [CTX_W-1:0]     hd_ctx,

    // Context table (walker state and keys)
    output logic                 pf_req,
    output logic [CTX_W-1:0]     pf_ctx,
    output logic                 pf_drop,
    input  logic                 pf_valid,
    input  logic [CTX_W-1:0]     pf_ctx_q,
    input  tlsnic_pkg::wst_t     pf_st,
    input  tlsnic_pkg::rxst_t    pf_rxs,
    input  tlsnic_pkg::kctl_t    pf_kc,
    input  logic [255:0]         pf_key,
    input  logic [95:0]          pf_iv,
    output logic                 wb_en,
    output logic [CTX_W-1:0]     wb_ctx,
    output tlsnic_pkg::wst_t     wb_st,
    output tlsnic_pkg::rxst_t    wb_rxs,

    // Beats and end records from the ingress
    input  logic                 in_valid,
    output logic                 in_ready,
    input  logic [W*8-1:0]       in_data,
    input  logic [W-1:0]         in_keep,
    input  logic                 in_last,
    input  logic                 end_valid,
    output logic                 end_ready,
    input  tlsnic_pkg::iend_t    end_rec,

    // Plan (one entry per step)
    output logic                 pl_valid,
    input  logic                 pl_ready,
    output tlsnic_pkg::step_t    pl_step,
    output logic [W*8-1:0]       pl_data,
    output logic [W-1:0]         pl_keep,
    output tlsnic_pkg::fres_t    pl_res,        // with the frame's last step

    // Frame descriptors
    output logic                 fd_valid,
    input  logic                 fd_ready,
    output tlsnic_pkg::fdesc_t   fd,

    // Keystream requests and frame keys (ks_gen), AAD blocks (datapath)
    output logic [2:0]           rq_en,
    output tlsnic_pkg::ksreq_t   rq0,
    output tlsnic_pkg::ksreq_t   rq1,
    output tlsnic_pkg::ksreq_t   rq2,
    input  logic                 rq_room,       // room for three requests
    output logic                 key_valid,
    input  logic                 key_ready,
    output logic [255:0]         key,
    output logic                 key256,
    output logic [15:0]          key_ctx,
    output logic [1:0]           aad_en,
    output logic [127:0]         aad0,
    output logic [127:0]         aad1,
    input  logic                 aad_room,      // room for two blocks

    // TX: record numbers of the tags finalized, descriptor tags (tag stage)
    output logic                 rr_valid,
    output logic [64:0]          rr_data,       // {report as a completion, record number}
    input  logic                 rr_room,
    output logic                 rt_valid,
    output logic [127:0]         rt_tag,
    input  logic                 rt_room,

    input  logic                 hold,
    input  logic                 flush,
    input  logic                 wipe,          // clear the working key copy (a context is deleted)
    output logic                 busy
);

    localparam int KC_W = $clog2(W) + 1;

    typedef enum logic [0:0] { W_IDLE, W_WALK } wstate_e;

    // ------------------------------------------------------------ frame state
    wstate_e             ws_reg;
    tlsnic_pkg::act_e    f_act;
    logic                f_dump, f_carry, f_insync, f_upd, f_err, f_part, f_rreq, f_hit, f_retx;
    logic [2:0]          f_why;
    logic [3:0]          f_reason, f_nrst;
    logic [CTX_W-1:0]    f_ctx;
    logic [15:0]         f_base, f_pay_lo, f_pay_hi, f_bytes;
    logic [6:0]          f_pos;
    logic [31:0]         f_sbase, f_wb_seq, f_guess;
    logic [10:0]         f_kreq;
    logic [15:0]         f_cov, f_tagb;     // payload and tag bytes walked with crypto
    logic                f_kreq_ok, f_first_req;
    /* verilator lint_off UNUSEDSIGNAL */ // the walker needs the version and key size only
    tlsnic_pkg::kctl_t   f_kc;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [255:0]        f_key /*verilator public_flat_rd*/;
    logic [95:0]         f_iv /*verilator public_flat_rd*/;
    tlsnic_pkg::wst_t    st, st_ld;
    tlsnic_pkg::rxst_t   rxs, rxs_ld;
    // The last frame walked with crypto: it committed and ended in a record
    // body, so the datapath holds that record's GHASH state open.
    logic                lc_ok_reg;
    logic [CTX_W-1:0]    lc_ctx_reg;
    logic                pf_issued_reg;

    // ----------------------------------------------------------- the step
    logic [KC_W-1:0] keep_n;
    always_comb begin : keep_count
        keep_n = '0;
        for (int i = 0; i < W; i++) begin
            keep_n = keep_n + KC_W'(in_keep[i]);
        end
    end

    function automatic logic [6:0] clamp_lane(input logic [15:0] off, input logic [15:0] base);
        if (off <= base) begin
            clamp_lane = 7'd0;
        end else if (off - base >= 16'(W)) begin
            clamp_lane = 7'(W);
        end else begin
            clamp_lane = 7'(off - base);
        end
    endfunction

    // The payload lanes of the beat at f_base: [plo_reg, hi_reg), clamped to
    // the beat, registered when the frame starts and when a beat is done.
    logic [6:0] plo_reg, hi_reg, c_phi, c_s;
    logic       walking, crypto_frame, c_have;
    assign walking      = ws_reg == W_WALK && f_act == tlsnic_pkg::A_WALK && !f_err;
    assign crypto_frame = f_act == tlsnic_pkg::A_WALK && (!RX || f_insync);
    always_comb begin : lanes
        c_phi  = (in_last && 7'(keep_n) < hi_reg) ? 7'(keep_n) : hi_reg;
        c_s    = (f_pos > plo_reg) ? f_pos : plo_reg;
        c_have = walking && c_s < c_phi;
    end

    // What the step is computed from (l_*): the lanes above, their count
    // from s (phi - s), the beat's first sequence number, the 8 bytes from
    // lane s (the ONE form's sections read no others) and the bytes left
    // of the state's section (not LEAN), or (LEAN) those registered in the
    // clock after the state or the beat changed (l_ok_reg), the step then
    // computed from them in the next clock (q_ok_reg) and taken in a later
    // one: three clocks per step, and the beat's lane count, byte select
    // and section length are out of the step's path. (The full form leaves
    // l_reg unused and gives rec_step no count, bytes or length: its
    // full-rate step reads none of them.)
    function automatic logic [63:0] bytes_at(input logic [6:0] lo);
        for (int k = 0; k < 8; k++) begin
            bytes_at[8*k +: 8] = 8'd0;
            for (int i = 0; i < W; i++) begin
                if (lo + 7'(k) == 7'(i)) begin
                    bytes_at[8*k +: 8] = in_data[8*i +: 8];
                end
            end
        end
    endfunction
    // The bytes left of the section at the walker state (rec_step's `rem`:
    // the ONE form's step walks one section, from the state).
    function automatic logic [15:0] sect_rem(input tlsnic_pkg::sect_e sect, input logic [3:0] soff,
                                             input logic [15:0] blen, input logic [15:0] boff,
                                             input logic [15:0] skip);
        case (sect)
            tlsnic_pkg::S_HDR:   sect_rem = {12'd0, 4'd5 - soff};
            tlsnic_pkg::S_NONCE: sect_rem = {12'd0, 4'd8 - soff};
            tlsnic_pkg::S_BODY:  sect_rem = blen - boff;
            tlsnic_pkg::S_TAG:   sect_rem = 16'd16 - 16'(soff);
            tlsnic_pkg::S_SKIP:  sect_rem = skip;
            default:             sect_rem = 16'd0;
        endcase
    endfunction
    logic [15:0] c_rem;
    assign c_rem = LEAN ? sect_rem(st.sect, st.soff, st.blen, st.boff, rxs.skip) : 16'd0;
    logic [6:0]  l_s, l_phi, l_room;
    logic        l_have, l_ok_reg;
    logic [31:0] c_seq0, l_seq0;
    logic [63:0] l_win;
    logic [15:0] l_rem;
    logic [133:0] l_reg;
    assign c_seq0 = f_sbase + 32'(f_base);
    always_ff @(posedge clk) begin : lanes_reg
        if (ws_reg == W_WALK && in_valid && !l_ok_reg) begin
            l_reg    <= {c_s, c_phi, c_phi - c_s, c_have, c_seq0, bytes_at(c_s), c_rem};
            l_ok_reg <= 1'b1;
        end
        if (step || start || rst) begin
            l_ok_reg <= 1'b0;
        end
    end
    assign {l_s, l_phi, l_room, l_have, l_seq0, l_win, l_rem} =
            LEAN ? l_reg : {c_s, c_phi, 7'd0, c_have, c_seq0, 64'd0, 16'd0};
    `TLSNIC_ASSERT_IMP(WalkerBytesOfBeat, LEAN && l_ok_reg && in_valid, l_win == bytes_at(l_s), clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerRemOfState, LEAN && l_ok_reg, l_rem == c_rem, clk, rst)

    // The step from the walker state and the head beat (c_*), and what the
    // rest of the walker uses (u_*): c_* (not LEAN), or (LEAN) c_* held in
    // q_res_reg, computed in the clock after the lanes were registered and
    // taken in a later one (rec_step's path ends at a register).
    typedef struct packed {
        tlsnic_pkg::wst_t   st;
        tlsnic_pkg::rxst_t  rxs;
        logic [10:0]        kreq;
        logic               kreq_ok, err, part, rreq, rst, have;
        logic [6:0]         pos, s, phi;
        tlsnic_pkg::step_t  sp;
        logic [2:0]         req;
        logic [1:0]         aad;
        tlsnic_pkg::ksreq_t q0, q1, q2;
        logic [127:0]       a0, a1;
    } sres_t;
    sres_t c_res, u_res, q_res_reg;
    logic  q_ok_reg;

    rec_step #(.W(W), .RX(RX), .RESYNC_CONFIRM(RESYNC_CONFIRM), .RESYNC_PATIENCE(RESYNC_PATIENCE),
               .ONE(LEAN)) u_step (
        .st(st), .rxs(rxs), .v13(f_kc.v13), .iv(f_iv), .data(in_data), .s(l_s), .phi(l_phi),
        .win8(l_win), .room(l_room), .rem(l_rem),
        .seq0(l_seq0), .kreq(f_kreq), .kreq_ok(f_kreq_ok), .first_req(f_first_req),
        .st_o(c_res.st), .rxs_o(c_res.rxs), .kreq_o(c_res.kreq), .kreq_ok_o(c_res.kreq_ok), .pos_o(c_res.pos),
        .plan(c_res.sp), .req_en(c_res.req), .req0(c_res.q0), .req1(c_res.q1), .req2(c_res.q2),
        .aad_en(c_res.aad), .aad0(c_res.a0), .aad1(c_res.a1),
        .err_o(c_res.err), .part_o(c_res.part), .rreq_o(c_res.rreq), .rst_o(c_res.rst)
    );
    assign c_res.s    = l_s;
    assign c_res.phi  = l_phi;
    assign c_res.have = l_have;
    assign u_res      = LEAN ? q_res_reg : c_res;

    tlsnic_pkg::wst_t   st_n;
    tlsnic_pkg::rxst_t  rxs_n;
    logic [10:0]        kreq_n;
    logic               kreq_ok_n, err_n, part_n, rreq_n, rst_n, have;
    logic [6:0]         pos_n, s, phi;
    tlsnic_pkg::step_t  sp;
    logic [2:0]         sp_req;
    logic [1:0]         sp_aad;
    tlsnic_pkg::ksreq_t sq0, sq1, sq2;
    logic [127:0]       sa0, sa1;
    assign {st_n, rxs_n, kreq_n, kreq_ok_n, err_n, part_n, rreq_n, rst_n, have, pos_n, s, phi,
            sp, sp_req, sp_aad, sq0, sq1, sq2, sa0, sa1} = u_res;

    // A step this clock: walk lanes [s, pos_n) (have) or pass the beat.
    logic       step_room, step, bdone, last_step, end_ok, nk_now;
    assign nk_now    = have && ((sp_req[0] && sq0.nk) || (sp_req[1] && sq1.nk) || (sp_req[2] && sq2.nk));
    // LEAN: the lanes of a frame's last beat never end it: the frame ends in
    // a step of no lanes after them (its end result from registers only).
    assign bdone     = !have || (pos_n >= phi && !(LEAN && in_last));
    assign last_step = in_last && bdone;
    assign end_ok    = !last_step || end_valid;
    assign step_room = pl_ready && (!have || (rq_room && aad_room && (!nk_now || key_ready) && (RX || rr_room)));
    assign step      = ws_reg == W_WALK && in_valid && step_room && end_ok && (!LEAN || q_ok_reg);
    assign in_ready  = step && bdone;
    assign end_ready = step && last_step;

    // --------------------------------------------------------- frame end
    // What the frame leaves: its result and the context write-back.
    // have_e: a step with lanes can end the frame (not LEAN)
    tlsnic_pkg::fres_t res;
    logic              commit, mark_stale, have_e;
    assign have_e = !LEAN && have;
    logic [31:0]       end_seq;
    always_comb begin : end_result
        logic [3:0] r;
        logic       fail;
        // state after this step
        res       = '0;
        res.act   = f_act;
        res.dump  = f_dump;
        res.retx  = f_retx;
        res.why   = f_why;
        res.ctx   = 16'(f_ctx);
        res.cov   = f_cov + ((have_e && crypto_frame && !f_err) ? {9'd0, pos_n - s} : 16'd0);
        res.tagb  = f_tagb + ((have_e && crypto_frame) ? {9'd0, sp.t_hi - sp.t_lo} : 16'd0);
        res.bytes = f_bytes;
        res.hit   = f_hit;
        end_seq   = f_wb_seq;
        if (RX) begin
            r = f_reason;
            if (f_reason == tlsnic_regs_pkg::RX_REASON_PARSE || end_rec.len_err) begin
                r = tlsnic_regs_pkg::RX_REASON_PARSE;
            end else if (f_reason == tlsnic_regs_pkg::RX_REASON_CSUM || !end_rec.csum_ok) begin
                r = tlsnic_regs_pkg::RX_REASON_CSUM;
            end else if (f_reason != tlsnic_regs_pkg::RX_REASON_DEC) begin
                r = f_reason;
            end else if (f_err || (have_e && err_n)) begin
                r = tlsnic_regs_pkg::RX_REASON_BADREC;
            end else if (!f_insync) begin
                r = tlsnic_regs_pkg::RX_REASON_OOS;
            end else if (f_part || (have_e && part_n)) begin
                r = tlsnic_regs_pkg::RX_REASON_PART;
            end
            res.reason = r;
            commit     = f_hit && f_upd && r != tlsnic_regs_pkg::RX_REASON_PARSE
                      && r != tlsnic_regs_pkg::RX_REASON_CSUM;
            res.wb     = commit;
            res.rreq   = commit && (f_rreq || (have_e && rreq_n));
            res.guess  = (have_e && rreq_n) ? rxs_n.guess : f_guess;
            res.nrst   = commit ? f_nrst + 4'(have_e && rst_n) : 4'd0;
            fail       = f_act == tlsnic_pkg::A_WALK && !commit;
        end else begin
            fail       = f_act == tlsnic_pkg::A_WALK && (f_err || (have_e && err_n) || end_rec.len_err);
            commit     = f_act == tlsnic_pkg::A_WALK && !fail;
            res.fail   = fail;
            if (f_dump) begin
                // the context continues after the DUMP's record bytes
                res.bytes = f_base + 16'(keep_n) - 16'd16;
                end_seq   = st.seq + 32'(res.bytes);
            end
        end
        mark_stale = fail && f_carry && st_ld.sect == tlsnic_pkg::S_BODY;
    end

    // The state of f_ctx after the frame ends this clock.
    tlsnic_pkg::wst_t  st_end;
    tlsnic_pkg::rxst_t rxs_end;
    always_comb begin : end_state
        st_end  = have_e ? st_n : st;
        rxs_end = have_e ? rxs_n : rxs;
        if (RX && have_e && err_n) begin
            // malformed header in sync: sync is lost here
            rxs_end.mode = tlsnic_pkg::M_WAIT;
            st_end.sect  = tlsnic_pkg::S_HDR;
            st_end.soff  = 4'd0;
        end
        st_end.seq   = end_seq;
        st_end.stale = 1'b0;
        if (!commit) begin
            st_end       = st_ld;
            rxs_end      = rxs_ld;
            st_end.stale = st_ld.stale || mark_stale;
        end
    end

    logic frame_end;
    assign frame_end = LEAN ? q_ok_reg && ws_reg == W_WALK && in_valid && pl_ready && end_valid && in_last && !have
                            : step && last_step;
    assign wb_en     = frame_end && ((commit && !f_retx) || mark_stale);
    assign wb_ctx    = f_ctx;
    assign wb_st     = st_end;
    assign wb_rxs    = rxs_end;

    // ------------------------------------------- retransmit descriptor (TX)
    logic             rt_valid_reg, rt_tagv_reg, rt_mid_reg;
    logic [CTX_W-1:0] rt_ctx_reg;
    tlsnic_pkg::wst_t rt_st_reg;
    logic [15:0]      rt_from_reg;
    logic [127:0]     rt_tag_reg;
    logic             hd_retx_op, u_retx_op;
    assign hd_retx_op = !RX && hd_meta.tuser[tlsnic_regs_pkg::TXD_OFFLOAD]
                     && hd_meta.tuser[tlsnic_regs_pkg::TXD_OP_LSB +: 2] == 2'(tlsnic_regs_pkg::TXD_OP_RETX);

    if (RX) begin : g_rx_no_retx
        assign {rt_valid_reg, rt_tagv_reg, rt_mid_reg, rt_ctx_reg, rt_st_reg, rt_from_reg, rt_tag_reg} = '0;
    end else begin : g_tx_retx
        retx_desc #(.W(W), .CTX_W(CTX_W), .KC_W(KC_W)) u_retx (
            .clk(clk), .rst(rst), .wipe(wipe),
            .step(step && f_act == tlsnic_pkg::A_DESC), .done(frame_end && f_act == tlsnic_pkg::A_DESC),
            .taken(start && u_retx_op),
            .base(f_base), .data(in_data), .keep_n(keep_n), .v13(f_kc.v13), .ctx(f_ctx),
            .rt_valid(rt_valid_reg), .rt_ctx(rt_ctx_reg), .rt_st(rt_st_reg), .rt_tagv(rt_tagv_reg),
            .rt_mid(rt_mid_reg), .rt_from(rt_from_reg), .rt_tag(rt_tag_reg)
        );
    end

    // ------------------------------------------------------- frame start
    logic               can_start, start, fwd;
    tlsnic_pkg::wst_t   src_st;
    tlsnic_pkg::rxst_t  src_rxs;
    logic hd_pf, adm_in_ok, adm_ok;
    assign hd_pf     = hd_valid && pf_valid && pf_ctx_q == hd_ctx;  // the head frame, its context prefetched
    // LEAN: from registers and the queues' room: adm_ok says the head
    // frame and its context were there with the walker idle in the last
    // clock, and nothing changed them (so, without a hold or flush now, they
    // still are, and no frame ends: WalkerLeanStartHolds); whether it is a
    // RETX frame registered with it (u_retx_op).
    assign can_start = !hold && !flush && fd_ready && (!u_retx_op || rt_room)
                    && (LEAN ? adm_ok
                             : hd_pf && (ws_reg == W_IDLE || frame_end)
                               // a descriptor ending now is in its registers from the next clock
                               && !(frame_end && f_act == tlsnic_pkg::A_DESC));
    `TLSNIC_ASSERT_IMP(WalkerLeanStartHolds, LEAN && start,
                       hd_pf && ws_reg == W_IDLE && !frame_end && u_retx_op == hd_retx_op, clk, rst)
    // the frame ending now writes the context this frame starts from
    assign fwd       = ws_reg == W_WALK && frame_end && wb_en && hd_ctx == f_ctx;
    // (LEAN: a frame starts no earlier than the clock after a write-back,
    // which the context table's prefetch register has followed by then)
    assign src_st    = (!LEAN && fwd) ? st_end : pf_st;
    assign src_rxs   = (!LEAN && fwd) ? rxs_end : pf_rxs;

    // The next crypto frame after the one that left this record's GHASH
    // state open (frames without crypto in between do not touch it).
    logic lc_ok_now, open_rec;
    logic [CTX_W-1:0] lc_ctx_now;
    assign lc_ok_now  = (frame_end && crypto_frame) ? (commit && !f_retx && st_end.sect == tlsnic_pkg::S_BODY)
                                                    : lc_ok_reg;
    assign lc_ctx_now = (frame_end && crypto_frame) ? f_ctx : lc_ctx_reg;
    // (LEAN: no frame ends in a start's clock, the registers say it)
    assign open_rec   = LEAN ? lc_ok_reg && hd_ctx == lc_ctx_reg : lc_ok_now && hd_ctx == lc_ctx_now;

    // The head frame's admission and what it starts with (fst): (LEAN)
    // registered in the clock before the start, from inputs that no event
    // changed in that clock.
    tlsnic_pkg::wfst_t fst;
    assign adm_in_ok = hd_pf && ws_reg == W_IDLE && !(start || frame_end || flush || hold || wipe || rst);
    walk_admit #(.W(W), .RX(RX), .LEAN(LEAN), .CTX_W(CTX_W)) u_admit (
        .clk(clk), .rst(rst), .meta(hd_meta), .hit(hd_hit), .ctx(hd_ctx), .kc(pf_kc), .st(src_st),
        .rxs(src_rxs), .retx_op(hd_retx_op), .rt_valid(rt_valid_reg), .rt_ctx(rt_ctx_reg), .rt_st(rt_st_reg),
        .rt_tagv(rt_tagv_reg), .rt_mid(rt_mid_reg), .rt_from(rt_from_reg), .open_rec(open_rec),
        .in_ok(adm_in_ok), .start(start), .fst(fst), .ok(adm_ok), .retx_op_q(u_retx_op)
    );

    assign start    = can_start;
    assign hd_ready = start;
    assign fd_valid = start;
    always_comb begin : descriptor
        fd        = '0;
        fd.crypto = fst.crypto;
        fd.ctx    = 16'(hd_ctx);
        fd.v13    = pf_kc.v13;
        fd.resume = fst.resume;
        fd.carry  = fst.carry;
        fd.in_tag = fst.crypto && fst.adm.st.sect == tlsnic_pkg::S_TAG;
        fd.retx   = fst.adm.retx;
        fd.rtag   = fst.adm.retx && rt_tagv_reg;
        fd.v6     = hd_meta.v6;
        fd.l3_off = hd_meta.l3_off;
        fd.l4_off = hd_meta.l4_off;
        fd.l4_len = 16'(hd_meta.pay_off) - 16'(hd_meta.l4_off) + hd_meta.pay_len;
    end

    // Prefetch the head frame's context once.
    assign pf_req  = hd_valid && !pf_issued_reg && !flush;
    assign pf_ctx  = hd_ctx;
    assign pf_drop = start || flush;

    // --------------------------------------------------------- outputs
    always_comb begin : plan_out
        pl_step        = have ? sp : '0;
        pl_step.last   = last_step;
        pl_step.bdone  = bdone;
        pl_step.crypto = crypto_frame && !f_err;
        pl_res         = res;
    end
    assign pl_valid  = step;
    assign pl_data   = in_data;
    assign pl_keep   = in_keep;
    assign rq_en     = (step && have) ? sp_req : 3'b000;
    assign rq0       = sq0;
    assign rq1       = sq1;
    assign rq2       = sq2;
    assign aad_en    = (step && have) ? sp_aad : 2'b00;
    assign aad0      = sa0;
    assign aad1      = sa1;
    assign key_valid = step && nk_now;
    assign key       = f_key;
    assign key256    = f_kc.k256;
    assign key_ctx   = 16'(f_ctx);
    assign busy      = ws_reg != W_IDLE;
    assign rr_valid  = !RX && step && have && crypto_frame && !f_err && sp.c0_end;
    assign rr_data   = {!f_dump && !f_retx, st.rec};
    assign rt_valid  = start && fst.adm.retx && rt_tagv_reg;
    assign rt_tag    = rt_tag_reg;

    // ------------------------------------------------------------ registers
    always_ff @(posedge clk) begin : walker
        if (LEAN && ws_reg == W_WALK && in_valid && l_ok_reg && !q_ok_reg) begin
            q_res_reg <= c_res;
            q_ok_reg  <= 1'b1;
        end
        if (step || start || rst) begin
            q_ok_reg <= 1'b0;
        end
        if (pf_req) begin
            pf_issued_reg <= 1'b1;
        end
        if (start || flush) begin
            pf_issued_reg <= 1'b0;
        end
        if (step) begin
            if (have) begin
                st        <= st_n;
                rxs       <= rxs_n;
                f_kreq    <= kreq_n;
                f_kreq_ok <= kreq_ok_n;
                f_pos     <= pos_n;
                if (sp_req != 3'b000) begin
                    f_first_req <= 1'b0;
                end
                if (err_n) begin
                    f_err <= 1'b1;
                    if (RX) begin
                        rxs.mode <= tlsnic_pkg::M_WAIT;
                        st.sect  <= tlsnic_pkg::S_HDR;
                        st.soff  <= 4'd0;
                    end
                end
                if (part_n) begin
                    f_part <= 1'b1;
                end
                if (crypto_frame) begin
                    f_cov  <= f_cov + {9'd0, pos_n - s};
                    f_tagb <= f_tagb + {9'd0, sp.t_hi - sp.t_lo};
                end
                if (rreq_n) begin
                    f_rreq  <= 1'b1;
                    f_guess <= rxs_n.guess;
                end
                if (rst_n) begin
                    f_nrst <= f_nrst + 4'd1;
                end
            end
            if (bdone) begin
                f_base  <= f_base + 16'(W);
                f_pos   <= 7'd0;
                plo_reg <= clamp_lane(f_pay_lo, f_base + 16'(W));
                hi_reg  <= clamp_lane(f_pay_hi, f_base + 16'(W));
            end
        end
        if (frame_end) begin
            ws_reg <= W_IDLE;
        end
        lc_ok_reg  <= lc_ok_now && !flush && !(start && fst.crypto);
        lc_ctx_reg <= lc_ctx_now;
        if (start) begin
            ws_reg      <= W_WALK;
            f_act       <= fst.adm.act;
            f_dump      <= fst.adm.dump;
            f_retx      <= fst.adm.retx;
            f_why       <= fst.adm.why;
            f_reason    <= fst.adm.reason;
            f_upd       <= fst.adm.upd;
            f_insync    <= fst.adm.insync;
            f_part      <= fst.adm.part;
            f_nrst      <= {3'd0, fst.adm.rst};
            f_rreq      <= 1'b0;
            f_guess     <= 32'd0;
            f_err       <= 1'b0;
            f_hit       <= hd_hit;
            f_carry     <= fst.carry;
            f_ctx       <= hd_ctx;
            f_kc        <= pf_kc;
            f_key       <= pf_key;
            f_iv        <= pf_iv;
            f_base      <= 16'd0;
            f_pos       <= 7'd0;
            f_pay_lo    <= fst.adm.lo;
            f_pay_hi    <= fst.adm.hi;
            plo_reg     <= fst.plo;
            hi_reg      <= fst.phi;
            f_bytes     <= hd_meta.pay_len;
            f_sbase     <= hd_meta.seq - 32'(hd_meta.pay_off);
            f_wb_seq    <= fst.adm.wb_seq;
            f_kreq      <= 11'd0;
            f_cov       <= 16'd0;
            f_tagb      <= 16'd0;
            f_kreq_ok   <= 1'b0;
            f_first_req <= 1'b1;
            st          <= fst.adm.st;
            rxs         <= fst.adm.rxs;
            st_ld       <= src_st;
            rxs_ld      <= src_rxs;
        end
        if (wipe) begin
            f_key <= 256'd0;
            f_iv  <= 96'd0;
        end
        if (rst) begin
            ws_reg        <= W_IDLE;
            lc_ok_reg     <= 1'b0;
            pf_issued_reg <= 1'b0;
            f_act         <= tlsnic_pkg::A_PASS;
            f_retx        <= 1'b0;
            f_err         <= 1'b0;
            f_key         <= 256'd0;
            f_iv          <= 96'd0;
        end
    end

    // Functional coverage (docs/coverage.md): where walked frames start in
    // their records, records per segment, record lengths, sequence wrap,
    // network layers; TX frame kinds; RX sync-mode transitions.
`ifndef SYNTHESIS
    logic [1:0] cv_nrec_reg, cv_nrec;   // record headers completed in the frame (2: two or more)
    always_comb begin : cv_records
        logic [2:0] t;
        t       = {1'b0, cv_nrec_reg} + 3'(aad_en[0]) + 3'(aad_en[1]);
        cv_nrec = (t >= 3'd2) ? 2'd2 : t[1:0];
    end
    always_ff @(posedge clk) begin : cv_regs
        if (step) begin
            cv_nrec_reg <= cv_nrec;
        end
        if (start || rst) begin
            cv_nrec_reg <= 2'd0;
        end
    end

    // cv_blen[i]: a record header with 0, 1, 16384 plaintext bytes (body
    // length; TLS 1.3: one more, the content type) completed in this walked
    // step
    logic cv_start, cv_h0, cv_h1, cv_end;
    logic [2:0] cv_blen;
    assign cv_start = start && fst.crypto;
    assign cv_h0    = step && have && crypto_frame && !f_err && sp.c0_aad;
    assign cv_h1    = step && have && crypto_frame && !f_err && sp.c1;
    assign cv_end   = frame_end && crypto_frame && commit;
    always_comb begin : cv_lengths
        logic [15:0] b [3];
        b[0] = 16'd0;
        b[1] = 16'd1;
        b[2] = 16'd16384;
        for (int i = 0; i < 3; i++) begin
            cv_blen[i] = (cv_h0 && sp.c0_blen == b[i] + 16'(f_kc.v13)) || (cv_h1 && sp.c1_blen == b[i] + 16'(f_kc.v13));
        end
    end

    for (genvar i = 0; i < 5; i++) begin : g_cov_hdr
        `TLSNIC_COVER(CovStartInHeader, cv_start && fst.adm.st.sect == tlsnic_pkg::S_HDR && fst.adm.st.soff == 4'(i), clk, rst)
    end
    for (genvar i = 0; i < 8; i++) begin : g_cov_nonce
        `TLSNIC_COVER(CovStartInNonce, cv_start && fst.adm.st.sect == tlsnic_pkg::S_NONCE && fst.adm.st.soff == 4'(i), clk, rst)
    end
    for (genvar i = 0; i < 16; i++) begin : g_cov_tag
        `TLSNIC_COVER(CovStartInTag, cv_start && fst.adm.st.sect == tlsnic_pkg::S_TAG && fst.adm.st.soff == 4'(i), clk, rst)
    end
    `TLSNIC_COVER(CovStartAtBody, cv_start && fst.adm.st.sect == tlsnic_pkg::S_BODY && fst.adm.st.boff == 16'd0, clk, rst)
    `TLSNIC_COVER(CovStartInBody, cv_start && fst.adm.st.sect == tlsnic_pkg::S_BODY && fst.adm.st.boff != 16'd0, clk, rst)
    for (genvar i = 0; i < 3; i++) begin : g_cov_nrec
        `TLSNIC_COVER(CovRecordsInSegment, cv_end && cv_nrec == 2'(i), clk, rst)
    end
    `TLSNIC_COVER(CovTls12Plain0, !f_kc.v13 && cv_blen[0], clk, rst)
    `TLSNIC_COVER(CovTls12Plain1, !f_kc.v13 && cv_blen[1], clk, rst)
    `TLSNIC_COVER(CovTls12Plain16384, !f_kc.v13 && cv_blen[2], clk, rst)
    `TLSNIC_COVER(CovTls13Plain0, f_kc.v13 && cv_blen[0], clk, rst)
    `TLSNIC_COVER(CovTls13Plain1, f_kc.v13 && cv_blen[1], clk, rst)
    `TLSNIC_COVER(CovTls13Plain16384, f_kc.v13 && cv_blen[2], clk, rst)
    `TLSNIC_COVER(CovSeqWrap, cv_start && hd_meta.seq + 32'(hd_meta.pay_len) < hd_meta.seq
                              && hd_meta.seq + 32'(hd_meta.pay_len) != 32'd0, clk, rst)
    `TLSNIC_COVER(CovIpv4, cv_start && !hd_meta.v6, clk, rst)
    `TLSNIC_COVER(CovIpv6, cv_start && hd_meta.v6, clk, rst)
    `TLSNIC_COVER(CovVlan, cv_start && hd_meta.l3_off == 8'd18, clk, rst)
    `TLSNIC_COVER(CovTls12, cv_start && !pf_kc.v13, clk, rst)
    `TLSNIC_COVER(CovTls13, cv_start && pf_kc.v13, clk, rst)
    `TLSNIC_COVER(CovAes128, cv_start && !pf_kc.k256, clk, rst)
    `TLSNIC_COVER(CovAes256, cv_start && pf_kc.k256, clk, rst)
    `TLSNIC_COVER(CovCarry, cv_start && fst.carry, clk, rst)
    `TLSNIC_COVER(CovResumeFromRam, cv_start && fst.resume && !fst.carry, clk, rst)
    `TLSNIC_COVER(CovStaleMarked, frame_end && mark_stale, clk, rst)
    if (!RX) begin : g_cov_tx
        `TLSNIC_COVER(CovDump, start && fst.adm.dump, clk, rst)
        `TLSNIC_COVER(CovRetxDescriptor, start && fst.adm.act == tlsnic_pkg::A_DESC, clk, rst)
        `TLSNIC_COVER(CovRetx, start && fst.adm.retx && !rt_tagv_reg, clk, rst)
        `TLSNIC_COVER(CovRetxWithTag, start && fst.adm.retx && rt_tagv_reg, clk, rst)
    end else begin : g_cov_rx
        // a padded TLS 1.3 record of the largest legal ciphertext (RX only:
        // a peer may pad, the host's kTLS TX never does)
        localparam logic [15:0] BLEN_MAX13 = tlsnic_pkg::RX13_LEN_MAX - 16'd16;
        `TLSNIC_COVER(CovTls13LenMax, f_kc.v13 && ((cv_h0 && sp.c0_blen == BLEN_MAX13)
                                                   || (cv_h1 && sp.c1_blen == BLEN_MAX13)), clk, rst)
        // sync-mode transitions of committed frames, per resync mode (sd:
        // stack-driven; the stream scan runs only without it)
        for (genvar sd = 0; sd < 2; sd++) begin : g_sd
            `TLSNIC_COVER(CovLost, wb_en && f_kc.sd == 1'(sd) && rxs_ld.mode == tlsnic_pkg::M_SYNC
                                   && rxs_end.mode == tlsnic_pkg::M_WAIT, clk, rst)
        end
        `TLSNIC_COVER(CovScanStart, wb_en && rxs_ld.mode == tlsnic_pkg::M_WAIT
                                    && rxs_end.mode == tlsnic_pkg::M_SEARCH, clk, rst)
        `TLSNIC_COVER(CovScanRestartAtLoss, wb_en && rxs_ld.mode == tlsnic_pkg::M_TRACK
                                            && rxs_end.mode == tlsnic_pkg::M_SEARCH, clk, rst)
        `TLSNIC_COVER(CovScanCandidate, wb_en && rxs_ld.mode == tlsnic_pkg::M_SEARCH
                                        && rxs_end.mode == tlsnic_pkg::M_TRACK, clk, rst)
        `TLSNIC_COVER(CovScanRequest, frame_end && res.rreq, clk, rst)
        `TLSNIC_COVER(CovScanCandidateRejected, frame_end && res.nrst != 4'd0, clk, rst)
    end
`endif

    // Assertions
    // (a step of one section may consume no byte: an empty body's end)
    `TLSNIC_ASSERT_IMP(WalkerProgress, step && have && !bdone, pos_n > s || st_n.sect != st.sect, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerCtxInRange, start, 32'(hd_ctx) < N_CTX, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerNoStartWhileHeld, hold, !start, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerKeyWithFirstRequest, key_valid, key_ready, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerRecordRoom, rr_valid, rr_room, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerRetxTagRoom, rt_valid, rt_room, clk, rst)
    `TLSNIC_ASSERT_IMP(WalkerRetxNoCommit, frame_end && f_retx, !wb_en, clk, rst)
    `TLSNIC_ASSERT(WalkerFrameEndIsLastStep, frame_end == (step && last_step), clk, rst)

endmodule

`default_nettype wire
