//! The TX side of a kTLS socket in `TLS_HW` mode (`net/tls/tls_device.c`),
//! and in `TLS_SW` mode when the device refused the context.
//!
//! - **Framing** ([`KtlsTx::write`]): application data is cut into records
//!   of 0..=16384 bytes (at most the record size limit; an empty write
//!   gives one empty record, as a 0-byte `sendmsg` does). In `TLS_HW` mode a
//!   record is header, TLS 1.2 explicit nonce (`iv + records sent`), the
//!   data in clear, the TLS 1.3 inner content type, and 16 bytes of tag
//!   space; the device encrypts it. In `TLS_SW` mode it is encrypted here.
//!   Records follow each other in the TCP stream from
//!   `start_offload_tcp_sn`, numbered from `crypto_info.rec_seq`.
//! - **Record store**: every offloaded record is kept (start, end, number,
//!   plaintext bytes, and its tag once the device reported it through a tag
//!   completion, [`KtlsTx::set_record_tag`]) until TCP acknowledges its
//!   last byte ([`KtlsTx::ack`], `tls_tcp_clean_acked`). At offload start a **start marker** (length 0,
//!   ending at `start_offload_tcp_sn`, numbered `rec_seq - 1`) heads the
//!   list; it stands for the bytes queued before offload.
//! - **Pre-offload data**: bytes written before the socket became a kTLS
//!   socket (the handshake, encrypted by user space) precede
//!   `start_offload_tcp_sn`; they are opaque here and sent as they are. An
//!   end-of-record boundary at `start_offload_tcp_sn` keeps them out of any
//!   segment that carries offloaded bytes.
//! - **Lookup** ([`KtlsTx::tls_get_record`]) with the kernel's semantics.
//! - **TX resync, "next record sync"**: a driver that fell back to software
//!   for a segment from the future calls
//!   [`KtlsTx::tls_offload_tx_resync_request`]; the next pushed record then
//!   starts a new segment (EOR) and its TCP sequence number and record
//!   number are reported to the driver through [`TxResyncOps`] before it
//!   is queued; [`KtlsTx::tls_offload_tx_resync_pending`] stays true until
//!   the driver accepted one.
//! - **Software fallback** ([`KtlsTx::tls_encrypt_skb`]): encrypts a
//!   segment's payload from the record store, as `tls_sw_fallback` does.

use crate::record::{content_type, explicit_nonce, plaintext_record, RecordCipher, RecordError, TLS_MAX_PAYLOAD};
use crate::tcp::{self, ParseError, Segment};
use crate::types::{seq_after, seq_before, seq_between, CtxId, DeviceError, Direction, TlsCryptoInfo};
use std::collections::VecDeque;

/// Largest TLS record payload.
pub const MAX_RECORD_DATA: usize = TLS_MAX_PAYLOAD;

/// Errors of the kTLS TX model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KtlsError {
    /// Invalid crypto state or record.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Record size limit outside 1..=16384.
    #[error("record size limit {0} is outside 1..={MAX_RECORD_DATA}")]
    RecordSizeLimit(usize),
    /// `tls_dev_add` failed: the socket is in `TLS_SW` mode for good.
    #[error("tls_dev_add failed, socket stays in software: {0}")]
    Device(#[from] DeviceError),
    /// Offload can only be installed before any record is written, once.
    #[error("device offload must be set up once, before any record is written")]
    OffloadState,
    /// The 64-bit record number would wrap: the kernel aborts the socket.
    #[error("record sequence number exhausted (tls_err_abort)")]
    RecSeqOverflow,
}

/// Why the software fallback cannot encrypt a segment (the segment is
/// dropped).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FallbackError {
    /// Not a TCP frame.
    #[error(transparent)]
    Frame(#[from] ParseError),
    /// No record holds its bytes (acknowledged and freed, or never written).
    #[error("no record for [{seq:#x}, +{len})")]
    NoRecord {
        /// First byte.
        seq: u32,
        /// Payload length.
        len: usize,
    },
    /// Part pre-offload data, part offloaded records.
    #[error("[{seq:#x}, +{len}) straddles the offload start")]
    Straddle {
        /// First byte.
        seq: u32,
        /// Payload length.
        len: usize,
    },
    /// The socket has no device offload.
    #[error("socket is not offloaded")]
    NotOffloaded,
}

/// What the software fallback made of a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SwFallback {
    /// The payload encrypted, TCP checksum fixed: send unmarked.
    Encrypted(Vec<u8>),
    /// Nothing to encrypt (no payload, or only pre-offload bytes): the frame
    /// as it was, to send unmarked.
    PassThrough(Vec<u8>),
}

