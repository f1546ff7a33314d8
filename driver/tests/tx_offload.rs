//! The TX driver (`tx_offload`) against the reference device: marking,
//! crypto-state rebuild (Resync + Dump), pre-offload and straddling
//! segments, acknowledged data, a full context table, next-record sync,
//! random-access retransmission with the device's tag completions, and
//! statistics.

mod common;

use common::{open_stream, Recorder};
use tlsnic_driver::ktls_tx::{KtlsTx, TxMode};
use tlsnic_driver::record::RecordCipher;
use tlsnic_driver::tcp::{self, FrameTemplate};
use tlsnic_driver::tx_offload::{
    format_ethtool, DropReason, OooPolicy, TxDesc, TxDriver, TxDriverConfig, TxWork, XmitError, XmitVerdict,
};
use tlsnic_driver::types::{Cipher, CtxId, DeviceError, Direction, FlowKey, TlsCryptoInfo, TlsVersion};

fn info(version: TlsVersion, cipher: Cipher) -> TlsCryptoInfo {
    let key: Vec<u8> = (0..cipher.key_size() as u8).map(|b| b ^ 0x5c).collect();
    TlsCryptoInfo::new(version, cipher, key, [0, 0, 0, 0, 0, 0, 0x12, 0x34], [0xa, 0xb, 0xc, 0xd], 1000).unwrap()
}

fn template(port: u16) -> FrameTemplate {
    let mut t = FrameTemplate::new(FlowKey::V6 {
        saddr: "2001:db8::10".parse().unwrap(),
        daddr: "2001:db8::20".parse().unwrap(),
        sport: port,
        dport: 443,
    });
    t.vlan = Some(100);
    t.tcp_options = vec![1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]; // NOP NOP timestamps
    t
}

/// One offloaded connection on a reference device.
struct Conn {
    sk: KtlsTx,
    t: FrameTemplate,
    ctx: CtxId,
}

impl Conn {
    fn new(drv: &mut TxDriver, dev: &mut Recorder, info: TlsCryptoInfo, start: u32, pre: Vec<u8>) -> Conn {
        let mut sk = KtlsTx::try_new(info, start, pre).unwrap();
        let ctx = sk.set_device_offload(|dir, i, sn| drv.tls_dev_add(dev, dir, i, sn)).unwrap();
        Conn { sk, t: template(40_000 + ctx.0 as u16), ctx }
    }

    fn frame(&self, seq: u32, len: usize) -> Vec<u8> {
        self.t.build(seq, &self.sk.bytes(seq, len).expect("held")).unwrap()
    }

    /// Send `[seq, seq+len)`; the verdict and the frame the wire got.
    fn send(&mut self, drv: &mut TxDriver, dev: &mut Recorder, seq: u32, len: usize) -> (XmitVerdict, Option<Vec<u8>>) {
        let v = drv.xmit(dev, self.frame(seq, len), &mut self.sk).unwrap();
        let mut w = dev.dev.take_wire();
        assert!(w.len() <= 1);
        let f = w.pop().map(|w| {
            tcp::verify_checksums(&w.frame).expect("valid checksums");
            w.frame
        });
        (v, f)
    }
}

fn payload(f: &[u8]) -> Vec<u8> {
    let p = tcp::parse(f).unwrap();
    p.payload_of(f).to_vec()
}

#[test]
fn in_order_segments_are_marked_and_decrypt() {
    for version in [TlsVersion::V12, TlsVersion::V13] {
        for cipher in [Cipher::Aes128Gcm, Cipher::Aes256Gcm] {
            let mut dev = Recorder::new(4);
            let mut drv = TxDriver::default();
            let start = u32::MAX - 1000;
            let mut c = Conn::new(&mut drv, &mut dev, info(version, cipher), start, Vec::new());
            let app: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
            c.sk.write(&app, 16_384).unwrap();
            let mut wire = Vec::new();
            let mut frames = 0;
            for (seq, len) in c.sk.segments(start, 1448) {
                let (v, f) = c.send(&mut drv, &mut dev, seq, len);
                assert_eq!(v, XmitVerdict::Offloaded);
                wire.extend(payload(&f.unwrap()));
                frames += 1;
            }
            assert_eq!(open_stream(c.sk.crypto_info(), &wire, 23).unwrap(), app);
            assert_eq!(drv.stats().tx_tls_ooo, 0);
            let d = dev.dev.counters();
            assert_eq!((d.tx_tls_encrypted_packets, d.tx_tls_encrypted_bytes), (frames, wire.len() as u64));
            assert!(dev.log.iter().all(|w| matches!(w, TxWork::Frame { desc, .. } if *desc == TxDesc::offload(c.ctx))));
        }
    }
}

