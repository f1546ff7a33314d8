// Small FIFO that takes up to NIN entries and offers its NOUT oldest ones
// per clock (flip-flops: for short queues between pipeline stages).
//
// Writes: `in_en[i]` entries, in index order (gaps are skipped), all or
// none: the writer checks `in_room` (room for NIN) first. Reads: `win`
// holds the NOUT oldest entries (entry 0 oldest), `count` how many are
// held; `pop` drops that many (at most count, at most NOUT).
`default_nettype none

module fifo_mp #(
    parameter int WIDTH = 32,
    parameter int DEPTH = 8,                // power of two >= NIN
    parameter int NIN   = 2,
    parameter int NOUT  = 1
) (
    input  logic                     clk,
    input  logic                     rst,

    input  logic [NIN-1:0]           in_en,
    input  logic [NIN*WIDTH-1:0]     in_data,   // entry i in [WIDTH*i +: WIDTH]
    output logic                     in_room,

    output logic [NOUT*WIDTH-1:0]    win,
    output logic [$clog2(DEPTH):0]   count,
    input  logic [$clog2(NOUT):0]    pop
);

    localparam int PTR_W = $clog2(DEPTH);
    localparam int CNT_W = PTR_W + 1;

    if ((1 << PTR_W) != DEPTH || DEPTH < NIN || DEPTH < NOUT) begin : g_bad
        $error("fifo_mp: DEPTH must be a power of two >= NIN, NOUT");
    end

    logic [WIDTH-1:0] mem [DEPTH];
    logic [PTR_W-1:0] wr_reg, rd_reg;
    logic [CNT_W-1:0] cnt_reg;
    logic [CNT_W-1:0] n_in;

    assign in_room = 32'(cnt_reg) + NIN <= DEPTH;
    assign count   = cnt_reg;

    always_comb begin : window
        n_in = '0;
        for (int i = 0; i < NIN; i++) begin
            n_in = n_in + CNT_W'(in_en[i]);
        end
        for (int o = 0; o < NOUT; o++) begin
            win[WIDTH*o +: WIDTH] = mem[rd_reg + PTR_W'(o)];
        end
    end

    always_ff @(posedge clk) begin : queue
        logic [PTR_W-1:0] w;
        w = wr_reg;
        for (int i = 0; i < NIN; i++) begin
            if (in_en[i]) begin
                mem[w] <= in_data[WIDTH*i +: WIDTH];
                w = w + PTR_W'(1);
            end
        end
        wr_reg  <= w;
        rd_reg  <= rd_reg + PTR_W'(pop);
        cnt_reg <= cnt_reg + n_in - CNT_W'(pop);
        if (rst) begin
            wr_reg  <= '0;
            rd_reg  <= '0;
            cnt_reg <= '0;
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(FifoMpNoOverflow, in_en != '0, in_room, clk, rst)
    `TLSNIC_ASSERT(FifoMpNoUnderflow, CNT_W'(pop) <= cnt_reg, clk, rst)

endmodule

`default_nettype wire
