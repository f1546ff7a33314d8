//! Context life cycle under live traffic on the Verilated device, RX and
//! TX: install until the table is full, further connections in software,
//! delete and reuse slots while frames flow. Application bytes exact for
//! every connection (checked with the independent references: the RX
//! scoreboard and the kTLS RX model, RustCrypto `aes-gcm` on the TX wire),
//! no frame decrypted or encrypted with a stale context, no key material
//! left after a delete, every counter equal to the testbench's own count.
//! The tests (`tests/ctx_lifecycle.rs`) and the regression's `lifecycle`
//! family run these.

use crate::diverge::Divergence;
use crate::rx::{interleave, kind, scoreboard_at, RxStream, SentFrame};
use crate::scenario::ScenarioError;
use crate::secrets;
use crate::seed::rng;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
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

fn check(what: String) -> ScenarioError {
    ScenarioError::Check(what)
}

/// What [`rx_lifecycle_run`] did.
#[derive(Clone, Debug, Default)]
pub struct RxLifecycleReport {
    /// Connections (offloaded, in software, opened into freed slots).
    pub conns: usize,
    /// Frames checked by the scoreboard.
    pub frames: u64,
    /// Frames by reason code.
    pub by_reason: BTreeMap<u8, u64>,
    /// Contexts added.
    pub adds: u64,
    /// Adds refused: table full.
    pub full: u64,
    /// Contexts deleted.
    pub deletes: u64,
}

