// net_hdr_parse: Ethernet II / 802.1Q / IPv4 / IPv6 / TCP header parser that
// snoops an AXI4-Stream of whole frames and reports one record per frame.
//
// Theory of operation
// - The module only watches the stream (`mon_beat` = tvalid && tready); it
//   never stalls it. Beats are DATA_W/8 byte lanes, byte i of a beat at
//   mon_tdata[8i+7:8i]; every beat but the last carries a full tkeep.
// - The first HDR_BYTES bytes of a frame are captured into `hdr_reg`, one
//   beat-sized group per beat (`grp_reg` is a one-hot pointer to the group
//   the next beat fills, so the capture mux select is a flop). The header
//   view `hv` is `hdr_reg` with the current beat merged in: every field is a
//   combinational function of `hv` and the frame length so far, so results
//   appear in the cycle the beat holding their last byte is accepted.
// - Fields at fixed offsets (EtherType, VLAN, IP) are 2:1 muxes (VLAN or
//   not); TCP fields sit at one of 12 offsets (34..78 step 4, since an IPv4
//   header is a multiple of 4 bytes and L3 starts at 14 or 18): an AND-OR
//   mux.
// - The IPv4 header checksum is accumulated per beat over the 16-bit words
//   inside [l3_off, l3_off + 4*IHL) (21-bit sum, no fold until the check).
//
// Outputs (one pulse of each per frame, docs/net.md has the exact cycles)
// - loc_valid/loc: where the TCP checksum covers, in the beat holding the
//   IPv4 protocol byte / the IPv6 next-header byte (before any address byte)
//   of a TCP-claiming frame; feeds tcp_csum.
// - meta_valid/meta: in the beat holding the last TCP header byte, or in
//   the tlast beat for frames that are not TCP or end earlier. The payload
//   offset is thus known no later than the beat holding the first payload
//   byte.
// - eof_valid/eof: in the tlast beat; completes the length check that an
//   early record cannot make.
//
// All outputs are combinational from the current beat (Mealy), registered
// state and no other input: register them in the consumer if timing needs.
// Latency: 0 cycles. Throughput: one beat per clock, frames back to back.
// Frames up to 65535 bytes (16-bit byte counter).
`default_nettype none

module net_hdr_parse #(
    parameter int DATA_W = 128,
    parameter int KEEP_W = DATA_W / 8
) (
    input  logic                 clk,
    input  logic                 rst,

    // Snooped AXI4-Stream (whole Ethernet frames without FCS)
    input  logic [DATA_W-1:0]    mon_tdata,
    input  logic [KEEP_W-1:0]    mon_tkeep,
    input  logic                 mon_beat,     // tvalid && tready
    input  logic                 mon_tlast,

    // TCP checksum coverage (to tcp_csum)
    output logic                 loc_valid,
    output net_pkg::l4_loc_t     loc,

    // Header record
    output logic                 meta_valid,
    output net_pkg::hdr_meta_t   meta,

    // Frame end
    output logic                 eof_valid,
    output net_pkg::frame_end_t  eof
);

    // Bytes the parser reads: up to the TCP flags at the largest L4 offset
    // (18 + 60 + 13 = 91).
    localparam int HDR_BYTES = 92;
    localparam int N_GRP     = (HDR_BYTES + KEEP_W - 1) / KEEP_W;
    localparam int HDR_W     = N_GRP * KEEP_W;
    localparam int CNT_W     = 16;
    // Possible TCP header offsets: 14/18 + 4*IHL, and 54/58 for IPv6.
    localparam int L4_MIN    = 34;
    localparam int L4_N      = 12;
    localparam int N_WORD    = KEEP_W / 2;

    // Elaboration-time parameter checks
    if (KEEP_W * 8 != DATA_W || KEEP_W < 2 || (KEEP_W & (KEEP_W - 1)) != 0) begin : g_bad_width
        $error("net_hdr_parse: DATA_W must be 8 * KEEP_W with KEEP_W a power of two >= 2");
    end

    // ---------------------------------------------------------------- state
    logic [CNT_W-1:0]          cnt_reg, cnt_next;       // frame bytes before this beat
    logic [N_GRP-1:0]          grp_reg, grp_next;       // one-hot header group of this beat
    logic [HDR_W-1:0][7:0]     hdr_reg, hdr_next;       // captured header bytes
    logic [20:0]               ipsum_reg, ipsum_next;   // IPv4 header words so far
    logic                      done_reg, done_next;     // meta already sent for this frame
    logic                      loc_done_reg, loc_done_next;

    // ---------------------------------------------------------- header view
    logic [HDR_W-1:0][7:0]     hv;
    logic [CNT_W-1:0]          nkeep;
    logic [CNT_W-1:0]          len_next;                // frame bytes up to this beat
    logic [CNT_W-1:0]          cnt_end;                 // cnt_reg + KEEP_W

    always_comb begin
        for (int g = 0; g < N_GRP; g++) begin
            for (int l = 0; l < KEEP_W; l++) begin
                hv[g*KEEP_W + l] = grp_reg[g] ? mon_tdata[8*l +: 8] : hdr_reg[g*KEEP_W + l];
            end
        end
        nkeep = '0;
        for (int l = 0; l < KEEP_W; l++) begin
            nkeep = nkeep + CNT_W'(mon_tkeep[l]);
        end
    end

    assign len_next = cnt_reg + nkeep;
    assign cnt_end  = cnt_reg + CNT_W'(KEEP_W);

    // ------------------------------------------------------------- layer 2
    logic                      vlan, have_et, ipv4, ipv6;
    logic [15:0]               et;
    logic [7:0]                l3;
    logic [39:0][7:0]          l3b;                     // L3 header bytes

    always_comb begin
        vlan    = (len_next >= CNT_W'(14)) && ({hv[12], hv[13]} == net_pkg::ETH_TPID_VLAN);
        et      = vlan ? {hv[16], hv[17]} : {hv[12], hv[13]};
        have_et = len_next >= (vlan ? CNT_W'(18) : CNT_W'(14));
        ipv4    = have_et && (et == net_pkg::ETH_TYPE_IPV4);
        ipv6    = have_et && (et == net_pkg::ETH_TYPE_IPV6);
        l3      = vlan ? 8'd18 : 8'd14;
        for (int r = 0; r < 40; r++) begin
            l3b[r] = vlan ? hv[18 + r] : hv[14 + r];
        end
    end

    // ------------------------------------------------------------- layer 3
    logic [3:0]                ver, ihl;
    logic [7:0]                v4_hlen;
    logic [15:0]               v4_totlen, v6_plen;
    logic [7:0]                proto;
    logic                      v4_frag;
    logic [CNT_W-1:0]          l3_16;
    logic                      has_l3b1, has_v4_fix, has_v4_full, has_proto, has_v6_fix;
    logic [16:0]               ip_end;                  // L3 offset + IP length
    logic                      ihl_ok;

    always_comb begin
        ver         = l3b[0][7:4];
        ihl         = l3b[0][3:0];
        ihl_ok      = ihl >= 4'd5;
        v4_hlen     = {2'b00, ihl, 2'b00};
        v4_totlen   = {l3b[2], l3b[3]};
        v4_frag     = l3b[6][5] || ({l3b[6][4:0], l3b[7]} != 13'd0);
        v6_plen     = {l3b[4], l3b[5]};
        proto       = ipv6 ? l3b[6] : l3b[9];
        l3_16       = CNT_W'(l3);
        has_l3b1    = len_next >  l3_16;
        has_v4_fix  = len_next >= l3_16 + CNT_W'(20);
        has_v4_full = len_next >= l3_16 + CNT_W'(v4_hlen);
        has_v6_fix  = len_next >= l3_16 + CNT_W'(40);
        has_proto   = len_next >= l3_16 + (ipv6 ? CNT_W'(7) : CNT_W'(10));
        ip_end      = ipv6 ? 17'(l3) + 17'd40 + 17'(v6_plen) : 17'(l3) + 17'(v4_totlen);
    end

    // IPv4 header checksum: words of this beat inside [l3, l3 + 4*IHL)
    logic [N_WORD-1:0]         ipw_mask;
    logic [20:0]               beat_ipsum, ipsum_total;
    logic [16:0]               ipfold1;
    logic [15:0]               ipfold2;
    logic                      ip_csum_ok;

    always_comb begin
        for (int j = 0; j < N_WORD; j++) begin
            ipw_mask[j] = 1'b0;
            for (int g = 0; g < N_GRP; g++) begin
                if (grp_reg[g] && (9'(g*KEEP_W + 2*j) >= {1'b0, l3})
                    && (9'(g*KEEP_W + 2*j) < {1'b0, l3} + {1'b0, v4_hlen})) begin
                    ipw_mask[j] = 1'b1;
                end
            end
        end
        beat_ipsum = '0;
        for (int j = 0; j < N_WORD; j++) begin
            if (ipw_mask[j]) begin
                beat_ipsum = beat_ipsum + 21'({mon_tdata[16*j +: 8], mon_tdata[16*j+8 +: 8]});
            end
        end
        ipsum_total = ipsum_reg + beat_ipsum;
        ipfold1     = 17'(ipsum_total[15:0]) + 17'(ipsum_total[20:16]);
        ipfold2     = ipfold1[15:0] + 16'(ipfold1[16]);
        ip_csum_ok  = ipv4 && (ver == 4'd4) && ihl_ok && has_v4_full && (ipfold2 == 16'hffff);
    end

    // ------------------------------------------------------------- layer 4
    logic [7:0]                l4;
    logic [L4_N-1:0]           l4_sel;
    logic [13:0][7:0]          l4b;                     // TCP header bytes 0..13
    logic [3:0]                doff;
    logic [7:0]                tcp_hlen, payload_off, hdr_end;
    logic                      v4_tcp, v6_tcp, tcp_cand, has_doff, has_tcp_fix, has_tcp_full;

    always_comb begin
        l4 = ipv6 ? l3 + 8'd40 : l3 + v4_hlen;
        for (int k = 0; k < L4_N; k++) begin
            l4_sel[k] = (l4 == 8'(L4_MIN + 4*k));
        end
        for (int r = 0; r < 14; r++) begin
            l4b[r] = 8'd0;
            for (int k = 0; k < L4_N; k++) begin
                l4b[r] = l4b[r] | (l4_sel[k] ? hv[L4_MIN + 4*k + r] : 8'd0);
            end
        end
        doff         = l4b[12][7:4];
        tcp_hlen     = {2'b00, doff, 2'b00};
        payload_off  = l4 + tcp_hlen;
        // the header is at least 20 bytes, whatever a bad data offset says
        hdr_end      = l4 + ((doff < 4'd5) ? 8'd20 : tcp_hlen);
        v4_tcp       = ipv4 && (ver == 4'd4) && ihl_ok && (proto == net_pkg::IP_PROTO_TCP) && has_proto;
        v6_tcp       = ipv6 && (ver == 4'd6) && (proto == net_pkg::IP_PROTO_TCP) && has_proto;
        tcp_cand     = v4_tcp || v6_tcp;
        has_doff     = len_next >  CNT_W'(l4) + CNT_W'(12);
        has_tcp_fix  = len_next >= CNT_W'(l4) + CNT_W'(20);
        has_tcp_full = len_next >= CNT_W'(payload_off);
    end

    // --------------------------------------------------------------- checks
    logic                      v4_err, v6_err, tcp_err, hdr_err, len_err, parse_err, is_tcp;
    logic [15:0]               tcp_ip_len;              // TCP length from the IP header

    always_comb begin
        v4_err  = !has_v4_fix || (ver != 4'd4) || !ihl_ok || !has_v4_full
               || (v4_totlen < 16'(v4_hlen)) || v4_frag || !ip_csum_ok;
        v6_err  = !has_v6_fix || (ver != 4'd6);
        tcp_ip_len = ipv6 ? v6_plen : v4_totlen - 16'(v4_hlen);
        tcp_err = !has_tcp_fix || (doff < 4'd5) || !has_tcp_full
               || (tcp_ip_len < 16'(tcp_hlen));
        hdr_err = (ipv4 && v4_err) || (ipv6 && v6_err) || (tcp_cand && tcp_err);
        len_err = (ipv4 && !has_v4_fix) || (ipv6 && !has_v6_fix)
               || ((ipv4 || ipv6) && (17'(len_next) < ip_end));
        // the length check is part of the record only when it is the last beat
        parse_err = hdr_err || (mon_tlast && len_err);
        is_tcp    = tcp_cand && !parse_err;
    end

    // -------------------------------------------------------------- outputs
    assign meta_valid = mon_beat && !done_reg
                     && (mon_tlast || (tcp_cand && (CNT_W'(hdr_end) <= cnt_end)));
    assign loc_valid  = mon_beat && !loc_done_reg && tcp_cand
                     && (ipv6 || (v4_totlen >= 16'(v4_hlen)));
    assign eof_valid  = mon_beat && mon_tlast;

    always_comb begin
        meta = '0;
        meta.is_tcp      = is_tcp;
        meta.parse_err   = parse_err;
        meta.vlan        = vlan;
        meta.ipv4        = ipv4;
        meta.ipv6        = ipv6;
        meta.ip_csum_ok  = ip_csum_ok;
        if ((ipv4 || ipv6) && has_proto) begin
            meta.ip_proto = proto;
        end
        if (ipv4 || ipv6) begin
            meta.l3_off = l3;
        end
        if (ipv6 || (ipv4 && has_l3b1 && ihl_ok)) begin
            meta.l4_off = l4;
        end
        if (tcp_cand && has_doff && (doff >= 4'd5)) begin
            meta.payload_off = payload_off;
        end
        if (is_tcp) begin
            meta.payload_len = tcp_ip_len - 16'(tcp_hlen);
        end
        if (ipv4 && has_v4_fix) begin
            meta.src_ip = {96'd0, l3b[12], l3b[13], l3b[14], l3b[15]};
            meta.dst_ip = {96'd0, l3b[16], l3b[17], l3b[18], l3b[19]};
        end
        if (ipv6 && has_v6_fix) begin
            for (int i = 0; i < 16; i++) begin
                meta.src_ip[127 - 8*i -: 8] = l3b[8 + i];
                meta.dst_ip[127 - 8*i -: 8] = l3b[24 + i];
            end
        end
        if (tcp_cand && has_tcp_fix) begin
            meta.src_port  = {l4b[0], l4b[1]};
            meta.dst_port  = {l4b[2], l4b[3]};
            meta.tcp_seq   = {l4b[4], l4b[5], l4b[6], l4b[7]};
            meta.tcp_flags = l4b[13];
        end
    end

    always_comb begin
        loc          = '0;
        loc.ipv6     = ipv6;
        loc.addr_off = 16'(l3) + (ipv6 ? 16'd8 : 16'd12);
        loc.l4_off   = 16'(l4);
        loc.l4_len   = tcp_ip_len;
    end

    always_comb begin
        eof           = '0;
        eof.tcp_ok    = tcp_cand && !hdr_err && !len_err;
        eof.len_err   = len_err;
        eof.frame_len = len_next;
    end

    // ----------------------------------------------------------- next state
    always_comb begin
        cnt_next      = cnt_reg;
        grp_next      = grp_reg;
        hdr_next      = hdr_reg;
        ipsum_next    = ipsum_reg;
        done_next     = done_reg;
        loc_done_next = loc_done_reg;
        if (mon_beat) begin
            hdr_next = hv;
            if (mon_tlast) begin
                cnt_next      = '0;
                grp_next      = N_GRP'(1);
                ipsum_next    = '0;
                done_next     = 1'b0;
                loc_done_next = 1'b0;
            end else begin
                cnt_next      = cnt_end;
                grp_next      = grp_reg << 1;
                ipsum_next    = ipsum_total;
                done_next     = done_reg || meta_valid;
                loc_done_next = loc_done_reg || loc_valid;
            end
        end
    end

    always_ff @(posedge clk) begin
        cnt_reg      <= cnt_next;
        grp_reg      <= grp_next;
        hdr_reg      <= hdr_next;
        ipsum_reg    <= ipsum_next;
        done_reg     <= done_next;
        loc_done_reg <= loc_done_next;
        if (rst) begin
            cnt_reg      <= '0;
            grp_reg      <= N_GRP'(1);
            ipsum_reg    <= '0;
            done_reg     <= 1'b0;
            loc_done_reg <= 1'b0;
        end
    end

endmodule

`default_nettype wire
