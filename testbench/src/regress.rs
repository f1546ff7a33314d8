//! The regression's families: each a random scenario that runs on its own
//! Verilated model from one seed and checks every output against the
//! independent references (the scenario functions of this crate). The CLI
//! (`tlsnic regress`) runs seeds x families, in parallel, optionally one
//! shard of them, and writes the summary. A failed run says where it went
//! wrong ([`Failure`]): the replay command's waveform covers that point.

use crate::diverge::{cycles_in, wave_window};
use crate::firmware_fuzz::firmware_fuzz_run;
use crate::lifecycle::{rx_lifecycle_run, tx_lifecycle_run};
use crate::replay_impaired::replay_impaired_run;
use crate::rx::{rx_impaired_run, Impair};
use crate::rx_directed::{rx_gap_run, rx_malformed_header_run, rx_split_offsets_run};
use crate::scenario::{gcm_random_run, ScenarioError};
use crate::tx::{tx_context_update_run, tx_drop_run, tx_random_run, tx_retx_offsets_run};
use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_driver::tx_offload::OooPolicy;
use tlsnic_driver::types::{Cipher, TlsVersion};

/// A family of random runs.
#[derive(Clone, Copy, Debug)]
pub struct Family {
    /// Name on the command line and in the report.
    pub name: &'static str,
    /// What one run does.
    pub what: &'static str,
    run: fn(u64) -> Result<String, Failure>,
}

impl Family {
    /// Run seed `seed`: a one-line summary, or what failed.
    pub fn run(&self, seed: u64) -> Result<String, Failure> {
        (self.run)(seed)
    }
}

/// Why a run failed, and where when that is known: the cycles
/// `first..last` in one of which the first divergent frame left the
/// device, or the cycle of a failed RTL assertion or of a stall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What failed.
    pub message: String,
    /// The cycles of the divergence.
    pub cycles: Option<(u64, u64)>,
}

impl Failure {
    /// A failure known by its message only (a panic's): the cycles it
    /// names, if any ([`cycles_in`]).
    pub fn from_message(message: String) -> Failure {
        let cycles = cycles_in(&message);
        Failure { message, cycles }
    }

