//! Host side of TLS_HW RX: the kernel TLS RX core for one socket
//! ([`KtlsRx`]) and a driver over any [`RxDevice`] ([`RxDriver`]).
//!
//! [`KtlsRx`] follows the kernel's net/tls (tls_strp.c, tls_device.c):
//! - TCP reassembly keeps, per byte, whether the segment that carried it
//!   was marked `decrypted` (the first copy of a byte wins, like the TCP
//!   out-of-order queue);
//! - the strparser cuts the in-order stream into records by their length
//!   fields; each header calls the resync hook (`tls_device_rx_resync_new_rec`);
//! - per record (`tls_device_decrypted`): all bytes decrypted ⇒ the
//!   plaintext is taken as is (the tag is not checked); none ⇒ software
//!   decryption and authentication; mixed ⇒ the decrypted body bytes are
//!   re-encrypted first (`tls_device_reencrypt`), then software decryption;
//!   an authentication failure is the socket error EBADMSG;
//! - resync, two modes: the device's stream scan answered through the async
//!   request log (`tls_offload_rx_resync_async_request_start/_end/_cancel`,
//!   `DRIVER_REQ_ASYNC`), or stack-driven (`CORE_NEXT_HINT`) with the 2, 4,
//!   8 … 128 record back-off.
//!
//! [`RxDriver`] is the driver: `tls_dev_add` / `tls_dev_del` /
//! `tls_dev_resync` for RX, the stack's checksum check, socket lookup by
//! 4-tuple, the resync-request descriptor handling with a configurable
//! delay between `_start` and `_end` (mlx5's GET_PSV round trip), and the
//! driver's `rx_tls_resync_*` counters.

use crate::record::{content_type, RecordCipher, TLS_HEADER_SIZE, TLS_MAX_PAYLOAD};
use crate::rx_device::{RxDevice, RxFrame, RxResyncMode};
use crate::tcp::{checksums_ok, parse};
use crate::types::{seq_before, CtxId, DeviceError, FlowKey, TlsCryptoInfo, TlsVersion, TLS_TAG_SIZE};
use aes::cipher::{BlockEncrypt, KeyInit};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Records a socket handled, by who decrypted them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KtlsRxStats {
    /// Records parsed and authenticated (or taken from the device).
    pub records: u64,
    /// Records every byte of which the device decrypted.
    pub records_device: u64,
    /// Records partly decrypted by the device (re-encrypted, then software).
    pub records_mixed: u64,
    /// Records decrypted in software only.
    pub records_sw: u64,
    /// Authentication failures (EBADMSG).
    pub decrypt_errors: u64,
    /// `tls_dev_resync` calls asked for.
    pub resyncs: u64,
    /// Outages: runs of records the device did not fully decrypt (software
    /// or mixed) that ended with a record the device decrypted again.
    pub outages: u64,
    /// Records in those runs (`outage_records / outages`: the records a
    /// loss cost, resync included).
    pub outage_records: u64,
    /// The longest such run.
    pub outage_max: u64,
    /// Records at the end of the stream not fully decrypted by the device
    /// (an outage that had not ended).
    pub outage_open: u64,
}

/// Async resync request state (`struct tls_offload_resync_async`).
#[derive(Clone, Debug, Default)]
struct ResyncAsync {
    /// `None`: no request. `Some((seq, Some(len)))`: async stage, logging
    /// headers in [seq, seq+len]. `Some((hw_seq, None))`: the device's guess
    /// is known.
    req: Option<(u32, Option<u32>)>,
    log: Vec<u32>,
    rcd_delta: u32,
}

/// `TLS_DEVICE_RESYNC_ASYNC_LOGMAX`.
const ASYNC_LOGMAX: usize = 13;
/// `TLS_DEVICE_RESYNC_NH_START_IVAL` / `_MAX_IVAL`.
const NH_START: u32 = 2;
const NH_MAX: u32 = 128;

