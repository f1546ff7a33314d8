// Frame ingress of a record engine: the input stream into a block-RAM
// frame FIFO, with per-frame records of what the headers say.
//
// - Beats ({last, keep, data}) enter `fifo_ram` (DEPTH beats); the walker
//   reads them from `out_*`.
// - `net_hdr_parse` snoops the accepted beats and gives one header record
//   per frame (in the beat holding the last TCP header byte), which goes
//   into the meta queue (`meta_*`, tlsnic_pkg::imeta_t) with the frame's
//   first-beat tuser and its first 13 bytes (a TX DUMP header). A frame
//   that is not TCP gets its record (not TCP) with the beat that would have
//   held the last byte of the longest TCP header (byte 137), not only at its
//   end: the walker must not wait for the end of a frame longer than the
//   frame FIFO.
// - One end record per frame (`end_*`, tlsnic_pkg::iend_t): the length
//   check, and with CSUM = 1 the TCP checksum from `tcp_csum` (7 clocks
//   after the frame's last beat).
// The meta record of a frame is queued no later than its last beat; the
// walker reads a frame's beats only after taking its meta record, and
// waits for its end record at the frame's end.
//
// Handshakes: `s_tready` needs room in the frame FIFO and in both record
// queues (counting end records still on their way through tcp_csum), so no
// record is ever dropped. Latency: a beat reaches `out_*` 3 clocks after it
// is accepted.
`default_nettype none

module frame_ingress #(
    parameter int  DATA_W  = 128,
    parameter int  KEEP_W  = DATA_W / 8,
    parameter int  DEPTH   = 64,        // frame FIFO, beats
    parameter int  REC_Q   = 8,         // record queues, frames
    parameter bit  CSUM    = 1'b0       // check the TCP checksum (RX)
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic [DATA_W-1:0]    s_tdata,
    input  logic [KEEP_W-1:0]    s_tkeep,
    input  logic                 s_tvalid,
    output logic                 s_tready,
    input  logic                 s_tlast,
    input  logic [63:0]          s_tuser,

    output logic [DATA_W-1:0]    out_data,
    output logic [KEEP_W-1:0]    out_keep,
    output logic                 out_last,
    output logic                 out_valid,
    input  logic                 out_ready,

    output logic                 meta_valid,
    input  logic                 meta_ready,
    output tlsnic_pkg::imeta_t   meta,

    output logic                 end_valid,
    input  logic                 end_ready,
    output tlsnic_pkg::iend_t    end_rec
);

    localparam int QC_W = $clog2(REC_Q) + 1;

    logic beat;
    logic fifo_ready, mq_ready, eq_room;
    assign s_tready = fifo_ready && mq_ready && eq_room;
    assign beat     = s_tvalid && s_tready;

    // ------------------------------------------------------------ frame FIFO
    logic [DATA_W+KEEP_W:0] fifo_out;
    logic [$clog2(DEPTH):0] fifo_count_unused;

    fifo_ram #(.WIDTH(DATA_W + KEEP_W + 1), .DEPTH(DEPTH)) u_frames (
        .clk(clk), .rst(rst),
        .in_valid(s_tvalid && mq_ready && eq_room), .in_ready(fifo_ready),
        .in_data({s_tlast, s_tkeep, s_tdata}),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(fifo_out),
        .count(fifo_count_unused)
    );
    assign out_last = fifo_out[DATA_W+KEEP_W];
    assign out_keep = fifo_out[DATA_W +: KEEP_W];
    assign out_data = fifo_out[DATA_W-1:0];

    // ---------------------------------------------------------------- parser
    logic                loc_valid, hp_valid, hp_nocsum, eof_valid;
    net_pkg::l4_loc_t    loc;
    /* verilator lint_off UNUSEDSIGNAL */ // the engines need only some of the parser's fields
    net_pkg::hdr_meta_t  hp;
    net_pkg::frame_end_t eof;
    /* verilator lint_on UNUSEDSIGNAL */

    net_hdr_parse #(.DATA_W(DATA_W)) u_parse (
        .clk(clk), .rst(rst),
        .mon_tdata(s_tdata), .mon_tkeep(s_tkeep), .mon_beat(beat), .mon_tlast(s_tlast),
        .loc_valid(loc_valid), .loc(loc),
        .meta_valid(hp_valid), .meta(hp), .meta_tcp_nocsum(hp_nocsum),
        .eof_valid(eof_valid), .eof(eof)
    );

    // The first beat's tuser and first 13 bytes, for the meta record (which
    // may come in a later beat).
    logic          first_reg;           // the next beat starts a frame
    logic [63:0]   tuser_reg;
    logic [103:0]  dump_reg;
    logic [63:0]   tuser_now;
    logic [103:0]  dump_now;
    always_comb begin : first_beat
        tuser_now = first_reg ? s_tuser : tuser_reg;
        for (int i = 0; i < 13; i++) begin
            dump_now[103 - 8*i -: 8] = first_reg ? ((i < KEEP_W) ? s_tdata[8*i +: 8] : 8'd0)
                                                 : dump_reg[103 - 8*i -: 8];
        end
    end

    always_ff @(posedge clk) begin : first_capture
        if (beat) begin
            first_reg <= s_tlast;
            if (first_reg) begin
                tuser_reg <= s_tuser;
                dump_reg  <= dump_now;
            end
        end
        if (rst) begin
            first_reg <= 1'b1;
        end
    end

    // Beats of the frame so far, up to the one holding byte 137.
    localparam int HDR_LAST = 137 / KEEP_W;
    localparam int BI_W     = $clog2(HDR_LAST + 2);
    logic [BI_W-1:0] bidx_reg;
    logic            sent_reg, push_meta;
    assign push_meta = beat && !sent_reg && (hp_valid || 32'(bidx_reg) == HDR_LAST);
    always_ff @(posedge clk) begin : meta_once
        if (beat) begin
            if (32'(bidx_reg) != HDR_LAST + 1) begin
                bidx_reg <= bidx_reg + BI_W'(1);
            end
            if (push_meta) begin
                sent_reg <= 1'b1;
            end
            if (s_tlast) begin
                bidx_reg <= '0;
                sent_reg <= 1'b0;
            end
        end
        if (rst) begin
            bidx_reg <= '0;
            sent_reg <= 1'b0;
        end
    end

    tlsnic_pkg::imeta_t mi;
    always_comb begin : meta_record
        mi            = '0;
        mi.tcp        = hp.is_tcp;
        mi.tcp_nocsum = hp_nocsum;
        mi.ip_csum_ok = !hp.ipv4 || hp.ip_csum_ok;
        mi.v6         = hp.ipv6;
        mi.l3_off     = hp.l3_off;
        mi.l4_off     = hp.l4_off;
        mi.pay_off    = hp.payload_off;
        mi.pay_len    = hp.payload_len;
        mi.seq        = hp.tcp_seq;
        mi.saddr      = hp.ipv6 ? hp.src_ip : {hp.src_ip[31:0], 96'd0};
        mi.daddr      = hp.ipv6 ? hp.dst_ip : {hp.dst_ip[31:0], 96'd0};
        mi.ports      = {hp.src_port, hp.dst_port};
        mi.tuser      = tuser_now;
        mi.dump       = dump_now;
        if (!hp_valid) begin
            // no TCP header by byte 137: not TCP
            mi.tcp        = 1'b0;
            mi.tcp_nocsum = 1'b0;
        end
    end

    logic [QC_W-1:0] mq_count_unused;
    sync_fifo #(.WIDTH($bits(mi)), .DEPTH(REC_Q)) u_meta_q (
        .clk(clk), .rst(rst),
        .in_valid(push_meta), .in_ready(mq_ready), .in_data(mi),
        .out_valid(meta_valid), .out_ready(meta_ready), .out_data(meta),
        .count(mq_count_unused)
    );

    // ----------------------------------------------------------- end records
    logic              e_push;
    tlsnic_pkg::iend_t e_rec;
    logic [QC_W-1:0]   eq_count;
    logic [3:0]        pend_reg;        // frames ended, end record not pushed yet
    logic              eq_in_ready_unused;

    if (CSUM) begin : g_csum
        logic        cs_valid, cs_ok;
        logic [15:0] cs_sum_unused, cs_rx_unused;
        // len_err of the frames in tcp_csum's pipeline, in order
        logic [net_pkg::TCP_CSUM_LAT-1:0] lerr_pipe_reg;
        logic [net_pkg::TCP_CSUM_LAT-1:0] last_pipe_reg;

        tcp_csum #(.DATA_W(DATA_W)) u_csum (
            .clk(clk), .rst(rst),
            .mon_tdata(s_tdata), .mon_tkeep(s_tkeep), .mon_beat(beat), .mon_tlast(s_tlast),
            .loc_valid(loc_valid), .loc(loc),
            .csum_valid(cs_valid), .csum_ok(cs_ok), .csum_sum(cs_sum_unused), .csum_rx(cs_rx_unused)
        );

        always_ff @(posedge clk) begin : len_delay
            last_pipe_reg <= {last_pipe_reg[net_pkg::TCP_CSUM_LAT-2:0], beat && s_tlast};
            lerr_pipe_reg <= {lerr_pipe_reg[net_pkg::TCP_CSUM_LAT-2:0], eof.len_err};
            if (rst) begin
                last_pipe_reg <= '0;
            end
        end

        assign e_push        = cs_valid;
        assign e_rec.len_err = lerr_pipe_reg[net_pkg::TCP_CSUM_LAT-1];
        assign e_rec.csum_ok = cs_ok;
        /* verilator lint_off UNUSEDSIGNAL */ // the end record comes from tcp_csum here
        logic eof_unused;
        /* verilator lint_on UNUSEDSIGNAL */
        assign eof_unused = eof_valid;

        `TLSNIC_ASSERT(IngressCsumInStep, cs_valid == last_pipe_reg[net_pkg::TCP_CSUM_LAT-1], clk, rst)
    end else begin : g_no_csum
        /* verilator lint_off UNUSEDSIGNAL */ // the checksum coverage is for tcp_csum
        logic              loc_unused;
        net_pkg::l4_loc_t  loc_bits_unused;
        /* verilator lint_on UNUSEDSIGNAL */
        assign loc_unused      = loc_valid;
        assign loc_bits_unused = loc;
        assign e_push        = eof_valid;
        assign e_rec.len_err = eof.len_err;
        assign e_rec.csum_ok = 1'b1;
    end

    sync_fifo #(.WIDTH($bits(e_rec)), .DEPTH(REC_Q)) u_end_q (
        .clk(clk), .rst(rst),
        .in_valid(e_push), .in_ready(eq_in_ready_unused), .in_data(e_rec),
        .out_valid(end_valid), .out_ready(end_ready), .out_data(end_rec),
        .count(eq_count)
    );

    // Room for this frame's end record, counting those still in tcp_csum.
    assign eq_room = 32'(eq_count) + 32'(pend_reg) < REC_Q;
    always_ff @(posedge clk) begin : pending
        pend_reg <= pend_reg + 4'(beat && s_tlast) - 4'(e_push);
        if (rst) begin
            pend_reg <= 4'd0;
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(IngressEndQueueRoom, e_push, eq_in_ready_unused, clk, rst)
    `TLSNIC_ASSERT_IMP(IngressMetaRoom, push_meta, mq_ready, clk, rst)
    // a record suppressed (after the "not TCP" one) never says TCP
    `TLSNIC_ASSERT_IMP(IngressLateRecordNotTcp, beat && hp_valid && sent_reg, !hp.is_tcp && !hp_nocsum, clk, rst)

endmodule

`default_nettype wire
