//! The whole Verilated device as the NIC driver sees it: TX, RX and the
//! capabilities, on one `tls_offload_top`.

use crate::rx::{sim_rx_add, sim_rx_counters, sim_rx_del, sim_rx_frames, sim_rx_resync};
use crate::tx::{sim_tag_completions, sim_tx_counters, SimTxState};
use tlsnic_driver::nic::{Capabilities, NicDevice};
use tlsnic_driver::rx_device::{RxDevCounters, RxDevice, RxFrame, RxResyncMode};
use tlsnic_driver::tx_offload::{OooPolicy, TagCompletion, TxDevice, TxDeviceCounters, TxDriverConfig, TxWork};
use tlsnic_driver::types::{CtxId, DeviceError, FlowKey, TlsCryptoInfo};
use tlsnic_sim::{Sim, SimError};

/// TX driver settings for this device: out-of-order segments rebuilt by
/// DUMP, at most 8000 record bytes per DUMP frame (with its 16-byte header
/// well within the engine's 9600-byte `MAX_FRAME`).
pub const SIM_TX_DRIVER: TxDriverConfig = TxDriverConfig { dump_mtu: 8000, policy: OooPolicy::Rebuild };

/// `tls_offload_top` behind [`NicDevice`]: TX contexts get the lowest free
/// id (table full beyond `N_CTX`), the driver's TX work is encoded in the
/// RTL's descriptor format and queued on the TX port, context commands go
/// through the firmware.
pub struct SimNic<'a> {
    /// The model.
    pub sim: &'a mut Sim,
    tx: SimTxState,
}

impl<'a> SimNic<'a> {
    /// Wrap a model.
    pub fn new(sim: &'a mut Sim) -> Result<Self, SimError> {
        let tx = SimTxState::new(sim)?;
        Ok(SimNic { sim, tx })
    }

    /// Run until the TX work is processed; the frames on the wire.
    pub fn take_wire(&mut self) -> Result<Vec<Vec<u8>>, SimError> {
        self.sim.run_until_idle(50_000_000, 300)?;
        Ok(self.sim.take_frames(0).into_iter().map(|f| f.data).collect())
    }
}

impl TxDevice for SimNic<'_> {
    fn add_tx_context(&mut self, info: &TlsCryptoInfo, start: u32) -> Result<CtxId, DeviceError> {
        self.tx.add(self.sim, info, start)
    }
    fn del_tx_context(&mut self, ctx: CtxId) -> Result<(), DeviceError> {
        self.tx.del(self.sim, ctx)
    }
    fn post(&mut self, work: TxWork) -> Result<(), DeviceError> {
        self.tx.post(self.sim, work)
    }
    fn tx_counters(&mut self) -> Result<TxDeviceCounters, DeviceError> {
        sim_tx_counters(self.sim)
    }
    fn tag_completions(&mut self) -> Result<Vec<TagCompletion>, DeviceError> {
        sim_tag_completions(self.sim)
    }
}

impl RxDevice for SimNic<'_> {
    fn rx_add(
        &mut self,
        flow: FlowKey,
        info: &TlsCryptoInfo,
        start: u32,
        mode: RxResyncMode,
    ) -> Result<CtxId, DeviceError> {
        sim_rx_add(self.sim, flow, info, start, mode)
    }
    fn rx_del(&mut self, ctx: CtxId) -> Result<(), DeviceError> {
        sim_rx_del(self.sim, ctx)
    }
    fn rx_resync(&mut self, ctx: CtxId, seq: u32, rec_seq: u64) -> Result<(), DeviceError> {
        sim_rx_resync(self.sim, ctx, seq, rec_seq)
    }
    fn rx_frames(&mut self, frames: Vec<Vec<u8>>) -> Vec<RxFrame> {
        sim_rx_frames(self.sim, 50_000_000, frames)
    }
    fn rx_counters(&mut self) -> RxDevCounters {
        sim_rx_counters(self.sim)
    }
}

impl NicDevice for SimNic<'_> {
    fn capabilities(&mut self) -> Result<Capabilities, DeviceError> {
        let n = self.sim.csr_read(crate::csr::REG_N_CTX).map_err(|e| DeviceError::Rejected(e.to_string()))? as usize;
        Ok(Capabilities { tx_contexts: n, rx_contexts: n })
    }
}
