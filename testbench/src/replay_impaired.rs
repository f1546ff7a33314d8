//! The committed capture of real OpenSSL sessions (`data/`, the capture
//! `tests/replay_capture.rs` replays as it is) replayed through the device
//! and the kernel RX model (`tlsnic_device::replay`) behind a network that
//! impairs it, chosen by seed: frames reordered, duplicated, lost (the
//! sender retransmits them later: the capture holds no retransmissions, so
//! a loss is a later re-delivery) and corrupted so that the TCP checksum
//! catches it (dropped, the intact frame re-delivered later). TCP
//! reassembly and resynchronisation are the kernel model's (`RxDriver`),
//! as in [`crate::rx::rx_impaired_run`].
//!
//! Checked: every direction's application bytes against the SHA-256 that
//! `sha256sum` took of what OpenSSL sent (`data/tls_sessions.sha256`, the
//! clean replay's reference too), no socket error; every frame the network
//! corrupted dropped by the device for its checksum; and the device's RX
//! counters against the frames it returned (each frame counted once, by
//! its reason; decrypted bytes; resync requests; contexts added and
//! deleted).

use crate::diverge::Divergence;
use crate::rx::{impair, Impair, ImpairLog, SentFrame};
use crate::scenario::ScenarioError;
use crate::seed::rng;
use std::collections::BTreeMap;
use tlsnic_device::replay::{replay_with, CapFrame};
use tlsnic_device::rx::sim_rx_counters;
use tlsnic_driver::rx_device::RxReason;
use tlsnic_driver::tcp::parse;
use tlsnic_sim::{Sim, Top};

/// The capture (testbench/data/make_captures.sh: six connections, TLS 1.2
/// and 1.3, AES-128/256-GCM, one over IPv6, one with 512-byte records).
pub const PCAP: &[u8] = include_bytes!("../data/tls_sessions.pcap");
/// Its key log.
pub const KEYLOG: &str = include_str!("../data/tls_sessions.keylog");
/// `version suite server direction sha256` of what each peer sent.
pub const SHA256: &str = include_str!("../data/tls_sessions.sha256");

/// What [`replay_impaired_run`] did.
#[derive(Clone, Debug, Default)]
pub struct ReplayImpairedReport {
    /// Impairment probability per frame (loss and reordering; half of it
    /// duplication and checksum corruption).
    pub p: f64,
    /// Frames delivered to the device.
    pub frames: usize,
    /// Of them, decrypted by the device.
    pub decrypted: u64,
    /// What the network did.
    pub impairments: ImpairLog,
    /// Directions whose application bytes matched (all 12).
    pub directions: usize,
    /// Records of all directions, and of them decrypted by the device.
    pub records: (u64, u64),
    /// Frames by reason code.
    pub by_reason: BTreeMap<u8, u64>,
}

