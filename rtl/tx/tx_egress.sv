// TX egress: store and forward, TCP checksum rewrite, drops.
//
// Beats enter a block-RAM frame FIFO (`fifo_ram`, DEPTH beats: one
// 9600-byte frame and the next); `tcp_csum` sums each frame as it enters,
// with the checksum coverage from the frame's descriptor (given with its
// first beat). With the frame's last beat its verdict is queued: dropped
// (TX drops, failed frames, DUMP and retransmit descriptor frames: nothing
// of them reaches the wire)
// or sent, with the checksum written at l4_off + 16 for an encrypted
// segment. A frame leaves only after its checksum is known (7 clocks after
// its last beat entered); frames leave back to back, in order.
//
// Frame events (`ev_*`, with the last beat) feed the TX counters.
`default_nettype none

module tx_egress #(
    parameter int W     = 16,
    parameter int DEPTH = 1024          // frame FIFO, beats
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 in_valid,
    output logic                 in_ready,
    input  logic [W*8-1:0]       in_data,
    input  logic [W-1:0]         in_keep,
    input  logic                 in_last,
    input  logic                 in_first,
    /* verilator lint_off UNUSEDSIGNAL */ // the checksum coverage only
    input  tlsnic_pkg::fdesc_t   in_fd,     // with in_first
    /* verilator lint_on UNUSEDSIGNAL */
    input  tlsnic_pkg::fres_t    in_res,    // with in_last
    input  logic [15:0]          in_tagw,   // with in_last: tag bytes the tag stage wrote

    output logic [W*8-1:0]       m_tdata,
    output logic [W-1:0]         m_tkeep,
    output logic                 m_tvalid,
    input  logic                 m_tready,
    output logic                 m_tlast,

    output logic                 ev_valid,  // a frame's verdict (its last beat entered)
    output tlsnic_pkg::fres_t    ev_res,

    output logic                 idle
);

    localparam int QD = 16;             // frames queued between entry and exit

    // ------------------------------------------------------------ entry
    logic             fifo_ready, mq_ready, cq_room;
    logic             beat;
    logic [W*8+W:0]   fifo_out;
    logic             fifo_valid, fifo_pop;
    logic [$clog2(DEPTH):0] fifo_count;

    assign in_ready = fifo_ready && mq_ready && cq_room;
    assign beat     = in_valid && in_ready;

    fifo_ram #(.WIDTH(W*8 + W + 1), .DEPTH(DEPTH)) u_frames (
        .clk(clk), .rst(rst),
        .in_valid(in_valid && mq_ready && cq_room), .in_ready(fifo_ready),
        .in_data({in_last, in_keep, in_data}),
        .out_valid(fifo_valid), .out_ready(fifo_pop), .out_data(fifo_out),
        .count(fifo_count)
    );

    // Checksum of the frame as it enters: coverage from the descriptor,
    // valid from the clock after the first beat.
    logic             loc_valid_reg;
    net_pkg::l4_loc_t loc_reg;
    logic             cs_valid;
    logic             cs_ok_unused;
    logic [15:0]      cs_sum, cs_rx_unused;

    always_ff @(posedge clk) begin : coverage
        loc_valid_reg <= beat && in_first && in_fd.crypto;
        loc_reg.ipv6     <= in_fd.v6;
        loc_reg.addr_off <= 16'(in_fd.l3_off) + (in_fd.v6 ? 16'd8 : 16'd12);
        loc_reg.l4_off   <= 16'(in_fd.l4_off);
        loc_reg.l4_len   <= in_fd.l4_len;
        if (rst) begin
            loc_valid_reg <= 1'b0;
        end
    end

    tcp_csum #(.DATA_W(W*8)) u_csum (
        .clk(clk), .rst(rst),
        .mon_tdata(in_data), .mon_tkeep(in_keep), .mon_beat(beat), .mon_tlast(in_last),
        .loc_valid(loc_valid_reg), .loc(loc_reg),
        .csum_valid(cs_valid), .csum_ok(cs_ok_unused), .csum_sum(cs_sum), .csum_rx(cs_rx_unused)
    );

    // Frame verdicts, queued with the last beat; checksums 7 clocks later.
    // {drop, patch, checksum offset}
    logic        mq_valid, mq_pop;
    logic [17:0] mq_out;
    logic [$clog2(QD):0] mq_count;
    logic        cq_valid, cq_pop;
    logic [15:0] cq_out;
    logic [$clog2(QD):0] cq_count;
    logic        cq_in_ready_unused;
    logic        drop_now, patch_now;

    assign drop_now  = in_res.act == tlsnic_pkg::A_DROP || in_res.act == tlsnic_pkg::A_DESC || in_res.fail
                    || in_res.dump;
    assign patch_now = in_res.act == tlsnic_pkg::A_WALK && !in_res.fail && !in_res.dump;

    logic [15:0] csum_off_reg;          // l4_off + 16 of the frame entering
    always_ff @(posedge clk) begin : csum_field
        if (beat && in_first) begin
            csum_off_reg <= 16'(in_fd.l4_off) + 16'd16;
        end
    end

    sync_fifo #(.WIDTH(18), .DEPTH(QD)) u_meta_q (
        .clk(clk), .rst(rst),
        .in_valid(beat && in_last), .in_ready(mq_ready),
        .in_data({drop_now, patch_now, in_first ? 16'(in_fd.l4_off) + 16'd16 : csum_off_reg}),
        .out_valid(mq_valid), .out_ready(mq_pop), .out_data(mq_out),
        .count(mq_count)
    );

    sync_fifo #(.WIDTH(16), .DEPTH(QD)) u_csum_q (
        .clk(clk), .rst(rst),
        .in_valid(cs_valid), .in_ready(cq_in_ready_unused), .in_data(~cs_sum),
        .out_valid(cq_valid), .out_ready(cq_pop), .out_data(cq_out),
        .count(cq_count)
    );
    // room for the checksums still in tcp_csum
    assign cq_room = 32'(mq_count) < QD;

    assign ev_valid = beat && in_last;
    assign ev_res   = in_res;

    // ------------------------------------------------------------- exit
    logic        active_reg, drop_reg, patch_reg;
    logic [15:0] base_reg, off_reg, csum_reg;
    logic        take, fin;

    assign fin      = active_reg && fifo_valid && fifo_pop && fifo_out[W*8+W];
    assign take     = mq_valid && cq_valid && (!active_reg || fin);
    assign mq_pop   = take;
    assign cq_pop   = take;
    assign fifo_pop = active_reg && fifo_valid && (drop_reg || m_tready);

    always_comb begin : patch
        m_tdata = fifo_out[W*8-1:0];
        for (int l = 0; l < W; l += 2) begin
            if (patch_reg && base_reg + 16'(l) == off_reg) begin
                m_tdata[8*l +: 8]     = csum_reg[15:8];
                m_tdata[8*l + 8 +: 8] = csum_reg[7:0];
            end
        end
    end
    assign m_tkeep  = fifo_out[W*8 +: W];
    assign m_tlast  = fifo_out[W*8+W];
    assign m_tvalid = active_reg && !drop_reg && fifo_valid;

    always_ff @(posedge clk) begin : exit
        if (fifo_pop) begin
            base_reg <= base_reg + 16'(W);
            if (fifo_out[W*8+W]) begin
                active_reg <= 1'b0;
            end
        end
        if (take) begin
            active_reg <= 1'b1;
            drop_reg   <= mq_out[17];
            patch_reg  <= mq_out[16];
            off_reg    <= mq_out[15:0];
            csum_reg   <= cq_out;
            base_reg   <= 16'd0;
        end
        if (rst) begin
            active_reg <= 1'b0;
        end
    end

    assign idle = fifo_count == '0 && mq_count == '0 && cq_count == '0 && !active_reg;

    // Assertions
    // The TX security rule: a marked frame goes to the wire only if the
    // walker covered every TLS byte of it with crypto steps (its body lanes
    // XORed with keystream of its own context: DpKeystreamOfItsContext) and
    // every tag byte in it was written.
    `TLSNIC_ASSERT_IMP(TxSentOnlyEncrypted,
                       beat && in_last && patch_now,
                       in_res.cov == in_res.bytes && in_tagw == in_res.tagb,
                       clk, rst)
    `TLSNIC_ASSERT_IMP(EgressCsumRoom, cs_valid, cq_in_ready_unused, clk, rst)
    `TLSNIC_ASSERT_IMP(EgressChecksumEven, take && mq_out[16], !mq_out[0], clk, rst)

endmodule

`default_nettype wire