/// One record in the store (or the start marker: no bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    /// TCP sequence number of the record's first byte.
    pub start: u32,
    /// Record sequence number.
    pub rec_num: u64,
    /// The record as handed to the device (plaintext, zero tag); in
    /// `TLS_SW` mode the encrypted record.
    pub bytes: Vec<u8>,
    /// The record's AES-GCM tag as the device computed it, once a tag
    /// completion reported it ([`KtlsTx::set_record_tag`]); `None` when the
    /// record is created, for the start marker, and in `TLS_SW` mode. A
    /// retransmission starting inside the record needs it to complete the
    /// record without its prefix.
    pub tag: Option<[u8; 16]>,
}

impl TxRecord {
    /// TCP sequence number of the first byte (`tls_record_start_seq`).
    pub fn start_seq(&self) -> u32 {
        self.start
    }

    /// TCP sequence number after the record (`end_seq`).
    pub fn end_seq(&self) -> u32 {
        self.start.wrapping_add(self.bytes.len() as u32)
    }

    /// Record length on the wire.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the record has no bytes (only the start marker).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The start marker (`tls_record_is_start_marker`).
    pub fn is_start_marker(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// `TLS_HW` (records encrypted by the device) or `TLS_SW`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxMode {
    /// Device offload.
    Hw,
    /// Software encryption (`tls_dev_add` failed).
    Sw,
}

/// The netdev operation the TX core calls while pushing a record:
/// `tlsdev_ops->tls_dev_resync(netdev, sk, seq, rcd_sn, TLS_OFFLOAD_CTX_DIR_TX)`.
pub trait TxResyncOps {
    /// The record about to be queued starts at TCP sequence number `seq`
    /// and is record number `rec_num`. An error leaves the resync pending
    /// (it is retried with the next record).
    fn tls_dev_resync_tx(&mut self, ctx: CtxId, seq: u32, rec_num: u64) -> Result<(), DeviceError>;
}

/// No netdev to call: a pending resync stays pending.
struct NoNetdev;

impl TxResyncOps for NoNetdev {
    fn tls_dev_resync_tx(&mut self, _: CtxId, _: u32, _: u64) -> Result<(), DeviceError> {
        Err(DeviceError::Unsupported("no netdev"))
    }
}

/// A socket's TX state.
#[derive(Debug)]
pub struct KtlsTx {
    info: TlsCryptoInfo,
    cipher: RecordCipher,
    /// `start_offload_tcp_sn`: the first byte written as a TLS record.
    pub start_sn: u32,
    mode: TxMode,
    driver_state: Option<CtxId>,
    pre_start: u32,
    pre: Vec<u8>,
    /// Records not yet acknowledged, oldest first; while unacknowledged, the
    /// start marker first.
    records: VecDeque<TxRecord>,
    /// Number of `records.front()` (`unacked_record_sn`).
    unacked_record_sn: u64,
    /// Number of the next record (`tx.rec_seq`).
    rec_seq: u64,
    /// The last record number was used: the next push aborts.
    rec_seq_exhausted: bool,
    /// Records written, for the TLS 1.2 explicit nonce.
    records_sent: u64,
    write_seq: u32,
    snd_una: u32,
    /// `TLS_TX_SYNC_SCHED`.
    sync_sched: bool,
    /// Sequence numbers where a segment must start (EOR set before them).
    eor: Vec<u32>,
    /// The last record the fallback encrypted: (start, number, ciphertext).
    fallback_cache: Option<(u32, u64, Vec<u8>)>,
}

impl KtlsTx {
    /// A socket that had `pre_offload` bytes queued at
    /// `start_sn - pre_offload.len()` when kTLS TX was set up with `info`
    /// at `start_sn` (its `write_seq`). It is in `TLS_HW` mode with the
    /// start marker in its record store; [`KtlsTx::set_device_offload`]
    /// installs the device context.
    pub fn try_new(info: TlsCryptoInfo, start_sn: u32, pre_offload: Vec<u8>) -> Result<Self, KtlsError> {
        let cipher = RecordCipher::new(&info)?;
        let pre_start = start_sn.wrapping_sub(pre_offload.len() as u32);
        let marker_num = info.rec_seq.wrapping_sub(1);
        let mut records = VecDeque::new();
        records.push_back(TxRecord { start: start_sn, rec_num: marker_num, bytes: Vec::new(), tag: None });
        Ok(KtlsTx {
            rec_seq: info.rec_seq,
            info,
            cipher,
            start_sn,
            mode: TxMode::Hw,
            driver_state: None,
            pre_start,
            pre: pre_offload,
            records,
            unacked_record_sn: marker_num,
            rec_seq_exhausted: false,
            records_sent: 0,
            write_seq: start_sn,
            snd_una: pre_start,
            sync_sched: false,
            eor: vec![start_sn],
            fallback_cache: None,
        })
    }

