// net_hdr_parse: Ethernet II / 802.1Q / IPv4 / IPv6 / TCP header parser that
// snoops an AXI4-Stream of whole frames and reports one record per frame.
//
// Theory of operation
// - The module only watches the stream (`mon_beat` = tvalid && tready); it
//   never stalls it. Beats are KEEP_W byte lanes, byte i of a beat at
//   mon_tdata[8i+7:8i]; every beat but the last carries a full tkeep.
// - The first HDR_W bytes of a frame are captured into `hdr_reg`, one
//   beat-sized group per beat; `grp_reg` (one-hot, the group of this beat)
//   and `past_reg` (groups already received) are flops, so the capture mux
//   and "is byte p present" are one LUT deep. The header view `hv` is
//   `hdr_reg` with the current beat merged in.
// - Fields at fixed places (EtherType, VLAN, the L3 header at 14 or 18)
//   come straight from `hv`; values that depend on where L3 starts are
//   computed for both places in parallel and picked late.
// - Everything that locates or sizes later fields (TCP offset, IP lengths,
//   distances from the current beat to the TCP header and the IP end) is
//   also registered after each beat (`lay_reg`, `rel_reg`, `iprem_reg`).
//   With KEEP_W <= 16 (EARLY) the bytes they come from (<= byte 27) always
//   arrive in an earlier beat than the bytes and checks that need them (the
//   TCP header starts at byte 34 or later), so the record path reads the
//   registered copies. Wider beats use the combinational copies (same
//   results, deeper logic). Arithmetic on the late TCP data offset is done
//   for all 16 values from registers and picked by it.
// - IPv4 header checksum: the header words are kept as a carry-save
//   residue mod 0xffff (two 16-bit words, end-around carries), updated per
//   beat by a 3:2 compressor tree; "sum = 0 mod 0xffff" is then a 16-bit
//   comparison (a == ~b), with no carry chain.
//
// Outputs (one pulse of each per frame; docs/net.md has the exact cycles)
// - loc_valid/loc: where the TCP checksum covers, registered: in the cycle
//   after the beat holding the IPv4 protocol byte / IPv6 next-header byte
//   (no address byte precedes that beat) of a frame that claims TCP; feeds
//   tcp_csum.
// - meta_valid/meta: in the beat holding the last TCP header byte, or in
//   the tlast beat for frames that are not TCP or end earlier. The payload
//   offset is thus known no later than the beat holding the first payload
//   byte.
// - eof_valid/eof: in the tlast beat; adds the length check that an early
//   record cannot make.
// meta and eof are combinational from the current beat and registered state
// (Mealy); loc is registered. One beat per clock, frames back to back,
// frames up to 65535 bytes (16-bit byte counter).
//
// Timing: the deepest path is the IPv4 header sum including the current
// beat's words (compressor tree + compare); it reaches only meta.ip_csum_ok
// and meta.parse_err (relevant when the header ends in the tlast beat).
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
    output logic                 meta_tcp_nocsum,  // with meta: is_tcp ignoring the IPv4 header checksum

    // Frame end
    output logic                 eof_valid,
    output net_pkg::frame_end_t  eof
);

    // operands left after `lvl` levels of 3:2 compression of n operands
    function automatic int csa_ops(input int n, input int lvl);
        csa_ops = n;
        for (int i = 0; i < lvl; i++) begin
            csa_ops = 2 * (csa_ops / 3) + csa_ops % 3;
        end
    endfunction

    function automatic int csa_levels(input int n);
        csa_levels = 0;
        for (int i = 0; i < 16; i++) begin
            if (csa_ops(n, i) > 2) begin
                csa_levels = i + 1;
            end
        end
    endfunction

    // Bytes the parser reads: up to the TCP flags at the largest L4 offset
    // (18 + 60 + 13 = 91).
    localparam int HDR_BYTES = 92;
    localparam int N_GRP     = (HDR_BYTES + KEEP_W - 1) / KEEP_W;
    localparam int HDR_W     = N_GRP * KEEP_W;
    localparam int CNT_W     = 16;
    localparam int LANE_W    = $clog2(KEEP_W);
    // Possible TCP header offsets: 14/18 + 4*IHL, and 54/58 for IPv6.
    localparam int L4_MIN    = 34;
    localparam int L4_N      = 12;
    localparam int N_WORD    = KEEP_W / 2;
    localparam bit EARLY     = KEEP_W <= 16;
    // carry-save tree: N_WORD words of this beat + the 2-word residue
    localparam int CSA_IN    = N_WORD + 2;
    localparam int CSA_LV    = csa_levels(CSA_IN);

    // Elaboration-time parameter checks
    if (KEEP_W * 8 != DATA_W || KEEP_W < 2 || KEEP_W > 64 || (KEEP_W & (KEEP_W - 1)) != 0) begin : g_bad_width
        $error("net_hdr_parse: DATA_W must be 8 * KEEP_W with KEEP_W a power of two in 2..64");
    end

    // Layout of the frame as far as it is known (registered after each beat)
    typedef struct packed {
        logic             tcp_cand;     // IPv4 (version 4, IHL >= 5) / IPv6 (version 6) claiming TCP
        logic             ipv6;
        logic             static_err;   // version, IHL, total length < IHL*4, fragment
        logic [7:0]       l4;           // TCP header offset
        logic [L4_N-1:0]  l4_sel;       // one-hot of l4 in 34..78 step 4
        logic [15:0]      tcp_ip_len;   // TCP length from the IP header
    } lay_t;

    // 3:2 compressor mod 0xffff: {carry, sum}, the carry out of bit 15
    // wraps to bit 0 (2^16 = 1 mod 0xffff)
    function automatic logic [31:0] csa3(input logic [15:0] a, input logic [15:0] b,
                                         input logic [15:0] c);
        logic [15:0] maj;
        maj  = (a & b) | (a & c) | (b & c);
        csa3 = {maj[14:0], maj[15], a ^ b ^ c};
    endfunction

    // a + b = 0 (mod 0xffff) for 16-bit a, b
    function automatic logic zero_mod(input logic [15:0] a, input logic [15:0] b);
        zero_mod = (a == ~b) || (a == 16'h0000 && b == 16'h0000) || (a == 16'hffff && b == 16'hffff);
    endfunction

    // lanes set in a contiguous tkeep (thermometer to binary)
    function automatic logic [LANE_W:0] therm_count(input logic [KEEP_W-1:0] t);
        therm_count = '0;
        for (int l = 0; l < KEEP_W; l++) begin
            // the highest set lane; (l + 1) % KEEP_W keeps the index in range
            if (t[l] && ((l == KEEP_W - 1) || !t[(l + 1) % KEEP_W])) begin
                therm_count = therm_count | (LANE_W+1)'(l + 1);
            end
        end
    endfunction

    // IPv4 header words of a beat in header group `grp`, for L3 at `l3c`:
    // [l3c, l3c + 4*IHL), a header being at least 20 bytes. When EARLY, the word
    // at 14 is left out (its beat may also hold the VLAN tag that decides
    // whether it belongs to the header) and added by `w14` instead.
    function automatic logic [N_WORD-1:0] ip_words(input logic [N_GRP-1:0] grp,
                                                   input int l3c, input logic [3:0] ihl_v);
        ip_words = '0;
        for (int j = 0; j < N_WORD; j++) begin
            for (int g = 0; g < N_GRP; g++) begin
                // p < l3c + 4*IHL  <=>  (p - l3c) / 4 < IHL: a 4-bit compare with a constant
                if (grp[g] && (g*KEEP_W + 2*j >= l3c) && !(EARLY && g*KEEP_W + 2*j == 14)
                    && ((g*KEEP_W + 2*j < l3c + 20)
                        || (g*KEEP_W + 2*j < l3c + 60 && 4'((g*KEEP_W + 2*j - l3c) / 4) < ihl_v))) begin
                    ip_words[j] = 1'b1;
                end
            end
        end
    endfunction

    // ---------------------------------------------------------------- state
    logic [CNT_W-1:0]          cnt_reg, cnt_next;       // frame bytes before this beat
    logic [N_GRP-1:0]          grp_reg, grp_next;       // one-hot header group of this beat
    logic [N_GRP-1:0]          past_reg, past_next;     // header groups received before
    logic [HDR_W-1:0][7:0]     hdr_reg, hdr_next;       // captured header bytes
    lay_t                      lay_reg, lay_next;
    logic [8:0]                rel_reg, rel_next;       // cnt - l4 (signed, 255 = far past)
    logic [17:0]               iprem_reg, iprem_next;   // IP end - cnt (signed)
    logic [15:0]               res_a_reg, res_a_next;   // IPv4 header words before this beat,
    logic [15:0]               res_b_reg, res_b_next;   // carry-save mod 0xffff
    logic [N_WORD-1:0]         ipm_reg, ipm_next;       // IPv4 header words of this beat (EARLY)
    logic                      done_reg, done_next;     // meta already sent for this frame
    logic                      loc_done_reg, loc_done_next;

    // ---------------------------------------------------------- header view
    logic [HDR_W-1:0][7:0]     hv;
    logic [HDR_W-1:0]          pres;                    // byte present in the frame so far
    logic [LANE_W:0]           nkeep;
    logic [CNT_W-1:0]          cnt_end;                 // cnt_reg + KEEP_W
    logic [CNT_W-1:0]          len_next;                // frame bytes up to this beat

    always_comb begin
        for (int g = 0; g < N_GRP; g++) begin
            for (int l = 0; l < KEEP_W; l++) begin
                hv[g*KEEP_W + l]   = grp_reg[g] ? mon_tdata[8*l +: 8] : hdr_reg[g*KEEP_W + l];
                pres[g*KEEP_W + l] = past_reg[g] || (grp_reg[g] && mon_tkeep[l]);
            end
        end
    end

    assign nkeep    = therm_count(mon_tkeep);
    assign cnt_end  = cnt_reg + CNT_W'(KEEP_W);
    // cnt_reg is a multiple of KEEP_W: no adder needed
    assign len_next = nkeep[LANE_W] ? cnt_end
                                    : {cnt_reg[CNT_W-1:LANE_W], nkeep[LANE_W-1:0]};

    // ------------------------------------------------- layer 2/3 from hv
    logic                      vlan, ipv4, ipv6, ip;
    logic [7:0]                l3;
    logic [39:0][7:0]          l3b;                     // L3 header bytes
    logic [3:0]                ver, ihl, ihl14, ihl18;
    logic                      ihl_ok;
    logic [7:0]                hlen;
    logic [15:0]               totlen, tot14, tot18, pl14, pl18;
    logic                      frag;
    logic [7:0]                proto;
    logic                      has_l3b1, has_proto, has_v4_fix, has_v4_full, has_v6_fix, has_fix;
    logic                      static_err_c, tcp_cand_c;
    logic [7:0]                l4_c;
    logic [L4_N-1:0]           l4_sel_c;
    logic [15:0]               tcp_ip_len_c;
    lay_t                      lay_c;

    always_comb begin
        // both EtherType places compared in parallel, picked by the tag
        vlan   = pres[13] && ({hv[12], hv[13]} == net_pkg::ETH_TPID_VLAN);
        ipv4   = vlan ? (pres[17] && {hv[16], hv[17]} == net_pkg::ETH_TYPE_IPV4)
                      : (pres[13] && {hv[12], hv[13]} == net_pkg::ETH_TYPE_IPV4);
        ipv6   = vlan ? (pres[17] && {hv[16], hv[17]} == net_pkg::ETH_TYPE_IPV6)
                      : (pres[13] && {hv[12], hv[13]} == net_pkg::ETH_TYPE_IPV6);
        ip     = ipv4 || ipv6;
        l3     = vlan ? 8'd18 : 8'd14;
        for (int r = 0; r < 40; r++) begin
            l3b[r] = vlan ? hv[18 + r] : hv[14 + r];
        end
        ver    = l3b[0][7:4];
        ihl    = l3b[0][3:0];
        ihl_ok = ihl >= 4'd5;
        hlen   = {2'b00, ihl, 2'b00};
        totlen = {l3b[2], l3b[3]};
        frag   = l3b[6][5] || ({l3b[6][4:0], l3b[7]} != 13'd0);
        proto  = ipv6 ? l3b[6] : l3b[9];
        // both L3 places, for the arithmetic
        ihl14  = hv[14][3:0];
        ihl18  = hv[18][3:0];
        tot14  = {hv[16], hv[17]};
        tot18  = {hv[20], hv[21]};
        pl14   = {hv[18], hv[19]};
        pl18   = {hv[22], hv[23]};

        has_l3b1    = vlan ? pres[18] : pres[14];
        has_proto   = ipv6 ? (vlan ? pres[24] : pres[20]) : (vlan ? pres[27] : pres[23]);
        has_v4_fix  = vlan ? pres[37] : pres[33];
        has_v6_fix  = vlan ? pres[57] : pres[53];
        has_v4_full = 1'b0;
        for (int i = 5; i < 16; i++) begin
            if (ihl == 4'(i)) begin
                has_v4_full = vlan ? pres[18 + 4*i - 1] : pres[14 + 4*i - 1];
            end
        end
        has_fix = ipv6 ? has_v6_fix : has_v4_fix;

        static_err_c = ipv6 ? (ver != 4'd6)
                            : ((ver != 4'd4) || !ihl_ok || frag
                               || (vlan ? (tot18 < {10'd0, ihl18, 2'b00}) : (tot14 < {10'd0, ihl14, 2'b00})));
        tcp_cand_c   = ((ipv4 && ver == 4'd4 && ihl_ok) || (ipv6 && ver == 4'd6))
                    && has_proto && (proto == net_pkg::IP_PROTO_TCP);
        l4_c         = ipv6 ? (vlan ? 8'd58 : 8'd54)
                            : (vlan ? 8'd18 + {2'b00, ihl18, 2'b00} : 8'd14 + {2'b00, ihl14, 2'b00});
        for (int k = 0; k < L4_N; k++) begin
            l4_sel_c[k] = ipv6 ? (k == (vlan ? 6 : 5))
                               : (vlan ? (ihl18 == 4'(k + 4)) : (ihl14 == 4'(k + 5)));
        end
        tcp_ip_len_c = ipv6 ? (vlan ? pl18 : pl14)
                            : (vlan ? tot18 - {10'd0, ihl18, 2'b00} : tot14 - {10'd0, ihl14, 2'b00});

        lay_c            = '0;
        lay_c.tcp_cand   = tcp_cand_c;
        lay_c.ipv6       = ipv6;
        lay_c.static_err = static_err_c;
        lay_c.l4         = l4_c;
        lay_c.l4_sel     = l4_sel_c;
        lay_c.tcp_ip_len = tcp_ip_len_c;
    end

    // Distances from a beat start c to the TCP header (c - l4, 9-bit signed:
    // exact while c < 256, 255 beyond, as only -78..138 matter) and to the IP
    // end (l3 + IP length - c). Computed per L3 place and IP version with
    // the register-only terms first, and picked late.
    logic [8:0]                rel_c, rel_nx;
    logic [17:0]               iprem_c, iprem_nx;

    function automatic logic [8:0] rel_of(input logic [CNT_W-1:0] c, input logic [7:0] l4v);
        rel_of = (c[CNT_W-1:8] != '0) ? 9'd255 : 9'({1'b0, c[7:0]}) - 9'({1'b0, l4v});
    endfunction

    always_comb begin
        logic [17:0] e14, e18, e54, e58;
        rel_c    = ipv6 ? (vlan ? rel_of(cnt_reg, 8'd58) : rel_of(cnt_reg, 8'd54))
                        : (vlan ? rel_of(cnt_reg, 8'd18 + {2'b00, ihl18, 2'b00})
                                : rel_of(cnt_reg, 8'd14 + {2'b00, ihl14, 2'b00}));
        rel_nx   = ipv6 ? (vlan ? rel_of(cnt_end, 8'd58) : rel_of(cnt_end, 8'd54))
                        : (vlan ? rel_of(cnt_end, 8'd18 + {2'b00, ihl18, 2'b00})
                                : rel_of(cnt_end, 8'd14 + {2'b00, ihl14, 2'b00}));
        e14      = 18'd14 - 18'(cnt_reg);
        e18      = 18'd18 - 18'(cnt_reg);
        e54      = 18'd54 - 18'(cnt_reg);
        e58      = 18'd58 - 18'(cnt_reg);
        iprem_c  = ipv6 ? (vlan ? e58 + 18'(pl18) : e54 + 18'(pl14))
                        : (vlan ? e18 + 18'(tot18) : e14 + 18'(tot14));
        e14      = 18'd14 - 18'(cnt_end);
        e18      = 18'd18 - 18'(cnt_end);
        e54      = 18'd54 - 18'(cnt_end);
        e58      = 18'd58 - 18'(cnt_end);
        iprem_nx = ipv6 ? (vlan ? e58 + 18'(pl18) : e54 + 18'(pl14))
                        : (vlan ? e18 + 18'(tot18) : e14 + 18'(tot14));
    end

    // Layout used by the record: registered (earlier beats) when EARLY
    lay_t                      lay;
    logic [8:0]                rel;
    logic [17:0]               iprem;

    always_comb begin
        if (EARLY) begin
            lay   = lay_reg;
            rel   = rel_reg;
            iprem = iprem_reg;
        end else begin
            lay   = lay_c;
            rel   = rel_c;
            iprem = iprem_c;
        end
    end

    // -------------------------------------------- IPv4 header checksum
    logic [N_WORD-1:0]         ipw_mask;
    logic [CSA_LV:0][CSA_IN-1:0][15:0] csa;
    logic [15:0]               w14;                     // word at 14 (EARLY): header word if no VLAN
    logic [31:0]               res_fold;
    logic                      ip_ok_prev, ip_ok_full;

    always_comb begin
        // When EARLY the masks come from registers (set a beat ahead, when
        // the VLAN tag and IHL that decide them are known).
        ipw_mask = EARLY ? ipm_reg : (vlan ? ip_words(grp_reg, 18, ihl18) : ip_words(grp_reg, 14, ihl14));
        csa = '0;
        for (int j = 0; j < N_WORD; j++) begin
            csa[0][j] = ipw_mask[j] ? {mon_tdata[16*j +: 8], mon_tdata[16*j+8 +: 8]} : 16'd0;
        end
        csa[0][N_WORD]     = res_a_reg;
        csa[0][N_WORD + 1] = res_b_reg;
        for (int l = 0; l < CSA_LV; l++) begin
            for (int i = 0; i < csa_ops(CSA_IN, l) / 3; i++) begin
                {csa[l+1][2*i+1], csa[l+1][2*i]} = csa3(csa[l][3*i], csa[l][3*i+1], csa[l][3*i+2]);
            end
            for (int i = 0; i < csa_ops(CSA_IN, l) % 3; i++) begin
                csa[l+1][2*(csa_ops(CSA_IN, l) / 3) + i] = csa[l][3*(csa_ops(CSA_IN, l) / 3) + i];
            end
        end
        w14        = (EARLY && grp_reg[15 / KEEP_W] && !vlan) ? {hv[14], hv[15]} : 16'd0;
        res_fold   = csa3(csa[CSA_LV][0], csa[CSA_LV][1], w14);
        // IPv4 version 4 makes the header sum nonzero, so "= 0 mod 0xffff" is
        // the checksum test
        ip_ok_prev = zero_mod(res_a_reg, res_b_reg);
        ip_ok_full = ipv4 && (ver == 4'd4) && ihl_ok && has_v4_full
                  && zero_mod(csa[CSA_LV][0], csa[CSA_LV][1]);
    end

    // ------------------------------------------------------------- layer 4
    logic [13:0][7:0]          l4b;                     // TCP header bytes 0..13
    logic [3:0]                doff;
    logic [5:0]                tcp_hlen;
    logic [7:0]                hdr_need;
    logic [9:0]                avail, avail_full;       // TCP header bytes present
    logic                      has_doff, has_tcp_fix, has_tcp_full, ip_len_ok;
    logic                      tcp_err, len_err, is_tcp_core, is_tcp;
    logic                      v4_err_full, v6_err_full, hdr_err_full, parse_err;
    logic                      trigger;
    logic [15:0][15:0]         plen_d;                  // TCP payload length per data offset
    logic [15:0][7:0]          poff_d;                  // payload offset per data offset

    always_comb begin
        for (int r = 0; r < 14; r++) begin
            l4b[r] = 8'd0;
            for (int k = 0; k < L4_N; k++) begin
                l4b[r] = l4b[r] | (lay.l4_sel[k] ? hv[L4_MIN + 4*k + r] : 8'd0);
            end
        end
        doff       = l4b[12][7:4];
        // the arithmetic on the late data offset: all 16 results from
        // registers, picked by doff
        for (int d = 0; d < 16; d++) begin
            plen_d[d] = lay.tcp_ip_len - 16'(4 * d);
            poff_d[d] = lay.l4 + 8'(4 * d);
        end
        tcp_hlen   = {doff, 2'b00};
        // the header is at least 20 bytes, whatever a bad data offset says
        hdr_need   = (doff < 4'd5) ? 8'd20 : {2'b00, tcp_hlen};
        avail      = {rel[8], rel} + 10'(nkeep);
        avail_full = {rel[8], rel} + 10'(KEEP_W);
        has_doff     = !avail[9] && (avail[8:0] >= 9'd13);
        has_tcp_fix  = !avail[9] && (avail[8:0] >= 9'd20);
        has_tcp_full = !avail[9] && ((avail[8:6] != 3'b000) || (avail[5:0] >= tcp_hlen));
        ip_len_ok    = (lay.tcp_ip_len[15:6] != '0) || (lay.tcp_ip_len[5:0] >= tcp_hlen);
        trigger      = lay.tcp_cand && !avail_full[9] && (avail_full[8:0] >= 9'(hdr_need));

        tcp_err = !has_tcp_fix || (doff < 4'd5) || !has_tcp_full || !ip_len_ok;
        // frame shorter than the IP header or than the IP length says
        len_err = ip && (!has_fix || (!iprem[17] && (iprem > 18'(nkeep))));
        // the TCP header present implies the IP header is: only the
        // static checks and the sum of the earlier beats are left
        is_tcp_core = lay.tcp_cand && !lay.static_err && !tcp_err
                   && (lay.ipv6 || (EARLY ? ip_ok_prev : ip_ok_full));
        is_tcp      = is_tcp_core && !(mon_tlast && len_err);
        meta_tcp_nocsum = lay.tcp_cand && !lay.static_err && !tcp_err && !(mon_tlast && len_err);

        v4_err_full  = !has_v4_fix || static_err_c || !has_v4_full || !ip_ok_full;
        v6_err_full  = !has_v6_fix || static_err_c;
        hdr_err_full = (ipv4 && v4_err_full) || (ipv6 && v6_err_full) || (tcp_cand_c && tcp_err);
        parse_err    = hdr_err_full || (mon_tlast && len_err);
    end

    // -------------------------------------------------------------- outputs
    assign meta_valid = mon_beat && !done_reg && (mon_tlast || trigger);
    logic                      loc_fire;
    net_pkg::l4_loc_t          loc_c;
    logic                      loc_valid_reg;
    net_pkg::l4_loc_t          loc_reg;

    assign loc_fire   = mon_beat && !loc_done_reg && tcp_cand_c
                     && (ipv6 || (totlen >= 16'(hlen)));
    assign loc_valid  = loc_valid_reg;
    assign loc        = loc_reg;
    assign eof_valid  = mon_beat && mon_tlast;

    always_comb begin
        meta = '0;
        meta.is_tcp      = is_tcp;
        meta.parse_err   = parse_err;
        meta.vlan        = vlan;
        meta.ipv4        = ipv4;
        meta.ipv6        = ipv6;
        meta.ip_csum_ok  = ip_ok_full;
        if (ip && has_proto) begin
            meta.ip_proto = proto;
        end
        if (ip) begin
            meta.l3_off = l3;
        end
        if (ipv6 || (ipv4 && has_l3b1 && ihl_ok)) begin
            meta.l4_off = l4_c;
        end
        if (lay.tcp_cand && has_doff && (doff >= 4'd5)) begin
            meta.payload_off = poff_d[doff];
        end
        if (is_tcp) begin
            meta.payload_len = plen_d[doff];
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
        if (lay.tcp_cand && has_tcp_fix) begin
            meta.src_port  = {l4b[0], l4b[1]};
            meta.dst_port  = {l4b[2], l4b[3]};
            meta.tcp_seq   = {l4b[4], l4b[5], l4b[6], l4b[7]};
            meta.tcp_flags = l4b[13];
        end
    end

    always_comb begin
        loc_c          = '0;
        loc_c.ipv6     = ipv6;
        loc_c.addr_off = 16'(l3) + (ipv6 ? 16'd8 : 16'd12);
        loc_c.l4_off   = 16'(l4_c);
        loc_c.l4_len   = tcp_ip_len_c;
    end

    always_comb begin
        eof           = '0;
        eof.tcp_ok    = is_tcp_core && !len_err;
        eof.len_err   = len_err;
        eof.frame_len = len_next;
    end

    // ----------------------------------------------------------- next state
    always_comb begin
        cnt_next      = cnt_reg;
        grp_next      = grp_reg;
        past_next     = past_reg;
        hdr_next      = hdr_reg;
        lay_next      = lay_reg;
        rel_next      = rel_reg;
        iprem_next    = iprem_reg;
        res_a_next    = res_a_reg;
        res_b_next    = res_b_reg;
        ipm_next      = ipm_reg;
        done_next     = done_reg;
        loc_done_next = loc_done_reg;
        if (mon_beat) begin
            hdr_next = hv;
            if (mon_tlast) begin
                cnt_next      = '0;
                grp_next      = N_GRP'(1);
                past_next     = '0;
                lay_next      = '0;
                rel_next      = 9'h100;               // -256: nothing present
                iprem_next    = '0;
                res_a_next    = '0;
                res_b_next    = '0;
                ipm_next      = ip_words(N_GRP'(1), 14, 4'd0);
                done_next     = 1'b0;
                loc_done_next = 1'b0;
            end else begin
                cnt_next      = cnt_end;
                grp_next      = grp_reg << 1;
                past_next     = past_reg | grp_reg;
                lay_next      = lay_c;
                rel_next      = rel_nx;                 // distances from the next beat
                iprem_next    = iprem_nx;
                {res_b_next, res_a_next} = res_fold;
                ipm_next      = vlan ? ip_words(grp_reg << 1, 18, ihl18) : ip_words(grp_reg << 1, 14, ihl14);
                done_next     = done_reg || meta_valid;
                loc_done_next = loc_done_reg || loc_fire;
            end
        end
    end

    always_ff @(posedge clk) begin
        cnt_reg      <= cnt_next;
        grp_reg      <= grp_next;
        past_reg     <= past_next;
        hdr_reg      <= hdr_next;
        lay_reg      <= lay_next;
        rel_reg      <= rel_next;
        iprem_reg    <= iprem_next;
        res_a_reg    <= res_a_next;
        res_b_reg    <= res_b_next;
        ipm_reg      <= ipm_next;
        done_reg     <= done_next;
        loc_done_reg <= loc_done_next;
        // registered: tcp_csum takes it a cycle after the beat that decided it
        // (no enable: loc_fire is a deep signal with a wide fanout)
        loc_valid_reg <= loc_fire;
        loc_reg       <= loc_c;
        if (rst) begin
            cnt_reg      <= '0;
            grp_reg      <= N_GRP'(1);
            past_reg     <= '0;
            lay_reg      <= '0;
            rel_reg      <= 9'h100;
            iprem_reg    <= '0;
            res_a_reg    <= '0;
            res_b_reg    <= '0;
            ipm_reg      <= ip_words(N_GRP'(1), 14, 4'd0);
            done_reg     <= 1'b0;
            loc_done_reg <= 1'b0;
            loc_valid_reg <= 1'b0;
        end
    end

endmodule

`default_nettype wire
