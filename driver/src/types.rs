//! Types shared by the kTLS model, the record helpers and the driver model:
//! TLS version and cipher, the crypto state `tls_dev_add` receives, context
//! ids and device errors, connection addressing, and TCP sequence
//! arithmetic modulo 2^32.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Size of the AEAD tag every record carries (AES-GCM).
pub const TLS_TAG_SIZE: usize = 16;

/// TLS protocol version of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsVersion {
    /// TLS 1.2 (explicit 8-byte nonce in every record).
    V12,
    /// TLS 1.3 (nonce from the IV and record number; inner content type).
    V13,
}

impl TlsVersion {
    /// Bytes before the record's data: header (5) plus, for TLS 1.2, the
    /// explicit nonce (8) (`prot_info.prepend_size`).
    pub const fn prepend_size(self) -> usize {
        match self {
            TlsVersion::V12 => 13,
            TlsVersion::V13 => 5,
        }
    }

    /// Bytes after the data and before the tag: the TLS 1.3 inner content
    /// type (`prot_info.tail_size`; the kernel sends no padding).
    pub const fn tail_size(self) -> usize {
        match self {
            TlsVersion::V12 => 0,
            TlsVersion::V13 => 1,
        }
    }

    /// Bytes a record adds around its data: 29 (TLS 1.2) or 22 (TLS 1.3).
    pub const fn overhead(self) -> usize {
        self.prepend_size() + self.tail_size() + TLS_TAG_SIZE
    }

    /// The `version` field of `tls12_crypto_info_*` (`TLS_1_2_VERSION`,
    /// `TLS_1_3_VERSION`); the record header always carries 03 03.
    pub const fn kernel_version(self) -> u16 {
        match self {
            TlsVersion::V12 => 0x0303,
            TlsVersion::V13 => 0x0304,
        }
    }
}

/// AEAD of a connection (the two the kernel offloads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cipher {
    /// AES-128-GCM (`TLS_CIPHER_AES_GCM_128`).
    Aes128Gcm,
    /// AES-256-GCM (`TLS_CIPHER_AES_GCM_256`).
    Aes256Gcm,
}

impl Cipher {
    /// Key size in bytes.
    pub const fn key_size(self) -> usize {
        match self {
            Cipher::Aes128Gcm => 16,
            Cipher::Aes256Gcm => 32,
        }
    }

    /// The `cipher_type` of `tls12_crypto_info_*` (51, 52).
    pub const fn kernel_cipher_type(self) -> u16 {
        match self {
            Cipher::Aes128Gcm => 51,
            Cipher::Aes256Gcm => 52,
        }
    }

    /// The cipher whose key is `len` bytes long.
    pub const fn from_key_size(len: usize) -> Option<Cipher> {
        match len {
            16 => Some(Cipher::Aes128Gcm),
            32 => Some(Cipher::Aes256Gcm),
            _ => None,
        }
    }
}

/// Invalid crypto state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoInfoError {
    /// The key does not fit the cipher.
    #[error("{cipher:?} takes a {want}-byte key, got {got} bytes")]
    KeyLength {
        /// The cipher.
        cipher: Cipher,
        /// Its key size.
        want: usize,
        /// The key's length.
        got: usize,
    },
}

/// What `tls_dev_add` receives in `crypto_info`, mirroring
/// `tls12_crypto_info_aes_gcm_{128,256}` (`{version, cipher_type; iv[8];
/// key[16|32]; salt[4]; rec_seq[8]}`).
///
/// For TLS 1.2 `iv` is the explicit nonce of the first record (the kernel
/// writes `iv + records sent` into each record, see
/// [`crate::record::explicit_nonce`]) and the GCM nonce is `salt || explicit
/// nonce`. For TLS 1.3 the 12-byte IV is `salt || iv` and the nonce of
/// record `n` is that IV XOR `0^4 || n`.
///
/// `Debug` does not print the key.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsCryptoInfo {
    /// Protocol version.
    pub version: TlsVersion,
    /// AEAD.
    pub cipher: Cipher,
    /// AES key: 16 bytes (AES-128-GCM) or 32 bytes (AES-256-GCM).
    pub key: Vec<u8>,
    /// TLS 1.2: explicit nonce of the first record; TLS 1.3: last 8 bytes of
    /// the IV.
    pub iv: [u8; 8],
    /// TLS 1.2: implicit nonce part; TLS 1.3: first 4 bytes of the IV.
    pub salt: [u8; 4],
    /// Record sequence number of the next record (the first offloaded one).
    pub rec_seq: u64,
}

