// Board: the ECP5 PLL (EHXPLLL) that makes the core clock from the board
// oscillator. The divider parameters come from `yowasp-ecppll -i IN -o OUT`
// (syn/ecpix5/fpga.sh runs it and passes them in): f_out = f_in *
// CLKFB_DIV / CLKI_DIV, VCO = f_out * CLKOP_DIV.
//
// Only synthesis (Yosys defines SYNTHESIS) instantiates the primitive;
// simulation and lint see a pass-through clock that is locked at once.
`default_nettype none

/* verilator lint_off UNUSEDPARAM */ // the dividers matter to the primitive only
module board_ecp5_pll #(
    parameter int CLKI_DIV     = 1,
    parameter int CLKFB_DIV    = 1,
    parameter int CLKOP_DIV    = 6,
    parameter int CLKOP_CPHASE = 2
) (
/* verilator lint_on UNUSEDPARAM */
    input  logic clk_in,
    output logic clk_out,
    output logic locked
);

`ifdef SYNTHESIS
    EHXPLLL #(
        .PLLRST_ENA("DISABLED"),
        .INTFB_WAKE("DISABLED"),
        .STDBY_ENABLE("DISABLED"),
        .DPHASE_SOURCE("DISABLED"),
        .OUTDIVIDER_MUXA("DIVA"),
        .OUTDIVIDER_MUXB("DIVB"),
        .OUTDIVIDER_MUXC("DIVC"),
        .OUTDIVIDER_MUXD("DIVD"),
        .CLKI_DIV(CLKI_DIV),
        .CLKOP_ENABLE("ENABLED"),
        .CLKOP_DIV(CLKOP_DIV),
        .CLKOP_CPHASE(CLKOP_CPHASE),
        .CLKOP_FPHASE(0),
        .FEEDBK_PATH("CLKOP"),
        .CLKFB_DIV(CLKFB_DIV)
    ) u_pll (
        .RST(1'b0),
        .STDBY(1'b0),
        .CLKI(clk_in),
        .CLKOP(clk_out),
        .CLKFB(clk_out),
        .CLKINTFB(),
        .PHASESEL0(1'b0),
        .PHASESEL1(1'b0),
        .PHASEDIR(1'b1),
        .PHASESTEP(1'b1),
        .PHASELOADREG(1'b1),
        .PLLWAKESYNC(1'b0),
        .ENCLKOP(1'b0),
        .LOCK(locked)
    );
`else
    assign clk_out = clk_in;
    assign locked  = 1'b1;
`endif

endmodule

`default_nettype wire
