// GHASH of TLS records at up to M blocks per clock, with record slots so
// that one record can finish while the next starts, and a record can be
// parked (its state saved to a context) and resumed later.
//
// Theory of operation
// - A record of N GHASH blocks X_0 (AAD) .. X_{N-1} (length block) hashes
//   to sum X_i * H^(N-i). Block i goes to lane i mod K of its slot, whose
//   accumulator becomes (acc ^ X_i) * P_i with P_i = H^K, except for the
//   last K blocks of the record, which take P_i = H^(N-i). Then every block
//   carries exactly H^(N-i) and the hash is the XOR of the K lanes: no
//   final combination multiplies. The caller picks P_i (it holds the
//   context's H^1..H^K) and the lane; this unit multiplies and accumulates.
// - Multipliers: M copies of `gf128_mul` (latency 2). A lane can take a
//   block every 2 clocks; with K >= 2*M and blocks issued in lane order no
//   block ever waits. Smaller K (a board configuration) is legal: `in_ready`
//   drops while a block's lane still has a product in flight.
// - Digit-serial multipliers (MUL_DIGIT < 128, a board configuration):
//   each takes 128 / MUL_DIGIT clocks per product and its product lands
//   128 / MUL_DIGIT + 1 clocks after issue; `in_ready` also drops while a
//   multiplier is busy or a block's lane waits for such a product.
// - Slots: NSLOT sets of K accumulators. `in_first` starts a new record in
//   the slot (accumulators taken as zero); `ld_*` loads a parked record.
// - Operations (`op_*`, queued, done in order once the slot has no product
//   in flight): finalize (`op_fin`: tag = XOR of the lanes ^ E(J0) into the
//   tag queue) or save (`sv_*`: the K accumulators, one clock, for the
//   caller's context RAM).
// - Powers (`pw_*`): H^2 .. H^K from H for a new context, on multiplier 0,
//   2 clocks each, only when no record is hashed.
// Latency: a block's product lands 2 clocks after issue; a finalize
// completes 1 clock after its slot drained (tag queue), plus 1 for the
// queue.
`default_nettype none

module ghash_core #(
    parameter int M     = 1,     // blocks per clock (multipliers)
    parameter int K     = 2,     // lanes per slot (powers of H per context)
    parameter int NSLOT = 4,     // record slots
    parameter int MUL_DIGIT = 128,   // gf128_mul DIGIT: 128 = two-stage pipeline, else digit-serial
    parameter int SLOT_W = $clog2(NSLOT),
    parameter int LN_W  = (K > 1) ? $clog2(K) : 1
) (
    input  logic                 clk,
    input  logic                 rst,

    // Blocks: in_n of them (lanes of one slot), block m in [128m +: 128]
    input  logic                 in_valid,
    output logic                 in_ready,
    input  logic [SLOT_W-1:0]    in_slot,
    input  logic                 in_first,      // the slot starts a new record
    input  logic [M-1:0]         in_en,         // which of the M blocks are valid
    input  logic [M*128-1:0]     in_x,
    input  logic [M*128-1:0]     in_p,          // multiplier per block (a power of H)
    input  logic [M*LN_W-1:0]    in_lane,

    // Load a parked record into a slot
    input  logic                 ld_valid,
    input  logic [SLOT_W-1:0]    ld_slot,
    input  logic [K*128-1:0]     ld_acc,

    // Finalize / save
    input  logic                 op_valid,
    output logic                 op_ready,
    input  logic                 op_fin,        // 1 finalize, 0 save
    input  logic [SLOT_W-1:0]    op_slot,
    input  logic [127:0]         op_ej0,        // E(J0) for a finalize

    output logic                 tag_valid,
    input  logic                 tag_ready,
    output logic [127:0]         tag,

    output logic                 sv_valid,
    output logic [K*128-1:0]     sv_acc,

    // Powers of H for a new context
    input  logic                 pw_start,
    input  logic [127:0]         pw_h,
    output logic                 pw_done,       // pulse: pw_pow valid
    output logic [K*128-1:0]     pw_pow,        // H^1 .. H^K, H^(j+1) in [128j +: 128]

    output logic [NSLOT-1:0]     slot_busy,     // products in flight or an operation queued
    input  logic                 wipe,          // clear the powers register (context deleted)
    output logic                 idle
);

    // gf128_mul's latency is 2: busy_reg marks a lane for the one clock in
    // which its product is still in flight.
    localparam int TAG_W = SLOT_W + LN_W + 1;

    if (M < 1 || K < 1 || NSLOT < 2 || (1 << SLOT_W) != NSLOT || (K > 1 && (1 << LN_W) != K)) begin : g_bad
        $error("ghash_core: M, K >= 1, K and NSLOT powers of two, NSLOT >= 2");
    end

    logic [127:0] acc_reg [NSLOT][K];
    logic [3:0]   infl_reg [NSLOT];        // products in flight per slot
    logic [K-1:0] busy_reg [NSLOT];        // lanes with a product issued last clock

    // -------------------------------------------------------- multipliers
    logic [M-1:0]       mo_valid;
    logic [127:0]       mo_p   [M];
    logic [TAG_W-1:0]   mo_tag [M];         // {power job, slot, lane}
    logic [M-1:0]       mi_valid;
    logic [M-1:0]       mi_ready;
    logic [127:0]       mi_a   [M];
    logic [127:0]       mi_b   [M];
    logic [TAG_W-1:0]   mi_tag [M];

    for (genvar m = 0; m < M; m++) begin : g_mul
        gf128_mul #(.TAG_W(TAG_W), .DIGIT(MUL_DIGIT)) u_mul (
            .clk(clk), .rst(rst),
            .in_valid(mi_valid[m]), .in_ready(mi_ready[m]), .in_a(mi_a[m]), .in_b(mi_b[m]), .in_tag(mi_tag[m]),
            .out_valid(mo_valid[m]), .out_p(mo_p[m]), .out_tag(mo_tag[m])
        );
    end

    // Current accumulator value of (slot, lane): a load or a fresh record
    // this clock, else a product landing this clock, else the register.
    function automatic logic [127:0] acc_now(input logic [SLOT_W-1:0] s, input logic [LN_W-1:0] l,
                                             input logic first_s);
        acc_now = acc_reg[s][l];
        for (int m = 0; m < M; m++) begin
            if (mo_valid[m] && !mo_tag[m][TAG_W-1] && mo_tag[m][TAG_W-2 -: SLOT_W] == s
                && mo_tag[m][LN_W-1:0] == l) begin
                acc_now = mo_p[m];
            end
        end
        if (first_s) begin
            acc_now = 128'd0;
        end
        if (ld_valid && ld_slot == s) begin
            acc_now = ld_acc[128*l +: 128];
        end
    endfunction

    // ---------------------------------------------------------- block issue
    // Digit-serial multipliers: the (slot, lane) whose product multiplier m
    // is computing, until it lands (busy_reg covers only the first clock).
    logic [M-1:0] pend_hit;     // block m's lane waits for a product
    if (MUL_DIGIT < 128) begin : g_pend
        logic [M-1:0]             pend_reg;
        logic [SLOT_W+LN_W-1:0]   pend_sl [M];
        always_comb begin : pend_check
            for (int m = 0; m < M; m++) begin
                pend_hit[m] = 1'b0;
                for (int n = 0; n < M; n++) begin
                    if (pend_reg[n] && pend_sl[n] == {in_slot, in_lane[LN_W*m +: LN_W]}
                        && !(mo_valid[n] && !mo_tag[n][TAG_W-1] && mo_tag[n][TAG_W-2:0] == pend_sl[n])) begin
                        pend_hit[m] = 1'b1;
                    end
                end
            end
        end
        always_ff @(posedge clk) begin : pend_track
            for (int m = 0; m < M; m++) begin
                if (mo_valid[m] && !mo_tag[m][TAG_W-1] && mo_tag[m][TAG_W-2:0] == pend_sl[m]) begin
                    pend_reg[m] <= 1'b0;
                end
                if (issue && in_en[m]) begin
                    pend_reg[m] <= 1'b1;
                    pend_sl[m]  <= {in_slot, in_lane[LN_W*m +: LN_W]};
                end
            end
            if (rst) begin
                pend_reg <= '0;
            end
        end
    end else begin : g_no_pend
        assign pend_hit = '0;
    end

    logic issue;
    always_comb begin : ready_check
        in_ready = 1'b1;
        for (int m = 0; m < M; m++) begin
            if (in_en[m] && busy_reg[in_slot][in_lane[LN_W*m +: LN_W]] && !in_first) begin
                in_ready = 1'b0;
            end
            if (in_en[m] && (!mi_ready[m] || (pend_hit[m] && !in_first))) begin
                in_ready = 1'b0;
            end
        end
    end
    assign issue = in_valid && in_ready;

    // Powers job
    logic              pw_busy_reg;
    logic [LN_W:0]     pw_i_reg;       // power being computed (2..K)
    logic              pw_wait_reg;    // a product is in flight
    logic [127:0]      pw_reg [K] /*verilator public_flat_rd*/;

    always_comb begin : mul_inputs
        for (int m = 0; m < M; m++) begin
            mi_valid[m] = issue && in_en[m];
            mi_a[m]     = acc_now(in_slot, in_lane[LN_W*m +: LN_W], in_first) ^ in_x[128*m +: 128];
            mi_b[m]     = in_p[128*m +: 128];
            mi_tag[m]   = {1'b0, in_slot, in_lane[LN_W*m +: LN_W]};
        end
        if (pw_busy_reg && !pw_wait_reg) begin
            // H^i = H^(i-1) * H (no record is hashed while this runs)
            mi_valid[0] = 1'b1;
            mi_a[0]     = pw_reg[LN_W'(pw_i_reg - (LN_W+1)'(2))];
            mi_b[0]     = pw_reg[0];
            mi_tag[0]   = {1'b1, {(TAG_W-1){1'b0}}};
        end
    end

    // ------------------------------------------------------------ operations
    logic                 oq_valid, oq_pop;
    logic [SLOT_W+128:0]  oq;
    logic [2:0]           oq_count_unused;
    logic [NSLOT-1:0]     op_q_slots;       // slots with an operation queued
    logic [SLOT_W-1:0]    oq_slot;
    logic                 oq_fin;
    logic                 tq_in_ready;
    logic [2:0]           tq_count_unused;

    sync_fifo #(.WIDTH(SLOT_W + 129), .DEPTH(4)) u_op_q (
        .clk(clk), .rst(rst),
        .in_valid(op_valid), .in_ready(op_ready), .in_data({op_fin, op_slot, op_ej0}),
        .out_valid(oq_valid), .out_ready(oq_pop), .out_data(oq),
        .count(oq_count_unused)
    );
    assign oq_fin  = oq[SLOT_W+128];
    assign oq_slot = oq[128 +: SLOT_W];
    // An operation runs once its slot has no product in flight and nothing
    // for it is issued this clock.
    assign oq_pop = oq_valid && infl_reg[oq_slot] == 4'd0 && !(issue && in_slot == oq_slot)
                 && (!oq_fin || tq_in_ready);

    logic [127:0] lanes_xor;
    always_comb begin : fold_lanes
        lanes_xor = 128'd0;
        for (int l = 0; l < K; l++) begin
            lanes_xor = lanes_xor ^ acc_reg[oq_slot][l];
        end
    end

    sync_fifo #(.WIDTH(128), .DEPTH(4)) u_tag_q (
        .clk(clk), .rst(rst),
        .in_valid(oq_pop && oq_fin), .in_ready(tq_in_ready), .in_data(lanes_xor ^ oq[127:0]),
        .out_valid(tag_valid), .out_ready(tag_ready), .out_data(tag),
        .count(tq_count_unused)
    );

    assign sv_valid = oq_pop && !oq_fin;
    always_comb begin : save_out
        for (int l = 0; l < K; l++) begin
            sv_acc[128*l +: 128] = acc_reg[oq_slot][l];
        end
    end

    // ------------------------------------------------------------ registers
    always_ff @(posedge clk) begin : state
        logic [3:0] d;
        for (int s = 0; s < NSLOT; s++) begin
            busy_reg[s] <= '0;
            if (issue && in_first && in_slot == SLOT_W'(s)) begin
                for (int l = 0; l < K; l++) begin
                    acc_reg[s][l] <= 128'd0;
                end
            end
            if (ld_valid && ld_slot == SLOT_W'(s)) begin
                for (int l = 0; l < K; l++) begin
                    acc_reg[s][l] <= ld_acc[128*l +: 128];
                end
            end
        end
        for (int m = 0; m < M; m++) begin
            if (mo_valid[m] && !mo_tag[m][TAG_W-1]) begin
                acc_reg[mo_tag[m][TAG_W-2 -: SLOT_W]][mo_tag[m][LN_W-1:0]] <= mo_p[m];
            end
            if (issue && in_en[m]) begin
                busy_reg[in_slot][in_lane[LN_W*m +: LN_W]] <= 1'b1;
            end
        end
        for (int s = 0; s < NSLOT; s++) begin
            d = infl_reg[s];
            for (int m = 0; m < M; m++) begin
                if (issue && in_en[m] && in_slot == SLOT_W'(s)) begin
                    d = d + 4'd1;
                end
                if (mo_valid[m] && !mo_tag[m][TAG_W-1] && mo_tag[m][TAG_W-2 -: SLOT_W] == SLOT_W'(s)) begin
                    d = d - 4'd1;
                end
            end
            infl_reg[s] <= d;
        end
        // powers of H
        if (pw_start) begin
            pw_reg[0]   <= pw_h;
            pw_busy_reg <= K > 1;
            pw_i_reg    <= (LN_W+1)'(2);
            pw_wait_reg <= 1'b0;
        end else if (pw_busy_reg) begin
            if (!pw_wait_reg) begin
                pw_wait_reg <= 1'b1;
            end else if (mo_valid[0] && mo_tag[0][TAG_W-1]) begin
                pw_reg[LN_W'(pw_i_reg - (LN_W+1)'(1))] <= mo_p[0];
                pw_wait_reg <= 1'b0;
                pw_i_reg    <= pw_i_reg + (LN_W+1)'(1);
                if (pw_i_reg == (LN_W+1)'(K)) begin
                    pw_busy_reg <= 1'b0;
                end
            end
        end
        pw_done <= (pw_start && K == 1)
                || (pw_busy_reg && pw_wait_reg && mo_valid[0] && mo_tag[0][TAG_W-1] && pw_i_reg == (LN_W+1)'(K));
        if (wipe) begin
            for (int l = 0; l < K; l++) begin
                pw_reg[l] <= 128'd0;
            end
        end
        if (rst) begin
            for (int s = 0; s < NSLOT; s++) begin
                infl_reg[s] <= 4'd0;
                busy_reg[s] <= '0;
            end
            pw_busy_reg <= 1'b0;
            pw_done     <= 1'b0;
        end
    end

    always_comb begin : powers_out
        for (int l = 0; l < K; l++) begin
            pw_pow[128*l +: 128] = pw_reg[l];
        end
    end

    // Slots named by queued operations: the queue is short (4 entries) and
    // mirrored here as a bit per slot and entry.
    logic [NSLOT-1:0] q_slot_reg [4];
    logic [1:0]       q_wr_reg, q_rd_reg;
    always_ff @(posedge clk) begin : op_mirror
        if (op_valid && op_ready) begin
            q_slot_reg[q_wr_reg] <= NSLOT'(1) << op_slot;
            q_wr_reg <= q_wr_reg + 2'd1;
        end
        if (oq_pop) begin
            q_slot_reg[q_rd_reg] <= '0;
            q_rd_reg <= q_rd_reg + 2'd1;
        end
        if (rst) begin
            q_wr_reg <= 2'd0;
            q_rd_reg <= 2'd0;
            for (int i = 0; i < 4; i++) begin
                q_slot_reg[i] <= '0;
            end
        end
    end
    always_comb begin : busy_slots
        op_q_slots = q_slot_reg[0] | q_slot_reg[1] | q_slot_reg[2] | q_slot_reg[3];
        for (int s = 0; s < NSLOT; s++) begin
            slot_busy[s] = op_q_slots[s] || infl_reg[s] != 4'd0;
        end
    end

    always_comb begin : idle_flag
        idle = !oq_valid && !pw_busy_reg && !tag_valid;
        for (int s = 0; s < NSLOT; s++) begin
            if (infl_reg[s] != 4'd0) begin
                idle = 1'b0;
            end
        end
    end

    // Assertions
    // (the slot checks read slot_busy: Verilator 5.006 cannot take an
    // unpacked-array select inside a property)
    `TLSNIC_ASSERT_IMP(GhLoadNotInFlight, ld_valid, !slot_busy[ld_slot], clk, rst)
    `TLSNIC_ASSERT_IMP(GhFirstNotInFlight, issue && in_first, !slot_busy[in_slot], clk, rst)
    `TLSNIC_ASSERT_IMP(GhPowersWhenIdle, pw_start, !in_valid && !pw_busy_reg, clk, rst)
    `TLSNIC_ASSERT_IMP(GhNoIssueDuringPowers, pw_busy_reg, !in_valid, clk, rst)
    `TLSNIC_ASSERT(GhMulReady, (mi_valid & ~mi_ready) == '0, clk, rst)

endmodule

`default_nettype wire
