//! The retransmission bench (`tlsnic bench`, rows `"retransmit"`): what a
//! TCP retransmission costs the host-to-device path under each TX
//! out-of-order policy.
//!
//! Load: 64 kTLS connections of 16 KB records cut into 1448-byte segments,
//! round robin, through the TX driver and the Verilated device. After each
//! first transmission, with probability `rate`, the connection also
//! retransmits one of its segments sent 4 to 15 segments earlier (TCP
//! retransmits what a timeout or duplicate ACKs say is lost, some time after
//! the first transmission). The host keeps the device's TX queue short: it
//! posts a segment, then runs the device until fewer than 200 beats are
//! queued, and the driver reads the device's tag completions at every
//! transmit. Every record on the wire is authenticated (aes-gcm) and every
//! retransmission must be byte-identical to its first transmission.

use crate::scenario::ScenarioError;
use crate::seed::rng;
use crate::tls::{split_records, TlsDir};
use crate::tx::collect_frames;
use rand::Rng;
use tlsnic_device::csr;
use tlsnic_device::nic::{SimNic, SIM_TX_DRIVER};
use tlsnic_driver::ktls_tx::{KtlsTx, MAX_RECORD_DATA};
use tlsnic_driver::tcp::{self, FrameTemplate};
use tlsnic_driver::tx_offload::{OooPolicy, TxDriver, TxDriverConfig, XmitVerdict};
use tlsnic_driver::types::{Cipher, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::Sim;

/// Connections of a run.
pub const CONNECTIONS: usize = 64;
/// Records per connection.
pub const RECORDS: usize = 6;
/// Application bytes per record.
pub const RECORD: usize = 16_384;
/// TCP payload bytes per segment.
pub const SEGMENT: usize = 1448;
/// The retransmission rates of the bench.
pub const RATES: &[f64] = &[0.001, 0.01, 0.05];

/// Beats the host lets queue in front of the device.
const QUEUE_BEATS: usize = 200;

/// One row: a policy at a retransmission rate.
#[derive(Clone, Debug, PartialEq)]
pub struct RetxRow {
    /// The driver's out-of-order policy.
    pub policy: OooPolicy,
    /// Probability of a retransmission after each first transmission.
    pub rate: f64,
    /// Segments on the wire (first transmissions and retransmissions).
    pub segments: usize,
    /// Of them, retransmissions.
    pub retransmissions: usize,
    /// TCP payload bytes of the segments on the wire.
    pub payload_bytes: u64,
    /// What the host moved to the device for them: the TCP payload of every
    /// segment handed to the device, every byte of every DUMP frame (header
    /// and record bytes) and of every retransmit descriptor. (The Ethernet,
    /// IP and TCP headers, the same under every policy, are not counted.)
    pub host_to_device_bytes: u64,
    /// Record bytes the device walked again in DUMP frames.
    pub dump_bytes: u64,
    /// Retransmissions whose record tag came from a completion.
    pub tagged: usize,
    /// Retransmissions that needed a tag not known yet (rebuilt by DUMP).
    pub fallbacks: u64,
    /// Cycles from the first frame posted to the last frame on the wire.
    pub cycles: u64,
}

impl RetxRow {
    /// `host_to_device_bytes / payload_bytes`.
    pub fn overhead(&self) -> f64 {
        self.host_to_device_bytes as f64 / self.payload_bytes.max(1) as f64
    }

    /// The policy's name in the JSON.
    pub fn policy_name(&self) -> &'static str {
        match self.policy {
            OooPolicy::Rebuild => "rebuild",
            OooPolicy::NextRecordSync => "next_record_sync",
            OooPolicy::Retransmit => "retransmit",
        }
    }

    /// The bench's JSON object of the row.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "policy": self.policy_name(),
            "retransmit_rate": self.rate,
            "connections": CONNECTIONS,
            "record": RECORD,
            "segment": SEGMENT,
            "segments": self.segments,
            "retransmissions": self.retransmissions,
            "payload_bytes": self.payload_bytes,
            "host_to_device_bytes": self.host_to_device_bytes,
            "host_to_device_per_payload_byte": self.overhead(),
            "dump_bytes": self.dump_bytes,
            "retransmissions_with_tag": self.tagged,
            "dump_fallbacks": self.fallbacks,
            "cycles": self.cycles,
        })
    }
}

