//! `tlsnic serve`: a TLS server on a real TCP socket whose application
//! records are protected by the Verilated device. The handshake runs in
//! software (rustls); then, as kTLS does, the traffic secrets go to the
//! device (a TX and an RX context) and every application record in both
//! directions goes through the RTL: bytes read from the socket are cut into
//! frames for the RX path and the kTLS RX model; application bytes to send
//! are framed into records by the kTLS TX model, encrypted by the TX path,
//! and the TCP payload of the frames the device puts on the wire is what is
//! written to the socket.

use anyhow::{anyhow, bail, Context, Result};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use tlsnic_device::nic::SimNic;
use tlsnic_driver::ktls_tx::KtlsTx;
use tlsnic_driver::nic::Nic;
use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_driver::rx_host::{RxDriverConfig, SockId};
use tlsnic_driver::tcp::{parse, FrameTemplate};
use tlsnic_driver::tx_offload::{OooPolicy, TxDriverConfig, XmitVerdict};
use tlsnic_driver::types::{Cipher, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::{Sim, Top};

/// What the server answers.
pub enum Mode {
    /// Send back what it reads.
    Echo,
    /// Answer every HTTP/1.1 request with this file.
    Http(Vec<u8>),
}

fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>> {
    let open = |what: &str, p: &Path| {
        std::fs::File::open(p).map(std::io::BufReader::new).with_context(|| format!("{what} file {}", p.display()))
    };
    let certs: Vec<_> = rustls_pemfile::certs(&mut open("certificate (--cert)", cert)?)
        .collect::<Result<_, _>>()
        .with_context(|| format!("certificates in {}", cert.display()))?;
    if certs.is_empty() {
        bail!("no PEM certificate in {} (--cert)", cert.display());
    }
    let key_der = rustls_pemfile::private_key(&mut open("private key (--key)", key)?)
        .with_context(|| format!("private key in {}", key.display()))?
        .ok_or_else(|| anyhow!("no PEM private key in {} (--key)", key.display()))?;
    let mut provider = rustls::crypto::ring::default_provider();
    // the device does AES-GCM only
    use rustls::crypto::ring::cipher_suite as cs;
    provider.cipher_suites = vec![
        cs::TLS13_AES_256_GCM_SHA384,
        cs::TLS13_AES_128_GCM_SHA256,
        cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS12, &rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .with_context(|| format!("certificate {} with key {}", cert.display(), key.display()))?;
    cfg.enable_secret_extraction = true;
    cfg.send_tls13_tickets = 0;
    Ok(Arc::new(cfg))
}

/// Read exactly one TLS record from the socket (so that rustls never
/// buffers a record of the application keys). A header that is not TLS
/// (content type outside 20..=24, major version not 3, or a length over
/// 2^14 + 2048) is returned alone, so that rustls rejects it with an alert
/// instead of this waiting for a length read from garbage.
fn read_record(s: &mut TcpStream) -> Result<Vec<u8>> {
    let mut r = vec![0u8; 5];
    s.read_exact(&mut r).context("reading a TLS record header from the peer")?;
    let len = usize::from(u16::from_be_bytes([r[3], r[4]]));
    if !(20..=24).contains(&r[0]) || r[1] != 3 || len > 16_384 + 2048 {
        return Ok(r);
    }
    r.resize(5 + len, 0);
    s.read_exact(&mut r[5..])?;
    Ok(r)
}

fn crypto_info(version: TlsVersion, seq: u64, s: &rustls::ConnectionTrafficSecrets) -> Result<TlsCryptoInfo> {
    let (cipher, key, iv) = match s {
        rustls::ConnectionTrafficSecrets::Aes128Gcm { key, iv } => (Cipher::Aes128Gcm, key.as_ref(), iv.as_ref()),
        rustls::ConnectionTrafficSecrets::Aes256Gcm { key, iv } => (Cipher::Aes256Gcm, key.as_ref(), iv.as_ref()),
        _ => bail!("cipher not offloadable"),
    };
    let salt: [u8; 4] = iv[..4].try_into()?;
    let iv8: [u8; 8] = iv[4..12].try_into()?;
    Ok(TlsCryptoInfo::new(version, cipher, key.to_vec(), iv8, salt, seq)?)
}

/// Statistics of one connection.
pub struct ConnStats {
    /// Application bytes received.
    pub rx_bytes: u64,
    /// Application bytes sent.
    pub tx_bytes: u64,
    /// Every counter (`ethtool -S`).
    pub counters: Vec<(String, u64)>,
}

/// Run a rustls handshake on `sock`, feeding rustls one record at a time,
/// and extract the traffic secrets.
fn handshake<D>(sock: &mut TcpStream, conn: &mut rustls::ConnectionCommon<D>) -> Result<()> {
    while conn.is_handshaking() || conn.wants_write() {
        while conn.wants_write() {
            conn.write_tls(sock)?;
        }
        if !conn.is_handshaking() {
            break;
        }
        let rec = read_record(sock)?;
        conn.read_tls(&mut &rec[..])?;
        if let Err(e) = conn.process_new_packets() {
            // rustls has queued the alert that names the error: the peer
            // gets it before the connection closes
            while conn.wants_write() {
                if conn.write_tls(sock).is_err() {
                    break;
                }
            }
            linger_close(sock);
            bail!("handshake: {e}");
        }
    }
    Ok(())
}

/// Close after an alert without a reset: closing a socket with unread
/// input makes TCP send RST, which can discard the alert at the peer
/// before it is read. So shut down the sending side, then drain what the
/// peer still sends for up to a second.
fn linger_close(sock: &mut TcpStream) {
    let _ = sock.shutdown(std::net::Shutdown::Write);
    let _ = sock.set_read_timeout(Some(std::time::Duration::from_secs(1)));
    let mut buf = [0u8; 4096];
    while matches!(sock.read(&mut buf), Ok(n) if n > 0) {}
}

fn version_of(v: Option<rustls::ProtocolVersion>) -> TlsVersion {
    match v {
        Some(rustls::ProtocolVersion::TLSv1_3) => TlsVersion::V13,
        _ => TlsVersion::V12,
    }
}

/// A TCP connection's records through the Verilated device after the
/// handshake: an RX and a TX context on one model, the kTLS models above.
struct Session<'a> {
    nic: Nic<SimNic<'a>>,
    rx: SockId,
    tx: KtlsTx,
    rt: FrameTemplate,
    tt: FrameTemplate,
    rx_seq: u32,
    stats: ConnStats,
}

fn flow_key(a: SocketAddr, b: SocketAddr) -> FlowKey {
    match (a.ip(), b.ip()) {
        (IpAddr::V6(x), IpAddr::V6(y)) => FlowKey::V6 { saddr: x, daddr: y, sport: a.port(), dport: b.port() },
        (x, y) => {
            let v4 = |i: IpAddr| match i {
                IpAddr::V4(v) => v,
                IpAddr::V6(v) => v.to_ipv4_mapped().unwrap_or(Ipv4Addr::UNSPECIFIED),
            };
            FlowKey::V4 { saddr: v4(x), daddr: v4(y), sport: a.port(), dport: b.port() }
        }
    }
}

impl<'a> Session<'a> {
    fn new(sim: &'a mut Sim, sock: &TcpStream, version: TlsVersion, secrets: rustls::ExtractedSecrets) -> Result<Self> {
        let tx_info = crypto_info(version, secrets.tx.0, &secrets.tx.1)?;
        let rx_info = crypto_info(version, secrets.rx.0, &secrets.rx.1)?;
        // The device sees the TCP connection as frames between the two
        // socket addresses; sequence numbers start anywhere.
        let (local, peer) = (sock.local_addr()?, sock.peer_addr()?);
        let (rx_flow, tx_flow) = (flow_key(peer, local), flow_key(local, peer));
        let (rx_seq, tx_start) = (0x1000_0000u32, 0x2000_0000u32);
        let dev = SimNic::new(sim)?;
        let mut nic =
            Nic::new(dev, TxDriverConfig { dump_mtu: 8000, policy: OooPolicy::Rebuild }, RxDriverConfig::default())
                .map_err(|e| anyhow!("{e}"))?;
        let rx = nic.rx_socket(rx_flow, rx_info, rx_seq, RxResyncMode::StreamScan);
        let tx = nic.tx_socket(tx_info, tx_start, Vec::new());
        if !nic.rx().offloaded(rx) || tx.driver_state().is_none() {
            bail!("the device refused a context");
        }
        let stats = ConnStats { rx_bytes: 0, tx_bytes: 0, counters: Vec::new() };
        Ok(Session { nic, rx, tx, rt: FrameTemplate::new(rx_flow), tt: FrameTemplate::new(tx_flow), rx_seq, stats })
    }

    /// Bytes read from the socket: through the RX path; the application
    /// bytes.
    fn recv(&mut self, bytes: &[u8]) -> Result<Vec<u8>> {
        let mut frames = Vec::new();
        for c in bytes.chunks(1448) {
            frames.push(self.rt.build(self.rx_seq, c)?);
            self.rx_seq = self.rx_seq.wrapping_add(c.len() as u32);
        }
        self.nic.receive(frames);
        if let Some(e) = self.nic.rx().socket_error(self.rx) {
            bail!("TLS error on receive: {e}");
        }
        let app = self.nic.rx().read_app(self.rx);
        self.stats.rx_bytes += app.len() as u64;
        Ok(app)
    }

    /// A record of content type `ct` with `data`, through the TX path onto
    /// the socket.
    fn send(&mut self, ct: u8, data: &[u8], sock: &mut TcpStream) -> Result<()> {
        let from = self.tx.write_seq();
        self.tx.write_with(ct, data, 16_384, &mut self.nic.tx_netdev()).map_err(|e| anyhow!("{e}"))?;
        for (seq, len) in self.tx.segments(from, 1448) {
            let f = self.tt.build(seq, &self.tx.bytes(seq, len).ok_or_else(|| anyhow!("record bytes"))?)?;
            match self.nic.xmit(f, &mut self.tx).map_err(|e| anyhow!("{e}"))? {
                XmitVerdict::Offloaded => {}
                v => bail!("TX segment not offloaded: {v:?}"),
            }
        }
        for w in self.nic.device().take_wire()? {
            let p = parse(&w)?;
            sock.write_all(p.payload_of(&w))?;
        }
        self.tx.ack(self.tx.write_seq());
        if ct == 23 {
            self.stats.tx_bytes += data.len() as u64;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ConnStats> {
        self.stats.counters = self.nic.ethtool_stats().map_err(|e| anyhow!("{e}"))?;
        Ok(self.stats)
    }
}

/// Serve one accepted connection.
pub fn serve_conn(mut sock: TcpStream, cfg: Arc<rustls::ServerConfig>, mode: &Mode) -> Result<ConnStats> {
    let mut conn = rustls::ServerConnection::new(cfg)?;
    handshake(&mut sock, &mut conn)?;
    let version = version_of(conn.protocol_version());
    let secrets = conn.dangerous_extract_secrets()?;
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    let mut ses = Session::new(&mut sim, &sock, version, secrets)?;
    let mut req = Vec::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = sock.read(&mut buf)?;
        if n == 0 {
            break;
        }
        let app = ses.recv(&buf[..n])?;
        match mode {
            Mode::Echo if !app.is_empty() => ses.send(23, &app, &mut sock)?,
            Mode::Http(body) => {
                req.extend_from_slice(&app);
                if req.windows(4).any(|w| w == b"\r\n\r\n") {
                    let mut resp =
                        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                            .into_bytes();
                    resp.extend_from_slice(body);
                    ses.send(23, &resp, &mut sock)?;
                    ses.send(21, &[1, 0], &mut sock)?; // close_notify
                    break;
                }
            }
            _ => {}
        }
    }
    ses.finish()
}

/// `tlsnic connect`: a TLS client on a real socket. Sends `input`, then
/// collects what the server sends until it closes; records through the
/// RTL as for [`serve`].
pub fn connect(
    addr: &str,
    server_name: &str,
    versions: &[&'static rustls::SupportedProtocolVersion],
    input: &[u8],
) -> Result<(Vec<u8>, ConnStats)> {
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.retain(|s| {
        let n = format!("{:?}", s.suite());
        n.contains("AES_128_GCM") || n.contains("AES_256_GCM")
    });
    let mut cfg = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(versions)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAny))
        .with_no_client_auth();
    cfg.enable_secret_extraction = true;
    cfg.resumption = rustls::client::Resumption::disabled();
    let name = rustls::pki_types::ServerName::try_from(server_name.to_string())?;
    let mut conn = rustls::ClientConnection::new(Arc::new(cfg), name)?;
    let mut sock = TcpStream::connect(addr).with_context(|| format!("connecting to {addr}"))?;
    handshake(&mut sock, &mut conn)?;
    let version = version_of(conn.protocol_version());
    let secrets = conn.dangerous_extract_secrets()?;
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    let mut ses = Session::new(&mut sim, &sock, version, secrets)?;
    for chunk in input.chunks(16_384 * 4) {
        ses.send(23, chunk, &mut sock)?;
    }
    let mut out = Vec::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = sock.read(&mut buf)?;
        if n == 0 {
            break;
        }
        out.extend(ses.recv(&buf[..n])?);
    }
    Ok((out, ses.finish()?))
}

