//! TX offload scenarios on `tls_offload_top`: install contexts, send
//! marked frames of many interleaved connections, check the wire.

use crate::net::{checksums_ok, parse, Flow};
use crate::scenario::ScenarioError;
use crate::seed::rng;
use crate::tls::{split_records, TlsDir};
use rand::seq::SliceRandom;
use rand::Rng;
use tlsnic_driver::ktls_tx::{KtlsTx, RecordLookup};
use tlsnic_driver::tx_driver::{DevError, TxDesc, TxDevice, TxDriver, TxDriverStats, TxWork};
use tlsnic_driver::types::{seq_before, CryptoInfo, TlsVersion};
use tlsnic_sim::{Sim, SimError};

pub use crate::csr;
use crate::csr::command;

/// Install a TX context through the command registers; `Ok(false)` if the
/// device rejected the command.
pub fn add_tx_context(sim: &mut Sim, ctx: u16, d: &TlsDir, tcp_sn: u32) -> Result<bool, SimError> {
    csr::write_key_iv(sim, &d.key, &d.iv)?;
    csr::write_seq_rec(sim, tcp_sn, d.rec_seq)?;
    let ctrl = u32::from(ctx) | (u32::from(d.key.len() == 32) << 16) | (u32::from(d.v13) << 17);
    sim.csr_write(csr::CTRL, ctrl)?;
    Ok(command(sim, csr::OP_ADD_TX)?.is_ok())
}

/// Delete TX context `ctx`.
pub fn del_tx_context(sim: &mut Sim, ctx: u16) -> Result<bool, SimError> {
    sim.csr_write(csr::CTRL, u32::from(ctx))?;
    Ok(command(sim, csr::OP_DEL_TX)?.is_ok())
}

/// Descriptor in tuser: offload flag and context id.
pub fn tx_desc(offload: bool, ctx: u16) -> u64 {
    TxDesc { offload, ctx }.tuser()
}

/// The Verilated device as the driver model sees it.
pub struct SimTxDevice<'a> {
    /// The model.
    pub sim: &'a mut Sim,
    /// TX contexts the device has.
    pub contexts: usize,
}

impl TxDevice for SimTxDevice<'_> {
    fn tx_contexts(&self) -> usize {
        self.contexts
    }

    fn add_tx_context(&mut self, ctx: u16, info: &CryptoInfo, start_sn: u32) -> Result<(), DevError> {
        let d = TlsDir {
            v13: info.version == TlsVersion::V13,
            key: info.key.clone(),
            iv: info.iv12(),
            rec_seq: info.rec_seq,
        };
        match add_tx_context(self.sim, ctx, &d, start_sn) {
            Ok(true) => Ok(()),
            Ok(false) => Err(DevError::Rejected(format!("add ctx {ctx}"))),
            Err(e) => Err(DevError::Rejected(e.to_string())),
        }
    }

    fn del_tx_context(&mut self, ctx: u16) -> Result<(), DevError> {
        match del_tx_context(self.sim, ctx) {
            Ok(true) => Ok(()),
            Ok(false) => Err(DevError::Rejected(format!("del ctx {ctx}"))),
            Err(e) => Err(DevError::Rejected(e.to_string())),
        }
    }
}

/// Summary of a TX run.
#[derive(Clone, Debug, Default)]
pub struct TxReport {
    /// Connections.
    pub conns: usize,
    /// Records authenticated by the receiver model (pre-offload and offloaded).
    pub records: usize,
    /// Marked frames on the wire (first transmissions and retransmissions).
    pub marked: usize,
    /// Unmarked frames (all byte-identical): other traffic and pre-offload data.
    pub unmarked: usize,
    /// Application bytes recovered.
    pub app_bytes: usize,
    /// Cycles.
    pub cycles: u64,
    /// Retransmitted offloaded segments (rebuilt through DUMP), byte-identical.
    pub retransmits: usize,
    /// DUMP frames sent.
    pub dumps: usize,
    /// Driver statistics, summed over the run.
    pub driver: TxDriverStats,
}

struct Conn {
    flow: Flow,
    dir: TlsDir,
    ctx: u16,
    sock: KtlsTx,
    /// Application data of every record, pre-offload ones first.
    app: Vec<Vec<u8>>,
    /// Records before offload (software encrypted).
    pre_records: u64,
    /// (seq, len) of every first transmission, in order.
    segs: Vec<(u32, usize)>,
    /// How many of them carry pre-offload data.
    pre_segs: usize,
}

/// What the testbench expects on the wire for each unit of work.
enum Expect {
    /// Byte-identical to the input.
    Same,
    /// Pre-offload data sent in software before offload: identical, and
    /// part of the connection's stream.
    PreFirst { conn: usize },
    /// First transmission of an offloaded segment.
    First { conn: usize, seg: usize },
    /// Retransmission: identical to the first transmission of `seg`.
    Again { conn: usize, seg: usize },
}

