//! Tests written for RTL mutants of `make mutate` (docs/mutate.md) that the
//! rest of the suite let survive: each checks a behaviour the other tests
//! leave to chance, against the `aes-gcm` reference (through the RX stream
//! generator and scoreboard), never against values taken from the RTL.

use rand::Rng;
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{kind, run_with_oracle, scoreboard, RxStream, SentFrame};
use tlsnic_testbench::rx_directed::rx_gap_run;
use tlsnic_testbench::seed::{rng, test_seed};

fn frames_of(s: &RxStream, segs: &[(usize, usize)]) -> Vec<SentFrame> {
    segs.iter().map(|&(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) }).collect()
}

/// Record numbers near the top of the 64-bit range and across the 2^32,
/// 2^40, 2^48 and 2^56 boundaries (the generator draws them below 2^40): a
/// record counter kept or carried in fewer than 64 bits, or a TLS 1.3 nonce
/// that drops its upper bytes, decrypts some of these records wrongly. Each
/// version and key size; every frame must be decrypted to the reference
/// plaintext.
#[test]
fn rx_record_numbers_across_wide_boundaries_decrypt() {
    let seed = test_seed("rx_record_numbers_across_wide_boundaries_decrypt");
    let mut r = rng(seed);
    let starts = [(1u64 << 32) - 2, (1u64 << 40) - 2, (1u64 << 48) - 2, (1u64 << 56) - 2, u64::MAX - 6];
    for (i, &first) in starts.iter().enumerate() {
        let (v, c) = kind(i + r.gen_range(0..4));
        let mut sim = Sim::new(Top::TlsOffload).expect("model");
        sim.reset(8);
        let mut s = RxStream::random(&mut r, 3, i % 2 == 1, v, c, 0, 0);
        s.info.rec_seq = first;
        for _ in 0..5 {
            let data: Vec<u8> = (0..r.gen_range(1..700)).map(|_| r.gen()).collect();
            s.push_record(23, &data);
        }
        let segs = s.segments(&mut r, 200, 1448);
        let sent = frames_of(&s, &segs);
        let mut dev = SimRxDevice::new(&mut sim);
        dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
        let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
        let t = scoreboard(std::slice::from_ref(&s), &sent, &got)
            .unwrap_or_else(|e| panic!("seed {seed}: {v:?} {c:?}, first record number {first:#x}: {e}"));
        assert_eq!(
            t.count(RxReason::Decrypted),
            sent.len() as u64,
            "seed {seed}: {v:?} {c:?}, first record number {first:#x}: every frame decrypted ({:?})",
            t.by_reason
        );
    }
}

