//! The first version of the TX driver model, kept because
//! `testbench/src/tx.rs` drives the RTL through it: its [`TxWork`] and
//! [`TxWork::encode`] are the RTL's current descriptor and DUMP frame
//! encoding. [`crate::tx_offload`] supersedes it (the device allocates
//! context ids, work goes to a device queue, resync + dump as separate
//! items, next-record sync); delete this module once the testbench uses
//! that one. [`RtlEncoder`] encodes the new driver's work in this module's
//! RTL format meanwhile.
//!
//! The TX half of a `tlsdev_ops` driver, with the mlx5 strategy for
//! out-of-order segments ("crypto state rebuilding").
//!
//! For every TCP segment of an offloaded socket the driver either marks it
//! (`offload`, `ctx_id`) when it is the device's expected next segment, or
//! classifies it with `tls_get_record` and
//! - rebuilds the device's record state with DUMP work (the record's bytes
//!   before the segment) and then sends it marked ("continuation"),
//! - sends it unmarked if it only holds pre-offload data (already encrypted
//!   in software): `tx_tls_skip_no_sync_data`,
//! - drops it if no record can be found or it straddles the start marker:
//!   `tx_tls_drop_no_sync_data`.
//!
//! Every out-of-order segment counts `tx_tls_ooo`.

use crate::ktls_tx::{KtlsTx, RecordLookup};
use crate::types::CryptoInfo;

/// Largest DUMP chunk (bytes of record data per DUMP frame).
pub const DUMP_CHUNK: usize = 8000;

/// Errors of `tls_dev_add` / `tls_dev_del`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DevError {
    /// No free context: the connection stays in software (`TLS_SW`).
    #[error("device context table full")]
    TableFull,
    /// The device refused the command.
    #[error("device rejected the command: {0}")]
    Rejected(String),
    /// No such context.
    #[error("no context {0}")]
    NoContext(u16),
}

/// The device as the TX driver sees it.
pub trait TxDevice {
    /// Number of TX contexts.
    fn tx_contexts(&self) -> usize;
    /// Install context `ctx`.
    fn add_tx_context(&mut self, ctx: u16, info: &CryptoInfo, start_sn: u32) -> Result<(), DevError>;
    /// Delete context `ctx`.
    fn del_tx_context(&mut self, ctx: u16) -> Result<(), DevError>;
}

/// Per-frame descriptor (the device's `s_tx_axis_tuser`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxDesc {
    /// Encrypt this frame's TLS payload.
    pub offload: bool,
    /// Context.
    pub ctx: u16,
}

impl TxDesc {
    /// The tuser encoding: bit 0 offload, bits 2:1 op (0 send), 31:16 ctx.
    pub fn tuser(&self) -> u64 {
        u64::from(self.offload) | (u64::from(self.ctx) << 16)
    }
}

/// Work for the device's TX ring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxWork {
    /// A frame to transmit.
    Frame {
        /// Ethernet frame.
        frame: Vec<u8>,
        /// Descriptor.
        desc: TxDesc,
    },
    /// Record bytes to process but not transmit (crypto-state rebuild).
    Dump {
        /// Context.
        ctx: u16,
        /// TCP sequence number of the first byte.
        seq: u32,
        /// Record number of the record the bytes belong to.
        rec_num: u64,
        /// The bytes start the record.
        start: bool,
        /// Record bytes.
        bytes: Vec<u8>,
    },
}

impl TxWork {
    /// The frame and tuser the device's TX stream takes for this work.
    /// DUMP frames: 16-byte header (seq, record number, flags) + bytes.
    pub fn encode(&self) -> (Vec<u8>, u64) {
        match self {
            TxWork::Frame { frame, desc } => (frame.clone(), desc.tuser()),
            TxWork::Dump { ctx, seq, rec_num, start, bytes } => {
                let mut f = Vec::with_capacity(16 + bytes.len());
                f.extend_from_slice(&seq.to_be_bytes());
                f.extend_from_slice(&rec_num.to_be_bytes());
                f.extend_from_slice(&[u8::from(*start), 0, 0, 0]);
                f.extend_from_slice(bytes);
                (f, 1 | (1 << 1) | (u64::from(*ctx) << 16))
            }
        }
    }
}

