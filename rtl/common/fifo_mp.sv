// Small FIFO that takes up to NIN entries and offers its NOUT oldest ones
// per clock (for short queues between pipeline stages).
//
// Writes: `in_en[i]` entries, in index order (gaps are skipped), all or
// none: the writer checks `in_room` (room for NIN) first. Reads: `win`
// holds the NOUT oldest entries (entry 0 oldest), `count` how many are
// held; `pop` drops that many (at most count, at most NOUT).
//
// Storage: entry e lives in bank e mod NB (NB: NIN and NOUT rounded up to a
// power of two), so the entries written in one clock, and those read, are
// in different banks: each bank has one write and one read port, a LUT RAM
// with an asynchronous read (distributed RAM on an FPGA). Where a bank
// would hold a single entry (DEPTH = NB) the queue is flip-flops, each
// entry with a write mux over the inputs: the banks would save nothing
// there. Measured with Yosys synth_ecp5, 128-bit entries, 8 deep, NIN =
// NOUT = 2: 551 LUT4 and 64 TRELLIS_DPR16X4 as banks, 2,801 LUT4 and
// 1,034 flip-flops as flip-flops.
`default_nettype none

module fifo_mp #(
    parameter int WIDTH = 32,
    parameter int DEPTH = 8,                // power of two >= NIN, NOUT
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
    localparam int NMAX  = (NIN > NOUT) ? NIN : NOUT;
    localparam int B_W   = (NMAX > 1) ? $clog2(NMAX) : 1;  // bank number bits
    localparam int NB    = 1 << B_W;                        // banks
    localparam int BD    = DEPTH / NB;                      // entries per bank
    localparam int A_W   = (BD > 1) ? $clog2(BD) : 1;

    if ((1 << PTR_W) != DEPTH || DEPTH < NIN || DEPTH < NOUT) begin : g_bad
        $error("fifo_mp: DEPTH must be a power of two >= NIN, NOUT");
    end

    logic [PTR_W-1:0] wr_reg, rd_reg;
    logic [CNT_W-1:0] cnt_reg;
    logic [CNT_W-1:0] n_in;
    logic [PTR_W-1:0] pos [NIN];        // the entry input i goes to (when enabled)

    assign in_room = 32'(cnt_reg) + NIN <= DEPTH;
    assign count   = cnt_reg;

    always_comb begin : positions
        n_in = '0;
        for (int i = 0; i < NIN; i++) begin
            pos[i] = wr_reg + PTR_W'(n_in);
            n_in   = n_in + CNT_W'(in_en[i]);
        end
    end

    if (BD > 1) begin : g_banks
        logic [WIDTH-1:0] rdat [NB];
        for (genvar b = 0; b < NB; b++) begin : g_bank
            logic [WIDTH-1:0] mem [BD];
            logic             we;
            logic [A_W-1:0]   wa, ra;
            logic [WIDTH-1:0] wd;
            logic [B_W-1:0]   ro;           // this bank's entry among the NB from rd_reg
            always_comb begin : ports
                we = 1'b0;
                wa = '0;
                wd = '0;
                for (int i = 0; i < NIN; i++) begin
                    if (in_en[i] && pos[i][B_W-1:0] == B_W'(b)) begin
                        we = 1'b1;
                        wa = pos[i][PTR_W-1:B_W];
                        wd = in_data[WIDTH*i +: WIDTH];
                    end
                end
                ro = B_W'(b) - rd_reg[B_W-1:0];
                ra = A_W'((rd_reg + PTR_W'(ro)) >> B_W);
            end
            always_ff @(posedge clk) begin : write
                if (we) begin
                    mem[wa] <= wd;
                end
            end
            assign rdat[b] = mem[ra];
        end
        always_comb begin : window
            for (int o = 0; o < NOUT; o++) begin
                win[WIDTH*o +: WIDTH] = rdat[rd_reg[B_W-1:0] + B_W'(o)];
            end
        end
    end else begin : g_regs
        logic [WIDTH-1:0] mem [DEPTH];
        always_comb begin : window
            for (int o = 0; o < NOUT; o++) begin
                win[WIDTH*o +: WIDTH] = mem[rd_reg + PTR_W'(o)];
            end
        end
        always_ff @(posedge clk) begin : write
            for (int i = 0; i < NIN; i++) begin
                if (in_en[i]) begin
                    mem[pos[i]] <= in_data[WIDTH*i +: WIDTH];
                end
            end
        end
    end

    always_ff @(posedge clk) begin : pointers
        wr_reg  <= wr_reg + PTR_W'(n_in);
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