/// RX context life cycle under traffic: `N_CTX + 8` connections opened
/// (the table holds `N_CTX`, the rest stay in software), half of every
/// stream received, 12 offloaded connections closed (their later frames
/// must pass as "no flow") and 12 new ones opened into the freed slots
/// while the others keep receiving (the first add with their frames in
/// flight in the device). Checks every frame (scoreboard), the
/// application bytes of every connection, that no key of a closed
/// connection stays in the table and none at all after the last close
/// (simulator back door), and the counters.
pub fn rx_lifecycle_run(seed: u64) -> Result<RxLifecycleReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x11fe, 0.05, 0.05);
    let n_ctx = sim.csr_read(csr::REG_N_CTX)? as usize;
    // Keys never read back: every key/IV register reads the no-register value.
    for a in
        (csr::REG_CMD_KEY..csr::REG_CMD_KEY + 32).step_by(4).chain((csr::REG_CMD_IV..csr::REG_CMD_IV + 12).step_by(4))
    {
        let v = sim.csr_read(a)?;
        ensure!(v == 0xDEAD_BEEF, "key/IV register {a:#x} reads {v:#x}, not the no-register value");
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
    let n_off = offloaded.iter().filter(|&&o| o).count();
    ensure!(n_off == n_ctx, "{n_off} connections offloaded: the table holds N_CTX = {n_ctx} contexts");
    ensure!(offloaded[n_ctx..].iter().all(|&o| !o), "a connection beyond the table was offloaded");

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
        drv.close(socks[v])?;
    }
    // The table holds exactly the keys of the open offloaded connections:
    // nothing of a closed one's.
    let table = secrets::table_keys(drv.device().sim, "u_rx");
    let live: Vec<&[u8]> = (0..n_ctx).filter(|c| !victims.contains(c)).map(|c| &streams[c].info.key[..]).collect();
    ensure!(table.len() == live.len(), "{} RX keys installed after the deletes, {} expected", table.len(), live.len());
    for (ctx, k) in &table {
        ensure!(live.iter().any(|l| k.starts_with(l)), "slot {ctx} holds a key of no open connection");
    }
    // The next frames of the other connections reach the device before the
    // new connections are opened: the first add runs while they flow (the
    // command holds new frames and waits for those in flight to drain).
    let mut rest = rest;
    let early_per: Vec<Vec<SentFrame>> = rest.iter_mut().map(|v| v.drain(..v.len().min(2)).collect()).collect();
    let early = interleave(&mut r, early_per);
    let early_bytes: Vec<Vec<u8>> = early.iter().map(|f| f.bytes.clone()).collect();
    drv.device().preload(&early_bytes)?;
    for s in &streams[first..] {
        let k = drv.open(s.flow, s.info.clone(), s.start, RxResyncMode::StreamScan);
        ensure!(drv.offloaded(k), "a freed slot was not reused");
        socks.push(k);
    }
    let phase1 = sent.len();
    got.extend(drv.receive(early_bytes));
    sent.extend(early);
    let mut per2: Vec<Vec<SentFrame>> = rest;
    for (c, s) in streams.iter().enumerate().skip(first) {
        per2.push(s.sent_frames(c, &mut r, 1, 1448));
    }
    let phase2 = interleave(&mut r, per2);
    for chunk in phase2.chunks(32) {
        got.extend(drv.receive(chunk.iter().map(|f| f.bytes.clone()).collect()));
    }
    sent.extend(phase2);
    let stamps = std::mem::take(&mut drv.device().stamps);
    let t = scoreboard_at(&streams, &sent, &got, &stamps)?;
    // Frames of closed connections after their close: their 4-tuple is
    // gone, so they pass unmarked as "no flow", never decrypted.
    for (i, (f, g)) in sent.iter().zip(&got).enumerate().skip(phase1) {
        if f.origin.is_some_and(|(c, _)| victims.contains(&c)) && g.meta.reason != RxReason::NoFlow {
            let what = format!("a closed connection's frame: {:?}, not NoFlow", g.meta.reason);
            return Err(Divergence::frame(what, i, stamps.get(i).copied()).into());
        }
    }
    // Application bytes: every open connection exact; victims got their
    // first half (the stack drops frames of a closed socket).
    for (c, &k) in socks.iter().enumerate() {
        let app = drv.read_app(k);
        ensure!(drv.socket_error(k).is_none(), "conn {c}: {:?}", drv.socket_error(k));
        if victims.contains(&c) {
            ensure!(streams[c].app.starts_with(&app), "conn {c} (closed): not a prefix of its application bytes");
        } else {
            ensure!(
                app == streams[c].app,
                "conn {c}: {} of {} application bytes, wrong",
                app.len(),
                streams[c].app.len()
            );
        }
    }
    // Close everything: no key material left in the RX engine, no round key
    // of any of its keys in its AES pipe.
    let keys: Vec<Vec<u8>> = streams.iter().map(|s| s.info.key.clone()).collect();
    ensure!(
        !secrets::windows_holding(drv.device().sim, &keys).is_empty(),
        "the back door sees no live key (positive control)"
    );
    for (c, &k) in socks.iter().enumerate() {
        if drv.offloaded(k) && !victims.contains(&c) {
            drv.close(k)?;
        }
    }
    let sim = &mut *drv.device().sim;
    sim.try_tick(100)?;
    let left = secrets::nonzero(sim, "u_rx");
    ensure!(left.is_empty(), "RX key material left: {left:?}");
    let left = secrets::nonzero(sim, "cmd_");
    ensure!(left.is_empty(), "staging registers hold key material: {left:?}");
    let left = secrets::windows_holding(sim, &keys);
    ensure!(left.is_empty(), "round keys left: {left:?}");

    // Counters against the testbench's own counts.
    let dev = drv.device().rx_counters();
    let adds = (n_ctx + later) as u64;
    ensure!(dev.ctx_add == adds, "rx_tls_ctx {}, {adds} expected", dev.ctx_add);
    ensure!(dev.ctx_del == adds, "rx_tls_del {}, {adds} expected", dev.ctx_del);
    ensure!(dev.ctx_full == (first - n_ctx) as u64, "table-full refusals {}, {} expected", dev.ctx_full, first - n_ctx);
    let dec = t.count(RxReason::Decrypted);
    ensure!(dev.decrypted_packets == dec, "rx_tls_decrypted_packets {}, scoreboard {dec}", dev.decrypted_packets);
    ensure!(
        dev.decrypted_bytes == t.decrypted_bytes,
        "rx_tls_decrypted_bytes {}, scoreboard {}",
        dev.decrypted_bytes,
        t.decrypted_bytes
    );
    let nf = t.count(RxReason::NoFlow);
    ensure!(dev.pass_no_flow == nf, "rx_tls_pass_no_flow {}, scoreboard {nf}", dev.pass_no_flow);
    let sw_frames = sent.iter().filter(|f| f.origin.is_some_and(|(c, _)| (n_ctx..first).contains(&c))).count() as u64;
    ensure!(dev.pass_no_flow >= sw_frames, "software connections' {sw_frames} frames did not all miss the flow table");
    Ok(RxLifecycleReport {
        conns: total,
        frames: t.frames,
        by_reason: t.by_reason,
        adds: dev.ctx_add,
        full: dev.ctx_full,
        deletes: dev.ctx_del,
    })
}

