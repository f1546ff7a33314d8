//! A reference TX device: a behavioural model of the NIC's TX engine that
//! executes [`TxWork`] the way the RTL must, for tests here and for
//! comparing the RTL against later (enable the `testing` feature).
//!
//! Per context it keeps what the hardware keeps: the expected TCP sequence
//! number, the record number, where the walk is inside the current record
//! (header bytes collected so far, TLS 1.2 explicit nonce bytes, body bytes
//! left, tag bytes written), and a streaming AES-GCM state (counter block,
//! keystream position, GHASH accumulator and partial block). Segments may
//! start and end anywhere in a record and hold any number of records.
//!
//! The crypto is AES-GCM built from the block cipher and GHASH (RustCrypto
//! `aes`, `ghash`) so that checking the wire with the `aes-gcm` crate
//! ([`crate::record::RecordCipher::open`]) is an independent check.
//!
//! Rules:
//! - unmarked frames leave as they came;
//! - a marked frame is encrypted and its TCP checksum fixed if it parses,
//!   its context exists, its sequence number is the expected one and its
//!   records are well formed; otherwise it is dropped and counted, the
//!   context unchanged (a marked frame without payload leaves unchanged);
//! - `Resync` / `ContextUpdate` put the context at the first byte of the
//!   given record, expecting its sequence number; `Dump` bytes are walked
//!   like frame payload, output discarded; a malformed dump breaks the
//!   context until the next `Resync` / `ContextUpdate`.

use crate::tcp;
use crate::tx_offload::{TxDesc, TxDevice, TxDeviceCounters, TxWork};
use crate::types::{Cipher, CtxId, DeviceError, TlsCryptoInfo, TlsVersion, TLS_TAG_SIZE};
use aes::cipher::{BlockEncrypt, KeyInit};
use ghash::universal_hash::UniversalHash;
use ghash::GHash;

/// AES block cipher of one key.
#[derive(Clone)]
enum BlockCipher {
    Aes128(Box<aes::Aes128>),
    Aes256(Box<aes::Aes256>),
}

impl BlockCipher {
    fn new(cipher: Cipher, key: &[u8]) -> Self {
        match cipher {
            Cipher::Aes128Gcm => {
                BlockCipher::Aes128(Box::new(aes::Aes128::new_from_slice(key).expect("checked length")))
            }
            Cipher::Aes256Gcm => {
                BlockCipher::Aes256(Box::new(aes::Aes256::new_from_slice(key).expect("checked length")))
            }
        }
    }

    fn encrypt(&self, block: [u8; 16]) -> [u8; 16] {
        let mut b = block.into();
        match self {
            BlockCipher::Aes128(c) => c.encrypt_block(&mut b),
            BlockCipher::Aes256(c) => c.encrypt_block(&mut b),
        }
        b.into()
    }
}

/// Streaming AES-GCM encryption of one record body.
#[derive(Clone)]
struct GcmStream {
    ghash: GHash,
    /// Counter block of the next keystream block.
    ctr: [u8; 16],
    keystream: [u8; 16],
    ks_used: usize,
    /// Ciphertext not yet a full GHASH block.
    partial: [u8; 16],
    partial_len: usize,
    aad_len: u64,
    ct_len: u64,
    /// E(K, J0), XORed into the GHASH result.
    tag_mask: [u8; 16],
}

impl GcmStream {
    fn start(aes: &BlockCipher, h: &[u8; 16], nonce: [u8; 12], aad: &[u8]) -> Self {
        let mut j0 = [0u8; 16];
        j0[..12].copy_from_slice(&nonce);
        j0[15] = 1;
        let mut ghash = GHash::new(h.into());
        ghash.update_padded(aad);
        let mut ctr = j0;
        ctr[15] = 2;
        GcmStream {
            ghash,
            ctr,
            keystream: [0; 16],
            ks_used: 16,
            partial: [0; 16],
            partial_len: 0,
            aad_len: aad.len() as u64,
            ct_len: 0,
            tag_mask: aes.encrypt(j0),
        }
    }

