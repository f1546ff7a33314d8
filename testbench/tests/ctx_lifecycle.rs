//! Context life cycle under live traffic on the Verilated device: install
//! until the table is full, further connections in software, delete and
//! reuse slots while frames flow. Application bytes exact for every
//! connection, no frame decrypted with a stale context, every counter equal
//! to the testbench's own count.

use rand::Rng;
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig, SockId};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::csr;
use tlsnic_testbench::rx::{interleave, kind, scoreboard, RxStream, SentFrame, SimRxDevice};
use tlsnic_testbench::seed::{rng, test_seed};

#[test]
fn rx_table_full_delete_and_reuse_under_traffic() {
    let seed = test_seed("rx_table_full_delete_and_reuse_under_traffic");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x11fe, 0.05, 0.05);
    let n_ctx = sim.csr_read(0x0008).expect("N_CTX") as usize;
    // Keys never read back: every key/IV register reads the no-register value.
    for a in (csr::KEY..csr::KEY + 32).step_by(4).chain((csr::IV..csr::IV + 12).step_by(4)) {
        assert_eq!(sim.csr_read(a).unwrap(), 0xDEAD_BEEF);
    }
    let first = n_ctx + 8; // 8 connections beyond the table
    let later = 12; // opened after deletes, reusing slots
    let total = first + later;
    let streams: Vec<RxStream> = (0..total)
        .map(|i| {
            let (v, c) = kind(i);
            let recs = r.gen_range(3..6);
            RxStream::random(&mut r, i as u16, i % 3 == 0, v, c, recs, 2500)
        })
        .collect();
    let frames_of = |c: usize, s: &RxStream, r: &mut rand_chacha::ChaCha8Rng| -> Vec<SentFrame> {
        s.segments(r, 1, 1448)
            .into_iter()
            .map(|(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((c, o)) })
            .collect()
    };
    let mut drv = RxDriver::new(SimRxDevice::new(&mut sim), RxDriverConfig::default());
    let mut socks: Vec<SockId> = Vec::new();
    for s in &streams[..first] {
        socks.push(drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan));
    }
    let offloaded: Vec<bool> = socks.iter().map(|&k| drv.offloaded(k)).collect();
    assert_eq!(offloaded.iter().filter(|&&o| o).count(), n_ctx, "seed {seed}: the table holds N_CTX contexts");
    assert!(offloaded[n_ctx..].iter().all(|&o| !o), "seed {seed}: later connections stay in software");

    // Phase 1: the first half of every stream.
    let mut per: Vec<Vec<SentFrame>> = (0..first).map(|c| frames_of(c, &streams[c], &mut r)).collect();
    let rest: Vec<Vec<SentFrame>> = per.iter_mut().map(|v| v.split_off(v.len() / 2)).collect();
    let mut sent = interleave(&mut r, per);
    let mut got = Vec::new();
    for chunk in sent.chunks(32) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    // Phase 2: close 12 offloaded connections whose streams are complete
    // in software terms (their remaining frames still arrive: they must
    // pass unmarked, no flow), and open 12 new connections into the freed
    // slots, while the other connections keep sending.
    let victims: Vec<usize> = (0..n_ctx).step_by(5).take(later).collect();
    for &v in &victims {
        drv.close(socks[v]).expect("tls_dev_del");
    }
    for s in &streams[first..] {
        let k = drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan);
        assert!(drv.offloaded(k), "seed {seed}: a freed slot is reused");
        socks.push(k);
    }
    let mut per2: Vec<Vec<SentFrame>> = rest;
    for (c, s) in streams.iter().enumerate().skip(first) {
        per2.push(frames_of(c, s, &mut r));
    }
    let phase2 = interleave(&mut r, per2);
    let phase1 = sent.len();
    for chunk in phase2.chunks(32) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    sent.extend(phase2);
    let t = scoreboard(&streams, &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    // Frames of closed connections after their close: their 4-tuple is
    // gone, so they pass unmarked as "no flow", never decrypted.
    for (f, g) in sent[phase1..].iter().zip(&got[phase1..]) {
        if f.origin.is_some_and(|(c, _)| victims.contains(&c)) {
            assert_eq!(g.meta.reason, RxReason::NoFlow, "seed {seed}: a closed connection's frame");
        }
    }
    // Application bytes: every open connection exact; victims got their
    // first half (the stack drops frames of a closed socket).
    for (c, &k) in socks.iter().enumerate() {
        let app = drv.read_app(k);
        assert_eq!(drv.socket_error(k), None, "seed {seed}: conn {c}");
        if victims.contains(&c) {
            assert!(streams[c].app.starts_with(&app), "seed {seed}: conn {c} prefix");
        } else {
            assert!(app == streams[c].app, "seed {seed}: conn {c}: {} of {} bytes", app.len(), streams[c].app.len());
        }
    }
    // Counters against the testbench's own counts.
    let dev = drv.device().rx_counters();
    let adds = n_ctx + later;
    assert_eq!(dev.ctx_add, adds as u64, "seed {seed}: rx_tls_ctx");
    assert_eq!(dev.ctx_del, victims.len() as u64, "seed {seed}: rx_tls_del");
    assert_eq!(dev.ctx_full, (first - n_ctx) as u64, "seed {seed}: table-full refusals");
    assert_eq!(dev.decrypted_packets, t.count(RxReason::Decrypted), "seed {seed}");
    assert_eq!(dev.decrypted_bytes, t.decrypted_bytes, "seed {seed}");
    assert_eq!(dev.pass_no_flow, t.count(RxReason::NoFlow), "seed {seed}");
    let sw_frames: u64 =
        sent.iter().filter(|f| f.origin.is_some_and(|(c, _)| (n_ctx..first).contains(&c))).count() as u64;
    assert!(dev.pass_no_flow >= sw_frames, "seed {seed}: software connections' frames have no flow");
    eprintln!(
        "seed {seed}: {} frames, {:?}; adds {} (full {}), deletes {}",
        t.frames, t.by_reason, dev.ctx_add, dev.ctx_full, dev.ctx_del
    );
}
