//! Randomized end-to-end TX through the host models and the reference
//! device: many interleaved kTLS connections (TLS 1.2 / 1.3 x AES-128 /
//! AES-256, all three out-of-order policies, some with pre-offload data, some
//! left in software because the device's context table is full), records of
//! 0..16384 bytes of several content types, MSS 1..9000 (TSO bursts),
//! local drops, retransmissions of earlier segments and ranges (also after
//! they were acknowledged), segments straddling the offload start, ACKs.
//!
//! The harness predicts every verdict from stream facts it tracks itself
//! (record boundaries, acknowledgements, offload start, the sequence number
//! the device expects, which records' tags the device has reported) and
//! checks:
//! - each frame's fate (marked and encrypted, unmarked, dropped) and that
//!   driver and device agree on the expected sequence number after it;
//! - every wire frame: valid IPv4 and TCP checksums, headers unchanged
//!   except the TCP checksum, unmarked frames of pre-offload data and of
//!   software connections byte-identical;
//! - every retransmitted byte identical to its first transmission (and a
//!   retransmitted segment identical to the first frame);
//! - the whole stream of each connection: pre-offload bytes as queued,
//!   every record decrypting with aes-gcm to the exact data and content
//!   type written, with consecutive record numbers;
//! - driver and device counters equal to the harness's counts.
//!
//! Replay a failure with `TLSNIC_SEED=<seed>`.

mod common;

use common::{rng, seed, Recorder};
use rand::Rng;
use std::collections::HashMap;
use tlsnic_driver::ktls_tx::{KtlsTx, TxMode};
use tlsnic_driver::record::RecordCipher;
use tlsnic_driver::tcp::{self, FrameTemplate, Segment, TcpSender};
use tlsnic_driver::testing::WireFrame;
use tlsnic_driver::tx_offload::{DropReason, OooPolicy, TxDriver, TxDriverConfig, TxDriverStats, XmitVerdict};
use tlsnic_driver::types::{seq_after, seq_before, Cipher, CtxId, FlowKey, TlsCryptoInfo, TlsVersion};

/// One connection and what the harness knows about it.
struct Conn {
    id: usize,
    sk: KtlsTx,
    tcp: TcpSender,
    t: FrameTemplate,
    info: TlsCryptoInfo,
    /// Device context and policy; `None`: the socket is in software.
    offload: Option<(CtxId, OooPolicy)>,
    mss: usize,
    /// Application bytes still to write.
    budget: usize,
    /// (content type, data) of every record, in order.
    records: Vec<(u8, Vec<u8>)>,
    /// TCP sequence number where each record starts (computed here).
    rec_starts: Vec<u32>,
    pre: Vec<u8>,
    /// The sequence number the device expects, as the harness predicts it.
    exp: u32,
    /// Per record: the device computed its tag in a marked frame (a tag
    /// completion the driver reads before the socket's next frame).
    tag_known: Vec<bool>,
    /// Every byte as first transmitted, from the stream start.
    wire: Vec<Option<u8>>,
    /// The first wire frame of each (seq, len) transmitted.
    first: HashMap<(u32, usize), Vec<u8>>,
    /// The frame TCP built for each (seq, len) the first time.
    first_input: HashMap<(u32, usize), Vec<u8>>,
}

impl Conn {
    fn start(&self) -> u32 {
        self.sk.stream_start()
    }

    fn offset(&self, seq: u32) -> usize {
        seq.wrapping_sub(self.start()) as usize
    }

    /// Record `i`'s length.
    fn rec_len(&self, i: usize) -> usize {
        self.records[i].1.len() + self.info.version.overhead()
    }

    /// A marked frame `[seq, +len)` went through the device's context: the
    /// device computed the tag of every record whose last byte before the
    /// tag (the walk's GHASH ends there) is in it. Returns how many.
    fn note_tags(&mut self, seq: u32, len: usize) -> u64 {
        let (a, b) = (self.offset(seq), self.offset(seq) + len);
        let first = self.rec_starts.partition_point(|&s| self.offset(s) <= a).saturating_sub(1);
        let mut n = 0;
        for i in first..self.rec_starts.len() {
            let start = self.offset(self.rec_starts[i]);
            if start >= b {
                break;
            }
            let last = start + self.rec_len(i) - 17;
            if (a..b).contains(&last) {
                self.tag_known[i] = true;
                n += 1;
            }
        }
        n
    }

