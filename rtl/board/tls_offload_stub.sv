// STAND-IN for tls_offload_top in FPGA flow bring-up: the same ports, the
// same command protocol on the CSR port, and NO cryptography. It exists so
// that the board flow (synthesis, place and route with timing, bitstream,
// report) and the board self-test can be proven on the ECP5 before the
// engine's board configuration exists (the full device does not fit the
// LFE5UM5G-85F today). Never a substitute for the device in any test of
// the engine.
//
// What it does:
//   - CSRs (docs/registers.md subset): ID reads 0x53545542 ("STUB"), N_CTX,
//     CMD_KEY0..7, CMD_CTRL, CMD_SADDR0, CMD_DADDR0, CMD_PORTS, CMD_DOORBELL
//     (1 TX add, 2 TX delete, 3 RX add into the first free slot, 4 RX delete;
//     others fail with code 1), CMD_STATUS (never busy) and CMD_RESULT.
//   - TX: a frame marked for offload (tuser bit 0) whose context is
//     installed has every byte from offset 54 on (TCP payload of an IPv4
//     frame without options) XORed with byte (offset mod 16) of the
//     context's 16-byte key fold (key bytes 0..15 XOR bytes 16..31).
//   - RX: an IPv4 frame without options whose 4-tuple (bytes 26..37) is an
//     installed flow gets the same XOR with that RX context's fold, and
//     from beat 3 on the descriptor {ctx_id, decrypted, flow_hit}; beats 0..2
//     carry descriptor 0 (the real device's descriptor is the same on
//     every beat, so the checker reads it on the last beat).
// So a frame comes back as it was sent exactly when the TX and RX keys agree.
`default_nettype none

module tls_offload_stub #(
    parameter int N_CTX = 4
) (
    input  logic         clk,
    input  logic         rst,

    input  logic [127:0] s_tx_axis_tdata,
    input  logic [15:0]  s_tx_axis_tkeep,
    input  logic         s_tx_axis_tvalid,
    output logic         s_tx_axis_tready,
    input  logic         s_tx_axis_tlast,
    /* verilator lint_off UNUSEDSIGNAL */ // offload bit and ctx_id only
    input  logic [63:0]  s_tx_axis_tuser,
    /* verilator lint_on UNUSEDSIGNAL */

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
    /* verilator lint_off UNUSEDSIGNAL */
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

    localparam int CTX_W = N_CTX > 1 ? $clog2(N_CTX) : 1;

    assign m_evt_axis_tdata  = 128'd0;
    assign m_evt_axis_tkeep  = 16'd0;
    assign m_evt_axis_tvalid = 1'b0;
    assign m_evt_axis_tlast  = 1'b0;
    assign m_evt_axis_tuser  = 64'd0;
    assign m_tx_axis_tuser   = 64'd0;

    // ---------------------------------------------------------------- CSRs
    logic        reg_wr_en, reg_rd_en;
    logic [15:0] reg_wr_addr, reg_rd_addr;
    logic [31:0] reg_wr_data, reg_rd_data;
    /* verilator lint_off UNUSEDSIGNAL */
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

    logic [127:0] cmd_fold;             // key bytes 0..15 XOR bytes 16..31
    logic [15:0]  cmd_ctx;
    logic [31:0]  cmd_sa, cmd_da, cmd_ports;
    logic [3:0]   cmd_code;
    logic         cmd_err;
    logic [15:0]  cmd_count, cmd_result;

    logic [N_CTX-1:0]        tx_used, rx_used;
    logic [N_CTX-1:0][127:0] tx_key, rx_key;
    logic [N_CTX-1:0][95:0]  rx_flow;   // {saddr, daddr, ports}

    logic             free_found;
    logic [CTX_W-1:0] free_slot;
    always_comb begin
        free_found = 1'b0;
        free_slot  = '0;
        for (int i = N_CTX - 1; i >= 0; i--) begin
            if (!rx_used[i]) begin
                free_found = 1'b1;
                free_slot  = CTX_W'(i);
            end
        end
    end

    always_ff @(posedge clk) begin
        if (reg_wr_en) begin
            for (int w = 0; w < 8; w++) begin
                if (reg_wr_addr == 16'h0100 + 16'(4*w)) begin
                    cmd_fold[127 - 32*(w % 4) -: 32] <= (w < 4 ? 32'd0 : cmd_fold[127 - 32*(w % 4) -: 32])
                                                        ^ reg_wr_data;
                end
            end
            case (reg_wr_addr)
                16'h0138: cmd_ctx   <= reg_wr_data[15:0];
                16'h0150: cmd_sa    <= reg_wr_data;
                16'h0160: cmd_da    <= reg_wr_data;
                16'h0170: cmd_ports <= reg_wr_data;
                16'h013C: begin
                    cmd_count <= cmd_count + 16'd1;
                    cmd_err   <= 1'b0;
                    cmd_code  <= 4'd0;
                    case (reg_wr_data)
                        32'd1, 32'd2: begin
                            if (cmd_ctx >= 16'(N_CTX)) begin
                                cmd_err  <= 1'b1;
                                cmd_code <= 4'd2;
                            end else begin
                                for (int i = 0; i < N_CTX; i++) begin
                                    if (cmd_ctx == 16'(i)) begin
                                        tx_used[i] <= reg_wr_data == 32'd1;
                                        tx_key[i]  <= reg_wr_data == 32'd1 ? cmd_fold : 128'd0;
                                    end
                                end
                            end
                        end
                        32'd3: begin
                            if (!free_found) begin
                                cmd_err  <= 1'b1;
                                cmd_code <= 4'd4;
                            end else begin
                                for (int i = 0; i < N_CTX; i++) begin
                                    if (free_slot == CTX_W'(i)) begin
                                        rx_used[i] <= 1'b1;
                                        rx_key[i]  <= cmd_fold;
                                        rx_flow[i] <= {cmd_sa, cmd_da, cmd_ports};
                                    end
                                end
                                cmd_result <= 16'(free_slot);
                            end
                        end
                        32'd4: begin
                            if (cmd_ctx >= 16'(N_CTX) || !rx_used[CTX_W'(cmd_ctx)]) begin
                                cmd_err  <= 1'b1;
                                cmd_code <= cmd_ctx >= 16'(N_CTX) ? 4'd2 : 4'd5;
                            end else begin
                                for (int i = 0; i < N_CTX; i++) begin
                                    if (cmd_ctx == 16'(i)) begin
                                        rx_used[i] <= 1'b0;
                                        rx_key[i]  <= 128'd0;
                                    end
                                end
                            end
                        end
                        default: begin
                            cmd_err  <= 1'b1;
                            cmd_code <= 4'd1;
                        end
                    endcase
                end
                default: ;
            endcase
        end
        if (rst) begin
            cmd_count  <= 16'd0;
            cmd_err    <= 1'b0;
            cmd_code   <= 4'd0;
            cmd_result <= 16'd0;
            tx_used    <= '0;
            rx_used    <= '0;
        end
    end

    always_comb begin
        case (reg_rd_addr)
            16'h0000: reg_rd_data = 32'h5354_5542;
            16'h0008: reg_rd_data = 32'(N_CTX);
            16'h0140: reg_rd_data = {cmd_count, 8'd0, cmd_code, 1'b0, cmd_code == 4'd4, cmd_err, 1'b0};
            16'h0144: reg_rd_data = {16'd0, cmd_result};
            default:  reg_rd_data = 32'hDEAD_BEEF;
        endcase
    end

    // Bytes from offset 54 on: beat 3 lanes 6..15, every lane after.
    function automatic logic [127:0] payload_mask(input logic [7:0] beat);
        if (beat > 8'd3) payload_mask = {128{1'b1}};
        else if (beat == 8'd3) payload_mask = {{80{1'b1}}, 48'd0};
        else payload_mask = 128'd0;
    endfunction

    // Key byte b of the fold (byte 0 in bits 127:120) on lane b (bits 8b+7:8b).
    function automatic logic [127:0] lanes_of(input logic [127:0] fold);
        for (int b = 0; b < 16; b++) lanes_of[8*b +: 8] = fold[127 - 8*b -: 8];
    endfunction

    // ------------------------------------------------------------------- TX
    logic [7:0]   tx_beat;
    logic [127:0] tx_fold;
    logic         tx_on;
    always_comb begin
        tx_fold = 128'd0;
        tx_on   = 1'b0;
        for (int i = 0; i < N_CTX; i++) begin
            if (s_tx_axis_tuser[31:16] == 16'(i)) begin
                tx_fold = tx_key[i];
                tx_on   = s_tx_axis_tuser[0] && tx_used[i];
            end
        end
    end
    assign s_tx_axis_tready = m_tx_axis_tready;
    assign m_tx_axis_tvalid = s_tx_axis_tvalid;
    assign m_tx_axis_tkeep  = s_tx_axis_tkeep;
    assign m_tx_axis_tlast  = s_tx_axis_tlast;
    assign m_tx_axis_tdata  = s_tx_axis_tdata ^ (tx_on ? (lanes_of(tx_fold) & payload_mask(tx_beat)) : 128'd0);

    always_ff @(posedge clk) begin
        if (s_tx_axis_tvalid && s_tx_axis_tready) begin
            tx_beat <= s_tx_axis_tlast ? 8'd0 : (tx_beat == 8'hFF ? tx_beat : tx_beat + 8'd1);
        end
        if (rst) tx_beat <= 8'd0;
    end

    // ------------------------------------------------------------------- RX
    logic [7:0]       rx_beat;
    logic [47:0]      rx_cap;           // bytes 26..31 (beat 1 lanes 10..15)
    logic [95:0]      rx_tuple;
    logic             rx_hit, rx_hit_n;
    logic [CTX_W-1:0] rx_slot, rx_slot_n;
    logic [127:0]     rx_fold;

    assign rx_tuple = {rx_cap, s_rx_axis_tdata[7:0], s_rx_axis_tdata[15:8], s_rx_axis_tdata[23:16],
                       s_rx_axis_tdata[31:24], s_rx_axis_tdata[39:32], s_rx_axis_tdata[47:40]};
    always_comb begin
        rx_hit_n  = 1'b0;
        rx_slot_n = '0;
        for (int i = 0; i < N_CTX; i++) begin
            if (rx_used[i] && rx_flow[i] == rx_tuple) begin
                rx_hit_n  = 1'b1;
                rx_slot_n = CTX_W'(i);
            end
        end
        rx_fold = 128'd0;
        for (int i = 0; i < N_CTX; i++) begin
            if (rx_slot == CTX_W'(i)) rx_fold = rx_key[i];
        end
    end

    logic rx_on;
    assign rx_on = rx_hit && rx_beat >= 8'd3;
    assign s_rx_axis_tready = m_rx_axis_tready;
    assign m_rx_axis_tvalid = s_rx_axis_tvalid;
    assign m_rx_axis_tkeep  = s_rx_axis_tkeep;
    assign m_rx_axis_tlast  = s_rx_axis_tlast;
    assign m_rx_axis_tdata  = s_rx_axis_tdata ^ (rx_on ? (lanes_of(rx_fold) & payload_mask(rx_beat)) : 128'd0);
    assign m_rx_axis_tuser  = rx_on ? {32'd0, 16'(rx_slot), 14'd0, 2'b11} : 64'd0;

    always_ff @(posedge clk) begin
        if (s_rx_axis_tvalid && s_rx_axis_tready) begin
            rx_beat <= s_rx_axis_tlast ? 8'd0 : (rx_beat == 8'hFF ? rx_beat : rx_beat + 8'd1);
            if (rx_beat == 8'd1) begin
                for (int b = 0; b < 6; b++) rx_cap[47 - 8*b -: 8] <= s_rx_axis_tdata[8*(10 + b) +: 8];
            end
            if (rx_beat == 8'd2) begin
                rx_hit  <= rx_hit_n;
                rx_slot <= rx_slot_n;
            end
            if (s_rx_axis_tlast) rx_hit <= 1'b0;
        end
        if (rst) begin
            rx_beat <= 8'd0;
            rx_hit  <= 1'b0;
            rx_slot <= '0;
        end
    end

endmodule

`default_nettype wire
