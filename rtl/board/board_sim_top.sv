// Simulation top of the board self-test: board_selftest (the real device
// by default) behind a small AXI4-Lite status port, so that the simulator's
// existing CSR access is the test's only interface (it has no pin access).
// Not for the board: ecpix5_top drives the same core from pins.
//
// Registers (32-bit, read only unless noted):
//   0x00 ID         0x53454C46 ("SELF")
//   0x04 STATUS     [0] pass, [1] fail, [2] running, [3] heartbeat,
//                   [4] activity, [15:8] fail_code, [23:16] seq_code
//                   (board_selftest has the codes)
//   0x08 FRAMES_OK  frames checked intact
//   0x0C FAIL_FRAME frame index of the first failure
//   0x10 FAIL_BEAT  beat index (within that frame) of the first failure
//   0x14 CMDS       device commands completed by the sequencer
//   0x18 CONTROL    RW [0] corrupt_key (the core's pin); writing [1] = 1
//                   restarts the self-test (core reset for one cycle)
//   0x1C PARAMS     [7:0] N_CONN, [30:8] N_REC, [31] STUB (the stand-in
//                   device: a flipped key shows as data, code 3, since it
//                   authenticates nothing)
`default_nettype none

module board_sim_top #(
    parameter int          N_CONN    = 4,
    parameter int          N_REC     = 24,
    parameter int          LEN_W     = 10,
    parameter logic [31:0] SEED      = 32'h1234_5678,
    parameter int          DEV_N_CTX = 4,
    parameter int          DEV_AES_STAGES  = 2,     // the device's crypto configuration:
    parameter int          DEV_GHASH_DIGIT = 32,    // board_selftest (the ECPIX-5 one)
    parameter int          DEV_KS_DEPTH    = 8,
    parameter int          DEV_LEAN        = 1,
    parameter int          STUB      = 0
) (
    input  logic        clk,
    input  logic        rst,

    input  logic [15:0] s_axil_awaddr,
    input  logic        s_axil_awvalid,
    output logic        s_axil_awready,
    input  logic [31:0] s_axil_wdata,
    input  logic [3:0]  s_axil_wstrb,
    input  logic        s_axil_wvalid,
    output logic        s_axil_wready,
    output logic [1:0]  s_axil_bresp,
    output logic        s_axil_bvalid,
    input  logic        s_axil_bready,
    input  logic [15:0] s_axil_araddr,
    input  logic        s_axil_arvalid,
    output logic        s_axil_arready,
    output logic [31:0] s_axil_rdata,
    output logic [1:0]  s_axil_rresp,
    output logic        s_axil_rvalid,
    input  logic        s_axil_rready
);

    logic        reg_wr_en, reg_rd_en;
    logic [15:0] reg_wr_addr, reg_rd_addr;
    logic [31:0] reg_rd_data;
    /* verilator lint_off UNUSEDSIGNAL */ // CONTROL uses bits 1:0
    logic [31:0] reg_wr_data;
    logic [3:0]  reg_wr_strb;
    logic        unused_rd_en;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_rd_en = reg_rd_en;

    axil_reg_if #(.ADDR_W(16)) u_axil (
        .clk(clk), .rst(rst),
        .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
        .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
        .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp),
        .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
        .reg_wr_en(reg_wr_en), .reg_wr_addr(reg_wr_addr), .reg_wr_data(reg_wr_data),
        .reg_wr_strb(reg_wr_strb), .reg_rd_en(reg_rd_en), .reg_rd_addr(reg_rd_addr),
        .reg_rd_data(reg_rd_data)
    );

    logic corrupt_key, restart;
    always_ff @(posedge clk) begin
        restart <= 1'b0;
        if (reg_wr_en && reg_wr_addr == 16'h0018) begin
            corrupt_key <= reg_wr_data[0];
            restart     <= reg_wr_data[1];
        end
        if (rst) begin
            corrupt_key <= 1'b0;
            restart     <= 1'b0;
        end
    end

    logic        pass, fail, running, heartbeat, activity;
    logic [7:0]  fail_code, seq_code, fail_beat;
    logic [31:0] frames_ok, fail_frame;
    logic [15:0] cmds_done;

    board_selftest #(.N_CONN(N_CONN), .N_REC(N_REC), .LEN_W(LEN_W), .SEED(SEED), .DEV_N_CTX(DEV_N_CTX),
                     .DEV_AES_STAGES(DEV_AES_STAGES), .DEV_GHASH_DIGIT(DEV_GHASH_DIGIT),
                     .DEV_KS_DEPTH(DEV_KS_DEPTH), .DEV_LEAN(DEV_LEAN),
                     .STUB(STUB), .WDOG_W(16), .HB_W(8), .ACT_W(4)) u_core (
        .clk(clk), .rst(rst || restart), .corrupt_key(corrupt_key),
        .pass(pass), .fail(fail), .running(running), .heartbeat(heartbeat), .activity(activity),
        .fail_code(fail_code), .seq_code(seq_code), .frames_ok(frames_ok), .fail_frame(fail_frame),
        .fail_beat(fail_beat), .cmds_done(cmds_done)
    );

    always_comb begin
        case (reg_rd_addr)
            16'h0000: reg_rd_data = 32'h5345_4C46;
            16'h0004: reg_rd_data = {8'd0, seq_code, fail_code, 3'd0, activity, heartbeat, running, fail, pass};
            16'h0008: reg_rd_data = frames_ok;
            16'h000C: reg_rd_data = fail_frame;
            16'h0010: reg_rd_data = {24'd0, fail_beat};
            16'h0014: reg_rd_data = {16'd0, cmds_done};
            16'h0018: reg_rd_data = {31'd0, corrupt_key};
            16'h001C: reg_rd_data = {STUB != 0, 23'(N_REC), 8'(N_CONN)};
            default:  reg_rd_data = 32'hDEAD_BEEF;
        endcase
    end

endmodule

`default_nettype wire