    /// First byte not yet on the wire, from `snd_una`.
    fn first_hole(&self) -> u32 {
        let from = self.offset(self.tcp.snd_una());
        let to = self.offset(self.tcp.snd_nxt());
        let k = (from..to).find(|&i| self.wire[i].is_none()).unwrap_or(to);
        self.start().wrapping_add(k as u32)
    }
}

/// What the harness expects of one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Offloaded,
    Rebuilt { dump_bytes: usize },
    Retransmitted { tag: bool },
    Skip,
    Software { resync: bool },
    Drop(DropReason),
    Plain,
}

#[derive(Default)]
struct Counts {
    ooo: u64,
    skip: u64,
    drop: u64,
    rebuilt: u64,
    dump_packets: u64,
    dump_bytes: u64,
    software: u64,
    resync_req: u64,
    ctx_update: u64,
    retx_packets: u64,
    retx_bytes: u64,
    dump_fallback: u64,
    tags: u64,
    encrypted_packets: u64,
    encrypted_bytes: u64,
    frames: u64,
}

struct Harness {
    drv: TxDriver,
    dev: Recorder,
    counts: Counts,
    verdicts: HashMap<String, u64>,
}

impl Harness {
    /// Predict the verdict for `[seq, seq + len)` of `c` from stream facts.
    fn predict(c: &Conn, seq: u32, len: usize) -> Expect {
        let Some((_, policy)) = c.offload else { return Expect::Plain };
        if len == 0 {
            return Expect::Plain;
        }
        let pending = policy == OooPolicy::NextRecordSync && c.sk.tls_offload_tx_resync_pending();
        if seq == c.exp && !pending {
            return Expect::Offloaded;
        }
        let end = seq.wrapping_add(len as u32);
        let sn = c.sk.start_offload_tcp_sn();
        let marker_held = seq_before(c.tcp.snd_una(), sn);
        if seq_before(seq, sn) {
            return match (seq_after(end, sn), marker_held) {
                (false, true) => Expect::Skip,
                (true, true) => Expect::Drop(DropReason::StraddlesOffloadStart),
                (_, false) => Expect::Drop(DropReason::NoRecord),
            };
        }
        // The record holding `seq`, and whether it is still held (it is
        // freed once its last byte is acknowledged).
        let i = c.rec_starts.partition_point(|&s| !seq_after(s, seq)) - 1;
        let rec_end = c.rec_starts.get(i + 1).copied().unwrap_or(c.sk.write_seq());
        if !seq_after(rec_end, c.tcp.snd_una()) {
            return Expect::Drop(DropReason::NoRecord);
        }
        let off = seq.wrapping_sub(c.rec_starts[i]) as usize;
        match policy {
            OooPolicy::Rebuild => Expect::Rebuilt { dump_bytes: off },
            OooPolicy::NextRecordSync => {
                Expect::Software { resync: !pending && seq.wrapping_sub(c.exp) < u32::MAX / 4 }
            }
            OooPolicy::Retransmit => {
                let needs_tag = off > 0 && off + len > c.rec_len(i) - 16;
                if needs_tag && !c.tag_known[i] {
                    Expect::Rebuilt { dump_bytes: off }
                } else {
                    Expect::Retransmitted { tag: needs_tag }
                }
            }
        }
    }