impl TlsCryptoInfo {
    /// Crypto state, checked.
    pub fn new(
        version: TlsVersion,
        cipher: Cipher,
        key: impl Into<Vec<u8>>,
        iv: [u8; 8],
        salt: [u8; 4],
        rec_seq: u64,
    ) -> Result<Self, CryptoInfoError> {
        let info = TlsCryptoInfo { version, cipher, key: key.into(), iv, salt, rec_seq };
        info.validate()?;
        Ok(info)
    }

    /// The key length matches the cipher.
    pub fn validate(&self) -> Result<(), CryptoInfoError> {
        let want = self.cipher.key_size();
        if self.key.len() != want {
            return Err(CryptoInfoError::KeyLength { cipher: self.cipher, want, got: self.key.len() });
        }
        Ok(())
    }

    /// `salt || iv`: the TLS 1.3 IV, and the TLS 1.2 nonce of the first
    /// record.
    pub fn iv12(&self) -> [u8; 12] {
        let mut v = [0u8; 12];
        v[..4].copy_from_slice(&self.salt);
        v[4..].copy_from_slice(&self.iv);
        v
    }
}

impl fmt::Debug for TlsCryptoInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsCryptoInfo")
            .field("version", &self.version)
            .field("cipher", &self.cipher)
            .field("key", &format_args!("<{} bytes>", self.key.len()))
            .field("iv", &self.iv)
            .field("salt", &self.salt)
            .field("rec_seq", &self.rec_seq)
            .finish()
    }
}

/// Offload direction (`enum tls_offload_ctx_dir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `TLS_OFFLOAD_CTX_DIR_TX`.
    Tx,
    /// `TLS_OFFLOAD_CTX_DIR_RX`.
    Rx,
}

/// A device context id, as the device returned it from context
/// installation (mlx5: the TIS number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CtxId(pub u32);

impl fmt::Display for CtxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ctx {}", self.0)
    }
}

/// Errors of the device interface and of the `tlsdev_ops` calls built on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// No free context: the connection stays in software (`TLS_SW`) for
    /// its whole life.
    #[error("device context table full")]
    TableFull,
    /// No such context.
    #[error("no such context: {0}")]
    NoContext(CtxId),
    /// The crypto state cannot be offloaded.
    #[error("crypto state: {0}")]
    CryptoInfo(#[from] CryptoInfoError),
    /// The operation is not supported (e.g. an RX context on a TX-only
    /// device, or a TX resync for a context that rebuilds state by DUMP).
    #[error("not supported: {0}")]
    Unsupported(&'static str),
    /// The work queue has no room.
    #[error("device work queue full")]
    QueueFull,
    /// The device refused the command.
    #[error("device rejected the command: {0}")]
    Rejected(String),
}

/// The addresses and ports of a TCP connection, IPv4 or IPv6, as the
/// sender sees them (source = local).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowKey {
    /// IPv4.
    V4 {
        /// Source address.
        saddr: Ipv4Addr,
        /// Destination address.
        daddr: Ipv4Addr,
        /// Source port.
        sport: u16,
        /// Destination port.
        dport: u16,
    },
    /// IPv6.
    V6 {
        /// Source address.
        saddr: Ipv6Addr,
        /// Destination address.
        daddr: Ipv6Addr,
        /// Source port.
        sport: u16,
        /// Destination port.
        dport: u16,
    },
}

/// The kernel's name for [`FlowKey`].
pub type FourTuple = FlowKey;

impl FlowKey {
    /// Whether the addresses are IPv6.
    pub fn is_ipv6(&self) -> bool {
        matches!(self, FlowKey::V6 { .. })
    }

