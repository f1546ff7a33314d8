//! RX end to end: many connections through an impaired network, the
//! Verilated device and the host's kTLS RX model. The application bytes of
//! every connection must come out exact (or the connection must report the
//! authentication failure where a byte was changed undetectably), whatever
//! the device decrypted; every frame obeys the per-frame invariant.

use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_testbench::rx::{rx_impaired_run, Impair, RxRunReport};
use tlsnic_testbench::seed::test_seed;

/// A driver's poll budget: frames the device handles before the stack sees
/// the first of them.
const BATCH: usize = 16;

fn run(
    name: &str,
    conns: usize,
    records: usize,
    cfg: Impair,
    mode: RxResyncMode,
    delay: usize,
    batch: usize,
) -> RxRunReport {
    let seed = test_seed(name);
    let o =
        rx_impaired_run(seed, conns, records, cfg, mode, delay, batch).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!(
        "seed {seed} {name}: {} frames ({} decrypted), impairments {:?}; records {} of which {} decrypted by the device ({:.1} %), {} mixed; outages {} (records to regain device decryption: mean {:.1}, max {}), {} records in outages open at the end; device resyncs {}; driver {:?}",
        o.frames,
        o.decrypted_frames,
        o.impairments,
        o.records,
        o.records_device,
        100.0 * o.records_device as f64 / o.records.max(1) as f64,
        o.records_mixed,
        o.outages,
        o.outage_records as f64 / o.outages.max(1) as f64,
        o.outage_max,
        o.outage_open,
        o.resync_ok,
        o.driver
    );
    o
}

#[test]
fn rx_e2e_in_order_all_by_the_device() {
    let o = run("rx_e2e_in_order_all_by_the_device", 16, 12, Impair::default(), RxResyncMode::StreamScan, 0, BATCH);
    assert_eq!(o.decrypted_frames, o.frames - o.other_frames, "in order: every TLS frame decrypted");
    assert!(o.other_frames > 0);
    assert_eq!(o.records_device, o.records, "in order: every record decrypted by the device");
}

#[test]
fn rx_e2e_loss_reorder_duplication() {
    for (i, loss) in [0.001, 0.01, 0.05].into_iter().enumerate() {
        let cfg = Impair { loss, reorder: loss, dup: loss, ..Impair::default() };
        let o = run(&format!("rx_e2e_loss_{i}"), 8, 30, cfg, RxResyncMode::StreamScan, i, BATCH);
        assert!(o.records_device > 0);
    }
}

/// One lost header per connection and nothing else: every connection
/// loses sync once and regains it through the resync protocol (stream scan
/// with the async request answered at once or after frames have passed,
/// the race of the kernel parsing the guessed record first; stack-driven
/// with the back-off), and the device decrypts to the end of the stream.
///
/// Stack-driven, the stack pushes the record after the one it is parsing
/// when its socket holds no more than that record, as the kernel does; the
/// device can use a push only if it has not yet passed that record. With
/// the stack in step with the device (`batch` 1: each frame handed up
/// before the next enters) the first push after the loss lands. With a
/// poll budget of 16 frames a push names a record up to 15 frames behind
/// the device: for a connection whose records are about two frames long
/// every push can come too late, and the back-off
/// (2, 4, 8, 16, 32 records) runs out of stream before one lands, so that
/// run claims only that each push was applied or ignored.
#[test]
fn rx_e2e_lost_header_regained_through_the_resync_protocol() {
    let cfg = Impair { lose_one_header: true, ..Impair::default() };
    let conns = 8u64;
    for (i, (mode, delay, batch)) in [
        (RxResyncMode::StreamScan, 0, BATCH),
        (RxResyncMode::StreamScan, 3, BATCH),
        (RxResyncMode::StackDriven, 0, 1),
        (RxResyncMode::StackDriven, 0, BATCH),
    ]
    .into_iter()
    .enumerate()
    {
        let o = run(&format!("rx_e2e_lost_header_{i}"), conns as usize, 60, cfg, mode, delay, batch);
        assert_eq!(o.impairments.lost as u64, conns, "one header lost per connection");
        assert_eq!(
            o.driver.resync_res_ok,
            o.resync_ok + o.resync_ignored,
            "{mode:?}: every answer or push applied, or ignored"
        );
        if mode == RxResyncMode::StackDriven && batch > 1 {
            assert!(o.resync_ok >= conns, "{mode:?}: at least one push applied per connection");
            continue;
        }
        assert_eq!(o.outages, conns, "{mode:?}: one outage per connection, each ended by the device decrypting again");
        assert_eq!(o.outage_open, 0, "{mode:?}: every connection decrypted by the device at its end");
        assert_eq!(o.resync_ok, conns, "{mode:?}: one resync applied per connection");
        if mode == RxResyncMode::StreamScan {
            assert_eq!(o.driver.resync_req_start, conns, "{mode:?}: one async request per connection");
            assert_eq!(o.driver.resync_res_ok, conns, "{mode:?}: each confirmed through tls_dev_resync");
        }
    }
}

#[test]
fn rx_e2e_stack_driven_under_loss() {
    let cfg = Impair { loss: 0.02, reorder: 0.01, ..Impair::default() };
    run("rx_e2e_stack_driven_under_loss", 8, 40, cfg, RxResyncMode::StackDriven, 0, BATCH);
}

#[test]
fn rx_e2e_corruption_and_tampering() {
    let cfg = Impair { corrupt_bad_csum: 0.02, corrupt_good_csum: 0.005, loss: 0.005, ..Impair::default() };
    run("rx_e2e_corruption_and_tampering", 12, 20, cfg, RxResyncMode::StreamScan, 2, BATCH);
}