/// One TX connection of [`tx_lifecycle_run`]: its socket, frame template,
/// the application bytes it wrote, and the first transmission of every
/// segment as it left the device (offset from `start` -> TCP payload).
struct TxConn {
    sk: KtlsTx,
    tmpl: FrameTemplate,
    start: u32,
    app: Vec<u8>,
    segs: VecDeque<(u32, usize)>,
    sent: Vec<(u32, usize)>,
    wire: BTreeMap<u32, Vec<u8>>,
}

fn tx_conn(r: &mut ChaCha8Rng, i: usize, nic: &mut SimNic, drv: &mut TxDriver) -> Result<TxConn, ScenarioError> {
    let (v, c) = kind(i);
    let key: Vec<u8> = (0..c.key_size()).map(|_| r.gen()).collect();
    let info = TlsCryptoInfo::new(v, c, key, r.gen(), r.gen(), r.gen_range(0..1000))
        .map_err(|e| check(format!("crypto info: {e}")))?;
    let start: u32 = r.gen();
    let mut sk = KtlsTx::new(info, start, Vec::new());
    // refused when the table is full: the socket stays in software
    let _ = sk.set_device_offload(|d, inf, sn| drv.tls_dev_add(nic, d, inf, sn));
    let app: Vec<u8> = (0..r.gen_range(1..7000)).map(|_| r.gen()).collect();
    let limit = r.gen_range(200..=16_384);
    sk.write_with(23, &app, limit, &mut drv.netdev(nic))?;
    let mss = r.gen_range(300..=1448);
    let segs = sk.segments(start, mss).into_iter().collect();
    let flow = FlowKey::V4 {
        saddr: [10, 2, (i >> 8) as u8, i as u8].into(),
        daddr: [10, 3, 0, 1].into(),
        sport: 20_000 + i as u16,
        dport: 443,
    };
    Ok(TxConn { sk, tmpl: FrameTemplate::new(flow), start, app, segs, sent: Vec::new(), wire: BTreeMap::new() })
}

/// What the TX run counts itself.
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
fn tx_send(
    drv: &mut TxDriver,
    nic: &mut SimNic,
    c: &mut TxConn,
    seq: u32,
    len: usize,
    n: &mut TxCount,
) -> Result<XmitVerdict, ScenarioError> {
    let bytes = c.sk.bytes(seq, len).ok_or_else(|| check(format!("segment {seq}+{len} not held")))?;
    let f = c.tmpl.build(seq, &bytes).map_err(|e| check(format!("frame: {e}")))?;
    let v = drv.xmit(nic, f, &mut c.sk)?;
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
        ref other => return Err(check(format!("segment {seq}+{len}: driver verdict {other:?}"))),
    }
    Ok(v)
}

/// Frames on the wire, by connection (source port) into first
/// transmissions; a retransmission must equal the first transmission.
/// Runs the device until every frame sent so far is out (a pause of a few
/// hundred clocks inside the pipeline is not the end), at most 50 quiet
/// periods; the stream checks name what never came.
fn tx_collect(nic: &mut SimNic, conns: &mut [TxConn], n: &mut TxCount) -> Result<(), ScenarioError> {
    let mut wire = Vec::new();
    let first = nic.sim.cycle();
    for _ in 0..50 {
        wire.extend(nic.take_wire()?);
        if n.collected + wire.len() as u64 >= n.enc_pkts + n.plain {
            break;
        }
    }
    let cycles = Some((first, nic.sim.cycle()));
    let base = n.collected as usize;
    n.collected += wire.len() as u64;
    for (k, w) in wire.into_iter().enumerate() {
        let idx = base + k;
        if let Err(e) = crate::wire::check(&w) {
            return Err(Divergence::frame(format!("on the wire: {e}"), idx, cycles).into());
        }
        let p = parse(&w).map_err(|e| Divergence::frame(format!("wire frame: {e}"), idx, cycles))?;
        let i = usize::from(p.key.sport().wrapping_sub(20_000));
        let Some(c) = conns.get_mut(i) else {
            return Err(
                Divergence::frame(format!("source port {} of no connection", p.key.sport()), idx, cycles).into()
            );
        };
        let pay = p.payload_of(&w).to_vec();
        // keyed by the offset from the stream's start, so that the map's
        // order is the stream's across the 2^32 wrap
        let off = p.seq.wrapping_sub(c.start);
        match c.wire.get(&off) {
            Some(first) if *first != pay => {
                let what = format!("conn {i}: retransmission at {} differs from the first transmission", p.seq);
                return Err(Divergence::bytes(what, idx, &pay, first, cycles).into());
            }
            Some(_) => {}
            None => {
                c.wire.insert(off, pay);
            }
        }
    }
    Ok(())
}

