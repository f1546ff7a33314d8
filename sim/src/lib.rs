//! Safe Rust API over the Verilated tlsnic RTL.
//!
//! `build.rs` Verilates the tops listed there from `rtl/files.f` and compiles
//! them with the Verilator runtime; the C++ wrapper (`csrc/model.*`) keeps
//! per-port beat queues and runs whole batches of cycles per call, so the
//! FFI is crossed per batch, never per cycle.
//!
//! Clocking: in every cycle the wrapper drives inputs with `clk` low,
//! evaluates, records the handshakes (`valid && ready` before the edge),
//! then raises and lowers the clock. Stream ports follow AXI4-Stream:
//! a beat, once offered, is held until accepted.
//!
//! Beat width: a [`Beat`] carries up to 64 bytes (512-bit tdata); a model
//! uses the first [`Sim::beat_bytes`] lanes (16 for today's tops).
//!
//! Assertions: the RTL's assertions (`TLSNIC_ASSERT`, protocol checkers on
//! every port) are checked after every cycle. A failure stops the call
//! that advanced time: [`Sim::tick`] and [`Sim::reset`] panic with the
//! message, the calls that return a `Result` ([`Sim::try_tick`],
//! [`Sim::run_until_idle`], [`Sim::csr_read`], [`Sim::csr_write`]) return
//! [`SimError::Assertion`]. The failure sticks: every later call that
//! advances time fails the same way until [`Sim::take_assertion`]
//! acknowledges it, so an ignored `Result` cannot hide it.
//!
//! Waveforms: FST, off by default; [`Sim::with_wave`], [`Sim::trace_open`]
//! or the environment variable `TLSNIC_WAVE=<file>` (read by [`Sim::new`]).
//!
//! ```no_run
//! use tlsnic_sim::{Sim, Top};
//! let mut sim = Sim::new(Top::GcmStream).unwrap();
//! sim.reset(4);
//! assert_eq!(sim.csr_read(0x0).unwrap(), 0x544C_534E);
//! ```

pub mod coverage;
mod ffi;

use cxx::UniquePtr;
use std::path::Path;

pub use ffi::bridge::BeatC as Beat;
pub use ffi::bridge::SecretRegC as SecretReg;

/// Errors of the simulation layer.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The model did not reach the wanted state in time.
    #[error("simulation timed out after {cycles} cycles")]
    Timeout {
        /// Cycles waited.
        cycles: u64,
    },
    /// Watchdog: beats were waiting on an input and no stream handshake
    /// happened on any port for `quiet` cycles: the device is stuck.
    #[error("device stalled: no stream handshake for {quiet} cycles at cycle {cycle} with input pending; {streams}")]
    Stalled {
        /// Cycles without a handshake.
        quiet: u64,
        /// Cycle at which the watchdog fired.
        cycle: u64,
        /// Where each stream stood ([`Sim::stream_state`]).
        streams: String,
    },
    /// A C++-side error (bad port, CSR timeout, trace file...).
    #[error("simulator: {0}")]
    Model(String),
    /// An RTL assertion failed: the cycle, the waveform time and
    /// Verilator's messages (file:line, hierarchical name of the assertion).
    #[error("RTL assertion failed: {0}")]
    Assertion(String),
}

impl From<cxx::Exception> for SimError {
    fn from(e: cxx::Exception) -> Self {
        SimError::Model(e.what().to_string())
    }
}

/// The Verilated tops this crate can build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Top {
    /// `gcm_stream_top`: AES-GCM jobs over one stream pair (port 0), CSRs.
    GcmStream,
    /// `tls_offload_top`: the device. Inputs 0 = host TX, 1 = wire RX;
    /// outputs 0 = wire TX, 1 = host RX, 2 = events; CSRs. Its stream
    /// width is chosen by `TLSNIC_DATA_W` ([`device_data_w`]), its crypto
    /// configuration by `TLSNIC_BOARD` ([`device_board`]).
    TlsOffload,
    /// `board_sim_top`: the board self-test (device, install sequencer,
    /// frame generator, loopback, checker) with its status registers on
    /// the CSR port (rtl/board/board_sim_top.sv); no streams.
    BoardSelftest,
}

