//! `tlsnic stats` on the Verilated device: every seed statistic is
//! reported by its exact name, and each counter equals the testbench's own
//! count of the events of the run.

use tlsnic_driver::stats::SEED_STATS;
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::seed::test_seed;
use tlsnic_testbench::stats::stats_run;

#[test]
fn every_statistic_matches_the_testbench() {
    let seed = test_seed("every_statistic_matches_the_testbench");
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let run = stats_run(&mut sim, seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    for (i, name) in SEED_STATS.iter().enumerate() {
        assert_eq!(run.counters[i].0, *name, "the seed's counters come first, in order");
    }
    for (name, want) in &run.expected {
        assert_eq!(run.get(name), Some(*want), "seed {seed}: {name}");
    }
    // the run moved the interesting ones
    for name in [
        "tx_tls_ooo",
        "tx_tls_skip_no_sync_data",
        "tx_tls_drop_no_sync_data",
        "rx_tls_resync_req_pkt",
        "rx_tls_resync_res_ok",
    ] {
        assert!(run.get(name).unwrap() > 0, "seed {seed}: {name} stayed 0");
    }
    eprintln!("{}", tlsnic_driver::stats::format(&run.counters));
}