    fn encrypt(&mut self, aes: &BlockCipher, data: &mut [u8]) {
        for b in data {
            if self.ks_used == 16 {
                self.keystream = aes.encrypt(self.ctr);
                let c = u32::from_be_bytes(self.ctr[12..].try_into().expect("4 bytes")).wrapping_add(1);
                self.ctr[12..].copy_from_slice(&c.to_be_bytes());
                self.ks_used = 0;
            }
            *b ^= self.keystream[self.ks_used];
            self.ks_used += 1;
            self.partial[self.partial_len] = *b;
            self.partial_len += 1;
            if self.partial_len == 16 {
                self.ghash.update(&[self.partial.into()]);
                self.partial_len = 0;
            }
            self.ct_len += 1;
        }
    }

    fn tag(&self) -> [u8; 16] {
        let mut g = self.ghash.clone();
        if self.partial_len > 0 {
            g.update_padded(&self.partial[..self.partial_len]);
        }
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&(self.aad_len * 8).to_be_bytes());
        lens[8..].copy_from_slice(&(self.ct_len * 8).to_be_bytes());
        g.update(&[lens.into()]);
        let s: [u8; 16] = g.finalize().into();
        std::array::from_fn(|i| s[i] ^ self.tag_mask[i])
    }
}

/// The context's secrets.
#[derive(Clone)]
struct Keys {
    version: TlsVersion,
    aes: BlockCipher,
    /// GHASH key H = E(K, 0).
    h: [u8; 16],
    /// salt || iv.
    iv12: [u8; 12],
}

/// A record the walker cannot process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BadRecord;

/// Where the walk is inside the current record.
#[derive(Clone)]
enum Phase {
    Header { buf: [u8; 5], have: usize },
    Nonce { hdr: [u8; 5], buf: [u8; 8], have: usize },
    Body { left: usize, gcm: Box<GcmStream> },
    Tag { tag: [u8; 16], at: usize },
}

/// The record walker: record number and position.
#[derive(Clone)]
struct Walker {
    rec_num: u64,
    phase: Phase,
}

impl Walker {
    fn at_record_start(rec_num: u64) -> Self {
        Walker { rec_num, phase: Phase::Header { buf: [0; 5], have: 0 } }
    }

    /// TLS 1.2: body length and AAD from the header once the nonce is
    /// known; TLS 1.3: from the header alone.
    fn start_body(&mut self, k: &Keys, hdr: [u8; 5], nonce: [u8; 12]) {
        let len = usize::from(u16::from_be_bytes([hdr[3], hdr[4]]));
        let (body, aad) = match k.version {
            TlsVersion::V12 => {
                let n = len - 8 - TLS_TAG_SIZE;
                let mut aad = self.rec_num.to_be_bytes().to_vec();
                aad.extend_from_slice(&hdr[..3]);
                aad.extend_from_slice(&(n as u16).to_be_bytes());
                (n, aad)
            }
            TlsVersion::V13 => (len - TLS_TAG_SIZE, hdr.to_vec()),
        };
        let gcm = GcmStream::start(&k.aes, &k.h, nonce, &aad);
        self.phase = if body == 0 {
            Phase::Tag { tag: gcm.tag(), at: 0 }
        } else {
            Phase::Body { left: body, gcm: Box::new(gcm) }
        };
    }

