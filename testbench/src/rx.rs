//! RX offload on `tls_offload_top`: the Verilated device behind the
//! driver's [`RxDevice`] trait, a generator of received TLS streams, and the
//! per-frame scoreboard of docs/rx.md ("marked ⇒ exact plaintext of those
//! bytes; unmarked ⇒ byte-identical to the wire").
//!
//! The expected plaintext comes from the `aes-gcm` crate (the driver's
//! `record` module seals every record); nothing is taken from the RTL.

use rand::Rng;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use tlsnic_device::csr;
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::record::{plaintext_record, RecordCipher};
use tlsnic_driver::rx_device::{RxDevCounters, RxDevice, RxFrame, RxReason, RxResyncMode};
use tlsnic_driver::tcp::{parse, FrameTemplate};
use tlsnic_driver::types::{Cipher, CtxId, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::{Sim, SimError};

use crate::diverge::Divergence;
use crate::scenario::ScenarioError;

/// The largest legal TLS 1.3 ciphertext (RFC 8446 5.2: 2^14 + 256 bytes).
pub const TLS13_MAX_CIPHERTEXT: usize = 16_384 + 256;

/// Version and key size of connection `i`: every combination in turn.
pub fn kind(i: usize) -> (TlsVersion, Cipher) {
    match i % 4 {
        0 => (TlsVersion::V12, Cipher::Aes128Gcm),
        1 => (TlsVersion::V13, Cipher::Aes128Gcm),
        2 => (TlsVersion::V12, Cipher::Aes256Gcm),
        _ => (TlsVersion::V13, Cipher::Aes256Gcm),
    }
}

/// One direction of a TLS connection as a receiver sees it.
#[derive(Clone, Debug)]
pub struct RxStream {
    /// 4-tuple as the frames carry it (source = the peer).
    pub flow: FlowKey,
    /// Crypto state of the first record.
    pub info: TlsCryptoInfo,
    /// TCP sequence number of stream byte 0 (a record start).
    pub start: u32,
    /// The records on the wire, back to back.
    pub wire: Vec<u8>,
    /// `wire` with every record body byte replaced by its plaintext: what a
    /// decrypted frame carries.
    pub dec: Vec<u8>,
    /// Application data in order.
    pub app: Vec<u8>,
    /// Stream offsets of the record starts.
    pub record_starts: Vec<usize>,
    /// Frame headers.
    pub tmpl: FrameTemplate,
}

impl RxStream {
    /// A random connection: `records` records with `max_data` bytes of data
    /// at most, IPv4 or IPv6 by `v6`.
    pub fn random(
        rng: &mut impl Rng,
        id: u16,
        v6: bool,
        version: TlsVersion,
        cipher: Cipher,
        records: usize,
        max_data: usize,
    ) -> RxStream {
        let flow = if v6 {
            FlowKey::V6 {
                saddr: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0xbeef, id),
                daddr: Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1),
                sport: 443,
                dport: 40000 + id,
            }
        } else {
            FlowKey::V4 {
                saddr: Ipv4Addr::new(198, 51, 100, (id % 250) as u8 + 1),
                daddr: Ipv4Addr::new(192, 0, 2, 1),
                sport: 443,
                dport: 40000 + id,
            }
        };
        let key: Vec<u8> = (0..cipher.key_size()).map(|_| rng.gen()).collect();
        let info = TlsCryptoInfo::new(version, cipher, key, rng.gen(), rng.gen(), rng.gen_range(0..1u64 << 40))
            .expect("valid crypto info");
        let rc = RecordCipher::new(&info).expect("cipher");
        let mut tmpl = FrameTemplate::new(flow);
        let (wire, dec, app, record_starts) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut s = RxStream { flow, info, start: 0, wire, dec, app, record_starts, tmpl: tmpl.clone() };
        for _ in 0..records {
            let len = match rng.gen_range(0..10) {
                0 => 0,
                1..=3 => rng.gen_range(1..64.min(max_data + 1)),
                4 => max_data,
                _ => rng.gen_range(0..=max_data),
            };
            let data: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
            let ctype = if rng.gen_range(0..20) == 0 { 21 } else { 23 };
            // a full TLS 1.3 record, half the time padded to the largest
            // legal ciphertext (2^14 + 256 bytes)
            let pad = if version == TlsVersion::V13 && len == 16_384 && rng.gen_bool(0.5) {
                TLS13_MAX_CIPHERTEXT - 16_384 - 1 - 16
            } else {
                0
            };
            s.push_record_with(&rc, ctype, &data, pad);
        }
        tmpl.ack = rng.gen();
        tmpl.vlan = if rng.gen_bool(0.25) { Some(rng.gen_range(1..4095)) } else { None };
        s.tmpl = tmpl;
        s.start = crate::seed::isn(rng, s.wire.len() as u32);
        s
    }

    /// Append a record of content type `ctype` carrying `data` (at most
    /// 16384 bytes) to the stream.
    pub fn push_record(&mut self, ctype: u8, data: &[u8]) {
        let rc = RecordCipher::new(&self.info).expect("cipher");
        self.push_record_with(&rc, ctype, data, 0);
    }

    /// `pad`: TLS 1.3 zero padding after the content type (RFC 8446 5.4).
    fn push_record_with(&mut self, rc: &RecordCipher, ctype: u8, data: &[u8], pad: usize) {
        let (version, i) = (self.info.version, self.record_starts.len() as u64);
        let nonce = tlsnic_driver::record::explicit_nonce(self.info.iv, i);
        let mut plain = plaintext_record(version, ctype, nonce, data).expect("record");
        if pad > 0 {
            assert_eq!(version, TlsVersion::V13, "padding is TLS 1.3's");
            let at = plain.len() - 16;
            plain.splice(at..at, std::iter::repeat_n(0u8, pad));
            let len = u16::try_from(plain.len() - 5).expect("a record length");
            plain[3..5].copy_from_slice(&len.to_be_bytes());
        }
        let mut sealed = plain.clone();
        rc.seal_in_place(self.info.rec_seq + i, &mut sealed).expect("seal");
        let body = version.prepend_size()..sealed.len() - 16;
        let mut d = sealed.clone();
        d[body.clone()].copy_from_slice(&plain[body]);
        self.record_starts.push(self.wire.len());
        self.wire.extend_from_slice(&sealed);
        self.dec.extend_from_slice(&d);
        if ctype == 23 {
            self.app.extend_from_slice(data);
        }
    }

    /// The stream as connection `conn`'s frames: segments of `min..=max`
    /// payload bytes ([`RxStream::segments`]), each with its origin.
    pub fn sent_frames(&self, conn: usize, rng: &mut impl Rng, min: usize, max: usize) -> Vec<SentFrame> {
        self.segments(rng, min, max)
            .into_iter()
            .map(|(o, l)| SentFrame { bytes: self.frame(o, l), origin: Some((conn, o)) })
            .collect()
    }

    /// The first of `segs[range]` with a record header starting strictly
    /// inside it (losing it hides that header: the device loses sync).
    pub fn header_segment(&self, segs: &[(usize, usize)], range: std::ops::Range<usize>) -> Option<usize> {
        range.into_iter().find(|&k| {
            let (o, l) = segs[k];
            self.record_starts.iter().any(|&h| h > o && h < o + l)
        })
    }

    /// Cut the stream into segments of `min..=max` payload bytes:
    /// (stream offset, length).
    pub fn segments(&self, rng: &mut impl Rng, min: usize, max: usize) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        let mut off = 0;
        while off < self.wire.len() {
            let n = rng.gen_range(min..=max).min(self.wire.len() - off);
            v.push((off, n));
            off += n;
        }
        v
    }

    /// The frame carrying stream bytes `[off, off + len)`.
    pub fn frame(&self, off: usize, len: usize) -> Vec<u8> {
        self.tmpl.build(self.start.wrapping_add(off as u32), &self.wire[off..off + len]).expect("frame")
    }
}

