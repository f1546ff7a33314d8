// tlsnic device top: the TX and RX record engines (`tx_engine`,
// `rx_engine`, docs/engine.md), CSRs and the context command port.
//
// Streams (AXI4-Stream of DATA_W bits, whole Ethernet frames without FCS):
//   s_tx_axis host -> engine (tuser: the TX descriptor, TXD_* in
//             tlsnic_regs_pkg, docs/registers.md)
//   m_tx_axis engine -> wire
//   s_rx_axis wire -> engine (tuser unused)
//   m_rx_axis engine -> host (tuser: the RX descriptor, RXD_*, docs/rx.md)
//   m_evt_axis engine -> host: events, one per frame (tuser: EVTD_*): TX
//             tag completions (EVT_* record); resync requests ride on the
//             RX descriptor, command completions on CMD_STATUS
//
// CSR map: rtl/regmap.rdl; the CSR block tlsnic_csr and the constants of
// tlsnic_regs_pkg are generated from it (docs/registers.md).
`default_nettype none

// Contexts per direction and stream width: 64 and 128 unless the build
// defines TLSNIC_N_CTX / TLSNIC_DATA_W (Yosys 0.70 cannot override the
// parameters of a SystemVerilog top: the synthesis scripts use the defines).
`ifndef TLSNIC_N_CTX
`define TLSNIC_N_CTX 64
`endif
`ifndef TLSNIC_DATA_W
`define TLSNIC_DATA_W 128
`endif

// Crypto configuration of both engines (defaults: the full-rate datapath,
// one AES block and one GHASH block per 16 bytes of beat per clock). The
// ECPIX-5 board configuration (docs/synthesis.md) folds the AES into a ring
// of AES_STAGES round units (a block every ceil(14 / AES_STAGES) clocks),
// multiplies GHASH digit-serially (128 / GHASH_DIGIT clocks per block),
// keeps a shorter keystream queue and, with LEAN, uses the GCM block logic
// written for 16-byte beats and puts the AES S-boxes in block RAM;
// functions, ports and CSRs are the same.
module tls_offload_top #(
    parameter int N_CTX  = `TLSNIC_N_CTX,     // contexts per direction (a power of two)
    parameter int DATA_W = `TLSNIC_DATA_W,    // stream width: 128, 256 or 512 bits
    parameter int AES_STAGES  = 14,           // AES round units per engine (14: one per round)
    parameter int GHASH_DIGIT = 128,          // GF(2^128) multiplier: 128 = pipelined, 64/32/16 = digit-serial
    parameter int KS_DEPTH    = 32 * (DATA_W / 128),  // keystream queue entries per engine
    parameter int LEAN        = 0             // DATA_W = 128 only: area-lean forms of the same functions (gcm_blocks16, S-boxes in block RAM)
) (
    input  logic         clk,
    input  logic         rst,

    input  logic [DATA_W-1:0] s_tx_axis_tdata,
    input  logic [DATA_W/8-1:0] s_tx_axis_tkeep,
    input  logic         s_tx_axis_tvalid,
    output logic         s_tx_axis_tready,
    input  logic         s_tx_axis_tlast,
    input  logic [63:0]  s_tx_axis_tuser,

    output logic [DATA_W-1:0] m_tx_axis_tdata,
    output logic [DATA_W/8-1:0] m_tx_axis_tkeep,
    output logic         m_tx_axis_tvalid,
    input  logic         m_tx_axis_tready,
    output logic         m_tx_axis_tlast,
    output logic [63:0]  m_tx_axis_tuser,

    input  logic [DATA_W-1:0] s_rx_axis_tdata,
    input  logic [DATA_W/8-1:0] s_rx_axis_tkeep,
    input  logic         s_rx_axis_tvalid,
    output logic         s_rx_axis_tready,
    input  logic         s_rx_axis_tlast,
    /* verilator lint_off UNUSEDSIGNAL */ // wire frames carry no sideband
    input  logic [63:0]  s_rx_axis_tuser,
    /* verilator lint_on UNUSEDSIGNAL */

    output logic [DATA_W-1:0] m_rx_axis_tdata,
    output logic [DATA_W/8-1:0] m_rx_axis_tkeep,
    output logic         m_rx_axis_tvalid,
    input  logic         m_rx_axis_tready,
    output logic         m_rx_axis_tlast,
    output logic [63:0]  m_rx_axis_tuser,

    output logic [DATA_W-1:0] m_evt_axis_tdata,
    output logic [DATA_W/8-1:0] m_evt_axis_tkeep,
    output logic         m_evt_axis_tvalid,
    input  logic         m_evt_axis_tready,
    output logic         m_evt_axis_tlast,
    output logic [63:0]  m_evt_axis_tuser,

    input  logic [15:0]  s_axil_awaddr,
    input  logic         s_axil_awvalid,
    output logic         s_axil_awready,
    input  logic [31:0]  s_axil_wdata,
    input  logic [3:0]   s_axil_wstrb,
    input  logic         s_axil_wvalid,
    output logic         s_axil_wready,
    output logic [1:0]   s_axil_bresp,
    output logic         s_axil_bvalid,
    input  logic         s_axil_bready,
    input  logic [15:0]  s_axil_araddr,
    input  logic         s_axil_arvalid,
    output logic         s_axil_arready,
    output logic [31:0]  s_axil_rdata,
    output logic [1:0]   s_axil_rresp,
    output logic         s_axil_rvalid,
    input  logic         s_axil_rready
);

    assign m_tx_axis_tuser   = 64'd0;

    // ---------------------------------------------------------------- CSRs
    // AXI4-Lite (axil_reg_if) and the CSR decode (rtl/top/tlsnic_csr.sv,
    // generated from rtl/regmap.rdl): a strobe per written register word,
    // the read mux. The command registers it strobes are below; the bus and
    // the read values after the engines.
    logic [31:0] wr_data;
    logic [7:0]  wr_cmd_key;
    logic [2:0]  wr_cmd_iv;
    logic [3:0]  wr_cmd_saddr, wr_cmd_daddr;
    logic        wr_cmd_seq, wr_cmd_rec_hi, wr_cmd_rec_lo, wr_cmd_ctrl, wr_cmd_doorbell, wr_cmd_ports;

    // CMD_CTRL keeps its fields up to the highest (RX_V6); the bits above
    // are not stored and read 0.
    // RX flow table ways per bucket (rx_flow; RX_FLOW_WAYS): 2 in the lean
    // form, half the bucket to read, compare and rewrite
    localparam int FLOW_WAYS = (LEAN != 0) ? 2 : 4;
    localparam int CTRL_W = tlsnic_regs_pkg::CTRL_RX_V6 + 1;
    localparam int CODE_W  = tlsnic_regs_pkg::STATUS_CODE_W;
    localparam int COUNT_W = tlsnic_regs_pkg::STATUS_COUNT_W;

    logic [255:0] cmd_key_reg /*verilator public_flat_rd*/;
    logic [95:0]  cmd_iv_reg /*verilator public_flat_rd*/;
    logic [31:0]  cmd_seq_reg;
    logic [63:0]  cmd_rec_reg;
    logic [CTRL_W-1:0] cmd_ctrl_reg;
    logic [127:0] cmd_sa_reg, cmd_da_reg;
    logic [31:0]  cmd_ports_reg;
    logic [2:0]   cmd_op_reg;
    logic         cmd_pending_reg, cmd_err_reg;
    logic [CODE_W-1:0]  cmd_code_reg;
    logic [COUNT_W-1:0] cmd_count_reg;
    logic [15:0]  cmd_result_reg;
    logic         cmd_done;
    logic         tx_cmd_done, tx_cmd_err, rx_cmd_done, rx_cmd_err;
    logic [3:0]   tx_cmd_code, rx_cmd_code;
    logic [15:0]  rx_cmd_result;
    logic         cmd_is_tx, cmd_is_rx, cmd_unknown;

    // Doorbell: TX add/delete/update go to the TX engine, RX add/delete/
    // resync to the RX engine; other values complete at once with
    // ERR_BAD_OP.
    assign cmd_is_tx   = cmd_op_reg == tlsnic_regs_pkg::OP_ADD_TX || cmd_op_reg == tlsnic_regs_pkg::OP_DEL_TX
                      || cmd_op_reg == tlsnic_regs_pkg::OP_UPDATE_TX;
    assign cmd_is_rx   = cmd_op_reg == tlsnic_regs_pkg::OP_ADD_RX || cmd_op_reg == tlsnic_regs_pkg::OP_DEL_RX
                      || cmd_op_reg == tlsnic_regs_pkg::OP_RESYNC_RX;
    assign cmd_unknown = cmd_pending_reg && !cmd_is_tx && !cmd_is_rx;
    assign cmd_done    = tx_cmd_done || rx_cmd_done || cmd_unknown;

    always_ff @(posedge clk) begin
        // The key and IV staging registers hold a secret only until the
        // command that uses it completes (a write in the same cycle, for
        // the next command, still lands: it comes after).
        if (cmd_done) begin
            cmd_key_reg <= 256'd0;
            cmd_iv_reg  <= 96'd0;
        end
        for (int w = 0; w < 8; w++) begin
            if (wr_cmd_key[w]) cmd_key_reg[255 - 32*w -: 32] <= wr_data;
        end
        for (int w = 0; w < 3; w++) begin
            if (wr_cmd_iv[w]) cmd_iv_reg[95 - 32*w -: 32] <= wr_data;
        end
        for (int w = 0; w < 4; w++) begin
            if (wr_cmd_saddr[w]) cmd_sa_reg[127 - 32*w -: 32] <= wr_data;
            if (wr_cmd_daddr[w]) cmd_da_reg[127 - 32*w -: 32] <= wr_data;
        end
        if (wr_cmd_seq)    cmd_seq_reg <= wr_data;
        if (wr_cmd_rec_hi) cmd_rec_reg[63:32] <= wr_data;
        if (wr_cmd_rec_lo) cmd_rec_reg[31:0] <= wr_data;
        if (wr_cmd_ctrl)   cmd_ctrl_reg <= wr_data[CTRL_W-1:0];
        if (wr_cmd_ports)  cmd_ports_reg <= wr_data;
        if (wr_cmd_doorbell && !cmd_pending_reg) begin
            // values above 7 are unknown opcodes too
            cmd_op_reg      <= (wr_data[31:3] != 29'd0) ? 3'd0 : wr_data[2:0];
            cmd_pending_reg <= 1'b1;
        end
        if (cmd_done) begin
            cmd_pending_reg <= 1'b0;
            cmd_count_reg   <= cmd_count_reg + COUNT_W'(1);
            if (cmd_unknown) begin
                cmd_err_reg  <= 1'b1;
                cmd_code_reg <= tlsnic_regs_pkg::ERR_BAD_OP;
            end else if (tx_cmd_done) begin
                cmd_err_reg  <= tx_cmd_err;
                cmd_code_reg <= tx_cmd_err ? tx_cmd_code : tlsnic_regs_pkg::ERR_OK;
            end else begin
                cmd_err_reg  <= rx_cmd_err;
                cmd_code_reg <= rx_cmd_err ? rx_cmd_code : tlsnic_regs_pkg::ERR_OK;
                if (!rx_cmd_err && cmd_op_reg == tlsnic_regs_pkg::OP_ADD_RX) begin
                    cmd_result_reg <= rx_cmd_result;
                end
            end
        end
        if (rst) begin
            cmd_pending_reg <= 1'b0;
            cmd_err_reg     <= 1'b0;
            cmd_code_reg    <= tlsnic_regs_pkg::ERR_OK;
            cmd_count_reg   <= '0;
            cmd_result_reg  <= 16'd0;
            cmd_op_reg      <= 3'd0;
            cmd_ctrl_reg    <= '0;
            cmd_key_reg     <= 256'd0;
            cmd_iv_reg      <= 96'd0;
        end
    end

    // ------------------------------------------------------------- engines
    logic [15:0] cmd_ctx;
    assign cmd_ctx = cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_CTX_LSB +: tlsnic_regs_pkg::CTRL_CTX_W];

    logic [32*tlsnic_regs_pkg::RX_CNT_N-1:0] st_rx;
    logic [32*tlsnic_regs_pkg::TX_CNT_N-1:0] st_tx;

    tx_engine #(.DATA_W(DATA_W), .N_CTX(N_CTX), .AES_STAGES(AES_STAGES), .GHASH_DIGIT(GHASH_DIGIT),
                .KS_DEPTH(KS_DEPTH), .LEAN(LEAN)) u_tx (
        .clk(clk), .rst(rst),
        .s_tdata(s_tx_axis_tdata), .s_tkeep(s_tx_axis_tkeep), .s_tvalid(s_tx_axis_tvalid),
        .s_tready(s_tx_axis_tready), .s_tlast(s_tx_axis_tlast), .s_tuser(s_tx_axis_tuser),
        .m_tdata(m_tx_axis_tdata), .m_tkeep(m_tx_axis_tkeep), .m_tvalid(m_tx_axis_tvalid),
        .m_tready(m_tx_axis_tready), .m_tlast(m_tx_axis_tlast),
        .m_evt_tdata(m_evt_axis_tdata), .m_evt_tkeep(m_evt_axis_tkeep), .m_evt_tvalid(m_evt_axis_tvalid),
        .m_evt_tready(m_evt_axis_tready), .m_evt_tlast(m_evt_axis_tlast), .m_evt_tuser(m_evt_axis_tuser),
        .cmd_valid(cmd_pending_reg && cmd_is_tx), .cmd_done(tx_cmd_done), .cmd_err(tx_cmd_err),
        .cmd_code(tx_cmd_code), .cmd_op(cmd_op_reg), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key_reg),
        .cmd_key256(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_AES256]), .cmd_v13(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_TLS13]),
        .cmd_iv(cmd_iv_reg), .cmd_seq(cmd_seq_reg), .cmd_rec(cmd_rec_reg),
        .stats(st_tx)
    );

    rx_engine #(.DATA_W(DATA_W), .N_CTX(N_CTX), .AES_STAGES(AES_STAGES), .GHASH_DIGIT(GHASH_DIGIT),
                .KS_DEPTH(KS_DEPTH), .LEAN(LEAN), .FLOW_WAYS(FLOW_WAYS)) u_rx (
        .clk(clk), .rst(rst),
        .s_tdata(s_rx_axis_tdata), .s_tkeep(s_rx_axis_tkeep), .s_tvalid(s_rx_axis_tvalid),
        .s_tready(s_rx_axis_tready), .s_tlast(s_rx_axis_tlast),
        .m_tdata(m_rx_axis_tdata), .m_tkeep(m_rx_axis_tkeep), .m_tvalid(m_rx_axis_tvalid),
        .m_tready(m_rx_axis_tready), .m_tlast(m_rx_axis_tlast), .m_tuser(m_rx_axis_tuser),
        .cmd_valid(cmd_pending_reg && cmd_is_rx), .cmd_done(rx_cmd_done), .cmd_err(rx_cmd_err),
        .cmd_code(rx_cmd_code), .cmd_result(rx_cmd_result),
        .cmd_op(cmd_op_reg), .cmd_ctx(cmd_ctx), .cmd_key(cmd_key_reg),
        .cmd_key256(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_AES256]), .cmd_v13(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_TLS13]),
        .cmd_iv(cmd_iv_reg), .cmd_seq(cmd_seq_reg), .cmd_rec(cmd_rec_reg),
        .cmd_sd(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_RX_SD]), .cmd_v6(cmd_ctrl_reg[tlsnic_regs_pkg::CTRL_RX_V6]),
        .cmd_saddr(cmd_sa_reg), .cmd_daddr(cmd_da_reg), .cmd_ports(cmd_ports_reg),
        .stats(st_rx)
    );

    logic [31:0] caps, cmd_status;
    always_comb begin
        caps = 32'd0;
        caps[tlsnic_regs_pkg::CAP_TX]          = 1'b1;
        caps[tlsnic_regs_pkg::CAP_RX]          = 1'b1;
        caps[tlsnic_regs_pkg::CAP_TLS13]       = 1'b1;
        caps[tlsnic_regs_pkg::CAP_AES256]      = 1'b1;
        caps[tlsnic_regs_pkg::CAP_STREAM_SCAN] = 1'b1;
        caps[tlsnic_regs_pkg::CAP_TX_RETX]     = 1'b1;
        cmd_status = 32'd0;
        cmd_status[tlsnic_regs_pkg::STATUS_BUSY]   = cmd_pending_reg;
        cmd_status[tlsnic_regs_pkg::STATUS_FAILED] = cmd_err_reg;
        cmd_status[tlsnic_regs_pkg::STATUS_FULL]   = cmd_code_reg == tlsnic_regs_pkg::ERR_TABLE_FULL;
        cmd_status[tlsnic_regs_pkg::STATUS_CODE_LSB +: CODE_W]   = cmd_code_reg;
        cmd_status[tlsnic_regs_pkg::STATUS_COUNT_LSB +: COUNT_W] = cmd_count_reg;
    end

    logic        reg_wr_en, reg_rd_en;
    logic [15:0] reg_wr_addr, reg_rd_addr;
    logic [31:0] reg_rd_data;
    /* verilator lint_off UNUSEDSIGNAL */ // registers are written whole; reads have no side effects
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
        .reg_wr_en(reg_wr_en), .reg_wr_addr(reg_wr_addr), .reg_wr_data(wr_data),
        .reg_wr_strb(reg_wr_strb), .reg_rd_en(reg_rd_en), .reg_rd_addr(reg_rd_addr),
        .reg_rd_data(reg_rd_data)
    );

    tlsnic_csr u_csr (
        .reg_wr_en(reg_wr_en), .reg_wr_addr(reg_wr_addr), .reg_rd_addr(reg_rd_addr), .reg_rd_data(reg_rd_data),
        .rd_id(tlsnic_regs_pkg::ID_VALUE), .rd_version(tlsnic_regs_pkg::VERSION_VALUE), .rd_n_ctx(32'(N_CTX)),
        .rd_caps(caps), .rd_data_w(32'(DATA_W)), .rd_rx_flow_ways(32'(FLOW_WAYS)),
        .wr_cmd_key(wr_cmd_key), .wr_cmd_iv(wr_cmd_iv),
        .wr_cmd_seq(wr_cmd_seq), .rd_cmd_seq(cmd_seq_reg),
        .wr_cmd_rec_hi(wr_cmd_rec_hi), .wr_cmd_rec_lo(wr_cmd_rec_lo),
        .wr_cmd_ctrl(wr_cmd_ctrl), .rd_cmd_ctrl(32'(cmd_ctrl_reg)),
        .wr_cmd_doorbell(wr_cmd_doorbell),
        .rd_cmd_status(cmd_status), .rd_cmd_result({16'd0, cmd_result_reg}),
        .wr_cmd_saddr(wr_cmd_saddr), .wr_cmd_daddr(wr_cmd_daddr),
        .wr_cmd_ports(wr_cmd_ports), .rd_cmd_ports(cmd_ports_reg),
        .rd_tx_stats(st_tx), .rd_rx_stats(st_rx)
    );

    // ---------------------------------------------------------- Assertions
    // Protocol checkers on every port (rtl/common/*_checker.sv): simulation
    // only, empty under SYNTHESIS.
    // Whole frames: packed from lane 0, every beat full but the last.
    axis_checker #(
        .DATA_W($bits(s_tx_axis_tdata)), .KEEP_W($bits(s_tx_axis_tkeep)), .USER_W($bits(s_tx_axis_tuser)),
        .PACKED(1'b1)
    ) u_chk_s_tx_axis (
        .clk(clk), .rst(rst), .tdata(s_tx_axis_tdata), .tkeep(s_tx_axis_tkeep), .tvalid(s_tx_axis_tvalid),
        .tready(s_tx_axis_tready), .tlast(s_tx_axis_tlast), .tuser(s_tx_axis_tuser)
    );
    axis_checker #(
        .DATA_W($bits(m_tx_axis_tdata)), .KEEP_W($bits(m_tx_axis_tkeep)), .USER_W($bits(m_tx_axis_tuser)),
        .PACKED(1'b1)
    ) u_chk_m_tx_axis (
        .clk(clk), .rst(rst), .tdata(m_tx_axis_tdata), .tkeep(m_tx_axis_tkeep), .tvalid(m_tx_axis_tvalid),
        .tready(m_tx_axis_tready), .tlast(m_tx_axis_tlast), .tuser(m_tx_axis_tuser)
    );
    axis_checker #(
        .DATA_W($bits(s_rx_axis_tdata)), .KEEP_W($bits(s_rx_axis_tkeep)), .USER_W($bits(s_rx_axis_tuser)),
        .PACKED(1'b1)
    ) u_chk_s_rx_axis (
        .clk(clk), .rst(rst), .tdata(s_rx_axis_tdata), .tkeep(s_rx_axis_tkeep), .tvalid(s_rx_axis_tvalid),
        .tready(s_rx_axis_tready), .tlast(s_rx_axis_tlast), .tuser(s_rx_axis_tuser)
    );
    axis_checker #(
        .DATA_W($bits(m_rx_axis_tdata)), .KEEP_W($bits(m_rx_axis_tkeep)), .USER_W($bits(m_rx_axis_tuser)),
        .PACKED(1'b1)
    ) u_chk_m_rx_axis (
        .clk(clk), .rst(rst), .tdata(m_rx_axis_tdata), .tkeep(m_rx_axis_tkeep), .tvalid(m_rx_axis_tvalid),
        .tready(m_rx_axis_tready), .tlast(m_rx_axis_tlast), .tuser(m_rx_axis_tuser)
    );
    axis_checker #(
        .DATA_W($bits(m_evt_axis_tdata)), .KEEP_W($bits(m_evt_axis_tkeep)), .USER_W($bits(m_evt_axis_tuser)),
        .PACKED(1'b1)
    ) u_chk_m_evt_axis (
        .clk(clk), .rst(rst), .tdata(m_evt_axis_tdata), .tkeep(m_evt_axis_tkeep), .tvalid(m_evt_axis_tvalid),
        .tready(m_evt_axis_tready), .tlast(m_evt_axis_tlast), .tuser(m_evt_axis_tuser)
    );
    axil_checker #(.ADDR_W($bits(s_axil_awaddr)), .DATA_W($bits(s_axil_wdata))) u_chk_s_axil (
        .clk(clk), .rst(rst),
        .awaddr(s_axil_awaddr), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
        .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
        .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
        .araddr(s_axil_araddr), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
        .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready)
    );

endmodule

`default_nettype wire
