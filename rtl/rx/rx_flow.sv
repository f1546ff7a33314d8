// RX flow table: 4-tuple -> context, in block RAM, one lookup per clock.
//
// Two banks (two hash functions) of BUCKETS buckets of WAYS entries; an
// entry is a whole key (IPv6 flag, both addresses, both ports: flows never
// alias) and a context id. A key lives in one of its two buckets:
//   h = CRC-32C (Castagnoli, reflected, initial value and final XOR
//       0xFFFFFFFF) over the 37 key bytes: 1 byte IPv6 flag (0/1), source
//       address (16 bytes, IPv4 in the first 4, zeros after), destination
//       address (the same), source port, destination port (big endian);
//   bucket in bank 0: h mod BUCKETS; in bank 1: (h >> 16) mod BUCKETS.
// A lookup reads both buckets at once (one clock, both banks) and compares
// all 2*WAYS entries (two clocks: 32-bit pieces of each key first, then the
// entries): the probe is bounded by construction. An insert goes
// to the bucket with more free ways (bank 0 on a tie), at its lowest free
// way; when both buckets are full the flow stays in software (the command
// answers "table full", counted in rx_tls_ctx_full) even if contexts are
// free. With BUCKETS = N_CTX/WAYS (WAYS = 4; 2 in the board
// configuration) there are 2*N_CTX entries for N_CTX flows.
//
// Frame lookups: records from the ingress meta queue enter a 4-entry queue
// (`m_*` in, `hd_*` out at its head with the result; a record's bucket
// numbers are hashed as it enters), looked up in order, one per clock,
// three clocks each. `flush` (the table changed) looks the
// queued records up again. Commands (`c_*`, only while `hold` stops frame
// lookups) look a key up, write a bucket entry, or clear one.
`default_nettype none

module rx_flow #(
    parameter int N_CTX   = 64,
    parameter int CTX_W   = $clog2(N_CTX),
    parameter int WAYS    = 4,
    parameter int BUCKETS = (N_CTX / 4 >= 2) ? N_CTX / 4 : 2,
    parameter int BKT_W   = $clog2(BUCKETS)
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 m_valid,
    output logic                 m_ready,
    input  tlsnic_pkg::imeta_t   m_meta,

    output logic                 hd_valid,
    input  logic                 hd_ready,
    output tlsnic_pkg::imeta_t   hd_meta,
    output logic                 hd_hit,
    output logic [CTX_W-1:0]     hd_ctx,

    input  logic                 hold,          // no frame lookups (commands use the table)
    input  logic                 flush,

    // Commands
    input  logic                 c_look,        // look c_key up
    input  logic                 c_direct,      // with c_look: read bucket c_wr_bucket instead
    input  logic [288:0]         c_key,         // {v6, saddr, daddr, ports}
    output logic                 c_done,        // two clocks after c_look
    output logic                 c_hit,
    output logic [CTX_W-1:0]     c_hit_ctx,
    output logic                 c_room,        // a free way in one of the two buckets
    output logic                 c_bank,        // where an insert goes
    output logic [BKT_W-1:0]     c_bucket,
    output logic [$clog2(WAYS)-1:0] c_way,
    input  logic                 c_wr,          // write way (c_wr_bank, c_wr_bucket, c_wr_way)
    input  logic                 c_clear,       // empty bucket c_wr_bucket in both banks (after reset)
    input  logic                 c_wr_valid,    // 1 insert c_key -> c_wr_ctx, 0 clear
    input  logic                 c_wr_bank,
    input  logic [BKT_W-1:0]     c_wr_bucket,
    input  logic [$clog2(WAYS)-1:0] c_wr_way,
    input  logic [CTX_W-1:0]     c_wr_ctx
);

    localparam int KEY_W = 289;
    localparam int ENT_W = 1 + KEY_W + CTX_W;      // {valid, key, ctx}
    localparam int BUK_W = WAYS * ENT_W;
    localparam int WAY_W = $clog2(WAYS);

    if (WAYS < 2 || (1 << WAY_W) != WAYS || (1 << BKT_W) != BUCKETS) begin : g_bad
        $error("rx_flow: WAYS and BUCKETS must be powers of two (WAYS >= 2)");
    end

    // CRC-32C, bitwise over the 37 key bytes (the definition; used at
    // elaboration only, below).
    function automatic logic [31:0] crc32c(input logic [KEY_W-1:0] k);
        logic [31:0] c;
        logic [7:0]  byte_v;
        logic [295:0] bytes;
        bytes = {7'd0, k};
        c = 32'hFFFF_FFFF;
        for (int i = 0; i < 37; i++) begin
            byte_v = bytes[295 - 8*i -: 8];
            for (int b = 0; b < 8; b++) begin
                c = ((c ^ {31'd0, byte_v[b]}) & 32'd1) != 32'd0 ? ((c >> 1) ^ 32'h82F6_3B78) : (c >> 1);
            end
        end
        crc32c = ~c;
    endfunction

    // The CRC is affine in the key: crc32c(k) = crc32c(0) ^ A k. Column j
    // of A (the key bits CRC bit j depends on) is CRC_MASK[KEY_W*j +: KEY_W],
    // found by running the bitwise CRC on dependency masks instead of bits.
    // The hash is then a flat XOR network (each CRC bit the parity of about
    // 150 key bits): the bitwise form is a chain of 296 steps, which Yosys'
    // ABC9 mapping of the ECP5 flow walks recursively and cannot finish.
    function automatic logic [32*KEY_W-1:0] crc_masks();
        logic [31:0][KEY_W-1:0] m;
        logic [KEY_W-1:0]       fb;
        for (int j = 0; j < 32; j++) begin
            m[j] = '0;
        end
        for (int i = 0; i < 37; i++) begin
            for (int b = 0; b < 8; b++) begin
                fb = m[0];
                if (288 - 8*i + b <= KEY_W - 1) begin
                    fb[288 - 8*i + b] = !fb[288 - 8*i + b];
                end
                for (int j = 0; j < 31; j++) begin
                    m[j] = m[j + 1];
                end
                m[31] = '0;
                for (int j = 0; j < 32; j++) begin
                    if (((32'h82F6_3B78 >> j) & 32'd1) != 32'd0) begin
                        m[j] = m[j] ^ fb;
                    end
                end
            end
        end
        crc_masks = m;
    endfunction

    localparam logic [32*KEY_W-1:0] CRC_MASK = crc_masks();
    localparam logic [31:0]         CRC_ZERO = crc32c('0);

    function automatic logic [31:0] crc32c_flat(input logic [KEY_W-1:0] k);
        for (int j = 0; j < 32; j++) begin
            crc32c_flat[j] = CRC_ZERO[j] ^ (^(k & CRC_MASK[KEY_W*j +: KEY_W]));
        end
    endfunction

    /* verilator lint_off UNUSEDSIGNAL */ // the 4-tuple of the record
    function automatic logic [KEY_W-1:0] key_of(input tlsnic_pkg::imeta_t m);
        key_of = {m.v6, m.saddr, m.daddr, m.ports};
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    // A key's two buckets {bank 1, bank 0}.
    function automatic logic [2*BKT_W-1:0] buckets_of(input logic [KEY_W-1:0] k);
        /* verilator lint_off UNUSEDSIGNAL */ // the bucket index bits of each bank
        logic [31:0] h;
        /* verilator lint_on UNUSEDSIGNAL */
        h = crc32c_flat(k);
        buckets_of = {h[16 +: BKT_W], h[BKT_W-1:0]};
    endfunction

    // ---------------------------------------------------------- the banks
    logic             rd_en;
    logic [KEY_W-1:0] rd_key;
    logic [2*BKT_W-1:0] rd_bk;              // rd_key's buckets
    logic [BUK_W-1:0] q0, q1;
    logic             wr0, wr1;
    logic [BUK_W-1:0] wr_bucket;

    logic [BKT_W-1:0] rd_b0, rd_b1;
    assign rd_b0 = (c_look && c_direct) ? c_wr_bucket : rd_bk[BKT_W-1:0];
    assign rd_b1 = (c_look && c_direct) ? c_wr_bucket : rd_bk[BKT_W +: BKT_W];

    ram_sdp #(.WIDTH(BUK_W), .DEPTH(BUCKETS)) u_bank0 (
        .clk(clk), .wr_en(wr0), .wr_addr(c_wr_bucket), .wr_data(wr_bucket),
        .rd_en(rd_en), .rd_addr(rd_b0), .rd_data(q0)
    );
    ram_sdp #(.WIDTH(BUK_W), .DEPTH(BUCKETS)) u_bank1 (
        .clk(clk), .wr_en(wr1), .wr_addr(c_wr_bucket), .wr_data(wr_bucket),
        .rd_en(rd_en), .rd_addr(rd_b1), .rd_data(q1)
    );

    // Compare the key read last clock with both buckets, in two clocks:
    // first each entry's key in 32-bit pieces (eq_reg), then the entries
    // (the whole compare in one clock is a chain of about 12 LUT levels on
    // the ECP5). Entry e: bank e / WAYS, way e % WAYS.
    localparam int NE  = 2 * WAYS;
    localparam int PC  = 32;
    localparam int NPC = (KEY_W + PC - 1) / PC;
    logic [KEY_W-1:0] cmp_key_reg;
    logic [BKT_W-1:0] cmp_b0_reg, cmp_b1_reg, res_b0_reg, res_b1_reg;
    logic [NPC-1:0]   eq_reg [NE];          // pieces equal
    logic [NE-1:0]    ev_reg;               // entry valid
    logic [CTX_W-1:0] ec_reg [NE];          // entry context
    always_ff @(posedge clk) begin : compare_pieces
        logic [ENT_W-1:0]          e;
        logic [NPC*PC-1:0]         k, ck;
        for (int i = 0; i < NE; i++) begin
            e  = (i < WAYS) ? q0[ENT_W*i +: ENT_W] : q1[ENT_W*(i - WAYS) +: ENT_W];
            k  = (NPC*PC)'(e[CTX_W +: KEY_W]);
            ck = (NPC*PC)'(cmp_key_reg);
            for (int p = 0; p < NPC; p++) begin
                eq_reg[i][p] <= k[PC*p +: PC] == ck[PC*p +: PC];
            end
            ev_reg[i] <= e[ENT_W-1];
            ec_reg[i] <= e[CTX_W-1:0];
        end
        res_b0_reg <= cmp_b0_reg;
        res_b1_reg <= cmp_b1_reg;
    end

    logic             hit;
    logic [CTX_W-1:0] hit_ctx;
    logic [WAY_W:0]   free0, free1;
    logic [WAY_W-1:0] fw0, fw1;
    always_comb begin : compare
        hit     = 1'b0;
        hit_ctx = '0;
        free0   = '0;
        free1   = '0;
        fw0     = '0;
        fw1     = '0;
        for (int w = WAYS - 1; w >= 0; w--) begin
            if (ev_reg[w] && &eq_reg[w]) begin
                hit     = 1'b1;
                hit_ctx = ec_reg[w];
            end
            if (!ev_reg[w]) begin
                free0 = free0 + (WAY_W+1)'(1);
                fw0   = WAY_W'(w);
            end
            if (ev_reg[WAYS + w] && &eq_reg[WAYS + w]) begin
                hit     = 1'b1;
                hit_ctx = ec_reg[WAYS + w];
            end
            if (!ev_reg[WAYS + w]) begin
                free1 = free1 + (WAY_W+1)'(1);
                fw1   = WAY_W'(w);
            end
        end
    end

    // Command results, two clocks after the lookup (the last buckets read
    // stay in q0/q1 for the write).
    logic c_pend_reg, c_pend2_reg;
    assign c_done    = c_pend2_reg;
    assign c_hit     = hit;
    assign c_hit_ctx = hit_ctx;
    assign c_room    = free0 != '0 || free1 != '0;
    assign c_bank    = free0 < free1;
    assign c_bucket  = (free0 < free1) ? res_b1_reg : res_b0_reg;
    assign c_way     = (free0 < free1) ? fw1 : fw0;

    always_comb begin : write_bucket
        wr_bucket = c_wr_bank ? q1 : q0;
        wr_bucket[ENT_W*c_wr_way +: ENT_W] = c_wr_valid ? {1'b1, c_key, c_wr_ctx} : '0;
        if (c_clear) begin
            wr_bucket = '0;
        end
    end
    assign wr0 = (c_wr && !c_wr_bank) || c_clear;
    assign wr1 = (c_wr && c_wr_bank) || c_clear;

    // ------------------------------------------------------ frame lookups
    localparam int QN = 4;
    // The records as plain vectors: Yosys 0.70 elaborates an unpacked array
    // of a packed struct type as one struct-wide register (the four entries
    // do not exist: a record read is not the record written), without a
    // warning; Verilator gets it right.
    localparam int META_W = $bits(m_meta);
    logic [META_W-1:0]  qm_reg [QN];
    logic [QN-1:0]      qd_reg;             // looked up
    logic               qh_reg [QN];
    logic [CTX_W-1:0]   qc_reg [QN];
    logic [2*BKT_W-1:0] qb_reg [QN];        // the record's buckets
    logic [1:0]         qhd_reg, qtl_reg, qlk_reg;   // head, tail, next to look up
    logic [2:0]         qn_reg, qnl_reg;    // entries; entries looked up or in flight
    logic               lk_pend_reg;        // a frame lookup lands in q0/q1 this clock
    logic               lk_pend2_reg;       // its pieces are in eq_reg
    logic [1:0]         lk_idx_reg, lk_idx2_reg;
    logic               push, pop, issue;

    assign m_ready  = qn_reg != 3'(QN);
    assign push     = m_valid && m_ready;
    assign hd_valid = qn_reg != 3'd0 && qd_reg[qhd_reg];
    assign hd_meta  = tlsnic_pkg::imeta_t'(qm_reg[qhd_reg]);
    assign hd_hit   = qh_reg[qhd_reg];
    assign hd_ctx   = qc_reg[qhd_reg];
    assign pop      = hd_valid && hd_ready;
    // the next record not looked up yet
    assign issue    = !hold && !flush && !c_look && qnl_reg < qn_reg;
    assign rd_en    = issue || c_look;
    assign rd_key   = c_look ? c_key : key_of(tlsnic_pkg::imeta_t'(qm_reg[qlk_reg]));
    assign rd_bk    = c_look ? buckets_of(c_key) : qb_reg[qlk_reg];

    always_ff @(posedge clk) begin : queue
        if (push) begin
            qm_reg[qtl_reg] <= m_meta;
            qb_reg[qtl_reg] <= buckets_of(key_of(m_meta));
            qd_reg[qtl_reg] <= 1'b0;
            qtl_reg <= qtl_reg + 2'd1;
        end
        if (pop) begin
            qhd_reg <= qhd_reg + 2'd1;
        end
        qn_reg  <= qn_reg + 3'(push) - 3'(pop);
        qnl_reg <= qnl_reg + 3'(issue) - 3'(pop);
        if (issue) begin
            qlk_reg <= qlk_reg + 2'd1;
        end
        lk_pend_reg  <= issue;
        lk_idx_reg   <= qlk_reg;
        lk_pend2_reg <= lk_pend_reg && !flush;  // a flush drops lookups in flight
        lk_idx2_reg  <= lk_idx_reg;
        c_pend_reg   <= c_look;
        c_pend2_reg  <= c_pend_reg;
        if (rd_en) begin
            cmp_key_reg <= rd_key;
            cmp_b0_reg  <= rd_bk[BKT_W-1:0];
            cmp_b1_reg  <= rd_bk[BKT_W +: BKT_W];
        end
        if (lk_pend2_reg && !flush) begin
            qd_reg[lk_idx2_reg] <= 1'b1;
            qh_reg[lk_idx2_reg] <= hit;
            qc_reg[lk_idx2_reg] <= hit_ctx;
        end
        if (flush) begin
            qd_reg  <= '0;
            qnl_reg <= 3'd0;
            qlk_reg <= pop ? qhd_reg + 2'd1 : qhd_reg;
        end
        if (rst) begin
            qhd_reg     <= 2'd0;
            qtl_reg     <= 2'd0;
            qlk_reg     <= 2'd0;
            qn_reg      <= 3'd0;
            qnl_reg     <= 3'd0;
            qd_reg      <= '0;
            lk_pend_reg <= 1'b0;
            lk_pend2_reg <= 1'b0;
            c_pend_reg  <= 1'b0;
            c_pend2_reg <= 1'b0;
        end
    end

    // Assertions
    `TLSNIC_ASSERT_IMP(FlowCmdOnlyWhenHeld, c_look || c_wr || c_clear, hold, clk, rst)
    `TLSNIC_ASSERT_IMP(FlowInsertHasRoom, c_wr && c_wr_valid, c_room, clk, rst)

endmodule

`default_nettype wire