fn random_flow<R: Rng>(r: &mut R, i: usize) -> Flow {
    let mut src = [0u8; 16];
    let mut dst = [0u8; 16];
    r.fill(&mut src);
    r.fill(&mut dst);
    Flow {
        ipv6: r.gen_bool(0.5),
        vlan: if r.gen_bool(0.3) { Some(r.gen_range(1..4095)) } else { None },
        src,
        dst,
        sport: 40_000 + i as u16,
        dport: 443,
        ip_opts: if r.gen_bool(0.2) { 4 * r.gen_range(1..=10) } else { 0 },
        tcp_opts: if r.gen_bool(0.5) { 4 * r.gen_range(1..=10) } else { 0 },
    }
}

/// Collect output frames of the wire port until `want` arrived (plus 2000
/// cycles to catch extra frames) or `max_cycles` passed.
pub fn collect_frames(sim: &mut Sim, want: usize, max_cycles: u64) -> Result<Vec<tlsnic_sim::Frame>, SimError> {
    let start = sim.cycle();
    let mut out = Vec::new();
    while out.len() < want && sim.cycle() - start < max_cycles {
        sim.tick(500);
        out.extend(sim.take_frames(0));
    }
    sim.tick(2000);
    out.extend(sim.take_frames(0));
    Ok(out)
}

