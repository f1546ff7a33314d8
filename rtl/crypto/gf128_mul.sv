// GF(2^128) multiplier in the GCM bit order, pipelined in two stages.
//
// Operands and product are 128-bit blocks as GCM writes them: block byte 0 in
// bits [127:120], and bit 127 (the most significant bit of byte 0) is the
// coefficient of x^0. Field polynomial x^128 + x^7 + x^2 + x + 1.
//
// Stage 1: four partial carry-less products a * b[32c +: 32] (each a 32-input
//          XOR tree per output bit), registered (4 x 159 bits).
// Stage 2: XOR of the shifted partials (255-bit product) and closed-form
//          reduction (two folds by x^7 + x^2 + x + 1), registered.
// LATENCY = 2 cycles, one multiplication accepted every clock, no stall.
`default_nettype none

module gf128_mul #(
    parameter int TAG_W = 1
) (
    input  logic             clk,
    input  logic             rst,

    input  logic             in_valid,
    input  logic [127:0]     in_a,
    input  logic [127:0]     in_b,
    input  logic [TAG_W-1:0] in_tag,

    output logic             out_valid,
    output logic [127:0]     out_p,
    output logic [TAG_W-1:0] out_tag
);

    // Everything stays in the reflected (GCM) order: a vector R of width W
    // holds the coefficient of x^m in bit W-1-m, so multiplying by x^t is a
    // right shift by t and no bit reversal is ever built.

    // Stage 1: partial products of A with 32 bits of B each, as 159-bit
    // reflected vectors (coefficients 0..158).
    (* mem2reg *) logic [158:0] pp_next [4];

    always_comb begin
        for (int c = 0; c < 4; c++) begin
            pp_next[c] = '0;
            for (int t = 0; t < 32; t++) begin
                if (in_b[127 - 32*c - t]) begin
                    pp_next[c] = pp_next[c] ^ ({in_a, 31'd0} >> t);
                end
            end
        end
    end

    logic             s1_valid_reg;
    (* mem2reg *) logic [158:0] s1_pp_reg [4];
    logic [TAG_W-1:0] s1_tag_reg;

    // Stage 2: 255-bit reflected product, then two folds of the coefficients
    // >= 128 by x^128 = 1 + x + x^2 + x^7.
    logic [254:0] prod;
    logic [126:0] hi;       // coefficients 128..254
    logic [133:0] fold1;    // hi * (1 + x + x^2 + x^7), coefficients 0..133
    logic [5:0]   hi2;      // fold1 coefficients 128..133
    logic [12:0]  fold2;    // hi2 * (1 + x + x^2 + x^7), coefficients 0..12
    logic [127:0] red;

    always_comb begin
        prod = {s1_pp_reg[0], 96'd0}
             ^ {32'd0, s1_pp_reg[1], 64'd0}
             ^ {64'd0, s1_pp_reg[2], 32'd0}
             ^ {96'd0, s1_pp_reg[3]};
        hi    = prod[126:0];
        fold1 = {hi, 7'd0} ^ {1'b0, hi, 6'd0} ^ {2'b0, hi, 5'd0} ^ {7'd0, hi};
        hi2   = fold1[5:0];
        fold2 = {hi2, 7'd0} ^ {1'b0, hi2, 6'd0} ^ {2'b0, hi2, 5'd0} ^ {7'd0, hi2};
        red   = prod[254:127] ^ fold1[133:6] ^ {fold2, 115'd0};
    end

    logic             s2_valid_reg;
    logic [127:0]     s2_p_reg;
    logic [TAG_W-1:0] s2_tag_reg;

    always_ff @(posedge clk) begin
        s1_valid_reg <= in_valid;
        s1_tag_reg   <= in_tag;
        for (int c = 0; c < 4; c++) begin
            s1_pp_reg[c] <= pp_next[c];
        end
        s2_valid_reg <= s1_valid_reg;
        s2_tag_reg   <= s1_tag_reg;
        s2_p_reg     <= red;
        if (rst) begin
            s1_valid_reg <= 1'b0;
            s2_valid_reg <= 1'b0;
        end
    end

    assign out_valid = s2_valid_reg;
    assign out_p     = s2_p_reg;
    assign out_tag   = s2_tag_reg;

endmodule

`default_nettype wire
