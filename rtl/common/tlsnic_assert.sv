// Assertion macros of the tlsnic RTL (in the style of OpenTitan's
// prim_assert). This file holds only `define`s: it is listed first in
// rtl/files.f, and since Verilator and Yosys both read the whole list as one
// compilation unit, the macros are visible in every later file.
//
//   `TLSNIC_ASSERT(Name, expr, clk, rst)
//       `expr` holds at every posedge clk while rst is low;
//   `TLSNIC_ASSERT_IMP(Name, ante, cons, clk, rst)
//       ante |-> cons: when `ante` holds, `cons` holds in the same cycle;
//   `TLSNIC_ASSERT_NEXT(Name, ante, cons, clk, rst)
//       ante |=> cons: when `ante` holds, `cons` holds in the next cycle
//       (`cons` may use $stable and $past).
//   `TLSNIC_COVER(Name, expr, clk, rst)
//       a functional coverage point: counted at every posedge clk where
//       `expr` holds while rst is low (`expr` may use $past).
//
// Simulation (Verilator, built with --assert) evaluates them every cycle as
// concurrent assertions (`disable iff (rst)`); a failure calls
// `$error("<hierarchy>: Name")`, which the simulation harness turns into an
// error of the Rust API (docs/sim.md).
// Formal (FORMAL, `make formal`: Yosys's open-source frontend reads
// immediate assertions only): the same properties as clocked immediate
// assertions, off while rst is high (for `_NEXT`: also in the cycle after
// it), the antecedent of `_NEXT` taken with $past. The proof harnesses
// assume reset in the first cycle.
// Synthesis (SYNTHESIS without FORMAL): every macro expands to nothing, so
// no assertion reaches a netlist.
// Coverage points are counted in simulation only (Verilator built with
// --coverage-user; the simulation harness reads the counts, the regression
// reports them per point: docs/coverage.md); formal and synthesis drop them.
//
// There is no `TLSNIC_ASSERT_KNOWN` (X check): Verilator is a two-state
// simulator, `$isunknown` is always false there, so it could never fire.
`default_nettype none

`ifdef FORMAL

`define TLSNIC_ASSERT(__name, __expr, __clk, __rst) \
    always @(posedge __clk) if (!(__rst)) __name: assert (__expr);

`define TLSNIC_ASSERT_IMP(__name, __ante, __cons, __clk, __rst) \
    always @(posedge __clk) if (!(__rst)) __name: assert (!(__ante) || (__cons));

`define TLSNIC_ASSERT_NEXT(__name, __ante, __cons, __clk, __rst) \
    always @(posedge __clk) if (!(__rst) && !$past(__rst)) __name: assert (!$past(__ante) || (__cons));

`define TLSNIC_COVER(__name, __expr, __clk, __rst)

`elsif SYNTHESIS

`define TLSNIC_ASSERT(__name, __expr, __clk, __rst)
`define TLSNIC_ASSERT_IMP(__name, __ante, __cons, __clk, __rst)
`define TLSNIC_ASSERT_NEXT(__name, __ante, __cons, __clk, __rst)
`define TLSNIC_COVER(__name, __expr, __clk, __rst)

`else

`define TLSNIC_ASSERT(__name, __expr, __clk, __rst) \
    __name: assert property (@(posedge __clk) disable iff (__rst) (__expr)) \
        else $error("%m: %s", `"__name`");

`define TLSNIC_ASSERT_IMP(__name, __ante, __cons, __clk, __rst) \
    __name: assert property (@(posedge __clk) disable iff (__rst) (__ante) |-> (__cons)) \
        else $error("%m: %s", `"__name`");

`define TLSNIC_ASSERT_NEXT(__name, __ante, __cons, __clk, __rst) \
    __name: assert property (@(posedge __clk) disable iff (__rst) (__ante) |=> (__cons)) \
        else $error("%m: %s", `"__name`");

`define TLSNIC_COVER(__name, __expr, __clk, __rst) \
    __name: cover property (@(posedge __clk) disable iff (__rst) (__expr));

`endif

`default_nettype wire
