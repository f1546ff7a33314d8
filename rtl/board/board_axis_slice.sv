// Board self-test: AXI4-Stream register slice (skid buffer). Full
// throughput, and every output (including s_tready) comes from a register,
// so the looped-back wire path adds no combinational path between the TX
// and RX halves of the device. W bits of payload (tdata, tkeep, ... packed
// by the parent).
`default_nettype none

module board_axis_slice #(
    parameter int W = 8
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [W-1:0] s_data,
    input  logic         s_valid,
    output logic         s_ready,
    output logic [W-1:0] m_data,
    output logic         m_valid,
    input  logic         m_ready
);

    logic [W-1:0] skid;
    logic         skid_valid;

    assign s_ready = !skid_valid;

    always_ff @(posedge clk) begin
        if (m_ready || !m_valid) begin
            // output register free (or freed this cycle): skid first
            if (skid_valid) begin
                m_data     <= skid;
                m_valid    <= 1'b1;
                skid_valid <= 1'b0;
            end else begin
                m_data  <= s_data;
                m_valid <= s_valid;
            end
        end else if (s_valid && s_ready) begin
            skid       <= s_data;
            skid_valid <= 1'b1;
        end
        if (rst) begin
            m_valid    <= 1'b0;
            skid_valid <= 1'b0;
        end
    end

endmodule

`default_nettype wire