/// One socket's TLS RX state.
pub struct KtlsRx {
    version: TlsVersion,
    cipher: RecordCipher,
    key: Vec<u8>,
    mode: RxResyncMode,
    /// TCP sequence number of `stream[0]`.
    seq: u32,
    /// In-order bytes not yet consumed by the strparser, with marks.
    stream: Vec<u8>,
    marks: Vec<bool>,
    /// Out-of-order segments by offset from `seq`... kept by absolute
    /// sequence number relative to the socket start (no wrap in a test's
    /// lifetime beyond 2^31 bytes).
    ooo: BTreeMap<u64, (Vec<u8>, bool)>,
    /// Bytes consumed since the start (offset of `stream[0]`).
    consumed: u64,
    start: u32,
    rec_seq: u64,
    /// The header of `stream[0..]` has been parsed (its hook ran).
    hdr_seen: bool,
    app: Vec<u8>,
    error: Option<String>,
    stats: KtlsRxStats,
    resync_out: Vec<(u32, u64)>,
    asy: ResyncAsync,
    nh_reset: bool,
    nh_failed: u32,
    nh_tgt: u32,
    nh_do_now: bool,
}

impl KtlsRx {
    /// Book a record for the outage statistics.
    fn count_outage(&mut self, by_device: bool) {
        let st = &mut self.stats;
        if !by_device {
            st.outage_open += 1;
        } else if st.outage_open > 0 {
            st.outages += 1;
            st.outage_records += st.outage_open;
            st.outage_max = st.outage_max.max(st.outage_open);
            st.outage_open = 0;
        }
    }

    /// RX state after `setsockopt(TLS_RX)`: the record numbered
    /// `info.rec_seq` starts at TCP sequence number `copied_seq`.
    pub fn new(info: TlsCryptoInfo, copied_seq: u32, mode: RxResyncMode) -> Result<Self, crate::record::RecordError> {
        let cipher = RecordCipher::new(&info)?;
        Ok(KtlsRx {
            version: info.version,
            cipher,
            key: info.key.clone(),
            mode,
            seq: copied_seq,
            stream: Vec::new(),
            marks: Vec::new(),
            ooo: BTreeMap::new(),
            consumed: 0,
            start: copied_seq,
            rec_seq: info.rec_seq,
            hdr_seen: false,
            app: Vec::new(),
            error: None,
            stats: KtlsRxStats::default(),
            resync_out: Vec::new(),
            asy: ResyncAsync::default(),
            nh_reset: false,
            nh_failed: 0,
            nh_tgt: NH_START,
            nh_do_now: false,
        })
    }

    /// Offset of TCP sequence number `seq` from the socket start, if it is
    /// not before it.
    fn offset(&self, seq: u32) -> Option<u64> {
        let d = seq.wrapping_sub(self.start);
        (d < 1 << 31).then_some(u64::from(d))
    }

    /// A TCP segment as the NIC delivered it (`decrypted`: its mark).
    pub fn receive(&mut self, seq: u32, payload: &[u8], decrypted: bool) {
        if payload.is_empty() || self.error.is_some() {
            return;
        }
        let Some(off) = self.offset(seq) else { return };
        let have_end = self.consumed + self.stream.len() as u64;
        let end = off + payload.len() as u64;
        if end <= have_end {
            return; // all seen already
        }
        if off > have_end {
            // out of order: keep the first copy of each starting offset
            let e = self.ooo.entry(off).or_insert_with(|| (Vec::new(), decrypted));
            if e.0.len() < payload.len() {
                *e = (payload.to_vec(), decrypted);
            }
            return;
        }
        let skip = (have_end - off) as usize;
        self.stream.extend_from_slice(&payload[skip..]);
        self.marks.extend(std::iter::repeat_n(decrypted, payload.len() - skip));
        // queued segments that now connect
        while let Some((&o, _)) = self.ooo.first_key_value() {
            let have_end = self.consumed + self.stream.len() as u64;
            if o > have_end {
                break;
            }
            let (data, mark) = self.ooo.pop_first().expect("present").1;
            let e = o + data.len() as u64;
            if e > have_end {
                let skip = (have_end - o) as usize;
                self.stream.extend_from_slice(&data[skip..]);
                self.marks.extend(std::iter::repeat_n(mark, data.len() - skip));
            }
        }
        self.parse_records();
    }

    fn max_len(&self) -> usize {
        match self.version {
            TlsVersion::V12 => TLS_MAX_PAYLOAD + 24,
            TlsVersion::V13 => TLS_MAX_PAYLOAD + 256 + 1 + TLS_TAG_SIZE,
        }
    }

