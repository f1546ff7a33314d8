//! The Verilated device's RX path behind the driver's [`RxDevice`] trait:
//! context commands through the firmware, frames through the RX streams,
//! the descriptor of each frame decoded, the RX counters.

use crate::csr;
use tlsnic_driver::rx_device::{RxDevCounters, RxDevice, RxFrame, RxMeta, RxResyncMode};
use tlsnic_driver::types::{CtxId, DeviceError, FlowKey, TlsCryptoInfo};
use tlsnic_firmware::queue::Opcode;
use tlsnic_sim::Sim;

/// Port index of the RX streams on `tls_offload_top`.
pub const RX_PORT: usize = 1;

/// The Verilated device as an [`RxDevice`]. It notes, for every frame it
/// returns, the cycles of the batch the frame came out in (`stamps`: a
/// scoreboard names them with a divergent frame), and can take frames at
/// its port before the host processes them ([`SimRxDevice::preload`]).
pub struct SimRxDevice<'a> {
    /// The model.
    pub sim: &'a mut Sim,
    /// Cycle budget for one batch of frames.
    pub max_cycles: u64,
    /// `first..last` cycles of each returned frame's batch, in order
    /// ([`Sim::cycle`] when the batch reached the port and when its last
    /// frame was out: the frame left the device in one of them).
    pub stamps: Vec<(u64, u64)>,
    preloaded: Vec<Vec<u8>>,
    preload_cycle: Option<u64>,
}

impl<'a> SimRxDevice<'a> {
    /// Wrap a `tls_offload_top` model.
    pub fn new(sim: &'a mut Sim) -> Self {
        SimRxDevice { sim, max_cycles: 50_000_000, stamps: Vec::new(), preloaded: Vec::new(), preload_cycle: None }
    }

    /// Frames that reach the RX port now, before the host processes them:
    /// they are queued at the port and flow while the model runs for
    /// anything else (a context command issued next runs with them in
    /// flight). The next [`RxDevice::rx_frames`] call must begin with
    /// exactly these frames; it returns their descriptors with the rest.
    pub fn preload(&mut self, frames: &[Vec<u8>]) -> Result<(), tlsnic_sim::SimError> {
        self.preload_cycle.get_or_insert(self.sim.cycle());
        for f in frames {
            self.sim.push_frame(RX_PORT, f, 0)?;
        }
        self.preloaded.extend_from_slice(frames);
        Ok(())
    }
}

impl RxDevice for SimRxDevice<'_> {
    fn rx_add(
        &mut self,
        flow: FlowKey,
        info: &TlsCryptoInfo,
        start_tcp_sn: u32,
        mode: RxResyncMode,
    ) -> Result<CtxId, DeviceError> {
        sim_rx_add(self.sim, flow, info, start_tcp_sn, mode)
    }

    fn rx_del(&mut self, ctx: CtxId) -> Result<(), DeviceError> {
        sim_rx_del(self.sim, ctx)
    }

    fn rx_resync(&mut self, ctx: CtxId, seq: u32, rec_seq: u64) -> Result<(), DeviceError> {
        sim_rx_resync(self.sim, ctx, seq, rec_seq)
    }

    fn rx_frames(&mut self, frames: Vec<Vec<u8>>) -> Vec<RxFrame> {
        let pre = std::mem::take(&mut self.preloaded);
        assert!(
            frames.len() >= pre.len() && frames[..pre.len()] == pre[..],
            "rx_frames must begin with the {} preloaded frames",
            pre.len()
        );
        let first = self.preload_cycle.take().unwrap_or(self.sim.cycle());
        let out = sim_rx_run(self.sim, self.max_cycles, &frames[pre.len()..], frames.len());
        self.stamps.extend(std::iter::repeat_n((first, self.sim.cycle()), out.len()));
        out
    }

    fn rx_counters(&mut self) -> RxDevCounters {
        sim_rx_counters(self.sim)
    }
}

/// `RxDevice::rx_add` on a Verilated `tls_offload_top` (through the
/// firmware).
pub fn sim_rx_add(
    s: &mut Sim,
    flow: FlowKey,
    info: &TlsCryptoInfo,
    start_tcp_sn: u32,
    mode: RxResyncMode,
) -> Result<CtxId, DeviceError> {
    info.validate()?;
    let c = crate::fwcmd::execute(s, &crate::fwcmd::add_rx(flow, info, start_tcp_sn, mode))?;
    Ok(CtxId(u32::from(c.ctx_id)))
}

/// `RxDevice::rx_del` on a Verilated `tls_offload_top` (through the firmware).
pub fn sim_rx_del(sim: &mut Sim, ctx: CtxId) -> Result<(), DeviceError> {
    crate::fwcmd::execute(sim, &crate::fwcmd::simple(Opcode::DelRx, ctx, 0, 0)).map(|_| ())
}

/// `RxDevice::rx_resync` on a Verilated `tls_offload_top` (through the
/// firmware).
pub fn sim_rx_resync(sim: &mut Sim, ctx: CtxId, seq: u32, rec_seq: u64) -> Result<(), DeviceError> {
    crate::fwcmd::execute(sim, &crate::fwcmd::simple(Opcode::RxResync, ctx, seq, rec_seq)).map(|_| ())
}

/// `RxDevice::rx_frames` on a Verilated `tls_offload_top`.
pub fn sim_rx_frames(sim: &mut Sim, max_cycles: u64, frames: Vec<Vec<u8>>) -> Vec<RxFrame> {
    sim_rx_run(sim, max_cycles, &frames, frames.len())
}

/// Push `frames` to the RX port, run until the device is idle and return
/// the `n` frames it delivered since the last call (the frames pushed
/// earlier included).
fn sim_rx_run(sim: &mut Sim, max_cycles: u64, frames: &[Vec<u8>], n: usize) -> Vec<RxFrame> {
    for f in frames {
        sim.push_frame(RX_PORT, f, 0).expect("RX port exists");
    }
    sim.run_until_idle(max_cycles, 300).expect("RX frames drain");
    let out = sim.take_frames(RX_PORT);
    assert_eq!(out.len(), n, "the device must return one frame per frame received");
    out.into_iter()
        .map(|f| {
            assert_eq!(f.user_first, f.user_last, "descriptor differs between beats of a frame");
            let meta = RxMeta::from_tuser(f.user_last).expect("well-formed RX descriptor");
            RxFrame { data: f.data, meta }
        })
        .collect()
}

/// `RxDevice::rx_counters` on a Verilated `tls_offload_top`.
pub fn sim_rx_counters(sim: &mut Sim) -> RxDevCounters {
    let mut v = [0u32; csr::RX_CNT_N];
    for (i, x) in v.iter_mut().enumerate() {
        *x = sim.csr_read(csr::rx_counter(i)).expect("CSR read");
    }
    RxDevCounters::from_regs(&v)
}
