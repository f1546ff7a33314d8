// Board self-test core: the device, its install sequencer, a frame
// generator on the host TX stream, the wire side (m_tx) looped back into the
// wire RX input (s_rx) through a register slice, and a checker on the host
// RX stream. Everything of the ECPIX-5 top except the PLL and the pins; the
// simulation test (board_sim_top, Verilated) and the gate-level simulation
// run this same module.
//
// After reset: board_seq installs TX and RX contexts for N_CONN connections
// (TLS 1.2/1.3 x AES-128/256, board_conn_cfg); then board_frame_gen sends
// N_REC records per connection, one per TCP/IPv4 frame, marked for offload;
// the device encrypts them (TX), receives them back (RX), authenticates and
// decrypts them in place; board_checker compares every frame with the
// regenerated plaintext. `pass` or `fail` latches at the end; `fail_code`:
//   0x1S install error (S: board_seq stage, `seq_code` holds the device's
//        error code), 0x02 record not decrypted (e.g. authentication
//        failed), 0x03 data, 0x04 framing, 0x05 RX ctx_id, 0x06 extra frame,
//        0x07 no progress for 2^WDOG_W cycles.
// `corrupt_key` (sampled during the install) flips one bit of connection
// 0's RX key: the self-test must then FAIL.
//
// STUB = 1 puts tls_offload_stub (no cryptography, FPGA flow bring-up only)
// in the device's place. DEV_N_CTX is the device's contexts per direction;
// DEV_AES_STAGES, DEV_GHASH_DIGIT, DEV_KS_DEPTH and DEV_LEAN its crypto
// configuration (tls_offload_top's AES_STAGES, GHASH_DIGIT, KS_DEPTH, LEAN),
// by default the ECPIX-5 board configuration (docs/synthesis.md): the
// simulation tops run the engine the bitstream has.
`default_nettype none

module board_selftest #(
    parameter int          N_CONN    = 4,
    parameter int          N_REC     = 8,
    parameter int          LEN_W     = 10,
    parameter logic [31:0] SEED      = 32'h1234_5678,
    parameter int          DEV_N_CTX = 4,
    parameter int          DEV_AES_STAGES  = 2,
    parameter int          DEV_GHASH_DIGIT = 32,
    parameter int          DEV_KS_DEPTH    = 8,
    parameter int          DEV_LEAN        = 1,
    parameter int          STUB      = 0,
    parameter int          WDOG_W    = 24,
    parameter int          HB_W      = 26,
    parameter int          ACT_W     = 22
) (
    input  logic        clk,
    input  logic        rst,
    input  logic        corrupt_key,

    output logic        pass,
    output logic        fail,
    output logic        running,
    output logic        heartbeat,      // toggles every 2^(HB_W-1) cycles
    output logic        activity,       // on for 2^ACT_W cycles after each checked frame
    output logic [7:0]  fail_code,
    output logic [7:0]  seq_code,
    output logic [31:0] frames_ok,
    output logic [31:0] fail_frame,
    output logic [7:0]  fail_beat,
    output logic [15:0] cmds_done
);

    localparam int CONN_W = N_CONN > 1 ? $clog2(N_CONN) : 1;

    // ---- CSR port
    logic [15:0] axil_awaddr, axil_araddr;
    logic        axil_awvalid, axil_awready, axil_wvalid, axil_wready, axil_bvalid, axil_bready;
    logic        axil_arvalid, axil_arready, axil_rvalid, axil_rready;
    logic [31:0] axil_wdata, axil_rdata;
    logic [3:0]  axil_wstrb;
    logic [1:0]  axil_bresp, axil_rresp;

    // ---- streams
    logic [127:0] htx_data, wtx_data, wrx_data, hrx_data;
    logic [15:0]  htx_keep, wtx_keep, wrx_keep, hrx_keep;
    logic         htx_valid, htx_ready, htx_last, wtx_valid, wtx_ready, wtx_last;
    logic         wrx_valid, wrx_ready, wrx_last, hrx_valid, hrx_ready, hrx_last;
    logic [63:0]  htx_user, hrx_user;
    /* verilator lint_off UNUSEDSIGNAL */ // the wire carries no sideband; no events are generated
    logic [63:0]  wtx_user;
    logic [127:0] evt_data;
    logic [15:0]  evt_keep;
    logic         evt_valid, evt_last;
    logic [63:0]  evt_user;
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- sequencer
    logic                 seq_done, seq_err;
    logic [16*N_CONN-1:0] rx_ctx;

    board_seq #(.N_CONN(N_CONN), .CONN_W(CONN_W)) u_seq (
        .clk(clk), .rst(rst), .corrupt_key(corrupt_key),
        .done(seq_done), .err(seq_err), .err_code(seq_code), .rx_ctx(rx_ctx), .cmds_done(cmds_done),
        .m_axil_awaddr(axil_awaddr), .m_axil_awvalid(axil_awvalid), .m_axil_awready(axil_awready),
        .m_axil_wdata(axil_wdata), .m_axil_wstrb(axil_wstrb), .m_axil_wvalid(axil_wvalid),
        .m_axil_wready(axil_wready), .m_axil_bresp(axil_bresp), .m_axil_bvalid(axil_bvalid),
        .m_axil_bready(axil_bready), .m_axil_araddr(axil_araddr), .m_axil_arvalid(axil_arvalid),
        .m_axil_arready(axil_arready), .m_axil_rdata(axil_rdata), .m_axil_rresp(axil_rresp),
        .m_axil_rvalid(axil_rvalid), .m_axil_rready(axil_rready)
    );

    // ---- sender
    /* verilator lint_off UNUSEDSIGNAL */ // sideband for the checker's copy only
    logic [15:0]       gen_cmp;
    logic [CONN_W-1:0] gen_conn;
    logic [31:0]       gen_frame;
    logic              gen_done;
    /* verilator lint_on UNUSEDSIGNAL */

    board_frame_gen #(.N_CONN(N_CONN), .CONN_W(CONN_W), .N_REC(N_REC), .LEN_W(LEN_W), .SEED(SEED)) u_gen (
        .clk(clk), .rst(rst), .start(seq_done),
        .m_tdata(htx_data), .m_tkeep(htx_keep), .m_tvalid(htx_valid), .m_tready(htx_ready),
        .m_tlast(htx_last), .m_tuser(htx_user), .m_cmp(gen_cmp), .m_conn(gen_conn), .m_frame(gen_frame),
        .done(gen_done)
    );

    // ---- device
    if (STUB != 0) begin : g_stub
        tls_offload_stub #(.N_CTX(DEV_N_CTX)) u_dev (
            .clk(clk), .rst(rst),
            .s_tx_axis_tdata(htx_data), .s_tx_axis_tkeep(htx_keep), .s_tx_axis_tvalid(htx_valid),
            .s_tx_axis_tready(htx_ready), .s_tx_axis_tlast(htx_last), .s_tx_axis_tuser(htx_user),
            .m_tx_axis_tdata(wtx_data), .m_tx_axis_tkeep(wtx_keep), .m_tx_axis_tvalid(wtx_valid),
            .m_tx_axis_tready(wtx_ready), .m_tx_axis_tlast(wtx_last), .m_tx_axis_tuser(wtx_user),
            .s_rx_axis_tdata(wrx_data), .s_rx_axis_tkeep(wrx_keep), .s_rx_axis_tvalid(wrx_valid),
            .s_rx_axis_tready(wrx_ready), .s_rx_axis_tlast(wrx_last), .s_rx_axis_tuser(64'd0),
            .m_rx_axis_tdata(hrx_data), .m_rx_axis_tkeep(hrx_keep), .m_rx_axis_tvalid(hrx_valid),
            .m_rx_axis_tready(hrx_ready), .m_rx_axis_tlast(hrx_last), .m_rx_axis_tuser(hrx_user),
            .m_evt_axis_tdata(evt_data), .m_evt_axis_tkeep(evt_keep), .m_evt_axis_tvalid(evt_valid),
            .m_evt_axis_tready(1'b1), .m_evt_axis_tlast(evt_last), .m_evt_axis_tuser(evt_user),
            .s_axil_awaddr(axil_awaddr), .s_axil_awvalid(axil_awvalid), .s_axil_awready(axil_awready),
            .s_axil_wdata(axil_wdata), .s_axil_wstrb(axil_wstrb), .s_axil_wvalid(axil_wvalid),
            .s_axil_wready(axil_wready), .s_axil_bresp(axil_bresp), .s_axil_bvalid(axil_bvalid),
            .s_axil_bready(axil_bready), .s_axil_araddr(axil_araddr), .s_axil_arvalid(axil_arvalid),
            .s_axil_arready(axil_arready), .s_axil_rdata(axil_rdata), .s_axil_rresp(axil_rresp),
            .s_axil_rvalid(axil_rvalid), .s_axil_rready(axil_rready)
        );
    end else begin : g_dev
        tls_offload_top #(.N_CTX(DEV_N_CTX), .DATA_W(128), .AES_STAGES(DEV_AES_STAGES),
                          .GHASH_DIGIT(DEV_GHASH_DIGIT), .KS_DEPTH(DEV_KS_DEPTH), .LEAN(DEV_LEAN)) u_dev (
            .clk(clk), .rst(rst),
            .s_tx_axis_tdata(htx_data), .s_tx_axis_tkeep(htx_keep), .s_tx_axis_tvalid(htx_valid),
            .s_tx_axis_tready(htx_ready), .s_tx_axis_tlast(htx_last), .s_tx_axis_tuser(htx_user),
            .m_tx_axis_tdata(wtx_data), .m_tx_axis_tkeep(wtx_keep), .m_tx_axis_tvalid(wtx_valid),
            .m_tx_axis_tready(wtx_ready), .m_tx_axis_tlast(wtx_last), .m_tx_axis_tuser(wtx_user),
            .s_rx_axis_tdata(wrx_data), .s_rx_axis_tkeep(wrx_keep), .s_rx_axis_tvalid(wrx_valid),
            .s_rx_axis_tready(wrx_ready), .s_rx_axis_tlast(wrx_last), .s_rx_axis_tuser(64'd0),
            .m_rx_axis_tdata(hrx_data), .m_rx_axis_tkeep(hrx_keep), .m_rx_axis_tvalid(hrx_valid),
            .m_rx_axis_tready(hrx_ready), .m_rx_axis_tlast(hrx_last), .m_rx_axis_tuser(hrx_user),
            .m_evt_axis_tdata(evt_data), .m_evt_axis_tkeep(evt_keep), .m_evt_axis_tvalid(evt_valid),
            .m_evt_axis_tready(1'b1), .m_evt_axis_tlast(evt_last), .m_evt_axis_tuser(evt_user),
            .s_axil_awaddr(axil_awaddr), .s_axil_awvalid(axil_awvalid), .s_axil_awready(axil_awready),
            .s_axil_wdata(axil_wdata), .s_axil_wstrb(axil_wstrb), .s_axil_wvalid(axil_wvalid),
            .s_axil_wready(axil_wready), .s_axil_bresp(axil_bresp), .s_axil_bvalid(axil_bvalid),
            .s_axil_bready(axil_bready), .s_axil_araddr(axil_araddr), .s_axil_arvalid(axil_arvalid),
            .s_axil_arready(axil_arready), .s_axil_rdata(axil_rdata), .s_axil_rresp(axil_rresp),
            .s_axil_rvalid(axil_rvalid), .s_axil_rready(axil_rready)
        );
    end

    // ---- wire loopback: m_tx -> s_rx
    board_axis_slice #(.W(128 + 16 + 1)) u_wire (
        .clk(clk), .rst(rst),
        .s_data({wtx_data, wtx_keep, wtx_last}), .s_valid(wtx_valid), .s_ready(wtx_ready),
        .m_data({wrx_data, wrx_keep, wrx_last}), .m_valid(wrx_valid), .m_ready(wrx_ready)
    );

    // ---- checker
    logic       chk_pass, chk_fail, frame_pulse;
    logic [3:0] chk_code;

    board_checker #(.N_CONN(N_CONN), .CONN_W(CONN_W), .N_REC(N_REC), .LEN_W(LEN_W), .SEED(SEED),
                    .WDOG_W(WDOG_W)) u_chk (
        .clk(clk), .rst(rst), .start(seq_done), .rx_ctx(rx_ctx),
        .s_tdata(hrx_data), .s_tkeep(hrx_keep), .s_tvalid(hrx_valid), .s_tready(hrx_ready),
        .s_tlast(hrx_last), .s_tuser(hrx_user),
        .pass(chk_pass), .fail(chk_fail), .fail_code(chk_code), .fail_frame(fail_frame),
        .fail_beat(fail_beat), .frames_ok(frames_ok), .frame_pulse(frame_pulse)
    );

    assign fail      = seq_err || chk_fail;
    assign pass      = chk_pass && !fail;
    assign running   = !pass && !fail;
    assign fail_code = seq_err ? {4'h1, seq_code[7:4]} : {4'h0, chk_code};

    // ---- LED timing
    logic [HB_W-1:0]  hb_cnt;
    logic [ACT_W-1:0] act_cnt;
    assign heartbeat = hb_cnt[HB_W-1];
    assign activity  = act_cnt != '0;
    always_ff @(posedge clk) begin
        hb_cnt <= hb_cnt + 1'b1;
        if (frame_pulse) act_cnt <= '1;
        else if (act_cnt != '0) act_cnt <= act_cnt - 1'b1;
        if (rst) begin
            hb_cnt  <= '0;
            act_cnt <= '0;
        end
    end

endmodule

`default_nettype wire
