// tb_aes_enc_pipe: self-checking testbench of aes_enc_pipe, unfolded
// (STAGES = 14) or folded (a ring of STAGES round units), against the
// vectors of tb/crypto/gen_crypto_vectors.py (its own FIPS-197 AES, checked
// against the standard's examples): every block with its own key and key
// size, issued whenever in_ready allows, with random idle clocks.
//
//   +vec=FILE  +seed=N  +gap=PCT
// SBOX_RAM = 1 runs the form with S-boxes in block RAM.
// Checks: every output block and tag in order; out_valid exactly LATENCY =
// ceil(14 / STAGES) * STAGES clocks (twice that with SBOX_RAM) after its input; never in_valid
// without in_ready; full rate (one block per PASSES clocks on average) when
// the input never idles.
`timescale 1ns/1ps
`default_nettype none

module tb_aes_enc_pipe #(
    parameter int STAGES = 14,
    parameter int LANES  = 1,
    parameter int SBOX_RAM = 0,
    parameter int MAX_V  = 1 << 16
);
    localparam int PASSES  = (14 + STAGES - 1) / STAGES;
    localparam int LATENCY = PASSES * STAGES * (SBOX_RAM != 0 ? 2 : 1);
    localparam int TAG_W   = 32;

    logic clk = 1'b0;
    logic rst = 1'b1;
    always #5 clk = ~clk;

    logic                   in_valid, in_ready, in_key256, out_valid;
    logic [255:0]           in_key;
    logic [LANES*128-1:0]   in_block, out_block;
    logic [TAG_W-1:0]       in_tag, out_tag;

    aes_enc_pipe #(.TAG_W(TAG_W), .LANES(LANES), .STAGES(STAGES), .SBOX_RAM(SBOX_RAM)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_key(in_key), .in_key256(in_key256),
        .in_block(in_block), .in_tag(in_tag),
        .out_valid(out_valid), .out_block(out_block), .out_tag(out_tag)
    );

    int                   n_v;
    logic                 v_k256 [MAX_V];
    logic [255:0]         v_key  [MAX_V];
    logic [LANES*128-1:0] v_pt   [MAX_V];
    logic [LANES*128-1:0] v_ct   [MAX_V];

    task automatic load(input string file);
        int fd, r;
        logic [31:0]  k256;
        logic [127:0] b;
        logic [255:0] k;
        fd = $fopen(file, "r");
        if (fd == 0) $fatal(1, "cannot open %s", file);
        r = $fscanf(fd, "%d\n", n_v);
        if (r != 1 || n_v > MAX_V) $fatal(1, "bad vector header");
        for (int i = 0; i < n_v; i++) begin
            r = $fscanf(fd, "%d %h", k256, k);
            if (r != 2) $fatal(1, "bad vector line %0d", i);
            v_key[i] = k;
            v_k256[i] = k256[0];
            for (int j = 0; j < LANES; j++) begin
                r = $fscanf(fd, " %h", b);
                v_pt[i][128*j +: 128] = b;
            end
            for (int j = 0; j < LANES; j++) begin
                r = $fscanf(fd, " %h", b);
                if (r != 1) $fatal(1, "bad vector line %0d", i);
                v_ct[i][128*j +: 128] = b;
            end
        end
        $fclose(fd);
    endtask

    int unsigned seed, gap;
    int          issued, checked, errors;
    longint      cyc;
    longint      t_in [MAX_V];
    longint      t_first, t_last;
    bit          full_rate;

    initial begin
        string file;
        if (!$value$plusargs("vec=%s", file)) $fatal(1, "+vec=FILE missing");
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("gap=%d", gap)) gap = 20;
        void'($urandom(seed));
        load(file);
        in_valid = 1'b0; in_key = '0; in_key256 = 1'b0; in_block = '0; in_tag = '0;
        issued = 0; checked = 0; errors = 0; cyc = 0;
        repeat (3) @(posedge clk);
        rst = 1'b0;
    end

    // Input, driven at the falling edge from in_ready (a function of the
    // registers): the next vector whenever in_ready allows, with random
    // idle clocks; the second half of the vectors back to back (full rate).
    always @(negedge clk) begin
        if (!rst) begin
            full_rate = issued >= n_v / 2;
            if (issued < n_v && in_ready && (full_rate || $urandom_range(99) >= gap)) begin
                in_valid  <= 1'b1;
                in_key    <= v_key[issued];
                in_key256 <= v_k256[issued];
                in_block  <= v_pt[issued];
                in_tag    <= TAG_W'(issued);
            end else begin
                // idle: a caller's key register (here: random) stays on the port
                in_valid  <= 1'b0;
                in_key    <= {$urandom, $urandom, $urandom, $urandom, $urandom, $urandom, $urandom, $urandom};
                in_key256 <= 1'($urandom);
                in_block  <= '0;
                in_tag    <= '1;
            end
        end
    end

    always @(posedge clk) begin
        cyc <= cyc + 1;
        if (!rst) begin
            if (in_valid && in_ready) begin
                t_in[issued] = cyc;
                issued = issued + 1;
            end
            if (in_valid && !in_ready) begin
                $display("FAIL: in_valid without in_ready at cycle %0d", cyc);
                errors = errors + 1;
            end
            if (out_valid) begin
                if (checked >= issued) begin
                    $display("FAIL: output without input at cycle %0d", cyc);
                    errors = errors + 1;
                end else begin
                    if (out_tag != TAG_W'(checked) || out_block != v_ct[checked]) begin
                        if (errors < 10)
                            $display("FAIL: block %0d (key256 %0d): got %h tag %0d, expected %h",
                                     checked, v_k256[checked], out_block, out_tag, v_ct[checked]);
                        errors = errors + 1;
                    end
                    if (cyc - t_in[checked] != longint'(LATENCY)) begin
                        if (errors < 10)
                            $display("FAIL: block %0d latency %0d, expected %0d", checked,
                                     cyc - t_in[checked], LATENCY);
                        errors = errors + 1;
                    end
                    if (checked == n_v / 2 + 1) t_first = cyc;
                    t_last = cyc;
                    checked = checked + 1;
                end
            end
            if (checked == n_v) begin
                // back-to-back half: one block per PASSES clocks
                // (a ring takes STAGES blocks, then stalls while they go round:
                // the rate is 1 / PASSES over any window longer than LATENCY)
                if ((t_last - t_first) > longint'(PASSES) * longint'(n_v - n_v / 2 - 2) + LATENCY) begin
                    $display("FAIL: full-rate half took %0d clocks for %0d blocks (PASSES %0d)",
                             t_last - t_first, n_v - n_v / 2 - 2, PASSES);
                    errors = errors + 1;
                end
                if (errors == 0) begin
                    $display("tb_aes_enc_pipe STAGES=%0d LANES=%0d SBOX_RAM=%0d: PASS (%0d blocks, latency %0d, %0d clocks per block)",
                             STAGES, LANES, SBOX_RAM, checked, LATENCY, PASSES);
                    $finish;
                end else begin
                    $fatal(1, "tb_aes_enc_pipe STAGES=%0d LANES=%0d: %0d errors", STAGES, LANES, errors);
                end
            end
            if (cyc > longint'(n_v) * 200 + 1000) $fatal(1, "timeout: %0d of %0d blocks checked", checked, n_v);
        end
    end

endmodule

`default_nettype wire
