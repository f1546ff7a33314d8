//! The NIC on the Verilated device: `tlsdev_ops`, feature flags that only
//! affect new connections, the capacity the device reports, and the RX path
//! on tokio with resync requests handled by a worker while frames flow.

use std::cell::RefCell;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_driver::nic::{rx_path, Features, Nic};
use tlsnic_driver::rx_device::{RxReason, RxResyncMode};
use tlsnic_driver::rx_host::RxDriverConfig;
use tlsnic_driver::types::{Cipher, Direction, TlsVersion};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{impair, interleave, scoreboard, Impair, RxStream, SentFrame};
use tlsnic_testbench::seed::{rng, test_seed};

#[test]
fn rx_path_on_tokio_with_async_resync_events() {
    let seed = test_seed("rx_path_on_tokio_with_async_resync_events");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let streams: Vec<RxStream> = (0..8)
        .map(|i| {
            let v = if i % 2 == 0 { TlsVersion::V12 } else { TlsVersion::V13 };
            RxStream::random(&mut r, i as u16, i % 3 == 0, v, Cipher::Aes128Gcm, 40, 3000)
        })
        .collect();
    let per: Vec<Vec<SentFrame>> =
        streams.iter().enumerate().map(|(c, s)| s.sent_frames(c, &mut r, 600, 1448)).collect();
    let wire = interleave(&mut r, per);
    let (sent, log) = impair(&mut r, &streams, wire, Impair { loss: 0.03, reorder: 0.01, ..Impair::default() });
    let cfg = RxDriverConfig { async_events: true, ..Default::default() };
    let nic = Nic::new(SimNic::new(&mut sim).expect("device"), SIM_TX_DRIVER, cfg).expect("probe");
    let nic = RefCell::new(nic);
    let socks: Vec<_> = streams
        .iter()
        .map(|s| nic.borrow_mut().rx_socket(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan))
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let (got, handled) = rt.block_on(async {
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        let producer = async {
            for chunk in sent.chunks(8) {
                tx.send(chunk.iter().map(|f| f.bytes.clone()).collect()).await.expect("path running");
            }
            drop(tx);
        };
        let ((), out) = tokio::join!(producer, rx_path(&nic, rx, 3));
        out
    });
    let t = scoreboard(&streams, &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    let mut n = nic.borrow_mut();
    for (c, (s, &k)) in streams.iter().zip(&socks).enumerate() {
        assert_eq!(n.rx().socket_error(k), None, "seed {seed}: conn {c}");
        assert!(n.rx().read_app(k) == s.app, "seed {seed}: conn {c} application bytes");
    }
    let d = n.rx().stats();
    eprintln!("seed {seed}: {:?}, impairments {log:?}, worker handled {handled}, driver {d:?}", t.by_reason);
    assert_eq!(handled, d.resync_req_start, "seed {seed}: every request reached the worker");
    assert_eq!(d.resync_req_start, t.resync_req);
    assert_eq!(d.resync_req_end + d.resync_req_skip, d.resync_req_start);
}

#[test]
fn features_affect_only_new_connections_and_capacity_is_reported() {
    let seed = test_seed("features_affect_only_new_connections_and_capacity_is_reported");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let mut nic =
        Nic::new(SimNic::new(&mut sim).expect("device"), SIM_TX_DRIVER, RxDriverConfig::default()).expect("probe");
    let caps = nic.capabilities();
    assert_eq!((caps.tx_contexts, caps.rx_contexts), (64, 64));
    let a = RxStream::random(&mut r, 1, false, TlsVersion::V12, Cipher::Aes128Gcm, 6, 2000);
    let b = RxStream::random(&mut r, 2, true, TlsVersion::V13, Cipher::Aes256Gcm, 6, 2000);
    let ka = nic.rx_socket(a.flow, a.info.clone(), a.start, RxResyncMode::StreamScan);
    // tls-hw-rx-offload off: `a` keeps its context, `b` is set up in software
    nic.set_features(Features { tls_hw_tx_offload: true, tls_hw_rx_offload: false });
    let kb = nic.rx_socket(b.flow, b.info.clone(), b.start, RxResyncMode::StreamScan);
    assert!(nic.rx().offloaded(ka) && !nic.rx().offloaded(kb));
    // the same for TX
    let tx_info = a.info.clone();
    let sk1 = nic.tx_socket(tx_info.clone(), 1000, Vec::new());
    nic.set_features(Features { tls_hw_tx_offload: false, tls_hw_rx_offload: false });
    let sk2 = nic.tx_socket(tx_info.clone(), 5000, Vec::new());
    assert!(sk1.driver_state().is_some() && sk2.driver_state().is_none());
    assert!(nic.tls_dev_add(Direction::Tx, a.flow, &tx_info, 0, RxResyncMode::StreamScan).is_err());
    let per: Vec<Vec<SentFrame>> =
        [&a, &b].iter().enumerate().map(|(c, s)| s.sent_frames(c, &mut r, 1, 1448)).collect();
    let sent = interleave(&mut r, per);
    let got = nic.receive(sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(&[a.clone(), b.clone()], &sent, &got).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    for (f, g) in sent.iter().zip(&got) {
        let c = f.origin.unwrap().0;
        assert_eq!(g.meta.decrypted, c == 0, "seed {seed}: only the offloaded connection is decrypted");
    }
    assert!(nic.rx().read_app(ka) == a.app && nic.rx().read_app(kb) == b.app, "seed {seed}");
    let st = nic.tls_stat();
    assert_eq!((st.rx_device, st.rx_sw, st.tx_device, st.tx_sw), (1, 1, 1, 1));
    let stats = nic.ethtool_stats().expect("stats");
    let get = |n: &str| stats.iter().find(|(k, _)| k == n).map(|x| x.1);
    assert_eq!(get("rx_tls_ctx"), Some(1));
    assert_eq!(get("tx_tls_ctx"), Some(1));
    assert_eq!(get("rx_tls_decrypted_packets"), Some(t.count(RxReason::Decrypted)));
    assert_eq!(get("TlsRxSw"), Some(1));
}