    /// Transmit `frame` (payload `[seq, +len)`) of `c` and check everything
    /// about it.
    fn xmit(&mut self, c: &mut Conn, frame: Vec<u8>, seq: u32, len: usize, what: &str) {
        let ctx = c.offload.map(|(ctx, _)| ctx);
        let retx_policy = matches!(c.offload, Some((_, OooPolicy::Retransmit)));
        let want = Self::predict(c, seq, len);
        let got = self.drv.xmit(&mut self.dev, frame.clone(), &mut c.sk).unwrap();
        let here = format!("conn {} {what} [{seq:#x}, +{len}) exp {:#x}", c.id, c.exp);
        let matches = match (want, got) {
            (Expect::Offloaded, XmitVerdict::Offloaded) => true,
            (Expect::Rebuilt { dump_bytes }, XmitVerdict::Rebuilt { dump_bytes: d, dumps }) => {
                dump_bytes == d && dumps == d.div_ceil(1500)
            }
            (Expect::Skip, XmitVerdict::SkippedPreOffload) => true,
            (Expect::Software { resync }, XmitVerdict::SoftwareEncrypted { resync_requested }) => {
                resync == resync_requested
            }
            (Expect::Drop(r), XmitVerdict::Dropped(d)) => r == d,
            (Expect::Plain, XmitVerdict::Plain) => true,
            (Expect::Retransmitted { tag }, XmitVerdict::Retransmitted { tag: t }) => tag == t,
            _ => false,
        };
        assert!(matches, "{here}: expected {want:?}, driver said {got:?}");
        let kind = match want {
            Expect::Rebuilt { .. } if retx_policy => "Rebuilt, tag unknown".to_string(),
            Expect::Rebuilt { dump_bytes: 0 } => "Rebuilt at a record start".to_string(),
            Expect::Rebuilt { .. } => "Rebuilt".to_string(),
            Expect::Retransmitted { tag: true } => "Retransmitted with its tag".to_string(),
            Expect::Retransmitted { .. } => "Retransmitted".to_string(),
            Expect::Software { resync: true } => "Software, resync requested".to_string(),
            Expect::Software { .. } => "Software".to_string(),
            w => format!("{w:?}"),
        };
        *self.verdicts.entry(kind).or_default() += 1;
        let k = &mut self.counts;
        match want {
            Expect::Offloaded | Expect::Plain => {}
            _ => k.ooo += 1,
        }
        match want {
            Expect::Offloaded | Expect::Rebuilt { .. } => {
                c.exp = seq.wrapping_add(len as u32);
                k.encrypted_packets += 1;
                k.encrypted_bytes += len as u64;
                k.tags += c.note_tags(seq, len);
            }
            Expect::Retransmitted { .. } => {
                k.encrypted_packets += 1;
                k.encrypted_bytes += len as u64;
                k.retx_packets += 1;
                k.retx_bytes += len as u64;
            }
            Expect::Skip => k.skip += 1,
            Expect::Drop(_) => k.drop += 1,
            Expect::Software { resync } => {
                k.software += 1;
                k.resync_req += u64::from(resync);
            }
            Expect::Plain => {}
        }
        if let Expect::Rebuilt { dump_bytes } = want {
            k.dump_fallback += u64::from(retx_policy);
            k.rebuilt += 1;
            k.dump_packets += dump_bytes.div_ceil(1500) as u64;
            k.dump_bytes += dump_bytes as u64;
        }
        if let Some(ctx) = ctx {
            assert_eq!(self.drv.expected_seq(ctx), Some(c.exp), "{here}: driver's expected seq");
            assert_eq!(self.dev.dev.expected_seq(ctx), Some(c.exp), "{here}: device's expected seq");
        }
        // The wire.
        let mut out = self.dev.dev.take_wire();
        if let Expect::Drop(_) = want {
            assert!(out.is_empty(), "{here}: a dropped segment reached the wire");
            return;
        }
        assert_eq!(out.len(), 1, "{here}: one frame on the wire");
        let WireFrame { frame: o, encrypted_by } = out.pop().unwrap();
        self.counts.frames += 1;
        let p = tcp::verify_checksums(&o).unwrap_or_else(|e| panic!("{here}: {e}"));
        assert_eq!(o.len(), frame.len(), "{here}: length");
        let marked = matches!(want, Expect::Offloaded | Expect::Rebuilt { .. } | Expect::Retransmitted { .. });
        assert_eq!(encrypted_by, if marked { ctx } else { None }, "{here}: marking");
        if matches!(want, Expect::Skip | Expect::Plain) {
            assert_eq!(o, frame, "{here}: unmarked frame changed");
        } else {
            let csum = p.l4 + 16..p.l4 + 18;
            for i in (0..o.len()).filter(|i| !(p.payload..p.end).contains(i) && !csum.contains(i)) {
                assert_eq!(o[i], frame[i], "{here}: header byte {i} changed");
            }
        }
        for (i, &b) in p.payload_of(&o).iter().enumerate() {
            let k = c.offset(seq.wrapping_add(i as u32));
            match c.wire[k] {
                Some(x) => assert_eq!(x, b, "{here}: byte {i} differs from its first transmission"),
                None => c.wire[k] = Some(b),
            }
        }
        match c.first.get(&(seq, len)) {
            Some(f) => assert_eq!(f, &o, "{here}: retransmitted frame differs from the first transmission"),
            None => {
                c.first.insert((seq, len), o);
            }
        }
    }

