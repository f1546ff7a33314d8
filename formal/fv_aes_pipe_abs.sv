// Formal model of aes_enc_pipe (same name, parameters and ports), read by
// the ks_gen job in place of the real pipe. It keeps only what ks_gen may
// rely on by the pipe's contract:
//   - blocks leave in the order they entered, each entry once, with the
//     tag it entered with, and never on the clock it entered;
//   - `in_ready` may be low on any clock (the folded pipe's ring slot).
// Everything else is free: how many clocks a block stays (any latency,
// not only 14 or 28) and whether `in_ready` is high. The cipher is the
// identity (`out_block` is the block that entered): the caller never looks
// at a block's value, so a harness can follow each block to where it lands.
// A property about order, counts and tags that holds with this model holds
// with the real pipe at every latency and fold, whose behaviours are among
// the model's. The model holds up to DEPTH entries; `AbsNoOverflow` checks the
// caller never has more in flight (ks_gen's credits keep it at KS_DEPTH).
`default_nettype none

module aes_enc_pipe #(
    parameter int TAG_W  = 8,
    parameter int LANES  = 1,
    parameter int STAGES = 14,
    parameter int SBOX_RAM = 0,
    parameter int DEPTH  = 4                 // entries the model holds
) (
    input  logic              clk,
    input  logic              rst,
    input  logic              in_valid,
    output logic              in_ready,
    input  logic [255:0]      in_key,
    input  logic              in_key256,
    input  logic [LANES*128-1:0] in_block,
    input  logic [TAG_W-1:0]  in_tag,
    output logic              out_valid,
    output logic [LANES*128-1:0] out_block,
    output logic [TAG_W-1:0]  out_tag
);
    localparam int PW = $clog2(DEPTH);

    (* anyseq *) logic ready_free, leave_free;

    logic [TAG_W-1:0] tag_mem [DEPTH];
    logic [LANES*128-1:0] blk_mem [DEPTH];
    logic [PW-1:0]    wr_reg, rd_reg;
    logic [PW:0]      n_reg;

    assign in_ready  = ready_free;
    assign out_valid = n_reg != '0 && leave_free;
    assign out_tag   = tag_mem[rd_reg];
    assign out_block = blk_mem[rd_reg];

    always_ff @(posedge clk) begin
        if (in_valid) begin
            tag_mem[wr_reg] <= in_tag;
            blk_mem[wr_reg] <= in_block;
        end
        wr_reg <= wr_reg + PW'(in_valid);
        rd_reg <= rd_reg + PW'(out_valid);
        n_reg  <= n_reg + (PW+1)'(in_valid) - (PW+1)'(out_valid);
        if (rst) begin
            wr_reg <= '0;
            rd_reg <= '0;
            n_reg  <= '0;
        end
    end

    always_comb begin
        if (!rst) begin
            AbsInWhenReady: assert (!in_valid || in_ready);
            AbsNoOverflow:  assert (!in_valid || n_reg != (PW+1)'(DEPTH) || out_valid);
        end
    end

    logic unused;
    assign unused = ^{in_key, in_key256, STAGES[0], SBOX_RAM[0]};
endmodule

`default_nettype wire
