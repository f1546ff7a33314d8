// Pipelined AES-128/AES-256 encryption with on-the-fly key expansion: one block per clock, each block with its own key.
//
// Interface
// - A block is accepted on every clock with in_valid (no stall, no
//   backpressure: callers budget with credits). out_valid/out_block/out_tag
//   appear exactly LATENCY = 14 cycles later, for both key sizes; blocks
//   leave in the order they entered.
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
//   stage 13 (round 14). So the latency is 14 for both.
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
    parameter int TAG_W = 8,                // opaque sideband carried alongside each block
    parameter int LANES = 1                 // blocks per clock sharing one key (one key schedule)
) (
    input  logic              clk,
    input  logic              rst,          // synchronous, active high

    // Input: one block per clock
    input  logic              in_valid,
    input  logic [255:0]      in_key,       // AES-256: key bytes 0..31, byte 0 at [255:248]; AES-128: key bytes 0..15 in [255:128], [127:0] ignored
    input  logic              in_key256,    // 1 = AES-256 (14 rounds), 0 = AES-128 (10 rounds)
    input  logic [LANES*128-1:0] in_block,  // plaintext blocks, lane j in [128j +: 128], byte 0 at the top (FIPS-197 byte order)
    input  logic [TAG_W-1:0]  in_tag,

    // Output: LATENCY cycles after the input
    output logic              out_valid,
    output logic [LANES*128-1:0] out_block, // ciphertext blocks, same lanes
    output logic [TAG_W-1:0]  out_tag
);

    localparam int LATENCY = 14;            // cycles from in_valid to out_valid, both key sizes
    localparam int NR_128  = 10;

    // Rcon[1..10] (FIPS-197 5.2), Rcon[i] at RCON[8*(10-i) +: 8].
    localparam logic [79:0] RCON = 80'h01_02_04_08_10_20_40_80_1b_36;

    if (TAG_W < 1 || LANES < 1) begin : g_bad_param
        $error("aes_enc_pipe: TAG_W and LANES must be >= 1");
    end

    // Stage s output registers (state after round s+1). The key window is
    // not needed after the last stage, the key size not after the last but one.
    logic [LATENCY-1:0]              valid_reg;
    logic [LATENCY-1:0][TAG_W-1:0]   tag_reg;
    logic [LATENCY-2:0]              key256_reg;
    // Unpacked arrays: as packed 2-D vectors, Verilator builds multi-kbit
    // temporaries on every access and simulates 2.4x slower. (* mem2reg *)
    // tells Yosys they are plain registers/wires, not RAMs (no warning).
    (* mem2reg *) logic [127:0]      state_reg   [LANES][LATENCY];
    (* mem2reg *) logic [255:0]      window_reg  [LATENCY-1] /*verilator public_flat_rd*/;   // {rk[s], rk[s+1]}

    (* mem2reg *) logic [127:0]      state_next  [LANES][LATENCY];
    (* mem2reg *) logic [255:0]      window_next [LATENCY-1];

    for (genvar s = 0; s < LATENCY; s++) begin : g_stage
        localparam int ROUND = s + 1;
        // Key step constants: AES-128 uses Rcon[r] on every step; AES-256
        // uses RotWord + Rcon[r/2] on even r and SubWord alone on odd r.
        localparam logic [7:0] RCON_128  = RCON[8*(NR_128 - ((ROUND <= NR_128) ? ROUND : 1)) +: 8];
        localparam logic [7:0] RCON_256  = RCON[8*(NR_128 - ((ROUND >= 2) ? ROUND / 2 : 1)) +: 8];
        localparam bit         EVEN      = (ROUND % 2) == 0;

        logic         key256;
        logic [127:0] round_key;
        logic         last;

        if (s == 0) begin : g_first
            logic [127:0] rk1_128;

            assign key256 = in_key256;

            aes_key_step u_key_step (
                .key256    (1'b0),
                .rot_rcon  (1'b1),
                .rcon      (RCON_128),
                .prev2     (in_key[255:128]),
                .prev      (in_key[255:128]),
                .round_key (rk1_128)
            );

            assign round_key = key256 ? in_key[127:0] : rk1_128;
        end else begin : g_next
            assign key256 = key256_reg[s-1];

            aes_key_step u_key_step (
                .key256    (key256),
                .rot_rcon  (!key256 || EVEN),
                .rcon      (key256 ? RCON_256 : RCON_128),
                .prev2     (window_reg[s-1][255:128]),
                .prev      (window_reg[s-1][127:0]),
                .round_key (round_key)
            );
        end

        // Final round: round 10 for AES-128, round 14 for AES-256.
        if (ROUND == NR_128) begin : g_last_128
            assign last = !key256;
        end else if (ROUND == LATENCY) begin : g_last_256
            assign last = 1'b1;
        end else begin : g_not_last
            assign last = 1'b0;
        end

        for (genvar j = 0; j < LANES; j++) begin : g_lane
            logic [127:0] state_in;
            logic [127:0] round_out;

            if (s == 0) begin : g_in
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

            // AES-128 passes rounds 11..14 through unchanged.
            if (ROUND > NR_128) begin : g_bypass_128
                assign state_next[j][s] = key256 ? round_out : state_in;
            end else begin : g_round
                assign state_next[j][s] = round_out;
            end
        end

        if (s < LATENCY - 1) begin : g_window
            if (s == 0) begin : g_first
                assign window_next[s] = {in_key[255:128], round_key};
            end else begin : g_next
                assign window_next[s] = {window_reg[s-1][127:0], round_key};
            end
        end
    end

    always_ff @(posedge clk) begin
        valid_reg  <= {valid_reg[LATENCY-2:0], in_valid};
        tag_reg    <= {tag_reg[LATENCY-2:0], in_tag};
        key256_reg <= {key256_reg[LATENCY-3:0], in_key256};
        for (int j = 0; j < LANES; j++) begin
            for (int s = 0; s < LATENCY; s++) begin
                state_reg[j][s] <= state_next[j][s];
            end
        end
        for (int s = 0; s < LATENCY - 1; s++) begin
            window_reg[s] <= window_next[s];
        end
        if (rst) begin
            valid_reg <= '0;
        end
    end

    assign out_valid = valid_reg[LATENCY-1];
    for (genvar j = 0; j < LANES; j++) begin : g_out
        assign out_block[128*j +: 128] = state_reg[j][LATENCY-1];
    end
    assign out_tag   = tag_reg[LATENCY-1];

endmodule

`default_nettype wire
