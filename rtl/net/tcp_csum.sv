// tcp_csum: TCP checksum of a snooped frame at full rate: the one's-complement
// sum of the pseudo-header and the TCP segment, checked against the
// checksum field and offered without it so that a TX stage can write a
// fresh checksum after changing the payload.
//
// Theory of operation
// - Where to sum comes from net_hdr_parse (`loc_valid`/`loc`): the address
//   bytes [addr_off, addr_off + 8|32) and the segment [l4_off, l4_off +
//   l4_len), minus the two checksum bytes at l4_off+16/17, and bytes past
//   the frame end (Ethernet padding past the IP length is never summed).
//   The pseudo-header's zero/protocol/length words are added as constants
//   (6 + l4_len).
// - Every beat is summed as 16-bit words aligned to even frame offsets
//   (lane pair 2j/2j+1, lane 2j the high byte). If l4_off is odd, the
//   segment's words are the byte-swapped ones; since the one's-complement
//   sum commutes with byte swapping (RFC 1071), the frame-aligned sum is
//   swapped once at the end. The address bytes must have the parity of
//   l4_off (always true for IPv4/IPv6).
// - The per-beat sum is a balanced adder tree, accumulated into 32 bits:
//   frames are below 64 KiB (16-bit byte counter), so the sum stays below
//   2^31 and the carries are folded once per frame.
//
// Pipeline (T = cycle the tlast beat is accepted)
//   A  T+1  beat registered; distances from the beat start to the bounds
//   M  T+2  lane masks (thermometer decode), checksum field capture
//   B  T+3  masked beat registered; adder tree
//   C  T+4  beat sum registered; 32-bit accumulate, frame end -> D
//   D  T+5  byte swap of both halves if l4_off is odd, + 6 + l4_len
//   E  T+6  fold to 16 bits, checksum compare
//   out T+7 csum_valid, csum_ok, csum_sum, csum_rx (one cycle)
// Latency: csum_valid exactly 7 cycles after the tlast beat
// (net_pkg::TCP_CSUM_LAT); one result per frame, frames back to back at one
// beat per clock.
//
// loc contract (what net_hdr_parse's registered loc output does): at most
// once per frame, in the cycle right after a beat of that frame was
// accepted, that beat being no later than the one holding the frame's first
// address or segment byte (it applies from the beat accepted the cycle
// before). A frame without it gets csum_ok = 0, csum_sum = 0.
`default_nettype none

module tcp_csum #(
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

    // Checksum coverage (from net_hdr_parse)
    input  logic                 loc_valid,
    input  net_pkg::l4_loc_t     loc,

    // Result, one pulse per frame
    output logic                 csum_valid,
    output logic                 csum_ok,      // the received checksum verifies
    output logic [15:0]          csum_sum,     // pseudo-header + segment without the checksum field
    output logic [15:0]          csum_rx       // the received checksum field
);

    localparam int LANE_W = $clog2(KEEP_W);
    localparam int N_WORD = KEEP_W / 2;
    localparam int LVLS   = $clog2(N_WORD);
    localparam int BSUM_W = 16 + LVLS;            // N_WORD * 0xffff fits
    localparam int CNT_W  = 16;
    localparam int REL_W  = 18;                   // signed distance from the beat start

    // Elaboration-time parameter checks
    if (KEEP_W * 8 != DATA_W || KEEP_W < 2 || (KEEP_W & (KEEP_W - 1)) != 0) begin : g_bad_width
        $error("tcp_csum: DATA_W must be 8 * KEEP_W with KEEP_W a power of two >= 2");
    end

    // Frame constants that travel with the last beat of a frame
    typedef struct packed {
        logic        have;      // loc seen for this frame
        logic        swap;      // l4_off odd
        logic [15:0] l4_len;
        logic [15:0] fld;       // received checksum field
    } info_t;

    // Distance d from a beat start to a coverage bound, clamped to 0..KEEP_W:
    // lanes i >= d are at or past the bound (d <= 0: all, d >= KEEP_W: none)
    function automatic logic [LANE_W:0] clamp_ge(input logic [REL_W-1:0] d);
        clamp_ge = d[LANE_W:0];
        if (d[REL_W-1]) begin
            clamp_ge = '0;
        end else if (d[REL_W-2:LANE_W] != '0) begin
            clamp_ge = (LANE_W+1)'(KEEP_W);
        end
    endfunction

    // ... for a single byte: its lane, or KEEP_W when not in this beat
    function automatic logic [LANE_W:0] clamp_eq(input logic [REL_W-1:0] d);
        clamp_eq = d[LANE_W:0];
        if (d[REL_W-1] || d[REL_W-2:LANE_W] != '0) begin
            clamp_eq = (LANE_W+1)'(KEEP_W);
        end
    endfunction

    function automatic logic [KEEP_W-1:0] ge_mask(input logic [LANE_W:0] c);
        for (int i = 0; i < KEEP_W; i++) begin
            ge_mask[i] = (LANE_W+1)'(i) >= c;
        end
    endfunction

    function automatic logic [KEEP_W-1:0] eq_mask(input logic [LANE_W:0] c);
        for (int i = 0; i < KEEP_W; i++) begin
            eq_mask[i] = (LANE_W+1)'(i) == c;
        end
    endfunction

    // -------------------------------------------------- input: beat offset
    logic [CNT_W-1:0]          cnt_reg, cnt_next;

    always_comb begin
        cnt_next = cnt_reg;
        if (mon_beat) begin
            cnt_next = mon_tlast ? '0 : cnt_reg + CNT_W'(KEEP_W);
        end
    end

    // ------------------------------------------------------- loc register
    net_pkg::l4_loc_t          loc_reg, loc_next, loc_cur;
    logic                      have_reg, have_next, have_cur;

    // ------------------------------------------ stage A: bound distances
    logic                      a_valid_reg, a_last_reg;
    logic [DATA_W-1:0]         a_data_reg;
    logic [KEEP_W-1:0]         a_keep_reg;
    logic [CNT_W-1:0]          a_base_reg;

    // clamped distances: address range, segment range, checksum bytes
    typedef struct packed {
        logic [LANE_W:0] addr_lo, addr_hi, l4_lo, l4_hi, fld_hi, fld_lo;
    } dist_t;

    dist_t                     a_dist;
    info_t                     a_info;

    always_comb begin
        logic [REL_W-1:0] base, l4;
        base           = REL_W'(a_base_reg);
        l4             = REL_W'(loc_cur.l4_off);
        a_dist         = '0;
        a_dist.addr_lo = clamp_ge(REL_W'(loc_cur.addr_off) - base);
        a_dist.addr_hi = clamp_ge(REL_W'(loc_cur.addr_off) + (loc_cur.ipv6 ? REL_W'(32) : REL_W'(8)) - base);
        a_dist.l4_lo   = clamp_ge(l4 - base);
        a_dist.l4_hi   = clamp_ge(l4 + REL_W'(loc_cur.l4_len) - base);
        a_dist.fld_hi  = clamp_eq(l4 + REL_W'(16) - base);
        a_dist.fld_lo  = clamp_eq(l4 + REL_W'(17) - base);

        a_info        = '0;
        a_info.have   = have_cur;
        a_info.swap   = loc_cur.l4_off[0];
        a_info.l4_len = loc_cur.l4_len;
    end

    // loc belongs to the frame of the beat in stage A (accepted the cycle
    // before); it stays for the rest of that frame
    always_comb begin
        loc_cur   = loc_valid ? loc : loc_reg;
        have_cur  = loc_valid || have_reg;
        loc_next  = loc_cur;
        have_next = (a_valid_reg && a_last_reg) ? 1'b0 : have_cur;
    end

    // --------------------------------------------- stage M: lane masks
    logic                      m_valid_reg, m_last_reg;
    logic [DATA_W-1:0]         m_data_reg;
    logic [KEEP_W-1:0]         m_keep_reg;
    dist_t                     m_dist_reg;
    info_t                     m_info_reg;
    logic [15:0]               fld_reg, fld_next;    // checksum field bytes so far
    logic [7:0]                fld_hi_b, fld_lo_b;   // the field's bytes in this beat

    logic [KEEP_W-1:0]         m_addr, m_l4, m_fld_hi, m_fld_lo, take;
    logic [DATA_W-1:0]         masked;
    info_t                     m_info;

    always_comb begin
        m_addr   = ge_mask(m_dist_reg.addr_lo) & ~ge_mask(m_dist_reg.addr_hi);
        m_l4     = ge_mask(m_dist_reg.l4_lo) & ~ge_mask(m_dist_reg.l4_hi);
        m_fld_hi = eq_mask(m_dist_reg.fld_hi) & m_keep_reg;
        m_fld_lo = eq_mask(m_dist_reg.fld_lo) & m_keep_reg;
        take     = (m_info_reg.have ? (m_addr | (m_l4 & ~m_fld_hi & ~m_fld_lo)) : '0) & m_keep_reg;

        for (int i = 0; i < KEEP_W; i++) begin
            masked[8*i +: 8] = take[i] ? m_data_reg[8*i +: 8] : 8'd0;
        end

        // Each field byte is in one lane at most (eq_mask): the OR of the
        // lanes, a tree, not a chain of KEEP_W priority muxes.
        fld_hi_b = 8'd0;
        fld_lo_b = 8'd0;
        for (int i = 0; i < KEEP_W; i++) begin
            fld_hi_b = fld_hi_b | (m_fld_hi[i] ? m_data_reg[8*i +: 8] : 8'd0);
            fld_lo_b = fld_lo_b | (m_fld_lo[i] ? m_data_reg[8*i +: 8] : 8'd0);
        end
        fld_next = {(m_fld_hi != '0) ? fld_hi_b : fld_reg[15:8], (m_fld_lo != '0) ? fld_lo_b : fld_reg[7:0]};
        if (!m_info_reg.have) begin
            fld_next = '0;
        end
        m_info     = m_info_reg;
        m_info.fld = fld_next;
    end

    `TLSNIC_ASSERT_IMP(CsumFieldOneLane, m_valid_reg,
                       (m_fld_hi & (m_fld_hi - 1'b1)) == '0 && (m_fld_lo & (m_fld_lo - 1'b1)) == '0, clk, rst)

    // ------------------------------------------------------------ stage B
    logic                      b_valid_reg, b_last_reg;
    logic [DATA_W-1:0]         b_data_reg;
    info_t                     b_info_reg;
    logic [LVLS:0][N_WORD-1:0][BSUM_W-1:0] tree;

    always_comb begin
        tree = '0;
        for (int j = 0; j < N_WORD; j++) begin
            tree[0][j] = BSUM_W'({b_data_reg[16*j +: 8], b_data_reg[16*j+8 +: 8]});
        end
        for (int l = 0; l < LVLS; l++) begin
            for (int j = 0; j < (N_WORD >> (l + 1)); j++) begin
                tree[l+1][j] = tree[l][2*j] + tree[l][2*j+1];
            end
        end
    end

    // ------------------------------------------------------------ stage C
    logic                      c_valid_reg, c_last_reg;
    logic [BSUM_W-1:0]         c_sum_reg;
    info_t                     c_info_reg;
    logic [31:0]               acc_reg, acc_next;
    logic [31:0]               acc_sum;

    always_comb begin
        acc_sum  = acc_reg + 32'(c_sum_reg);
        acc_next = acc_reg;
        if (c_valid_reg) begin
            acc_next = c_last_reg ? '0 : acc_sum;
        end
    end

    // ------------------------------------------------------------ stage D
    logic                      d_valid_reg;
    logic [31:0]               d_acc_reg;
    info_t                     d_info_reg;
    logic [15:0]               d_lo, d_hi;
    logic [17:0]               d_x;

    always_comb begin
        // x * 256 mod 0xffff is a byte swap, so swap both halves before folding
        d_lo = d_info_reg.swap ? {d_acc_reg[7:0],   d_acc_reg[15:8]}  : d_acc_reg[15:0];
        d_hi = d_info_reg.swap ? {d_acc_reg[23:16], d_acc_reg[31:24]} : d_acc_reg[31:16];
        d_x  = 18'(d_lo) + 18'(d_hi) + 18'(net_pkg::IP_PROTO_TCP) + 18'(d_info_reg.l4_len);
    end

    // ------------------------------------------------------------ stage E
    logic                      e_valid_reg;
    logic [17:0]               e_x_reg;
    logic                      e_have_reg;
    logic [15:0]               e_fld_reg;
    logic [16:0]               e_t;
    logic [15:0]               e_sum;
    logic                      e_ok;

    always_comb begin
        e_t   = 17'(e_x_reg[15:0]) + 17'(e_x_reg[17:16]);
        e_sum = e_t[15:0] + 16'(e_t[16]);              // e_t <= 0x10002: no further carry
        // sum + field = 0 (mod 0xffff), both nonzero
        e_ok  = (e_fld_reg == ~e_sum) || (e_sum == 16'hffff && e_fld_reg == 16'hffff);
        if (!e_have_reg) begin
            e_sum = '0;
            e_ok  = 1'b0;
        end
    end

    // ------------------------------------------------------------- output
    logic                      out_valid_reg, out_ok_reg;
    logic [15:0]               out_sum_reg, out_rx_reg;

    assign csum_valid = out_valid_reg;
    assign csum_ok    = out_ok_reg;
    assign csum_sum   = out_sum_reg;
    assign csum_rx    = out_rx_reg;

    // ------------------------------------------------------------ registers
    always_ff @(posedge clk) begin
        cnt_reg   <= cnt_next;
        loc_reg   <= loc_next;
        have_reg  <= have_next;

        // A
        a_valid_reg <= mon_beat;
        if (mon_beat) begin
            a_last_reg <= mon_tlast;
            a_data_reg <= mon_tdata;
            a_keep_reg <= mon_tkeep;
            a_base_reg <= cnt_reg;
        end

        // M
        m_valid_reg <= a_valid_reg;
        if (a_valid_reg) begin
            m_last_reg <= a_last_reg;
            m_data_reg <= a_data_reg;
            m_keep_reg <= a_keep_reg;
            m_dist_reg <= a_dist;
            m_info_reg <= a_info;
        end
        if (m_valid_reg) begin
            fld_reg <= m_last_reg ? '0 : fld_next;
        end

        // B
        b_valid_reg <= m_valid_reg;
        if (m_valid_reg) begin
            b_last_reg <= m_last_reg;
            b_data_reg <= masked;
            b_info_reg <= m_info;
        end

        // C
        c_valid_reg <= b_valid_reg;
        if (b_valid_reg) begin
            c_last_reg <= b_last_reg;
            c_sum_reg  <= tree[LVLS][0];
            c_info_reg <= b_info_reg;
        end
        acc_reg <= acc_next;

        // D
        d_valid_reg <= c_valid_reg && c_last_reg;
        if (c_valid_reg && c_last_reg) begin
            d_acc_reg  <= acc_sum;
            d_info_reg <= c_info_reg;
        end

        // E
        e_valid_reg <= d_valid_reg;
        if (d_valid_reg) begin
            e_x_reg    <= d_x;
            e_have_reg <= d_info_reg.have;
            e_fld_reg  <= d_info_reg.fld;
        end

        // out
        out_valid_reg <= e_valid_reg;
        if (e_valid_reg) begin
            out_ok_reg  <= e_ok;
            out_sum_reg <= e_sum;
            out_rx_reg  <= e_fld_reg;
        end

        if (rst) begin
            cnt_reg       <= '0;
            have_reg      <= 1'b0;
            a_valid_reg   <= 1'b0;
            m_valid_reg   <= 1'b0;
            fld_reg       <= '0;
            b_valid_reg   <= 1'b0;
            c_valid_reg   <= 1'b0;
            acc_reg       <= '0;
            d_valid_reg   <= 1'b0;
            e_valid_reg   <= 1'b0;
            out_valid_reg <= 1'b0;
            out_ok_reg    <= 1'b0;
            out_sum_reg   <= '0;
            out_rx_reg    <= '0;
        end
    end

endmodule

`default_nettype wire
