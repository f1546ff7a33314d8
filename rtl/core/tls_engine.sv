// TLS_HW record engine, one per direction (parameter RX): header parse,
// contexts, record walker, AES-GCM, checksums. TX (RX = 0) encrypts host
// segments and writes tags; RX (RX = 1) classifies wire frames, decrypts
// and authenticates them, and tracks and regains record sync.
//
// ---------------------------------------------------------------- TX mode
// Frames from the host (s_*) carry a descriptor in tuser of every beat
// (TXD_* in tlsnic_regs_pkg): `offload`, the operation (send or DUMP) and
// `ctx_id`.
//
// DUMP ("crypto state rebuilding"): the frame holds a 16-byte header
// (DUMP_* in tlsnic_regs_pkg: TCP sequence number of its first record
// byte, record number, flags with the start-of-record bit) followed by record bytes that precede an
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
// Contexts are installed, updated (TX: next-record sync) and deleted by the
// command port; installing runs key set-up (H, H^2) on the engine's AES-GCM
// core between frames. Delete clears the key material: the slot, the
// working copy and gcm_core's registers.
//
// ---------------------------------------------------------------- RX mode
// Frames from the wire are classified (docs/rx.md): parsable TCP over
// IPv4/IPv6, IPv4 header checksum, TCP checksum (known at the frame end,
// so a frame with a bad one changes no state), a fully associative 4-tuple
// flow table, payload, sequence number against the context's expected one.
// The record walker then runs in decrypt mode: body bytes are replaced by
// plaintext in a copy of the frame, received tags are compared with the
// computed ones (across frames if split), and at the frame end the output
// stage sends either the decrypted copy (every TLS byte decrypted, every
// record ending in the frame authenticated: `decrypted`) or the original
// bytes. Each context has a sync mode: SYNC (decrypting), WAIT (lost,
// waiting to be more than one maximum record past the loss point, or for a
// stack-driven push), SEARCH (scanning bytes for a header candidate) and
// TRACK (following length fields, counting records, raising and then
// holding a resync request until the host answers). A gap that falls
// inside a record body whose end is known keeps sync: the walker skips to
// the next header (section S_SKIP). The per-frame descriptor goes out in
// m_tuser.
`default_nettype none

module tls_engine #(
    parameter bit RX        = 1'b0,
    parameter int N_CTX     = 16,
    parameter int OUT_BEATS = 1024,     // output frame FIFO, >= one 9600-byte frame
    parameter int RESYNC_CONFIRM  = 1,  // RX: headers found after a candidate before asking
    parameter int RESYNC_PATIENCE = 16  // RX: records to wait for the answer, then rescan
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
    output logic [63:0]  m_tuser,        // RX descriptor (RXD_*, docs/rx.md); 0 for TX

    // Context commands
    input  logic         cmd_valid,
    output logic         cmd_done,       // pulse: command executed
    output logic         cmd_err,        // with cmd_done: command failed
    output logic [3:0]   cmd_code,       // with cmd_err: ERR_* (tlsnic_regs_pkg)
    output logic [15:0]  cmd_result,     // RX add: the context id
    input  logic [2:0]   cmd_op,         // OP_*: TX add, delete, update; RX add, delete, resync
    input  logic [15:0]  cmd_ctx,
    input  logic [255:0] cmd_key,
    input  logic         cmd_key256,
    input  logic         cmd_v13,
    input  logic [95:0]  cmd_iv,         // TLS 1.2: salt in [95:64]; TLS 1.3: the 12-byte IV
    input  logic [31:0]  cmd_seq,        // start_offload_tcp_sn
    input  logic [63:0]  cmd_rec,        // record sequence number
    input  logic         cmd_sd,         // RX: stack-driven resync mode
    input  logic         cmd_v6,         // RX: the flow is IPv6
    input  logic [127:0] cmd_saddr,      // RX: source address (IPv4 in [127:96])
    input  logic [127:0] cmd_daddr,      // RX: destination address
    input  logic [31:0]  cmd_ports,      // RX: source and destination port (PORTS_*)

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
    output logic [31:0]  st_dump_bytes,
    // RX statistics (RX_CNT_*, docs/registers.md)
    output logic [32*tlsnic_regs_pkg::RX_CNT_N-1:0] st_rx   // counter i in [32*i +: 32]
);

    localparam int CTX_W  = $clog2(N_CTX);
    localparam int HDR_BEATS = 10;
    localparam int HDR_BITS  = 128 * HDR_BEATS;

    if ((1 << CTX_W) != N_CTX) begin : g_bad_nctx
        $error("tls_engine: N_CTX must be a power of two");
    end

    // Record walker sections
    typedef enum logic [3:0] {
        S_HDR, S_NONCE, S_START, S_AAD, S_BODY, S_TAGW, S_TAG,
        S_SKIP,     // RX: the rest of a record that cannot be decrypted
        S_SCAN      // RX: searching for a header candidate
    } sect_t;

    // RX sync modes
    localparam logic [1:0] M_SYNC = 2'd0, M_WAIT = 2'd1, M_SEARCH = 2'd2, M_TRACK = 2'd3;
    // RX: a scan starts this far past the point where sync was lost
    localparam logic [31:0] MAX_REC_SPAN = 32'd16645;   // 5 + 16384 + 256

    // RX reason codes (docs/rx.md)
    localparam logic [3:0] R_DEC    = tlsnic_regs_pkg::RX_REASON_DEC,
                           R_PARSE  = tlsnic_regs_pkg::RX_REASON_PARSE,
                           R_CSUM   = tlsnic_regs_pkg::RX_REASON_CSUM,
                           R_NOFLOW = tlsnic_regs_pkg::RX_REASON_NOFLOW,
                           R_NOPAY  = tlsnic_regs_pkg::RX_REASON_NOPAY,
                           R_OLD    = tlsnic_regs_pkg::RX_REASON_OLD,
                           R_BADREC = tlsnic_regs_pkg::RX_REASON_BADREC,
                           R_AUTH   = tlsnic_regs_pkg::RX_REASON_AUTH,
                           R_OOS    = tlsnic_regs_pkg::RX_REASON_OOS,
                           R_PART   = tlsnic_regs_pkg::RX_REASON_PART;

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

    /* verilator lint_off UNUSEDSIGNAL */ // tuser bits 63:32 and 15:3 are reserved
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
    /* verilator lint_off UNUSEDSIGNAL */ // the other DUMP flag bits are reserved
    logic [7:0]  d_flags;
    /* verilator lint_on UNUSEDSIGNAL */
    always_comb begin
        // big endian (DUMP_* in tlsnic_regs_pkg)
        d_seq = 32'd0;
        for (int k = 0; k < 4; k++) begin
            d_seq = {d_seq[23:0], hb(ph, tlsnic_regs_pkg::DUMP_SEQ_OFF + k)};
        end
        d_rec = 64'd0;
        for (int k = 0; k < 8; k++) begin
            d_rec = {d_rec[55:0], hb(ph, tlsnic_regs_pkg::DUMP_REC_OFF + k)};
        end
        d_flags = hb(ph, tlsnic_regs_pkg::DUMP_FLAGS_OFF);
        d_start = d_flags[tlsnic_regs_pkg::DUMP_FLAG_START];
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

    // RX: IPv4 header checksum and the frame's 4-tuple
    logic         p_ipcsum_ok;
    logic [127:0] p_sa, p_da;
    logic [31:0]  p_ports;
    logic [15:0]  p_pay_len;
    always_comb begin
        logic [31:0] sum;
        sum = 32'd0;
        for (int w = 0; w < 30; w++) begin
            if (w < 2 * int'(p_ihl)) begin
                sum = sum + {16'd0, hb(l3h, 2*w), hb(l3h, 2*w + 1)};
            end
        end
        sum = {16'd0, sum[15:0]} + {16'd0, sum[31:16]};
        sum = {16'd0, sum[15:0]} + {16'd0, sum[31:16]};
        p_ipcsum_ok = !p_v4 || sum[15:0] == 16'hFFFF;
        p_sa = 128'd0;
        p_da = 128'd0;
        for (int i = 0; i < 16; i++) begin
            if (p_v6) begin
                p_sa[127 - 8*i -: 8] = hb(l3h, 8 + i);
                p_da[127 - 8*i -: 8] = hb(l3h, 24 + i);
            end else if (i < 4) begin
                p_sa[127 - 8*i -: 8] = hb(l3h, 12 + i);
                p_da[127 - 8*i -: 8] = hb(l3h, 16 + i);
            end
        end
        // laid out as CMD_PORTS (PORTS_*), to compare with the flow keys
        p_ports   = 32'd0;
        p_ports[tlsnic_regs_pkg::PORTS_SPORT_LSB +: tlsnic_regs_pkg::PORTS_SPORT_W] = {hb(l4h, 0), hb(l4h, 1)};
        p_ports[tlsnic_regs_pkg::PORTS_DPORT_LSB +: tlsnic_regs_pkg::PORTS_DPORT_W] = {hb(l4h, 2), hb(l4h, 3)};
        p_pay_len = p_ip_end - p_pay_off;
    end

    // ============================================================= contexts
    logic           c_valid [N_CTX];
    logic           c_v13   [N_CTX];
    logic           c_k256  [N_CTX];
    logic [255:0]   c_key   [N_CTX] /*verilator public_flat_rd*/;
    logic [127:0]   c_h     [N_CTX] /*verilator public_flat_rd*/;
    logic [127:0]   c_h2    [N_CTX] /*verilator public_flat_rd*/;
    logic [95:0]    c_iv    [N_CTX] /*verilator public_flat_rd*/;
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
    logic           c_stale [N_CTX];   // the saved GHASH state is not this context's (see carry)
    // RX only
    logic [1:0]     c_mode  [N_CTX];   // M_SYNC / M_WAIT / M_SEARCH / M_TRACK
    logic           c_sd    [N_CTX];   // stack-driven resync mode
    logic [31:0]    c_nh    [N_CTX];   // TCP sequence number of the next record header
    logic [15:0]    c_skip  [N_CTX];   // S_SKIP: bytes left of the record
    logic [31:0]    c_hist  [N_CTX];   // S_SCAN: the last 4 stream bytes (oldest in [31:24])
    logic [2:0]     c_hcnt  [N_CTX];   // S_SCAN: how many of them are valid
    logic           c_tagbad[N_CTX];   // a received tag byte already mismatched
    logic [3:0]     c_conf  [N_CTX];   // TRACK: headers confirmed after the candidate
    logic           c_req   [N_CTX];   // TRACK: resync request raised, answer pending
    logic [31:0]    c_guess [N_CTX];   // TRACK: the guessed header's TCP sequence number

    // RX flow table: fully associative, whole keys, so flows never alias
    logic           fk_valid [N_CTX];
    logic           fk_v6    [N_CTX];
    logic [127:0]   fk_sa    [N_CTX];
    logic [127:0]   fk_da    [N_CTX];
    logic [31:0]    fk_ports [N_CTX];
    logic [127:0]   cmd_sa_n, cmd_da_n;
    logic [N_CTX-1:0] p_match, cmd_match;
    logic           p_hit, cmd_dup, have_free;
    logic [CTX_W-1:0] p_hidx, free_idx;

    assign cmd_sa_n = cmd_v6 ? cmd_saddr : {cmd_saddr[127:96], 96'd0};
    assign cmd_da_n = cmd_v6 ? cmd_daddr : {cmd_daddr[127:96], 96'd0};
    always_comb begin
        p_hidx    = '0;
        free_idx  = '0;
        have_free = 1'b0;
        for (int i = N_CTX - 1; i >= 0; i--) begin
            p_match[i]   = fk_valid[i] && fk_v6[i] == p_v6 && fk_sa[i] == p_sa && fk_da[i] == p_da
                        && fk_ports[i] == p_ports;
            cmd_match[i] = fk_valid[i] && fk_v6[i] == cmd_v6 && fk_sa[i] == cmd_sa_n && fk_da[i] == cmd_da_n
                        && fk_ports[i] == cmd_ports;
            if (p_match[i]) begin
                p_hidx = CTX_W'(i);
            end
            if (!c_valid[i]) begin
                free_idx  = CTX_W'(i);
                have_free = 1'b1;
            end
        end
        p_hit   = RX && (p_v4 || p_v6) && (p_match != '0);
        cmd_dup = cmd_match != '0;
    end

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
    logic [255:0] w_key /*verilator public_flat_rd*/;
    logic [127:0] w_h /*verilator public_flat_rd*/;
    logic [127:0] w_h2 /*verilator public_flat_rd*/;
    logic [95:0]  w_iv /*verilator public_flat_rd*/;
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
    // RX working copies (see the c_* RX fields)
    logic [1:0]   w_mode;
    logic         w_sd, w_tagbad, w_req;
    logic [31:0]  w_nh, w_hist, w_guess;
    logic [15:0]  w_skip;
    logic [2:0]   w_hcnt;
    logic [3:0]   w_conf;

    gcm_core #(.USER_W(1)) u_gcm (
        .clk(clk), .rst(rst),
        .ks_valid(g_ks_valid), .ks_ready(g_ks_ready), .ks_key(cmd_key), .ks_key256(cmd_key256),
        .ks_done(g_ks_done), .ks_h(g_ks_h), .ks_h2(g_ks_h2),
        .start_valid(g_start_valid), .start_ready(g_start_ready),
        .start_key(w_key), .start_key256(w_k256), .start_h(w_h), .start_h2(w_h2),
        .start_iv(g_iv), .start_decrypt(RX),
        .start_resume(g_resume), .start_boff({16'd0, w_boff}), .start_aad(w_v13 ? 32'd5 : 32'd13),
        .start_pb(w_pb), .start_acc0(w_acc0), .start_acc1(w_acc1), .start_lane(w_lane),
        .in_valid(g_in_valid), .in_ready(g_in_ready), .in_data(g_in_data), .in_lo(g_in_lo),
        .in_cnt(g_in_cnt), .in_aad(g_in_aad), .in_last(g_in_last), .in_eos(g_in_eos), .in_user(1'b0),
        .rec_abort(g_abort), .wipe(g_wipe),
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
    // RX frame state
    logic         f_hit;                            // flow table hit
    logic         f_sum_on;                         // TCP checksum checked (parsable frame)
    logic         f_upd;                            // context written back at the end (if checksums hold)
    logic         f_insync;                         // the context was in SYNC mode at the frame start
    logic         f_part, f_auth, f_rreq;           // bytes skipped / tag mismatch / resync request
    logic [31:0]  f_guess;                          // with f_rreq: guessed header sequence number
    logic [3:0]   f_nrst;                           // scan restarts during the frame
    logic [3:0]   f_reason0;                        // reason decided at parse time (0: walk decides)
    logic [31:0]  f_sbase;                          // TCP sequence number of frame byte 0
    logic [31:0]  f_wb_seq;                         // expected sequence number written back
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
    localparam int OF_W = RX ? 273 : 145;
    logic [OF_W-1:0] of_out;
    logic [$clog2(OUT_BEATS):0] of_count_unused;
    logic         mf_in_valid, mf_in_ready, mf_out_valid, mf_out_ready;
    // {RX descriptor[63:0], RX decrypted, drop, patch, csum_off[15:0], csum[15:0]}
    logic [98:0]  mf_in, mf_out;
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

    // Carry: at the last body beat of a frame, if the next frame (its
    // header is at the head of the header FIFO) continues the same record
    // of the same context, the record stays open in gcm_core: no end of
    // segment, no state save, no resume (no keystream restart) for the next
    // frame. RX also needs this frame's TCP checksum to be good (its last
    // payload beat is the current one). The context's saved GHASH state is
    // then marked stale until a frame ends normally.
    logic carry_ok, f_carry;
    always_comb begin
        logic [31:0] c, end_seq;
        logic [16:0] t;
        c = f_csum + beat_sum;
        t = {1'b0, c[31:16]} + {1'b0, c[15:0]};
        t = {1'b0, t[15:0]} + {16'd0, t[16]};
        end_seq = RX ? f_wb_seq : w_seq + f_pay_len;
        carry_ok = hf_out_valid && !f_dump && !f_err && f_proc && mf_count < 5'd13 && hctx == w_ctx
                && p_ok && p_seq == end_seq && p_pay_len != 16'd0;
        if (RX) begin
            carry_ok = carry_ok && p_hit && p_ipcsum_ok && w_mode == M_SYNC && f_hit
                    && t[15:0] == 16'hFFFF && p_seq == f_wb_seq;
        end else begin
            carry_ok = carry_ok && ph_user[tlsnic_regs_pkg::TXD_OFFLOAD]
                    && ph_user[tlsnic_regs_pkg::TXD_OP_LSB +: tlsnic_regs_pkg::TXD_OP_W] == tlsnic_regs_pkg::TXD_OP_SEND
                    && 32'(hctx) == 32'(ph_user[tlsnic_regs_pkg::TXD_CTX_LSB +: tlsnic_regs_pkg::TXD_CTX_W])
                    && c_valid[hctx];
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

    // RX next-state of one run
    logic [1:0]   mode_n;
    logic [15:0]  skip_n;
    logic [31:0]  nh_n, hist_n, guess_n;
    logic [2:0]   hcnt_n;
    logic [3:0]   conf_n;
    logic         tagbad_n, req_n, part_n, auth_n, rreq_n, rst_n;
    logic [31:0]  seq_s;            // TCP sequence number of lane s

    function automatic logic hdr_valid(input logic [39:0] h, input logic v13);
        logic [15:0] len;
        len = h[15:0];
        hdr_valid = h[39:32] >= 8'h14 && h[39:32] <= 8'h18 && h[31:16] == 16'h0303
                 && (v13 ? (len >= 16'd17 && len <= 16'd16640) : (len >= 16'd24 && len <= 16'd16408));
    endfunction

    // RX scan window: the 4 history bytes, then lanes [s, phi) of the beat.
    logic [7:0]  win [20];
    logic [19:0] win_ok;
    logic        sc_found;
    logic [4:0]  sc_k;              // window index of the candidate's first byte
    logic [39:0] sc_hdr;
    logic [31:0] sc_hist;           // the last 4 window bytes before phi
    always_comb begin
        for (int k = 0; k < 4; k++) begin
            win[k]    = w_hist[31 - 8*k -: 8];
            win_ok[k] = 3'(4 - k) <= w_hcnt;
        end
        for (int j = 0; j < 16; j++) begin
            win[4 + j]    = src_b[4'(s + 5'(j))];
            win_ok[4 + j] = s + 5'(j) < phi;
        end
        sc_found = 1'b0;
        sc_k     = 5'd0;
        sc_hdr   = 40'd0;
        for (int k = 15; k >= 0; k--) begin
            if (win_ok[k] && win_ok[k + 4]
                && hdr_valid({win[k], win[k + 1], win[k + 2], win[k + 3], win[k + 4]}, w_v13)) begin
                sc_found = 1'b1;
                sc_k     = 5'(k);
                sc_hdr   = {win[k], win[k + 1], win[k + 2], win[k + 3], win[k + 4]};
            end
        end
        sc_hist = 32'd0;
        for (int e = 4; e <= 20; e++) begin
            if (5'(e) == 5'd4 + phi - s) begin
                sc_hist = {win[e - 4], win[e - 3], win[e - 2], win[e - 1]};
            end
        end
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
        mode_n   = w_mode;
        skip_n   = w_skip;
        nh_n     = w_nh;
        hist_n   = w_hist;
        hcnt_n   = w_hcnt;
        conf_n   = w_conf;
        tagbad_n = w_tagbad;
        req_n    = w_req;
        guess_n  = w_guess;
        part_n   = f_part;
        auth_n   = f_auth;
        rreq_n   = 1'b0;
        rst_n    = 1'b0;
        seq_s    = f_sbase + 32'(f_base) + 32'(s);
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
                    if (!RX) begin
                        if (rec_len_field < (w_v13 ? 16'd17 : 16'd24) || rec_len_field > 16'd16704) begin
                            err_n = 1'b1;
                        end
                    end else begin
                        // header start = seq_s - w_soff
                        nh_n = seq_s - 32'(w_soff) + 32'd5 + {16'd0, rec_len_field};
                        if (w_mode == M_TRACK) begin
                            sect_n = S_SKIP;
                            skip_n = rec_len_field;
                            if (!hdr_valid(hdr_n, w_v13)) begin
                                // no header where the lengths predicted one: rescan
                                mode_n = M_SEARCH;
                                sect_n = S_SCAN;
                                hcnt_n = 3'd0;
                                req_n  = 1'b0;
                                rst_n  = 1'b1;
                            end else if (!w_req) begin
                                if (32'(w_conf) + 32'd1 >= 32'(RESYNC_CONFIRM)) begin
                                    req_n   = 1'b1;
                                    rreq_n  = 1'b1;
                                    guess_n = seq_s - 32'(w_soff);
                                    rec_n   = 64'd0;   // records counted from the guess
                                end else begin
                                    conf_n = w_conf + 4'd1;
                                end
                            end else if (w_rec >= 64'(RESYNC_PATIENCE)) begin
                                // no answer: drop the guess and rescan
                                mode_n = M_SEARCH;
                                sect_n = S_SCAN;
                                hcnt_n = 3'd0;
                                req_n  = 1'b0;
                                rst_n  = 1'b1;
                            end
                        end else if (!hdr_valid(hdr_n, w_v13)) begin
                            err_n = 1'b1;
                        end
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
                              && (f_dump ? ilast : (f_pay_end <= f_base + 16'd16)) && !carry_ok;
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
                wbody = !RX;
                if (RX) begin
                    // compare the received tag bytes with the computed tag
                    for (int l = 0; l < 16; l++) begin
                        if (5'(l) >= s && 5'(l) < s + n && src_b[l] != tag_b[4'(5'(l) - s + w_soff)]) begin
                            tagbad_n = 1'b1;
                        end
                    end
                end
                if (w_soff + n == 5'd16) begin
                    sect_n = S_HDR;
                    soff_n = 5'd0;
                    rec_n  = w_rec + 64'd1;
                    if (RX) begin
                        auth_n   = f_auth || tagbad_n;
                        tagbad_n = 1'b0;
                    end
                end else begin
                    soff_n = w_soff + n;
                end
            end
            S_SKIP: begin
                n = ({11'd0, phi - s} < w_skip) ? phi - s : 5'(w_skip);
                skip_n = w_skip - 16'(n);
                if (w_mode == M_SYNC) begin
                    part_n = 1'b1;
                end
                if (skip_n == 16'd0) begin
                    sect_n = S_HDR;
                    soff_n = 5'd0;
                    rec_n  = w_rec + 64'd1;
                end
            end
            S_SCAN: begin
                if (sc_found) begin
                    n       = sc_k + 5'd1;
                    hdr_n   = sc_hdr;
                    mode_n  = M_TRACK;
                    sect_n  = S_SKIP;
                    skip_n  = sc_hdr[15:0];
                    nh_n    = seq_s + 32'(sc_k) - 32'd4 + 32'd5 + {16'd0, sc_hdr[15:0]};
                    conf_n  = 4'd0;
                    req_n   = 1'b0;
                end else begin
                    n      = phi - s;
                    hist_n = sc_hist;
                    hcnt_n = ({2'd0, w_hcnt} + (phi - s) >= 5'd4) ? 3'd4 : w_hcnt + 3'(phi - s);
                end
            end
            default: ;
        endcase
    end

    always_comb begin
        for (int i = 0; i < 16; i++) begin
            tag_b[i] = w_tag[127 - 8*i -: 8];
        end
    end

    always_comb begin
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

    // Checksum of the pushed beat: 16-bit words in [l4, pay_end). TX: of
    // the encrypted beat, without the checksum field at l4+16 (it is
    // rewritten); RX: of the beat as received, with the field (verified).
    logic [31:0]  beat_sum;
    logic [127:0] sum_src;
    assign sum_src = RX ? if_out[127:0] : wnext;
    always_comb begin
        logic [15:0] off;
        beat_sum = 32'd0;
        for (int w = 0; w < 8; w++) begin
            off = f_base + 16'(2*w);
            if (off >= f_l4 && off < f_pay_end && (RX || off != f_l4 + 16'd16)) begin
                beat_sum = beat_sum + {16'd0, sum_src[16*w +: 8],
                    (off + 16'd1 < f_pay_end) ? sum_src[16*w + 8 +: 8] : 8'd0};
            end
        end
    end

    assign of_in_valid = push;

    // Output FIFO entry: {last, keep, beat as walked} and, for RX, the beat
    // as received (the output stage picks one per frame).
    logic [OF_W-1:0] of_in_data;
    if (RX) begin : g_of_rx
        assign of_in_data = {ilast, ikeep, wnext, if_out[127:0]};
    end else begin : g_of_tx
        assign of_in_data = {ilast, ikeep, wnext};
    end

    sync_fifo #(.WIDTH(OF_W), .DEPTH(OUT_BEATS)) u_out_fifo (
        .clk(clk), .rst(rst),
        .in_valid(of_in_valid), .in_ready(of_in_ready), .in_data(of_in_data),
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
    logic g_wipe;       // a context is being deleted: gcm_core drops its key material
    assign f_fail  = f_proc && (f_err || f_short);
    assign end_ok  = !(w_sect == S_TAGW && f_proc) && !w_live_pending && !(w_live && f_fail);
    assign g_abort = (ws_reg == W_END) && w_live && f_fail;

    // RX frame verdict, valid when the frame's meta entry is pushed (for a
    // frame not walked, that is the cycle its last beat is pushed, so the
    // last beat's checksum and length are added here).
    logic        rx_csum_ok, rx_short, rx_wb, rx_dec, rx_hit;
    logic [3:0]  rx_reason;
    logic [63:0] rx_desc;
    always_comb begin
        logic [31:0] c;
        logic [16:0] t;
        logic        last_now;
        last_now = (ws_reg == W_BEATS) && push && ilast;
        c = f_csum + (((ws_reg == W_BEATS) && push) ? beat_sum : 32'd0);
        t = {1'b0, c[31:16]} + {1'b0, c[15:0]};
        t = {1'b0, t[15:0]} + {16'd0, t[16]};
        rx_csum_ok = !f_sum_on || t[15:0] == 16'hFFFF;
        rx_short   = last_now ? (f_sum_on && f_pay_end > f_base + 16'(keep_count)) : f_short;
        if (f_reason0 == R_PARSE || rx_short) begin
            rx_reason = R_PARSE;
        end else if (f_reason0 == R_CSUM || !rx_csum_ok) begin
            rx_reason = R_CSUM;
        end else if (f_reason0 != R_DEC) begin
            rx_reason = f_reason0;
        end else if (f_err) begin
            rx_reason = R_BADREC;
        end else if (f_auth) begin
            rx_reason = R_AUTH;
        end else if (!f_insync) begin
            rx_reason = R_OOS;
        end else if (f_part) begin
            rx_reason = R_PART;
        end else begin
            rx_reason = R_DEC;
        end
        rx_wb   = RX && f_hit && f_upd && rx_reason != R_PARSE && rx_reason != R_CSUM;
        rx_dec  = RX && rx_reason == R_DEC;
        rx_hit  = f_hit && rx_reason != R_PARSE && rx_reason != R_CSUM;
        rx_desc = 64'd0;
        rx_desc[tlsnic_regs_pkg::RXD_FLOW_HIT]   = rx_hit;
        rx_desc[tlsnic_regs_pkg::RXD_DECRYPTED]  = rx_dec;
        rx_desc[tlsnic_regs_pkg::RXD_RESYNC_REQ] = rx_wb && f_rreq;
        rx_desc[tlsnic_regs_pkg::RXD_REASON_LSB +: tlsnic_regs_pkg::RXD_REASON_W] = rx_reason;
        rx_desc[tlsnic_regs_pkg::RXD_CTX_LSB +: tlsnic_regs_pkg::RXD_CTX_W]       = 16'(w_ctx);
        rx_desc[tlsnic_regs_pkg::RXD_GUESS_LSB +: tlsnic_regs_pkg::RXD_GUESS_W]   = (rx_wb && f_rreq) ? f_guess : 32'd0;
    end

    always_comb begin
        logic [16:0] t;
        t  = {1'b0, f_csum[31:16]} + {1'b0, f_csum[15:0]};
        t  = {1'b0, t[15:0]} + {16'd0, t[16]};
        if (RX) begin
            mf_in = {rx_desc, rx_dec, 34'd0};
        end else begin
            mf_in = {64'd0, 1'b0, f_drop || f_fail || f_dump, f_proc, f_l4 + 16'd16, ~t[15:0]};
        end
    end
    // Frames not walked (unmarked, dropped) end with their last beat.
    logic fast_end;
    assign fast_end    = (ws_reg == W_BEATS) && push && ilast && !f_proc;
    assign mf_in_valid = ((ws_reg == W_END) && end_ok) || fast_end;

    sync_fifo #(.WIDTH(99), .DEPTH(16)) u_meta_fifo (
        .clk(clk), .rst(rst),
        .in_valid(mf_in_valid), .in_ready(mf_in_ready), .in_data(mf_in),
        .out_valid(mf_out_valid), .out_ready(mf_out_ready), .out_data(mf_out),
        .count(mf_count)
    );

    // Commands: TX add, delete, update (next record at cmd_seq); RX add
    // (the engine picks the slot), delete, resync.
    logic cmd_add, cmd_del, cmd_rsy, cmd_upd, cmd_bad;
    logic [3:0] cmd_bad_code;
    logic [CTX_W-1:0] cctx;
    assign cmd_add = RX ? cmd_op == tlsnic_regs_pkg::OP_ADD_RX : cmd_op == tlsnic_regs_pkg::OP_ADD_TX;
    assign cmd_del = RX ? cmd_op == tlsnic_regs_pkg::OP_DEL_RX : cmd_op == tlsnic_regs_pkg::OP_DEL_TX;
    assign cmd_rsy = RX && cmd_op == tlsnic_regs_pkg::OP_RESYNC_RX;
    assign cmd_upd = !RX && cmd_op == tlsnic_regs_pkg::OP_UPDATE_TX;
    assign cctx    = (RX && cmd_add) ? free_idx : cmd_ctx[CTX_W-1:0];
    always_comb begin
        if (!(cmd_add || cmd_del || cmd_rsy || cmd_upd)) begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_BAD_OP;
        end else if (RX && cmd_add && cmd_dup) begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_FLOW_EXISTS;
        end else if (RX && cmd_add && !have_free) begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_TABLE_FULL;
        end else if (!(RX && cmd_add) && cmd_ctx >= 16'(N_CTX)) begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_BAD_CTX;
        end else if ((RX && !cmd_add || cmd_upd) && !c_valid[cmd_ctx[CTX_W-1:0]]) begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_NOT_INSTALLED;
        end else begin
            cmd_bad_code = tlsnic_regs_pkg::ERR_OK;
        end
    end
    assign cmd_bad = cmd_bad_code != tlsnic_regs_pkg::ERR_OK;
    logic ks_issued_reg;
    assign g_ks_valid  = (ws_reg == W_CMD) && cmd_add && !cmd_bad && !ks_issued_reg;
    assign g_wipe      = (ws_reg == W_CMD) && cmd_del && !cmd_bad;

    // The frame's context: from the descriptor (TX) or the flow table (RX)
    logic [CTX_W-1:0] hctx;
    assign hctx = RX ? p_hidx : ph_user[tlsnic_regs_pkg::TXD_CTX_LSB +: CTX_W];

    // RX statistics
    logic [31:0] rxs [tlsnic_regs_pkg::RX_CNT_N];
    localparam int X_DEC_PKTS = tlsnic_regs_pkg::RX_CNT_DEC_PKTS,
                   X_DEC_LO   = tlsnic_regs_pkg::RX_CNT_DEC_BYTES_LO,
                   X_DEC_HI   = tlsnic_regs_pkg::RX_CNT_DEC_BYTES_HI,
                   X_CTX      = tlsnic_regs_pkg::RX_CNT_CTX,
                   X_DEL      = tlsnic_regs_pkg::RX_CNT_DEL,
                   X_REQ_PKT  = tlsnic_regs_pkg::RX_CNT_REQ_PKT,
                   X_ERR      = tlsnic_regs_pkg::RX_CNT_ERR,
                   X_PARSE    = tlsnic_regs_pkg::RX_CNT_PARSE,
                   X_CSUM     = tlsnic_regs_pkg::RX_CNT_CSUM,
                   X_NOFLOW   = tlsnic_regs_pkg::RX_CNT_NOFLOW,
                   X_NOPAY    = tlsnic_regs_pkg::RX_CNT_NOPAY,
                   X_OLD      = tlsnic_regs_pkg::RX_CNT_OLD,
                   X_OOS      = tlsnic_regs_pkg::RX_CNT_OOS,
                   X_PART     = tlsnic_regs_pkg::RX_CNT_PART,
                   X_AUTH     = tlsnic_regs_pkg::RX_CNT_AUTH,
                   X_BADREC   = tlsnic_regs_pkg::RX_CNT_BADREC,
                   X_RES_OK   = tlsnic_regs_pkg::RX_CNT_RES_OK,
                   X_RES_IGN  = tlsnic_regs_pkg::RX_CNT_RES_IGN,
                   X_RESTART  = tlsnic_regs_pkg::RX_CNT_RESTART,
                   X_FULL     = tlsnic_regs_pkg::RX_CNT_FULL;
    always_comb begin
        for (int i = 0; i < tlsnic_regs_pkg::RX_CNT_N; i++) begin
            st_rx[32*i +: 32] = rxs[i];
        end
    end

    // RX: what to do with a frame that hit a context, from its sequence
    // number and the context's state (docs/rx.md, "Sequence tracking").
    logic [1:0]  k_mode;
    sect_t       k_sect;
    logic [31:0] k_nh;
    logic        k_sd;
    logic [63:0] k_rec;
    logic        k_stale;
    logic [1:0]  dx_act;            // 0 walk, 1 pass (old), 2 pass (out of sync)
    logic [1:0]  dx_mode;
    sect_t       dx_sect;
    logic [15:0] dx_skip, dx_pay_off;
    logic        dx_sect_set, dx_rec_inc, dx_part, dx_upd, dx_clr, dx_rst;
    logic [31:0] dx_wb_seq;

    function automatic logic seq_lt(input logic [31:0] a, input logic [31:0] b);
        seq_lt = $signed(a - b) < 32'sd0;
    endfunction

    always_comb begin
        logic [31:0] e, end_seq;
        k_mode  = fwd ? w_mode : c_mode[hctx];
        k_sect  = fwd ? w_sect : c_sect[hctx];
        k_nh    = fwd ? w_nh   : c_nh[hctx];
        k_sd    = fwd ? w_sd   : c_sd[hctx];
        k_rec   = fwd ? w_rec  : c_rec[hctx];
        k_stale = fwd ? f_carry : c_stale[hctx];
        e       = exp_seq;
        end_seq = p_seq + 32'(p_pay_len);
        dx_act      = 2'd0;
        dx_mode     = k_mode;
        dx_sect_set = 1'b0;
        dx_sect     = k_sect;
        dx_skip     = 16'd0;
        dx_rec_inc  = 1'b0;
        dx_part     = 1'b0;
        dx_upd      = 1'b1;
        dx_clr      = 1'b0;
        dx_rst      = 1'b0;
        dx_pay_off  = p_pay_off;
        dx_wb_seq   = end_seq;
        if (seq_lt(p_seq, e)) begin
            if (seq_lt(e, end_seq) && k_mode != M_WAIT) begin
                // overlaps the expected sequence number: walk from there
                dx_pay_off = p_pay_off + 16'(e - p_seq);
                dx_part    = 1'b1;
            end else begin
                dx_act = 2'd1;
                dx_upd = 1'b0;
            end
        end else if (p_seq != e) begin
            // a gap before this frame
            if ((k_mode == M_SYNC || (k_mode == M_TRACK && k_sect == S_SKIP))
                && k_sect != S_HDR && !seq_lt(k_nh, p_seq)) begin
                // inside the current record: resume at the next header
                dx_sect_set = 1'b1;
                if (p_seq == k_nh) begin
                    dx_sect    = S_HDR;
                    dx_rec_inc = 1'b1;
                end else begin
                    dx_sect = S_SKIP;
                    dx_skip = 16'(k_nh - p_seq);
                    dx_part = 1'b1;
                end
            end else if (k_mode == M_SYNC) begin
                dx_mode = M_WAIT;               // a header was in the gap
            end else if (k_mode != M_WAIT) begin
                dx_mode     = M_SEARCH;         // scanning or tracking: start over here
                dx_sect_set = 1'b1;
                dx_sect     = S_SCAN;
                dx_clr      = 1'b1;
                dx_rst      = k_mode == M_TRACK;
            end
        end
        if (dx_act == 2'd0 && !dx_sect_set && k_stale && k_sect == S_BODY && !(fwd && f_carry)) begin
            // the saved crypto state is lost (a carried frame failed its
            // checksum): give up this record, resume at the next header
            dx_sect_set = 1'b1;
            dx_sect     = S_SKIP;
            dx_skip     = 16'(k_nh - (seq_lt(p_seq, e) ? e : p_seq));
            dx_part     = 1'b1;
        end
        if (dx_act == 2'd0 && dx_mode == M_WAIT) begin
            if (!k_sd && seq_lt(e + MAX_REC_SPAN, p_seq)) begin
                dx_mode     = M_SEARCH;
                dx_sect_set = 1'b1;
                dx_sect     = S_SCAN;
                dx_clr      = 1'b1;
                dx_part     = 1'b0;
                dx_pay_off  = p_pay_off;
            end else begin
                dx_act    = 2'd2;
                dx_upd    = k_mode != M_WAIT;   // record the loss
                dx_wb_seq = e;
            end
        end
    end

    always_ff @(posedge clk) begin
        cmd_done <= 1'b0;
        cmd_err  <= 1'b0;
        case (ws_reg)
            W_IDLE: begin
                // cmd_valid drops the cycle after cmd_done: do not run the
                // finished command twice.
                if (cmd_valid && !cmd_done) begin
                    ws_reg        <= W_CMD;
                    cmd_code      <= tlsnic_regs_pkg::ERR_OK;
                    ks_issued_reg <= 1'b0;
                end else if (hf_out_valid && mf_in_ready) begin
                    ws_reg <= W_PARSE;
                end
            end
            W_CMD: begin
                if (cmd_bad) begin
                    cmd_done <= 1'b1;
                    cmd_err  <= 1'b1;
                    cmd_code <= cmd_bad_code;
                    ws_reg   <= W_IDLE;
                    if (RX && cmd_bad_code == tlsnic_regs_pkg::ERR_TABLE_FULL) begin
                        rxs[X_FULL] <= rxs[X_FULL] + 32'd1;
                    end
                end else if (cmd_del) begin
                    // delete: the slot is free and no key material remains,
                    // neither in the slot nor in the working copy of the
                    // last frame's context (reloaded by every frame) nor in
                    // gcm_core (g_wipe)
                    w_key <= 256'd0;
                    w_h   <= 128'd0;
                    w_h2  <= 128'd0;
                    w_iv  <= 96'd0;
                    c_valid[cctx] <= 1'b0;
                    c_key[cctx]   <= 256'd0;
                    c_h[cctx]     <= 128'd0;
                    c_h2[cctx]    <= 128'd0;
                    c_iv[cctx]    <= 96'd0;
                    c_tag[cctx]   <= 128'd0;
                    c_pb[cctx]    <= 128'd0;
                    c_acc0[cctx]  <= 128'd0;
                    c_acc1[cctx]  <= 128'd0;
                    if (RX) begin
                        fk_valid[cctx] <= 1'b0;
                        fk_sa[cctx]    <= 128'd0;
                        fk_da[cctx]    <= 128'd0;
                        fk_ports[cctx] <= 32'd0;
                        rxs[X_DEL]     <= rxs[X_DEL] + 32'd1;
                    end else begin
                        st_ctx_del <= st_ctx_del + 32'd1;
                    end
                    cmd_done   <= 1'b1;
                    ws_reg     <= W_IDLE;
                end else if (cmd_upd) begin
                    // TX context update (next-record sync over the command
                    // queue): record cmd_rec starts at TCP sequence number
                    // cmd_seq, which the context now expects. The caller
                    // orders it after the context's queued frames.
                    c_seq[cctx]   <= cmd_seq;
                    c_rec[cctx]   <= cmd_rec;
                    c_sect[cctx]  <= S_HDR;
                    c_soff[cctx]  <= 5'd0;
                    c_stale[cctx] <= 1'b0;
                    cmd_done      <= 1'b1;
                    ws_reg        <= W_IDLE;
                end else if (cmd_rsy) begin
                    if (c_sd[cctx] && c_mode[cctx] != M_SYNC) begin
                        // stack-driven: the host names the next record's
                        // start. Only while out of sync: the host's view
                        // lags the device by the frames in flight, so a
                        // push that arrives after the device regained sync
                        // (an earlier push) names a record the device has
                        // passed already and would lose sync again.
                        c_mode[cctx]   <= M_SYNC;
                        c_seq[cctx]    <= cmd_seq;
                        c_rec[cctx]    <= cmd_rec;
                        c_sect[cctx]   <= S_HDR;
                        c_soff[cctx]   <= 5'd0;
                        c_tagbad[cctx] <= 1'b0;
                        c_req[cctx]    <= 1'b0;
                        rxs[X_RES_OK]  <= rxs[X_RES_OK] + 32'd1;
                    end else if (c_mode[cctx] == M_TRACK && c_req[cctx] && c_guess[cctx] == cmd_seq) begin
                        // the guess is confirmed: add the records counted since
                        c_mode[cctx]  <= M_SYNC;
                        c_rec[cctx]   <= c_rec[cctx] + cmd_rec;
                        c_req[cctx]   <= 1'b0;
                        rxs[X_RES_OK] <= rxs[X_RES_OK] + 32'd1;
                    end else begin
                        rxs[X_RES_IGN] <= rxs[X_RES_IGN] + 32'd1;
                    end
                    cmd_done <= 1'b1;
                    ws_reg   <= W_IDLE;
                end else begin
                    if (g_ks_valid && g_ks_ready) begin
                        ks_issued_reg <= 1'b1;
                    end
                    if (g_ks_done) begin
                        c_valid[cctx] <= 1'b1;
                        c_v13[cctx]   <= cmd_v13;
                        c_k256[cctx]  <= cmd_key256;
                        c_key[cctx]   <= cmd_key;
                        c_h[cctx]     <= g_ks_h;
                        c_h2[cctx]    <= g_ks_h2;
                        c_iv[cctx]    <= cmd_iv;
                        c_seq[cctx]   <= cmd_seq;
                        c_rec[cctx]   <= cmd_rec;
                        c_sect[cctx]  <= S_HDR;
                        c_soff[cctx]  <= 5'd0;
                        c_blen[cctx]  <= 16'd0;
                        c_boff[cctx]  <= 16'd0;
                        c_stale[cctx] <= 1'b0;
                        cmd_result    <= 16'(cctx);
                        if (RX) begin
                            c_mode[cctx]   <= M_SYNC;
                            c_sd[cctx]     <= cmd_sd;
                            c_nh[cctx]     <= cmd_seq;
                            c_skip[cctx]   <= 16'd0;
                            c_hcnt[cctx]   <= 3'd0;
                            c_tagbad[cctx] <= 1'b0;
                            c_conf[cctx]   <= 4'd0;
                            c_req[cctx]    <= 1'b0;
                            fk_valid[cctx] <= 1'b1;
                            fk_v6[cctx]    <= cmd_v6;
                            fk_sa[cctx]    <= cmd_sa_n;
                            fk_da[cctx]    <= cmd_da_n;
                            fk_ports[cctx] <= cmd_ports;
                            rxs[X_CTX]     <= rxs[X_CTX] + 32'd1;
                        end else begin
                            st_ctx_add <= st_ctx_add + 32'd1;
                        end
                        cmd_done   <= 1'b1;
                        cmd_code   <= tlsnic_regs_pkg::ERR_OK;
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
                    if (w_sect == S_BODY && w_live && carry_ok && 16'(n) != rem && s + n == phi) begin
                        f_carry <= 1'b1;
                    end
                    cur_reg  <= s + n;
                    wbeat_reg <= wnext;
                    wmod_reg  <= 1'b1;
                    if (RX) begin
                        w_mode   <= mode_n;
                        w_skip   <= skip_n;
                        w_nh     <= nh_n;
                        w_hist   <= hist_n;
                        w_hcnt   <= hcnt_n;
                        w_conf   <= conf_n;
                        w_tagbad <= tagbad_n;
                        w_req    <= req_n;
                        w_guess  <= guess_n;
                        f_part   <= part_n;
                        f_auth   <= auth_n;
                        if (rreq_n) begin
                            f_rreq  <= 1'b1;
                            f_guess <= guess_n;
                        end
                        if (rst_n) begin
                            f_nrst <= f_nrst + 4'd1;
                        end
                        if (err_n && !f_err) begin
                            // malformed header in sync: sync is lost here
                            w_mode <= M_WAIT;
                            w_sect <= S_HDR;
                            w_soff <= 5'd0;
                        end
                    end
                end
                if (push) begin
                    cur_reg  <= 5'd0;
                    wmod_reg <= 1'b0;
                    f_base   <= f_base + 16'd16;
                    if (f_proc || f_sum_on) begin
                        f_csum <= f_csum + beat_sum;
                    end
                    if (ilast) begin
                        ws_reg  <= fast_end ? W_IDLE : W_END;
                        f_short <= (f_proc || f_sum_on) && !f_dump && (f_pay_end > f_base + 16'(keep_count));
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
            if (wb_now) begin
                c_seq[w_ctx]   <= RX ? f_wb_seq : w_seq + f_pay_len;
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
                c_stale[w_ctx] <= f_carry;
                if (RX) begin
                    c_mode[w_ctx]   <= w_mode;
                    c_nh[w_ctx]     <= w_nh;
                    c_skip[w_ctx]   <= w_skip;
                    c_hist[w_ctx]   <= w_hist;
                    c_hcnt[w_ctx]   <= w_hcnt;
                    c_tagbad[w_ctx] <= w_tagbad;
                    c_conf[w_ctx]   <= w_conf;
                    c_req[w_ctx]    <= w_req;
                    c_guess[w_ctx]  <= w_guess;
                end
            end
            if (RX) begin
                // every frame is counted once, by its reason
                case (rx_reason)
                    R_DEC: begin
                        rxs[X_DEC_PKTS] <= rxs[X_DEC_PKTS] + 32'd1;
                        {rxs[X_DEC_HI], rxs[X_DEC_LO]} <= {rxs[X_DEC_HI], rxs[X_DEC_LO]} + {32'd0, f_pay_len};
                    end
                    R_PARSE:  rxs[X_PARSE]  <= rxs[X_PARSE] + 32'd1;
                    R_CSUM:   rxs[X_CSUM]   <= rxs[X_CSUM] + 32'd1;
                    R_NOFLOW: rxs[X_NOFLOW] <= rxs[X_NOFLOW] + 32'd1;
                    R_NOPAY:  rxs[X_NOPAY]  <= rxs[X_NOPAY] + 32'd1;
                    R_OLD:    rxs[X_OLD]    <= rxs[X_OLD] + 32'd1;
                    R_BADREC: begin
                        rxs[X_ERR]    <= rxs[X_ERR] + 32'd1;
                        rxs[X_BADREC] <= rxs[X_BADREC] + 32'd1;
                    end
                    R_AUTH: begin
                        rxs[X_ERR]  <= rxs[X_ERR] + 32'd1;
                        rxs[X_AUTH] <= rxs[X_AUTH] + 32'd1;
                    end
                    R_OOS:    rxs[X_OOS]    <= rxs[X_OOS] + 32'd1;
                    default:  rxs[X_PART]   <= rxs[X_PART] + 32'd1;
                endcase
                if (rx_wb && f_rreq) begin
                    rxs[X_REQ_PKT] <= rxs[X_REQ_PKT] + 32'd1;
                end
                if (rx_wb) begin
                    rxs[X_RESTART] <= rxs[X_RESTART] + 32'(f_nrst);
                end
            end else if (f_proc && !f_fail) begin
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
                    3'd4: st_drop_rec   <= st_drop_rec + 32'd1;
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
        w_live    <= fwd && f_carry;      // carried record: gcm_core still holds it
        w_live_pending <= 1'b0;
        f_carry   <= 1'b0;
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
            w_mode   <= c_mode[hctx];
            w_nh     <= c_nh[hctx];
            w_skip   <= c_skip[hctx];
            w_hist   <= c_hist[hctx];
            w_hcnt   <= c_hcnt[hctx];
            w_tagbad <= c_tagbad[hctx];
            w_conf   <= c_conf[hctx];
            w_req    <= c_req[hctx];
            w_guess  <= c_guess[hctx];
        end
        w_sd      <= c_sd[hctx];
        f_proc    <= 1'b0;
        f_drop    <= 1'b0;
        f_hit     <= p_hit;
        f_sum_on  <= RX && p_ok;
        f_upd     <= 1'b0;
        f_insync  <= 1'b0;
        f_part    <= 1'b0;
        f_auth    <= 1'b0;
        f_rreq    <= 1'b0;
        f_guess   <= 32'd0;
        f_nrst    <= 4'd0;
        f_reason0 <= R_DEC;
        f_sbase   <= p_seq - {16'd0, p_pay_off};
        f_wb_seq  <= p_seq + {16'd0, p_pay_len};
        if (RX) begin
            if (!p_ok) begin
                f_reason0 <= R_PARSE;
            end else if (!p_ipcsum_ok) begin
                f_reason0 <= R_CSUM;
            end else if (!p_hit) begin
                f_reason0 <= R_NOFLOW;
            end else if (p_pay_len == 16'd0) begin
                f_reason0 <= R_NOPAY;
            end else begin
                case (dx_act)
                    2'd1:    f_reason0 <= R_OLD;
                    2'd2:    f_reason0 <= R_OOS;
                    default: f_proc    <= 1'b1;
                endcase
                f_upd     <= dx_upd;
                f_insync  <= dx_mode == M_SYNC;
                f_part    <= dx_part;
                f_pay_off <= dx_pay_off;
                f_wb_seq  <= dx_wb_seq;
                f_nrst    <= {3'd0, dx_rst};
                w_mode    <= dx_mode;
                if (dx_sect_set) begin
                    w_sect   <= dx_sect;
                    w_soff   <= 5'd0;
                    w_skip   <= dx_skip;
                    w_tagbad <= 1'b0;
                    if (dx_rec_inc) begin
                        w_rec <= k_rec + 64'd1;
                    end
                end
                if (dx_clr) begin
                    w_hcnt <= 3'd0;
                    w_req  <= 1'b0;
                    w_conf <= 4'd0;
                end
            end
        end else if (ph_user[tlsnic_regs_pkg::TXD_OFFLOAD]
                     && ph_user[tlsnic_regs_pkg::TXD_OP_LSB +: tlsnic_regs_pkg::TXD_OP_W] == tlsnic_regs_pkg::TXD_OP_DUMP) begin
            // DUMP: header (seq, rec, flags), then record bytes
            if (32'(hctx) != 32'(ph_user[tlsnic_regs_pkg::TXD_CTX_LSB +: tlsnic_regs_pkg::TXD_CTX_W]) || !c_valid[hctx]) begin
                f_drop <= 1'b1;
                f_why  <= 3'd2;
            end else if (!d_start && d_seq != exp_seq) begin
                f_drop <= 1'b1;
                f_why  <= 3'd3;
            end else if (!d_start && k_stale && k_sect == S_BODY && !(fwd && f_carry)) begin
                f_drop <= 1'b1;
                f_why  <= 3'd4;
            end else begin
                f_proc    <= 1'b1;
                f_dump    <= 1'b1;
                f_pay_off <= 16'(tlsnic_regs_pkg::DUMP_HDR_BYTES);
                f_pay_end <= 16'hFFFF;
                if (d_start) begin
                    w_seq  <= d_seq;
                    w_rec  <= d_rec;
                    w_sect <= S_HDR;
                    w_soff <= 5'd0;
                end
            end
        end else if (ph_user[tlsnic_regs_pkg::TXD_OFFLOAD]) begin
            if (!p_ok) begin
                f_drop <= 1'b1;
                f_why  <= 3'd1;
            end else if (32'(hctx) != 32'(ph_user[tlsnic_regs_pkg::TXD_CTX_LSB +: tlsnic_regs_pkg::TXD_CTX_W]) || !c_valid[hctx]) begin
                f_drop <= 1'b1;
                f_why  <= 3'd2;
            end else if (p_seq != exp_seq) begin
                f_drop <= 1'b1;
                f_why  <= 3'd3;
            end else if (k_stale && k_sect == S_BODY && !(fwd && f_carry)) begin
                // mid-record state lost with a failed carried frame: the
                // driver rebuilds it (DUMP) when TCP retransmits
                f_drop <= 1'b1;
                f_why  <= 3'd4;
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
            f_carry       <= 1'b0;
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
            cmd_code      <= tlsnic_regs_pkg::ERR_OK;
            cmd_result    <= 16'd0;
            for (int i = 0; i < 20; i++) begin
                rxs[i] <= 32'd0;
            end
            for (int i = 0; i < N_CTX; i++) begin
                c_valid[i]  <= 1'b0;
                fk_valid[i] <= 1'b0;
            end
        end
    end

    // W_PARSE, or a frame end with the next header ready, consumes the
    // header FIFO entry.
    logic do_parse, fwd, wb_now;
    logic [31:0] exp_seq;
    assign do_parse = (ws_reg == W_PARSE)
                   || (mf_in_valid && hf_out_valid && (f_carry || (!cmd_valid && mf_count < 5'd14)));
    assign wb_now   = RX ? rx_wb : (f_proc && !f_fail);
    assign fwd      = mf_in_valid && wb_now && (hctx == w_ctx);
    assign exp_seq  = fwd ? (RX ? f_wb_seq : w_seq + f_pay_len) : c_seq[hctx];
    assign hf_out_ready = do_parse;

    // ========================================================= output stage
    logic        o_active_reg, o_drop_reg, o_patch_reg, o_dec_reg;
    logic [15:0] o_base_reg, o_csum_off_reg, o_csum_reg;
    logic [63:0] o_desc_reg;
    logic [127:0] o_data, o_new;

    // The next frame's meta is taken in the cycle the current frame's last
    // beat leaves: no bubble between frames.
    logic o_last_fire;
    assign o_last_fire  = o_active_reg && of_out_valid && of_out_ready && of_out[OF_W-1];
    assign mf_out_ready = mf_out_valid && (!o_active_reg || o_last_fire);
    assign o_new        = of_out[OF_W-18 -: 128];
    always_comb begin
        if (RX) begin
            // RX: the decrypted copy or the beat as received
            o_data = o_dec_reg ? o_new : of_out[127:0];
        end else begin
            o_data = o_new;
            for (int l = 0; l < 16; l += 2) begin
                if (o_patch_reg && o_base_reg + 16'(l) == o_csum_off_reg) begin
                    o_data[8*l +: 8]     = o_csum_reg[15:8];
                    o_data[8*l + 8 +: 8] = o_csum_reg[7:0];
                end
            end
        end
    end
    assign m_tvalid     = o_active_reg && !o_drop_reg && of_out_valid;
    assign m_tdata      = o_data;
    assign m_tkeep      = of_out[OF_W-2 -: 16];
    assign m_tlast      = of_out[OF_W-1];
    assign m_tuser      = o_desc_reg;
    assign of_out_ready = o_active_reg && (o_drop_reg || m_tready);

    always_ff @(posedge clk) begin
        if (of_out_valid && of_out_ready) begin
            o_base_reg <= o_base_reg + 16'd16;
            if (of_out[OF_W-1]) begin
                o_active_reg <= 1'b0;
            end
        end
        if (mf_out_ready) begin
            o_active_reg   <= 1'b1;
            o_desc_reg     <= mf_out[98:35];
            o_dec_reg      <= mf_out[34];
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
