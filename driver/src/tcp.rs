//! TCP transmission as the host stack does it, for the TX models:
//!
//! - segmentation ("TSO"): cutting the byte stream into segments of at most
//!   the MSS, never across an end-of-record (EOR) boundary, and
//!   retransmission of any unacknowledged byte range ([`segment`],
//!   [`TcpSender`]);
//! - frames: Ethernet II (optionally one 802.1Q tag), IPv4 (optionally with
//!   options) or IPv6 (no extension headers), TCP (optionally with options),
//!   with correct IPv4 header and TCP checksums over the payload given
//!   ([`FrameTemplate::build`]); a TLS_HW device re-computes the TCP
//!   checksum after encrypting;
//! - parsing and checksum validation for receivers and scoreboards
//!   ([`parse`], [`verify_checksums`]), and re-computing the TCP checksum
//!   after a payload rewrite ([`fix_tcp_checksum`]).

use crate::types::{seq_before, FlowKey};

/// Largest MSS the models segment with (jumbo frames).
pub const MAX_MSS: usize = 9000;
/// Smallest Ethernet frame without FCS; shorter frames are zero-padded.
pub const ETH_MIN_FRAME: usize = 60;
/// Ethertype of IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// Ethertype of IPv6.
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
/// Ethertype of an 802.1Q tag.
pub const ETHERTYPE_VLAN: u16 = 0x8100;
/// IP protocol number of TCP.
pub const IPPROTO_TCP: u8 = 6;

/// TCP header flags.
pub mod tcp_flags {
    /// FIN.
    pub const FIN: u8 = 0x01;
    /// SYN.
    pub const SYN: u8 = 0x02;
    /// RST.
    pub const RST: u8 = 0x04;
    /// PSH.
    pub const PSH: u8 = 0x08;
    /// ACK.
    pub const ACK: u8 = 0x10;
}

/// Errors of segmentation and frame building.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TcpError {
    /// MSS outside 1..=[`MAX_MSS`].
    #[error("MSS {0} is outside 1..={MAX_MSS}")]
    Mss(usize),
    /// Options not a multiple of 4 bytes, longer than 40, or IPv4 options
    /// on an IPv6 flow.
    #[error("{what} options of {len} bytes (multiple of 4, at most 40; IPv4 only for IP options)")]
    Options {
        /// "IP" or "TCP".
        what: &'static str,
        /// Their length.
        len: usize,
    },
    /// VLAN id above 4095.
    #[error("VLAN id {0} is above 4095")]
    Vlan(u16),
    /// The IP packet would exceed 65535 bytes.
    #[error("IP packet of {0} bytes is too long")]
    TooLong(usize),
    /// A range outside what the sender holds (before `snd_una`, after
    /// `snd_nxt`, or an acknowledgement beyond `snd_nxt`).
    #[error("range [{seq:#x}, +{len}) is outside the unacknowledged data [{una:#x}, {nxt:#x})")]
    Range {
        /// Start.
        seq: u32,
        /// Length.
        len: usize,
        /// `snd_una`.
        una: u32,
        /// `snd_nxt`.
        nxt: u32,
    },
}

/// A TCP segment of the byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Sequence number of the first byte.
    pub seq: u32,
    /// Payload bytes.
    pub len: usize,
}

impl Segment {
    /// Sequence number after the last byte.
    pub fn end(&self) -> u32 {
        self.seq.wrapping_add(self.len as u32)
    }
}

fn check_mss(mss: usize) -> Result<(), TcpError> {
    if (1..=MAX_MSS).contains(&mss) {
        Ok(())
    } else {
        Err(TcpError::Mss(mss))
    }
}

/// Cut the stream range `[from, to)` into segments of at most `mss` bytes,
/// starting a new segment at every sequence number in `eor` (positions the
/// kernel marked end-of-record before: the offload start, a TX resync
/// record). Modulo 2^32; `from == to` gives no segment.
pub fn segment(from: u32, to: u32, mss: usize, eor: &[u32]) -> Result<Vec<Segment>, TcpError> {
    check_mss(mss)?;
    let mut out = Vec::new();
    let mut s = from;
    while s != to {
        let left = to.wrapping_sub(s) as usize;
        // Distance to the nearest boundary strictly inside (s, to).
        let to_eor = eor.iter().map(|&b| b.wrapping_sub(s) as usize).filter(|&d| d > 0 && d < left).min();
        let n = mss.min(left).min(to_eor.unwrap_or(usize::MAX));
        out.push(Segment { seq: s, len: n });
        s = s.wrapping_add(n as u32);
    }
    Ok(out)
}

