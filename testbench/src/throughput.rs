//! Throughput of the device's offload paths (`tls_offload_top`): streams of
//! 16 KB TLS records cut into fixed-size TCP segments, sent back to back
//! without backpressure through the TX path, the RX path, or both at once,
//! for one connection or many interleaved round robin.
//!
//! Contexts are installed as the drivers install them: TX through
//! [`TxDriver::tls_dev_add`] from a kTLS socket model ([`KtlsTx`]), RX
//! through the device's `rx_add` ([`SimNic`]). TX frames are posted by
//! [`TxDriver::xmit`]; RX frames are put on the wire port. Every output
//! frame is checked, so a broken engine cannot produce a figure: TX records
//! must decrypt with the `aes-gcm` reference ([`TlsDir`]) to the data
//! written, headers unchanged but for the TCP checksum, checksums valid;
//! RX frames must all be marked decrypted and carry exactly the plaintext
//! ([`scoreboard`]).
//!
//! The runner takes the stream width from the model ([`Sim::beat_bytes`]),
//! so a wider model reuses it unchanged.

use crate::rx::{scoreboard, RxStream, SentFrame};
use crate::scenario::ScenarioError;
use crate::tls::{split_records, TlsDir};
use crate::tx::TxStats;
use rand::Rng;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_device::rx::RX_PORT;
use tlsnic_driver::ktls_tx::{KtlsTx, MAX_RECORD_DATA};
use tlsnic_driver::rx_device::{RxDevCounters, RxDevice, RxFrame, RxMeta, RxReason, RxResyncMode};
use tlsnic_driver::tcp::{self, FrameTemplate};
use tlsnic_driver::tx_offload::{TxDriver, XmitVerdict};
use tlsnic_driver::types::{Cipher, CtxId, Direction, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::{Frame, Sim};

/// Data bytes per TLS record of the bench's rows ([`Load::bench`]).
pub const RECORD: usize = 16_384;

/// Record sizes (data bytes) of the sweep ([`Load::sweep`]).
pub const SWEEP_RECORDS: &[usize] = &[1024, 4096, 16_384];

/// Segment sizes of the sweep.
pub const SWEEP_SEGMENTS: &[usize] = &[256, 576, 1448, 4096, 9000];

/// Frames a sweep run sends at least.
pub const SWEEP_MIN_FRAMES: usize = 60;

/// TCP payload bytes per segment that the bench runs at a stream width
/// (bits): the standard MSS everywhere, plus 576-byte segments (more
/// headers per byte) at 128 bits and jumbo 9000-byte ones at 512.
pub fn segments(data_w: u32) -> &'static [usize] {
    if data_w >= 512 {
        &[1448, 9000]
    } else {
        &[1448, 576]
    }
}

/// Connection counts that the bench runs.
pub const CONNECTIONS: &[usize] = &[1, 64];

/// Frames a bench run sends at least (per direction).
pub const MIN_FRAMES: usize = 200;

/// Records per connection at least when a run has more than one connection.
pub const MIN_RECORDS_MULTI: usize = 6;

/// Largest segment the runner accepts (TSO's limit in the socket model).
pub const MAX_SEGMENT: usize = 9000;

/// Output port of the TX path (the wire).
const TX_PORT: usize = 0;

/// Bytes before the TCP payload of every frame: Ethernet, IPv4 and TCP, no
/// VLAN tag, no options.
pub const HEADER_BYTES: usize = 14 + 20 + 20;

fn fail(what: &'static str, detail: String) -> ScenarioError {
    ScenarioError::Mismatch { index: 0, what, detail }
}

/// Which offload path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// Host to wire: records encrypted.
    Tx,
    /// Wire to host: records decrypted.
    Rx,
}

impl Path {
    /// `"tx"` or `"rx"`.
    pub fn name(self) -> &'static str {
        match self {
            Path::Tx => "tx",
            Path::Rx => "rx",
        }
    }
}

/// What one direction carries in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    /// Connections; frame i belongs to connection i mod `conns`.
    pub conns: usize,
    /// TLS version of every connection.
    pub version: TlsVersion,
    /// TCP payload bytes per segment (a stream's last one may be shorter).
    pub segment: usize,
    /// Records per connection.
    pub records: usize,
    /// Data bytes per record (1..=[`MAX_RECORD_DATA`]).
    pub record: usize,
}