/// Random TX run through the host models and the RTL: `conns` kTLS sockets
/// (TLS 1.2/1.3, AES-128/256, some with pre-offload data already encrypted
/// in software), records of 0..16 KB, TCP segments of 1..8822 bytes,
/// retransmissions of random unacknowledged segments (the driver rebuilds
/// device state with DUMP, or sends pre-offload data unmarked, or drops
/// segments straddling the offload start), unmarked traffic interleaved,
/// random backpressure. Checks every output frame (unmarked ones
/// byte-identical, marked ones changed only in payload and TCP checksum,
/// checksums valid, retransmissions identical to the first transmission,
/// nothing dropped by the driver on the wire), that every record decrypts
/// with aes-gcm to the application bytes, and that device and driver
/// counters equal the testbench's own counts.
pub fn tx_random_run(seed: u64, conns: usize, bytes_per_conn: usize) -> Result<TxReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    sim.set_backpressure(seed ^ 0x7e57, 0.1, 0.1);
    let fail = |what: &'static str, detail: String| ScenarioError::Mismatch { index: 0, what, detail };
    let n_ctx = sim.csr_read(0x0008)? as usize;
    let mut drv = TxDriver::new(n_ctx);
    let mut cs = Vec::new();
    let mut work: Vec<(TxWork, Option<Expect>)> = Vec::new();
    let mut expect_drops = 0u64;
    let mut expect_skips = 0u64;
    let mut expect_ooo = 0u64;
    for i in 0..conns {
        let v13 = r.gen_bool(0.5);
        let info = CryptoInfo {
            version: if v13 { TlsVersion::V13 } else { TlsVersion::V12 },
            key: (0..if r.gen_bool(0.5) { 16 } else { 32 }).map(|_| r.gen()).collect(),
            salt: r.gen(),
            iv: r.gen(),
            rec_seq: r.gen_range(10..1_000_000),
        };
        let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq: info.rec_seq };
        let start_sn: u32 = r.gen();
        // Records sent in software before offload started.
        let pre_records = if r.gen_bool(0.3) { r.gen_range(1..4u64) } else { 0 };
        let mut app = Vec::new();
        let mut pre = Vec::new();
        for k in 0..pre_records {
            let data: Vec<u8> = (0..r.gen_range(0..600)).map(|_| r.gen()).collect();
            pre.extend(dir.sealed_record(info.rec_seq - pre_records + k, &data));
            app.push(data);
        }
        let mut sock = KtlsTx::new(info.clone(), start_sn, pre);
        let ctx = {
            let mut dev = SimTxDevice { sim: &mut sim, contexts: n_ctx };
            drv.tls_dev_add(&mut dev, &info, start_sn).map_err(|e| fail("tls_dev_add", e.to_string()))?
        };
        let max_hdr = 18 + 40 + 60 + 60;
        let mss_cap = [1usize, 7, 100, 536, 1448, 9000 - max_hdr][r.gen_range(0..6)];
        let budget = if mss_cap < 100 { bytes_per_conn.min(1500) } else { bytes_per_conn };
        let mut total = 0;
        while total < budget {
            let n = match r.gen_range(0..10) {
                0..=3 => r.gen_range(0..=40),
                4..=7 => r.gen_range(41..=2000),
                _ => r.gen_range(2000..=16_384),
            };
            let data: Vec<u8> = (0..n).map(|_| r.gen()).collect();
            sock.push_record(&data);
            total += n;
            app.push(data);
        }
        // First transmissions (TSO in the socket model): random MSS per
        // burst, pre-offload data ending on a segment boundary.
        let mut segs = Vec::new();
        let mut s = sock.stream_start();
        while s != sock.write_seq() {
            let burst = sock.segments(s, r.gen_range(1..=mss_cap));
            let take = burst.len().min(r.gen_range(1..=8));
            segs.extend_from_slice(&burst[..take]);
            let (ls, ll) = burst[take - 1];
            s = ls.wrapping_add(ll as u32);
        }
        let pre_segs = segs.iter().filter(|&&(s, _)| seq_before(s, start_sn)).count();
        cs.push(Conn { flow: random_flow(&mut r, i), dir, ctx, sock, app, pre_records, segs, pre_segs });
    }
    // Interleave connections (each in order), with unmarked traffic and
    // retransmissions; ACK old data now and then.
    let plain_flow = random_flow(&mut r, 999);
    let mut order: Vec<usize> = cs.iter().enumerate().flat_map(|(i, c)| std::iter::repeat_n(i, c.segs.len())).collect();
    order.shuffle(&mut r);
    let mut next = vec![0usize; cs.len()];
    let mut acked = vec![0usize; cs.len()];
    // The device's expected sequence number, tracked by the testbench.
    let mut dev_exp: Vec<u32> = cs.iter().map(|c| c.sock.start_sn).collect();
    for ci in order {
        if r.gen_bool(0.1) {
            let junk: Vec<u8> = (0..r.gen_range(0..300)).map(|_| r.gen()).collect();
            let f = if r.gen_bool(0.5) {
                plain_flow.frame(r.gen(), &junk)
            } else {
                let mut f = [vec![0xffu8; 12], vec![0x88, 0xb5], junk].concat();
                f.resize(f.len().max(60), 0);
                f
            };
            work.push((TxWork::Frame { frame: f, desc: TxDesc { offload: false, ctx: 0 } }, Some(Expect::Same)));
        }
        let c = &cs[ci];
        // A retransmission of an unacknowledged segment.
        if next[ci] > acked[ci] && r.gen_bool(0.05) {
            let j = r.gen_range(acked[ci]..next[ci]);
            let (seq, len) = c.segs[j];
            let frame = c.flow.frame(seq, &c.sock.bytes(seq, len).expect("unacked bytes are held"));
            let pre = seq_before(seq, c.sock.start_sn);
            let w = drv.xmit(&c.sock, c.ctx, seq, len, frame);
            if seq != dev_exp[ci] {
                expect_ooo += 1;
            }
            if pre {
                expect_skips += 1;
            } else {
                dev_exp[ci] = seq.wrapping_add(len as u32);
            }
            for x in w {
                let e = match &x {
                    TxWork::Dump { .. } => None,
                    TxWork::Frame { desc, .. } if !desc.offload => Some(Expect::Same),
                    TxWork::Frame { .. } => Some(Expect::Again { conn: ci, seg: j }),
                };
                work.push((x, e));
            }
        }
        // A retransmission straddling the offload start is dropped.
        if c.pre_segs > 0 && acked[ci] == 0 && next[ci] > c.pre_segs && r.gen_bool(0.05) {
            let seq = c.sock.start_sn.wrapping_sub(1);
            let frame = c.flow.frame(seq, &c.sock.bytes(seq, 2).expect("held"));
            if !drv.xmit(&c.sock, c.ctx, seq, 2, frame).is_empty() {
                return Err(fail("driver", "a segment straddling the offload start was not dropped".into()));
            }
            expect_drops += 1;
            expect_ooo += 1;
        }
        let j = next[ci];
        let (seq, len) = c.segs[j];
        let frame = c.flow.frame(seq, &c.sock.bytes(seq, len).expect("held"));
        if seq_before(seq, c.sock.start_sn) {
            // Sent before offload started: a plain frame of a software socket.
            work.push((
                TxWork::Frame { frame, desc: TxDesc { offload: false, ctx: c.ctx } },
                Some(Expect::PreFirst { conn: ci }),
            ));
        } else {
            if seq != dev_exp[ci] {
                expect_ooo += 1;
            }
            dev_exp[ci] = seq.wrapping_add(len as u32);
            for x in drv.xmit(&c.sock, c.ctx, seq, len, frame) {
                let e = match &x {
                    TxWork::Dump { .. } => None,
                    TxWork::Frame { desc, .. } if !desc.offload => Some(Expect::Same),
                    TxWork::Frame { .. } => Some(Expect::First { conn: ci, seg: j }),
                };
                work.push((x, e));
            }
        }
        next[ci] += 1;
        // TCP acknowledges all but the last few segments now and then.
        if r.gen_bool(0.2) && next[ci] > 8 {
            acked[ci] = next[ci] - 8;
            let (s, l) = cs[ci].segs[acked[ci] - 1];
            cs[ci].sock.ack(s.wrapping_add(l as u32));
        }
    }
    let t0 = sim.cycle();
    let mut beats = 0;
    for (w, _) in &work {
        let (f, user) = w.encode();
        beats += f.len().div_ceil(16);
        sim.push_frame(0, &f, user)?;
    }
    let dumps = work.iter().filter(|(w, _)| matches!(w, TxWork::Dump { .. })).count();
    let on_wire: Vec<(&TxWork, &Expect)> = work.iter().filter_map(|(w, e)| e.as_ref().map(|e| (w, e))).collect();
    // DUMP frames produce no output, so "no handshake for a while" is not
    // the end of a run: wait for the expected frame count.
    let out = collect_frames(&mut sim, on_wire.len(), 40 * beats as u64 + 100_000)?;
    let cycles = sim.cycle() - t0;
    if out.len() != on_wire.len() {
        let mut drops = Vec::new();
        for a in [csr::TX_DROP_PARSE, csr::TX_DROP_CTX, csr::TX_DROP_SEQ, csr::TX_DROP_REC] {
            drops.push(sim.csr_read(a)?);
        }
        return Err(fail(
            "frame count",
            format!(
                "sent {} frames (+{dumps} DUMP), wire got {}; device drops parse/ctx/seq/record = {drops:?}",
                on_wire.len(),
                out.len()
            ),
        ));
    }
    let mut streams: Vec<Vec<u8>> = vec![Vec::new(); cs.len()];
    let mut first_tx: std::collections::HashMap<(usize, usize), Vec<u8>> = std::collections::HashMap::new();
    let mut rep = TxReport { conns, cycles, dumps, ..Default::default() };
    for (k, ((w, e), o)) in on_wire.iter().zip(&out).enumerate() {
        let TxWork::Frame { frame: inp, .. } = w else {
            return Err(fail("internal", "DUMP frames are not on the wire".into()));
        };
        match e {
            Expect::Same => {
                if &o.data != inp {
                    return Err(fail("unmarked frame changed", format!("frame {k}")));
                }
                rep.unmarked += 1;
            }
            Expect::PreFirst { conn } => {
                if &o.data != inp {
                    return Err(fail("pre-offload frame changed", format!("frame {k}")));
                }
                let p = parse(inp).expect("generated frames parse");
                streams[*conn].extend_from_slice(&inp[p.payload..p.end]);
                rep.unmarked += 1;
            }
            Expect::Again { conn, seg } => {
                match first_tx.get(&(*conn, *seg)) {
                    Some(f) if *f == o.data => {}
                    _ => {
                        return Err(fail(
                            "retransmission",
                            format!("conn {conn} segment {seg} differs from its first transmission"),
                        ))
                    }
                }
                rep.retransmits += 1;
                rep.marked += 1;
            }
            Expect::First { conn: ci, seg } => {
                let p = parse(inp).expect("generated frames parse");
                if o.data.len() != inp.len() {
                    return Err(fail("marked frame length", format!("frame {k}")));
                }
                for (i, (a, b)) in inp.iter().zip(&o.data).enumerate() {
                    let in_payload = i >= p.payload && i < p.end;
                    let csum = i == p.l4 + 16 || i == p.l4 + 17;
                    if !in_payload && !csum && a != b {
                        return Err(fail("header byte changed", format!("frame {k} byte {i}")));
                    }
                }
                if !checksums_ok(&o.data) {
                    return Err(fail("checksum", format!("frame {k} (conn {ci})")));
                }
                streams[*ci].extend_from_slice(&o.data[p.payload..p.end]);
                first_tx.insert((*ci, *seg), o.data.clone());
                rep.marked += 1;
            }
        }
    }
    for (ci, c) in cs.iter().enumerate() {
        let recs = split_records(&streams[ci]).map_err(|e| fail("record framing", format!("conn {ci}: {e}")))?;
        if recs.len() != c.app.len() {
            return Err(fail("record count", format!("conn {ci}: {} vs {}", recs.len(), c.app.len())));
        }
        let first = c.dir.rec_seq - c.pre_records;
        for (i, rec) in recs.iter().enumerate() {
            let pt = c.dir.open_record(first + i as u64, rec).map_err(|e| {
                fail(
                    "record decrypt",
                    format!(
                        "conn {ci} (v13={} key={} start={}) record {i}: {e}",
                        c.dir.v13,
                        c.dir.key.len(),
                        c.sock.start_sn
                    ),
                )
            })?;
            if pt != c.app[i] {
                return Err(fail("application bytes", format!("conn {ci} record {i}")));
            }
            rep.records += 1;
            rep.app_bytes += pt.len();
        }
    }
    // Counters: device against the testbench, driver against the testbench.
    let st = TxStats::read(&mut sim, &drv.stats)?;
    let get = |n: &str| st.counters.iter().find(|(k, _)| *k == n).map(|(_, v)| *v).unwrap_or(u64::MAX);
    let checks = [
        ("tx_tls_encrypted_packets", get("tx_tls_encrypted_packets"), rep.marked as u64),
        ("tx_tls_dump_packets", get("tx_tls_dump_packets"), dumps as u64),
        ("tx_plain_packets", get("tx_plain_packets"), rep.unmarked as u64),
        ("tx_tls_ctx", get("tx_tls_ctx"), conns as u64),
        ("tx_tls_skip_no_sync_data", drv.stats.tx_tls_skip_no_sync_data, expect_skips),
        ("tx_tls_drop_no_sync_data", drv.stats.tx_tls_drop_no_sync_data, expect_drops),
        ("tx_tls_ooo", drv.stats.tx_tls_ooo, expect_ooo),
    ];
    for (name, got, want) in checks {
        if got != want {
            return Err(fail("statistics", format!("{name}: reported {got}, testbench counted {want}")));
        }
    }
    rep.driver = drv.stats.clone();
    Ok(rep)
}