#[test]
fn retransmission_is_rebuilt_with_resync_and_dumps() {
    let mut dev = Recorder::new(4);
    let cfg = TxDriverConfig { dump_mtu: 1000, ..TxDriverConfig::default() };
    let mut drv = TxDriver::new(cfg);
    let start = 77;
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V12, Cipher::Aes256Gcm), start, Vec::new());
    let app = vec![0x42u8; 3 * 16_384];
    c.sk.write(&app, 16_384).unwrap();
    let segs = c.sk.segments(start, 1448);
    let first: Vec<Vec<u8>> = segs.iter().map(|&(s, l)| c.send(&mut drv, &mut dev, s, l).1.unwrap()).collect();
    let rec_len = 16_384 + 29;
    // Every third segment again, last first: each one is out of order.
    for (k, &(seq, len)) in segs.iter().enumerate().rev().step_by(3) {
        dev.log.clear();
        let (v, f) = c.send(&mut drv, &mut dev, seq, len);
        assert_eq!(f.as_ref(), Some(&first[k]), "retransmission {k} is byte-identical");
        let off = (seq - start) as usize % rec_len;
        let rec = (seq - start) as usize / rec_len;
        let rec_start = start + (rec * rec_len) as u32;
        assert_eq!(v, XmitVerdict::Rebuilt { dumps: off.div_ceil(1000), dump_bytes: off }, "segment {k}");
        assert_eq!(dev.log[0], TxWork::Resync { ctx_id: c.ctx, rec_start_seq: rec_start, rec_num: 1000 + rec as u64 });
        let dumped: Vec<u8> = dev.log[1..dev.log.len() - 1]
            .iter()
            .flat_map(|w| match w {
                TxWork::Dump { ctx_id, bytes } if *ctx_id == c.ctx && bytes.len() <= 1000 => bytes.clone(),
                x => panic!("{x:?}"),
            })
            .collect();
        assert_eq!(dumped, c.sk.bytes(rec_start, off).unwrap(), "dump = record bytes before the segment");
    }
    // New data after a retransmission is out of order again, and rebuilt.
    let end = c.sk.write_seq();
    c.sk.write(b"more", 16_384).unwrap();
    let (v, f) = c.send(&mut drv, &mut dev, end, 33);
    assert_eq!(v, XmitVerdict::Rebuilt { dumps: 0, dump_bytes: 0 }, "segment at a record start: no dump");
    let mut wire: Vec<u8> = first.iter().flat_map(|f| payload(f)).collect();
    wire.extend(payload(&f.unwrap()));
    assert_eq!(open_stream(c.sk.crypto_info(), &wire, 23).unwrap(), [&app[..], b"more"].concat());
    let s = drv.stats();
    assert_eq!((s.tx_tls_resync, s.tx_tls_ooo), (s.tx_tls_ooo, s.tx_tls_ooo));
    assert_eq!(s.tx_tls_dump_packets, dev.dev.counters().tx_tls_dump_packets);
    assert_eq!(s.tx_tls_dump_bytes, dev.dev.counters().tx_tls_dump_bytes);
}

#[test]
fn rebuild_ending_inside_a_tag_or_header() {
    for version in [TlsVersion::V12, TlsVersion::V13] {
        let mut dev = Recorder::new(1);
        let mut drv = TxDriver::default();
        let mut c = Conn::new(&mut drv, &mut dev, info(version, Cipher::Aes128Gcm), 0, Vec::new());
        for n in [100, 0, 7] {
            c.sk.write(&vec![9u8; n], 16_384).unwrap();
        }
        let total = c.sk.write_seq() as usize;
        // One byte per segment, first pass.
        let first: Vec<Vec<u8>> = (0..total).map(|s| c.send(&mut drv, &mut dev, s as u32, 1).1.unwrap()).collect();
        // Every retransmission starting point, any length up to the end.
        for s in 0..total {
            for len in [1, 3, total - s] {
                let len = len.min(total - s);
                let (v, f) = c.send(&mut drv, &mut dev, s as u32, len);
                assert!(matches!(v, XmitVerdict::Rebuilt { .. } | XmitVerdict::Offloaded), "{v:?}");
                let want: Vec<u8> = first[s..s + len].iter().flat_map(|f| payload(f)).collect();
                assert_eq!(payload(&f.unwrap()), want, "{version:?} retransmit [{s}, +{len})");
            }
        }
    }
}

#[test]
fn pre_offload_data_is_skipped_and_straddling_segments_dropped() {
    let mut dev = Recorder::new(2);
    let mut drv = TxDriver::default();
    let start = 5;
    let pre: Vec<u8> = (0..300).map(|i| i as u8).collect();
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V13, Cipher::Aes128Gcm), start, pre.clone());
    c.sk.write(&[1; 500], 16_384).unwrap();
    let from = c.sk.stream_start();
    assert_eq!(from, start.wrapping_sub(300));
    // First transmission of pre-offload data: sent by TCP before offload,
    // so the driver never sees it. Offloaded data in order.
    let (v, _) = c.send(&mut drv, &mut dev, start, 522);
    assert_eq!(v, XmitVerdict::Offloaded);
    // Retransmitted pre-offload data: unmarked, unchanged.
    let f = c.frame(from, 200);
    let (v, out) = c.send(&mut drv, &mut dev, from, 200);
    assert_eq!((v, out), (XmitVerdict::SkippedPreOffload, Some(f)));
    let (v, _) = c.send(&mut drv, &mut dev, start.wrapping_sub(100), 100);
    assert_eq!(v, XmitVerdict::SkippedPreOffload);
    // Pre-offload and offloaded bytes together: dropped.
    let (v, out) = c.send(&mut drv, &mut dev, start.wrapping_sub(1), 2);
    assert_eq!((v, out), (XmitVerdict::Dropped(DropReason::StraddlesOffloadStart), None));
    // Skips leave the expected number alone: the next in-order byte... is
    // in order (nothing was sent after 522).
    c.sk.write(&[2; 10], 16_384).unwrap();
    let (v, _) = c.send(&mut drv, &mut dev, start + 522, 32);
    assert_eq!(v, XmitVerdict::Offloaded);
    let s = drv.stats();
    assert_eq!(
        (s.tx_tls_ooo, s.tx_tls_skip_no_sync_data, s.tx_tls_drop_no_sync_data, s.tx_tls_drop_bypass_req),
        (3, 2, 1, 0)
    );
    // Once the pre-offload bytes are acknowledged the marker is gone: a late
    // retransmission of them finds no record.
    c.sk.ack(start + 10);
    let f = c.t.build(from, &pre[..50]).unwrap();
    assert_eq!(drv.xmit(&mut dev, f, &mut c.sk).unwrap(), XmitVerdict::Dropped(DropReason::NoRecord));
}

