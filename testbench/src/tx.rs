//! TX offload scenarios on `tls_offload_top`, driven as the kernel drives a
//! TLS_HW NIC: kTLS sockets ([`KtlsTx`]) and the TX driver ([`TxDriver`])
//! over the Verilated device ([`SimNic`], contexts installed through the
//! firmware). The wire is checked with the testbench's own record layer
//! ([`TlsDir`], RustCrypto `aes-gcm`) and the testbench's own counts.
//!
//! The device side of the driver's [`TxDevice`] is here too: which context
//! ids are in use ([`SimTxState`]) and the encoding of the driver's work in
//! the RTL's TX stream format ([`RtlEncoder`], docs/tx.md).

use crate::scenario::ScenarioError;
use crate::seed::rng;
use crate::tls::{overhead, split_records, TlsDir};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashMap;
use tlsnic_device::csr;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_driver::ktls_tx::{KtlsTx, MAX_RECORD_DATA};
use tlsnic_driver::record::content_type::APPLICATION_DATA;
use tlsnic_driver::tcp::{self, FrameTemplate};
use tlsnic_driver::tx_offload::{
    format_ethtool, DropReason, OooPolicy, TxDesc, TxDevice, TxDriver, TxDriverConfig, TxDriverStats, TxWork,
    XmitVerdict,
};
use tlsnic_driver::types::{seq_before, Cipher, CtxId, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::{Sim, SimError, STALL_CYCLES};

fn fail(what: &'static str, detail: String) -> ScenarioError {
    ScenarioError::Mismatch { index: 0, what, detail }
}

fn version(v13: bool) -> TlsVersion {
    if v13 {
        TlsVersion::V13
    } else {
        TlsVersion::V12
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
    /// Retransmitted offloaded segments (rebuilt through DUMP unless at the
    /// sequence number the device expects), byte-identical to their first
    /// transmission.
    pub retransmits: usize,
    /// DUMP frames sent (one opening each rebuild, then the record bytes).
    pub dumps: usize,
    /// Driver statistics of the run.
    pub driver: TxDriverStats,
}

struct Conn {
    id: usize,
    tmpl: FrameTemplate,
    dir: TlsDir,
    sock: KtlsTx,
    /// Application data of every record, pre-offload ones first.
    app: Vec<Vec<u8>>,
    /// Records before offload (software encrypted).
    pre_records: u64,
    /// Stream offset from the offload start of every offloaded record, as
    /// the testbench frames them.
    rec_starts: Vec<usize>,
    /// (seq, len) of every first transmission, in order.
    segs: Vec<(u32, usize)>,
    /// How many of them carry pre-offload data.
    pre_segs: usize,
    /// The device's expected sequence number, tracked by the testbench.
    expected: u32,
}

impl Conn {
    fn frame(&self, seq: u32, len: usize) -> Vec<u8> {
        let payload = self.sock.bytes(seq, len).expect("unacknowledged bytes are held");
        self.tmpl.build(seq, &payload).expect("generated templates build")
    }

    /// Send `[seq, +len)` through the driver; its verdict must be the
    /// testbench's. Returns the verdict and the frame sent.
    fn send(
        &mut self,
        drv: &mut TxDriver,
        dev: &mut SimNic,
        seq: u32,
        len: usize,
        counts: &mut Counts,
    ) -> Result<(XmitVerdict, Vec<u8>), ScenarioError> {
        let frame = self.frame(seq, len);
        let want = self.verdict(seq, len);
        let got = drv.xmit(dev, frame.clone(), &mut self.sock)?;
        if got != want {
            let id = self.id;
            return Err(fail("driver verdict", format!("conn {id} seq {seq:#x}+{len}: {got:?}, expected {want:?}")));
        }
        if matches!(want, XmitVerdict::Offloaded | XmitVerdict::Rebuilt { .. }) {
            self.expected = seq.wrapping_add(len as u32);
        }
        counts.note(&want);
        Ok((want, frame))
    }

    /// What the driver must do with segment `[seq, +len)` (docs/tx.md,
    /// "Out-of-order segments").
    fn verdict(&self, seq: u32, len: usize) -> XmitVerdict {
        let start = self.sock.start_offload_tcp_sn();
        if seq_before(seq, start) {
            return if seq_before(start, seq.wrapping_add(len as u32)) {
                XmitVerdict::Dropped(DropReason::StraddlesOffloadStart)
            } else {
                XmitVerdict::SkippedPreOffload
            };
        }
        if seq == self.expected {
            return XmitVerdict::Offloaded;
        }
        let off = seq.wrapping_sub(start) as usize;
        let rec = self.rec_starts[self.rec_starts.partition_point(|&s| s <= off) - 1];
        let prefix = off - rec;
        XmitVerdict::Rebuilt { dumps: prefix.div_ceil(SIM_TX_DRIVER.dump_mtu), dump_bytes: prefix }
    }
}

/// What the testbench expects on the wire for a frame it sent.
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

/// The testbench's own count of what the driver must report.
#[derive(Default)]
struct Counts {
    ooo: u64,
    skips: u64,
    drops: u64,
    rebuilds: u64,
    dumps: u64,
    dump_bytes: u64,
}

impl Counts {
    fn note(&mut self, v: &XmitVerdict) {
        match *v {
            XmitVerdict::Offloaded | XmitVerdict::Plain => return,
            XmitVerdict::Rebuilt { dumps, dump_bytes } => {
                self.rebuilds += 1;
                self.dumps += dumps as u64;
                self.dump_bytes += dump_bytes as u64;
            }
            XmitVerdict::SkippedPreOffload => self.skips += 1,
            XmitVerdict::Dropped(_) => self.drops += 1,
            XmitVerdict::SoftwareEncrypted { .. } => {}
        }
        self.ooo += 1;
    }
}

/// Random addressing and headers of connection `i`: IPv4 or IPv6, 802.1Q
/// tag, IPv4 and TCP options (NOPs).
fn random_template<R: Rng>(r: &mut R, i: usize) -> FrameTemplate {
    let mut src = [0u8; 16];
    let mut dst = [0u8; 16];
    r.fill(&mut src);
    r.fill(&mut dst);
    let ipv6 = r.gen_bool(0.5);
    let vlan = if r.gen_bool(0.3) { Some(r.gen_range(1..4095)) } else { None };
    let ip_opts = if r.gen_bool(0.2) { 4 * r.gen_range(1..=10) } else { 0 };
    let tcp_opts = if r.gen_bool(0.5) { 4 * r.gen_range(1..=10) } else { 0 };
    let (sport, dport) = (40_000 + i as u16, 443);
    let v4 = |a: [u8; 16]| <[u8; 4]>::try_from(&a[..4]).expect("4 bytes").into();
    let key = if ipv6 {
        FlowKey::V6 { saddr: src.into(), daddr: dst.into(), sport, dport }
    } else {
        FlowKey::V4 { saddr: v4(src), daddr: v4(dst), sport, dport }
    };
    let mut t = FrameTemplate::new(key);
    t.vlan = vlan;
    if !ipv6 {
        t.ip_options = vec![1; ip_opts];
    }
    t.tcp_options = vec![1; tcp_opts];
    t.ip_id = 0x1234;
    t.ack = 0x0102_0304;
    t
}

/// Collect output frames of the wire port until `want` arrived (plus 2000
/// cycles to catch extra frames), `max_cycles` passed, or the device went
/// quiet: its input drained and no handshake for [`STALL_CYCLES`] (the
/// missing frames will never come; the caller's scoreboard names them).
/// Input pending with no handshake for as long is a stall
/// ([`SimError::Stalled`], with where each stream stood).
pub fn collect_frames(sim: &mut Sim, want: usize, max_cycles: u64) -> Result<Vec<tlsnic_sim::Frame>, SimError> {
    let start = sim.cycle();
    let mut out = Vec::new();
    while out.len() < want && sim.cycle() - start < max_cycles {
        sim.tick(500);
        out.extend(sim.take_frames(0));
        sim.watchdog()?;
        if sim.inputs_drained() && sim.quiet_cycles() >= STALL_CYCLES {
            break;
        }
    }
    sim.tick(2000);
    out.extend(sim.take_frames(0));
    Ok(out)
}

/// Random TX run through the host models and the RTL: `conns` kTLS sockets
/// (TLS 1.2/1.3, AES-128/256, some with pre-offload data already encrypted
/// in software) offloaded by the TX driver ([`SIM_TX_DRIVER`]: rebuild by
/// DUMP), records of 0..16 KB, TCP segments of 1..8822 bytes,
/// retransmissions of random unacknowledged segments (the driver rebuilds
/// device state with DUMP, or sends pre-offload data unmarked, or drops
/// segments straddling the offload start), unmarked traffic interleaved,
/// random backpressure. Checks the driver's verdict on every segment
/// against the testbench's, every output frame (unmarked ones
/// byte-identical, marked ones changed only in payload and TCP checksum,
/// checksums valid, retransmissions identical to the first transmission,
/// nothing the driver dropped on the wire), that every record decrypts
/// with aes-gcm to the application bytes, and that device and driver
/// counters equal the testbench's own counts.
pub fn tx_random_run(seed: u64, conns: usize, bytes_per_conn: usize) -> Result<TxReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    sim.set_backpressure(seed ^ 0x7e57, 0.1, 0.1);
    let mut dev = SimNic::new(&mut sim)?;
    let mut drv = TxDriver::new(SIM_TX_DRIVER);
    let mut cs = Vec::new();
    for i in 0..conns {
        let v13 = r.gen_bool(0.5);
        let key: Vec<u8> = (0..if r.gen_bool(0.5) { 16 } else { 32 }).map(|_| r.gen()).collect();
        let (salt, iv) = (r.gen(), r.gen());
        let rec_seq = r.gen_range(10..1_000_000);
        let cipher = if key.len() == 32 { Cipher::Aes256Gcm } else { Cipher::Aes128Gcm };
        let info = TlsCryptoInfo::new(version(v13), cipher, key, iv, salt, rec_seq).expect("key fits the cipher");
        let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq };
        let start_sn: u32 = r.gen();
        // Records sent in software before offload started.
        let pre_records = if r.gen_bool(0.3) { r.gen_range(1..4u64) } else { 0 };
        let mut app = Vec::new();
        let mut pre = Vec::new();
        for k in 0..pre_records {
            let data: Vec<u8> = (0..r.gen_range(0..600)).map(|_| r.gen()).collect();
            pre.extend(dir.sealed_record(rec_seq - pre_records + k, &data));
            app.push(data);
        }
        let mut sock = KtlsTx::new(info, start_sn, pre);
        sock.set_device_offload(|d, info, sn| drv.tls_dev_add(&mut dev, d, info, sn))?;
        let max_hdr = 18 + 40 + 60 + 60;
        let mss_cap = [1usize, 7, 100, 536, 1448, 9000 - max_hdr][r.gen_range(0..6)];
        let budget = if mss_cap < 100 { bytes_per_conn.min(1500) } else { bytes_per_conn };
        let (mut total, mut rec_starts, mut off) = (0, Vec::new(), 0);
        while total < budget {
            let n = match r.gen_range(0..10) {
                0..=3 => r.gen_range(0..=40),
                4..=7 => r.gen_range(41..=2000),
                _ => r.gen_range(2000..=16_384),
            };
            let data: Vec<u8> = (0..n).map(|_| r.gen()).collect();
            let at = start_sn.wrapping_add(off as u32);
            let len = n + overhead(v13);
            if sock.write(&data, MAX_RECORD_DATA)? != [(at, at.wrapping_add(len as u32))] {
                return Err(fail("record framing", format!("conn {i}: record at offset {off} is not {len} bytes")));
            }
            rec_starts.push(off);
            off += len;
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
        let tmpl = random_template(&mut r, i);
        cs.push(Conn { id: i, tmpl, dir, sock, app, pre_records, rec_starts, segs, pre_segs, expected: start_sn });
    }
    // Interleave connections (each in order), with unmarked traffic and
    // retransmissions; ACK old data now and then. The device queues the
    // work; it runs once everything is posted.
    let plain_tmpl = random_template(&mut r, 999);
    let mut order: Vec<usize> = cs.iter().enumerate().flat_map(|(i, c)| std::iter::repeat_n(i, c.segs.len())).collect();
    order.shuffle(&mut r);
    let mut next = vec![0usize; cs.len()];
    let mut acked = vec![0usize; cs.len()];
    let mut want = Counts::default();
    let mut on_wire: Vec<(Vec<u8>, Expect)> = Vec::new();
    let t0 = dev.sim.cycle();
    for ci in order {
        if r.gen_bool(0.1) {
            let junk: Vec<u8> = (0..r.gen_range(0..300)).map(|_| r.gen()).collect();
            let f = if r.gen_bool(0.5) {
                plain_tmpl.build(r.gen(), &junk).expect("frame")
            } else {
                let mut f = [vec![0xffu8; 12], vec![0x88, 0xb5], junk].concat();
                f.resize(f.len().max(60), 0);
                f
            };
            dev.post(TxWork::Frame { desc: TxDesc::plain(), frame: f.clone() })?;
            on_wire.push((f, Expect::Same));
        }
        let c = &mut cs[ci];
        // A retransmission of an unacknowledged segment.
        if next[ci] > acked[ci] && r.gen_bool(0.05) {
            let j = r.gen_range(acked[ci]..next[ci]);
            let (seq, len) = c.segs[j];
            match c.send(&mut drv, &mut dev, seq, len, &mut want)? {
                (XmitVerdict::SkippedPreOffload, f) => on_wire.push((f, Expect::Same)),
                (XmitVerdict::Dropped(_), _) => {}
                (_, f) => on_wire.push((f, Expect::Again { conn: ci, seg: j })),
            }
        }
        // A retransmission straddling the offload start is dropped.
        if c.pre_segs > 0 && acked[ci] == 0 && next[ci] > c.pre_segs && r.gen_bool(0.05) {
            let seq = c.sock.start_offload_tcp_sn().wrapping_sub(1);
            c.send(&mut drv, &mut dev, seq, 2, &mut want)?;
        }
        let j = next[ci];
        let (seq, len) = c.segs[j];
        if seq_before(seq, c.sock.start_offload_tcp_sn()) {
            // Sent before offload started: a plain frame of a software socket.
            let frame = c.frame(seq, len);
            dev.post(TxWork::Frame { desc: TxDesc::plain(), frame: frame.clone() })?;
            on_wire.push((frame, Expect::PreFirst { conn: ci }));
        } else {
            let (_, frame) = c.send(&mut drv, &mut dev, seq, len, &mut want)?;
            on_wire.push((frame, Expect::First { conn: ci, seg: j }));
        }
        next[ci] += 1;
        // TCP acknowledges all but the last few segments now and then.
        if r.gen_bool(0.2) && next[ci] > 8 {
            acked[ci] = next[ci] - 8;
            let (s, l) = c.segs[acked[ci] - 1];
            c.sock.ack(s.wrapping_add(l as u32));
        }
    }
    let dumps = (want.rebuilds + want.dumps) as usize;
    let beats = dev.sim.pending_in(0)?;
    // DUMP frames produce no output, so "no handshake for a while" is not
    // the end of a run: wait for the expected frame count.
    let out = collect_frames(dev.sim, on_wire.len(), 40 * beats as u64 + 100_000)?;
    let cycles = dev.sim.cycle() - t0;
    if out.len() != on_wire.len() {
        let mut drops = Vec::new();
        for i in [csr::TX_CNT_DROP_PARSE, csr::TX_CNT_DROP_CTX, csr::TX_CNT_DROP_SEQ, csr::TX_CNT_DROP_REC] {
            drops.push(dev.sim.csr_read(csr::tx_counter(i))?);
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
    let mut first_tx: HashMap<(usize, usize), Vec<u8>> = HashMap::new();
    let mut rep = TxReport { conns, cycles, dumps, ..Default::default() };
    let mut marked_bytes = 0u64;
    for (k, ((inp, e), o)) in on_wire.iter().zip(&out).enumerate() {
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
                let p = tcp::parse(inp).expect("generated frames parse");
                streams[*conn].extend_from_slice(p.payload_of(inp));
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
                marked_bytes += tcp::parse(inp).expect("generated frames parse").payload_len() as u64;
                rep.retransmits += 1;
                rep.marked += 1;
            }
            Expect::First { conn: ci, seg } => {
                let p = tcp::parse(inp).expect("generated frames parse");
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
                let w =
                    crate::wire::check(&o.data).map_err(|e| fail("checksum", format!("frame {k} (conn {ci}): {e}")))?;
                if (w.payload, w.payload_len) != (p.payload, p.payload_len()) {
                    return Err(fail("TCP payload", format!("frame {k}: etherparse and the driver's parser disagree")));
                }
                streams[*ci].extend_from_slice(w.payload_of(&o.data));
                first_tx.insert((*ci, *seg), o.data.clone());
                marked_bytes += p.payload_len() as u64;
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
                        c.sock.start_offload_tcp_sn()
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
    // Counters: device and driver against the testbench.
    let added = dev.sim.csr_read(csr::tx_counter(csr::TX_CNT_CTX_ADD))?;
    if added as usize != conns {
        return Err(fail("statistics", format!("device contexts added: {added}, testbench installed {conns}")));
    }
    TxStats::read(&mut dev, &drv)?.expect(&[
        ("tx_tls_encrypted_packets", rep.marked as u64),
        ("tx_tls_encrypted_bytes", marked_bytes),
        ("tx_plain_packets", rep.unmarked as u64),
        ("tx_tls_dev_dump_frames", dumps as u64),
        ("tx_tls_dev_dump_bytes", want.dump_bytes),
        ("tx_tls_ctx", conns as u64),
        ("tx_tls_ooo", want.ooo),
        ("tx_tls_skip_no_sync_data", want.skips),
        ("tx_tls_drop_no_sync_data", want.drops),
        ("tx_tls_resync", want.rebuilds),
        ("tx_tls_dump_packets", want.dumps),
        ("tx_tls_dump_bytes", want.dump_bytes),
    ])?;
    rep.driver = drv.stats().clone();
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
/// number not the expected one, not TCP), posted to the device directly
/// (the driver never sends them), are dropped and counted, while the
/// connection's in-order frames around them are encrypted correctly.
pub fn tx_drop_run(seed: u64) -> Result<DropReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    let v13 = r.gen_bool(0.5);
    let key: Vec<u8> = (0..16).map(|_| r.gen()).collect();
    let iv12: [u8; 12] = r.gen();
    let (salt, iv) = (iv12[..4].try_into().expect("4"), iv12[4..].try_into().expect("8"));
    let info = TlsCryptoInfo::new(version(v13), Cipher::Aes128Gcm, key, iv, salt, 1).expect("16-byte key");
    let dir = TlsDir { v13, key: info.key.clone(), iv: iv12, rec_seq: 1 };
    let start: u32 = r.gen();
    let mut dev = SimNic::new(&mut sim)?;
    let ctx = dev.add_tx_context(&info, start)?;
    let data: Vec<u8> = (0..3000).map(|_| r.gen()).collect();
    let rec = dir.plaintext_record(0, &data);
    let tmpl = random_template(&mut r, 1);
    let build = |t: &FrameTemplate, seq: u32, p: &[u8]| t.build(seq, p).expect("frame");
    let (a, b) = rec.split_at(1000);
    let good1 = build(&tmpl, start, a);
    let good2 = build(&tmpl, start.wrapping_add(1000), b);
    let bad_seq = build(&tmpl, start.wrapping_add(1500), &b[500..]);
    let mut v4 = tmpl.clone();
    if v4.key.is_ipv6() {
        let (sport, dport) = (v4.key.sport(), v4.key.dport());
        v4.key = FlowKey::V4 { saddr: [192, 0, 2, 1].into(), daddr: [192, 0, 2, 2].into(), sport, dport };
    }
    let mut not_tcp = build(&v4, start.wrapping_add(1000), b);
    let l3 = if tmpl.vlan.is_some() { 18 } else { 14 };
    not_tcp[l3 + 9] = 17; // UDP
    let never_installed = CtxId(9);
    let frames = [
        (good1.clone(), ctx),
        (build(&tmpl, start.wrapping_add(1000), b), never_installed),
        (bad_seq, ctx),
        (not_tcp, ctx),
        (good2.clone(), ctx),
    ];
    for (frame, c) in frames {
        dev.post(TxWork::Frame { desc: TxDesc::offload(c), frame })?;
    }
    dev.sim.run_until_idle(200_000, 200)?;
    let out = dev.sim.take_frames(0);
    if out.len() != 2 {
        return Err(fail("wire frame count", format!("{} frames on the wire, expected the 2 good ones", out.len())));
    }
    let mut stream = Vec::new();
    for (o, g) in out.iter().zip([&good1, &good2]) {
        let p = tcp::parse(g).expect("parse");
        if o.data.len() != g.len() || o.data[..p.l4] != g[..p.l4] {
            return Err(fail("wire frame", "a dropped frame reached the wire".into()));
        }
        stream.extend_from_slice(p.payload_of(&o.data));
    }
    let pt = dir.open_record(1, &stream).map_err(|e| fail("record", e))?;
    if pt != data {
        return Err(fail("application bytes", "record 0".into()));
    }
    let mut rd = |i: usize| dev.sim.csr_read(csr::tx_counter(i));
    let drops = [rd(csr::TX_CNT_DROP_PARSE)?, rd(csr::TX_CNT_DROP_CTX)?, rd(csr::TX_CNT_DROP_SEQ)?];
    Ok(DropReport { wire_frames: out.len(), drops })
}

/// TX statistics as `ethtool -S` names them: the driver's list
/// ([`TxDriver::ethtool_stats`]: the device's `tx_tls_encrypted_packets`
/// and `tx_tls_encrypted_bytes`, then the driver's own counters), then the
/// device's extra counters, read from its CSRs (docs/registers.md):
/// `tx_tls_dev_dump_frames` / `tx_tls_dev_dump_bytes` (DUMP frames the
/// device processed, the empty ones that open a rebuild or update a context
/// included, and the record bytes in them), the drops by reason, and
/// `tx_plain_packets`. Device counters count since reset.
#[derive(Clone, Debug, Default)]
pub struct TxStats {
    /// (name, value) in print order.
    pub counters: Vec<(&'static str, u64)>,
}

impl TxStats {
    /// Read the device counters and combine them with the driver's.
    pub fn read(dev: &mut SimNic, drv: &TxDriver) -> Result<Self, ScenarioError> {
        let mut counters = drv.ethtool_stats(dev)?;
        let mut rd = |i: usize| -> Result<(&'static str, u64), SimError> {
            Ok((csr::TX_COUNTER_NAMES[i], u64::from(dev.sim.csr_read(csr::tx_counter(i))?)))
        };
        counters.extend([
            rd(csr::TX_CNT_DUMP_PKTS)?,
            rd(csr::TX_CNT_DUMP_BYTES)?,
            rd(csr::TX_CNT_DROP_PARSE)?,
            rd(csr::TX_CNT_DROP_CTX)?,
            rd(csr::TX_CNT_DROP_SEQ)?,
            rd(csr::TX_CNT_DROP_REC)?,
            rd(csr::TX_CNT_PASS)?,
        ]);
        Ok(TxStats { counters })
    }

    /// A counter's value.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|(n, _)| *n == name).map(|x| x.1)
    }

    /// Each `(name, count)` of `want` is the value of counter `name`.
    fn expect(&self, want: &[(&str, u64)]) -> Result<(), ScenarioError> {
        for &(name, n) in want {
            let got = self.get(name);
            if got != Some(n) {
                return Err(fail("statistics", format!("{name}: reported {got:?}, testbench counted {n}")));
            }
        }
        Ok(())
    }

    /// `name: value` lines, as `ethtool -S` prints them.
    pub fn ethtool(&self) -> String {
        format_ethtool(&self.counters)
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
    /// Device counters (since reset) and the run's driver counters.
    pub stats: TxStats,
}

impl MtuRun {
    /// TCP payload bytes per clock.
    pub fn bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.cycles as f64
    }
}

/// One connection through the TX driver, `records` records of 16 KB, cut
/// into 1448-byte segments (IPv4, no options) sent back to back without
/// backpressure; every record is decrypted by the receiver model. The
/// context is deleted at the end, so runs can follow each other on one
/// model. The one-connection TX case of [`crate::throughput::run`].
pub fn tx_mtu_run(sim: &mut Sim, v13: bool, records: usize) -> Result<MtuRun, ScenarioError> {
    use crate::throughput::{run, Load, Path, RECORD};
    let r = run(sim, Load { conns: 1, version: version(v13), segment: 1448, records, record: RECORD }, &[Path::Tx])?;
    let row = &r.rows[0];
    let stats = r.tx_stats.expect("a TX run reads the TX statistics");
    Ok(MtuRun { v13, frames: row.frames, payload_bytes: row.payload_bytes, cycles: row.cycles, stats })
}

/// "Next record sync" through the driver ([`OooPolicy::NextRecordSync`])
/// and the device: records 0-1 are offloaded; the segments of records 2-3
/// are lost in the host before the driver (a local drop); record 4 then
/// comes from the future, so the driver encrypts its segments in software
/// (sent unmarked) and asks the stack for a TX resync; record 5, written
/// after, carries it: the driver posts a context update (a DUMP frame with
/// no bytes and the start flag: the record's TCP sequence number and
/// record number) and record 5 is offloaded again. Every record on the
/// wire must decrypt, and device and driver counters match the
/// testbench's. Returns the number of records checked.
pub fn tx_context_update_run(seed: u64) -> Result<usize, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    let v13 = r.gen_bool(0.5);
    let key: Vec<u8> = (0..32).map(|_| r.gen()).collect();
    let (salt, iv) = (r.gen(), r.gen());
    let info = TlsCryptoInfo::new(version(v13), Cipher::Aes256Gcm, key, iv, salt, 7).expect("32-byte key");
    let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq: info.rec_seq };
    let start: u32 = r.gen();
    let mut dev = SimNic::new(&mut sim)?;
    let mut drv = TxDriver::new(TxDriverConfig { policy: OooPolicy::NextRecordSync, ..SIM_TX_DRIVER });
    let mut sk = KtlsTx::new(info, start, Vec::new());
    sk.set_device_offload(|d, info, sn| drv.tls_dev_add(&mut dev, d, info, sn))?;
    let tmpl = random_template(&mut r, 3);
    let mut app = Vec::new();
    // (record, frames on the wire)
    let mut wire_recs = Vec::new();
    let (mut device_frames, mut software_frames) = (0u64, 0u64);
    for k in 0..6u64 {
        let d: Vec<u8> = (0..r.gen_range(1..3000)).map(|_| r.gen()).collect();
        let (rs, re) = sk.write_with(APPLICATION_DATA, &d, MAX_RECORD_DATA, &mut drv.netdev(&mut dev))?[0];
        app.push(d);
        let segs = tcp::segment(rs, re, r.gen_range(1..1400), &[]).expect("MSS in range");
        if k == 2 || k == 3 {
            continue;
        }
        for (i, s) in segs.iter().enumerate() {
            let want = if k == 4 {
                software_frames += 1;
                XmitVerdict::SoftwareEncrypted { resync_requested: i == 0 }
            } else {
                device_frames += 1;
                XmitVerdict::Offloaded
            };
            let f = tmpl.build(s.seq, &sk.bytes(s.seq, s.len).expect("held")).expect("frame");
            let got = drv.xmit(&mut dev, f, &mut sk)?;
            if got != want {
                return Err(fail("driver verdict", format!("record {k} segment {i}: {got:?}, expected {want:?}")));
            }
        }
        let pending = sk.tls_offload_tx_resync_pending();
        if pending != (k == 4) {
            return Err(fail("TX resync", format!("after record {k}: pending = {pending}")));
        }
        wire_recs.push((k, segs.len()));
    }
    let want: usize = wire_recs.iter().map(|(_, n)| n).sum();
    let out = collect_frames(dev.sim, want, 1_000_000)?;
    if out.len() != want {
        return Err(fail("frame count", format!("{} of {want}", out.len())));
    }
    let mut it = out.iter();
    let mut checked = 0;
    for (k, n) in wire_recs {
        let mut rec = Vec::new();
        for _ in 0..n {
            let o = it.next().expect("counted");
            let w = crate::wire::check(&o.data).map_err(|e| fail("checksum", format!("record {k}: {e}")))?;
            rec.extend_from_slice(w.payload_of(&o.data));
        }
        let pt = dir.open_record(dir.rec_seq + k, &rec).map_err(|e| fail("record around a context update", e))?;
        if pt != app[k as usize] {
            return Err(fail("application bytes", format!("record {k}")));
        }
        checked += 1;
    }
    TxStats::read(&mut dev, &drv)?.expect(&[
        ("tx_tls_encrypted_packets", device_frames),
        ("tx_plain_packets", software_frames),
        ("tx_tls_dev_dump_frames", 1),
        ("tx_tls_ooo", software_frames),
        ("tx_tls_fallback_packets", software_frames),
        ("tx_tls_resync_req", 1),
        ("tx_tls_ctx_update", 1),
    ])?;
    Ok(checked)
}

/// Cycles per frame for `n` back-to-back unmarked frames of `len` bytes
/// (the output is checked byte for byte).
pub fn tx_plain_rate(sim: &mut Sim, len: usize, n: usize) -> Result<f64, ScenarioError> {
    let frames: Vec<Vec<u8>> = (0..n).map(|i| (0..len).map(|b| (b * 13 + i) as u8).collect()).collect();
    let mut dev = SimNic::new(sim)?;
    for f in &frames {
        dev.post(TxWork::Frame { desc: TxDesc::plain(), frame: f.clone() })?;
    }
    let sim = dev.sim;
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
        sim.watchdog()?;
    }
    if out.iter().map(|o| &o.data).ne(frames.iter()) {
        return Err(fail("unmarked frames", "changed or lost".into()));
    }
    Ok((last - t0) as f64 / n as f64)
}
