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
//!   context until the next `Resync` / `ContextUpdate`;
//! - `Retransmit` is encrypted by a walker of its own, started at the given
//!   offset of the given record (header, TLS 1.2 explicit nonce, or the
//!   body's keystream at that position; no GHASH state for that record, so
//!   its tag bytes get the given tag, and the frame is dropped
//!   (`tx_tls_drop_retx`) when they are needed, the offset is not 0 and no
//!   tag was given); records starting inside the segment are walked as
//!   usual. The context's state is not touched;
//! - every tag computed while encrypting a marked `Frame` (not a `Dump`,
//!   not a `Retransmit`) is reported as a [`TagCompletion`].

use crate::tcp;
use crate::tx_offload::{TagCompletion, TxDesc, TxDevice, TxDeviceCounters, TxWork};
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
    /// `None` when the stream started inside the body (keystream only: the
    /// GHASH of the bytes before is unknown, and so is the tag).
    ghash: Option<GHash>,
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
            ghash: Some(ghash),
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

    /// Keystream only, from body byte `at` of the record with GCM nonce
    /// `nonce`: the counter block of byte `at` is J0 + 2 + `at / 16`.
    fn resume(aes: &BlockCipher, nonce: [u8; 12], at: usize) -> Self {
        let mut ctr = [0u8; 16];
        ctr[..12].copy_from_slice(&nonce);
        ctr[12..].copy_from_slice(&2u32.wrapping_add((at / 16) as u32).to_be_bytes());
        let mut s = GcmStream {
            ghash: None,
            ctr,
            keystream: [0; 16],
            ks_used: 16,
            partial: [0; 16],
            partial_len: 0,
            aad_len: 0,
            ct_len: 0,
            tag_mask: [0; 16],
        };
        if !at.is_multiple_of(16) {
            s.next_keystream(aes);
            s.ks_used = at % 16;
        }
        s
    }

    fn next_keystream(&mut self, aes: &BlockCipher) {
        self.keystream = aes.encrypt(self.ctr);
        let c = u32::from_be_bytes(self.ctr[12..].try_into().expect("4 bytes")).wrapping_add(1);
        self.ctr[12..].copy_from_slice(&c.to_be_bytes());
        self.ks_used = 0;
    }

    fn encrypt(&mut self, aes: &BlockCipher, data: &mut [u8]) {
        for b in data {
            if self.ks_used == 16 {
                self.next_keystream(aes);
            }
            *b ^= self.keystream[self.ks_used];
            self.ks_used += 1;
            self.partial[self.partial_len] = *b;
            self.partial_len += 1;
            if self.partial_len == 16 {
                if let Some(g) = self.ghash.as_mut() {
                    g.update(&[self.partial.into()]);
                }
                self.partial_len = 0;
            }
            self.ct_len += 1;
        }
    }

    /// The tag, if the stream saw the whole body.
    fn tag(&self) -> Option<[u8; 16]> {
        let mut g = self.ghash.clone()?;
        if self.partial_len > 0 {
            g.update_padded(&self.partial[..self.partial_len]);
        }
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&(self.aad_len * 8).to_be_bytes());
        lens[8..].copy_from_slice(&(self.ct_len * 8).to_be_bytes());
        g.update(&[lens.into()]);
        let s: [u8; 16] = g.finalize().into();
        Some(std::array::from_fn(|i| s[i] ^ self.tag_mask[i]))
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

/// Why the walker cannot process a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WalkError {
    /// A malformed record (header).
    BadRecord,
    /// Tag bytes of a record the walk started inside, without its tag.
    NoTag,
}

/// Where the current record's tag comes from.
#[derive(Clone, Copy)]
enum TagSource {
    /// GHASH over the record, walked from its first byte.
    Computed,
    /// A retransmission that started inside the record: the tag given with
    /// it, if any.
    Given(Option<[u8; 16]>),
}

