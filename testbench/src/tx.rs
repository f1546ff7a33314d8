//! TX offload scenarios on `tls_offload_top`, driven as the kernel drives a
//! TLS_HW NIC: kTLS sockets ([`KtlsTx`]) and the TX driver ([`TxDriver`])
//! over the Verilated device ([`SimNic`], contexts installed through the
//! firmware). The wire is checked with the testbench's own record layer
//! ([`TlsDir`], RustCrypto `aes-gcm`) and the testbench's own counts.
//!
//! The device side of the driver's [`TxDevice`] is here too: which context
//! ids are in use ([`SimTxState`]) and the encoding of the driver's work in
//! the RTL's TX stream format ([`RtlEncoder`], docs/tx.md).

use crate::diverge::Divergence;
use crate::scenario::ScenarioError;
use crate::seed::rng;
use crate::tls::{overhead, split_records, TlsDir};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::HashMap;
use tlsnic_device::csr;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_device::tx::EVT_PORT;
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
    /// Retransmitted offloaded segments (rebuilt through DUMP, or sent as
    /// prefix-less retransmissions, per the policy), byte-identical to
    /// their first transmission.
    pub retransmits: usize,
    /// Of them, sent as prefix-less retransmissions (`Retransmit` policy).
    pub retx: usize,
    /// Of those, with the record's tag from its completion.
    pub retx_tagged: usize,
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
    /// The driver's out-of-order policy.
    policy: OooPolicy,
    /// Stream offset from the offload start after the last record.
    stream_end: usize,
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
        if matches!(want, XmitVerdict::Retransmitted { .. }) && self.policy != OooPolicy::Retransmit {
            return Err(fail("driver verdict", format!("conn {}: a retransmission under {:?}", self.id, self.policy)));
        }
        counts.note(&want, len);
        Ok((want, frame))
    }

    /// What the driver must do with segment `[seq, +len)` (docs/tx.md,
    /// "Out-of-order segments"). Under `Retransmit` the run has let the
    /// device finish everything posted before (so every tag of a record
    /// whose body was sent is known) and a retransmission never needs a
    /// DUMP.
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
        let k = self.rec_starts.partition_point(|&s| s <= off) - 1;
        let rec = self.rec_starts[k];
        let prefix = off - rec;
        if self.policy == OooPolicy::Retransmit {
            let rec_end = self.rec_starts.get(k + 1).copied().unwrap_or(self.stream_end);
            return XmitVerdict::Retransmitted { tag: needs_tag(off, rec, rec_end, len) };
        }
        XmitVerdict::Rebuilt { dumps: prefix.div_ceil(SIM_TX_DRIVER.dump_mtu), dump_bytes: prefix }
    }
}

/// Whether stream bytes `[o, o + len)` of the record at `[rs, re)` need
/// its tag from a completion: they start past its first byte and reach
/// its 16 tag bytes (docs/tx.md, "Retransmission without the record
/// prefix").
fn needs_tag(o: usize, rs: usize, re: usize, len: usize) -> bool {
    o > rs && o + len > re - 16
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
    retx: u64,
    retx_bytes: u64,
    retx_tagged: u64,
}

