//! `tlsnic replay --write-pcap` on the committed capture of real OpenSSL
//! sessions: the output is read back by `tshark` (Wireshark's reader, not
//! this code). Every frame is there with its verdict comment, the frames
//! the device decrypted carry the plaintext, whose SHA-256 the replay
//! checks against sha256sum of the files OpenSSL sent. Needs `tshark`
//! (`make deps`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn data(f: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testbench/data").join(f)
}

#[test]
fn write_pcap_output_opens_in_tshark_with_verdicts_and_plaintext() {
    let dir = std::env::temp_dir().join(format!("tlsnic-write-pcap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (out, plain) = (dir.join("host.pcapng"), dir.join("plain"));
    let r = Command::new(env!("CARGO_BIN_EXE_tlsnic"))
        .args(["replay", "--json", "--pcap"])
        .arg(data("tls_sessions.pcap"))
        .arg("--keylog")
        .arg(data("tls_sessions.keylog"))
        .arg("--write-pcap")
        .arg(&out)
        .arg("--plaintext-dir")
        .arg(&plain)
        .output()
        .expect("tlsnic");
    assert!(r.status.success(), "replay failed: {}", String::from_utf8_lossy(&r.stderr));
    let rep: serde_json::Value = serde_json::from_slice(&r.stdout).expect("JSON report");
    let dirs: Vec<&serde_json::Value> =
        rep["connections"].as_array().unwrap().iter().flat_map(|c| c["directions"].as_array().unwrap()).collect();
    let decrypted: u64 = dirs.iter().map(|d| d["frames_decrypted"].as_u64().unwrap()).sum();
    assert_eq!(dirs.len(), 12);

    let t = Command::new("tshark")
        .arg("-r")
        .arg(&out)
        .args(["-T", "fields", "-E", "separator=\t", "-e", "frame.comment", "-e", "tcp.payload"])
        .output()
        .expect("tshark (make deps installs it)");
    assert!(t.status.success(), "tshark: {}", String::from_utf8_lossy(&t.stderr));
    let text = String::from_utf8(t.stdout).unwrap();
    let rows: Vec<(&str, String)> = text
        .lines()
        .map(|l| {
            let (c, p) = l.split_once('\t').unwrap_or((l, ""));
            (c, p.replace(':', ""))
        })
        .collect();
    assert_eq!(rows.len() as u64, rep["capture_frames"].as_u64().unwrap(), "one output frame per captured frame");
    assert!(rows.iter().all(|(c, _)| c.starts_with("tlsnic: ")), "a frame without its verdict comment");
    let dec: Vec<&String> =
        rows.iter().filter(|(c, _)| c.starts_with("tlsnic: decrypted, context ")).map(|r| &r.1).collect();
    assert_eq!(dec.len() as u64, decrypted, "decrypted frames in tshark vs the report");
    assert!(rows.iter().any(|(c, _)| c.starts_with("tlsnic: pass: ")), "no pass verdict (handshake frames)");
    // the plaintext is visible: the first 16 application bytes of each
    // direction are in a decrypted frame's TCP payload
    let mut seen = 0;
    for e in std::fs::read_dir(&plain).unwrap() {
        let app = std::fs::read(e.unwrap().path()).unwrap();
        assert!(app.len() >= 16);
        let head: String = app[..16].iter().map(|b| format!("{b:02x}")).collect();
        assert!(dec.iter().any(|p| p.contains(&head)), "plaintext {head} in no decrypted frame");
        seen += 1;
    }
    assert_eq!(seen, 12);
    let _ = std::fs::remove_dir_all(&dir);
}