/// A certificate verifier that accepts any server (like `curl -k`): the
/// tool talks to test peers with self-signed certificates.
#[derive(Debug)]
struct AcceptAny;

impl rustls::client::danger::ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &rustls::pki_types::CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            m,
            c,
            d,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &rustls::pki_types::CertificateDer<'_>,
        d: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            m,
            c,
            d,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        rustls::crypto::ring::default_provider().signature_verification_algorithms.supported_schemes()
    }
}

/// `tlsnic serve`: accept connections (`once`: one) and serve them.
pub fn serve(listen: &str, cert: &Path, key: &Path, mode: Mode, once: bool) -> Result<()> {
    let cfg = server_config(cert, key)?;
    let l = TcpListener::bind(listen).with_context(|| format!("listening on {listen}"))?;
    eprintln!("tlsnic serve: listening on {}", l.local_addr()?);
    for s in l.incoming() {
        let s = s?;
        let peer = s.peer_addr()?;
        match serve_conn(s, cfg.clone(), &mode) {
            Ok(st) => {
                eprintln!("{peer}: {} application bytes received, {} sent; statistics:", st.rx_bytes, st.tx_bytes);
                eprint!("{}", tlsnic_driver::stats::format(&st.counters));
            }
            Err(e) => eprintln!("{peer}: {e:#}"),
        }
        if once {
            break;
        }
    }
    Ok(())
}