    /// [`KtlsTx::try_new`] for crypto state known to be valid.
    ///
    /// # Panics
    /// If the key does not fit the cipher.
    pub fn new(info: TlsCryptoInfo, start_sn: u32, pre_offload: Vec<u8>) -> Self {
        Self::try_new(info, start_sn, pre_offload).unwrap_or_else(|e| panic!("KtlsTx::new: {e}"))
    }

    /// `tls_set_device_offload`: call `tls_dev_add(TX, crypto_info,
    /// start_offload_tcp_sn)` (the closure) and keep the context id it
    /// returns as the driver's state. If it fails the socket continues in
    /// `TLS_SW` mode for good (records encrypted here, sent unmarked) and
    /// the error is returned as [`KtlsError::Device`].
    pub fn set_device_offload(
        &mut self,
        tls_dev_add: impl FnOnce(Direction, &TlsCryptoInfo, u32) -> Result<CtxId, DeviceError>,
    ) -> Result<CtxId, KtlsError> {
        if self.driver_state.is_some() || self.mode != TxMode::Hw || self.records.len() != 1 {
            return Err(KtlsError::OffloadState);
        }
        match tls_dev_add(Direction::Tx, &self.info, self.start_sn) {
            Ok(ctx) => {
                self.driver_state = Some(ctx);
                Ok(ctx)
            }
            Err(e) => {
                self.mode = TxMode::Sw;
                self.records.clear();
                self.unacked_record_sn = self.rec_seq;
                Err(e.into())
            }
        }
    }

    /// `TLS_HW` or `TLS_SW`.
    pub fn mode(&self) -> TxMode {
        self.mode
    }

    /// The device context (`tls_offload_ctx_tx.driver_state`), once
    /// installed.
    pub fn driver_state(&self) -> Option<CtxId> {
        self.driver_state
    }

    /// The crypto state installed at offload start.
    pub fn crypto_info(&self) -> &TlsCryptoInfo {
        &self.info
    }

    /// `start_offload_tcp_sn`.
    pub fn start_offload_tcp_sn(&self) -> u32 {
        self.start_sn
    }

    /// First TCP sequence number of the stream this socket holds (the
    /// first pre-offload byte).
    pub fn stream_start(&self) -> u32 {
        self.pre_start
    }

    /// Next TCP sequence number to be written.
    pub fn write_seq(&self) -> u32 {
        self.write_seq
    }

    /// Oldest unacknowledged sequence number.
    pub fn snd_una(&self) -> u32 {
        self.snd_una
    }

    /// Number the next record gets.
    pub fn next_rec_seq(&self) -> u64 {
        self.rec_seq
    }

    /// Sequence numbers where a segment must start (the offload start and
    /// TX resync records), for [`crate::tcp::segment`].
    pub fn segment_boundaries(&self) -> &[u32] {
        &self.eor
    }

    /// `sendmsg` of application data without `MSG_MORE`: records of at most
    /// `record_size_limit` (1..=16384) bytes, one empty record for empty
    /// `data`. Returns each record's TCP sequence range. A pending TX resync
    /// is not delivered (no netdev); see [`KtlsTx::write_with`].
    pub fn write(&mut self, data: &[u8], record_size_limit: usize) -> Result<Vec<(u32, u32)>, KtlsError> {
        self.write_with(content_type::APPLICATION_DATA, data, record_size_limit, &mut NoNetdev)
    }

    /// [`KtlsTx::write`] with any content type (TLS 1.3: the inner one; the
    /// `TLS_SET_RECORD_TYPE` cmsg) and the netdev whose `tls_dev_resync` a
    /// pending TX resync calls.
    pub fn write_with(
        &mut self,
        content_type: u8,
        data: &[u8],
        record_size_limit: usize,
        netdev: &mut dyn TxResyncOps,
    ) -> Result<Vec<(u32, u32)>, KtlsError> {
        if !(1..=MAX_RECORD_DATA).contains(&record_size_limit) {
            return Err(KtlsError::RecordSizeLimit(record_size_limit));
        }
        if data.is_empty() {
            return Ok(vec![self.push_one(content_type, &[], netdev)?]);
        }
        data.chunks(record_size_limit).map(|c| self.push_one(content_type, c, netdev)).collect()
    }

