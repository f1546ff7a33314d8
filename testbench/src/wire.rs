//! The scoreboards' own view of a frame on the wire: Ethernet (with VLAN
//! tags), IPv4 or IPv6 and TCP parsed, and the IPv4 header and TCP
//! checksums verified, by the `etherparse` crate. The driver model's `tcp`
//! module and the RTL's parser are written by the same hands; an output
//! frame is accepted only if a parser written by others agrees.

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

/// A TCP segment as `etherparse` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireTcp {
    /// Offset of the TCP payload in the frame.
    pub payload: usize,
    /// TCP payload bytes (from the IP length: Ethernet padding excluded).
    pub payload_len: usize,
    /// TCP sequence number.
    pub seq: u32,
}

impl WireTcp {
    /// The TCP payload of `frame` (the frame this was read from).
    pub fn payload_of<'a>(&self, frame: &'a [u8]) -> &'a [u8] {
        &frame[self.payload..self.payload + self.payload_len]
    }
}

/// Parse `frame` and verify its checksums; the error names what is wrong.
pub fn check(frame: &[u8]) -> Result<WireTcp, String> {
    let p = SlicedPacket::from_ethernet(frame).map_err(|e| format!("etherparse: {e}"))?;
    let Some(TransportSlice::Tcp(tcp)) = &p.transport else {
        return Err("etherparse: not a TCP segment".into());
    };
    let want = match &p.net {
        Some(NetSlice::Ipv4(ip)) => {
            let h = ip.header();
            let sum = h.to_header().calc_header_checksum();
            if sum != h.header_checksum() {
                return Err(format!("IPv4 header checksum {:#06x}, expected {sum:#06x}", h.header_checksum()));
            }
            tcp.calc_checksum_ipv4(h.source(), h.destination())
        }
        Some(NetSlice::Ipv6(ip)) => tcp.calc_checksum_ipv6(ip.header().source(), ip.header().destination()),
        _ => return Err("etherparse: not IPv4 or IPv6".into()),
    }
    .map_err(|e| format!("etherparse: {e}"))?;
    if want != tcp.checksum() {
        return Err(format!("TCP checksum {:#06x}, expected {want:#06x}", tcp.checksum()));
    }
    let pl = tcp.payload();
    Ok(WireTcp {
        payload: pl.as_ptr() as usize - frame.as_ptr() as usize,
        payload_len: pl.len(),
        seq: tcp.sequence_number(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlsnic_driver::tcp::{parse, FrameTemplate};
    use tlsnic_driver::types::FlowKey;

    #[test]
    fn agrees_with_the_frame_builder_and_catches_each_checksum() {
        for key in [
            FlowKey::V4 { saddr: [10, 0, 0, 1].into(), daddr: [10, 0, 0, 2].into(), sport: 443, dport: 50_000 },
            FlowKey::V6 {
                saddr: "fd00::1".parse().unwrap(),
                daddr: "fd00::2".parse().unwrap(),
                sport: 443,
                dport: 50_001,
            },
        ] {
            for (vlan, len) in [(None, 0), (Some(7), 1), (None, 1448)] {
                let mut t = FrameTemplate::new(key);
                t.vlan = vlan;
                let payload: Vec<u8> = (0..len).map(|i| (i * 31) as u8).collect();
                let f = t.build(0xffff_fff0, &payload).unwrap();
                let w = check(&f).unwrap_or_else(|e| panic!("{key:?} {vlan:?} {len}: {e}"));
                let p = parse(&f).unwrap();
                assert_eq!((w.payload, w.payload_len, w.seq), (p.payload, p.payload_len(), 0xffff_fff0));
                assert_eq!(w.payload_of(&f), &payload[..]);
                if len > 0 {
                    let mut g = f.clone();
                    g[w.payload] ^= 1;
                    assert!(check(&g).unwrap_err().contains("TCP checksum"), "{key:?}");
                }
                if matches!(key, FlowKey::V4 { .. }) {
                    let mut g = f.clone();
                    g[p.l3 + 8] ^= 1; // TTL
                    assert!(check(&g).unwrap_err().contains("IPv4 header checksum"));
                }
            }
        }
    }
}
