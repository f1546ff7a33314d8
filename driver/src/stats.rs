//! The statistics a TLS_HW driver reports (the seed's "Statistics"), by
//! their exact names, and the `ethtool -S` listing of a whole NIC: the
//! seed's counters first, then the extra ones that explain every unmarked
//! RX frame and every TX decision.

/// The seed's minimum set, in its order.
pub const SEED_STATS: [&str; 18] = [
    "rx_tls_decrypted_packets",
    "rx_tls_decrypted_bytes",
    "rx_tls_ctx",
    "rx_tls_del",
    "rx_tls_resync_req_pkt",
    "rx_tls_resync_req_start",
    "rx_tls_resync_req_end",
    "rx_tls_resync_req_skip",
    "rx_tls_resync_res_ok",
    "rx_tls_resync_res_skip",
    "rx_tls_err",
    "tx_tls_encrypted_packets",
    "tx_tls_encrypted_bytes",
    "tx_tls_ctx",
    "tx_tls_ooo",
    "tx_tls_skip_no_sync_data",
    "tx_tls_drop_no_sync_data",
    "tx_tls_drop_bypass_req",
];

/// Order `all` (name, value) pairs: the seed's counters first in the
/// seed's order, then the others in their given order, each name once.
/// A seed counter missing from `all` is an error: it must be reported.
pub fn ethtool_order(all: &[(&str, u64)]) -> Result<Vec<(String, u64)>, String> {
    let mut out = Vec::new();
    for name in SEED_STATS {
        let v = all.iter().find(|(n, _)| *n == name).ok_or_else(|| format!("statistic {name} not reported"))?;
        out.push((name.to_string(), v.1));
    }
    for (n, v) in all {
        if !out.iter().any(|(o, _)| o == n) {
            out.push((n.to_string(), *v));
        }
    }
    Ok(out)
}

/// `name: value` lines, as `ethtool -S` prints them.
pub fn format(counters: &[(String, u64)]) -> String {
    counters.iter().map(|(n, v)| format!("     {n}: {v}\n")).collect()
}
