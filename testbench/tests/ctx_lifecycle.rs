//! Context life cycle under live traffic on the Verilated device: install
//! until the table is full, further connections in software, delete and
//! reuse slots while frames flow (the scenarios are the library's
//! `lifecycle` module, also the regression's `lifecycle` family); and the
//! RX flow table's bucket overflow.

use rand::Rng;
use tlsnic_device::csr;
use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_driver::types::{CtxId, FlowKey, TlsCryptoInfo};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::lifecycle::{rx_lifecycle_run, tx_lifecycle_run};
use tlsnic_testbench::seed::{rng, test_seed};

/// RX: N_CTX + 8 connections, 12 closed and 12 opened into their slots
/// while frames flow; every frame, application byte, key slot and counter
/// checked ([`rx_lifecycle_run`]).
#[test]
fn rx_table_full_delete_and_reuse_under_traffic() {
    let seed = test_seed("rx_table_full_delete_and_reuse_under_traffic");
    let rep = rx_lifecycle_run(seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: {rep:?}");
}

/// TX: N_CTX + 6 connections, 10 closed and their slots reused while the
/// others send; stale and old-sequence frames dropped; every record on the
/// wire decrypted with aes-gcm ([`tx_lifecycle_run`]).
#[test]
fn tx_table_full_delete_and_reuse_under_traffic() {
    let seed = test_seed("tx_table_full_delete_and_reuse_under_traffic");
    let rep = tx_lifecycle_run(seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    eprintln!("seed {seed}: {rep:?}");
}

/// A random IPv4 flow towards port 443.
fn random_v4_flow(r: &mut rand_chacha::ChaCha8Rng) -> FlowKey {
    FlowKey::V4 {
        saddr: std::net::Ipv4Addr::from(r.gen::<u32>()),
        daddr: std::net::Ipv4Addr::from(r.gen::<u32>()),
        sport: r.gen(),
        dport: 443,
    }
}

/// The RX flow table is hashed (two banks of buckets of `RX_FLOW_WAYS`
/// entries, docs/rx.md): a
/// flow whose two buckets are full cannot be installed even with contexts
/// free. It stays in software through the table-full path (ERR_TABLE_FULL,
/// `rx_tls_ctx_full`) and gets in once a flow of its buckets is deleted.
/// The flows are picked with the testbench's own model of the placement
/// rule (`flowhash`), so a device that hashed or placed otherwise fails.
#[test]
fn rx_flow_bucket_overflow_goes_to_software() {
    use tlsnic_device::rx::{sim_rx_add, sim_rx_del};
    use tlsnic_driver::types::{Cipher, DeviceError, TlsVersion};
    use tlsnic_testbench::flowhash;
    let seed = test_seed("rx_flow_bucket_overflow_goes_to_software");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let n_ctx = sim.csr_read(csr::REG_N_CTX).unwrap() as usize;
    let ways = sim.csr_read(csr::REG_RX_FLOW_WAYS).unwrap() as usize;
    assert!(ways == 2 || ways == 4, "RX_FLOW_WAYS {ways}");
    let full = |sim: &mut Sim| sim.csr_read(csr::rx_counter(csr::RX_CNT_FULL)).unwrap();
    // 2 * ways + 1 flows that all hash to the same two buckets.
    let target = flowhash::bucket_pair(&random_v4_flow(&mut r), n_ctx, ways);
    let mut flows: Vec<FlowKey> = Vec::new();
    while flows.len() < 2 * ways + 1 {
        let f = random_v4_flow(&mut r);
        if flowhash::bucket_pair(&f, n_ctx, ways) == target && !flows.contains(&f) {
            flows.push(f);
        }
    }
    let key: Vec<u8> = (0..16).map(|_| r.gen()).collect();
    let info = TlsCryptoInfo::new(TlsVersion::V12, Cipher::Aes128Gcm, key, r.gen(), r.gen(), 0).expect("16-byte key");
    let full0 = full(&mut sim);
    let ids: Vec<CtxId> = flows[..2 * ways]
        .iter()
        .map(|&f| {
            sim_rx_add(&mut sim, f, &info, 1000, RxResyncMode::StreamScan).expect("2 * ways flows fit two buckets")
        })
        .collect();
    let last = flows[2 * ways];
    let over = sim_rx_add(&mut sim, last, &info, 1000, RxResyncMode::StreamScan);
    assert!(matches!(over, Err(DeviceError::TableFull)), "seed {seed}: flow {} of {target:?}: {over:?}", 2 * ways + 1);
    assert_eq!(full(&mut sim), full0 + 1, "seed {seed}: rx_tls_ctx_full counts the refusal");
    assert!(ids.len() < n_ctx, "contexts were free: the buckets were the limit");
    // A flow with other buckets still gets a context.
    let other = loop {
        let f = random_v4_flow(&mut r);
        let (b0, b1) = flowhash::bucket_pair(&f, n_ctx, ways);
        if b0 != target.0 && b1 != target.1 {
            break f;
        }
    };
    sim_rx_add(&mut sim, other, &info, 1000, RxResyncMode::StreamScan).expect("a flow in other buckets");
    // Free one flow of the full buckets: the last one fits.
    sim_rx_del(&mut sim, ids[1]).expect("delete");
    sim_rx_add(&mut sim, last, &info, 1000, RxResyncMode::StreamScan).expect("the last flow after a delete");
    assert_eq!(full(&mut sim), full0 + 1, "seed {seed}: no further refusal");
}