/// The connection's TCP stream as the wire carried it, decrypted record by
/// record with the independent reference (`aes-gcm`) and the connection's
/// own key and record numbers.
fn tx_check_stream(c: &TxConn, i: usize) -> Result<(), ScenarioError> {
    let mut stream = Vec::new();
    let mut at = c.start;
    for (&off, p) in &c.wire {
        let s = c.start.wrapping_add(off);
        ensure!(s == at, "conn {i}: hole in the stream at {at:#x} (next segment at {s:#x})");
        stream.extend_from_slice(p);
        at = at.wrapping_add(p.len() as u32);
    }
    ensure!(at == c.sk.write_seq(), "conn {i}: stream incomplete: ends at {at:#x}, not {:#x}", c.sk.write_seq());
    let cipher = RecordCipher::new(c.sk.crypto_info()).map_err(|e| check(format!("conn {i}: {e}")))?;
    let mut app = Vec::new();
    let recs = split_records(&stream).map_err(|e| check(format!("conn {i}: records: {e}")))?;
    for (k, rec) in recs.into_iter().enumerate() {
        let o = cipher
            .open(c.sk.crypto_info().rec_seq + k as u64, rec)
            .map_err(|e| check(format!("conn {i} record {k}: {e}")))?;
        app.extend_from_slice(&o.plaintext);
    }
    ensure!(app == c.app, "conn {i}: application bytes differ");
    Ok(())
}

/// What [`tx_lifecycle_run`] did.
#[derive(Clone, Debug, Default)]
pub struct TxLifecycleReport {
    /// Connections.
    pub conns: usize,
    /// Contexts added.
    pub adds: u64,
    /// Connections in software (table full).
    pub software: u64,
    /// Slots reused.
    pub reused: u64,
    /// Frames encrypted by the device.
    pub encrypted: u64,
    /// Their TCP payload bytes.
    pub encrypted_bytes: u64,
    /// Retransmissions rebuilt by DUMP.
    pub rebuilt: u64,
    /// Unmarked frames (software connections).
    pub plain: u64,
}

