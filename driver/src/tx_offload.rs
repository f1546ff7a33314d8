//! The TX half of a TLS_HW driver: `tlsdev_ops` for TX (`tls_dev_add`,
//! `tls_dev_del`, `tls_dev_resync`) and the transmit path that marks the
//! segments of offloaded sockets for the device, against an abstract device
//! ([`TxDevice`]: a context table and an ordered work queue of [`TxWork`]).
//!
//! The driver tracks the TCP sequence number each context expects next.
//! A segment at that number is sent marked (`offload`, `ctx_id`) and moves
//! it forward. Any other segment is out of order (`tx_tls_ooo`) and handled
//! by the context's [`OooPolicy`]:
//!
//! - [`OooPolicy::Rebuild`], the mlx5 strategy ("crypto state rebuilding",
//!   `mlx5e_ktls_handle_tx_skb`), by `tls_get_record`:
//!   - no record: dropped (`tx_tls_drop_no_sync_data`);
//!   - the start marker and the segment ends at or before the offload start
//!     (pre-offload data, encrypted by user space): sent unmarked and
//!     unchanged (`tx_tls_skip_no_sync_data`), the expected number unchanged;
//!   - the start marker and the segment reaches past the offload start
//!     (software and hardware bytes mixed), or the segment ends before the
//!     record (acknowledged): dropped (`tx_tls_drop_no_sync_data`, as mlx5
//!     counts it today; `tx_tls_drop_bypass_req` stays 0);
//!   - otherwise [`TxWork::Resync`] (record start, record number), then
//!     [`TxWork::Dump`] items of at most `dump_mtu` bytes carrying the
//!     record's bytes from its start up to the segment, then the segment
//!     marked; the device continues from there and the expected number
//!     becomes the segment's end. A retransmission thus makes the next new
//!     segment out of order too (rebuilt the same way).
//! - [`OooPolicy::NextRecordSync`] ("next record sync", nfp/funeth): the
//!   segment is encrypted by the kTLS software fallback and sent unmarked.
//!   If it lies in the future (`seq - expected < 2^32 / 4`, a local drop),
//!   the driver asks the stack for a resync
//!   (`tls_offload_tx_resync_request`); with the next record the stack
//!   calls `tls_dev_resync(TX, seq, rec_num)` and the driver posts
//!   [`TxWork::ContextUpdate`] and expects that record's first byte. While
//!   the resync is pending every segment goes to software.
//! - [`OooPolicy::Retransmit`] (random-access retransmission): the same
//!   `tls_get_record` classification as Rebuild (no record, pre-offload
//!   data, straddling, acknowledged). Otherwise the segment, starting `o`
//!   bytes into record `r`, is posted as one [`TxWork::Retransmit`] with
//!   r's header, its TLS 1.2 explicit nonce and, when the segment starts
//!   inside the record (`o > 0`) and reaches its tag bytes, r's tag
//!   (`tx_tls_retx_packets`, `tx_tls_retx_bytes`). AES-GCM keystream is
//!   random access, so the device encrypts the segment in place without
//!   the record's prefix and leaves the context alone: the expected number
//!   does not change and the next new segment is still in order. The only
//!   prefix-dependent value, the tag, comes from the device itself: it
//!   reports every tag it computes for a marked frame in a
//!   [`TagCompletion`] ([`TxDevice::tag_completions`], read at the start of
//!   every [`TxDriver::xmit`]), and the driver keeps it with the record in
//!   the socket's record store ([`KtlsTx::set_record_tag`]) until the
//!   record is acknowledged. If the tag is needed and not known yet (no
//!   completion read), or a failed post left the device's state unknown,
//!   the segment is rebuilt exactly as with Rebuild (`tx_tls_dump_fallback`),
//!   which moves the context; the next new segment is then out of order
//!   and goes through the same classification.
//!   The device only re-encrypts bytes the kernel already holds for that
//!   record, at that record's nonce: the same plaintext under the same
//!   nonce and counter blocks as the first transmission, hence the
//!   identical ciphertext on the wire that TCP requires and no new
//!   keystream use. The host that asks for it already holds the key, so it
//!   gains no encryption or tag oracle.
//!
//! The rule above all: a segment that cannot be encrypted correctly is
//! dropped, never sent in clear.
//!
//! Device-side counters (`tx_tls_encrypted_packets`,
//! `tx_tls_encrypted_bytes`) are the device's: [`TxDriver::ethtool_stats`]
//! reads them through [`TxDevice::tx_counters`] and prints them with the
//! driver's own.

