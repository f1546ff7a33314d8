// Keystream generator: AES-CTR blocks for the record walker's requests,
// in request order, into a keystream queue that the crypto datapath reads.
//
// Requests (`req_*`, tlsnic_pkg::ksreq_t) name runs of counter blocks
// (iv || ctr, iv || ctr+1, ...). A request with `nk` starts a new frame and
// takes its key from the key queue (`key_*`, one entry per such request);
// `cont` extends the run in progress (the same record, the next counters),
// so the walker can ask beat by beat while the generator issues LANES
// blocks per clock regardless of how the requests were cut. Per clock the
// generator issues up to LANES blocks of one key: the rest of the current
// run and, if it ends, the first blocks of the next run of the same key.
//
// The AES pipe (`aes_enc_pipe`, LANES blocks per clock, LATENCY 14; 28
// with the S-boxes in block RAM, SBOX_RAM) has no
// backpressure: a block is issued only with a free keystream queue entry
// reserved for it (credits = KS_DEPTH - queued - in flight). Folded
// (AES_STAGES < 14, a board configuration) it takes a block every
// ceil(14 / AES_STAGES) clocks: no block is issued while its `in_ready` is
// low (as if there were no credits). The queue
// (KS_DEPTH x 128-bit registers) offers its first WIN entries at once
// (`ks_win`, entry 0 = oldest) and drops `ks_pop` of them per clock.
//
// Wipe (`wipe`, a context is being deleted, the generator is idle): the
// key register is cleared. The AES pipe always sees the key register when
// idle, so 14 clocks later its round-key window holds no trace of a key.
//
// Latency: request to keystream 16 clocks (one to issue, 14 in AES, one
// into the queue; 30 with SBOX_RAM). Throughput: LANES blocks per clock (folded: per
// ceil(14 / AES_STAGES) clocks).
`default_nettype none

module ks_gen #(
    parameter int LANES    = 1,        // AES blocks per clock
    parameter int KS_DEPTH = 32,       // keystream queue entries (power of two)
    parameter int WIN      = 4,        // queue entries visible at once
    parameter int REQ_DEPTH = 8,       // request queue entries
    parameter int AES_STAGES = 14,     // AES round units (aes_enc_pipe STAGES; < 14: folded)
    parameter int SBOX_RAM   = 0       // AES S-boxes in block RAM (aes_enc_pipe SBOX_RAM: latency 28)
) (
    input  logic                    clk,
    input  logic                    rst,

    // Requests from the walker: up to three per clock, in index order
    input  logic [2:0]              req_en,
    input  tlsnic_pkg::ksreq_t      req0,
    input  tlsnic_pkg::ksreq_t      req1,
    input  tlsnic_pkg::ksreq_t      req2,
    output logic                    req_room,   // room for three

    // Frame keys from the walker (one per request with `nk`)
    input  logic                    key_valid,
    output logic                    key_ready,
    input  logic [255:0]            key,
    input  logic                    key256,
    input  logic [15:0]             key_ctx,    // the frame's context (travels with its blocks)

    // Keystream queue, read by the datapath
    output logic [WIN*128-1:0]      ks_win,     // entry i in [128i +: 128]
    output logic [WIN*16-1:0]       ks_ctx,     // the context whose key made entry i
    output logic [$clog2(KS_DEPTH):0] ks_count,
    input  logic [$clog2(WIN):0]    ks_pop,

    input  logic                    wipe,
    output logic                    idle        // no request, run or block in flight, queue empty
);

    localparam int PTR_W = $clog2(KS_DEPTH);
    localparam int CNT_W = PTR_W + 1;
    localparam int LN_W  = $clog2(LANES + 1);

    if (KS_DEPTH < 2 * LANES || (1 << PTR_W) != KS_DEPTH || WIN > KS_DEPTH) begin : g_bad_depth
        $error("ks_gen: KS_DEPTH must be a power of two >= 2*LANES and >= WIN");
    end

    // ------------------------------------------------------------ queues in
    localparam int RQ_W = $bits(req0);
    logic               rq_valid, rq_pop;
    tlsnic_pkg::ksreq_t rq;
    logic [$clog2(REQ_DEPTH):0] rq_count;
    logic               kq_valid, kq_pop;
    logic [272:0]       kq;                 // {ctx, key256, key}

    fifo_mp #(.WIDTH(RQ_W), .DEPTH(REQ_DEPTH), .NIN(3), .NOUT(1)) u_req_q (
        .clk(clk), .rst(rst),
        .in_en(req_en), .in_data({req2, req1, req0}), .in_room(req_room),
        .win(rq), .count(rq_count), .pop(rq_pop)
    );
    assign rq_valid = rq_count != '0;

    // Key queue: two registers, cleared by `wipe` (a FIFO memory would keep
    // a used key).
    logic [272:0] kq_reg [2] /*verilator public_flat_rd*/;
    logic [1:0]   kq_n_reg;
    assign kq_valid  = kq_n_reg != 2'd0;
    assign kq        = kq_reg[0];
    assign key_ready = kq_n_reg != 2'd2;
    always_ff @(posedge clk) begin : key_queue
        logic [1:0] n;
        n = kq_n_reg;
        if (kq_pop) begin
            kq_reg[0] <= kq_reg[1];
            kq_reg[1] <= 273'd0;
            n = n - 2'd1;
        end
        if (key_valid && key_ready) begin
            kq_reg[n[0]] <= {key_ctx, key256, key};
            n = n + 2'd1;
        end
        kq_n_reg <= n;
        if (wipe || rst) begin
            kq_reg[0] <= 273'd0;
            kq_reg[1] <= 273'd0;
            kq_n_reg  <= 2'd0;
        end
    end

    // ------------------------------------------------------------- the run
    logic [255:0] key_reg /*verilator public_flat_rd*/;
    logic         key256_reg;
    logic [15:0]  kctx_reg;                 // the context of key_reg
    logic [95:0]  iv_reg;
    logic [31:0]  ctr_reg;
    logic [15:0]  rem_reg;          // blocks of the run not issued yet

    logic [CNT_W-1:0] q_count_reg;  // blocks in the keystream queue
    logic [CNT_W-1:0] inflight_reg; // blocks in the AES pipe
    logic [CNT_W-1:0] credits;
    logic aes_ready;
    assign credits = aes_ready ? CNT_W'(KS_DEPTH) - q_count_reg - inflight_reg : '0;

    // Issue plan for this clock: run A (the current run, or the head request
    // when no run is open) then run B (the head request, same key) in the
    // lanes A leaves free.
    logic         start_a, absorb, start_b;
    logic [95:0]  iv_a;
    logic [31:0]  ctr_a;
    logic [15:0]  rem_a;            // run A's blocks before this clock's issue
    logic [LN_W-1:0] k_a, k_b;
    logic [255:0] key_use;
    logic         key256_use;
    logic [15:0]  kctx_use;

    function automatic logic [LN_W-1:0] min3(input logic [15:0] a, input logic [15:0] b,
                                             input logic [CNT_W-1:0] c);
        logic [15:0] m;
        m = (a < b) ? a : b;
        m = (m < 16'(c)) ? m : 16'(c);
        min3 = LN_W'(m);
    endfunction

    always_comb begin : issue_plan
        start_a    = 1'b0;
        absorb     = 1'b0;
        start_b    = 1'b0;
        iv_a       = iv_reg;
        ctr_a      = ctr_reg;
        rem_a      = rem_reg;
        key_use    = key_reg;
        key256_use = key256_reg;
        kctx_use   = kctx_reg;
        if (rem_reg == 16'd0) begin
            // no run open: the head request starts one (a new key from the
            // key queue when it opens a frame)
            if (rq_valid && (!rq.nk || kq_valid)) begin
                start_a = 1'b1;
                iv_a    = rq.iv;
                ctr_a   = rq.ctr;
                rem_a   = 16'(rq.n);
                if (rq.nk) begin
                    key_use    = kq[255:0];
                    key256_use = kq[256];
                    kctx_use   = kq[272:257];
                end
            end
        end else if (rq_valid && rq.cont) begin
            absorb = 1'b1;
            rem_a  = rem_reg + 16'(rq.n);
        end
        k_a = min3(rem_a, 16'(LANES), credits);
        k_b = '0;
        if (!start_a && !absorb && rq_valid && !rq.nk && !rq.cont
            && 16'(k_a) == rem_a && int'(k_a) < LANES) begin
            start_b = 1'b1;
            k_b = min3(16'(rq.n), 16'(LANES) - 16'(k_a), credits - CNT_W'(k_a));
        end
    end

    assign rq_pop = start_a || absorb || start_b;
    assign kq_pop = start_a && rq.nk;

    // AES inputs: lanes [0, k_a) from run A, [k_a, k_a + k_b) from run B.
    logic [LANES*128-1:0] blocks;
    logic [LN_W-1:0]      n_issue;
    logic                 issue;
    always_comb begin : lane_blocks
        for (int j = 0; j < LANES; j++) begin
            if (LN_W'(j) < k_a) begin
                blocks[128*j +: 128] = {iv_a, ctr_a + 32'(j)};
            end else begin
                blocks[128*j +: 128] = {rq.iv, rq.ctr + 32'(j) - 32'(k_a)};
            end
        end
        n_issue = k_a + k_b;
        issue   = n_issue != '0;
    end

    logic                 aes_valid;
    logic [LANES*128-1:0] aes_blocks;
    logic [LN_W-1:0]      aes_n;
    logic [15:0]          aes_ctx;

    aes_enc_pipe #(.TAG_W(LN_W + 16), .LANES(LANES), .STAGES(AES_STAGES), .SBOX_RAM(SBOX_RAM)) u_aes (
        .clk       (clk),
        .rst       (rst),
        .in_valid  (issue),
        .in_ready  (aes_ready),
        .in_key    (key_use),
        .in_key256 (key256_use),
        .in_block  (blocks),
        .in_tag    ({kctx_use, n_issue}),
        .out_valid (aes_valid),
        .out_block (aes_blocks),
        .out_tag   ({aes_ctx, aes_n})
    );

    // ------------------------------------------------------ keystream queue
    logic [127:0]     q_mem [KS_DEPTH];
    logic [15:0]      q_ctx [KS_DEPTH];
    logic [PTR_W-1:0] q_wr_reg, q_rd_reg;
    logic [LN_W-1:0]  n_in;
    assign n_in = aes_valid ? aes_n : '0;

    always_ff @(posedge clk) begin : run_regs
        if (start_a && rq.nk) begin
            key_reg    <= kq[255:0];
            key256_reg <= kq[256];
            kctx_reg   <= kq[272:257];
        end
        if (start_b) begin
            iv_reg  <= rq.iv;
            ctr_reg <= rq.ctr + 32'(k_b);
            rem_reg <= 16'(rq.n) - 16'(k_b);
        end else begin
            iv_reg  <= iv_a;
            ctr_reg <= ctr_a + 32'(k_a);
            rem_reg <= rem_a - 16'(k_a);
        end
        for (int j = 0; j < LANES; j++) begin
            if (LN_W'(j) < n_in) begin
                q_mem[q_wr_reg + PTR_W'(j)] <= aes_blocks[128*j +: 128];
                q_ctx[q_wr_reg + PTR_W'(j)] <= aes_ctx;
            end
        end
        q_wr_reg     <= q_wr_reg + PTR_W'(n_in);
        q_rd_reg     <= q_rd_reg + PTR_W'(ks_pop);
        q_count_reg  <= q_count_reg + CNT_W'(n_in) - CNT_W'(ks_pop);
        inflight_reg <= inflight_reg + CNT_W'(n_issue) - CNT_W'(n_in);
        if (wipe) begin
            key_reg    <= 256'd0;
            key256_reg <= 1'b0;
        end
        if (rst) begin
            rem_reg      <= 16'd0;
            q_wr_reg     <= '0;
            q_rd_reg     <= '0;
            q_count_reg  <= '0;
            inflight_reg <= '0;
            key_reg      <= 256'd0;
            key256_reg   <= 1'b0;
        end
    end

    always_comb begin : window
        for (int i = 0; i < WIN; i++) begin
            ks_win[128*i +: 128] = q_mem[q_rd_reg + PTR_W'(i)];
            ks_ctx[16*i +: 16]   = q_ctx[q_rd_reg + PTR_W'(i)];
        end
    end
    assign ks_count = q_count_reg;
    assign idle     = !rq_valid && rem_reg == 16'd0 && inflight_reg == '0 && q_count_reg == '0;

    // Assertions
    `TLSNIC_ASSERT(KsPopAvailable, CNT_W'(ks_pop) <= q_count_reg, clk, rst)
    `TLSNIC_ASSERT(KsNoOverflow, q_count_reg + inflight_reg <= CNT_W'(KS_DEPTH), clk, rst)
    `TLSNIC_ASSERT_IMP(KsKeyWithNewFrame, start_a && rq.nk, kq_valid, clk, rst)
    `TLSNIC_ASSERT_IMP(KsWipeWhenIdle, wipe, idle, clk, rst)

endmodule

`default_nettype wire
