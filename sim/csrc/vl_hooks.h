// Force-included (`-include`) into every C++ file of the simulation: the
// Verilated models, the Verilator runtime and the wrapper. It routes the
// runtime's console output (VL_PRINTF: $display, $error and the assertion
// messages of `--assert`) through tlsnic_vl_printf, so that the harness can
// catch the text of a failed assertion and hand it to Rust.
#pragma once

#include <string>

void tlsnic_vl_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
#define VL_PRINTF tlsnic_vl_printf

namespace tlsnic {

// Where this thread's runtime output goes: printed to stdout when null,
// else appended to the string (the harness sets it around each cycle; a
// model is only ever evaluated on the thread that calls it).
std::string*& vl_capture();

}  // namespace tlsnic
