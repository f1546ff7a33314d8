// Runtime output hook of vl_hooks.h. Compiled with the Verilator runtime.
#include "vl_hooks.h"

#include <cstdarg>
#include <cstdio>

namespace tlsnic {

std::string*& vl_capture() {
    thread_local std::string* sink = nullptr;
    return sink;
}

}  // namespace tlsnic

void tlsnic_vl_printf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    const int n = std::vsnprintf(nullptr, 0, fmt, ap);
    va_end(ap);
    std::string s(n > 0 ? size_t(n) : 0, '\0');
    if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, ap2);
    va_end(ap2);
    if (std::string* sink = tlsnic::vl_capture()) {
        sink->append(s);
    } else {
        std::fputs(s.c_str(), stdout);
    }
}
