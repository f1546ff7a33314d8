// Formal harness: a stream FIFO (sync_fifo, or fifo_ram with KIND = 1) of
// WIDTH 8 and DEPTH 4 between a producer and a consumer that do anything.
// Proven (make formal): its own assertions (TLSNIC_ASSERT, FORMAL
// expansion); the output obeys the stream handshake (a beat offered and not
// taken is offered again, unchanged); `count` is the accepted entries not
// yet taken, never above DEPTH, `in_ready` says whether there is room and
// `out_valid` is only offered with an entry held (sync_fifo: exactly then;
// fifo_ram's entries reach its output a few clocks after they enter);
// every entry comes out exactly once, in order (the entry written as the
// N-th since reset, N chosen by the solver, is the N-th read).
`default_nettype none

module fv_fifo #(
    parameter int KIND = 0          // 0: sync_fifo, 1: fifo_ram
) (
    input  logic       clk,
    input  logic       rst,
    input  logic       in_valid,
    input  logic [7:0] in_data,
    input  logic       out_ready
);
    localparam int DEPTH = 4;

    logic       in_ready, out_valid;
    logic [7:0] out_data;
    logic [2:0] count;

    if (KIND == 0) begin : g_sync
        sync_fifo #(.WIDTH(8), .DEPTH(DEPTH)) dut (
            .clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
            .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .count(count)
        );
    end else begin : g_ram
        fifo_ram #(.WIDTH(8), .DEPTH(DEPTH)) dut (
            .clk(clk), .rst(rst), .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data),
            .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .count(count)
        );
    end

    initial assume (rst);

    // Entries written and read since reset; with TRACK, the tracked entry
    // (TrackedEntryInOrder.InOrder).
    localparam bit TRACK_ON = `ifdef TRACK 1'b1 `else 1'b0 `endif;
    logic [7:0] wr_n, rd_n;
    fv_in_order #(.WIDTH(8), .CHECK(TRACK_ON)) TrackedEntryInOrder (
        .clk(clk), .rst(rst), .in_fire(in_valid && in_ready), .in_data(in_data),
        .out_valid(out_valid), .out_fire(out_valid && out_ready), .out_data(out_data),
        .in_n(wr_n), .out_n(rd_n)
    );

    always @(posedge clk) begin
        if (!rst) begin
            OccupancyIsCount: assert (8'(count) == wr_n - rd_n);
            NeverAboveDepth:  assert (32'(count) <= DEPTH);
            ValidOnlyWithEntries: assert (!out_valid || count != 3'd0);
            if (KIND == 0) begin
                ValidIffEntries: assert (out_valid == (count != 3'd0));
            end
            ReadyIffRoom:     assert (in_ready == (32'(count) < DEPTH));
        end
    end

    // OutHeld: an entry offered and not taken is offered again, unchanged
    fv_stream_hold #(.WIDTH(8)) OutHeld (
        .clk(clk), .rst(rst), .valid(out_valid), .ready(out_ready), .excuse(1'b0), .data(out_data)
    );
endmodule

`default_nettype wire
