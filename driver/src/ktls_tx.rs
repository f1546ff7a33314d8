//! The TX side of a kTLS socket in `TLS_HW` mode.
//!
//! As in `net/tls/tls_device.c`: application data is framed into records
//! (header, TLS 1.2 explicit nonce, plaintext, TLS 1.3 inner content type,
//! and 16 bytes reserved for the tag that the device writes), appended to
//! the TCP byte stream at `write_seq`, and kept in a record store until TCP
//! acknowledges them, so that out-of-order segments can be handled. Bytes
//! queued before offload started (already encrypted in software) precede
//! `start_offload_tcp_sn`; a start marker separates the two.

use crate::types::{seq_before, CryptoInfo, TlsVersion};
use std::collections::VecDeque;

/// Largest TLS record payload.
pub const MAX_RECORD_DATA: usize = 16_384;

/// One record in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    /// TCP sequence number of the record's first byte.
    pub start: u32,
    /// Record sequence number.
    pub rec_num: u64,
    /// The record as handed to the device (plaintext, zero tag).
    pub bytes: Vec<u8>,
}

impl TxRecord {
    /// TCP sequence number after the record.
    pub fn end(&self) -> u32 {
        self.start.wrapping_add(self.bytes.len() as u32)
    }
}

/// What `tls_get_record` finds for a sequence number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordLookup<'a> {
    /// The sequence number is before offload started (pre-offload data).
    Marker,
    /// The record holding the sequence number.
    Record(&'a TxRecord),
    /// Outside what the store holds (acknowledged or never sent).
    None,
}

/// A socket's TX state.
#[derive(Clone, Debug)]
pub struct KtlsTx {
    /// Crypto state installed with `tls_dev_add`.
    pub info: CryptoInfo,
    /// `start_offload_tcp_sn`.
    pub start_sn: u32,
    pre_start: u32,
    pre: Vec<u8>,
    records: VecDeque<TxRecord>,
    pushed: u64,
    write_seq: u32,
    acked: u32,
}

impl KtlsTx {
    /// A socket that had `pre_offload` bytes (already encrypted in software)
    /// queued at `start_sn - len` when offload was installed at `start_sn`.
    pub fn new(info: CryptoInfo, start_sn: u32, pre_offload: Vec<u8>) -> Self {
        let pre_start = start_sn.wrapping_sub(pre_offload.len() as u32);
        KtlsTx {
            info,
            start_sn,
            pre_start,
            pre: pre_offload,
            records: VecDeque::new(),
            pushed: 0,
            write_seq: start_sn,
            acked: pre_start,
        }
    }

    /// First TCP sequence number of the stream this socket holds.
    pub fn stream_start(&self) -> u32 {
        self.pre_start
    }

    /// Next TCP sequence number to be written.
    pub fn write_seq(&self) -> u32 {
        self.write_seq
    }

    /// Frame `data` (at most [`MAX_RECORD_DATA`] bytes) as one record of
    /// content type 23 and queue it; returns its TCP sequence range.
    ///
    /// # Panics
    /// If `data` is longer than a record may be.
    pub fn push_record(&mut self, data: &[u8]) -> (u32, u32) {
        assert!(data.len() <= MAX_RECORD_DATA, "record payload over 16 KB");
        let i = &self.info;
        let mut r = Vec::with_capacity(data.len() + i.overhead());
        r.extend_from_slice(&[0x17, 3, 3]);
        r.extend_from_slice(&((data.len() + i.overhead() - 5) as u16).to_be_bytes());
        if i.version == TlsVersion::V12 {
            // The kernel writes iv + records sent as the explicit nonce.
            r.extend_from_slice(&u64::from_be_bytes(i.iv).wrapping_add(self.pushed).to_be_bytes());
        }
        r.extend_from_slice(data);
        if i.version == TlsVersion::V13 {
            r.push(0x17);
        }
        r.extend_from_slice(&[0; 16]);
        let rec = TxRecord { start: self.write_seq, rec_num: i.rec_seq + self.pushed, bytes: r };
        self.pushed += 1;
        self.write_seq = rec.end();
        let range = (rec.start, rec.end());
        self.records.push_back(rec);
        range
    }

    /// `tls_get_record`: the record holding `seq`, the start marker for
    /// pre-offload data, or nothing.
    pub fn get_record(&self, seq: u32) -> RecordLookup<'_> {
        if seq_before(seq, self.start_sn) {
            return if seq_before(seq, self.pre_start) { RecordLookup::None } else { RecordLookup::Marker };
        }
        for r in &self.records {
            if seq_before(seq, r.end()) {
                return if seq_before(seq, r.start) { RecordLookup::None } else { RecordLookup::Record(r) };
            }
        }
        RecordLookup::None
    }

    /// Stream bytes [seq, seq+len) as TCP sends them (pre-offload bytes as
    /// queued, records as handed to the device); `None` if not all held.
    pub fn bytes(&self, seq: u32, len: usize) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(len);
        let mut s = seq;
        while out.len() < len {
            let want = len - out.len();
            if seq_before(s, self.start_sn) {
                let off = s.wrapping_sub(self.pre_start) as usize;
                if off >= self.pre.len() {
                    return None;
                }
                let n = want.min(self.pre.len() - off);
                out.extend_from_slice(&self.pre[off..off + n]);
                s = s.wrapping_add(n as u32);
            } else {
                let RecordLookup::Record(r) = self.get_record(s) else { return None };
                let off = s.wrapping_sub(r.start) as usize;
                let n = want.min(r.bytes.len() - off);
                out.extend_from_slice(&r.bytes[off..off + n]);
                s = s.wrapping_add(n as u32);
            }
        }
        Some(out)
    }

    /// TSO: cut the stream from `from` to `write_seq` into segments of at
    /// most `mss` bytes (1..=9000); pre-offload data ends on a segment
    /// boundary, as the kernel guarantees with EOR at offload start.
    /// Returns (sequence number, length) of each segment.
    ///
    /// # Panics
    /// If `mss` is 0.
    pub fn segments(&self, from: u32, mss: usize) -> Vec<(u32, usize)> {
        assert!(mss > 0, "MSS must be at least 1");
        let mut out = Vec::new();
        let mut s = from;
        while s != self.write_seq {
            let limit = if seq_before(s, self.start_sn) { self.start_sn } else { self.write_seq };
            let n = mss.min(limit.wrapping_sub(s) as usize);
            out.push((s, n));
            s = s.wrapping_add(n as u32);
        }
        out
    }

    /// TCP acknowledged everything before `seq`: free the records that end
    /// at or before it (`tls_tcp_clean_acked`).
    pub fn ack(&mut self, seq: u32) {
        if seq_before(self.acked, seq) {
            self.acked = seq;
        }
        while self.records.front().is_some_and(|r| !seq_before(seq, r.end())) {
            self.records.pop_front();
        }
    }

    /// Records still held.
    pub fn records_held(&self) -> usize {
        self.records.len()
    }
}
