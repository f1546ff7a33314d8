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
//! Waveforms: FST, off by default; [`Sim::with_wave`], [`Sim::trace_open`]
//! or the environment variable `TLSNIC_WAVE=<file>` (read by [`Sim::new`]).
//!
//! ```no_run
//! use tlsnic_sim::{Sim, Top};
//! let mut sim = Sim::new(Top::GcmStream).unwrap();
//! sim.reset(4);
//! assert_eq!(sim.csr_read(0x0).unwrap(), 0x544C_534E);
//! ```

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
    /// A C++-side error (bad port, CSR timeout, trace file...).
    #[error("simulator: {0}")]
    Model(String),
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
    /// outputs 0 = wire TX, 1 = host RX, 2 = events; CSRs.
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

/// One instance of a Verilated top.
pub struct Sim {
    model: UniquePtr<ffi::bridge::SimModel>,
    top: Top,
    partial: Vec<Vec<Beat>>,
}

// SAFETY: the C++ model is owned by this value only, has its own
// VerilatedContext and no thread affinity; it is never shared.
unsafe impl Send for Sim {}

/// Cycles allowed for one CSR transaction.
const CSR_TIMEOUT: u64 = 10_000;

impl Sim {
    /// Instantiate `top`; writes an FST waveform if `TLSNIC_WAVE` is set.
    pub fn new(top: Top) -> Result<Sim, SimError> {
        let mut sim = Sim { model: ffi::bridge::new_model(top.module())?, top, partial: Vec::new() };
        sim.partial = vec![Vec::new(); sim.model.num_out_ports()];
        if let Ok(p) = std::env::var("TLSNIC_WAVE") {
            if !p.is_empty() {
                sim.trace_open(Path::new(&p))?;
            }
        }
        Ok(sim)
    }

    /// Instantiate `top` writing an FST waveform to `path`.
    pub fn with_wave(top: Top, path: &Path) -> Result<Sim, SimError> {
        let mut sim = Sim { model: ffi::bridge::new_model(top.module())?, top, partial: Vec::new() };
        sim.partial = vec![Vec::new(); sim.model.num_out_ports()];
        sim.trace_open(path)?;
        Ok(sim)
    }

    /// Which top this is.
    pub fn top(&self) -> Top {
        self.top
    }

    /// Hold reset for `cycles` cycles.
    pub fn reset(&mut self, cycles: u32) {
        self.model.pin_mut().reset(cycles);
    }

    /// Run `n` cycles.
    pub fn tick(&mut self, n: u64) {
        self.model.pin_mut().tick(n);
    }

    /// Cycles since construction.
    pub fn cycle(&self) -> u64 {
        self.model.cycle()
    }

    /// Queue beats on input stream `port`.
    pub fn push_beats(&mut self, port: usize, beats: &[Beat]) -> Result<(), SimError> {
        Ok(self.model.pin_mut().push_beats(port, beats)?)
    }

    /// Queue a frame on input stream `port`: 16-byte beats, tkeep all ones
    /// but the last, `user` on every beat.
    pub fn push_frame(&mut self, port: usize, bytes: &[u8], user: u64) -> Result<(), SimError> {
        self.push_beats(port, &frame_beats(bytes, user))
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

    /// Run until every input queue is drained and no stream handshake has
    /// happened for `quiet` cycles; returns the cycles run.
    pub fn run_until_idle(&mut self, max_cycles: u64, quiet: u64) -> Result<u64, SimError> {
        let start = self.cycle();
        loop {
            let step = quiet.clamp(1, 256);
            self.tick(step);
            let drained =
                (0..self.model.num_in_ports()).all(|p| self.model.pending_in(p).map(|n| n == 0).unwrap_or(true));
            if drained && self.model.quiet_cycles() >= quiet {
                return Ok(self.cycle() - start);
            }
            if self.cycle() - start > max_cycles {
                return Err(SimError::Timeout { cycles: max_cycles });
            }
        }
    }

    /// AXI4-Lite write.
    pub fn csr_write(&mut self, addr: u16, data: u32) -> Result<(), SimError> {
        Ok(self.model.pin_mut().csr_write(addr, data, CSR_TIMEOUT)?)
    }

    /// AXI4-Lite read.
    pub fn csr_read(&mut self, addr: u16) -> Result<u32, SimError> {
        Ok(self.model.pin_mut().csr_read(addr, CSR_TIMEOUT)?)
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
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.model.pin_mut().trace_close();
    }
}

/// Cut `bytes` into 16-byte beats (tkeep all ones but the last).
pub fn frame_beats(bytes: &[u8], user: u64) -> Vec<Beat> {
    let n = bytes.len().div_ceil(16).max(1);
    (0..n)
        .map(|i| {
            let chunk = bytes.get(16 * i..(16 * i + 16).min(bytes.len())).unwrap_or(&[]);
            let mut data = [0u8; 16];
            data[..chunk.len()].copy_from_slice(chunk);
            Beat { data, keep: ((1u32 << chunk.len()) - 1) as u16, last: i + 1 == n, user }
        })
        .collect()
}

/// Concatenate the kept bytes of `beats` into a frame.
pub fn beats_to_frame(beats: &[Beat]) -> Frame {
    let mut data = Vec::with_capacity(beats.len() * 16);
    for b in beats {
        for lane in 0..16 {
            if b.keep & (1 << lane) != 0 {
                data.push(b.data[lane]);
            }
        }
    }
    Frame { data, user_first: beats.first().map_or(0, |b| b.user), user_last: beats.last().map_or(0, |b| b.user) }
}

/// The firmware's register bus over the model's AXI4-Lite port: every
/// access is a real AXI4-Lite transaction and advances the simulation by
/// its cycles. The CSR space is 16 bits wide: reads beyond it return
/// 0xDEADBEEF (the device's "no register" value), writes are ignored.
///
/// # Panics
/// If a transaction does not complete (the model hung).
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
