// C++ side of the tlsnic simulation: one Verilated top behind a small,
// batched interface (stream queues, tick(n), AXI4-Lite transactions, FST),
// with the RTL's assertions checked after every cycle.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "rust/cxx.h"

namespace tlsnic {

struct BeatC;
struct SecretRegC;

// Pin-level view of one AXI4-Stream input port of a top.
struct InPort {
    std::function<void(const BeatC&, bool valid)> drive;
    std::function<bool()> ready;
    size_t bytes;  // tdata width in bytes
};

// Pin-level view of one AXI4-Stream output port of a top.
struct OutPort {
    std::function<void(bool ready)> set_ready;
    std::function<bool()> valid;
    std::function<void(BeatC&)> read;
    size_t bytes;  // tdata width in bytes
};

// Pin-level view of the AXI4-Lite slave of a top.
struct AxilPort {
    std::function<void(bool awvalid, uint16_t awaddr, bool wvalid, uint32_t wdata, bool bready,
                       bool arvalid, uint16_t araddr, bool rready)> drive;
    std::function<bool()> awready, wready, bvalid, arready, rvalid;
    std::function<uint32_t()> rdata;
};

// A Verilated top with clock/reset/eval/trace, type-erased.
struct TopBase {
    virtual ~TopBase() = default;
    virtual void set_clk(bool v) = 0;
    virtual void set_rst(bool v) = 0;
    // Make this model's context the calling thread's current Verilator
    // context (the runtime reports $error/$stop to that one).
    virtual void make_current() = 0;
    // Simulation time ($time, the `[T]` of assertion messages).
    virtual void set_time(uint64_t t) = 0;
    virtual void eval() = 0;
    // An assertion failed ($error/$stop) since the last clear_error().
    virtual bool got_error() const = 0;
    virtual void clear_error() = 0;
    virtual void trace_open(const char* path) = 0;
    virtual void trace_dump(uint64_t t) = 0;
    virtual void trace_close() = 0;
    // Write the functional coverage counts (VerilatedCov format).
    virtual void coverage_write(const char* path) = 0;
    std::vector<InPort> in;
    std::vector<OutPort> out;
    bool has_axil = false;
    AxilPort axil;
    // Back door to the registers that hold key material (empty for tops
    // without contexts).
    std::function<void(rust::Vec<SecretRegC>&)> secrets;
};

class SimModel {
public:
    explicit SimModel(std::unique_ptr<TopBase> top);
    ~SimModel();

    // reset, tick, csr_write and csr_read throw std::runtime_error (its
    // text the assertion messages) when an RTL assertion fails, and refuse
    // to run (the same error) until take_failure() acknowledges it.
    void reset(uint32_t cycles);
    void tick(uint64_t n);
    uint64_t cycle() const { return cycle_; }
    size_t beat_bytes() const { return beat_bytes_; }
    bool failed() const { return !failure_.empty(); }
    rust::String take_failure();
    // Fault injection: the next time input `port` offers a beat that is not
    // accepted, the harness breaks the AXI4-Stream rule in the next cycle:
    // kind 0 withdraws tvalid, kind 1 offers changed tdata and tuser.
    void inject_stream_violation(size_t port, uint8_t kind);
    uint64_t quiet_cycles() const { return cycle_ - last_activity_; }
    size_t num_in_ports() const { return top_->in.size(); }
    size_t num_out_ports() const { return top_->out.size(); }
    void push_beats(size_t port, rust::Slice<const BeatC> beats);
    size_t pending_in(size_t port) const;
    size_t out_count(size_t port) const;
    rust::Vec<BeatC> take_beats(size_t port);
    void set_backpressure(uint64_t seed, double p_in_idle, double p_out_stall);
    void hold_output(size_t port, bool hold);
    void csr_write(uint16_t addr, uint32_t data, uint64_t timeout);
    uint32_t csr_read(uint16_t addr, uint64_t timeout);
    void trace_open(rust::Str path);
    void trace_close();
    // Dump only the cycles in [from, to) of the open trace.
    void trace_window(uint64_t from, uint64_t to) {
        trace_from_ = from;
        trace_to_ = to;
    }
    rust::Vec<SecretRegC> secret_regs() const;
    // Write the model's coverage points and counts to `path` (Verilator's
    // coverage file format, one line per point of each instance).
    void coverage_write(rust::Str path) { top_->coverage_write(std::string(path).c_str()); }

private:
    void step();
    void check_failed() const;

    std::unique_ptr<TopBase> top_;
    size_t beat_bytes_ = 0;
    uint64_t cycle_ = 0;
    // Runtime output of the current cycle; assertion messages of the first
    // failed cycle ("" while none).
    std::string vl_out_;
    std::string failure_;
    // Fault injection per input port: armed kind, kind applied this cycle
    // (kNone when idle).
    static constexpr uint8_t kNone = 0xff;
    std::vector<uint8_t> inject_armed_;
    std::vector<uint8_t> inject_now_;
    uint64_t last_activity_ = 0;
    bool tracing_ = false;
    uint64_t trace_from_ = 0;
    uint64_t trace_to_ = UINT64_MAX;
    bool dumping() const { return tracing_ && cycle_ >= trace_from_ && cycle_ < trace_to_; }
    std::vector<std::deque<BeatC>> in_q_;
    std::vector<bool> presenting_;
    std::vector<bool> in_fire_;
    std::vector<std::vector<BeatC>> out_q_;
    std::vector<bool> out_ready_;
    std::vector<bool> out_hold_;
    std::mt19937_64 rng_{1};
    double p_in_idle_ = 0.0;
    double p_out_stall_ = 0.0;

    // AXI4-Lite transaction in progress
    enum class Csr { Idle, WrAddr, WrResp, RdAddr, RdData, Done };
    Csr csr_ = Csr::Idle;
    uint16_t csr_addr_ = 0;
    uint32_t csr_data_ = 0;
};

std::unique_ptr<SimModel> new_model(rust::Str top);

}  // namespace tlsnic