    fn parse_records(&mut self) {
        while self.error.is_none() && self.stream.len() >= TLS_HEADER_SIZE {
            let len = usize::from(u16::from_be_bytes([self.stream[3], self.stream[4]]));
            let full = TLS_HEADER_SIZE + len;
            if !self.hdr_seen {
                // tls_rx_msg_size: version and length checks, then the hook
                if self.stream[1..3] != [3, 3]
                    || len > self.max_len()
                    || len < self.version.overhead() - TLS_HEADER_SIZE
                {
                    self.error = Some(format!("malformed record header at TCP sequence {:#x}", self.seq));
                    return;
                }
                self.hdr_seen = true;
                self.new_rec_hook(self.seq, full);
            }
            if self.stream.len() < full {
                return;
            }
            let mut rec: Vec<u8> = self.stream.drain(..full).collect();
            let marks: Vec<bool> = self.marks.drain(..full).collect();
            self.consumed += full as u64;
            self.seq = self.seq.wrapping_add(full as u32);
            self.hdr_seen = false;
            self.decrypt_record(&mut rec, &marks);
        }
    }

    fn body_range(&self, full: usize) -> std::ops::Range<usize> {
        self.version.prepend_size()..full - TLS_TAG_SIZE
    }

    /// The keystream XORed into body byte `i` of record `rec_seq` (GCM CTR
    /// from J0 + 1), for `tls_device_reencrypt`.
    fn keystream(&self, rec: &[u8], len: usize) -> Vec<u8> {
        let nonce = self.cipher.nonce(self.rec_seq, rec).expect("header present");
        let mut out = Vec::with_capacity(len + 16);
        let mut ctr = 2u32;
        let enc = |blk: &mut [u8; 16]| match self.key.len() {
            16 => aes::Aes128::new_from_slice(&self.key).expect("key").encrypt_block(blk.into()),
            _ => aes::Aes256::new_from_slice(&self.key).expect("key").encrypt_block(blk.into()),
        };
        while out.len() < len {
            let mut b = [0u8; 16];
            b[..12].copy_from_slice(&nonce);
            b[12..].copy_from_slice(&ctr.to_be_bytes());
            enc(&mut b);
            out.extend_from_slice(&b);
            ctr += 1;
        }
        out.truncate(len);
        out
    }

    fn decrypt_record(&mut self, rec: &mut [u8], marks: &[bool]) {
        let all = marks.iter().all(|&m| m);
        let none = !marks.iter().any(|&m| m);
        let body = self.body_range(rec.len());
        let (ctype, data) = if all {
            self.stats.records_device += 1;
            self.nh_reset = true;
            let b = rec[body].to_vec();
            match self.version {
                TlsVersion::V12 => (rec[0], b),
                TlsVersion::V13 => match b.iter().rposition(|&x| x != 0) {
                    Some(e) => (b[e], b[..e].to_vec()),
                    None => {
                        self.error = Some("TLS 1.3 record without content type".into());
                        return;
                    }
                },
            }
        } else {
            if none {
                self.stats.records_sw += 1;
                self.core_next_hint_failed();
            } else {
                // tls_device_reencrypt: the decrypted body bytes back to ciphertext
                self.stats.records_mixed += 1;
                self.nh_reset = true;
                let ks = self.keystream(rec, body.len());
                for (i, k) in body.clone().zip(ks) {
                    if marks[i] {
                        rec[i] ^= k;
                    }
                }
            }
            match self.cipher.open(self.rec_seq, rec) {
                Ok(o) => (o.content_type, o.plaintext),
                Err(e) => {
                    self.stats.decrypt_errors += 1;
                    self.error = Some(format!("EBADMSG: record {}: {e}", self.rec_seq));
                    return;
                }
            }
        };
        self.stats.records += 1;
        self.count_outage(all);
        self.rec_seq += 1;
        if ctype == content_type::APPLICATION_DATA {
            self.app.extend_from_slice(&data);
        }
    }

    /// `tls_device_rx_resync_new_rec`: a header at `seq` of a record of
    /// `full` bytes, numbered `self.rec_seq`.
    fn new_rec_hook(&mut self, seq: u32, full: usize) {
        match self.mode {
            RxResyncMode::StreamScan => {
                let Some((req_seq, len)) = self.asy.req else { return };
                match len {
                    Some(len) => {
                        // async stage: log the headers in [req_seq, req_seq + len]
                        if self.asy.rcd_delta == u32::from(u16::MAX) {
                            self.asy = ResyncAsync::default();
                            return;
                        }
                        if seq.wrapping_sub(req_seq) >= 1 << 31 {
                            return; // before the request
                        }
                        if seq.wrapping_sub(req_seq) <= len && self.asy.log.len() < ASYNC_LOGMAX {
                            self.asy.log.push(seq);
                        }
                        self.asy.rcd_delta += 1;
                    }
                    None => {
                        let hit = self.asy.log.iter().position(|&s| s == req_seq);
                        let delta = self.asy.rcd_delta;
                        self.asy.log.clear();
                        self.asy.rcd_delta = 0;
                        if let Some(i) = hit {
                            self.asy.req = None;
                            self.push_resync(req_seq, self.rec_seq - u64::from(delta - i as u32));
                        } else if req_seq == seq {
                            self.asy.req = None;
                            self.push_resync(req_seq, self.rec_seq);
                        }
                    }
                }
            }
            RxResyncMode::StackDriven => {
                if !self.nh_do_now {
                    return;
                }
                // the socket still holds more than this record: later
                if self.stream.len() > full {
                    return;
                }
                self.nh_do_now = false;
                self.push_resync(seq.wrapping_add(full as u32), self.rec_seq + 1);
            }
        }
    }

