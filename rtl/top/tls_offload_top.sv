// tlsnic device top: TX offload engine, RX path, CSRs and command port.
//
// Streams (128-bit AXI4-Stream, whole Ethernet frames without FCS):
//   s_tx_axis host -> engine (tuser: bit 0 offload, bits 2:1 op (1 = DUMP),
//             bits 31:16 ctx_id)
//   m_tx_axis engine -> wire
//   s_rx_axis wire -> engine, m_rx_axis engine -> host
//   m_evt_axis events to the host (none generated yet)
// The RX path currently passes frames through unchanged and unmarked (RX
// offload is not implemented yet).
//
// CSR map (32-bit registers; see docs/registers.md):
//   0x0000 ID "TLSN"            0x0004 version        0x0008 N_CTX
//   0x0100..0x011C key words 0..7 (write only; word 0 = key bytes 0..3, byte 0 in [31:24])
//   0x0120..0x0128 IV words 0..2 (write only)  0x012C start TCP sequence number
//   0x0130 record number [63:32]  0x0134 record number [31:0]
//   0x0138 control: [15:0] ctx_id, [16] AES-256, [17] TLS 1.3
//   0x013C doorbell: write 1 = add TX context, 2 = delete TX context
//   0x0140 status: [0] busy, [1] last command failed, [31:16] commands done
//   0x0200.. TX statistics (see docs/registers.md)
`default_nettype none

module tls_offload_top #(
    parameter int N_CTX = 64
) (
    input  logic         clk,
    input  logic         rst,

    input  logic [127:0] s_tx_axis_tdata,
    input  logic [15:0]  s_tx_axis_tkeep,
    input  logic         s_tx_axis_tvalid,
    output logic         s_tx_axis_tready,
    input  logic         s_tx_axis_tlast,
    input  logic [63:0]  s_tx_axis_tuser,

    output logic [127:0] m_tx_axis_tdata,
    output logic [15:0]  m_tx_axis_tkeep,
    output logic         m_tx_axis_tvalid,
    input  logic         m_tx_axis_tready,
    output logic         m_tx_axis_tlast,
    output logic [63:0]  m_tx_axis_tuser,

    input  logic [127:0] s_rx_axis_tdata,
    input  logic [15:0]  s_rx_axis_tkeep,
    input  logic         s_rx_axis_tvalid,
    output logic         s_rx_axis_tready,
    input  logic         s_rx_axis_tlast,
    /* verilator lint_off UNUSEDSIGNAL */ // wire frames carry no sideband
    input  logic [63:0]  s_rx_axis_tuser,
    /* verilator lint_on UNUSEDSIGNAL */

    output logic [127:0] m_rx_axis_tdata,
    output logic [15:0]  m_rx_axis_tkeep,
    output logic         m_rx_axis_tvalid,
    input  logic         m_rx_axis_tready,
    output logic         m_rx_axis_tlast,
    output logic [63:0]  m_rx_axis_tuser,

    output logic [127:0] m_evt_axis_tdata,
    output logic [15:0]  m_evt_axis_tkeep,
    output logic         m_evt_axis_tvalid,
    /* verilator lint_off UNUSEDSIGNAL */ // no events are generated yet
    input  logic         m_evt_axis_tready,
    /* verilator lint_on UNUSEDSIGNAL */
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

    // ------------------------------------------------------------------ RX
    assign m_rx_axis_tdata  = s_rx_axis_tdata;
    assign m_rx_axis_tkeep  = s_rx_axis_tkeep;
    assign m_rx_axis_tvalid = s_rx_axis_tvalid;
    assign m_rx_axis_tlast  = s_rx_axis_tlast;
    assign m_rx_axis_tuser  = 64'd0;
    assign s_rx_axis_tready = m_rx_axis_tready;

    assign m_evt_axis_tdata  = 128'd0;
    assign m_evt_axis_tkeep  = 16'd0;
    assign m_evt_axis_tvalid = 1'b0;
    assign m_evt_axis_tlast  = 1'b0;
    assign m_evt_axis_tuser  = 64'd0;

    // ---------------------------------------------------------------- CSRs
    logic        reg_wr_en, reg_rd_en;
    logic [15:0] reg_wr_addr, reg_rd_addr;
    logic [31:0] reg_wr_data, reg_rd_data;
    /* verilator lint_off UNUSEDSIGNAL */ // registers are written whole
    logic [3:0]  reg_wr_strb;
    /* verilator lint_on UNUSEDSIGNAL */

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

    logic [255:0] cmd_key_reg;
    logic [95:0]  cmd_iv_reg;
    logic [31:0]  cmd_seq_reg;
    logic [63:0]  cmd_rec_reg;
    logic [17:0]  cmd_ctrl_reg;
    logic [1:0]   cmd_op_reg;
    logic         cmd_pending_reg, cmd_err_reg;
    logic [15:0]  cmd_count_reg;
    logic         cmd_done, cmd_err;

    always_ff @(posedge clk) begin
        if (reg_wr_en) begin
            for (int w = 0; w < 8; w++) begin
                if (reg_wr_addr == 16'h0100 + 16'(4*w)) begin
                    cmd_key_reg[255 - 32*w -: 32] <= reg_wr_data;
                end
            end
            for (int w = 0; w < 3; w++) begin
                if (reg_wr_addr == 16'h0120 + 16'(4*w)) begin
                    cmd_iv_reg[95 - 32*w -: 32] <= reg_wr_data;
                end
            end
            case (reg_wr_addr)
                16'h012C: cmd_seq_reg <= reg_wr_data;
                16'h0130: cmd_rec_reg[63:32] <= reg_wr_data;
                16'h0134: cmd_rec_reg[31:0] <= reg_wr_data;
                16'h0138: cmd_ctrl_reg <= reg_wr_data[17:0];
                16'h013C: if (!cmd_pending_reg) begin
                    cmd_op_reg      <= reg_wr_data[1:0];
                    cmd_pending_reg <= 1'b1;
                end
                default: ;
            endcase
        end
        if (cmd_done) begin
            cmd_pending_reg <= 1'b0;
            cmd_err_reg     <= cmd_err;
            cmd_count_reg   <= cmd_count_reg + 16'd1;
        end
        if (rst) begin
            cmd_pending_reg <= 1'b0;
            cmd_err_reg     <= 1'b0;
            cmd_count_reg   <= 16'd0;
            cmd_op_reg      <= 2'd0;
            cmd_ctrl_reg    <= 18'd0;
        end
    end

    // ------------------------------------------------------------------- TX
    logic [31:0] st_enc_pkts, st_pass_pkts, st_drop_parse, st_drop_ctx, st_drop_seq, st_drop_rec;
    logic [31:0] st_ctx_add, st_ctx_del, st_dump_pkts, st_dump_bytes;
    logic [63:0] st_enc_bytes;

    tx_engine #(.N_CTX(N_CTX)) u_tx (
        .clk(clk), .rst(rst),
        .s_tdata(s_tx_axis_tdata), .s_tkeep(s_tx_axis_tkeep), .s_tvalid(s_tx_axis_tvalid),
        .s_tready(s_tx_axis_tready), .s_tlast(s_tx_axis_tlast), .s_tuser(s_tx_axis_tuser),
        .m_tdata(m_tx_axis_tdata), .m_tkeep(m_tx_axis_tkeep), .m_tvalid(m_tx_axis_tvalid),
        .m_tready(m_tx_axis_tready), .m_tlast(m_tx_axis_tlast),
        .cmd_valid(cmd_pending_reg), .cmd_done(cmd_done), .cmd_err(cmd_err),
        .cmd_op(cmd_op_reg), .cmd_ctx(cmd_ctrl_reg[15:0]), .cmd_key(cmd_key_reg),
        .cmd_key256(cmd_ctrl_reg[16]), .cmd_v13(cmd_ctrl_reg[17]), .cmd_iv(cmd_iv_reg),
        .cmd_seq(cmd_seq_reg), .cmd_rec(cmd_rec_reg),
        .st_enc_pkts(st_enc_pkts), .st_enc_bytes(st_enc_bytes), .st_pass_pkts(st_pass_pkts),
        .st_drop_parse(st_drop_parse), .st_drop_ctx(st_drop_ctx), .st_drop_seq(st_drop_seq),
        .st_drop_rec(st_drop_rec), .st_ctx_add(st_ctx_add), .st_ctx_del(st_ctx_del),
        .st_dump_pkts(st_dump_pkts), .st_dump_bytes(st_dump_bytes)
    );
    assign m_tx_axis_tuser = 64'd0;

    always_comb begin
        case (reg_rd_addr)
            16'h0000: reg_rd_data = 32'h544C_534E;
            16'h0004: reg_rd_data = 32'h0001_0000;
            16'h0008: reg_rd_data = 32'(N_CTX);
            16'h012C: reg_rd_data = cmd_seq_reg;
            16'h0138: reg_rd_data = {14'd0, cmd_ctrl_reg};
            16'h0140: reg_rd_data = {cmd_count_reg, 14'd0, cmd_err_reg, cmd_pending_reg};
            16'h0200: reg_rd_data = st_enc_pkts;
            16'h0204: reg_rd_data = st_enc_bytes[31:0];
            16'h0208: reg_rd_data = st_enc_bytes[63:32];
            16'h020C: reg_rd_data = st_pass_pkts;
            16'h0210: reg_rd_data = st_drop_parse;
            16'h0214: reg_rd_data = st_drop_ctx;
            16'h0218: reg_rd_data = st_drop_seq;
            16'h021C: reg_rd_data = st_drop_rec;
            16'h0220: reg_rd_data = st_ctx_add;
            16'h0224: reg_rd_data = st_ctx_del;
            16'h0228: reg_rd_data = st_dump_pkts;
            16'h022C: reg_rd_data = st_dump_bytes;
            default:  reg_rd_data = 32'hDEAD_BEEF;   // includes the write-only key and IV registers
        endcase
    end

    /* verilator lint_off UNUSEDSIGNAL */ // reads have no side effects
    logic unused_rd_en;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_rd_en = reg_rd_en;

endmodule

`default_nettype wire