/// Counts of a drop run.
#[derive(Clone, Debug, Default)]
pub struct DropReport {
    /// Frames that reached the wire.
    pub wire_frames: usize,
    /// Device counters: parse, ctx, seq drops.
    pub drops: [u32; 3],
}

/// Marked frames the device cannot encrypt (unknown context, sequence
/// number not the expected one, not TCP) are dropped and counted, while the
/// connection's in-order frames around them are encrypted correctly.
pub fn tx_drop_run(seed: u64) -> Result<DropReport, ScenarioError> {
    let mut r = rng(seed);
    let fail = |what: &'static str, detail: String| ScenarioError::Mismatch { index: 0, what, detail };
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    let dir = TlsDir { v13: r.gen_bool(0.5), key: (0..16).map(|_| r.gen()).collect(), iv: r.gen(), rec_seq: 1 };
    let start: u32 = r.gen();
    if !add_tx_context(&mut sim, 3, &dir, start)? {
        return Err(fail("context install", "ctx 3".into()));
    }
    let data: Vec<u8> = (0..3000).map(|_| r.gen()).collect();
    let rec = dir.plaintext_record(0, &data);
    let flow = random_flow(&mut r, 1);
    let (a, b) = rec.split_at(1000);
    let good1 = flow.frame(start, a);
    let good2 = flow.frame(start.wrapping_add(1000), b);
    let bad_seq = flow.frame(start.wrapping_add(1500), &b[500..]);
    let mut not_tcp = Flow { ipv6: false, ..flow.clone() }.frame(start.wrapping_add(1000), b);
    let l3 = if flow.vlan.is_some() { 18 } else { 14 };
    not_tcp[l3 + 9] = 17; // UDP
    let frames = [
        (good1.clone(), tx_desc(true, 3)),
        (flow.frame(start.wrapping_add(1000), b), tx_desc(true, 9)), // no such context
        (bad_seq, tx_desc(true, 3)),
        (not_tcp, tx_desc(true, 3)),
        (good2.clone(), tx_desc(true, 3)),
    ];
    for (f, u) in &frames {
        sim.push_frame(0, f, *u)?;
    }
    sim.run_until_idle(200_000, 200)?;
    let out = sim.take_frames(0);
    if out.len() != 2 {
        return Err(fail("wire frame count", format!("{} frames on the wire, expected the 2 good ones", out.len())));
    }
    let mut stream = Vec::new();
    for (o, g) in out.iter().zip([&good1, &good2]) {
        let p = parse(g).expect("parse");
        if o.data.len() != g.len() || o.data[..p.l4] != g[..p.l4] {
            return Err(fail("wire frame", "a dropped frame reached the wire".into()));
        }
        stream.extend_from_slice(&o.data[p.payload..p.end]);
    }
    let pt = dir.open_record(1, &stream).map_err(|e| fail("record", e))?;
    if pt != data {
        return Err(fail("application bytes", "record 0".into()));
    }
    let drops = [sim.csr_read(csr::TX_DROP_PARSE)?, sim.csr_read(csr::TX_DROP_CTX)?, sim.csr_read(csr::TX_DROP_SEQ)?];
    Ok(DropReport { wire_frames: out.len(), drops })
}

