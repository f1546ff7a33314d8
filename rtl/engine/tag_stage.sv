// Tag stage: puts each record's tag into its tag lanes (TX) or checks the
// received tag bytes against it (RX), and merges a beat's steps into one
// beat for the egress.
//
// A record's tag comes from ghash_core's tag queue at the step where its
// body ends (`c0_end`), which is at or before its first tag byte; the tag
// queue runs a few clocks behind the datapath, so this stage waits for it
// there (a FIFO in front of this stage absorbs that lag). A tag that a frame
// leaves unfinished (its bytes continue in the connection's next segment)
// is kept in the tag table with, for RX, whether a byte already mismatched;
// a frame that starts inside a tag takes it from there (prefetched one frame
// ahead, or from the write of the frame just before). RX: a frame in which
// a record's last tag byte arrives with any byte of that tag wrong has
// `auth_fail` (the frame is left as received).
//
// TX retransmissions (`td.retx`): a frame with a descriptor tag
// (`td.rtag`, from the walker's `rt_*` queue) writes it instead of the
// first record's computed tag (or, starting inside that tag, instead of the
// tag table's); it writes nothing to the tag table. TX tag completions: every
// tag popped comes with its record number from the walker (`rr_*`, one
// entry per tag); those to report leave on `ev_*` (context, record, tag).
//
// Output per beat (`e_*`): the beat, the original beat (RX), the frame's
// descriptor with its first beat, its result and `auth_fail` with its last.
// Latency: one clock (beats are registered in the egress).
//
// LEAN (the board configuration): a step's tag bytes, its tag compare (RX)
// and its output beat are computed into registers in one clock and the step
// is taken in a later one (two clocks per step at least), so the paths from
// the step FIFO and the tag queue end at a register.
`default_nettype none

module tag_stage #(
    parameter int W      = 16,
    parameter bit RX     = 1'b0,
    parameter int N_CTX  = 64,
    parameter int CTX_W  = $clog2(N_CTX),
    parameter bit LEAN   = 1'b0
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 d_valid,
    output logic                 d_ready,
    /* verilator lint_off UNUSEDSIGNAL */ // the tag lanes, the end of C0, the beat end
    input  tlsnic_pkg::step_t    d_step,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [W*8-1:0]       d_data,
    input  logic [W*8-1:0]       d_orig,
    input  logic [W-1:0]         d_keep,
    input  tlsnic_pkg::fres_t    d_res,

    input  logic                 td_valid,
    output logic                 td_ready,
    input  tlsnic_pkg::fdesc_t   td,

    input  logic                 tag_valid,
    output logic                 tag_ready,
    input  logic [127:0]         tag,

    // TX: record numbers of the tags, descriptor tags, tag completions
    input  logic                 rr_valid,
    output logic                 rr_ready,
    input  logic [64:0]          rr_data,       // {report, record number}
    input  logic                 rt_valid,
    output logic                 rt_ready,
    input  logic [127:0]         rt_tag,
    output logic                 ev_valid,
    output logic [15:0]          ev_ctx,
    output logic [63:0]          ev_rec,
    output logic [127:0]         ev_tag,

    output logic                 e_valid,
    input  logic                 e_ready,
    output logic [W*8-1:0]       e_data,
    output logic [W*8-1:0]       e_orig,
    output logic [W-1:0]         e_keep,
    output logic                 e_last,
    output logic                 e_first,
    output tlsnic_pkg::fdesc_t   e_fd,          // with e_first
    output tlsnic_pkg::fres_t    e_res,         // with e_last
    output logic                 e_auth_fail,   // with e_last (RX)
    output logic [15:0]          e_tagw,        // with e_last: tag bytes written (TX) or checked (RX)

    output logic                 idle
);

    // ------------------------------------------------------------ tag table
    logic             pf_issued_reg, pf_req, tt_valid, tt_wr;
    logic [CTX_W-1:0] tt_ctx_q, td_ctx;
    logic [128:0]     tt_data, tt_wr_data;
    logic             setup;

    assign td_ctx = CTX_W'(td.ctx);
    assign pf_req = td_valid && !pf_issued_reg;

    ctx_ram #(.WIDTH(129), .DEPTH(N_CTX)) u_ttab (
        .clk(clk), .rst(rst),
        .wr_en(tt_wr), .wr_addr(ctx_now), .wr_data(tt_wr_data),
        .pf_req(pf_req), .pf_addr(td_ctx), .pf_drop(setup),
        .pf_valid(tt_valid), .pf_addr_q(tt_ctx_q), .pf_data(tt_data)
    );

    // ---------------------------------------------------------------- state
    logic               in_frame_reg, first_reg;
    logic [CTX_W-1:0]   f_ctx;
    tlsnic_pkg::fdesc_t f_fd;
    logic [127:0]       cur_tag_reg;
    logic               cur_bad_reg, tag_open_reg;
    logic               auth_fail_reg;
    logic               sub_reg;            // the descriptor tag replaces the next tag popped
    logic [127:0]       sub_tag_reg;
    logic [15:0]        tagw_reg;           // tag bytes of this frame written so far
    logic [W*8-1:0]     beat_reg;           // tag lanes written by earlier steps of this beat
    logic [W-1:0]       tlanes_reg;
    // the last tag-table write: forwarded to a frame that starts right after
    logic               lw_ok_reg;
    logic [CTX_W-1:0]   lw_ctx_reg;
    logic [128:0]       lw_data_reg;

    logic first_step, need_t, setup_ok;
    logic [CTX_W-1:0] ctx_now;          // the frame of this step (a one-step frame starts and ends in it)
    assign first_step = d_valid && !in_frame_reg;
    assign need_t     = td.crypto && td.in_tag && !td.retx;
    assign setup_ok   = td_valid && (!need_t || (lw_ok_reg && lw_ctx_reg == td_ctx)
                                      || (tt_valid && tt_ctx_q == td_ctx))
                                 && (!td.rtag || rt_valid);
    // (set up with the frame's first step going: the registers below load
    // only with a step)
    assign setup      = first_step && u_ok && u_setup_ok && (!pop_tag || (u_tag_valid && rr_ok))
                     && (!d_step.bdone || e_ready);
    assign td_ready   = setup;
    assign ctx_now    = setup ? td_ctx : f_ctx;

    // the tag in use this step (set up when it is the frame's first: the
    // values matter only when the step goes, and then it is set up)
    logic [127:0] tag_now, sub_tag_now;
    logic         bad_now, open_now, pop_tag, sub_now, rr_ok;
    assign pop_tag = d_step.crypto && d_step.c0_end;
    assign rr_ok   = RX || rr_valid;
    always_comb begin : tag_source
        tag_now     = cur_tag_reg;
        bad_now     = cur_bad_reg;
        open_now    = tag_open_reg;
        sub_now     = sub_reg;
        sub_tag_now = sub_tag_reg;
        if (first_step) begin
            open_now    = need_t || (td.rtag && td.in_tag);
            sub_now     = td.rtag && !td.in_tag;
            sub_tag_now = rt_tag;
            if (need_t) begin
                {bad_now, tag_now} = (lw_ok_reg && lw_ctx_reg == td_ctx) ? lw_data_reg : tt_data;
            end else if (td.rtag && td.in_tag) begin
                {bad_now, tag_now} = {1'b0, rt_tag};
            end
        end
        if (pop_tag) begin
            tag_now  = sub_now ? sub_tag_now : tag;
            bad_now  = 1'b0;
            open_now = 1'b1;
        end
    end

    logic go;
    assign go        = d_valid && u_ok && (in_frame_reg || u_setup_ok) && (!pop_tag || (u_tag_valid && rr_ok))
                    && (!d_step.bdone || e_ready);
    assign d_ready   = go;
    assign tag_ready = go && pop_tag;
    assign rt_ready  = setup && td.rtag;

    // TX tag completions: the computed tag of every record whose entry says so.
    assign rr_ready = !RX && go && pop_tag;
    assign ev_valid = !RX && go && pop_tag && rr_data[64];
    assign ev_ctx   = 16'(ctx_now);
    assign ev_rec   = rr_data[63:0];
    assign ev_tag   = tag;

    // Tag lanes of this step: write (TX) or compare (RX).
    logic [W*8-1:0] c_out;
    logic [W-1:0]   tl;
    logic [W-1:0]   c_mism;             // tag lanes that differ (RX)
    logic           tag_done;
    always_comb begin : tag_lanes
        logic [3:0] k;
        c_mism = '0;
        for (int l = 0; l < W; l++) begin
            tl[l] = d_step.crypto && 7'(l) >= d_step.t_lo && 7'(l) < d_step.t_hi;
            k = d_step.t_off + 4'(l) - 4'(d_step.t_lo);
            c_out[8*l +: 8] = tlanes_reg[l] ? beat_reg[8*l +: 8] : d_data[8*l +: 8];
            if (tl[l]) begin
                if (RX) begin
                    if (d_orig[8*l +: 8] != tag_now[127 - 8*k -: 8]) begin
                        c_mism[l] = 1'b1;
                    end
                end else begin
                    c_out[8*l +: 8] = tag_now[127 - 8*k -: 8];
                end
            end
        end
        tag_done = d_step.crypto && d_step.t_hi != d_step.t_lo
                && 5'(d_step.t_off) + 5'(d_step.t_hi - d_step.t_lo) == 5'd16;
    end

    // What the step uses (u_*): the values above (not LEAN), or (LEAN)
    // those of the last clock, valid (u_ok) when nothing they depend on
    // changed since: the step FIFO's head, the descriptor's, the tag
    // queue's and the registers change only when a step goes, and a
    // descriptor's tag, the tag queue's head and the retransmission tag
    // only arrive (their valid flags are taken from the same clock).
    logic [W*8-1:0] out;
    logic [127:0]   u_tag_now;
    logic [W-1:0]   u_mism;
    logic           mism, u_bad_now, u_open_now, u_sub_now, u_setup_ok, u_tag_valid, u_ok;
    assign mism = |u_mism;
    if (LEAN) begin : g_lean
        always_ff @(posedge clk) begin : step_reg
            {out, u_mism, u_tag_now, u_bad_now, u_open_now, u_sub_now, u_setup_ok, u_tag_valid}
                <= {c_out, c_mism, tag_now, bad_now, open_now, sub_now, setup_ok, tag_valid};
            u_ok <= d_valid && !go && !rst;
        end
    end else begin : g_full
        assign {out, u_mism, u_tag_now, u_bad_now, u_open_now, u_sub_now, u_setup_ok, u_tag_valid}
            = {c_out, c_mism, tag_now, bad_now, open_now, sub_now, setup_ok, tag_valid};
        assign u_ok = 1'b1;
    end

    logic commit;
    assign commit = RX ? d_res.wb : (!d_res.fail && !d_res.retx);

    // A tag left unfinished by a committed frame goes to the table.
    logic open_after;
    assign open_after = u_open_now && !tag_done;
    assign tt_wr      = go && d_step.last && open_after && commit;
    assign tt_wr_data = {u_bad_now || mism, u_tag_now};

    assign e_valid     = go && d_step.bdone;
    assign e_data      = out;
    assign e_orig      = d_orig;
    assign e_keep      = d_keep;
    assign e_last      = d_step.last;
    assign e_first     = first_reg || setup;
    assign e_fd        = setup ? td : f_fd;
    assign e_res       = d_res;
    assign e_auth_fail = auth_fail_reg || (tag_done && (u_bad_now || mism));
    logic [6:0] tl_n;
    always_comb begin : tag_count
        tl_n = '0;
        for (int l = 0; l < W; l++) begin
            tl_n = tl_n + 7'(tl[l]);
        end
    end
    assign e_tagw = (setup ? 16'd0 : tagw_reg) + 16'(tl_n);

    always_ff @(posedge clk) begin : regs
        if (pf_req) begin
            pf_issued_reg <= 1'b1;
        end
        if (setup) begin
            pf_issued_reg <= 1'b0;
            in_frame_reg  <= 1'b1;
            first_reg     <= 1'b1;
            f_ctx         <= td_ctx;
            f_fd          <= td;
            auth_fail_reg <= 1'b0;
        end
        if (setup) begin
            sub_tag_reg <= rt_tag;
        end
        if (go) begin
            sub_reg      <= u_sub_now && !pop_tag && !d_step.last;
            tagw_reg     <= e_tagw;
            cur_tag_reg  <= u_tag_now;
            cur_bad_reg  <= u_bad_now || mism;
            tag_open_reg <= open_after;
            if (tag_done && (u_bad_now || mism)) begin
                auth_fail_reg <= 1'b1;
            end
            if (d_step.bdone) begin
                first_reg  <= 1'b0;
                tlanes_reg <= '0;
            end else begin
                beat_reg   <= out;
                tlanes_reg <= tlanes_reg | tl;
            end
            if (d_step.last) begin
                in_frame_reg <= 1'b0;
                tag_open_reg <= 1'b0;
            end
        end
        if (tt_wr) begin
            lw_ok_reg   <= 1'b1;
            lw_ctx_reg  <= ctx_now;
            lw_data_reg <= tt_wr_data;
        end
        if (rst) begin
            pf_issued_reg <= 1'b0;
            in_frame_reg  <= 1'b0;
            first_reg     <= 1'b0;
            tag_open_reg  <= 1'b0;
            sub_reg       <= 1'b0;
            tlanes_reg    <= '0;
            lw_ok_reg     <= 1'b0;
            auth_fail_reg <= 1'b0;
        end
    end

    assign idle = !in_frame_reg;

    // Assertions
    `TLSNIC_ASSERT_IMP(TagSetupWithStep, setup, go, clk, rst)
    `TLSNIC_ASSERT_IMP(TagForOpenRecord, go && tl != '0, u_open_now, clk, rst)
    `TLSNIC_ASSERT_IMP(TagWrittenOnce, go && pop_tag, !(tag_open_reg && !setup), clk, rst)
    `TLSNIC_ASSERT_IMP(TagRetxOnlyTx, setup, !(RX && (td.retx || td.rtag)), clk, rst)

endmodule

`default_nettype wire