/// What a frame is, for the scoreboard.
#[derive(Clone, Debug)]
pub struct SentFrame {
    /// Bytes on the wire.
    pub bytes: Vec<u8>,
    /// Connection index and stream offset of the payload, if the payload is
    /// a piece of a generated stream (possibly with bytes changed in
    /// flight).
    pub origin: Option<(usize, usize)>,
}

/// Per-reason frame counts of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RxTally {
    /// Frames seen.
    pub frames: u64,
    /// Frames by reason code.
    pub by_reason: BTreeMap<u8, u64>,
    /// Frames with a resync request.
    pub resync_req: u64,
    /// TCP payload bytes of decrypted frames.
    pub decrypted_bytes: u64,
}

impl RxTally {
    /// Frames with `reason`.
    pub fn count(&self, reason: RxReason) -> u64 {
        self.by_reason.get(&(reason as u8)).copied().unwrap_or(0)
    }
}

/// Check every output frame against the frame that was sent: a marked
/// frame must equal the sent frame with its payload replaced by the
/// stream's decrypted bytes (only a generated payload can be marked); an
/// unmarked one must be byte-identical. Returns the tally, or the first
/// violation ([`scoreboard_at`] without cycles).
pub fn scoreboard(streams: &[RxStream], sent: &[SentFrame], got: &[RxFrame]) -> Result<RxTally, String> {
    scoreboard_at(streams, sent, got, &[]).map_err(|e| e.to_string())
}