fn fail(what: &'static str, detail: String) -> ScenarioError {
    ScenarioError::Mismatch { index: 0, what, detail }
}

struct Conn {
    sock: KtlsTx,
    dir: TlsDir,
    tmpl: FrameTemplate,
    app: Vec<Vec<u8>>,
    /// (seq, len) of the segments, in order.
    segs: Vec<(u32, usize)>,
    /// First transmissions sent.
    next: usize,
}

/// Post segment `j` of connection `ci` through the driver, then let the
/// device run until its queue is short again.
#[allow(clippy::too_many_arguments)]
fn send(
    drv: &mut TxDriver,
    dev: &mut SimNic,
    c: &mut Conn,
    ci: usize,
    j: usize,
    again: bool,
    row: &mut RetxRow,
    wire: &mut Vec<(usize, usize, bool)>,
) -> Result<(), ScenarioError> {
    let (seq, len) = c.segs[j];
    let frame = c.tmpl.build(seq, &c.sock.bytes(seq, len).expect("held")).expect("frame");
    match drv.xmit(dev, frame, &mut c.sock)? {
        XmitVerdict::Offloaded | XmitVerdict::Rebuilt { .. } => {}
        XmitVerdict::Retransmitted { tag } => row.tagged += usize::from(tag),
        other => return Err(fail("driver verdict", format!("conn {ci} segment {j}: {other:?}"))),
    }
    wire.push((ci, j, again));
    row.segments += 1;
    row.retransmissions += usize::from(again);
    row.payload_bytes += len as u64;
    while dev.sim.pending_in(0)? > QUEUE_BEATS {
        dev.sim.tick(50);
    }
    Ok(())
}