/// TX statistics as `ethtool -S` names them: the seed's tx_* counters plus
/// the device's extra counters. Device counters are read from the CSRs;
/// the driver-side ones are counted by the host model that sent the frames.
#[derive(Clone, Debug, Default)]
pub struct TxStats {
    /// (name, value) in print order.
    pub counters: Vec<(&'static str, u64)>,
}

impl TxStats {
    /// Read the device counters and combine them with the driver's.
    pub fn read(sim: &mut Sim, drv: &TxDriverStats) -> Result<Self, SimError> {
        let mut rd = |a: u16| -> Result<u64, SimError> { Ok(u64::from(sim.csr_read(a)?)) };
        let bytes = rd(csr::TX_ENC_BYTES)? | (rd(csr::TX_ENC_BYTES + 4)? << 32);
        let counters = vec![
            ("tx_tls_encrypted_packets", rd(csr::TX_ENC_PKTS)?),
            ("tx_tls_encrypted_bytes", bytes),
            ("tx_tls_ctx", rd(0x0220)?),
            ("tx_tls_del", rd(0x0224)?),
            ("tx_tls_ooo", drv.tx_tls_ooo),
            ("tx_tls_skip_no_sync_data", drv.tx_tls_skip_no_sync_data),
            ("tx_tls_drop_no_sync_data", drv.tx_tls_drop_no_sync_data),
            ("tx_tls_drop_bypass_req", drv.tx_tls_drop_bypass_req),
            ("tx_tls_dump_packets", rd(csr::TX_DUMP_PKTS)?),
            ("tx_tls_dump_bytes", rd(csr::TX_DUMP_BYTES)?),
            ("tx_tls_drop_parse", rd(csr::TX_DROP_PARSE)?),
            ("tx_tls_drop_no_ctx", rd(csr::TX_DROP_CTX)?),
            ("tx_tls_drop_seq", rd(csr::TX_DROP_SEQ)?),
            ("tx_tls_drop_bad_record", rd(csr::TX_DROP_REC)?),
            ("tx_plain_packets", rd(csr::TX_PASS)?),
        ];
        Ok(TxStats { counters })
    }

