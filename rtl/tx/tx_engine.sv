// TLS_HW transmit engine: header parse, TX contexts, record walker,
// AES-GCM encryption with tag insertion, TCP checksum rewrite, drop.
//
// Frames from the host (s_*) carry a descriptor in tuser of every beat:
// bit 0 `offload`, bits 2:1 operation (0 send, 1 DUMP), bits 31:16
// `ctx_id`.
//
// DUMP ("crypto state rebuilding"): the frame holds a 16-byte header (TCP
// sequence number of its first record byte, record number, flags bit 0 =
// the bytes start a record) followed by record bytes that precede an
// out-of-order segment. They are walked and encrypted like a segment but
// never transmitted; the context continues after them, so the segment that
// follows is encrypted exactly as in its first transmission. The first 10 beats of each frame
// are captured for parsing (Ethernet II, one optional 802.1Q tag, IPv4 with
// any IHL or IPv6 without extension headers, TCP with any data offset).
//
// An offloaded frame whose TCP sequence number equals its context's
// expected one is walked record by record from the context state (the
// segment may start anywhere in a record and hold any number of records):
// header bytes and the TLS 1.2 explicit nonce are collected, each record
// body is encrypted in place by `gcm_core`, and the 16-byte tag is written
// into the space the kernel reserved, across segment boundaries if needed.
// The walker processes one "run" per clock: the bytes of one section
// (header, nonce, body, tag) inside the current beat; a beat holding only
// body bytes takes one clock.
//
// Output is store-and-forward through a frame FIFO: the TCP checksum of the
// encrypted segment is known only at its end, and the output stage writes
// it into the header as the frame leaves. A marked frame the engine cannot
// encrypt correctly (unparsable, unknown context, out-of-order sequence
// number, malformed record, frame shorter than its IP length) is dropped
// and counted: no plaintext of a marked frame ever reaches the wire.
// Unmarked frames pass byte-identical, in order.
//
// Contexts are installed and deleted by the command port; installing runs
// key set-up (H, H^2) on the engine's AES-GCM core between frames. Delete
// clears the key material.
`default_nettype none

module tx_engine #(
    parameter int N_CTX    = 16,
    parameter int OUT_BEATS = 1024      // output frame FIFO, >= one 9600-byte frame
) (
    input  logic         clk,
    input  logic         rst,

    // Host frames in
    input  logic [127:0] s_tdata,
    input  logic [15:0]  s_tkeep,
    input  logic         s_tvalid,
    output logic         s_tready,
    input  logic         s_tlast,
    input  logic [63:0]  s_tuser,

    // Wire frames out
    output logic [127:0] m_tdata,
    output logic [15:0]  m_tkeep,
    output logic         m_tvalid,
    input  logic         m_tready,
    output logic         m_tlast,

    // Context commands
    input  logic         cmd_valid,
    output logic         cmd_done,       // pulse: command executed
    output logic         cmd_err,        // with cmd_done: bad context id
    input  logic [1:0]   cmd_op,         // 1 add, 2 delete
    input  logic [15:0]  cmd_ctx,
    input  logic [255:0] cmd_key,
    input  logic         cmd_key256,
    input  logic         cmd_v13,
    input  logic [95:0]  cmd_iv,         // TLS 1.2: salt in [95:64]; TLS 1.3: the 12-byte IV
    input  logic [31:0]  cmd_seq,        // start_offload_tcp_sn
    input  logic [63:0]  cmd_rec,        // record sequence number

    // Statistics
    output logic [31:0]  st_enc_pkts,
    output logic [63:0]  st_enc_bytes,
    output logic [31:0]  st_pass_pkts,
    output logic [31:0]  st_drop_parse,
    output logic [31:0]  st_drop_ctx,
    output logic [31:0]  st_drop_seq,
    output logic [31:0]  st_drop_rec,
    output logic [31:0]  st_ctx_add,
    output logic [31:0]  st_ctx_del,
    output logic [31:0]  st_dump_pkts,
    output logic [31:0]  st_dump_bytes
);

    localparam int CTX_W  = $clog2(N_CTX);
    localparam int HDR_BEATS = 10;
    localparam int HDR_BITS  = 128 * HDR_BEATS;

    if ((1 << CTX_W) != N_CTX) begin : g_bad_nctx
        $error("tx_engine: N_CTX must be a power of two");
    end

    // Record walker sections
    typedef enum logic [2:0] {
        S_HDR, S_NONCE, S_START, S_AAD, S_BODY, S_TAGW, S_TAG
    } sect_t;

    // =========================================================== input side
    // Data FIFO: {last, keep, data}
    logic         if_in_valid, if_in_ready, if_out_valid, if_out_ready;
    logic [144:0] if_out;
    logic [5:0]   if_count_unused;

    // Header capture FIFO: {tuser[31:0], header bytes}
    logic                  hf_in_valid, hf_in_ready, hf_out_valid, hf_out_ready;
    logic [HDR_BITS+31:0]  hf_out;
    logic [2:0]            hf_count_unused;

    logic [HDR_BITS-1:0] cap_reg;
    logic [3:0]          cap_idx_reg;
    logic                cap_done_reg;
    logic [HDR_BITS-1:0] cap_now;
    logic                cap_push;

    always_comb begin
        cap_now = cap_reg;
        for (int i = 0; i < HDR_BEATS; i++) begin
            if (cap_idx_reg == 4'(i)) begin
                cap_now[128*i +: 128] = s_tdata;
            end
        end
    end
    assign cap_push    = !cap_done_reg && (s_tlast || cap_idx_reg == 4'(HDR_BEATS - 1));
    assign s_tready    = if_in_ready && (hf_in_ready || !cap_push);
    assign if_in_valid = s_tvalid && s_tready;
    assign hf_in_valid = s_tvalid && s_tready && cap_push;

    always_ff @(posedge clk) begin
        if (s_tvalid && s_tready) begin
            cap_reg <= cap_now;
            if (cap_idx_reg != 4'(HDR_BEATS)) begin
                cap_idx_reg <= cap_idx_reg + 4'd1;
            end
            if (cap_push) begin
                cap_done_reg <= 1'b1;
            end
            if (s_tlast) begin
                cap_idx_reg  <= 4'd0;
                cap_done_reg <= 1'b0;
                cap_reg      <= '0;
            end
        end
        if (rst) begin
            cap_idx_reg  <= 4'd0;
            cap_done_reg <= 1'b0;
            cap_reg      <= '0;
        end
    end

    sync_fifo #(.WIDTH(145), .DEPTH(32)) u_in_fifo (
        .clk(clk), .rst(rst),
        .in_valid(if_in_valid), .in_ready(if_in_ready), .in_data({s_tlast, s_tkeep, s_tdata}),
        .out_valid(if_out_valid), .out_ready(if_out_ready), .out_data(if_out),
        .count(if_count_unused)
    );

    /* verilator lint_off UNUSEDSIGNAL */ // tuser bits 63:32 and 15:1 are reserved
    logic [63:0] s_tuser_bits;
    /* verilator lint_on UNUSEDSIGNAL */
    assign s_tuser_bits = s_tuser;

    sync_fifo #(.WIDTH(HDR_BITS + 32), .DEPTH(4)) u_hdr_fifo (
        .clk(clk), .rst(rst),
        .in_valid(hf_in_valid), .in_ready(hf_in_ready), .in_data({s_tuser_bits[31:0], cap_now}),
        .out_valid(hf_out_valid), .out_ready(hf_out_ready), .out_data(hf_out),
        .count(hf_count_unused)
    );

    // ================================================================ parse
    function automatic logic [7:0] hb(input logic [HDR_BITS-1:0] h, input int unsigned i);
        hb = h[8*i +: 8];
    endfunction

    logic [HDR_BITS-1:0] ph;          // header bytes of the frame at the FIFO head
    /* verilator lint_off UNUSEDSIGNAL */ // descriptor bits 15:3 are reserved
    logic [31:0]         ph_user;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [HDR_BITS-1:0] l3h, l4h;    // header shifted to L3 / L4 start
    logic [15:0] p_etype, p_l3, p_l4, p_ip_end, p_pay_off, p_tcp_len, p_tot_len, p_plen;
    logic        p_vlan, p_v4, p_v6, p_ok;
    logic [3:0]  p_ihl, p_doff;
    logic [31:0] p_seq;
    logic [31:0] p_pseudo;
    logic [7:0]  p_l3b0;

    assign ph      = hf_out[HDR_BITS-1:0];

    // DUMP header fields
    logic [31:0] d_seq;
    logic [63:0] d_rec;
    logic        d_start;
    /* verilator lint_off UNUSEDSIGNAL */ // DUMP flag bits 7:1 are reserved
    logic [7:0]  d_flags;
    /* verilator lint_on UNUSEDSIGNAL */
    always_comb begin
        d_seq = {hb(ph, 0), hb(ph, 1), hb(ph, 2), hb(ph, 3)};
        d_rec = {hb(ph, 4), hb(ph, 5), hb(ph, 6), hb(ph, 7), hb(ph, 8), hb(ph, 9), hb(ph, 10), hb(ph, 11)};
        d_flags = hb(ph, 12);
        d_start = d_flags[0];
    end
    assign ph_user = hf_out[HDR_BITS+31:HDR_BITS];

    always_comb begin
        p_vlan  = {hb(ph, 12), hb(ph, 13)} == 16'h8100;
        p_etype = p_vlan ? {hb(ph, 16), hb(ph, 17)} : {hb(ph, 12), hb(ph, 13)};
        p_l3    = p_vlan ? 16'd18 : 16'd14;
        l3h     = p_vlan ? (ph >> 144) : (ph >> 112);
        p_l3b0  = hb(l3h, 0);
        p_v4    = (p_etype == 16'h0800) && (p_l3b0[7:4] == 4'd4);
        p_v6    = (p_etype == 16'h86DD) && (p_l3b0[7:4] == 4'd6);
        p_ihl   = p_l3b0[3:0];
        p_tot_len = {hb(l3h, 2), hb(l3h, 3)};
        p_plen    = {hb(l3h, 4), hb(l3h, 5)};
        p_l4    = p_v6 ? p_l3 + 16'd40 : p_l3 + {10'd0, p_ihl, 2'b00};
        l4h     = ph >> (8 * p_l4);
        p_doff  = l4h[8*12 + 4 +: 4];
        p_seq   = {hb(l4h, 4), hb(l4h, 5), hb(l4h, 6), hb(l4h, 7)};
        p_pay_off = p_l4 + {10'd0, p_doff, 2'b00};
        p_ip_end  = p_v6 ? p_l3 + 16'd40 + p_plen : p_l3 + p_tot_len;
        p_tcp_len = p_ip_end - p_l4;
        p_ok = 1'b0;
        if (p_v4) begin
            p_ok = (p_ihl >= 4'd5) && (hb(l3h, 9) == 8'd6)
                && (({hb(l3h, 6), hb(l3h, 7)} & 16'h3fff) == 16'd0)
                && (p_tot_len >= {10'd0, p_ihl, 2'b00} + 16'd20);
        end else if (p_v6) begin
            p_ok = (hb(l3h, 6) == 8'd6) && (p_plen >= 16'd20);
        end
        p_ok = p_ok && (p_doff >= 4'd5) && (p_pay_off <= p_ip_end);
        // Pseudo-header sum: addresses, protocol, TCP length.
        p_pseudo = 32'd6 + {16'd0, p_tcp_len};
        if (p_v6) begin
            for (int w = 0; w < 16; w++) begin
                p_pseudo = p_pseudo + {16'd0, hb(l3h, 8 + 2*w), hb(l3h, 9 + 2*w)};
            end
        end else begin
            for (int w = 0; w < 4; w++) begin
                p_pseudo = p_pseudo + {16'd0, hb(l3h, 12 + 2*w), hb(l3h, 13 + 2*w)};
            end
        end
    end

    // ============================================================= contexts
    logic           c_valid [N_CTX];
    logic           c_v13   [N_CTX];
    logic           c_k256  [N_CTX];
    logic [255:0]   c_key   [N_CTX];
    logic [127:0]   c_h     [N_CTX];
    logic [127:0]   c_h2    [N_CTX];
    logic [95:0]    c_iv    [N_CTX];
    logic [31:0]    c_seq   [N_CTX];
    logic [63:0]    c_rec   [N_CTX];
    sect_t          c_sect  [N_CTX];
    logic [4:0]     c_soff  [N_CTX];
    logic [15:0]    c_blen  [N_CTX];
    logic [15:0]    c_boff  [N_CTX];
    logic [39:0]    c_hdr   [N_CTX];
    logic [63:0]    c_nonce [N_CTX];
    logic [127:0]   c_tag   [N_CTX];
    logic [127:0]   c_pb    [N_CTX];
    logic [127:0]   c_acc0  [N_CTX];
    logic [127:0]   c_acc1  [N_CTX];
    logic           c_lane  [N_CTX];

    // ======================================================== AES-GCM core
    logic         g_ks_valid, g_ks_ready, g_ks_done;
    logic [127:0] g_ks_h, g_ks_h2;
    logic         g_start_valid, g_start_ready, g_resume;
    logic [95:0]  g_iv;
    logic         g_in_valid, g_in_ready, g_in_aad, g_in_last, g_in_eos;
    logic [127:0] g_in_data, g_xor;
    logic [3:0]   g_in_lo;
    logic [4:0]   g_in_cnt;
    logic         g_tag_valid, g_tag_ready;
    logic [127:0] g_tag;
    logic         g_sv_valid, g_sv_lane;
    /* verilator lint_off UNUSEDSIGNAL */ // saved body/AAD counts are tracked by the walker
    logic [31:0]  g_sv_boff, g_sv_aad;
    logic         g_out_valid_unused, g_idle_unused;
    logic [127:0] g_out_data_unused;
    logic [0:0]   g_out_user_unused;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [127:0] g_sv_pb, g_sv_acc0, g_sv_acc1;

    // Working copy of the context of the frame being walked
    logic [CTX_W-1:0] w_ctx;
    logic         w_v13, w_k256;
    logic [255:0] w_key;
    logic [127:0] w_h, w_h2;
    logic [95:0]  w_iv;
    logic [31:0]  w_seq;
    logic [63:0]  w_rec;
    sect_t        w_sect;
    logic [4:0]   w_soff;
    logic [15:0]  w_blen, w_boff;
    logic [39:0]  w_hdr;
    logic [63:0]  w_nonce;
    logic [127:0] w_tag, w_pb, w_acc0, w_acc1;
    logic         w_lane;
    logic         w_live;           // gcm_core holds this frame's record

    gcm_core #(.USER_W(1)) u_gcm (
        .clk(clk), .rst(rst),
        .ks_valid(g_ks_valid), .ks_ready(g_ks_ready), .ks_key(cmd_key), .ks_key256(cmd_key256),
        .ks_done(g_ks_done), .ks_h(g_ks_h), .ks_h2(g_ks_h2),
        .start_valid(g_start_valid), .start_ready(g_start_ready),
        .start_key(w_key), .start_key256(w_k256), .start_h(w_h), .start_h2(w_h2),
        .start_iv(g_iv), .start_decrypt(1'b0),
        .start_resume(g_resume), .start_boff({16'd0, w_boff}), .start_aad(w_v13 ? 32'd5 : 32'd13),
        .start_pb(w_pb), .start_acc0(w_acc0), .start_acc1(w_acc1), .start_lane(w_lane),
        .in_valid(g_in_valid), .in_ready(g_in_ready), .in_data(g_in_data), .in_lo(g_in_lo),
        .in_cnt(g_in_cnt), .in_aad(g_in_aad), .in_last(g_in_last), .in_eos(g_in_eos), .in_user(1'b0),
        .abort(g_abort),
        .out_valid(g_out_valid_unused), .out_ready(1'b1), .out_data(g_out_data_unused),
        .out_user(g_out_user_unused), .in_xor(g_xor),
        .tag_valid(g_tag_valid), .tag_ready(g_tag_ready), .tag(g_tag),
        .sv_valid(g_sv_valid), .sv_ready(1'b1), .sv_boff(g_sv_boff), .sv_aad(g_sv_aad),
        .sv_pb(g_sv_pb), .sv_acc0(g_sv_acc0), .sv_acc1(g_sv_acc1), .sv_lane(g_sv_lane),
        .idle(g_idle_unused)
    );

    // =============================================================== walker
    typedef enum logic [2:0] {
        W_IDLE, W_CMD, W_PARSE, W_BEATS, W_END
    } wstate_t;

    wstate_t      ws_reg;
    logic         f_proc, f_drop, f_err;            // frame: walk it / drop it / failed
    logic         f_dump;                           // DUMP: walk, never transmit
    logic [2:0]   f_why;                            // drop reason: 1 parse, 2 ctx, 3 seq, 4 record
    logic [15:0]  f_pay_off, f_pay_end, f_l4, f_base;
    logic [31:0]  f_pay_len;
    logic [31:0]  f_csum;
    logic [4:0]   cur_reg;          // next lane to process in the current beat
    logic         wmod_reg;         // wbeat_reg holds the current beat with changes
    logic [127:0] wbeat_reg;

    logic [127:0] src;              // current beat with changes so far
    logic [4:0]   keep_count;
    logic [15:0]  ikeep;
    logic         ilast;
    logic [4:0]   plo, phi, s;
    logic         have;             // bytes of payload left in this beat

    assign src   = wmod_reg ? wbeat_reg : if_out[127:0];
    assign ikeep = if_out[143:128];
    assign ilast = if_out[144];

    always_comb begin
        keep_count = 5'd0;
        for (int i = 0; i < 16; i++) begin
            keep_count = keep_count + 5'(ikeep[i]);
        end
    end

    function automatic logic [4:0] clamp16(input logic [15:0] off, input logic [15:0] base);
        if (off <= base) begin
            clamp16 = 5'd0;
        end else if (off - base >= 16'd16) begin
            clamp16 = 5'd16;
        end else begin
            clamp16 = 5'(off - base);
        end
    endfunction

    assign plo  = f_proc ? clamp16(f_pay_off, f_base) : 5'd0;
    assign phi  = !f_proc ? 5'd0
                : f_dump ? ((f_base == 16'd0) ? 5'd0 : (ilast ? keep_count : 5'd16))
                : clamp16(f_pay_end, f_base);
    assign s    = (cur_reg > plo) ? cur_reg : plo;
    assign have = s < phi;

    // Output side: data FIFO and frame meta FIFO
    logic         of_in_valid, of_in_ready, of_out_valid, of_out_ready;
    logic [144:0] of_out;
    logic [$clog2(OUT_BEATS):0] of_count_unused;
    logic         mf_in_valid, mf_in_ready, mf_out_valid, mf_out_ready;
    logic [33:0]  mf_in, mf_out;    // {drop, patch, csum_off[15:0], csum[15:0]}
    logic [4:0]   mf_count;

    // One run per cycle
    logic [4:0]   n;
    logic [127:0] wnext;
    logic         wbody;            // the step writes tag bytes
    logic [7:0]   tag_b [16];
    logic         run_ok;           // the run completes this cycle
    logic         push;             // the beat leaves this cycle
    sect_t        sect_n;
    logic [4:0]   soff_n;
    logic [15:0]  boff_n;
    logic [39:0]  hdr_n;
    logic [63:0]  nonce_n;
    logic [63:0]  rec_n;
    logic [15:0]  blen_n;
    logic         live_n, err_n;
    logic [15:0]  rem;
    logic [7:0]   src_b [16];
    logic [7:0]   hdr_b [5];

    always_comb begin
        for (int i = 0; i < 16; i++) begin
            src_b[i] = src[8*i +: 8];
        end
        for (int i = 0; i < 5; i++) begin
            hdr_b[i] = w_hdr[39 - 8*i -: 8];
        end
    end

    logic can;              // a section step may run this cycle
    assign can = (ws_reg == W_BEATS) && if_out_valid && have && !(f_err && f_proc);

    typedef enum logic [1:0] { R_FREE, R_START, R_IN, R_TAG } rsel_t;
    rsel_t run_sel;         // which gcm_core handshake completes the step
    logic  use_xor;         // the step's beat comes back from gcm_core

    always_comb begin
        case (run_sel)
            R_START: run_ok = g_start_ready;
            R_IN:    run_ok = g_in_ready;
            R_TAG:   run_ok = g_tag_valid;
            default: run_ok = 1'b1;
        endcase
    end

    always_comb begin
        logic [15:0] rec_len_field;
        n        = 5'd0;
        wbody    = 1'b0;
        run_sel  = R_FREE;
        use_xor  = 1'b0;
        sect_n   = w_sect;
        soff_n   = w_soff;
        boff_n   = w_boff;
        hdr_n    = w_hdr;
        nonce_n  = w_nonce;
        rec_n    = w_rec;
        blen_n   = w_blen;
        live_n   = w_live;
        err_n    = f_err;
        rem      = w_blen - w_boff;
        rec_len_field = 16'd0;
        g_start_valid = 1'b0;
        g_resume      = 1'b0;
        g_iv          = w_v13 ? (w_iv ^ {32'd0, w_rec}) : {w_iv[95:64], w_nonce};
        g_in_valid    = 1'b0;
        g_in_data     = src;
        g_in_lo       = s[3:0];
        g_in_cnt      = 5'd0;
        g_in_aad      = 1'b0;
        g_in_last     = 1'b0;
        g_in_eos      = 1'b0;
        g_tag_ready   = 1'b0;
        case (w_sect)
            S_HDR: begin
                n = (phi - s < 5'd5 - w_soff) ? phi - s : 5'd5 - w_soff;
                for (int j = 0; j < 5; j++) begin
                    if (5'(j) >= w_soff && 5'(j) < w_soff + n) begin
                        hdr_n[39 - 8*j -: 8] = src_b[4'(5'(s) + 5'(j) - w_soff)];
                    end
                end
                rec_len_field = {hdr_n[15:8], hdr_n[7:0]};
                if (w_soff + n == 5'd5) begin
                    soff_n = 5'd0;
                    sect_n = w_v13 ? S_START : S_NONCE;
                    blen_n = rec_len_field - (w_v13 ? 16'd16 : 16'd24);
                    if (rec_len_field < (w_v13 ? 16'd17 : 16'd24) || rec_len_field > 16'd16704) begin
                        err_n = 1'b1;
                    end
                end else begin
                    soff_n = w_soff + n;
                end
            end
            S_NONCE: begin
                n = (phi - s < 5'd8 - w_soff) ? phi - s : 5'd8 - w_soff;
                for (int j = 0; j < 8; j++) begin
                    if (5'(j) >= w_soff && 5'(j) < w_soff + n) begin
                        nonce_n[63 - 8*j -: 8] = src_b[4'(5'(s) + 5'(j) - w_soff)];
                    end
                end
                if (w_soff + n == 5'd8) begin
                    soff_n = 5'd0;
                    sect_n = S_START;
                end else begin
                    soff_n = w_soff + n;
                end
            end
            S_START: begin
                g_start_valid = can;
                run_sel       = R_START;
                sect_n        = S_AAD;
                boff_n        = 16'd0;
                live_n        = 1'b1;
            end
            S_AAD: begin
                g_in_valid = can;
                g_in_aad   = 1'b1;
                g_in_lo    = 4'd0;
                if (w_v13) begin
                    g_in_cnt  = 5'd5;
                    g_in_data = {88'd0, hdr_b[4], hdr_b[3], hdr_b[2], hdr_b[1], hdr_b[0]};
                end else begin
                    g_in_cnt  = 5'd13;
                    g_in_data = {24'd0, w_blen[7:0], w_blen[15:8], hdr_b[2], hdr_b[1], hdr_b[0],
                                 w_rec[7:0], w_rec[15:8], w_rec[23:16], w_rec[31:24],
                                 w_rec[39:32], w_rec[47:40], w_rec[55:48], w_rec[63:56]};
                end
                run_sel = R_IN;
                sect_n = S_BODY;
            end
            S_BODY: begin
                if (!w_live) begin
                    // Resume a record whose body started in an earlier segment.
                    g_start_valid = can;
                    g_resume      = 1'b1;
                    run_sel       = R_START;
                    live_n        = 1'b1;
                end else begin
                    n = ({11'd0, phi - s} < rem) ? phi - s : 5'(rem);
                    g_in_valid = can;
                    g_in_cnt   = n;
                    g_in_last  = (16'(n) == rem);
                    g_in_eos   = (16'(n) != rem) && (s + n == phi)
                              && (f_dump ? ilast : (f_pay_end <= f_base + 16'd16));
                    run_sel    = R_IN;
                    use_xor    = 1'b1;
                    boff_n     = w_boff + 16'(n);
                    if (16'(n) == rem) begin
                        sect_n = S_TAGW;
                    end
                    if (g_in_eos) begin
                        live_n = 1'b0;
                    end
                end
            end
            S_TAGW: begin
                run_sel     = R_TAG;
                g_tag_ready = can || (ws_reg == W_END);
                sect_n      = S_TAG;
                soff_n      = 5'd0;
                live_n      = 1'b0;
            end
            S_TAG: begin
                n = (phi - s < 5'd16 - w_soff) ? phi - s : 5'd16 - w_soff;
                wbody = 1'b1;
                if (w_soff + n == 5'd16) begin
                    sect_n = S_HDR;
                    soff_n = 5'd0;
                    rec_n  = w_rec + 64'd1;
                end else begin
                    soff_n = w_soff + n;
                end
            end
            default: ;
        endcase
    end

    always_comb begin
        for (int i = 0; i < 16; i++) begin
            tag_b[i] = w_tag[127 - 8*i -: 8];
        end
        wnext = use_xor ? g_xor : src;
        if (wbody) begin
            for (int l = 0; l < 16; l++) begin
                if (5'(l) >= s && 5'(l) < s + n) begin
                    wnext[8*l +: 8] = tag_b[4'(5'(l) - s + w_soff)];
                end
            end
        end
    end

    // Does the current cycle run a section step, push the beat, or both?
    logic walking, step;
    assign walking = (ws_reg == W_BEATS) && if_out_valid;
    assign step    = can && run_ok;
    assign push    = walking && of_in_ready && (!have || (f_err && f_proc) || (step && s + n >= phi));
    assign if_out_ready = push;

    // Checksum of the pushed beat: 16-bit words in [l4, pay_end), without
    // the checksum field at l4+16.
    logic [31:0] beat_sum;
    always_comb begin
        logic [15:0] off;
        beat_sum = 32'd0;
        for (int w = 0; w < 8; w++) begin
            off = f_base + 16'(2*w);
            if (off >= f_l4 && off < f_pay_end && off != f_l4 + 16'd16) begin
                beat_sum = beat_sum + {16'd0, wnext[16*w +: 8],
                    (off + 16'd1 < f_pay_end) ? wnext[16*w + 8 +: 8] : 8'd0};
            end
        end
    end

    assign of_in_valid = push;

    sync_fifo #(.WIDTH(145), .DEPTH(OUT_BEATS)) u_out_fifo (
        .clk(clk), .rst(rst),
        .in_valid(of_in_valid), .in_ready(of_in_ready), .in_data({ilast, ikeep, wnext}),
        .out_valid(of_out_valid), .out_ready(of_out_ready), .out_data(of_out),
        .count(of_count_unused)
    );

    // Frame end: the record state must be at rest before the context is
    // written back: a finishing tag taken, a mid-record GHASH state saved,
    // or (for a frame that failed) the engine's record abandoned.
    logic w_live_pending;  // eos issued, mid-record state not yet saved
    logic f_short;         // the frame ended before its IP length
    logic f_fail;
    logic end_ok;
    logic g_abort;
    assign f_fail  = f_proc && (f_err || f_short);
    assign end_ok  = !(w_sect == S_TAGW && f_proc) && !w_live_pending && !(w_live && f_fail);
    assign g_abort = (ws_reg == W_END) && w_live && f_fail;

    always_comb begin
        logic [16:0] t;
        t  = {1'b0, f_csum[31:16]} + {1'b0, f_csum[15:0]};
        t  = {1'b0, t[15:0]} + {16'd0, t[16]};
        mf_in = {f_drop || f_fail || f_dump, f_proc, f_l4 + 16'd16, ~t[15:0]};
    end
    // Frames not walked (unmarked, dropped) end with their last beat.
    logic fast_end;
    assign fast_end    = (ws_reg == W_BEATS) && push && ilast && !f_proc;
    assign mf_in_valid = ((ws_reg == W_END) && end_ok) || fast_end;

    sync_fifo #(.WIDTH(34), .DEPTH(16)) u_meta_fifo (
        .clk(clk), .rst(rst),
        .in_valid(mf_in_valid), .in_ready(mf_in_ready), .in_data(mf_in),
        .out_valid(mf_out_valid), .out_ready(mf_out_ready), .out_data(mf_out),
        .count(mf_count)
    );

    // Commands
    logic cmd_bad;
    assign cmd_bad     = (cmd_ctx >= 16'(N_CTX)) || !(cmd_op == 2'd1 || cmd_op == 2'd2);
    logic ks_issued_reg;
    assign g_ks_valid  = (ws_reg == W_CMD) && (cmd_op == 2'd1) && !cmd_bad && !ks_issued_reg;

    logic [CTX_W-1:0] hctx;
    assign hctx = ph_user[16 +: CTX_W];

    always_ff @(posedge clk) begin
        cmd_done <= 1'b0;
        cmd_err  <= 1'b0;
        case (ws_reg)
            W_IDLE: begin
                // cmd_valid drops the cycle after cmd_done: do not run the
                // finished command twice.
                if (cmd_valid && !cmd_done) begin
                    ws_reg        <= W_CMD;
                    ks_issued_reg <= 1'b0;
                end else if (hf_out_valid && mf_in_ready) begin
                    ws_reg <= W_PARSE;
                end
            end
            W_CMD: begin
                if (cmd_bad) begin
                    cmd_done <= 1'b1;
                    cmd_err  <= 1'b1;
                    ws_reg   <= W_IDLE;
                end else if (cmd_op == 2'd2) begin
                    c_valid[cmd_ctx[CTX_W-1:0]] <= 1'b0;
                    c_key[cmd_ctx[CTX_W-1:0]]   <= 256'd0;
                    c_h[cmd_ctx[CTX_W-1:0]]     <= 128'd0;
                    c_h2[cmd_ctx[CTX_W-1:0]]    <= 128'd0;
                    c_iv[cmd_ctx[CTX_W-1:0]]    <= 96'd0;
                    c_tag[cmd_ctx[CTX_W-1:0]]   <= 128'd0;
                    c_pb[cmd_ctx[CTX_W-1:0]]    <= 128'd0;
                    c_acc0[cmd_ctx[CTX_W-1:0]]  <= 128'd0;
                    c_acc1[cmd_ctx[CTX_W-1:0]]  <= 128'd0;
                    st_ctx_del <= st_ctx_del + 32'd1;
                    cmd_done   <= 1'b1;
                    ws_reg     <= W_IDLE;
                end else begin
                    if (g_ks_valid && g_ks_ready) begin
                        ks_issued_reg <= 1'b1;
                    end
                    if (g_ks_done) begin
                        c_valid[cmd_ctx[CTX_W-1:0]] <= 1'b1;
                        c_v13[cmd_ctx[CTX_W-1:0]]   <= cmd_v13;
                        c_k256[cmd_ctx[CTX_W-1:0]]  <= cmd_key256;
                        c_key[cmd_ctx[CTX_W-1:0]]   <= cmd_key;
                        c_h[cmd_ctx[CTX_W-1:0]]     <= g_ks_h;
                        c_h2[cmd_ctx[CTX_W-1:0]]    <= g_ks_h2;
                        c_iv[cmd_ctx[CTX_W-1:0]]    <= cmd_iv;
                        c_seq[cmd_ctx[CTX_W-1:0]]   <= cmd_seq;
                        c_rec[cmd_ctx[CTX_W-1:0]]   <= cmd_rec;
                        c_sect[cmd_ctx[CTX_W-1:0]]  <= S_HDR;
                        c_soff[cmd_ctx[CTX_W-1:0]]  <= 5'd0;
                        c_blen[cmd_ctx[CTX_W-1:0]]  <= 16'd0;
                        c_boff[cmd_ctx[CTX_W-1:0]]  <= 16'd0;
                        st_ctx_add <= st_ctx_add + 32'd1;
                        cmd_done   <= 1'b1;
                        ws_reg     <= W_IDLE;
                    end
                end
            end
            W_PARSE: ;   // see do_parse below
            W_BEATS: begin
                if (step) begin
                    w_sect  <= sect_n;
                    w_soff  <= soff_n;
                    w_boff  <= boff_n;
                    w_hdr   <= hdr_n;
                    w_nonce <= nonce_n;
                    w_rec   <= rec_n;
                    w_blen  <= blen_n;
                    w_live  <= live_n;
                    f_err   <= err_n;
                    if (w_sect == S_TAGW) begin
                        w_tag <= g_tag;
                    end
                    if (w_sect == S_BODY && w_live && g_in_eos) begin
                        w_live_pending <= 1'b1;
                    end
                    cur_reg  <= s + n;
                    wbeat_reg <= wnext;
                    wmod_reg  <= 1'b1;
                end
                if (push) begin
                    cur_reg  <= 5'd0;
                    wmod_reg <= 1'b0;
                    f_base   <= f_base + 16'd16;
                    if (f_proc) begin
                        f_csum <= f_csum + beat_sum;
                    end
                    if (ilast) begin
                        ws_reg  <= fast_end ? W_IDLE : W_END;
                        f_short <= f_proc && !f_dump && (f_pay_end > f_base + 16'(keep_count));
                        if (f_dump) begin
                            f_pay_len <= {16'd0, f_base + 16'(keep_count) - 16'd16};
                        end
                    end
                end
            end
            W_END: begin
                if (f_proc && w_sect == S_TAGW && g_tag_valid) begin
                    w_tag  <= g_tag;
                    w_sect <= S_TAG;
                    w_soff <= 5'd0;
                end
                if (g_abort) begin
                    w_live <= 1'b0;
                end
                if (g_sv_valid) begin
                    w_pb   <= g_sv_pb;
                    w_acc0 <= g_sv_acc0;
                    w_acc1 <= g_sv_acc1;
                    w_lane <= g_sv_lane;
                    w_live_pending <= 1'b0;
                end
            end
            default: ws_reg <= W_IDLE;
        endcase
        // Frame end: counters, context write-back, meta pushed (either from
        // W_END or, for frames with nothing left to finish, with their last
        // beat).
        if (mf_in_valid) begin
            ws_reg <= W_IDLE;
            if (f_proc && !f_fail) begin
                c_seq[w_ctx]   <= w_seq + f_pay_len;
                c_rec[w_ctx]   <= w_rec;
                c_sect[w_ctx]  <= w_sect;
                c_soff[w_ctx]  <= w_soff;
                c_blen[w_ctx]  <= w_blen;
                c_boff[w_ctx]  <= w_boff;
                c_hdr[w_ctx]   <= w_hdr;
                c_nonce[w_ctx] <= w_nonce;
                c_tag[w_ctx]   <= w_tag;
                c_pb[w_ctx]    <= w_pb;
                c_acc0[w_ctx]  <= w_acc0;
                c_acc1[w_ctx]  <= w_acc1;
                c_lane[w_ctx]  <= w_lane;
                if (f_dump) begin
                    st_dump_pkts  <= st_dump_pkts + 32'd1;
                    st_dump_bytes <= st_dump_bytes + f_pay_len;
                end else begin
                    st_enc_pkts   <= st_enc_pkts + 32'd1;
                    st_enc_bytes  <= st_enc_bytes + {32'd0, f_pay_len};
                end
            end else if (f_proc) begin
                st_drop_rec <= st_drop_rec + 32'd1;
            end else if (f_drop) begin
                case (f_why)
                    3'd1: st_drop_parse <= st_drop_parse + 32'd1;
                    3'd2: st_drop_ctx   <= st_drop_ctx + 32'd1;
                    default: st_drop_seq <= st_drop_seq + 32'd1;
                endcase
            end else begin
                st_pass_pkts <= st_pass_pkts + 32'd1;
            end
        end
        // Start the next frame: from W_PARSE, or in the cycle the previous
        // frame ends (no idle cycle between frames).
        if (do_parse) begin
        // Decide what to do with the frame at the FIFO head.
        f_base    <= 16'd0;
        f_l4      <= p_l4;
        f_pay_off <= p_pay_off;
        f_pay_end <= p_ip_end;
        f_pay_len <= {16'd0, p_ip_end - p_pay_off};
        f_csum    <= p_pseudo;
        f_err     <= 1'b0;
        f_short   <= 1'b0;
        f_dump    <= 1'b0;
        f_why     <= 3'd0;
        cur_reg   <= 5'd0;
        wmod_reg  <= 1'b0;
        w_live    <= 1'b0;
        w_live_pending <= 1'b0;
        w_ctx   <= hctx;
        w_v13   <= c_v13[hctx];
        w_k256  <= c_k256[hctx];
        w_key   <= c_key[hctx];
        w_h     <= c_h[hctx];
        w_h2    <= c_h2[hctx];
        w_iv    <= c_iv[hctx];
        if (fwd) begin
            // Same context as the frame ending this cycle: its state is
            // being written back now, take it from the working copy.
            w_seq <= w_seq + f_pay_len;
        end else begin
            w_seq   <= c_seq[hctx];
            w_rec   <= c_rec[hctx];
            w_sect  <= c_sect[hctx];
            w_soff  <= c_soff[hctx];
            w_blen  <= c_blen[hctx];
            w_boff  <= c_boff[hctx];
            w_hdr   <= c_hdr[hctx];
            w_nonce <= c_nonce[hctx];
            w_tag   <= c_tag[hctx];
            w_pb    <= c_pb[hctx];
            w_acc0  <= c_acc0[hctx];
            w_acc1  <= c_acc1[hctx];
            w_lane  <= c_lane[hctx];
        end
        f_proc  <= 1'b0;
        f_drop  <= 1'b0;
        if (ph_user[0] && ph_user[2:1] == 2'd1) begin
            // DUMP: header = seq(4) rec(8) flags(1), then record bytes
            if (32'(hctx) != {16'd0, ph_user[31:16]} || !c_valid[hctx]) begin
                f_drop <= 1'b1;
                f_why  <= 3'd2;
            end else if (!d_start && d_seq != exp_seq) begin
                f_drop <= 1'b1;
                f_why  <= 3'd3;
            end else begin
                f_proc    <= 1'b1;
                f_dump    <= 1'b1;
                f_pay_off <= 16'd16;
                f_pay_end <= 16'hFFFF;
                if (d_start) begin
                    w_seq  <= d_seq;
                    w_rec  <= d_rec;
                    w_sect <= S_HDR;
                    w_soff <= 5'd0;
                end
            end
        end else if (ph_user[0]) begin
            if (!p_ok) begin
                f_drop <= 1'b1;
                f_why  <= 3'd1;
            end else if (32'(hctx) != {16'd0, ph_user[31:16]} || !c_valid[hctx]) begin
                f_drop <= 1'b1;
                f_why  <= 3'd2;
            end else if (p_seq != exp_seq) begin
                f_drop <= 1'b1;
                f_why  <= 3'd3;
            end else if (p_ip_end != p_pay_off) begin
                f_proc  <= 1'b1;
            end
        end
        ws_reg <= W_BEATS;
        end
        if (rst) begin
            ws_reg        <= W_IDLE;
            ks_issued_reg <= 1'b0;
            f_proc        <= 1'b0;
            f_drop        <= 1'b0;
            f_err         <= 1'b0;
            w_live        <= 1'b0;
            w_sect        <= S_HDR;
            st_enc_pkts   <= 32'd0;
            st_enc_bytes  <= 64'd0;
            st_pass_pkts  <= 32'd0;
            st_drop_parse <= 32'd0;
            st_drop_ctx   <= 32'd0;
            st_drop_seq   <= 32'd0;
            st_drop_rec   <= 32'd0;
            st_ctx_add    <= 32'd0;
            st_ctx_del    <= 32'd0;
            st_dump_pkts  <= 32'd0;
            st_dump_bytes <= 32'd0;
            for (int i = 0; i < N_CTX; i++) begin
                c_valid[i] <= 1'b0;
            end
        end
    end

    // W_PARSE, or a frame end with the next header ready, consumes the
    // header FIFO entry.
    logic do_parse, fwd;
    logic [31:0] exp_seq;
    assign do_parse = (ws_reg == W_PARSE)
                   || (mf_in_valid && hf_out_valid && !cmd_valid && mf_count < 5'd14);
    assign fwd      = mf_in_valid && f_proc && !f_fail && (hctx == w_ctx);
    assign exp_seq  = fwd ? w_seq + f_pay_len : c_seq[hctx];
    assign hf_out_ready = do_parse;

    // ========================================================= output stage
    logic        o_active_reg, o_drop_reg, o_patch_reg;
    logic [15:0] o_base_reg, o_csum_off_reg, o_csum_reg;
    logic [127:0] o_data;

    // The next frame's meta is taken in the cycle the current frame's last
    // beat leaves: no bubble between frames.
    logic o_last_fire;
    assign o_last_fire  = o_active_reg && of_out_valid && of_out_ready && of_out[144];
    assign mf_out_ready = mf_out_valid && (!o_active_reg || o_last_fire);
    always_comb begin
        o_data = of_out[127:0];
        for (int l = 0; l < 16; l += 2) begin
            if (o_patch_reg && o_base_reg + 16'(l) == o_csum_off_reg) begin
                o_data[8*l +: 8]     = o_csum_reg[15:8];
                o_data[8*l + 8 +: 8] = o_csum_reg[7:0];
            end
        end
    end
    assign m_tvalid     = o_active_reg && !o_drop_reg && of_out_valid;
    assign m_tdata      = o_data;
    assign m_tkeep      = of_out[143:128];
    assign m_tlast      = of_out[144];
    assign of_out_ready = o_active_reg && (o_drop_reg || m_tready);

    always_ff @(posedge clk) begin
        if (of_out_valid && of_out_ready) begin
            o_base_reg <= o_base_reg + 16'd16;
            if (of_out[144]) begin
                o_active_reg <= 1'b0;
            end
        end
        if (mf_out_ready) begin
            o_active_reg   <= 1'b1;
            o_drop_reg     <= mf_out[33];
            o_patch_reg    <= mf_out[32];
            o_csum_off_reg <= mf_out[31:16];
            o_csum_reg     <= mf_out[15:0];
            o_base_reg     <= 16'd0;
        end
        if (rst) begin
            o_active_reg <= 1'b0;
            o_drop_reg   <= 1'b0;
        end
    end

endmodule

`default_nettype wire
