//! The RX device contract as the host sees it (docs/rx.md): the per-frame
//! descriptor the device returns with every received frame, the reasons a
//! frame is left unmarked, the device's RX counters, and the operations a
//! driver needs from a device (`tls_dev_add` / `tls_dev_del` /
//! `tls_dev_resync` for RX, frames in and out).
//!
//! Implemented by the Verilated RTL (`tlsnic-testbench`) and by the
//! behavioural reference device (`testing`).
//!
//! Codes, bit positions and the counter order are those of
//! `tlsnic_firmware::regs`, generated from rtl/regmap.rdl and rtl/regmap.toml like the RTL's
//! `tlsnic_regs_pkg`.

use crate::types::{CtxId, DeviceError, FlowKey, TlsCryptoInfo};
use tlsnic_firmware::regs;

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

/// Why a received frame was left unmarked (descriptor field `RXD_REASON`,
/// codes `RX_REASON_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RxReason {
    /// Marked `decrypted`.
    Decrypted = regs::RX_REASON_DEC,
    /// Not TCP over IPv4/IPv6, an IP fragment, or truncated.
    Parse = regs::RX_REASON_PARSE,
    /// Bad IPv4 header checksum or TCP checksum.
    Checksum = regs::RX_REASON_CSUM,
    /// No flow table hit.
    NoFlow = regs::RX_REASON_NOFLOW,
    /// No TCP payload.
    NoPayload = regs::RX_REASON_NOPAY,
    /// Sequence number before the expected one (retransmission).
    Old = regs::RX_REASON_OLD,
    /// Malformed record header while in sync; sync is lost.
    BadRecord = regs::RX_REASON_BADREC,
    /// A record ending in the frame failed authentication.
    AuthFail = regs::RX_REASON_AUTH,
    /// The context is out of sync (waiting, scanning or tracking).
    OutOfSync = regs::RX_REASON_OOS,
    /// In sync, but some TLS bytes of the frame could not be decrypted.
    Partial = regs::RX_REASON_PART,
}

impl RxReason {
    /// A short name: `decrypted`, or `pass: ` and why the frame went up
    /// as it came (capture comments, logs).
    pub fn label(self) -> &'static str {
        use RxReason::*;
        match self {
            Decrypted => "decrypted",
            Parse => "pass: parse (not TCP/IP, fragment or truncated)",
            Checksum => "pass: bad checksum",
            NoFlow => "pass: no flow",
            NoPayload => "pass: no payload",
            Old => "pass: old sequence number (retransmission)",
            BadRecord => "pass: bad record header",
            AuthFail => "pass: authentication failed",
            OutOfSync => "pass: out of sync",
            Partial => "pass: partly decrypted",
        }
    }

    /// The reason with descriptor code `code`.
    pub fn from_code(code: u8) -> Option<RxReason> {
        use RxReason::*;
        Some(match code {
            regs::RX_REASON_DEC => Decrypted,
            regs::RX_REASON_PARSE => Parse,
            regs::RX_REASON_CSUM => Checksum,
            regs::RX_REASON_NOFLOW => NoFlow,
            regs::RX_REASON_NOPAY => NoPayload,
            regs::RX_REASON_OLD => Old,
            regs::RX_REASON_BADREC => BadRecord,
            regs::RX_REASON_AUTH => AuthFail,
            regs::RX_REASON_OOS => OutOfSync,
            regs::RX_REASON_PART => Partial,
            _ => return None,
        })
    }
}

