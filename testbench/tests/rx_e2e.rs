//! RX end to end: many connections through an impaired network, the
//! Verilated device and the host's kTLS RX model. The application bytes of
//! every connection must come out exact (or the connection must report the
//! authentication failure where a byte was changed undetectably), whatever
//! the device decrypted; every frame obeys the per-frame invariant.

use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig, SockId};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{impair, interleave, kind, scoreboard, Impair, RxStream, SentFrame, SimRxDevice};
use tlsnic_testbench::seed::{rng, test_seed};

struct Outcome {
    records: u64,
    records_device: u64,
    records_mixed: u64,
    resync_ok: u64,
    frames: u64,
    decrypted_frames: u64,
}

fn run(name: &str, conns: usize, records: usize, cfg: Impair, mode: RxResyncMode, delay: usize) -> Outcome {
    let seed = test_seed(name);
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0xbacc, 0.05, 0.05);
    let streams: Vec<RxStream> = (0..conns)
        .map(|i| {
            let (v, c) = kind(i);
            RxStream::random(&mut r, i as u16, i % 2 == 1, v, c, records, 4000)
        })
        .collect();
    let per_conn: Vec<Vec<SentFrame>> = streams
        .iter()
        .enumerate()
        .map(|(c, s)| {
            s.segments(&mut r, 1, 1448)
                .into_iter()
                .map(|(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((c, o)) })
                .collect()
        })
        .collect();
    let wire = interleave(&mut r, per_conn);
    let (sent, log) = impair(&mut r, &streams, wire, cfg);
    let mut drv =
        RxDriver::new(SimRxDevice::new(&mut sim), RxDriverConfig { resync_answer_delay: delay, ..Default::default() });
    let socks: Vec<SockId> = streams.iter().map(|s| drv.open(s.flow, s.info.clone(), s.start, mode)).collect();
    assert!(socks.iter().all(|&s| drv.offloaded(s)), "seed {seed}: every connection offloaded");
    let mut got = Vec::new();
    let batch = 16;
    for chunk in sent.chunks(batch) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    let t = scoreboard(&streams, &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    // frames corrupted with a bad checksum are never marked
    for (f, g) in sent.iter().zip(&got) {
        if f.origin.is_none() && g.meta.flow_hit {
            assert!(!g.meta.decrypted, "seed {seed}");
        }
    }
    let mut out = Outcome {
        records: 0,
        records_device: 0,
        records_mixed: 0,
        resync_ok: 0,
        frames: t.frames,
        decrypted_frames: t.count(RxReason::Decrypted),
    };
    for (c, (s, &k)) in streams.iter().zip(&socks).enumerate() {
        let app = drv.read_app(k);
        let st = drv.socket_stats(k);
        out.records += st.records;
        out.records_device += st.records_device;
        out.records_mixed += st.records_mixed;
        match log.corrupted.get(&c) {
            None => {
                assert_eq!(drv.socket_error(k), None, "seed {seed}: conn {c}");
                assert!(
                    app == s.app,
                    "seed {seed}: conn {c}: {} of {} application bytes, wrong",
                    app.len(),
                    s.app.len()
                );
            }
            Some(&at) => {
                assert!(drv.socket_error(k).is_some(), "seed {seed}: conn {c}: corruption at {at} not detected");
                assert!(s.app.starts_with(&app), "seed {seed}: conn {c}: bytes before the failure must be exact");
            }
        }
    }
    let dev = drv.device().rx_counters();
    out.resync_ok = dev.resync_ok;
    eprintln!(
        "seed {seed} {name}: {} frames ({} decrypted), impairments {:?}; records {} of which {} decrypted by the device ({:.1} %), {} mixed; device resyncs {}; driver {:?}",
        out.frames,
        out.decrypted_frames,
        log,
        out.records,
        out.records_device,
        100.0 * out.records_device as f64 / out.records.max(1) as f64,
        out.records_mixed,
        out.resync_ok,
        drv.stats()
    );
    assert_eq!(dev.decrypted_packets, t.count(RxReason::Decrypted));
    assert_eq!(dev.resync_req_pkt, t.resync_req);
    out
}

#[test]
fn rx_e2e_in_order_all_by_the_device() {
    let o = run("rx_e2e_in_order_all_by_the_device", 16, 12, Impair::default(), RxResyncMode::StreamScan, 0);
    assert_eq!(o.decrypted_frames, o.frames, "in order: every frame decrypted");
    assert_eq!(o.records_device, o.records, "in order: every record decrypted by the device");
}

#[test]
fn rx_e2e_loss_reorder_duplication() {
    for (i, loss) in [0.001, 0.01, 0.05].into_iter().enumerate() {
        let cfg = Impair { loss, reorder: loss, dup: loss, ..Impair::default() };
        let o = run(&format!("rx_e2e_loss_{i}"), 8, 30, cfg, RxResyncMode::StreamScan, i);
        assert!(o.records_device > 0);
    }
}

#[test]
fn rx_e2e_stack_driven_under_loss() {
    let cfg = Impair { loss: 0.02, reorder: 0.01, ..Impair::default() };
    run("rx_e2e_stack_driven_under_loss", 8, 40, cfg, RxResyncMode::StackDriven, 0);
}

#[test]
fn rx_e2e_corruption_and_tampering() {
    let cfg = Impair { corrupt_bad_csum: 0.02, corrupt_good_csum: 0.005, loss: 0.005, ..Impair::default() };
    run("rx_e2e_corruption_and_tampering", 12, 20, cfg, RxResyncMode::StreamScan, 2);
}
