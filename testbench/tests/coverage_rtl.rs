//! Functional coverage read from the RTL: a scenario whose stimulus is known
//! to reach certain points (retransmissions starting at every byte of TLS
//! 1.2 records) must show them hit in the device's cover points, and points
//! of traffic it never sends (RX) must stay at zero. One test in this binary:
//! the process-wide total is shared.

use tlsnic_sim::coverage;

#[test]
fn retransmissions_at_every_offset_hit_every_split_point_of_the_tx_walker() {
    coverage::collect(true);
    let rep = tlsnic_testbench::tx::tx_retx_offsets_run(7, false, Some(0)).expect("scenario");
    assert!(rep.retransmits > 300);
    let c = coverage::totals();
    let walk = "tls_offload_top.u_tx.u_pipe.u_walk";
    let hit = |p: &str| *c.get(p).unwrap_or_else(|| panic!("no coverage point {p}"));
    for i in 0..5 {
        assert!(hit(&format!("{walk}.g_cov_hdr[{i}].CovStartInHeader")) > 0, "header offset {i}");
    }
    for i in 0..8 {
        assert!(hit(&format!("{walk}.g_cov_nonce[{i}].CovStartInNonce")) > 0, "nonce offset {i}");
    }
    for i in 0..16 {
        assert!(hit(&format!("{walk}.g_cov_tag[{i}].CovStartInTag")) > 0, "tag offset {i}");
    }
    for p in ["CovStartInBody", "CovTls12Plain0", "CovTls12Plain1", "g_cov_tx.CovRetxWithTag", "g_cov_tx.CovDump"] {
        assert!(hit(&format!("{walk}.{p}")) > 0, "{p}");
    }
    // TLS 1.2 only, IPv4 only, no RX traffic
    assert_eq!(hit(&format!("{walk}.CovTls13Plain0")), 0);
    assert_eq!(hit(&format!("{walk}.CovIpv6")), 0);
    assert_eq!(hit("tls_offload_top.u_rx.u_pipe.u_walk.CovIpv4"), 0);
    let n_rx = c.keys().filter(|k| k.starts_with("tls_offload_top.u_rx.")).count();
    assert!(n_rx > 30, "{n_rx} RX points");
}