    /// `tls_push_record`: deliver a pending TX resync for this record, then
    /// queue it.
    fn push_one(&mut self, ct: u8, data: &[u8], netdev: &mut dyn TxResyncOps) -> Result<(u32, u32), KtlsError> {
        if self.rec_seq_exhausted {
            return Err(KtlsError::RecSeqOverflow);
        }
        let nonce = explicit_nonce(self.info.iv, self.records_sent);
        let mut bytes = plaintext_record(self.info.version, ct, nonce, data)?;
        match (self.mode, self.driver_state) {
            (TxMode::Hw, Some(ctx)) if self.sync_sched => {
                // The record starts a new segment; the device is told where.
                if self.eor.last() != Some(&self.write_seq) {
                    self.eor.push(self.write_seq);
                }
                if netdev.tls_dev_resync_tx(ctx, self.write_seq, self.rec_seq).is_ok() {
                    self.sync_sched = false;
                }
            }
            (TxMode::Sw, _) => self.cipher.seal_in_place(self.rec_seq, &mut bytes)?,
            _ => {}
        }
        let rec = TxRecord { start: self.write_seq, rec_num: self.rec_seq, bytes, tag: None };
        let range = (rec.start, rec.end_seq());
        self.write_seq = rec.end_seq();
        self.records.push_back(rec);
        self.records_sent += 1;
        match self.rec_seq.checked_add(1) {
            Some(n) => self.rec_seq = n,
            None => self.rec_seq_exhausted = true,
        }
        Ok(range)
    }

    /// `tls_get_record(ctx, seq, &rcd_sn)`: the first record whose end is
    /// after `seq`, with its number. The start marker (number `rec_seq - 1`)
    /// for any `seq` before the offload start while the marker is held;
    /// `None` when `seq` is outside [first record start, last record end],
    /// or in `TLS_SW` mode.
    pub fn tls_get_record(&self, seq: u32) -> Option<(&TxRecord, u64)> {
        if self.mode != TxMode::Hw {
            return None;
        }
        let first = self.records.front()?;
        if !first.is_start_marker() {
            let last = self.records.back().expect("non-empty");
            if !seq_between(seq, first.start_seq(), last.end_seq()) {
                return None;
            }
        }
        let mut sn = self.unacked_record_sn;
        for r in &self.records {
            if seq_before(seq, r.end_seq()) {
                return Some((r, sn));
            }
            sn = sn.wrapping_add(1);
        }
        None
    }

    /// Stream bytes `[seq, seq + len)` as TCP sends them (pre-offload bytes
    /// as queued, records as written); `None` unless all are held
    /// (unacknowledged and written).
    pub fn bytes(&self, seq: u32, len: usize) -> Option<Vec<u8>> {
        let end = seq.wrapping_add(len as u32);
        if seq_before(seq, self.snd_una) || seq_after(end, self.write_seq) {
            return None;
        }
        let mut out = Vec::with_capacity(len);
        let mut s = seq;
        while out.len() < len {
            let want = len - out.len();
            if seq_before(s, self.start_sn) {
                let off = s.wrapping_sub(self.pre_start) as usize;
                let n = want.min(self.pre.get(off..)?.len());
                out.extend_from_slice(&self.pre[off..off + n]);
                s = s.wrapping_add(n as u32);
            } else {
                let r = self.records.iter().find(|r| seq_before(s, r.end_seq()) && !seq_before(s, r.start))?;
                let off = s.wrapping_sub(r.start) as usize;
                let n = want.min(r.len() - off);
                out.extend_from_slice(&r.bytes[off..off + n]);
                s = s.wrapping_add(n as u32);
            }
        }
        Some(out)
    }

    /// TSO: cut the stream from `from` to `write_seq` into segments of at
    /// most `mss` bytes (1..=9000), starting a segment at every EOR
    /// boundary. Returns (sequence number, length) of each segment.
    ///
    /// # Panics
    /// If `mss` is outside 1..=9000.
    pub fn segments(&self, from: u32, mss: usize) -> Vec<(u32, usize)> {
        tcp::segment(from, self.write_seq, mss, &self.eor)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|Segment { seq, len }| (seq, len))
            .collect()
    }

    /// TCP acknowledged everything before `seq`: free the records that end
    /// at or before it, the start marker included (`tls_tcp_clean_acked`).
    pub fn ack(&mut self, seq: u32) {
        if seq_after(seq, self.write_seq) {
            return;
        }
        if seq_before(self.snd_una, seq) {
            self.snd_una = seq;
        }
        while self.records.front().is_some_and(|r| !seq_before(seq, r.end_seq())) {
            self.records.pop_front();
            self.unacked_record_sn = self.unacked_record_sn.wrapping_add(1);
        }
        let una = self.snd_una;
        self.eor.retain(|&b| seq_after(b, una));
    }

    /// Data records still held (the start marker not counted).
    pub fn records_held(&self) -> usize {
        self.records.iter().filter(|r| !r.is_start_marker()).count()
    }

    /// Records held, oldest first (the start marker first while held).
    pub fn records(&self) -> impl Iterator<Item = &TxRecord> {
        self.records.iter()
    }