/// [`scoreboard`], naming the first violation as a [`Divergence`]: the
/// frame, its first wrong byte, expected and got, and the cycles in which
/// it left the device (`cycles[i]` for frame `i`, e.g. from
/// [`SimRxDevice::stamps`]; none when `cycles` is shorter). With the test hook
/// [`crate::diverge::injected_mismatch`] set to `N`, it expects a wrong
/// byte in frame `N`.
pub fn scoreboard_at(
    streams: &[RxStream],
    sent: &[SentFrame],
    got: &[RxFrame],
    cycles: &[(u64, u64)],
) -> Result<RxTally, Divergence> {
    let at = |i: usize| cycles.get(i).copied();
    if sent.len() != got.len() {
        let i = sent.len().min(got.len());
        let what = format!("{} frames sent, {} returned", sent.len(), got.len());
        return Err(Divergence::frame(what, i, at(i.saturating_sub(1))));
    }
    let inject = crate::diverge::injected_mismatch();
    let mut t = RxTally::default();
    for (i, (s, g)) in sent.iter().zip(got).enumerate() {
        t.frames += 1;
        *t.by_reason.entry(g.meta.reason as u8).or_default() += 1;
        t.resync_req += u64::from(g.meta.resync_req.is_some());
        let mut want = if g.meta.decrypted {
            let Some((c, off)) = s.origin else {
                return Err(Divergence::frame("marked decrypted but not a generated TLS segment", i, at(i)));
            };
            let p = parse(&s.bytes).map_err(|e| Divergence::frame(format!("sent frame: {e}"), i, at(i)))?;
            let mut want = s.bytes.clone();
            let n = p.payload_len();
            // sent ^ wire ^ dec: the plaintext of an unchanged payload; for a
            // byte changed in flight, that byte XOR its keystream (body bytes)
            // or the byte itself (header, nonce, tag bytes stay as received).
            let st = &streams[c];
            for (j, b) in want[p.payload..p.payload + n].iter_mut().enumerate() {
                *b ^= st.wire[off + j] ^ st.dec[off + j];
            }
            t.decrypted_bytes += n as u64;
            want
        } else {
            s.bytes.clone()
        };
        if inject == Some(i) {
            let k = want.len() / 2;
            want[k] ^= 0x01;
        }
        if g.data != want {
            let what = match (g.meta.decrypted, s.origin) {
                (false, _) => format!("unmarked ({:?}) but not byte-identical", g.meta.reason),
                (true, Some((c, off))) => format!("decrypted bytes wrong (conn {c}, stream offset {off})"),
                (true, None) => "decrypted bytes wrong".into(),
            };
            return Err(Divergence::bytes(what, i, &g.data, &want, at(i)));
        }
    }
    Ok(t)
}

/// Interleave per-connection frame lists at random, keeping each
/// connection's order.
pub fn interleave(rng: &mut impl Rng, mut per_conn: Vec<Vec<SentFrame>>) -> Vec<SentFrame> {
    for v in per_conn.iter_mut() {
        v.reverse();
    }
    let mut out = Vec::new();
    loop {
        let live: Vec<usize> = (0..per_conn.len()).filter(|&i| !per_conn[i].is_empty()).collect();
        if live.is_empty() {
            return out;
        }
        let c = live[rng.gen_range(0..live.len())];
        out.push(per_conn[c].pop().expect("non-empty"));
    }
}

