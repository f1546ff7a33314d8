// Formal harness part: the stream handshake rule on one valid/ready port,
// that a transfer offered and not taken is offered again, unchanged, in
// the next clock. ASSUME = 1: a source the harness drives obeys it (an
// assumption); ASSUME = 0: a port of the design under check obeys it (the
// assertion `Held`, reported under the instance's name). `excuse` high in
// the clock the transfer was left waiting releases the next clock from the
// rule (rx_flow: `flush` redoes the lookup it offered); tie it low
// otherwise. `data` is what must not change (WIDTH bits; 1'b0 when only
// valid must hold). Off in reset and in the clock after it.
`default_nettype none

module fv_stream_hold #(
    parameter int WIDTH  = 1,
    parameter bit ASSUME = 1'b0
) (
    input  logic             clk,
    input  logic             rst,
    input  logic             valid,
    input  logic             ready,
    input  logic             excuse,
    input  logic [WIDTH-1:0] data
);
    logic             stall_reg;
    logic [WIDTH-1:0] data_reg;
    always @(posedge clk) begin
        stall_reg <= valid && !ready && !excuse && !rst;
        data_reg  <= data;
    end

    always @(*) begin
        if (!rst && stall_reg) begin
            if (ASSUME) begin
                assume (valid && data == data_reg);
            end else begin
                Held: assert (valid && data == data_reg);
            end
        end
    end
endmodule

`default_nettype wire