/// Driver-side TX statistics, shared with [`crate::tx_offload`].
pub use crate::tx_offload::TxDriverStats;

/// The TX driver.
#[derive(Debug)]
pub struct TxDriver {
    used: Vec<bool>,
    expected: Vec<u32>,
    /// Statistics.
    pub stats: TxDriverStats,
}

impl TxDriver {
    /// A driver for a device with `n` TX contexts.
    pub fn new(n: usize) -> Self {
        TxDriver { used: vec![false; n], expected: vec![0; n], stats: TxDriverStats::default() }
    }

    /// `tls_dev_add(netdev, sk, TLS_OFFLOAD_CTX_DIR_TX, crypto_info,
    /// start_offload_tcp_sn)`: a free context id, or `TableFull`.
    pub fn tls_dev_add(&mut self, dev: &mut dyn TxDevice, info: &CryptoInfo, start_sn: u32) -> Result<u16, DevError> {
        let ctx = self.used.iter().position(|u| !u).ok_or(DevError::TableFull)? as u16;
        dev.add_tx_context(ctx, info, start_sn)?;
        self.used[usize::from(ctx)] = true;
        self.expected[usize::from(ctx)] = start_sn;
        self.stats.tx_tls_ctx += 1;
        Ok(ctx)
    }

    /// `tls_dev_del` for TX.
    pub fn tls_dev_del(&mut self, dev: &mut dyn TxDevice, ctx: u16) -> Result<(), DevError> {
        if !self.used.get(usize::from(ctx)).copied().unwrap_or(false) {
            return Err(DevError::NoContext(ctx));
        }
        dev.del_tx_context(ctx)?;
        self.used[usize::from(ctx)] = false;
        self.stats.tx_tls_del += 1;
        Ok(())
    }

    /// Transmit a segment of `sock` (offloaded as `ctx`) starting at TCP
    /// sequence number `seq` with `len` payload bytes, already built into
    /// `frame`. Returns the device work in order (empty: dropped).
    pub fn xmit(&mut self, sock: &KtlsTx, ctx: u16, seq: u32, len: usize, frame: Vec<u8>) -> Vec<TxWork> {
        let c = usize::from(ctx);
        let marked = TxWork::Frame { frame: frame.clone(), desc: TxDesc { offload: true, ctx } };
        if len == 0 {
            return vec![TxWork::Frame { frame, desc: TxDesc { offload: false, ctx } }];
        }
        if seq == self.expected[c] {
            self.expected[c] = seq.wrapping_add(len as u32);
            return vec![marked];
        }
        self.stats.tx_tls_ooo += 1;
        match sock.get_record(seq) {
            RecordLookup::None => {
                self.stats.tx_tls_drop_no_sync_data += 1;
                Vec::new()
            }
            RecordLookup::Marker => {
                let end = seq.wrapping_add(len as u32);
                if crate::types::seq_before(sock.start_sn, end) {
                    // Straddles the marker: part software, part hardware.
                    self.stats.tx_tls_drop_no_sync_data += 1;
                    Vec::new()
                } else {
                    self.stats.tx_tls_skip_no_sync_data += 1;
                    vec![TxWork::Frame { frame, desc: TxDesc { offload: false, ctx } }]
                }
            }
            RecordLookup::Record(r) => {
                let prefix = &r.bytes[..seq.wrapping_sub(r.start) as usize];
                let mut work = Vec::new();
                let mut p = 0;
                loop {
                    let n = DUMP_CHUNK.min(prefix.len() - p);
                    work.push(TxWork::Dump {
                        ctx,
                        seq: r.start.wrapping_add(p as u32),
                        rec_num: r.rec_num,
                        start: p == 0,
                        bytes: prefix[p..p + n].to_vec(),
                    });
                    self.stats.tx_tls_dump_packets += 1;
                    self.stats.tx_tls_dump_bytes += n as u64;
                    p += n;
                    if p == prefix.len() {
                        break;
                    }
                }
                work.push(marked);
                self.expected[c] = seq.wrapping_add(len as u32);
                work
            }
        }
    }
}