/// Results of [`run_with_oracle`].
#[derive(Clone, Debug, Default)]
pub struct OracleRun {
    /// What the device returned, in order.
    pub got: Vec<RxFrame>,
    /// Resync answers given (the guess was a true record start).
    pub answered: u64,
    /// Requests whose guess was not a record start (left unanswered).
    pub false_guesses: u64,
    /// Requests deliberately left unanswered.
    pub ignored: u64,
}

/// Push `sent` through the device `batch` frames at a time and answer every
/// resync request between batches with the true record number of the
/// guessed header, taken from the generator (the host's role, done by an
/// oracle so that the device can be tested alone).
pub fn run_with_oracle(
    dev: &mut impl RxDevice,
    streams: &[RxStream],
    ctxs: &[CtxId],
    sent: &[SentFrame],
    batch: usize,
) -> OracleRun {
    run_with_oracle_ignoring(dev, streams, ctxs, sent, batch, 0)
}

/// [`run_with_oracle`], leaving the first `ignore` requests unanswered (a
/// host that never confirms: the device must give up and scan again).
pub fn run_with_oracle_ignoring(
    dev: &mut impl RxDevice,
    streams: &[RxStream],
    ctxs: &[CtxId],
    sent: &[SentFrame],
    batch: usize,
    mut ignore: usize,
) -> OracleRun {
    let mut run = OracleRun::default();
    for chunk in sent.chunks(batch.max(1)) {
        let got = dev.rx_frames(chunk.iter().map(|f| f.bytes.clone()).collect());
        for g in &got {
            let (Some(guess), Some(ctx)) = (g.meta.resync_req, g.meta.ctx) else { continue };
            if ignore > 0 {
                ignore -= 1;
                run.ignored += 1;
                continue;
            }
            let Some(c) = ctxs.iter().position(|&x| x == ctx) else { continue };
            let s = &streams[c];
            let off = guess.wrapping_sub(s.start) as usize;
            match s.record_starts.iter().position(|&o| o == off) {
                Some(i) => {
                    dev.rx_resync(ctx, guess, s.info.rec_seq + i as u64).expect("resync command");
                    run.answered += 1;
                }
                None => run.false_guesses += 1,
            }
        }
        run.got.extend(got);
    }
    run
}

/// One RX throughput run ([`rx_mtu_run`]).
#[derive(Clone, Debug)]
pub struct RxMtuRun {
    /// Protocol version.
    pub version: TlsVersion,
    /// Frames sent.
    pub frames: usize,
    /// Frames marked decrypted (all of them: the run fails otherwise).
    pub decrypted: usize,
    /// TCP payload bytes.
    pub payload_bytes: usize,
    /// Cycles from the first frame in to the last frame out.
    pub cycles: u64,
    /// The device's RX counters after the run.
    pub counters: RxDevCounters,
}

impl RxMtuRun {
    /// Payload bytes per clock.
    pub fn bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.cycles.max(1) as f64
    }
}

/// RX throughput: one connection, `records` records of 16384 data bytes in
/// 1448-byte segments (MTU 1500) back to back, no backpressure; every frame
/// must be decrypted and is checked by [`scoreboard`]. The one-connection
/// RX case of [`crate::throughput::run`].
pub fn rx_mtu_run(sim: &mut Sim, version: TlsVersion, records: usize) -> Result<RxMtuRun, String> {
    use crate::throughput::{run, Load, Path, RECORD};
    let r = run(sim, Load { conns: 1, version, segment: 1448, records, record: RECORD }, &[Path::Rx])
        .map_err(|e| e.to_string())?;
    let row = &r.rows[0];
    Ok(RxMtuRun {
        version,
        frames: row.frames,
        decrypted: row.frames,
        payload_bytes: row.payload_bytes,
        cycles: row.cycles,
        counters: r.rx_counters.expect("an RX run reads the RX counters"),
    })
}

