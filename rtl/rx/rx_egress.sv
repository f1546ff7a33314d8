// RX egress: all or nothing per frame, and the RX descriptor.
//
// Every beat enters a block-RAM frame FIFO twice over: decrypted (body
// lanes replaced by plaintext) and as received. With the frame's last beat
// its verdict is final: the walker's reason, unless it would be
// decrypted/in sync and a tag in the frame failed (AUTH). The frame leaves
// as the decrypted copy only with reason DEC (every TLS byte decrypted,
// every record ending in it authenticated); otherwise byte-identical to the
// wire. The descriptor (docs/rx.md) is on every beat's tuser: flow hit,
// decrypted, resync request with the guessed header's sequence number, the
// reason, the context id.
//
// Frame events (`ev_*`, with the last beat) feed the RX counters.
`default_nettype none

module rx_egress #(
    parameter int W     = 16,
    parameter int DEPTH = 1024          // frame FIFO, beats
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 in_valid,
    output logic                 in_ready,
    input  logic [W*8-1:0]       in_data,       // decrypted
    input  logic [W*8-1:0]       in_orig,       // as received
    input  logic [W-1:0]         in_keep,
    input  logic                 in_last,
    input  tlsnic_pkg::fres_t    in_res,        // with in_last
    input  logic                 in_auth_fail,  // with in_last

    output logic [W*8-1:0]       m_tdata,
    output logic [W-1:0]         m_tkeep,
    output logic                 m_tvalid,
    input  logic                 m_tready,
    output logic                 m_tlast,
    output logic [63:0]          m_tuser,

    output logic                 ev_valid,
    output tlsnic_pkg::fres_t    ev_res,        // reason final

    output logic                 idle
);

    localparam int QD = 16;

    // Final reason: a failed tag turns "decrypted", "partial" and "out of
    // sync" into AUTH (a malformed record or a failed check stays).
    tlsnic_pkg::fres_t res;
    always_comb begin : verdict
        res = in_res;
        if (in_auth_fail && (in_res.reason == tlsnic_regs_pkg::RX_REASON_DEC
                             || in_res.reason == tlsnic_regs_pkg::RX_REASON_OOS
                             || in_res.reason == tlsnic_regs_pkg::RX_REASON_PART)) begin
            res.reason = tlsnic_regs_pkg::RX_REASON_AUTH;
        end
    end

    logic [63:0] desc;
    always_comb begin : descriptor
        logic ok_hit;
        ok_hit = res.hit && res.reason != tlsnic_regs_pkg::RX_REASON_PARSE
              && res.reason != tlsnic_regs_pkg::RX_REASON_CSUM;
        desc = '0;
        desc[tlsnic_regs_pkg::RXD_FLOW_HIT]  = ok_hit;
        desc[tlsnic_regs_pkg::RXD_DECRYPTED] = res.reason == tlsnic_regs_pkg::RX_REASON_DEC;
        desc[tlsnic_regs_pkg::RXD_RESYNC_REQ] = res.rreq;
        desc[tlsnic_regs_pkg::RXD_REASON_LSB +: tlsnic_regs_pkg::RXD_REASON_W] = res.reason;
        desc[tlsnic_regs_pkg::RXD_CTX_LSB +: tlsnic_regs_pkg::RXD_CTX_W] = res.ctx;
        desc[tlsnic_regs_pkg::RXD_GUESS_LSB +: tlsnic_regs_pkg::RXD_GUESS_W] = res.rreq ? res.guess : 32'd0;
    end

    // ------------------------------------------------------------ entry
    logic               fifo_ready, mq_ready, beat;
    logic [2*W*8+W:0]   fifo_out;
    logic               fifo_valid, fifo_pop;
    logic [$clog2(DEPTH):0] fifo_count;
    logic               mq_valid, mq_pop;
    logic [64:0]        mq_out;
    logic [$clog2(QD):0] mq_count;

    assign in_ready = fifo_ready && mq_ready;
    assign beat     = in_valid && in_ready;

    fifo_ram #(.WIDTH(2*W*8 + W + 1), .DEPTH(DEPTH)) u_frames (
        .clk(clk), .rst(rst),
        .in_valid(in_valid && mq_ready), .in_ready(fifo_ready),
        .in_data({in_last, in_keep, in_data, in_orig}),
        .out_valid(fifo_valid), .out_ready(fifo_pop), .out_data(fifo_out),
        .count(fifo_count)
    );

    // {decrypted, descriptor}
    sync_fifo #(.WIDTH(65), .DEPTH(QD)) u_meta_q (
        .clk(clk), .rst(rst),
        .in_valid(beat && in_last), .in_ready(mq_ready),
        .in_data({res.reason == tlsnic_regs_pkg::RX_REASON_DEC, desc}),
        .out_valid(mq_valid), .out_ready(mq_pop), .out_data(mq_out),
        .count(mq_count)
    );

    assign ev_valid = beat && in_last;
    assign ev_res   = res;

    // ------------------------------------------------------------- exit
    logic        active_reg, dec_reg;
    logic [63:0] desc_reg;
    logic        fin;

    assign fin      = active_reg && fifo_pop && fifo_out[2*W*8+W];
    assign mq_pop   = mq_valid && (!active_reg || fin);
    assign fifo_pop = active_reg && fifo_valid && m_tready;
    assign m_tvalid = active_reg && fifo_valid;
    assign m_tdata  = dec_reg ? fifo_out[W*8 +: W*8] : fifo_out[W*8-1:0];
    assign m_tkeep  = fifo_out[2*W*8 +: W];
    assign m_tlast  = fifo_out[2*W*8+W];
    assign m_tuser  = desc_reg;

    always_ff @(posedge clk) begin : exit
        if (fin) begin
            active_reg <= 1'b0;
        end
        if (mq_pop) begin
            active_reg <= 1'b1;
            dec_reg    <= mq_out[64];
            desc_reg   <= mq_out[63:0];
        end
        if (rst) begin
            active_reg <= 1'b0;
        end
    end

    assign idle = fifo_count == '0 && mq_count == '0 && !active_reg;

endmodule

`default_nettype wire
