//! RX end to end: many connections through an impaired network, the
//! Verilated device and the host's kTLS RX model. The application bytes of
//! every connection must come out exact (or the connection must report the
//! authentication failure where a byte was changed undetectably), whatever
//! the device decrypted; every frame obeys the per-frame invariant.

use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_testbench::rx::{rx_impaired_run, Impair, RxRunReport};
use tlsnic_testbench::seed::test_seed;

fn run(name: &str, conns: usize, records: usize, cfg: Impair, mode: RxResyncMode, delay: usize) -> RxRunReport {
    let seed = test_seed(name);
    let o = rx_impaired_run(seed, conns, records, cfg, mode, delay).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!(
        "seed {seed} {name}: {} frames ({} decrypted), impairments {:?}; records {} of which {} decrypted by the device ({:.1} %), {} mixed; device resyncs {}; driver {:?}",
        o.frames,
        o.decrypted_frames,
        o.impairments,
        o.records,
        o.records_device,
        100.0 * o.records_device as f64 / o.records.max(1) as f64,
        o.records_mixed,
        o.resync_ok,
        o.driver
    );
    o
}

#[test]
fn rx_e2e_in_order_all_by_the_device() {
    let o = run("rx_e2e_in_order_all_by_the_device", 16, 12, Impair::default(), RxResyncMode::StreamScan, 0);
    assert_eq!(o.decrypted_frames, o.frames, "in order: every frame decrypted");
    assert_eq!(o.records_device, o.records, "in order: every record decrypted by the device");
}

#[test]
fn rx_e2e_loss_reorder_duplication() {
    for (i, loss) in [0.001, 0.01, 0.05].into_iter().enumerate() {
        let cfg = Impair { loss, reorder: loss, dup: loss, ..Impair::default() };
        let o = run(&format!("rx_e2e_loss_{i}"), 8, 30, cfg, RxResyncMode::StreamScan, i);
        assert!(o.records_device > 0);
    }
}

#[test]
fn rx_e2e_stack_driven_under_loss() {
    let cfg = Impair { loss: 0.02, reorder: 0.01, ..Impair::default() };
    run("rx_e2e_stack_driven_under_loss", 8, 40, cfg, RxResyncMode::StackDriven, 0);
}

#[test]
fn rx_e2e_corruption_and_tampering() {
    let cfg = Impair { corrupt_bad_csum: 0.02, corrupt_good_csum: 0.005, loss: 0.005, ..Impair::default() };
    run("rx_e2e_corruption_and_tampering", 12, 20, cfg, RxResyncMode::StreamScan, 2);
}
