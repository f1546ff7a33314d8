// tb_net_hdr_parse: self-checking testbench of net_hdr_parse, with tcp_csum
// fed by the parser's loc output (the integration the TX/RX paths use).
//
// Reads the vectors of tb/net/gen_net_vectors.py (mode parse):
//   +vec=DIR    DIR/frames.hex, DIR/frames.txt
//   +seed=N     backpressure pattern (random idle cycles between beats)
//   +gap=PCT    idle-cycle probability; +wave=FILE with --trace-fst
// Checks, for every frame: meta_valid exactly once, in the cycle of the
// expected beat, every field of the record; loc_valid in the cycle after the
// expected beat (or never) and its fields; eof_valid in the tlast beat and its fields;
// csum_valid exactly CSUM_LAT cycles after the tlast beat and its outputs.
// Exits with $fatal on the first mismatch (after printing it).
`timescale 1ns/1ps
`default_nettype none

module tb_net_hdr_parse #(
    parameter int DATA_W    = 128,
    parameter int MEM_BYTES = 1 << 26,
    parameter int MAX_FR    = 1 << 16
);
    localparam int KEEP_W   = DATA_W / 8;
    localparam int CSUM_LAT = net_pkg::TCP_CSUM_LAT;

    logic clk = 1'b0;
    logic rst = 1'b1;
    always #5 clk = ~clk;

    logic [DATA_W-1:0]    tdata;
    logic [KEEP_W-1:0]    tkeep;
    logic                 beat, tlast;

    logic                 loc_valid, meta_valid, eof_valid;
    net_pkg::l4_loc_t     loc;
    net_pkg::hdr_meta_t   meta;
    net_pkg::frame_end_t  eof;
    logic                 csum_valid, csum_ok;
    logic [15:0]          csum_sum, csum_rx;

    net_hdr_parse #(.DATA_W(DATA_W)) dut (
        .clk        (clk),
        .rst        (rst),
        .mon_tdata  (tdata),
        .mon_tkeep  (tkeep),
        .mon_beat   (beat),
        .mon_tlast  (tlast),
        .loc_valid  (loc_valid),
        .loc        (loc),
        .meta_valid (meta_valid),
        .meta       (meta),
        .eof_valid  (eof_valid),
        .eof        (eof)
    );

    tcp_csum #(.DATA_W(DATA_W)) dut_csum (
        .clk        (clk),
        .rst        (rst),
        .mon_tdata  (tdata),
        .mon_tkeep  (tkeep),
        .mon_beat   (beat),
        .mon_tlast  (tlast),
        .loc_valid  (loc_valid),
        .loc        (loc),
        .csum_valid (csum_valid),
        .csum_ok    (csum_ok),
        .csum_sum   (csum_sum),
        .csum_rx    (csum_rx)
    );

    // ------------------------------------------------------------ vectors
    logic [7:0]           mem [MEM_BYTES];
    int                   n_fr;
    int                   fr_start  [MAX_FR];
    int                   fr_len    [MAX_FR];
    int                   fr_mbeat  [MAX_FR];
    int                   fr_lbeat  [MAX_FR];
    int                   fr_kind   [MAX_FR];
    net_pkg::hdr_meta_t   exp_meta  [MAX_FR];
    net_pkg::frame_end_t  exp_eof   [MAX_FR];
    net_pkg::l4_loc_t     exp_loc   [MAX_FR];
    logic [33:0]          exp_csum  [MAX_FR];   // {ok, sum, rx}

    task automatic load(input string dir);
        int fd, r, total;
        logic [31:0] v [37];
        $readmemh({dir, "/frames.hex"}, mem);
        fd = $fopen({dir, "/frames.txt"}, "r");
        if (fd == 0) $fatal(1, "cannot open %s/frames.txt", dir);
        r = $fscanf(fd, "%h %h\n", n_fr, total);
        if (r != 2 || n_fr > MAX_FR || total > MEM_BYTES) $fatal(1, "bad vector header");
        for (int i = 0; i < n_fr; i++) begin
            // 32-bit fields: Verilator 5.006 reads wider %h into array elements as 0
            r = $fscanf(fd, "%h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h %h\n",
                        v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], v[21], v[22], v[23], v[24], v[25], v[26], v[27], v[28], v[29], v[30], v[31], v[32], v[33], v[34], v[35], v[36]);
            if (r != 37) $fatal(1, "bad vector line %0d", i);
            fr_start[i] = int'(v[0]);
            fr_len[i]   = int'(v[1]);
            fr_mbeat[i] = int'(v[2]);
            fr_lbeat[i] = (v[3] == 32'hffff) ? -1 : int'(v[3]);
            fr_kind[i]  = int'(v[4]);
            exp_meta[i] = '0;
            exp_meta[i].is_tcp      = v[5][0];
            exp_meta[i].parse_err   = v[6][0];
            exp_meta[i].vlan        = v[7][0];
            exp_meta[i].ipv4        = v[8][0];
            exp_meta[i].ipv6        = v[9][0];
            exp_meta[i].ip_csum_ok  = v[10][0];
            exp_meta[i].ip_proto    = v[11][7:0];
            exp_meta[i].l3_off      = v[12][7:0];
            exp_meta[i].l4_off      = v[13][7:0];
            exp_meta[i].payload_off = v[14][7:0];
            exp_meta[i].payload_len = v[15][15:0];
            exp_meta[i].src_ip      = {v[16], v[17], v[18], v[19]};
            exp_meta[i].dst_ip      = {v[20], v[21], v[22], v[23]};
            exp_meta[i].src_port    = v[24][15:0];
            exp_meta[i].dst_port    = v[25][15:0];
            exp_meta[i].tcp_seq     = v[26];
            exp_meta[i].tcp_flags   = v[27][7:0];
            exp_eof[i]           = '0;
            exp_eof[i].tcp_ok    = v[28][0];
            exp_eof[i].len_err   = v[29][0];
            exp_eof[i].frame_len = v[1][15:0];
            exp_loc[i]           = '0;
            exp_loc[i].ipv6      = v[30][0];
            exp_loc[i].addr_off  = v[31][15:0];
            exp_loc[i].l4_off    = v[32][15:0];
            exp_loc[i].l4_len    = v[33][15:0];
            exp_csum[i]          = {v[34][0], v[35][15:0], v[36][15:0]};
        end
        $fclose(fd);
    endtask

    // ----------------------------------------------------- driver state
    // cur_* describe what is driven in the current cycle
    int  cur_fr, cur_beat;
    int  seed;
    int  gap_pct;
    longint cycle;

    function automatic int n_beats(input int f);
        n_beats = (fr_len[f] + KEEP_W - 1) / KEEP_W;
    endfunction

    task automatic drive_beat(input int f, input int b);
        int base, n;
        base  = fr_start[f] + b * KEEP_W;
        n     = fr_len[f] - b * KEEP_W;
        tdata = '0;
        tkeep = '0;
        for (int l = 0; l < KEEP_W; l++) begin
            if (l < n) begin
                tdata[8*l +: 8] = mem[base + l];
                tkeep[l]        = 1'b1;
            end else begin
                tdata[8*l +: 8] = 8'($urandom);   // lanes past tkeep are junk
            end
        end
        beat  = 1'b1;
        tlast = (b == n_beats(f) - 1);
    endtask

    // ---------------------------------------------------------- checking
    int  meta_seen [MAX_FR];
    int  loc_seen  [MAX_FR];
    int  errors;
    int  csum_q_fr  [$];
    longint csum_q_cyc [$];
    int  n_meta, n_loc, n_eof, n_csum, n_early;
    // the beat of the previous cycle (loc_valid is registered)
    logic prev_beat = 1'b0;
    int   prev_fr, prev_b;

    task automatic fail(input string what);
        $display("FAIL cycle %0d frame %0d (kind %0d, len %0d) beat %0d: %s",
                 cycle, cur_fr, fr_kind[cur_fr], fr_len[cur_fr], cur_beat, what);
        errors++;
        if (errors >= 10) $fatal(1, "too many errors");
    endtask

    task automatic check_meta(input int f);
        net_pkg::hdr_meta_t e;
        e = exp_meta[f];
        if (meta !== e) begin
            $display("  meta got/exp: is_tcp %0d/%0d parse_err %0d/%0d vlan %0d/%0d ipv4 %0d/%0d ipv6 %0d/%0d ip_csum_ok %0d/%0d",
                     meta.is_tcp, e.is_tcp, meta.parse_err, e.parse_err, meta.vlan, e.vlan,
                     meta.ipv4, e.ipv4, meta.ipv6, e.ipv6, meta.ip_csum_ok, e.ip_csum_ok);
            $display("  ip_proto %0d/%0d l3 %0d/%0d l4 %0d/%0d poff %0d/%0d plen %0d/%0d",
                     meta.ip_proto, e.ip_proto, meta.l3_off, e.l3_off, meta.l4_off, e.l4_off,
                     meta.payload_off, e.payload_off, meta.payload_len, e.payload_len);
            $display("  src %h/%h dst %h/%h", meta.src_ip, e.src_ip, meta.dst_ip, e.dst_ip);
            $display("  ports %h:%h/%h:%h seq %h/%h flags %h/%h", meta.src_port, meta.dst_port,
                     e.src_port, e.dst_port, meta.tcp_seq, e.tcp_seq, meta.tcp_flags, e.tcp_flags);
            fail("meta record");
        end
    endtask

    always @(negedge clk) begin
        if (!rst) begin
            // meta
            if (meta_valid) begin
                if (!beat) fail("meta_valid without a beat");
                else if (cur_beat != fr_mbeat[cur_fr]) fail($sformatf("meta_valid in beat %0d, expected %0d", cur_beat, fr_mbeat[cur_fr]));
                else begin
                    check_meta(cur_fr);
                    if (!tlast) n_early++;
                end
                meta_seen[cur_fr]++;
                n_meta++;
            end else if (beat && cur_beat == fr_mbeat[cur_fr]) begin
                fail("meta_valid missing");
            end
            // loc: the cycle after the beat that holds the protocol byte
            if (loc_valid) begin
                if (!prev_beat) fail("loc_valid not after a beat");
                else if (prev_b != fr_lbeat[prev_fr]) fail($sformatf("loc_valid after beat %0d, expected %0d", prev_b, fr_lbeat[prev_fr]));
                else if (loc !== exp_loc[prev_fr]) fail($sformatf("loc %h, expected %h", loc, exp_loc[prev_fr]));
                else loc_seen[prev_fr]++;
                n_loc++;
            end else if (prev_beat && prev_b == fr_lbeat[prev_fr]) begin
                fail("loc_valid missing");
            end
            prev_beat = beat;
            prev_fr   = cur_fr;
            prev_b    = cur_beat;
            // eof
            if (eof_valid != (beat && tlast)) fail("eof_valid not in the tlast beat");
            if (eof_valid) begin
                if (eof !== exp_eof[cur_fr]) fail($sformatf("eof tcp_ok %0d/%0d len_err %0d/%0d len %0d/%0d",
                    eof.tcp_ok, exp_eof[cur_fr].tcp_ok, eof.len_err, exp_eof[cur_fr].len_err,
                    eof.frame_len, exp_eof[cur_fr].frame_len));
                n_eof++;
                csum_q_fr.push_back(cur_fr);
                csum_q_cyc.push_back(cycle + CSUM_LAT);
            end
            // csum
            if (csum_q_cyc.size() > 0 && csum_q_cyc[0] == cycle) begin
                int f;
                f = csum_q_fr.pop_front();
                void'(csum_q_cyc.pop_front());
                if (!csum_valid) fail($sformatf("csum_valid missing for frame %0d", f));
                else if ({csum_ok, csum_sum, csum_rx} !== exp_csum[f])
                    fail($sformatf("frame %0d csum ok/sum/rx %0d %h %h, expected %0d %h %h", f,
                         csum_ok, csum_sum, csum_rx, exp_csum[f][32], exp_csum[f][31:16], exp_csum[f][15:0]));
                n_csum++;
            end else if (csum_valid) begin
                fail("unexpected csum_valid");
            end
        end
    end

    // ------------------------------------------------------------ driver
    initial begin
        string dir, wf;
        int burst;
        if (!$value$plusargs("vec=%s", dir)) $fatal(1, "+vec=DIR missing");
        if ($value$plusargs("wave=%s", wf)) begin
            $dumpfile(wf);
            $dumpvars();
        end
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("gap=%d", gap_pct)) gap_pct = 30;
        void'($urandom(seed));
        load(dir);
        $display("tb_net_hdr_parse: DATA_W=%0d, %0d frames from %s, seed %0d, gap %0d%%",
                 DATA_W, n_fr, dir, seed, gap_pct);
        errors = 0;
        cycle  = 0;
        beat   = 1'b0;
        tlast  = 1'b0;
        tdata  = '0;
        tkeep  = '0;
        cur_fr = 0;
        cur_beat = 0;
        repeat (3) @(posedge clk); #1;
        rst <= 1'b0;
        burst = 0;
        for (int f = 0; f < n_fr; f++) begin
            // every 8th frame of a run goes back to back with no gaps at all
            if (f % 64 == 0) burst = ($urandom_range(0, 3) == 0) ? 16 : 0;
            for (int b = 0; b < n_beats(f); b++) begin
                while (burst == 0 && $urandom_range(0, 99) < gap_pct) begin
                    @(posedge clk); #1;
                    cycle++;
                    beat  = 1'b0;
                    tlast = 1'b0;
                    tdata = {(DATA_W/32){$urandom}};
                    tkeep = KEEP_W'($urandom);
                end
                @(posedge clk); #1;
                cycle++;
                cur_fr   = f;
                cur_beat = b;
                drive_beat(f, b);
            end
            if (burst > 0) burst--;
        end
        @(posedge clk); #1;
        cycle++;
        beat  = 1'b0;
        tlast = 1'b0;
        repeat (CSUM_LAT + 4) begin
            @(posedge clk); #1;
            cycle++;
        end
        for (int f = 0; f < n_fr; f++) begin
            if (meta_seen[f] != 1) begin
                $display("FAIL frame %0d: %0d meta records", f, meta_seen[f]);
                errors++;
            end
            if (loc_seen[f] != ((fr_lbeat[f] >= 0) ? 1 : 0)) begin
                $display("FAIL frame %0d: %0d loc records", f, loc_seen[f]);
                errors++;
            end
        end
        if (csum_q_fr.size() != 0) begin
            $display("FAIL: %0d checksum results missing", csum_q_fr.size());
            errors++;
        end
        if (errors != 0) $fatal(1, "tb_net_hdr_parse: %0d errors", errors);
        $display("tb_net_hdr_parse: PASS  %0d frames, %0d cycles: %0d meta (%0d before tlast), %0d loc, %0d eof, %0d csum checked",
                 n_fr, cycle, n_meta, n_early, n_loc, n_eof, n_csum);
        $finish;
    end
endmodule

`default_nettype wire
