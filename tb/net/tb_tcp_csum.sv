// tb_tcp_csum: self-checking testbench of tcp_csum alone, with coverage
// records the parser never produces: segments and addresses at odd and even
// offsets, odd lengths, Ethernet padding past the segment, segments longer
// than the frame, no coverage at all; loc_valid comes in the cycle after a
// random beat up to the one holding the first covered byte (that cycle may
// be idle or carry the next beat, even of the next frame).
//
// Reads the vectors of tb/net/gen_net_vectors.py (mode csum):
//   +vec=DIR  +seed=N  +gap=PCT  [+wave=FILE with --trace-fst]
// Checks csum_valid exactly CSUM_LAT cycles after every tlast beat, never
// otherwise, and csum_ok / csum_sum / csum_rx against the generator.
`timescale 1ns/1ps
`default_nettype none

module tb_tcp_csum #(
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
    logic                 loc_valid;
    net_pkg::l4_loc_t     loc;
    logic                 csum_valid, csum_ok;
    logic [15:0]          csum_sum, csum_rx;

    tcp_csum #(.DATA_W(DATA_W)) dut (
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

    logic [7:0]           mem [MEM_BYTES];
    int                   n_fr;
    int                   fr_start [MAX_FR];
    int                   fr_len   [MAX_FR];
    int                   fr_lbeat [MAX_FR];
    net_pkg::l4_loc_t     fr_loc   [MAX_FR];
    logic [32:0]          exp_csum [MAX_FR];   // {ok, sum, rx}

    task automatic load(input string dir);
        int fd, r, total;
        logic [31:0] v [10];
        $readmemh({dir, "/frames.hex"}, mem);
        fd = $fopen({dir, "/frames.txt"}, "r");
        if (fd == 0) $fatal(1, "cannot open %s/frames.txt", dir);
        r = $fscanf(fd, "%h %h\n", n_fr, total);
        if (r != 2 || n_fr > MAX_FR || total > MEM_BYTES) $fatal(1, "bad vector header");
        for (int i = 0; i < n_fr; i++) begin
            r = $fscanf(fd, "%h %h %h %h %h %h %h %h %h %h\n", v[0], v[1], v[2], v[3], v[4],
                        v[5], v[6], v[7], v[8], v[9]);
            if (r != 10) $fatal(1, "bad vector line %0d", i);
            fr_start[i] = int'(v[0]);
            fr_len[i]   = int'(v[1]);
            fr_lbeat[i] = (v[2] == 32'hffff) ? -1 : int'(v[2]);
            fr_loc[i]          = '0;
            fr_loc[i].ipv6     = v[3][0];
            fr_loc[i].addr_off = v[4][15:0];
            fr_loc[i].l4_off   = v[5][15:0];
            fr_loc[i].l4_len   = v[6][15:0];
            exp_csum[i] = {v[7][0], v[8][15:0], v[9][15:0]};
        end
        $fclose(fd);
    endtask

    int     seed, gap_pct, errors, n_csum, n_ok, n_odd;
    longint cycle;
    int     q_fr [$];
    longint q_cyc [$];
    int     loc_pend;              // frame whose loc goes out in the next cycle, or -1

    function automatic int n_beats(input int f);
        n_beats = (fr_len[f] + KEEP_W - 1) / KEEP_W;
    endfunction

    task automatic idle();
        beat      = 1'b0;
        tlast     = 1'b0;
        tdata     = {(DATA_W/32){$urandom}};
        tkeep     = KEEP_W'($urandom);
    endtask

    // loc_valid in the cycle after the chosen beat, whatever that cycle holds
    task automatic drive_loc();
        loc_valid = loc_pend >= 0;
        loc       = (loc_pend >= 0) ? fr_loc[loc_pend] : net_pkg::l4_loc_t'({$urandom, $urandom});
        loc_pend  = -1;
    endtask

    task automatic drive_beat(input int f, input int b);
        int base, n;
        base = fr_start[f] + b * KEEP_W;
        n    = fr_len[f] - b * KEEP_W;
        for (int l = 0; l < KEEP_W; l++) begin
            tdata[8*l +: 8] = (l < n) ? mem[base + l] : 8'($urandom);
            tkeep[l]        = l < n;
        end
        beat  = 1'b1;
        tlast = (b == n_beats(f) - 1);
    endtask

    always @(negedge clk) begin
        if (!rst) begin
            if (beat && tlast) begin
                q_fr.push_back(0);
                q_cyc.push_back(cycle + CSUM_LAT);
            end
            if (q_cyc.size() > 0 && q_cyc[0] == cycle) begin
                int f;
                void'(q_cyc.pop_front());
                void'(q_fr.pop_front());
                f = n_csum;
                if (!csum_valid) begin
                    $display("FAIL frame %0d: csum_valid missing at cycle %0d", f, cycle);
                    errors++;
                end else if ({csum_ok, csum_sum, csum_rx} !== exp_csum[f]) begin
                    $display("FAIL frame %0d (len %0d, loc beat %0d, addr %0d l4 %0d len %0d v6 %0d): ok/sum/rx %0d %h %h, expected %0d %h %h",
                             f, fr_len[f], fr_lbeat[f], fr_loc[f].addr_off, fr_loc[f].l4_off,
                             fr_loc[f].l4_len, fr_loc[f].ipv6, csum_ok, csum_sum, csum_rx,
                             exp_csum[f][32], exp_csum[f][31:16], exp_csum[f][15:0]);
                    errors++;
                end
                n_ok  += csum_ok ? 1 : 0;
                n_odd += (fr_lbeat[f] >= 0 && fr_loc[f].l4_off[0]) ? 1 : 0;
                n_csum++;
            end else if (csum_valid) begin
                $display("FAIL: unexpected csum_valid at cycle %0d", cycle);
                errors++;
            end
            if (errors >= 10) $fatal(1, "too many errors");
        end
    end

    initial begin
        string dir, wf;
        if (!$value$plusargs("vec=%s", dir)) $fatal(1, "+vec=DIR missing");
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("gap=%d", gap_pct)) gap_pct = 30;
        if ($value$plusargs("wave=%s", wf)) begin
            $dumpfile(wf);
            $dumpvars();
        end
        void'($urandom(seed));
        load(dir);
        $display("tb_tcp_csum: DATA_W=%0d, %0d frames from %s, seed %0d, gap %0d%%",
                 DATA_W, n_fr, dir, seed, gap_pct);
        errors   = 0;
        n_csum   = 0;
        cycle    = 0;
        loc_pend = -1;
        idle();
        drive_loc();
        repeat (3) @(posedge clk);
        #1;
        rst = 1'b0;
        for (int f = 0; f < n_fr; f++) begin
            for (int b = 0; b < n_beats(f); b++) begin
                while ($urandom_range(0, 99) < gap_pct) begin
                    @(posedge clk); #1;
                    cycle++;
                    idle();
                    drive_loc();
                end
                @(posedge clk); #1;
                cycle++;
                drive_beat(f, b);
                drive_loc();
                if (b == fr_lbeat[f]) loc_pend = f;
            end
        end
        repeat (CSUM_LAT + 4) begin
            @(posedge clk); #1;
            cycle++;
            idle();
            drive_loc();
        end
        if (n_csum != n_fr) begin
            $display("FAIL: %0d results for %0d frames", n_csum, n_fr);
            errors++;
        end
        if (errors != 0) $fatal(1, "tb_tcp_csum: %0d errors", errors);
        $display("tb_tcp_csum: PASS  %0d frames, %0d cycles: %0d results checked (%0d verify, %0d odd L4 offsets)",
                 n_fr, cycle, n_csum, n_ok, n_odd);
        $finish;
    end
endmodule

`default_nettype wire
