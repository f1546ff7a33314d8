//! Directed RX scenarios on one connection, each from a seed: a lost
//! body-only segment (optionally across the 2^32 sequence wrap), records
//! split at every offset, and a malformed record header in sync. The
//! tests (`rx_rtl`, `mutant_kills`) and the regression family
//! `rx_directed` run them; every frame is checked by [`scoreboard`].

use crate::rx::{kind, run_with_oracle, scoreboard, RxStream, RxTally, SentFrame};
use crate::scenario::ScenarioError;
use crate::seed::rng;
use rand::Rng;
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::record::{explicit_nonce, plaintext_record, RecordCipher};
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::types::{Cipher, CtxId, TlsVersion};
use tlsnic_sim::{Sim, Top};

fn model(seed: u64, p_stall: f64) -> Result<Sim, ScenarioError> {
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    sim.set_backpressure(seed ^ 0xb0b, p_stall, p_stall);
    Ok(sim)
}

fn frames_of(s: &RxStream, segs: &[(usize, usize)]) -> Vec<SentFrame> {
    segs.iter().map(|&(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) }).collect()
}

fn installed(dev: &mut SimRxDevice, s: &RxStream) -> Result<CtxId, ScenarioError> {
    dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan)
        .map_err(|e| ScenarioError::Check(format!("RX add: {e}")))
}

/// What [`rx_gap_run`] did.
#[derive(Clone, Debug)]
pub struct GapReport {
    /// The stream's initial sequence number.
    pub start: u32,
    /// Index of the lost segment, and the number of segments.
    pub lost: (usize, usize),
    /// Every frame's verdict, counted.
    pub tally: RxTally,
}

/// "Reorder of non-header segment": one connection (random version and key
/// size, 6 records of 3000-12000 bytes, segments of 500-1448 bytes); a
/// segment inside a record body, with no header in or right after it, is
/// lost and arrives last. The frames after the gap up to the next header
/// are partial (they hold the rest of the abandoned record), every later
/// one is decrypted, the late segment is old, and sync is never lost
/// (`rx_tls_pass_oos` stays 0). With `wrap`, the sequence numbers wrap at
/// 2^32 in the middle of the lost segment, so the device expects a number
/// just below 2^32 when the next frame, just above 0, arrives.
pub fn rx_gap_run(seed: u64, wrap: bool) -> Result<GapReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = model(seed, 0.05)?;
    let (v, c) = kind(r.gen_range(0..4));
    let v6 = r.gen_bool(0.5);
    let mut s = RxStream::random(&mut r, 5, v6, v, c, 0, 0);
    for _ in 0..6 {
        let data: Vec<u8> = (0..r.gen_range(3000..12000)).map(|_| r.gen()).collect();
        s.push_record(23, &data);
    }
    let segs = s.segments(&mut r, 500, 1448);
    let k = (segs.len() / 3..segs.len() - 1)
        .find(|&k| {
            let (o, l) = segs[k];
            !s.record_starts.iter().any(|&h| h < o + l && h + 5 > o) && !s.record_starts.contains(&(o + l))
        })
        .ok_or_else(|| ScenarioError::Check("no body-only segment".into()))?;
    if wrap {
        s.start = 0u32.wrapping_sub((segs[k].0 + segs[k].1 / 2) as u32);
    }
    let mut order: Vec<usize> = (0..segs.len()).filter(|&i| i != k).collect();
    order.push(k); // arrives last
    let sent: Vec<SentFrame> = order.iter().map(|&i| frames_of(&s, &segs[i..=i]).remove(0)).collect();
    let mut dev = SimRxDevice::new(&mut sim);
    installed(&mut dev, &s)?;
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let tally = scoreboard(std::slice::from_ref(&s), &sent, &got).map_err(ScenarioError::Check)?;
    let last = got.last().map(|g| g.meta.reason);
    ensure!(last == Some(RxReason::Old), "the late segment {k} is {last:?}, not Old");
    let next_hdr = *s.record_starts.iter().find(|&&h| h > segs[k].0).expect("a record after the lost segment");
    for (i, &si) in order.iter().enumerate().take(order.len() - 1) {
        let o = segs[si].0;
        let want = if si < k || o >= next_hdr { RxReason::Decrypted } else { RxReason::Partial };
        ensure!(
            got[i].meta.reason == want,
            "frame of segment {si} (offset {o}, lost {k}, next header at {next_hdr}): {:?}, not {want:?}",
            got[i].meta.reason
        );
    }
    let oos = dev.rx_counters().pass_oos;
    ensure!(oos == 0, "sync was lost: rx_tls_pass_oos {oos}");
    Ok(GapReport { start: s.start, lost: (k, segs.len()), tally })
}