impl Top {
    /// The RTL module name.
    pub fn module(self) -> &'static str {
        match self {
            Top::GcmStream => "gcm_stream_top",
            Top::TlsOffload => "tls_offload_top",
            Top::BoardSelftest => "board_sim_top",
        }
    }

    /// The Verilated model that [`Sim::new`] opens for this top (build.rs
    /// builds one model per parameter set): for the device, the one of
    /// [`device_data_w`]'s width, or the board configuration
    /// ([`device_board`]).
    pub fn model(self) -> Result<&'static str, SimError> {
        Ok(match self {
            Top::TlsOffload => device_model(device_data_w()?, device_board()?)?,
            t => t.module(),
        })
    }
}

/// The stream widths (bits) the device is built at for simulation.
pub const DEVICE_DATA_W: &[u32] = &[128, 512];

/// The stream widths the device of this process can be opened at: the
/// board configuration ([`device_board`]) is built at 128 bits only.
pub fn device_widths() -> Result<&'static [u32], SimError> {
    Ok(if device_board()? { &DEVICE_DATA_W[..1] } else { DEVICE_DATA_W })
}

/// The Verilated model of the device at `data_w` bits, in the board
/// configuration when `board`.
fn device_model(data_w: u32, board: bool) -> Result<&'static str, SimError> {
    match (data_w, board) {
        (128, false) => Ok("tls_offload_top"),
        (512, false) => Ok("tls_offload_top_w512"),
        (128, true) => Ok("tls_offload_top_board"),
        (w, true) => Err(SimError::Model(format!(
            "TLSNIC_BOARD=1: the board configuration is built at DATA_W = 128 only, not {w}"
        ))),
        (w, false) => Err(SimError::Model(format!("no device model at DATA_W = {w} (built: {DEVICE_DATA_W:?})"))),
    }
}

/// `FROM..TO`, `FROM..` or `..TO` (cycles).
fn parse_cycles(s: &str) -> Option<(u64, u64)> {
    let (a, b) = s.trim().split_once("..")?;
    let a = if a.is_empty() { 0 } else { a.parse().ok()? };
    let b = if b.is_empty() { u64::MAX } else { b.parse().ok()? };
    Some((a, b))
}

/// The device's stream width in bits for this process: `TLSNIC_DATA_W`
/// (128, the default, or 512). Every test and command that opens
/// [`Top::TlsOffload`] runs at that width; an unknown width is an error.
pub fn device_data_w() -> Result<u32, SimError> {
    match std::env::var("TLSNIC_DATA_W") {
        Err(std::env::VarError::NotPresent) => Ok(128),
        Ok(v) => match v.trim() {
            "" | "128" => Ok(128),
            "512" => Ok(512),
            other => Err(SimError::Model(format!(
                "TLSNIC_DATA_W={other}: the simulation has device models at 128 and 512 bits"
            ))),
        },
        Err(e) => Err(SimError::Model(format!("TLSNIC_DATA_W: {e}"))),
    }
}

/// Whether this process's device is the ECPIX-5 board configuration
/// (`TLSNIC_BOARD=1`: folded AES, digit-serial GHASH, the model
/// `tls_offload_top_board`, docs/synthesis.md) instead of the full-rate
/// one (unset, empty or 0). Every test and command that opens
/// [`Top::TlsOffload`] runs on it.
pub fn device_board() -> Result<bool, SimError> {
    match std::env::var("TLSNIC_BOARD") {
        Err(std::env::VarError::NotPresent) => Ok(false),
        Ok(v) => match v.trim() {
            "" | "0" => Ok(false),
            "1" => Ok(true),
            other => Err(SimError::Model(format!("TLSNIC_BOARD={other}: 0 or 1"))),
        },
        Err(e) => Err(SimError::Model(format!("TLSNIC_BOARD: {e}"))),
    }
}

/// A frame view of output beats: the kept bytes of beats up to `tlast`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Kept bytes in order.
    pub data: Vec<u8>,
    /// tuser of the first beat.
    pub user_first: u64,
    /// tuser of the last beat.
    pub user_last: u64,
}

/// How [`Sim::inject_stream_violation`] breaks the AXI4-Stream rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamViolation {
    /// tvalid drops for one cycle while a beat is not yet accepted.
    WithdrawValid,
    /// tdata (lane 0) and tuser (bit 0) change while a beat is offered.
    ChangeData,
}

/// One instance of a Verilated top.
pub struct Sim {
    model: UniquePtr<ffi::bridge::SimModel>,
    top: Top,
    partial: Vec<Vec<Beat>>,
    quiet_scale: u64,
}