/// The sender's view of a connection's byte stream: what was sent
/// (`snd_nxt`) and what was acknowledged (`snd_una`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpSender {
    snd_una: u32,
    snd_nxt: u32,
}

impl TcpSender {
    /// A sender whose next byte to send (and oldest unacknowledged byte) is
    /// `start`.
    pub fn new(start: u32) -> Self {
        TcpSender { snd_una: start, snd_nxt: start }
    }

    /// Oldest unacknowledged sequence number.
    pub fn snd_una(&self) -> u32 {
        self.snd_una
    }

    /// Next new sequence number to send.
    pub fn snd_nxt(&self) -> u32 {
        self.snd_nxt
    }

    /// A TSO burst of new data: up to `max_segs` segments of the data
    /// written up to `write_seq`, each at most `mss` bytes, breaking at `eor`.
    pub fn send(&mut self, write_seq: u32, mss: usize, eor: &[u32], max_segs: usize) -> Result<Vec<Segment>, TcpError> {
        let mut segs = segment(self.snd_nxt, write_seq, mss, eor)?;
        segs.truncate(max_segs);
        if let Some(last) = segs.last() {
            self.snd_nxt = last.end();
        }
        Ok(segs)
    }

    /// Retransmission of `[seq, seq + len)`, which must lie within the
    /// unacknowledged data, cut with the current `mss`.
    pub fn retransmit(&self, seq: u32, len: usize, mss: usize, eor: &[u32]) -> Result<Vec<Segment>, TcpError> {
        let end = seq.wrapping_add(len as u32);
        let inside = !seq_before(seq, self.snd_una)
            && !seq_before(self.snd_nxt, end)
            && len <= self.snd_nxt.wrapping_sub(self.snd_una) as usize;
        if !inside {
            return Err(TcpError::Range { seq, len, una: self.snd_una, nxt: self.snd_nxt });
        }
        segment(seq, end, mss, eor)
    }

    /// The peer acknowledged everything before `ack` (old acknowledgements
    /// are ignored; one beyond `snd_nxt` is an error).
    pub fn ack(&mut self, ack: u32) -> Result<(), TcpError> {
        if seq_before(self.snd_nxt, ack) {
            return Err(TcpError::Range { seq: ack, len: 0, una: self.snd_una, nxt: self.snd_nxt });
        }
        if seq_before(self.snd_una, ack) {
            self.snd_una = ack;
        }
        Ok(())
    }
}

/// Everything in a data frame of one connection except the sequence number
/// and the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameTemplate {
    /// Addresses and ports.
    pub key: FlowKey,
    /// Destination MAC.
    pub dst_mac: [u8; 6],
    /// Source MAC.
    pub src_mac: [u8; 6],
    /// 802.1Q VLAN id (priority 0), or untagged.
    pub vlan: Option<u16>,
    /// IPv4 options (multiple of 4 bytes, at most 40); IPv6 has none.
    pub ip_options: Vec<u8>,
    /// TCP options (multiple of 4 bytes, at most 40).
    pub tcp_options: Vec<u8>,
    /// IPv4 TTL / IPv6 hop limit.
    pub ttl: u8,
    /// IPv4 identification.
    pub ip_id: u16,
    /// Acknowledgement number.
    pub ack: u32,
    /// TCP flags.
    pub flags: u8,
    /// Receive window.
    pub window: u16,
}

impl FrameTemplate {
    /// Untagged, no options, PSH|ACK, TTL 64.
    pub fn new(key: FlowKey) -> Self {
        FrameTemplate {
            key,
            dst_mac: [0x02, 0, 0, 0, 0, 1],
            src_mac: [0x02, 0, 0, 0, 0, 2],
            vlan: None,
            ip_options: Vec::new(),
            tcp_options: Vec::new(),
            ttl: 64,
            ip_id: 0,
            ack: 0,
            flags: tcp_flags::PSH | tcp_flags::ACK,
            window: 0xffff,
        }
    }

