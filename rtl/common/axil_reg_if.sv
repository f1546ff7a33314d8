// AXI4-Lite slave to a simple register bus: one write and one read at a time.
//
// A write is accepted when AW and W are both valid (and no B response is
// pending); it shows as a one-cycle `reg_wr_en` pulse. A read is accepted when
// AR is valid and no R response is pending; `reg_rd_en` pulses for one cycle
// and the parent's combinational `reg_rd_data` (a function of `reg_rd_addr`)
// is captured into the R channel in that same cycle. Responses are OKAY.
`default_nettype none

module axil_reg_if #(
    parameter int ADDR_W = 16
) (
    input  logic              clk,
    input  logic              rst,

    // AXI4-Lite slave
    input  logic [ADDR_W-1:0] s_axil_awaddr,
    input  logic              s_axil_awvalid,
    output logic              s_axil_awready,
    input  logic [31:0]       s_axil_wdata,
    input  logic [3:0]        s_axil_wstrb,
    input  logic              s_axil_wvalid,
    output logic              s_axil_wready,
    output logic [1:0]        s_axil_bresp,
    output logic              s_axil_bvalid,
    input  logic              s_axil_bready,
    input  logic [ADDR_W-1:0] s_axil_araddr,
    input  logic              s_axil_arvalid,
    output logic              s_axil_arready,
    output logic [31:0]       s_axil_rdata,
    output logic [1:0]        s_axil_rresp,
    output logic              s_axil_rvalid,
    input  logic              s_axil_rready,

    // Register bus
    output logic              reg_wr_en,
    output logic [ADDR_W-1:0] reg_wr_addr,
    output logic [31:0]       reg_wr_data,
    output logic [3:0]        reg_wr_strb,
    output logic              reg_rd_en,
    output logic [ADDR_W-1:0] reg_rd_addr,
    input  logic [31:0]       reg_rd_data
);

    logic        bvalid_reg;
    logic        rvalid_reg;
    logic [31:0] rdata_reg;

    assign s_axil_awready = s_axil_awvalid && s_axil_wvalid && !bvalid_reg;
    assign s_axil_wready  = s_axil_awready;
    assign s_axil_bresp   = 2'b00;
    assign s_axil_bvalid  = bvalid_reg;
    assign s_axil_arready = !rvalid_reg;
    assign s_axil_rdata   = rdata_reg;
    assign s_axil_rresp   = 2'b00;
    assign s_axil_rvalid  = rvalid_reg;

    assign reg_wr_en   = s_axil_awready;
    assign reg_wr_addr = s_axil_awaddr;
    assign reg_wr_data = s_axil_wdata;
    assign reg_wr_strb = s_axil_wstrb;
    assign reg_rd_en   = s_axil_arvalid && s_axil_arready;
    assign reg_rd_addr = s_axil_araddr;

    always_ff @(posedge clk) begin
        if (reg_wr_en) begin
            bvalid_reg <= 1'b1;
        end else if (s_axil_bready) begin
            bvalid_reg <= 1'b0;
        end
        if (reg_rd_en) begin
            rvalid_reg <= 1'b1;
            rdata_reg  <= reg_rd_data;
        end else if (s_axil_rready) begin
            rvalid_reg <= 1'b0;
        end
        if (rst) begin
            bvalid_reg <= 1'b0;
            rvalid_reg <= 1'b0;
            rdata_reg  <= 32'd0;
        end
    end

endmodule

`default_nettype wire