    /// Walk `data` (stream bytes at the expected position) in place:
    /// headers and nonces unchanged, bodies encrypted, tag space
    /// overwritten with the tag.
    fn process(&mut self, k: &Keys, mut data: &mut [u8]) -> Result<(), BadRecord> {
        while !data.is_empty() {
            let used = match &mut self.phase {
                Phase::Header { buf, have } => {
                    let n = (5 - *have).min(data.len());
                    buf[*have..*have + n].copy_from_slice(&data[..n]);
                    *have += n;
                    if *have == 5 {
                        let hdr = *buf;
                        check_header(k.version, &hdr)?;
                        match k.version {
                            TlsVersion::V12 => self.phase = Phase::Nonce { hdr, buf: [0; 8], have: 0 },
                            TlsVersion::V13 => {
                                let mut nonce = k.iv12;
                                for (b, s) in nonce[4..].iter_mut().zip(self.rec_num.to_be_bytes()) {
                                    *b ^= s;
                                }
                                self.start_body(k, hdr, nonce);
                            }
                        }
                    }
                    n
                }
                Phase::Nonce { hdr, buf, have } => {
                    let n = (8 - *have).min(data.len());
                    buf[*have..*have + n].copy_from_slice(&data[..n]);
                    *have += n;
                    if *have == 8 {
                        let hdr = *hdr;
                        let mut nonce = k.iv12;
                        nonce[4..].copy_from_slice(buf);
                        self.start_body(k, hdr, nonce);
                    }
                    n
                }
                Phase::Body { left, gcm } => {
                    let n = (*left).min(data.len());
                    gcm.encrypt(&k.aes, &mut data[..n]);
                    *left -= n;
                    if *left == 0 {
                        self.phase = Phase::Tag { tag: gcm.tag(), at: 0 };
                    }
                    n
                }
                Phase::Tag { tag, at } => {
                    let n = (16 - *at).min(data.len());
                    data[..n].copy_from_slice(&tag[*at..*at + n]);
                    *at += n;
                    if *at == 16 {
                        *self = Walker::at_record_start(self.rec_num.wrapping_add(1));
                    }
                    n
                }
            };
            data = &mut data[used..];
        }
        Ok(())
    }
}

/// The header checks the engine makes: version 03 03, TLS 1.3 outer type
/// application_data, length within the protocol's bounds.
fn check_header(version: TlsVersion, hdr: &[u8; 5]) -> Result<(), BadRecord> {
    let len = usize::from(u16::from_be_bytes([hdr[3], hdr[4]]));
    let (min, max) = match version {
        TlsVersion::V12 => (8 + TLS_TAG_SIZE, crate::record::TLS12_MAX_LEN),
        TlsVersion::V13 => (1 + TLS_TAG_SIZE, crate::record::TLS13_MAX_LEN),
    };
    let outer_ok = version == TlsVersion::V12 || hdr[0] == crate::record::content_type::APPLICATION_DATA;
    if hdr[1..3] == [3, 3] && outer_ok && (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(BadRecord)
    }
}

struct Context {
    keys: Keys,
    expected_seq: u32,
    walker: Walker,
    /// A dump failed: frames are dropped until the next resync.
    broken: bool,
}

/// Counters of the reference device (the seed's device-side TX counters
/// first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefTxCounters {
    /// Marked frames encrypted and sent.
    pub tx_tls_encrypted_packets: u64,
    /// TCP payload bytes of those frames.
    pub tx_tls_encrypted_bytes: u64,
    /// Unmarked frames sent (and marked frames without payload).
    pub tx_plain_packets: u64,
    /// Dump items processed.
    pub tx_tls_dump_packets: u64,
    /// Bytes in them.
    pub tx_tls_dump_bytes: u64,
    /// Resync items processed.
    pub tx_tls_resync: u64,
    /// ContextUpdate items processed.
    pub tx_tls_ctx_update: u64,
    /// Contexts installed.
    pub tx_tls_ctx: u64,
    /// Contexts deleted.
    pub tx_tls_del: u64,
    /// Marked frames dropped: not a TCP frame.
    pub tx_tls_drop_parse: u64,
    /// Marked frames or work dropped: no such context.
    pub tx_tls_drop_no_ctx: u64,
    /// Marked frames dropped: sequence number not the expected one.
    pub tx_tls_drop_seq: u64,
    /// Marked frames dropped: malformed record, or context broken by a
    /// malformed dump.
    pub tx_tls_drop_bad_record: u64,
}

