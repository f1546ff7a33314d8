// Formal harness: the keystream generator (ks_gen, a 4-entry keystream
// queue, a window of 2, LANES blocks per clock) between a walker and a datapath that do
// anything their contracts allow, with the AES pipe replaced by its
// contract (fv_aes_pipe_abs.sv: in order, any latency, `in_ready` free).
// The model passes each block through unciphered: ks_gen never looks at a
// block's value, so checking that the right counter block reaches the
// right queue entry is checking that the right keystream block does.
// Checked (make formal, bounded):
//   - the module's assertions: KsPopAvailable, KsNoOverflow (the queue and
//     the blocks in flight never exceed the queue), KsKeyWithNewFrame,
//     KsWipeWhenIdle; the request queue's FifoMpNoOverflow/NoUnderflow;
//     the model's AbsInWhenReady, AbsNoOverflow;
//   - KsBlocksAsRequested: the blocks produced (taken and queued) never
//     exceed the blocks requested, and equal them whenever the generator
//     is idle: every requested block comes, none extra;
//   - KsBlockOfItsFrame: the N-th block requested since reset (N any,
//     chosen by the solver), once in the queue's window, is the N-th
//     entry: the counter block iv || ctr + k its request named, carrying
//     the context given with its frame's key (so the key of its frame):
//     no block comes out of order, with a wrong counter or as another
//     connection's.
`default_nettype none

module fv_ks_gen #(
    parameter int LANES = 1
) (
    input  logic                 clk,
    input  logic                 rst,
    input  logic [2:0]           req_en,
    input  tlsnic_pkg::ksreq_t   req0,
    input  tlsnic_pkg::ksreq_t   req1,
    input  tlsnic_pkg::ksreq_t   req2,
    input  logic [255:0]         key,
    input  logic                 key256,
    input  logic [15:0]          key_ctx,
    input  logic [1:0]           ks_pop,
    input  logic                 wipe
);
    localparam int WIN = 2;

    logic         req_room, key_ready, key_valid, idle;
    logic [WIN*128-1:0] ks_win;
    logic [WIN*16-1:0]  ks_ctx;
    logic [2:0]   ks_count;

    // the requests' fields as plain vectors by index (Yosys' read -formal
    // misreads a field of an indexed element of a struct array)
    logic [2:0][5:0]  rn;
    logic [2:0][95:0] riv;
    logic [2:0][31:0] rctr;
    logic [2:0]       rnk, rcont;
    assign rn    = {req2.n, req1.n, req0.n};
    assign riv   = {req2.iv, req1.iv, req0.iv};
    assign rctr  = {req2.ctr, req1.ctr, req0.ctr};
    assign rnk   = {req2.nk, req1.nk, req0.nk};
    assign rcont = {req2.cont, req1.cont, req0.cont};

    // The walker gives a frame's key with the request that opens it.
    always_comb begin
        key_valid = 1'b0;
        for (int i = 0; i < 3; i++) begin
            if (req_en[i] && rnk[i]) begin
                key_valid = 1'b1;
            end
        end
    end

    ks_gen #(.LANES(LANES), .KS_DEPTH(4), .WIN(WIN), .REQ_DEPTH(4), .AES_STAGES(14)) dut (
        .clk(clk), .rst(rst),
        .req_en(req_en), .req0(req0), .req1(req1), .req2(req2), .req_room(req_room),
        .key_valid(key_valid), .key_ready(key_ready), .key(key), .key256(key256), .key_ctx(key_ctx),
        .ks_win(ks_win), .ks_ctx(ks_ctx), .ks_count(ks_count), .ks_pop(ks_pop),
        .wipe(wipe), .idle(idle)
    );

    initial assume (rst);

    // Blocks requested since reset; the solver's block N: its counter block
    // and its frame's context.
    (* anyconst *) logic [7:0] track_n;
    logic [7:0]   nreq_reg, npop_reg;
    logic [15:0]  fctx_reg;             // the context of the frame of the last request
    logic [95:0]  piv_reg;              // the last request's iv, and its counter after it
    logic [31:0]  pend_reg;
    logic [15:0]  track_ctx;
    logic [127:0] track_blk;
    logic         track_set;
    always_ff @(posedge clk) begin
        logic [7:0]  r;
        logic [15:0] c;
        r = nreq_reg;
        c = fctx_reg;
        for (int i = 0; i < 3; i++) begin
            if (req_en[i]) begin
                if (rnk[i]) begin
                    c = key_ctx;
                end
                if (track_n >= r && track_n - r < 8'(rn[i])) begin
                    track_ctx <= c;
                    track_blk <= {riv[i], rctr[i] + 32'(track_n - r)};
                    track_set <= 1'b1;
                end
                r = r + 8'(rn[i]);
            end
        end
        for (int i = 0; i < 3; i++) begin
            if (req_en[i]) begin
                piv_reg  <= riv[i];
                pend_reg <= rctr[i] + 32'(rn[i]);
            end
        end
        nreq_reg <= r;
        fctx_reg <= c;
        npop_reg <= npop_reg + 8'(ks_pop);
        if (rst) begin
            nreq_reg  <= 8'd0;
            npop_reg  <= 8'd0;
            fctx_reg  <= 16'd0;
            track_set <= 1'b0;
        end
    end

    // A `cont` request continues the request before it: same iv, the next
    // counter (the previous request in this clock's lanes, else the last
    // one of an earlier clock).
    logic [2:0][95:0] prev_iv;
    logic [2:0][31:0] prev_end;
    always_comb begin
        prev_iv[0]  = piv_reg;
        prev_end[0] = pend_reg;
        for (int i = 1; i < 3; i++) begin
            prev_iv[i]  = req_en[i-1] ? riv[i-1] : prev_iv[i-1];
            prev_end[i] = req_en[i-1] ? rctr[i-1] + 32'(rn[i-1]) : prev_end[i-1];
        end
    end

    always_comb begin
        if (!rst) begin
            // the walker: requests in index order, at most one opening a
            // frame per clock, only with room; the first request opens a
            // frame; 1 to 4 blocks each; `cont` only after a request, with
            // its iv and next counter
            assume (req_en == 3'b000 || req_en == 3'b001 || req_en == 3'b011 || req_en == 3'b111);
            assume (req_en == 3'b000 || req_room);
            for (int i = 0; i < 3; i++) begin
                if (req_en[i]) begin
                    assume (rn[i] >= 6'd1 && rn[i] <= 6'd4 && !(rnk[i] && rcont[i]));
                    // narrowed data (docs/formal.md): ks_gen moves the iv
                    // and adds to the counter, deciding nothing on either
                    assume (riv[i][95:8] == 88'd0 && rctr[i][31:8] == 24'd0);
                    if (rcont[i]) begin
                        assume (riv[i] == prev_iv[i] && rctr[i] == prev_end[i]);
                    end
                end
            end
            assume (!(req_en[0] && rnk[0] && req_en[1] && rnk[1]));
            assume (!(req_en[1] && rnk[1] && req_en[2] && rnk[2]));
            assume (!(req_en[0] && rnk[0] && req_en[2] && rnk[2]));
            if (nreq_reg == 8'd0 && req_en[0]) begin
                assume (rnk[0] && !rcont[0]);
            end
            assume (!key_valid || key_ready);
            // the datapath takes only what the window offers; a wipe only
            // when the generator is idle and no request or key enters (the
            // command unit drains the walker first and wipes in a state of
            // its own, not the one that asks for key set-up blocks)
            assume (ks_pop <= 2'(WIN) && 3'(ks_pop) <= ks_count);
            assume (!wipe || (idle && req_en == 3'b000));
            assume (nreq_reg < 8'd200);
        end
        if (!rst) begin
            KsBlocksAsRequested: assert (npop_reg + 8'(ks_count) <= nreq_reg
                                         && (!idle || npop_reg == nreq_reg));
        end
        // Not vacuous: blocks of two frames in the queue at once.
        if (!rst) begin
            TwoFramesQueued: cover (ks_count >= 3'd2 && ks_ctx[15:0] != ks_ctx[31:16]);
        end
    end

    // block N where it sits in the window, if it is there
    logic blk_ok;
    always_comb begin
        blk_ok = 1'b1;
        for (int i = 0; i < WIN; i++) begin
            if (track_n == npop_reg + 8'(i) && 3'(i) < ks_count) begin
                blk_ok = blk_ok && ks_ctx[16*i +: 16] == track_ctx && ks_win[128*i +: 128] == track_blk;
            end
        end
        if (!rst && track_set) begin
            KsBlockOfItsFrame: assert (blk_ok);
        end
    end

    logic unused;
    assign unused = ^{key, key256};
endmodule

`default_nettype wire