use crate::ktls_tx::{FallbackError, KtlsTx, SwFallback, TxRecord, TxResyncOps};
use crate::tcp::{self, ParseError};
use crate::types::{seq_before, Direction, TlsCryptoInfo, TlsVersion, TLS_TAG_SIZE};
use std::collections::HashMap;

pub use crate::types::{CtxId, DeviceError};

/// Per-frame descriptor of the device's TX queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TxDesc {
    /// Encrypt this frame's TLS payload with context `ctx_id` (the frame's
    /// TCP sequence number must be the one the context expects). Unmarked
    /// frames pass unchanged.
    pub offload: bool,
    /// The context; meaningful only with `offload` (unmarked frames carry
    /// `CtxId(0)`).
    pub ctx_id: CtxId,
}

impl TxDesc {
    /// An unmarked frame.
    pub const fn plain() -> Self {
        TxDesc { offload: false, ctx_id: CtxId(0) }
    }

    /// A frame to encrypt with `ctx_id`.
    pub const fn offload(ctx_id: CtxId) -> Self {
        TxDesc { offload: true, ctx_id }
    }
}

/// Work for the device's TX queue, executed in order.
///
/// Context state the items refer to: the expected TCP sequence number, the
/// record being walked (its number and how far into it the context is:
/// header, explicit nonce, body, tag) and its crypto state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxWork {
    /// A frame for the wire. Marked: the device encrypts the record bytes in
    /// its TCP payload, writes the tags into the space reserved for them and
    /// fixes the TCP checksum, if its sequence number is the expected one,
    /// and advances the expected number by the payload length; a marked
    /// frame it cannot encrypt it drops. Unmarked: sent as it is.
    Frame {
        /// Descriptor.
        desc: TxDesc,
        /// Ethernet frame (no FCS).
        frame: Vec<u8>,
    },
    /// Start of a crypto-state rebuild (mlx5: STATIC_PARAMS if the record
    /// number changed, PROGRESS_PARAMS, fence): the context is at the first
    /// byte of record `rec_num`, which starts at TCP sequence number
    /// `rec_start_seq`; that is the expected number. [`TxWork::Dump`] items
    /// and then the segment follow.
    Resync {
        /// Context.
        ctx_id: CtxId,
        /// TCP sequence number of the record's first byte.
        rec_start_seq: u32,
        /// Its record number.
        rec_num: u64,
    },
    /// Record bytes to run through the context exactly as a marked frame's
    /// payload at the expected sequence number would be (header, nonce,
    /// body through AES-GCM, possibly part of the tag space), with the
    /// output discarded and nothing sent (mlx5 DUMP WQE); the expected
    /// number advances by their length.
    Dump {
        /// Context.
        ctx_id: CtxId,
        /// Record bytes, at most the driver's `dump_mtu`.
        bytes: Vec<u8>,
    },
    /// Next-record sync: the next record, number `rec_num`, starts at TCP
    /// sequence number `tcp_seq`, which becomes the expected number (for
    /// the device, the same as a [`TxWork::Resync`] with no Dump).
    ContextUpdate {
        /// Context.
        ctx_id: CtxId,
        /// TCP sequence number of the record's first byte.
        tcp_seq: u32,
        /// Its record number.
        rec_num: u64,
    },
    /// A marked frame whose TCP payload starts `offset` bytes into record
    /// `rec_num` (offset 0 = the record's first header byte), encrypted at
    /// that position without the record's prefix (AES-GCM keystream is
    /// random access: the counter block of body byte `b` of a record is a
    /// function of the record's nonce and `b / 16`). The device encrypts
    /// the payload there: the rest of that record, then any records after
    /// it inside the segment (their headers are in the segment; they are
    /// walked as in a marked frame, with their own computed tags). It
    /// writes the first record's tag into its tag bytes, fixes the TCP
    /// checksum and sends the frame. It does not change the context's
    /// state (expected sequence number, record being walked): the next new
    /// segment is still in order. It reports no tag completion for it.
    ///
    /// The first record's tag is the only value that depends on the
    /// record's prefix:
    /// - `offset == 0`: the device walks the whole record and computes the
    ///   tag itself (`tag` is ignored);
    /// - `offset > 0`: the device writes `tag`; if the payload reaches the
    ///   tag bytes (`offset + payload length > record length - 16`, record
    ///   length = 5 + the header's length field) and `tag` is `None`, it
    ///   drops the frame: it cannot compute the tag without the prefix.
    ///
    /// The device also drops the frame if it does not parse, if its TCP
    /// sequence number is not `seq`, if the context does not exist, or if
    /// `header` or a later record is malformed (or `offset` is not inside
    /// the record). Only the context's keys are used: a context broken by
    /// a malformed Dump still retransmits.
    Retransmit {
        /// Context.
        ctx_id: CtxId,
        /// The frame's TCP sequence number.
        seq: u32,
        /// Number of the record the payload starts in.
        rec_num: u64,
        /// Where in that record the payload starts (0 = its first header
        /// byte).
        offset: u16,
        /// The record's 5-byte TLS header.
        header: [u8; 5],
        /// Record bytes 5..13: the TLS 1.2 explicit nonce; zeros for TLS
        /// 1.3 (the nonce comes from the IV and `rec_num`).
        nonce: [u8; 8],
        /// The record's tag when known (the driver sends it only when the
        /// device needs it: `offset > 0` and the payload reaches the tag).
        tag: Option<[u8; 16]>,
        /// Ethernet frame (no FCS), payload in clear.
        frame: Vec<u8>,
    },
}