/// Bits `lsb..lsb + width` of `v`.
fn field(v: u64, lsb: u32, width: u32) -> u64 {
    (v >> lsb) & (u64::MAX >> (64 - width))
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
    /// Decode `m_rx_axis_tuser` (`RXD_*`).
    pub fn from_tuser(u: u64) -> Result<RxMeta, RxMetaError> {
        let code = field(u, regs::RXD_REASON_LSB, regs::RXD_REASON_W) as u8;
        let reason = RxReason::from_code(code).ok_or(RxMetaError::Reason(code))?;
        let flow_hit = u & 1 << regs::RXD_FLOW_HIT != 0;
        let decrypted = u & 1 << regs::RXD_DECRYPTED != 0;
        if decrypted != (reason == RxReason::Decrypted) {
            return Err(RxMetaError::Inconsistent(u));
        }
        Ok(RxMeta {
            flow_hit,
            decrypted,
            ctx: flow_hit.then_some(CtxId(field(u, regs::RXD_CTX_LSB, regs::RXD_CTX_W) as u32)),
            resync_req: (u & 1 << regs::RXD_RESYNC_REQ != 0)
                .then_some(field(u, regs::RXD_GUESS_LSB, regs::RXD_GUESS_W) as u32),
            reason,
        })
    }

    /// Encode as `m_rx_axis_tuser` (`RXD_*`).
    pub fn to_tuser(&self) -> u64 {
        let mut u = u64::from(self.flow_hit) << regs::RXD_FLOW_HIT
            | u64::from(self.decrypted) << regs::RXD_DECRYPTED
            | (self.reason as u64) << regs::RXD_REASON_LSB;
        if let Some(c) = self.ctx {
            u |= field(u64::from(c.0), 0, regs::RXD_CTX_W) << regs::RXD_CTX_LSB;
        }
        if let Some(g) = self.resync_req {
            u |= 1 << regs::RXD_RESYNC_REQ | field(u64::from(g), 0, regs::RXD_GUESS_W) << regs::RXD_GUESS_LSB;
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

/// The device's RX counters (docs/registers.md: `REG_RX_STATS`, indices
/// `RX_CNT_*`, names `RX_COUNTER_NAMES`).
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
    /// The counters from the device's RX counter registers, `r[i]` the
    /// register at `REG_RX_STATS + 4 i`.
    pub fn from_regs(r: &[u32; regs::RX_CNT_N]) -> RxDevCounters {
        use regs::*;
        let v = |i: usize| u64::from(r[i]);
        RxDevCounters {
            decrypted_packets: v(RX_CNT_DEC_PKTS),
            decrypted_bytes: v(RX_CNT_DEC_BYTES_LO) | v(RX_CNT_DEC_BYTES_HI) << 32,
            ctx_add: v(RX_CNT_CTX),
            ctx_del: v(RX_CNT_DEL),
            resync_req_pkt: v(RX_CNT_REQ_PKT),
            err: v(RX_CNT_ERR),
            pass_parse: v(RX_CNT_PARSE),
            pass_csum: v(RX_CNT_CSUM),
            pass_no_flow: v(RX_CNT_NOFLOW),
            pass_no_payload: v(RX_CNT_NOPAY),
            pass_old: v(RX_CNT_OLD),
            pass_oos: v(RX_CNT_OOS),
            pass_partial: v(RX_CNT_PART),
            auth_fail: v(RX_CNT_AUTH),
            bad_record: v(RX_CNT_BADREC),
            resync_ok: v(RX_CNT_RES_OK),
            resync_ignored: v(RX_CNT_RES_IGN),
            scan_restart: v(RX_CNT_RESTART),
            ctx_full: v(RX_CNT_FULL),
        }
    }

    /// `name: value` pairs, `ethtool -S` names (`RX_COUNTER_NAMES`), in
    /// register order (a 64-bit counter once).
    pub fn named(&self) -> Vec<(&'static str, u64)> {
        use regs::*;
        let n = |i: usize| RX_COUNTER_NAMES[i];
        vec![
            (n(RX_CNT_DEC_PKTS), self.decrypted_packets),
            (n(RX_CNT_DEC_BYTES_LO), self.decrypted_bytes),
            (n(RX_CNT_CTX), self.ctx_add),
            (n(RX_CNT_DEL), self.ctx_del),
            (n(RX_CNT_REQ_PKT), self.resync_req_pkt),
            (n(RX_CNT_ERR), self.err),
            (n(RX_CNT_PARSE), self.pass_parse),
            (n(RX_CNT_CSUM), self.pass_csum),
            (n(RX_CNT_NOFLOW), self.pass_no_flow),
            (n(RX_CNT_NOPAY), self.pass_no_payload),
            (n(RX_CNT_OLD), self.pass_old),
            (n(RX_CNT_OOS), self.pass_oos),
            (n(RX_CNT_PART), self.pass_partial),
            (n(RX_CNT_AUTH), self.auth_fail),
            (n(RX_CNT_BADREC), self.bad_record),
            (n(RX_CNT_RES_OK), self.resync_ok),
            (n(RX_CNT_RES_IGN), self.resync_ignored),
            (n(RX_CNT_RESTART), self.scan_restart),
            (n(RX_CNT_FULL), self.ctx_full),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_follow_the_generated_register_list() {
        let r: [u32; regs::RX_CNT_N] = std::array::from_fn(|i| 0x100 + i as u32);
        let named = RxDevCounters::from_regs(&r).named();
        // one entry per counter, in register order, the halves of a 64-bit
        // counter (adjacent, same name) once
        let mut names = regs::RX_COUNTER_NAMES.to_vec();
        names.dedup();
        assert_eq!(named.iter().map(|n| n.0).collect::<Vec<_>>(), names);
        // each value is its registers', low word first
        for (name, v) in named {
            let want = (0..regs::RX_CNT_N)
                .filter(|&i| regs::RX_COUNTER_NAMES[i] == name)
                .enumerate()
                .fold(0u64, |acc, (k, i)| acc | u64::from(r[i]) << (32 * k));
            assert_eq!(v, want, "{name}");
        }
    }

    #[test]
    fn descriptor_round_trip() {
        use RxReason::*;
        let all = [Decrypted, Parse, Checksum, NoFlow, NoPayload, Old, BadRecord, AuthFail, OutOfSync, Partial];
        for r in all {
            assert_eq!(RxReason::from_code(r as u8), Some(r));
        }
        assert_eq!((0..=u8::MAX).filter_map(RxReason::from_code).count(), all.len());
        let metas = [
            RxMeta { flow_hit: false, decrypted: false, ctx: None, resync_req: None, reason: RxReason::NoFlow },
            RxMeta {
                flow_hit: true,
                decrypted: true,
                ctx: Some(CtxId(0xfffe)),
                resync_req: Some(0x8765_4321),
                reason: RxReason::Decrypted,
            },
            RxMeta {
                flow_hit: true,
                decrypted: false,
                ctx: Some(CtxId(3)),
                resync_req: None,
                reason: RxReason::Partial,
            },
        ];
        for m in metas {
            assert_eq!(RxMeta::from_tuser(m.to_tuser()), Ok(m));
        }
        let bad_reason = u64::from(regs::RX_REASON_PART + 1) << regs::RXD_REASON_LSB;
        assert_eq!(RxMeta::from_tuser(bad_reason), Err(RxMetaError::Reason(regs::RX_REASON_PART + 1)));
        let inconsistent = 1 << regs::RXD_DECRYPTED | u64::from(regs::RX_REASON_OLD) << regs::RXD_REASON_LSB;
        assert_eq!(RxMeta::from_tuser(inconsistent), Err(RxMetaError::Inconsistent(inconsistent)));
    }
}
