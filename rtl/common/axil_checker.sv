// AXI4-Lite protocol checker for one slave port (simulation only):
// instantiate it next to the port, every signal an input. For each channel
// X of aw, w, b, ar, r (`TLSNIC_ASSERT, rtl/common/tlsnic_assert.sv):
//   <X>ValidHeld_A   X valid and not ready: still valid in the next cycle;
//   <X>Stable_A      ... with the same payload (address, data and strobes,
//                    response);
// and
//   BAfterWrite_A    bvalid only while a write (both its AW and its W
//                    handshake, in earlier cycles) has no response yet;
//   RAfterRead_A     rvalid only while a read (its AR handshake, in an
//                    earlier cycle) has no response yet.
// Under SYNTHESIS the module is empty.
`default_nettype none

module axil_checker #(
    parameter int ADDR_W = 16,
    parameter int DATA_W = 32
) (
    /* verilator lint_off UNUSEDSIGNAL */ // read by assertions only, which SYNTHESIS removes
    input  logic                clk,
    input  logic                rst,
    input  logic [ADDR_W-1:0]   awaddr,
    input  logic                awvalid,
    input  logic                awready,
    input  logic [DATA_W-1:0]   wdata,
    input  logic [DATA_W/8-1:0] wstrb,
    input  logic                wvalid,
    input  logic                wready,
    input  logic [1:0]          bresp,
    input  logic                bvalid,
    input  logic                bready,
    input  logic [ADDR_W-1:0]   araddr,
    input  logic                arvalid,
    input  logic                arready,
    input  logic [DATA_W-1:0]   rdata,
    input  logic [1:0]          rresp,
    input  logic                rvalid,
    input  logic                rready
    /* verilator lint_on UNUSEDSIGNAL */
);

`ifndef SYNTHESIS
    `TLSNIC_ASSERT_NEXT(AwValidHeld_A, awvalid && !awready, awvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(AwStable_A, awvalid && !awready, $stable(awaddr), clk, rst)
    `TLSNIC_ASSERT_NEXT(WValidHeld_A, wvalid && !wready, wvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(WStable_A, wvalid && !wready, $stable(wdata) && $stable(wstrb), clk, rst)
    `TLSNIC_ASSERT_NEXT(BValidHeld_A, bvalid && !bready, bvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(BStable_A, bvalid && !bready, $stable(bresp), clk, rst)
    `TLSNIC_ASSERT_NEXT(ArValidHeld_A, arvalid && !arready, arvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(ArStable_A, arvalid && !arready, $stable(araddr), clk, rst)
    `TLSNIC_ASSERT_NEXT(RValidHeld_A, rvalid && !rready, rvalid, clk, rst)
    `TLSNIC_ASSERT_NEXT(RStable_A, rvalid && !rready, $stable(rdata) && $stable(rresp), clk, rst)

    // Requests accepted in earlier cycles and not answered yet.
    logic [7:0] aw_open, w_open, ar_open;
    logic       aw_fire, w_fire, b_fire, ar_fire, r_fire;
    assign aw_fire = awvalid && awready;
    assign w_fire  = wvalid && wready;
    assign b_fire  = bvalid && bready;
    assign ar_fire = arvalid && arready;
    assign r_fire  = rvalid && rready;

    always_ff @(posedge clk) begin
        aw_open <= aw_open + 8'(aw_fire) - 8'(b_fire);
        w_open  <= w_open + 8'(w_fire) - 8'(b_fire);
        ar_open <= ar_open + 8'(ar_fire) - 8'(r_fire);
        if (rst) begin
            aw_open <= 8'd0;
            w_open  <= 8'd0;
            ar_open <= 8'd0;
        end
    end

    `TLSNIC_ASSERT_IMP(BAfterWrite_A, bvalid, aw_open != 8'd0 && w_open != 8'd0, clk, rst)
    `TLSNIC_ASSERT_IMP(RAfterRead_A, rvalid, ar_open != 8'd0, clk, rst)
`endif

endmodule

`default_nettype wire
