// Crypto datapath stage: executes the walker's plan, one step at a time.
//
// Per step (`gcm_blocks`): body lanes XORed with the keystream queue, the
// ciphertext cut into GHASH blocks, which go to `ghash_core` in up to two
// phases, C0's record then C1's, M blocks per clock: one clock per step in
// the steady state, two or three where a record ends and the next begins.
// Each record being hashed has a slot in ghash_core: a fresh one at its
// AAD, finalized at its body end (the tag goes to ghash_core's tag queue,
// read by the tag stage), or left open at the frame's end.
//
// Per frame (descriptors in `fd_*`, looked at one frame ahead):
// - H^1..H^K of the frame's context come from the H table (prefetched).
// - A frame that starts inside a record body either continues the open
//   slot (`carry`: the walker saw the same context back to back) or loads
//   the record's parked GHASH state (accumulators and partial block) from
//   the GHASH table into a fresh slot. An open slot that the next crypto
//   frame does not carry is parked (saved to the GHASH table) if its frame
//   committed, else dropped (the walker never moved past it either).
// - A TX retransmission (`fd.retx`) that starts inside a record body takes a
//   fresh slot with a zero state: that record's tag is not computed here
//   (the tag stage writes the descriptor's); its slot is never parked.
// - Descriptors go on to the tag stage (`td_*`).
// Output (`o_*`): one entry per step, the beat so far (lanes of earlier
// steps of the beat merged), the original beat (RX), the step and the frame
// result.
//
// Block numbering: a record of body length L hashes N = 2 + ceil(L/16)
// blocks: 0 the AAD, 1.. the body, N-1 the length block; block i goes to
// lane i mod K with multiplier H^K, or H^(N-i) if it is one of the last K.
//
// Commands: `park` parks the open slot once no frame waits to be set up (a
// command drains the pipeline), `flush` drops the prefetches (the tables
// change);
// `h_wr_*` writes the H table; `pw_*` computes H^2..H^K for a new key.
// `idle`: no step in progress, no open slot, no save or GHASH work pending.
`default_nettype none

module gcm_datapath #(
    parameter int W      = 16,
    parameter bit RX     = 1'b0,
    parameter int N_CTX  = 64,
    parameter int CTX_W  = $clog2(N_CTX),
    parameter int M      = 1,               // GHASH blocks per clock
    parameter int K      = 2,               // GHASH lanes = powers of H per context
    parameter int WIN    = 4,               // keystream window
    parameter int KS_CW  = 6,               // keystream count width
    parameter int GHASH_DIGIT = 128,        // ghash_core MUL_DIGIT (128: pipelined multipliers)
    parameter int LEAN   = 0                // W = 16 only: gcm_blocks16 (the same function, for area)
) (
    input  logic                   clk,
    input  logic                   rst,

    // Plan from the walker
    input  logic                   pl_valid,
    output logic                   pl_ready,
    input  tlsnic_pkg::step_t      pl_step,
    input  logic [W*8-1:0]         pl_data,
    input  logic [W-1:0]           pl_keep,
    input  tlsnic_pkg::fres_t      pl_res,

    input  logic                   fd_valid,
    output logic                   fd_ready,
    input  tlsnic_pkg::fdesc_t     fd,

    // Keystream queue (ks_gen) and AAD queue
    input  logic [WIN*128-1:0]     ks_win,
    /* verilator lint_off UNUSEDSIGNAL */ // for the assertion below only
    input  logic [WIN*16-1:0]      ks_ctx,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [KS_CW-1:0]       ks_count,
    output logic [$clog2(WIN):0]   ks_pop,
    input  logic [255:0]           aad_win,     // the two oldest AAD blocks, oldest in [127:0]
    input  logic [1:0]             aad_count,   // entries, saturated at 2
    output logic [1:0]             aad_pop,

    // To the tag stage
    output logic                   o_valid,
    input  logic                   o_ready,
    output tlsnic_pkg::step_t      o_step,
    output logic [W*8-1:0]         o_data,
    output logic [W*8-1:0]         o_orig,
    output logic [W-1:0]           o_keep,
    output tlsnic_pkg::fres_t      o_res,
    output logic                   td_valid,
    input  logic                   td_ready,
    output tlsnic_pkg::fdesc_t     td,
    output logic                   tag_valid,
    input  logic                   tag_ready,
    output logic [127:0]           tag,

    // Commands
    input  logic                   h_wr_en,
    input  logic [CTX_W-1:0]       h_wr_ctx,
    input  logic [K*128-1:0]       h_wr_pow,
    input  logic                   pw_start,    // key set-up: H^2..H^K from pw_h
    input  logic [127:0]           pw_h,
    output logic                   pw_done,
    output logic [K*128-1:0]       pw_pow,
    input  logic                   flush,
    input  logic                   park,
    input  logic                   wipe,
    input  logic                   scrub,       // read H table entry scrub_ctx (a deleted, zeroed one)
    input  logic [CTX_W-1:0]       scrub_ctx,
    output logic                   idle
);

    localparam int NB     = W / 16 + 1;
    localparam int NSLOT  = 4;
    localparam int SLOT_W = 2;
    localparam int LN_W   = (K > 1) ? $clog2(K) : 1;

    // ------------------------------------------------------------ tables
    logic               pf_issued_reg, pf_req, take_fd;
    logic               hp_valid, gp_valid;
    logic [CTX_W-1:0]   hp_ctx_q, gp_ctx_q, fd_ctx;
    logic [K*128-1:0]   hp_data;
    logic [K*128+127:0] gp_data;
    logic               gs_wr;
    logic [CTX_W-1:0]   sv_ctx_reg;
    logic [127:0]       sv_pb_reg;
    logic [K*128-1:0]   sv_acc;

    assign fd_ctx = CTX_W'(fd.ctx);
    assign pf_req = fd_valid && !pf_issued_reg && !flush;

    ctx_ram #(.WIDTH(K*128), .DEPTH(N_CTX)) u_htab (
        .clk(clk), .rst(rst),
        .wr_en(h_wr_en), .wr_addr(h_wr_ctx), .wr_data(h_wr_pow),
        .pf_req(pf_req || scrub), .pf_addr(scrub ? scrub_ctx : fd_ctx), .pf_drop(take_fd || flush),
        .pf_valid(hp_valid), .pf_addr_q(hp_ctx_q), .pf_data(hp_data)
    );

    ctx_ram #(.WIDTH(K*128 + 128), .DEPTH(N_CTX)) u_gtab (
        .clk(clk), .rst(rst),
        .wr_en(gs_wr), .wr_addr(sv_ctx_reg), .wr_data({sv_acc, sv_pb_reg}),
        .pf_req(pf_req), .pf_addr(fd_ctx), .pf_drop(take_fd || flush),
        .pf_valid(gp_valid), .pf_addr_q(gp_ctx_q), .pf_data(gp_data)
    );

    // ------------------------------------------------------------ state
    logic               in_frame_reg;       // a frame's steps are being executed
    logic [CTX_W-1:0]   f_ctx;
    logic               f_v13;
    logic [127:0]       hpow_reg [K] /*verilator public_flat_rd*/;    // H^1..H^K of h_ctx_reg
    logic [CTX_W-1:0]   h_ctx_reg;
    logic               h_ok_reg;
    logic               cur_ok_reg;         // a record is being hashed in cur_slot_reg
    logic [SLOT_W-1:0]  cur_slot_reg;
    logic [127:0]       pb_reg;             // its partial ciphertext block
    logic [127:0]       hold_reg;           // its half-used keystream block
    logic               hold_ok_reg;
    logic               open_reg, open_commit_reg;      // slot left open by the last crypto frame
    logic [SLOT_W-1:0]  open_slot_reg;
    logic [CTX_W-1:0]   open_ctx_reg;
    logic [127:0]       open_pb_reg;
    logic               sv_req_reg;         // a save to ask ghash_core for
    logic [SLOT_W-1:0]  sv_slot_reg;
    logic               sv_pend_reg;        // asked, answer (sv_valid) not yet back
    logic [SLOT_W-1:0]  next_slot_reg;
    logic               phase_reg;          // GHASH phase of the step: 0 C0, 1 C1
    logic [3:0]         gi_reg;             // blocks of the phase issued
    logic [W*8-1:0]     beat_reg;           // lanes of the earlier steps of this beat
    logic               mid_beat_reg;

    // ------------------------------------------------------- ghash_core
    logic                  g_valid, g_ready, g_first;
    logic [SLOT_W-1:0]     g_slot;
    logic [M-1:0]          g_en;
    logic [M*128-1:0]      g_x, g_p;
    logic [M*LN_W-1:0]     g_lane;
    logic                  g_ld;
    logic [SLOT_W-1:0]     g_ld_slot;
    logic                  g_op_valid, g_op_ready, g_op_fin;
    logic [SLOT_W-1:0]     g_op_slot;
    logic                  g_sv_valid, g_idle;
    logic [NSLOT-1:0]      g_slot_busy;
    logic                  need_z;              // set-up: a zero state for a retransmission

    ghash_core #(.M(M), .K(K), .NSLOT(NSLOT), .MUL_DIGIT(GHASH_DIGIT)) u_ghash (
        .clk(clk), .rst(rst),
        .in_valid(g_valid), .in_ready(g_ready), .in_slot(g_slot), .in_first(g_first),
        .in_en(g_en), .in_x(g_x), .in_p(g_p), .in_lane(g_lane),
        .ld_valid(g_ld), .ld_slot(g_ld_slot), .ld_acc(need_z ? {K{128'd0}} : gp_data[K*128+127:128]),
        .op_valid(g_op_valid), .op_ready(g_op_ready), .op_fin(g_op_fin), .op_slot(g_op_slot),
        .op_ej0(b_ej0),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .sv_valid(g_sv_valid), .sv_acc(sv_acc),
        .pw_start(pw_start), .pw_h(pw_h), .pw_done(pw_done), .pw_pow(pw_pow),
        .slot_busy(g_slot_busy), .wipe(wipe), .idle(g_idle)
    );

    // ---------------------------------------------------- frame set-up
    // The first step of a frame takes its descriptor and sets up H^1..H^K
    // and the record slot in its first clock ("_now" values forward the
    // set-up to the step's own blocks in that clock). LEAN: the set-up has
    // its own clock, the frame's first step goes in a later one (the step's
    // logic then starts from registers only: a shorter clock path).
    logic first_step, setup, setup_ok, need_h, need_g, carry_now, close_open;
    assign first_step = pl_valid && !in_frame_reg;
    assign need_h     = fd.crypto && !(h_ok_reg && h_ctx_reg == fd_ctx);
    assign need_g     = fd.crypto && fd.resume && !fd.carry && !fd.retx;
    assign need_z     = fd.crypto && fd.resume && fd.retx;
    assign carry_now  = fd.crypto && fd.carry;
    assign close_open = fd.crypto && open_reg && !fd.carry;

    function automatic logic slot_free(input logic [SLOT_W-1:0] s);
        slot_free = !g_slot_busy[s] && !(cur_ok_reg && cur_slot_reg == s)
                 && !(open_reg && open_slot_reg == s) && !(sv_req_reg && sv_slot_reg == s);
    endfunction

    assign setup_ok = fd_valid && td_ready
                   && (!need_h || (hp_valid && hp_ctx_q == fd_ctx))
                   && (!need_g || (gp_valid && gp_ctx_q == fd_ctx && slot_free(next_slot_reg)
                                   // its parked state must have landed
                                   && !((sv_req_reg || sv_pend_reg) && sv_ctx_reg == fd_ctx)))
                   && (!need_z || slot_free(next_slot_reg))
                   && (!close_open || !(sv_req_reg || sv_pend_reg))
                   && (!carry_now || open_reg);
    assign setup    = first_step && setup_ok;
    assign take_fd  = setup;
    assign fd_ready = setup;
    assign td_valid = setup;
    assign td       = fd;

    logic               cur_ok_now, hold_ok_now, v13_now;
    logic [SLOT_W-1:0]  cur_slot_now, base_slot;
    logic [127:0]       pb_now;
    logic [127:0]       hpow_now [K];
    logic [CTX_W-1:0]   ctx_now;
    // set_*: the set-up's values, written at `setup`; *_now: what the step
    // sees (the set-up forwarded, not LEAN)
    logic               set_cur_ok;
    logic [SLOT_W-1:0]  set_cur_slot, set_base_slot;
    logic [127:0]       set_pb;
    logic [127:0]       set_hpow [K];
    always_comb begin : set_up
        set_cur_ok    = cur_ok_reg;
        set_cur_slot  = cur_slot_reg;
        set_pb        = pb_reg;
        set_base_slot = next_slot_reg;
        for (int k = 0; k < K; k++) begin
            set_hpow[k] = need_h ? hp_data[128*k +: 128] : hpow_reg[k];
        end
        if (carry_now) begin
            set_cur_ok   = 1'b1;
            set_cur_slot = open_slot_reg;
            set_pb       = open_pb_reg;
        end else if (need_g || need_z) begin
            set_cur_ok    = 1'b1;
            set_cur_slot  = next_slot_reg;
            set_pb        = need_z ? 128'd0 : gp_data[127:0];
            set_base_slot = next_slot_reg + SLOT_W'(1);
        end else if (fd.crypto) begin
            set_cur_ok = 1'b0;
        end
        if (LEAN == 0 && setup) begin
            cur_ok_now   = set_cur_ok;
            cur_slot_now = set_cur_slot;
            pb_now       = set_pb;
            hold_ok_now  = 1'b0;
            v13_now      = fd.v13;
            ctx_now      = fd_ctx;
            base_slot    = set_base_slot;
            hpow_now     = set_hpow;
        end else begin
            cur_ok_now   = cur_ok_reg;
            cur_slot_now = cur_slot_reg;
            pb_now       = pb_reg;
            hold_ok_now  = hold_ok_reg;
            v13_now      = f_v13;
            ctx_now      = f_ctx;
            base_slot    = next_slot_reg;
            hpow_now     = hpow_reg;
        end
    end

    // ------------------------------------------------------- step blocks
    // bc_*: the blocks of the plan's head step; b_*: what the step uses.
    // LEAN: b_* are bc_* registered (the byte and block logic in clocks of
    // its own, so that the GHASH issue and the step's handshakes start from
    // registers); gcm_blocks16 itself registers the XORed lanes between the
    // keystream byte select and the GHASH byte rotation. b_* are valid
    // (b_ok) from the third clock after the step's inputs last changed (a
    // step taken, a frame set up): a step then takes three clocks at least.
    // b_ks_ok: the keystream blocks they used were in the queue in the
    // clock the lanes were XORed (then they stay there until the step pops
    // them).
    logic [W*8-1:0]    bc_out, b_out;
    logic [127:0]      bc_ej0, bc_pb, bc_hold, b_ej0, b_pb, b_hold;
    logic [NB*128-1:0] bc_blk0, bc_blk1, b_blk0, b_blk1;
    logic [3:0]        bc_n0, bc_n1, bc_pops, b_n0, b_n1, b_pops;
    logic              bc_hold_ok, b_hold_ok, b_ok, b_ks_ok;

    if (LEAN != 0) begin : g_lean
        if (W != 16 || WIN != 4 || NB != 2) begin : g_bad_lean
            $error("gcm_datapath: LEAN needs W = 16 (one block per beat)");
        end
        logic b_ok1, b_ks_ok1;              // the lanes' register (in u_blocks) valid
        gcm_blocks16 #(.RX(RX)) u_blocks (
            .clk(clk),
            .sp(pl_step), .data(pl_data), .ks_win(ks_win), .hold(hold_reg), .hold_ok(hold_ok_now), .pb(pb_now),
            .out(bc_out), .ej0(bc_ej0), .blk0(bc_blk0), .n_blk0(bc_n0), .blk1(bc_blk1), .n_blk1(bc_n1),
            .pb_o(bc_pb), .hold_o(bc_hold), .hold_ok_o(bc_hold_ok), .pops(bc_pops)
        );
        always_ff @(posedge clk) begin : blocks_reg
            {b_out, b_ej0, b_blk0, b_n0, b_blk1, b_n1, b_pb, b_hold, b_hold_ok, b_pops}
                    <= {bc_out, bc_ej0, bc_blk0, bc_n0, bc_blk1, bc_n1, bc_pb, bc_hold, bc_hold_ok, bc_pops};
            b_ks_ok1 <= 32'(ks_count) >= 32'(bc_pops);
            b_ks_ok  <= b_ks_ok1;
            b_ok1    <= pl_valid && !step_go && !setup && !rst;
            b_ok     <= b_ok1 && pl_valid && !step_go && !setup && !rst;
        end
`ifndef SYNTHESIS
        // Simulation: the generic gcm_blocks next to it, as the reference,
        // its outputs registered like b_*. When b_* are valid both were
        // computed from the same step; the keystream window may have grown
        // since the lanes were XORed, so E(J0) and the held block are
        // compared where they are used (`c0_end`, `hold_ok`).
        logic [W*8-1:0]    r_out;
        logic [127:0]      r_ej0, r_pb, r_hold;
        logic [NB*128-1:0] r_blk0, r_blk1;
        logic [3:0]        r_n0, r_n1, r_pops;
        logic              r_hold_ok, same;
        gcm_blocks #(.W(W), .RX(RX), .WIN(WIN), .NB(NB)) u_ref (
            .sp(pl_step), .data(pl_data), .ks_win(ks_win), .hold(hold_reg), .hold_ok(hold_ok_now), .pb(pb_now),
            .out(r_out), .ej0(r_ej0), .blk0(r_blk0), .n_blk0(r_n0), .blk1(r_blk1), .n_blk1(r_n1),
            .pb_o(r_pb), .hold_o(r_hold), .hold_ok_o(r_hold_ok), .pops(r_pops)
        );
        logic [W*8-1:0]    rq_out;
        logic [127:0]      rq_ej0, rq_pb, rq_hold;
        logic [NB*128-1:0] rq_blk0, rq_blk1;
        logic [3:0]        rq_n0, rq_n1, rq_pops;
        logic              rq_hold_ok;
        always_ff @(posedge clk) begin : ref_reg
            {rq_out, rq_ej0, rq_blk0, rq_n0, rq_blk1, rq_n1, rq_pb, rq_hold, rq_hold_ok, rq_pops}
                    <= {r_out, r_ej0, r_blk0, r_n0, r_blk1, r_n1, r_pb, r_hold, r_hold_ok, r_pops};
        end
        assign same = rq_out == b_out && (!pl_step.c0_end || rq_ej0 == b_ej0)
                   && rq_blk0 == b_blk0 && rq_n0 == b_n0 && rq_blk1 == b_blk1 && rq_n1 == b_n1
                   && rq_pb == b_pb && (!rq_hold_ok || rq_hold == b_hold)
                   && rq_hold_ok == b_hold_ok && rq_pops == b_pops;
        `TLSNIC_ASSERT_IMP(DpLeanBlocksSame, b_ok && b_ks_ok, same, clk, rst)
`endif
    end else begin : g_full
        gcm_blocks #(.W(W), .RX(RX), .WIN(WIN), .NB(NB)) u_blocks (
            .sp(pl_step), .data(pl_data), .ks_win(ks_win), .hold(hold_reg), .hold_ok(hold_ok_now), .pb(pb_now),
            .out(bc_out), .ej0(bc_ej0), .blk0(bc_blk0), .n_blk0(bc_n0), .blk1(bc_blk1), .n_blk1(bc_n1),
            .pb_o(bc_pb), .hold_o(bc_hold), .hold_ok_o(bc_hold_ok), .pops(bc_pops)
        );
        assign {b_out, b_ej0, b_blk0, b_n0, b_blk1, b_n1, b_pb, b_hold, b_hold_ok, b_pops}
                = {bc_out, bc_ej0, bc_blk0, bc_n0, bc_blk1, bc_n1, bc_pb, bc_hold, bc_hold_ok, bc_pops};
        assign b_ks_ok = 32'(ks_count) >= 32'(bc_pops);
        assign b_ok    = 1'b1;
    end

    // ----------------------------------------------------- GHASH phases
    // Phase 0: C0's AAD, complete blocks, padded last block, length block;
    // phase 1: C1's AAD and complete blocks.
    logic [3:0]  cnt0, cnt1, cnt_p, rem_p;
    logic        aad_p, end_p, has1, has0_body;
    logic [15:0] blen_p, base_i, nblk_p;
    logic [127:0] aad_blk_p, len_blk;
    logic [SLOT_W-1:0] slot_c0, slot_c1, slot_p;

    assign has1      = pl_step.crypto && pl_step.c1;
    assign has0_body = pl_step.c0_hi != pl_step.c0_lo;
    assign cnt0   = 4'(pl_step.c0_aad) + b_n0 + 4'(pl_step.c0_end);
    assign cnt1   = 4'd1 + b_n1;
    assign aad_p  = phase_reg ? pl_step.c1 : pl_step.c0_aad;
    assign end_p  = !phase_reg && pl_step.c0_end;
    assign blen_p = phase_reg ? pl_step.c1_blen : pl_step.c0_blen;
    assign nblk_p = ((blen_p + 16'd15) >> 4) + 16'd2;
    // record block index of the phase's first body block
    assign base_i = (phase_reg || pl_step.c0_aad) ? 16'd1 : 16'd1 + (pl_step.c0_boff >> 4);
    assign cnt_p  = !pl_step.crypto ? 4'd0 : (phase_reg ? cnt1 : cnt0);
    assign rem_p  = cnt_p - gi_reg;
    assign aad_blk_p = (phase_reg && pl_step.c0_aad) ? aad_win[255:128] : aad_win[127:0];
    assign len_blk   = {48'd0, v13_now ? 16'd40 : 16'd104, 45'd0, blen_p, 3'd0};
    // C0 opening a record takes the next free slot, C1 the one after
    assign slot_c0 = pl_step.c0_aad ? base_slot : cur_slot_now;
    assign slot_c1 = pl_step.c0_aad ? base_slot + SLOT_W'(1) : base_slot;
    assign slot_p  = phase_reg ? slot_c1 : slot_c0;

    // The blocks issued this clock: j = gi_reg .. gi_reg + M - 1 of the phase.
    always_comb begin : issue_blocks
        logic [3:0]  j;
        logic [15:0] i, d;
        for (int m = 0; m < M; m++) begin
            j = gi_reg + 4'(m);
            g_en[m] = j < cnt_p;
            g_x[128*m +: 128] = 128'd0;
            if (aad_p && j == 4'd0) begin
                g_x[128*m +: 128] = aad_blk_p;
                i = 16'd0;
            end else if (end_p && j == cnt_p - 4'd1) begin
                g_x[128*m +: 128] = len_blk;
                i = nblk_p - 16'd1;
            end else begin
                for (int k = 0; k < NB; k++) begin
                    if (j - 4'(aad_p) == 4'(k)) begin
                        g_x[128*m +: 128] = phase_reg ? b_blk1[128*k +: 128] : b_blk0[128*k +: 128];
                    end
                end
                i = base_i + {12'd0, j - 4'(aad_p)};
            end
            g_lane[LN_W*m +: LN_W] = LN_W'(i % 16'(K));
            d = nblk_p - i;
            g_p[128*m +: 128] = hpow_now[K-1];
            for (int k = 1; k <= K; k++) begin
                if (d == 16'(k)) begin
                    g_p[128*m +: 128] = hpow_now[k-1];
                end
            end
        end
    end

    // -------------------------------------------------------- the step
    // b_slot_ok: the slot a record opened by this phase takes is free (LEAN:
    // as of the last clock, with the blocks: a slot becomes busy only by
    // this unit's own issue, set-up or step, after which the blocks are
    // recomputed).
    logic       avail, phase_done, fin_now, p0_complete, step_go, b_slot_ok;
    logic [1:0] aad_need;
    if (LEAN != 0) begin : g_lean_slot
        always_ff @(posedge clk) begin : slot_reg
            b_slot_ok <= slot_free(slot_p);
        end
    end else begin : g_full_slot
        assign b_slot_ok = slot_free(slot_p);
    end
    assign aad_need = 2'(pl_step.crypto && pl_step.c0_aad) + 2'(has1);
    assign avail    = pl_valid && (in_frame_reg || (LEAN == 0 && setup_ok)) && o_ready && b_ok
                   && (!pl_step.crypto || (b_ks_ok && aad_count >= aad_need))
                   && (gi_reg != 4'd0 || !aad_p || b_slot_ok);
    assign g_valid     = avail && rem_p != 4'd0;
    assign g_first     = aad_p && gi_reg == 4'd0;
    assign g_slot      = slot_p;
    assign phase_done  = avail && (rem_p == 4'd0 || (g_ready && 32'(rem_p) <= M));
    assign fin_now     = !phase_reg && phase_done && pl_step.crypto && pl_step.c0_end;
    assign p0_complete = !phase_reg && phase_done && (!fin_now || g_op_ready);
    assign step_go     = phase_reg ? phase_done : (p0_complete && !has1);

    // ghash_core operations: C0's finalize, else a pending save.
    assign g_op_valid = fin_now || sv_req_reg;
    assign g_op_fin   = fin_now;
    assign g_op_slot  = fin_now ? slot_c0 : sv_slot_reg;

    assign pl_ready  = step_go;
    assign ks_pop    = (step_go && pl_step.crypto) ? ($clog2(WIN)+1)'(b_pops) : '0;
    assign aad_pop   = step_go ? aad_need : 2'd0;
    assign g_ld      = setup && (need_g || need_z);
    assign g_ld_slot = next_slot_reg;
    assign gs_wr     = g_sv_valid;

    // The record in progress after the step.
    logic              cur_ok_after;
    logic [SLOT_W-1:0] cur_slot_after;
    logic [127:0]      pb_after;
    always_comb begin : after_step
        cur_ok_after   = cur_ok_now;
        cur_slot_after = cur_slot_now;
        pb_after       = pb_now;
        if (pl_step.crypto) begin
            if (has1) begin
                cur_ok_after   = 1'b1;
                cur_slot_after = slot_c1;
                pb_after       = b_pb;
            end else if (pl_step.c0_end) begin
                cur_ok_after = 1'b0;
            end else if (pl_step.c0_aad) begin
                cur_ok_after   = 1'b1;
                cur_slot_after = slot_c0;
                pb_after       = b_pb;
            end else if (has0_body) begin
                pb_after = b_pb;
            end
        end
    end

    // Output: lanes of earlier steps of the beat kept, this step's body lanes new.
    always_comb begin : out_beat
        for (int l = 0; l < W; l++) begin
            if ((7'(l) >= pl_step.c0_lo && 7'(l) < pl_step.c0_hi)
                || (7'(l) >= pl_step.c1_lo && 7'(l) < pl_step.c1_hi)) begin
                o_data[8*l +: 8] = b_out[8*l +: 8];
            end else begin
                o_data[8*l +: 8] = mid_beat_reg ? beat_reg[8*l +: 8] : pl_data[8*l +: 8];
            end
        end
    end
    assign o_valid = step_go;
    assign o_step  = pl_step;
    assign o_orig  = pl_data;
    assign o_keep  = pl_keep;
    assign o_res   = pl_res;

    // ---------------------------------------------------------- registers
    always_ff @(posedge clk) begin : regs
        logic [SLOT_W-1:0] adv;
        if (pf_req) begin
            pf_issued_reg <= 1'b1;
        end
        if (setup || flush) begin
            pf_issued_reg <= 1'b0;
        end
        // frame set-up
        if (setup) begin
            in_frame_reg <= 1'b1;
            f_ctx        <= fd_ctx;
            f_v13        <= fd.v13;
            hold_ok_reg  <= 1'b0;
            cur_ok_reg   <= set_cur_ok;
            cur_slot_reg <= set_cur_slot;
            pb_reg       <= set_pb;
            if (need_h) begin
                h_ok_reg  <= 1'b1;
                h_ctx_reg <= fd_ctx;
                for (int k = 0; k < K; k++) begin
                    hpow_reg[k] <= hp_data[128*k +: 128];
                end
            end
            if (carry_now) begin
                open_reg <= 1'b0;
            end
            if (close_open) begin
                open_reg <= 1'b0;
                if (open_commit_reg) begin
                    sv_req_reg  <= 1'b1;
                    sv_slot_reg <= open_slot_reg;
                    sv_ctx_reg  <= open_ctx_reg;
                    sv_pb_reg   <= open_pb_reg;
                end
            end
        end
        // GHASH issue progress within the step
        if (g_valid && g_ready) begin
            gi_reg <= gi_reg + 4'(M);
        end
        if (p0_complete && has1) begin
            phase_reg <= 1'b1;
            gi_reg    <= 4'd0;
        end
        // saves
        if (g_op_valid && g_op_ready && !g_op_fin) begin
            sv_req_reg  <= 1'b0;
            sv_pend_reg <= 1'b1;
        end
        if (g_sv_valid) begin
            sv_pend_reg <= 1'b0;
        end
        // fresh slots taken
        adv = SLOT_W'(setup && (need_g || need_z));
        if (step_go && pl_step.crypto) begin
            adv = adv + SLOT_W'(pl_step.c0_aad) + SLOT_W'(has1);
        end
        next_slot_reg <= next_slot_reg + adv;
        if (step_go) begin
            phase_reg    <= 1'b0;
            gi_reg       <= 4'd0;
            mid_beat_reg <= !pl_step.bdone;
            beat_reg     <= o_data;
            if (pl_step.crypto) begin
                hold_reg    <= b_hold;
                hold_ok_reg <= b_hold_ok;
            end
            cur_ok_reg   <= cur_ok_after;
            cur_slot_reg <= cur_slot_after;
            pb_reg       <= pb_after;
            if (pl_step.last) begin
                in_frame_reg <= 1'b0;
                if (cur_ok_after) begin
                    // a record left open: park or carry it at the next crypto frame
                    open_reg        <= 1'b1;
                    open_commit_reg <= RX ? pl_res.wb : (!pl_res.fail && !pl_res.retx);
                    open_ctx_reg    <= ctx_now;
                    open_slot_reg   <= cur_slot_after;
                    open_pb_reg     <= pb_after;
                    cur_ok_reg      <= 1'b0;
                end
            end
        end
        if (park && open_reg && !fd_valid && !in_frame_reg) begin
            open_reg <= 1'b0;
            if (open_commit_reg) begin
                sv_req_reg  <= 1'b1;
                sv_slot_reg <= open_slot_reg;
                sv_ctx_reg  <= open_ctx_reg;
                sv_pb_reg   <= open_pb_reg;
            end
        end
        if (wipe) begin
            h_ok_reg <= 1'b0;
            for (int k = 0; k < K; k++) begin
                hpow_reg[k] <= 128'd0;
            end
        end
        if (rst) begin
            pf_issued_reg <= 1'b0;
            in_frame_reg  <= 1'b0;
            h_ok_reg      <= 1'b0;
            cur_ok_reg    <= 1'b0;
            hold_ok_reg   <= 1'b0;
            open_reg      <= 1'b0;
            sv_req_reg    <= 1'b0;
            sv_pend_reg   <= 1'b0;
            next_slot_reg <= '0;
            phase_reg     <= 1'b0;
            gi_reg        <= 4'd0;
            mid_beat_reg  <= 1'b0;
        end
    end

    assign idle = !in_frame_reg && !open_reg && !sv_req_reg && !sv_pend_reg && g_idle;

    // Every keystream block a step uses was made with its frame's key.
    logic ks_own;
    always_comb begin : keystream_owner
        ks_own = 1'b1;
        for (int j = 0; j < WIN; j++) begin
            if (4'(j) < b_pops && ks_ctx[16*j +: 16] != 16'(ctx_now)) begin
                ks_own = 1'b0;
            end
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(DpCarryHasOpenSlot, setup && carry_now, open_reg && open_ctx_reg == fd_ctx, clk, rst)
    `TLSNIC_ASSERT_IMP(DpParkedNotReloaded,
                       setup && close_open && open_commit_reg && need_g,
                       open_ctx_reg != fd_ctx,
                       clk, rst)
    `TLSNIC_ASSERT_IMP(DpBodyHasSlot, avail && pl_step.crypto && has0_body && !pl_step.c0_aad, cur_ok_now, clk, rst)
    `TLSNIC_ASSERT_IMP(DpNoOpenAtFrameEnd, step_go && pl_step.last && cur_ok_after, !open_reg || setup, clk, rst)
    `TLSNIC_ASSERT_IMP(DpKeystreamOfItsContext, step_go && pl_step.crypto, ks_own, clk, rst)
    `TLSNIC_ASSERT_IMP(DpFreshSlotFree, g_valid && g_ready && g_first, !g_slot_busy[g_slot], clk, rst)

endmodule

`default_nettype wire
