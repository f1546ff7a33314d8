//! `tlsnic replay`: TLS connections from a packet capture and an NSS key
//! log, replayed through the Verilated RX path and the kernel RX model.
//!
//! For each TCP connection of the capture: reassemble both directions, read
//! the clear-text handshake (ClientHello and ServerHello: randoms, version,
//! cipher suite), derive the traffic keys from the key log (TLS 1.3:
//! HKDF-Expand-Label from `CLIENT/SERVER_TRAFFIC_SECRET_0`; TLS 1.2: the PRF
//! key block from `CLIENT_RANDOM`'s master secret), find the first record
//! protected by the application keys (trial decryption: record 0 of the
//! application keys in TLS 1.3, the record after the Finished in TLS 1.2),
//! install an RX context there for each direction and push every frame of
//! the capture through the device and the host model. Captured segments
//! larger than 1448 bytes (loopback captures coalesce) are cut into 1448-byte
//! frames first, as a NIC with a 1500-byte MTU would receive them, and TCP
//! checksums left unfilled by checksum offload on the capturing host are
//! filled in.

use crate::rx::SimRxDevice;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::blocks::enhanced_packet::{EnhancedPacketBlock, EnhancedPacketOption};
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;
use pcap_file::pcapng::{Block, PcapNgReader, PcapNgWriter};
use pcap_file::DataLink;
use sha2::{Digest, Sha256, Sha384};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;
use tls_parser::{
    parse_tls_plaintext, parse_tls_server_hello_extensions, TlsExtension, TlsMessage, TlsMessageHandshake,
};
use tlsnic_driver::record::RecordCipher;
use tlsnic_driver::rx_device::{RxDevice, RxMeta, RxResyncMode};
use tlsnic_driver::rx_host::{RxDriver, RxDriverConfig};
use tlsnic_driver::tcp::{fix_tcp_checksum, parse, FrameTemplate};
use tlsnic_driver::types::{Cipher, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_sim::Sim;

/// One frame of a capture: its timestamp and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapFrame {
    /// Time since the epoch, as captured.
    pub ts: Duration,
    /// The Ethernet frame.
    pub data: Vec<u8>,
}

/// Frames of a pcap or pcapng capture (Ethernet link type; frames cut
/// short by the snap length are left out). A capture truncated inside its
/// last record (capture stopped mid-write) keeps the complete ones.
pub fn read_capture(b: &[u8]) -> Result<Vec<CapFrame>, String> {
    if b.len() < 4 {
        return Err("capture shorter than a pcap header".into());
    }
    if b[..4] == [0x0A, 0x0D, 0x0D, 0x0A] {
        return read_pcapng(b);
    }
    let mut r = PcapReader::new(b).map_err(|e| format!("not a pcap or pcapng file: {e}"))?;
    let link = r.header().datalink;
    if link != DataLink::ETHERNET {
        return Err(format!("link type {link:?} is not Ethernet"));
    }
    let mut out = Vec::new();
    while let Some(p) = r.next_packet() {
        let Ok(p) = p else { break }; // truncated last record
        if p.data.len() == p.orig_len as usize {
            out.push(CapFrame { ts: p.timestamp, data: p.data.into_owned() });
        }
    }
    Ok(out)
}

fn read_pcapng(b: &[u8]) -> Result<Vec<CapFrame>, String> {
    let mut r = PcapNgReader::new(b).map_err(|e| format!("pcapng: {e}"))?;
    let mut out = Vec::new();
    let mut links = Vec::new(); // link type per interface id
    while let Some(blk) = r.next_block() {
        let Ok(blk) = blk else { break }; // truncated last block
        match blk {
            Block::SectionHeader(_) => links.clear(), // interface ids restart
            Block::InterfaceDescription(i) => links.push(i.linktype),
            Block::EnhancedPacket(p) => {
                let eth = links.get(p.interface_id as usize) == Some(&DataLink::ETHERNET);
                if eth && p.data.len() == p.original_len as usize {
                    out.push(CapFrame { ts: p.timestamp, data: p.data.into_owned() });
                }
            }
            _ => {}
        }
    }
    if out.is_empty() && !links.contains(&DataLink::ETHERNET) {
        return Err("pcapng: no Ethernet interface".into());
    }
    Ok(out)
}

