//! Independent AES-GCM reference: the RustCrypto `aes-gcm` crate.
//!
//! Everything the RTL computes is checked against this module, never against
//! values taken from the RTL itself.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm};

/// AES-GCM with a 16- or 32-byte key and a 96-bit IV.
#[derive(Clone)]
pub enum Gcm {
    /// AES-128-GCM.
    Aes128(Box<Aes128Gcm>),
    /// AES-256-GCM.
    Aes256(Box<Aes256Gcm>),
}

/// The key length is neither 16 nor 32 bytes.
#[derive(Debug, thiserror::Error)]
#[error("AES-GCM key must be 16 or 32 bytes, got {0}")]
pub struct BadKeyLength(pub usize);

impl Gcm {
    /// Build the cipher for `key` (16 or 32 bytes).
    pub fn new(key: &[u8]) -> Result<Self, BadKeyLength> {
        match key.len() {
            16 => Ok(Gcm::Aes128(Box::new(Aes128Gcm::new(GenericArray::from_slice(key))))),
            32 => Ok(Gcm::Aes256(Box::new(Aes256Gcm::new(GenericArray::from_slice(key))))),
            n => Err(BadKeyLength(n)),
        }
    }

    /// Encrypt `data` in place; return the 16-byte tag.
    pub fn seal(&self, iv: &[u8; 12], aad: &[u8], data: &mut [u8]) -> [u8; 16] {
        let nonce: &GenericArray<u8, U12> = GenericArray::from_slice(iv);
        let tag = match self {
            Gcm::Aes128(c) => c.encrypt_in_place_detached(nonce, aad, data),
            Gcm::Aes256(c) => c.encrypt_in_place_detached(nonce, aad, data),
        }
        .expect("AES-GCM encryption of a record-sized buffer cannot fail");
        tag.into()
    }

    /// Decrypt `data` in place and verify `tag`; `false` if authentication
    /// fails (then `data` is left as ciphertext).
    pub fn open(&self, iv: &[u8; 12], aad: &[u8], data: &mut [u8], tag: &[u8; 16]) -> bool {
        let nonce: &GenericArray<u8, U12> = GenericArray::from_slice(iv);
        let tag = GenericArray::from_slice(tag);
        match self {
            Gcm::Aes128(c) => c.decrypt_in_place_detached(nonce, aad, data, tag),
            Gcm::Aes256(c) => c.decrypt_in_place_detached(nonce, aad, data, tag),
        }
        .is_ok()
    }
}

/// Parse a hex string (whitespace ignored) into bytes.
///
/// # Panics
/// On an odd number of digits or a non-hex character: only used on constants.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len().is_multiple_of(2), "odd-length hex string");
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).expect("bad hex digit")).collect()
}