    /// `tls_device_core_ctrl_rx_resync`: a record arrived fully encrypted.
    fn core_next_hint_failed(&mut self) {
        if self.mode != RxResyncMode::StackDriven || self.nh_do_now {
            return;
        }
        if self.nh_reset {
            self.nh_reset = false;
            self.nh_failed = 1;
            self.nh_tgt = NH_START;
            return;
        }
        self.nh_failed += 1;
        if self.nh_failed <= self.nh_tgt {
            return;
        }
        self.nh_tgt = if self.nh_tgt < NH_MAX { self.nh_tgt * 2 } else { self.nh_tgt + NH_MAX };
        // the record being handled is still at the head of the queue
        if !self.stream.is_empty() {
            self.nh_do_now = true;
            return;
        }
        // resync at copied_seq with the next record's number
        self.push_resync(self.seq, self.rec_seq + 1);
    }

    fn push_resync(&mut self, seq: u32, rec: u64) {
        self.stats.resyncs += 1;
        self.resync_out.push((seq, rec));
    }

    /// `tls_offload_rx_resync_async_request_start`: the device asked about
    /// a header inside the segment [seq, seq + len].
    pub fn resync_async_request_start(&mut self, seq: u32, len: u32) {
        self.asy = ResyncAsync { req: Some((seq, Some(len))), log: Vec::new(), rcd_delta: 0 };
    }

    /// `tls_offload_rx_resync_async_request_end`: the device's guess. A
    /// header already logged is answered at the next header parse, as in
    /// the kernel.
    pub fn resync_async_request_end(&mut self, hw_seq: u32) {
        if self.asy.req.is_some() {
            self.asy.req = Some((hw_seq, None));
        }
    }

    /// `tls_offload_rx_resync_async_request_cancel`.
    pub fn resync_async_request_cancel(&mut self) {
        self.asy = ResyncAsync::default();
    }

    /// Whether an async request is between `_start` and `_end`.
    pub fn resync_async_pending(&self) -> bool {
        matches!(self.asy.req, Some((_, Some(_))))
    }

    /// `tls_dev_resync` calls to make: (TCP sequence number, record number).
    pub fn take_resync(&mut self) -> Vec<(u32, u64)> {
        std::mem::take(&mut self.resync_out)
    }

    /// Application data received so far (drained).
    pub fn read_app(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.app)
    }

    /// The socket error, if any (EBADMSG, malformed record).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Counters.
    pub fn stats(&self) -> KtlsRxStats {
        self.stats
    }
}

/// A socket of [`RxDriver`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockId(pub usize);

/// Driver settings.
#[derive(Clone, Copy, Debug, Default)]
pub struct RxDriverConfig {
    /// Frames between a resync request descriptor (`_start`) and the
    /// device's guess reaching the core (`_end`); 0 = at once.
    pub resync_answer_delay: usize,
    /// Leave `_end` to an asynchronous worker instead: requests queue as
    /// [`ResyncEvent`]s ([`RxDriver::take_events`]) and the worker calls
    /// [`RxDriver::resync_request_end`] when its round trip completes.
    pub async_events: bool,
}

/// A device event the driver handles outside the frame path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResyncEvent {
    /// The device guessed a record header at `guess` for socket `sock`
    /// (`_start` already done with the frame).
    Request {
        /// Socket.
        sock: SockId,
        /// Guessed TCP sequence number of a header.
        guess: u32,
        /// Which of the socket's requests (a newer one supersedes it).
        request: u64,
    },
}

