// Board self-test: TLS records in TCP/IPv4 frames for the device's TX path
// (docs/tx.md), or, as the checker's copy, the plaintext frames the device's
// RX path must give back. Two instances with the same parameters produce the
// same beats in the same order: every value comes from the parameters,
// board_conn_cfg and two LFSRs advanced by emitted beats and frames, so the
// checker regenerates what the sender made instead of storing it.
//
// Frames: N_REC rounds, each one frame per connection 0..N_CONN-1 in turn;
// each frame carries one whole record as the kernel hands it to a TLS_HW
// device: Ethernet II, IPv4 (no options, DF, valid header checksum), TCP (no
// options, PSH|ACK, checksum 0: the device computes it), then the record
// header (type 23, version 03 03), the TLS 1.2 explicit nonce (the IV's
// explicit part + record index), L plaintext bytes (xorshift128 output,
// L = 1 + a 16-bit LFSR's low LEN_W bits) and 16 zero bytes where the tag
// goes. TCP sequence numbers start at the connection's tcp_seq0 and follow
// the bytes sent.
//
// Stream: 128-bit AXI4-Stream, lane i = byte i of the beat; tuser is the TX
// descriptor (bit 0 offload, bits 31:16 ctx_id = connection). Sideband with
// each beat: `m_cmp` marks the lanes whose bytes the RX output must
// reproduce (all but the TCP checksum and the tag), `m_conn` and `m_frame`
// name the frame. Setup takes three cycles between frames.
`default_nettype none

module board_frame_gen #(
    parameter int          N_CONN = 4,
    parameter int          CONN_W = 4,
    parameter int          N_REC  = 8,
    parameter int          LEN_W  = 10,
    parameter logic [31:0] SEED   = 32'h1234_5678
) (
    input  logic              clk,
    input  logic              rst,
    input  logic              start,

    output logic [127:0]      m_tdata,
    output logic [15:0]       m_tkeep,
    output logic              m_tvalid,
    input  logic              m_tready,
    output logic              m_tlast,
    output logic [63:0]       m_tuser,
    output logic [15:0]       m_cmp,
    output logic [CONN_W-1:0] m_conn,
    output logic [31:0]       m_frame,
    output logic              done
);

    localparam int N_FRAMES = N_CONN * N_REC;

    typedef enum logic [2:0] { G_IDLE, G_SETUP0, G_SETUP1, G_SETUP2, G_BEATS, G_DONE } g_state_t;
    g_state_t st;

    // ---- per-connection TCP sequence numbers
    logic [N_CONN-1:0][31:0] seq0;
    logic [N_CONN-1:0][31:0] seq;
    for (genvar c = 0; c < N_CONN; c++) begin : g_cfg
        /* verilator lint_off UNUSEDSIGNAL */ // only the start sequence number is needed here
        logic         u_v13, u_k256;
        logic [255:0] u_key;
        logic [95:0]  u_iv;
        logic [63:0]  u_rec0;
        logic [31:0]  u_sa, u_da;
        logic [15:0]  u_sp, u_dp;
        /* verilator lint_on UNUSEDSIGNAL */
        board_conn_cfg #(.CONN_W(CONN_W)) u_cfg (
            .conn(CONN_W'(c)), .v13(u_v13), .key256(u_k256), .key(u_key), .iv(u_iv),
            .tcp_seq0(seq0[c]), .rec0(u_rec0), .saddr(u_sa), .daddr(u_da), .sport(u_sp), .dport(u_dp)
        );
    end

    // ---- the current frame's connection
    logic [CONN_W-1:0] conn;
    logic [31:0]       rec;             // round = record index within the connection
    logic [31:0]       frame;
    logic              c_v13;
    /* verilator lint_off UNUSEDSIGNAL */ // keys are the sequencer's business
    logic              c_key256;
    logic [255:0]      c_key;
    logic [63:0]       c_rec0;
    logic [31:0]       c_seq0;
    logic [95:0]       c_iv;            // the salt goes only to the device
    /* verilator lint_on UNUSEDSIGNAL */
    logic [31:0]       c_saddr, c_daddr;
    logic [15:0]       c_sport, c_dport;

    board_conn_cfg #(.CONN_W(CONN_W)) u_cfg (
        .conn(conn), .v13(c_v13), .key256(c_key256), .key(c_key), .iv(c_iv), .tcp_seq0(c_seq0),
        .rec0(c_rec0), .saddr(c_saddr), .daddr(c_daddr), .sport(c_sport), .dport(c_dport)
    );

    // ---- frame setup registers
    logic [15:0]  len_lfsr;
    logic [15:0]  tls_len;              // record length field
    logic [15:0]  ip_len;
    logic [11:0]  body_end, frame_len;
    logic [63:0]  nonce;
    logic [31:0]  tcp_seq;
    logic [31:0]  ip_sum;
    logic [15:0]  ip_csum;
    logic [LEN_W:0] pay_len;
    logic [16:0]  ip_fold;
    assign ip_fold = {1'b0, ip_sum[15:0]} + {1'b0, ip_sum[31:16]};

    always_comb begin
        pay_len = (LEN_W + 1)'(len_lfsr[LEN_W-1:0]) + 1'b1;
    end

    // ---- header bytes (offset o at hdr[8*(80-o)-1 -: 8]; bytes 67..79 unused)
    logic [8*80-1:0] hdr;
    assign hdr = {
        48'h0200_0000_0101,             // destination MAC
        48'h0200_0000_0001,             // source MAC
        16'h0800,
        8'h45, 8'h00, ip_len, frame[15:0], 16'h4000, 8'h40, 8'h06, ip_csum, c_saddr, c_daddr,
        c_sport, c_dport, tcp_seq, 32'h0000_0001, 8'h50, 8'h18, 16'hFFFF, 16'h0000, 16'h0000,
        8'h17, 8'h03, 8'h03, tls_len,
        nonce,                          // TLS 1.2 only
        104'd0
    };

    // ---- plaintext source: xorshift128, four steps (128 bits) per beat
    logic [31:0] xs_x, xs_y, xs_z, xs_w;
    logic [31:0] xs_1, xs_2, xs_3, xs_4;
    function automatic logic [31:0] xs_step(input logic [31:0] a, input logic [31:0] d);
        logic [31:0] t;
        t = a ^ (a << 11);
        xs_step = d ^ (d >> 19) ^ t ^ (t >> 8);
    endfunction
    assign xs_1 = xs_step(xs_x, xs_w);
    assign xs_2 = xs_step(xs_y, xs_1);
    assign xs_3 = xs_step(xs_z, xs_2);
    assign xs_4 = xs_step(xs_w, xs_3);

    // ---- next beat
    logic [6:0]   beat;                 // beat index within the frame
    logic [11:0]  rem_body, rem_tag;    // body end / frame end minus the beat's offset
    logic         load;
    logic [127:0] n_data;
    logic [15:0]  n_keep, n_cmp, hdr_mask, body_mask;
    logic         n_last;

    // lanes below `rem` (0..16, signed 12-bit)
    function automatic logic [15:0] lanes_below(input logic [11:0] rem);
        if (rem[11] || rem == 12'd0) lanes_below = 16'h0000;
        else if (rem >= 12'd16) lanes_below = 16'hFFFF;
        else lanes_below = 16'((17'd1 << rem[3:0]) - 17'd1);
    endfunction

    always_comb begin
        n_data   = {xs_4, xs_3, xs_2, xs_1};
        hdr_mask = 16'h0000;
        for (int l = 0; l < 16; l++) begin
            for (int b = 0; b < 5; b++) begin
                if (beat == 7'(b) && (16*b + l < 59 || (!c_v13 && 16*b + l < 67))) begin
                    hdr_mask[l]      = 1'b1;
                    n_data[8*l +: 8] = hdr[8*(80 - 16*b - l) - 1 -: 8];
                end
            end
        end
        n_keep    = lanes_below(rem_tag);
        body_mask = lanes_below(rem_body) & ~hdr_mask;
        for (int l = 0; l < 16; l++) begin
            if (!hdr_mask[l] && !body_mask[l]) n_data[8*l +: 8] = 8'h00;   // tag placeholder, padding
        end
        n_cmp = n_keep & (hdr_mask | body_mask);
        if (beat == 7'd3) n_cmp[3:2] = 2'b00;                       // TCP checksum (bytes 50, 51)
        n_last = !rem_tag[11] && rem_tag <= 12'd16;
    end

    assign load = st == G_BEATS && (!m_tvalid || m_tready);
    assign done = st == G_DONE && !m_tvalid;

    always_ff @(posedge clk) begin
        if (m_tvalid && m_tready) m_tvalid <= 1'b0;
        case (st)
            G_IDLE: if (start) st <= G_SETUP0;
            G_SETUP0: begin
                tls_len   <= 16'(pay_len) + (c_v13 ? 16'd16 : 16'd24);
                ip_len    <= 16'(pay_len) + (c_v13 ? 16'd61 : 16'd69);
                body_end  <= 12'(pay_len) + (c_v13 ? 12'd59 : 12'd67);
                frame_len <= 12'(pay_len) + (c_v13 ? 12'd75 : 12'd83);
                nonce     <= c_iv[63:0] + {32'd0, rec};
                for (int c = 0; c < N_CONN; c++) begin
                    if (conn == CONN_W'(c)) tcp_seq <= seq[c];
                end
                st <= G_SETUP1;
            end
            G_SETUP1: begin
                ip_sum <= 32'h4500 + {16'd0, ip_len} + {16'd0, frame[15:0]} + 32'h4000 + 32'h4006
                        + {16'd0, c_saddr[31:16]} + {16'd0, c_saddr[15:0]}
                        + {16'd0, c_daddr[31:16]} + {16'd0, c_daddr[15:0]};
                st <= G_SETUP2;
            end
            G_SETUP2: begin
                ip_csum  <= ~(ip_fold[15:0] + {15'd0, ip_fold[16]});
                beat     <= 7'd0;
                rem_body <= body_end;
                rem_tag  <= frame_len;
                st       <= G_BEATS;
            end
            G_BEATS: begin
                if (load) begin
                    m_tvalid <= 1'b1;
                    m_tdata  <= n_data;
                    m_tkeep  <= n_keep;
                    m_tlast  <= n_last;
                    m_tuser  <= {32'd0, 16'(conn), 15'd0, 1'b1};
                    m_cmp    <= n_cmp;
                    m_conn   <= conn;
                    m_frame  <= frame;
                    {xs_x, xs_y, xs_z, xs_w} <= {xs_1, xs_2, xs_3, xs_4};
                    beat     <= beat + 7'd1;
                    rem_body <= rem_body - 12'd16;
                    rem_tag  <= rem_tag - 12'd16;
                    if (n_last) begin
                        for (int c = 0; c < N_CONN; c++) begin
                            if (conn == CONN_W'(c)) seq[c] <= tcp_seq + {16'd0, tls_len} + 32'd5;
                        end
                        len_lfsr <= {len_lfsr[14:0], 1'b0} ^ (len_lfsr[15] ? 16'h002D : 16'h0000);
                        frame    <= frame + 32'd1;
                        if (conn == CONN_W'(N_CONN - 1)) begin
                            conn <= '0;
                            rec  <= rec + 32'd1;
                        end else begin
                            conn <= conn + 1'b1;
                        end
                        st <= (frame == 32'(N_FRAMES - 1)) ? G_DONE : G_SETUP0;
                    end
                end
            end
            default: ;
        endcase
        if (rst) begin
            st       <= G_IDLE;
            m_tvalid <= 1'b0;
            conn     <= '0;
            rec      <= 32'd0;
            frame    <= 32'd0;
            len_lfsr <= SEED[15:0] | 16'h0001;
            xs_x     <= SEED ^ 32'h7543_2F1D;
            xs_y     <= SEED ^ 32'h3626_8A91;
            xs_z     <= SEED ^ 32'h521F_8BC4;
            xs_w     <= SEED ^ 32'h88D1_5E07;
            for (int c = 0; c < N_CONN; c++) seq[c] <= seq0[c];
        end
    end

endmodule

`default_nettype wire