/// How much longer than the full-rate device a model can go without any
/// stream handshake while it still has work (the factor
/// [`Sim::run_until_idle`] applies to its `quiet`): the board
/// configuration's folded AES (2 round units: 7 cycles per AES-256 block
/// instead of 1) and digit-serial GHASH (4 cycles per block) hold a frame
/// that much longer before its first output beat.
fn quiet_scale(model: &str) -> u64 {
    if model == "tls_offload_top_board" {
        8
    } else {
        1
    }
}

// SAFETY: the C++ model is owned by this value only, has its own
// VerilatedContext and no thread affinity; it is never shared.
unsafe impl Send for Sim {}

/// Cycles allowed for one CSR transaction.
const CSR_TIMEOUT: u64 = 10_000;

impl Sim {
    /// Instantiate `top`; writes an FST waveform if `TLSNIC_WAVE` is set,
    /// of the cycles `FROM..TO` only if `TLSNIC_WAVE_CYCLES=FROM..TO` is
    /// set too (either end may be left out).
    pub fn new(top: Top) -> Result<Sim, SimError> {
        let name = top.model()?;
        let mut sim =
            Sim { model: ffi::bridge::new_model(name)?, top, partial: Vec::new(), quiet_scale: quiet_scale(name) };
        sim.partial = vec![Vec::new(); sim.model.num_out_ports()];
        if let Ok(p) = std::env::var("TLSNIC_WAVE") {
            if !p.is_empty() {
                if let Ok(w) = std::env::var("TLSNIC_WAVE_CYCLES") {
                    let (from, to) = parse_cycles(&w)
                        .ok_or_else(|| SimError::Model(format!("TLSNIC_WAVE_CYCLES={w}: expected FROM..TO")))?;
                    sim.trace_window(from, to);
                }
                sim.trace_open(Path::new(&p))?;
            }
        }
        Ok(sim)
    }

    /// The device ([`Top::TlsOffload`]) at `data_w` bits, whatever
    /// `TLSNIC_DATA_W` says (for runs that compare widths); in the board
    /// configuration when `TLSNIC_BOARD=1` ([`device_board`]).
    pub fn device(data_w: u32) -> Result<Sim, SimError> {
        let name = device_model(data_w, device_board()?)?;
        let model = ffi::bridge::new_model(name)?;
        let mut sim = Sim { model, top: Top::TlsOffload, partial: Vec::new(), quiet_scale: quiet_scale(name) };
        sim.partial = vec![Vec::new(); sim.model.num_out_ports()];
        Ok(sim)
    }

    /// Dump only the cycles in `from..to` into the waveform.
    pub fn trace_window(&mut self, from: u64, to: u64) {
        self.model.pin_mut().trace_window(from, to);
    }

    /// Instantiate `top` writing an FST waveform to `path`.
    pub fn with_wave(top: Top, path: &Path) -> Result<Sim, SimError> {
        let name = top.model()?;
        let mut sim =
            Sim { model: ffi::bridge::new_model(name)?, top, partial: Vec::new(), quiet_scale: quiet_scale(name) };
        sim.partial = vec![Vec::new(); sim.model.num_out_ports()];
        sim.trace_open(path)?;
        Ok(sim)
    }

    /// Which top this is.
    pub fn top(&self) -> Top {
        self.top
    }

    /// Bytes per stream beat (tdata width / 8): 16 at 128 bits, 64 at 512.
    pub fn beat_bytes(&self) -> usize {
        self.model.beat_bytes()
    }

    /// Hold reset for `cycles` cycles.
    ///
    /// # Panics
    /// If an RTL assertion fails (or failed before, unacknowledged).
    pub fn reset(&mut self, cycles: u32) {
        if let Err(e) = self.model.pin_mut().reset(cycles) {
            panic!("{}", self.error(e));
        }
    }

    /// Run `n` cycles.
    ///
    /// # Panics
    /// If an RTL assertion fails (or failed before, unacknowledged), with
    /// its message; [`Sim::try_tick`] returns it instead.
    pub fn tick(&mut self, n: u64) {
        if let Err(e) = self.try_tick(n) {
            panic!("{e}");
        }
    }

    /// Run `n` cycles; stops at the end of a cycle in which an RTL
    /// assertion failed and returns [`SimError::Assertion`].
    pub fn try_tick(&mut self, n: u64) -> Result<(), SimError> {
        self.model.pin_mut().tick(n).map_err(|e| self.error(e))
    }