/// Network impairments, as probabilities per frame.
#[derive(Clone, Copy, Debug, Default)]
pub struct Impair {
    /// Lost; TCP retransmits the segment later.
    pub loss: f64,
    /// Delivered after 1..4 later frames.
    pub reorder: f64,
    /// Delivered twice (the copy later).
    pub dup: f64,
    /// A payload byte flipped, TCP checksum left wrong (the stack drops it;
    /// retransmitted later).
    pub corrupt_bad_csum: f64,
    /// A ciphertext or tag byte flipped with the TCP checksum fixed: only
    /// TLS authentication can tell (the connection fails with EBADMSG).
    pub corrupt_good_csum: f64,
    /// Besides the random impairments: in every connection, the first
    /// frame after its third that holds the first byte of a record header
    /// is lost (retransmitted later), so the device loses sync once.
    pub lose_one_header: bool,
}

/// What [`impair`] did.
#[derive(Clone, Debug, Default)]
pub struct ImpairLog {
    /// Frames lost (and retransmitted).
    pub lost: usize,
    /// Frames delayed.
    pub reordered: usize,
    /// Frames duplicated.
    pub duplicated: usize,
    /// Frames corrupted with a bad checksum (and retransmitted).
    pub bad_csum: usize,
    /// Connections with an undetectable corruption (expected to fail
    /// authentication), with the stream offset of the first changed byte.
    pub corrupted: BTreeMap<usize, usize>,
}

/// Apply `cfg` to an in-order frame schedule: returns the arrival order.
/// Every byte of every stream still arrives at least once intact unless the
/// connection is in [`ImpairLog::corrupted`].
pub fn impair(
    rng: &mut impl Rng,
    streams: &[RxStream],
    frames: Vec<SentFrame>,
    cfg: Impair,
) -> (Vec<SentFrame>, ImpairLog) {
    let mut log = ImpairLog::default();
    // (due position, frame); a frame is delivered when the clock reaches due
    let mut later: Vec<(usize, SentFrame)> = Vec::new();
    let mut out = Vec::new();
    let mut seen = vec![0usize; streams.len()];
    let mut header_lost = vec![false; streams.len()];
    let mut held: Vec<Option<(SentFrame, usize)>> = vec![None; streams.len()];
    for (pos, f) in frames.into_iter().enumerate() {
        later.sort_by_key(|x| x.0);
        while later.first().is_some_and(|x| x.0 <= pos) {
            out.push(later.remove(0).1);
        }
        if let (true, Some((c, off)), Ok(p)) = (cfg.lose_one_header, f.origin, parse(&f.bytes)) {
            seen[c] += 1;
            let holds_header = streams[c].record_starts.iter().any(|&h| h >= off && h < off + p.payload_len());
            if seen[c] > 3 && !header_lost[c] && holds_header {
                // retransmitted after three more frames of its connection
                // (TCP's fast retransmit), so the device sees the gap
                header_lost[c] = true;
                log.lost += 1;
                held[c] = Some((f, 3));
                continue;
            }
            // the frame that releases the held one goes out unimpaired
            if let Some((_, n)) = held[c].as_mut() {
                *n -= 1;
                if *n == 0 {
                    let (lost, _) = held[c].take().unwrap();
                    out.push(f);
                    out.push(lost);
                    continue;
                }
            }
        }
        let x: f64 = rng.gen();
        let mut acc = cfg.loss;
        if x < acc {
            log.lost += 1;
            later.push((pos + rng.gen_range(3..40), f));
            continue;
        }
        acc += cfg.reorder;
        if x < acc {
            log.reordered += 1;
            later.push((pos + rng.gen_range(1..5), f));
            continue;
        }
        acc += cfg.dup;
        if x < acc {
            log.duplicated += 1;
            later.push((pos + rng.gen_range(1..30), f.clone()));
            out.push(f);
            continue;
        }
        acc += cfg.corrupt_bad_csum;
        if x < acc {
            if let Ok(p) = parse(&f.bytes) {
                if p.payload_len() > 0 {
                    log.bad_csum += 1;
                    let mut g = f.clone();
                    let j = p.payload + rng.gen_range(0..p.payload_len());
                    g.bytes[j] ^= 1 << rng.gen_range(0..8);
                    out.push(SentFrame { bytes: g.bytes, origin: None });
                    later.push((pos + rng.gen_range(3..40), f));
                    continue;
                }
            }
        }
        acc += cfg.corrupt_good_csum;
        // (a frame drawn for a bad checksum that has no payload to corrupt
        // falls through to here; only a run with this impairment takes it)
        if cfg.corrupt_good_csum > 0.0 && x < acc {
            if let (Some((c, off)), Ok(p)) = (f.origin, parse(&f.bytes)) {
                // a byte of a record body or tag (never a header or nonce:
                // those change the framing, not just the authentication)
                let st = &streams[c];
                let pre = st.info.version.prepend_size();
                let cand: Vec<usize> = (0..p.payload_len())
                    .filter(|&j| {
                        let so = off + j;
                        let r = st.record_starts.partition_point(|&h| h <= so) - 1;
                        so - st.record_starts[r] >= pre
                    })
                    .collect();
                if !cand.is_empty() && !log.corrupted.contains_key(&c) {
                    let j = cand[rng.gen_range(0..cand.len())];
                    let mut g = f.clone();
                    g.bytes[p.payload + j] ^= 1 << rng.gen_range(0..8);
                    tlsnic_driver::tcp::fix_tcp_checksum(&mut g.bytes, &p);
                    log.corrupted.insert(c, off + j);
                    out.push(g);
                    continue;
                }
            }
        }
        out.push(f);
    }
    later.sort_by_key(|x| x.0);
    out.extend(later.into_iter().map(|x| x.1));
    out.extend(held.into_iter().flatten().map(|x| x.0));
    (out, log)
}

