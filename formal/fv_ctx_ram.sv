// Formal harness: ctx_ram (WIDTH 8, DEPTH 4) under any sequence of writes,
// prefetches and drops. Proven (make formal): its own assertions, and that
// the prefetch register is never stale: whenever it holds a word of a
// context (pf_valid), that word is the last one written to the context
// (for a context written since reset; the RAM holds no reset value).
`default_nettype none

module fv_ctx_ram (
    input  logic       clk,
    input  logic       rst,
    input  logic       wr_en,
    input  logic [1:0] wr_addr,
    input  logic [7:0] wr_data,
    input  logic       pf_req,
    input  logic [1:0] pf_addr,
    input  logic       pf_drop
);
    logic       pf_valid;
    logic [1:0] pf_addr_q;
    logic [7:0] pf_data;

    ctx_ram #(.WIDTH(8), .DEPTH(4)) dut (
        .clk(clk), .rst(rst), .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data),
        .pf_req(pf_req), .pf_addr(pf_addr), .pf_drop(pf_drop),
        .pf_valid(pf_valid), .pf_addr_q(pf_addr_q), .pf_data(pf_data)
    );

    initial assume (rst);

    // The last word written to the tracked context (the RAM keeps its words
    // through reset).
    (* anyconst *) logic [1:0] track;
    logic [7:0] shadow;
    logic       written;
    initial written = 1'b0;
    always @(posedge clk) begin
        if (wr_en && wr_addr == track) begin
            shadow  <= wr_data;
            written <= 1'b1;
        end
    end

    always @(posedge clk) begin
        if (!rst && pf_valid && pf_addr_q == track && written) begin
            PrefetchNeverStale: assert (pf_data == shadow);
        end
    end
endmodule

`default_nettype wire