/// Where the walk is inside the current record (`Tag` with no tag: a
/// retransmission inside the record without it).
#[derive(Clone)]
enum Phase {
    Header { buf: [u8; 5], have: usize },
    Nonce { hdr: [u8; 5], buf: [u8; 8], have: usize },
    Body { left: usize, gcm: Box<GcmStream> },
    Tag { tag: Option<[u8; 16]>, at: usize },
}

/// The record walker: record number, position, and where the current
/// record's tag comes from.
#[derive(Clone)]
struct Walker {
    rec_num: u64,
    phase: Phase,
    tag_source: TagSource,
}

/// Tags the walker computed: (record number, tag).
type Computed = Vec<(u64, [u8; 16])>;

impl Walker {
    fn at_record_start(rec_num: u64) -> Self {
        Walker { rec_num, phase: Phase::Header { buf: [0; 5], have: 0 }, tag_source: TagSource::Computed }
    }

    /// A walker `offset` bytes into record `rec_num` whose header is
    /// `header` and TLS 1.2 explicit nonce `nonce` (a retransmission). At
    /// offset 0 it is [`Walker::at_record_start`]; else the record's tag is
    /// `tag`.
    fn inside_record(
        k: &Keys,
        rec_num: u64,
        header: [u8; 5],
        nonce: [u8; 8],
        offset: usize,
        tag: Option<[u8; 16]>,
    ) -> Result<Self, WalkError> {
        check_header(k.version, &header)?;
        let rec_len = 5 + usize::from(u16::from_be_bytes([header[3], header[4]]));
        if offset >= rec_len {
            return Err(WalkError::BadRecord);
        }
        let tag_source = if offset == 0 { TagSource::Computed } else { TagSource::Given(tag) };
        let prepend = k.version.prepend_size();
        let tag_at = rec_len - TLS_TAG_SIZE;
        let phase = if offset < 5 {
            Phase::Header { buf: header, have: offset }
        } else if offset < prepend {
            Phase::Nonce { hdr: header, buf: nonce, have: offset - 5 }
        } else if offset < tag_at {
            let gcm_nonce = match k.version {
                TlsVersion::V12 => {
                    let mut n = k.iv12;
                    n[4..].copy_from_slice(&nonce);
                    n
                }
                TlsVersion::V13 => tls13_nonce(k, rec_num),
            };
            let gcm = GcmStream::resume(&k.aes, gcm_nonce, offset - prepend);
            Phase::Body { left: tag_at - offset, gcm: Box::new(gcm) }
        } else {
            Phase::Tag { tag, at: offset - tag_at }
        };
        Ok(Walker { rec_num, phase, tag_source })
    }

    /// The tag phase of the current record, whose GHASH gave `computed`
    /// (noted in `out` when it is the record's tag).
    fn tag_phase(&self, computed: Option<[u8; 16]>, out: &mut Computed) -> Phase {
        let tag = match self.tag_source {
            TagSource::Computed => {
                if let Some(t) = computed {
                    out.push((self.rec_num, t));
                }
                computed
            }
            TagSource::Given(t) => t,
        };
        Phase::Tag { tag, at: 0 }
    }

    /// TLS 1.2: body length and AAD from the header once the nonce is
    /// known; TLS 1.3: from the header alone.
    fn start_body(&mut self, k: &Keys, hdr: [u8; 5], nonce: [u8; 12], out: &mut Computed) {
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
        self.phase =
            if body == 0 { self.tag_phase(gcm.tag(), out) } else { Phase::Body { left: body, gcm: Box::new(gcm) } };
    }