#[test]
fn acknowledged_or_unwritten_data_is_dropped() {
    let mut dev = Recorder::new(2);
    let mut drv = TxDriver::default();
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V12, Cipher::Aes128Gcm), 1 << 31, Vec::new());
    c.sk.write(&[3; 3000], 1000).unwrap();
    let segs = c.sk.segments(1 << 31, 500);
    let first: Vec<Vec<u8>> = segs.iter().map(|&(s, l)| c.frame(s, l)).collect();
    for f in &first {
        drv.xmit(&mut dev, f.clone(), &mut c.sk).unwrap();
    }
    c.sk.ack(segs[3].0); // frees record 0 (1029 bytes) only
    dev.dev.take_wire();
    assert_eq!(drv.xmit(&mut dev, first[0].clone(), &mut c.sk).unwrap(), XmitVerdict::Dropped(DropReason::NoRecord));
    let far = c.t.build((1 << 31) + 100_000, &[0; 10]).unwrap();
    assert_eq!(drv.xmit(&mut dev, far, &mut c.sk).unwrap(), XmitVerdict::Dropped(DropReason::NoRecord));
    assert!(dev.dev.take_wire().is_empty(), "dropped, never sent in clear");
    assert!(matches!(drv.xmit(&mut dev, first[3].clone(), &mut c.sk).unwrap(), XmitVerdict::Rebuilt { .. }));
    assert_eq!(drv.stats().tx_tls_drop_no_sync_data, 2);
}

#[test]
fn full_table_leaves_the_connection_in_software() {
    let mut dev = Recorder::new(1);
    let mut drv = TxDriver::default();
    let a = Conn::new(&mut drv, &mut dev, info(TlsVersion::V12, Cipher::Aes128Gcm), 0, Vec::new());
    let i = info(TlsVersion::V13, Cipher::Aes256Gcm);
    let mut sk = KtlsTx::try_new(i.clone(), 9, Vec::new()).unwrap();
    let e = sk.set_device_offload(|dir, i, sn| drv.tls_dev_add(&mut dev, dir, i, sn));
    assert_eq!(e.unwrap_err().to_string(), "tls_dev_add failed, socket stays in software: device context table full");
    assert_eq!(sk.mode(), TxMode::Sw);
    sk.write(b"software records", 5).unwrap();
    let t = template(1);
    let mut wire = Vec::new();
    for (s, l) in sk.segments(9, 7) {
        let f = t.build(s, &sk.bytes(s, l).unwrap()).unwrap();
        assert_eq!(drv.xmit(&mut dev, f.clone(), &mut sk).unwrap(), XmitVerdict::Plain);
        let w = dev.dev.take_wire().pop().unwrap();
        assert_eq!((w.frame.clone(), w.encrypted_by), (f, None));
        wire.extend(payload(&w.frame));
    }
    assert_eq!(open_stream(&i, &wire, 23).unwrap(), b"software records");
    assert_eq!((drv.stats().tx_tls_ctx, drv.stats().tx_tls_ctx_table_full), (1, 1));
    drv.tls_dev_del(&mut dev, a.ctx, Direction::Tx).unwrap();
    assert_eq!(dev.dev.contexts_in_use(), 0);
}

