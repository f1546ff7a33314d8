// Board self-test: AXI4-Lite master for one transaction at a time.
//
// `start` (while `busy` is low) begins a write (`wr` = 1: AW and W offered
// together, each dropped once accepted, then B awaited) or a read (AR, then
// R awaited). `done` pulses for one cycle at the end; a read's data is in
// `rdata` from then on. `err` is set with `done` when the response is not
// OKAY, or when the slave has not finished within 2^TIMEOUT_W cycles (the
// channels are then abandoned: the parent treats it as fatal).
`default_nettype none

module board_axil_master #(
    parameter int ADDR_W    = 16,
    parameter int TIMEOUT_W = 12
) (
    input  logic              clk,
    input  logic              rst,

    input  logic              start,
    input  logic              wr,
    input  logic [ADDR_W-1:0] addr,
    input  logic [31:0]       wdata,
    output logic              busy,
    output logic              done,
    output logic              err,
    output logic [31:0]       rdata,

    output logic [ADDR_W-1:0] m_axil_awaddr,
    output logic              m_axil_awvalid,
    input  logic              m_axil_awready,
    output logic [31:0]       m_axil_wdata,
    output logic [3:0]        m_axil_wstrb,
    output logic              m_axil_wvalid,
    input  logic              m_axil_wready,
    input  logic [1:0]        m_axil_bresp,
    input  logic              m_axil_bvalid,
    output logic              m_axil_bready,
    output logic [ADDR_W-1:0] m_axil_araddr,
    output logic              m_axil_arvalid,
    input  logic              m_axil_arready,
    input  logic [31:0]       m_axil_rdata,
    input  logic [1:0]        m_axil_rresp,
    input  logic              m_axil_rvalid,
    output logic              m_axil_rready
);

    typedef enum logic [1:0] { A_IDLE, A_WRITE, A_READ } a_state_t;
    a_state_t             st;
    logic                 aw_pend, w_pend, ar_pend;
    logic [ADDR_W-1:0]    addr_reg;
    logic [31:0]          wdata_reg;
    logic [TIMEOUT_W-1:0] timer;
    logic                 timeout;

    assign busy           = st != A_IDLE;
    assign m_axil_awaddr  = addr_reg;
    assign m_axil_awvalid = aw_pend;
    assign m_axil_wdata   = wdata_reg;
    assign m_axil_wstrb   = 4'hF;
    assign m_axil_wvalid  = w_pend;
    assign m_axil_bready  = st == A_WRITE && !aw_pend && !w_pend;
    assign m_axil_araddr  = addr_reg;
    assign m_axil_arvalid = ar_pend;
    assign m_axil_rready  = st == A_READ && !ar_pend;
    assign timeout        = &timer;

    always_ff @(posedge clk) begin
        done <= 1'b0;
        case (st)
            A_IDLE: begin
                if (start) begin
                    st        <= wr ? A_WRITE : A_READ;
                    addr_reg  <= addr;
                    wdata_reg <= wdata;
                    aw_pend   <= wr;
                    w_pend    <= wr;
                    ar_pend   <= !wr;
                    timer     <= '0;
                end
            end
            A_WRITE: begin
                timer <= timer + 1'b1;
                if (m_axil_awready) aw_pend <= 1'b0;
                if (m_axil_wready) w_pend <= 1'b0;
                if ((m_axil_bready && m_axil_bvalid) || timeout) begin
                    st   <= A_IDLE;
                    done <= 1'b1;
                    err  <= timeout || m_axil_bresp != 2'b00;
                    aw_pend <= 1'b0;
                    w_pend  <= 1'b0;
                end
            end
            A_READ: begin
                timer <= timer + 1'b1;
                if (m_axil_arready) ar_pend <= 1'b0;
                if ((m_axil_rready && m_axil_rvalid) || timeout) begin
                    st    <= A_IDLE;
                    done  <= 1'b1;
                    err   <= timeout || m_axil_rresp != 2'b00;
                    rdata <= m_axil_rdata;
                    ar_pend <= 1'b0;
                end
            end
            default: st <= A_IDLE;
        endcase
        if (rst) begin
            st      <= A_IDLE;
            done    <= 1'b0;
            err     <= 1'b0;
            aw_pend <= 1'b0;
            w_pend  <= 1'b0;
            ar_pend <= 1'b0;
            rdata   <= 32'd0;
            timer   <= '0;
        end
    end

endmodule

`default_nettype wire
