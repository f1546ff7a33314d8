//! AES-GCM through the Verilated RTL (`gcm_stream_top`), checked against the
//! RustCrypto `aes-gcm` crate and published NIST GCM vectors.

use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::gcm_job::{GcmJob, Op};
use tlsnic_testbench::reference::{hex, Gcm};
use tlsnic_testbench::scenario::{gcm_random_run, run_jobs};
use tlsnic_testbench::seed::test_seed;

/// NIST GCM test vectors with 96-bit IVs (McGrew & Viega, "The Galois/Counter
/// Mode of Operation", test cases 1-4 for AES-128 and 13-16 for AES-256, as
/// used by NIST's GCM validation): key, IV, plaintext, AAD, ciphertext, tag.
const NIST: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("00000000000000000000000000000000", "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
    (
        "00000000000000000000000000000000",
        "000000000000000000000000",
        "00000000000000000000000000000000",
        "",
        "0388dace60b6a392f328c2b971b2fe78",
        "ab6e47d42cec13bdf53a67b21257bddf",
    ),
    (
        "feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
        "",
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
        "4d5c2af327cd64a62cf35abd2ba6fab4",
    ),
    (
        "feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
        "5bc94fbc3221a5db94fae95ae7121a47",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000",
        "",
        "",
        "",
        "530f8afbc74536b9a963b4f1c4cb738b",
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000",
        "00000000000000000000000000000000",
        "",
        "cea7403d4d606b6e074ec5d3baf39d18",
        "d0d1c8a799996bf0265b98b5d48ab919",
    ),
    (
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
        "",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
        "b094dac5d93471bdec1a502270e3cc6c",
    ),
    (
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
        "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
        "76fc6ece0f4e1768cddf8853bb2d551b",
    ),
];

/// Key, IV, plaintext, AAD, ciphertext, tag.
type Vector = (Vec<u8>, [u8; 12], Vec<u8>, Vec<u8>, Vec<u8>, [u8; 16]);

fn vectors() -> Vec<Vector> {
    NIST.iter()
        .map(|(k, iv, p, a, c, t)| {
            (hex(k), hex(iv).try_into().unwrap(), hex(p), hex(a), hex(c), hex(t).try_into().unwrap())
        })
        .collect()
}

#[test]
fn nist_vectors_match_reference_crate() {
    // The vectors themselves are checked against the independent crate, so a
    // typo in the table cannot make the RTL test pass or fail wrongly.
    for (k, iv, p, a, c, t) in vectors() {
        let mut buf = p.clone();
        let tag = Gcm::new(&k).unwrap().seal(&iv, &a, &mut buf);
        assert_eq!(buf, c);
        assert_eq!(tag, t);
    }
}

#[test]
fn nist_vectors_through_rtl() {
    let mut sim = Sim::new(Top::GcmStream).expect("model");
    sim.reset(4);
    let mut jobs = Vec::new();
    for (k, iv, p, a, c, t) in vectors() {
        jobs.push(GcmJob::simple(Op::Encrypt, &k, iv, &a, &p));
        let mut d = GcmJob::simple(Op::Decrypt, &k, iv, &a, &c);
        d.tag = t;
        jobs.push(d);
        // A tampered tag must be rejected.
        let mut bad = GcmJob::simple(Op::Decrypt, &k, iv, &a, &c);
        bad.tag = t;
        bad.tag[15] ^= 0x01;
        jobs.push(bad);
    }
    let res = run_jobs(&mut sim, &jobs).expect("run");
    for (i, (k, _iv, p, _a, c, t)) in vectors().into_iter().enumerate() {
        let (e, d, bad) = (&res[3 * i], &res[3 * i + 1], &res[3 * i + 2]);
        assert_eq!(e.body, c, "vector {i} (AES-{}) ciphertext", k.len() * 8);
        assert_eq!(e.tag, t, "vector {i} (AES-{}) tag", k.len() * 8);
        assert!(e.auth_ok);
        assert_eq!(d.body, p, "vector {i} plaintext");
        assert!(d.auth_ok, "vector {i}: genuine tag rejected");
        assert!(!bad.auth_ok, "vector {i}: tampered tag accepted");
        assert_eq!(bad.tag, t, "vector {i}: computed tag under tampering");
    }
    println!("NIST GCM vectors: {} passed through the RTL (encrypt, decrypt, tampered tag rejected)", NIST.len());
}

#[test]
fn random_gcm_10000_cases_against_aes_gcm_crate() {
    let seed = test_seed("random_gcm");
    let n = std::env::var("TLSNIC_GCM_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let rep = gcm_random_run(seed, n, true, |_| {}).unwrap_or_else(|e| panic!("seed={seed}: {e}"));
    println!(
        "random GCM: {} cases ({} encrypt, {} decrypt, {} AES-256, {} tampered and rejected), {} body bytes, {} cycles, seed={seed}",
        rep.cases,
        rep.encrypts,
        rep.cases - rep.encrypts,
        rep.aes256,
        rep.tampered_rejected,
        rep.bytes,
        rep.cycles
    );
    assert_eq!(rep.cases, n);
    assert!(rep.tampered_rejected > 0);
}