impl Load {
    /// The bench's load: enough records that a run sends at least
    /// [`MIN_FRAMES`] frames and each connection of a multi-connection run
    /// at least [`MIN_RECORDS_MULTI`] records.
    pub fn bench(conns: usize, version: TlsVersion, segment: usize) -> Load {
        let min = if conns > 1 { MIN_RECORDS_MULTI } else { 1 };
        let records = (MIN_FRAMES * segment).div_ceil(conns * RECORD).max(min);
        Load { conns, version, segment, records, record: RECORD }
    }

    /// A sweep point: one TLS 1.2 connection, records of `record` data
    /// bytes in `segment`-byte segments, at least [`SWEEP_MIN_FRAMES`]
    /// frames and two records.
    pub fn sweep(segment: usize, record: usize) -> Load {
        let records = (SWEEP_MIN_FRAMES * segment).div_ceil(record).max(2);
        Load { conns: 1, version: TlsVersion::V12, segment, records, record }
    }

    /// AES key sizes in use: connection c uses AES-128 when c is even,
    /// AES-256 when odd.
    pub fn key_bits(&self) -> Vec<usize> {
        (0..self.conns.min(2)).map(|c| cipher(c).key_size() * 8).collect()
    }
}

/// The cipher of connection `c`.
fn cipher(c: usize) -> Cipher {
    if c.is_multiple_of(2) {
        Cipher::Aes128Gcm
    } else {
        Cipher::Aes256Gcm
    }
}

/// Data of record `i` of connection `c`, `len` bytes.
fn record_data(c: usize, i: usize, len: usize) -> Vec<u8> {
    (0..len).map(|b| (b * 7 + i + 131 * c) as u8).collect()
}

/// Round robin over per-connection lists: element k of every list, then
/// k + 1 (lists of equal length give item i to list i mod n).
fn round_robin<T>(per_conn: Vec<Vec<T>>) -> Vec<T> {
    let mut its: Vec<_> = per_conn.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    loop {
        let before = out.len();
        out.extend(its.iter_mut().filter_map(Iterator::next));
        if out.len() == before {
            return out;
        }
    }
}

/// One direction's figures of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Which path.
    pub path: Path,
    /// Stream width in bits ([`Sim::beat_bytes`] x 8).
    pub data_w: usize,
    /// The load it carried.
    pub load: Load,
    /// Whether the other direction ran at the same time.
    pub concurrent: bool,
    /// Frames sent (and checked).
    pub frames: usize,
    /// TCP payload bytes of those frames.
    pub payload_bytes: usize,
    /// Beats of those frames: ceil(frame bytes / beat bytes) each.
    pub beats: usize,
    /// Cycles from the first input beat offered to the last output beat
    /// taken (for concurrent runs, of both directions: one window).
    pub cycles: u64,
    /// Cycles from the first input beat offered to this direction's last
    /// output beat (equal to `cycles` when the direction ran alone).
    pub own_cycles: u64,
}

impl Row {
    /// Payload bytes per clock.
    pub fn payload_bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.cycles.max(1) as f64
    }

    /// Payload bytes per clock up to this direction's own last beat.
    pub fn own_bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.own_cycles.max(1) as f64
    }

    /// What the stream width allows for these frames: payload bytes per
    /// beat.
    pub fn frame_limit_bytes_per_cycle(&self) -> f64 {
        self.payload_bytes as f64 / self.beats.max(1) as f64
    }

    /// Measured figure over the frame limit.
    pub fn ratio(&self) -> f64 {
        self.payload_bytes_per_cycle() / self.frame_limit_bytes_per_cycle()
    }

    /// `"1.2"` or `"1.3"`.
    pub fn tls(&self) -> &'static str {
        match self.load.version {
            TlsVersion::V12 => "1.2",
            TlsVersion::V13 => "1.3",
        }
    }

    /// The bench's JSON object of the row.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "direction": self.path.name(),
            "data_w": self.data_w,
            "connections": self.load.conns,
            "concurrent": self.concurrent,
            "tls": self.tls(),
            "segment": self.load.segment,
            "record": self.load.record,
            "records_per_connection": self.load.records,
            "aes_key_bits": self.load.key_bits(),
            "payload_bytes_per_cycle": self.payload_bytes_per_cycle(),
            "frame_limit_bytes_per_cycle": self.frame_limit_bytes_per_cycle(),
            "frames": self.frames,
            "payload_bytes": self.payload_bytes,
            "beats": self.beats,
            "cycles": self.cycles,
            "own_cycles": self.own_cycles,
        })
    }
}

