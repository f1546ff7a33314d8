//! RX offload on the Verilated `tls_offload_top`: classification, in-order
//! decryption of many interleaved connections, and the per-frame invariant
//! (marked ⇒ exact plaintext, unmarked ⇒ byte-identical) on every frame.

use rand::Rng;
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::types::{Cipher, DeviceError, TlsVersion};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{interleave, scoreboard, RxStream, SentFrame, SimRxDevice};
use tlsnic_testbench::seed::{rng, test_seed};

fn kind(i: usize) -> (TlsVersion, Cipher) {
    match i % 4 {
        0 => (TlsVersion::V12, Cipher::Aes128Gcm),
        1 => (TlsVersion::V13, Cipher::Aes128Gcm),
        2 => (TlsVersion::V12, Cipher::Aes256Gcm),
        _ => (TlsVersion::V13, Cipher::Aes256Gcm),
    }
}

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
            s.segments(&mut r, lo, hi)
                .into_iter()
                .map(|(off, len)| SentFrame { bytes: s.frame(off, len), origin: Some((c, off)) })
                .collect()
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
