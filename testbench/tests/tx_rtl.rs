//! TX offload through the Verilated device (`tls_offload_top`).

use tlsnic_driver::tx_offload::OooPolicy;
use tlsnic_testbench::seed::test_seed;
use tlsnic_testbench::tx::tx_random_run;

#[test]
fn tx_interleaved_connections_decrypt_on_the_wire() {
    let seed = test_seed("tx_random");
    let rep = tx_random_run(seed, 64, 12_000, OooPolicy::Rebuild).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "TX: {} connections, {} records authenticated by the receiver, {} marked + {} unmarked frames, {} retransmissions byte-identical (rebuilt by {} DUMP frames), {} app bytes, {} cycles, seed={seed}",
        rep.conns, rep.records, rep.marked, rep.unmarked, rep.retransmits, rep.dumps, rep.app_bytes, rep.cycles
    );
    println!(
        "TX driver: tx_tls_ooo={} tx_tls_skip_no_sync_data={} tx_tls_drop_no_sync_data={} DUMP packets={} bytes={}",
        rep.driver.tx_tls_ooo,
        rep.driver.tx_tls_skip_no_sync_data,
        rep.driver.tx_tls_drop_no_sync_data,
        rep.driver.tx_tls_dump_packets,
        rep.driver.tx_tls_dump_bytes
    );
    assert!(rep.records > 0 && rep.unmarked > 0 && rep.retransmits > 0);
}

#[test]
fn tx_interleaved_connections_with_prefixless_retransmissions() {
    let seed = test_seed("tx_random_retx");
    let rep = tx_random_run(seed, 64, 12_000, OooPolicy::Retransmit).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "TX Retransmit: {} connections, {} records authenticated, {} marked + {} unmarked frames, {} retransmissions \
         byte-identical ({} prefix-less, {} with the tag from a completion), {} DUMP frames, {} cycles, seed={seed}",
        rep.conns,
        rep.records,
        rep.marked,
        rep.unmarked,
        rep.retransmits,
        rep.retx,
        rep.retx_tagged,
        rep.dumps,
        rep.cycles
    );
    assert!(rep.records > 0 && rep.retx > 0 && rep.retx_tagged > 0);
    assert_eq!(rep.dumps, 0, "no DUMP when completions are read before each retransmission");
}

#[test]
fn tx_frames_that_cannot_be_encrypted_are_dropped_and_counted() {
    let seed = test_seed("tx_drop");
    let rep = tlsnic_testbench::tx::tx_drop_run(seed).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "TX drops: wire frames {}, dropped parse/ctx/seq/record = {:?}, retransmissions dropped {}",
        rep.wire_frames, rep.drops, rep.retx_drops
    );
    assert_eq!(rep.drops, [1, 1, 1, 3], "one drop of each kind, three of a broken record counted");
    assert_eq!(rep.retx_drops, 5, "the five bad retransmissions");
}

#[test]
fn tx_back_to_back_mtu_frames_of_one_connection() {
    let mut sim = tlsnic_sim::Sim::new(tlsnic_sim::Top::TlsOffload).expect("model");
    sim.reset(4);
    for v13 in [false, true] {
        let r = tlsnic_testbench::tx::tx_mtu_run(&mut sim, v13, 3).unwrap_or_else(|e| panic!("{e}"));
        println!(
            "TX MTU TLS 1.{}: {} frames, {:.3} payload bytes/cycle",
            if v13 { 3 } else { 2 },
            r.frames,
            r.bytes_per_cycle()
        );
        assert_eq!(r.frames, (3 * (16_384 + if v13 { 22 } else { 29 }) as usize).div_ceil(1448));
    }
}

#[test]
fn tx_context_update_resyncs_to_the_next_record() {
    let seed = test_seed("tx_context_update");
    let n = tlsnic_testbench::tx::tx_context_update_run(seed).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!("TX next-record sync: {n} records decrypted around a context update, seed={seed}");
    assert_eq!(n, 4);
}

#[test]
fn tx_retransmission_at_every_offset_before_and_after_the_tag_completion() {
    for v13 in [false, true] {
        let seed = test_seed("tx_retx_offsets");
        // a random layout, then the payload at every lane alignment
        for words in [None].into_iter().chain((0..16).map(Some)) {
            let rep = tlsnic_testbench::tx::tx_retx_offsets_run(seed, v13, words)
                .unwrap_or_else(|e| panic!("seed={seed}, header words {words:?}: {e}"));
            println!("TX retransmission offsets (TLS 1.{}, header words {words:?}): {rep:?}", if v13 { 3 } else { 2 });
            // 3 fallbacks of records C, one per tag lost with the event
            // stream held (records D); the tags of A, B and the first 32 of D
            assert!(rep.retransmits > 300 && rep.with_tag > 50 && rep.evt_lost > 0);
            assert!(rep.fallbacks == 3 + rep.evt_lost && rep.completions >= 11 + 32, "{rep:?}");
        }
    }
}