/// Result of [`run`].
#[derive(Clone, Debug)]
pub struct Run {
    /// One row per path, in the order asked.
    pub rows: Vec<Row>,
    /// TX: device counters (since reset) and this run's driver counters,
    /// read after the contexts were deleted.
    pub tx_stats: Option<TxStats>,
    /// RX: the device's counters after the contexts were deleted.
    pub rx_counters: Option<RxDevCounters>,
}

/// One TX connection: a kTLS socket offloaded through the TX driver.
struct TxConn {
    sock: KtlsTx,
    dir: TlsDir,
    ctx: CtxId,
    tmpl: FrameTemplate,
    app: Vec<Vec<u8>>,
}

/// The TX side of a run.
struct TxSide {
    drv: TxDriver,
    conns: Vec<TxConn>,
    /// (connection, frame) in the order posted.
    sent: Vec<(usize, Vec<u8>)>,
}

impl TxSide {
    /// Sockets with their contexts installed and records written.
    fn install(nic: &mut SimNic, load: Load, r: &mut impl Rng) -> Result<TxSide, ScenarioError> {
        let mut drv = TxDriver::new(SIM_TX_DRIVER);
        let mut conns = Vec::new();
        for c in 0..load.conns {
            let key: Vec<u8> = (0..cipher(c).key_size()).map(|_| r.gen()).collect();
            let rec_seq = r.gen_range(0..1u64 << 40);
            let info = TlsCryptoInfo::new(load.version, cipher(c), key, r.gen(), r.gen(), rec_seq)
                .expect("key fits the cipher");
            let dir = TlsDir { v13: load.version == TlsVersion::V13, key: info.key.clone(), iv: info.iv12(), rec_seq };
            let mut sock = KtlsTx::new(info, r.gen(), Vec::new());
            let ctx = sock.set_device_offload(|d, info, sn| drv.tls_dev_add(nic, d, info, sn))?;
            let mut app = Vec::new();
            for i in 0..load.records {
                let data = record_data(c, i, load.record);
                sock.write(&data, load.record)?;
                app.push(data);
            }
            let c16 = c as u16;
            let flow = FlowKey::V4 {
                saddr: [10, 0, (c16 >> 8) as u8, c16 as u8].into(),
                daddr: [10, 1, 0, 1].into(),
                sport: 5000 + c16,
                dport: 443,
            };
            conns.push(TxConn { sock, dir, ctx, tmpl: FrameTemplate::new(flow), app });
        }
        Ok(TxSide { drv, conns, sent: Vec::new() })
    }

    /// Post every segment through the driver (each must be offloaded).
    fn offer(&mut self, nic: &mut SimNic, segment: usize) -> Result<(), ScenarioError> {
        let per_conn: Vec<Vec<(usize, u32, usize)>> = (self.conns.iter().enumerate())
            .map(|(c, k)| {
                k.sock.segments(k.sock.start_offload_tcp_sn(), segment).into_iter().map(move |(s, l)| (c, s, l))
            })
            .map(Iterator::collect)
            .collect();
        for (c, seq, len) in round_robin(per_conn) {
            let k = &mut self.conns[c];
            let f = k.tmpl.build(seq, &k.sock.bytes(seq, len).expect("held")).expect("frame");
            let v = self.drv.xmit(nic, f.clone(), &mut k.sock)?;
            if v != XmitVerdict::Offloaded {
                return Err(fail("driver verdict", format!("conn {c} in-order segment {seq:#x}: {v:?}")));
            }
            self.sent.push((c, f));
        }
        Ok(())
    }