impl Counts {
    fn note(&mut self, v: &XmitVerdict, len: usize) {
        match *v {
            XmitVerdict::Retransmitted { tag } => {
                self.retx += 1;
                self.retx_bytes += len as u64;
                self.retx_tagged += u64::from(tag);
            }
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

/// An IPv4 frame layout with `4 * k` bytes of options (TCP first, up to
/// 40, then IP): 54 + 4k bytes of headers.
fn aligned_template(k: usize) -> FrameTemplate {
    let key = FlowKey::V4 { saddr: [10, 0, 0, 1].into(), daddr: [10, 0, 0, 2].into(), sport: 40_001, dport: 443 };
    let mut t = FrameTemplate::new(key);
    t.tcp_options = vec![1; 4 * k.min(10)];
    t.ip_options = vec![1; 4 * k.saturating_sub(10)];
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
    collect_frames_stamped(sim, want, max_cycles).map(|(f, _)| f)
}

/// Frames, and for each the cycles `first..last` in one of which it left
/// the device.
pub type StampedFrames = (Vec<tlsnic_sim::Frame>, Vec<(u64, u64)>);

/// [`collect_frames`], with the cycles `first..last` in one of which each
/// frame left the device (frames are taken every 500 cycles): what a
/// [`Divergence`] reports.
pub fn collect_frames_stamped(sim: &mut Sim, want: usize, max_cycles: u64) -> Result<StampedFrames, SimError> {
    let start = sim.cycle();
    let mut out = Vec::new();
    let mut stamps = Vec::new();
    let mut step = |sim: &mut Sim, n: u64, out: &mut Vec<tlsnic_sim::Frame>| {
        let c0 = sim.cycle();
        sim.tick(n);
        let f = sim.take_frames(0);
        stamps.extend(std::iter::repeat_n((c0, sim.cycle()), f.len()));
        out.extend(f);
    };
    while out.len() < want && sim.cycle() - start < max_cycles {
        step(sim, 500, &mut out);
        sim.watchdog()?;
        if sim.inputs_drained() && sim.quiet_cycles() >= STALL_CYCLES {
            break;
        }
    }
    step(sim, 2000, &mut out);
    Ok((out, stamps))
}

/// Random TX run through the host models and the RTL: `conns` kTLS sockets
/// (TLS 1.2/1.3, AES-128/256, some with pre-offload data already encrypted
/// in software) offloaded by the TX driver ([`SIM_TX_DRIVER`] with
/// out-of-order policy `policy`), records of 0..16 KB, TCP segments of
/// 1..8822 bytes (a socket whose segments are capped under 100 bytes: at
/// most 1500 bytes of application data), retransmissions of random
/// unacknowledged segments (the driver rebuilds device state with DUMP
/// or, with `Retransmit`, sends a prefix-less retransmission with the tag
/// from the device's completion; or sends pre-offload data unmarked, or
/// drops segments straddling the offload start), unmarked traffic
/// interleaved, random backpressure. Checks the driver's verdict on every segment
/// against the testbench's, every output frame (unmarked ones
/// byte-identical, marked ones changed only in payload and TCP checksum,
/// checksums valid, retransmissions identical to the first transmission,
/// nothing the driver dropped on the wire), that every record decrypts
/// with aes-gcm to the application bytes, and that device and driver
/// counters equal the testbench's own counts.
pub fn tx_random_run(
    seed: u64,
    conns: usize,
    bytes_per_conn: usize,
    policy: OooPolicy,
) -> Result<TxReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    sim.set_backpressure(seed ^ 0x7e57, 0.1, 0.1);
    let mut dev = SimNic::new(&mut sim)?;
    let mut drv = TxDriver::new(TxDriverConfig { policy, ..SIM_TX_DRIVER });
    let mut cs = Vec::new();
    for i in 0..conns {
        let v13 = r.gen_bool(0.5);
        let key: Vec<u8> = (0..if r.gen_bool(0.5) { 16 } else { 32 }).map(|_| r.gen()).collect();
        let (salt, iv) = (r.gen(), r.gen());
        let rec_seq = r.gen_range(10..1_000_000);
        let cipher = if key.len() == 32 { Cipher::Aes256Gcm } else { Cipher::Aes128Gcm };
        let info = TlsCryptoInfo::new(version(v13), cipher, key, iv, salt, rec_seq).expect("key fits the cipher");
        let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq };
        let start_sn = crate::seed::isn(&mut r, 20_000);
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
        // Segments under 100 bytes: at most 1500 bytes of application data
        // (a 16 KB record in 1-byte segments would be 16 K frames of one
        // connection; 1500 bytes in such segments split headers, nonces and
        // tags at every offset too).
        let small = mss_cap < 100;
        let budget = if small { bytes_per_conn.min(1500) } else { bytes_per_conn };
        let (mut total, mut rec_starts, mut off) = (0, Vec::new(), 0);
        while total < budget {
            let n = match r.gen_range(0..10) {
                0..=3 => r.gen_range(0..=40),
                4..=7 => r.gen_range(41..=2000),
                8 => MAX_RECORD_DATA,
                _ => r.gen_range(2000..=16_384),
            };
            let n = if small { n.min(budget - total) } else { n };
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
        cs.push(Conn {
            id: i,
            tmpl,
            dir,
            sock,
            app,
            pre_records,
            rec_starts,
            segs,
            pre_segs,
            expected: start_sn,
            policy,
            stream_end: off,
        });
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
            if policy == OooPolicy::Retransmit {
                // the device catches up: its tag completions are there to read
                dev.sim.run_until_idle(50_000_000, 300)?;
            }
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
    let (out, stamps) = collect_frames_stamped(dev.sim, on_wire.len(), 40 * beats as u64 + 100_000)?;
    let at = |k: usize| stamps.get(k).copied();
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
    // per connection: (stream offset after the frame, frame index)
    let mut frame_ends: Vec<Vec<(usize, usize)>> = vec![Vec::new(); cs.len()];
    let mut first_tx: HashMap<(usize, usize), Vec<u8>> = HashMap::new();
    let mut rep = TxReport {
        conns,
        cycles,
        dumps,
        retx: want.retx as usize,
        retx_tagged: want.retx_tagged as usize,
        ..Default::default()
    };
    let mut marked_bytes = 0u64;
    let inject = crate::diverge::injected_mismatch();
    for (k, ((inp, e), o)) in on_wire.iter().zip(&out).enumerate() {
        // the test hook: expect frame k with its first byte flipped (a
        // retransmission is compared with its first transmission instead)
        let hooked;
        let inp = if inject == Some(k) {
            hooked = inp.iter().enumerate().map(|(i, &b)| b ^ u8::from(i == 0)).collect::<Vec<u8>>();
            &hooked
        } else {
            inp
        };
        match e {
            Expect::Same => {
                if &o.data != inp {
                    return Err(Divergence::bytes("unmarked frame changed", k, &o.data, inp, at(k)).into());
                }
                rep.unmarked += 1;
            }
            Expect::PreFirst { conn } => {
                if &o.data != inp {
                    return Err(Divergence::bytes("pre-offload frame changed", k, &o.data, inp, at(k)).into());
                }
                let p = tcp::parse(inp).expect("generated frames parse");
                streams[*conn].extend_from_slice(p.payload_of(inp));
                frame_ends[*conn].push((streams[*conn].len(), k));
                rep.unmarked += 1;
            }
            Expect::Again { conn, seg } => {
                match first_tx.get(&(*conn, *seg)) {
                    Some(f) if *f == o.data => {}
                    Some(f) => {
                        let what = format!("retransmission of conn {conn} segment {seg}: not its first transmission");
                        return Err(Divergence::bytes(what, k, &o.data, f, at(k)).into());
                    }
                    None => {
                        let what = format!("retransmission of conn {conn} segment {seg} before its first transmission");
                        return Err(Divergence::frame(what, k, at(k)).into());
                    }
                }
                marked_bytes += tcp::parse(inp).expect("generated frames parse").payload_len() as u64;
                rep.retransmits += 1;
                rep.marked += 1;
            }
            Expect::First { conn: ci, seg } => {
                let p = tcp::parse(inp).expect("generated frames parse");
                if o.data.len() != inp.len() {
                    let what = format!("marked frame of {} bytes, sent {}", o.data.len(), inp.len());
                    return Err(Divergence::frame(what, k, at(k)).into());
                }
                for (i, (a, b)) in inp.iter().zip(&o.data).enumerate() {
                    let in_payload = i >= p.payload && i < p.end;
                    let csum = i == p.l4 + 16 || i == p.l4 + 17;
                    if !in_payload && !csum && a != b {
                        let what = "header byte changed".to_string();
                        let d = Divergence {
                            what,
                            frame: k,
                            byte: Some(i),
                            expected: Some(*a),
                            got: Some(*b),
                            cycles: at(k),
                        };
                        return Err(d.into());
                    }
                }
                let w = crate::wire::check(&o.data)
                    .map_err(|e| Divergence::frame(format!("checksum (conn {ci}): {e}"), k, at(k)))?;
                if (w.payload, w.payload_len) != (p.payload, p.payload_len()) {
                    let what = "TCP payload: etherparse and the driver's parser disagree";
                    return Err(Divergence::frame(what, k, at(k)).into());
                }
                streams[*ci].extend_from_slice(w.payload_of(&o.data));
                frame_ends[*ci].push((streams[*ci].len(), k));
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
        // the frame that carried the last byte (the tag) of the record
        // ending at stream offset `end`
        let tag_frame = |end: usize| {
            let j = frame_ends[ci].partition_point(|&(e, _)| e < end);
            frame_ends[ci].get(j).map_or(0, |x| x.1)
        };
        let mut end = 0;
        for (i, rec) in recs.iter().enumerate() {
            end += rec.len();
            let pt = c.dir.open_record(first + i as u64, rec).map_err(|e| {
                let what = format!(
                    "record decrypt: conn {ci} (v13={} key={} start={}) record {i}: {e}; the frame of its tag",
                    c.dir.v13,
                    c.dir.key.len(),
                    c.sock.start_offload_tcp_sn()
                );
                let k = tag_frame(end);
                Divergence::frame(what, k, at(k))
            })?;
            if pt != c.app[i] {
                let k = tag_frame(end);
                let what = format!("application bytes: conn {ci} record {i}; the frame of its tag");
                return Err(Divergence::frame(what, k, at(k)).into());
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
        ("tx_tls_dev_retx_packets", want.retx),
        ("tx_tls_dev_retx_bytes", want.retx_bytes),
        ("tx_tls_retx_packets", want.retx),
        ("tx_tls_retx_bytes", want.retx_bytes),
        ("tx_tls_dump_fallback", 0),
        ("tx_tls_drop_retx", 0),
        ("tx_tls_evt_lost", 0),
    ])?;
    rep.driver = drv.stats().clone();
    Ok(rep)
}

/// Counts of a drop run.
#[derive(Clone, Debug, Default)]
pub struct DropReport {
    /// Frames that reached the wire.
    pub wire_frames: usize,
    /// Device counters: parse, ctx, seq, bad record drops.
    pub drops: [u32; 4],
    /// Device counter: retransmitted segments dropped (`tx_tls_drop_retx`).
    pub retx_drops: u32,
}

/// Marked frames the device cannot encrypt (unknown context, sequence
/// number not the expected one, not TCP, a malformed record header, the
/// same with the record's GHASH state carried into the failed frame (the
/// record's rest is then dropped until a rebuild); retransmissions without a
/// matching descriptor, with the tag needed and not given, or at an offset
/// outside the record), posted to the device directly (the driver never
/// sends them), are dropped and counted, while the connection's in-order
/// frames around them and a good retransmission are encrypted correctly.
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
    let (a, b) = (&rec[..1000], &rec[1000..2000]);
    let good1 = build(&tmpl, start, a);
    let good2 = build(&tmpl, start.wrapping_add(1000), b);
    let good3 = build(&tmpl, start.wrapping_add(2000), &rec[2000..]);
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
    // after the record, in order: a record header whose length no record
    // can have (walked, fails, nothing committed)
    let mut bad_hdr = rec[..5].to_vec();
    bad_hdr[3..5].copy_from_slice(&0xffffu16.to_be_bytes());
    bad_hdr.extend((0..40).map(|_| r.gen::<u8>()));
    let bad_record = build(&tmpl, start.wrapping_add(rec.len() as u32), &bad_hdr);
    // The rest of the record, carried on from `good2` (GHASH state open),
    // and that malformed header: the frame fails and the record's GHASH
    // state is lost with it (the context is marked stale); the record's
    // rest alone is then dropped too, until a rebuild from the record's
    // start (Resync + DUMP) restores it.
    let mut tail_bad = rec[2000..].to_vec();
    tail_bad.extend_from_slice(&bad_hdr);
    let tail_bad = build(&tmpl, start.wrapping_add(2000), &tail_bad);
    let frames = [
        (good1.clone(), ctx),
        (build(&tmpl, start.wrapping_add(1000), b), never_installed),
        (bad_seq, ctx),
        (not_tcp, ctx),
        (good2.clone(), ctx),
        (tail_bad, ctx),
        (good3.clone(), ctx),
    ];
    for (frame, c) in frames {
        dev.post(TxWork::Frame { desc: TxDesc::offload(c), frame })?;
    }
    dev.post(TxWork::Resync { ctx_id: ctx, rec_start_seq: start, rec_num: 1 })?;
    dev.post(TxWork::Dump { ctx_id: ctx, bytes: rec[..2000].to_vec() })?;
    for frame in [good3.clone(), bad_record] {
        dev.post(TxWork::Frame { desc: TxDesc::offload(ctx), frame })?;
    }
    // Retransmissions the device must refuse: no descriptor, a descriptor
    // of another sequence number, the tag needed and not given, an offset
    // outside the record; then a good one, then the same segment again
    // without a descriptor of its own (a descriptor serves one segment).
    let header: [u8; 5] = rec[..5].try_into().expect("5");
    let nonce: [u8; 8] = if v13 { [0; 8] } else { rec[5..13].try_into().expect("8") };
    let at = |o: usize| start.wrapping_add(o as u32);
    let retx = |o: usize, seq: u32, tag, frame| TxWork::Retransmit {
        ctx_id: ctx,
        seq,
        rec_num: 1,
        offset: o as u16,
        header,
        nonce,
        tag,
        frame,
    };
    let lone = build(&tmpl, at(100), &rec[100..400]);
    let user = 1 << csr::TXD_OFFLOAD | csr::TXD_OP_RETX << csr::TXD_OP_LSB | u64::from(ctx.0) << csr::TXD_CTX_LSB;
    dev.sim.push_frame(0, &lone, user)?;
    dev.post(retx(500, at(500), None, build(&tmpl, at(501), &rec[501..600])))?;
    let n = rec.len();
    dev.post(retx(n - 20, at(n - 20), None, build(&tmpl, at(n - 20), &rec[n - 20..])))?;
    dev.post(retx(n + 3, at(n + 3), None, build(&tmpl, at(n + 3), &rec[..10])))?;
    dev.post(retx(100, at(100), None, lone.clone()))?;
    dev.sim.push_frame(0, &lone, user)?;
    dev.sim.run_until_idle(200_000, 200)?;
    let out = dev.sim.take_frames(0);
    if out.len() != 4 {
        return Err(fail(
            "wire frame count",
            format!("{} frames on the wire, expected the 3 good ones and a retransmission", out.len()),
        ));
    }
    let p = tcp::parse(&out[3].data).map_err(|e| fail("retransmission", e.to_string()))?;
    if p.payload_of(&out[3].data) != &tcp::parse(&out[0].data).expect("parse").payload_of(&out[0].data)[100..400] {
        return Err(fail("retransmission", "not the bytes of the first transmission".into()));
    }
    let mut stream = Vec::new();
    for (o, g) in out.iter().zip([&good1, &good2, &good3]) {
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
    let drops =
        [rd(csr::TX_CNT_DROP_PARSE)?, rd(csr::TX_CNT_DROP_CTX)?, rd(csr::TX_CNT_DROP_SEQ)?, rd(csr::TX_CNT_DROP_REC)?];
    let retx_drops = rd(csr::TX_CNT_DROP_RETX)?;
    // record drops: the failed carried frame, the record's rest after it
    // (state lost), the malformed header after the record
    if drops != [1, 1, 1, 3] || retx_drops != 5 {
        return Err(fail(
            "drop counters",
            format!("parse/ctx/seq/record {drops:?}, retransmissions {retx_drops}: expected [1, 1, 1, 3], five"),
        ));
    }
    Ok(DropReport { wire_frames: out.len(), drops, retx_drops })
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
            rd(csr::TX_CNT_RETX_PKTS)?,
            rd(csr::TX_CNT_RETX_BYTES)?,
            rd(csr::TX_CNT_DROP_RETX)?,
            rd(csr::TX_CNT_EVT_LOST)?,
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
    let (out, stamps) = collect_frames_stamped(dev.sim, want, 1_000_000)?;
    if out.len() != want {
        return Err(fail("frame count", format!("{} of {want}", out.len())));
    }
    let at = |i: usize| stamps.get(i).copied();
    let mut it = out.iter().enumerate();
    let mut checked = 0;
    for (k, n) in wire_recs {
        let mut rec = Vec::new();
        let mut last = 0;
        for _ in 0..n {
            let (i, o) = it.next().expect("counted");
            let w = crate::wire::check(&o.data)
                .map_err(|e| Divergence::frame(format!("checksum (record {k}): {e}"), i, at(i)))?;
            rec.extend_from_slice(w.payload_of(&o.data));
            last = i;
        }
        let pt = dir.open_record(dir.rec_seq + k, &rec).map_err(|e| {
            Divergence::frame(format!("record {k} around a context update: {e}; its last frame"), last, at(last))
        })?;
        if pt != app[k as usize] {
            let what = format!("application bytes of record {k}; its last frame");
            return Err(Divergence::frame(what, last, at(last)).into());
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

/// Result of [`tx_retx_offsets_run`].
#[derive(Clone, Debug, Default)]
pub struct RetxOffsetsReport {
    /// Records checked by the receiver model.
    pub records: usize,
    /// Prefix-less retransmissions (driver verdict `Retransmitted`).
    pub retransmits: usize,
    /// Of them, with the record's tag from a completion.
    pub with_tag: usize,
    /// Retransmissions that needed a tag not yet known: rebuilt by DUMP.
    pub fallbacks: usize,
    /// Tag completions compared with the tags on the wire.
    pub completions: usize,
    /// Tag completions lost while the host did not read the event stream
    /// (phase 4): `tx_tls_evt_lost` must equal it.
    pub evt_lost: usize,
    /// Marked frames on the wire.
    pub frames: usize,
}

/// Prefix-less retransmission (`OooPolicy::Retransmit`) at every offset of
/// a record, one connection on the device:
/// 1. records A sent in order; the device catches up, so the driver has
///    every tag completion (each must be the tag the receiver model
///    authenticates, checked at the end for A and B);
/// 2. retransmissions starting at every byte of A (header, TLS 1.2 nonce,
///    body, tag; lengths 1..61, across records), interleaved with the first
///    transmission of records B, while a second connection is added, sends
///    and is deleted (context churn): every retransmission is
///    `Retransmitted` (with the tag when it starts past its record's first
///    byte and reaches the tag), B stays in order; the second connection's
///    context is added while thousands of beats of retransmissions are
///    queued (the command drains the pipeline under traffic);
/// 3. records C, each retransmitted right after its first transmission,
///    before any completion can have been read: a retransmission that needs
///    the tag falls back to DUMP (`tx_tls_dump_fallback`), the others go
///    without prefix.
///
/// 4. records D (`EVT_FLOOD` of them) while the host does not read the
///    event stream: the device's completion queue (`EVT_QUEUE` entries)
///    fills, later completions are lost and counted (`tx_tls_evt_lost`),
///    the frames go on. When the host reads again it must have the tags of
///    a prefix of D (the queue keeps order), at least `EVT_QUEUE` and not
///    all; every other one counted lost. Then each D record is retransmitted
///    from its second byte (the tag needed): without prefix when its tag
///    was read, by DUMP when it was lost.
///
/// The wire: every first transmission's records decrypt (aes-gcm), every
/// retransmission is byte-identical to the first transmission of its bytes,
/// every checksum is valid; device and driver counters equal the
/// testbench's counts.
///
/// `hdr_words`: `None` for a random frame layout; `Some(k)` for IPv4
/// frames whose IP and TCP options add `4 * k` bytes (0..=20) to the 54
/// bytes of headers, so a sweep over `k` puts the payload at every lane
/// alignment the layouts allow (two mod four) at any beat width.
pub fn tx_retx_offsets_run(seed: u64, v13: bool, hdr_words: Option<usize>) -> Result<RetxOffsetsReport, ScenarioError> {
    let mut r = rng(seed);
    let tmpl = match hdr_words {
        None => random_template(&mut r, 1),
        Some(k) if k <= 20 => aligned_template(k),
        Some(k) => return Err(fail("layout", format!("{k} words of options: at most 20 (10 IP, 10 TCP)"))),
    };
    let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload)?;
    sim.reset(4);
    let mut dev = SimNic::new(&mut sim)?;
    let mut drv = TxDriver::new(TxDriverConfig { policy: OooPolicy::Retransmit, ..SIM_TX_DRIVER });
    let (mut sk, dir) = retx_socket(&mut r, v13);
    sk.set_device_offload(|d, info, sn| drv.tls_dev_add(&mut dev, d, info, sn))?;
    let start = sk.start_offload_tcp_sn();
    let mut t = RetxRun {
        start,
        expected: start,
        tmpl,
        recs: Vec::new(),
        app: Vec::new(),
        marked: Vec::new(),
        fallback_bytes: 0,
        retx_bytes: 0,
        rep: RetxOffsetsReport::default(),
    };
    // 1. records A, in order, then the device catches up
    for n in [0, 1, 15, 16, 17, 40, 100, 3] {
        t.write(&mut sk, &mut r, n)?;
    }
    let a_recs = t.recs.len();
    let a_end = t.recs[a_recs - 1].1;
    let mut o = 0;
    while o < a_end {
        let len = r.gen_range(1..=50).min(a_end - o);
        t.send(&mut drv, &mut dev, &mut sk, o, len, &|_| true, false)?;
        o += len;
    }
    dev.sim.run_until_idle(5_000_000, 300)?;
    // 2. every offset of A, interleaved with B and a short-lived connection
    for n in [500, 7, 1200] {
        t.write(&mut sk, &mut r, n)?;
    }
    let b_end = t.recs[t.recs.len() - 1].1;
    let mut b_at = a_end;
    let mut churn: Option<(KtlsTx, TlsDir, Vec<Vec<u8>>)> = None;
    for o in 0..a_end {
        let len = (1 + (o * 7919 + 13) % 61).min(a_end - o);
        t.send(&mut drv, &mut dev, &mut sk, o, len, &|_| true, true)?;
        if o % 4 == 0 && b_at < b_end {
            let len = r.gen_range(1..=300).min(b_end - b_at);
            t.send(&mut drv, &mut dev, &mut sk, b_at, len, &|_| true, false)?;
            b_at += len;
        }
        if o == a_end / 2 {
            // churn: a connection added, sending two records, deleted
            let (mut zk, zdir) = retx_socket(&mut r, !v13);
            zk.set_device_offload(|d, info, sn| drv.tls_dev_add(&mut dev, d, info, sn))?;
            let za: Vec<Vec<u8>> = (0..2).map(|i| (0..100 * i + 30).map(|_| r.gen()).collect()).collect();
            for d in &za {
                zk.write(d, MAX_RECORD_DATA)?;
            }
            for (s, l) in zk.segments(zk.stream_start(), 700) {
                let f = t.tmpl.build(s, &zk.bytes(s, l).expect("held")).expect("frame");
                if drv.xmit(&mut dev, f, &mut zk)? != XmitVerdict::Offloaded {
                    return Err(fail("driver verdict", "churn connection: not offloaded in order".into()));
                }
                t.marked.push((usize::MAX, l, false));
            }
            // the kernel deletes a TX context once its frames are out
            dev.sim.run_until_idle(5_000_000, 300)?;
            let ctx = zk.driver_state().expect("offloaded");
            drv.tls_dev_del(&mut dev, ctx, tlsnic_driver::types::Direction::Tx)?;
            churn = Some((zk, zdir, za));
        }
    }
    while b_at < b_end {
        let len = r.gen_range(1..=300).min(b_end - b_at);
        t.send(&mut drv, &mut dev, &mut sk, b_at, len, &|_| true, false)?;
        b_at += len;
    }
    if t.rep.fallbacks != 0 {
        return Err(fail("fallback", format!("{} fallbacks with every tag known", t.rep.fallbacks)));
    }
    dev.sim.run_until_idle(5_000_000, 300)?;
    // 3. records C: retransmitted before their completions can be read
    let c_first = t.recs.len();
    for n in [30, 900, 2] {
        t.write(&mut sk, &mut r, n)?;
    }
    for k in c_first..t.recs.len() {
        let (rs, re) = t.recs[k];
        let mid = rs + (re - rs) / 2;
        t.send(&mut drv, &mut dev, &mut sk, rs, mid - rs, &|k| k < c_first, false)?;
        t.send(&mut drv, &mut dev, &mut sk, mid, re - mid, &|k| k < c_first, false)?;
        // needs the tag (unknown): DUMP; then one without the tag
        t.send(&mut drv, &mut dev, &mut sk, rs + 1, re - rs - 1, &|k| k < c_first, true)?;
        t.send(&mut drv, &mut dev, &mut sk, rs, 1.max((re - rs) / 3), &|k| k < c_first, true)?;
    }
    // 4. records D while the host does not read the event stream
    dev.sim.run_until_idle(5_000_000, 300)?;
    drv.poll_tag_completions(&mut dev)?;
    dev.sim.hold_output(EVT_PORT, true)?;
    let d_first = t.recs.len();
    for _ in 0..EVT_FLOOD {
        let n = r.gen_range(0..24);
        t.write(&mut sk, &mut r, n)?;
    }
    for k in d_first..t.recs.len() {
        let (rs, re) = t.recs[k];
        t.send(&mut drv, &mut dev, &mut sk, rs, re - rs, &|_| true, false)?;
    }
    dev.sim.run_until_idle(5_000_000, 300)?;
    dev.sim.hold_output(EVT_PORT, false)?;
    dev.sim.run_until_idle(5_000_000, 300)?;
    // completions read now: D's (C's were read before the hold); the
    // driver verdicts below hold it to the first `got_d` records of D
    let got_d = drv.poll_tag_completions(&mut dev)?;
    if !(EVT_QUEUE..EVT_FLOOD).contains(&got_d) {
        return Err(fail(
            "tag completions",
            format!(
                "with the event stream held, {got_d} of the {EVT_FLOOD} records' completions were read: \
                 expected {EVT_QUEUE} or more (the queue), and not all"
            ),
        ));
    }
    t.rep.evt_lost = EVT_FLOOD - got_d;
    // a retransmission of each D record that needs its tag: known, or DUMP
    let d_known = d_first..d_first + got_d;
    for k in d_first..t.recs.len() {
        let (rs, re) = t.recs[k];
        t.send(&mut drv, &mut dev, &mut sk, rs + 1, re - rs - 1, &|j| d_known.contains(&j), true)?;
    }
    // the tags the driver holds now: every record of A and B (read with
    // the completions before C was sent), the first of D, and others read
    // since (each checked against the tag on the wire)
    let known: Vec<Option<[u8; 16]>> = sk.records().filter(|x| !x.is_start_marker()).map(|x| x.tag).collect();
    let RetxRun { recs, app, marked, fallback_bytes, retx_bytes, mut rep, .. } = t;
    let (out, stamps) = collect_frames_stamped(dev.sim, marked.len(), 20_000_000)?;
    let at = |i: usize| stamps.get(i).copied();
    if out.len() != marked.len() {
        let stats = TxStats::read(&mut dev, &drv)?;
        return Err(fail(
            "frame count",
            format!("{} frames on the wire, {} sent; counters:\n{}", out.len(), marked.len(), stats.ethtool()),
        ));
    }
    // The first transmissions make the stream; the records decrypt.
    let total = recs[recs.len() - 1].1;
    let mut stream = vec![None::<u8>; total];
    let mut zstream = Vec::new();
    // the frame that carried each stream byte first
    let mut byte_frame = vec![0usize; total];
    for (k, ((o, len, again), f)) in marked.iter().zip(&out).enumerate() {
        let w = crate::wire::check(&f.data)
            .map_err(|e| Divergence::frame(format!("checksum (offset {o}): {e}"), k, at(k)))?;
        let p = w.payload_of(&f.data);
        if p.len() != *len {
            let what = format!("payload length (offset {o}): {} vs {len}", p.len());
            return Err(Divergence::frame(what, k, at(k)).into());
        }
        if *o == usize::MAX {
            zstream.extend_from_slice(p);
            continue;
        }
        for (i, b) in p.iter().enumerate() {
            match stream[o + i] {
                Some(x) if x != *b => {
                    let what = format!("retransmission: stream byte {} differs from its first transmission", o + i);
                    let byte = Some(w.payload + i);
                    return Err(
                        Divergence { what, frame: k, byte, expected: Some(x), got: Some(*b), cycles: at(k) }.into()
                    );
                }
                Some(_) => {}
                None if *again => {
                    let what = format!("retransmission: stream byte {} before its first transmission", o + i);
                    return Err(Divergence::frame(what, k, at(k)).into());
                }
                None => {
                    stream[o + i] = Some(*b);
                    byte_frame[o + i] = k;
                }
            }
        }
        rep.frames += 1;
    }
    let stream: Vec<u8> = stream.into_iter().collect::<Option<_>>().ok_or_else(|| fail("stream", "a gap".into()))?;
    for (k, &(rs, re)) in recs.iter().enumerate() {
        // the frame that first carried the record's last byte (its tag)
        let tag_frame = byte_frame[re - 1];
        let pt = dir.open_record(dir.rec_seq + k as u64, &stream[rs..re]).map_err(|e| {
            Divergence::frame(
                format!("record decrypt: record {k}: {e}; the frame of its tag"),
                tag_frame,
                at(tag_frame),
            )
        })?;
        if pt != app[k] {
            let what = format!("application bytes of record {k}; the frame of its tag");
            return Err(Divergence::frame(what, tag_frame, at(tag_frame)).into());
        }
        match known.get(k).copied().flatten() {
            Some(tag) if tag[..] != stream[re - 16..re] => {
                return Err(fail("tag completion", format!("record {k}: {tag:02x?}, not the tag on the wire")));
            }
            Some(_) => rep.completions += 1,
            None if k < c_first || d_known.contains(&k) => {
                return Err(fail("tag completion", format!("record {k}: no tag read")));
            }
            None => {}
        }
        rep.records += 1;
    }
    let (_, zdir, za) = churn.ok_or_else(|| fail("churn", "no churn connection".into()))?;
    let zrecs = split_records(&zstream).map_err(|e| fail("churn records", e.to_string()))?;
    for (i, (rec, d)) in zrecs.iter().zip(&za).enumerate() {
        if zdir.open_record(zdir.rec_seq + i as u64, rec).map_err(|e| fail("churn decrypt", e))? != *d {
            return Err(fail("churn", format!("record {i}")));
        }
        rep.records += 1;
    }
    let marked_bytes: u64 = marked.iter().map(|m| m.1 as u64).sum();
    TxStats::read(&mut dev, &drv)?.expect(&[
        ("tx_tls_encrypted_packets", marked.len() as u64),
        ("tx_tls_encrypted_bytes", marked_bytes),
        ("tx_tls_dev_retx_packets", rep.retransmits as u64),
        ("tx_tls_dev_retx_bytes", retx_bytes),
        ("tx_tls_retx_packets", rep.retransmits as u64),
        ("tx_tls_dump_fallback", rep.fallbacks as u64),
        ("tx_tls_dev_dump_bytes", fallback_bytes),
        ("tx_tls_drop_retx", 0),
        ("tx_tls_evt_lost", rep.evt_lost as u64),
    ])?;
    Ok(rep)
}

/// Entries of the device's tag-completion queue (docs/tx.md).
const EVT_QUEUE: usize = 32;
/// Records sent while the event stream is held in [`tx_retx_offsets_run`].
const EVT_FLOOD: usize = 48;

fn retx_socket(r: &mut rand_chacha::ChaCha8Rng, v13: bool) -> (KtlsTx, TlsDir) {
    let key: Vec<u8> = (0..if r.gen_bool(0.5) { 16 } else { 32 }).map(|_| r.gen()).collect();
    let cipher = if key.len() == 32 { Cipher::Aes256Gcm } else { Cipher::Aes128Gcm };
    let rec_seq = r.gen_range(0..1000);
    let info = TlsCryptoInfo::new(version(v13), cipher, key, r.gen(), r.gen(), rec_seq).expect("key fits");
    let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq };
    (KtlsTx::new(info, crate::seed::isn(r, 3000), Vec::new()), dir)
}

/// State of [`tx_retx_offsets_run`]: the connection's records and what the
/// wire must carry.
struct RetxRun {
    start: u32,
    /// The device's expected sequence number.
    expected: u32,
    tmpl: FrameTemplate,
    /// (start, end) stream offset from `start` of every record.
    recs: Vec<(usize, usize)>,
    app: Vec<Vec<u8>>,
    /// Marked frames in wire order: (stream offset, length, retransmission);
    /// offset `usize::MAX`: the churn connection's.
    marked: Vec<(usize, usize, bool)>,
    fallback_bytes: u64,
    retx_bytes: u64,
    rep: RetxOffsetsReport,
}

impl RetxRun {
    fn write(&mut self, sk: &mut KtlsTx, r: &mut rand_chacha::ChaCha8Rng, n: usize) -> Result<(), ScenarioError> {
        let data: Vec<u8> = (0..n).map(|_| r.gen()).collect();
        let (s, e) = sk.write(&data, MAX_RECORD_DATA)?[0];
        self.recs.push((s.wrapping_sub(self.start) as usize, e.wrapping_sub(self.start) as usize));
        self.app.push(data);
        Ok(())
    }

    /// Send stream bytes `[o, o + len)` through the driver; its verdict must
    /// be the testbench's (`tag_known(k)`: the driver has record k's tag).
    #[allow(clippy::too_many_arguments)]
    fn send(
        &mut self,
        drv: &mut TxDriver,
        dev: &mut SimNic,
        sk: &mut KtlsTx,
        o: usize,
        len: usize,
        tag_known: &dyn Fn(usize) -> bool,
        again: bool,
    ) -> Result<(), ScenarioError> {
        let seq = self.start.wrapping_add(o as u32);
        let k = self.recs.partition_point(|&(s, _)| s <= o) - 1;
        let (rs, re) = self.recs[k];
        let need = needs_tag(o, rs, re, len);
        let want = if seq == self.expected {
            XmitVerdict::Offloaded
        } else if need && !tag_known(k) {
            XmitVerdict::Rebuilt { dumps: (o - rs).div_ceil(SIM_TX_DRIVER.dump_mtu), dump_bytes: o - rs }
        } else {
            XmitVerdict::Retransmitted { tag: need }
        };
        let frame = self.tmpl.build(seq, &sk.bytes(seq, len).expect("held")).expect("frame");
        let got = drv.xmit(dev, frame, sk)?;
        if got != want {
            return Err(fail(
                "driver verdict",
                format!("offset {o} (record {k} at {rs}..{re}) +{len}: {got:?}, expected {want:?}"),
            ));
        }
        match want {
            XmitVerdict::Offloaded => self.expected = seq.wrapping_add(len as u32),
            XmitVerdict::Rebuilt { dump_bytes, .. } => {
                self.expected = seq.wrapping_add(len as u32);
                self.rep.fallbacks += 1;
                self.fallback_bytes += dump_bytes as u64;
            }
            _ => {
                self.rep.retransmits += 1;
                self.rep.with_tag += usize::from(need);
                self.retx_bytes += len as u64;
            }
        }
        self.marked.push((o, len, again));
        Ok(())
    }
}
