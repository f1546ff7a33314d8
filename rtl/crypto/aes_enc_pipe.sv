// Pipelined AES-128/AES-256 encryption with on-the-fly key expansion: one block per clock (or one per PASSES clocks when folded), each block with its own key.
//
// Interface
// - A block is accepted on every clock with in_valid (no stall, no
//   backpressure: callers budget with credits). out_valid/out_block/out_tag
//   appear exactly LATENCY = 14 cycles later (28 with SBOX_RAM), for both
//   key sizes; blocks leave in the order they entered.
// - Folded (STAGES < 14, a board configuration): STAGES round units in a
//   ring; a block enters at unit 0, goes round the ring PASSES =
//   ceil(14 / STAGES) times (one round per unit and clock) and leaves
//   after LATENCY = PASSES * STAGES clocks (twice that with SBOX_RAM), in
//   order, for both key sizes.
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
// S-boxes in block RAM (SBOX_RAM = 1, the FPGA board configuration)
// - Every S-box (16 per lane and 4 for the key step, per unit) is a ROM
//   with a synchronous read and a register after it (`aes_sbox_ram`), so
//   a round unit takes two clocks: its registers are the RAM's read
//   register and the register after it, for the S-box outputs, and two
//   levels of flops for what the rest of the round needs (the key window
//   {prev2, prev} in `window_reg[2s]`, `[2s+1]`; the round's state for a
//   bypassed slot; constants, tag, valid). The rest of the round
//   (ShiftRows, MixColumns, the key step's XOR chain, AddRoundKey) is
//   logic after those registers, feeding the next unit's RAM addresses.
// - LATENCY = 2 * PASSES * STAGES. A unit holds two blocks (one per
//   register level), so a ring of STAGES units still takes a new block
//   every PASSES clocks: the same rate and S-box count as SBOX_RAM = 0,
//   with the S-boxes in RAM instead of logic.
//
// Measured (Verilator 5.006, C++ -O1; Yosys 0.70 generic `synth`):
// 0.8-1.3 M cycles/s with a new random key every cycle; 5 245 data flops
// + 14 valid flops; 199 k generic cells (hierarchical synth, 2.5 s).
`default_nettype none

module aes_enc_pipe #(
    parameter int TAG_W  = 8,               // opaque sideband carried alongside each block
    parameter int LANES  = 1,               // blocks per clock sharing one key (one key schedule)
    parameter int STAGES = 14,              // round units: 14 = one per round; fewer = a ring (folded)
    parameter int SBOX_RAM = 0              // S-boxes in block RAM: a round unit takes two clocks
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
    // window registers: after each unit (logic S-boxes), or two levels
    // inside each unit (S-boxes in RAM)
    localparam int NWREG   = SBOX_RAM != 0 ? 2 * STAGES : NWIN;

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

    // What unit s hands on after its round (state, key window {rk[r-1],
    // rk[r]}, key size, pass, tag, valid): its output registers with logic
    // S-boxes, the logic after its registers with S-boxes in RAM.
    // Unfolded, the key window is not needed after the last stage, the key
    // size not after the last but one; folded, both go round again.
    // Unpacked arrays: as packed 2-D vectors, Verilator builds multi-kbit
    // temporaries on every access and simulates 2.4x slower. (* mem2reg *)
    // tells Yosys they are plain registers/wires, not RAMs (no warning).
    logic [STAGES-1:0]               valid_o;
    logic [STAGES-1:0][TAG_W-1:0]    tag_o;
    logic [NWIN-1:0]                 key256_o;
    logic [PW-1:0]                   pass_o      [STAGES];
    (* mem2reg *) logic [127:0]      state_o     [LANES][STAGES];
    (* mem2reg *) logic [255:0]      window_o    [NWIN];
    // The round-key windows held in registers (the key material of the
    // pipe; the simulation's back door reads them by this name).
    (* mem2reg *) logic [255:0]      window_reg  [NWREG] /*verilator public_flat_rd*/;

    // Folded: the block back at unit 0 has rounds left, so unit 0 takes it
    // instead of a new one.
    logic recirc;
    if (RING) begin : g_recirc
        assign recirc = valid_o[STAGES-1] && pass_o[STAGES-1] != PW'(PASSES - 1);
    end else begin : g_no_recirc
        assign recirc = 1'b0;
    end
    assign in_ready = !recirc;

    for (genvar s = 0; s < STAGES; s++) begin : g_stage
        // The unit's inputs
        logic         first;                // round 1 of a new block (unit 0 only)
        logic         key256;
        logic [PW-1:0] pass;
        logic [255:0] window_in;
        logic [TAG_W-1:0] tag_in;
        logic         valid_in;
        logic [127:0] state_in [LANES];
        // The round's constants and the key step's inputs
        logic         last;                 // final round (no MixColumns)
        logic         bypass;               // a round slot after the block's last round
        logic         ks_key256, ks_rot;
        logic [7:0]   ks_rcon;
        logic [127:0] ks_prev2, ks_prev;
        logic         ovr;                  // round 1 of AES-256: rk[1] = key[127:0], in ks_prev2
        // The same, as the S-box outputs see them (two clocks later with
        // S-boxes in RAM, the same signals otherwise)
        logic         al_last, al_bypass, al_ks_key256, al_ks_rot, al_ovr, al_valid;
        /* verilator lint_off UNUSEDSIGNAL */ // not handed on by the last stage unfolded
        logic         al_key256;
        /* verilator lint_on UNUSEDSIGNAL */
        logic [7:0]   al_ks_rcon;
        logic [127:0] al_prev2, al_prev;
        logic [PW-1:0] al_pass;
        logic [TAG_W-1:0] al_tag;
        logic [127:0] al_state [LANES];
        // The round's results
        logic [127:0] step_key, round_key;
        logic [127:0] state_next [LANES];

        if (s == 0) begin : g_first
            assign first = !recirc;
            if (RING) begin : g_ring
                assign key256    = first ? in_key256 : key256_o[STAGES-1];
                assign pass      = first ? PW'(0) : pass_o[STAGES-1] + PW'(1);
                assign window_in = window_o[STAGES-1];
                assign tag_in    = first ? in_tag : tag_o[STAGES-1];
            end else begin : g_line
                assign key256    = in_key256;
                assign pass      = PW'(0);
                assign window_in = 256'd0;
                assign tag_in    = in_tag;
            end
            assign valid_in = first ? in_valid : 1'b1;
        end else begin : g_next
            assign first     = 1'b0;
            assign key256    = key256_o[s-1];
            assign pass      = pass_o[s-1];
            assign window_in = window_o[s-1];
            assign tag_in    = tag_o[s-1];
            assign valid_in  = valid_o[s-1];
        end

        for (genvar j = 0; j < LANES; j++) begin : g_state_in
            if (s == 0 && RING) begin : g_in_ring
                assign state_in[j] = first ? in_block[128*j +: 128] ^ in_key[255:128] : state_o[j][STAGES-1];
            end else if (s == 0) begin : g_in
                assign state_in[j] = in_block[128*j +: 128] ^ in_key[255:128];
            end else begin : g_prev
                assign state_in[j] = state_o[j][s-1];
            end
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

        // Round 1 of a new block steps from rk[0] as AES-128 does; AES-256
        // then takes key[127:0] instead (carried in ks_prev2, which an
        // AES-128 step does not read).
        assign ovr       = first && key256;
        assign ks_key256 = first ? 1'b0 : key256;
        assign ks_prev2  = ovr ? in_key[127:0] : (first ? in_key[255:128] : window_in[255:128]);
        assign ks_prev   = first ? in_key[255:128] : window_in[127:0];

        if (SBOX_RAM != 0) begin : g_delay
            // Two levels of flops beside the S-box RAM and its register.
            logic [1:0]       last_d, bypass_d, ks_key256_d, ks_rot_d, ovr_d, key256_d, valid_d;
            logic [7:0]       ks_rcon_d [2];
            logic [PW-1:0]    pass_d    [2];
            logic [TAG_W-1:0] tag_d     [2];
            logic [127:0]     state_d   [LANES][2];
            always_ff @(posedge clk) begin
                window_reg[2*s]     <= {ks_prev2, ks_prev};
                window_reg[2*s + 1] <= window_reg[2*s];
                last_d      <= {last_d[0], last};
                bypass_d    <= {bypass_d[0], bypass};
                ks_key256_d <= {ks_key256_d[0], ks_key256};
                ks_rot_d    <= {ks_rot_d[0], ks_rot};
                ovr_d       <= {ovr_d[0], ovr};
                key256_d    <= {key256_d[0], key256};
                valid_d     <= {valid_d[0], valid_in};
                ks_rcon_d   <= '{ks_rcon, ks_rcon_d[0]};
                pass_d      <= '{pass, pass_d[0]};
                tag_d       <= '{tag_in, tag_d[0]};
                for (int j = 0; j < LANES; j++) begin
                    state_d[j][0] <= state_in[j];
                    state_d[j][1] <= state_d[j][0];
                end
                if (rst) begin
                    valid_d <= 2'b00;
                end
            end
            assign al_last      = last_d[1];
            assign al_bypass    = bypass_d[1];
            assign al_ks_key256 = ks_key256_d[1];
            assign al_ks_rot    = ks_rot_d[1];
            assign al_ovr       = ovr_d[1];
            assign al_key256    = key256_d[1];
            assign al_valid     = valid_d[1];
            assign al_ks_rcon   = ks_rcon_d[1];
            assign al_pass      = pass_d[1];
            assign al_tag       = tag_d[1];
            assign {al_prev2, al_prev} = window_reg[2*s + 1];
            for (genvar j = 0; j < LANES; j++) begin : g_al_state
                assign al_state[j] = state_d[j][1];
            end
        end else begin : g_now
            assign al_last      = last;
            assign al_bypass    = bypass;
            assign al_ks_key256 = ks_key256;
            assign al_ks_rot    = ks_rot;
            assign al_ks_rcon   = ks_rcon;
            assign al_ovr       = ovr;
            assign al_key256    = key256;
            assign al_valid     = valid_in;
            assign al_pass      = pass;
            assign al_tag       = tag_in;
            assign al_prev2     = ks_prev2;
            assign al_prev      = ks_prev;
            for (genvar j = 0; j < LANES; j++) begin : g_al_state
                assign al_state[j] = state_in[j];
            end
        end

        aes_key_step #(.SBOX_RAM(SBOX_RAM)) u_key_step (
            .clk       (clk),
            .sub_rot   (ks_rot),
            .sub_prev  (ks_prev[31:0]),
            .key256    (al_ks_key256),
            .rot_rcon  (al_ks_rot),
            .rcon      (al_ks_rcon),
            .prev2     (al_prev2),
            .prev      (al_prev),
            .round_key (step_key)
        );

        assign round_key = al_ovr ? al_prev2 : step_key;

        for (genvar j = 0; j < LANES; j++) begin : g_lane
            logic [127:0] round_out;

            aes_round #(.SBOX_RAM(SBOX_RAM)) u_round (
                .clk       (clk),
                .last      (al_last),
                .state_in  (state_in[j]),
                .round_key (round_key),
                .state_out (round_out)
            );

            assign state_next[j] = al_bypass ? al_state[j] : round_out;
        end

        if (SBOX_RAM != 0) begin : g_out_now
            // the unit's registers are inside it: it hands on its logic
            assign valid_o[s] = al_valid;
            assign tag_o[s]   = al_tag;
            assign pass_o[s]  = al_pass;
            for (genvar j = 0; j < LANES; j++) begin : g_st
                assign state_o[j][s] = state_next[j];
            end
            if (s < NWIN) begin : g_window
                assign window_o[s] = {al_prev, round_key};
                assign key256_o[s] = al_key256;
            end
        end else begin : g_out_reg
            // the unit's output registers (only the valid flop is reset)
            logic [PW-1:0] pass_reg;
            logic [TAG_W-1:0] tag_reg;
            logic          valid_reg;
            logic [127:0]  state_reg [LANES];
            always_ff @(posedge clk) begin
                valid_reg <= al_valid;
                tag_reg   <= al_tag;
                pass_reg  <= al_pass;
                for (int j = 0; j < LANES; j++) begin
                    state_reg[j] <= state_next[j];
                end
                if (rst) begin
                    valid_reg <= 1'b0;
                end
            end
            assign valid_o[s] = valid_reg;
            assign tag_o[s]   = tag_reg;
            assign pass_o[s]  = pass_reg;
            for (genvar j = 0; j < LANES; j++) begin : g_st
                assign state_o[j][s] = state_reg[j];
            end
            if (s < NWIN) begin : g_window
                logic key256_reg;
                always_ff @(posedge clk) begin
                    window_reg[s] <= {al_prev, round_key};
                    key256_reg    <= al_key256;
                end
                assign window_o[s] = window_reg[s];
                assign key256_o[s] = key256_reg;
            end
        end
    end

    if (RING) begin : g_out_ring
        assign out_valid = valid_o[STAGES-1] && pass_o[STAGES-1] == PW'(PASSES - 1);
    end else begin : g_out_line
        assign out_valid = valid_o[STAGES-1];
    end
    for (genvar j = 0; j < LANES; j++) begin : g_out
        assign out_block[128*j +: 128] = state_o[j][STAGES-1];
    end
    assign out_tag = tag_o[STAGES-1];

    // Assertions
    `TLSNIC_ASSERT_IMP(AesInWhenReady, in_valid, in_ready, clk, rst)

endmodule

`default_nettype wire
