//! `tlsnic replay` on a capture of real OpenSSL sessions (made by
//! testbench/data/make_captures.sh with openssl s_server / s_client and
//! tcpdump on a loopback with MTU 1500 and no segmentation offloads: every
//! frame an MSS-sized segment; six connections: TLS 1.2 and 1.3 with
//! AES-128-GCM and AES-256-GCM, one over IPv6, one with 512-byte records,
//! data both ways). The SHA-256 of what each peer sent was taken by
//! sha256sum on the files OpenSSL sent, not by this code.

use tlsnic_device::replay::replay;
use tlsnic_sim::{Sim, Top};

const PCAP: &[u8] = include_bytes!("../data/tls_sessions.pcap");
const KEYLOG: &str = include_str!("../data/tls_sessions.keylog");
const SHA: &str = include_str!("../data/tls_sessions.sha256");

fn sim() -> Sim {
    let mut s = Sim::new(Top::TlsOffload).expect("model");
    s.reset(8);
    s
}

#[test]
fn openssl_sessions_replay_exactly_and_are_all_decrypted_by_the_device() {
    let mut s = sim();
    let rep = replay(&mut s, PCAP, KEYLOG).expect("replay").report;
    assert_eq!(rep.connections.len(), 6);
    let mut checked = 0;
    for line in SHA.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (ver, server, dir, sha) = (f[0], f[2], f[3], f[4]);
        let c = rep.connections.iter().find(|c| c.server == server).unwrap_or_else(|| panic!("{server} in the report"));
        assert_eq!(c.version.as_deref(), Some(if ver == "tls1_3" { "1.3" } else { "1.2" }), "{server}");
        assert_eq!(c.skipped, None, "{server}");
        let d = c.directions.iter().find(|d| d.direction == dir).unwrap_or_else(|| panic!("{server} {dir}"));
        assert_eq!(d.app_sha256, sha, "{server} {dir}: application bytes");
        assert_eq!(d.error, None);
        assert!(
            d.frames > 0 && d.frames_decrypted == d.frames,
            "{server} {dir}: {} of {} frames decrypted",
            d.frames_decrypted,
            d.frames
        );
        assert_eq!(d.records_device, d.records, "{server} {dir}: records");
        checked += 1;
    }
    assert_eq!(checked, 12);
}

/// The same sessions behind a network that loses (the sender
/// re-delivers later), reorders, duplicates and corrupts frames (the
/// scenario of the regression's `replay_impaired` family): every
/// direction's application bytes still match sha256sum's, the counters the
/// frames.
#[test]
fn openssl_sessions_replay_exactly_under_network_impairments() {
    let seed = tlsnic_testbench::seed::test_seed("openssl_sessions_replay_exactly_under_network_impairments");
    let rep =
        tlsnic_testbench::replay_impaired::replay_impaired_run(seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    assert_eq!(rep.directions, 12, "seed {seed}");
    let i = &rep.impairments;
    assert!(i.lost + i.reordered > 0, "seed {seed}: the network did something: {i:?}");
    eprintln!("seed {seed}: {rep:?}");
}

#[test]
fn connections_without_keys_are_skipped_and_bad_captures_are_errors() {
    let mut s = sim();
    let rep = replay(&mut s, PCAP, "# no keys\n").expect("replay").report;
    assert_eq!(rep.connections.len(), 6);
    assert!(rep.connections.iter().all(|c| c.skipped.as_deref().is_some_and(|r| r.contains("no keys"))));
    assert!(replay(&mut s, b"not a capture at all, nothing like one", KEYLOG).is_err());
    // a capture cut anywhere never panics
    for cut in [30, 100, 1000, PCAP.len() / 2, PCAP.len() - 7] {
        let _ = replay(&mut s, &PCAP[..cut], KEYLOG);
    }
}

/// The same sessions as pcapng (written here from the pcap's frames, in
/// big-endian byte order to exercise both): the same results.
#[test]
fn pcapng_capture_replays_the_same() {
    let frames = tlsnic_device::replay::read_capture(PCAP).expect("pcap");
    let mut ng = Vec::new();
    let block = |ng: &mut Vec<u8>, ty: u32, body: &[u8]| {
        let len = 12 + body.len().div_ceil(4) * 4;
        ng.extend_from_slice(&ty.to_be_bytes());
        ng.extend_from_slice(&(len as u32).to_be_bytes());
        ng.extend_from_slice(body);
        ng.resize(ng.len() + (len - 12 - body.len()), 0);
        ng.extend_from_slice(&(len as u32).to_be_bytes());
    };
    let mut shb = 0x1A2B_3C4Du32.to_be_bytes().to_vec();
    shb.extend_from_slice(&[0, 1, 0, 0]);
    shb.extend_from_slice(&u64::MAX.to_be_bytes());
    block(&mut ng, 0x0A0D_0D0A, &shb);
    block(&mut ng, 1, &[0, 1, 0, 0, 0, 0, 0xff, 0xff]);
    for f in &frames {
        let mut epb = vec![0u8; 20];
        epb[12..16].copy_from_slice(&(f.data.len() as u32).to_be_bytes());
        epb[16..20].copy_from_slice(&(f.data.len() as u32).to_be_bytes());
        epb.extend_from_slice(&f.data);
        block(&mut ng, 6, &epb);
    }
    let mut s = sim();
    let a = replay(&mut s, PCAP, KEYLOG).expect("pcap replay").report;
    let mut s = sim();
    let b = replay(&mut s, &ng, KEYLOG).expect("pcapng replay").report;
    assert_eq!(b.capture_frames, frames.len());
    let shas = |r: &tlsnic_device::replay::ReplayReport| -> Vec<String> {
        r.connections.iter().flat_map(|c| c.directions.iter().map(|d| d.app_sha256.clone())).collect()
    };
    assert_eq!(shas(&a), shas(&b));
}
