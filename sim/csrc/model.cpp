// C++ side of the tlsnic simulation (see model.h).
#include "tlsnic-sim/csrc/model.h"
#include "tlsnic-sim/src/ffi.rs.h"

#include <cstdio>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "verilated.h"
#include "verilated_cov.h"
#include "verilated_fst_c.h"

// sim/build.rs defines TLSNIC_MODEL_<name> for each model it built (all of
// them unless TLSNIC_SIM_MODELS restricts the list).
#ifdef TLSNIC_MODEL_board_sim_top
#include "Vboard_sim_top.h"
#endif
#ifdef TLSNIC_MODEL_gcm_stream_top
#include "Vgcm_stream_top.h"
#endif
#ifdef TLSNIC_MODEL_tls_offload_top
#include "Vtls_offload_top.h"
#include "Vtls_offload_top___024root.h"
#endif
#ifdef TLSNIC_MODEL_tls_offload_top_w512
#include "Vtls_offload_top_w512.h"
#include "Vtls_offload_top_w512___024root.h"
#endif
#ifdef TLSNIC_MODEL_tls_offload_top_board
#include "Vtls_offload_top_board.h"
#include "Vtls_offload_top_board___024root.h"
#endif

namespace tlsnic {

namespace {

// Stream ports of any width: tdata is a VlWide<N> (N 32-bit words, word 0 =
// bits 31:0; N = 4 at 128 bits, 16 at 512), lane i = bits [8i+7:8i]. A beat
// carries up to 64 lanes; lanes beyond the port are not driven (zero when
// read).
template <std::size_t N>
constexpr size_t port_bytes(const VlWide<N>&) {
    return 4 * N;
}
template <std::size_t N>
void put_data(VlWide<N>& w, const std::array<uint8_t, 64>& d) {
    static_assert(4 * N <= 64, "stream port wider than BeatC.data");
    for (std::size_t i = 0; i < N; i++) {
        w[i] = uint32_t(d[4 * i]) | uint32_t(d[4 * i + 1]) << 8 | uint32_t(d[4 * i + 2]) << 16 |
               uint32_t(d[4 * i + 3]) << 24;
    }
}
template <std::size_t N>
void get_data(const VlWide<N>& w, std::array<uint8_t, 64>& d) {
    static_assert(4 * N <= 64, "stream port wider than BeatC.data");
    for (std::size_t i = 0; i < N; i++) {
        for (int b = 0; b < 4; b++) {
            d[4 * i + b] = uint8_t(w[i] >> (8 * b));
        }
    }
}
// tkeep: SData (16 bits) at 128-bit tdata, QData (64 bits) at 512; BeatC.keep
// holds lane i in bit i (push_beats rejects lanes beyond the port).
template <class K>
void put_keep(K& k, uint64_t v) {
    static_assert(std::is_unsigned<K>::value && sizeof(K) <= sizeof(uint64_t), "tkeep port type");
    k = static_cast<K>(v);
}

#define TLSNIC_IN_PORT(t, p)                                                   \
    InPort {                                                                   \
        [t](const BeatC& b, bool v) {                                          \
            put_data(t->p##_tdata, b.data);                                    \
            put_keep(t->p##_tkeep, b.keep);                                    \
            t->p##_tlast = b.last;                                             \
            t->p##_tuser = b.user;                                             \
            t->p##_tvalid = v;                                                 \
        },                                                                     \
            [t]() { return bool(t->p##_tready); }, port_bytes(t->p##_tdata)    \
    }

#define TLSNIC_OUT_PORT(t, p)                                                  \
    OutPort {                                                                  \
        [t](bool r) { t->p##_tready = r; }, [t]() { return bool(t->p##_tvalid); }, \
            [t](BeatC& b) {                                                    \
                get_data(t->p##_tdata, b.data);                                \
                b.keep = uint64_t(t->p##_tkeep);                               \
                b.last = t->p##_tlast;                                         \
                b.user = t->p##_tuser;                                         \
            },                                                                 \
            port_bytes(t->p##_tdata)                                           \
    }

#define TLSNIC_AXIL(t)                                                                       \
    AxilPort {                                                                               \
        [t](bool awv, uint16_t awa, bool wv, uint32_t wd, bool br, bool arv, uint16_t ara,   \
            bool rr) {                                                                       \
            t->s_axil_awvalid = awv;                                                         \
            t->s_axil_awaddr = awa;                                                          \
            t->s_axil_wvalid = wv;                                                           \
            t->s_axil_wdata = wd;                                                            \
            t->s_axil_wstrb = 0xf;                                                           \
            t->s_axil_bready = br;                                                           \
            t->s_axil_arvalid = arv;                                                         \
            t->s_axil_araddr = ara;                                                          \
            t->s_axil_rready = rr;                                                           \
        },                                                                                   \
            [t]() { return bool(t->s_axil_awready); }, [t]() { return bool(t->s_axil_wready); }, \
            [t]() { return bool(t->s_axil_bvalid); }, [t]() { return bool(t->s_axil_arready); }, \
            [t]() { return bool(t->s_axil_rvalid); }, [t]() { return uint32_t(t->s_axil_rdata); } \
    }

template <class V>
class Top : public TopBase {
public:
    Top() : ctx_(new VerilatedContext) {
        ctx_->traceEverOn(true);
        // A failed assertion ($error, then $stop) must not abort the
        // process: SimModel checks got_error() after every cycle.
        ctx_->fatalOnError(false);
        // coverage points per instance (TX and RX engines apart), not summed
        // per source line
        ctx_->coveragep()->forcePerInstance(true);
        m_ = std::make_unique<V>(ctx_.get(), "top");
    }
    ~Top() override {
        // The model's scopes (signals marked public) unregister themselves
        // from the thread's current context, not from the model's own: make
        // it this model's, or destroying one of several models (each with
        // its own context) locks a context freed with another model.
        Verilated::threadContextp(ctx_.get());
        trace_close();
        m_->final();
        m_.reset();
    }
    void set_clk(bool v) override { m_->clk = v; }
    void set_rst(bool v) override { m_->rst = v; }
    void set_time(uint64_t t) override { ctx_->time(t); }
    void make_current() override {
        // The runtime sends $error/$stop (and $time formatting) to the
        // thread's current context, not to the model's: with several models
        // on a thread, or a model moved to another thread, it would set
        // another model's error flag. Set only on a change: it also writes
        // a process-wide "last context".
        if (Verilated::threadContextp() != ctx_.get()) Verilated::threadContextp(ctx_.get());
    }
    void eval() override { m_->eval(); }
    bool got_error() const override { return ctx_->gotError(); }
    void clear_error() override {
        ctx_->gotError(false);
        ctx_->gotFinish(false);
    }
    void trace_open(const char* path) override {
        trace_close();
        fst_ = std::make_unique<VerilatedFstC>();
        m_->trace(fst_.get(), 99);
        fst_->open(path);
        if (!fst_->isOpen()) {
            fst_.reset();
            throw std::runtime_error(std::string("cannot open waveform file ") + path);
        }
    }
    void trace_dump(uint64_t t) override {
        if (fst_) fst_->dump(t);
    }
    void trace_close() override {
        if (fst_) {
            fst_->close();
            fst_.reset();
        }
    }
    void coverage_write(const char* path) override { ctx_->coveragep()->write(path); }
    V* model() { return m_.get(); }

private:
    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<V> m_;
    std::unique_ptr<VerilatedFstC> fst_;
};

#ifdef TLSNIC_MODEL_gcm_stream_top
std::unique_ptr<TopBase> make_gcm_stream_top() {
    auto top = std::make_unique<Top<Vgcm_stream_top>>();
    auto* t = top->model();
    top->in.push_back(TLSNIC_IN_PORT(t, s_axis));
    top->out.push_back(TLSNIC_OUT_PORT(t, m_axis));
    top->has_axil = true;
    top->axil = TLSNIC_AXIL(t);
    return top;
}
#endif

// Append one register (W: VlWide<N> or an integer) to `out`.
template <class W>
void push_secret(rust::Vec<SecretRegC>& out, const char* name, uint32_t index, const W& w) {
    SecretRegC r;
    r.name = rust::String(name);
    r.index = index;
    for (size_t i = 0; i < std::size(w.m_storage); i++) r.words.push_back(w.m_storage[i]);
    out.push_back(std::move(r));
}

// Append `nwords` 32-bit words of `w` from word `first` (a field of a wider
// register) to `out` as one entry.
template <class W>
void push_field(rust::Vec<SecretRegC>& out, const char* name, uint32_t index, const W& w, size_t first,
                size_t nwords) {
    SecretRegC r;
    r.name = rust::String(name);
    r.index = index;
    for (size_t i = first; i < first + nwords; i++) r.words.push_back(w.m_storage[i]);
    out.push_back(std::move(r));
}

// The registers of tls_offload_top that hold keys, IVs or powers of H (RTL
// signals marked `verilator public_flat_rd`). Context tables are reported
// per context under the names c_key, c_iv, c_h (the key table word is
// {control[3:0], key[255:0], iv[95:0]}; the H table word H^1..H^K); then
// the working copies: walker, keystream generator (key register, key queue,
// AES round-key windows), datapath and ghash_core powers, the tables' RAM
// output and prefetch registers, and the command staging registers.
// One function for every model of the device (the signal names do not
// depend on the parameters).
template <class V>
void tls_offload_secrets(V* t, rust::Vec<SecretRegC>& out) {
    auto* r = t->rootp;
#define TLSNIC_SECRET(n) push_secret(out, #n, 0, r->tls_offload_top__DOT__##n)
#define TLSNIC_SECRET_ARR(n)                                                       \
    for (uint32_t i = 0; i < std::size(r->tls_offload_top__DOT__##n.m_storage); i++) \
    push_secret(out, #n, i, r->tls_offload_top__DOT__##n[i])
#define TLSNIC_KEY_TABLE(e)                                                                              \
    {                                                                                                    \
        auto& m = r->tls_offload_top__DOT__##e##__DOT__u_pipe__DOT__u_ctx__DOT__u_keys__DOT__u_ram__DOT__mem; \
        for (uint32_t i = 0; i < std::size(m.m_storage); i++) {                                          \
            push_field(out, #e "__DOT__c_key", i, m[i], 3, 8);                                          \
            push_field(out, #e "__DOT__c_iv", i, m[i], 0, 3);                                           \
        }                                                                                                \
        auto& h = r->tls_offload_top__DOT__##e##__DOT__u_pipe__DOT__u_dp__DOT__u_htab__DOT__u_ram__DOT__mem;  \
        for (uint32_t i = 0; i < std::size(h.m_storage); i++)                                            \
            push_secret(out, #e "__DOT__c_h", i, h[i]);                                                  \
    }
#define TLSNIC_ENGINE_SECRETS(e)                                                        \
    TLSNIC_KEY_TABLE(e)                                                                 \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_walk__DOT__f_key);                           \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_walk__DOT__f_iv);                            \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_ks__DOT__key_reg);                           \
    TLSNIC_SECRET_ARR(e##__DOT__u_pipe__DOT__u_ks__DOT__kq_reg);                        \
    TLSNIC_SECRET_ARR(e##__DOT__u_pipe__DOT__u_dp__DOT__hpow_reg);                      \
    TLSNIC_SECRET_ARR(e##__DOT__u_pipe__DOT__u_dp__DOT__u_ghash__DOT__pw_reg);          \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_ctx__DOT__u_keys__DOT__data_reg);            \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_ctx__DOT__u_keys__DOT__u_ram__DOT__rd_data); \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_dp__DOT__u_htab__DOT__data_reg);             \
    TLSNIC_SECRET(e##__DOT__u_pipe__DOT__u_dp__DOT__u_htab__DOT__u_ram__DOT__rd_data);  \
    TLSNIC_SECRET_ARR(e##__DOT__u_pipe__DOT__u_ks__DOT__u_aes__DOT__window_reg)
    TLSNIC_ENGINE_SECRETS(u_tx);
    TLSNIC_ENGINE_SECRETS(u_rx);
    TLSNIC_SECRET(cmd_key_reg);
    TLSNIC_SECRET(cmd_iv_reg);
#undef TLSNIC_ENGINE_SECRETS
#undef TLSNIC_KEY_TABLE
#undef TLSNIC_SECRET_ARR
#undef TLSNIC_SECRET
}

// The device; V is the model of one parameter set (build.rs, MODELS).
template <class V>
std::unique_ptr<TopBase> make_tls_offload_top() {
    auto top = std::make_unique<Top<V>>();
    auto* t = top->model();
    top->in.push_back(TLSNIC_IN_PORT(t, s_tx_axis));
    top->in.push_back(TLSNIC_IN_PORT(t, s_rx_axis));
    top->out.push_back(TLSNIC_OUT_PORT(t, m_tx_axis));
    top->out.push_back(TLSNIC_OUT_PORT(t, m_rx_axis));
    top->out.push_back(TLSNIC_OUT_PORT(t, m_evt_axis));
    top->has_axil = true;
    top->axil = TLSNIC_AXIL(t);
    top->secrets = [t](rust::Vec<SecretRegC>& out) { tls_offload_secrets(t, out); };
    return top;
}

// The board self-test (rtl/board/board_sim_top.sv): no streams, its status
// and control registers on the AXI4-Lite port.
#ifdef TLSNIC_MODEL_board_sim_top
std::unique_ptr<TopBase> make_board_sim_top() {
    auto top = std::make_unique<Top<Vboard_sim_top>>();
    auto* t = top->model();
    top->has_axil = true;
    top->axil = TLSNIC_AXIL(t);
    return top;
}
#endif

}  // namespace

SimModel::SimModel(std::unique_ptr<TopBase> top) : top_(std::move(top)) {
    for (const auto& p : top_->in) {
        if (beat_bytes_ == 0) beat_bytes_ = p.bytes;
        if (p.bytes != beat_bytes_) throw std::logic_error("stream ports of different widths");
    }
    for (const auto& p : top_->out) {
        if (beat_bytes_ == 0) beat_bytes_ = p.bytes;
        if (p.bytes != beat_bytes_) throw std::logic_error("stream ports of different widths");
    }
    in_q_.resize(top_->in.size());
    presenting_.assign(top_->in.size(), false);
    in_fire_.assign(top_->in.size(), false);
    inject_armed_.assign(top_->in.size(), kNone);
    inject_now_.assign(top_->in.size(), kNone);
    out_q_.resize(top_->out.size());
    out_ready_.assign(top_->out.size(), true);
    out_hold_.assign(top_->out.size(), false);
    BeatC idle{};
    for (auto& p : top_->in) p.drive(idle, false);
    for (auto& p : top_->out) p.set_ready(true);
    if (top_->has_axil) top_->axil.drive(false, 0, false, 0, false, false, 0, false);
    top_->set_clk(false);
    top_->set_rst(true);
    top_->eval();
}

SimModel::~SimModel() = default;

void SimModel::check_failed() const {
    if (!failure_.empty()) throw std::runtime_error(failure_);
}

rust::String SimModel::take_failure() {
    rust::String s(failure_);
    failure_.clear();
    return s;
}

void SimModel::inject_stream_violation(size_t port, uint8_t kind) {
    if (port >= in_q_.size()) throw std::out_of_range("no such input stream port");
    if (kind > 1) throw std::invalid_argument("unknown stream violation");
    inject_armed_[port] = kind;
}

void SimModel::reset(uint32_t cycles) {
    check_failed();
    top_->set_rst(true);
    for (uint32_t i = 0; i < cycles; i++) {
        step();
        check_failed();
    }
    top_->set_rst(false);
}

void SimModel::tick(uint64_t n) {
    check_failed();
    for (uint64_t i = 0; i < n; i++) {
        step();
        check_failed();
    }
}

namespace {
// Routes the runtime's output (vl_hooks.h) into `s` while alive.
struct CaptureScope {
    explicit CaptureScope(std::string* s) : prev(vl_capture()) { vl_capture() = s; }
    ~CaptureScope() { vl_capture() = prev; }
    std::string* prev;
};
}  // namespace

void SimModel::step() {
    CaptureScope capture(&vl_out_);
    top_->make_current();
    std::uniform_real_distribution<double> u(0.0, 1.0);
    // Drive inputs for this cycle (clk is low).
    for (size_t p = 0; p < top_->in.size(); p++) {
        if (!presenting_[p] && !in_q_[p].empty()) {
            presenting_[p] = p_in_idle_ <= 0.0 || u(rng_) >= p_in_idle_;
        }
        if (presenting_[p] && inject_now_[p] == 0) {
            // fault injection: the offered beat is withdrawn for a cycle
            top_->in[p].drive(in_q_[p].front(), false);
        } else if (presenting_[p] && inject_now_[p] == 1) {
            // fault injection: the offered beat changes while offered
            BeatC b = in_q_[p].front();
            b.data[0] ^= 0xff;
            b.user ^= 1;
            top_->in[p].drive(b, true);
        } else if (presenting_[p]) {
            top_->in[p].drive(in_q_[p].front(), true);
        } else {
            BeatC idle{};
            top_->in[p].drive(idle, false);
        }
    }
    for (size_t p = 0; p < top_->out.size(); p++) {
        // the random draw happens whether or not the port is held, so a
        // hold does not change the backpressure pattern of the other ports
        bool ready = p_out_stall_ <= 0.0 || u(rng_) >= p_out_stall_;
        out_ready_[p] = ready && !out_hold_[p];
        top_->out[p].set_ready(out_ready_[p]);
    }
    if (top_->has_axil) {
        top_->axil.drive(csr_ == Csr::WrAddr, csr_addr_, csr_ == Csr::WrAddr, csr_data_, csr_ == Csr::WrResp,
                         csr_ == Csr::RdAddr, csr_addr_, csr_ == Csr::RdData);
    }
    top_->set_clk(false);
    top_->set_time(2 * cycle_);
    top_->eval();
    if (dumping()) top_->trace_dump(2 * cycle_);

    // Handshakes seen before the rising edge.
    for (size_t p = 0; p < top_->in.size(); p++) {
        bool ready = top_->in[p].ready();
        in_fire_[p] = presenting_[p] && inject_now_[p] != 0 && ready;
        inject_now_[p] = kNone;
        if (inject_armed_[p] != kNone && presenting_[p] && !ready) {
            inject_now_[p] = inject_armed_[p];  // in the next cycle
            inject_armed_[p] = kNone;
        }
    }
    for (size_t p = 0; p < top_->out.size(); p++) {
        if (out_ready_[p] && top_->out[p].valid()) {
            BeatC b{};
            top_->out[p].read(b);
            out_q_[p].push_back(b);
            last_activity_ = cycle_ + 1;
        }
    }
    Csr csr_next = csr_;
    if (top_->has_axil) {
        auto& a = top_->axil;
        switch (csr_) {
            case Csr::WrAddr:
                if (a.awready() && a.wready()) csr_next = Csr::WrResp;
                break;
            case Csr::WrResp:
                if (a.bvalid()) csr_next = Csr::Done;
                break;
            case Csr::RdAddr:
                if (a.arready()) csr_next = Csr::RdData;
                break;
            case Csr::RdData:
                if (a.rvalid()) {
                    csr_data_ = a.rdata();
                    csr_next = Csr::Done;
                }
                break;
            default:
                break;
        }
    }

    top_->set_clk(true);
    top_->set_time(2 * cycle_ + 1);
    top_->eval();
    if (dumping()) top_->trace_dump(2 * cycle_ + 1);
    cycle_++;

    for (size_t p = 0; p < top_->in.size(); p++) {
        if (in_fire_[p]) {
            in_q_[p].pop_front();
            presenting_[p] = false;
            last_activity_ = cycle_;
        }
    }
    csr_ = csr_next;

    // Assertions: a failure ($error, then $stop) sets the context's error
    // flag; its messages are this cycle's runtime output.
    if (top_->got_error()) {
        top_->clear_error();
        if (failure_.empty()) {
            std::string msg;
            size_t pos = 0;
            while (pos < vl_out_.size()) {
                size_t end = vl_out_.find('\n', pos);
                if (end == std::string::npos) end = vl_out_.size();
                std::string line = vl_out_.substr(pos, end - pos);
                pos = end + 1;
                // "%Error: file:line: Verilog $stop" follows each message
                if (line.empty() || line.find("Verilog $stop") != std::string::npos) continue;
                msg += msg.empty() ? "" : "; ";
                msg += line;
            }
            if (msg.empty()) msg = "assertion failed (no message)";
            failure_ = "cycle " + std::to_string(cycle_ - 1) + " (waveform time " +
                       std::to_string(2 * cycle_ - 1) + "): " + msg;
        }
        vl_out_.clear();
    } else if (!vl_out_.empty()) {
        std::fputs(vl_out_.c_str(), stdout);
        vl_out_.clear();
    }
}

void SimModel::push_beats(size_t port, rust::Slice<const BeatC> beats) {
    if (port >= in_q_.size()) throw std::out_of_range("no such input stream port");
    const uint64_t lanes = beat_bytes_ >= 64 ? ~uint64_t(0) : (uint64_t(1) << beat_bytes_) - 1;
    for (const auto& b : beats) {
        if (b.keep & ~lanes) {
            throw std::invalid_argument("tkeep " + std::to_string(b.keep) + " keeps lanes beyond the " +
                                        std::to_string(beat_bytes_) + "-byte stream");
        }
    }
    for (const auto& b : beats) in_q_[port].push_back(b);
}

size_t SimModel::pending_in(size_t port) const {
    if (port >= in_q_.size()) throw std::out_of_range("no such input stream port");
    return in_q_[port].size();
}

size_t SimModel::out_count(size_t port) const {
    if (port >= out_q_.size()) throw std::out_of_range("no such output stream port");
    return out_q_[port].size();
}

rust::Vec<BeatC> SimModel::take_beats(size_t port) {
    if (port >= out_q_.size()) throw std::out_of_range("no such output stream port");
    rust::Vec<BeatC> v;
    v.reserve(out_q_[port].size());
    for (const auto& b : out_q_[port]) v.push_back(b);
    out_q_[port].clear();
    return v;
}

void SimModel::hold_output(size_t port, bool hold) {
    if (port >= out_hold_.size()) throw std::out_of_range("no such output stream port");
    out_hold_[port] = hold;
}

void SimModel::set_backpressure(uint64_t seed, double p_in_idle, double p_out_stall) {
    rng_.seed(seed);
    p_in_idle_ = p_in_idle;
    p_out_stall_ = p_out_stall;
}

void SimModel::csr_write(uint16_t addr, uint32_t data, uint64_t timeout) {
    if (!top_->has_axil) throw std::runtime_error("this top has no CSR port");
    check_failed();
    csr_ = Csr::WrAddr;
    csr_addr_ = addr;
    csr_data_ = data;
    for (uint64_t i = 0; csr_ != Csr::Done; i++) {
        if (i >= timeout) {
            csr_ = Csr::Idle;
            throw std::runtime_error("CSR write timed out");
        }
        step();
        if (failed()) {
            csr_ = Csr::Idle;
            check_failed();
        }
    }
    csr_ = Csr::Idle;
}

uint32_t SimModel::csr_read(uint16_t addr, uint64_t timeout) {
    if (!top_->has_axil) throw std::runtime_error("this top has no CSR port");
    check_failed();
    csr_ = Csr::RdAddr;
    csr_addr_ = addr;
    for (uint64_t i = 0; csr_ != Csr::Done; i++) {
        if (i >= timeout) {
            csr_ = Csr::Idle;
            throw std::runtime_error("CSR read timed out");
        }
        step();
        if (failed()) {
            csr_ = Csr::Idle;
            check_failed();
        }
    }
    csr_ = Csr::Idle;
    return csr_data_;
}

void SimModel::trace_open(rust::Str path) {
    top_->trace_open(std::string(path).c_str());
    tracing_ = true;
}

void SimModel::trace_close() {
    tracing_ = false;
    top_->trace_close();
}

rust::Vec<SecretRegC> SimModel::secret_regs() const {
    rust::Vec<SecretRegC> out;
    if (top_->secrets) top_->secrets(out);
    return out;
}

std::unique_ptr<SimModel> new_model(rust::Str top) {
    std::string name(top);
#ifdef TLSNIC_MODEL_gcm_stream_top
    if (name == "gcm_stream_top") return std::make_unique<SimModel>(make_gcm_stream_top());
#endif
#ifdef TLSNIC_MODEL_tls_offload_top
    if (name == "tls_offload_top") return std::make_unique<SimModel>(make_tls_offload_top<Vtls_offload_top>());
#endif
#ifdef TLSNIC_MODEL_tls_offload_top_w512
    if (name == "tls_offload_top_w512")
        return std::make_unique<SimModel>(make_tls_offload_top<Vtls_offload_top_w512>());
#endif
#ifdef TLSNIC_MODEL_tls_offload_top_board
    if (name == "tls_offload_top_board")
        return std::make_unique<SimModel>(make_tls_offload_top<Vtls_offload_top_board>());
#endif
#ifdef TLSNIC_MODEL_board_sim_top
    if (name == "board_sim_top") return std::make_unique<SimModel>(make_board_sim_top());
#endif
    for (const char* known :
         {"gcm_stream_top", "tls_offload_top", "tls_offload_top_w512", "tls_offload_top_board", "board_sim_top"}) {
        if (name == known)
            throw std::invalid_argument("model " + name +
                                        " was not built: TLSNIC_SIM_MODELS left it out (sim/build.rs); "
                                        "rebuild without it or add " + name);
    }
    throw std::invalid_argument("unknown top " + name);
}

}  // namespace tlsnic
