//! TX offload through the Verilated device (`tls_offload_top`).

use tlsnic_testbench::seed::test_seed;
use tlsnic_testbench::tx::tx_random_run;

#[test]
fn tx_interleaved_connections_decrypt_on_the_wire() {
    let seed = test_seed("tx_random");
    let rep = tx_random_run(seed, 16, 40_000).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "TX: {} connections, {} records authenticated by the receiver, {} marked + {} unmarked frames, {} retransmissions byte-identical (rebuilt by {} DUMP frames), {} app bytes, {} cycles, seed={seed}",
        rep.conns, rep.records, rep.marked, rep.unmarked, rep.retransmits, rep.dumps, rep.app_bytes, rep.cycles
    );
    assert!(rep.records > 0 && rep.unmarked > 0 && rep.retransmits > 0);
}

#[test]
fn tx_frames_that_cannot_be_encrypted_are_dropped_and_counted() {
    let seed = test_seed("tx_drop");
    let rep =
        tlsnic_testbench::tx::tx_drop_run(seed).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "TX drops: wire frames {}, dropped parse/ctx/seq = {:?}",
        rep.wire_frames, rep.drops
    );
    assert_eq!(rep.drops, [1, 1, 1], "one drop of each kind counted");
}
