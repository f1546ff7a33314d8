// Synchronous FIFO, one write and one read per clock, first-word fall-through.
`default_nettype none

module sync_fifo #(
    parameter int WIDTH = 8,
    parameter int DEPTH = 16
) (
    input  logic             clk,
    input  logic             rst,

    input  logic             in_valid,
    output logic             in_ready,
    input  logic [WIDTH-1:0] in_data,

    output logic             out_valid,
    input  logic             out_ready,
    output logic [WIDTH-1:0] out_data,

    output logic [$clog2(DEPTH):0] count
);

    localparam int PTR_W = $clog2(DEPTH);

    if (DEPTH < 2 || (1 << PTR_W) != DEPTH) begin : g_bad_depth
        $error("sync_fifo: DEPTH must be a power of two >= 2");
    end

    logic [WIDTH-1:0] mem [DEPTH];
    logic [PTR_W-1:0] wr_ptr_reg, rd_ptr_reg;
    logic [PTR_W:0]   count_reg;
    logic             wr, rd;

    assign in_ready  = (count_reg != (PTR_W+1)'(DEPTH));
    assign out_valid = (count_reg != '0);
    assign out_data  = mem[rd_ptr_reg];
    assign count     = count_reg;
    assign wr        = in_valid && in_ready;
    assign rd        = out_valid && out_ready;

    always_ff @(posedge clk) begin
        if (wr) begin
            mem[wr_ptr_reg] <= in_data;
            wr_ptr_reg      <= wr_ptr_reg + PTR_W'(1);
        end
        if (rd) begin
            rd_ptr_reg <= rd_ptr_reg + PTR_W'(1);
        end
        count_reg <= count_reg + (PTR_W+1)'(wr) - (PTR_W+1)'(rd);
        if (rst) begin
            wr_ptr_reg <= '0;
            rd_ptr_reg <= '0;
            count_reg  <= '0;
        end
    end

    // The count is the distance between the pointers (DEPTH when they meet
    // full), never above DEPTH.
    `TLSNIC_ASSERT(SyncFifoCount,
                   count_reg <= (PTR_W+1)'(DEPTH) && PTR_W'(count_reg) == PTR_W'(wr_ptr_reg - rd_ptr_reg),
                   clk, rst)

endmodule

`default_nettype wire
