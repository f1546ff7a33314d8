// Board self-test: installs the TX and RX context of every self-test
// connection through the device's AXI4-Lite CSR port, the way the firmware
// does (docs/registers.md, docs/firmware.md): all command registers, the
// doorbell, then CMD_STATUS polled until its completion count moves.
//
//   1. N_CTX (0x0008) is read: fewer contexts than N_CONN is an error.
//   2. For each connection c = 0..N_CONN-1 (values from board_conn_cfg):
//      TX add (doorbell 1) at ctx_id c, then RX add (doorbell 3) of the
//      flow the looped-back frames carry; the RX context the device picked
//      (CMD_RESULT) is kept in `rx_ctx` for the checker.
//   `corrupt_key` (sampled through the run) flips bit 0 of CMD_KEY0 in the
//   RX install of connection 0 only: that connection's records then fail
//   authentication in RX and the self-test must report FAIL.
//
// `done` rises when every context is installed; `err` with `err_code`
// instead on the first problem: {stage, device error code}, stage 1 = AXI4-Lite
// error or timeout, 2 = N_CTX too small, 3 = command still busy after
// POLL_MAX status reads, 4 = command failed (low nibble: CMD_STATUS[7:4]).
`default_nettype none

module board_seq #(
    parameter int N_CONN   = 4,
    parameter int CONN_W   = 4,
    parameter int POLL_MAX = 2000
) (
    input  logic                  clk,
    input  logic                  rst,
    input  logic                  corrupt_key,
    output logic                  done,
    output logic                  err,
    output logic [7:0]            err_code,
    output logic [16*N_CONN-1:0]  rx_ctx,
    output logic [15:0]           cmds_done,

    output logic [15:0]           m_axil_awaddr,
    output logic                  m_axil_awvalid,
    input  logic                  m_axil_awready,
    output logic [31:0]           m_axil_wdata,
    output logic [3:0]            m_axil_wstrb,
    output logic                  m_axil_wvalid,
    input  logic                  m_axil_wready,
    input  logic [1:0]            m_axil_bresp,
    input  logic                  m_axil_bvalid,
    output logic                  m_axil_bready,
    output logic [15:0]           m_axil_araddr,
    output logic                  m_axil_arvalid,
    input  logic                  m_axil_arready,
    input  logic [31:0]           m_axil_rdata,
    input  logic [1:0]            m_axil_rresp,
    input  logic                  m_axil_rvalid,
    output logic                  m_axil_rready
);

    localparam logic [15:0] A_N_CTX = 16'h0008, A_KEY0 = 16'h0100, A_IV0 = 16'h0120,
                            A_SEQ = 16'h012C, A_REC_HI = 16'h0130, A_REC_LO = 16'h0134,
                            A_CTRL = 16'h0138, A_DOORBELL = 16'h013C, A_STATUS = 16'h0140,
                            A_RESULT = 16'h0144, A_SADDR0 = 16'h0150, A_DADDR0 = 16'h0160,
                            A_PORTS = 16'h0170;
    localparam int POLL_W = $clog2(POLL_MAX + 1);

    typedef enum logic [2:0] { Q_NCTX, Q_STEP, Q_POLL, Q_RESULT, Q_NEXT, Q_DONE, Q_ERR } q_state_t;
    q_state_t           st;
    logic               issued;         // the current step's transaction is under way
    logic [CONN_W-1:0]  conn;
    logic               dir_rx;
    logic [4:0]         step;
    logic [15:0]        cmd_count;      // commands rung so far
    logic [POLL_W-1:0]  polls;

    // ---- master
    logic        m_start, m_wr, m_busy, m_done, m_err;
    logic [15:0] m_addr;
    logic [31:0] m_wdata, m_rdata;

    board_axil_master #(.ADDR_W(16)) u_master (
        .clk(clk), .rst(rst),
        .start(m_start), .wr(m_wr), .addr(m_addr), .wdata(m_wdata),
        .busy(m_busy), .done(m_done), .err(m_err), .rdata(m_rdata),
        .m_axil_awaddr(m_axil_awaddr), .m_axil_awvalid(m_axil_awvalid), .m_axil_awready(m_axil_awready),
        .m_axil_wdata(m_axil_wdata), .m_axil_wstrb(m_axil_wstrb), .m_axil_wvalid(m_axil_wvalid),
        .m_axil_wready(m_axil_wready), .m_axil_bresp(m_axil_bresp), .m_axil_bvalid(m_axil_bvalid),
        .m_axil_bready(m_axil_bready), .m_axil_araddr(m_axil_araddr), .m_axil_arvalid(m_axil_arvalid),
        .m_axil_arready(m_axil_arready), .m_axil_rdata(m_axil_rdata), .m_axil_rresp(m_axil_rresp),
        .m_axil_rvalid(m_axil_rvalid), .m_axil_rready(m_axil_rready)
    );

    // ---- the connection's values
    logic         c_v13, c_key256;
    logic [255:0] c_key;
    logic [95:0]  c_iv;
    logic [31:0]  c_seq0, c_saddr, c_daddr;
    logic [63:0]  c_rec0;
    logic [15:0]  c_sport, c_dport;

    board_conn_cfg #(.CONN_W(CONN_W)) u_cfg (
        .conn(conn), .v13(c_v13), .key256(c_key256), .key(c_key), .iv(c_iv), .tcp_seq0(c_seq0),
        .rec0(c_rec0), .saddr(c_saddr), .daddr(c_daddr), .sport(c_sport), .dport(c_dport)
    );

    // ---- the register write of step `step` (the last step is the doorbell)
    logic [4:0]  last_step;
    logic [15:0] s_addr;
    logic [31:0] s_data;
    logic [31:0] key_word;
    assign last_step = dir_rx ? 5'd24 : 5'd15;

    always_comb begin
        key_word = c_key[255 - 32*step[2:0] -: 32];
        if (!c_key256 && step[2]) key_word = 32'd0;       // AES-128: words 4..7 unused
        if (dir_rx && corrupt_key && conn == '0 && step == 5'd0) key_word[0] = !key_word[0];
        s_addr = 16'h0000;
        s_data = 32'd0;
        if (step < 5'd8) begin
            s_addr = A_KEY0 + {9'd0, step, 2'b00};
            s_data = key_word;
        end else if (step < 5'd11) begin
            s_addr = A_IV0 + {9'd0, step - 5'd8, 2'b00};
            case (step)
                5'd8:    s_data = c_iv[95:64];
                5'd9:    s_data = c_iv[63:32];
                default: s_data = c_iv[31:0];
            endcase
        end else begin
            case (step)
                5'd11: begin s_addr = A_SEQ;    s_data = c_seq0; end
                5'd12: begin s_addr = A_REC_HI; s_data = c_rec0[63:32]; end
                5'd13: begin s_addr = A_REC_LO; s_data = c_rec0[31:0]; end
                5'd14: begin
                    s_addr = A_CTRL;
                    s_data = {14'd0, c_v13, c_key256, dir_rx ? 16'd0 : 16'(conn)};
                end
                5'd15: begin
                    s_addr = dir_rx ? A_SADDR0 : A_DOORBELL;
                    s_data = dir_rx ? c_saddr : 32'd1;
                end
                5'd16, 5'd17, 5'd18: s_addr = A_SADDR0 + {9'd0, step - 5'd15, 2'b00};
                5'd19: begin s_addr = A_DADDR0; s_data = c_daddr; end
                5'd20, 5'd21, 5'd22: s_addr = A_DADDR0 + {9'd0, step - 5'd19, 2'b00};
                5'd23: begin s_addr = A_PORTS; s_data = {c_sport, c_dport}; end
                5'd24: begin s_addr = A_DOORBELL; s_data = 32'd3; end
                default: ;
            endcase
        end
    end

    // ---- transaction requests
    always_comb begin
        m_start = 1'b0;
        m_wr    = 1'b0;
        m_addr  = s_addr;
        m_wdata = s_data;
        case (st)
            Q_NCTX:   begin m_start = !issued; m_addr = A_N_CTX; end
            Q_STEP:   begin m_start = !issued; m_wr = 1'b1; end
            Q_POLL:   begin m_start = !issued; m_addr = A_STATUS; end
            Q_RESULT: begin m_start = !issued; m_addr = A_RESULT; end
            default: ;
        endcase
    end

    assign done      = st == Q_DONE;
    assign err       = st == Q_ERR;
    assign cmds_done = cmd_count;

    always_ff @(posedge clk) begin
        if (m_start && !m_busy) issued <= 1'b1;
        if (m_done) begin
            issued <= 1'b0;
            if (m_err) begin
                st       <= Q_ERR;
                err_code <= 8'h10;
            end else begin
                case (st)
                    Q_NCTX: begin
                        if (m_rdata < 32'(N_CONN)) begin
                            st       <= Q_ERR;
                            err_code <= 8'h20;
                        end else begin
                            st <= Q_STEP;
                        end
                    end
                    Q_STEP: begin
                        if (step == last_step) begin
                            st        <= Q_POLL;
                            cmd_count <= cmd_count + 16'd1;
                            polls     <= '0;
                        end else begin
                            step <= step + 5'd1;
                        end
                    end
                    Q_POLL: begin
                        polls <= polls + 1'b1;
                        if (m_rdata[31:16] == cmd_count && !m_rdata[0]) begin
                            if (m_rdata[1]) begin
                                st       <= Q_ERR;
                                err_code <= {4'h4, m_rdata[7:4]};
                            end else begin
                                st <= dir_rx ? Q_RESULT : Q_NEXT;
                            end
                        end else if (polls == POLL_W'(POLL_MAX - 1)) begin
                            st       <= Q_ERR;
                            err_code <= 8'h30;
                        end
                    end
                    Q_RESULT: begin
                        for (int i = 0; i < N_CONN; i++) begin
                            if (conn == CONN_W'(i)) rx_ctx[16*i +: 16] <= m_rdata[15:0];
                        end
                        st <= Q_NEXT;
                    end
                    default: ;
                endcase
            end
        end
        if (st == Q_NEXT) begin
            step <= 5'd0;
            if (!dir_rx) begin
                dir_rx <= 1'b1;
                st     <= Q_STEP;
            end else if (conn == CONN_W'(N_CONN - 1)) begin
                st <= Q_DONE;
            end else begin
                dir_rx <= 1'b0;
                conn   <= conn + 1'b1;
                st     <= Q_STEP;
            end
        end
        if (rst) begin
            st        <= Q_NCTX;
            issued    <= 1'b0;
            conn      <= '0;
            dir_rx    <= 1'b0;
            step      <= 5'd0;
            cmd_count <= 16'd0;
            polls     <= '0;
            err_code  <= 8'd0;
            rx_ctx    <= '0;
        end
    end

endmodule

`default_nettype wire
