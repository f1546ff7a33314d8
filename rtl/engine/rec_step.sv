// One step of the record walker (combinational): from the walker state at
// lane `s` of a beat, delineate records in the payload lanes [s, phi) and
// say what the crypto datapath does with them.
//
// A step covers lanes [s, pos_o) and touches at most two records:
//   C0  the record in progress at lane s: the rest of its header and
//       TLS 1.2 nonce, body bytes, the body end (GHASH finalize), tag bytes;
//   C1  the next record: header, nonce, AAD and body bytes, but not its
//       body end: the step is cut after C1's last body byte and the next
//       step starts with C1 as C0.
// So one record boundary costs no extra clock; a beat holding several
// whole records (tiny records, wide beats) takes one step per record.
// Also cut: after a header that fails its checks (err_o, TX and RX in
// sync), and in the RX tracking modes after every header (the next step
// continues the same beat).
// ONE (the board configuration): a step is one section of C0 (header from
// any byte, nonce, body with its end, tag, skipped bytes), never C1, and
// each section is computed from the step's inputs, not from the sections
// before it: the logic is the sections side by side and a choice among
// them, about a quarter of the full step's depth (measured with synth_ecp5:
// 14 ns against 52 ns in syn/ecp5_paths.py's estimate), for more steps per
// beat (one per section; a beat of body bytes is still one step).
//
// Keystream: body bytes [b, b+n) of a record need the counter blocks
// b/16 .. (b+n-1)/16 (counter = block + 2); `kreq` is the first block not
// yet asked for in this frame (`kreq_ok` = 0 at a frame start: the block
// holding the first byte is asked for again). Requests, in the datapath's
// order: C0 blocks, C0's E(J0) (counter 1) at its body end, C1 blocks.
// RX modes other than SYNC walk without crypto: SEARCH scans [s, phi) (at
// most 4 lanes of it per step in the ONE form) with the 4 bytes before s
// (`rxs.hist`) for a plausible header; TRACK follows
// length fields (S_SKIP over each record, a check at each header) and
// raises the resync request after RESYNC_CONFIRM headers.
`default_nettype none

module rec_step #(
    parameter int  W  = 16,                 // beat bytes
    parameter bit  RX = 1'b0,
    parameter int  RESYNC_CONFIRM  = 1,
    parameter int  RESYNC_PATIENCE = 16,
    parameter bit  ONE = 1'b0               // one section per step (a shorter path, more steps)
) (
    input  tlsnic_pkg::wst_t   st,
    input  tlsnic_pkg::rxst_t  rxs,
    input  logic               v13,
    input  logic [95:0]        iv,          // TLS 1.2: salt in [95:64]; TLS 1.3: the 12-byte IV
    input  logic [W*8-1:0]     data,        // lane i in [8i +: 8]
    input  logic [6:0]         s,           // first lane of the step
    input  logic [6:0]         phi,         // end of the payload lanes of this beat
    /* verilator lint_off UNUSEDSIGNAL */ // the ONE form's only
    input  logic [63:0]        win8,        // ONE: lanes s .. s+7 (lane s+i in [8i +: 8], zero beyond the beat)
    input  logic [6:0]         room,        // ONE: phi - s (the step's lanes when s < phi)
    input  logic [15:0]        rem,         // ONE: bytes left of the section at st (see take())
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic [31:0]        seq0,        // TCP sequence number of lane 0
    input  logic [10:0]        kreq,
    input  logic               kreq_ok,
    input  logic               first_req,   // no keystream request yet in this frame

    output tlsnic_pkg::wst_t   st_o,
    output tlsnic_pkg::rxst_t  rxs_o,
    output logic [10:0]        kreq_o,
    output logic               kreq_ok_o,
    output logic [6:0]         pos_o,       // where the step ends
    output tlsnic_pkg::step_t  plan,        // lanes and C0/C1 events (last/bdone/crypto set by the caller)
    output logic [2:0]         req_en,      // 0: C0 blocks, 1: C0 E(J0), 2: C1 blocks
    output tlsnic_pkg::ksreq_t req0,
    output tlsnic_pkg::ksreq_t req1,
    output tlsnic_pkg::ksreq_t req2,
    output logic [1:0]         aad_en,      // 0: C0's AAD, 1: C1's AAD
    output logic [127:0]       aad0,
    output logic [127:0]       aad1,
    output logic               err_o,       // a header failed its checks (walking stops)
    output logic               part_o,      // RX: bytes skipped in sync (S_SKIP)
    output logic               rreq_o,      // RX: the resync request is raised in this step
    output logic               rst_o        // RX: the scan restarted in this step
);

    typedef tlsnic_pkg::sect_e sect_e;

    // The beat's bytes by lane, zero beyond the beat (any 7-bit lane index
    // is in range: a plain array read, also for the simulator).
    logic [7:0] bx [128];
    always_comb begin : bytes_of
        for (int i = 0; i < 128; i++) begin
            bx[i] = (i < W) ? data[8*(i % W) +: 8] : 8'd0;
        end
    end

    function automatic logic [7:0] lane(input logic [6:0] p);
        lane = bx[p];
    endfunction

    // Lane s + k (k < 8): the ONE form's sections read only these (each
    // section starts the step, at lane s), from `win8`, which the walker
    // registers with the lanes (the byte select out of the step's path).
    function automatic logic [7:0] near(input logic [6:0] k);
        near = 8'd0;
        if (ONE) begin
            for (int i = 0; i < 8; i++) begin
                if (k[2:0] == 3'(i)) begin
                    near = win8[8*i +: 8];
                end
            end
        end else begin
            near = bx[7'(s + k)];
        end
    endfunction

    // The payload lanes left from `pos`: the ONE form's steps (a section or
    // a search) start at lane s, where the walker registers them with the
    // lanes (`room`). (A step with s >= phi walks nothing: its results are
    // not used.)
    function automatic logic [6:0] left(input logic [6:0] pos);
        left = ONE ? room : phi - pos;
    endfunction

    function automatic logic [6:0] min7(input logic [15:0] a, input logic [6:0] c);
        min7 = (a < 16'(c)) ? 7'(a) : c;
    endfunction

    // The lanes a section takes from `pos`: the bytes it has left (x) or
    // the payload lanes left, the fewer. ONE: its sections start the step,
    // so x is the section's bytes left at `st` (`rem`: rxs.skip in S_SKIP,
    // 5, 8 or 16 minus soff in the header, nonce or tag, blen - boff in the
    // body), which the walker registers with the lanes: one comparison of
    // registers for every section instead of one per section after the
    // subtraction of its operands (the step's path to pos_o).
    logic [6:0] n_one;
    assign n_one = min7(rem, room);
    function automatic logic [6:0] take(input logic [15:0] x, input logic [6:0] pos);
        take = ONE ? n_one : min7(x, left(pos));
    endfunction

    // Byte j of a header or nonce whose first soff bytes came before: one of
    // the n from `pos` this step takes. ONE: the lanes left (`room`) bound
    // it instead of n, the same bytes (n is the fewer of those and the
    // section's), off the comparison that makes n.
    function automatic logic got(input logic [3:0] j, input logic [3:0] soff, input logic [3:0] n);
        logic [3:0] k;
        k   = j - soff;
        got = j >= soff && (ONE ? 7'(k) < room : j < soff + n);
    endfunction

    // AAD block (GCM order, byte 0 in [127:120]).
    function automatic logic [127:0] aad_block(input logic [39:0] h, input logic [63:0] rec,
                                               input logic [15:0] blen, input logic is13);
        if (is13) begin
            aad_block = {h, 88'd0};
        end else begin
            aad_block = {rec, h[39:16], blen, 24'd0};
        end
    endfunction

    function automatic logic [95:0] iv_of(input logic [63:0] rec, input logic [63:0] nonce, input logic is13);
        iv_of = is13 ? (iv ^ {32'd0, rec}) : {iv[95:64], nonce};
    endfunction

    // ------------------------------------------------------- RX scan window
    // A search step looks for a header ending at lanes s .. s+SCAN-1:
    // SCAN = W (the whole beat) in the full form; 4 in the ONE form, whose
    // window is then 8 bytes (4 of history, 4 lanes, read from `win8`): 4
    // header checks instead of 16 (RX rec_step alone with synth_ecp5, when
    // it still selected the window's bytes itself: 4,977 LUT4 and 452 CCU2C
    // against 7,630 and 959 with the whole beat). A search step covers at
    // most 4 lanes: at three clocks per step, 1.33 bytes per clock while
    // searching (after a loss), against the board engine's 2.26 in sync.
    localparam int SCAN = (ONE && W > 4) ? 4 : W;
    // win[0..3]: the history (oldest first), win[4+j]: lane s+j.
    logic [7:0] win [SCAN+4];
    logic       win_ok [SCAN+4];
    logic       sc_found;
    logic [6:0] sc_k;
    logic [39:0] sc_hdr;
    logic [31:0] sc_nh;                 // the found header's next header: seq0 + s + k - 4 + 5 + len
    logic [6:0]  sc_pos;                // where the step ends when one is found: s + k + 1
    logic [31:0] sc_hist;
    logic [6:0]  sc_end;                // where a search step without a header ends
    always_comb begin : scan
        for (int k = 0; k < 4; k++) begin
            win[k]    = rxs.hist[31 - 8*k -: 8];
            win_ok[k] = 3'(4 - k) <= rxs.hcnt;
        end
        for (int j = 0; j < SCAN; j++) begin
            win[4 + j]    = near(7'(j));
            win_ok[4 + j] = ONE ? 7'(j) < room : s + 7'(j) < phi;
        end
        sc_found = 1'b0;
        sc_k     = 7'd0;
        sc_hdr   = 40'd0;
        sc_nh    = 32'd0;
        sc_pos   = 7'd0;
        if (RX) begin
            for (int k = SCAN - 1; k >= 0; k--) begin
                if (win_ok[k] && win_ok[k + 4]
                    && tlsnic_pkg::hdr_plausible({win[k], win[k+1], win[k+2], win[k+3], win[k+4]}, v13)) begin
                    sc_found = 1'b1;
                    sc_k     = 7'(k);
                    sc_hdr   = {win[k], win[k+1], win[k+2], win[k+3], win[k+4]};
                    // ONE: the sums of every candidate side by side, the
                    // found one chosen after them (a shorter path than the
                    // sums after the choice; four candidates, not W)
                    if (ONE) begin
                        sc_nh  = seq0 + 32'(s) + 32'(k) + 32'd1 + 32'({win[k+3], win[k+4]});
                        sc_pos = s + 7'(k) + 7'd1;
                    end
                end
            end
        end
        sc_end  = (SCAN < W && left(s) > 7'(SCAN)) ? s + 7'(SCAN) : s + left(s);
        sc_hist = 32'd0;
        for (int e = 4; e <= SCAN + 4; e++) begin
            if (7'(e) == 7'd4 + sc_end - s) begin
                sc_hist = {win[e-4], win[e-3], win[e-2], win[e-1]};
            end
        end
    end

    // ----------------------------------------------------------- the step
    always_comb begin : walk
        tlsnic_pkg::wst_t  w;
        tlsnic_pkg::rxst_t r;
        logic [6:0]  pos, n;
        logic        stop;
        logic [15:0] len;
        logic [31:0] hstart;            // TCP sequence number of the header being completed
        logic [10:0] kr;
        logic        kr_ok;
        logic        any_req;
        logic [10:0] last_blk;
        logic [95:0] iv_c;

        w      = st;
        r      = rxs;
        pos    = s;
        stop   = 1'b0;
        kr     = kreq;
        kr_ok  = kreq_ok;
        any_req = !first_req;
        plan   = '0;
        req_en = 3'b000;
        req0   = '0;
        req1   = '0;
        req2   = '0;
        aad_en = 2'b00;
        aad0   = 128'd0;
        aad1   = 128'd0;
        err_o  = 1'b0;
        part_o = 1'b0;
        rreq_o = 1'b0;
        rst_o  = 1'b0;
        len    = 16'd0;
        hstart = 32'd0;
        last_blk = 11'd0;
        iv_c   = 96'd0;
        n      = 7'd0;

        if (RX && rxs.mode == tlsnic_pkg::M_SEARCH) begin
            // ------------------------------------------------ stream scan
            if (sc_found) begin
                len       = sc_hdr[15:0];
                w.hdr     = sc_hdr;
                r.mode    = tlsnic_pkg::M_TRACK;
                w.sect    = tlsnic_pkg::S_SKIP;
                r.skip    = len;
                r.nh      = ONE ? sc_nh : seq0 + 32'(s) + 32'(sc_k) - 32'd4 + 32'd5 + 32'(len);
                r.conf    = 4'd0;
                r.req     = 1'b0;
                pos       = ONE ? sc_pos : s + sc_k + 7'd1;
            end else begin
                pos    = sc_end;
                r.hist = sc_hist;
                r.hcnt = (7'(rxs.hcnt) + sc_end - s >= 7'd4) ? 3'd4 : rxs.hcnt + 3'(sc_end - s);
            end
        end else if (RX && rxs.mode == tlsnic_pkg::M_TRACK) begin
            // ------------------------------------- following length fields
            if (w.sect == tlsnic_pkg::S_SKIP) begin
                stop = ONE;
                n      = take(r.skip, pos);
                r.skip = r.skip - 16'(n);
                pos    = pos + n;
                if (r.skip == 16'd0) begin
                    w.sect = tlsnic_pkg::S_HDR;
                    w.soff = 4'd0;
                    w.rec  = w.rec + 64'd1;
                end
            end
            if (!stop && w.sect == tlsnic_pkg::S_HDR && (ONE ? room != 7'd0 : pos < phi)) begin
                if (ONE) begin      // the section starts the step (no skip before it): its inputs, a shorter path
                    w = st; r = rxs; pos = s;
                end
                n = take({12'd0, 4'd5 - w.soff}, pos);
                for (int j = 0; j < 5; j++) begin
                    if (got(4'(j), w.soff, 4'(n))) begin
                        w.hdr[39 - 8*j -: 8] = ONE ? near(7'(j) - 7'(w.soff)) : lane(pos + 7'(j) - 7'(w.soff));
                    end
                end
                hstart = seq0 + 32'(pos) - {28'd0, w.soff};
                pos    = pos + n;
                if (w.soff + 4'(n) == 4'd5) begin
                    len    = w.hdr[15:0];
                    w.soff = 4'd0;
                    w.sect = tlsnic_pkg::S_SKIP;
                    r.skip = len;
                    r.nh   = hstart + 32'd5 + 32'(len);
                    if (!tlsnic_pkg::hdr_plausible(w.hdr, v13)) begin
                        // no header where the lengths predicted one: rescan
                        r.mode = tlsnic_pkg::M_SEARCH;
                        w.sect = tlsnic_pkg::S_SCAN;
                        r.hcnt = 3'd0;
                        r.req  = 1'b0;
                        rst_o  = 1'b1;
                    end else if (!r.req) begin
                        if (32'(r.conf) + 32'd1 >= 32'(RESYNC_CONFIRM)) begin
                            r.req   = 1'b1;
                            rreq_o  = 1'b1;
                            r.guess = hstart;
                            w.rec   = 64'd0;        // records counted from the guess
                        end else begin
                            r.conf = r.conf + 4'd1;
                        end
                    end else if (w.rec >= 64'(RESYNC_PATIENCE)) begin
                        // no answer: drop the guess and rescan
                        r.mode = tlsnic_pkg::M_SEARCH;
                        w.sect = tlsnic_pkg::S_SCAN;
                        r.hcnt = 3'd0;
                        r.req  = 1'b0;
                        rst_o  = 1'b1;
                    end
                end else begin
                    w.soff = w.soff + 4'(n);
                end
            end
        end else begin
            // ------------------------------------ in sync: walk the records
            // C0: the rest of a header
            if (w.sect == tlsnic_pkg::S_HDR && (ONE || w.soff != 4'd0)) begin
                n = take({12'd0, 4'd5 - w.soff}, pos);
                for (int j = 0; j < 5; j++) begin
                    if (got(4'(j), w.soff, 4'(n))) begin
                        w.hdr[39 - 8*j -: 8] = ONE ? near(7'(j) - 7'(w.soff)) : lane(pos + 7'(j) - 7'(w.soff));
                    end
                end
                hstart = seq0 + 32'(pos) - {28'd0, w.soff};
                pos    = pos + n;
                if (w.soff + 4'(n) == 4'd5) begin
                    len = w.hdr[15:0];
                    if (RX ? !tlsnic_pkg::hdr_plausible(w.hdr, v13)
                           : (len < (v13 ? 16'd17 : 16'd24) || len > tlsnic_pkg::TX_REC_LEN_MAX)) begin
                        err_o = 1'b1;
                        stop  = 1'b1;
                    end else begin
                        r.nh   = hstart + 32'd5 + 32'(len);
                        w.blen = len - (v13 ? 16'd16 : 16'd24);
                        w.boff = 16'd0;
                        w.soff = 4'd0;
                        w.sect = v13 ? tlsnic_pkg::S_BODY : tlsnic_pkg::S_NONCE;
                        if (v13) begin
                            aad_en[0]   = 1'b1;
                            aad0        = aad_block(w.hdr, w.rec, w.blen, 1'b1);
                            plan.c0_aad  = 1'b1;
                            plan.c0_blen = w.blen;
                        end
                    end
                end else begin
                    w.soff = w.soff + 4'(n);
                    stop   = 1'b1;
                end
                stop = stop || ONE;
            end
            // C0: the rest of a TLS 1.2 nonce
            if (!stop && w.sect == tlsnic_pkg::S_NONCE) begin
                if (ONE) begin      // the section starts the step: its inputs (a shorter path)
                    w = st; r = rxs; pos = s; kr = kreq; kr_ok = kreq_ok; any_req = !first_req;
                end
                n = take({12'd0, 4'd8 - w.soff}, pos);
                for (int j = 0; j < 8; j++) begin
                    if (got(4'(j), w.soff, 4'(n))) begin
                        w.nonce[63 - 8*j -: 8] = ONE ? near(7'(j) - 7'(w.soff)) : lane(pos + 7'(j) - 7'(w.soff));
                    end
                end
                pos = pos + n;
                if (w.soff + 4'(n) == 4'd8) begin
                    w.soff      = 4'd0;
                    w.sect      = tlsnic_pkg::S_BODY;
                    aad_en[0]   = 1'b1;
                    aad0        = aad_block(w.hdr, w.rec, w.blen, 1'b0);
                    plan.c0_aad  = 1'b1;
                    plan.c0_blen = w.blen;
                end else begin
                    w.soff = w.soff + 4'(n);
                    stop   = 1'b1;
                end
                stop = stop || ONE;
            end
            // C0: body
            if (!stop && w.sect == tlsnic_pkg::S_BODY) begin
                if (ONE) begin      // the section starts the step: its inputs (a shorter path)
                    w = st; r = rxs; pos = s; kr = kreq; kr_ok = kreq_ok; any_req = !first_req;
                end
                n            = take(w.blen - w.boff, pos);
                iv_c         = iv_of(w.rec, w.nonce, v13);
                plan.c0_lo   = pos;
                plan.c0_hi   = pos + n;
                plan.c0_boff = w.boff;
                plan.c0_blen = w.blen;
                if (n != 7'd0) begin
                    last_blk = 11'((w.boff + 16'(n) - 16'd1) >> 4);
                    if (!kr_ok) begin
                        kr = 11'(w.boff >> 4);
                    end
                    req_en[0]   = 1'b1;
                    req0.nk     = !any_req;
                    req0.cont   = kr_ok;
                    req0.iv     = iv_c;
                    req0.ctr    = 32'(kr) + 32'd2;
                    req0.n      = 6'(last_blk - kr + 11'd1);
                    plan.c0_nks = 4'(last_blk - kr + 11'd1);
                    any_req     = 1'b1;
                    kr          = last_blk + 11'd1;
                    kr_ok       = 1'b1;
                end
                pos    = pos + n;
                w.boff = w.boff + 16'(n);
                if (w.boff == w.blen) begin
                    plan.c0_end = 1'b1;
                    req_en[1]   = 1'b1;
                    req1.nk     = !any_req;
                    req1.iv     = iv_c;
                    req1.ctr    = 32'd1;
                    req1.n      = 6'd1;
                    any_req     = 1'b1;
                    kr_ok       = 1'b0;
                    w.sect      = tlsnic_pkg::S_TAG;
                    w.soff      = 4'd0;
                end else begin
                    stop = 1'b1;
                end
                stop = stop || ONE;
            end
            // C0: tag
            if (!stop && w.sect == tlsnic_pkg::S_TAG) begin
                if (ONE) begin      // the section starts the step: its inputs (a shorter path)
                    w = st; r = rxs; pos = s; kr = kreq; kr_ok = kreq_ok; any_req = !first_req;
                end
                n          = take((16'd16 - 16'(w.soff)), pos);
                plan.t_lo  = pos;
                plan.t_hi  = pos + n;
                plan.t_off = w.soff;
                pos        = pos + n;
                if (5'(w.soff) + 5'(n) == 5'd16) begin
                    w.sect = tlsnic_pkg::S_HDR;
                    w.soff = 4'd0;
                    w.rec  = w.rec + 64'd1;
                end else begin
                    w.soff = w.soff + 4'(n);
                    stop   = 1'b1;
                end
                stop = stop || ONE;
            end
            // C0: the rest of a record not decrypted (RX, after a gap)
            if (RX && !stop && w.sect == tlsnic_pkg::S_SKIP) begin
                if (ONE) begin      // the section starts the step: its inputs (a shorter path)
                    w = st; r = rxs; pos = s; kr = kreq; kr_ok = kreq_ok; any_req = !first_req;
                end
                n      = take(r.skip, pos);
                r.skip = r.skip - 16'(n);
                pos    = pos + n;
                part_o = n != 7'd0;
                if (r.skip == 16'd0) begin
                    w.sect = tlsnic_pkg::S_HDR;
                    w.soff = 4'd0;
                    w.rec  = w.rec + 64'd1;
                end else begin
                    stop = 1'b1;
                end
                stop = stop || ONE;
            end
            // C1: header
            if (!ONE && !stop && w.sect == tlsnic_pkg::S_HDR && pos < phi) begin
                n = min7(16'd5, phi - pos);
                for (int j = 0; j < 5; j++) begin
                    if (7'(j) < n) begin
                        w.hdr[39 - 8*j -: 8] = lane(pos + 7'(j));
                    end
                end
                hstart = seq0 + 32'(pos);
                pos    = pos + n;
                if (n == 7'd5) begin
                    len = w.hdr[15:0];
                    if (RX ? !tlsnic_pkg::hdr_plausible(w.hdr, v13)
                           : (len < (v13 ? 16'd17 : 16'd24) || len > tlsnic_pkg::TX_REC_LEN_MAX)) begin
                        err_o = 1'b1;
                        stop  = 1'b1;
                    end else begin
                        r.nh   = hstart + 32'd5 + 32'(len);
                        w.blen = len - (v13 ? 16'd16 : 16'd24);
                        w.boff = 16'd0;
                        w.soff = 4'd0;
                        w.sect = v13 ? tlsnic_pkg::S_BODY : tlsnic_pkg::S_NONCE;
                    end
                end else begin
                    w.soff = 4'(n);
                    stop   = 1'b1;
                end
                // C1: TLS 1.2 nonce
                if (!stop && w.sect == tlsnic_pkg::S_NONCE) begin
                    n = min7(16'd8, phi - pos);
                    for (int j = 0; j < 8; j++) begin
                        if (7'(j) < n) begin
                            w.nonce[63 - 8*j -: 8] = lane(pos + 7'(j));
                        end
                    end
                    pos = pos + n;
                    if (n == 7'd8) begin
                        w.sect = tlsnic_pkg::S_BODY;
                    end else begin
                        w.soff = 4'(n);
                        stop   = 1'b1;
                    end
                end
                // C1: AAD and body, up to (not including) its body end
                if (!stop && w.sect == tlsnic_pkg::S_BODY) begin
                    aad_en[1]    = 1'b1;
                    aad1         = aad_block(w.hdr, w.rec, w.blen, v13);
                    plan.c1      = 1'b1;
                    plan.c1_blen = w.blen;
                    n            = min7(w.blen, phi - pos);
                    plan.c1_lo   = pos;
                    plan.c1_hi   = pos + n;
                    kr_ok        = 1'b0;
                    if (n != 7'd0) begin
                        req_en[2]   = 1'b1;
                        req2.nk     = !any_req;
                        req2.iv     = iv_of(w.rec, w.nonce, v13);
                        req2.ctr    = 32'd2;
                        req2.n      = 6'(((n - 7'd1) >> 4) + 7'd1);
                        plan.c1_nks = 4'(((n - 7'd1) >> 4) + 7'd1);
                        kr          = {4'd0, ((n - 7'd1) >> 4) + 7'd1};
                        kr_ok       = 1'b1;
                    end
                    pos    = pos + n;
                    w.boff = 16'(n);
                    stop   = 1'b1;
                end
            end
        end

        st_o      = w;
        rxs_o     = r;
        kreq_o    = kr;
        kreq_ok_o = kr_ok;
        pos_o     = pos;
    end

endmodule

`default_nettype wire
