//! Functional coverage: the RTL's `TLSNIC_COVER` points (SystemVerilog
//! `cover property`, counted by Verilator's `--coverage-user`).
//!
//! [`Sim::coverage`](crate::Sim::coverage) reads one model's counts. A
//! program that wants the counts of every model it runs (the regression)
//! turns on [`collect`]: from then on each [`Sim`](crate::Sim) adds its
//! counts to a process-wide total when it is dropped, read with [`totals`].
//!
//! A point is named by its RTL hierarchy below the top, e.g.
//! `tls_offload_top.u_tx.u_pipe.u_walk.g_cov_tag[3].CovStartInTag`; the same
//! point of two models of one top (both widths) has one name.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Count per coverage point.
pub type Counts = BTreeMap<String, u64>;

static COLLECT: AtomicBool = AtomicBool::new(false);
static TOTALS: Mutex<Counts> = Mutex::new(BTreeMap::new());

/// Add every dropped model's counts to the process-wide total (or stop).
pub fn collect(on: bool) {
    COLLECT.store(on, Ordering::SeqCst);
}

pub(crate) fn collecting() -> bool {
    COLLECT.load(Ordering::SeqCst)
}

/// The process-wide total since [`collect`] was turned on: every point of
/// every model dropped since, with its summed count (0: never hit).
pub fn totals() -> Counts {
    TOTALS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Add `c` to the process-wide total.
pub fn add(c: &Counts) {
    let mut t = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    merge(&mut t, c);
}

/// Add the counts of `from` to `into` (points of either kept).
pub fn merge(into: &mut Counts, from: &Counts) {
    for (k, v) in from {
        *into.entry(k.clone()).or_insert(0) += v;
    }
}

/// Parse a Verilator coverage file (`# SystemC::Coverage-3`, lines
/// `C '<key\x02value fields, \x01-separated>' <count>`): the `h` field
/// (hierarchy) names the point. Lines of other kinds are refused.
pub fn parse(text: &str) -> Result<Counts, String> {
    let mut out = Counts::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("coverage line {}: not a `C '<fields>' <count>` line: {line:?}", n + 1);
        let rest = line.strip_prefix("C '").ok_or_else(bad)?;
        let (fields, count) = rest.rsplit_once("' ").ok_or_else(bad)?;
        let count: u64 = count.trim().parse().map_err(|_| bad())?;
        let hier = fields
            .split('\x01')
            .find_map(|f| f.strip_prefix("h\x02"))
            .ok_or_else(|| format!("coverage line {}: no hierarchy (h) field", n + 1))?;
        *out.entry(point_name(hier)).or_insert(0) += count;
    }
    Ok(out)
}

/// `top.tls_offload_top.g__BRA__1__KET__.X` -> `tls_offload_top.g[1].X`
/// (the model's instance name dropped).
fn point_name(hier: &str) -> String {
    let h = hier.split_once('.').map_or(hier, |(_, r)| r);
    h.replace("__BRA__", "[").replace("__KET__", "]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_named_points_and_bad_lines_are_refused() {
        let text = "# SystemC::Coverage-3\n\
            C '\x01f\x02t.sv\x01l\x023\x01page\x02v_user/sub\x01o\x02X\x01h\x02TOP.t.u_a.g__BRA__2__KET__.X' 3\n\
            C '\x01f\x02t.sv\x01l\x025\x01page\x02v_user/sub\x01o\x02Y\x01h\x02TOP.t.u_b.Y' 0\n";
        let c = parse(text).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c["t.u_a.g[2].X"], 3);
        assert_eq!(c["t.u_b.Y"], 0);
        assert!(parse("C 'h\x02x' nine\n").unwrap_err().contains("line 1"));
        assert!(parse("S 'x' 1\n").is_err());
        let mut m = c.clone();
        merge(&mut m, &c);
        assert_eq!(m["t.u_a.g[2].X"], 6);
    }
}
