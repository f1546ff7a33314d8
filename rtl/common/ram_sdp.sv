// Simple dual-port RAM: one write port, one synchronous read port.
//
// Read data appear in `rd_data` the cycle after `rd_en` (registered, as
// block RAM: ECP5 DP16KD, Xilinx RAMB18/36; Yosys infers them from this
// code). A read of the address written in the same cycle returns the old
// contents: callers that need the new value forward it themselves. No
// reset: contents start undefined, as in block RAM; users keep valid bits
// where it matters.
`default_nettype none

module ram_sdp #(
    parameter int WIDTH = 32,               // bits per word
    parameter int DEPTH = 64,               // words (any value >= 2)
    parameter int ADDR_W = $clog2(DEPTH)
) (
    input  logic              clk,

    input  logic              wr_en,
    input  logic [ADDR_W-1:0] wr_addr,
    input  logic [WIDTH-1:0]  wr_data,

    input  logic              rd_en,
    input  logic [ADDR_W-1:0] rd_addr,
    output logic [WIDTH-1:0]  rd_data /*verilator public_flat_rd*/
);

    if (DEPTH < 2 || (1 << ADDR_W) < DEPTH) begin : g_bad_depth
        $error("ram_sdp: DEPTH must be >= 2 and fit ADDR_W");
    end

    // public for the simulator's back door (which checks where key material
    // is left; docs/sim.md)
    logic [WIDTH-1:0] mem [DEPTH] /*verilator public_flat_rd*/;

    always_ff @(posedge clk) begin : ram_port
        if (wr_en) begin
            mem[wr_addr] <= wr_data;
        end
        if (rd_en) begin
            rd_data <= mem[rd_addr];
        end
    end

endmodule

`default_nettype wire
