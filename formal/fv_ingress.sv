// Formal harness: a record engine's frame ingress (frame_ingress: 16-byte
// beats, an 8-beat frame FIFO, record queues of 4; with CSUM = 1 the RX
// form and its TCP checksum pipeline) with the header parser inside,
// between a source and three consumers that do anything their handshakes
// allow. The frames' bytes are free: the parser sees every header (and
// every malformed one) the solver can make. Checked (make formal,
// bounded):
//   - the module's assertions (IngressMetaRoom, IngressEndQueueRoom,
//     IngressLateRecordNotTcp; RX: IngressCsumInStep) and those of its
//     FIFOs;
//   - OutHeld, MetaHeld, EndHeld: each of the three output streams obeys
//     the handshake (a beat or record offered and not taken is offered
//     again, unchanged);
//   - MetaOncePerFrame: meta records never run ahead of the frames begun
//     (counting the one offered), and once a frame's last beat has
//     entered, its record has been taken or is offered: one record per
//     frame, none missing, none extra, none late;
//   - MetaOfItsFrame: the N-th meta record (N any, chosen by the solver)
//     carries the N-th frame's first-beat tuser (its TX descriptor), so
//     records stay with their frames;
//   - EndAfterFrame: end records never run ahead of the frames ended;
//     BeatsNotAhead: beats leave no faster than they came.
`default_nettype none

module fv_ingress #(
    parameter bit CSUM = 1'b0
) (
    input  logic          clk,
    input  logic          rst,
    input  logic [127:0]  s_tdata,
    input  logic [15:0]   s_tkeep,
    input  logic          s_tvalid,
    input  logic          s_tlast,
    input  logic [63:0]   s_tuser,
    input  logic          out_ready,
    input  logic          meta_ready,
    input  logic          end_ready
);
    logic          s_tready, out_valid, out_last, meta_valid, end_valid;
    logic [127:0]  out_data;
    logic [15:0]   out_keep;
    tlsnic_pkg::imeta_t meta;
    tlsnic_pkg::iend_t  end_rec;

    frame_ingress #(.DATA_W(128), .DEPTH(8), .REC_Q(4), .CSUM(CSUM)) dut (
        .clk(clk), .rst(rst),
        .s_tdata(s_tdata), .s_tkeep(s_tkeep), .s_tvalid(s_tvalid), .s_tready(s_tready),
        .s_tlast(s_tlast), .s_tuser(s_tuser),
        .out_data(out_data), .out_keep(out_keep), .out_last(out_last), .out_valid(out_valid),
        .out_ready(out_ready),
        .meta_valid(meta_valid), .meta_ready(meta_ready), .meta(meta),
        .end_valid(end_valid), .end_ready(end_ready), .end_rec(end_rec)
    );

    initial assume (rst);

    // ----------------------------------------- the source: AXI4-Stream
    logic [16:0]   keep_inc;
    assign keep_inc = {1'b0, s_tkeep} + 17'd1;
    fv_stream_hold #(.WIDTH(1 + 64 + 16 + 128), .ASSUME(1'b1)) u_s_src (
        .clk(clk), .rst(rst), .valid(s_tvalid), .ready(s_tready), .excuse(1'b0),
        .data({s_tlast, s_tuser, s_tkeep, s_tdata})
    );
    always_comb begin
        if (!rst) begin
            // packed frames: every beat full but the last, which keeps
            // lanes 0..n-1 (n >= 1)
            if (s_tvalid) begin
                assume (s_tkeep != 16'd0 && (s_tlast ? (keep_inc[15:0] & s_tkeep) == 16'd0
                                                     : s_tkeep == 16'hFFFF));
            end
        end
    end

    // ------------------------------------------------ the three outputs
    // each holds what it offered (OutHeld, MetaHeld, EndHeld)
    fv_stream_hold #(.WIDTH(1 + 16 + 128)) OutHeld (
        .clk(clk), .rst(rst), .valid(out_valid), .ready(out_ready), .excuse(1'b0),
        .data({out_last, out_keep, out_data})
    );
    fv_stream_hold #(.WIDTH($bits(meta))) MetaHeld (
        .clk(clk), .rst(rst), .valid(meta_valid), .ready(meta_ready), .excuse(1'b0), .data(meta)
    );
    fv_stream_hold #(.WIDTH($bits(end_rec))) EndHeld (
        .clk(clk), .rst(rst), .valid(end_valid), .ready(end_ready), .excuse(1'b0), .data(end_rec)
    );

    // ------------------------------------------------------ the counts
    logic       in_first_reg;           // the next beat entering starts a frame
    logic [7:0] begun_reg, ended_reg, meta_n_reg, end_n_reg, in_n_reg, out_n_reg;
    (* anyconst *) logic [7:0] trk;
    logic [63:0] trk_tuser_reg;
    logic        beat_in;
    assign beat_in = s_tvalid && s_tready;
    always_ff @(posedge clk) begin
        if (beat_in) begin
            in_first_reg <= s_tlast;
            if (in_first_reg && begun_reg == trk) begin
                trk_tuser_reg <= s_tuser;
            end
        end
        begun_reg  <= begun_reg + 8'(beat_in && in_first_reg);
        ended_reg  <= ended_reg + 8'(beat_in && s_tlast);
        meta_n_reg <= meta_n_reg + 8'(meta_valid && meta_ready);
        end_n_reg  <= end_n_reg + 8'(end_valid && end_ready);
        in_n_reg   <= in_n_reg + 8'(beat_in);
        out_n_reg  <= out_n_reg + 8'(out_valid && out_ready);
        if (rst) begin
            in_first_reg <= 1'b1;
            begun_reg    <= 8'd0;
            ended_reg    <= 8'd0;
            meta_n_reg   <= 8'd0;
            end_n_reg    <= 8'd0;
            in_n_reg     <= 8'd0;
            out_n_reg    <= 8'd0;
        end
    end

    always_comb begin
        if (!rst) begin
            assume (begun_reg < 8'd200 && in_n_reg < 8'd200);
            MetaOncePerFrame: assert (meta_n_reg + 8'(meta_valid) <= begun_reg
                                      && (ended_reg <= meta_n_reg || meta_valid));
            EndAfterFrame: assert (end_n_reg + 8'(end_valid) <= ended_reg);
            BeatsNotAhead: assert (out_n_reg + 8'(out_valid) <= in_n_reg);
            if (meta_valid && meta_n_reg == trk) begin
                MetaOfItsFrame: assert (meta.tuser == trk_tuser_reg);
            end
        end
        // Not vacuous: the second frame's record taken after its end
        // record came through (a frame of two beats and one after it).
        if (!rst) begin
            TwoFramesThrough: cover (meta_n_reg == 8'd2 && end_n_reg == 8'd2 && out_n_reg >= 8'd3);
        end
    end
endmodule

`default_nettype wire