/// A stream whose TCP sequence numbers wrap past 2^32 in the middle of a
/// body-only segment that is lost and arrives last: as in
/// `rx_gap_inside_a_record_keeps_sync`, the frames after the gap up to the
/// next header are partial, every later one is decrypted, the late segment
/// is old, and sync is never lost. A sequence compare without wrap-around
/// takes the frames after the wrap for old ones.
#[test]
fn rx_gap_across_the_sequence_wrap_keeps_sync() {
    let seed = test_seed("rx_gap_across_the_sequence_wrap_keeps_sync");
    let rep = rx_gap_run(seed, true).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: start {:#x}, lost segment {:?}: {:?}", rep.start, rep.lost, rep.tally.by_reason);
    assert!(rep.start > u32::MAX - 200_000, "seed {seed}: the stream starts near the wrap");
}

/// Stream-scan resync (docs/rx.md): after a lost header the device scans,
/// finds a candidate, asks, and keeps following headers until the answer.
/// A segment lost inside a record body while it follows them hides no
/// header, so the device must resume at the next header it predicted and
/// not restart the scan; the answer, given only after that gap, resyncs
/// it. A wrong prediction of the next header while tracking restarts the
/// scan here (rx_tls_scan_restart) and the answer is ignored. Streams that
/// hold a header-like pattern (type 0x14..0x18, version 03 03) anywhere but
/// at a record start are not used: a false candidate restarts the scan
/// legitimately.
#[test]
fn rx_gap_while_tracking_a_candidate_keeps_tracking() {
    let seed = test_seed("rx_gap_while_tracking_a_candidate_keeps_tracking");
    let mut r = rng(seed);
    // the scan starts more than one maximum record past the loss (docs/rx.md)
    const MAX_REC_SPAN: usize = 5 + 16384 + 256;
    for (v, c) in [kind(r.gen_range(0..4)), kind(r.gen_range(0..4))] {
        let (s, segs) = loop {
            let v6 = r.gen_bool(0.5);
            let mut s = RxStream::random(&mut r, 9, v6, v, c, 0, 0);
            for _ in 0..40 {
                let data: Vec<u8> = (0..r.gen_range(1000..3000)).map(|_| r.gen()).collect();
                s.push_record(23, &data);
            }
            let false_hdr = (0..s.wire.len() - 2).any(|o| {
                (0x14..=0x18).contains(&s.wire[o]) && s.wire[o + 1..o + 3] == [3, 3] && !s.record_starts.contains(&o)
            });
            if !false_hdr {
                let segs = s.segments(&mut r, 700, 1448);
                break (s, segs);
            }
        };
        let k1 = s.header_segment(&segs, 2..10).expect("a segment with a header inside");
        let scan_from = segs[k1].0 + MAX_REC_SPAN;
        // the candidate and the confirming header are the first two record
        // starts after the scan may start; the gap comes after the next one
        let after: Vec<usize> = s.record_starts.iter().copied().filter(|&h| h > scan_from).collect();
        let k2 = (k1 + 1..segs.len() - 1)
            .find(|&k| {
                let (o, l) = segs[k];
                o > after[2] + 5
                    && !s.record_starts.iter().any(|&h| h < o + l && h + 5 > o)
                    && !s.record_starts.contains(&(o + l))
            })
            .expect("a body-only segment after the candidate");
        let keep: Vec<(usize, usize)> =
            segs.iter().enumerate().filter(|&(j, _)| j != k1 && j != k2).map(|(_, &x)| x).collect();
        let sent = frames_of(&s, &keep);
        let mut sim = Sim::new(Top::TlsOffload).expect("model");
        sim.reset(8);
        let mut dev = SimRxDevice::new(&mut sim);
        let ctx = dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
        // the first batch ends just after the gap: requests are answered
        // only then
        let batch = keep.iter().position(|&(o, _)| o > segs[k2].0).expect("a frame after the gap") + 1;
        let run = run_with_oracle(&mut dev, std::slice::from_ref(&s), &[ctx], &sent, batch);
        let t = scoreboard(std::slice::from_ref(&s), &sent, &run.got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let cnt = dev.rx_counters();
        eprintln!(
            "seed {seed} {v:?} {c:?}: lost segments {k1} and {k2} of {}, answered {}, {:?}, counters {cnt:?}",
            segs.len(),
            run.answered,
            t.by_reason
        );
        assert_eq!(cnt.scan_restart, 0, "seed {seed} {v:?} {c:?}: a gap that hides no header restarted the scan");
        assert!(run.answered >= 1, "seed {seed} {v:?} {c:?}: no request answered");
        assert_eq!(cnt.resync_ok, run.answered, "seed {seed} {v:?} {c:?}: the answer was not taken");
        assert!(run.got.last().unwrap().meta.decrypted, "seed {seed} {v:?} {c:?}: decrypting again at the end");
    }
}

/// A tag split over two frames whose first part is wrong (a byte of the
/// first 8 tag bytes changed on the wire, the cut after them): the frame
/// where the tag ends must fail authentication, as when the change is in
/// the last bytes (`rx_tampered_tag_fails_only_its_frame`); a mismatch in
/// the earlier part must not be forgotten between the frames. Each tag byte
/// of the first part in turn.
#[test]
fn rx_tampered_first_part_of_a_split_tag_fails_its_record() {
    let seed = test_seed("rx_tampered_first_part_of_a_split_tag_fails_its_record");
    let mut r = rng(seed);
    for byte in 0..8 {
        let (v, c) = kind(r.gen_range(0..4));
        let mut sim = Sim::new(Top::TlsOffload).expect("model");
        sim.reset(8);
        let v6 = r.gen_bool(0.5);
        let mut s = RxStream::random(&mut r, 11, v6, v, c, 0, 0);
        for _ in 0..6 {
            let data: Vec<u8> = (0..r.gen_range(100..2000)).map(|_| r.gen()).collect();
            s.push_record(23, &data);
        }
        let victim = 3;
        let tag_start = s.record_starts[victim + 1] - 16;
        let tag_end = tag_start + 15;
        // tag bytes stay as received in a marked frame: the expected
        // decrypted stream carries the change too
        s.wire[tag_start + byte] ^= 0x40;
        s.dec[tag_start + byte] ^= 0x40;
        // segments of 100..1448 bytes, one of them ending after tag byte 7
        let cut = tag_start + 8;
        let mut segs = Vec::new();
        let mut off = 0;
        while off < s.wire.len() {
            let mut n = r.gen_range(100..=1448).min(s.wire.len() - off);
            if off < cut && off + n > cut {
                n = cut - off;
            }
            segs.push((off, n));
            off += n;
        }
        let sent = frames_of(&s, &segs);
        let mut dev = SimRxDevice::new(&mut sim);
        dev.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan).expect("installed");
        let got = dev.rx_frames(sent.iter().map(|f| f.bytes.clone()).collect());
        let t = scoreboard(std::slice::from_ref(&s), &sent, &got)
            .unwrap_or_else(|e| panic!("seed {seed}: tag byte {byte}: {e}"));
        let bad = segs.iter().position(|&(o, l)| tag_end >= o && tag_end < o + l).unwrap();
        for (i, g) in got.iter().enumerate() {
            if i == bad {
                assert_eq!(g.meta.reason, RxReason::AuthFail, "seed {seed}: tag byte {byte}: frame {i}");
            } else {
                assert!(g.meta.decrypted, "seed {seed}: tag byte {byte}: frame {i}: {:?}", g.meta);
            }
        }
        let cnt = dev.rx_counters();
        assert_eq!((cnt.auth_fail, cnt.err), (1, 1), "seed {seed}: tag byte {byte}");
        assert_eq!(t.count(RxReason::AuthFail), 1, "seed {seed}: tag byte {byte}");
    }
}
