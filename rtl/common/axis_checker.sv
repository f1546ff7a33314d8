// AXI4-Stream protocol checker for one port (simulation only): instantiate it
// next to the port, every signal an input. Assertions (`TLSNIC_ASSERT,
// rtl/common/tlsnic_assert.sv):
//   ValidHeld_A      a beat offered and not taken (tvalid && !tready) is
//                    still offered in the next cycle;
//   PayloadStable_A  ... with the same tdata, tkeep, tlast and tuser;
// and when PACKED is set (this project's frames: bytes contiguous from lane
// 0, every beat full but the last):
//   KeepNonzero_A    a valid beat keeps at least one lane;
//   KeepFull_A       a valid beat without tlast keeps every lane;
//   KeepContig_A     a valid beat with tlast keeps lanes 0..n-1 only.
// Under SYNTHESIS the module is empty.
`default_nettype none

module axis_checker #(
    parameter int DATA_W = 128,
    parameter int KEEP_W = DATA_W / 8,
    parameter int USER_W = 64,
    // Check the packed frame format (tkeep rules) besides the handshake.
    /* verilator lint_off UNUSEDPARAM */ // read by assertions only, which SYNTHESIS removes
    parameter bit PACKED = 1'b1
    /* verilator lint_on UNUSEDPARAM */
) (
    /* verilator lint_off UNUSEDSIGNAL */ // read by assertions only, which SYNTHESIS removes
    input  logic              clk,
    input  logic              rst,
    input  logic [DATA_W-1:0] tdata,
    input  logic [KEEP_W-1:0] tkeep,
    input  logic              tvalid,
    input  logic              tready,
    input  logic              tlast,
    input  logic [USER_W-1:0] tuser
    /* verilator lint_on UNUSEDSIGNAL */
);

`ifndef SYNTHESIS
    logic stall;
    assign stall = tvalid && !tready;

    `TLSNIC_ASSERT_NEXT(ValidHeld_A, stall, tvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(PayloadStable_A,
                        stall,
                        $stable(tdata) && $stable(tkeep) && $stable(tlast) && $stable(tuser),
                        clk, rst)

    if (PACKED) begin : g_packed
        // tkeep = 2^n - 1: lanes 0..n-1 (all of them when n = KEEP_W)
        logic [KEEP_W-1:0] keep_inc;
        logic              keep_contig;
        assign keep_inc    = tkeep + KEEP_W'(1);
        assign keep_contig = (keep_inc & tkeep) == '0;

        `TLSNIC_ASSERT_IMP(KeepNonzero_A, tvalid, tkeep != '0, clk, rst)
        `TLSNIC_ASSERT_IMP(KeepFull_A, tvalid && !tlast, &tkeep, clk, rst)
        `TLSNIC_ASSERT_IMP(KeepContig_A, tvalid && tlast, keep_contig, clk, rst)
    end
`endif

endmodule

`default_nettype wire