/// Context installation cost ([`install_metrics`]).
#[derive(Clone, Debug)]
pub struct InstallMetrics {
    /// Device cycles from the doorbell write to the completion seen in
    /// `CMD_STATUS` (includes one status read), TX add.
    pub tx_add_cycles: u64,
    /// The same for an RX add (slot search, flow key, key set-up).
    pub rx_add_cycles: u64,
    /// The same for an RX delete.
    pub rx_del_cycles: u64,
    /// Cycles of a whole RX install over AXI4-Lite: every command register
    /// written, doorbell, completion polled, result read.
    pub rx_install_total_cycles: u64,
    /// Installs measured.
    pub installs: usize,
    /// Installs per second of host time in simulation.
    pub sim_installs_per_second: f64,
}

/// Measure installation latency and rate: `n` RX contexts installed and
/// deleted one after the other on `sim`, and one TX add.
pub fn install_metrics(sim: &mut Sim, n: usize) -> Result<InstallMetrics, String> {
    let mut r = crate::seed::rng(0x1257);
    let s = RxStream::random(&mut r, 1, false, TlsVersion::V12, Cipher::Aes128Gcm, 0, 0);
    let e = |e: SimError| e.to_string();
    let timed = |sim: &mut Sim, op: u32| -> Result<u64, String> {
        let t0 = sim.cycle();
        csr::command(sim, op).map_err(e)?.map_err(|c| format!("{c:?}"))?;
        Ok(sim.cycle() - t0)
    };
    // TX add at ctx 0
    csr::write_key_iv(sim, &s.info.key, &s.info.iv12()).map_err(e)?;
    csr::write_seq_rec(sim, 0, 0).map_err(e)?;
    sim.csr_write(csr::REG_CMD_CTRL, 0).map_err(e)?;
    let tx_add_cycles = timed(sim, csr::OP_ADD_TX)?;
    let (mut add, mut del, mut total) = (0, 0, 0);
    let t = std::time::Instant::now();
    for i in 0..n {
        let mut flow = s.flow;
        if let FlowKey::V4 { ref mut dport, .. } = flow {
            *dport = 1000 + i as u16;
        }
        let t0 = sim.cycle();
        let ctx =
            SimRxDevice::new(sim).rx_add(flow, &s.info, 0, RxResyncMode::StreamScan).map_err(|e| e.to_string())?;
        total += sim.cycle() - t0;
        // the doorbell alone, on the same registers: delete, then add again
        sim.csr_write(csr::REG_CMD_CTRL, ctx.0 << csr::CTRL_CTX_LSB).map_err(e)?;
        del += timed(sim, csr::OP_DEL_RX)?;
        let ctrl = u32::from(s.info.cipher == Cipher::Aes256Gcm) << csr::CTRL_AES256;
        sim.csr_write(csr::REG_CMD_CTRL, ctrl).map_err(e)?;
        add += timed(sim, csr::OP_ADD_RX)?;
        let again = sim.csr_read(csr::REG_CMD_RESULT).map_err(e)?;
        sim.csr_write(csr::REG_CMD_CTRL, again << csr::CTRL_CTX_LSB).map_err(e)?;
        timed(sim, csr::OP_DEL_RX)?;
    }
    let secs = t.elapsed().as_secs_f64();
    let n64 = n.max(1) as u64;
    Ok(InstallMetrics {
        tx_add_cycles,
        rx_add_cycles: add / n64,
        rx_del_cycles: del / n64,
        rx_install_total_cycles: total / n64,
        installs: n,
        sim_installs_per_second: n as f64 / secs,
    })
}