/// A frame the device sent to the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireFrame {
    /// The frame.
    pub frame: Vec<u8>,
    /// It was marked and encrypted (with this context).
    pub encrypted_by: Option<CtxId>,
}

/// The reference TX device with `N` context slots.
pub struct RefTxDevice {
    slots: Vec<Option<Context>>,
    wire: Vec<WireFrame>,
    counters: RefTxCounters,
}

impl RefTxDevice {
    /// A device with `contexts` TX context slots.
    pub fn new(contexts: usize) -> Self {
        RefTxDevice {
            slots: (0..contexts).map(|_| None).collect(),
            wire: Vec::new(),
            counters: RefTxCounters::default(),
        }
    }

    /// Frames sent since the last call, in order.
    pub fn take_wire(&mut self) -> Vec<WireFrame> {
        std::mem::take(&mut self.wire)
    }

    /// Counters.
    pub fn counters(&self) -> &RefTxCounters {
        &self.counters
    }

    /// Contexts installed now.
    pub fn contexts_in_use(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// The sequence number a context expects next.
    pub fn expected_seq(&self, ctx: CtxId) -> Option<u32> {
        self.context(ctx).map(|c| c.expected_seq)
    }

    fn context(&self, ctx: CtxId) -> Option<&Context> {
        self.slots.get(ctx.0 as usize)?.as_ref()
    }

    fn context_mut(&mut self, ctx: CtxId) -> Option<&mut Context> {
        self.slots.get_mut(ctx.0 as usize)?.as_mut()
    }

    /// Put a context at the first byte of record `rec_num` at `seq`.
    fn restart(&mut self, ctx: CtxId, seq: u32, rec_num: u64) -> bool {
        let Some(c) = self.context_mut(ctx) else {
            self.counters.tx_tls_drop_no_ctx += 1;
            return false;
        };
        c.expected_seq = seq;
        c.walker = Walker::at_record_start(rec_num);
        c.broken = false;
        true
    }

    fn dump(&mut self, ctx: CtxId, bytes: &[u8]) {
        let Some(c) = self.context_mut(ctx) else {
            self.counters.tx_tls_drop_no_ctx += 1;
            return;
        };
        if !c.broken {
            let mut scratch = bytes.to_vec();
            c.broken = c.walker.process(&c.keys, &mut scratch).is_err();
        }
        c.expected_seq = c.expected_seq.wrapping_add(bytes.len() as u32);
        self.counters.tx_tls_dump_packets += 1;
        self.counters.tx_tls_dump_bytes += bytes.len() as u64;
    }

    fn frame(&mut self, desc: TxDesc, mut frame: Vec<u8>) {
        if !desc.offload {
            self.counters.tx_plain_packets += 1;
            self.wire.push(WireFrame { frame, encrypted_by: None });
            return;
        }
        let Ok(p) = tcp::parse(&frame) else {
            self.counters.tx_tls_drop_parse += 1;
            return;
        };
        let counters = &mut self.counters;
        let Some(c) = self.slots.get_mut(desc.ctx_id.0 as usize).and_then(Option::as_mut) else {
            counters.tx_tls_drop_no_ctx += 1;
            return;
        };
        if p.payload_len() == 0 {
            counters.tx_plain_packets += 1;
            self.wire.push(WireFrame { frame, encrypted_by: None });
            return;
        }
        if c.broken {
            counters.tx_tls_drop_bad_record += 1;
            return;
        }
        if p.seq != c.expected_seq {
            counters.tx_tls_drop_seq += 1;
            return;
        }
        let mut w = c.walker.clone();
        if w.process(&c.keys, &mut frame[p.payload..p.end]).is_err() {
            counters.tx_tls_drop_bad_record += 1;
            return;
        }
        c.walker = w;
        c.expected_seq = p.seq.wrapping_add(p.payload_len() as u32);
        tcp::fix_tcp_checksum(&mut frame, &p);
        counters.tx_tls_encrypted_packets += 1;
        counters.tx_tls_encrypted_bytes += p.payload_len() as u64;
        self.wire.push(WireFrame { frame, encrypted_by: Some(desc.ctx_id) });
    }
}

impl TxDevice for RefTxDevice {
    fn add_tx_context(&mut self, info: &TlsCryptoInfo, start_offload_tcp_sn: u32) -> Result<CtxId, DeviceError> {
        info.validate()?;
        let slot = self.slots.iter().position(Option::is_none).ok_or(DeviceError::TableFull)?;
        let aes = BlockCipher::new(info.cipher, &info.key);
        let h = aes.encrypt([0; 16]);
        self.slots[slot] = Some(Context {
            keys: Keys { version: info.version, aes, h, iv12: info.iv12() },
            expected_seq: start_offload_tcp_sn,
            walker: Walker::at_record_start(info.rec_seq),
            broken: false,
        });
        self.counters.tx_tls_ctx += 1;
        Ok(CtxId(slot as u32))
    }

