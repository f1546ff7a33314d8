// One step of the AES-128/AES-256 key expansion, combinational: round key rk[r] from rk[r-1] (and rk[r-2] for AES-256).
//
// Round keys are 128-bit, byte 0 in [127:120]; word j of a round key (FIPS-197
// w[4r+j]) is in [127-32j -: 32]. With Nk = 4 or 8, the four new words are
//   w[i] = w[i-Nk] ^ T,  w[i+1] = w[i+1-Nk] ^ w[i], ...
// where T = SubWord(RotWord(w[i-1])) ^ Rcon when i % Nk == 0 (every AES-128
// step, even r for AES-256) and T = SubWord(w[i-1]) otherwise (odd r for
// AES-256). w[i-1] is always the last word of rk[r-1]; w[i-Nk..] is rk[r-1]
// for AES-128 and rk[r-2] for AES-256. Four S-boxes per step.
//
// SubWord's input is given apart (`sub_rot`, `sub_prev`: rot_rcon and
// prev of the step) from the inputs used after it. Combinational
// (SBOX_RAM = 0), the caller gives the same values to both. With SBOX_RAM
// = 1 the S-boxes are block-RAM ROMs (`aes_sub_bytes`) and SubWord takes two
// clocks: key256, rot_rcon, rcon, prev2 and prev are then those of the step
// whose sub_rot/sub_prev were given two clocks earlier (the caller delays
// them), and round_key is that step's.
`default_nettype none

module aes_key_step #(
    parameter int SBOX_RAM = 0        // S-boxes in block RAM: SubWord takes two clocks
) (
    input  logic         clk,         // the S-box RAMs' (SBOX_RAM only)
    input  logic         sub_rot,     // SubWord's input: rot_rcon of the step ...
    input  logic [31:0]  sub_prev,    // ... and the last word of its rk[r-1]
    input  logic         key256,      // 1: AES-256 (Nk = 8), 0: AES-128 (Nk = 4)
    input  logic         rot_rcon,    // i % Nk == 0: apply RotWord and Rcon
    input  logic [7:0]   rcon,        // Rcon[i/Nk] (used when rot_rcon)
    input  logic [127:0] prev2,       // rk[r-2] (AES-256 only)
    input  logic [127:0] prev,        // rk[r-1]
    output logic [127:0] round_key    // rk[r]
);

    logic [31:0]  last_word;
    logic [31:0]  sub_in;
    logic [31:0]  sub_out;
    logic [31:0]  temp;
    logic [127:0] base;

    assign last_word = sub_prev;
    assign sub_in    = sub_rot ? {last_word[23:0], last_word[31:24]} : last_word;

    aes_sub_bytes #(.N(4), .SBOX_RAM(SBOX_RAM)) u_sub (.clk(clk), .in(sub_in), .out(sub_out));

    assign temp = sub_out ^ {(rot_rcon ? rcon : 8'h00), 24'h000000};
    assign base = key256 ? prev2 : prev;

    always_comb begin
        round_key[127:96] = base[127:96] ^ temp;
        round_key[95:64]  = base[95:64]  ^ round_key[127:96];
        round_key[63:32]  = base[63:32]  ^ round_key[95:64];
        round_key[31:0]   = base[31:0]   ^ round_key[63:32];
    end

endmodule

`default_nettype wire
