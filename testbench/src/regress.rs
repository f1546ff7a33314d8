//! The regression's families: each a random scenario that runs on its own
//! Verilated model from one seed and checks every output against the
//! independent references (the scenario functions of this crate). The CLI
//! (`tlsnic regress`) runs seeds x families, in parallel, optionally one
//! shard of them, and writes the summary.

use crate::rx::{rx_impaired_run, Impair};
use crate::scenario::gcm_random_run;
use crate::tx::{tx_context_update_run, tx_drop_run, tx_random_run, tx_retx_offsets_run};
use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_driver::tx_offload::OooPolicy;

/// A family of random runs.
#[derive(Clone, Copy, Debug)]
pub struct Family {
    /// Name on the command line and in the report.
    pub name: &'static str,
    /// What one run does.
    pub what: &'static str,
    run: fn(u64) -> Result<String, String>,
}

impl Family {
    /// Run seed `seed`: a one-line summary, or what failed.
    pub fn run(&self, seed: u64) -> Result<String, String> {
        (self.run)(seed)
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
        what: "16 kTLS sockets through the TX driver and the device: records of 0-16 KB, segments of 1-8822 bytes, \
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

fn gcm(seed: u64) -> Result<String, String> {
    let r = gcm_random_run(seed, 2000, true, |_| {}).map_err(|e| e.to_string())?;
    Ok(format!("{} jobs, {} tampered rejected, {} cycles", r.cases, r.tampered_rejected, r.cycles))
}

fn tx(seed: u64) -> Result<String, String> {
    let r = tx_random_run(seed, 16, 40_000, OooPolicy::Rebuild).map_err(|e| e.to_string())?;
    Ok(format!(
        "{} records, {} marked frames, {} retransmits, {} DUMP frames",
        r.records, r.marked, r.retransmits, r.dumps
    ))
}

fn tx_retx(seed: u64) -> Result<String, String> {
    let r = tx_random_run(seed, 16, 40_000, OooPolicy::Retransmit).map_err(|e| e.to_string())?;
    Ok(format!(
        "{} records, {} marked frames, {} retransmits ({} with a tag), {} DUMP frames",
        r.records, r.marked, r.retx, r.retx_tagged, r.dumps
    ))
}

fn tx_retx_offsets(seed: u64) -> Result<String, String> {
    let r = tx_retx_offsets_run(seed, seed % 2 == 1, None).map_err(|e| e.to_string())?;
    Ok(format!(
        "{} retransmissions ({} with a tag), {} DUMP fallbacks, {} completions checked",
        r.retransmits, r.with_tag, r.fallbacks, r.completions
    ))
}

fn tx_drop(seed: u64) -> Result<String, String> {
    tx_drop_run(seed).map(|r| format!("{r:?}")).map_err(|e| e.to_string())
}

fn tx_resync(seed: u64) -> Result<String, String> {
    tx_context_update_run(seed).map(|n| format!("{n} records checked")).map_err(|e| e.to_string())
}

fn rx(seed: u64) -> Result<String, String> {
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
    let r = rx_impaired_run(seed, 16, 20, cfg, mode, (seed % 4) as usize)?;
    Ok(format!(
        "loss {p}, {mode:?}: {} records, {} by the device, {} resyncs",
        r.records, r.records_device, r.resync_ok
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
