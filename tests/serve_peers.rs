//! `tlsnic serve` against real TLS peers: `openssl s_client` sends 1 MB to
//! `--echo` and reads the same 1 MB back; `curl` fetches a file from
//! `--http`; each for TLS 1.2 and 1.3 with AES-128-GCM and AES-256-GCM. The
//! server's statistics must show the device decrypted and encrypted every
//! record (no software path). Needs `openssl` and `curl` (`make deps`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const VARIANTS: [(&str, &str, &str); 4] = [
    ("1.2", "ECDHE-RSA-AES128-GCM-SHA256", ""),
    ("1.2", "ECDHE-RSA-AES256-GCM-SHA384", ""),
    ("1.3", "", "TLS_AES_128_GCM_SHA256"),
    ("1.3", "", "TLS_AES_256_GCM_SHA384"),
];

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tlsnic-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cert(dir: &Path) -> (PathBuf, PathBuf) {
    let (c, k) = (dir.join("cert.pem"), dir.join("key.pem"));
    let st = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout"])
        .arg(&k)
        .arg("-out")
        .arg(&c)
        .stderr(Stdio::null())
        .status()
        .expect("openssl (make deps installs it)");
    assert!(st.success());
    (c, k)
}

/// Start `tlsnic serve --once`; returns the child and its port.
fn serve(args: &[&str], cert: &Path, key: &Path) -> (Child, u16, BufReader<std::process::ChildStderr>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tlsnic"))
        .args(["serve", "--listen", "127.0.0.1:0", "--once", "--cert"])
        .arg(cert)
        .arg("--key")
        .arg(key)
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .expect("tlsnic");
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let port =
        line.trim().rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or_else(|| panic!("no port in {line:?}"));
    (child, port, err)
}

/// The server's statistics after the connection, as name -> value.
fn stats(mut child: Child, mut err: BufReader<std::process::ChildStderr>) -> std::collections::HashMap<String, u64> {
    let mut s = String::new();
    err.read_to_string(&mut s).unwrap();
    assert!(child.wait().unwrap().success(), "server failed: {s}");
    let m: std::collections::HashMap<String, u64> = s
        .lines()
        .filter_map(|l| {
            let (n, v) = l.trim().split_once(": ")?;
            Some((n.to_string(), v.parse().ok()?))
        })
        .collect();
    assert!(!m.is_empty(), "no statistics in {s}");
    m
}

/// Everything the device was given it decrypted and encrypted.
fn check_offloaded(m: &std::collections::HashMap<String, u64>, rx_min: u64, tx_min: u64, what: &str) {
    assert!(m["rx_tls_decrypted_bytes"] >= rx_min && m["rx_tls_decrypted_packets"] > 0, "{what}: {m:?}");
    assert!(m["tx_tls_encrypted_bytes"] >= tx_min, "{what}: {m:?}");
    for (n, v) in m {
        if n.starts_with("rx_tls_pass_")
            || n == "rx_tls_err"
            || n == "tx_tls_fallback_packets"
            || n == "TlsTxSw"
            || n == "TlsRxSw"
        {
            assert_eq!(*v, 0, "{what}: {n}");
        }
    }
}

fn s_client_args(v: &str, c12: &str, c13: &str) -> Vec<String> {
    let mut a = vec![format!("-tls{}", v.replace('.', "_"))];
    if v == "1.2" {
        a.extend(["-cipher".to_string(), c12.to_string()]);
    } else {
        a.extend(["-ciphersuites".to_string(), c13.to_string()]);
    }
    a
}

#[test]
fn openssl_s_client_echoes_one_megabyte_through_the_device() {
    let dir = tmpdir("echo");
    let (c, k) = cert(&dir);
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (v, c12, c13) in VARIANTS {
        let (srv, port, err) = serve(&["--echo"], &c, &k);
        let mut cli = Command::new("openssl")
            .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-quiet"])
            .args(s_client_args(v, c12, c13))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl");
        let mut out = cli.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut got = vec![0u8; 1_000_000];
            out.read_exact(&mut got).map(|_| got)
        });
        std::thread::sleep(Duration::from_millis(300));
        cli.stdin.as_mut().unwrap().write_all(&data).unwrap();
        let got = reader.join().unwrap().unwrap_or_else(|e| panic!("TLS {v} {c12}{c13}: {e}"));
        assert!(got == data, "TLS {v} {c12}{c13}: echoed bytes differ");
        cli.kill().unwrap();
        let _ = cli.wait();
        check_offloaded(&stats(srv, err), 1_000_000, 1_000_000, &format!("TLS {v} {c12}{c13}"));
    }
}