#[test]
fn next_record_sync_recovers_from_a_local_drop() {
    for version in [TlsVersion::V12, TlsVersion::V13] {
        let mut dev = Recorder::new(1);
        let cfg = TxDriverConfig { policy: OooPolicy::NextRecordSync, ..TxDriverConfig::default() };
        let mut drv = TxDriver::new(cfg);
        let start = u32::MAX - 3000;
        let pre = vec![0xaa; 100];
        let mut c = Conn::new(&mut drv, &mut dev, info(version, Cipher::Aes256Gcm), start, pre);
        let mut app = vec![7u8; 5000];
        c.sk.write(&app, 4000).unwrap();
        let segs = c.sk.segments(start, 1000);
        let mut wire = vec![None; c.sk.write_seq().wrapping_sub(start) as usize];
        let keep = |f: Option<Vec<u8>>, seq: u32, wire: &mut Vec<Option<u8>>| {
            let f = f.unwrap();
            for (i, b) in payload(&f).into_iter().enumerate() {
                let k = seq.wrapping_add(i as u32).wrapping_sub(start) as usize;
                assert!(wire[k].is_none_or(|x| x == b), "byte {k} differs between transmissions");
                wire[k] = Some(b);
            }
        };
        let (v, f) = c.send(&mut drv, &mut dev, segs[0].0, segs[0].1);
        assert_eq!(v, XmitVerdict::Offloaded);
        keep(f, segs[0].0, &mut wire);
        // Segment 1 is lost locally; segment 2 comes from the future.
        let (v, f) = c.send(&mut drv, &mut dev, segs[2].0, segs[2].1);
        assert_eq!(v, XmitVerdict::SoftwareEncrypted { resync_requested: true });
        keep(f, segs[2].0, &mut wire);
        assert!(c.sk.tls_offload_tx_resync_pending());
        for &(s, l) in &segs[3..] {
            let (v, f) = c.send(&mut drv, &mut dev, s, l);
            assert_eq!(v, XmitVerdict::SoftwareEncrypted { resync_requested: false }, "pending: software");
            keep(f, s, &mut wire);
        }
        // The next record carries the resync: ContextUpdate, then offload.
        let more = vec![8u8; 3000];
        let before = c.sk.write_seq();
        c.sk.write_with(23, &more, 16_384, &mut drv.netdev(&mut dev)).unwrap();
        app.extend(&more);
        assert!(!c.sk.tls_offload_tx_resync_pending());
        assert_eq!(dev.log.last(), Some(&TxWork::ContextUpdate { ctx_id: c.ctx, tcp_seq: before, rec_num: 1002 }));
        wire.resize(c.sk.write_seq().wrapping_sub(start) as usize, None);
        for (s, l) in c.sk.segments(before, 1400) {
            let (v, f) = c.send(&mut drv, &mut dev, s, l);
            assert_eq!(v, XmitVerdict::Offloaded);
            keep(f, s, &mut wire);
        }
        // TCP retransmits the lost segment: in the past, software, no resync.
        let (v, f) = c.send(&mut drv, &mut dev, segs[1].0, segs[1].1);
        assert_eq!(v, XmitVerdict::SoftwareEncrypted { resync_requested: false });
        keep(f, segs[1].0, &mut wire);
        // ... and again, now identical bytes are checked by `keep`.
        let (_, f) = c.send(&mut drv, &mut dev, segs[1].0, segs[1].1);
        keep(f, segs[1].0, &mut wire);
        let wire: Vec<u8> = wire.into_iter().map(|b| b.expect("every byte sent")).collect();
        assert_eq!(open_stream(c.sk.crypto_info(), &wire, 23).unwrap(), app);
        // A pre-offload retransmission passes through; a straddling one is dropped.
        let (v, _) = c.send(&mut drv, &mut dev, start - 100, 100);
        assert_eq!(v, XmitVerdict::SkippedPreOffload);
        let (v, f) = c.send(&mut drv, &mut dev, start - 1, 2);
        assert_eq!((v, f), (XmitVerdict::Dropped(DropReason::StraddlesOffloadStart), None));
        let s = drv.stats();
        assert_eq!((s.tx_tls_resync_req, s.tx_tls_ctx_update, s.tx_tls_dump_packets), (1, 1, 0));
        assert_eq!(s.tx_tls_fallback_packets, 1 + (segs.len() as u64 - 3) + 2);
        assert_eq!(s.tx_tls_ooo, s.tx_tls_fallback_packets + 2);
    }
}

#[test]
fn tlsdev_ops_errors_and_statistics() {
    let mut dev = Recorder::new(2);
    let mut drv = TxDriver::default();
    let i = info(TlsVersion::V12, Cipher::Aes128Gcm);
    assert!(matches!(drv.tls_dev_add(&mut dev, Direction::Rx, &i, 0), Err(DeviceError::Unsupported(_))));
    let mut bad = i.clone();
    bad.key.pop();
    assert!(matches!(drv.tls_dev_add(&mut dev, Direction::Tx, &bad, 0), Err(DeviceError::CryptoInfo(_))));
    let ctx = drv.tls_dev_add(&mut dev, Direction::Tx, &i, 0).unwrap();
    assert!(matches!(drv.tls_dev_resync(&mut dev, ctx, Direction::Tx, 0, 0), Err(DeviceError::Unsupported(_))));
    assert_eq!(drv.tls_dev_del(&mut dev, CtxId(9), Direction::Tx), Err(DeviceError::NoContext(CtxId(9))));
    // A pure ACK of an offloaded socket is sent unmarked and changes nothing.
    let mut c = Conn::new(&mut drv, &mut dev, i, 50, Vec::new());
    let ack = c.t.build(50, &[]).unwrap();
    assert_eq!(drv.xmit(&mut dev, ack, &mut c.sk).unwrap(), XmitVerdict::Plain);
    assert_eq!(drv.expected_seq(c.ctx), Some(50));
    drv.tls_dev_del(&mut dev, ctx, Direction::Tx).unwrap();
    let names: Vec<&str> = drv.ethtool_stats(&mut dev).unwrap().iter().map(|(n, _)| *n).collect();
    for seed_name in [
        "tx_tls_encrypted_packets",
        "tx_tls_encrypted_bytes",
        "tx_tls_ctx",
        "tx_tls_ooo",
        "tx_tls_skip_no_sync_data",
        "tx_tls_drop_no_sync_data",
        "tx_tls_drop_bypass_req",
    ] {
        assert!(names.contains(&seed_name), "{seed_name}");
    }
    let text = format_ethtool(&drv.ethtool_stats(&mut dev).unwrap());
    assert!(text.contains("     tx_tls_ctx: 2\n") && text.contains("     tx_tls_del: 1\n"), "{text}");
}

/// A device whose queue refuses one post: the `n`-th from now.
struct Flaky {
    inner: Recorder,
    fail_in: Option<usize>,
}