/// Encodes the new driver's work ([`crate::tx_offload::TxWork`]) in the
/// RTL's current TX stream format ([`TxWork::encode`]): a marked or unmarked
/// frame as is with its descriptor in tuser; `Resync` and `ContextUpdate`
/// as a DUMP frame with the start flag and no bytes (record start sequence
/// number, record number); each `Dump` as a DUMP frame without the start
/// flag at the running sequence number of its context. Checked against the
/// RTL: the same work through this encoder and through
/// [`crate::testing::RefTxDevice`] gave byte-identical wire frames.
#[derive(Debug, Default)]
pub struct RtlEncoder {
    /// Per context: sequence number of the next dumped byte, record number.
    cursor: std::collections::HashMap<crate::types::CtxId, (u32, u64)>,
}

impl RtlEncoder {
    /// A fresh encoder (no rebuild in progress).
    pub fn new() -> Self {
        Self::default()
    }

    /// The frame and tuser for `work`. Errors: a context id beyond 16 bits,
    /// or a `Dump` with no `Resync` before it on its context.
    pub fn encode(&mut self, work: &crate::tx_offload::TxWork) -> Result<(Vec<u8>, u64), DevError> {
        use crate::tx_offload::TxWork as W;
        let ctx16 = |c: crate::types::CtxId| u16::try_from(c.0).map_err(|_| DevError::Rejected(format!("{c}")));
        let legacy = match work {
            W::Frame { desc, frame } => {
                let desc = TxDesc { offload: desc.offload, ctx: if desc.offload { ctx16(desc.ctx_id)? } else { 0 } };
                return Ok((frame.clone(), desc.tuser()));
            }
            W::Resync { ctx_id, rec_start_seq: seq, rec_num } | W::ContextUpdate { ctx_id, tcp_seq: seq, rec_num } => {
                self.cursor.insert(*ctx_id, (*seq, *rec_num));
                TxWork::Dump { ctx: ctx16(*ctx_id)?, seq: *seq, rec_num: *rec_num, start: true, bytes: Vec::new() }
            }
            W::Dump { ctx_id, bytes } => {
                let ctx = ctx16(*ctx_id)?;
                let c = self
                    .cursor
                    .get_mut(ctx_id)
                    .ok_or_else(|| DevError::Rejected(format!("Dump before Resync on {ctx_id}")))?;
                let d = TxWork::Dump { ctx, seq: c.0, rec_num: c.1, start: false, bytes: bytes.clone() };
                c.0 = c.0.wrapping_add(bytes.len() as u32);
                d
            }
        };
        Ok(legacy.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_offload::{TxDesc as Desc, TxWork as W};
    use crate::types::CtxId;

    #[test]
    fn rtl_encoder_maps_resync_and_dumps_onto_dump_frames() {
        let mut e = RtlEncoder::new();
        let c = CtxId(3);
        let (f, u) = e.encode(&W::Resync { ctx_id: c, rec_start_seq: 0xffff_fff0, rec_num: 9 }).unwrap();
        assert_eq!(u, 1 | 1 << 1 | 3 << 16);
        assert_eq!(f, [&[0xff, 0xff, 0xff, 0xf0][..], &9u64.to_be_bytes(), &[1, 0, 0, 0]].concat());
        let (f, _) = e.encode(&W::Dump { ctx_id: c, bytes: vec![7; 20] }).unwrap();
        assert_eq!(&f[..16], &[&[0xff, 0xff, 0xff, 0xf0][..], &9u64.to_be_bytes(), &[0, 0, 0, 0]].concat()[..]);
        let (f, _) = e.encode(&W::Dump { ctx_id: c, bytes: vec![7; 1] }).unwrap();
        assert_eq!(&f[..4], &[0, 0, 0, 4], "running sequence number wraps");
        let (f, u) = e.encode(&W::Frame { desc: Desc::offload(c), frame: vec![1, 2] }).unwrap();
        assert_eq!((f, u), (vec![1, 2], 1 | 3 << 16));
        let (_, u) = e.encode(&W::Frame { desc: Desc::plain(), frame: vec![1] }).unwrap();
        assert_eq!(u, 0);
        assert!(e.encode(&W::Dump { ctx_id: CtxId(4), bytes: vec![] }).is_err());
        assert!(e.encode(&W::Frame { desc: Desc::offload(CtxId(1 << 16)), frame: vec![] }).is_err());
    }
}
