//! The RX device contract as the host sees it (docs/rx.md): the per-frame
//! descriptor the device returns with every received frame, the reasons a
//! frame is left unmarked, the device's RX counters, and the operations a
//! driver needs from a device (`tls_dev_add` / `tls_dev_del` /
//! `tls_dev_resync` for RX, frames in and out).
//!
//! Implemented by the Verilated RTL (`tlsnic-testbench`) and by the
//! behavioural reference device (`testing`).

use crate::types::{CtxId, DeviceError, FlowKey, TlsCryptoInfo};

/// How a context regains sync after losing it (the kernel's
/// `tls_offload_sync_type` for RX).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RxResyncMode {
    /// The device scans the stream and asks the host to confirm a guessed
    /// header (`TLS_OFFLOAD_SYNC_TYPE_DRIVER_REQ_ASYNC`).
    StreamScan,
    /// The host pushes the TCP sequence number and record number of a
    /// coming record header (`TLS_OFFLOAD_SYNC_TYPE_CORE_NEXT_HINT`).
    StackDriven,
}

/// Why a received frame was left unmarked (descriptor bits 7:4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RxReason {
    /// Marked `decrypted`.
    Decrypted = 0,
    /// Not TCP over IPv4/IPv6, an IP fragment, or truncated.
    Parse = 1,
    /// Bad IPv4 header checksum or TCP checksum.
    Checksum = 2,
    /// No flow table hit.
    NoFlow = 3,
    /// No TCP payload.
    NoPayload = 4,
    /// Sequence number before the expected one (retransmission).
    Old = 5,
    /// Malformed record header while in sync; sync is lost.
    BadRecord = 6,
    /// A record ending in the frame failed authentication.
    AuthFail = 7,
    /// The context is out of sync (waiting, scanning or tracking).
    OutOfSync = 8,
    /// In sync, but some TLS bytes of the frame could not be decrypted.
    Partial = 9,
}

impl RxReason {
    /// The reason with descriptor code `code`.
    pub fn from_code(code: u8) -> Option<RxReason> {
        use RxReason::*;
        Some(match code {
            0 => Decrypted,
            1 => Parse,
            2 => Checksum,
            3 => NoFlow,
            4 => NoPayload,
            5 => Old,
            6 => BadRecord,
            7 => AuthFail,
            8 => OutOfSync,
            9 => Partial,
            _ => return None,
        })
    }
}

/// The descriptor of a frame the device hands to the host
/// (`m_rx_axis_tuser`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxMeta {
    /// The frame's 4-tuple hit an installed context.
    pub flow_hit: bool,
    /// The frame carries plaintext in place of every record body byte.
    pub decrypted: bool,
    /// With `flow_hit`: the context.
    pub ctx: Option<CtxId>,
    /// Resync request: the TCP sequence number of the header the device
    /// guessed (stream scan).
    pub resync_req: Option<u32>,
    /// Why the frame is unmarked (or [`RxReason::Decrypted`]).
    pub reason: RxReason,
}

/// A descriptor that does not follow docs/rx.md.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RxMetaError {
    /// Unknown reason code.
    #[error("unknown RX reason code {0}")]
    Reason(u8),
    /// `decrypted` and the reason code disagree.
    #[error("descriptor {0:#018x}: decrypted flag and reason code disagree")]
    Inconsistent(u64),
}

impl RxMeta {
    /// Decode `m_rx_axis_tuser`.
    pub fn from_tuser(u: u64) -> Result<RxMeta, RxMetaError> {
        let code = ((u >> 4) & 0xf) as u8;
        let reason = RxReason::from_code(code).ok_or(RxMetaError::Reason(code))?;
        let flow_hit = u & 1 != 0;
        let decrypted = u & 2 != 0;
        if decrypted != (reason == RxReason::Decrypted) {
            return Err(RxMetaError::Inconsistent(u));
        }
        Ok(RxMeta {
            flow_hit,
            decrypted,
            ctx: flow_hit.then_some(CtxId(((u >> 16) & 0xffff) as u32)),
            resync_req: (u & 4 != 0).then_some((u >> 32) as u32),
            reason,
        })
    }

    /// Encode as `m_rx_axis_tuser`.
    pub fn to_tuser(&self) -> u64 {
        let mut u = self.flow_hit as u64 | (self.decrypted as u64) << 1 | (self.reason as u64) << 4;
        if let Some(c) = self.ctx {
            u |= u64::from(c.0 & 0xffff) << 16;
        }
        if let Some(g) = self.resync_req {
            u |= 4 | u64::from(g) << 32;
        }
        u
    }
}

