// First-word fall-through FIFO on a synchronous-read RAM (block RAM).
//
// Entries are written into `ram_sdp` and read back one cycle ahead into a
// two-entry output buffer, so the head is always in flip-flops (`out_data`
// is a register output) and one entry per clock flows in and out.
//
// Handshakes: `in_valid && in_ready` writes, `out_valid && out_ready`
// reads. Latency: an entry written into an empty FIFO is at the output 3
// cycles later. `count` is every entry held (RAM, read in flight, output
// buffer); `in_ready` is `count < DEPTH`.
`default_nettype none

module fifo_ram #(
    parameter int WIDTH = 32,
    parameter int DEPTH = 64                // power of two >= 4
) (
    input  logic                   clk,
    input  logic                   rst,

    input  logic                   in_valid,
    output logic                   in_ready,
    input  logic [WIDTH-1:0]       in_data,

    output logic                   out_valid,
    input  logic                   out_ready,
    output logic [WIDTH-1:0]       out_data,

    output logic [$clog2(DEPTH):0] count
);

    localparam int PTR_W = $clog2(DEPTH);

    if (DEPTH < 4 || (1 << PTR_W) != DEPTH) begin : g_bad_depth
        $error("fifo_ram: DEPTH must be a power of two >= 4");
    end

    logic [PTR_W-1:0] wr_ptr_reg, rd_ptr_reg;
    logic [PTR_W:0]   ram_cnt_reg;      // written, not yet read out of the RAM
    logic             inflight_reg;     // a RAM read lands in ram_q this cycle
    logic [WIDTH-1:0] ram_q;
    logic [WIDTH-1:0] buf_reg [2];      // output buffer, head in buf_reg[0]
    logic [1:0]       buf_cnt_reg;
    logic [PTR_W:0]   count_reg;

    logic push, pop, rd_issue;
    logic [1:0] buf_after_pop;

    assign in_ready  = count_reg != (PTR_W+1)'(DEPTH);
    assign push      = in_valid && in_ready;
    assign out_valid = buf_cnt_reg != 2'd0;
    assign out_data  = buf_reg[0];
    assign pop       = out_valid && out_ready;
    assign count     = count_reg;

    // Read one entry ahead when the output buffer has room for it once the
    // read lands (next cycle), counting a read already in flight.
    assign buf_after_pop = buf_cnt_reg - 2'(pop);
    assign rd_issue      = ram_cnt_reg != '0 && (buf_after_pop + 2'(inflight_reg)) < 2'd2;

    ram_sdp #(.WIDTH(WIDTH), .DEPTH(DEPTH)) u_ram (
        .clk     (clk),
        .wr_en   (push),
        .wr_addr (wr_ptr_reg),
        .wr_data (in_data),
        .rd_en   (rd_issue),
        .rd_addr (rd_ptr_reg),
        .rd_data (ram_q)
    );

    always_ff @(posedge clk) begin : ctrl
        logic [1:0] n;
        if (push) begin
            wr_ptr_reg <= wr_ptr_reg + PTR_W'(1);
        end
        if (rd_issue) begin
            rd_ptr_reg <= rd_ptr_reg + PTR_W'(1);
        end
        ram_cnt_reg  <= ram_cnt_reg + (PTR_W+1)'(push) - (PTR_W+1)'(rd_issue);
        inflight_reg <= rd_issue;
        count_reg    <= count_reg + (PTR_W+1)'(push) - (PTR_W+1)'(pop);
        // Output buffer: shift on pop, append the landing read.
        n = buf_after_pop;
        if (pop) begin
            buf_reg[0] <= buf_reg[1];
        end
        if (inflight_reg) begin
            buf_reg[n[0]] <= ram_q;
        end
        buf_cnt_reg <= n + 2'(inflight_reg);
        if (rst) begin
            wr_ptr_reg   <= '0;
            rd_ptr_reg   <= '0;
            ram_cnt_reg  <= '0;
            inflight_reg <= 1'b0;
            buf_cnt_reg  <= 2'd0;
            count_reg    <= '0;
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(FifoNoPushWhenFull, in_valid && count_reg == (PTR_W+1)'(DEPTH), !in_ready, clk, rst)
    `TLSNIC_ASSERT(FifoCountConsistent,
                   count_reg == ram_cnt_reg + (PTR_W+1)'(inflight_reg) + (PTR_W+1)'(buf_cnt_reg),
                   clk, rst)
    `TLSNIC_ASSERT(FifoBufBound, buf_cnt_reg <= 2'd2, clk, rst)
    // The count never exceeds DEPTH, the RAM's entries lie between the
    // pointers, and a landing read always finds room in the buffer.
    `TLSNIC_ASSERT(FifoRamPointers,
                   count_reg <= (PTR_W+1)'(DEPTH) && ram_cnt_reg <= count_reg
                   && PTR_W'(ram_cnt_reg) == PTR_W'(wr_ptr_reg - rd_ptr_reg)
                   && (!inflight_reg || buf_cnt_reg <= 2'd1),
                   clk, rst)

endmodule

`default_nettype wire
