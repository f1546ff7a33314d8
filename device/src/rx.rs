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

/// The Verilated device as an [`RxDevice`].
pub struct SimRxDevice<'a> {
    /// The model.
    pub sim: &'a mut Sim,
    /// Cycle budget for one batch of frames.
    pub max_cycles: u64,
}

impl<'a> SimRxDevice<'a> {
    /// Wrap a `tls_offload_top` model.
    pub fn new(sim: &'a mut Sim) -> Self {
        SimRxDevice { sim, max_cycles: 50_000_000 }
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
        sim_rx_frames(self.sim, self.max_cycles, frames)
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
    let n = frames.len();
    for f in &frames {
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