    /// Bytes before the TCP payload.
    pub fn header_len(&self) -> usize {
        let l2 = if self.vlan.is_some() { 18 } else { 14 };
        let l3 = if self.key.is_ipv6() { 40 } else { 20 + self.ip_options.len() };
        l2 + l3 + 20 + self.tcp_options.len()
    }

    fn validate(&self) -> Result<(), TcpError> {
        let bad = |o: &Vec<u8>| !o.len().is_multiple_of(4) || o.len() > 40;
        if bad(&self.ip_options) || (self.key.is_ipv6() && !self.ip_options.is_empty()) {
            return Err(TcpError::Options { what: "IP", len: self.ip_options.len() });
        }
        if bad(&self.tcp_options) {
            return Err(TcpError::Options { what: "TCP", len: self.tcp_options.len() });
        }
        match self.vlan {
            Some(v) if v > 0x0fff => Err(TcpError::Vlan(v)),
            _ => Ok(()),
        }
    }

    /// The frame carrying `payload` at sequence number `seq`, with correct
    /// IPv4 header and TCP checksums, zero-padded to 60 bytes.
    pub fn build(&self, seq: u32, payload: &[u8]) -> Result<Vec<u8>, TcpError> {
        self.validate()?;
        let tcp_len = 20 + self.tcp_options.len() + payload.len();
        let mut f = Vec::with_capacity(self.header_len() + payload.len());
        f.extend_from_slice(&self.dst_mac);
        f.extend_from_slice(&self.src_mac);
        if let Some(v) = self.vlan {
            f.extend_from_slice(&ETHERTYPE_VLAN.to_be_bytes());
            f.extend_from_slice(&v.to_be_bytes());
        }
        let l3 = f.len() + 2;
        match self.key {
            FlowKey::V4 { saddr, daddr, .. } => {
                let ihl = 5 + self.ip_options.len() / 4;
                let total = ihl * 4 + tcp_len;
                if total > 0xffff {
                    return Err(TcpError::TooLong(total));
                }
                f.extend_from_slice(&ETHERTYPE_IPV4.to_be_bytes());
                f.extend_from_slice(&[0x40 | ihl as u8, 0]);
                f.extend_from_slice(&(total as u16).to_be_bytes());
                f.extend_from_slice(&self.ip_id.to_be_bytes());
                f.extend_from_slice(&[0x40, 0, self.ttl, IPPROTO_TCP, 0, 0]); // DF
                f.extend_from_slice(&saddr.octets());
                f.extend_from_slice(&daddr.octets());
                f.extend_from_slice(&self.ip_options);
                let c = ipv4_header_checksum(&f[l3..]);
                f[l3 + 10..l3 + 12].copy_from_slice(&c.to_be_bytes());
            }
            FlowKey::V6 { saddr, daddr, .. } => {
                if tcp_len > 0xffff {
                    return Err(TcpError::TooLong(40 + tcp_len));
                }
                f.extend_from_slice(&ETHERTYPE_IPV6.to_be_bytes());
                f.extend_from_slice(&[0x60, 0, 0, 0]);
                f.extend_from_slice(&(tcp_len as u16).to_be_bytes());
                f.extend_from_slice(&[IPPROTO_TCP, self.ttl]);
                f.extend_from_slice(&saddr.octets());
                f.extend_from_slice(&daddr.octets());
            }
        }
        let l4 = f.len();
        f.extend_from_slice(&self.key.sport().to_be_bytes());
        f.extend_from_slice(&self.key.dport().to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&self.ack.to_be_bytes());
        f.push(((5 + self.tcp_options.len() / 4) as u8) << 4);
        f.push(self.flags);
        f.extend_from_slice(&self.window.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
        f.extend_from_slice(&self.tcp_options);
        f.extend_from_slice(payload);
        let p = Layout { l3, l4, end: f.len(), ipv6: self.key.is_ipv6() };
        let c = tcp_checksum_of(&f, &p);
        f[l4 + 16..l4 + 18].copy_from_slice(&c.to_be_bytes());
        if f.len() < ETH_MIN_FRAME {
            f.resize(ETH_MIN_FRAME, 0);
        }
        Ok(f)
    }
}

/// Why a frame is not an IPv4/IPv6 TCP frame the models handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The frame ends before a header does.
    #[error("frame of {have} bytes ends inside the {what} header ({need} bytes needed)")]
    Short {
        /// Which header.
        what: &'static str,
        /// Bytes needed.
        need: usize,
        /// Frame length.
        have: usize,
    },
    /// Neither IPv4 nor IPv6 (after at most one VLAN tag).
    #[error("ethertype {0:#06x} is not IPv4 or IPv6")]
    Ethertype(u16),
    /// IP version field disagrees with the ethertype, or IHL < 5.
    #[error("bad IP header (version/IHL byte {0:#04x})")]
    IpHeader(u8),
    /// IP length fields disagree with the frame or the headers.
    #[error("IP length {0} does not fit the frame")]
    IpLength(usize),
    /// IPv4 fragment.
    #[error("IPv4 fragment")]
    Fragment,
    /// Not TCP (IPv6: also any extension header).
    #[error("IP protocol / next header {0} is not TCP")]
    NotTcp(u8),
    /// TCP data offset below 5 or beyond the packet.
    #[error("TCP data offset {0} is invalid")]
    DataOffset(u8),
}

