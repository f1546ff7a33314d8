//! Where key material lives in the device, read through the simulator's
//! back door ([`Sim::secret_regs`]), and what may remain of it after
//! `tls_dev_del`.
//!
//! Two checks: the registers that hold a context's key, IV or GHASH key
//! (context tables, working copies, gcm_core, command staging) must be zero
//! once nothing uses them; the AES pipes' round-key windows, which always
//! hold the round keys of whatever key their input carries, must hold no
//! round key of a deleted key. Round keys come from the FIPS-197 key
//! expansion written out below (its own S-box, computed from the field
//! inverse), not from the RTL.

use tlsnic_sim::{SecretReg, Sim};

/// The AES S-box, computed: multiplicative inverse in GF(2^8) mod
/// x^8 + x^4 + x^3 + x + 1, then the affine map (FIPS-197 5.1.1).
fn sbox() -> [u8; 256] {
    fn mul(mut a: u8, mut b: u8) -> u8 {
        let mut p = 0u8;
        while b != 0 {
            if b & 1 != 0 {
                p ^= a;
            }
            let hi = a & 0x80;
            a <<= 1;
            if hi != 0 {
                a ^= 0x1b;
            }
            b >>= 1;
        }
        p
    }
    let mut s = [0u8; 256];
    for (x, out) in s.iter_mut().enumerate() {
        // x^254 = x^-1 (0 for 0)
        let mut inv = 1u8;
        for _ in 0..254 {
            inv = mul(inv, x as u8);
        }
        if x == 0 {
            inv = 0;
        }
        *out = inv ^ inv.rotate_left(1) ^ inv.rotate_left(2) ^ inv.rotate_left(3) ^ inv.rotate_left(4) ^ 0x63;
    }
    s
}

/// The round keys of an AES-128 or AES-256 `key` (11 or 15 of them), by
/// the FIPS-197 key expansion.
///
/// # Panics
/// If `key` is not 16 or 32 bytes.
pub fn aes_round_keys(key: &[u8]) -> Vec<[u8; 16]> {
    assert!(key.len() == 16 || key.len() == 32, "AES key of {} bytes", key.len());
    let sb = sbox();
    let nk = key.len() / 4;
    let nr = nk + 6;
    let mut w: Vec<[u8; 4]> = key.chunks(4).map(|c| [c[0], c[1], c[2], c[3]]).collect();
    let mut rcon = 1u8;
    for i in nk..4 * (nr + 1) {
        let mut t = w[i - 1];
        if i % nk == 0 {
            t = [sb[t[1] as usize] ^ rcon, sb[t[2] as usize], sb[t[3] as usize], sb[t[0] as usize]];
            rcon = (rcon << 1) ^ if rcon & 0x80 != 0 { 0x1b } else { 0 };
        } else if nk > 6 && i % nk == 4 {
            t = t.map(|b| sb[b as usize]);
        }
        let p = w[i - nk];
        w.push([p[0] ^ t[0], p[1] ^ t[1], p[2] ^ t[2], p[3] ^ t[3]]);
    }
    w.chunks(4)
        .map(|c| {
            let mut rk = [0u8; 16];
            for (j, word) in c.iter().enumerate() {
                rk[4 * j..4 * j + 4].copy_from_slice(word);
            }
            rk
        })
        .collect()
}

/// A register's value as bytes, most significant first (the RTL keeps byte
/// 0 of a key or block in its top bits).
fn be_bytes(r: &SecretReg) -> Vec<u8> {
    r.words.iter().rev().flat_map(|w| w.to_be_bytes()).collect()
}

fn is_window(r: &SecretReg) -> bool {
    r.name.ends_with("window_reg")
}

fn label(r: &SecretReg) -> String {
    format!("{}[{}]", r.name.replace("__DOT__", "."), r.index)
}

/// Registers other than the AES round-key windows that hold a nonzero
/// value, as `name[index]`, optionally only those whose name contains
/// `filter`.
pub fn nonzero(sim: &Sim, filter: &str) -> Vec<String> {
    sim.secret_regs()
        .iter()
        .filter(|r| !is_window(r) && r.name.contains(filter) && r.words.iter().any(|&w| w != 0))
        .map(label)
        .collect()
}

/// The context-table entries of context `ctx` in engine `engine` (`u_tx`
/// or `u_rx`): key, H, H^2, IV.
pub fn slot(sim: &Sim, engine: &str, ctx: u32) -> Vec<(String, Vec<u8>)> {
    sim.secret_regs()
        .iter()
        .filter(|r| r.name.starts_with(&format!("{engine}__DOT__c_")) && r.index == ctx)
        .map(|r| (label(r), be_bytes(r)))
        .collect()
}

/// The nonzero key entries of engine `engine`'s context table (`u_tx`
/// or `u_rx`): (context, the 32 key bytes; an AES-128 key is the first 16).
pub fn table_keys(sim: &Sim, engine: &str) -> Vec<(u32, Vec<u8>)> {
    sim.secret_regs()
        .iter()
        .filter(|r| r.name == format!("{engine}__DOT__c_key") && r.words.iter().any(|&w| w != 0))
        .map(|r| (r.index, be_bytes(r)))
        .collect()
}

/// The round-key window entries (`name[stage]`) that hold a round key of
/// one of `keys`.
pub fn windows_holding(sim: &Sim, keys: &[Vec<u8>]) -> Vec<String> {
    let rks: Vec<[u8; 16]> = keys.iter().flat_map(|k| aes_round_keys(k)).collect();
    sim.secret_regs()
        .iter()
        .filter(|r| is_window(r))
        .filter(|r| {
            let b = be_bytes(r);
            b.chunks(16).any(|half| rks.iter().any(|rk| rk[..] == *half))
        })
        .map(label)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::aes_round_keys;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// FIPS-197 appendix A.1 and A.3: the last round key of the example
    /// expansions.
    #[test]
    fn fips197_key_expansion_examples() {
        let k128 = aes_round_keys(&hex("2b7e151628aed2a6abf7158809cf4f3c"));
        assert_eq!(k128.len(), 11);
        assert_eq!(k128[10].to_vec(), hex("d014f9a8c9ee2589e13f0cc8b6630ca6"));
        let k256 = aes_round_keys(&hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"));
        assert_eq!(k256.len(), 15);
        assert_eq!(k256[14].to_vec(), hex("fe4890d1e6188d0b046df344706c631e"));
    }
}