    /// The waveform window (cycles `from..to`) a replay dumps: around the
    /// divergence ([`wave_window`]); `None` (the whole run) when its cycles
    /// are not known.
    pub fn wave_window(&self) -> Option<(u64, u64)> {
        self.cycles.map(wave_window)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Failure {
        let message = e.to_string();
        let cycles = e.cycles().or_else(|| cycles_in(&message));
        Failure { message, cycles }
    }
}

/// Every family, in the order the regression runs them.
pub const FAMILIES: &[Family] = &[
    Family {
        name: "gcm",
        what: "2000 random AES-GCM jobs (AES-128/256, encrypt/decrypt, AAD, 0-16640 bytes, tampered tags) \
               through gcm_stream_top under random backpressure, against aes-gcm",
        run: gcm,
    },
    Family {
        name: "tx",
        what: "16 kTLS sockets (20 KB of application data each, 1.5 KB for those with segments under 100 bytes) \
               through the TX driver and the device: records of 0-16 KB, segments of 1-8822 bytes, \
               retransmissions rebuilt by DUMP, pre-offload data, unmarked traffic, random backpressure",
        run: tx,
    },
    Family {
        name: "tx_retx",
        what: "the same with the Retransmit policy: retransmissions without the record prefix, tags from the \
               device's completions, every retransmission byte-identical to its first transmission",
        run: tx_retx,
    },
    Family {
        name: "tx_retx_offsets",
        what: "one connection's retransmissions at every offset of small records, before and after the tag \
               completion, with a context added under traffic and deleted (TLS 1.2 or 1.3 by seed)",
        run: tx_retx_offsets,
    },
    Family {
        name: "tx_drop",
        what: "TX frames the device must drop (bad parse, deleted context, wrong sequence; retransmissions \
               without a matching descriptor, needing a tag not given, outside their record) and counters",
        run: tx_drop,
    },
    Family {
        name: "tx_resync",
        what: "TX next-record-sync policy: lost segments, a resync request, a context update, offload resumed",
        run: tx_resync,
    },
    Family {
        name: "rx",
        what: "16 connections of 20 records through loss, reordering, duplication and corruption (0.1-5 % by seed), \
               stream-scan or stack-driven resync, the kTLS RX model: application bytes exact",
        run: rx,
    },
    Family {
        name: "rx_directed",
        what: "one RX connection each: a lost body-only segment (across the 2^32 sequence wrap on odd seeds), \
               records split at every offset, a malformed record header in sync and its stream-scan recovery",
        run: rx_directed,
    },
    Family {
        name: "lifecycle",
        what: "context life cycle under traffic, RX and TX: N_CTX + 8 (RX) and N_CTX + 6 (TX) connections, the \
               table full (the rest in software), 12 and 10 closed and their slots reused while frames flow, stale \
               frames dropped, no key left after a delete, bytes and counters exact",
        run: lifecycle,
    },
    Family {
        name: "firmware_fuzz",
        what: "1500 random and malformed firmware commands on the device: one completion each, nothing written \
               for a rejected one; then the valid RX and TX contexts still decrypt and encrypt exactly",
        run: firmware_fuzz,
    },
    Family {
        name: "replay_impaired",
        what: "the committed capture of OpenSSL sessions replayed under loss (re-delivered later), reordering, \
               duplication and checksum-caught corruption (1-10 % by seed): every direction's application bytes \
               equal sha256sum's of what OpenSSL sent, counters equal the frames",
        run: replay_impaired,
    },
];

/// The families named in `list` (comma-separated; empty: all).
pub fn families(list: &str) -> Result<Vec<Family>, String> {
    if list.trim().is_empty() {
        return Ok(FAMILIES.to_vec());
    }
    list.split(',')
        .map(|n| {
            FAMILIES.iter().copied().find(|f| f.name == n.trim()).ok_or_else(|| {
                let names: Vec<&str> = FAMILIES.iter().map(|f| f.name).collect();
                format!("no family {n:?} (families: {})", names.join(", "))
            })
        })
        .collect()
}

fn gcm(seed: u64) -> Result<String, Failure> {
    let r = gcm_random_run(seed, 2000, true, |_| {})?;
    Ok(format!("{} jobs, {} tampered rejected, {} cycles", r.cases, r.tampered_rejected, r.cycles))
}

fn tx(seed: u64) -> Result<String, Failure> {
    let r = tx_random_run(seed, 16, 20_000, OooPolicy::Rebuild)?;
    Ok(format!(
        "{} records, {} marked frames, {} retransmits, {} DUMP frames, {} cycles",
        r.records, r.marked, r.retransmits, r.dumps, r.cycles
    ))
}

fn tx_retx(seed: u64) -> Result<String, Failure> {
    let r = tx_random_run(seed, 16, 20_000, OooPolicy::Retransmit)?;
    Ok(format!(
        "{} records, {} marked frames, {} retransmits ({} with a tag), {} DUMP frames, {} cycles",
        r.records, r.marked, r.retx, r.retx_tagged, r.dumps, r.cycles
    ))
}

fn tx_retx_offsets(seed: u64) -> Result<String, Failure> {
    let r = tx_retx_offsets_run(seed, seed % 2 == 1, None)?;
    Ok(format!(
        "{} retransmissions ({} with a tag), {} DUMP fallbacks, {} completions checked",
        r.retransmits, r.with_tag, r.fallbacks, r.completions
    ))
}

fn tx_drop(seed: u64) -> Result<String, Failure> {
    Ok(format!("{:?}", tx_drop_run(seed)?))
}

fn tx_resync(seed: u64) -> Result<String, Failure> {
    Ok(format!("{} records checked", tx_context_update_run(seed)?))
}

fn rx(seed: u64) -> Result<String, Failure> {
    let p = [0.001, 0.005, 0.01, 0.02, 0.05][(seed % 5) as usize];
    let cfg = Impair {
        loss: p,
        reorder: p,
        dup: p / 2.0,
        corrupt_bad_csum: p / 2.0,
        corrupt_good_csum: p / 10.0,
        ..Impair::default()
    };
    let mode = if seed % 3 == 2 { RxResyncMode::StackDriven } else { RxResyncMode::StreamScan };
    let r = rx_impaired_run(seed, 16, 20, cfg, mode, (seed % 4) as usize, 16)?;
    Ok(format!(
        "loss {p}, {mode:?}: {} records, {} by the device, {} resyncs",
        r.records, r.records_device, r.resync_ok
    ))
}

fn rx_directed(seed: u64) -> Result<String, Failure> {
    let gap = rx_gap_run(seed, seed % 2 == 1)?;
    let c = if (seed / 2).is_multiple_of(2) { Cipher::Aes128Gcm } else { Cipher::Aes256Gcm };
    let split = rx_split_offsets_run(seed, TlsVersion::V12, c)? + rx_split_offsets_run(seed, TlsVersion::V13, c)?;
    let bad = rx_malformed_header_run(seed)?;
    Ok(format!(
        "gap: start {:#x}, segment {:?} lost; split ({c:?}, TLS 1.2 and 1.3): {split} frames decrypted; malformed header in \
         frame {:?}, {} resync answers",
        gap.start, gap.lost, bad.bad, bad.answered
    ))
}

fn lifecycle(seed: u64) -> Result<String, Failure> {
    let rx = rx_lifecycle_run(seed)?;
    let tx = tx_lifecycle_run(seed)?;
    Ok(format!(
        "RX: {} connections, {} frames, {} adds ({} refused: table full), {} deletes; \
         TX: {} connections, {} adds ({} in software), {} slots reused, {} frames encrypted",
        rx.conns, rx.frames, rx.adds, rx.full, rx.deletes, tx.conns, tx.adds, tx.software, tx.reused, tx.encrypted
    ))
}

fn firmware_fuzz(seed: u64) -> Result<String, Failure> {
    let r = firmware_fuzz_run(seed)?;
    Ok(format!(
        "{} commands, completions by status {:?}; {} RX frames decrypted after, TX record of {} bytes",
        r.commands, r.by_status, r.rx_frames, r.tx_bytes
    ))
}

fn replay_impaired(seed: u64) -> Result<String, Failure> {
    let r = replay_impaired_run(seed)?;
    let i = &r.impairments;
    Ok(format!(
        "p {}: {} frames ({} lost, {} reordered, {} duplicated, {} bad checksums), {} decrypted; \
         {} directions exact, {} of {} records by the device",
        r.p,
        r.frames,
        i.lost,
        i.reordered,
        i.duplicated,
        i.bad_csum,
        r.decrypted,
        r.directions,
        r.records.1,
        r.records.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_are_found_by_name_and_unknown_ones_named() {
        assert_eq!(families("").unwrap().len(), FAMILIES.len());
        assert_eq!(families("rx, gcm").unwrap().iter().map(|f| f.name).collect::<Vec<_>>(), ["rx", "gcm"]);
        assert!(families("rx,nope").unwrap_err().contains("\"nope\""));
    }
}
