//! Ethernet / IPv4 / IPv6 / TCP frames as the host stack builds them, with
//! correct IPv4 header and TCP checksums.

/// Addressing of one TCP connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// IPv6 instead of IPv4.
    pub ipv6: bool,
    /// 802.1Q tag (VLAN id) or none.
    pub vlan: Option<u16>,
    /// Source address (IPv4 uses the first 4 bytes).
    pub src: [u8; 16],
    /// Destination address.
    pub dst: [u8; 16],
    /// TCP source port.
    pub sport: u16,
    /// TCP destination port.
    pub dport: u16,
    /// IPv4 option bytes (multiple of 4, at most 40).
    pub ip_opts: usize,
    /// TCP option bytes (multiple of 4, at most 40).
    pub tcp_opts: usize,
}

/// One's-complement sum of `data` as big-endian 16-bit words (odd length
/// padded with a zero byte), folded to 16 bits.
pub fn ones_sum(mut acc: u32, data: &[u8]) -> u32 {
    for c in data.chunks(2) {
        acc += u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0));
    }
    acc
}

fn fold(mut s: u32) -> u16 {
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    s as u16
}

/// Where the parts of a frame are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// L3 offset.
    pub l3: usize,
    /// L4 (TCP) offset.
    pub l4: usize,
    /// First payload byte.
    pub payload: usize,
    /// End of the IP packet.
    pub end: usize,
    /// TCP sequence number.
    pub seq: u32,
    /// IPv6.
    pub ipv6: bool,
}

impl Flow {
    /// Build a frame carrying `payload` at TCP sequence number `seq`, with a
    /// correct IPv4 header checksum and TCP checksum.
    pub fn frame(&self, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
        if let Some(v) = self.vlan {
            f.extend_from_slice(&[0x81, 0x00]);
            f.extend_from_slice(&(v & 0x0fff).to_be_bytes());
        }
        f.extend_from_slice(if self.ipv6 { &[0x86, 0xdd] } else { &[0x08, 0x00] });
        let l3 = f.len();
        let tcp_len = 20 + self.tcp_opts + payload.len();
        if self.ipv6 {
            f.extend_from_slice(&[0x60, 0, 0, 0]);
            f.extend_from_slice(&(tcp_len as u16).to_be_bytes());
            f.extend_from_slice(&[6, 64]);
            f.extend_from_slice(&self.src);
            f.extend_from_slice(&self.dst);
        } else {
            let ihl = 5 + self.ip_opts / 4;
            let total = ihl * 4 + tcp_len;
            f.extend_from_slice(&[0x40 | ihl as u8, 0]);
            f.extend_from_slice(&(total as u16).to_be_bytes());
            f.extend_from_slice(&[0x12, 0x34, 0x40, 0, 64, 6, 0, 0]);
            f.extend_from_slice(&self.src[..4]);
            f.extend_from_slice(&self.dst[..4]);
            f.extend(std::iter::repeat_n(1u8, self.ip_opts)); // NOP options
            let c = !fold(ones_sum(0, &f[l3..]));
            f[l3 + 10..l3 + 12].copy_from_slice(&c.to_be_bytes());
        }
        let l4 = f.len();
        f.extend_from_slice(&self.sport.to_be_bytes());
        f.extend_from_slice(&self.dport.to_be_bytes());
        f.extend_from_slice(&seq.to_be_bytes());
        f.extend_from_slice(&0x0102_0304u32.to_be_bytes());
        f.push(((5 + self.tcp_opts / 4) as u8) << 4);
        f.extend_from_slice(&[0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend(std::iter::repeat_n(1u8, self.tcp_opts));
        f.extend_from_slice(payload);
        let c = !fold(tcp_sum(&f, l3, l4, self.ipv6));
        f[l4 + 16..l4 + 18].copy_from_slice(&c.to_be_bytes());
        while f.len() < 60 {
            f.push(0); // Ethernet padding
        }
        f
    }
}

/// Pseudo-header plus TCP segment sum (checksum field included as is).
fn tcp_sum(f: &[u8], l3: usize, l4: usize, ipv6: bool) -> u32 {
    let end = ip_end(f, l3, ipv6);
    let len = (end - l4) as u32;
    let mut s = if ipv6 { ones_sum(0, &f[l3 + 8..l3 + 40]) } else { ones_sum(0, &f[l3 + 12..l3 + 20]) };
    s += 6 + len;
    ones_sum(s, &f[l4..end])
}

fn ip_end(f: &[u8], l3: usize, ipv6: bool) -> usize {
    if ipv6 {
        l3 + 40 + usize::from(u16::from_be_bytes([f[l3 + 4], f[l3 + 5]]))
    } else {
        l3 + usize::from(u16::from_be_bytes([f[l3 + 2], f[l3 + 3]]))
    }
}

/// Parse a TCP frame built by [`Flow::frame`] (or its encrypted version).
pub fn parse(f: &[u8]) -> Option<Parsed> {
    let mut l3 = 14;
    let mut et = u16::from_be_bytes([f[12], f[13]]);
    if et == 0x8100 {
        et = u16::from_be_bytes([f[16], f[17]]);
        l3 = 18;
    }
    let ipv6 = match et {
        0x0800 => false,
        0x86dd => true,
        _ => return None,
    };
    let l4 = if ipv6 { l3 + 40 } else { l3 + 4 * usize::from(f[l3] & 0xf) };
    let payload = l4 + 4 * usize::from(f[l4 + 12] >> 4);
    let end = ip_end(f, l3, ipv6);
    let seq = u32::from_be_bytes(f[l4 + 4..l4 + 8].try_into().ok()?);
    Some(Parsed { l3, l4, payload, end, seq, ipv6 })
}

/// Whether the IPv4 header checksum (if IPv4) and TCP checksum verify.
pub fn checksums_ok(f: &[u8]) -> bool {
    let Some(p) = parse(f) else { return false };
    if !p.ipv6 && fold(ones_sum(0, &f[p.l3..p.l4])) != 0xffff {
        return false;
    }
    fold(tcp_sum(f, p.l3, p.l4, p.ipv6)) == 0xffff
}