    /// Source address.
    pub fn saddr(&self) -> IpAddr {
        match *self {
            FlowKey::V4 { saddr, .. } => saddr.into(),
            FlowKey::V6 { saddr, .. } => saddr.into(),
        }
    }

    /// Destination address.
    pub fn daddr(&self) -> IpAddr {
        match *self {
            FlowKey::V4 { daddr, .. } => daddr.into(),
            FlowKey::V6 { daddr, .. } => daddr.into(),
        }
    }

    /// Source port.
    pub fn sport(&self) -> u16 {
        match *self {
            FlowKey::V4 { sport, .. } | FlowKey::V6 { sport, .. } => sport,
        }
    }

    /// Destination port.
    pub fn dport(&self) -> u16 {
        match *self {
            FlowKey::V4 { dport, .. } | FlowKey::V6 { dport, .. } => dport,
        }
    }

    /// The same connection seen from the other end.
    pub fn reversed(&self) -> FlowKey {
        match *self {
            FlowKey::V4 { saddr, daddr, sport, dport } => {
                FlowKey::V4 { saddr: daddr, daddr: saddr, sport: dport, dport: sport }
            }
            FlowKey::V6 { saddr, daddr, sport, dport } => {
                FlowKey::V6 { saddr: daddr, daddr: saddr, sport: dport, dport: sport }
            }
        }
    }
}

/// TCP sequence comparison modulo 2^32: `a` before `b` (the kernel's
/// `before()`).
pub fn seq_before(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// `a` after `b` (the kernel's `after()`).
pub fn seq_after(a: u32, b: u32) -> bool {
    seq_before(b, a)
}

/// `low <= seq <= high` modulo 2^32 (the kernel's `between()`: inclusive at
/// both ends, measured from `low`).
pub fn seq_between(seq: u32, low: u32, high: u32) -> bool {
    high.wrapping_sub(low) >= seq.wrapping_sub(low)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_arithmetic_wraps() {
        assert!(seq_before(u32::MAX, 0));
        assert!(seq_after(0, u32::MAX));
        assert!(!seq_before(5, 5) && !seq_after(5, 5));
        assert!(seq_before(0x7fff_ffff, 0xffff_fff0));
        assert!(seq_between(2, u32::MAX - 1, 3));
        assert!(seq_between(u32::MAX - 1, u32::MAX - 1, 3), "inclusive low");
        assert!(seq_between(3, u32::MAX - 1, 3), "inclusive high");
        assert!(!seq_between(4, u32::MAX - 1, 3));
        assert!(!seq_between(u32::MAX - 2, u32::MAX - 1, 3));
    }

    #[test]
    fn sizes_follow_init_prot_info() {
        assert_eq!((TlsVersion::V12.prepend_size(), TlsVersion::V12.overhead()), (13, 29));
        assert_eq!((TlsVersion::V13.prepend_size(), TlsVersion::V13.overhead()), (5, 22));
        assert_eq!(Cipher::from_key_size(32), Some(Cipher::Aes256Gcm));
        assert_eq!(Cipher::Aes128Gcm.kernel_cipher_type(), 51);
    }

    #[test]
    fn crypto_info_checks_the_key_and_hides_it() {
        let e = TlsCryptoInfo::new(TlsVersion::V12, Cipher::Aes256Gcm, vec![1; 16], [0; 8], [0; 4], 0);
        assert_eq!(e.unwrap_err(), CryptoInfoError::KeyLength { cipher: Cipher::Aes256Gcm, want: 32, got: 16 });
        let i = TlsCryptoInfo::new(TlsVersion::V13, Cipher::Aes128Gcm, vec![0xab; 16], [2; 8], [1; 4], 7).unwrap();
        assert_eq!(i.iv12(), [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
        assert!(!format!("{i:?}").contains("171"), "key bytes (0xab = 171) must not be printed");
    }

    #[test]
    fn flow_key_accessors() {
        let k = FlowKey::V4 { saddr: [10, 0, 0, 1].into(), daddr: [10, 0, 0, 2].into(), sport: 1, dport: 443 };
        assert!(!k.is_ipv6());
        assert_eq!((k.reversed().sport(), k.reversed().daddr()), (443, IpAddr::from([10, 0, 0, 1])));
    }
}