    /// The device computed `tag` for record `rec_num` (a tag completion):
    /// keep it with the record until the record is acknowledged. Records are
    /// numbered from `unacked_record_sn` for the first held one. Returns
    /// whether the record is held: false for a record already acknowledged
    /// (or not written), for the start marker (it holds no tag), and in
    /// `TLS_SW` mode.
    pub fn set_record_tag(&mut self, rec_num: u64, tag: [u8; 16]) -> bool {
        if self.mode != TxMode::Hw {
            return false;
        }
        let Ok(i) = usize::try_from(rec_num.wrapping_sub(self.unacked_record_sn)) else { return false };
        match self.records.get_mut(i) {
            Some(r) if !r.is_start_marker() && r.rec_num == rec_num => {
                r.tag = Some(tag);
                true
            }
            _ => false,
        }
    }

    /// The tag of record `rec_num` if the record is held and its tag known
    /// ([`KtlsTx::set_record_tag`]).
    pub fn record_tag(&self, rec_num: u64) -> Option<[u8; 16]> {
        let i = usize::try_from(rec_num.wrapping_sub(self.unacked_record_sn)).ok()?;
        self.records.get(i).filter(|r| r.rec_num == rec_num)?.tag
    }

    /// The driver fell back to software for a segment at `got_seq` while it
    /// expected `exp_seq`: sync the device to the next record
    /// (`TLS_TX_SYNC_SCHED`).
    pub fn tls_offload_tx_resync_request(&mut self, got_seq: u32, exp_seq: u32) {
        let _ = (got_seq, exp_seq); // the kernel only traces them
        self.sync_sched = true;
    }

    /// A TX resync was requested and not yet delivered: the driver must not
    /// trust its expected sequence number.
    pub fn tls_offload_tx_resync_pending(&self) -> bool {
        self.sync_sched
    }

    /// `tls_encrypt_skb` / `tls_sw_fallback`: encrypt the payload of
    /// `frame` (a segment of this socket, as TCP built it) in software from
    /// the records that hold it, starting from each record's first byte, and
    /// fix the TCP checksum. A frame without payload, or with only
    /// pre-offload bytes, passes through unchanged; one that mixes
    /// pre-offload and offloaded bytes, or whose records are gone, fails
    /// (the caller drops it).
    pub fn tls_encrypt_skb(&mut self, frame: &[u8]) -> Result<SwFallback, FallbackError> {
        let p = tcp::parse(frame)?;
        let (seq, len) = (p.seq, p.payload_len());
        if len == 0 {
            return Ok(SwFallback::PassThrough(frame.to_vec()));
        }
        if self.mode != TxMode::Hw {
            return Err(FallbackError::NotOffloaded);
        }
        let end = seq.wrapping_add(len as u32);
        let Some((rec, _)) = self.tls_get_record(seq) else { return Err(FallbackError::NoRecord { seq, len }) };
        if rec.is_start_marker() {
            return if seq_after(end, rec.start_seq()) {
                Err(FallbackError::Straddle { seq, len })
            } else {
                Ok(SwFallback::PassThrough(frame.to_vec()))
            };
        }
        if !seq_after(end, rec.start_seq()) {
            return Err(FallbackError::NoRecord { seq, len });
        }
        let ct = self.encrypted_bytes(seq, len).ok_or(FallbackError::NoRecord { seq, len })?;
        let mut out = frame.to_vec();
        out[p.payload..p.end].copy_from_slice(&ct);
        tcp::fix_tcp_checksum(&mut out, &p);
        Ok(SwFallback::Encrypted(out))
    }