/// One bench run of `policy` at retransmission rate `rate` on a fresh
/// device (`sim`, reset here). Deterministic for a seed.
pub fn run(sim: &mut Sim, policy: OooPolicy, rate: f64, seed: u64) -> Result<RetxRow, ScenarioError> {
    let mut r = rng(seed);
    sim.reset(4);
    let mut dev = SimNic::new(sim)?;
    let mut drv = TxDriver::new(TxDriverConfig { policy, ..SIM_TX_DRIVER });
    let mut conns = Vec::new();
    for i in 0..CONNECTIONS {
        let v13 = i % 2 == 1;
        let key: Vec<u8> = (0..if i % 4 < 2 { 16 } else { 32 }).map(|_| r.gen()).collect();
        let cipher = if key.len() == 32 { Cipher::Aes256Gcm } else { Cipher::Aes128Gcm };
        let version = if v13 { TlsVersion::V13 } else { TlsVersion::V12 };
        let info = TlsCryptoInfo::new(version, cipher, key, r.gen(), r.gen(), r.gen_range(0..1 << 20))
            .expect("key fits the cipher");
        let dir = TlsDir { v13, key: info.key.clone(), iv: info.iv12(), rec_seq: info.rec_seq };
        let mut sock = KtlsTx::new(info, r.gen(), Vec::new());
        sock.set_device_offload(|d, info, sn| drv.tls_dev_add(&mut dev, d, info, sn))?;
        let mut app = Vec::new();
        for _ in 0..RECORDS {
            let data: Vec<u8> = (0..RECORD).map(|_| r.gen()).collect();
            sock.write(&data, MAX_RECORD_DATA)?;
            app.push(data);
        }
        let segs = sock.segments(sock.stream_start(), SEGMENT);
        let key = FlowKey::V4 {
            saddr: [10, 0, (i >> 8) as u8, i as u8].into(),
            daddr: [10, 1, 0, 1].into(),
            sport: 40_000 + i as u16,
            dport: 443,
        };
        conns.push(Conn { sock, dir, tmpl: FrameTemplate::new(key), app, segs, next: 0 });
    }
    let t0 = dev.sim.cycle();
    let mut row = RetxRow {
        policy,
        rate,
        segments: 0,
        retransmissions: 0,
        payload_bytes: 0,
        host_to_device_bytes: 0,
        dump_bytes: 0,
        tagged: 0,
        fallbacks: 0,
        cycles: 0,
    };
    // (connection, segment, retransmission) of every frame on the wire
    let mut wire = Vec::new();
    let rounds = conns.iter().map(|c| c.segs.len()).max().unwrap_or(0);
    for _ in 0..rounds {
        for (ci, c) in conns.iter_mut().enumerate() {
            if c.next < c.segs.len() {
                let j = c.next;
                c.next += 1;
                send(&mut drv, &mut dev, c, ci, j, false, &mut row, &mut wire)?;
            }
            if c.next > 4 && r.gen_bool(rate) {
                let j = r.gen_range(c.next.saturating_sub(15)..c.next - 4);
                send(&mut drv, &mut dev, c, ci, j, true, &mut row, &mut wire)?;
            }
        }
    }
    let out = collect_frames(dev.sim, wire.len(), 200_000_000)?;
    row.cycles = dev.sim.cycle() - t0;
    if out.len() != wire.len() {
        return Err(fail("frame count", format!("{} frames on the wire, {} sent", out.len(), wire.len())));
    }
    // The wire: first transmissions make each connection's stream, whose
    // records must authenticate; retransmissions repeat them exactly.
    let mut first: Vec<Vec<Option<Vec<u8>>>> = conns.iter().map(|c| vec![None; c.segs.len()]).collect();
    for (&(ci, j, again), f) in wire.iter().zip(&out) {
        if again {
            if first[ci][j].as_deref() != Some(&f.data[..]) {
                return Err(fail(
                    "retransmission",
                    format!("conn {ci} segment {j} differs from its first transmission"),
                ));
            }
        } else {
            first[ci][j] = Some(f.data.clone());
        }
    }
    for (ci, c) in conns.iter().enumerate() {
        let mut stream = Vec::new();
        for f in first[ci].iter().flatten() {
            let p = tcp::parse(f).map_err(|e| fail("wire frame", e.to_string()))?;
            stream.extend_from_slice(p.payload_of(f));
        }
        let recs = split_records(&stream).map_err(|e| fail("record framing", format!("conn {ci}: {e}")))?;
        if recs.len() != c.app.len() {
            return Err(fail("record count", format!("conn {ci}: {} of {}", recs.len(), c.app.len())));
        }
        for (k, rec) in recs.iter().enumerate() {
            let pt = c.dir.open_record(c.dir.rec_seq + k as u64, rec).map_err(|e| fail("record decrypt", e))?;
            if pt != c.app[k] {
                return Err(fail("application bytes", format!("conn {ci} record {k}")));
            }
        }
    }
    let st = drv.stats();
    let dev_dump_frames = u64::from(dev.sim.csr_read(csr::tx_counter(csr::TX_CNT_DUMP_PKTS))?);
    row.dump_bytes = st.tx_tls_dump_bytes;
    row.fallbacks = st.tx_tls_dump_fallback;
    row.host_to_device_bytes = row.payload_bytes
        + st.tx_tls_dump_bytes
        + dev_dump_frames * csr::DUMP_HDR_BYTES as u64
        + st.tx_tls_retx_packets * csr::RETX_HDR_BYTES as u64;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_names_its_policy_and_its_overhead() {
        let row = RetxRow {
            policy: OooPolicy::Retransmit,
            rate: 0.01,
            segments: 10,
            retransmissions: 1,
            payload_bytes: 1000,
            host_to_device_bytes: 1048,
            dump_bytes: 0,
            tagged: 1,
            fallbacks: 0,
            cycles: 5,
        };
        let j = row.json();
        assert_eq!(j["policy"], "retransmit");
        assert_eq!(j["host_to_device_bytes"], 1048);
        assert!((row.overhead() - 1.048).abs() < 1e-12);
    }
}