impl tlsnic_driver::tx_offload::TxDevice for Flaky {
    fn add_tx_context(&mut self, i: &TlsCryptoInfo, sn: u32) -> Result<CtxId, DeviceError> {
        self.inner.add_tx_context(i, sn)
    }
    fn del_tx_context(&mut self, ctx: CtxId) -> Result<(), DeviceError> {
        self.inner.del_tx_context(ctx)
    }
    fn post(&mut self, w: TxWork) -> Result<(), DeviceError> {
        match self.fail_in {
            Some(0) => {
                self.fail_in = None;
                Err(DeviceError::QueueFull)
            }
            Some(n) => {
                self.fail_in = Some(n - 1);
                self.inner.post(w)
            }
            None => self.inner.post(w),
        }
    }
    fn tx_counters(&mut self) -> Result<tlsnic_driver::tx_offload::TxDeviceCounters, DeviceError> {
        self.inner.tx_counters()
    }
    fn tag_completions(&mut self) -> Result<Vec<tlsnic_driver::tx_offload::TagCompletion>, DeviceError> {
        self.inner.tag_completions()
    }
}

#[test]
fn a_rebuild_cut_short_by_a_full_queue_is_redone() {
    let mut dev = Flaky { inner: Recorder::new(1), fail_in: None };
    let mut drv = TxDriver::new(TxDriverConfig { dump_mtu: 100, ..TxDriverConfig::default() });
    let mut sk = KtlsTx::try_new(info(TlsVersion::V12, Cipher::Aes128Gcm), 0, Vec::new()).unwrap();
    sk.set_device_offload(|d, i, sn| drv.tls_dev_add(&mut dev, d, i, sn)).unwrap();
    sk.write(&[6; 1000], 16_384).unwrap();
    let t = template(3);
    let seg = |sk: &KtlsTx, s: u32, l: usize| t.build(s, &sk.bytes(s, l).unwrap()).unwrap();
    // The whole record as the wire must carry it.
    let mut want = sk.bytes(0, 1029).unwrap();
    RecordCipher::new(sk.crypto_info()).unwrap().seal_in_place(1000, &mut want).unwrap();
    for s in [0, 300] {
        assert_eq!(drv.xmit(&mut dev, seg(&sk, s, 300), &mut sk).unwrap(), XmitVerdict::Offloaded);
    }
    dev.inner.dev.take_wire();
    // Retransmit [300, 600): Resync, 3 Dumps, frame; the 2nd Dump fails.
    dev.fail_in = Some(2);
    assert_eq!(drv.xmit(&mut dev, seg(&sk, 300, 300), &mut sk), Err(XmitError::Device(DeviceError::QueueFull)));
    assert!(dev.inner.dev.take_wire().is_empty());
    // [600, 900) is the driver's expected segment, but the device was left
    // mid-rebuild: it is rebuilt, not marked as in order.
    assert_eq!(drv.expected_seq(CtxId(0)), Some(600));
    let v = drv.xmit(&mut dev, seg(&sk, 600, 300), &mut sk).unwrap();
    assert_eq!(v, XmitVerdict::Rebuilt { dumps: 6, dump_bytes: 600 });
    assert_eq!(payload(&dev.inner.dev.take_wire()[0].frame), want[600..900]);
    // And the segment after it is in order again.
    assert_eq!(drv.xmit(&mut dev, seg(&sk, 900, 129), &mut sk).unwrap(), XmitVerdict::Offloaded);
    assert_eq!(payload(&dev.inner.dev.take_wire()[0].frame), want[900..]);
    assert_eq!(dev.inner.dev.counters().tx_tls_drop_seq, 0);
}

/// (index, start offset, length) of the record holding stream offset `s`.
fn record_at(lens: &[usize], s: usize) -> (usize, usize, usize) {
    let mut start = 0;
    for (i, &l) in lens.iter().enumerate() {
        if s < start + l {
            return (i, start, l);
        }
        start += l;
    }
    panic!("offset {s} is past the records")
}