/// A received frame as the device delivers it to the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RxFrame {
    /// Frame bytes (plaintext in place of record bodies when decrypted).
    pub data: Vec<u8>,
    /// Descriptor.
    pub meta: RxMeta,
}

/// The device's RX counters (docs/registers.md, 0x300..).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxDevCounters {
    /// `rx_tls_decrypted_packets`.
    pub decrypted_packets: u64,
    /// `rx_tls_decrypted_bytes` (TCP payload bytes of decrypted frames).
    pub decrypted_bytes: u64,
    /// `rx_tls_ctx`: contexts added.
    pub ctx_add: u64,
    /// `rx_tls_del`: contexts deleted.
    pub ctx_del: u64,
    /// `rx_tls_resync_req_pkt`: frames carrying a resync request.
    pub resync_req_pkt: u64,
    /// `rx_tls_err`: malformed record in sync, or authentication failure.
    pub err: u64,
    /// Unmarked: not TCP / unparsable.
    pub pass_parse: u64,
    /// Unmarked: bad checksum.
    pub pass_csum: u64,
    /// Unmarked: no flow table hit.
    pub pass_no_flow: u64,
    /// Unmarked: no TCP payload.
    pub pass_no_payload: u64,
    /// Unmarked: old sequence number.
    pub pass_old: u64,
    /// Unmarked: out of sync.
    pub pass_oos: u64,
    /// Unmarked: partially decryptable.
    pub pass_partial: u64,
    /// Of `err`: authentication failures.
    pub auth_fail: u64,
    /// Of `err`: malformed record headers.
    pub bad_record: u64,
    /// Resync answers applied.
    pub resync_ok: u64,
    /// Resync answers ignored (no pending guess, or another sequence number).
    pub resync_ignored: u64,
    /// Scans restarted (missing header, or guess not answered in time).
    pub scan_restart: u64,
    /// Context adds refused: table full.
    pub ctx_full: u64,
}

impl RxDevCounters {
    /// `name: value` pairs, `ethtool -S` names.
    pub fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("rx_tls_decrypted_packets", self.decrypted_packets),
            ("rx_tls_decrypted_bytes", self.decrypted_bytes),
            ("rx_tls_ctx", self.ctx_add),
            ("rx_tls_del", self.ctx_del),
            ("rx_tls_resync_req_pkt", self.resync_req_pkt),
            ("rx_tls_err", self.err),
            ("rx_tls_pass_parse", self.pass_parse),
            ("rx_tls_pass_csum", self.pass_csum),
            ("rx_tls_pass_no_flow", self.pass_no_flow),
            ("rx_tls_pass_no_payload", self.pass_no_payload),
            ("rx_tls_pass_old", self.pass_old),
            ("rx_tls_pass_oos", self.pass_oos),
            ("rx_tls_pass_partial", self.pass_partial),
            ("rx_tls_auth_fail", self.auth_fail),
            ("rx_tls_bad_record", self.bad_record),
            ("rx_tls_resync_dev_ok", self.resync_ok),
            ("rx_tls_resync_dev_ignored", self.resync_ignored),
            ("rx_tls_scan_restart", self.scan_restart),
            ("rx_tls_ctx_full", self.ctx_full),
        ]
    }
}

/// What a driver needs from a device for RX offload.
pub trait RxDevice {
    /// `tls_dev_add(RX)`: install a context for the frames whose 4-tuple is
    /// `flow` (as the received frames carry it: source = the peer); the
    /// record numbered `info.rec_seq` starts at TCP sequence number
    /// `start_tcp_sn`. `Err(DeviceError::TableFull)` when no slot is free.
    fn rx_add(
        &mut self,
        flow: FlowKey,
        info: &TlsCryptoInfo,
        start_tcp_sn: u32,
        mode: RxResyncMode,
    ) -> Result<CtxId, DeviceError>;

    /// `tls_dev_del(RX)`.
    fn rx_del(&mut self, ctx: CtxId) -> Result<(), DeviceError>;

    /// `tls_dev_resync(RX, seq, rcd_sn)`: the record numbered `rec_seq`
    /// starts at TCP sequence number `seq` (the answer to a resync request,
    /// or a stack-driven push).
    fn rx_resync(&mut self, ctx: CtxId, seq: u32, rec_seq: u64) -> Result<(), DeviceError>;

    /// Frames from the wire in, frames for the host out: one out per in, in
    /// the same order.
    fn rx_frames(&mut self, frames: Vec<Vec<u8>>) -> Vec<RxFrame>;

    /// The device's RX counters.
    fn rx_counters(&mut self) -> RxDevCounters;
}
