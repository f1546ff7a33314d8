//! Context life cycle under live traffic on the Verilated device: install
//! until the table is full, further connections in software, delete and
//! reuse slots while frames flow. Application bytes exact for every
//! connection, no frame decrypted with a stale context, every counter equal
//! to the testbench's own count.

use rand::Rng;
use std::collections::{BTreeMap, VecDeque};
use tlsnic_device::csr;
use tlsnic_device::nic::SimNic;
use tlsnic_device::rx::SimRxDevice;
use tlsnic_driver::ktls_tx::{KtlsTx, TxMode};
use tlsnic_driver::record::{split_records, RecordCipher};
use tlsnic_driver::rx_device::{RxDevice, RxReason, RxResyncMode};
use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig, SockId};
use tlsnic_driver::tcp::{parse, FrameTemplate};
use tlsnic_driver::tx_offload::{OooPolicy, TxDesc, TxDevice, TxDriver, TxDriverConfig, TxWork, XmitVerdict};
use tlsnic_driver::types::{CtxId, Direction, FlowKey, TlsCryptoInfo};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{interleave, kind, scoreboard, RxStream, SentFrame};
use tlsnic_testbench::secrets;
use tlsnic_testbench::seed::{rng, test_seed};

#[test]
fn rx_table_full_delete_and_reuse_under_traffic() {
    let seed = test_seed("rx_table_full_delete_and_reuse_under_traffic");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x11fe, 0.05, 0.05);
    let n_ctx = sim.csr_read(csr::REG_N_CTX).expect("N_CTX") as usize;
    // Keys never read back: every key/IV register reads the no-register value.
    for a in
        (csr::REG_CMD_KEY..csr::REG_CMD_KEY + 32).step_by(4).chain((csr::REG_CMD_IV..csr::REG_CMD_IV + 12).step_by(4))
    {
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
    let mut drv = RxDriver::new(SimRxDevice::new(&mut sim), RxDriverConfig::default());
    let mut socks: Vec<SockId> = Vec::new();
    for s in &streams[..first] {
        socks.push(drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan));
    }
    let offloaded: Vec<bool> = socks.iter().map(|&k| drv.offloaded(k)).collect();
    assert_eq!(offloaded.iter().filter(|&&o| o).count(), n_ctx, "seed {seed}: the table holds N_CTX contexts");
    assert!(offloaded[n_ctx..].iter().all(|&o| !o), "seed {seed}: later connections stay in software");

    // Phase 1: the first half of every stream.
    let mut per: Vec<Vec<SentFrame>> = (0..first).map(|c| streams[c].sent_frames(c, &mut r, 1, 1448)).collect();
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
    // The table holds exactly the keys of the open offloaded connections:
    // nothing of a closed one's.
    let table = secrets::table_keys(drv.device().sim, "u_rx");
    let live: Vec<&[u8]> = (0..n_ctx).filter(|c| !victims.contains(c)).map(|c| &streams[c].info.key[..]).collect();
    assert_eq!(table.len(), live.len(), "seed {seed}: installed RX keys after the deletes");
    for (ctx, k) in &table {
        assert!(live.iter().any(|l| k.starts_with(l)), "seed {seed}: slot {ctx} holds a key of no open connection");
    }
    for s in &streams[first..] {
        let k = drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan);
        assert!(drv.offloaded(k), "seed {seed}: a freed slot is reused");
        socks.push(k);
    }
    let mut per2: Vec<Vec<SentFrame>> = rest;
    for (c, s) in streams.iter().enumerate().skip(first) {
        per2.push(s.sent_frames(c, &mut r, 1, 1448));
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
    // Close everything: no key material left in the RX engine, no round key
    // of any of its keys in its AES pipe.
    let keys: Vec<Vec<u8>> = streams.iter().map(|s| s.info.key.clone()).collect();
    assert!(!secrets::windows_holding(drv.device().sim, &keys).is_empty(), "seed {seed}: back door sees a live key");
    for (c, &k) in socks.iter().enumerate() {
        if drv.offloaded(k) && !victims.contains(&c) {
            drv.close(k).expect("tls_dev_del");
        }
    }
    drv.device().sim.tick(100);
    assert_eq!(secrets::nonzero(drv.device().sim, "u_rx"), Vec::<String>::new(), "seed {seed}: RX key material left");
    assert_eq!(secrets::nonzero(drv.device().sim, "cmd_"), Vec::<String>::new(), "seed {seed}: staging registers");
    assert_eq!(secrets::windows_holding(drv.device().sim, &keys), Vec::<String>::new(), "seed {seed}: round keys left");

    // Counters against the testbench's own counts.
    let dev = drv.device().rx_counters();
    let adds = n_ctx + later;
    assert_eq!(dev.ctx_add, adds as u64, "seed {seed}: rx_tls_ctx");
    assert_eq!(dev.ctx_del, adds as u64, "seed {seed}: rx_tls_del");
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

/// One TX connection of the TX life-cycle test: its socket, frame template,
/// the application bytes it wrote, and the first transmission of every
/// segment as it left the device (sequence number -> TCP payload).
struct TxConn {
    sk: KtlsTx,
    tmpl: FrameTemplate,
    start: u32,
    app: Vec<u8>,
    segs: VecDeque<(u32, usize)>,
    sent: Vec<(u32, usize)>,
    wire: BTreeMap<u32, Vec<u8>>,
}

fn tx_conn(r: &mut rand_chacha::ChaCha8Rng, i: usize, nic: &mut SimNic, drv: &mut TxDriver) -> TxConn {
    let (v, c) = kind(i);
    let key: Vec<u8> = (0..c.key_size()).map(|_| r.gen()).collect();
    let info = TlsCryptoInfo::new(v, c, key, r.gen(), r.gen(), r.gen_range(0..1000)).expect("crypto info");
    let start: u32 = r.gen();
    let mut sk = KtlsTx::new(info, start, Vec::new());
    let _ = sk.set_device_offload(|d, inf, sn| drv.tls_dev_add(nic, d, inf, sn));
    let app: Vec<u8> = (0..r.gen_range(1..7000)).map(|_| r.gen()).collect();
    let limit = r.gen_range(200..=16_384);
    sk.write_with(23, &app, limit, &mut drv.netdev(nic)).expect("records");
    let mss = r.gen_range(300..=1448);
    let segs = sk.segments(start, mss).into_iter().collect();
    let flow = FlowKey::V4 {
        saddr: [10, 2, (i >> 8) as u8, i as u8].into(),
        daddr: [10, 3, 0, 1].into(),
        sport: 20_000 + i as u16,
        dport: 443,
    };
    TxConn { sk, tmpl: FrameTemplate::new(flow), start, app, segs, sent: Vec::new(), wire: BTreeMap::new() }
}

/// What the TX test counts itself.
#[derive(Default, Debug)]
struct TxCount {
    enc_pkts: u64,
    enc_bytes: u64,
    plain: u64,
    rebuilt: u64,
    /// Frames taken from the wire so far.
    collected: u64,
}

/// Send one segment of `c` through the driver; the verdict counted.
fn tx_send(drv: &mut TxDriver, nic: &mut SimNic, c: &mut TxConn, seq: u32, len: usize, n: &mut TxCount) -> XmitVerdict {
    let f = c.tmpl.build(seq, &c.sk.bytes(seq, len).expect("held")).expect("frame");
    let v = drv.xmit(nic, f, &mut c.sk).expect("xmit");
    match v {
        XmitVerdict::Offloaded => {
            n.enc_pkts += 1;
            n.enc_bytes += len as u64;
        }
        XmitVerdict::Rebuilt { .. } => {
            n.enc_pkts += 1;
            n.enc_bytes += len as u64;
            n.rebuilt += 1;
        }
        XmitVerdict::Plain => n.plain += 1,
        ref other => panic!("segment {seq}+{len}: {other:?}"),
    }
    v
}

/// Frames on the wire, by connection (source port) into first
/// transmissions; a retransmission must equal the first transmission.
/// Runs the device until every frame sent so far is out (a pause of a few
/// hundred clocks inside the pipeline is not the end), at most 50 quiet
/// periods; the stream checks name what never came.
fn tx_collect(nic: &mut SimNic, conns: &mut [TxConn], seed: u64, n: &mut TxCount) {
    let mut wire = Vec::new();
    for _ in 0..50 {
        wire.extend(nic.take_wire().expect("wire"));
        if n.collected + wire.len() as u64 >= n.enc_pkts + n.plain {
            break;
        }
    }
    n.collected += wire.len() as u64;
    for w in wire {
        if let Err(e) = tlsnic_testbench::wire::check(&w) {
            panic!("seed {seed}: on the wire: {e}");
        }
        let p = parse(&w).expect("wire frame");
        let i = usize::from(p.key.sport() - 20_000);
        let pay = p.payload_of(&w).to_vec();
        match conns[i].wire.get(&p.seq) {
            Some(first) => assert!(*first == pay, "seed {seed}: conn {i} retransmission at {} differs", p.seq),
            None => {
                conns[i].wire.insert(p.seq, pay);
            }
        }
    }
}

/// The connection's TCP stream as the wire carried it, decrypted record by
/// record with the independent reference (`aes-gcm`) and the connection's
/// own key and record numbers.
fn tx_check_stream(c: &TxConn, i: usize, seed: u64) {
    let mut stream = Vec::new();
    let mut at = c.start;
    for (&s, p) in &c.wire {
        assert_eq!(s, at, "seed {seed}: conn {i}: hole in the stream");
        stream.extend_from_slice(p);
        at = at.wrapping_add(p.len() as u32);
    }
    assert_eq!(at, c.sk.write_seq(), "seed {seed}: conn {i}: stream incomplete");
    let cipher = RecordCipher::new(c.sk.crypto_info()).unwrap();
    let mut app = Vec::new();
    for (k, rec) in split_records(&stream).expect("records").into_iter().enumerate() {
        let o = cipher
            .open(c.sk.crypto_info().rec_seq + k as u64, rec)
            .unwrap_or_else(|e| panic!("seed {seed}: conn {i} record {k}: {e}"));
        app.extend_from_slice(&o.plaintext);
    }
    assert!(app == c.app, "seed {seed}: conn {i}: application bytes differ");
}

/// TX context life cycle under live traffic on the Verilated device:
/// contexts until the table is full, the rest in software (`TLS_SW`);
/// connections closed and their slots reused by new ones while the others
/// keep sending; a frame marked with a deleted context is dropped, one
/// with a reused slot's old sequence is dropped, and every record on the
/// wire decrypts with its own connection's key. Key material is gone from
/// the device after each delete; counters equal the testbench's counts.
#[test]
fn tx_table_full_delete_and_reuse_under_traffic() {
    let seed = test_seed("tx_table_full_delete_and_reuse_under_traffic");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x7fe, 0.05, 0.05);
    let mut nic = SimNic::new(&mut sim).expect("device");
    let n_ctx = nic.sim.csr_read(csr::REG_N_CTX).unwrap() as usize;
    let mut drv = TxDriver::new(TxDriverConfig { dump_mtu: 8000, policy: OooPolicy::Rebuild });
    let (first, later) = (n_ctx + 6, 10);
    let mut conns: Vec<TxConn> = (0..first).map(|i| tx_conn(&mut r, i, &mut nic, &mut drv)).collect();
    let hw = |c: &TxConn| c.sk.mode() == TxMode::Hw;
    assert_eq!(conns.iter().filter(|c| hw(c)).count(), n_ctx, "seed {seed}: the table holds N_CTX contexts");
    assert!(conns[n_ctx..].iter().all(|c| !hw(c)), "seed {seed}: later connections in software");
    let mut n = TxCount::default();
    // Installed: the slot holds the key (positive control of the back door).
    let c0 = conns[0].sk.driver_state().unwrap().0;
    let k0 = secrets::slot(nic.sim, "u_tx", c0).into_iter().find(|(l, _)| l.contains("c_key")).unwrap().1;
    assert_eq!(&k0[..conns[0].sk.crypto_info().key.len()], &conns[0].sk.crypto_info().key[..]);

    // Phase 1: about half of every connection's segments, interleaved, and
    // a few retransmissions (rebuilt by DUMP on offloaded connections).
    let step = |r: &mut rand_chacha::ChaCha8Rng,
                conns: &mut [TxConn],
                drv: &mut TxDriver,
                nic: &mut SimNic,
                n: &mut TxCount,
                ids: &[usize]| {
        let live: Vec<usize> = ids.iter().copied().filter(|&i| !conns[i].segs.is_empty()).collect();
        let Some(&i) = live.get(r.gen_range(0..live.len().max(1))) else { return false };
        let c = &mut conns[i];
        if !c.sent.is_empty() && r.gen_bool(0.03) {
            let (s, l) = c.sent[r.gen_range(0..c.sent.len())];
            tx_send(drv, nic, c, s, l, n);
        }
        let (s, l) = c.segs.pop_front().unwrap();
        tx_send(drv, nic, c, s, l, n);
        c.sent.push((s, l));
        true
    };
    let all: Vec<usize> = (0..first).collect();
    let half: usize = conns.iter().map(|c| c.segs.len()).sum::<usize>() / 2;
    for _ in 0..half {
        step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &all);
    }
    tx_collect(&mut nic, &mut conns, seed, &mut n);

    // Phase 2: close `later` offloaded connections (the rest of their
    // stream is sent first and acknowledged, as the kernel deletes a TX
    // context only after the socket is gone), then reuse their slots.
    let victims: Vec<usize> = (0..n_ctx).step_by(5).take(later).collect();
    for &v in &victims {
        while step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &[v]) {}
    }
    tx_collect(&mut nic, &mut conns, seed, &mut n);
    let mut freed = Vec::new();
    for &v in &victims {
        let c = &mut conns[v];
        let ctx = c.sk.driver_state().unwrap();
        c.sk.ack(c.sk.write_seq());
        drv.tls_dev_del(&mut nic, ctx, Direction::Tx).expect("tls_dev_del");
        freed.push(ctx);
        let left: Vec<String> = secrets::slot(nic.sim, "u_tx", ctx.0)
            .into_iter()
            .filter(|(_, b)| b.iter().any(|&x| x != 0))
            .map(|x| x.0)
            .collect();
        assert!(left.is_empty(), "seed {seed}: key material left after delete: {left:?}");
    }
    // A frame still marked with a deleted context (a driver bug or a stale
    // descriptor) is dropped, never encrypted with a stale or zero key.
    let rd = |nic: &mut SimNic, i: usize| nic.sim.csr_read(csr::tx_counter(i)).unwrap();
    let drop_ctx0 = rd(&mut nic, csr::TX_CNT_DROP_CTX);
    let v0 = victims[0];
    let stale = conns[v0].tmpl.build(conns[v0].sk.write_seq(), &[0x17, 3, 3, 0, 40]).unwrap();
    nic.post(TxWork::Frame { desc: TxDesc::offload(freed[0]), frame: stale.clone() }).unwrap();
    assert!(nic.take_wire().unwrap().is_empty(), "seed {seed}: a frame of a deleted context left the device");
    assert_eq!(rd(&mut nic, csr::TX_CNT_DROP_CTX), drop_ctx0 + 1, "seed {seed}: counted as no context");

    // New connections take the freed slots.
    for i in first..first + later {
        let c = tx_conn(&mut r, i, &mut nic, &mut drv);
        let ctx = c.sk.driver_state().unwrap_or_else(|| panic!("seed {seed}: conn {i} not offloaded"));
        assert!(freed.contains(&ctx), "seed {seed}: conn {i} got {ctx:?}, not a freed slot");
        conns.push(c);
    }
    // The old connection's next frame on its reused slot: the new context
    // expects its own sequence number, so the frame is dropped.
    let drop_seq0 = rd(&mut nic, csr::TX_CNT_DROP_SEQ);
    nic.post(TxWork::Frame { desc: TxDesc::offload(freed[0]), frame: stale }).unwrap();
    assert!(
        nic.take_wire().unwrap().is_empty(),
        "seed {seed}: an old connection's frame on a reused slot left the device"
    );
    assert_eq!(rd(&mut nic, csr::TX_CNT_DROP_SEQ), drop_seq0 + 1, "seed {seed}");

    // Everything else, interleaved.
    let rest: Vec<usize> = (0..first + later).filter(|i| !victims.contains(i)).collect();
    while step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &rest) {}
    tx_collect(&mut nic, &mut conns, seed, &mut n);
    for (i, c) in conns.iter().enumerate() {
        tx_check_stream(c, i, seed);
    }

    // Close everything: no key material anywhere in the TX engine, and no
    // round key of any key it ever had in its AES pipe.
    let keys: Vec<Vec<u8>> = conns.iter().map(|c| c.sk.crypto_info().key.clone()).collect();
    assert!(!secrets::windows_holding(nic.sim, &keys).is_empty(), "seed {seed}: back door sees the live key");
    let open: Vec<CtxId> = conns
        .iter()
        .enumerate()
        .filter(|(i, c)| !victims.contains(i) && hw(c))
        .map(|(_, c)| c.sk.driver_state().unwrap())
        .collect();
    for &ctx in &open {
        drv.tls_dev_del(&mut nic, ctx, Direction::Tx).expect("tls_dev_del");
    }
    nic.sim.tick(100);
    assert_eq!(secrets::nonzero(nic.sim, "u_tx"), Vec::<String>::new(), "seed {seed}: TX key material left");
    assert_eq!(secrets::nonzero(nic.sim, "cmd_"), Vec::<String>::new(), "seed {seed}: staging registers");
    assert_eq!(secrets::windows_holding(nic.sim, &keys), Vec::<String>::new(), "seed {seed}: round keys left");

    // Counters against the testbench's own counts.
    let st = drv.stats().clone();
    let adds = (n_ctx + later) as u64;
    assert_eq!(st.tx_tls_ctx, adds, "seed {seed}: tx_tls_ctx");
    assert_eq!(st.tx_tls_del, adds, "seed {seed}: tx_tls_del");
    assert_eq!(st.tx_tls_ctx_table_full, (first - n_ctx) as u64, "seed {seed}");
    assert_eq!(st.tx_tls_ooo, n.rebuilt, "seed {seed}: tx_tls_ooo");
    assert_eq!(st.tx_tls_resync, n.rebuilt, "seed {seed}: tx_tls_resync");
    let dev = nic.tx_counters().unwrap();
    assert_eq!(dev.tx_tls_encrypted_packets, n.enc_pkts, "seed {seed}: tx_tls_encrypted_packets");
    assert_eq!(dev.tx_tls_encrypted_bytes, n.enc_bytes, "seed {seed}: tx_tls_encrypted_bytes");
    assert_eq!(u64::from(rd(&mut nic, csr::TX_CNT_PASS)), n.plain, "seed {seed}: unmarked frames passed");
    assert_eq!(u64::from(rd(&mut nic, csr::TX_CNT_CTX_ADD)), adds, "seed {seed}: device TX_CTX_ADD");
    assert_eq!(u64::from(rd(&mut nic, csr::TX_CNT_CTX_DEL)), adds, "seed {seed}: device TX_CTX_DEL");
    eprintln!(
        "seed {seed}: {} TX connections ({} offloaded, {} in software, {} slots reused); {} frames encrypted, {} bytes, {} rebuilt, {} unmarked",
        conns.len(),
        adds,
        first - n_ctx,
        later,
        n.enc_pkts,
        n.enc_bytes,
        n.rebuilt,
        n.plain
    );
}

