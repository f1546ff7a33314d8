// Board: reset synchronizer. `rst_in` (any clock domain, active high:
// button pressed or PLL not locked) asserts `rst_out` at once
// (asynchronously) and releases it STAGES clock edges after it went low,
// synchronously to `clk`.
`default_nettype none

module board_reset_sync #(
    parameter int STAGES = 4
) (
    input  logic clk,
    input  logic rst_in,
    output logic rst_out
);

    logic [STAGES-1:0] sr;

    always_ff @(posedge clk or posedge rst_in) begin
        if (rst_in) begin
            sr <= '1;
        end else begin
            sr <= {sr[STAGES-2:0], 1'b0};
        end
    end

    assign rst_out = sr[STAGES-1];

endmodule

`default_nettype wire
