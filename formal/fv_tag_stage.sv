// Formal harness: the TX tag stage (tag_stage, RX = 0, 16-byte beats, 2
// contexts) under a walker that offers steps and frame descriptors within
// the stage's contract. Checked (make formal, bounded):
//   TagCountIsLanes     the tag bytes reported with a frame's last beat
//                       (`e_tagw`, which the TX egress counts as the
//                       frame's tag bytes) are its steps' tag lanes;
//   FirstBeatMarked     `e_first` exactly on a frame's first beat, with
//                       the frame's descriptor;
//   CompletionOfFrame   a tag completion names the frame's context and
//                       comes with a tag popped;
// and the module's own assertions: TagForOpenRecord (tag lanes only while
// the stage has a tag open, also in a frame that starts inside a tag) and
// TagWrittenOnce (a record's body never ends while the stage still has the
// previous tag open: its count of a tag's bytes, across steps and frames,
// agrees with the walker's).
// The harness keeps per context whether a tag is left open and how many
// of its bytes are written; that changes only with a committed frame (not
// failed), as the stage's tag table does. Not checked here: the bytes on
// the tag lanes (which tag, which offset; the table, its prefetch and the
// forwarding of the last write decide which). Tried with tags whose bytes
// name the tag: Yices needed 15 s for clock 2, 50 s for clock 3 and more
// than 3 minutes for clock 4 (the stage's 16 lanes of 16-way byte
// selects); simulation checks every tag byte against the reference.
// Environment (what the walker guarantees): a frame's steps
// are offered in order, its last step finishes its beat; a frame starts
// inside a tag exactly when the context's last committed frame left its
// tag unfinished; a record's body ends (`c0_end`, the tag popped) only
// after the previous tag is complete; tag lanes only while a tag is open,
// at its next byte (`t_off`), at most its remaining bytes, in ascending
// lanes within a beat; no retransmissions (descriptor tags are not
// modelled). Beat data is zero, tags free.
`default_nettype none

module fv_tag_stage #(
    parameter bit LEAN = 1'b0           // the board form (tag_stage LEAN)
) (
    input  logic               clk,
    input  logic               rst,
    input  logic               d_valid,
    input  tlsnic_pkg::step_t  d_step,
    input  logic [15:0]        d_keep,
    input  tlsnic_pkg::fres_t  d_res,
    input  logic               td_valid,
    input  tlsnic_pkg::fdesc_t td,
    input  logic               tag_valid,
    input  logic [127:0]       tag,
    input  logic               rr_valid,
    input  logic [64:0]        rr_data,
    input  logic               e_ready
);
    localparam int N = 2;

    logic               d_ready, td_ready, tag_ready, rr_ready, rt_ready, ev_valid;
    logic               e_valid, e_last, e_first, e_auth_fail_unused, idle_unused;
    logic [15:0]        ev_ctx, e_tagw, e_keep_unused;
    logic [63:0]        ev_rec_unused;
    logic [127:0]       ev_tag_unused, e_data_unused, e_orig_unused;
    tlsnic_pkg::fdesc_t e_fd;
    tlsnic_pkg::fres_t  e_res_unused;

    tag_stage #(.W(16), .RX(1'b0), .N_CTX(N), .LEAN(LEAN)) dut (
        .clk(clk), .rst(rst),
        .d_valid(d_valid), .d_ready(d_ready), .d_step(d_step), .d_data(128'd0), .d_orig(128'd0),
        .d_keep(d_keep), .d_res(d_res),
        .td_valid(td_valid), .td_ready(td_ready), .td(td),
        .tag_valid(tag_valid), .tag_ready(tag_ready), .tag(tag),
        .rr_valid(rr_valid), .rr_ready(rr_ready), .rr_data(rr_data),
        .rt_valid(1'b0), .rt_ready(rt_ready), .rt_tag(128'd0),
        .ev_valid(ev_valid), .ev_ctx(ev_ctx), .ev_rec(ev_rec_unused), .ev_tag(ev_tag_unused),
        .e_valid(e_valid), .e_ready(e_ready), .e_data(e_data_unused), .e_orig(e_orig_unused), .e_keep(e_keep_unused),
        .e_last(e_last), .e_first(e_first), .e_fd(e_fd), .e_res(e_res_unused), .e_auth_fail(e_auth_fail_unused),
        .e_tagw(e_tagw), .idle(idle_unused)
    );

    // ------------------------------------------------ sources hold what they offer
    fv_stream_hold #(.WIDTH($bits(d_step) + 16 + $bits(d_res)), .ASSUME(1'b1)) u_d_src (
        .clk(clk), .rst(rst), .valid(d_valid), .ready(d_ready), .excuse(1'b0), .data({d_step, d_keep, d_res})
    );
    fv_stream_hold #(.WIDTH($bits(td)), .ASSUME(1'b1)) u_td_src (
        .clk(clk), .rst(rst), .valid(td_valid), .ready(td_ready), .excuse(1'b0), .data(td)
    );
    fv_stream_hold #(.WIDTH(128), .ASSUME(1'b1)) u_tag_src (
        .clk(clk), .rst(rst), .valid(tag_valid), .ready(tag_ready), .excuse(1'b0), .data(tag)
    );
    fv_stream_hold #(.WIDTH(65), .ASSUME(1'b1)) u_rr_src (
        .clk(clk), .rst(rst), .valid(rr_valid), .ready(rr_ready), .excuse(1'b0), .data(rr_data)
    );

    // ------------------------------------------------ shadow state
    logic                  init_reg = 1'b1;
    logic                  in_frame_reg, f_crypto_reg, f_ctx_reg, fb_reg;
    tlsnic_pkg::fdesc_t    f_td_reg;
    logic [N-1:0]          sh_open;
    logic [N-1:0][4:0]     sh_off;
    logic                  h_open_reg;
    logic [4:0]            h_off_reg;
    logic [15:0]           h_tagw_reg;
    logic [6:0]            x_lane_reg;      // the lane after the last tag lane of this beat so far
    logic                  lw_ok_reg, lw_ctx_reg;   // the last commit that left a tag open

    logic        first, go, pop, c, base_open, cur_open, nxt_open, commit;
    logic [4:0]  base_off, cur_off, nxt_off;
    logic [6:0]  n;
    logic [15:0] tagw;
    assign first     = d_valid && !in_frame_reg;
    assign go        = d_valid && d_ready;
    assign pop       = d_step.crypto && d_step.c0_end;
    assign c         = first ? td.ctx[0] : f_ctx_reg;
    assign base_open = first ? sh_open[c] && td.crypto : h_open_reg;
    assign base_off  = first ? sh_off[c] : h_off_reg;
    assign cur_open  = pop || base_open;
    assign cur_off   = pop ? 5'd0 : base_off;
    assign n         = d_step.crypto ? d_step.t_hi - d_step.t_lo : 7'd0;
    assign nxt_off   = cur_off + 5'(n);
    assign nxt_open  = cur_open && nxt_off != 5'd16;
    assign tagw      = (first ? 16'd0 : h_tagw_reg) + 16'(n);
    assign commit    = !d_res.fail && !d_res.retx;

    always_ff @(posedge clk) begin
        init_reg <= 1'b0;
        if (go) begin
            in_frame_reg <= !d_step.last;
            h_open_reg   <= nxt_open;
            h_off_reg    <= nxt_off;
            h_tagw_reg   <= tagw;
            x_lane_reg   <= d_step.bdone ? 7'd0 : (n != 7'd0 ? d_step.t_hi : x_lane_reg);
            fb_reg       <= (first || fb_reg) && !d_step.bdone;
            if (first) begin
                f_ctx_reg    <= td.ctx[0];
                f_crypto_reg <= td.crypto;
                f_td_reg     <= td;
            end
            if (d_step.last && commit && (first ? td.crypto : f_crypto_reg)) begin
                sh_open[c] <= nxt_open;
                sh_off[c]  <= nxt_off;
                if (nxt_open) begin
                    lw_ok_reg  <= 1'b1;
                    lw_ctx_reg <= c;
                end
            end
        end
        if (rst) begin
            in_frame_reg <= 1'b0;
            fb_reg       <= 1'b0;
            sh_open      <= '0;
            x_lane_reg   <= '0;
            lw_ok_reg    <= 1'b0;
        end
    end

    // ------------------------------------------------ the walker's contract
    always_comb begin
        assume (rst == init_reg);
        // fields the stage only passes on, zero (they cost the solver)
        assume (rr_data[63:0] == '0 && d_keep == '0);
        assume (d_res.act == tlsnic_pkg::A_PASS && !d_res.dump && !d_res.retx && d_res.why == '0
                && d_res.bytes == '0 && d_res.ctx == '0 && d_res.cov == '0 && d_res.tagb == '0 && !d_res.hit
                && !d_res.wb && d_res.reason == '0 && !d_res.rreq && d_res.guess == '0 && d_res.nrst == '0);
        assume (d_step.c0_aad == 1'b0 && d_step.c0_lo == '0 && d_step.c0_hi == '0 && d_step.c0_boff == '0
                && d_step.c0_blen == '0 && d_step.c0_nks == '0 && d_step.c1 == 1'b0 && d_step.c1_lo == '0
                && d_step.c1_hi == '0 && d_step.c1_blen == '0 && d_step.c1_nks == '0);
        assume (td.ctx[15:1] == '0 && !td.v13 && !td.resume && !td.carry && !td.v6 && td.l3_off == '0
                && td.l4_off == '0 && td.l4_len == '0);
        if (td_valid) begin
            assume (!td.retx && !td.rtag);
            assume (td.in_tag == (td.crypto && sh_open[td.ctx[0]]));
        end
        if (d_valid) begin
            assume (!d_step.last || d_step.bdone);
            assume (d_step.t_lo <= d_step.t_hi && d_step.t_hi <= 7'd16);
            if (first) begin
                assume (td_valid && d_step.crypto == td.crypto);
            end else begin
                assume (d_step.crypto == f_crypto_reg);
            end
            if (pop) begin
                assume (!base_open);
            end
            if (n != 7'd0) begin
                assume (cur_open && d_step.t_off == cur_off[3:0] && 6'(cur_off) + 6'(n) <= 6'd16);
                assume (d_step.t_lo >= x_lane_reg);
            end
        end
    end

    // ------------------------------------------------ properties
    always_comb begin
        if (!rst && e_valid) begin
            FirstBeatMarked: assert (e_first == (first || fb_reg));
            if (e_first) begin
                FirstBeatDesc: assert (e_fd == (first ? td : f_td_reg));
            end
            if (e_last) begin
                TagCountIsLanes: assert (e_tagw == tagw);
            end
        end
        if (!rst && ev_valid) begin
            CompletionOfFrame: assert (ev_ctx == 16'(c) && pop && tag_valid && tag_ready);
        end
        if (!rst) begin
            // Not vacuous: a frame starting inside a tag whose context's
            // unfinished tag was not the last one written (read from the
            // table, not forwarded), and one right after its own write.
            TagFromTable: cover (go && first && td.in_tag && n != 7'd0 && lw_ok_reg && lw_ctx_reg != c);
            TagForwarded: cover (go && first && td.in_tag && n != 7'd0 && lw_ok_reg && lw_ctx_reg == c);
        end
    end
endmodule

`default_nettype wire
