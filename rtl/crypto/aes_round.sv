// One AES encryption round, combinational: SubBytes, ShiftRows, MixColumns (skipped in the final round), AddRoundKey.
//
// With SBOX_RAM = 1 the S-boxes are block-RAM ROMs (`aes_sub_bytes`) and
// SubBytes takes two clocks: `last` and `round_key` are then those of the
// block whose `state_in` was given two clocks earlier, and `state_out` is
// its round (the caller delays them; the rest of the round stays
// combinational after the RAM's register).
//
// State byte n (FIPS-197 input byte n, row n%4, column n/4) is in bits
// [127-8n -: 8], i.e. byte 0 in [127:120], the same order as the block.
`default_nettype none

module aes_round #(
    parameter int SBOX_RAM = 0        // S-boxes in block RAM: SubBytes takes two clocks
) (
    input  logic         clk,         // the S-box RAMs' (SBOX_RAM only)
    input  logic         last,        // final round: no MixColumns
    input  logic [127:0] state_in,
    input  logic [127:0] round_key,
    output logic [127:0] state_out
);

    // Multiplication by x in GF(2^8) mod x^8 + x^4 + x^3 + x + 1.
    function automatic logic [7:0] xtime(input logic [7:0] b);
        xtime = {b[6:0], 1'b0} ^ (b[7] ? 8'h1b : 8'h00);
    endfunction

    // MixColumns of one column {a0, a1, a2, a3} (a0 = row 0 in [31:24]).
    function automatic logic [31:0] mix_column(input logic [31:0] col);
        logic [7:0] a0, a1, a2, a3;
        a0 = col[31:24];
        a1 = col[23:16];
        a2 = col[15:8];
        a3 = col[7:0];
        mix_column = {xtime(a0 ^ a1) ^ a1 ^ a2 ^ a3,    // 2a0 ^ 3a1 ^  a2 ^  a3
                      xtime(a1 ^ a2) ^ a2 ^ a3 ^ a0,    //  a0 ^ 2a1 ^ 3a2 ^  a3
                      xtime(a2 ^ a3) ^ a3 ^ a0 ^ a1,    //  a0 ^  a1 ^ 2a2 ^ 3a3
                      xtime(a3 ^ a0) ^ a0 ^ a1 ^ a2};   // 3a0 ^  a1 ^  a2 ^ 2a3
    endfunction

    logic [127:0] sub_bytes;
    logic [127:0] shift_rows;
    logic [127:0] mix_columns;

    aes_sub_bytes #(.N(16), .SBOX_RAM(SBOX_RAM)) u_sub (.clk(clk), .in(state_in), .out(sub_bytes));

    // ShiftRows: row r rotates left by r columns, so the byte at (r, c)
    // comes from (r, (c + r) mod 4).
    for (genvar c = 0; c < 4; c++) begin : g_col
        for (genvar r = 0; r < 4; r++) begin : g_row
            assign shift_rows[127-8*(4*c+r) -: 8] = sub_bytes[127-8*(4*((c+r)%4)+r) -: 8];
        end
        assign mix_columns[127-32*c -: 32] = mix_column(shift_rows[127-32*c -: 32]);
    end

    assign state_out = (last ? shift_rows : mix_columns) ^ round_key;

endmodule

`default_nettype wire