/// A completion of the device's event stream: the device wrote this `tag`
/// into record `rec_num` of context `ctx_id` (it computed it while
/// encrypting a marked [`TxWork::Frame`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TagCompletion {
    /// Context.
    pub ctx_id: CtxId,
    /// Record number.
    pub rec_num: u64,
    /// The record's AES-GCM tag.
    pub tag: [u8; 16],
}

/// The device counters of the TX path that the seed names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TxDeviceCounters {
    /// Marked frames encrypted and sent.
    pub tx_tls_encrypted_packets: u64,
    /// TCP payload bytes of those frames.
    pub tx_tls_encrypted_bytes: u64,
}

/// The device as the TX driver sees it.
pub trait TxDevice {
    /// Install a TX context with `crypto_info` whose first record starts at
    /// `start_offload_tcp_sn`; the device chooses the id.
    /// [`DeviceError::TableFull`] when no context is free.
    fn add_tx_context(&mut self, info: &TlsCryptoInfo, start_offload_tcp_sn: u32) -> Result<CtxId, DeviceError>;
    /// Delete a TX context.
    fn del_tx_context(&mut self, ctx_id: CtxId) -> Result<(), DeviceError>;
    /// Queue work; the device executes the queue in order.
    fn post(&mut self, work: TxWork) -> Result<(), DeviceError>;
    /// Read the device's TX counters.
    fn tx_counters(&mut self) -> Result<TxDeviceCounters, DeviceError>;
    /// Tag completions since the last call, in the order the device wrote
    /// the tags: one for every record tag the device computed while
    /// encrypting a marked [`TxWork::Frame`] (none for [`TxWork::Dump`] or
    /// [`TxWork::Retransmit`]). A device that reports no tags returns an
    /// empty list (retransmissions inside a record then fall back to
    /// Resync + Dump). A context's completions are all readable once
    /// [`TxDevice::del_tx_context`] of it returned: the driver reads them
    /// then, so a context id used again never gets the old context's tags.
    fn tag_completions(&mut self) -> Result<Vec<TagCompletion>, DeviceError>;
}

/// What the driver does with a context's out-of-order segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OooPolicy {
    /// Rebuild the device's record state with Resync + Dump (mlx5).
    Rebuild,
    /// Software fallback and resync to the next record (nfp, funeth).
    NextRecordSync,
    /// Random-access retransmission ([`TxWork::Retransmit`]) with the tags
    /// from the device's tag completions; Resync + Dump when a needed tag
    /// is not known.
    Retransmit,
}

/// Driver settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxDriverConfig {
    /// Largest [`TxWork::Dump`] (mlx5: the hardware MTU).
    pub dump_mtu: usize,
    /// Policy of new contexts.
    pub policy: OooPolicy,
}

impl Default for TxDriverConfig {
    fn default() -> Self {
        TxDriverConfig { dump_mtu: 1500, policy: OooPolicy::Rebuild }
    }
}