/// Retransmissions starting at every byte of three small records (header,
/// TLS 1.2 nonce, body, tag; an empty record; ending inside the record, at
/// its end, a few bytes into the next one, at the end of the stream):
/// first while the device holds its tag completions back (a segment that
/// starts inside a record and reaches its tag is rebuilt with Resync +
/// Dump, counted in `tx_tls_dump_fallback`; the rest are Retransmit
/// items), then with every tag known (Retransmit only, no Dump, the tag the
/// wire carries sent with it). Every frame is the first transmission's
/// bytes; the context is not moved by a Retransmit, so new data afterwards
/// is in order.
#[test]
fn retransmission_at_every_offset_before_and_after_the_tags() {
    for version in [TlsVersion::V12, TlsVersion::V13] {
        for cipher in [Cipher::Aes128Gcm, Cipher::Aes256Gcm] {
            let mut dev = Recorder::new(1);
            let mut drv = TxDriver::new(TxDriverConfig { dump_mtu: 16, policy: OooPolicy::Retransmit });
            let start = u32::MAX - 50; // the sequence numbers wrap inside the stream
            let mut c = Conn::new(&mut drv, &mut dev, info(version, cipher), start, Vec::new());
            let data = [20usize, 0, 40];
            for (k, &n) in data.iter().enumerate() {
                c.sk.write(&vec![k as u8 + 1; n], 16_384).unwrap();
            }
            let lens: Vec<usize> = data.iter().map(|n| n + version.overhead()).collect();
            let total: usize = lens.iter().sum();
            let at = |s: usize| start.wrapping_add(s as u32);
            let what = format!("{version:?} {cipher:?}");

            // First transmission, in order; the device holds the tags back.
            dev.hold_tags = true;
            let (v, f) = c.send(&mut drv, &mut dev, start, total);
            assert_eq!(v, XmitVerdict::Offloaded);
            let wire = payload(&f.unwrap());
            let app = open_stream(c.sk.crypto_info(), &wire, 23).unwrap();
            assert_eq!(app, [vec![1u8; 20], vec![3u8; 40]].concat(), "{what}: every record opens");
            let (t, ctx, plain) = (c.t.clone(), c.ctx, c.sk.bytes(start, total).unwrap());
            let first = |s: usize, len: usize| t.build(at(s), &wire[s..s + len]).unwrap();
            let cases = |s: usize| {
                let (_, rs, rl) = record_at(&lens, s);
                let end = rs + rl;
                let mut l: Vec<usize> = [1, 2, 17, end - s, (end + 3).min(total) - s, total - s].to_vec();
                l.retain(|&l| s + l <= total);
                l.sort_unstable();
                l.dedup();
                l
            };
            let check_item = |log: &[TxWork], s: usize, len: usize, tag: Option<[u8; 16]>| {
                let (i, rs, _) = record_at(&lens, s);
                let nonce: [u8; 8] = match version {
                    TlsVersion::V12 => wire[rs + 5..rs + 13].try_into().unwrap(),
                    TlsVersion::V13 => [0; 8],
                };
                let want = TxWork::Retransmit {
                    ctx_id: ctx,
                    seq: at(s),
                    rec_num: 1000 + i as u64,
                    offset: (s - rs) as u16,
                    header: wire[rs..rs + 5].try_into().unwrap(),
                    nonce,
                    tag,
                    frame: t.build(at(s), &plain[s..s + len]).unwrap(),
                };
                assert_eq!(log, [want], "{what}: [{s}, +{len})");
            };

            // Tags unknown.
            let mut exp = at(total);
            let (mut fallbacks, mut retx) = (0u64, 0u64);
            for s in 0..total {
                for len in cases(s) {
                    let (_, rs, rl) = record_at(&lens, s);
                    let off = s - rs;
                    let needs_tag = off > 0 && off + len > rl - 16;
                    dev.log.clear();
                    let (v, f) = c.send(&mut drv, &mut dev, at(s), len);
                    assert_eq!(f, Some(first(s, len)), "{what}: [{s}, +{len}) as first sent");
                    if at(s) == exp {
                        assert_eq!(v, XmitVerdict::Offloaded, "{what}: [{s}, +{len})");
                        exp = at(s + len);
                    } else if needs_tag {
                        assert_eq!(v, XmitVerdict::Rebuilt { dumps: off.div_ceil(16), dump_bytes: off }, "{what}");
                        assert_eq!(
                            dev.log[0],
                            TxWork::Resync {
                                ctx_id: c.ctx,
                                rec_start_seq: at(rs),
                                rec_num: 1000 + record_at(&lens, s).0 as u64
                            }
                        );
                        fallbacks += 1;
                        exp = at(s + len);
                    } else {
                        assert_eq!(v, XmitVerdict::Retransmitted { tag: false }, "{what}: [{s}, +{len})");
                        check_item(&dev.log, s, len, None);
                        retx += 1;
                    }
                    assert_eq!(drv.expected_seq(c.ctx), Some(exp), "{what}: driver's expected seq");
                    assert_eq!(dev.dev.expected_seq(c.ctx), Some(exp), "{what}: device's expected seq");
                }
            }
            let st = drv.stats().clone();
            assert!(fallbacks > 0 && retx > 0);
            assert_eq!((st.tx_tls_dump_fallback, st.tx_tls_resync), (fallbacks, fallbacks), "{what}");
            assert_eq!(st.tx_tls_retx_packets, retx, "{what}");
            assert_eq!(st.tx_tls_tag_completions, 0, "{what}: held back");
            assert!(c.sk.records().all(|r| r.tag.is_none()));

            // The context back at the end of the stream (an in-order
            // segment), then the tags released: the next xmit reads them.
            if exp != at(total) {
                let from = exp.wrapping_sub(start) as usize;
                let (v, f) = c.send(&mut drv, &mut dev, exp, total - from);
                assert_eq!((v, f), (XmitVerdict::Offloaded, Some(first(from, total - from))));
            }
            dev.hold_tags = false;
            let before = drv.stats().clone();
            for s in 0..total {
                for len in cases(s) {
                    let (i, rs, rl) = record_at(&lens, s);
                    let off = s - rs;
                    let needs_tag = off > 0 && off + len > rl - 16;
                    dev.log.clear();
                    let (v, f) = c.send(&mut drv, &mut dev, at(s), len);
                    assert_eq!(f, Some(first(s, len)), "{what}: [{s}, +{len}) as first sent");
                    assert_eq!(v, XmitVerdict::Retransmitted { tag: needs_tag }, "{what}: [{s}, +{len})");
                    let tag: [u8; 16] = wire[rs + rl - 16..rs + rl].try_into().unwrap();
                    assert_eq!(c.sk.record_tag(1000 + i as u64), Some(tag), "{what}: the stored tag is the wire's");
                    check_item(&dev.log, s, len, needs_tag.then_some(tag));
                }
            }
            let after = drv.stats().clone();
            let n = after.tx_tls_retx_packets - before.tx_tls_retx_packets;
            assert!(after.tx_tls_tag_completions >= 3, "{what}: every record's tag reported");
            assert_eq!(after.tx_tls_ooo - before.tx_tls_ooo, n, "{what}: out of order = the retransmissions");
            assert_eq!(
                (after.tx_tls_dump_packets, after.tx_tls_dump_bytes, after.tx_tls_resync, after.tx_tls_dump_fallback),
                (
                    before.tx_tls_dump_packets,
                    before.tx_tls_dump_bytes,
                    before.tx_tls_resync,
                    before.tx_tls_dump_fallback
                ),
                "{what}: no Resync, no Dump"
            );
            assert_eq!(drv.expected_seq(c.ctx), Some(at(total)));
            assert_eq!(dev.dev.expected_seq(c.ctx), Some(at(total)), "{what}: the device's context was not moved");

            // New data: in order.
            c.sk.write(b"new", 16_384).unwrap();
            let (v, f) = c.send(&mut drv, &mut dev, at(total), 3 + version.overhead());
            assert_eq!(v, XmitVerdict::Offloaded, "{what}: the next new segment is in order");
            assert_eq!(drv.stats().tx_tls_ooo, after.tx_tls_ooo);
            let mut stream = wire.clone();
            stream.extend(payload(&f.unwrap()));
            let app = open_stream(c.sk.crypto_info(), &stream, 23).unwrap();
            assert_eq!(app, [vec![1u8; 20], vec![3u8; 40], b"new".to_vec()].concat());
            let d = dev.dev.counters();
            assert_eq!((d.tx_tls_drop_retx, d.tx_tls_drop_seq, d.tx_tls_drop_bad_record), (0, 0, 0));
            assert_eq!(d.tx_tls_retx_packets, after.tx_tls_retx_packets);
        }
    }
}