    /// `name: value` lines, as `ethtool -S` prints them.
    pub fn ethtool(&self) -> String {
        self.counters.iter().map(|(n, v)| format!("     {n}: {v}\n")).collect()
    }
}

/// Result of the back-to-back MTU scenario.
#[derive(Clone, Debug)]
pub struct MtuRun {
    /// TLS version 1.3 (else 1.2).
    pub v13: bool,
    /// Frames sent.
    pub frames: usize,
    /// TCP payload bytes.
    pub payload_bytes: usize,
    /// Cycles from the first input beat to the last output beat.
    pub cycles: u64,
    /// Device and driver counters after the run.
    pub stats: TxStats,
}

impl MtuRun {
    /// TCP payload bytes per clock.
    pub fn bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.cycles as f64
    }
}

/// One connection, `records` records of 16 KB, cut into 1448-byte segments
/// (MTU 1500, IPv4, no options) sent back to back without backpressure;
/// every record is decrypted by the receiver model.
pub fn tx_mtu_run(sim: &mut Sim, v13: bool, records: usize) -> Result<MtuRun, ScenarioError> {
    let fail = |what: &'static str, detail: String| ScenarioError::Mismatch { index: 0, what, detail };
    let dir = TlsDir { v13, key: (0..16).map(|i| i as u8 * 3).collect(), iv: [0x5a; 12], rec_seq: 0 };
    let start = 0x1000_0000u32;
    let ctx = if v13 { 1 } else { 0 };
    if !add_tx_context(sim, ctx, &dir, start)? {
        return Err(fail("context install", format!("ctx {ctx}")));
    }
    let flow = Flow {
        ipv6: false,
        vlan: None,
        src: [10; 16],
        dst: [11; 16],
        sport: 5000,
        dport: 443,
        ip_opts: 0,
        tcp_opts: 0,
    };
    let mut stream = Vec::new();
    let mut app = Vec::new();
    for i in 0..records {
        let data: Vec<u8> = (0..16_384).map(|b| (b * 7 + i) as u8).collect();
        stream.extend(dir.plaintext_record(i as u64, &data));
        app.push(data);
    }
    let mut frames = Vec::new();
    for (k, chunk) in stream.chunks(1448).enumerate() {
        frames.push(flow.frame(start.wrapping_add((k * 1448) as u32), chunk));
    }
    let t0 = sim.cycle();
    for f in &frames {
        sim.push_frame(0, f, tx_desc(true, ctx))?;
    }
    let beats: usize = frames.iter().map(|f| f.len().div_ceil(16)).sum();
    let start_cycle = t0;
    let mut out = Vec::new();
    let mut last_out = t0;
    while out.len() < frames.len() && sim.cycle() - t0 < 20 * beats as u64 + 10_000 {
        sim.tick(1);
        let got = sim.take_frames(0);
        if !got.is_empty() {
            last_out = sim.cycle();
        }
        out.extend(got);
    }
    if out.len() != frames.len() {
        return Err(fail("frame count", format!("{} of {} frames", out.len(), frames.len())));
    }
    let mut wire = Vec::new();
    for o in &out {
        let p = parse(&o.data).ok_or_else(|| fail("parse", "output frame".into()))?;
        if !checksums_ok(&o.data) {
            return Err(fail("checksum", "MTU frame".into()));
        }
        wire.extend_from_slice(&o.data[p.payload..p.end]);
    }
    for (i, rec) in split_records(&wire).map_err(|e| fail("records", e))?.iter().enumerate() {
        let pt = dir.open_record(i as u64, rec).map_err(|e| fail("record", e))?;
        if pt != app[i] {
            return Err(fail("application bytes", format!("record {i}")));
        }
    }
    let stats = TxStats::read(sim, &TxDriverStats::default())?;
    Ok(MtuRun { v13, frames: frames.len(), payload_bytes: stream.len(), cycles: last_out - start_cycle, stats })
}

