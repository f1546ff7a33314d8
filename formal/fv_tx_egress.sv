// Formal harness: TX egress (tx_egress, 16-byte beats, an 8-beat frame
// FIFO). Checked (make formal, bounded): the egress half of the TX
// security rule and the order of the wire:
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
    localparam int NF = 8;              // frames tracked (ids modulo NF)

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
    logic [7:0] nin_reg, bin_reg;       // frame number, beat index entering
    logic       held_reg;               // a beat offered and not taken
    logic [127:0] hdata_reg;
    logic [15:0]  hkeep_reg;
    logic         hlast_reg;

    assign in_first = bin_reg == 8'd0;

    always_ff @(posedge clk) begin
        init_reg <= 1'b0;
        held_reg <= in_valid && !in_ready;
        hdata_reg <= in_data;
        hkeep_reg <= in_keep;
        hlast_reg <= in_last;
        if (in_valid && in_ready) begin
            bin_reg <= in_last ? 8'd0 : bin_reg + 8'd1;
            if (in_last) begin
                nin_reg <= nin_reg + 8'd1;
            end
        end
        if (rst) begin
            nin_reg <= 8'd0;
            bin_reg <= 8'd0;
            held_reg <= 1'b0;
        end
    end

    logic dropv;                        // the verdict of the frame entering
    assign dropv = in_res.act == tlsnic_pkg::A_DROP || in_res.act == tlsnic_pkg::A_DESC || in_res.fail
                || in_res.dump;

    always_comb begin
        assume (rst == init_reg);
        if (in_valid) begin
            assume (in_data[7:0] == nin_reg && in_data[15:8] == bin_reg && in_data[127:16] == '0);
            assume (in_keep != 16'd0);
            assume (bin_reg < 8'd5);
        end
        if (in_valid && in_first) begin
            assume (in_fd.l4_off[3:0] != 4'd0 && !in_fd.l4_off[0]);
        end
        if (held_reg) begin             // a stream source holds what it offered
            assume (in_valid && in_data == hdata_reg && in_keep == hkeep_reg && in_last == hlast_reg);
        end
        if (in_valid && in_last && !dropv) begin  // what the walker guarantees (checked there)
            assume (in_res.cov == in_res.bytes && in_tagw == in_res.tagb);
        end
    end

    // ------------------------------------------------ verdicts by frame
    logic [NF-1:0] drop_reg;            // verdict of frame i mod NF (from its last beat)
    logic [NF-1:0] known_reg;           // ...entered whole, not yet out of the window
    logic [7:0]    nout_reg;            // frames whose turn on the wire is over
    logic [7:0]    bout_reg;            // beat index on the wire
    logic          onwire_reg;          // the wire is inside a frame
    logic          skipped_reg;         // a dropped frame was passed over

    always_ff @(posedge clk) begin
        if (in_valid && in_ready && in_last) begin
            drop_reg[3'(nin_reg)]  <= dropv;
            known_reg[3'(nin_reg)] <= 1'b1;
        end
        // Skip the dropped frames at the head of the window.
        if (!onwire_reg && known_reg[3'(nout_reg)] && drop_reg[3'(nout_reg)]) begin
            known_reg[3'(nout_reg)] <= 1'b0;
            nout_reg <= nout_reg + 8'd1;
            skipped_reg <= 1'b1;
        end
        if (m_tvalid && m_tready) begin
            onwire_reg <= !m_tlast;
            bout_reg   <= m_tlast ? 8'd0 : bout_reg + 8'd1;
            if (m_tlast) begin
                known_reg[3'(nout_reg)] <= 1'b0;
                nout_reg <= nout_reg + 8'd1;
            end
        end
        if (rst) begin
            known_reg  <= '0;
            nout_reg   <= 8'd0;
            bout_reg   <= 8'd0;
            onwire_reg <= 1'b0;
            skipped_reg <= 1'b0;
        end
    end

    always_comb begin
        if (!rst) begin
            assume (nin_reg - nout_reg < 8'(NF));   // within the window (the BMC depth keeps it)
        end
        if (!rst && m_tvalid) begin
            DroppedNeverOnWire: assert (known_reg[3'(m_tdata[2:0])] ? !drop_reg[3'(m_tdata[2:0])] : 1'b1);
            SentFramesInOrder: assert (m_tdata[7:0] == nout_reg && known_reg[3'(nout_reg)]
                                       && !drop_reg[3'(nout_reg)]);
            WireBeatsInOrder: assert (m_tdata[15:8] == bout_reg);
        end
        // Not vacuous: a dropped frame, then a frame of two beats sent
        // whole after it, within the depth.
        if (!rst) begin
            DropThenSend: cover (m_tvalid && m_tready && m_tlast && skipped_reg && bout_reg == 8'd1);
        end
    end
endmodule

`default_nettype wire
