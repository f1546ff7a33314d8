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
//
// Digit-serial (DIGIT < 128, a board configuration): the operands are
// registered, then DIGIT coefficients of b are consumed per clock, highest
// degrees first (Horner: z = z * x^DIGIT + a * digit, one fold by x^128 =
// 1 + x + x^2 + x^7 per clock), so N = 128 / DIGIT clocks per product. The
// product is registered: LATENCY = N + 1 cycles from the input to out_valid
// (the 2 above is the N = 1 case), and a new product is accepted every N
// clocks: `in_ready` is low while the unit is busy (in_valid only with
// in_ready, asserted). b is shifted out as it is consumed: no operand
// register keeps b (a power of H) after its product.
`default_nettype none

module gf128_mul #(
    parameter int TAG_W = 1,
    parameter int DIGIT = 128       // coefficients of b per clock: 128 = the two-stage pipeline
) (
    input  logic             clk,
    input  logic             rst,

    input  logic             in_valid,
    output logic             in_ready,      // always 1 with DIGIT = 128
    input  logic [127:0]     in_a,
    input  logic [127:0]     in_b,
    input  logic [TAG_W-1:0] in_tag,

    output logic             out_valid,
    output logic [127:0]     out_p,
    output logic [TAG_W-1:0] out_tag
);

    if (DIGIT < 1 || DIGIT > 128 || 128 % DIGIT != 0 || (DIGIT < 128 && DIGIT > 120)) begin : g_bad
        $error("gf128_mul: DIGIT must divide 128 (and be at most 64 unless 128)");
    end

    if (DIGIT == 128) begin : g_par
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

        assign in_ready = 1'b1;
    end else begin : g_ser
        // Internally in the plain order (coefficient of x^m in bit m): the
        // GCM order reversed, which is wiring only.
        localparam int N  = 128 / DIGIT;
        localparam int CW = $clog2(N + 1);

        function automatic logic [127:0] rev(input logic [127:0] v);
            for (int i = 0; i < 128; i++) begin
                rev[i] = v[127 - i];
            end
        endfunction

        logic [127:0]     a_reg, b_reg, z_reg, p_reg;
        logic [CW-1:0]    cnt_reg;          // clocks of the product in progress left
        logic [TAG_W-1:0] tag_reg, p_tag_reg;
        logic             p_valid_reg;
        logic [127:0]     z_next;

        // z * x^DIGIT + a * (the top DIGIT coefficients of b), folded once
        always_comb begin : step
            logic [127+DIGIT:0] w;
            logic [DIGIT-1:0]   hi;
            w = {z_reg, {DIGIT{1'b0}}};
            for (int t = 0; t < DIGIT; t++) begin
                if (b_reg[128 - DIGIT + t]) begin
                    w = w ^ ((128+DIGIT)'(a_reg) << t);
                end
            end
            hi     = w[127+DIGIT:128];
            z_next = w[127:0] ^ 128'(hi) ^ (128'(hi) << 1) ^ (128'(hi) << 2) ^ (128'(hi) << 7);
        end

        // accepted while idle or in the product's last clock (p_reg is apart)
        assign in_ready = cnt_reg <= CW'(1);

        always_ff @(posedge clk) begin : regs
            p_valid_reg <= 1'b0;
            if (cnt_reg != '0) begin
                z_reg   <= z_next;
                b_reg   <= b_reg << DIGIT;
                cnt_reg <= cnt_reg - CW'(1);
                if (cnt_reg == CW'(1)) begin
                    p_reg       <= z_next;
                    p_tag_reg   <= tag_reg;
                    p_valid_reg <= 1'b1;
                end
            end
            if (in_valid && in_ready) begin
                a_reg   <= rev(in_a);
                b_reg   <= rev(in_b);
                z_reg   <= 128'd0;
                tag_reg <= in_tag;
                cnt_reg <= CW'(N);
            end
            if (rst) begin
                cnt_reg     <= '0;
                p_valid_reg <= 1'b0;
                b_reg       <= 128'd0;
            end
        end

        assign out_valid = p_valid_reg;
        assign out_p     = rev(p_reg);
        assign out_tag   = p_tag_reg;
    end

    `TLSNIC_ASSERT_IMP(GfInWhenReady, in_valid, in_ready, clk, rst)

endmodule

`default_nettype wire