/// Driver-side TX statistics. The first eight are the seed's / mlx5's
/// names; the rest explain the next-record-sync path, refused contexts and
/// the random-access retransmission path with its tag completions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxDriverStats {
    /// Contexts added.
    pub tx_tls_ctx: u64,
    /// Contexts deleted.
    pub tx_tls_del: u64,
    /// Segments with payload that were not the expected one (or came while
    /// a TX resync was pending), whatever became of them.
    pub tx_tls_ooo: u64,
    /// Out-of-order segments of pre-offload data, sent unmarked.
    pub tx_tls_skip_no_sync_data: u64,
    /// Out-of-order segments dropped: no record found, already
    /// acknowledged, or straddling the offload start (mlx5 counts that here).
    pub tx_tls_drop_no_sync_data: u64,
    /// Segments mixing software- and hardware-encrypted data: 0, as in
    /// mlx5 today (counted in `tx_tls_drop_no_sync_data`).
    pub tx_tls_drop_bypass_req: u64,
    /// [`TxWork::Dump`] items posted.
    pub tx_tls_dump_packets: u64,
    /// Bytes in them.
    pub tx_tls_dump_bytes: u64,
    /// [`TxWork::Resync`] items posted (rebuilt out-of-order segments).
    pub tx_tls_resync: u64,
    /// Segments encrypted by the software fallback.
    pub tx_tls_fallback_packets: u64,
    /// TX resyncs requested from the stack.
    pub tx_tls_resync_req: u64,
    /// [`TxWork::ContextUpdate`] items posted.
    pub tx_tls_ctx_update: u64,
    /// `tls_dev_add` refused for a full context table (connection in
    /// software).
    pub tx_tls_ctx_table_full: u64,
    /// [`TxWork::Retransmit`] items posted.
    pub tx_tls_retx_packets: u64,
    /// TCP payload bytes of those frames.
    pub tx_tls_retx_bytes: u64,
    /// Out-of-order segments of [`OooPolicy::Retransmit`] contexts rebuilt
    /// with Resync + Dump instead: the segment starts inside a record and
    /// reaches its tag, which is not known yet (or a failed post left the
    /// device's state unknown). Also counted in `tx_tls_resync`.
    pub tx_tls_dump_fallback: u64,
    /// Tag completions read from the device (those of contexts the driver
    /// no longer has included; they are discarded, as are tags of records
    /// already acknowledged).
    pub tx_tls_tag_completions: u64,
}

impl TxDriverStats {
    /// (name, value) in `ethtool -S` order.
    pub fn counters(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("tx_tls_ctx", self.tx_tls_ctx),
            ("tx_tls_del", self.tx_tls_del),
            ("tx_tls_ooo", self.tx_tls_ooo),
            ("tx_tls_skip_no_sync_data", self.tx_tls_skip_no_sync_data),
            ("tx_tls_drop_no_sync_data", self.tx_tls_drop_no_sync_data),
            ("tx_tls_drop_bypass_req", self.tx_tls_drop_bypass_req),
            ("tx_tls_dump_packets", self.tx_tls_dump_packets),
            ("tx_tls_dump_bytes", self.tx_tls_dump_bytes),
            ("tx_tls_resync", self.tx_tls_resync),
            ("tx_tls_fallback_packets", self.tx_tls_fallback_packets),
            ("tx_tls_resync_req", self.tx_tls_resync_req),
            ("tx_tls_ctx_update", self.tx_tls_ctx_update),
            ("tx_tls_ctx_table_full", self.tx_tls_ctx_table_full),
            ("tx_tls_retx_packets", self.tx_tls_retx_packets),
            ("tx_tls_retx_bytes", self.tx_tls_retx_bytes),
            ("tx_tls_dump_fallback", self.tx_tls_dump_fallback),
            ("tx_tls_tag_completions", self.tx_tls_tag_completions),
        ]
    }
}

/// `name: value` lines, as `ethtool -S` prints them.
pub fn format_ethtool(counters: &[(&str, u64)]) -> String {
    counters.iter().map(|(n, v)| format!("     {n}: {v}\n")).collect()
}

/// Why a segment was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// No record holds it.
    NoRecord,
    /// Pre-offload and offloaded bytes in one segment.
    StraddlesOffloadStart,
    /// It ends before the record `tls_get_record` found (acknowledged).
    Acknowledged,
}

/// What [`TxDriver::xmit`] did with a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum XmitVerdict {
    /// In order: sent marked.
    Offloaded,
    /// Out of order: Resync and `dumps` Dump items posted, then sent marked.
    Rebuilt {
        /// Dump items.
        dumps: usize,
        /// Record bytes in them.
        dump_bytes: usize,
    },
    /// Sent unmarked and unchanged: no payload, or a socket without offload.
    Plain,
    /// Out of order, only pre-offload bytes: sent unmarked and unchanged.
    SkippedPreOffload,
    /// Out of order: encrypted in software, sent unmarked.
    SoftwareEncrypted {
        /// A TX resync was requested (the segment was in the future).
        resync_requested: bool,
    },
    /// Out of order: posted as a [`TxWork::Retransmit`], the device's
    /// context unchanged.
    Retransmitted {
        /// The record's tag was sent with it (the segment starts inside the
        /// record and reaches its tag bytes).
        tag: bool,
    },
    /// Not sent.
    Dropped(DropReason),
}