/// Every split offset: a stream of `rec_len + 1` records of 40 data bytes
/// (69 bytes in TLS 1.2, 62 in TLS 1.3), record i cut into two segments
/// after byte (i mod record length) + 1, so that headers, TLS 1.2 explicit
/// nonces, bodies and tags are split at every offset. Every frame must be
/// decrypted; returns the number of frames.
pub fn rx_split_offsets_run(seed: u64, v: TlsVersion, c: Cipher) -> Result<u64, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = model(seed, 0.1)?;
    let mut s = RxStream::random(&mut r, 3, v == TlsVersion::V13, v, c, 0, 0);
    let rc = RecordCipher::new(&s.info).map_err(|e| ScenarioError::Check(format!("cipher: {e}")))?;
    let rec_len = 40 + v.overhead();
    for i in 0..rec_len + 1 {
        let data: Vec<u8> = (0..40).map(|b| (b + i) as u8).collect();
        let nonce = explicit_nonce(s.info.iv, i as u64);
        let plain = plaintext_record(v, 23, nonce, &data).map_err(|e| ScenarioError::Check(e.to_string()))?;
        let sealed = rc
            .seal(s.info.rec_seq + i as u64, 23, nonce, &data)
            .map_err(|e| ScenarioError::Check(format!("seal: {e}")))?;
        let mut d = sealed.clone();
        let body = v.prepend_size()..sealed.len() - 16;
        d[body.clone()].copy_from_slice(&plain[body]);
        s.record_starts.push(s.wire.len());
        s.wire.extend_from_slice(&sealed);
        s.dec.extend_from_slice(&d);
    }
    let mut segs = Vec::new();
    for (i, &h) in s.record_starts.iter().enumerate() {
        let k = i % rec_len + 1;
        segs.push((h, k));
        if k < rec_len {
            segs.push((h + k, rec_len - k));
        }
    }
    let sent = frames_of(&s, &segs);
    let mut dev = SimRxDevice::new(&mut sim);
    installed(&mut dev, &s)?;
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(std::slice::from_ref(&s), &sent, &got).map_err(ScenarioError::Check)?;
    let dec = t.count(RxReason::Decrypted);
    ensure!(dec == sent.len() as u64, "{dec} of {} frames decrypted: {:?}", sent.len(), t.by_reason);
    Ok(dec)
}

/// What [`rx_malformed_header_run`] did.
#[derive(Clone, Debug)]
pub struct MalformedReport {
    /// Index of the frame with the malformed header, of the frames sent.
    pub bad: (usize, usize),
    /// Resync requests answered after the loss of sync.
    pub answered: u64,
    /// Every frame's verdict, counted.
    pub tally: RxTally,
}

/// A malformed record header in sync: one connection (TLS 1.2, AES-128,
/// 90 records of up to 2000 bytes, segments of 700-1448 bytes) whose
/// sender wrote record `victim` (3-9 by seed) with version bytes 07 03.
/// The device checks a header when its last byte arrives and leaves that
/// frame unmarked (`BadRecord`, counted in
/// `rx_tls_bad_record` and `rx_tls_err`), loses sync, and regains it by
/// stream scan (requests answered by the oracle): the last frame is
/// decrypted again.
pub fn rx_malformed_header_run(seed: u64) -> Result<MalformedReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = model(seed, 0.05)?;
    let mut s = RxStream::random(&mut r, 7, seed.is_multiple_of(2), TlsVersion::V12, Cipher::Aes128Gcm, 90, 2000);
    let victim = r.gen_range(3..10);
    // the header is clear text in the delivered plaintext stream too
    let at = s.record_starts[victim] + 1;
    s.wire[at] = 0x07;
    s.dec[at] = 0x07;
    let segs = s.segments(&mut r, 700, 1448);
    let sent = frames_of(&s, &segs);
    let mut dev = SimRxDevice::new(&mut sim);
    let ctx = installed(&mut dev, &s)?;
    let run = run_with_oracle(&mut dev, std::slice::from_ref(&s), &[ctx], &sent, 2);
    let tally = scoreboard(std::slice::from_ref(&s), &sent, &run.got).map_err(ScenarioError::Check)?;
    // the header is checked when it is complete: in the frame of its last
    // byte (a frame before it, holding the header's first bytes, is
    // decrypted up to them)
    let bad = segs
        .iter()
        .position(|&(o, l)| s.record_starts[victim] + 4 < o + l)
        .expect("a segment holds the victim's header");
    let why = run.got[bad].meta.reason;
    ensure!(why == RxReason::BadRecord, "the frame of the malformed header ({bad}): {why:?}, not BadRecord");
    let c = dev.rx_counters();
    ensure!((c.bad_record, c.err) == (1, 1), "rx_tls_bad_record {}, rx_tls_err {}: expected 1, 1", c.bad_record, c.err);
    let back = run.got.last().is_some_and(|g| g.meta.decrypted);
    ensure!(run.answered >= 1 && back, "sync not regained: {} answers, last frame {:?}", run.answered, tally.by_reason);
    Ok(MalformedReport { bad: (bad, sent.len()), answered: run.answered, tally })
}