/// Where the parts of a TCP frame are, and its addressing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedFrame {
    /// VLAN id, if tagged.
    pub vlan: Option<u16>,
    /// Offset of the IP header.
    pub l3: usize,
    /// Offset of the TCP header.
    pub l4: usize,
    /// Offset of the first payload byte.
    pub payload: usize,
    /// End of the IP packet (Ethernet padding follows).
    pub end: usize,
    /// IPv6 (else IPv4).
    pub ipv6: bool,
    /// Addresses and ports.
    pub key: FlowKey,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgement number.
    pub ack: u32,
    /// Flags.
    pub flags: u8,
}

impl ParsedFrame {
    /// TCP payload length.
    pub fn payload_len(&self) -> usize {
        self.end - self.payload
    }

    /// The TCP payload of `frame` (the frame this was parsed from).
    pub fn payload_of<'a>(&self, frame: &'a [u8]) -> &'a [u8] {
        &frame[self.payload..self.end]
    }

    fn layout(&self) -> Layout {
        Layout { l3: self.l3, l4: self.l4, end: self.end, ipv6: self.ipv6 }
    }
}

fn need(f: &[u8], what: &'static str, n: usize) -> Result<(), ParseError> {
    if f.len() < n {
        Err(ParseError::Short { what, need: n, have: f.len() })
    } else {
        Ok(())
    }
}

fn be16(f: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([f[at], f[at + 1]])
}

fn be32(f: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([f[at], f[at + 1], f[at + 2], f[at + 3]])
}

/// Parse an Ethernet II frame (at most one 802.1Q tag) carrying TCP over
/// IPv4 (options allowed, no fragments) or IPv6 (no extension headers).
pub fn parse(f: &[u8]) -> Result<ParsedFrame, ParseError> {
    need(f, "Ethernet", 14)?;
    let (mut et, mut l3, mut vlan) = (be16(f, 12), 14, None);
    if et == ETHERTYPE_VLAN {
        need(f, "802.1Q", 18)?;
        vlan = Some(be16(f, 14) & 0x0fff);
        et = be16(f, 16);
        l3 = 18;
    }
    let (ipv6, l4, end) = match et {
        ETHERTYPE_IPV4 => {
            need(f, "IPv4", l3 + 20)?;
            let vihl = f[l3];
            let ihl = usize::from(vihl & 0x0f) * 4;
            if vihl >> 4 != 4 || ihl < 20 {
                return Err(ParseError::IpHeader(vihl));
            }
            need(f, "IPv4 options", l3 + ihl)?;
            let total = usize::from(be16(f, l3 + 2));
            if total < ihl || l3 + total > f.len() {
                return Err(ParseError::IpLength(total));
            }
            if be16(f, l3 + 6) & 0x3fff != 0 {
                return Err(ParseError::Fragment);
            }
            if f[l3 + 9] != IPPROTO_TCP {
                return Err(ParseError::NotTcp(f[l3 + 9]));
            }
            (false, l3 + ihl, l3 + total)
        }
        ETHERTYPE_IPV6 => {
            need(f, "IPv6", l3 + 40)?;
            if f[l3] >> 4 != 6 {
                return Err(ParseError::IpHeader(f[l3]));
            }
            let plen = usize::from(be16(f, l3 + 4));
            if l3 + 40 + plen > f.len() {
                return Err(ParseError::IpLength(plen));
            }
            if f[l3 + 6] != IPPROTO_TCP {
                return Err(ParseError::NotTcp(f[l3 + 6]));
            }
            (true, l3 + 40, l3 + 40 + plen)
        }
        other => return Err(ParseError::Ethertype(other)),
    };
    if end < l4 + 20 {
        return Err(ParseError::IpLength(end - l3));
    }
    let doff = f[l4 + 12] >> 4;
    let payload = l4 + 4 * usize::from(doff);
    if doff < 5 || payload > end {
        return Err(ParseError::DataOffset(doff));
    }
    let (sport, dport) = (be16(f, l4), be16(f, l4 + 2));
    let key = if ipv6 {
        let a = |at: usize| <[u8; 16]>::try_from(&f[at..at + 16]).expect("16 bytes").into();
        FlowKey::V6 { saddr: a(l3 + 8), daddr: a(l3 + 24), sport, dport }
    } else {
        let a = |at: usize| <[u8; 4]>::try_from(&f[at..at + 4]).expect("4 bytes").into();
        FlowKey::V4 { saddr: a(l3 + 12), daddr: a(l3 + 16), sport, dport }
    };
    Ok(ParsedFrame {
        vlan,
        l3,
        l4,
        payload,
        end,
        ipv6,
        key,
        seq: be32(f, l4 + 4),
        ack: be32(f, l4 + 8),
        flags: f[l4 + 13],
    })
}

