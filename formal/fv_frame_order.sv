// Formal checker (used by the egress harnesses): frames numbered as they
// enter (`in_num`, `in_idx`: the frame's number and the beat's index, which
// the harness puts in bytes 0 and 1 of the beat entering),
// each with a verdict given with its last beat: dropped, or sent. Asserts
// on the wire:
//   DroppedNeverOnWire    no beat of a dropped frame;
//   SentFramesInOrder     the next wire frame is the oldest sent frame not
//                         yet on the wire (none skipped, none repeated);
//   WireBeatsInOrder      its beats in order, the last one marked last;
// assumes that no more than NF frames are between entry and wire (the
// depths checked keep it). `skipped`: a dropped frame was passed over;
// `nout`: the number of the frame on the wire or next on it.
`default_nettype none

module fv_frame_order (
    input  logic       clk,
    input  logic       rst,
    input  logic       in_beat,         // a beat enters
    input  logic       in_last,
    input  logic       in_drop,         // with in_last: the frame's verdict
    output logic [7:0] in_num,          // number of the frame entering
    output logic [7:0] in_idx,          // index of the beat entering
    input  logic       out_beat,        // a beat leaves on the wire
    input  logic       out_valid,
    input  logic       out_last,
    input  logic [7:0] out_num,         // byte 0 of the wire beat
    input  logic [7:0] out_idx,         // byte 1
    output logic       skipped,
    output logic [7:0] nout,
    output logic [7:0] bout             // beat index expected on the wire
);
    localparam int NF = 8;              // frames tracked (numbers modulo NF)

    logic [NF-1:0] drop_reg;            // verdict of frame i mod NF (from its last beat)
    logic [NF-1:0] known_reg;           // ...entered whole, not yet out of the window
    logic [7:0]    nout_reg, bout_reg;
    logic          onwire_reg, skipped_reg;
    logic [7:0]    nin_reg, bin_reg;

    always_ff @(posedge clk) begin
        if (in_beat) begin
            bin_reg <= in_last ? 8'd0 : bin_reg + 8'd1;
            if (in_last) begin
                nin_reg <= nin_reg + 8'd1;
            end
        end
        if (in_beat && in_last) begin
            drop_reg[3'(in_num)]  <= in_drop;
            known_reg[3'(in_num)] <= 1'b1;
        end
        // Pass over the dropped frames at the head of the window.
        if (!onwire_reg && known_reg[3'(nout_reg)] && drop_reg[3'(nout_reg)]) begin
            known_reg[3'(nout_reg)] <= 1'b0;
            nout_reg    <= nout_reg + 8'd1;
            skipped_reg <= 1'b1;
        end
        if (out_beat) begin
            onwire_reg <= !out_last;
            bout_reg   <= out_last ? 8'd0 : bout_reg + 8'd1;
            if (out_last) begin
                known_reg[3'(nout_reg)] <= 1'b0;
                nout_reg <= nout_reg + 8'd1;
            end
        end
        if (rst) begin
            nin_reg     <= 8'd0;
            bin_reg     <= 8'd0;
            known_reg   <= '0;
            nout_reg    <= 8'd0;
            bout_reg    <= 8'd0;
            onwire_reg  <= 1'b0;
            skipped_reg <= 1'b0;
        end
    end
    assign in_num  = nin_reg;
    assign in_idx  = bin_reg;
    assign skipped = skipped_reg;
    assign nout    = nout_reg;
    assign bout    = bout_reg;

    always_comb begin
        if (!rst) begin
            assume (in_num - nout_reg < 8'(NF));
        end
        if (!rst && out_valid) begin
            DroppedNeverOnWire: assert (known_reg[3'(out_num)] ? !drop_reg[3'(out_num)] : 1'b1);
            SentFramesInOrder: assert (out_num == nout_reg && known_reg[3'(nout_reg)] && !drop_reg[3'(nout_reg)]);
            WireBeatsInOrder: assert (out_idx == bout_reg);
        end
    end
endmodule

`default_nettype wire
