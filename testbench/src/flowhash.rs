//! The RX flow table's placement rule, written from its documentation
//! (docs/rx.md, "Flow table"), to predict which flows the device can hold.
//!
//! A flow's key is 37 bytes: the IPv6 flag (0 or 1), the source and the
//! destination address (16 bytes each; IPv4 in the first 4, zeros after),
//! the source and the destination port (big endian). Its hash is CRC-32C
//! (Castagnoli: reflected polynomial 0x82F63B78, initial value and final XOR
//! 0xFFFFFFFF); bank 0's bucket is `h mod buckets`, bank 1's
//! `(h >> 16) mod buckets`, with `buckets = N_CTX / ways` (at least 2),
//! `ways` the bucket size the device reports in `RX_FLOW_WAYS`.

use tlsnic_driver::types::FlowKey;

/// CRC-32C of `data`, bit by bit.
pub fn crc32c(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0x82F6_3B78 } else { c >> 1 };
        }
    }
    !c
}

/// The 37 key bytes of `flow`.
pub fn key_bytes(flow: &FlowKey) -> Vec<u8> {
    let mut k = Vec::with_capacity(37);
    let (v6, sa, da, sp, dp): (u8, [u8; 16], [u8; 16], u16, u16) = match *flow {
        FlowKey::V4 { saddr, daddr, sport, dport } => {
            let mut s = [0u8; 16];
            let mut d = [0u8; 16];
            s[..4].copy_from_slice(&saddr.octets());
            d[..4].copy_from_slice(&daddr.octets());
            (0, s, d, sport, dport)
        }
        FlowKey::V6 { saddr, daddr, sport, dport } => (1, saddr.octets(), daddr.octets(), sport, dport),
    };
    k.push(v6);
    k.extend_from_slice(&sa);
    k.extend_from_slice(&da);
    k.extend_from_slice(&sp.to_be_bytes());
    k.extend_from_slice(&dp.to_be_bytes());
    k
}

/// Number of buckets per bank for a table of `n_ctx` contexts in buckets of
/// `ways` entries.
pub fn buckets(n_ctx: usize, ways: usize) -> usize {
    (n_ctx / ways).max(2)
}

/// The (bank 0, bank 1) buckets `flow` may live in.
pub fn bucket_pair(flow: &FlowKey, n_ctx: usize, ways: usize) -> (usize, usize) {
    let h = crc32c(&key_bytes(flow)) as usize;
    let n = buckets(n_ctx, ways);
    (h % n, (h >> 16) % n)
}

#[cfg(test)]
mod tests {
    use super::crc32c;

    /// The CRC-32C check value (RFC 3720 appendix B.4 / the Rocksoft
    /// catalogue: "123456789" -> 0xE3069283).
    #[test]
    fn crc32c_check_value() {
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(&[0u8; 32]), 0x8A91_36AA);
    }
}
