//! RX offload on the Verilated `tls_offload_top`: classification, in-order
//! decryption of many interleaved connections, and the per-frame invariant
//! (marked ⇒ exact plaintext, unmarked ⇒ byte-identical) on every frame.

use rand::Rng;
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::types::{Cipher, DeviceError, TlsVersion};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{
    interleave, kind, run_with_oracle, run_with_oracle_ignoring, scoreboard, RxStream, SentFrame,
};
use tlsnic_testbench::rx_directed::{rx_gap_run, rx_malformed_header_run, rx_split_offsets_run};
use tlsnic_testbench::seed::{rng, test_seed};

/// In-order streams, 64 connections (half IPv6), both versions and key
/// sizes, segments of 1..9000 bytes, random backpressure on both RX ports:
/// every frame with TLS payload is marked and carries the exact plaintext.
#[test]
fn rx_in_order_streams_are_all_decrypted() {
    let seed = test_seed("rx_in_order_streams_are_all_decrypted");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x5eed, 0.1, 0.1);
    let mut dev = SimRxDevice::new(&mut sim);
    let n = 64;
    let streams: Vec<RxStream> = (0..n)
        .map(|i| {
            let (v, c) = kind(i);
            let recs = r.gen_range(2..8);
            RxStream::random(&mut r, i as u16, i % 2 == 1, v, c, recs, 6000)
        })
        .collect();
    for s in &streams {
        dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("context installed");
    }
    let per_conn: Vec<Vec<SentFrame>> = streams
        .iter()
        .enumerate()
        .map(|(c, s)| {
            let (lo, hi) = match c % 3 {
                0 => (1, 40),
                1 => (1, 1448),
                _ => (1000, 9000),
            };
            s.sent_frames(c, &mut r, lo, hi)
        })
        .collect();
    let sent = interleave(&mut r, per_conn);
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(&streams, &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let c = dev.rx_counters();
    eprintln!("seed {seed}: {} frames, {:?}, counters {:?}", t.frames, t.by_reason, c);
    assert_eq!(t.count(RxReason::Decrypted), sent.len() as u64, "seed {seed}: every frame decrypted");
    assert_eq!(c.decrypted_packets, t.count(RxReason::Decrypted));
    assert_eq!(c.decrypted_bytes, t.decrypted_bytes);
    assert_eq!(c.ctx_add, n as u64);
}

