// LambdaConcept ECPIX-5 (LFE5UM5G-85F, CABGA554) top: the board self-test.
// Pins and LEDs: syn/ecpix5/ecpix5.lpf; what the LEDs mean, how to build and
// program: docs/synthesis.md.
//
// 100 MHz oscillator -> EHXPLLL (board_ecp5_pll) -> core clock; core reset
// while the PLL is unlocked or the reset button is held (board_reset_sync:
// asynchronous assert, synchronous release). The core (board_selftest)
// installs the contexts, sends the records through TX, loops the wire back
// into RX and checks every decrypted frame.
//
// The device is tls_offload_top in the board configuration (DEV_*: 4
// contexts per direction, AES folded onto 2 round units, GHASH digit 32,
// keystream queue 8, LEAN; docs/synthesis.md says why); STUB = 1 puts the
// stand-in (tls_offload_stub, no cryptography) in its place for bring-up.
//
// LOOP = 1: after a PASS the core is reset and the test runs again, for
// ever; the PASS LED stays on while every run passed, the activity LED
// flickers with the traffic. A FAIL latches until the button is pressed.
//
// LEDs (active low, RGB; pin names in the LPF):
//   led0: green = PASS, red = FAIL, off while the first run is going
//   led1: blue  = heartbeat (the core clock runs: ~1.5 Hz at 100 MHz)
//   led2: blue  = activity (a frame was checked), red = PLL not locked
//   led3: red   = this build flips an RX key bit (CORRUPT_KEY = 1),
//         green = this build has the stand-in device (STUB = 1)
`default_nettype none

module ecpix5_top #(
    parameter int N_CONN       = 4,
    parameter int N_REC        = 64,
    parameter int CORRUPT_KEY  = 0,
    parameter int LOOP         = 1,
    parameter int STUB         = 1,        // the stand-in until the board configuration meets timing (docs/synthesis.md)
    parameter int DEV_N_CTX    = 4,
    parameter int DEV_AES_STAGES  = 2,      // the device's crypto configuration (board_selftest,
    parameter int DEV_GHASH_DIGIT = 32,     // docs/synthesis.md)
    parameter int DEV_KS_DEPTH    = 8,
    parameter int DEV_LEAN        = 1,
    parameter int CLKI_DIV     = 1,
    parameter int CLKFB_DIV    = 1,
    parameter int CLKOP_DIV    = 6,
    parameter int CLKOP_CPHASE = 2
) (
    input  logic clk100,
    input  logic btn_rst_n,
    output logic led0_r_n, output logic led0_g_n, output logic led0_b_n,
    output logic led1_r_n, output logic led1_g_n, output logic led1_b_n,
    output logic led2_r_n, output logic led2_g_n, output logic led2_b_n,
    output logic led3_r_n, output logic led3_g_n, output logic led3_b_n
);

    logic clk, locked, rst;

    board_ecp5_pll #(.CLKI_DIV(CLKI_DIV), .CLKFB_DIV(CLKFB_DIV), .CLKOP_DIV(CLKOP_DIV),
                     .CLKOP_CPHASE(CLKOP_CPHASE)) u_pll (
        .clk_in(clk100), .clk_out(clk), .locked(locked)
    );

    board_reset_sync u_rst (.clk(clk), .rst_in(!locked || !btn_rst_n), .rst_out(rst));

    logic        pass, fail, running, heartbeat, activity;
    /* verilator lint_off UNUSEDSIGNAL */ // status for a debugger (or a later UART); LEDs only here
    logic [7:0]  fail_code, seq_code, fail_beat;
    logic [31:0] frames_ok, fail_frame;
    logic [15:0] cmds_done;
    /* verilator lint_on UNUSEDSIGNAL */
    logic        rerun, passed, failed;

    board_selftest #(.N_CONN(N_CONN), .N_REC(N_REC), .DEV_N_CTX(DEV_N_CTX), .DEV_AES_STAGES(DEV_AES_STAGES),
                     .DEV_GHASH_DIGIT(DEV_GHASH_DIGIT), .DEV_KS_DEPTH(DEV_KS_DEPTH), .DEV_LEAN(DEV_LEAN),
                     .STUB(STUB)) u_core (
        .clk(clk), .rst(rst || rerun), .corrupt_key(CORRUPT_KEY != 0),
        .pass(pass), .fail(fail), .running(running), .heartbeat(heartbeat), .activity(activity),
        .fail_code(fail_code), .seq_code(seq_code), .frames_ok(frames_ok), .fail_frame(fail_frame),
        .fail_beat(fail_beat), .cmds_done(cmds_done)
    );

    always_ff @(posedge clk) begin
        rerun <= LOOP != 0 && pass && !rerun;
        if (pass) passed <= 1'b1;
        if (fail) failed <= 1'b1;
        if (rst) begin
            rerun  <= 1'b0;
            passed <= 1'b0;
            failed <= 1'b0;
        end
    end

    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_running;
    /* verilator lint_on UNUSEDSIGNAL */
    assign unused_running = running;

    assign led0_g_n = !(passed && !failed);
    assign led0_r_n = !failed;
    assign led0_b_n = 1'b1;
    assign led1_r_n = 1'b1;
    assign led1_g_n = 1'b1;
    assign led1_b_n = !heartbeat;
    assign led2_r_n = locked;
    assign led2_g_n = 1'b1;
    assign led2_b_n = !activity;
    assign led3_r_n = CORRUPT_KEY == 0;
    assign led3_g_n = STUB == 0;
    assign led3_b_n = 1'b1;

endmodule

`default_nettype wire