/// A long record retransmitted in MSS-sized segments, last first, on a
/// Retransmit context: only the segments that reach the tag need it, no
/// Dump at all, and the stream goes on in order.
#[test]
fn retransmission_of_large_records_needs_no_dump() {
    let mut dev = Recorder::new(4);
    let mut drv = TxDriver::new(TxDriverConfig { dump_mtu: 1000, policy: OooPolicy::Retransmit });
    let start = 77;
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V12, Cipher::Aes256Gcm), start, Vec::new());
    let app: Vec<u8> = (0..3 * 16_384u32).map(|i| (i % 253) as u8).collect();
    c.sk.write(&app, 16_384).unwrap();
    let segs = c.sk.segments(start, 1448);
    let first: Vec<Vec<u8>> = segs.iter().map(|&(s, l)| c.send(&mut drv, &mut dev, s, l).1.unwrap()).collect();
    let rec_len = 16_384 + 29;
    for (k, &(seq, len)) in segs.iter().enumerate().rev() {
        let (v, f) = c.send(&mut drv, &mut dev, seq, len);
        assert_eq!(f.as_ref(), Some(&first[k]), "retransmission {k} is byte-identical");
        let off = (seq - start) as usize % rec_len;
        let reaches = off + len > rec_len - 16 || (off + len > rec_len && off > 0);
        assert_eq!(v, XmitVerdict::Retransmitted { tag: off > 0 && reaches }, "segment {k}");
    }
    let end = c.sk.write_seq();
    c.sk.write(b"more", 16_384).unwrap();
    let (v, f) = c.send(&mut drv, &mut dev, end, 33);
    assert_eq!(v, XmitVerdict::Offloaded);
    let mut wire: Vec<u8> = first.iter().flat_map(|f| payload(f)).collect();
    wire.extend(payload(&f.unwrap()));
    assert_eq!(open_stream(c.sk.crypto_info(), &wire, 23).unwrap(), [&app[..], b"more"].concat());
    let s = drv.stats();
    assert_eq!((s.tx_tls_ooo, s.tx_tls_retx_packets), (segs.len() as u64, segs.len() as u64));
    assert_eq!((s.tx_tls_dump_packets, s.tx_tls_resync, s.tx_tls_dump_fallback), (0, 0, 0));
    assert_eq!(s.tx_tls_retx_bytes, (c.sk.write_seq() - start - 33) as u64);
    assert_eq!(s.tx_tls_tag_completions, 3, "one per record, read before each xmit");
    assert_eq!(drv.poll_tag_completions(&mut dev), Ok(1), "the last record's");
}