/// A checksum that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumError {
    /// Not a frame [`parse`] accepts.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// IPv4 header checksum.
    #[error("IPv4 header checksum {found:#06x}, expected {expected:#06x}")]
    Ipv4Header {
        /// In the frame.
        found: u16,
        /// Computed.
        expected: u16,
    },
    /// TCP checksum.
    #[error("TCP checksum {found:#06x}, expected {expected:#06x}")]
    Tcp {
        /// In the frame.
        found: u16,
        /// Computed.
        expected: u16,
    },
}

/// Parse `frame` and verify its IPv4 header checksum (IPv4) and TCP
/// checksum.
pub fn verify_checksums(frame: &[u8]) -> Result<ParsedFrame, ChecksumError> {
    let p = parse(frame)?;
    if !p.ipv6 {
        let found = be16(frame, p.l3 + 10);
        let mut h = frame[p.l3..p.l4].to_vec();
        h[10..12].fill(0);
        let expected = ipv4_header_checksum(&h);
        if found != expected {
            return Err(ChecksumError::Ipv4Header { found, expected });
        }
    }
    let found = be16(frame, p.l4 + 16);
    let expected = tcp_checksum(frame, &p);
    if found != expected {
        return Err(ChecksumError::Tcp { found, expected });
    }
    Ok(p)
}

/// Whether `frame` parses and its checksums verify.
pub fn checksums_ok(frame: &[u8]) -> bool {
    verify_checksums(frame).is_ok()
}