    fn del_tx_context(&mut self, ctx_id: CtxId) -> Result<(), DeviceError> {
        let slot = self.slots.get_mut(ctx_id.0 as usize).ok_or(DeviceError::NoContext(ctx_id))?;
        slot.take().ok_or(DeviceError::NoContext(ctx_id))?;
        self.counters.tx_tls_del += 1;
        Ok(())
    }

    fn post(&mut self, work: TxWork) -> Result<(), DeviceError> {
        match work {
            TxWork::Frame { desc, frame } => self.frame(desc, frame),
            TxWork::Resync { ctx_id, rec_start_seq, rec_num } => {
                if self.restart(ctx_id, rec_start_seq, rec_num) {
                    self.counters.tx_tls_resync += 1;
                }
            }
            TxWork::Dump { ctx_id, bytes } => self.dump(ctx_id, &bytes),
            TxWork::ContextUpdate { ctx_id, tcp_seq, rec_num } => {
                if self.restart(ctx_id, tcp_seq, rec_num) {
                    self.counters.tx_tls_ctx_update += 1;
                }
            }
        }
        Ok(())
    }

    fn tx_counters(&mut self) -> Result<TxDeviceCounters, DeviceError> {
        Ok(TxDeviceCounters {
            tx_tls_encrypted_packets: self.counters.tx_tls_encrypted_packets,
            tx_tls_encrypted_bytes: self.counters.tx_tls_encrypted_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{explicit_nonce, plaintext_record, RecordCipher};
    use crate::tcp::FrameTemplate;
    use crate::types::FlowKey;

    fn template() -> FrameTemplate {
        FrameTemplate::new(FlowKey::V4 { saddr: [1, 2, 3, 4].into(), daddr: [5, 6, 7, 8].into(), sport: 7, dport: 443 })
    }

    /// Every split of a two-record stream into two marked frames (the cut at
    /// every byte: header, nonce, body, tag) gives the records aes-gcm
    /// produces, for both versions and key sizes.
    #[test]
    fn streaming_engine_matches_aes_gcm_at_every_cut() {
        for version in [TlsVersion::V12, TlsVersion::V13] {
            for cipher in [Cipher::Aes128Gcm, Cipher::Aes256Gcm] {
                let key: Vec<u8> = (0..cipher.key_size() as u8).collect();
                let info = TlsCryptoInfo::new(version, cipher, key, [9; 8], [8; 4], 77).unwrap();
                let rc = RecordCipher::new(&info).unwrap();
                let recs: Vec<Vec<u8>> = [&b"first record, 33 bytes of data.."[..], b""]
                    .iter()
                    .enumerate()
                    .map(|(i, d)| plaintext_record(version, 23, explicit_nonce(info.iv, i as u64), d).unwrap())
                    .collect();
                let mut want = Vec::new();
                for (i, r) in recs.iter().enumerate() {
                    let mut r = r.clone();
                    rc.seal_in_place(77 + i as u64, &mut r).unwrap();
                    want.extend(r);
                }
                let stream = recs.concat();
                for cut in 1..stream.len() {
                    let mut dev = RefTxDevice::new(1);
                    let ctx = dev.add_tx_context(&info, 1000).unwrap();
                    for (seq, part) in [(1000u32, &stream[..cut]), (1000 + cut as u32, &stream[cut..])] {
                        let frame = template().build(seq, part).unwrap();
                        dev.post(TxWork::Frame { desc: TxDesc::offload(ctx), frame }).unwrap();
                    }
                    let got: Vec<u8> = dev
                        .take_wire()
                        .iter()
                        .flat_map(|w| {
                            let p = tcp::verify_checksums(&w.frame).unwrap();
                            p.payload_of(&w.frame).to_vec()
                        })
                        .collect();
                    assert_eq!(got, want, "{version:?} {cipher:?} cut {cut}");
                }
            }
        }
    }

    #[test]
    fn drops_what_it_cannot_encrypt() {
        let info = TlsCryptoInfo::new(TlsVersion::V13, Cipher::Aes128Gcm, [1; 16], [0; 8], [0; 4], 0).unwrap();
        let mut dev = RefTxDevice::new(1);
        let ctx = dev.add_tx_context(&info, 0).unwrap();
        assert_eq!(dev.add_tx_context(&info, 0), Err(DeviceError::TableFull));
        let rec = plaintext_record(TlsVersion::V13, 23, [0; 8], &[5; 40]).unwrap();
        let post = |dev: &mut RefTxDevice, desc, seq, p: &[u8]| {
            dev.post(TxWork::Frame { desc, frame: template().build(seq, p).unwrap() }).unwrap()
        };
        post(&mut dev, TxDesc::offload(CtxId(3)), 0, &rec);
        post(&mut dev, TxDesc::offload(ctx), 1, &rec[1..]);
        let mut bad = rec.clone();
        bad[1] = 1; // version 01 03
        post(&mut dev, TxDesc::offload(ctx), 0, &bad);
        assert!(dev.take_wire().is_empty());
        let c = dev.counters().clone();
        assert_eq!((c.tx_tls_drop_no_ctx, c.tx_tls_drop_seq, c.tx_tls_drop_bad_record), (1, 1, 1));
        // The context is unchanged: the good record still goes through.
        post(&mut dev, TxDesc::offload(ctx), 0, &rec);
        post(&mut dev, TxDesc::plain(), 999, &rec);
        let w = dev.take_wire();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].encrypted_by, Some(ctx));
        assert_eq!(w[1].frame, template().build(999, &rec).unwrap(), "unmarked: unchanged");
        // A malformed dump breaks the context until the next resync.
        dev.post(TxWork::Dump { ctx_id: ctx, bytes: bad[..5].to_vec() }).unwrap();
        post(&mut dev, TxDesc::offload(ctx), rec.len() as u32 + 5, &rec[5..]);
        assert_eq!(dev.counters().tx_tls_drop_bad_record, 2);
        dev.post(TxWork::ContextUpdate { ctx_id: ctx, tcp_seq: 500, rec_num: 1 }).unwrap();
        post(&mut dev, TxDesc::offload(ctx), 500, &rec);
        let w = dev.take_wire();
        let p = tcp::parse(&w[0].frame).unwrap();
        let o = RecordCipher::new(&info).unwrap().open(1, p.payload_of(&w[0].frame)).unwrap();
        assert_eq!(o.plaintext, vec![5; 40]);
        dev.del_tx_context(ctx).unwrap();
        assert_eq!(dev.del_tx_context(ctx), Err(DeviceError::NoContext(ctx)));
    }
}