/// Replay the capture under the impairments of `seed` (probability 1, 2,
/// 5 or 10 % per frame by seed) and check it (module doc).
pub fn replay_impaired_run(seed: u64) -> Result<ReplayImpairedReport, ScenarioError> {
    let mut r = rng(seed);
    let p = [0.01, 0.02, 0.05, 0.1][(seed % 4) as usize];
    let cfg = Impair { loss: p, reorder: p, dup: p / 2.0, corrupt_bad_csum: p / 2.0, ..Impair::default() };
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    sim.set_backpressure(seed ^ 0x4e9a, 0.05, 0.05);
    // what the network delivered, in order: the capture frame's index, or
    // None for a corrupted copy
    let mut delivered: Vec<Option<usize>> = Vec::new();
    let mut log = ImpairLog::default();
    let network = |frames: Vec<CapFrame>| {
        let ts: Vec<_> = frames.iter().map(|f| f.ts).collect();
        let sent = frames.into_iter().enumerate().map(|(i, f)| SentFrame { bytes: f.data, origin: Some((0, i)) });
        let (out, l) = impair(&mut r, &[], sent.collect(), cfg);
        log = l;
        let mut last = ts.first().copied().unwrap_or_default();
        out.into_iter()
            .map(|f| {
                let idx = f.origin.map(|(_, i)| i);
                delivered.push(idx);
                if let Some(i) = idx {
                    last = ts[i];
                }
                CapFrame { ts: last, data: f.bytes }
            })
            .collect()
    };
    let out = replay_with(&mut sim, PCAP, KEYLOG, network).map_err(ScenarioError::Check)?;
    let rep = &out.report;

    // every direction's application bytes, against sha256sum's
    let mut directions = 0;
    let mut records = (0, 0);
    for line in SHA256.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [ver, _, server, dir, sha] = f[..] else { continue };
        let c = rep.connections.iter().find(|c| c.server == server);
        let c = c.ok_or_else(|| ScenarioError::Check(format!("{server}: not in the replay")))?;
        let want = if ver == "tls1_3" { "1.3" } else { "1.2" };
        ensure!(c.version.as_deref() == Some(want), "{server}: version {:?}, not {want}", c.version);
        ensure!(c.skipped.is_none(), "{server}: skipped: {:?}", c.skipped);
        let d = c.directions.iter().find(|d| d.direction == dir);
        let d = d.ok_or_else(|| ScenarioError::Check(format!("{server} {dir}: not in the replay")))?;
        ensure!(d.error.is_none(), "{server} {dir}: {:?}", d.error);
        ensure!(
            d.app_sha256 == sha,
            "{server} {dir}: application bytes ({} bytes) differ from what OpenSSL sent",
            d.app_bytes
        );
        records.0 += d.records;
        records.1 += d.records_device;
        directions += 1;
    }
    ensure!(directions == 12, "{directions} directions checked, the capture has 12");

    // per frame: a corrupted copy is dropped for its checksum
    ensure!(out.host.len() == delivered.len(), "{} frames delivered, {} returned", delivered.len(), out.host.len());
    let mut by_reason = BTreeMap::<u8, u64>::new();
    let (mut decrypted, mut dec_bytes, mut resync_req) = (0u64, 0u64, 0u64);
    for (i, (h, d)) in out.host.iter().zip(&delivered).enumerate() {
        *by_reason.entry(h.meta.reason as u8).or_default() += 1;
        resync_req += u64::from(h.meta.resync_req.is_some());
        if h.meta.decrypted {
            decrypted += 1;
            dec_bytes += parse(&h.data).map_or(0, |p| p.payload_len() as u64);
        }
        if d.is_none() && (h.meta.reason != RxReason::Checksum || h.meta.decrypted) {
            let what = format!("a frame with a bad TCP checksum: {:?}, not dropped for its checksum", h.meta.reason);
            return Err(Divergence::frame(what, i, Some(h.cycles)).into());
        }
    }
    // the counters against the frames
    let dev = sim_rx_counters(&mut sim);
    let n = |r: RxReason| by_reason.get(&(r as u8)).copied().unwrap_or(0);
    let pairs = [
        ("rx_tls_decrypted_packets", dev.decrypted_packets, decrypted),
        ("rx_tls_decrypted_bytes", dev.decrypted_bytes, dec_bytes),
        ("rx_tls_resync_req_pkt", dev.resync_req_pkt, resync_req),
        ("pass: parse", dev.pass_parse, n(RxReason::Parse)),
        ("pass: checksum", dev.pass_csum, n(RxReason::Checksum)),
        ("pass: no flow", dev.pass_no_flow, n(RxReason::NoFlow)),
        ("pass: no payload", dev.pass_no_payload, n(RxReason::NoPayload)),
        ("pass: old", dev.pass_old, n(RxReason::Old)),
        ("pass: out of sync", dev.pass_oos, n(RxReason::OutOfSync)),
        ("pass: partial", dev.pass_partial, n(RxReason::Partial)),
        ("bad record", dev.bad_record, n(RxReason::BadRecord)),
        ("auth fail", dev.auth_fail, n(RxReason::AuthFail)),
        ("rx_tls_err", dev.err, n(RxReason::BadRecord) + n(RxReason::AuthFail)),
        ("checksum drops = corrupted copies", dev.pass_csum, log.bad_csum as u64),
        ("contexts added", dev.ctx_add, 12),
        ("contexts deleted", dev.ctx_del, 12),
    ];
    for (name, got, want) in pairs {
        ensure!(got == want, "device counter {name}: {got}, the frames say {want} (all counters: {dev:?})");
    }
    Ok(ReplayImpairedReport { p, frames: out.host.len(), decrypted, impairments: log, directions, records, by_reason })
}