/// One frame as the host received it from the device, for
/// [`write_pcapng`]: the bytes the device delivered (plaintext in place of
/// the record bodies when it decrypted them) and what it said of them.
#[derive(Clone, Debug)]
pub struct HostFrame {
    /// Timestamp of the captured frame it came from.
    pub ts: Duration,
    /// The frame as delivered.
    pub data: Vec<u8>,
    /// `decrypted` or `pass: <reason>`, with the context when the flow hit
    /// one.
    pub comment: String,
    /// The device's descriptor of the frame.
    pub meta: RxMeta,
    /// The cycles `first..last` of the batch the frame came out in
    /// (`Sim::cycle` before and after it): it left the device in one of
    /// them.
    pub cycles: (u64, u64),
}

/// Write `frames` as a pcapng capture (one Ethernet interface, each frame
/// an Enhanced Packet Block with its comment as an `opt_comment` option).
pub fn write_pcapng<W: std::io::Write>(w: W, frames: &[HostFrame]) -> Result<(), String> {
    let e = |e: pcap_file::PcapError| format!("pcapng: {e}");
    let mut wr = PcapNgWriter::new(w).map_err(e)?;
    let idb = InterfaceDescriptionBlock { linktype: DataLink::ETHERNET, snaplen: 0, options: vec![] };
    wr.write_pcapng_block(idb).map_err(e)?;
    for f in frames {
        let epb = EnhancedPacketBlock {
            interface_id: 0,
            timestamp: f.ts,
            original_len: f.data.len() as u32,
            data: Cow::Borrowed(&f.data),
            options: vec![EnhancedPacketOption::Comment(Cow::Borrowed(&f.comment))],
        };
        wr.write_pcapng_block(epb).map_err(e)?;
    }
    Ok(())
}

/// An NSS key log: label -> client random -> secret.
#[derive(Clone, Debug, Default)]
pub struct KeyLog(BTreeMap<(String, Vec<u8>), Vec<u8>>);

/// Parse an NSS key log (`SSLKEYLOGFILE`).
pub fn parse_keylog(text: &str) -> KeyLog {
    let mut k = KeyLog::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() == 3 && !f[0].starts_with('#') {
            if let (Ok(cr), Ok(sec)) = (hex::decode(f[1]), hex::decode(f[2])) {
                k.0.insert((f[0].to_string(), cr), sec);
            }
        }
    }
    k
}

impl KeyLog {
    fn get(&self, label: &str, cr: &[u8]) -> Option<&Vec<u8>> {
        self.0.get(&(label.to_string(), cr.to_vec()))
    }
}

fn hmac_sha(h384: bool, key: &[u8], data: &[&[u8]]) -> Vec<u8> {
    if h384 {
        let mut m = <Hmac<Sha384> as Mac>::new_from_slice(key).expect("any key length");
        data.iter().for_each(|d| m.update(d));
        m.finalize().into_bytes().to_vec()
    } else {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
        data.iter().for_each(|d| m.update(d));
        m.finalize().into_bytes().to_vec()
    }
}

/// TLS 1.3 HKDF-Expand-Label(secret, label, "", len) (RFC 8446 7.1); `None`
/// when the secret is shorter than the hash (a malformed key log).
fn hkdf_expand_label(h384: bool, secret: &[u8], label: &str, len: usize) -> Option<Vec<u8>> {
    let full = format!("tls13 {label}");
    let mut info = vec![(len >> 8) as u8, len as u8, full.len() as u8];
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = vec![0; len];
    // expand fails only for more than 255 hashes of output: never here
    if h384 {
        Hkdf::<Sha384>::from_prk(secret).ok()?.expand(&info, &mut out).ok()?;
    } else {
        Hkdf::<Sha256>::from_prk(secret).ok()?.expand(&info, &mut out).ok()?;
    }
    Some(out)
}

/// TLS 1.2 PRF (P_SHA256 / P_SHA384).
fn prf12(h384: bool, secret: &[u8], label: &str, seed: &[u8], len: usize) -> Vec<u8> {
    let ls: Vec<u8> = label.as_bytes().iter().chain(seed).copied().collect();
    let mut a = hmac_sha(h384, secret, &[&ls]);
    let mut out = Vec::new();
    while out.len() < len {
        out.extend(hmac_sha(h384, secret, &[&a, &ls]));
        a = hmac_sha(h384, secret, &[&a]);
    }
    out.truncate(len);
    out
}