/// TX context life cycle under live traffic: contexts until the table is
/// full, the rest in software (`TLS_SW`); connections closed (the deletes
/// with the others' frames in flight in the device) and their slots reused
/// by new ones while the others keep sending; a frame marked
/// with a deleted context is dropped, one with a reused slot's old
/// sequence is dropped, and every record on the wire decrypts with its own
/// connection's key. Key material is gone from the device after each
/// delete; counters equal the testbench's counts.
pub fn tx_lifecycle_run(seed: u64) -> Result<TxLifecycleReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x7fe, 0.05, 0.05);
    let mut nic = SimNic::new(&mut sim)?;
    let n_ctx = nic.sim.csr_read(csr::REG_N_CTX)? as usize;
    let mut drv = TxDriver::new(TxDriverConfig { dump_mtu: 8000, policy: OooPolicy::Rebuild });
    let (first, later) = (n_ctx + 6, 10);
    let mut conns = Vec::new();
    for i in 0..first {
        conns.push(tx_conn(&mut r, i, &mut nic, &mut drv)?);
    }
    let hw = |c: &TxConn| c.sk.mode() == TxMode::Hw;
    let n_hw = conns.iter().filter(|c| hw(c)).count();
    ensure!(n_hw == n_ctx, "{n_hw} connections offloaded: the table holds N_CTX = {n_ctx} contexts");
    ensure!(conns[n_ctx..].iter().all(|c| !hw(c)), "a connection beyond the table was offloaded");
    let mut n = TxCount::default();
    // Installed: the slot holds the key (positive control of the back door).
    let c0 = conns[0].sk.driver_state().ok_or_else(|| check("conn 0 not offloaded".into()))?.0;
    let k0 = secrets::slot(nic.sim, "u_tx", c0).into_iter().find(|(l, _)| l.contains("c_key")).map(|x| x.1);
    let key0 = &conns[0].sk.crypto_info().key;
    ensure!(k0.is_some_and(|k| k.starts_with(key0)), "slot {c0} does not hold conn 0's key (back door)");

    // Phase 1: about half of every connection's segments, interleaved, and
    // a few retransmissions (rebuilt by DUMP on offloaded connections).
    let step = |r: &mut ChaCha8Rng,
                conns: &mut [TxConn],
                drv: &mut TxDriver,
                nic: &mut SimNic,
                n: &mut TxCount,
                ids: &[usize]|
     -> Result<bool, ScenarioError> {
        let live: Vec<usize> = ids.iter().copied().filter(|&i| !conns[i].segs.is_empty()).collect();
        let Some(&i) = live.get(r.gen_range(0..live.len().max(1))) else { return Ok(false) };
        let c = &mut conns[i];
        if !c.sent.is_empty() && r.gen_bool(0.03) {
            let (s, l) = c.sent[r.gen_range(0..c.sent.len())];
            tx_send(drv, nic, c, s, l, n)?;
        }
        let (s, l) = c.segs.pop_front().expect("a live connection has segments");
        tx_send(drv, nic, c, s, l, n)?;
        c.sent.push((s, l));
        Ok(true)
    };
    let all: Vec<usize> = (0..first).collect();
    let half: usize = conns.iter().map(|c| c.segs.len()).sum::<usize>() / 2;
    for _ in 0..half {
        step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &all)?;
    }
    tx_collect(&mut nic, &mut conns, &mut n)?;

    // Phase 2: close `later` offloaded connections (the rest of their
    // stream is sent first and acknowledged, as the kernel deletes a TX
    // context only after the socket is gone), then reuse their slots.
    let victims: Vec<usize> = (0..n_ctx).step_by(5).take(later).collect();
    for &v in &victims {
        while step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &[v])? {}
    }
    tx_collect(&mut nic, &mut conns, &mut n)?;
    // The other connections keep sending: the deletes run with their frames
    // in flight (a delete holds new frames and waits for the pipeline to
    // drain).
    let others: Vec<usize> = (0..first).filter(|i| !victims.contains(i)).collect();
    for _ in 0..24 {
        step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &others)?;
    }
    let mut freed = Vec::new();
    for &v in &victims {
        let c = &mut conns[v];
        let ctx = c.sk.driver_state().ok_or_else(|| check(format!("conn {v} not offloaded")))?;
        c.sk.ack(c.sk.write_seq());
        drv.tls_dev_del(&mut nic, ctx, Direction::Tx)?;
        freed.push(ctx);
        let left: Vec<String> = secrets::slot(nic.sim, "u_tx", ctx.0)
            .into_iter()
            .filter(|(_, b)| b.iter().any(|&x| x != 0))
            .map(|x| x.0)
            .collect();
        ensure!(left.is_empty(), "key material left after the delete of {ctx:?}: {left:?}");
    }
    tx_collect(&mut nic, &mut conns, &mut n)?;
    // A frame still marked with a deleted context (a driver bug or a stale
    // descriptor) is dropped, never encrypted with a stale or zero key.
    let rd = |nic: &mut SimNic, i: usize| nic.sim.csr_read(csr::tx_counter(i));
    let drop_ctx0 = rd(&mut nic, csr::TX_CNT_DROP_CTX)?;
    let v0 = victims[0];
    let stale = conns[v0]
        .tmpl
        .build(conns[v0].sk.write_seq(), &[0x17, 3, 3, 0, 40])
        .map_err(|e| check(format!("frame: {e}")))?;
    nic.post(TxWork::Frame { desc: TxDesc::offload(freed[0]), frame: stale.clone() })?;
    ensure!(nic.take_wire()?.is_empty(), "a frame of a deleted context left the device");
    let d = rd(&mut nic, csr::TX_CNT_DROP_CTX)?;
    ensure!(d == drop_ctx0 + 1, "TX drops (no context) {d}, {} expected", drop_ctx0 + 1);

    // New connections take the freed slots.
    for i in first..first + later {
        let c = tx_conn(&mut r, i, &mut nic, &mut drv)?;
        let ctx = c.sk.driver_state().ok_or_else(|| check(format!("conn {i} not offloaded")))?;
        ensure!(freed.contains(&ctx), "conn {i} got {ctx:?}, not a freed slot");
        conns.push(c);
    }
    // The old connection's next frame on its reused slot: the new context
    // expects its own sequence number, so the frame is dropped.
    let drop_seq0 = rd(&mut nic, csr::TX_CNT_DROP_SEQ)?;
    nic.post(TxWork::Frame { desc: TxDesc::offload(freed[0]), frame: stale })?;
    ensure!(nic.take_wire()?.is_empty(), "an old connection's frame on a reused slot left the device");
    let d = rd(&mut nic, csr::TX_CNT_DROP_SEQ)?;
    ensure!(d == drop_seq0 + 1, "TX drops (sequence) {d}, {} expected", drop_seq0 + 1);

    // Everything else, interleaved.
    let rest: Vec<usize> = (0..first + later).filter(|i| !victims.contains(i)).collect();
    while step(&mut r, &mut conns, &mut drv, &mut nic, &mut n, &rest)? {}
    tx_collect(&mut nic, &mut conns, &mut n)?;
    for (i, c) in conns.iter().enumerate() {
        tx_check_stream(c, i)?;
    }

    // Close everything: no key material anywhere in the TX engine, and no
    // round key of any key it ever had in its AES pipe.
    let keys: Vec<Vec<u8>> = conns.iter().map(|c| c.sk.crypto_info().key.clone()).collect();
    ensure!(!secrets::windows_holding(nic.sim, &keys).is_empty(), "the back door sees no live key (positive control)");
    let open: Vec<CtxId> = conns
        .iter()
        .enumerate()
        .filter(|(i, c)| !victims.contains(i) && hw(c))
        .filter_map(|(_, c)| c.sk.driver_state())
        .collect();
    for &ctx in &open {
        drv.tls_dev_del(&mut nic, ctx, Direction::Tx)?;
    }
    nic.sim.try_tick(100)?;
    let left = secrets::nonzero(nic.sim, "u_tx");
    ensure!(left.is_empty(), "TX key material left: {left:?}");
    let left = secrets::nonzero(nic.sim, "cmd_");
    ensure!(left.is_empty(), "staging registers hold key material: {left:?}");
    let left = secrets::windows_holding(nic.sim, &keys);
    ensure!(left.is_empty(), "round keys left: {left:?}");

    // Counters against the testbench's own counts.
    let st = drv.stats().clone();
    let adds = (n_ctx + later) as u64;
    let sw = (first - n_ctx) as u64;
    ensure!(st.tx_tls_ctx == adds, "tx_tls_ctx {}, {adds} expected", st.tx_tls_ctx);
    ensure!(st.tx_tls_del == adds, "tx_tls_del {}, {adds} expected", st.tx_tls_del);
    ensure!(st.tx_tls_ctx_table_full == sw, "tx_tls_ctx_table_full {}, {sw} expected", st.tx_tls_ctx_table_full);
    ensure!(st.tx_tls_ooo == n.rebuilt, "tx_tls_ooo {}, {} rebuilt", st.tx_tls_ooo, n.rebuilt);
    ensure!(st.tx_tls_resync == n.rebuilt, "tx_tls_resync {}, {} rebuilt", st.tx_tls_resync, n.rebuilt);
    let dev = nic.tx_counters()?;
    ensure!(
        dev.tx_tls_encrypted_packets == n.enc_pkts,
        "tx_tls_encrypted_packets {}, {} sent",
        dev.tx_tls_encrypted_packets,
        n.enc_pkts
    );
    ensure!(
        dev.tx_tls_encrypted_bytes == n.enc_bytes,
        "tx_tls_encrypted_bytes {}, {} sent",
        dev.tx_tls_encrypted_bytes,
        n.enc_bytes
    );
    let pass = u64::from(rd(&mut nic, csr::TX_CNT_PASS)?);
    ensure!(pass == n.plain, "unmarked frames passed {pass}, {} sent", n.plain);
    let a = u64::from(rd(&mut nic, csr::TX_CNT_CTX_ADD)?);
    ensure!(a == adds, "device TX_CTX_ADD {a}, {adds} expected");
    let d = u64::from(rd(&mut nic, csr::TX_CNT_CTX_DEL)?);
    ensure!(d == adds, "device TX_CTX_DEL {d}, {adds} expected");
    Ok(TxLifecycleReport {
        conns: conns.len(),
        adds,
        software: sw,
        reused: later as u64,
        encrypted: n.enc_pkts,
        encrypted_bytes: n.enc_bytes,
        rebuilt: n.rebuilt,
        plain: n.plain,
    })
}