    /// Acknowledge an assertion failure: returns its message (None if no
    /// assertion failed) and lets the model run again.
    pub fn take_assertion(&mut self) -> Option<String> {
        let m = self.model.pin_mut().take_failure();
        (!m.is_empty()).then_some(m)
    }

    /// Fault injection, to test the protocol checkers: the next time input
    /// stream `port` offers a beat that is not accepted in that cycle, the
    /// harness breaks the AXI4-Stream rule in the following cycle as `kind`
    /// says (once).
    pub fn inject_stream_violation(&mut self, port: usize, kind: StreamViolation) -> Result<(), SimError> {
        let k = match kind {
            StreamViolation::WithdrawValid => 0,
            StreamViolation::ChangeData => 1,
        };
        Ok(self.model.pin_mut().inject_stream_violation(port, k)?)
    }

    /// An error of a call that advanced time: an assertion if one failed.
    fn error(&self, e: cxx::Exception) -> SimError {
        if self.model.failed() {
            SimError::Assertion(e.what().to_string())
        } else {
            e.into()
        }
    }

    /// Cycles since construction.
    pub fn cycle(&self) -> u64 {
        self.model.cycle()
    }

    /// Queue beats on input stream `port`.
    pub fn push_beats(&mut self, port: usize, beats: &[Beat]) -> Result<(), SimError> {
        Ok(self.model.pin_mut().push_beats(port, beats)?)
    }

    /// Queue a frame on input stream `port`: beats of
    /// [`Sim::beat_bytes`] bytes, tkeep all ones but the last, `user` on
    /// every beat.
    pub fn push_frame(&mut self, port: usize, bytes: &[u8], user: u64) -> Result<(), SimError> {
        let beats = frame_beats(bytes, user, self.beat_bytes());
        self.push_beats(port, &beats)
    }

    /// Beats on input `port` not yet accepted by the RTL.
    pub fn pending_in(&self, port: usize) -> Result<usize, SimError> {
        Ok(self.model.pending_in(port)?)
    }

    /// Beats collected on output `port` and not yet taken.
    pub fn out_count(&self, port: usize) -> Result<usize, SimError> {
        Ok(self.model.out_count(port)?)
    }

    /// Take the beats collected on output `port`.
    pub fn take_beats(&mut self, port: usize) -> Vec<Beat> {
        self.model.pin_mut().take_beats(port).unwrap_or_default()
    }

    /// Take the complete frames collected on output `port` (a frame still
    /// in progress stays for the next call).
    pub fn take_frames(&mut self, port: usize) -> Vec<Frame> {
        let beats = self.take_beats(port);
        let mut frames = Vec::new();
        let Some(partial) = self.partial.get_mut(port) else {
            return frames;
        };
        for b in beats {
            let last = b.last;
            partial.push(b);
            if last {
                let bs = std::mem::take(partial);
                frames.push(beats_to_frame(&bs));
            }
        }
        frames
    }

    /// Random backpressure: each cycle an input with a beat to send idles
    /// with probability `p_in_idle`, an output stalls with `p_out_stall`.
    pub fn set_backpressure(&mut self, seed: u64, p_in_idle: f64, p_out_stall: f64) {
        self.model.pin_mut().set_backpressure(seed, p_in_idle, p_out_stall);
    }

    /// Hold output `port`'s ready low (`true`: the host stops reading that
    /// stream, e.g. the event stream) or give it back to the backpressure
    /// pattern of [`Sim::set_backpressure`] (`false`, the default).
    pub fn hold_output(&mut self, port: usize, hold: bool) -> Result<(), SimError> {
        Ok(self.model.pin_mut().hold_output(port, hold)?)
    }

    /// Run until every input queue is drained and no stream handshake has
    /// happened for `quiet` cycles (`quiet` x 8 on the board configuration,
    /// whose folded datapath holds a frame longer: [`device_board`]);
    /// returns the cycles run. Fails with [`SimError::Stalled`] as soon as
    /// input is pending and no handshake has happened on any port for
    /// [`STALL_CYCLES`] (the device is stuck: no need to wait for
    /// `max_cycles`), and with [`SimError::Timeout`] after `max_cycles`.
    pub fn run_until_idle(&mut self, max_cycles: u64, quiet: u64) -> Result<u64, SimError> {
        let quiet = quiet * self.quiet_scale;
        let start = self.cycle();
        loop {
            let step = quiet.clamp(1, 256);
            self.try_tick(step)?;
            let drained = self.inputs_drained();
            if drained && self.model.quiet_cycles() >= quiet {
                return Ok(self.cycle() - start);
            }
            self.watchdog()?;
            if self.cycle() - start > max_cycles {
                return Err(SimError::Timeout { cycles: max_cycles });
            }
        }
    }