    /// Every output frame against its input; every record decrypted.
    fn check(&self, out: &[Frame]) -> Result<(), ScenarioError> {
        let mut streams = vec![Vec::new(); self.conns.len()];
        for (k, ((c, inp), o)) in self.sent.iter().zip(out).enumerate() {
            let p = tcp::parse(inp).expect("generated frames parse");
            if o.data.len() != inp.len() {
                return Err(fail("TX frame length", format!("frame {k}: {} bytes, sent {}", o.data.len(), inp.len())));
            }
            let csum = p.l4 + 16..p.l4 + 18;
            if let Some(i) =
                (0..inp.len()).find(|&i| (i < p.payload || i >= p.end) && !csum.contains(&i) && inp[i] != o.data[i])
            {
                return Err(fail("TX header byte changed", format!("frame {k} (conn {c}) byte {i}")));
            }
            let w =
                crate::wire::check(&o.data).map_err(|e| fail("TX checksum", format!("frame {k} (conn {c}): {e}")))?;
            if (w.payload, w.payload_len) != (p.payload, p.payload_len()) {
                return Err(fail("TX payload", format!("frame {k}: etherparse and the driver's parser disagree")));
            }
            streams[*c].extend_from_slice(w.payload_of(&o.data));
        }
        for (c, (k, wire)) in self.conns.iter().zip(&streams).enumerate() {
            let recs = split_records(wire).map_err(|e| fail("TX record framing", format!("conn {c}: {e}")))?;
            if recs.len() != k.app.len() {
                return Err(fail("TX record count", format!("conn {c}: {} of {}", recs.len(), k.app.len())));
            }
            for (i, rec) in recs.iter().enumerate() {
                let pt = k.dir.open_record(k.dir.rec_seq + i as u64, rec).map_err(|e| {
                    fail("TX record decrypt", format!("conn {c} (AES-{}) record {i}: {e}", k.dir.key.len() * 8))
                })?;
                if pt != k.app[i] {
                    return Err(fail("TX application bytes", format!("conn {c} record {i}")));
                }
            }
        }
        Ok(())
    }

    /// Delete the contexts; the statistics.
    fn remove(mut self, nic: &mut SimNic) -> Result<TxStats, ScenarioError> {
        for k in &self.conns {
            self.drv.tls_dev_del(nic, k.ctx, Direction::Tx)?;
        }
        TxStats::read(nic, &self.drv)
    }
}

/// The RX side of a run.
struct RxSide {
    streams: Vec<RxStream>,
    ctxs: Vec<CtxId>,
    sent: Vec<SentFrame>,
}

impl RxSide {
    /// Streams generated, their contexts installed.
    fn install(nic: &mut SimNic, load: Load, r: &mut impl Rng) -> Result<RxSide, ScenarioError> {
        let (mut streams, mut ctxs) = (Vec::new(), Vec::new());
        for c in 0..load.conns {
            let mut s = RxStream::random(r, c as u16, false, load.version, cipher(c), 0, 0);
            // the frame limit counts the headers of untagged IPv4 frames
            s.tmpl.vlan = None;
            for i in 0..load.records {
                s.push_record(23, &record_data(c, i, load.record));
            }
            ctxs.push(nic.rx_add(s.flow, &s.info, s.start, RxResyncMode::StreamScan)?);
            streams.push(s);
        }
        Ok(RxSide { streams, ctxs, sent: Vec::new() })
    }

    /// Every segment on the wire port.
    fn offer(&mut self, nic: &mut SimNic, segment: usize) -> Result<(), ScenarioError> {
        let per_conn = (self.streams.iter().enumerate())
            .map(|(c, s)| {
                (0..s.wire.len())
                    .step_by(segment)
                    .map(|o| SentFrame { bytes: s.frame(o, segment.min(s.wire.len() - o)), origin: Some((c, o)) })
                    .collect()
            })
            .collect();
        self.sent = round_robin(per_conn);
        for f in &self.sent {
            nic.sim.push_frame(RX_PORT, &f.bytes, 0)?;
        }
        Ok(())
    }