/// The driver's RX resync counters (seed names).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RxDriverStats {
    /// `rx_tls_resync_req_start`.
    pub resync_req_start: u64,
    /// `rx_tls_resync_req_end`.
    pub resync_req_end: u64,
    /// `rx_tls_resync_req_skip`: a request superseded before it ended.
    pub resync_req_skip: u64,
    /// `rx_tls_resync_res_ok`.
    pub resync_res_ok: u64,
    /// `rx_tls_resync_res_skip`.
    pub resync_res_skip: u64,
}

impl RxDriverStats {
    /// `name: value` pairs.
    pub fn named(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("rx_tls_resync_req_start", self.resync_req_start),
            ("rx_tls_resync_req_end", self.resync_req_end),
            ("rx_tls_resync_req_skip", self.resync_req_skip),
            ("rx_tls_resync_res_ok", self.resync_res_ok),
            ("rx_tls_resync_res_skip", self.resync_res_skip),
        ]
    }
}

struct Sock {
    ctx: Option<CtxId>,
    rx: KtlsRx,
    open: bool,
    /// Resync requests started on the socket (the current one's number).
    requests: u64,
}

/// The RX driver and the stack above it.
pub struct RxDriver<D: RxDevice> {
    dev: D,
    cfg: RxDriverConfig,
    socks: Vec<Sock>,
    by_flow: HashMap<FlowKey, usize>,
    by_ctx: HashMap<CtxId, usize>,
    /// (frame count when due, socket, guess)
    ends: VecDeque<(u64, usize, u32)>,
    events: VecDeque<ResyncEvent>,
    frames: u64,
    stats: RxDriverStats,
}

impl<D: RxDevice> RxDriver<D> {
    /// A driver on `dev`.
    pub fn new(dev: D, cfg: RxDriverConfig) -> Self {
        RxDriver {
            dev,
            cfg,
            socks: Vec::new(),
            by_flow: HashMap::new(),
            by_ctx: HashMap::new(),
            ends: VecDeque::new(),
            events: VecDeque::new(),
            frames: 0,
            stats: RxDriverStats::default(),
        }
    }

    /// The device.
    pub fn device(&mut self) -> &mut D {
        &mut self.dev
    }

    /// `setsockopt(TLS_RX)` with `tls_dev_add(RX)`: `flow` as the received
    /// frames carry it. If the device refuses (table full, ...) the socket
    /// stays in software for its life.
    pub fn open(&mut self, flow: FlowKey, info: TlsCryptoInfo, copied_seq: u32, mode: RxResyncMode) -> SockId {
        self.open_with(flow, info, copied_seq, mode, true)
    }

    /// [`RxDriver::open`]; with `offload` false (`tls-hw-rx-offload` off)
    /// the device is not asked and the socket is in software.
    pub fn open_with(
        &mut self,
        flow: FlowKey,
        info: TlsCryptoInfo,
        copied_seq: u32,
        mode: RxResyncMode,
        offload: bool,
    ) -> SockId {
        let ctx = if offload { self.dev.rx_add(flow, &info, copied_seq, mode).ok() } else { None };
        let rx = KtlsRx::new(info, copied_seq, mode).expect("valid crypto info");
        let id = self.socks.len();
        self.socks.push(Sock { ctx, rx, open: true, requests: 0 });
        self.by_flow.insert(flow, id);
        if let Some(c) = ctx {
            self.by_ctx.insert(c, id);
        }
        SockId(id)
    }

    /// Whether the device offloads the socket.
    pub fn offloaded(&self, s: SockId) -> bool {
        self.socks[s.0].ctx.is_some()
    }

    /// Close: `tls_dev_del(RX)`; later frames of the flow are not delivered.
    pub fn close(&mut self, s: SockId) -> Result<(), DeviceError> {
        let sock = &mut self.socks[s.0];
        sock.open = false;
        self.by_flow.retain(|_, v| *v != s.0);
        if let Some(c) = sock.ctx.take() {
            self.by_ctx.remove(&c);
            self.dev.rx_del(c)?;
        }
        Ok(())
    }