/// One direction's replay result.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DirReport {
    /// "client->server" or "server->client".
    pub direction: String,
    /// Protected records from the first application record on.
    pub records: u64,
    /// Of them, decrypted entirely by the device.
    pub records_device: u64,
    /// Frames of the direction pushed through the device (after re-cutting).
    pub frames: u64,
    /// Frames the device marked decrypted.
    pub frames_decrypted: u64,
    /// Application bytes recovered.
    pub app_bytes: u64,
    /// Their SHA-256.
    pub app_sha256: String,
    /// Error of the connection's kTLS model, if any.
    pub error: Option<String>,
}

/// One connection's replay result.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ConnReport {
    /// Client address and port.
    pub client: String,
    /// Server address and port.
    pub server: String,
    /// "1.2" / "1.3".
    pub version: Option<String>,
    /// IANA cipher suite.
    pub cipher_suite: Option<String>,
    /// Why the connection was skipped.
    pub skipped: Option<String>,
    /// Both directions.
    pub directions: Vec<DirReport>,
}

/// The whole replay.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ReplayReport {
    /// Frames in the capture.
    pub capture_frames: usize,
    /// Connections.
    pub connections: Vec<ConnReport>,
    /// The device's RX statistics.
    pub rx_stats: BTreeMap<String, u64>,
}

struct Stream {
    isn: Option<u32>,
    bytes: BTreeMap<u32, Vec<u8>>, // offset from isn+1 -> data (first copy)
}

impl Stream {
    fn data(&self) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        for (&o, d) in &self.bytes {
            let o = o as usize;
            if o > out.len() {
                break;
            }
            if o + d.len() > out.len() {
                out.extend_from_slice(&d[out.len() - o..]);
            }
        }
        out
    }
}

fn records(stream: &[u8]) -> Vec<(usize, &[u8])> {
    let mut v = Vec::new();
    let mut o = 0;
    while o + 5 <= stream.len() {
        let len = usize::from(u16::from_be_bytes([stream[o + 3], stream[o + 4]]));
        if o + 5 + len > stream.len() {
            break;
        }
        v.push((o, &stream[o..o + 5 + len]));
        o += 5 + len;
    }
    v
}

/// The handshake messages of the clear-text records of a direction
/// (`tls-parser`); records it cannot parse (encrypted ones) are skipped.
fn handshakes(stream: &[u8]) -> impl Iterator<Item = TlsMessageHandshake<'_>> {
    records(stream)
        .into_iter()
        .filter(|(_, r)| r[0] == 22)
        .filter_map(|(_, r)| parse_tls_plaintext(r).ok().map(|(_, p)| p.msg))
        .flatten()
        .filter_map(|m| match m {
            TlsMessage::Handshake(h) => Some(h),
            _ => None,
        })
}

/// (client random, server random, suite, TLS 1.3) from the clear-text
/// handshake: the ClientHello's random, and the ServerHello's (skipping a
/// HelloRetryRequest, a ServerHello with RFC 8446's fixed random) random,
/// cipher suite and `supported_versions` extension (0x0304: TLS 1.3).
fn hello(c2s: &[u8], s2c: &[u8]) -> Option<([u8; 32], [u8; 32], u16, bool)> {
    const HRR: [u8; 8] = [0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11];
    let cr: [u8; 32] = handshakes(c2s).find_map(|h| match h {
        TlsMessageHandshake::ClientHello(c) => c.random.try_into().ok(),
        _ => None,
    })?;
    handshakes(s2c).find_map(|h| {
        let TlsMessageHandshake::ServerHello(sh) = h else { return None };
        let sr: [u8; 32] = sh.random.try_into().ok()?;
        if sr[..8] == HRR {
            return None;
        }
        let ext = sh.ext.map(|e| parse_tls_server_hello_extensions(e).map(|x| x.1).unwrap_or_default());
        let v13 = ext
            .unwrap_or_default()
            .iter()
            .any(|e| matches!(e, TlsExtension::SupportedVersions(v) if v.contains(&tls_parser::TlsVersion::Tls13)));
        Some((cr, sr, sh.cipher.0, v13))
    })
}

