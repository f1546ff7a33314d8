// tb_gf128_mul: self-checking testbench of gf128_mul, the two-stage
// pipeline (DIGIT = 128) or digit-serial, against the products of
// tb/crypto/gen_crypto_vectors.py (SP 800-38D Algorithm 1, checked there
// against the GHASH of GCM test case 2), issued whenever in_ready allows,
// with random idle clocks.
//
//   +vec=FILE  +seed=N  +gap=PCT
// Checks: every product and tag in order; out_valid exactly LATENCY (2, or
// 128 / DIGIT + 1) clocks after its input; never in_valid without in_ready;
// one product per 128 / DIGIT clocks when the input never idles.
`timescale 1ns/1ps
`default_nettype none

module tb_gf128_mul #(
    parameter int DIGIT = 128,
    parameter int MAX_V = 1 << 16
);
    localparam int N       = 128 / DIGIT;
    localparam int LATENCY = (DIGIT == 128) ? 2 : N + 1;
    localparam int TAG_W   = 32;

    logic clk = 1'b0;
    logic rst = 1'b1;
    always #5 clk = ~clk;

    logic             in_valid, in_ready, out_valid;
    logic [127:0]     in_a, in_b, out_p;
    logic [TAG_W-1:0] in_tag, out_tag;

    gf128_mul #(.TAG_W(TAG_W), .DIGIT(DIGIT)) dut (
        .clk(clk), .rst(rst),
        .in_valid(in_valid), .in_ready(in_ready), .in_a(in_a), .in_b(in_b), .in_tag(in_tag),
        .out_valid(out_valid), .out_p(out_p), .out_tag(out_tag)
    );

    int           n_v;
    logic [127:0] v_a [MAX_V];
    logic [127:0] v_b [MAX_V];
    logic [127:0] v_p [MAX_V];

    task automatic load(input string file);
        int fd, r;
        logic [127:0] a, b, p;
        fd = $fopen(file, "r");
        if (fd == 0) $fatal(1, "cannot open %s", file);
        r = $fscanf(fd, "%d\n", n_v);
        if (r != 1 || n_v > MAX_V) $fatal(1, "bad vector header");
        for (int i = 0; i < n_v; i++) begin
            r = $fscanf(fd, "%h %h %h\n", a, b, p);
            if (r != 3) $fatal(1, "bad vector line %0d", i);
            v_a[i] = a;
            v_b[i] = b;
            v_p[i] = p;
        end
        $fclose(fd);
    endtask

    int unsigned seed, gap;
    int          issued, checked, errors;
    longint      cyc;
    longint      t_in [MAX_V];
    longint      t_first, t_last;

    initial begin
        string file;
        if (!$value$plusargs("vec=%s", file)) $fatal(1, "+vec=FILE missing");
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("gap=%d", gap)) gap = 20;
        void'($urandom(seed));
        load(file);
        in_valid = 1'b0; in_a = '0; in_b = '0; in_tag = '0;
        issued = 0; checked = 0; errors = 0; cyc = 0;
        repeat (3) @(posedge clk);
        rst = 1'b0;
    end

    // Input at the falling edge, from in_ready; the second half back to back.
    always @(negedge clk) begin
        if (!rst) begin
            if (issued < n_v && in_ready && (issued >= n_v / 2 || $urandom_range(99) >= gap)) begin
                in_valid <= 1'b1;
                in_a     <= v_a[issued];
                in_b     <= v_b[issued];
                in_tag   <= TAG_W'(issued);
            end else begin
                in_valid <= 1'b0;
                in_a     <= {$urandom, $urandom, $urandom, $urandom};
                in_b     <= {$urandom, $urandom, $urandom, $urandom};
                in_tag   <= '1;
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
                    if (out_tag != TAG_W'(checked) || out_p != v_p[checked]) begin
                        if (errors < 10)
                            $display("FAIL: product %0d: %h * %h = %h (tag %0d), expected %h", checked,
                                     v_a[checked], v_b[checked], out_p, out_tag, v_p[checked]);
                        errors = errors + 1;
                    end
                    if (cyc - t_in[checked] != longint'(LATENCY)) begin
                        if (errors < 10)
                            $display("FAIL: product %0d latency %0d, expected %0d", checked,
                                     cyc - t_in[checked], LATENCY);
                        errors = errors + 1;
                    end
                    if (checked == n_v / 2 + 1) t_first = cyc;
                    t_last = cyc;
                    checked = checked + 1;
                end
            end
            if (checked == n_v) begin
                if ((t_last - t_first) != longint'(N) * longint'(n_v - n_v / 2 - 2)) begin
                    $display("FAIL: full-rate half took %0d clocks for %0d products (expected %0d each)",
                             t_last - t_first, n_v - n_v / 2 - 2, N);
                    errors = errors + 1;
                end
                if (errors == 0) begin
                    $display("tb_gf128_mul DIGIT=%0d: PASS (%0d products, latency %0d, %0d clocks per product)",
                             DIGIT, checked, LATENCY, N);
                    $finish;
                end else begin
                    $fatal(1, "tb_gf128_mul DIGIT=%0d: %0d errors", DIGIT, errors);
                end
            end
            if (cyc > longint'(n_v) * 200 + 1000) $fatal(1, "timeout: %0d of %0d products checked", checked, n_v);
        end
    end

endmodule

`default_nettype wire
