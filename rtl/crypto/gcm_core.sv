// AES-GCM record engine: CTR encryption/decryption and GHASH of one record
// whose body arrives in beats of any byte count at any byte offset.
//
// Theory of operation
// - Key set-up (`ks_*`): H = AES_K(0^128) through the AES pipe, then
//   H^2 = H*H through the GHASH multiplier. The caller stores (key, H, H^2)
//   per context and hands them back with every record start, so the engine
//   itself holds no per-connection state between records.
// - Record start (`start_*`): key, H, H^2, 96-bit IV, direction. The
//   keystream generator then issues J0 = IV||1 (for the tag mask E(J0)) and
//   IV||2, IV||3, ... into the AES pipe, one per clock, as long as the
//   keystream FIFO has credits (KS_DEPTH >= AES latency + 2 keeps it at full
//   rate).
// - Beats (`in_*`): 16 byte lanes in AXI order (lane i = in_data[8i+7:8i]).
//   A body beat carries `in_cnt` record-body bytes at lanes
//   [in_lo, in_lo+in_cnt); other lanes pass through unchanged. With q = body
//   offset mod 16, the beat needs keystream blocks k and k+1 (the two FIFO
//   heads) and is XORed in one cycle, so output packing equals input
//   packing. Ciphertext bytes (output when encrypting, input when
//   decrypting) are assembled with the partial block into GHASH blocks: at
//   most one complete block per beat. An AAD beat (`in_aad`) carries AAD
//   bytes at [in_lo, in_lo+in_cnt); all AAD beats come before the body, all
//   but the last hold 16 bytes. `in_last` marks the last beat of the record
//   (it may carry 0 bytes). Every input beat gives one output beat.
// - GHASH at one block per clock with a 2-cycle multiplier: two accumulator
//   lanes used alternately; every block is multiplied by H^2 except the
//   final length block, multiplied by H, so that
//   acc0 ^ acc1 = sum X_i * H^(n-i+1) with no final combination step.
// - Finalize: pad the partial block, the length block, drain, then
//   tag = acc0 ^ acc1 ^ E(J0) on `tag_*` (byte 0 of the tag in [127:120]).
// - Segments: a beat with `in_eos` ends a segment inside the record; the
//   engine drains GHASH and offers its mid-record state on `sv_*` (body and
//   AAD byte counts, partial block, the two GHASH lanes). A later start with
//   `start_resume` loads that state back and regenerates E(J0) and the
//   keystream from the block holding the next body byte, so a context table
//   stores ~420 bits of crypto state per connection between segments.
//
// - Wipe (`wipe`, a pulse when the caller deletes a context): the key, H,
//   H^2, IV and key set-up results held from the last record are cleared
//   as soon as the engine is idle (at once if it is); a record start before
//   that overwrites them anyway. The AES pipe then runs on the zero key, so
//   its round-key window holds no key of a deleted context LATENCY clocks
//   later.
//
// Throughput: one body beat (16 bytes) per clock. Per-record overhead: the
// AES pipe latency before the first body beat (keystream not yet there) and
// 4 cycles of finalize.
`default_nettype none

module gcm_core #(
    parameter int USER_W   = 8,
    parameter int KS_DEPTH = 32
) (
    input  logic              clk,
    input  logic              rst,

    // Key set-up
    input  logic              ks_valid,
    output logic              ks_ready,
    input  logic [255:0]      ks_key,
    input  logic              ks_key256,
    output logic              ks_done,
    output logic [127:0]      ks_h,
    output logic [127:0]      ks_h2,

    // Record start
    input  logic              start_valid,
    output logic              start_ready,
    input  logic [255:0]      start_key,
    input  logic              start_key256,
    input  logic [127:0]      start_h,
    input  logic [127:0]      start_h2,
    input  logic [95:0]       start_iv,
    input  logic              start_decrypt,
    input  logic              start_resume,
    input  logic [31:0]       start_boff,
    input  logic [31:0]       start_aad,
    input  logic [127:0]      start_pb,
    input  logic [127:0]      start_acc0,
    input  logic [127:0]      start_acc1,
    input  logic              start_lane,

    // Beats in
    input  logic              in_valid,
    output logic              in_ready,
    input  logic [127:0]      in_data,
    input  logic [3:0]        in_lo,
    input  logic [4:0]        in_cnt,
    input  logic              in_aad,
    input  logic              in_last,
    input  logic              in_eos,
    input  logic [USER_W-1:0] in_user,
    input  logic              rec_abort,      // drop the record in progress (the caller's frame failed)
    input  logic              wipe,           // pulse: clear the key material held (context deleted)

    // Beats out
    output logic              out_valid,
    input  logic              out_ready,
    output logic [127:0]      out_data,
    output logic [USER_W-1:0] out_user,
    output logic [127:0]      in_xor,     // the input beat after XOR, same cycle (for callers that keep the beat themselves)

    // Tag out
    output logic              tag_valid,
    input  logic              tag_ready,
    output logic [127:0]      tag,

    // Mid-record state out (after an `in_eos` beat)
    output logic              sv_valid,
    input  logic              sv_ready,
    output logic [31:0]       sv_boff,
    output logic [31:0]       sv_aad,
    output logic [127:0]      sv_pb,
    output logic [127:0]      sv_acc0,
    output logic [127:0]      sv_acc1,
    output logic              sv_lane,

    output logic              idle
);

    localparam int PTR_W = $clog2(KS_DEPTH);

    // Elaboration-time parameter checks
    if (KS_DEPTH < 4 || (1 << PTR_W) != KS_DEPTH) begin : g_bad_depth
        $error("gcm_core: KS_DEPTH must be a power of two >= 4");
    end

    typedef enum logic [3:0] {
        ST_IDLE,
        ST_KEY_H,
        ST_KEY_H2,
        ST_BODY,
        ST_FIN_PB,
        ST_FIN_LEN,
        ST_FIN_DRAIN,
        ST_TAG,
        ST_SV_DRAIN,
        ST_SV
    } state_t;

    // AES pipe sideband: {kind[1:0], epoch}
    localparam logic [1:0] KIND_KS  = 2'd0;
    localparam logic [1:0] KIND_EJ0 = 2'd1;
    localparam logic [1:0] KIND_H   = 2'd2;

    state_t         state_reg, state_next;

    logic [255:0]   key_reg /*verilator public_flat_rd*/;
    logic           key256_reg;
    logic [127:0]   h_reg /*verilator public_flat_rd*/;
    logic [127:0]   h2_reg /*verilator public_flat_rd*/;
    logic [95:0]    iv_reg /*verilator public_flat_rd*/;
    logic           dec_reg;
    logic           epoch_reg;
    logic [31:0]    ctr_reg;
    logic [31:0]    ctr_base_reg;   // counter of the first keystream block after E(J0)

    logic [127:0]   ks_mem [KS_DEPTH];
    logic [PTR_W-1:0] ks_rd_ptr_reg, ks_wr_ptr_reg;
    logic [PTR_W:0] ks_count_reg;
    logic [PTR_W:0] ks_inflight_reg;

    logic [127:0]   ej0_reg;
    logic           ej0_valid_reg;
    logic [31:0]    boff_reg;
    logic [31:0]    aad_reg;
    logic [127:0]   pb_reg;

    logic [127:0]   acc_reg [2];
    logic           lane_reg;
    logic [1:0]     gh_inflight_reg;

    logic              out_valid_reg;
    logic [127:0]      out_data_reg;
    logic [USER_W-1:0] out_user_reg;

    logic           ks_done_reg;
    logic [127:0]   ks_h_reg /*verilator public_flat_rd*/;
    logic [127:0]   ks_h2_reg /*verilator public_flat_rd*/;
    logic           wipe_pending_reg;

    // ---------------------------------------------------------------- AES pipe
    logic           aes_in_valid;
    logic [255:0]   aes_in_key;
    logic           aes_in_key256;
    logic [127:0]   aes_in_block;
    logic [2:0]     aes_in_tag;
    logic           aes_out_valid;
    logic [127:0]   aes_out_block;
    logic [2:0]     aes_out_tag;
    /* verilator lint_off UNUSEDSIGNAL */ // unfolded: always ready
    logic           aes_in_ready;
    /* verilator lint_on UNUSEDSIGNAL */

    aes_enc_pipe #(
        .TAG_W(3)
    ) u_aes (
        .clk       (clk),
        .rst       (rst),
        .in_valid  (aes_in_valid),
        .in_ready  (aes_in_ready),
        .in_key    (aes_in_key),
        .in_key256 (aes_in_key256),
        .in_block  (aes_in_block),
        .in_tag    (aes_in_tag),
        .out_valid (aes_out_valid),
        .out_block (aes_out_block),
        .out_tag   (aes_out_tag)
    );

    // ------------------------------------------------------ GF(2^128) multiply
    logic           mul_in_valid;
    logic [127:0]   mul_in_a;
    logic [127:0]   mul_in_b;
    logic [1:0]     mul_in_tag;    // {is_h2, lane}
    logic           mul_out_valid;
    logic [127:0]   mul_out_p;
    logic [1:0]     mul_out_tag;

    /* verilator lint_off UNUSEDSIGNAL */ // the two-stage pipeline: always ready
    logic           mul_in_ready;
    /* verilator lint_on UNUSEDSIGNAL */

    gf128_mul #(
        .TAG_W(2)
    ) u_mul (
        .clk       (clk),
        .rst       (rst),
        .in_valid  (mul_in_valid),
        .in_ready  (mul_in_ready),
        .in_a      (mul_in_a),
        .in_b      (mul_in_b),
        .in_tag    (mul_in_tag),
        .out_valid (mul_out_valid),
        .out_p     (mul_out_p),
        .out_tag   (mul_out_tag)
    );

    // ------------------------------------------------------------- beat logic
    logic [3:0]     q;
    logic [5:0]     q_plus_cnt;
    logic           need1, need2, ks_ok, out_free, beat_fire;
    logic [255:0]   ks_win;
    logic [127:0]   out_beat;
    logic [255:0]   gw;               // GHASH assembly window, byte p at [255-8p -: 8]
    logic [3:0]     qe;
    logic [127:0]   pbe;
    logic           blk_full;
    logic           beat_blk;         // this beat completes a GHASH block
    logic           ks_pop;

    assign q          = boff_reg[3:0];
    assign q_plus_cnt = {2'b00, q} + {1'b0, in_cnt};
    assign need1      = !in_aad && (in_cnt != 5'd0);
    assign need2      = !in_aad && (q_plus_cnt > 6'd16);
    assign ks_ok      = (!need1 || ks_count_reg >= (PTR_W+1)'(1))
                     && (!need2 || ks_count_reg >= (PTR_W+1)'(2));
    assign out_free   = !out_valid_reg || out_ready;
    assign in_ready   = (state_reg == ST_BODY) && ks_ok && out_free;
    assign beat_fire  = in_valid && in_ready;
    assign ks_pop     = beat_fire && need1 && (q_plus_cnt >= 6'd16);

    assign ks_win = {ks_mem[ks_rd_ptr_reg], ks_mem[ks_rd_ptr_reg + PTR_W'(1)]};
    assign qe     = in_aad ? 4'd0 : q;
    assign pbe    = in_aad ? 128'd0 : pb_reg;

    // Byte views (unpacked, so that variable byte selects stay cheap).
    (* mem2reg *) logic [7:0] ks_b  [32];           // keystream window KS[k] || KS[k+1]
    (* mem2reg *) logic [7:0] in_b  [16];           // input lanes
    (* mem2reg *) logic [7:0] out_b [16];           // output lanes
    (* mem2reg *) logic [7:0] ct_b  [16];           // ciphertext lanes
    (* mem2reg *) logic [7:0] gw_b  [32];           // GHASH assembly window

    always_comb begin
        logic [4:0] lane_hi;
        logic       in_range;
        lane_hi = {1'b0, in_lo} + in_cnt;
        for (int i = 0; i < 32; i++) begin
            ks_b[i] = ks_win[255 - 8*i -: 8];
        end
        for (int l = 0; l < 16; l++) begin
            in_b[l]  = in_data[8*l +: 8];
            in_range = (5'(l) >= {1'b0, in_lo}) && (5'(l) < lane_hi);
            out_b[l] = in_b[l];
            if (in_range && !in_aad) begin
                out_b[l] = in_b[l] ^ ks_b[5'({1'b0, q} + 5'(l) - {1'b0, in_lo})];
            end
            ct_b[l] = dec_reg ? in_b[l] : out_b[l];
            out_beat[8*l +: 8] = out_b[l];
        end
        for (int p = 0; p < 32; p++) begin
            if (p < 16 && 4'(p) < qe) begin
                gw_b[p] = pbe[127 - 8*(p % 16) -: 8];
            end else if (6'(p) < 6'({2'b00, qe}) + 6'({1'b0, in_cnt})) begin
                gw_b[p] = ct_b[4'({1'b0, in_lo} + 5'(p) - {1'b0, qe})];
            end else begin
                gw_b[p] = 8'd0;
            end
            gw[255 - 8*p -: 8] = gw_b[p];
        end
    end

    assign blk_full = ({2'b00, qe} + {1'b0, in_cnt}) >= 6'd16;
    assign beat_blk = beat_fire && (in_aad ? (in_cnt != 5'd0) : blk_full);

    // ---------------------------------------------------- GHASH issue select
    logic [127:0]   gh_x;
    logic           gh_issue;
    logic           gh_use_h;
    (* mem2reg *) logic [127:0] acc_fwd [2];

    always_comb begin
        for (int i = 0; i < 2; i++) begin
            acc_fwd[i] = acc_reg[i];
            if (mul_out_valid && !mul_out_tag[1] && (mul_out_tag[0] == 1'(i))) begin
                acc_fwd[i] = mul_out_p;
            end
        end
    end

    always_comb begin
        gh_issue = 1'b0;
        gh_use_h = 1'b0;
        gh_x     = gw[255:128];
        case (state_reg)
            ST_BODY: begin
                gh_issue = beat_blk;
            end
            ST_FIN_PB: begin
                gh_issue = (boff_reg[3:0] != 4'd0);
                gh_x     = pb_reg;
            end
            ST_FIN_LEN: begin
                gh_issue = 1'b1;
                gh_use_h = 1'b1;
                gh_x     = {29'd0, aad_reg, 3'b000, 29'd0, boff_reg, 3'b000};
            end
            default: ;
        endcase
    end

    always_comb begin
        mul_in_valid = gh_issue;
        mul_in_a     = acc_fwd[lane_reg] ^ gh_x;
        mul_in_b     = gh_use_h ? h_reg : h2_reg;
        mul_in_tag   = {1'b0, lane_reg};
        if (state_reg == ST_KEY_H && aes_out_valid && aes_out_tag[2:1] == KIND_H) begin
            mul_in_valid = 1'b1;
            mul_in_a     = aes_out_block;
            mul_in_b     = aes_out_block;
            mul_in_tag   = 2'b10;
        end
    end

    // ------------------------------------------------------- AES issue select
    logic gen_issue;
    assign gen_issue = (state_reg == ST_BODY)
                    && ((ks_count_reg + ks_inflight_reg) < (PTR_W+1)'(KS_DEPTH));

    assign ks_ready    = (state_reg == ST_IDLE);
    // A new record waits for GHASH to drain, so that no late product of an
    // abandoned record lands in the fresh accumulators.
    assign start_ready = (state_reg == ST_IDLE) && !ks_valid && (gh_inflight_reg == 2'd0);

    always_comb begin
        aes_in_valid  = 1'b0;
        aes_in_key    = key_reg;
        aes_in_key256 = key256_reg;
        aes_in_block  = {iv_reg, ctr_reg};
        aes_in_tag    = {(ctr_reg == 32'd1) ? KIND_EJ0 : KIND_KS, epoch_reg};
        if (state_reg == ST_IDLE && ks_valid) begin
            aes_in_valid  = 1'b1;
            aes_in_key    = ks_key;
            aes_in_key256 = ks_key256;
            aes_in_block  = 128'd0;
            aes_in_tag    = {KIND_H, epoch_reg};
        end else if (gen_issue) begin
            aes_in_valid  = 1'b1;
        end
    end

    logic aes_cur;      // an output of the current record's keystream or E(J0)
    assign aes_cur = aes_out_valid && (aes_out_tag[2:1] != KIND_H) && (aes_out_tag[0] == epoch_reg);

    // ------------------------------------------------------------ next state
    always_comb begin
        state_next = state_reg;
        if (rec_abort && state_reg != ST_KEY_H && state_reg != ST_KEY_H2) begin
            state_next = ST_IDLE;
        end else case (state_reg)
            ST_IDLE: begin
                if (ks_valid) begin
                    state_next = ST_KEY_H;
                end else if (start_valid && start_ready) begin
                    state_next = ST_BODY;
                end
            end
            ST_KEY_H: begin
                if (aes_out_valid && aes_out_tag[2:1] == KIND_H) begin
                    state_next = ST_KEY_H2;
                end
            end
            ST_KEY_H2: begin
                if (mul_out_valid && mul_out_tag[1]) begin
                    state_next = ST_IDLE;
                end
            end
            ST_BODY: begin
                if (beat_fire && in_last) begin
                    state_next = ST_FIN_PB;
                end else if (beat_fire && in_eos) begin
                    state_next = ST_SV_DRAIN;
                end
            end
            ST_FIN_PB:    state_next = ST_FIN_LEN;
            ST_FIN_LEN:   state_next = ST_FIN_DRAIN;
            ST_FIN_DRAIN: begin
                if (gh_inflight_reg == 2'd0 && ej0_valid_reg) begin
                    state_next = ST_TAG;
                end
            end
            ST_TAG: begin
                if (tag_ready) begin
                    state_next = ST_IDLE;
                end
            end
            ST_SV_DRAIN: begin
                if (gh_inflight_reg == 2'd0) begin
                    state_next = ST_SV;
                end
            end
            ST_SV: begin
                if (sv_ready) begin
                    state_next = ST_IDLE;
                end
            end
            default: state_next = ST_IDLE;
        endcase
    end

    // ----------------------------------------------------------- registers
    logic gh_retire;
    assign gh_retire = mul_out_valid && !mul_out_tag[1];

    always_ff @(posedge clk) begin
        state_reg   <= state_next;
        ks_done_reg <= 1'b0;

        if (state_reg == ST_IDLE && !ks_valid && start_valid && start_ready) begin
            wipe_pending_reg <= 1'b0;
            key_reg         <= start_key;
            key256_reg      <= start_key256;
            h_reg           <= start_h;
            h2_reg          <= start_h2;
            iv_reg          <= start_iv;
            dec_reg         <= start_decrypt;
            epoch_reg       <= !epoch_reg;
            ctr_reg         <= 32'd1;
            ctr_base_reg    <= start_resume ? 32'd2 + {4'd0, start_boff[31:4]} : 32'd2;
            ks_rd_ptr_reg   <= '0;
            ks_wr_ptr_reg   <= '0;
            ks_count_reg    <= '0;
            ks_inflight_reg <= '0;
            ej0_valid_reg   <= 1'b0;
            boff_reg        <= start_resume ? start_boff : 32'd0;
            aad_reg         <= start_resume ? start_aad : 32'd0;
            pb_reg          <= start_resume ? start_pb : 128'd0;
            acc_reg[0]      <= start_resume ? start_acc0 : 128'd0;
            acc_reg[1]      <= start_resume ? start_acc1 : 128'd0;
            lane_reg        <= start_resume && start_lane;
        end else begin
            // keystream generator and FIFO
            if (gen_issue) begin
                ctr_reg <= (ctr_reg == 32'd1) ? ctr_base_reg : ctr_reg + 32'd1;
            end
            if (aes_cur && aes_out_tag[2:1] == KIND_KS) begin
                ks_mem[ks_wr_ptr_reg] <= aes_out_block;
                ks_wr_ptr_reg         <= ks_wr_ptr_reg + PTR_W'(1);
            end
            if (aes_cur && aes_out_tag[2:1] == KIND_EJ0) begin
                ej0_reg       <= aes_out_block;
                ej0_valid_reg <= 1'b1;
            end
            if (ks_pop) begin
                ks_rd_ptr_reg <= ks_rd_ptr_reg + PTR_W'(1);
            end
            ks_count_reg <= ks_count_reg
                          + (PTR_W+1)'(aes_cur && aes_out_tag[2:1] == KIND_KS)
                          - (PTR_W+1)'(ks_pop);
            ks_inflight_reg <= ks_inflight_reg + (PTR_W+1)'(gen_issue) - (PTR_W+1)'(aes_cur);

            // body bookkeeping
            if (beat_fire) begin
                if (in_aad) begin
                    aad_reg <= aad_reg + 32'(in_cnt);
                end else begin
                    boff_reg <= boff_reg + 32'(in_cnt);
                    pb_reg   <= blk_full ? gw[127:0] : gw[255:128];
                end
            end

            // GHASH lanes
            if (gh_retire) begin
                acc_reg[mul_out_tag[0]] <= mul_out_p;
            end
            if (gh_issue) begin
                lane_reg <= !lane_reg;
            end
        end

        gh_inflight_reg <= gh_inflight_reg + 2'(gh_issue) - 2'(gh_retire);

        // key set-up results
        if (state_reg == ST_KEY_H && aes_out_valid && aes_out_tag[2:1] == KIND_H) begin
            ks_h_reg <= aes_out_block;
        end
        if (state_reg == ST_KEY_H2 && mul_out_valid && mul_out_tag[1]) begin
            ks_h2_reg   <= mul_out_p;
            ks_done_reg <= 1'b1;
        end

        // wipe: nothing of the deleted context's key stays in the engine
        if (wipe) begin
            wipe_pending_reg <= 1'b1;
        end
        if ((wipe || wipe_pending_reg) && state_reg == ST_IDLE && !ks_valid && !start_valid) begin
            wipe_pending_reg <= 1'b0;
            key_reg          <= 256'd0;
            key256_reg       <= 1'b0;
            h_reg            <= 128'd0;
            h2_reg           <= 128'd0;
            iv_reg           <= 96'd0;
            ks_h_reg         <= 128'd0;
            ks_h2_reg        <= 128'd0;
        end

        // output register
        if (beat_fire) begin
            out_valid_reg <= 1'b1;
            out_data_reg  <= out_beat;
            out_user_reg  <= in_user;
        end else if (out_ready) begin
            out_valid_reg <= 1'b0;
        end

        if (rst) begin
            state_reg       <= ST_IDLE;
            epoch_reg       <= 1'b0;
            ks_count_reg    <= '0;
            ks_inflight_reg <= '0;
            ks_rd_ptr_reg   <= '0;
            ks_wr_ptr_reg   <= '0;
            ej0_valid_reg   <= 1'b0;
            gh_inflight_reg <= 2'd0;
            lane_reg        <= 1'b0;
            out_valid_reg   <= 1'b0;
            ks_done_reg     <= 1'b0;
            wipe_pending_reg <= 1'b0;
        end
    end

    assign in_xor    = out_beat;
    assign out_valid = out_valid_reg;
    assign out_data  = out_data_reg;
    assign out_user  = out_user_reg;
    assign tag_valid = (state_reg == ST_TAG);
    assign tag       = acc_reg[0] ^ acc_reg[1] ^ ej0_reg;
    assign ks_done   = ks_done_reg;
    assign ks_h      = ks_h_reg;
    assign ks_h2     = ks_h2_reg;
    assign idle      = (state_reg == ST_IDLE);
    assign sv_valid  = (state_reg == ST_SV);
    assign sv_boff   = boff_reg;
    assign sv_aad    = aad_reg;
    assign sv_pb     = pb_reg;
    assign sv_acc0   = acc_reg[0];
    assign sv_acc1   = acc_reg[1];
    assign sv_lane   = lane_reg;

endmodule

`default_nettype wire