    /// Send segments `segs` of `c` (bytes from the socket), dropping some
    /// locally with probability `loss` (they never reach the driver).
    fn send<R: Rng>(&mut self, r: &mut R, c: &mut Conn, segs: &[Segment], loss: f64, what: &str) {
        for s in segs {
            if r.gen_bool(loss) {
                continue;
            }
            let f = c.t.build(s.seq, &c.sk.bytes(s.seq, s.len).expect("held")).unwrap();
            c.first_input.entry((s.seq, s.len)).or_insert_with(|| f.clone());
            self.xmit(c, f, s.seq, s.len, what);
        }
    }

    /// Application write of `data` in records of at most `limit` bytes.
    fn write(&mut self, c: &mut Conn, ct: u8, data: &[u8], limit: usize) {
        let pending = c.sk.tls_offload_tx_resync_pending();
        let before = c.sk.write_seq();
        let ranges = c.sk.write_with(ct, data, limit, &mut self.drv.netdev(&mut self.dev)).unwrap();
        let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(limit).collect() };
        let mut s = before;
        for (chunk, &(a, b)) in chunks.iter().zip(&ranges) {
            let len = chunk.len() + c.info.version.overhead();
            assert_eq!((a, b), (s, s.wrapping_add(len as u32)), "record placement");
            c.rec_starts.push(s);
            c.records.push((ct, chunk.to_vec()));
            c.tag_known.push(false);
            s = b;
        }
        assert_eq!(ranges.len(), chunks.len());
        c.wire.resize(c.offset(c.sk.write_seq()), None);
        if pending && !c.sk.tls_offload_tx_resync_pending() {
            // Next record sync: the device now expects the first new record.
            c.exp = before;
            self.counts.ctx_update += 1;
        }
    }
}

/// Connection `id`: version and cipher by `id % 4` (every combination in
/// every run), everything else random.
fn random_conn<R: Rng>(r: &mut R, id: usize) -> (TlsCryptoInfo, u32, Vec<u8>, FrameTemplate, usize, usize) {
    let version = if id.is_multiple_of(2) { TlsVersion::V12 } else { TlsVersion::V13 };
    let cipher = if (id / 2).is_multiple_of(2) { Cipher::Aes128Gcm } else { Cipher::Aes256Gcm };
    let key: Vec<u8> = (0..cipher.key_size()).map(|_| r.gen()).collect();
    let rec_seq = match r.gen_range(0..4) {
        0 => 0,
        1 => u64::MAX - 100_000,
        _ => r.gen::<u64>() >> 1,
    };
    let info = TlsCryptoInfo::new(version, cipher, key, r.gen(), r.gen(), rec_seq).unwrap();
    let start = if r.gen_bool(0.3) { u32::MAX - r.gen_range(0..30_000) } else { r.gen() };
    let pre: Vec<u8> = if r.gen_bool(0.4) { (0..r.gen_range(1..3000)).map(|_| r.gen()).collect() } else { Vec::new() };
    let key = if r.gen_bool(0.5) {
        FlowKey::V4 {
            saddr: r.gen::<[u8; 4]>().into(),
            daddr: r.gen::<[u8; 4]>().into(),
            sport: 10_000 + id as u16,
            dport: 443,
        }
    } else {
        FlowKey::V6 {
            saddr: r.gen::<[u8; 16]>().into(),
            daddr: r.gen::<[u8; 16]>().into(),
            sport: 10_000 + id as u16,
            dport: 443,
        }
    };
    let mut t = FrameTemplate::new(key);
    t.ack = r.gen();
    if r.gen_bool(0.3) {
        t.vlan = Some(r.gen_range(1..4095));
    }
    if !key.is_ipv6() && r.gen_bool(0.3) {
        t.ip_options = vec![1; 4 * r.gen_range(1..=10)];
    }
    if r.gen_bool(0.5) {
        t.tcp_options = vec![1; 4 * r.gen_range(1..=10)];
    }
    let mss = match r.gen_range(0..8) {
        0 => 1,
        1 => r.gen_range(2..64),
        2 => 536,
        3 => 1448,
        4 => 9000,
        _ => r.gen_range(64..=9000),
    };
    let budget = if mss < 64 { r.gen_range(500..4000) } else { r.gen_range(5_000..80_000) };
    (info, start, pre, t, mss, budget)
}