    /// Every input queue is empty.
    pub fn inputs_drained(&self) -> bool {
        (0..self.model.num_in_ports()).all(|p| self.model.pending_in(p).map(|n| n == 0).unwrap_or(true))
    }

    /// Cycles since the last handshake on any stream port.
    pub fn quiet_cycles(&self) -> u64 {
        self.model.quiet_cycles()
    }

    /// The stall watchdog for loops that drive the model: an error when
    /// input is pending and no stream handshake has happened for
    /// [`STALL_CYCLES`].
    pub fn watchdog(&self) -> Result<(), SimError> {
        let quiet = self.model.quiet_cycles();
        if quiet >= STALL_CYCLES && !self.inputs_drained() {
            return Err(SimError::Stalled { quiet, cycle: self.cycle(), streams: self.stream_state() });
        }
        Ok(())
    }

    /// Where each stream stands: beats queued on each input, beats
    /// collected and not taken on each output, beats of an output frame
    /// still open (no `tlast` yet), cycles since the last handshake.
    pub fn stream_state(&self) -> String {
        let ins: Vec<String> = (0..self.model.num_in_ports())
            .map(|p| format!("in{p}: {} beats queued", self.model.pending_in(p).unwrap_or(0)))
            .collect();
        let outs: Vec<String> = (0..self.model.num_out_ports())
            .map(|p| {
                let open = self.partial.get(p).map_or(0, Vec::len);
                format!("out{p}: {} beats untaken, {open} beats of an open frame", self.model.out_count(p).unwrap_or(0))
            })
            .collect();
        format!("{}; {}; {} cycles without a handshake", ins.join(", "), outs.join(", "), self.model.quiet_cycles())
    }

    /// AXI4-Lite write.
    pub fn csr_write(&mut self, addr: u16, data: u32) -> Result<(), SimError> {
        self.model.pin_mut().csr_write(addr, data, CSR_TIMEOUT).map_err(|e| self.error(e))
    }

    /// AXI4-Lite read.
    pub fn csr_read(&mut self, addr: u16) -> Result<u32, SimError> {
        self.model.pin_mut().csr_read(addr, CSR_TIMEOUT).map_err(|e| self.error(e))
    }

    /// Start writing an FST waveform to `path`.
    pub fn trace_open(&mut self, path: &Path) -> Result<(), SimError> {
        let p = path.to_str().ok_or_else(|| SimError::Model(format!("non UTF-8 path {}", path.display())))?;
        Ok(self.model.pin_mut().trace_open(p)?)
    }

    /// Stop and flush the waveform.
    pub fn trace_close(&mut self) {
        self.model.pin_mut().trace_close();
    }

    /// Verification back door: every register of the model that holds key
    /// material (keys, IVs, GHASH keys H and H^2, AES round-key windows,
    /// the command staging registers), read directly from the simulator,
    /// not through the CSRs (which never return keys). Empty for tops
    /// without contexts. Names are the RTL hierarchy below the top, with
    /// `__DOT__` between levels, e.g. `u_rx__DOT__c_key` (index = context).
    pub fn secret_regs(&self) -> Vec<SecretReg> {
        self.model.secret_regs()
    }

    /// The model's functional coverage so far: every `TLSNIC_COVER` point
    /// of its RTL with the cycles it held in (module [`coverage`]).
    pub fn coverage(&mut self) -> Result<coverage::Counts, SimError> {
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("tlsnic-coverage-{}-{n}.dat", std::process::id()));
        let p = path.to_str().ok_or_else(|| SimError::Model(format!("{}: not UTF-8", path.display())))?;
        self.model.pin_mut().coverage_write(p)?;
        let text = std::fs::read_to_string(&path);
        let _ = std::fs::remove_file(&path);
        let text = text.map_err(|e| SimError::Model(format!("coverage file {}: {e}", path.display())))?;
        coverage::parse(&text).map_err(SimError::Model)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.model.pin_mut().trace_close();
        if coverage::collecting() {
            // a model that cannot report its coverage has nothing to add
            if let Ok(c) = self.coverage() {
                coverage::add(&c);
            }
        }
    }
}

