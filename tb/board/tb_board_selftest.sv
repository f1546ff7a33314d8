// Self-contained testbench of the board self-test core (the FuseSoC `sim`
// target: Verilator --binary --timing). Runs board_selftest with the real
// device until PASS or FAIL and exits non-zero unless the outcome is the
// expected one: PASS, or FAIL when CORRUPT_KEY = 1 (+corrupt_key at run
// time does the same). STUB = 1: the stand-in device of the FPGA bring-up. The Rust test testbench/tests/board_selftest.rs
// runs the same core through board_sim_top in `make test`.
`default_nettype none
`timescale 1ns / 1ps

module tb_board_selftest #(
    parameter int N_CONN      = 4,
    parameter int N_REC       = 4,
    parameter int CORRUPT_KEY = 0,
    parameter int STUB        = 0,
    parameter int MAX_CYCLES  = 2000000
);

    logic clk = 1'b0;
    logic rst = 1'b1;
    logic corrupt;
    always #5 clk = !clk;

    logic        pass, fail, running, heartbeat, activity;
    logic [7:0]  fail_code, seq_code, fail_beat;
    logic [31:0] frames_ok, fail_frame;
    logic [15:0] cmds_done;

    board_selftest #(.N_CONN(N_CONN), .N_REC(N_REC), .DEV_N_CTX(4), .STUB(STUB), .WDOG_W(16), .HB_W(8),
                     .ACT_W(4)) dut (
        .clk(clk), .rst(rst), .corrupt_key(corrupt),
        .pass(pass), .fail(fail), .running(running), .heartbeat(heartbeat), .activity(activity),
        .fail_code(fail_code), .seq_code(seq_code), .frames_ok(frames_ok), .fail_frame(fail_frame),
        .fail_beat(fail_beat), .cmds_done(cmds_done)
    );

    initial begin
        int cycles;
        logic want_fail;
        want_fail = CORRUPT_KEY != 0 || $test$plusargs("corrupt_key");
        corrupt   = want_fail;
        repeat (8) @(posedge clk);
        rst <= 1'b0;
        cycles = 0;
        while (!pass && !fail && cycles < MAX_CYCLES) begin
            @(posedge clk);
            cycles++;
        end
        $display("tb_board_selftest: %s after %0d cycles: %0d frames ok, %0d commands, fail code 0x%02x (seq 0x%02x) at frame %0d beat %0d",
                 pass ? "PASS" : (fail ? "FAIL" : "TIMEOUT"), cycles, frames_ok, cmds_done, fail_code, seq_code,
                 fail_frame, fail_beat);
        if (!pass && !fail) $fatal(1, "no PASS or FAIL within %0d cycles", MAX_CYCLES);
        if (fail != want_fail) $fatal(1, "expected %s", want_fail ? "FAIL (corrupt key)" : "PASS");
        if (!want_fail && frames_ok != 32'(N_CONN * N_REC)) $fatal(1, "PASS with %0d frames, expected %0d", frames_ok, N_CONN * N_REC);
        $display("tb_board_selftest: OK (%s as expected)", want_fail ? "FAIL" : "PASS");
        $finish;
    end

endmodule

`default_nettype wire