    /// Walk `data` (stream bytes at the expected position) in place:
    /// headers and nonces unchanged, bodies encrypted, tag space
    /// overwritten with the tag. Tags computed on the way are added to
    /// `out`.
    fn process(&mut self, k: &Keys, mut data: &mut [u8], out: &mut Computed) -> Result<(), WalkError> {
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
                            TlsVersion::V13 => self.start_body(k, hdr, tls13_nonce(k, self.rec_num), out),
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
                        self.start_body(k, hdr, nonce, out);
                    }
                    n
                }
                Phase::Body { left, gcm } => {
                    let n = (*left).min(data.len());
                    gcm.encrypt(&k.aes, &mut data[..n]);
                    *left -= n;
                    if *left == 0 {
                        let t = gcm.tag();
                        self.phase = self.tag_phase(t, out);
                    }
                    n
                }
                Phase::Tag { tag, at } => {
                    let tag = tag.ok_or(WalkError::NoTag)?;
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

/// The TLS 1.3 nonce of record `rec_num`: the IV XOR `0^4 || rec_num`.
fn tls13_nonce(k: &Keys, rec_num: u64) -> [u8; 12] {
    let mut nonce = k.iv12;
    for (b, s) in nonce[4..].iter_mut().zip(rec_num.to_be_bytes()) {
        *b ^= s;
    }
    nonce
}

/// The header checks the engine makes: version 03 03, TLS 1.3 outer type
/// application_data, length within the protocol's bounds.
fn check_header(version: TlsVersion, hdr: &[u8; 5]) -> Result<(), WalkError> {
    let len = usize::from(u16::from_be_bytes([hdr[3], hdr[4]]));
    let (min, max) = match version {
        TlsVersion::V12 => (8 + TLS_TAG_SIZE, crate::record::TLS12_MAX_LEN),
        TlsVersion::V13 => (1 + TLS_TAG_SIZE, crate::record::TLS13_MAX_LEN),
    };
    let outer_ok = version == TlsVersion::V12 || hdr[0] == crate::record::content_type::APPLICATION_DATA;
    if hdr[1..3] == [3, 3] && outer_ok && (min..=max).contains(&len) {
        Ok(())
    } else {
        Err(WalkError::BadRecord)
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
    /// Marked frames encrypted and sent ([`TxWork::Retransmit`] frames
    /// included).
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
    /// Retransmit frames encrypted and sent.
    pub tx_tls_retx_packets: u64,
    /// TCP payload bytes of those frames.
    pub tx_tls_retx_bytes: u64,
    /// Retransmit frames dropped: they started inside a record and reached
    /// its tag bytes, and no tag was given.
    pub tx_tls_drop_retx: u64,
    /// Tag completions written.
    pub tx_tls_tag_completions: u64,
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
    completions: Vec<TagCompletion>,
}

impl RefTxDevice {
    /// A device with `contexts` TX context slots.
    pub fn new(contexts: usize) -> Self {
        RefTxDevice {
            slots: (0..contexts).map(|_| None).collect(),
            wire: Vec::new(),
            counters: RefTxCounters::default(),
            completions: Vec::new(),
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
            c.broken = c.walker.process(&c.keys, &mut scratch, &mut Vec::new()).is_err();
        }
        c.expected_seq = c.expected_seq.wrapping_add(bytes.len() as u32);
        self.counters.tx_tls_dump_packets += 1;
        self.counters.tx_tls_dump_bytes += bytes.len() as u64;
    }

    /// The checks every marked frame (SEND or RETX) passes first: it
    /// parses, its context exists, and it has payload (else it leaves
    /// unchanged). `None`: the frame was dropped or passed and counted.
    fn marked(&mut self, ctx_id: CtxId, frame: Vec<u8>) -> Option<(tcp::ParsedFrame, Vec<u8>)> {
        let Ok(p) = tcp::parse(&frame) else {
            self.counters.tx_tls_drop_parse += 1;
            return None;
        };
        if self.context(ctx_id).is_none() {
            self.counters.tx_tls_drop_no_ctx += 1;
            return None;
        }
        if p.payload_len() == 0 {
            self.counters.tx_plain_packets += 1;
            self.wire.push(WireFrame { frame, encrypted_by: None });
            return None;
        }
        Some((p, frame))
    }

    /// An encrypted frame leaves: checksum fixed, counted, on the wire.
    fn send_encrypted(&mut self, ctx_id: CtxId, p: &tcp::ParsedFrame, mut frame: Vec<u8>) {
        tcp::fix_tcp_checksum(&mut frame, p);
        self.counters.tx_tls_encrypted_packets += 1;
        self.counters.tx_tls_encrypted_bytes += p.payload_len() as u64;
        self.wire.push(WireFrame { frame, encrypted_by: Some(ctx_id) });
    }

    fn frame(&mut self, desc: TxDesc, frame: Vec<u8>) {
        if !desc.offload {
            self.counters.tx_plain_packets += 1;
            self.wire.push(WireFrame { frame, encrypted_by: None });
            return;
        }
        let Some((p, mut frame)) = self.marked(desc.ctx_id, frame) else { return };
        let counters = &mut self.counters;
        let c = self.slots[desc.ctx_id.0 as usize].as_mut().expect("checked by marked");
        if c.broken {
            counters.tx_tls_drop_bad_record += 1;
            return;
        }
        if p.seq != c.expected_seq {
            counters.tx_tls_drop_seq += 1;
            return;
        }
        let mut w = c.walker.clone();
        let mut tags = Vec::new();
        if w.process(&c.keys, &mut frame[p.payload..p.end], &mut tags).is_err() {
            counters.tx_tls_drop_bad_record += 1;
            return;
        }
        c.walker = w;
        c.expected_seq = p.seq.wrapping_add(p.payload_len() as u32);
        counters.tx_tls_tag_completions += tags.len() as u64;
        let ctx_id = desc.ctx_id;
        self.completions.extend(tags.into_iter().map(|(rec_num, tag)| TagCompletion { ctx_id, rec_num, tag }));
        self.send_encrypted(ctx_id, &p, frame);
    }

    /// [`TxWork::Retransmit`]: a walker of its own, the context untouched.
    #[allow(clippy::too_many_arguments)]
    fn retransmit(
        &mut self,
        ctx_id: CtxId,
        seq: u32,
        rec_num: u64,
        offset: u16,
        header: [u8; 5],
        nonce: [u8; 8],
        tag: Option<[u8; 16]>,
        frame: Vec<u8>,
    ) {
        let Some((p, mut frame)) = self.marked(ctx_id, frame) else { return };
        let counters = &mut self.counters;
        let c = self.slots[ctx_id.0 as usize].as_ref().expect("checked by marked");
        if p.seq != seq {
            counters.tx_tls_drop_seq += 1;
            return;
        }
        let walked = Walker::inside_record(&c.keys, rec_num, header, nonce, usize::from(offset), tag)
            .and_then(|mut w| w.process(&c.keys, &mut frame[p.payload..p.end], &mut Vec::new()));
        match walked {
            Ok(()) => {}
            Err(WalkError::NoTag) => {
                counters.tx_tls_drop_retx += 1;
                return;
            }
            Err(WalkError::BadRecord) => {
                counters.tx_tls_drop_bad_record += 1;
                return;
            }
        }
        counters.tx_tls_retx_packets += 1;
        counters.tx_tls_retx_bytes += p.payload_len() as u64;
        self.send_encrypted(ctx_id, &p, frame);
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
            TxWork::Retransmit { ctx_id, seq, rec_num, offset, header, nonce, tag, frame } => {
                self.retransmit(ctx_id, seq, rec_num, offset, header, nonce, tag, frame)
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

    fn tag_completions(&mut self) -> Result<Vec<TagCompletion>, DeviceError> {
        Ok(std::mem::take(&mut self.completions))
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

    /// Three records (33 bytes of data, empty, 5 bytes) and their sealed
    /// bytes as aes-gcm gives them, numbered from 77.
    fn three_records(info: &TlsCryptoInfo) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let rc = RecordCipher::new(info).unwrap();
        let plain: Vec<Vec<u8>> = [&b"first record, 33 bytes of data.."[..], b"", b"third"]
            .iter()
            .enumerate()
            .map(|(i, d)| plaintext_record(info.version, 23, explicit_nonce(info.iv, i as u64), d).unwrap())
            .collect();
        let sealed = plain
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut r = r.clone();
                rc.seal_in_place(77 + i as u64, &mut r).unwrap();
                r
            })
            .collect();
        (plain, sealed)
    }

    fn payload(w: &WireFrame) -> Vec<u8> {
        let p = tcp::verify_checksums(&w.frame).unwrap();
        p.payload_of(&w.frame).to_vec()
    }

    /// A Retransmit starting at every byte of the stream, every length to
    /// its end, with and without the first record's tag: the bytes aes-gcm
    /// gives (records after the first walked with their own tags), or,
    /// starting inside a record and reaching its tag without it, dropped.
    /// The context is untouched and no tag completion is reported; a marked
    /// frame reports every tag it computes, in order.
    #[test]
    fn retransmit_at_any_offset_matches_aes_gcm() {
        for version in [TlsVersion::V12, TlsVersion::V13] {
            let key: Vec<u8> = (0..16).collect();
            let info = TlsCryptoInfo::new(version, Cipher::Aes128Gcm, key, [9; 8], [8; 4], 77).unwrap();
            let (plain, sealed) = three_records(&info);
            let (stream, want) = (plain.concat(), sealed.concat());
            let mut dev = RefTxDevice::new(1);
            let ctx = dev.add_tx_context(&info, 1000).unwrap();
            let frame = template().build(1000, &stream).unwrap();
            dev.post(TxWork::Frame { desc: TxDesc::offload(ctx), frame }).unwrap();
            assert_eq!(payload(&dev.take_wire()[0]), want);
            let tags: Vec<[u8; 16]> = sealed.iter().map(|r| r[r.len() - 16..].try_into().unwrap()).collect();
            let done = dev.tag_completions().unwrap();
            let expect: Vec<TagCompletion> =
                (0..3).map(|i| TagCompletion { ctx_id: ctx, rec_num: 77 + i as u64, tag: tags[i] }).collect();
            assert_eq!(done, expect, "{version:?}: one completion per record, aes-gcm's tag");
            assert!(dev.tag_completions().unwrap().is_empty(), "read once");
            let before = dev.counters().clone();
            let (mut sent, mut dropped, mut bytes) = (0u64, 0u64, 0u64);
            for s in 0..stream.len() {
                let (mut i, mut rs) = (0, 0);
                while s >= rs + plain[i].len() {
                    rs += plain[i].len();
                    i += 1;
                }
                let rl = plain[i].len();
                let header: [u8; 5] = stream[rs..rs + 5].try_into().unwrap();
                let nonce: [u8; 8] = match version {
                    TlsVersion::V12 => stream[rs + 5..rs + 13].try_into().unwrap(),
                    TlsVersion::V13 => [0; 8],
                };
                for len in 1..=stream.len() - s {
                    let off = s - rs;
                    let needs = off > 0 && off + len > rl - 16;
                    for tag in [None, Some(tags[i])] {
                        let frame = template().build(1000 + s as u32, &stream[s..s + len]).unwrap();
                        let (seq, rec_num, offset) = (1000 + s as u32, 77 + i as u64, off as u16);
                        dev.post(TxWork::Retransmit { ctx_id: ctx, seq, rec_num, offset, header, nonce, tag, frame })
                            .unwrap();
                        let w = dev.take_wire();
                        if needs && tag.is_none() {
                            assert!(w.is_empty(), "{version:?} [{s}, +{len}) needs the tag");
                            dropped += 1;
                        } else {
                            assert_eq!(payload(&w[0]), want[s..s + len], "{version:?} [{s}, +{len}) {tag:?}");
                            assert_eq!(w[0].encrypted_by, Some(ctx));
                            sent += 1;
                            bytes += len as u64;
                        }
                    }
                }
            }
            let c = dev.counters().clone();
            assert_eq!((c.tx_tls_retx_packets, c.tx_tls_retx_bytes, c.tx_tls_drop_retx), (sent, bytes, dropped));
            assert_eq!(c.tx_tls_encrypted_packets, before.tx_tls_encrypted_packets + sent);
            assert_eq!((c.tx_tls_drop_seq, c.tx_tls_drop_bad_record, c.tx_tls_tag_completions), (0, 0, 3));
            assert!(dev.tag_completions().unwrap().is_empty(), "{version:?}: no completion for Retransmit");
            // The context still expects the next record.
            let end = 1000 + stream.len() as u32;
            assert_eq!(dev.expected_seq(ctx), Some(end));
            let next = plaintext_record(version, 23, explicit_nonce(info.iv, 3), b"next").unwrap();
            let frame = template().build(end, &next).unwrap();
            dev.post(TxWork::Frame { desc: TxDesc::offload(ctx), frame }).unwrap();
            let o = RecordCipher::new(&info).unwrap().open(80, &payload(&dev.take_wire()[0])).unwrap();
            assert_eq!(o.plaintext, b"next");
        }
    }

    /// The given tag is what the first record gets (the device cannot check
    /// it); at offset 0 it is ignored. Malformed Retransmits are dropped and
    /// counted; Dumps report no completion.
    #[test]
    fn retransmit_edge_cases_and_dump_completions() {
        let info = TlsCryptoInfo::new(TlsVersion::V12, Cipher::Aes256Gcm, [3; 32], [1; 8], [2; 4], 77).unwrap();
        let (plain, sealed) = three_records(&info);
        let mut dev = RefTxDevice::new(2);
        let ctx = dev.add_tx_context(&info, 0).unwrap();
        let r = &plain[0];
        let (header, nonce): ([u8; 5], [u8; 8]) = (r[..5].try_into().unwrap(), r[5..13].try_into().unwrap());
        // The frame at `offset`, its Retransmit item saying `seq`.
        let retx = |dev: &mut RefTxDevice, ctx_id, seq: u32, offset: u16, tag, payload: &[u8]| {
            let frame = template().build(u32::from(offset), payload).unwrap();
            dev.post(TxWork::Retransmit { ctx_id, seq, rec_num: 77, offset, header, nonce, tag, frame }).unwrap();
            dev.take_wire()
        };
        let n = r.len();
        let w = retx(&mut dev, ctx, 40, 40, Some([0xaa; 16]), &r[40..]);
        assert_eq!(payload(&w[0])[..n - 56], sealed[0][40..n - 16]);
        assert_eq!(payload(&w[0])[n - 56..], [0xaa; 16], "the given tag, as given");
        let w = retx(&mut dev, ctx, 0, 0, Some([0xaa; 16]), r);
        assert_eq!(payload(&w[0]), sealed[0], "offset 0: computed");
        assert!(retx(&mut dev, ctx, 7, 6, None, &r[6..8]).is_empty(), "sequence number is not seq");
        assert!(retx(&mut dev, ctx, n as u32, n as u16, None, &[0; 3]).is_empty(), "offset past the record");
        assert!(retx(&mut dev, CtxId(1), 6, 6, None, &r[6..8]).is_empty(), "no such context");
        let c = dev.counters().clone();
        assert_eq!((c.tx_tls_drop_seq, c.tx_tls_drop_bad_record, c.tx_tls_drop_no_ctx), (1, 1, 1));
        assert_eq!((c.tx_tls_retx_packets, c.tx_tls_drop_retx), (2, 0));
        // A Dump through the end of record 77, then record 78 marked: one
        // completion, 78's. A Retransmit reports none.
        dev.post(TxWork::Dump { ctx_id: ctx, bytes: plain[0].clone() }).unwrap();
        let f = template().build(n as u32, &plain[1]).unwrap();
        dev.post(TxWork::Frame { desc: TxDesc::offload(ctx), frame: f }).unwrap();
        let tag78: [u8; 16] = sealed[1][sealed[1].len() - 16..].try_into().unwrap();
        assert_eq!(dev.tag_completions().unwrap(), vec![TagCompletion { ctx_id: ctx, rec_num: 78, tag: tag78 }]);
    }
}
