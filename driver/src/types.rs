//! Types shared by the kTLS and driver models.

/// TLS protocol version of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2 (explicit 8-byte nonce in every record).
    V12,
    /// TLS 1.3 (nonce from the IV and record number; inner content type).
    V13,
}

/// What `tls_dev_add` receives in `crypto_info`
/// (`tls12_crypto_info_aes_gcm_{128,256}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CryptoInfo {
    /// Protocol version.
    pub version: TlsVersion,
    /// AES key: 16 bytes (AES-128-GCM) or 32 bytes (AES-256-GCM).
    pub key: Vec<u8>,
    /// TLS 1.2: salt; TLS 1.3: first 4 bytes of the IV.
    pub salt: [u8; 4],
    /// TLS 1.2: first explicit nonce; TLS 1.3: last 8 bytes of the IV.
    pub iv: [u8; 8],
    /// Record sequence number of the first offloaded record.
    pub rec_seq: u64,
}

impl CryptoInfo {
    /// salt || iv: the 12 bytes the device's IV registers take.
    pub fn iv12(&self) -> [u8; 12] {
        let mut v = [0u8; 12];
        v[..4].copy_from_slice(&self.salt);
        v[4..].copy_from_slice(&self.iv);
        v
    }

    /// Bytes a record adds around its data.
    pub fn overhead(&self) -> usize {
        match self.version {
            TlsVersion::V12 => 5 + 8 + 16,
            TlsVersion::V13 => 5 + 1 + 16,
        }
    }
}

/// TCP sequence comparison modulo 2^32: `a` before `b`.
pub fn seq_before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}