/// A random IPv4 flow towards port 443.
fn random_v4_flow(r: &mut rand_chacha::ChaCha8Rng) -> FlowKey {
    FlowKey::V4 {
        saddr: std::net::Ipv4Addr::from(r.gen::<u32>()),
        daddr: std::net::Ipv4Addr::from(r.gen::<u32>()),
        sport: r.gen(),
        dport: 443,
    }
}

/// The RX flow table is hashed (two banks of 4-way buckets, docs/rx.md): a
/// flow whose two buckets are full cannot be installed even with contexts
/// free. It stays in software through the table-full path (ERR_TABLE_FULL,
/// `rx_tls_ctx_full`) and gets in once a flow of its buckets is deleted.
/// The flows are picked with the testbench's own model of the placement
/// rule (`flowhash`), so a device that hashed or placed otherwise fails.
#[test]
fn rx_flow_bucket_overflow_goes_to_software() {
    use tlsnic_device::rx::{sim_rx_add, sim_rx_del};
    use tlsnic_driver::types::{Cipher, DeviceError, TlsVersion};
    use tlsnic_testbench::flowhash;
    let seed = test_seed("rx_flow_bucket_overflow_goes_to_software");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let n_ctx = sim.csr_read(csr::REG_N_CTX).unwrap() as usize;
    let full = |sim: &mut Sim| sim.csr_read(csr::rx_counter(csr::RX_CNT_FULL)).unwrap();
    // Nine flows that all hash to the same two buckets.
    let target = flowhash::bucket_pair(&random_v4_flow(&mut r), n_ctx);
    let mut flows: Vec<FlowKey> = Vec::new();
    while flows.len() < 9 {
        let f = random_v4_flow(&mut r);
        if flowhash::bucket_pair(&f, n_ctx) == target && !flows.contains(&f) {
            flows.push(f);
        }
    }
    let key: Vec<u8> = (0..16).map(|_| r.gen()).collect();
    let info = TlsCryptoInfo::new(TlsVersion::V12, Cipher::Aes128Gcm, key, r.gen(), r.gen(), 0).expect("16-byte key");
    let full0 = full(&mut sim);
    let ids: Vec<CtxId> = flows[..8]
        .iter()
        .map(|&f| sim_rx_add(&mut sim, f, &info, 1000, RxResyncMode::StreamScan).expect("eight flows fit two buckets"))
        .collect();
    let ninth = sim_rx_add(&mut sim, flows[8], &info, 1000, RxResyncMode::StreamScan);
    assert!(matches!(ninth, Err(DeviceError::TableFull)), "seed {seed}: the ninth flow of {target:?}: {ninth:?}");
    assert_eq!(full(&mut sim), full0 + 1, "seed {seed}: rx_tls_ctx_full counts the refusal");
    assert!(ids.len() < n_ctx, "contexts were free: the buckets were the limit");
    // A flow with other buckets still gets a context.
    let other = loop {
        let f = random_v4_flow(&mut r);
        let (b0, b1) = flowhash::bucket_pair(&f, n_ctx);
        if b0 != target.0 && b1 != target.1 {
            break f;
        }
    };
    sim_rx_add(&mut sim, other, &info, 1000, RxResyncMode::StreamScan).expect("a flow in other buckets");
    // Free one flow of the full buckets: the ninth fits.
    sim_rx_del(&mut sim, ids[3]).expect("delete");
    sim_rx_add(&mut sim, flows[8], &info, 1000, RxResyncMode::StreamScan).expect("the ninth flow after a delete");
    assert_eq!(full(&mut sim), full0 + 1, "seed {seed}: no further refusal");
}
