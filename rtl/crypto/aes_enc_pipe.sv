// Pipelined AES-128/AES-256 encryption with on-the-fly key expansion: one block per clock (or one per PASSES clocks when folded), each block with its own key.
//
// Interface
// - A block is accepted on every clock with in_valid (no stall, no
//   backpressure: callers budget with credits). out_valid/out_block/out_tag
//   appear exactly LATENCY = 14 cycles later, for both key sizes; blocks
//   leave in the order they entered.
// - Folded (STAGES < 14, a board configuration): STAGES round units in a
//   ring; a block enters at unit 0, goes round the ring PASSES =
//   ceil(14 / STAGES) times (one round per unit and clock) and leaves
//   after LATENCY = PASSES * STAGES clocks, in order, for both key sizes.
//   `in_ready` is low while the block arriving back at unit 0 still has
//   rounds to do; the caller gives in_valid only with in_ready (asserted).
//   Throughput: 1 / PASSES blocks per clock, LANES at once. With STAGES =
//   14 (the default) in_ready is always 1 and the module is the pipeline
//   described below, unchanged.
// - Byte order is FIPS-197's: block byte 0 in [127:120]; key byte 0 in
//   [255:248]. AES-256 uses key bytes 0..31 ([255:0]); AES-128 uses key bytes
//   0..15 ([255:128]) and ignores [127:0].
//
// Why on-the-fly key expansion
// - Consecutive blocks may belong to different connections with different
//   keys and key sizes. Each stage therefore carries the key-schedule state
//   with the data and computes the round key it needs, instead of reading a
//   precomputed schedule.
// - The per-connection context then holds only the 16/32-byte key, not the
//   176/240 bytes of expanded round keys, and any block can switch key with
//   no set-up cycles.
// - Cost: 4 S-boxes per round stage (56 in all, next to 224 for the data)
//   and a 256-bit key register per stage.
//
// Stage structure (stage s = 0..13 computes round r = s+1, registered)
// - Stage 0: initial AddRoundKey with rk[0] = key[255:128], folded into
//   round 1; rk[1] = key[127:0] (AES-256) or one AES-128 key step.
// - Stages 1..13: round r with rk[r] = aes_key_step(rk[r-2], rk[r-1]).
//   Between stages the key window {rk[r-1], rk[r]} (256 bits) travels with
//   the state (AES-128 only uses the low half).
// - AES-128 does its final round (no MixColumns) in stage 9 (round 10) and
//   passes through stages 10..13 unchanged; AES-256 does its final round in
//   stage 13 (round 14). So the latency is 14 for both. Folded, unit s does
//   round p * STAGES + s + 1 on pass p (the pass number travels with the
//   block); round slots after 14 (STAGES not dividing 14) pass through.
// - Folded, unit 0 takes either a new block (round 1, the key from the
//   input, as stage 0 above) or the block coming back from the last unit
//   (a general round, its key window from the last unit).
// - Wipe: every register loads its next value on every clock, and a ring
//   slot that holds no block in progress takes the input (the caller's key
//   register when idle), so LATENCY clocks after the caller clears its key
//   no window holds a trace of the old one, folded or not.
// - Per stage: S-box layer + MixColumns + AddRoundKey in the data path;
//   mux + S-box + 4-word XOR chain in the key path. Stage 0 takes its inputs
//   combinationally (in_block ^ key into the S-boxes), so drive the inputs
//   from flops or short logic.
// - Only the valid pipeline is reset; data, key and tag flops are not.
//
// Measured (Verilator 5.006, C++ -O1; Yosys 0.70 generic `synth`):
// 0.8-1.3 M cycles/s with a new random key every cycle; 5 245 data flops
// + 14 valid flops; 199 k generic cells (hierarchical synth, 2.5 s).
`default_nettype none

module aes_enc_pipe #(
    parameter int TAG_W  = 8,               // opaque sideband carried alongside each block
    parameter int LANES  = 1,               // blocks per clock sharing one key (one key schedule)
    parameter int STAGES = 14               // round units: 14 = one per round; fewer = a ring (folded)
) (
    input  logic              clk,
    input  logic              rst,          // synchronous, active high

    // Input: one block per clock (folded: when in_ready)
    input  logic              in_valid,
    output logic              in_ready,     // 1 unless folded and the ring slot at unit 0 is busy
    input  logic [255:0]      in_key,       // AES-256: key bytes 0..31, byte 0 at [255:248]; AES-128: key bytes 0..15 in [255:128], [127:0] ignored
    input  logic              in_key256,    // 1 = AES-256 (14 rounds), 0 = AES-128 (10 rounds)
    input  logic [LANES*128-1:0] in_block,  // plaintext blocks, lane j in [128j +: 128], byte 0 at the top (FIPS-197 byte order)
    input  logic [TAG_W-1:0]  in_tag,

    // Output: LATENCY cycles after the input
    output logic              out_valid,
    output logic [LANES*128-1:0] out_block, // ciphertext blocks, same lanes
    output logic [TAG_W-1:0]  out_tag
);

    localparam int NR_256  = 14;            // round slots of every block (AES-128 passes 11..14 through)
    localparam int NR_128  = 10;
    localparam int PASSES  = (NR_256 + STAGES - 1) / STAGES;
    localparam bit RING    = PASSES > 1;
    localparam int NWIN    = RING ? STAGES : STAGES - 1;    // the last stage's window feeds unit 0 again
    localparam int PW      = RING ? $clog2(PASSES) : 1;

    // Rcon[1..10] (FIPS-197 5.2), Rcon[i] at RCON[8*(10-i) +: 8].
    localparam logic [79:0] RCON = 80'h01_02_04_08_10_20_40_80_1b_36;

    if (TAG_W < 1 || LANES < 1 || STAGES < 1 || STAGES > NR_256) begin : g_bad_param
        $error("aes_enc_pipe: TAG_W and LANES must be >= 1, STAGES 1..14");
    end

    // Key step constants of round r: AES-128 uses Rcon[r] on every step;
    // AES-256 uses RotWord + Rcon[r/2] on even r and SubWord alone on odd r.
    // (Rounds without a key step of that size read Rcon[1]: never used.)
    function automatic logic [7:0] rcon_128(input int r);
        rcon_128 = RCON[8*(NR_128 - ((r >= 1 && r <= NR_128) ? r : 1)) +: 8];
    endfunction
    function automatic logic [7:0] rcon_256(input int r);
        rcon_256 = RCON[8*(NR_128 - ((r >= 2 && r / 2 <= NR_128) ? r / 2 : 1)) +: 8];
    endfunction

    // Stage s output registers (state after its round). Unfolded, the key
    // window is not needed after the last stage, the key size not after the
    // last but one; folded, both go round again.
    logic [STAGES-1:0]               valid_reg;
    logic [STAGES-1:0][TAG_W-1:0]    tag_reg;
    logic [NWIN-1:0]                 key256_reg;
    logic [PW-1:0]                   pass_reg    [STAGES];  // pass of the block (folded)
    // Unpacked arrays: as packed 2-D vectors, Verilator builds multi-kbit
    // temporaries on every access and simulates 2.4x slower. (* mem2reg *)
    // tells Yosys they are plain registers/wires, not RAMs (no warning).
    (* mem2reg *) logic [127:0]      state_reg   [LANES][STAGES];
    (* mem2reg *) logic [255:0]      window_reg  [NWIN] /*verilator public_flat_rd*/;   // {rk[r-1], rk[r]}

    (* mem2reg *) logic [127:0]      state_next  [LANES][STAGES];
    (* mem2reg *) logic [255:0]      window_next [NWIN];
    logic [STAGES-1:0]               valid_next;
    logic [STAGES-1:0][TAG_W-1:0]    tag_next;
    logic [NWIN-1:0]                 key256_next;
    logic [PW-1:0]                   pass_next   [STAGES];

    // Folded: the block back at unit 0 has rounds left, so unit 0 takes it
    // instead of a new one.
    logic recirc;
    if (RING) begin : g_recirc
        assign recirc = valid_reg[STAGES-1] && pass_reg[STAGES-1] != PW'(PASSES - 1);
    end else begin : g_no_recirc
        assign recirc = 1'b0;
    end
    assign in_ready = !recirc;

    for (genvar s = 0; s < STAGES; s++) begin : g_stage
        logic         first;                // round 1 of a new block (unit 0 only)
        logic         key256;
        logic [PW-1:0] pass;
        logic [255:0] window_in;
        logic [127:0] round_key;
        logic [127:0] step_key;
        logic         last;                 // final round (no MixColumns)
        logic         bypass;               // a round slot after the block's last round
        logic         ks_key256, ks_rot;
        logic [7:0]   ks_rcon;
        logic [127:0] ks_prev2, ks_prev;

        if (s == 0) begin : g_first
            assign first = !recirc;
            if (RING) begin : g_ring
                assign key256    = first ? in_key256 : key256_reg[STAGES-1];
                assign pass      = first ? PW'(0) : pass_reg[STAGES-1] + PW'(1);
                assign window_in = window_reg[STAGES-1];
            end else begin : g_line
                assign key256    = in_key256;
                assign pass      = PW'(0);
                assign window_in = 256'd0;
            end
        end else begin : g_next
            assign first     = 1'b0;
            assign key256    = key256_reg[s-1];
            assign pass      = pass_reg[s-1];
            assign window_in = window_reg[s-1];
        end

        // Round-dependent constants: one set per pass (a constant unfolded).
        always_comb begin : round_consts
            int r;
            ks_rot  = 1'b1;
            ks_rcon = rcon_128(1);
            last    = 1'b0;
            bypass  = 1'b0;
            for (int p = 0; p < PASSES; p++) begin
                r = p * STAGES + s + 1;
                if (pass == PW'(p)) begin
                    ks_rot  = !key256 || (r % 2) == 0;
                    ks_rcon = key256 ? rcon_256(r) : rcon_128(r);
                    last    = r == NR_256 || (!key256 && r == NR_128);
                    bypass  = r > NR_256 || (!key256 && r > NR_128);
                end
            end
            if (first) begin
                // round 1 of a new block: rk[0] = key[255:128]; rk[1] =
                // key[127:0] (AES-256) or one AES-128 key step
                ks_rot = 1'b1;
                ks_rcon = rcon_128(1);
                last    = 1'b0;
                bypass  = 1'b0;
            end
        end

        assign ks_key256 = first ? 1'b0 : key256;
        assign ks_prev2  = first ? in_key[255:128] : window_in[255:128];
        assign ks_prev   = first ? in_key[255:128] : window_in[127:0];

        aes_key_step u_key_step (
            .key256    (ks_key256),
            .rot_rcon  (ks_rot),
            .rcon      (ks_rcon),
            .prev2     (ks_prev2),
            .prev      (ks_prev),
            .round_key (step_key)
        );

        assign round_key = (first && key256) ? in_key[127:0] : step_key;

        for (genvar j = 0; j < LANES; j++) begin : g_lane
            logic [127:0] state_in;
            logic [127:0] round_out;

            if (s == 0 && RING) begin : g_in_ring
                assign state_in = first ? in_block[128*j +: 128] ^ in_key[255:128] : state_reg[j][STAGES-1];
            end else if (s == 0) begin : g_in
                assign state_in = in_block[128*j +: 128] ^ in_key[255:128];
            end else begin : g_prev
                assign state_in = state_reg[j][s-1];
            end

            aes_round u_round (
                .last      (last),
                .state_in  (state_in),
                .round_key (round_key),
                .state_out (round_out)
            );

            assign state_next[j][s] = bypass ? state_in : round_out;
        end

        if (s < NWIN) begin : g_window
            assign window_next[s] = first ? {in_key[255:128], round_key} : {window_in[127:0], round_key};
            assign key256_next[s] = key256;
        end
        assign valid_next[s] = first ? in_valid : ((s == 0) ? 1'b1 : valid_reg[s-1]);
        if (s == 0 && RING) begin : g_tag_ring
            assign tag_next[s] = first ? in_tag : tag_reg[STAGES-1];
        end else if (s == 0) begin : g_tag_in
            assign tag_next[s] = in_tag;
        end else begin : g_tag_prev
            assign tag_next[s] = tag_reg[s-1];
        end
        assign pass_next[s] = pass;
    end

    always_ff @(posedge clk) begin
        valid_reg  <= valid_next;
        tag_reg    <= tag_next;
        key256_reg <= key256_next;
        for (int s = 0; s < STAGES; s++) begin
            pass_reg[s] <= pass_next[s];
            for (int j = 0; j < LANES; j++) begin
                state_reg[j][s] <= state_next[j][s];
            end
        end
        for (int s = 0; s < NWIN; s++) begin
            window_reg[s] <= window_next[s];
        end
        if (rst) begin
            valid_reg <= '0;
        end
    end

    if (RING) begin : g_out_ring
        assign out_valid = valid_reg[STAGES-1] && pass_reg[STAGES-1] == PW'(PASSES - 1);
    end else begin : g_out_line
        assign out_valid = valid_reg[STAGES-1];
    end
    for (genvar j = 0; j < LANES; j++) begin : g_out
        assign out_block[128*j +: 128] = state_reg[j][STAGES-1];
    end
    assign out_tag = tag_reg[STAGES-1];

    // Assertions
    `TLSNIC_ASSERT_IMP(AesInWhenReady, in_valid, in_ready, clk, rst)

endmodule

`default_nettype wire