/// Frames the device must not touch: bad IPv4 header checksum, bad TCP
/// checksum, no flow, not TCP, no payload, an old segment. Each passes
/// byte-identical, unmarked, with its reason, and is counted.
#[test]
fn rx_classification_passes_and_counts() {
    let seed = test_seed("rx_classification_passes_and_counts");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let mut dev = SimRxDevice::new(&mut sim);
    let a = RxStream::random(&mut r, 1, false, TlsVersion::V12, Cipher::Aes128Gcm, 3, 2000);
    let b = RxStream::random(&mut r, 2, true, TlsVersion::V13, Cipher::Aes256Gcm, 3, 2000);
    let stranger = RxStream::random(&mut r, 3, false, TlsVersion::V12, Cipher::Aes128Gcm, 2, 500);
    for s in [&a, &b] {
        dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
    }
    // Installing the same 4-tuple twice is refused.
    assert!(matches!(dev.rx_add(a.flow, &a.info, a.start, RxResyncMode::StreamScan), Err(DeviceError::Rejected(_))));
    let mut sent = Vec::new();
    let mut expect = Vec::new();
    let mut push = |bytes: Vec<u8>, origin, why: RxReason| {
        sent.push(SentFrame { bytes, origin });
        expect.push(why);
    };
    let seg_a = a.segments(&mut r, 100, 1400);
    let (o0, l0) = seg_a[0];
    // IPv4 header checksum broken
    let mut f = a.frame(o0, l0);
    f[24] ^= 0x40;
    push(f, None, RxReason::Checksum);
    // TCP checksum broken (payload byte flipped)
    let mut f = a.frame(o0, l0);
    let last = f.len() - 1;
    f[last] ^= 1;
    push(f, None, RxReason::Checksum);
    // the good frame, then the rest of the stream
    for &(o, l) in &seg_a {
        push(a.frame(o, l), Some((0, o)), RxReason::Decrypted);
    }
    // a retransmission of the first segment: old
    push(a.frame(o0, l0), Some((0, o0)), RxReason::Old);
    // no flow
    let (so, sl) = stranger.segments(&mut r, 100, 900)[0];
    push(stranger.frame(so, sl), None, RxReason::NoFlow);
    // no payload (pure ACK of flow b)
    push(b.tmpl.build(b.start, &[]).unwrap(), None, RxReason::NoPayload);
    // not TCP: UDP protocol number in an otherwise valid IPv4 frame
    let mut f = stranger.frame(so, sl);
    f[23] = 17;
    let (s, e) = (14, 34);
    f[24] = 0;
    f[25] = 0;
    let ck = tlsnic_driver::tcp::ipv4_header_checksum(&f[s..e]);
    f[24..26].copy_from_slice(&ck.to_be_bytes());
    push(f, None, RxReason::Parse);
    // a truncated frame
    let f = a.frame(o0, l0);
    push(f[..40].to_vec(), None, RxReason::Parse);
    for (o, l) in b.segments(&mut r, 1, 3000) {
        push(b.frame(o, l), Some((1, o)), RxReason::Decrypted);
    }
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(&[a, b, stranger], &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    for (i, (g, want)) in got.iter().zip(&expect).enumerate() {
        assert_eq!(g.meta.reason, *want, "seed {seed}: frame {i}");
    }
    let c = dev.rx_counters();
    assert_eq!(c.pass_csum, t.count(RxReason::Checksum));
    assert_eq!(c.pass_no_flow, t.count(RxReason::NoFlow));
    assert_eq!(c.pass_no_payload, t.count(RxReason::NoPayload));
    assert_eq!(c.pass_parse, t.count(RxReason::Parse));
    assert_eq!(c.pass_old, t.count(RxReason::Old));
    assert_eq!(c.decrypted_packets, t.count(RxReason::Decrypted));
    assert_eq!((c.pass_csum, c.pass_no_flow, c.pass_no_payload, c.pass_parse, c.pass_old), (2, 1, 1, 2, 1));
}

fn one_conn(seed: u64, v: TlsVersion, c: Cipher, records: usize, max_data: usize) -> (Sim, RxStream) {
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0xb0b, 0.05, 0.05);
    let s = RxStream::random(&mut r, 7, seed.is_multiple_of(2), v, c, records, max_data);
    (sim, s)
}

fn frames_of(s: &RxStream, segs: &[(usize, usize)]) -> Vec<SentFrame> {
    segs.iter().map(|&(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) }).collect()
}

/// "Reorder of non-header segment": a segment inside a record body is
/// lost; the next one is passed (partial) and the device resumes at the next
/// header without losing sync. The lost segment arriving late is old
/// (`tlsnic_testbench::rx_directed::rx_gap_run`).
#[test]
fn rx_gap_inside_a_record_keeps_sync() {
    let seed = test_seed("rx_gap_inside_a_record_keeps_sync");
    let rep = rx_gap_run(seed, false).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: lost segment {:?}: {:?}", rep.lost, rep.tally.by_reason);
}