/// What [`rx_impaired_run`] measured.
#[derive(Clone, Debug, Default)]
pub struct RxRunReport {
    /// Records the sockets handled.
    pub records: u64,
    /// Of them, decrypted entirely by the device.
    pub records_device: u64,
    /// Of them, partly decrypted by the device (re-encrypted, software).
    pub records_mixed: u64,
    /// Resyncs the device applied.
    pub resync_ok: u64,
    /// Resync answers or pushes the device ignored (not matching its
    /// pending guess; stack-driven while in sync).
    pub resync_ignored: u64,
    /// Outages over all sockets: runs of records the device did not fully
    /// decrypt, ended by one it decrypted (the kTLS model's count).
    pub outages: u64,
    /// Records in those runs.
    pub outage_records: u64,
    /// The longest run.
    pub outage_max: u64,
    /// Records at stream ends not decrypted by the device (outages that had
    /// not ended).
    pub outage_open: u64,
    /// Frames.
    pub frames: u64,
    /// Of them, other traffic (no payload, no context, not IP), each with
    /// the verdict it must get.
    pub other_frames: u64,
    /// Frames marked decrypted.
    pub decrypted_frames: u64,
    /// What the network did.
    pub impairments: ImpairLog,
    /// The driver's resync counters.
    pub driver: tlsnic_driver::rx_host::RxDriverStats,
}