    /// Frames from the wire through the device, then up the stack. Returns
    /// what the device delivered, in order.
    pub fn receive(&mut self, wire: Vec<Vec<u8>>) -> Vec<RxFrame> {
        let out = self.dev.rx_frames(wire);
        for f in &out {
            self.frames += 1;
            while self.ends.front().is_some_and(|e| e.0 <= self.frames) {
                let (_, s, guess) = self.ends.pop_front().expect("present");
                self.socks[s].rx.resync_async_request_end(guess);
                self.stats.resync_req_end += 1;
            }
            // the stack drops frames with bad checksums before TCP; a
            // decrypted frame's checksums were verified by the device on
            // the wire bytes (CHECKSUM_UNNECESSARY), the plaintext no longer
            // matches them
            if !f.meta.decrypted && !checksums_ok(&f.data) {
                continue;
            }
            let Ok(p) = parse(&f.data) else { continue };
            let Some(&s) = self.by_flow.get(&p.key) else { continue };
            if let Some(guess) = f.meta.resync_req {
                if self.socks[s].ctx == f.meta.ctx && f.meta.ctx.is_some() {
                    if self.socks[s].rx.resync_async_pending() || self.ends.iter().any(|e| e.1 == s) {
                        self.stats.resync_req_skip += 1;
                        self.ends.retain(|e| e.1 != s);
                    }
                    // The window of headers to log: this frame, from the
                    // guess if it lies before the frame (a guessed header
                    // split across frames, which the kernel parses as this
                    // frame arrives: outside the frame's window it could
                    // not be matched once `_end` comes late). mlx5 opens
                    // the window at the CQE's frame; this device hands
                    // over its guess with the frame, so the window can
                    // start there.
                    let end = p.seq.wrapping_add(p.payload_len() as u32);
                    let from = if seq_before(guess, p.seq) { guess } else { p.seq };
                    self.socks[s].rx.resync_async_request_start(from, end.wrapping_sub(from));
                    self.socks[s].requests += 1;
                    self.stats.resync_req_start += 1;
                    if self.cfg.async_events {
                        self.events.retain(|ResyncEvent::Request { sock, .. }| sock.0 != s);
                        let request = self.socks[s].requests;
                        self.events.push_back(ResyncEvent::Request { sock: SockId(s), guess, request });
                    } else if self.cfg.resync_answer_delay == 0 {
                        self.socks[s].rx.resync_async_request_end(guess);
                        self.stats.resync_req_end += 1;
                    } else {
                        self.ends.push_back((self.frames + self.cfg.resync_answer_delay as u64, s, guess));
                    }
                }
            }
            let sock = &mut self.socks[s];
            sock.rx.receive(p.seq, p.payload_of(&f.data), f.meta.decrypted && f.meta.ctx == sock.ctx);
            self.issue_resyncs(s);
        }
        out
    }

    /// Device events waiting for the asynchronous worker.
    pub fn take_events(&mut self) -> Vec<ResyncEvent> {
        self.events.drain(..).collect()
    }

    /// The worker's end of resync request `request` of `sock`: the
    /// device's guess reaches the core
    /// (`tls_offload_rx_resync_async_request_end`). A request superseded
    /// meanwhile (a newer `_start` on the socket, counted as skipped then)
    /// is dropped: its guess must not end the newer request.
    pub fn resync_request_end(&mut self, sock: SockId, guess: u32, request: u64) {
        let so = &mut self.socks[sock.0];
        if request != so.requests {
            return;
        }
        let rx = &mut so.rx;
        if rx.resync_async_pending() {
            rx.resync_async_request_end(guess);
            self.stats.resync_req_end += 1;
        } else {
            self.stats.resync_req_skip += 1;
        }
    }

    /// `tls_dev_resync` calls the sockets asked for since the last frame
    /// (after an asynchronous `_end`, the next header parse asks).
    fn issue_resyncs(&mut self, s: usize) {
        let sock = &mut self.socks[s];
        let todo = sock.rx.take_resync();
        if let Some(c) = sock.ctx {
            for (seq, rec) in todo {
                match self.dev.rx_resync(c, seq, rec) {
                    Ok(()) => self.stats.resync_res_ok += 1,
                    Err(_) => self.stats.resync_res_skip += 1,
                }
            }
        }
    }

    /// Application data of socket `s` received so far (drained).
    pub fn read_app(&mut self, s: SockId) -> Vec<u8> {
        self.socks[s.0].rx.read_app()
    }

    /// The socket's error, if any.
    pub fn socket_error(&self, s: SockId) -> Option<String> {
        self.socks[s.0].rx.error().map(str::to_string)
    }

    /// The socket's record counters.
    pub fn socket_stats(&self, s: SockId) -> KtlsRxStats {
        self.socks[s.0].rx.stats()
    }

    /// The driver's counters.
    pub fn stats(&self) -> RxDriverStats {
        self.stats
    }

    /// Whether the socket is open.
    pub fn is_open(&self, s: SockId) -> bool {
        self.socks[s.0].open
    }
}