    /// Every output frame marked decrypted with exactly the plaintext.
    fn check(&self, out: Vec<Frame>) -> Result<(), ScenarioError> {
        let mut got = Vec::new();
        for (k, f) in out.into_iter().enumerate() {
            if f.user_first != f.user_last {
                return Err(fail("RX descriptor", format!("frame {k}: differs between its first and last beat")));
            }
            let meta = RxMeta::from_tuser(f.user_last).map_err(|e| fail("RX descriptor", format!("frame {k}: {e}")))?;
            got.push(RxFrame { data: f.data, meta });
        }
        if let Some((k, g)) = got.iter().enumerate().find(|(_, g)| g.meta.reason != RxReason::Decrypted) {
            let c = self.sent.get(k).and_then(|s| s.origin).map(|o| o.0);
            return Err(fail("RX not decrypted", format!("frame {k} (conn {c:?}): {:?}", g.meta.reason)));
        }
        scoreboard(&self.streams, &self.sent, &got).map_err(|e| fail("RX scoreboard", e))?;
        Ok(())
    }

    /// Delete the contexts; the device's counters.
    fn remove(self, nic: &mut SimNic) -> Result<RxDevCounters, ScenarioError> {
        for &c in &self.ctxs {
            nic.rx_del(c)?;
        }
        Ok(nic.rx_counters())
    }
}

/// An output port being drained.
struct Watch {
    port: usize,
    want_frames: usize,
    want_beats: usize,
    /// Beats taken so far.
    taken: usize,
    frames: Vec<Frame>,
    /// Cycle after the last frame arrived.
    last: u64,
}

/// TCP payload bytes of a generated frame.
fn payload_len(frame: &[u8]) -> usize {
    tcp::parse(frame).expect("generated frames parse").payload_len()
}

/// Frames, payload bytes and beats of frames given as (frame bytes,
/// payload bytes).
fn sizes(frames: impl Iterator<Item = (usize, usize)>, beat_bytes: usize) -> (usize, usize, usize) {
    frames.fold((0, 0, 0), |(n, p, b), (len, pay)| (n + 1, p + pay, b + len.div_ceil(beat_bytes).max(1)))
}

/// Run `load` through each of `paths` at the same time on `sim` (one path:
/// that direction alone; both: concurrent, measured over one window). The
/// contexts are deleted at the end, so runs can follow each other on one
/// model. Errors name the first frame or record that is wrong.
pub fn run(sim: &mut Sim, load: Load, paths: &[Path]) -> Result<Run, ScenarioError> {
    run_with(sim, load, paths, |_, _| {})
}

/// [`run`], with `tamper` applied to each path's output frames before they
/// are checked (to show that the checks catch a broken engine).
fn run_with(
    sim: &mut Sim,
    load: Load,
    paths: &[Path],
    mut tamper: impl FnMut(Path, &mut Vec<Frame>),
) -> Result<Run, ScenarioError> {
    if load.conns == 0
        || load.records == 0
        || !(1..=MAX_SEGMENT).contains(&load.segment)
        || !(1..=MAX_RECORD_DATA).contains(&load.record)
    {
        return Err(fail(
            "load",
            format!(
                "{load:?}: connections, records, segment (1..={MAX_SEGMENT}) and record (1..={MAX_RECORD_DATA}) needed"
            ),
        ));
    }
    let seed = 0x7468_7275 ^ ((load.conns as u64) << 32) ^ ((load.segment as u64) << 16) ^ load.records as u64;
    let mut r = crate::seed::rng(seed);
    let bb = sim.beat_bytes();
    let mut nic = SimNic::new(sim)?;
    let mut tx = None;
    let mut rx = None;
    for p in paths {
        match p {
            Path::Tx => tx = Some(TxSide::install(&mut nic, load, &mut r)?),
            Path::Rx => rx = Some(RxSide::install(&mut nic, load, &mut r)?),
        }
    }
    // Everything is queued before the first cycle: time starts now.
    let t0 = nic.sim.cycle();
    let mut watches = Vec::new();
    let mut counts = Vec::new();
    for p in paths {
        let (port, c) = match (p, &mut tx, &mut rx) {
            (Path::Tx, Some(s), _) => {
                s.offer(&mut nic, load.segment)?;
                (TX_PORT, sizes(s.sent.iter().map(|(_, f)| (f.len(), payload_len(f))), bb))
            }
            (Path::Rx, _, Some(s)) => {
                s.offer(&mut nic, load.segment)?;
                (RX_PORT, sizes(s.sent.iter().map(|f| (f.bytes.len(), payload_len(&f.bytes))), bb))
            }
            _ => unreachable!("installed above"),
        };
        watches.push(Watch { port, want_frames: c.0, want_beats: c.2, taken: 0, frames: Vec::new(), last: t0 });
        counts.push(c);
    }
    drain(nic.sim, &mut watches, t0)?;
    let end = watches.iter().map(|w| w.last).max().unwrap_or(t0);
    let mut run = Run { rows: Vec::new(), tx_stats: None, rx_counters: None };
    for ((&path, mut w), (frames, payload_bytes, beats)) in paths.iter().zip(watches).zip(counts) {
        tamper(path, &mut w.frames);
        if w.frames.len() != frames {
            return Err(fail(
                "frame count",
                format!("{}: {} frames out of {frames} sent ({load:?})", path.name(), w.frames.len()),
            ));
        }
        match path {
            Path::Tx => tx.as_ref().expect("installed").check(&w.frames)?,
            Path::Rx => rx.as_ref().expect("installed").check(w.frames)?,
        }
        let (cycles, own_cycles) = (end - t0, w.last - t0);
        let concurrent = paths.len() > 1;
        run.rows.push(Row { path, data_w: bb * 8, load, concurrent, frames, payload_bytes, beats, cycles, own_cycles });
    }
    if let Some(s) = tx {
        run.tx_stats = Some(s.remove(&mut nic)?);
    }
    if let Some(s) = rx {
        run.rx_counters = Some(s.remove(&mut nic)?);
    }
    Ok(run)
}