/// End to end on the Verilated device: `conns` connections of `records`
/// records through the network impairments `cfg`, the device and the RX
/// driver with its kTLS model. Checks every frame against the scoreboard,
/// every connection's application bytes (exact, or an authentication
/// failure where a byte was changed undetectably), and the counters.
/// `delay`: frames between the device's resync request and the stack's
/// answer. `batch`: frames the device handles before the stack sees the
/// first of them (a driver's poll budget), so a `tls_dev_resync` the stack
/// makes names a position up to `batch - 1` frames behind the device's.
pub fn rx_impaired_run(
    seed: u64,
    conns: usize,
    records: usize,
    cfg: Impair,
    mode: RxResyncMode,
    delay: usize,
    batch: usize,
) -> Result<RxRunReport, ScenarioError> {
    if batch == 0 {
        return Err(ScenarioError::Check("rx_impaired_run: a batch of 0 frames".into()));
    }
    use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig, SockId};
    let mut r = crate::seed::rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(8);
    sim.set_backpressure(seed ^ 0xbacc, 0.05, 0.05);
    let streams: Vec<RxStream> = (0..conns)
        .map(|i| {
            let (v, c) = kind(i);
            // connections 0 and 1 (TLS 1.2 and 1.3) also carry full records
            RxStream::random(&mut r, i as u16, i % 2 == 1, v, c, records, if i < 2 { 16_384 } else { 4000 })
        })
        .collect();
    let per_conn: Vec<Vec<SentFrame>> =
        streams.iter().enumerate().map(|(c, s)| s.sent_frames(c, &mut r, 1, 1448)).collect();
    let wire = interleave(&mut r, per_conn);
    let (mut sent, log) = impair(&mut r, &streams, wire, cfg);
    // other traffic among it, each frame with the verdict it must get
    let mut foreign = Vec::new();
    for _ in 0..r.gen_range(1..=6) {
        let s = &streams[r.gen_range(0..streams.len())];
        let (bytes, want) = match r.gen_range(0..3) {
            // a pure ACK of an offloaded connection
            0 => (s.tmpl.build(s.start, &[]).expect("frame"), RxReason::NoPayload),
            // a segment of a connection without a context
            1 => {
                let mut t = s.tmpl.clone();
                t.key = match t.key {
                    FlowKey::V4 { saddr, daddr, sport, .. } => FlowKey::V4 { saddr, daddr, sport, dport: 9 },
                    FlowKey::V6 { saddr, daddr, sport, .. } => FlowKey::V6 { saddr, daddr, sport, dport: 9 },
                };
                let data: Vec<u8> = (0..r.gen_range(1..600)).map(|_| r.gen()).collect();
                (t.build(r.gen(), &data).expect("frame"), RxReason::NoFlow)
            }
            // not IP (ARP)
            _ => {
                let mut f = vec![0u8; 60];
                f[..6].fill(0xff);
                f[12..14].copy_from_slice(&[0x08, 0x06]);
                (f, RxReason::Parse)
            }
        };
        let at = r.gen_range(0..=sent.len());
        for (i, _) in foreign.iter_mut().filter(|(i, _)| *i >= at) {
            *i += 1;
        }
        sent.insert(at, SentFrame { bytes, origin: None });
        foreign.push((at, want));
    }
    let mut drv =
        RxDriver::new(SimRxDevice::new(&mut sim), RxDriverConfig { resync_answer_delay: delay, ..Default::default() });
    let socks: Vec<SockId> = streams.iter().map(|s| drv.open(s.flow, s.info.clone(), s.start, mode)).collect();
    if !socks.iter().all(|&s| drv.offloaded(s)) {
        return Err(ScenarioError::Check("a connection was not offloaded".into()));
    }
    let mut got = Vec::new();
    for chunk in sent.chunks(batch) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    let stamps = std::mem::take(&mut drv.device().stamps);
    let t = scoreboard_at(&streams, &sent, &got, &stamps)?;
    for &(i, want) in &foreign {
        if got[i].meta.reason != want {
            let what = format!("other traffic: {:?}, expected {want:?}", got[i].meta.reason);
            return Err(Divergence::frame(what, i, stamps.get(i).copied()).into());
        }
    }
    for (i, (f, g)) in sent.iter().zip(&got).enumerate() {
        if f.origin.is_none() && g.meta.flow_hit && g.meta.decrypted {
            let what = "a frame with a bad checksum was marked decrypted";
            return Err(Divergence::frame(what, i, stamps.get(i).copied()).into());
        }
    }
    let mut rep = RxRunReport {
        frames: t.frames,
        other_frames: foreign.len() as u64,
        decrypted_frames: t.count(RxReason::Decrypted),
        impairments: log.clone(),
        ..Default::default()
    };
    for (c, (s, &k)) in streams.iter().zip(&socks).enumerate() {
        let app = drv.read_app(k);
        let st = drv.socket_stats(k);
        rep.records += st.records;
        rep.records_device += st.records_device;
        rep.records_mixed += st.records_mixed;
        rep.outages += st.outages;
        rep.outage_records += st.outage_records;
        rep.outage_max = rep.outage_max.max(st.outage_max);
        rep.outage_open += st.outage_open;
        match (log.corrupted.get(&c), drv.socket_error(k)) {
            (None, Some(e)) => return Err(ScenarioError::Check(format!("conn {c}: {e}"))),
            (None, None) if app != s.app => {
                let what = format!("conn {c}: {} of {} application bytes, wrong", app.len(), s.app.len());
                return Err(ScenarioError::Check(what));
            }
            (Some(at), None) => return Err(ScenarioError::Check(format!("conn {c}: corruption at {at} not detected"))),
            (Some(_), Some(_)) if !s.app.starts_with(&app) => {
                return Err(ScenarioError::Check(format!("conn {c}: bytes before the failure are wrong")))
            }
            _ => {}
        }
    }
    let dev = drv.device().rx_counters();
    rep.resync_ok = dev.resync_ok;
    rep.resync_ignored = dev.resync_ignored;
    rep.driver = drv.stats();
    if dev.decrypted_packets != rep.decrypted_frames || dev.resync_req_pkt != t.resync_req {
        let what = format!("device counters {dev:?} disagree with the scoreboard {:?}", t.by_reason);
        return Err(ScenarioError::Check(what));
    }
    Ok(rep)
}
