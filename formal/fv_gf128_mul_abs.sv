// Formal model of gf128_mul (same name, parameters and ports), read by the
// datapath job in place of the real multiplier. It keeps the multiplier's
// timing exactly, which ghash_core relies on:
//   - DIGIT = 128: a product every clock, out_valid two clocks after its
//     in_valid, with its tag; in_ready always high;
//   - DIGIT < 128 (N = 128 / DIGIT): accepted while idle or in the
//     product's last clock, out_valid N + 1 clocks after in_valid.
// The product's value is free (any value, each clock): no property of the
// datapath job reads a GHASH value, and a free value lets the solver skip
// the XOR array. A property that holds with this model holds with the
// real multiplier, whose products are among the model's.
`default_nettype none

module gf128_mul #(
    parameter int TAG_W = 1,
    parameter int DIGIT = 128
) (
    input  logic             clk,
    input  logic             rst,

    input  logic             in_valid,
    output logic             in_ready,
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [127:0]     in_a,
    input  logic [127:0]     in_b,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [TAG_W-1:0] in_tag,

    output logic             out_valid,
    output logic [127:0]     out_p,
    output logic [TAG_W-1:0] out_tag
);
    (* anyseq *) logic [127:0] p_free;
    assign out_p = p_free;

    if (DIGIT == 128) begin : g_par
        logic             s1_valid_reg, s2_valid_reg;
        logic [TAG_W-1:0] s1_tag_reg, s2_tag_reg;
        always_ff @(posedge clk) begin
            s1_valid_reg <= in_valid;
            s1_tag_reg   <= in_tag;
            s2_valid_reg <= s1_valid_reg;
            s2_tag_reg   <= s1_tag_reg;
            if (rst) begin
                s1_valid_reg <= 1'b0;
                s2_valid_reg <= 1'b0;
            end
        end
        assign in_ready  = 1'b1;
        assign out_valid = s2_valid_reg;
        assign out_tag   = s2_tag_reg;
    end else begin : g_ser
        localparam int N  = 128 / DIGIT;
        localparam int CW = $clog2(N + 1);
        logic [CW-1:0]    cnt_reg;
        logic [TAG_W-1:0] tag_reg, p_tag_reg;
        logic             p_valid_reg;
        assign in_ready = cnt_reg <= CW'(1);
        always_ff @(posedge clk) begin
            p_valid_reg <= 1'b0;
            if (cnt_reg != '0) begin
                cnt_reg <= cnt_reg - CW'(1);
                if (cnt_reg == CW'(1)) begin
                    p_tag_reg   <= tag_reg;
                    p_valid_reg <= 1'b1;
                end
            end
            if (in_valid && in_ready) begin
                tag_reg <= in_tag;
                cnt_reg <= CW'(N);
            end
            if (rst) begin
                cnt_reg     <= '0;
                p_valid_reg <= 1'b0;
            end
        end
        assign out_valid = p_valid_reg;
        assign out_tag   = p_tag_reg;
    end

    always_comb begin
        if (!rst) begin
            GfInWhenReady: assert (!in_valid || in_ready);
        end
    end
endmodule

`default_nettype wire