/// The crypto of the first application record of one direction and where it
/// starts (stream offset), found by trial decryption.
fn plan(stream: &[u8], mut info: TlsCryptoInfo) -> Option<(TlsCryptoInfo, usize)> {
    let recs = records(stream);
    for (i, &(off, r)) in recs.iter().enumerate() {
        if r[0] != 23 {
            continue;
        }
        let rec_seq = if info.version == TlsVersion::V13 {
            0
        } else {
            // after ChangeCipherSpec, the Finished is record 0
            let ccs = recs[..i].iter().rposition(|(_, x)| x[0] == 20)?;
            (i - ccs - 1) as u64
        };
        if info.version == TlsVersion::V12 {
            info.iv = r.get(5..13)?.try_into().ok()?;
        }
        info.rec_seq = rec_seq;
        let c = RecordCipher::new(&info).ok()?;
        if c.open(rec_seq, r).is_ok() {
            return Some((info, off));
        }
    }
    None
}

/// One direction's key, salt (implicit nonce / IV head) and IV tail.
type DirKey = (Vec<u8>, [u8; 4], [u8; 8]);

/// Each direction's application bytes, named `conn<i>-<direction>`.
pub type Plaintexts = Vec<(String, Vec<u8>)>;

/// What a replay produced.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// Per connection and direction, and the statistics.
    pub report: ReplayReport,
    /// Each direction's application bytes.
    pub plaintexts: Plaintexts,
    /// Every frame as the device delivered it to the host, in order
    /// ([`write_pcapng`]).
    pub host: Vec<HostFrame>,
}

/// Replay `capture` with `keylog` through a Verilated device.
pub fn replay(sim: &mut Sim, capture: &[u8], keylog: &str) -> Result<Replayed, String> {
    replay_with(sim, capture, keylog, |frames| frames)
}

