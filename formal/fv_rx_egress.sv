// Formal harness: RX egress (rx_egress, 16-byte beats, an 8-beat frame
// FIFO). Checked (make formal, bounded): the RX rule "all or nothing per
// frame" and the order of the wire (fv_frame_order):
//   WholeFrameOneCopy     every beat of a frame leaves as its decrypted copy
//                         if the frame's verdict is "decrypted" (the
//                         walker's reason DEC and no tag of the frame
//                         failed), else as received: never a mix, never a
//                         decrypted byte of a frame whose tag failed;
//   DescriptorOfItsFrame  the RX descriptor on each wire beat says
//                         "decrypted" exactly for such a frame, with the
//                         frame's reason (AUTH when a tag failed in a frame
//                         otherwise decrypted, partial or out of sync);
//   SentFramesInOrder, WireBeatsInOrder (no frame is dropped on RX).
// The frame number is in byte 0 and the beat index in byte 1 of both
// copies of a beat; byte 2 is 1 in the decrypted copy and 0 in the one as
// received; the other bytes are zero (the egress decides on no data byte).
`default_nettype none

module fv_rx_egress (
    input  logic                 clk,
    input  logic                 rst,
    input  logic                 in_valid,
    input  logic [15:0]          in_keep,
    input  logic                 in_last,
    input  tlsnic_pkg::fres_t    in_res,
    input  logic                 in_auth_fail,
    input  logic                 m_tready
);
    logic         in_ready, m_tvalid, m_tlast, ev_valid, idle;
    logic [127:0] in_data, in_orig, m_tdata;
    logic [15:0]  m_tkeep;
    logic [63:0]  m_tuser;
    tlsnic_pkg::fres_t ev_res;

    rx_egress #(.W(16), .DEPTH(8)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_orig(in_orig), .in_keep(in_keep),
        .in_last(in_last), .in_res(in_res), .in_auth_fail(in_auth_fail),
        .m_tdata(m_tdata), .m_tkeep(m_tkeep), .m_tvalid(m_tvalid), .m_tready(m_tready), .m_tlast(m_tlast),
        .m_tuser(m_tuser), .ev_valid(ev_valid), .ev_res(ev_res), .idle(idle)
    );

    logic       init_reg = 1'b1;
    logic [7:0] nin, bin;               // frame number, beat index entering (u_order)
    assign in_data = {104'd0, 8'd1, bin, nin};
    assign in_orig = {104'd0, 8'd0, bin, nin};

    always_ff @(posedge clk) begin
        init_reg  <= 1'b0;
    end

    // a stream source holds what it offered (the data bytes are the
    // frame's and beat's numbers, held by construction)
    fv_stream_hold #(.WIDTH(16 + 1), .ASSUME(1'b1)) u_in_src (
        .clk(clk), .rst(rst), .valid(in_valid), .ready(in_ready), .excuse(1'b0), .data({in_keep, in_last})
    );

    always_comb begin
        assume (rst == init_reg);
        if (in_valid) begin
            assume (in_keep != 16'd0 && bin < 8'd5);
        end
    end

    // The verdict of each frame (from its last beat), by number.
    logic       dec_now;
    logic [3:0] reason_now;
    always_comb begin
        reason_now = in_res.reason;
        if (in_auth_fail && (in_res.reason == 4'(tlsnic_regs_pkg::RX_REASON_DEC)
                             || in_res.reason == 4'(tlsnic_regs_pkg::RX_REASON_OOS)
                             || in_res.reason == 4'(tlsnic_regs_pkg::RX_REASON_PART))) begin
            reason_now = 4'(tlsnic_regs_pkg::RX_REASON_AUTH);
        end
        dec_now = reason_now == 4'(tlsnic_regs_pkg::RX_REASON_DEC);
    end
    logic [7:0] dec_reg;
    logic [3:0] reason_reg [8];
    always_ff @(posedge clk) begin
        if (in_valid && in_ready && in_last) begin
            dec_reg[3'(nin)]    <= dec_now;
            reason_reg[3'(nin)] <= reason_now;
        end
    end

    logic       skipped_unused;
    logic [7:0] nout, bout;
    fv_frame_order u_order (
        .clk(clk), .rst(rst),
        .in_beat(in_valid && in_ready), .in_last(in_last), .in_drop(1'b0), .in_num(nin), .in_idx(bin),
        .out_beat(m_tvalid && m_tready), .out_valid(m_tvalid), .out_last(m_tlast),
        .out_num(m_tdata[7:0]), .out_idx(m_tdata[15:8]),
        .skipped(skipped_unused), .nout(nout), .bout(bout)
    );

    always_comb begin
        if (!rst && m_tvalid) begin
            WholeFrameOneCopy: assert (m_tdata[23:16] == {7'd0, dec_reg[3'(nout)]});
            DescriptorOfItsFrame: assert (m_tuser[tlsnic_regs_pkg::RXD_DECRYPTED] == dec_reg[3'(nout)]
                && m_tuser[tlsnic_regs_pkg::RXD_REASON_LSB +: tlsnic_regs_pkg::RXD_REASON_W]
                   == tlsnic_regs_pkg::RXD_REASON_W'(reason_reg[3'(nout)]));
        end
        // Not vacuous: a decrypted frame after one whose tag failed, both
        // of two beats or more, the second leaving whole.
        if (!rst) begin
            FailedThenDecrypted: cover (m_tvalid && m_tready && m_tlast && bout != 8'd0 && dec_reg[3'(nout)]
                                        && nout != 8'd0 && reason_reg[3'(nout - 8'd1)]
                                           == 4'(tlsnic_regs_pkg::RX_REASON_AUTH));
        end
    end

    logic unused;
    assign unused = ^{m_tkeep, ev_valid, ev_res, idle};
endmodule

`default_nettype wire
