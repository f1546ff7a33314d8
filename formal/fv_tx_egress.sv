// Formal harness: TX egress (tx_egress, 16-byte beats, an 8-beat frame
// FIFO). Checked (make formal, bounded): the egress half of the TX
// security rule and the order of the wire (fv_frame_order):
//   DroppedNeverOnWire    no beat of a frame with a drop verdict (dropped,
//                         a retransmit descriptor, failed, a DUMP frame)
//                         reaches the wire;
//   SentFramesInOrder     the wire carries the frames with a send verdict,
//                         each whole, in the order they entered: the next
//                         wire frame is the oldest such frame not yet
//                         sent, and it is not skipped;
//   WireBeatsInOrder      a wire frame's beats are its beats, in order,
//                         its last beat marked last.
// Every frame entering carries its number (since reset) in byte 0 and the
// beat's index in byte 1 of each beat; the checksum field is assumed not
// to fall on lanes 0-1 of a beat (l4_off + 16 not a multiple of 16), so
// the checksum rewrite leaves these two bytes as they entered. The other
// bytes are zero: nothing in the egress decides on a data byte (data only
// fills the frame FIFO and the checksum), so they only cost the solver.
`default_nettype none

module fv_tx_egress (
    input  logic                 clk,
    input  logic                 rst,
    input  logic                 in_valid,
    input  logic [127:0]         in_data,
    input  logic [15:0]          in_keep,
    input  logic                 in_last,
    input  tlsnic_pkg::fdesc_t   in_fd,
    input  tlsnic_pkg::fres_t    in_res,
    input  logic [15:0]          in_tagw,
    input  logic                 m_tready
);
    logic         in_ready, in_first;
    logic [127:0] m_tdata;
    logic [15:0]  m_tkeep;
    logic         m_tvalid, m_tlast, ev_valid, idle;
    tlsnic_pkg::fres_t ev_res;

    tx_egress #(.W(16), .DEPTH(8)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_keep(in_keep),
        .in_last(in_last), .in_first(in_first), .in_fd(in_fd), .in_res(in_res), .in_tagw(in_tagw),
        .m_tdata(m_tdata), .m_tkeep(m_tkeep), .m_tvalid(m_tvalid), .m_tready(m_tready), .m_tlast(m_tlast),
        .ev_valid(ev_valid), .ev_res(ev_res), .idle(idle)
    );

    // ------------------------------------------------ input protocol
    logic       init_reg = 1'b1;
    logic [7:0] nin, bin;               // frame number, beat index entering (u_order)

    assign in_first = bin == 8'd0;

    always_ff @(posedge clk) begin
        init_reg <= 1'b0;
    end

    // a stream source holds what it offered
    fv_stream_hold #(.WIDTH(128 + 16 + 1), .ASSUME(1'b1)) u_in_src (
        .clk(clk), .rst(rst), .valid(in_valid), .ready(in_ready), .excuse(1'b0), .data({in_data, in_keep, in_last})
    );

    logic dropv;                        // the verdict of the frame entering
    assign dropv = in_res.act == tlsnic_pkg::A_DROP || in_res.act == tlsnic_pkg::A_DESC || in_res.fail
                || in_res.dump;

    always_comb begin
        assume (rst == init_reg);
        if (in_valid) begin
            assume (in_data[7:0] == nin && in_data[15:8] == bin && in_data[127:16] == '0);
            assume (in_keep != 16'd0);
            assume (bin < 8'd5);
        end
        if (in_valid && in_first) begin
            assume (in_fd.l4_off[3:0] != 4'd0 && !in_fd.l4_off[0]);
        end
        // what the stages before guarantee: cov == bytes is the walker's
        // CryptoFrameCoversPayload (walker_bmc); in_tagw is the tag stage's
        // count of its steps' tag lanes (TagCountIsLanes, tag_stage_bmc),
        // which the walker sums into tagb from the same steps
        if (in_valid && in_last && !dropv) begin
            assume (in_res.cov == in_res.bytes && in_tagw == in_res.tagb);
        end
    end

    // ------------------------------------------------ the wire
    logic       skipped;
    logic [7:0] nout_unused, bout;
    fv_frame_order u_order (
        .clk(clk), .rst(rst),
        .in_beat(in_valid && in_ready), .in_last(in_last), .in_drop(dropv), .in_num(nin), .in_idx(bin),
        .out_beat(m_tvalid && m_tready), .out_valid(m_tvalid), .out_last(m_tlast),
        .out_num(m_tdata[7:0]), .out_idx(m_tdata[15:8]),
        .skipped(skipped), .nout(nout_unused), .bout(bout)
    );

    // Not vacuous: a dropped frame, then a frame of two beats sent whole
    // after it, within the depth.
    always_comb begin
        if (!rst) begin
            DropThenSend: cover (m_tvalid && m_tready && m_tlast && skipped && bout == 8'd1);
        end
    end
endmodule

`default_nettype wire