/// Errors of [`TxDriver::xmit`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmitError {
    /// The frame is not TCP.
    #[error("not a TCP frame: {0}")]
    Frame(#[from] ParseError),
    /// The socket's context is unknown to the driver (deleted?).
    #[error("{0} is not a TX context of this driver")]
    UnknownContext(CtxId),
    /// The device refused work.
    #[error(transparent)]
    Device(#[from] DeviceError),
}

#[derive(Clone, Debug)]
struct TxContext {
    policy: OooPolicy,
    /// Next TCP sequence number the device expects.
    expected_seq: u32,
    /// A rebuild failed part-way: the device's state is unknown.
    stale: bool,
    /// Tags read from the device's completions, (record number, tag), not
    /// yet stored in the socket's record store (that happens when `xmit`
    /// sees the socket).
    tags: Vec<(u64, [u8; 16])>,
}

/// What `tls_get_record` says about an out-of-order segment.
enum Lookup<'s> {
    /// The segment's first byte is in this record (with its number), which
    /// is not acknowledged.
    Record(&'s TxRecord, u64),
    /// Only pre-offload bytes (the start marker): sent unmarked.
    PreOffload,
    /// Dropped.
    Drop(DropReason),
}

/// The TX driver.
#[derive(Debug, Default)]
pub struct TxDriver {
    cfg: TxDriverConfig,
    contexts: HashMap<CtxId, TxContext>,
    stats: TxDriverStats,
}

impl TxDriver {
    /// A driver with settings `cfg`.
    ///
    /// # Panics
    /// If `cfg.dump_mtu` is 0.
    pub fn new(cfg: TxDriverConfig) -> Self {
        assert!(cfg.dump_mtu > 0, "dump_mtu must be at least 1");
        TxDriver { cfg, contexts: HashMap::new(), stats: TxDriverStats::default() }
    }

    /// Statistics.
    pub fn stats(&self) -> &TxDriverStats {
        &self.stats
    }

    /// `tls_dev_add(netdev, sk, direction, crypto_info,
    /// start_offload_tcp_sn)`: install a TX context. On error the kernel
    /// keeps the socket in software for good.
    pub fn tls_dev_add(
        &mut self,
        dev: &mut dyn TxDevice,
        direction: Direction,
        info: &TlsCryptoInfo,
        start_offload_tcp_sn: u32,
    ) -> Result<CtxId, DeviceError> {
        if direction != Direction::Tx {
            return Err(DeviceError::Unsupported("this is the TX driver"));
        }
        info.validate()?;
        // Completions still queued for a deleted context must not reach a
        // new one that gets its id: read (and discard) them first.
        self.poll_tag_completions(dev)?;
        match dev.add_tx_context(info, start_offload_tcp_sn) {
            Ok(ctx) => {
                let c = TxContext {
                    policy: self.cfg.policy,
                    expected_seq: start_offload_tcp_sn,
                    stale: false,
                    tags: Vec::new(),
                };
                self.contexts.insert(ctx, c);
                self.stats.tx_tls_ctx += 1;
                Ok(ctx)
            }
            Err(e) => {
                if e == DeviceError::TableFull {
                    self.stats.tx_tls_ctx_table_full += 1;
                }
                Err(e)
            }
        }
    }

    /// `tls_dev_del(netdev, ctx, direction)`.
    pub fn tls_dev_del(
        &mut self,
        dev: &mut dyn TxDevice,
        ctx_id: CtxId,
        direction: Direction,
    ) -> Result<(), DeviceError> {
        if direction != Direction::Tx {
            return Err(DeviceError::Unsupported("this is the TX driver"));
        }
        if !self.contexts.contains_key(&ctx_id) {
            return Err(DeviceError::NoContext(ctx_id));
        }
        dev.del_tx_context(ctx_id)?;
        // The context's last completions go with it. If they cannot be read
        // now, the next `tls_dev_add` reads them before the id can return.
        let _ = self.poll_tag_completions(dev);
        self.contexts.remove(&ctx_id);
        self.stats.tx_tls_del += 1;
        Ok(())
    }

    /// Choose how a context handles out-of-order segments (new contexts get
    /// [`TxDriverConfig::policy`]).
    pub fn set_policy(&mut self, ctx_id: CtxId, policy: OooPolicy) -> Result<(), DeviceError> {
        self.contexts.get_mut(&ctx_id).ok_or(DeviceError::NoContext(ctx_id))?.policy = policy;
        Ok(())
    }

    /// Read the device's tag completions ([`TxDevice::tag_completions`])
    /// and keep each tag with its context until [`TxDriver::xmit`] sees the
    /// context's socket and stores it in the socket's record store.
    /// Completions of contexts this driver does not have are discarded.
    /// Returns how many completions were read (`tx_tls_tag_completions`).
    pub fn poll_tag_completions(&mut self, dev: &mut dyn TxDevice) -> Result<usize, DeviceError> {
        let done = dev.tag_completions()?;
        self.stats.tx_tls_tag_completions += done.len() as u64;
        for t in &done {
            if let Some(c) = self.contexts.get_mut(&t.ctx_id) {
                c.tags.push((t.rec_num, t.tag));
            }
        }
        Ok(done.len())
    }

    /// Tags read for `ctx_id`, into `sk`'s record store; those of records
    /// no longer held (acknowledged) are discarded.
    fn store_tags(&mut self, ctx_id: CtxId, sk: &mut KtlsTx) {
        if let Some(c) = self.contexts.get_mut(&ctx_id) {
            for (rec_num, tag) in c.tags.drain(..) {
                sk.set_record_tag(rec_num, tag);
            }
        }
    }

    /// The sequence number a context expects next, as the driver tracks it.
    pub fn expected_seq(&self, ctx_id: CtxId) -> Option<u32> {
        self.contexts.get(&ctx_id).map(|c| c.expected_seq)
    }

    /// `tls_dev_resync(netdev, sk, seq, rcd_sn, TLS_OFFLOAD_CTX_DIR_TX)`:
    /// the record numbered `rec_num` starts at `seq` (next record sync).
    /// Contexts that rebuild state by DUMP never request it and refuse it
    /// (mlx5 returns -EOPNOTSUPP).
    pub fn tls_dev_resync(
        &mut self,
        dev: &mut dyn TxDevice,
        ctx_id: CtxId,
        direction: Direction,
        seq: u32,
        rec_num: u64,
    ) -> Result<(), DeviceError> {
        if direction != Direction::Tx {
            return Err(DeviceError::Unsupported("this is the TX driver"));
        }
        let c = self.contexts.get_mut(&ctx_id).ok_or(DeviceError::NoContext(ctx_id))?;
        if c.policy != OooPolicy::NextRecordSync {
            return Err(DeviceError::Unsupported("TX resync on a context that rebuilds by DUMP"));
        }
        dev.post(TxWork::ContextUpdate { ctx_id, tcp_seq: seq, rec_num })?;
        c.expected_seq = seq;
        self.stats.tx_tls_ctx_update += 1;
        Ok(())
    }

    /// The netdev the kTLS core calls while pushing records
    /// ([`KtlsTx::write_with`]).
    pub fn netdev<'a>(&'a mut self, dev: &'a mut dyn TxDevice) -> Netdev<'a> {
        Netdev { driver: self, device: dev }
    }

    /// Transmit `frame`, a TCP segment of socket `sk` as the stack built it
    /// (payload in clear, checksums over the clear payload). Posts the
    /// device work and says what became of it.
    ///
    /// First the device's tag completions are read
    /// ([`TxDriver::poll_tag_completions`]) and the tags of `sk`'s context
    /// stored in its record store. A device error while reading them is not
    /// an error of the transmit: the completions stay with the device (or
    /// are lost, and retransmissions needing those tags fall back to
    /// Resync + Dump).
    ///
    /// A rebuild posts up to `2 + ceil(16 KB / dump_mtu)` items for one
    /// frame (Resync, Dumps, the frame); a device with a bounded queue must
    /// have that much room (mlx5 reserves it as stop room). If posting fails
    /// part-way the error is returned and the context's next segment is
    /// rebuilt whatever its sequence number. A retransmission
    /// ([`OooPolicy::Retransmit`]) posts one item.
    pub fn xmit(&mut self, dev: &mut dyn TxDevice, frame: Vec<u8>, sk: &mut KtlsTx) -> Result<XmitVerdict, XmitError> {
        // Tags are an optimisation: without them a retransmission that
        // needs one is rebuilt, so a failed read does not fail the frame.
        let _ = self.poll_tag_completions(dev);
        if let Some(ctx) = sk.driver_state() {
            self.store_tags(ctx, sk);
        }
        let p = tcp::parse(&frame)?;
        let (seq, len) = (p.seq, p.payload_len());
        let ctx_id = match sk.driver_state() {
            Some(ctx) if len > 0 => ctx,
            _ => {
                dev.post(TxWork::Frame { desc: TxDesc::plain(), frame })?;
                return Ok(XmitVerdict::Plain);
            }
        };
        let c = self.contexts.get_mut(&ctx_id).ok_or(XmitError::UnknownContext(ctx_id))?;
        let expected = c.expected_seq;
        let pending = c.policy == OooPolicy::NextRecordSync && sk.tls_offload_tx_resync_pending();
        if seq == expected && !pending && !c.stale {
            dev.post(TxWork::Frame { desc: TxDesc::offload(ctx_id), frame })?;
            c.expected_seq = seq.wrapping_add(len as u32);
            return Ok(XmitVerdict::Offloaded);
        }
        self.stats.tx_tls_ooo += 1;
        match c.policy {
            OooPolicy::Rebuild => self.rebuild(dev, ctx_id, frame, seq, len, sk),
            OooPolicy::NextRecordSync => self.fallback(dev, frame, seq, expected, pending, sk),
            OooPolicy::Retransmit => self.retransmit(dev, ctx_id, frame, seq, len, sk),
        }
    }

    /// `tls_get_record` for an out-of-order segment `[seq, seq + len)`
    /// (`len > 0`), classified as mlx5 `tx_sync_info_get` does.
    fn lookup(sk: &KtlsTx, seq: u32, len: usize) -> Lookup<'_> {
        let Some((rec, rec_num)) = sk.tls_get_record(seq) else {
            return Lookup::Drop(DropReason::NoRecord);
        };
        let ends_before = seq_before(seq.wrapping_add(len as u32 - 1), rec.start_seq());
        if rec.is_start_marker() {
            return if ends_before { Lookup::PreOffload } else { Lookup::Drop(DropReason::StraddlesOffloadStart) };
        }
        if ends_before {
            return Lookup::Drop(DropReason::Acknowledged);
        }
        Lookup::Record(rec, rec_num)
    }

    /// A segment of pre-offload data: unmarked, unchanged.
    fn skip(&mut self, dev: &mut dyn TxDevice, frame: Vec<u8>) -> Result<XmitVerdict, XmitError> {
        dev.post(TxWork::Frame { desc: TxDesc::plain(), frame })?;
        self.stats.tx_tls_skip_no_sync_data += 1;
        Ok(XmitVerdict::SkippedPreOffload)
    }

    /// mlx5 `mlx5e_ktls_tx_handle_ooo` + `tx_sync_info_get`.
    fn rebuild(
        &mut self,
        dev: &mut dyn TxDevice,
        ctx_id: CtxId,
        frame: Vec<u8>,
        seq: u32,
        len: usize,
        sk: &KtlsTx,
    ) -> Result<XmitVerdict, XmitError> {
        match Self::lookup(sk, seq, len) {
            Lookup::Record(rec, rec_num) => self.rebuild_record(dev, ctx_id, frame, seq, len, rec, rec_num),
            Lookup::PreOffload => self.skip(dev, frame),
            Lookup::Drop(why) => Ok(self.drop(why)),
        }
    }

    /// Resync to the first byte of `rec` (number `rec_num`), Dump its bytes
    /// up to `seq`, then the segment marked; the context continues after
    /// the segment.
    #[allow(clippy::too_many_arguments)]
    fn rebuild_record(
        &mut self,
        dev: &mut dyn TxDevice,
        ctx_id: CtxId,
        frame: Vec<u8>,
        seq: u32,
        len: usize,
        rec: &TxRecord,
        rec_num: u64,
    ) -> Result<XmitVerdict, XmitError> {
        let sync_len = seq.wrapping_sub(rec.start_seq()) as usize;
        let (mtu, stats) = (self.cfg.dump_mtu, &mut self.stats);
        let post = || -> Result<usize, DeviceError> {
            dev.post(TxWork::Resync { ctx_id, rec_start_seq: rec.start_seq(), rec_num })?;
            stats.tx_tls_resync += 1;
            let mut dumps = 0;
            for chunk in rec.bytes[..sync_len].chunks(mtu) {
                dev.post(TxWork::Dump { ctx_id, bytes: chunk.to_vec() })?;
                stats.tx_tls_dump_packets += 1;
                stats.tx_tls_dump_bytes += chunk.len() as u64;
                dumps += 1;
            }
            dev.post(TxWork::Frame { desc: TxDesc::offload(ctx_id), frame })?;
            Ok(dumps)
        };
        let posted = post();
        let c = self.contexts.get_mut(&ctx_id).expect("checked by xmit");
        c.stale = posted.is_err();
        let dumps = posted?;
        c.expected_seq = seq.wrapping_add(len as u32);
        Ok(XmitVerdict::Rebuilt { dumps, dump_bytes: sync_len })
    }

    /// Random-access retransmission: one [`TxWork::Retransmit`], or a
    /// rebuild when the record's tag is needed and unknown.
    fn retransmit(
        &mut self,
        dev: &mut dyn TxDevice,
        ctx_id: CtxId,
        frame: Vec<u8>,
        seq: u32,
        len: usize,
        sk: &KtlsTx,
    ) -> Result<XmitVerdict, XmitError> {
        let (rec, rec_num) = match Self::lookup(sk, seq, len) {
            Lookup::Record(rec, rec_num) => (rec, rec_num),
            Lookup::PreOffload => return self.skip(dev, frame),
            Lookup::Drop(why) => return Ok(self.drop(why)),
        };
        let offset = seq.wrapping_sub(rec.start_seq()) as usize;
        let reaches_tag = offset + len > rec.len().saturating_sub(TLS_TAG_SIZE);
        let needs_tag = offset > 0 && reaches_tag;
        let stale = self.contexts.get(&ctx_id).is_some_and(|c| c.stale);
        if stale || (needs_tag && rec.tag.is_none()) {
            self.stats.tx_tls_dump_fallback += 1;
            return self.rebuild_record(dev, ctx_id, frame, seq, len, rec, rec_num);
        }
        // A held record is at least header + tag (TLS 1.2: + explicit
        // nonce) and at most 16 KiB + 29 bytes long (`KtlsTx` frames no
        // more), and `offset` is inside it.
        let header: [u8; 5] = rec.bytes[..5].try_into().expect("a record holds its header");
        let nonce: [u8; 8] = match sk.crypto_info().version {
            TlsVersion::V12 => rec.bytes[5..13].try_into().expect("a TLS 1.2 record holds its explicit nonce"),
            TlsVersion::V13 => [0; 8],
        };
        let offset = u16::try_from(offset).expect("a record is shorter than 64 KiB");
        let tag = if needs_tag { rec.tag } else { None };
        dev.post(TxWork::Retransmit { ctx_id, seq, rec_num, offset, header, nonce, tag, frame })?;
        self.stats.tx_tls_retx_packets += 1;
        self.stats.tx_tls_retx_bytes += len as u64;
        Ok(XmitVerdict::Retransmitted { tag: tag.is_some() })
    }

    /// nfp `nfp_net_tls_tx` out-of-order path.
    fn fallback(
        &mut self,
        dev: &mut dyn TxDevice,
        frame: Vec<u8>,
        seq: u32,
        expected: u32,
        pending: bool,
        sk: &mut KtlsTx,
    ) -> Result<XmitVerdict, XmitError> {
        match sk.tls_encrypt_skb(&frame) {
            Ok(SwFallback::PassThrough(f)) => {
                dev.post(TxWork::Frame { desc: TxDesc::plain(), frame: f })?;
                self.stats.tx_tls_skip_no_sync_data += 1;
                Ok(XmitVerdict::SkippedPreOffload)
            }
            Ok(SwFallback::Encrypted(f)) => {
                dev.post(TxWork::Frame { desc: TxDesc::plain(), frame: f })?;
                self.stats.tx_tls_fallback_packets += 1;
                // A segment from the future: one before it was lost locally.
                let future = !pending && seq.wrapping_sub(expected) < u32::MAX / 4;
                if future {
                    sk.tls_offload_tx_resync_request(seq, expected);
                    self.stats.tx_tls_resync_req += 1;
                }
                Ok(XmitVerdict::SoftwareEncrypted { resync_requested: future })
            }
            Err(FallbackError::Straddle { .. }) => Ok(self.drop(DropReason::StraddlesOffloadStart)),
            Err(FallbackError::NoRecord { .. } | FallbackError::NotOffloaded) => Ok(self.drop(DropReason::NoRecord)),
            Err(FallbackError::Frame(e)) => Err(e.into()),
        }
    }

    fn drop(&mut self, why: DropReason) -> XmitVerdict {
        self.stats.tx_tls_drop_no_sync_data += 1;
        XmitVerdict::Dropped(why)
    }

    /// The TX statistics as `ethtool -S` lists them: the device's
    /// `tx_tls_encrypted_packets` / `tx_tls_encrypted_bytes` (read from the
    /// device now), then the driver's.
    pub fn ethtool_stats(&self, dev: &mut dyn TxDevice) -> Result<Vec<(&'static str, u64)>, DeviceError> {
        let d = dev.tx_counters()?;
        let mut v = vec![
            ("tx_tls_encrypted_packets", d.tx_tls_encrypted_packets),
            ("tx_tls_encrypted_bytes", d.tx_tls_encrypted_bytes),
        ];
        v.extend(self.stats.counters());
        Ok(v)
    }
}

/// A driver and its device, as the netdev the kTLS core calls.
pub struct Netdev<'a> {
    /// The driver.
    pub driver: &'a mut TxDriver,
    /// Its device.
    pub device: &'a mut dyn TxDevice,
}

impl TxResyncOps for Netdev<'_> {
    fn tls_dev_resync_tx(&mut self, ctx: CtxId, seq: u32, rec_num: u64) -> Result<(), DeviceError> {
        self.driver.tls_dev_resync(self.device, ctx, Direction::Tx, seq, rec_num)
    }
}