/// [`replay`], the frames of the capture (re-cut to 1448-byte payloads,
/// checksums filled in, in capture order) delivered to the device as
/// `network` returns them: a network between the capture point and the
/// device may reorder, repeat, delay or change frames. The connections,
/// their keys and where their application records start are taken from
/// the capture as it was.
pub fn replay_with(
    sim: &mut Sim,
    capture: &[u8],
    keylog: &str,
    network: impl FnOnce(Vec<CapFrame>) -> Vec<CapFrame>,
) -> Result<Replayed, String> {
    let frames = read_capture(capture)?;
    let keys = parse_keylog(keylog);
    let mut report = ReplayReport { capture_frames: frames.len(), ..Default::default() };
    // connections by (client key): the SYN's sender is the client
    let mut streams: std::collections::HashMap<FlowKey, Stream> = std::collections::HashMap::new();
    let mut conns: Vec<FlowKey> = Vec::new();
    for f in frames.iter().map(|f| &f.data) {
        let Ok(p) = parse(f) else { continue };
        let syn = p.flags & 0x02 != 0;
        let ack = p.flags & 0x10 != 0;
        if syn && !ack && !conns.contains(&p.key) && !conns.contains(&p.key.reversed()) {
            conns.push(p.key);
        }
        let s = streams.entry(p.key).or_insert(Stream { isn: None, bytes: BTreeMap::new() });
        if syn {
            s.isn = Some(p.seq);
        }
        if let Some(isn) = s.isn {
            if p.payload_len() > 0 {
                let o = p.seq.wrapping_sub(isn.wrapping_add(1));
                s.bytes.entry(o).or_insert_with(|| p.payload_of(f).to_vec());
            }
        }
    }
    let mut drv = RxDriver::new(SimRxDevice::new(sim), RxDriverConfig::default());
    let mut socks = Vec::new(); // (conn index, dir name, flow, sock, report index)
    let mut starts = std::collections::HashMap::new(); // flow -> first application record
    for (ci, &cl) in conns.iter().enumerate() {
        let mut cr = ConnReport {
            client: std::net::SocketAddr::new(cl.saddr(), cl.sport()).to_string(),
            server: std::net::SocketAddr::new(cl.daddr(), cl.dport()).to_string(),
            ..Default::default()
        };
        let (Some(c2s), Some(s2c)) = (streams.get(&cl), streams.get(&cl.reversed())) else {
            cr.skipped = Some("one direction missing from the capture".into());
            report.connections.push(cr);
            continue;
        };
        let (c2s_b, s2c_b) = (c2s.data(), s2c.data());
        let Some((crand, srand, suite, v13)) = hello(&c2s_b, &s2c_b) else {
            cr.skipped = Some("no ClientHello/ServerHello in the capture".into());
            report.connections.push(cr);
            continue;
        };
        cr.version = Some(if v13 { "1.3" } else { "1.2" }.into());
        cr.cipher_suite = Some(format!("{suite:#06x}"));
        let (cipher, h384) = match suite {
            0x1301 => (Cipher::Aes128Gcm, false),
            0x1302 => (Cipher::Aes256Gcm, true),
            0xC02F | 0xC02B | 0x009C => (Cipher::Aes128Gcm, false),
            0xC030 | 0xC02C | 0x009D => (Cipher::Aes256Gcm, true),
            s => {
                cr.skipped = Some(format!("cipher suite {s:#06x} is not AES-GCM (not offloadable)"));
                report.connections.push(cr);
                continue;
            }
        };
        let kl = cipher.key_size();
        let dir_keys: Option<[DirKey; 2]> = if v13 {
            let c = keys.get("CLIENT_TRAFFIC_SECRET_0", &crand);
            let s = keys.get("SERVER_TRAFFIC_SECRET_0", &crand);
            match (c, s) {
                (Some(c), Some(s)) => {
                    let mk = |sec: &Vec<u8>| -> Option<DirKey> {
                        let iv = hkdf_expand_label(h384, sec, "iv", 12)?;
                        Some((
                            hkdf_expand_label(h384, sec, "key", kl)?,
                            iv[..4].try_into().ok()?,
                            iv[4..].try_into().ok()?,
                        ))
                    };
                    mk(c).zip(mk(s)).map(|(c, s)| [c, s])
                }
                _ => None,
            }
        } else {
            keys.get("CLIENT_RANDOM", &crand).map(|ms| {
                let seed: Vec<u8> = srand.iter().chain(&crand).copied().collect();
                let kb = prf12(h384, ms, "key expansion", &seed, 2 * kl + 8);
                let civ: [u8; 4] = kb[2 * kl..2 * kl + 4].try_into().unwrap();
                let siv: [u8; 4] = kb[2 * kl + 4..2 * kl + 8].try_into().unwrap();
                [(kb[..kl].to_vec(), civ, [0u8; 8]), (kb[kl..2 * kl].to_vec(), siv, [0u8; 8])]
            })
        };
        let Some(dk) = dir_keys else {
            cr.skipped = Some("no keys for this connection in the key log".into());
            report.connections.push(cr);
            continue;
        };
        let version = if v13 { TlsVersion::V13 } else { TlsVersion::V12 };
        for (d, (flow, bytes, (key, salt, iv))) in
            [(cl, &c2s_b, &dk[0]), (cl.reversed(), &s2c_b, &dk[1])].into_iter().enumerate()
        {
            let name = if d == 0 { "client->server" } else { "server->client" };
            let info = TlsCryptoInfo::new(version, cipher, key.clone(), *iv, *salt, 0).map_err(|e| e.to_string())?;
            let isn = streams[&flow].isn.unwrap_or(0);
            match plan(bytes, info) {
                Some((info, off)) => {
                    let start = isn.wrapping_add(1).wrapping_add(off as u32);
                    let k = drv.open(flow, info, start, RxResyncMode::StreamScan);
                    starts.insert(flow, start);
                    socks.push((ci, name, flow, k, report.connections.len()));
                }
                None => cr.directions.push(DirReport {
                    direction: name.into(),
                    error: Some("no application record found".into()),
                    ..Default::default()
                }),
            }
        }
        report.connections.push(cr);
    }
    // every TCP frame, re-cut to 1448-byte payloads, in capture order
    let mut wire = Vec::new();
    let mut wire_ts = Vec::new();
    for CapFrame { ts, data: f } in &frames {
        let Ok(p) = parse(f) else { continue };
        if p.payload_len() <= 1448 {
            // a capture taken on the sending host (or loopback) holds the
            // TCP checksum the stack left for offload: fill it in, as the
            // wire would carry it
            let mut g = f.clone();
            fix_tcp_checksum(&mut g, &p);
            wire.push(g);
            wire_ts.push(*ts);
            continue;
        }
        let mut t = FrameTemplate::new(p.key);
        t.ack = p.ack;
        t.flags = p.flags;
        for (i, chunk) in p.payload_of(f).chunks(1448).enumerate() {
            wire.push(t.build(p.seq.wrapping_add((i * 1448) as u32), chunk).map_err(|e| e.to_string())?);
            wire_ts.push(*ts);
        }
    }
    let delivered = network(wire.into_iter().zip(wire_ts).map(|(data, ts)| CapFrame { ts, data }).collect());
    let (wire, wire_ts): (Vec<Vec<u8>>, Vec<Duration>) = delivered.into_iter().map(|f| (f.data, f.ts)).unzip();
    let mut per_flow: std::collections::HashMap<FlowKey, (u64, u64)> = std::collections::HashMap::new();
    let mut host: Vec<HostFrame> = Vec::with_capacity(wire.len());
    for (chunk, ts) in wire.chunks(32).zip(wire_ts.chunks(32)) {
        let first = drv.device().sim.cycle();
        let got = drv.receive(chunk.to_vec());
        let cycles = (first, drv.device().sim.cycle());
        for ((w, g), ts) in chunk.iter().zip(got).zip(ts) {
            // the device's per-frame contract: unmarked frames leave as
            // they came; a decrypted one changes only TCP payload bytes
            let same_headers = parse(w).is_ok_and(|p| g.data.len() == w.len() && g.data[..p.payload] == w[..p.payload]);
            if (!g.meta.decrypted && g.data != *w) || (g.meta.decrypted && !same_headers) {
                return Err(format!(
                    "the device changed a frame it should not have (decrypted: {}, reason {:?}): frame {}; \
                     it left the device in cycles {}..{}",
                    g.meta.decrypted,
                    g.meta.reason,
                    host.len(),
                    cycles.0,
                    cycles.1
                ));
            }
            if let Ok(p) = parse(&g.data) {
                // frames holding protected application records: at or
                // after the first one
                let after = starts.get(&p.key).is_some_and(|&st: &u32| p.seq.wrapping_sub(st) < 1 << 31);
                if p.payload_len() > 0 && after {
                    let e = per_flow.entry(p.key).or_default();
                    e.0 += 1;
                    e.1 += u64::from(g.meta.decrypted);
                }
            }
            let ctx = g.meta.ctx.map(|c| format!(", context {}", c.0)).unwrap_or_default();
            let comment = format!("tlsnic: {}{ctx}", g.meta.reason.label());
            host.push(HostFrame { ts: *ts, data: g.data, comment, meta: g.meta, cycles });
        }
    }
    let mut plaintexts = Vec::new();
    for (ci, name, flow, k, ri) in socks {
        let app = drv.read_app(k);
        let st = drv.socket_stats(k);
        let (fr, fd) = per_flow.get(&flow).copied().unwrap_or_default();
        let sha = hex::encode(Sha256::digest(&app));
        report.connections[ri].directions.push(DirReport {
            direction: name.into(),
            records: st.records,
            records_device: st.records_device,
            frames: fr,
            frames_decrypted: fd,
            app_bytes: app.len() as u64,
            app_sha256: sha,
            error: drv.socket_error(k),
        });
        plaintexts.push((format!("conn{ci}-{name}"), app));
        // the capture is over: the socket closes (tls_dev_del)
        if drv.offloaded(k) {
            drv.close(k).map_err(|e| format!("tls_dev_del: {e}"))?;
        }
    }
    report.rx_stats = drv.device().rx_counters().named().into_iter().map(|(n, v)| (n.to_string(), v)).collect();
    report.rx_stats.extend(drv.stats().named().into_iter().map(|(n, v)| (n.to_string(), v)));
    Ok(Replayed { report, plaintexts, host })
}
