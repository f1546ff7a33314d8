// Assertion macros of the tlsnic RTL (in the style of OpenTitan's
// prim_assert). This file holds only `define`s: it is listed first in
// rtl/files.f, and since Verilator and Yosys both read the whole list as one
// compilation unit, the macros are visible in every later file.
//
//   `TLSNIC_ASSERT(Name_A, prop, clk, rst)
//       concurrent assertion `prop`, sampled at posedge clk, off while rst
//       is high; on failure `$error("<hierarchy>: Name_A")`. `prop` may use
//       |-> and |=>, $stable, $past...
//
// Simulation (Verilator, built with --assert) evaluates them every cycle;
// the simulation harness turns a failure into an error of the Rust API
// (docs/sim.md). Under SYNTHESIS (Yosys defines it) every macro expands to
// nothing, so no assertion reaches a netlist.
//
// There is no `TLSNIC_ASSERT_KNOWN` (X check): Verilator is a two-state
// simulator, `$isunknown` is always false there, so it could never fire.
`default_nettype none

`ifndef SYNTHESIS

`define TLSNIC_ASSERT(__name, __prop, __clk, __rst) \
    __name: assert property (@(posedge __clk) disable iff (__rst) (__prop)) \
        else $error("%m: %s", `"__name`");

`else

`define TLSNIC_ASSERT(__name, __prop, __clk, __rst)

`endif

`default_nettype wire