fn run(seed: u64, conns: usize, contexts: usize) {
    let mut r = rng(seed);
    let mut h = Harness {
        drv: TxDriver::new(TxDriverConfig::default()),
        dev: Recorder::new(contexts),
        counts: Counts::default(),
        verdicts: HashMap::new(),
    };
    let mut cs: Vec<Conn> = Vec::new();
    let mut software = 0;
    for id in 0..conns {
        let (info, start, pre, t, mss, budget) = random_conn(&mut r, id);
        let sk = KtlsTx::try_new(info.clone(), start, pre.clone()).unwrap();
        let mut c = Conn {
            id,
            tcp: TcpSender::new(sk.stream_start()),
            sk,
            t,
            info,
            offload: None,
            mss,
            budget,
            records: Vec::new(),
            rec_starts: Vec::new(),
            pre: pre.clone(),
            exp: start,
            tag_known: Vec::new(),
            wire: vec![None; pre.len()],
            first: HashMap::new(),
            first_input: HashMap::new(),
        };
        // Part of the pre-offload bytes left before offload started (plain
        // TCP: the driver sees a socket without offload).
        let early = r.gen_range(0..=pre.len());
        let segs = c.tcp.send(start.wrapping_sub((pre.len() - early) as u32), mss, &[start], usize::MAX).unwrap();
        h.send(&mut r, &mut c, &segs, 0.0, "pre-offload");
        let (drv, dev) = (&mut h.drv, &mut h.dev);
        match c.sk.set_device_offload(|dir, i, sn| drv.tls_dev_add(dev, dir, i, sn)) {
            Ok(ctx) => {
                // Every 12 connections have each version x cipher x policy;
                // any 3 consecutive ones all three policies.
                let policy = [OooPolicy::Rebuild, OooPolicy::NextRecordSync, OooPolicy::Retransmit][id % 3];
                h.drv.set_policy(ctx, policy).unwrap();
                c.offload = Some((ctx, policy));
            }
            Err(_) => {
                assert_eq!(c.sk.mode(), TxMode::Sw);
                software += 1;
            }
        }
        cs.push(c);
    }
    assert_eq!(software, conns.saturating_sub(contexts), "connections beyond the table stay in software");

    // Interleaved traffic.
    let mut active: Vec<usize> = (0..conns).collect();
    while !active.is_empty() {
        let ai = r.gen_range(0..active.len());
        let c = &mut cs[active[ai]];
        let unsent = c.tcp.snd_nxt() != c.sk.write_seq();
        match r.gen_range(0..100) {
            0..=24 if c.budget > 0 => {
                let n = match r.gen_range(0..50) {
                    0 => 0,
                    1..=15 => r.gen_range(1..64),
                    16..=35 => r.gen_range(64..2000),
                    _ => r.gen_range(2000..40_000),
                }
                .min(c.budget);
                c.budget -= n;
                let data: Vec<u8> = (0..n).map(|_| r.gen()).collect();
                let limit = if r.gen_bool(0.6) { 16_384 } else { r.gen_range(1..=16_384) };
                let ct = match r.gen_range(0..20) {
                    0 => 22,
                    1 => 21,
                    _ => 23,
                };
                h.write(c, ct, &data, limit);
            }
            25..=64 if unsent => {
                let mss = if r.gen_bool(0.9) { c.mss } else { r.gen_range(1..=9000) };
                let eor = c.sk.segment_boundaries().to_vec();
                let segs = c.tcp.send(c.sk.write_seq(), mss, &eor, r.gen_range(1..=16)).unwrap();
                h.send(&mut r, c, &segs, 0.03, "new");
            }
            65..=76 if c.tcp.snd_nxt() != c.tcp.snd_una() => {
                // Retransmit an earlier segment, or a range cut afresh.
                let una = c.tcp.snd_una();
                let inflight = c.tcp.snd_nxt().wrapping_sub(una) as usize;
                let a = r.gen_range(0..inflight);
                let len = r.gen_range(1..=(inflight - a).min(20_000));
                let eor = c.sk.segment_boundaries().to_vec();
                let mss = if r.gen_bool(0.7) { c.mss } else { r.gen_range(1..=9000) };
                let segs = c.tcp.retransmit(una.wrapping_add(a as u32), len, mss, &eor).unwrap();
                let segs = &segs[..segs.len().min(r.gen_range(1..=4))];
                h.send(&mut r, c, segs, 0.0, "retransmission");
            }
            77..=79 => {
                // A late retransmission of a segment sent before (maybe
                // acknowledged since): the frame TCP built then.
                if c.first_input.is_empty() {
                    continue;
                }
                let keys: Vec<&(u32, usize)> = c.first_input.keys().collect();
                let &(seq, len) = keys[r.gen_range(0..keys.len())];
                if seq_before(seq, c.tcp.snd_una()) && seq_after(seq.wrapping_add(len as u32), c.tcp.snd_una()) {
                    continue; // TCP trims partially acknowledged segments
                }
                let f = c.first_input[&(seq, len)].clone();
                h.xmit(c, f, seq, len, "late retransmission");
            }
            80..=81 => {
                // A segment mixing pre-offload and offloaded bytes.
                let sn = c.sk.start_offload_tcp_sn();
                if c.pre.is_empty() || !seq_before(c.tcp.snd_una(), sn) || !seq_after(c.tcp.snd_nxt(), sn) {
                    continue;
                }
                let a = r.gen_range(1..=sn.wrapping_sub(c.tcp.snd_una()) as usize);
                let b = r.gen_range(1..=c.tcp.snd_nxt().wrapping_sub(sn).min(3000) as usize);
                let seq = sn.wrapping_sub(a as u32);
                let f = c.t.build(seq, &c.sk.bytes(seq, a + b).unwrap()).unwrap();
                h.xmit(c, f, seq, a + b, "straddling retransmission");
            }
            82..=99 => {
                // ACK up to a random point of what the peer received.
                let hole = c.first_hole();
                let span = hole.wrapping_sub(c.tcp.snd_una()) as usize;
                if span > 0 {
                    let ack = c.tcp.snd_una().wrapping_add(r.gen_range(1..=span) as u32);
                    c.tcp.ack(ack).unwrap();
                    c.sk.ack(ack);
                }
            }
            _ => {}
        }
        if c.budget == 0 && c.tcp.snd_nxt() == c.sk.write_seq() {
            active.swap_remove(ai);
        }
    }

    // Fill the holes of local drops, then check every stream.
    for c in &mut cs {
        loop {
            let hole = c.first_hole();
            if hole == c.tcp.snd_nxt() {
                break;
            }
            let k = c.offset(hole);
            let n = c.wire[k..].iter().take_while(|b| b.is_none()).count().min(c.offset(c.tcp.snd_nxt()) - k);
            let eor = c.sk.segment_boundaries().to_vec();
            let segs = c.tcp.retransmit(hole, n, c.mss, &eor).unwrap();
            h.send(&mut r, c, &segs, 0.0, "hole");
        }
        let stream: Vec<u8> = c.wire.iter().map(|b| b.expect("every byte on the wire")).collect();
        assert_eq!(&stream[..c.pre.len()], &c.pre[..], "conn {}: pre-offload bytes", c.id);
        let cipher = RecordCipher::new(&c.info).unwrap();
        let mut at = c.pre.len();
        for (i, (ct, data)) in c.records.iter().enumerate() {
            let len = data.len() + c.info.version.overhead();
            let num = c.info.rec_seq.wrapping_add(i as u64);
            let o = cipher
                .open(num, &stream[at..at + len])
                .unwrap_or_else(|e| panic!("conn {} ({:?}) record {i}: {e}", c.id, c.offload));
            assert_eq!((o.content_type, &o.plaintext), (*ct, data), "conn {} record {i}", c.id);
            at += len;
        }
        assert_eq!(at, stream.len(), "conn {}: stream length", c.id);
    }

    // Counters (the completions of the last frames read first).
    h.drv.poll_tag_completions(&mut h.dev).unwrap();
    let s: TxDriverStats = h.drv.stats().clone();
    let k = &h.counts;
    let offloaded = conns - software;
    let want = TxDriverStats {
        tx_tls_ctx: offloaded as u64,
        tx_tls_del: 0,
        tx_tls_ooo: k.ooo,
        tx_tls_skip_no_sync_data: k.skip,
        tx_tls_drop_no_sync_data: k.drop,
        tx_tls_drop_bypass_req: 0,
        tx_tls_dump_packets: k.dump_packets,
        tx_tls_dump_bytes: k.dump_bytes,
        tx_tls_resync: k.rebuilt,
        tx_tls_fallback_packets: k.software,
        tx_tls_resync_req: k.resync_req,
        tx_tls_ctx_update: k.ctx_update,
        tx_tls_ctx_table_full: software as u64,
        tx_tls_retx_packets: k.retx_packets,
        tx_tls_retx_bytes: k.retx_bytes,
        tx_tls_dump_fallback: k.dump_fallback,
        tx_tls_tag_completions: k.tags,
    };
    assert_eq!(s, want, "driver statistics");
    let d = h.dev.dev.counters().clone();
    assert_eq!((d.tx_tls_encrypted_packets, d.tx_tls_encrypted_bytes), (k.encrypted_packets, k.encrypted_bytes));
    assert_eq!((d.tx_tls_dump_packets, d.tx_tls_dump_bytes), (s.tx_tls_dump_packets, s.tx_tls_dump_bytes));
    assert_eq!((d.tx_tls_resync, d.tx_tls_ctx_update), (k.rebuilt, k.ctx_update));
    assert_eq!((d.tx_tls_retx_packets, d.tx_tls_retx_bytes), (k.retx_packets, k.retx_bytes));
    assert_eq!((d.tx_tls_tag_completions, d.tx_tls_drop_retx), (k.tags, 0));
    assert_eq!(
        (d.tx_tls_drop_parse, d.tx_tls_drop_no_ctx, d.tx_tls_drop_seq, d.tx_tls_drop_bad_record),
        (0, 0, 0, 0),
        "the device dropped nothing the driver marked"
    );
    assert_eq!(d.tx_tls_encrypted_packets + d.tx_plain_packets, k.frames);
    for c in &cs {
        if let Some((ctx, _)) = c.offload {
            h.drv.tls_dev_del(&mut h.dev, ctx, tlsnic_driver::types::Direction::Tx).unwrap();
        }
    }
    assert_eq!((h.drv.stats().tx_tls_del, h.dev.dev.contexts_in_use()), (offloaded as u64, 0));
    let mut v: Vec<_> = h.verdicts.into_iter().collect();
    v.sort();
    println!("{conns} connections ({software} in software), {} wire frames, verdicts {v:?}", k.frames);
    println!("driver: {s:?}");
}

/// 48 connections on 40 contexts: 8 stay in software.
#[test]
fn random_interleaved_connections() {
    run(seed("tx_e2e_interleaved"), 48, 40);
}

/// A small context table: most connections in software, the rest share
/// the device.
#[test]
fn random_small_table() {
    run(seed("tx_e2e_small_table"), 16, 4);
}

/// Many offloaded connections at once.
#[test]
fn random_many_connections() {
    run(seed("tx_e2e_many"), 128, 128);
}