/// A lost segment that holds a header: sync is lost, the device scans,
/// asks for confirmation, and after the answer decrypts again; each
/// version and key size. Reports the records it took to resync.
#[test]
fn rx_lost_header_resyncs_by_stream_scan() {
    let seed = test_seed("rx_lost_header_resyncs_by_stream_scan");
    for (i, (v, c)) in (0..4).map(kind).enumerate() {
        let (mut sim, s) = one_conn(seed.wrapping_add(i as u64), v, c, 90, 3000);
        let mut r = rng(seed ^ i as u64);
        let segs = s.segments(&mut r, 700, 1448);
        let k = s.header_segment(&segs, 2..segs.len()).expect("a segment with a header inside");
        let keep: Vec<(usize, usize)> = segs.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, &x)| x).collect();
        let sent = frames_of(&s, &keep);
        let mut dev = SimRxDevice::new(&mut sim);
        let ctx = dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
        let run = run_with_oracle(&mut dev, std::slice::from_ref(&s), &[ctx], &sent, 3);
        let t = scoreboard(std::slice::from_ref(&s), &sent, &run.got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let lost_at = segs[k].0;
        let first_dec_after =
            keep.iter().zip(&run.got).position(|(&(o, _), g)| o > lost_at && g.meta.decrypted).map(|p| keep[p].0);
        let recs = first_dec_after.map(|o| s.record_starts.iter().filter(|&&h| h > lost_at && h < o).count());
        eprintln!(
            "seed {seed} {v:?} {c:?}: lost segment {k}/{}, answered {} false {}, records to resync {recs:?}, {:?}",
            segs.len(),
            run.answered,
            run.false_guesses,
            t.by_reason
        );
        assert!(run.answered >= 1, "seed {seed}: no resync request answered");
        assert!(first_dec_after.is_some(), "seed {seed}: never decrypted again");
        // From the first decrypted frame after the loss on, everything is decrypted.
        let p = keep.iter().position(|&(o, _)| Some(o) == first_dec_after).unwrap();
        assert!(run.got[p..].iter().all(|g| g.meta.decrypted || g.meta.reason == RxReason::Partial), "seed {seed}");
        assert!(run.got[p + 2..].iter().all(|g| g.meta.decrypted), "seed {seed}");
        let cnt = dev.rx_counters();
        assert_eq!(cnt.resync_ok, run.answered);
        assert_eq!(cnt.resync_req_pkt, t.resync_req);
    }
}

/// Stack-driven mode: no scan; after a lost header the host pushes the
/// sequence and record number of a later record and decryption resumes
/// there.
#[test]
fn rx_stack_driven_resync() {
    let seed = test_seed("rx_stack_driven_resync");
    let (mut sim, s) = one_conn(seed, TlsVersion::V13, Cipher::Aes256Gcm, 30, 3000);
    let mut r = rng(seed ^ 2);
    let segs = s.segments(&mut r, 700, 1448);
    let k = s.header_segment(&segs, 2..segs.len() / 2).expect("a segment with a header inside");
    let keep: Vec<(usize, usize)> = segs.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, &x)| x).collect();
    let sent = frames_of(&s, &keep);
    let mut dev = SimRxDevice::new(&mut sim);
    let ctx = dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StackDriven).expect("installed");
    let split = k + 4;
    let mut got = dev.rx_frames(sent[..split].iter().map(|f| f.bytes.clone()).collect());
    assert!(got[k..split].iter().all(|g| g.meta.reason == RxReason::OutOfSync), "seed {seed}: {:?}", &got[k..]);
    // push the first record that starts after the frames seen so far
    let seen_end = keep[split - 1].0 + keep[split - 1].1;
    let (ri, &roff) = s.record_starts.iter().enumerate().find(|&(_, &h)| h >= seen_end).expect("a later record");
    dev.rx_resync(ctx, s.start.wrapping_add(roff as u32), s.info.rec_seq + ri as u64).expect("resync");
    got.extend(dev.rx_frames(sent[split..].iter().map(|f| f.bytes.clone()).collect()));
    let t = scoreboard(std::slice::from_ref(&s), &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: {:?}", t.by_reason);
    for (i, &(o, l)) in keep.iter().enumerate().skip(split) {
        if o >= roff {
            assert!(got[i].meta.decrypted, "seed {seed}: frame {i} at {o}+{l}: {:?}", got[i].meta);
        }
    }
    assert_eq!(t.resync_req, 0, "stack-driven contexts never ask");
}