/// "Next record sync" on the device side: after frames of a connection were
/// sent in software (a local drop, say), a DUMP with no bytes but the start
/// flag moves the context to the next record's TCP sequence number and
/// record number; the record sent next is encrypted correctly. Returns the
/// number of records checked after the update.
pub fn tx_context_update_run(seed: u64) -> Result<usize, ScenarioError> {
    let mut r = rng(seed);
    let fail = |what: &'static str, detail: String| ScenarioError::Mismatch { index: 0, what, detail };
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    let v13 = r.gen_bool(0.5);
    let info = CryptoInfo {
        version: if v13 { TlsVersion::V13 } else { TlsVersion::V12 },
        key: (0..32).map(|_| r.gen()).collect(),
        salt: r.gen(),
        iv: r.gen(),
        rec_seq: 7,
    };
    let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq: info.rec_seq };
    let start: u32 = r.gen();
    let mut sock = KtlsTx::new(info.clone(), start, Vec::new());
    let mut drv = TxDriver::new(64);
    let ctx = drv
        .tls_dev_add(&mut SimTxDevice { sim: &mut sim, contexts: 64 }, &info, start)
        .map_err(|e| fail("tls_dev_add", e.to_string()))?;
    let flow = random_flow(&mut r, 3);
    let mut app = Vec::new();
    for _ in 0..6 {
        let d: Vec<u8> = (0..r.gen_range(1..3000)).map(|_| r.gen()).collect();
        sock.push_record(&d);
        app.push(d);
    }
    // Records 0-1 offloaded; 2-3 "sent in software" (never reach the
    // device); then the device is synced to record 4 and 4-5 offloaded.
    let mut wire_recs = Vec::new();
    let mut s = start;
    for k in 0..6u64 {
        let RecordLookup::Record(rec) = sock.get_record(s) else { return Err(fail("record store", format!("{k}"))) };
        let (rs, bytes) = (rec.start, rec.bytes.clone());
        s = rec.end();
        if k == 2 || k == 3 {
            continue;
        }
        if k == 4 {
            let upd = TxWork::Dump { ctx, seq: rs, rec_num: info.rec_seq + 4, start: true, bytes: Vec::new() };
            let (f, u) = upd.encode();
            sim.push_frame(0, &f, u)?;
        }
        let frames: Vec<Vec<u8>> = bytes.chunks(r.gen_range(1..1400)).map(|c| c.to_vec()).collect();
        let mut off = 0u32;
        for c in &frames {
            sim.push_frame(0, &flow.frame(rs.wrapping_add(off), c), tx_desc(true, ctx))?;
            off += c.len() as u32;
        }
        wire_recs.push((k, frames.len()));
    }
    let want: usize = wire_recs.iter().map(|(_, n)| n).sum();
    let out = collect_frames(&mut sim, want, 1_000_000)?;
    if out.len() != want {
        return Err(fail("frame count", format!("{} of {want}", out.len())));
    }
    let mut it = out.iter();
    let mut checked = 0;
    for (k, n) in wire_recs {
        let mut rec = Vec::new();
        for _ in 0..n {
            let o = it.next().expect("counted");
            let p = parse(&o.data).ok_or_else(|| fail("parse", "output".into()))?;
            rec.extend_from_slice(&o.data[p.payload..p.end]);
        }
        let pt = dir.open_record(info.rec_seq + k, &rec).map_err(|e| fail("record after context update", e))?;
        if pt != app[k as usize] {
            return Err(fail("application bytes", format!("record {k}")));
        }
        checked += 1;
    }
    Ok(checked)
}