/// Tags are stored with their records (for every policy) and discarded
/// once the record is acknowledged; completions of a deleted context never
/// reach a new context that gets its id.
#[test]
fn tags_live_until_the_record_is_acknowledged() {
    let mut dev = Recorder::new(1);
    let mut drv = TxDriver::default(); // Rebuild: tags are kept all the same
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V13, Cipher::Aes128Gcm), 10, Vec::new());
    c.sk.write(&[5; 300], 100).unwrap();
    let rec = 100 + 22;
    dev.hold_tags = true;
    let wire = payload(&c.send(&mut drv, &mut dev, 10, 3 * rec).1.unwrap());
    let tag = |i: usize| -> [u8; 16] { wire[(i + 1) * rec - 16..(i + 1) * rec].try_into().unwrap() };
    // Record 1000 is acknowledged before its completion is read.
    c.sk.ack(10 + rec as u32 + 5);
    dev.hold_tags = false;
    let ack = c.t.build(c.sk.write_seq(), &[]).unwrap();
    assert_eq!(drv.xmit(&mut dev, ack, &mut c.sk).unwrap(), XmitVerdict::Plain);
    dev.dev.take_wire();
    assert_eq!(drv.stats().tx_tls_tag_completions, 3);
    assert_eq!(c.sk.record_tag(1000), None, "acknowledged: discarded");
    assert_eq!((c.sk.record_tag(1001), c.sk.record_tag(1002)), (Some(tag(1)), Some(tag(2))));
    let held: Vec<_> = c.sk.records().map(|r| (r.rec_num, r.tag)).collect();
    assert_eq!(held, vec![(1001, Some(tag(1))), (1002, Some(tag(2)))]);
    // Acknowledged later: the tag goes with the record.
    c.sk.ack(10 + 2 * rec as u32);
    assert_eq!(c.sk.records().map(|r| r.rec_num).collect::<Vec<_>>(), vec![1002]);
    assert_eq!(c.sk.record_tag(1001), None);
    assert!(!c.sk.set_record_tag(1001, [0; 16]), "a record no longer held takes no tag");

    // The context goes while a completion of it is still queued; the id
    // comes back for a new connection with the same record numbers.
    c.sk.write(&[6; 10], 100).unwrap();
    let end = c.sk.write_seq();
    assert_eq!(c.send(&mut drv, &mut dev, 10 + 3 * rec as u32, 32).0, XmitVerdict::Offloaded);
    drv.tls_dev_del(&mut dev, c.ctx, Direction::Tx).unwrap();
    assert_eq!(drv.stats().tx_tls_tag_completions, 4, "read at tls_dev_del, discarded");
    let mut d = Conn::new(&mut drv, &mut dev, info(TlsVersion::V13, Cipher::Aes128Gcm), end, Vec::new());
    assert_eq!(d.ctx, c.ctx, "the id is reused");
    drv.set_policy(d.ctx, OooPolicy::Retransmit).unwrap();
    for _ in 0..4 {
        d.sk.write(&[7; 10], 100).unwrap();
    }
    let ack = d.t.build(end, &[]).unwrap();
    drv.xmit(&mut dev, ack, &mut d.sk).unwrap();
    dev.dev.take_wire();
    assert!(d.sk.records().all(|r| r.tag.is_none()), "no tag of the old context");
    // Its own tags: a retransmission into the tag of its record 1000 (32
    // bytes) falls back to a rebuild until a marked frame walked the
    // record's last byte before the tag (offset 15); a Dump does not count.
    assert_eq!(d.send(&mut drv, &mut dev, end, 10).0, XmitVerdict::Offloaded);
    assert_eq!(d.send(&mut drv, &mut dev, end + 25, 7).0, XmitVerdict::Rebuilt { dumps: 1, dump_bytes: 25 });
    assert_eq!(d.send(&mut drv, &mut dev, end + 10, 22).0, XmitVerdict::Rebuilt { dumps: 1, dump_bytes: 10 });
    assert_eq!(d.send(&mut drv, &mut dev, end + 30, 2).0, XmitVerdict::Retransmitted { tag: true });
    assert_eq!(d.send(&mut drv, &mut dev, end + 14, 3).0, XmitVerdict::Retransmitted { tag: true });
    assert_eq!(drv.stats().tx_tls_dump_fallback, 2);
}

/// A device whose tag completions cannot be read: frames still go out, and
/// retransmissions that need a tag are rebuilt.
#[test]
fn unreadable_tag_completions_do_not_stop_the_datapath() {
    let mut dev = Recorder::new(1);
    let mut drv = TxDriver::new(TxDriverConfig { policy: OooPolicy::Retransmit, ..TxDriverConfig::default() });
    let mut c = Conn::new(&mut drv, &mut dev, info(TlsVersion::V12, Cipher::Aes128Gcm), 0, Vec::new());
    c.sk.write(&[1; 100], 16_384).unwrap();
    dev.fail_tags = true;
    assert_eq!(c.send(&mut drv, &mut dev, 0, 129).0, XmitVerdict::Offloaded);
    assert!(drv.poll_tag_completions(&mut dev).is_err());
    assert_eq!(c.send(&mut drv, &mut dev, 100, 29).0, XmitVerdict::Rebuilt { dumps: 1, dump_bytes: 100 });
    assert_eq!(c.send(&mut drv, &mut dev, 0, 50).0, XmitVerdict::Retransmitted { tag: false });
    assert_eq!(c.send(&mut drv, &mut dev, 0, 129).0, XmitVerdict::Retransmitted { tag: false }, "offset 0");
    // Readable again: the completions the device kept arrive.
    dev.fail_tags = false;
    assert_eq!(c.send(&mut drv, &mut dev, 100, 29).0, XmitVerdict::Retransmitted { tag: true });
    // A context that cannot be drained is not added (a reused id could get
    // old tags).
    dev.fail_tags = true;
    let i = info(TlsVersion::V12, Cipher::Aes128Gcm);
    assert!(drv.tls_dev_add(&mut dev, Direction::Tx, &i, 0).is_err());
    assert_eq!(drv.stats().tx_tls_ctx, 1);
}