/// Tick until every watched port has its frames (then 1000 cycles more, to
/// catch extra ones), taking frames cycle by cycle near the end only: a
/// port delivers at most one beat per cycle, so a port still owed `n`
/// beats cannot finish within `n - 1` cycles, and the runner may skip that
/// many at once and still see the exact cycle of the last beat.
fn drain(sim: &mut Sim, watches: &mut [Watch], t0: u64) -> Result<(), ScenarioError> {
    let total: usize = watches.iter().map(|w| w.want_beats).sum();
    let limit = 40 * total as u64 + 100_000;
    loop {
        let mut step = u64::MAX;
        for w in watches.iter_mut().filter(|w| w.frames.len() < w.want_frames) {
            let pending = sim.out_count(w.port)?;
            if w.taken + pending >= w.want_beats {
                w.taken += pending;
                let got = sim.take_frames(w.port);
                if !got.is_empty() {
                    w.last = sim.cycle();
                    w.frames.extend(got);
                }
            }
            if w.frames.len() < w.want_frames {
                let owed = w.want_beats.saturating_sub(w.taken + sim.out_count(w.port)?);
                step = step.min(owed.max(1) as u64);
            }
        }
        if step == u64::MAX || sim.cycle() - t0 > limit {
            break;
        }
        sim.try_tick(step)?;
        sim.watchdog()?;
    }
    sim.try_tick(1000)?;
    for w in watches.iter_mut() {
        w.frames.extend(sim.take_frames(w.port));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_gives_frame_i_to_connection_i_mod_n() {
        let v = round_robin(vec![vec![0, 3, 6], vec![1, 4, 7], vec![2, 5, 8]]);
        assert_eq!(v, (0..9).collect::<Vec<_>>());
        assert_eq!(round_robin(vec![vec![1, 3], vec![2]]), vec![1, 2, 3]);
    }

    #[test]
    fn bench_loads_meet_the_minimum_frames_and_records() {
        for &conns in CONNECTIONS {
            for &segment in segments(128).iter().chain(segments(512)) {
                let l = Load::bench(conns, TlsVersion::V13, segment);
                let frames = conns * (l.records * (RECORD + 22)).div_ceil(segment);
                assert!(frames >= MIN_FRAMES, "{l:?}: {frames} frames");
                assert!(conns == 1 || l.records >= MIN_RECORDS_MULTI, "{l:?}");
            }
        }
        assert_eq!(Load::bench(64, TlsVersion::V12, 1448).key_bits(), [128, 256]);
        assert_eq!(Load::bench(1, TlsVersion::V12, 1448).key_bits(), [128]);
    }

    fn model() -> Sim {
        let mut sim = Sim::new(tlsnic_sim::Top::TlsOffload).expect("model");
        sim.reset(4);
        sim
    }

    /// The row's counts are those of the load, and its figures follow from
    /// them.
    fn check_row(row: &Row, sim: &Sim, path: Path, load: Load, concurrent: bool) {
        let overhead = if load.version == TlsVersion::V13 { 22 } else { 29 };
        let stream = load.records * (load.record + overhead);
        let per_conn: Vec<usize> =
            (0..stream).step_by(load.segment).map(|o| HEADER_BYTES + load.segment.min(stream - o)).collect();
        let bb = sim.beat_bytes();
        assert_eq!((row.path, row.load, row.concurrent, row.data_w), (path, load, concurrent, bb * 8));
        assert_eq!(row.frames, load.conns * per_conn.len());
        assert_eq!(row.payload_bytes, load.conns * stream);
        assert_eq!(row.beats, load.conns * per_conn.iter().map(|f| f.div_ceil(bb)).sum::<usize>());
        assert!(row.own_cycles > 0 && row.own_cycles <= row.cycles);
        assert!(concurrent || row.own_cycles == row.cycles);
        assert_eq!(row.payload_bytes_per_cycle(), row.payload_bytes as f64 / row.cycles as f64);
        assert_eq!(row.frame_limit_bytes_per_cycle(), row.payload_bytes as f64 / row.beats as f64);
        assert!(row.frame_limit_bytes_per_cycle() < bb as f64);
        let j = row.json();
        assert_eq!(j["direction"], path.name());
        assert_eq!(j["connections"], load.conns);
        assert_eq!(j["segment"], load.segment);
        assert_eq!(j["cycles"], row.cycles);
        assert_eq!(j["aes_key_bits"], serde_json::json!([128, 256]));
    }

    #[test]
    fn two_connection_runs_alone_and_concurrent_pass_their_checks() {
        let mut sim = model();
        let l12 = Load { conns: 2, version: TlsVersion::V12, segment: 576, records: 1, record: RECORD };
        let l13 = Load { version: TlsVersion::V13, segment: 1448, ..l12 };
        let tx = run(&mut sim, l12, &[Path::Tx]).unwrap_or_else(|e| panic!("{e}"));
        check_row(&tx.rows[0], &sim, Path::Tx, l12, false);
        let st = tx.tx_stats.expect("TX statistics");
        assert_eq!(st.get("tx_tls_ctx"), Some(2));
        assert_eq!(st.get("tx_tls_encrypted_packets"), Some(tx.rows[0].frames as u64));
        let rx = run(&mut sim, l13, &[Path::Rx]).unwrap_or_else(|e| panic!("{e}"));
        check_row(&rx.rows[0], &sim, Path::Rx, l13, false);
        assert_eq!(rx.rx_counters.expect("RX counters").decrypted_packets, rx.rows[0].frames as u64);
        let both = run(&mut sim, l13, &[Path::Tx, Path::Rx]).unwrap_or_else(|e| panic!("{e}"));
        check_row(&both.rows[0], &sim, Path::Tx, l13, true);
        check_row(&both.rows[1], &sim, Path::Rx, l13, true);
        assert_eq!(both.rows[0].cycles, both.rows[1].cycles, "one window");
        assert_eq!(both.rows[0].cycles, both.rows[0].own_cycles.max(both.rows[1].own_cycles));
        for r in [&tx.rows[0], &rx.rows[0], &both.rows[0], &both.rows[1]] {
            println!("{}", r.json());
        }
    }

    /// A payload byte changed on the way out (checksum fixed, so only the
    /// record check can tell) fails the run.
    #[test]
    fn a_changed_output_byte_fails_the_run() {
        let mut sim = model();
        let load = Load { conns: 2, version: TlsVersion::V13, segment: 1448, records: 1, record: RECORD };
        let flip = |_: Path, out: &mut Vec<Frame>| {
            let f = &mut out[3].data;
            let p = tcp::parse(f).expect("output parses");
            f[p.payload + 100] ^= 4;
            tcp::fix_tcp_checksum(f, &p);
        };
        for (path, what) in [(Path::Tx, "TX record decrypt"), (Path::Rx, "RX scoreboard")] {
            match run_with(&mut sim, load, &[path], flip) {
                Err(ScenarioError::Mismatch { what: w, detail, .. }) => assert_eq!(w, what, "{detail}"),
                other => panic!("{path:?}: {other:?}"),
            }
            // contexts left installed by the failed run: a fresh model
            sim = model();
        }
    }
}