/// A tampered tag: the frame where that record ends is unmarked
/// (authentication failure, counted in rx_tls_err) and the next records
/// decrypt normally.
#[test]
fn rx_tampered_tag_fails_only_its_frame() {
    let seed = test_seed("rx_tampered_tag_fails_only_its_frame");
    let (mut sim, mut s) = one_conn(seed, TlsVersion::V12, Cipher::Aes256Gcm, 10, 4000);
    let victim = 4;
    let tag_end = s.record_starts[victim + 1] - 1;
    // a tag byte changed on the wire: tags stay as received in a marked
    // frame, so the expected decrypted stream carries the change too (the
    // byte may sit in a frame marked before the frame where the tag ends)
    s.wire[tag_end - 3] ^= 0x80;
    s.dec[tag_end - 3] ^= 0x80;
    let mut r = rng(seed ^ 3);
    let segs = s.segments(&mut r, 300, 1448);
    let sent = frames_of(&s, &segs);
    let mut dev = SimRxDevice::new(&mut sim);
    dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(std::slice::from_ref(&s), &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let bad = segs.iter().position(|&(o, l)| tag_end >= o && tag_end < o + l).unwrap();
    for (i, g) in got.iter().enumerate() {
        if i == bad {
            assert_eq!(g.meta.reason, RxReason::AuthFail, "seed {seed}");
        } else {
            assert!(g.meta.decrypted, "seed {seed}: frame {i}: {:?}", g.meta);
        }
    }
    let c = dev.rx_counters();
    assert_eq!((c.auth_fail, c.err), (1, 1));
    assert_eq!(t.count(RxReason::AuthFail), 1);
}

/// A host that never answers the first request: the device drops its guess
/// after RESYNC_PATIENCE records, scans again, asks again, and resyncs on
/// the answer to the second request.
#[test]
fn rx_unanswered_request_restarts_the_scan() {
    let seed = test_seed("rx_unanswered_request_restarts_the_scan");
    let (mut sim, s) = one_conn(seed, TlsVersion::V12, Cipher::Aes128Gcm, 160, 1500);
    let mut r = rng(seed ^ 4);
    let segs = s.segments(&mut r, 700, 1448);
    let k = s.header_segment(&segs, 2..segs.len()).expect("a segment with a header inside");
    let keep: Vec<(usize, usize)> = segs.iter().enumerate().filter(|&(j, _)| j != k).map(|(_, &x)| x).collect();
    let sent = frames_of(&s, &keep);
    let mut dev = SimRxDevice::new(&mut sim);
    let ctx = dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
    let run = run_with_oracle_ignoring(&mut dev, std::slice::from_ref(&s), &[ctx], &sent, 2, 1);
    let t = scoreboard(std::slice::from_ref(&s), &sent, &run.got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let c = dev.rx_counters();
    eprintln!("seed {seed}: {:?}, ignored {} answered {}, counters {c:?}", t.by_reason, run.ignored, run.answered);
    assert_eq!(run.ignored, 1);
    assert!(c.scan_restart >= 1, "seed {seed}: the scan must restart");
    assert!(run.answered >= 1, "seed {seed}: a second request is answered");
    assert!(run.got.last().unwrap().meta.decrypted, "seed {seed}: decrypting again at the end");
}

/// The context is installed at a record that starts inside a segment
/// (`start_offload_tcp_sn` in the middle of a frame): frames before it pass
/// as old, the frame holding it is partial (its first bytes belong to an
/// earlier record), and every frame after is decrypted.
#[test]
fn rx_offload_starts_inside_a_segment() {
    let seed = test_seed("rx_offload_starts_inside_a_segment");
    let (mut sim, mut s) = one_conn(seed, TlsVersion::V13, Cipher::Aes128Gcm, 20, 3000);
    let mut r = rng(seed ^ 5);
    let segs = s.segments(&mut r, 200, 1448);
    // the first record start strictly inside a segment, after segment 0
    let (si, first) = segs
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, &(o, l))| s.record_starts.iter().position(|&h| h > o && h < o + l).map(|ri| (i, ri)))
        .expect("a record start inside a segment");
    let start_off = s.record_starts[first];
    let mut info = s.info.clone();
    info.rec_seq += first as u64;
    s.info = info.clone();
    let sent = frames_of(&s, &segs);
    let mut dev = SimRxDevice::new(&mut sim);
    dev.rx_add(s.flow, &info, s.start.wrapping_add(start_off as u32), RxResyncMode::StreamScan).expect("installed");
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    // the scoreboard's expectation does not depend on where offload starts
    scoreboard(std::slice::from_ref(&s), &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    for (i, g) in got.iter().enumerate() {
        let want = match i.cmp(&si) {
            std::cmp::Ordering::Less => RxReason::Old,
            std::cmp::Ordering::Equal => RxReason::Partial,
            std::cmp::Ordering::Greater => RxReason::Decrypted,
        };
        assert_eq!(g.meta.reason, want, "seed {seed}: frame {i} (start in frame {si})");
    }
}

/// A record header changed in flight with a valid TCP checksum: the device
/// finds a malformed header in sync, leaves the frame unmarked (rx_tls_err),
/// loses sync, and regains it by stream scan
/// (`tlsnic_testbench::rx_directed::rx_malformed_header_run`).
#[test]
fn rx_malformed_header_loses_sync_and_recovers() {
    let seed = test_seed("rx_malformed_header_loses_sync_and_recovers");
    let rep = rx_malformed_header_run(seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: malformed frame {:?}, {} answers: {:?}", rep.bad, rep.answered, rep.tally.by_reason);
}

/// A frame with a bad TCP checksum right behind a good frame of the same
/// connection (the record may be carried open into it), then its good
/// retransmission: the bad copy is unmarked (checksum), sync is never lost,
/// at most the frames up to the next header are partial, and every other
/// frame is decrypted.
#[test]
fn rx_bad_checksum_inside_a_carried_record() {
    let seed = test_seed("rx_bad_checksum_inside_a_carried_record");
    let (mut sim, mut s) = one_conn(seed, TlsVersion::V12, Cipher::Aes128Gcm, 0, 0);
    sim.set_backpressure(seed, 0.0, 0.0);
    let mut r = rng(seed ^ 7);
    // Records of at least 3000 bytes: each holds a 1448-byte segment with
    // no header in or right after it (random lengths from 0 left some
    // seeds without one).
    for _ in 0..8 {
        let data: Vec<u8> = (0..r.gen_range(3000..16384)).map(|_| r.gen()).collect();
        s.push_record(23, &data);
    }
    let segs = s.segments(&mut r, 1448, 1448);
    let k = (2..segs.len() - 2)
        .find(|&k| {
            let (o, l) = segs[k];
            !s.record_starts.iter().any(|&h| h < o + l + 5 && h + 5 > o)
        })
        .expect("a body-only segment");
    let mut sent = frames_of(&s, &segs[..k]);
    let mut bad = s.frame(segs[k].0, segs[k].1);
    let last = bad.len() - 1;
    bad[last] ^= 0x10;
    sent.push(SentFrame { bytes: bad, origin: None });
    sent.extend(frames_of(&s, &segs[k..]));
    let mut dev = SimRxDevice::new(&mut sim);
    dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
    let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(std::slice::from_ref(&s), &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: {:?}", t.by_reason);
    assert_eq!(got[k].meta.reason, RxReason::Checksum, "seed {seed}");
    let next_hdr = *s.record_starts.iter().find(|&&h| h > segs[k].0).unwrap();
    for (i, g) in got.iter().enumerate() {
        if i == k {
            continue;
        }
        let o = if i < k { segs[i].0 } else { segs[i - 1].0 };
        if g.meta.reason == RxReason::Partial {
            assert!(i > k && o < next_hdr, "seed {seed}: frame {i} at {o} partial after the next header {next_hdr}");
        } else {
            assert!(g.meta.decrypted, "seed {seed}: frame {i}: {:?}", g.meta);
        }
    }
    assert_eq!(dev.rx_counters().pass_oos, 0);
}

/// Every split offset: record i of the stream is cut into two segments at
/// byte (i mod record length) + 1, so headers, TLS 1.2 explicit nonces,
/// bodies and tags are split at every offset; every frame is decrypted
/// (`tlsnic_testbench::rx_directed::rx_split_offsets_run`).
#[test]
fn rx_records_split_at_every_offset() {
    let seed = test_seed("rx_records_split_at_every_offset");
    for (v, c) in [(TlsVersion::V12, Cipher::Aes128Gcm), (TlsVersion::V13, Cipher::Aes256Gcm)] {
        let n = rx_split_offsets_run(seed, v, c).unwrap_or_else(|e| panic!("seed {seed} {v:?}: {e}"));
        eprintln!("seed {seed} {v:?}: {n} frames decrypted");
    }
}
