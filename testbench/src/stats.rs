//! A short TX + RX run on the Verilated device through the drivers, made
//! so that every statistic of the seed moves, with the testbench's own
//! count of each: `tlsnic stats` prints the counters, the test
//! (`tests/stats_rtl.rs`) checks each against the count.

use crate::rx::{scoreboard, RxStream, SentFrame};
use crate::seed::rng;
use rand::Rng;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::ktls_tx::KtlsTx;
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig};
use tlsnic_driver::tcp::FrameTemplate;
use tlsnic_driver::tx_offload::{TxDriver, XmitVerdict};
use tlsnic_driver::types::{Cipher, Direction, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::Sim;

/// Counters read after the run, and the testbench's own counts.
#[derive(Clone, Debug)]
pub struct StatsRun {
    /// Every counter, `ethtool -S` order (the seed's first).
    pub counters: Vec<(String, u64)>,
    /// What the testbench counted itself, by counter name.
    pub expected: Vec<(&'static str, u64)>,
}

impl StatsRun {
    /// A counter's value.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|(n, _)| n == name).map(|x| x.1)
    }
}

fn e<E: std::fmt::Display>(x: E) -> String {
    x.to_string()
}

/// Run the scenario on `sim` (a fresh `tls_offload_top`).
pub fn stats_run(sim: &mut Sim, seed: u64) -> Result<StatsRun, String> {
    let mut r = rng(seed);
    let mut expected = Vec::new();

    // ------------------------------------------------------------- TX
    let flow = FlowKey::V4 { saddr: [10, 0, 0, 1].into(), daddr: [10, 0, 0, 2].into(), sport: 40000, dport: 443 };
    let info = TlsCryptoInfo::new(
        TlsVersion::V12,
        Cipher::Aes128Gcm,
        (0..16).map(|_| r.gen()).collect::<Vec<u8>>(),
        r.gen(),
        r.gen(),
        7,
    )
    .map_err(e)?;
    let start: u32 = r.gen();
    let pre: Vec<u8> = (0..300).map(|_| r.gen()).collect();
    let (ooo, skip, drop, enc_pkts, enc_bytes, tx_ctx) = {
        let mut dev = SimNic::new(sim).map_err(e)?;
        let mut drv = TxDriver::new(SIM_TX_DRIVER);
        let mut sk = KtlsTx::new(info.clone(), start, pre.clone());
        let ctx = sk.set_device_offload(|d, i, sn| drv.tls_dev_add(&mut dev, d, i, sn)).map_err(e)?;
        let data: Vec<u8> = (0..40_000).map(|_| r.gen()).collect();
        sk.write_with(23, &data, 16_384, &mut drv.netdev(&mut dev)).map_err(e)?;
        let t = FrameTemplate::new(flow);
        let segs = sk.segments(start, 1448);
        let (mut pkts, mut bytes, mut ooo, mut skip, mut drop) = (0u64, 0u64, 0u64, 0u64, 0u64);
        let send = |drv: &mut TxDriver, dev: &mut SimNic, sk: &mut KtlsTx, seq: u32, len: usize| {
            let f = t.build(seq, &sk.bytes(seq, len).expect("held")).expect("frame");
            drv.xmit(dev, f, sk).map_err(e)
        };
        for &(seq, len) in &segs {
            match send(&mut drv, &mut dev, &mut sk, seq, len)? {
                XmitVerdict::Offloaded => {
                    pkts += 1;
                    bytes += len as u64;
                }
                v => return Err(format!("in-order segment: {v:?}")),
            }
        }
        // a retransmission inside a record: rebuilt by DUMP, encrypted again
        let (rs, rl) = segs[segs.len() / 2];
        match send(&mut drv, &mut dev, &mut sk, rs, rl)? {
            XmitVerdict::Rebuilt { .. } => {
                ooo += 1;
                pkts += 1;
                bytes += rl as u64;
            }
            v => return Err(format!("retransmission: {v:?}")),
        }
        // a retransmission of pre-offload data: sent as it is
        match send(&mut drv, &mut dev, &mut sk, start.wrapping_sub(200), 100)? {
            XmitVerdict::SkippedPreOffload => {
                ooo += 1;
                skip += 1;
            }
            v => return Err(format!("pre-offload retransmission: {v:?}")),
        }
        // a retransmission TCP built just before everything was
        // acknowledged: its record is gone when it reaches the driver
        let stale = t.build(segs[1].0, &sk.bytes(segs[1].0, segs[1].1).expect("held")).map_err(e)?;
        sk.ack(sk.write_seq());
        match drv.xmit(&mut dev, stale, &mut sk).map_err(e)? {
            XmitVerdict::Dropped(_) => {
                ooo += 1;
                drop += 1;
            }
            v => return Err(format!("acknowledged retransmission: {v:?}")),
        }
        let wire = dev.take_wire().map_err(e)?;
        if wire.len() as u64 != pkts + skip {
            return Err(format!("{} frames on the wire, {} expected", wire.len(), pkts + skip));
        }
        drv.tls_dev_del(&mut dev, ctx, Direction::Tx).map_err(e)?;
        let mut all: Vec<(&'static str, u64)> = drv.ethtool_stats(&mut dev).map_err(e)?;
        all.retain(|(n, _)| n.starts_with("tx_"));
        (ooo, skip, drop, pkts, bytes, all)
    };
    expected.extend([
        ("tx_tls_encrypted_packets", enc_pkts),
        ("tx_tls_encrypted_bytes", enc_bytes),
        ("tx_tls_ctx", 1),
        ("tx_tls_del", 1),
        ("tx_tls_ooo", ooo),
        ("tx_tls_skip_no_sync_data", skip),
        ("tx_tls_drop_no_sync_data", drop),
        ("tx_tls_drop_bypass_req", 0),
    ]);

    // ------------------------------------------------------------- RX
    let s = RxStream::random(&mut r, 5, true, TlsVersion::V13, Cipher::Aes256Gcm, 90, 3000);
    let stranger = RxStream::random(&mut r, 6, false, TlsVersion::V12, Cipher::Aes128Gcm, 2, 500);
    let segs = s.segments(&mut r, 700, 1448);
    let lost = s.header_segment(&segs, 2..segs.len()).ok_or("no segment with a header")?;
    let mut sent: Vec<SentFrame> = segs
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != lost)
        .map(|(_, &(o, l))| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) })
        .collect();
    // TCP retransmits the lost segment a few frames later: old for the
    // device (it moved on), the hole in the stream for the kernel
    let late = SentFrame { bytes: s.frame(segs[lost].0, segs[lost].1), origin: Some((0, segs[lost].0)) };
    sent.insert((lost + 6).min(sent.len()), late);
    // no flow (the stranger's first bytes: its stream may be under 100 bytes)
    sent.push(SentFrame { bytes: stranger.frame(0, stranger.wire.len().min(100)), origin: None });
    let mut drv = RxDriver::new(SimRxDevice::new(sim), RxDriverConfig { resync_answer_delay: 2, ..Default::default() });
    let sock = drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan);
    let mut got = Vec::new();
    for chunk in sent.chunks(4) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    let t = scoreboard(&[s.clone(), stranger], &sent, &got)?;
    let app = drv.read_app(sock);
    if app != s.app {
        return Err(format!("RX application bytes: {} of {}", app.len(), s.app.len()));
    }
    drv.close(sock).map_err(e)?;
    let dev = drv.device().rx_counters();
    let d = drv.stats();
    expected.extend([
        ("rx_tls_decrypted_packets", t.count(RxReason::Decrypted)),
        ("rx_tls_decrypted_bytes", t.decrypted_bytes),
        ("rx_tls_ctx", 1),
        ("rx_tls_del", 1),
        ("rx_tls_resync_req_pkt", t.resync_req),
        ("rx_tls_resync_req_start", t.resync_req),
        ("rx_tls_resync_req_end", t.resync_req),
        ("rx_tls_resync_req_skip", 0),
        ("rx_tls_err", t.count(RxReason::AuthFail) + t.count(RxReason::BadRecord)),
        ("rx_tls_pass_old", t.count(RxReason::Old)),
        ("rx_tls_pass_no_flow", t.count(RxReason::NoFlow)),
        ("rx_tls_pass_oos", t.count(RxReason::OutOfSync)),
        ("rx_tls_pass_partial", t.count(RxReason::Partial)),
    ]);
    // every resync the core asked for was accepted by the device
    expected.push(("rx_tls_resync_res_ok", dev.resync_ok));
    expected.push(("rx_tls_resync_res_skip", 0));

    let mut all: Vec<(&str, u64)> = dev.named();
    all.extend(d.named());
    all.extend(tx_ctx.iter().map(|(n, v)| (*n, *v)));
    let counters = tlsnic_driver::stats::ethtool_order(&all)?;
    Ok(StatsRun { counters, expected })
}