/// Cycles per frame for `n` back-to-back unmarked frames of `len` bytes
/// (the output is checked byte for byte).
pub fn tx_plain_rate(sim: &mut Sim, len: usize, n: usize) -> Result<f64, ScenarioError> {
    let frames: Vec<Vec<u8>> = (0..n).map(|i| (0..len).map(|b| (b * 13 + i) as u8).collect()).collect();
    for f in &frames {
        sim.push_frame(0, f, tx_desc(false, 0))?;
    }
    let t0 = sim.cycle();
    let mut out = Vec::new();
    let mut last = t0;
    while out.len() < n && sim.cycle() - t0 < 100 * (n * len) as u64 {
        sim.tick(1);
        let got = sim.take_frames(0);
        if !got.is_empty() {
            last = sim.cycle();
        }
        out.extend(got);
    }
    if out.iter().map(|o| &o.data).ne(frames.iter()) {
        return Err(ScenarioError::Mismatch { index: 0, what: "unmarked frames", detail: "changed or lost".into() });
    }
    Ok((last - t0) as f64 / n as f64)
}

/// Host-side state of the Verilated TX path: the work encoder and which
/// context ids are in use.
pub struct SimTxState {
    enc: tlsnic_driver::tx_driver::RtlEncoder,
    used: Vec<bool>,
}

impl SimTxState {
    /// For a device with the N_CTX the model reports.
    pub fn new(sim: &mut Sim) -> Result<Self, SimError> {
        let n = sim.csr_read(0x0008)? as usize;
        Ok(SimTxState { enc: Default::default(), used: vec![false; n] })
    }

    /// `TxDevice::add_tx_context` on the model (through the firmware).
    pub fn add(
        &mut self,
        sim: &mut Sim,
        info: &tlsnic_driver::types::TlsCryptoInfo,
        start_offload_tcp_sn: u32,
    ) -> Result<tlsnic_driver::types::CtxId, tlsnic_driver::types::DeviceError> {
        use tlsnic_driver::types::{CtxId, DeviceError};
        info.validate()?;
        let ctx = self.used.iter().position(|u| !u).ok_or(DeviceError::TableFull)?;
        crate::fwcmd::execute(sim, &crate::fwcmd::add_tx(ctx as u16, info, start_offload_tcp_sn))?;
        self.used[ctx] = true;
        Ok(CtxId(ctx as u32))
    }

    /// `TxDevice::del_tx_context` on the model (through the firmware).
    pub fn del(
        &mut self,
        sim: &mut Sim,
        ctx: tlsnic_driver::types::CtxId,
    ) -> Result<(), tlsnic_driver::types::DeviceError> {
        use tlsnic_driver::types::DeviceError;
        let i = ctx.0 as usize;
        if !self.used.get(i).copied().unwrap_or(false) {
            return Err(DeviceError::NoContext(ctx));
        }
        crate::fwcmd::execute(sim, &crate::fwcmd::simple(tlsnic_firmware::queue::Opcode::DelTx, ctx, 0, 0))?;
        self.used[i] = false;
        Ok(())
    }

    /// `TxDevice::post` on the model.
    pub fn post(
        &mut self,
        sim: &mut Sim,
        work: tlsnic_driver::tx_offload::TxWork,
    ) -> Result<(), tlsnic_driver::types::DeviceError> {
        use tlsnic_driver::types::DeviceError;
        let (bytes, user) = self.enc.encode(&work).map_err(|e| DeviceError::Rejected(e.to_string()))?;
        sim.push_frame(0, &bytes, user).map_err(|e| DeviceError::Rejected(e.to_string()))
    }
}

/// `TxDevice::tx_counters` on the model.
pub fn sim_tx_counters(
    sim: &mut Sim,
) -> Result<tlsnic_driver::tx_offload::TxDeviceCounters, tlsnic_driver::types::DeviceError> {
    let e = |e: SimError| tlsnic_driver::types::DeviceError::Rejected(e.to_string());
    let pkts = sim.csr_read(csr::TX_ENC_PKTS).map_err(e)?;
    let lo = sim.csr_read(csr::TX_ENC_BYTES).map_err(e)?;
    let hi = sim.csr_read(csr::TX_ENC_BYTES + 4).map_err(e)?;
    Ok(tlsnic_driver::tx_offload::TxDeviceCounters {
        tx_tls_encrypted_packets: u64::from(pkts),
        tx_tls_encrypted_bytes: u64::from(lo) | u64::from(hi) << 32,
    })
}