    /// The wire (encrypted) bytes `[seq, seq + len)` of offloaded records.
    fn encrypted_bytes(&mut self, seq: u32, len: usize) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(len);
        let mut s = seq;
        while out.len() < len {
            let (start, num, rlen) = {
                let (r, num) = self.tls_get_record(s)?;
                if r.is_start_marker() || seq_before(s, r.start) {
                    return None;
                }
                (r.start, num, r.len())
            };
            let cached = matches!(&self.fallback_cache, Some((cs, cn, _)) if *cs == start && *cn == num);
            if !cached {
                let r = self.records.iter().find(|r| r.start == start && !r.is_start_marker())?;
                let mut ct = r.bytes.clone();
                self.cipher.seal_in_place(num, &mut ct).ok()?;
                self.fallback_cache = Some((start, num, ct));
            }
            let ct = &self.fallback_cache.as_ref().expect("just filled").2;
            let off = s.wrapping_sub(start) as usize;
            let n = (len - out.len()).min(rlen - off);
            out.extend_from_slice(&ct[off..off + n]);
            s = s.wrapping_add(n as u32);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{split_records, RecordCipher};
    use crate::tcp::FrameTemplate;
    use crate::types::{Cipher, FlowKey, TlsVersion};

    fn info(version: TlsVersion, rec_seq: u64) -> TlsCryptoInfo {
        TlsCryptoInfo::new(version, Cipher::Aes128Gcm, vec![9; 16], [0, 0, 0, 0, 0, 0, 0, 0xfe], [1, 2, 3, 4], rec_seq)
            .unwrap()
    }

    fn offloaded(version: TlsVersion, start: u32, pre: usize) -> KtlsTx {
        let mut s = KtlsTx::try_new(info(version, 100), start, vec![0xee; pre]).unwrap();
        s.set_device_offload(|dir, _, sn| {
            assert_eq!((dir, sn), (Direction::Tx, start));
            Ok(CtxId(5))
        })
        .unwrap();
        s
    }

    #[test]
    fn write_frames_records_with_kernel_nonces_and_limits() {
        let mut s = offloaded(TlsVersion::V12, u32::MAX - 2, 0);
        let r = s.write(&[7; 10], 4).unwrap();
        assert_eq!(r.len(), 3, "10 bytes at limit 4: 4 + 4 + 2");
        assert_eq!(r[0], (u32::MAX - 2, (u32::MAX - 2).wrapping_add(33)));
        let b = s.bytes(r[2].0, 31).unwrap();
        assert_eq!(&b[..5], &[23, 3, 3, 0, 26]);
        assert_eq!(&b[5..13], &[0, 0, 0, 0, 0, 0, 1, 0], "explicit nonce = iv + 2 (with carry)");
        assert_eq!(s.write(&[], 100).unwrap().len(), 1, "an empty write is one empty record");
        assert_eq!(s.bytes(r[2].1, 29).unwrap().len(), 29);
        assert_eq!(s.write(&[1], 0), Err(KtlsError::RecordSizeLimit(0)));
        assert_eq!(s.write(&[1], 16_385), Err(KtlsError::RecordSizeLimit(16_385)));
        assert_eq!(s.next_rec_seq(), 104);
        let mut t = offloaded(TlsVersion::V13, 0, 0);
        let mut no = NoNetdev;
        let (a, b) = t.write_with(content_type::ALERT, &[1, 0], 16_384, &mut no).unwrap()[0];
        let rec = t.bytes(a, b.wrapping_sub(a) as usize).unwrap();
        assert_eq!((&rec[..5], rec[7], rec.len()), (&[23, 3, 3, 0, 19][..], content_type::ALERT, 24));
        let big = vec![5u8; 40_000];
        let r = t.write(&big, 16_384).unwrap();
        assert_eq!(r.iter().map(|(a, b)| b.wrapping_sub(*a) as usize).sum::<usize>(), 40_000 + 3 * 22);
    }

    #[test]
    fn records_carry_zeroed_tag_space_for_the_device() {
        let mut s = offloaded(TlsVersion::V12, u32::MAX - 10, 20);
        let (a, b) = s.write(&[7; 3], 100).unwrap()[0];
        assert_eq!((a, b.wrapping_sub(a)), (u32::MAX - 10, 3 + 29));
        let r = s.bytes(a, 32).unwrap();
        assert_eq!(&r[..5], &[23, 3, 3, 0, 27]);
        assert_eq!(&r[5..13], &[0, 0, 0, 0, 0, 0, 0, 0xfe], "explicit nonce = iv + 0");
        assert_eq!((&r[13..16], &r[16..]), (&[7; 3][..], &[0; 16][..]), "data in clear, tag space zero");
        let (c, d) = s.write(&[], 100).unwrap()[0];
        assert_eq!(&s.bytes(c, 29).unwrap()[5..13], &[0, 0, 0, 0, 0, 0, 0, 0xff], "explicit nonce = iv + 1");
        assert_eq!(s.bytes(d.wrapping_sub(16), 16).unwrap(), [0; 16]);
        let mut t = offloaded(TlsVersion::V13, 5, 0);
        let (e, f) = t.write(&[1, 2], 100).unwrap()[0];
        let r = t.bytes(e, f.wrapping_sub(e) as usize).unwrap();
        assert_eq!((r.len(), r[7], &r[8..]), (2 + 22, content_type::APPLICATION_DATA, &[0; 16][..]));
    }

    #[test]
    fn tso_segments_respect_mss_and_the_offload_start() {
        let start = 0xffff_ff00;
        let mut s = offloaded(TlsVersion::V13, start, 100);
        for n in [0usize, 1, 5000, 16_384] {
            s.write(&vec![3; n], MAX_RECORD_DATA).unwrap();
        }
        for mss in [1usize, 7, 536, 1448, 9000] {
            let segs = s.segments(s.stream_start(), mss);
            assert!(segs.iter().all(|&(_, l)| l >= 1 && l <= mss));
            assert!(segs.iter().any(|&(q, _)| q == start), "a segment starts at the offload start");
            let total: usize = segs.iter().map(|&(_, l)| l).sum();
            assert_eq!(total, s.write_seq().wrapping_sub(s.stream_start()) as usize);
            for w in segs.windows(2) {
                assert_eq!(w[0].0.wrapping_add(w[0].1 as u32), w[1].0, "contiguous");
            }
        }
    }

    #[test]
    fn tls_get_record_has_kernel_semantics() {
        let start = 1000;
        let mut s = offloaded(TlsVersion::V13, start, 50);
        // Only the marker: any earlier sequence number maps to it.
        let (m, n) = s.tls_get_record(start - 1).unwrap();
        assert!(m.is_start_marker() && n == 99, "marker numbered rec_seq - 1");
        assert!(
            s.tls_get_record(start.wrapping_sub(5000)).unwrap().0.is_start_marker(),
            "no lower bound while the marker heads"
        );
        assert!(s.tls_get_record(start).is_none(), "nothing written yet");
        let (a0, a1) = s.write(&[0; 10], 100).unwrap()[0];
        let (b0, b1) = s.write(&[0; 10], 100).unwrap()[0];
        let (r, n) = s.tls_get_record(a0 + 31).unwrap();
        assert_eq!((r.start_seq(), r.end_seq(), n), (a0, a1, 100));
        assert_eq!(s.tls_get_record(b0).map(|(r, n)| (r.start, n)), Some((b0, 101)));
        assert!(s.tls_get_record(b1).is_none(), "the end of the last record");
        // Acknowledging the pre-offload bytes frees the marker.
        s.ack(start);
        assert_eq!(s.records().count(), 2);
        assert!(s.tls_get_record(start - 1).is_none(), "before the first record, no marker");
        assert_eq!(s.tls_get_record(a0).map(|(_, n)| n), Some(100));
        s.ack(a1);
        assert!(s.tls_get_record(a0).is_none(), "acknowledged and freed");
        assert_eq!(s.tls_get_record(b0 + 3).map(|(r, n)| (r.start, n)), Some((b0, 101)));
        s.ack(b0 + 3);
        assert_eq!(s.records_held(), 1, "a record is freed only when its last byte is acknowledged");
        assert_eq!(s.bytes(b0 + 2, 1), None, "acknowledged bytes are gone");
        assert!(s.bytes(b0 + 3, 1).is_some());
    }

    #[test]
    fn record_tags_are_held_with_their_records() {
        let mut s = offloaded(TlsVersion::V12, u32::MAX - 5, 10);
        let r = s.write(&[1; 30], 10).unwrap();
        assert!(s.records().all(|r| r.tag.is_none()), "no tag when written");
        assert!(!s.set_record_tag(99, [1; 16]), "the start marker holds no tag");
        assert!(s.set_record_tag(101, [2; 16]));
        assert!(!s.set_record_tag(103, [3; 16]), "not written");
        assert_eq!(s.tls_get_record(r[1].0).map(|(r, n)| (r.tag, n)), Some((Some([2; 16]), 101)));
        assert_eq!((s.record_tag(100), s.record_tag(101)), (None, Some([2; 16])));
        s.ack(r[1].1);
        assert_eq!(s.record_tag(101), None, "acknowledged: gone with the record");
        assert!(!s.set_record_tag(100, [4; 16]) && !s.set_record_tag(101, [4; 16]));
        assert!(s.set_record_tag(102, [5; 16]));
        assert_eq!(s.records().map(|r| (r.rec_num, r.tag)).collect::<Vec<_>>(), vec![(102, Some([5; 16]))]);
        let mut sw = KtlsTx::try_new(info(TlsVersion::V13, 0), 0, Vec::new()).unwrap();
        let _ = sw.set_device_offload(|_, _, _| Err(DeviceError::TableFull));
        sw.write(&[1], 10).unwrap();
        assert!(!sw.set_record_tag(0, [1; 16]), "TLS_SW: no device tags");
    }

    #[test]
    fn marker_number_wraps_for_record_zero() {
        let s = KtlsTx::try_new(info(TlsVersion::V12, 0), 7, Vec::new()).unwrap();
        assert_eq!(s.tls_get_record(6).map(|(_, n)| n), Some(u64::MAX));
    }

    #[test]
    fn record_numbers_end_in_an_abort() {
        let mut s = KtlsTx::try_new(info(TlsVersion::V13, u64::MAX - 1), 0, Vec::new()).unwrap();
        s.write(&[1], 1).unwrap();
        s.write(&[1], 1).unwrap();
        assert_eq!(s.write(&[1], 1), Err(KtlsError::RecSeqOverflow));
    }

    struct Recorder(Vec<(CtxId, u32, u64)>, bool);

    impl TxResyncOps for Recorder {
        fn tls_dev_resync_tx(&mut self, ctx: CtxId, seq: u32, rec_num: u64) -> Result<(), DeviceError> {
            self.0.push((ctx, seq, rec_num));
            if self.1 {
                Ok(())
            } else {
                Err(DeviceError::QueueFull)
            }
        }
    }

    #[test]
    fn resync_request_reaches_the_driver_with_the_next_record() {
        let mut s = offloaded(TlsVersion::V12, 0, 0);
        s.write(&[0; 100], 16_384).unwrap();
        let mut nd = Recorder(Vec::new(), false);
        s.write_with(23, &[1; 10], 16_384, &mut nd).unwrap();
        assert!(nd.0.is_empty() && !s.tls_offload_tx_resync_pending());
        s.tls_offload_tx_resync_request(5, 0);
        assert!(s.tls_offload_tx_resync_pending());
        // The netdev fails: still pending, retried with the next record.
        let (a, _) = s.write_with(23, &[1; 10], 16_384, &mut nd).unwrap()[0];
        assert_eq!(nd.0, vec![(CtxId(5), a, 102)]);
        assert!(s.tls_offload_tx_resync_pending());
        nd.1 = true;
        let (b, _) = s.write_with(23, &[1; 10], 16_384, &mut nd).unwrap()[0];
        assert_eq!(nd.0[1], (CtxId(5), b, 103));
        assert!(!s.tls_offload_tx_resync_pending());
        assert_eq!(s.segment_boundaries(), &[0, a, b]);
        let segs = s.segments(0, 9000);
        assert!(segs.iter().any(|&(q, _)| q == a) && segs.iter().any(|&(q, _)| q == b), "{segs:?}");
    }

    #[test]
    fn software_fallback_encrypts_from_the_record_store() {
        let key = FlowKey::V4 { saddr: [1, 1, 1, 1].into(), daddr: [2, 2, 2, 2].into(), sport: 9, dport: 443 };
        let t = FrameTemplate::new(key);
        for version in [TlsVersion::V12, TlsVersion::V13] {
            let start = u32::MAX - 40;
            let mut s = offloaded(version, start, 30);
            let app: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
            s.write(&app, 1000).unwrap();
            let cipher = RecordCipher::new(s.crypto_info()).unwrap();
            // Encrypt the whole stream through the fallback in odd segments.
            let mut wire = Vec::new();
            for (seq, len) in s.segments(start, 333) {
                let f = t.build(seq, &s.bytes(seq, len).unwrap()).unwrap();
                let SwFallback::Encrypted(g) = s.tls_encrypt_skb(&f).unwrap() else { panic!("not encrypted") };
                let p = tcp::verify_checksums(&g).unwrap();
                wire.extend_from_slice(p.payload_of(&g));
            }
            let recs = split_records(&wire).unwrap();
            let got: Vec<u8> =
                recs.iter().enumerate().flat_map(|(i, r)| cipher.open(100 + i as u64, r).unwrap().plaintext).collect();
            assert_eq!(got, app);
            // Pre-offload bytes pass through; straddling or unknown fails.
            let pre = t.build(start - 30, &[0xee; 30]).unwrap();
            assert_eq!(s.tls_encrypt_skb(&pre).unwrap(), SwFallback::PassThrough(pre.clone()));
            let mix = t.build(start - 1, &s.bytes(start - 1, 2).unwrap()).unwrap();
            assert_eq!(s.tls_encrypt_skb(&mix), Err(FallbackError::Straddle { seq: start - 1, len: 2 }));
            let far = t.build(start.wrapping_add(90_000), &[0; 5]).unwrap();
            assert!(matches!(s.tls_encrypt_skb(&far), Err(FallbackError::NoRecord { .. })));
        }
    }

    #[test]
    fn failed_offload_leaves_the_socket_in_software() {
        let mut s = KtlsTx::try_new(info(TlsVersion::V12, 3), 10, vec![1; 4]).unwrap();
        let e = s.set_device_offload(|_, _, _| Err(DeviceError::TableFull)).unwrap_err();
        assert_eq!(e, KtlsError::Device(DeviceError::TableFull));
        assert_eq!((s.mode(), s.driver_state()), (TxMode::Sw, None));
        let (a, b) = s.write(b"secret", 100).unwrap()[0];
        let wire = s.bytes(a, b.wrapping_sub(a) as usize).unwrap();
        let o = RecordCipher::new(s.crypto_info()).unwrap().open(3, &wire).unwrap();
        assert_eq!(o.plaintext, b"secret", "records are encrypted in software");
        assert!(s.tls_get_record(a).is_none());
        assert_eq!(s.set_device_offload(|_, _, _| Ok(CtxId(1))), Err(KtlsError::OffloadState));
    }
}
