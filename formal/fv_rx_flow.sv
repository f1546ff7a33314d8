// Formal harness: the RX flow table (rx_flow) with N_CTX = 4, two ways per
// bucket, two buckets per bank, in front of a consumer that takes records
// whenever it likes, behind a source of records (4-tuples from a narrowed
// space, below), and
// under a command unit that follows the table's protocol (below) with any
// keys, contexts and timing. Checked (make formal):
//   LookupIsTable  a frame record offered at the queue's head whose key is
//                  the tracked key (any key, chosen by the solver) carries
//                  the table's answer for it: hit exactly when the key is
//                  installed, with the context it was installed with; keys
//                  are installed, deleted and buckets cleared in any order,
//                  so this covers bucket choice (either hash), way choice,
//                  deletes of neighbours and the redo after `flush`;
//   CmdLookIsTable the same for a command lookup, answered (`c_done`)
//                  two clocks after it (`CmdDoneAfterLook`);
//   HdHeld         a record offered and not taken is offered again, with
//                  the same record and answer, unless `flush` (the table
//                  changed: the answer is redone) came in between;
//   RecordsInOrder the record accepted N-th since reset (N any) is the
//                  N-th taken, unchanged;
//   HeadLookedUp   a record at the head is offered within three clocks in
//                  which lookups may run (no hold, flush or command);
// and the module's own assertions.
//
// What the harness assumes of the command unit (eng_cmd), which the
// module's contract asks of it:
//   - after reset, every bucket cleared (`c_clear`) before any other
//     command and before frame lookups may run (`hold` until then);
//   - commands only while `hold`; a table write (`c_wr`, `c_clear`) only
//     with `flush` (the command unit raises both for the whole command);
//   - a lookup and a write never in the same clock; one lookup at a time
//     (the next after the last one's answer), and no write while a lookup
//     other than a direct read waits for its answer; a write after its
//     lookup (any number of clocks after it, with `hold` kept and no other
//     lookup or write between: the buckets read stay in the RAMs' output):
//     an insert after the answer (`c_done`) of a lookup of the same key
//     that missed and found room, at the place the lookup named (`c_bank`,
//     `c_bucket`, `c_way`); a delete after a direct read of the bucket it
//     writes (any bank and way; from the clock after the read).
`default_nettype none

module fv_rx_flow (
    input  logic                clk,
    input  logic                rst,
    input  logic                m_valid,
    input  tlsnic_pkg::imeta_t  m_meta,
    input  logic                hd_ready,
    input  logic                hold,
    input  logic                flush,
    input  logic                c_look,
    input  logic                c_direct,
    input  logic [288:0]        c_key,
    input  logic                c_wr,
    input  logic                c_clear,
    input  logic                c_wr_valid,
    input  logic                c_wr_bank,
    input  logic                c_wr_bucket,
    input  logic                c_wr_way,
    input  logic [1:0]          c_wr_ctx
);
    localparam int N_CTX   = 4;
    localparam int WAYS    = 2;
    localparam int BUCKETS = 2;

    logic               m_ready, hd_valid, hd_hit;
    tlsnic_pkg::imeta_t hd_meta;
    logic [1:0]         hd_ctx, c_hit_ctx;
    logic               c_done, c_hit, c_room, c_bank, c_bucket, c_way;

    rx_flow #(.N_CTX(N_CTX), .WAYS(WAYS), .BUCKETS(BUCKETS)) dut (
        .clk(clk), .rst(rst),
        .m_valid(m_valid), .m_ready(m_ready), .m_meta(m_meta),
        .hd_valid(hd_valid), .hd_ready(hd_ready), .hd_meta(hd_meta), .hd_hit(hd_hit), .hd_ctx(hd_ctx),
        .hold(hold), .flush(flush),
        .c_look(c_look), .c_direct(c_direct), .c_key(c_key), .c_done(c_done), .c_hit(c_hit),
        .c_hit_ctx(c_hit_ctx), .c_room(c_room), .c_bank(c_bank), .c_bucket(c_bucket), .c_way(c_way),
        .c_wr(c_wr), .c_clear(c_clear), .c_wr_valid(c_wr_valid), .c_wr_bank(c_wr_bank),
        .c_wr_bucket(c_wr_bucket), .c_wr_way(c_wr_way), .c_wr_ctx(c_wr_ctx)
    );

    function automatic logic [288:0] key_of(input tlsnic_pkg::imeta_t m);
        key_of = {m.v6, m.saddr, m.daddr, m.ports};
    endfunction

    initial assume (rst);

    // ------------------------------------------------ the command protocol
    logic [BUCKETS-1:0] cleared_reg;    // buckets cleared since reset
    logic               init_done;
    logic               look_reg, look2_reg, direct_reg, look_bucket_reg;
    logic               read_ok_reg;    // the last lookup's buckets are still at the RAMs' output
    logic               res_ok_reg;     // and its answer came
    logic [288:0]       look_key_reg;
    assign init_done = &cleared_reg;

    always @(posedge clk) begin
        if (c_clear) begin
            cleared_reg[c_wr_bucket] <= 1'b1;
        end
        look_reg  <= c_look;
        look2_reg <= look_reg;
        if (c_look) begin
            direct_reg      <= c_direct;
            look_bucket_reg <= c_wr_bucket;
            look_key_reg    <= c_key;
            read_ok_reg     <= 1'b1;
            res_ok_reg      <= 1'b0;
        end
        if (c_done) begin
            res_ok_reg <= 1'b1;
        end
        if (!hold || c_wr || c_clear) begin     // one write per lookup
            read_ok_reg <= 1'b0;
            res_ok_reg  <= 1'b0;
        end
        if (rst) begin
            cleared_reg <= '0;
            look_reg    <= 1'b0;
            look2_reg   <= 1'b0;
            read_ok_reg <= 1'b0;
            res_ok_reg  <= 1'b0;
        end
    end

    always @(*) begin
        if (!rst) begin
            assume (!(c_wr && c_clear));
            assume (narrow(track_key) && (!m_valid || (narrow(key_of(m_meta)) && meta_narrow(m_meta)))
                    && (!(c_look || c_wr) || narrow(c_key)));
            assume (!(c_look && (c_wr || c_clear)));
            assume (!(c_look && (look_reg || look2_reg)));
            assume (!((c_wr || c_clear) && (look_reg || look2_reg) && !direct_reg));
            if (!init_done) begin
                assume (hold && !c_look && !c_wr);
            end
            if (c_look || c_wr || c_clear) begin
                assume (hold);
            end
            if (c_wr || c_clear) begin
                assume (flush);
            end
            if (c_wr) begin
                assume (read_ok_reg);
            end
            if (c_wr && c_wr_valid) begin
                assume ((res_ok_reg || c_done) && !direct_reg && c_key == look_key_reg && !c_hit && c_room
                        && c_wr_bank == c_bank && c_wr_bucket == c_bucket && c_wr_way == c_way);
            end
            if (c_wr && !c_wr_valid) begin
                assume (direct_reg && c_wr_bucket == look_bucket_reg);
            end
        end
    end

    // Keys narrowed to 17 free bits, far apart in the key: the IPv6 flag,
    // the source address' first byte and the destination port's low byte
    // (the rest zero); of a record's other fields only the sequence
    // number's low byte is free (the rest zero). rx_flow decides on a key
    // only by comparing whole keys and hashing them (2 buckets: one hash
    // bit per bank), and carries the other fields without looking at
    // them; with every bit free the solver did not finish the seventh
    // clock in 5 minutes.
    localparam logic [288:0] KEY_FREE = {1'b1, 8'hFF, 248'd0, 24'd0, 8'hFF};
    function automatic logic narrow(input logic [288:0] k);
        narrow = (k & ~KEY_FREE) == '0;
    endfunction
    function automatic logic meta_narrow(input tlsnic_pkg::imeta_t m);
        meta_narrow = !m.tcp && !m.tcp_nocsum && !m.ip_csum_ok && m.l3_off == '0 && m.l4_off == '0
                   && m.pay_off == '0 && m.pay_len == '0 && m.seq[31:8] == '0 && m.tuser == '0
                   && m.dump == '0;
    endfunction

    // ------------------------------------------- the tracked key's shadow
    (* anyconst *) logic [288:0] track_key;
    logic       k_in_reg, k_bank_reg, k_bucket_reg, k_way_reg;
    logic [1:0] k_ctx_reg;
    always @(posedge clk) begin
        if (c_wr && c_wr_valid && c_key == track_key) begin
            k_in_reg     <= 1'b1;
            k_ctx_reg    <= c_wr_ctx;
            k_bank_reg   <= c_wr_bank;
            k_bucket_reg <= c_wr_bucket;
            k_way_reg    <= c_wr_way;
        end
        if (c_wr && !c_wr_valid && c_wr_bank == k_bank_reg && c_wr_bucket == k_bucket_reg
            && c_wr_way == k_way_reg) begin
            k_in_reg <= 1'b0;
        end
        if (c_clear && c_wr_bucket == k_bucket_reg) begin
            k_in_reg <= 1'b0;
        end
        if (rst) begin
            k_in_reg <= 1'b0;
        end
    end

    // -------------------------------------------------- records in order
    logic [7:0] in_n, out_n;
    fv_in_order #(.WIDTH($bits(m_meta))) RecordsInOrder (
        .clk(clk), .rst(rst), .in_fire(m_valid && m_ready), .in_data(m_meta),
        .out_valid(hd_valid), .out_fire(hd_valid && hd_ready), .out_data(hd_meta),
        .in_n(in_n), .out_n(out_n)
    );

    fv_stream_hold #(.WIDTH($bits(hd_meta) + 3)) HdHeld (
        .clk(clk), .rst(rst), .valid(hd_valid), .ready(hd_ready), .excuse(flush),
        .data({hd_meta, hd_hit, hd_ctx})
    );

    logic quiet;
    assign quiet = !hold && !flush && !c_look;

    always @(posedge clk) begin
        if (!rst) begin
            if (hd_valid && init_done && key_of(hd_meta) == track_key) begin
                LookupIsTable: assert (hd_hit == k_in_reg && (!k_in_reg || hd_ctx == k_ctx_reg));
            end
            CmdDoneAfterLook: assert (c_done == look2_reg);
            if (c_done && !direct_reg && look_key_reg == track_key) begin
                CmdLookIsTable: assert (c_hit == k_in_reg && (!k_in_reg || c_hit_ctx == k_ctx_reg));
            end
        end
        if (!rst && !$past(rst) && !$past(rst, 2) && !$past(rst, 3)
            && $past(quiet && in_n != out_n && !(hd_valid && hd_ready), 3)
            && $past(quiet && !(hd_valid && hd_ready), 2) && $past(quiet && !(hd_valid && hd_ready))) begin
            HeadLookedUp: assert (hd_valid);
        end
    end

    // Cover: a frame of the tracked key found, the key deleted, a later
    // frame of it missed (the checks above are not vacuous).
    logic seen_hit_reg;
    always @(posedge clk) begin
        if (hd_valid && hd_hit && init_done && key_of(hd_meta) == track_key) begin
            seen_hit_reg <= 1'b1;
        end
        if (rst) begin
            seen_hit_reg <= 1'b0;
        end
    end
    always @(posedge clk) begin
        if (!rst) begin
            FoundThenDeleted: cover (seen_hit_reg && hd_valid && !hd_hit && key_of(hd_meta) == track_key);
        end
    end
endmodule

`default_nettype wire
