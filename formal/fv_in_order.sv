// Formal harness part: a stream's entries leave in the order they entered,
// unchanged. The solver picks N (any); the entry accepted N-th since reset
// is kept, and when the N-th entry is offered at the output the assertion
// `InOrder` (reported under the instance's name) checks it is that entry.
// Also counts the entries in and out since reset (8 bits: wide enough for
// every depth checked), for the harness' own occupancy properties.
// CHECK = 0 keeps the counts and leaves the assertion out (k-induction
// tasks, where the tracked entry would need invariants over the memory).
`default_nettype none

module fv_in_order #(
    parameter int WIDTH = 8,
    parameter bit CHECK = 1'b1
) (
    input  logic             clk,
    input  logic             rst,
    input  logic             in_fire,       // an entry accepted
    input  logic [WIDTH-1:0] in_data,
    input  logic             out_valid,     // an entry offered
    input  logic             out_fire,      // an entry taken
    input  logic [WIDTH-1:0] out_data,
    output logic [7:0]       in_n,
    output logic [7:0]       out_n
);
    (* anyconst *) logic [7:0] track_n;
    logic [WIDTH-1:0] track_data;
    logic             track_in;
    always @(posedge clk) begin
        if (in_fire) begin
            in_n <= in_n + 8'd1;
            if (in_n == track_n) begin
                track_data <= in_data;
                track_in   <= 1'b1;
            end
        end
        if (out_fire) begin
            out_n <= out_n + 8'd1;
        end
        if (rst) begin
            in_n     <= 8'd0;
            out_n    <= 8'd0;
            track_in <= 1'b0;
        end
    end

    always @(posedge clk) begin
        if (CHECK && !rst && out_valid && out_n == track_n) begin
            InOrder: assert (track_in && out_data == track_data);
        end
    end
endmodule

`default_nettype wire