/// One's-complement sum of `data` as big-endian 16-bit words (an odd
/// trailing byte padded with zero), added to `acc`, not folded.
pub fn ones_sum(mut acc: u32, data: &[u8]) -> u32 {
    let mut it = data.chunks_exact(2);
    for c in &mut it {
        acc += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [b] = it.remainder() {
        acc += u32::from(*b) << 8;
    }
    acc
}

fn fold(mut s: u32) -> u16 {
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

/// The checksum of an IPv4 header whose checksum field is zero.
pub fn ipv4_header_checksum(header: &[u8]) -> u16 {
    !fold(ones_sum(0, header))
}

#[derive(Clone, Copy)]
struct Layout {
    l3: usize,
    l4: usize,
    end: usize,
    ipv6: bool,
}

/// TCP checksum over pseudo-header and segment, the checksum field counted
/// as zero.
fn tcp_checksum_of(f: &[u8], p: &Layout) -> u16 {
    let len = (p.end - p.l4) as u32;
    let mut s = if p.ipv6 { ones_sum(0, &f[p.l3 + 8..p.l3 + 40]) } else { ones_sum(0, &f[p.l3 + 12..p.l3 + 20]) };
    s += u32::from(IPPROTO_TCP) + (len >> 16) + (len & 0xffff);
    s = ones_sum(s, &f[p.l4..p.l4 + 16]);
    s = ones_sum(s, &f[p.l4 + 18..p.end]);
    !fold(s)
}

/// The TCP checksum `frame` should carry (whatever its field holds now).
pub fn tcp_checksum(frame: &[u8], p: &ParsedFrame) -> u16 {
    tcp_checksum_of(frame, &p.layout())
}

/// Re-compute the TCP checksum of `frame` in place, after its payload was
/// rewritten (what a TLS_HW device does after encryption).
pub fn fix_tcp_checksum(frame: &mut [u8], p: &ParsedFrame) {
    let c = tcp_checksum(frame, p);
    frame[p.l4 + 16..p.l4 + 18].copy_from_slice(&c.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4() -> FlowKey {
        FlowKey::V4 { saddr: [192, 168, 0, 1].into(), daddr: [192, 168, 0, 199].into(), sport: 40000, dport: 443 }
    }

    fn v6() -> FlowKey {
        FlowKey::V6 {
            saddr: "2001:db8::1".parse().unwrap(),
            daddr: "2001:db8::2".parse().unwrap(),
            sport: 1234,
            dport: 443,
        }
    }

    /// Reference TCP checksum: a plain sum over a freshly assembled
    /// pseudo-header and segment, folded once at the end (64-bit).
    fn reference_tcp_checksum(src: &[u8], dst: &[u8], seg: &[u8]) -> u16 {
        let mut bytes = [src, dst].concat();
        if src.len() == 4 {
            bytes.extend_from_slice(&[0, 6]);
            bytes.extend_from_slice(&(seg.len() as u16).to_be_bytes());
        } else {
            bytes.extend_from_slice(&(seg.len() as u32).to_be_bytes());
            bytes.extend_from_slice(&[0, 0, 0, 6]);
        }
        let mut s = seg.to_vec();
        s[16] = 0;
        s[17] = 0;
        bytes.extend_from_slice(&s);
        if bytes.len() % 2 == 1 {
            bytes.push(0);
        }
        let mut sum: u64 = bytes.chunks(2).map(|c| u64::from(c[0]) << 8 | u64::from(c[1])).sum();
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        !(sum as u16)
    }

    #[test]
    fn ipv4_header_checksum_matches_the_textbook_example() {
        // The classic example header 4500 0073 0000 4000 4011 ---- c0a8 0001 c0a8 00c7: checksum b861.
        let h = [0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7];
        assert_eq!(ipv4_header_checksum(&h), 0xb861);
    }

    #[test]
    fn frames_round_trip_with_valid_checksums() {
        for key in [v4(), v6()] {
            for vlan in [None, Some(5)] {
                for (ipo, tcpo) in [(0, 0), (4, 12), (40, 40)] {
                    if key.is_ipv6() && ipo > 0 {
                        continue;
                    }
                    for n in [0usize, 1, 7, 1448, 9000] {
                        let mut t = FrameTemplate::new(key);
                        t.vlan = vlan;
                        t.ip_options = vec![1; ipo];
                        t.tcp_options = vec![1; tcpo];
                        t.ack = 0xdead_beef;
                        let payload: Vec<u8> = (0..n).map(|i| (i * 31) as u8).collect();
                        let f = t.build(0xffff_fff0, &payload).unwrap();
                        let p = verify_checksums(&f).unwrap();
                        assert_eq!(f.len(), (t.header_len() + n).max(ETH_MIN_FRAME));
                        assert_eq!(
                            (p.key, p.vlan, p.seq, p.ack, p.ipv6),
                            (key, vlan, 0xffff_fff0, 0xdead_beef, key.is_ipv6())
                        );
                        assert_eq!(p.payload_of(&f), &payload[..]);
                        let (src, dst) = match key {
                            FlowKey::V4 { saddr, daddr, .. } => (saddr.octets().to_vec(), daddr.octets().to_vec()),
                            FlowKey::V6 { saddr, daddr, .. } => (saddr.octets().to_vec(), daddr.octets().to_vec()),
                        };
                        let want = reference_tcp_checksum(&src, &dst, &f[p.l4..p.end]);
                        assert_eq!(tcp_checksum(&f, &p), want, "{key:?} n={n}");
                    }
                }
            }
        }
    }

    #[test]
    fn corrupted_frames_fail_validation() {
        let f = FrameTemplate::new(v4()).build(7, b"hello").unwrap();
        let p = parse(&f).unwrap();
        let mut g = f.clone();
        g[p.payload] ^= 1;
        assert!(matches!(verify_checksums(&g), Err(ChecksumError::Tcp { .. })));
        fix_tcp_checksum(&mut g, &p);
        assert!(checksums_ok(&g), "fixed after a payload rewrite");
        let mut g = f.clone();
        g[p.l3 + 8] -= 1; // TTL
        assert!(matches!(verify_checksums(&g), Err(ChecksumError::Ipv4Header { .. })));
        let mut g = f.clone();
        g[p.l3 + 9] = 17;
        assert_eq!(parse(&g), Err(ParseError::NotTcp(17)));
        assert!(matches!(parse(&f[..30]), Err(ParseError::Short { .. })));
        let mut g = f.clone();
        g[12] = 0x88;
        assert!(matches!(parse(&g), Err(ParseError::Ethertype(_))));
        let mut g = f;
        g[p.l4 + 12] = 0x40;
        assert_eq!(parse(&g), Err(ParseError::DataOffset(4)));
    }

    #[test]
    fn builder_rejects_bad_options() {
        let mut t = FrameTemplate::new(v6());
        t.ip_options = vec![1; 4];
        assert!(matches!(t.build(0, &[]), Err(TcpError::Options { what: "IP", .. })));
        let mut t = FrameTemplate::new(v4());
        t.tcp_options = vec![1; 6];
        assert!(matches!(t.build(0, &[]), Err(TcpError::Options { what: "TCP", .. })));
        t.tcp_options = vec![1; 44];
        assert!(t.build(0, &[]).is_err());
        t.tcp_options.clear();
        t.vlan = Some(4096);
        assert_eq!(t.build(0, &[]), Err(TcpError::Vlan(4096)));
    }

    #[test]
    fn segmentation_respects_mss_and_eor() {
        let from = u32::MAX - 9;
        let to = from.wrapping_add(100);
        for mss in [1usize, 7, 33, 100, 9000] {
            let eor = [from.wrapping_add(15), from.wrapping_add(64), to, from];
            let segs = segment(from, to, mss, &eor).unwrap();
            assert_eq!(segs.iter().map(|s| s.len).sum::<usize>(), 100);
            assert!(segs.iter().all(|s| s.len >= 1 && s.len <= mss));
            assert!(segs.windows(2).all(|w| w[0].end() == w[1].seq));
            for b in &eor[..2] {
                assert!(segs.iter().any(|s| s.seq == *b), "a segment starts at {b:#x} (mss {mss})");
            }
        }
        assert_eq!(segment(5, 5, 10, &[]).unwrap(), vec![]);
        assert_eq!(segment(0, 10, 0, &[]), Err(TcpError::Mss(0)));
        assert_eq!(segment(0, 10, 9001, &[]), Err(TcpError::Mss(9001)));
    }

    #[test]
    fn sender_tracks_sent_and_acknowledged_data() {
        let mut s = TcpSender::new(u32::MAX - 5);
        let burst = s.send(20, 4, &[], 3).unwrap();
        assert_eq!(burst.len(), 3);
        assert_eq!(s.snd_nxt(), (u32::MAX - 5).wrapping_add(12));
        let again = s.retransmit(u32::MAX - 3, 6, 5, &[]).unwrap();
        assert_eq!(again, vec![Segment { seq: u32::MAX - 3, len: 5 }, Segment { seq: 1, len: 1 }]);
        assert!(s.retransmit(u32::MAX - 6, 2, 5, &[]).is_err(), "before snd_una");
        assert!(s.retransmit(5, 2, 5, &[]).is_err(), "beyond snd_nxt");
        s.ack(2).unwrap();
        assert_eq!(s.snd_una(), 2);
        s.ack(u32::MAX).unwrap(); // old: ignored
        assert_eq!(s.snd_una(), 2);
        assert!(s.ack(100).is_err());
        assert!(s.retransmit(u32::MAX - 3, 1, 5, &[]).is_err(), "acknowledged");
    }
}