/// Cycles without a stream handshake, with input pending, after which
/// [`Sim::watchdog`] (and so [`Sim::run_until_idle`]) declares the device
/// stalled. The longest legitimate pause of the device is far shorter (a
/// context command or a DUMP rebuild takes hundreds of cycles, and either
/// consumes input); 20 000 cycles is under half a second of simulation.
pub const STALL_CYCLES: u64 = 20_000;

/// Most bytes a [`Beat`] carries (512-bit tdata).
pub const MAX_BEAT_BYTES: usize = 64;

/// tkeep of lanes `lo..lo + n` (n lanes from lane `lo`).
pub fn keep_lanes(lo: usize, n: usize) -> u64 {
    assert!(lo + n <= MAX_BEAT_BYTES, "lanes {lo}..{} beyond a beat", lo + n);
    if n == 0 {
        0
    } else {
        (u64::MAX >> (64 - n)) << lo
    }
}

impl Beat {
    /// A beat with `bytes` in lanes `lane..`, tkeep set on exactly those.
    pub fn at_lane(lane: usize, bytes: &[u8], last: bool, user: u64) -> Beat {
        let mut data = [0u8; MAX_BEAT_BYTES];
        data[lane..lane + bytes.len()].copy_from_slice(bytes);
        Beat { data, keep: keep_lanes(lane, bytes.len()), last, user }
    }

    /// A beat with `bytes` from lane 0 (tkeep = those lanes).
    pub fn packed(bytes: &[u8], last: bool, user: u64) -> Beat {
        Beat::at_lane(0, bytes, last, user)
    }

    /// The kept bytes, in lane order.
    pub fn kept(&self) -> impl Iterator<Item = u8> + '_ {
        let lanes = MAX_BEAT_BYTES - self.keep.leading_zeros() as usize;
        self.data[..lanes].iter().enumerate().filter(|&(lane, _)| self.keep >> lane & 1 != 0).map(|(_, &b)| b)
    }
}

impl Default for Beat {
    /// No lanes kept, tlast and tuser 0.
    fn default() -> Beat {
        Beat { data: [0; MAX_BEAT_BYTES], keep: 0, last: false, user: 0 }
    }
}

/// Cut `bytes` into beats of `beat_bytes` bytes (tkeep all ones but the
/// last; one beat with no lanes kept for an empty frame), `user` on every
/// beat. [`Sim::push_frame`] uses the model's width.
pub fn frame_beats(bytes: &[u8], user: u64, beat_bytes: usize) -> Vec<Beat> {
    assert!((1..=MAX_BEAT_BYTES).contains(&beat_bytes), "{beat_bytes}-byte beats");
    let n = bytes.len().div_ceil(beat_bytes).max(1);
    (0..n)
        .map(|i| {
            let chunk = bytes.get(beat_bytes * i..(beat_bytes * i + beat_bytes).min(bytes.len())).unwrap_or(&[]);
            Beat::packed(chunk, i + 1 == n, user)
        })
        .collect()
}

/// Concatenate the kept bytes of `beats` (tkeep bit i = lane i) into a
/// frame.
pub fn beats_to_frame(beats: &[Beat]) -> Frame {
    let data = beats.iter().flat_map(Beat::kept).collect();
    Frame { data, user_first: beats.first().map_or(0, |b| b.user), user_last: beats.last().map_or(0, |b| b.user) }
}

/// The firmware's register bus over the model's AXI4-Lite port: every
/// access is a real AXI4-Lite transaction and advances the simulation by
/// its cycles. The CSR space is 16 bits wide: reads beyond it return
/// 0xDEADBEEF (the device's "no register" value), writes are ignored.
///
/// # Panics
/// If a transaction does not complete (the model hung) or an RTL assertion
/// fails.
impl tlsnic_firmware::RegisterBus for Sim {
    fn read32(&mut self, addr: u32) -> u32 {
        match u16::try_from(addr) {
            Ok(a) => self.csr_read(a).expect("AXI4-Lite read completes"),
            Err(_) => 0xDEAD_BEEF,
        }
    }

    fn write32(&mut self, addr: u32, value: u32) {
        if let Ok(a) = u16::try_from(addr) {
            self.csr_write(a, value).expect("AXI4-Lite write completes");
        }
    }
}