#[test]
fn curl_fetches_a_file_through_the_device() {
    let dir = tmpdir("curl");
    let (c, k) = cert(&dir);
    let file = dir.join("page.bin");
    let body: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(40_503) >> 7) as u8).collect();
    std::fs::write(&file, &body).unwrap();
    for (v, c12, c13) in VARIANTS {
        let (srv, port, err) = serve(&["--http", file.to_str().unwrap()], &c, &k);
        let out = dir.join("out.bin");
        let _ = std::fs::remove_file(&out);
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "-k", "-o"]).arg(&out).arg(format!("https://127.0.0.1:{port}/"));
        if v == "1.2" {
            cmd.args(["--tlsv1.2", "--tls-max", "1.2", "--ciphers", c12]);
        } else {
            cmd.args(["--tlsv1.3", "--tls13-ciphers", c13]);
        }
        let st = cmd.status().expect("curl (make deps installs it)");
        assert!(st.success(), "TLS {v} {c12}{c13}: curl failed");
        assert!(std::fs::read(&out).unwrap() == body, "TLS {v} {c12}{c13}: file differs");
        check_offloaded(&stats(srv, err), 1, body.len() as u64, &format!("TLS {v} {c12}{c13}"));
    }
}

#[test]
fn tlsnic_connect_talks_to_openssl_s_server_through_the_device() {
    let dir = tmpdir("connect");
    let (c, k) = cert(&dir);
    let a: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_246_822_519) >> 11) as u8).collect();
    let b: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(3_266_489_917) >> 9) as u8).collect();
    let (fa, fb, got) = (dir.join("a.bin"), dir.join("b.bin"), dir.join("got.bin"));
    std::fs::write(&fa, &a).unwrap();
    std::fs::write(&fb, &b).unwrap();
    for (i, (v, c12, c13)) in VARIANTS.into_iter().enumerate() {
        let port = 45_000 + (std::process::id() % 1000) as u16 * 4 + i as u16;
        // s_server sends `a` (then keeps its input open 3 s and closes),
        // prints what it receives
        let mut srv = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "(cat {}; sleep 3) | exec openssl s_server -accept {port} -cert {} -key {} -naccept 1 -quiet {}",
                fa.display(),
                c.display(),
                k.display(),
                s_client_args(v, c12, c13).join(" ")
            ))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl");
        // drain the server's output while the client runs (a full pipe
        // would stop s_server from reading the socket)
        let mut sout = srv.stdout.take().unwrap();
        let drain = std::thread::spawn(move || {
            let mut v = Vec::new();
            sout.read_to_end(&mut v).map(|_| v)
        });
        std::thread::sleep(Duration::from_millis(700));
        let out = Command::new(env!("CARGO_BIN_EXE_tlsnic"))
            .args(["connect", &format!("127.0.0.1:{port}"), if v == "1.2" { "--tls12" } else { "--tls13" }, "--input"])
            .arg(&fb)
            .arg("--output")
            .arg(&got)
            .output()
            .expect("tlsnic");
        let log = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "TLS {v} {c12}{c13}: {log}");
        let received = drain.join().unwrap().unwrap();
        let _ = srv.wait();
        assert!(std::fs::read(&got).unwrap() == a, "TLS {v} {c12}{c13}: bytes from the server differ");
        assert!(received == b, "TLS {v} {c12}{c13}: the server received {} bytes, not ours", received.len());
        let m: std::collections::HashMap<String, u64> = log
            .lines()
            .filter_map(|l| {
                let (n, v) = l.trim().split_once(": ")?;
                Some((n.to_string(), v.parse().ok()?))
            })
            .collect();
        check_offloaded(&m, a.len() as u64, b.len() as u64, &format!("TLS {v} {c12}{c13}"));
    }
}

#[test]
fn a_missing_certificate_file_is_named_in_the_error() {
    let dir = tmpdir("missing-cert");
    let (_, key) = cert(&dir);
    let missing = dir.join("missing.pem");
    let out = Command::new(env!("CARGO_BIN_EXE_tlsnic"))
        .args(["serve", "--listen", "127.0.0.1:0", "--once", "--echo", "--cert"])
        .arg(&missing)
        .arg("--key")
        .arg(&key)
        .output()
        .expect("tlsnic");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "serve with a missing certificate succeeded: {err}");
    assert!(err.contains("certificate (--cert) file") && err.contains(&*missing.to_string_lossy()), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_peer_that_sends_garbage_gets_a_tls_alert() {
    let dir = tmpdir("garbage");
    let (c, k) = cert(&dir);
    let (child, port, mut err) = serve(&["--echo"], &c, &k);
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    // one alert record: type 21, version 3.x, length 2, level fatal (2)
    assert!(got.len() >= 7, "no alert, got {got:02x?}");
    assert_eq!((got[0], got[1], &got[3..5], got[5]), (21, 3, &[0u8, 2][..], 2), "not a fatal alert: {got:02x?}");
    let mut log = String::new();
    err.read_to_string(&mut log).unwrap();
    let mut child = child;
    assert!(child.wait().unwrap().success());
    assert!(log.contains("handshake"), "server log names no handshake error: {log}");
    let _ = std::fs::remove_dir_all(&dir);
}
