//! TLS record protection with AES-GCM (RustCrypto `aes-gcm`), for TLS 1.2
//! and TLS 1.3, in the layouts the kernel uses:
//!
//! - TLS 1.2: `type | 03 03 | len | explicit_nonce[8] | ct[n] | tag[16]`,
//!   len = n + 24, nonce = salt || explicit nonce (read from the record),
//!   AAD = rec_seq (8, BE) || type || 03 03 || n (2, BE).
//! - TLS 1.3: `17 | 03 03 | len | ct[n + 1] | tag[16]`, len = n + 17, the
//!   inner content type is the last plaintext byte (no padding is sent),
//!   nonce = (salt || iv) XOR (0^4 || rec_seq, BE), AAD = the 5-byte header.
//!
//! Three jobs: the *plaintext record* the kernel hands to a `TLS_HW` device
//! ([`plaintext_record`]: header, explicit nonce, data, inner type, and 16
//! zero bytes where the device writes the tag), full software encryption of
//! such a record in place ([`RecordCipher::seal_in_place`], the software
//! fallback), and decryption with verification of a wire record
//! ([`RecordCipher::open`], the receiver side of every test).
//!
//! ```
//! use tlsnic_driver::record::{content_type, explicit_nonce, plaintext_record, RecordCipher};
//! use tlsnic_driver::types::{Cipher, TlsCryptoInfo, TlsVersion};
//!
//! let info = TlsCryptoInfo::new(TlsVersion::V12, Cipher::Aes128Gcm, [7u8; 16], [0; 8], [1; 4], 42)?;
//! let c = RecordCipher::new(&info)?;
//! let mut rec = plaintext_record(TlsVersion::V12, content_type::APPLICATION_DATA, explicit_nonce(info.iv, 0), b"hi")?;
//! c.seal_in_place(info.rec_seq, &mut rec)?;
//! let opened = c.open(info.rec_seq, &rec)?;
//! assert_eq!((opened.content_type, &opened.plaintext[..]), (23, &b"hi"[..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::types::{Cipher, CryptoInfoError, TlsCryptoInfo, TlsVersion};
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce, Tag};

pub use crate::types::TLS_TAG_SIZE;

/// Record header size.
pub const TLS_HEADER_SIZE: usize = 5;
/// TLS 1.2 explicit nonce size.
pub const TLS12_EXPLICIT_NONCE_SIZE: usize = 8;
/// Largest record payload (`TLS_MAX_PAYLOAD_SIZE`).
pub const TLS_MAX_PAYLOAD: usize = 16_384;
/// Largest TLS 1.2 ciphertext length field (RFC 5246: 2^14 + 2048).
pub const TLS12_MAX_LEN: usize = TLS_MAX_PAYLOAD + 2048;
/// Largest TLS 1.3 ciphertext length field (RFC 8446: 2^14 + 256).
pub const TLS13_MAX_LEN: usize = TLS_MAX_PAYLOAD + 256;

/// TLS content types.
pub mod content_type {
    /// change_cipher_spec.
    pub const CHANGE_CIPHER_SPEC: u8 = 20;
    /// alert.
    pub const ALERT: u8 = 21;
    /// handshake.
    pub const HANDSHAKE: u8 = 22;
    /// application_data; also the outer type of every TLS 1.3 record.
    pub const APPLICATION_DATA: u8 = 23;
}

/// Why a record could not be built, protected or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The key does not fit the cipher.
    #[error(transparent)]
    Key(#[from] CryptoInfoError),
    /// Fewer bytes than a header, or than the header's length field says.
    #[error("truncated record: {have} bytes, {need} needed")]
    Truncated {
        /// Bytes present.
        have: usize,
        /// Bytes the header asks for.
        need: usize,
    },
    /// More bytes than the header's length field says.
    #[error("record is {actual} bytes but its header says {declared}")]
    Length {
        /// Header length + 5.
        declared: usize,
        /// Bytes given.
        actual: usize,
    },
    /// Header version is not 03 03.
    #[error("record version {0:02x?} is not 03 03")]
    Version([u8; 2]),
    /// TLS 1.3 outer content type other than application_data.
    #[error("TLS 1.3 outer content type {0} (must be 23)")]
    OuterType(u8),
    /// Length field below the version's overhead.
    #[error("record length {0} is below the minimum")]
    TooShort(usize),
    /// Length field above the protocol limit.
    #[error("record length {0} is above the maximum")]
    TooLong(usize),
    /// More payload than one record carries.
    #[error("{0} bytes of data do not fit a record (max {TLS_MAX_PAYLOAD})")]
    DataTooLong(usize),
    /// The tag does not verify.
    #[error("authentication failed")]
    Auth,
    /// TLS 1.3 inner plaintext with no content type (all zero).
    #[error("TLS 1.3 record has no inner content type")]
    NoContentType,
}

/// The TLS 1.2 explicit nonce the kernel writes into the record sent
/// `records_sent` records after the crypto state was installed:
/// `crypto_info.iv + records_sent` as an 8-byte big-endian number
/// (`tls_advance_record_sn` increments the IV with the record number; the
/// two start from different values and need not be equal).
pub fn explicit_nonce(iv: [u8; 8], records_sent: u64) -> [u8; 8] {
    u64::from_be_bytes(iv).wrapping_add(records_sent).to_be_bytes()
}

/// The record as the kernel hands it to a `TLS_HW` device: header, TLS 1.2
/// explicit nonce, `data` in clear, TLS 1.3 inner content type, and 16 zero
/// bytes where the device writes the tag. `explicit_nonce` is ignored for
/// TLS 1.3; for TLS 1.2 the header type is `content_type`, for TLS 1.3 it is
/// application_data and `content_type` is the inner type.
pub fn plaintext_record(
    version: TlsVersion,
    content_type: u8,
    explicit_nonce: [u8; 8],
    data: &[u8],
) -> Result<Vec<u8>, RecordError> {
    if data.len() > TLS_MAX_PAYLOAD {
        return Err(RecordError::DataTooLong(data.len()));
    }
    let len = data.len() + version.overhead() - TLS_HEADER_SIZE;
    let mut r = Vec::with_capacity(TLS_HEADER_SIZE + len);
    let outer = match version {
        TlsVersion::V12 => content_type,
        TlsVersion::V13 => content_type::APPLICATION_DATA,
    };
    r.extend_from_slice(&[outer, 3, 3]);
    r.extend_from_slice(&(len as u16).to_be_bytes());
    if version == TlsVersion::V12 {
        r.extend_from_slice(&explicit_nonce);
    }
    r.extend_from_slice(data);
    if version == TlsVersion::V13 {
        r.push(content_type);
    }
    r.resize(r.len() + TLS_TAG_SIZE, 0);
    Ok(r)
}

/// Total length (header included) of the record whose header starts
/// `bytes`, if the header is complete.
pub fn record_len(bytes: &[u8]) -> Option<usize> {
    (bytes.len() >= TLS_HEADER_SIZE).then(|| TLS_HEADER_SIZE + usize::from(u16::from_be_bytes([bytes[3], bytes[4]])))
}

/// Cut a byte stream that starts on a record boundary into whole records
/// by their length fields. A trailing partial record is an error.
pub fn split_records(mut stream: &[u8]) -> Result<Vec<&[u8]>, RecordError> {
    let mut out = Vec::new();
    while !stream.is_empty() {
        let need = record_len(stream).unwrap_or(TLS_HEADER_SIZE);
        if stream.len() < need {
            return Err(RecordError::Truncated { have: stream.len(), need });
        }
        let (rec, rest) = stream.split_at(need);
        out.push(rec);
        stream = rest;
    }
    Ok(out)
}

/// A decrypted and authenticated record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedRecord {
    /// Content type (TLS 1.3: the inner one).
    pub content_type: u8,
    /// The data.
    pub plaintext: Vec<u8>,
}

enum Aead {
    Aes128(Box<Aes128Gcm>),
    Aes256(Box<Aes256Gcm>),
}

/// Where the protected part of a checked record is.
struct Layout {
    /// Byte range encrypted (TLS 1.3: data and inner type).
    body: std::ops::Range<usize>,
}

/// One direction's record protection state: version, AEAD key, salt and
/// IV. The record sequence number is an argument of every call, as the
/// kernel's software fallback and a device context supply it.
pub struct RecordCipher {
    version: TlsVersion,
    aead: Aead,
    iv12: [u8; 12],
}

impl std::fmt::Debug for RecordCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordCipher").field("version", &self.version).finish_non_exhaustive()
    }
}

impl RecordCipher {
    /// The cipher of `info` (its `rec_seq` is not kept).
    pub fn new(info: &TlsCryptoInfo) -> Result<Self, RecordError> {
        info.validate()?;
        let aead = match info.cipher {
            Cipher::Aes128Gcm => Aead::Aes128(Box::new(Aes128Gcm::new_from_slice(&info.key).expect("checked length"))),
            Cipher::Aes256Gcm => Aead::Aes256(Box::new(Aes256Gcm::new_from_slice(&info.key).expect("checked length"))),
        };
        Ok(RecordCipher { version: info.version, aead, iv12: info.iv12() })
    }

    /// Protocol version.
    pub fn version(&self) -> TlsVersion {
        self.version
    }

    /// Check a record's header against its bytes and the version's limits.
    fn layout(&self, record: &[u8]) -> Result<Layout, RecordError> {
        let declared =
            record_len(record).ok_or(RecordError::Truncated { have: record.len(), need: TLS_HEADER_SIZE })?;
        if record.len() < declared {
            return Err(RecordError::Truncated { have: record.len(), need: declared });
        }
        if record.len() > declared {
            return Err(RecordError::Length { declared, actual: record.len() });
        }
        if record[1..3] != [3, 3] {
            return Err(RecordError::Version([record[1], record[2]]));
        }
        let len = declared - TLS_HEADER_SIZE;
        let (min, max) = match self.version {
            TlsVersion::V12 => (TLS12_EXPLICIT_NONCE_SIZE + TLS_TAG_SIZE, TLS12_MAX_LEN),
            TlsVersion::V13 => {
                if record[0] != content_type::APPLICATION_DATA {
                    return Err(RecordError::OuterType(record[0]));
                }
                (1 + TLS_TAG_SIZE, TLS13_MAX_LEN)
            }
        };
        if len < min {
            return Err(RecordError::TooShort(len));
        }
        if len > max {
            return Err(RecordError::TooLong(len));
        }
        let start = match self.version {
            TlsVersion::V12 => TLS_HEADER_SIZE + TLS12_EXPLICIT_NONCE_SIZE,
            TlsVersion::V13 => TLS_HEADER_SIZE,
        };
        Ok(Layout { body: start..declared - TLS_TAG_SIZE })
    }

    /// The GCM nonce of record `rec_seq` whose bytes (at least the header
    /// and, for TLS 1.2, the explicit nonce) start `record`.
    pub fn nonce(&self, rec_seq: u64, record: &[u8]) -> Result<[u8; 12], RecordError> {
        let mut n = self.iv12;
        match self.version {
            TlsVersion::V12 => {
                let end = TLS_HEADER_SIZE + TLS12_EXPLICIT_NONCE_SIZE;
                if record.len() < end {
                    return Err(RecordError::Truncated { have: record.len(), need: end });
                }
                n[4..].copy_from_slice(&record[TLS_HEADER_SIZE..end]);
            }
            TlsVersion::V13 => {
                for (b, s) in n[4..].iter_mut().zip(rec_seq.to_be_bytes()) {
                    *b ^= s;
                }
            }
        }
        Ok(n)
    }

    /// The additional authenticated data of record `rec_seq` with header
    /// `header` and `data_len` bytes of (TLS 1.2) data.
    fn aad(&self, rec_seq: u64, header: &[u8], data_len: usize) -> Vec<u8> {
        match self.version {
            TlsVersion::V12 => {
                let mut a = Vec::with_capacity(13);
                a.extend_from_slice(&rec_seq.to_be_bytes());
                a.extend_from_slice(&header[..3]);
                a.extend_from_slice(&(data_len as u16).to_be_bytes());
                a
            }
            TlsVersion::V13 => header[..TLS_HEADER_SIZE].to_vec(),
        }
    }

    /// Encrypt a plaintext record (as [`plaintext_record`] builds it) in
    /// place as record number `rec_seq`: the body becomes ciphertext and the
    /// last 16 bytes the tag. Header and explicit nonce are kept.
    pub fn seal_in_place(&self, rec_seq: u64, record: &mut [u8]) -> Result<(), RecordError> {
        let l = self.layout(record)?;
        let nonce = self.nonce(rec_seq, record)?;
        let aad = self.aad(rec_seq, record, l.body.len());
        let (head, tail) = record.split_at_mut(l.body.end);
        let body = &mut head[l.body.start..];
        let tag = match &self.aead {
            Aead::Aes128(c) => c.encrypt_in_place_detached(Nonce::from_slice(&nonce), &aad, body),
            Aead::Aes256(c) => c.encrypt_in_place_detached(Nonce::from_slice(&nonce), &aad, body),
        }
        .expect("record lengths are far below the GCM limit");
        tail.copy_from_slice(&tag);
        Ok(())
    }

    /// Build and encrypt a record in one step.
    pub fn seal(
        &self,
        rec_seq: u64,
        content_type: u8,
        explicit_nonce: [u8; 8],
        data: &[u8],
    ) -> Result<Vec<u8>, RecordError> {
        let mut r = plaintext_record(self.version, content_type, explicit_nonce, data)?;
        self.seal_in_place(rec_seq, &mut r)?;
        Ok(r)
    }

    /// Decrypt and verify the wire record `wire` as record number
    /// `rec_seq`: its content type (TLS 1.3: the inner one, padding
    /// removed) and data.
    pub fn open(&self, rec_seq: u64, wire: &[u8]) -> Result<OpenedRecord, RecordError> {
        let l = self.layout(wire)?;
        let nonce = self.nonce(rec_seq, wire)?;
        let aad = self.aad(rec_seq, wire, l.body.len());
        let mut body = wire[l.body.clone()].to_vec();
        let tag = Tag::from_slice(&wire[l.body.end..]);
        match &self.aead {
            Aead::Aes128(c) => c.decrypt_in_place_detached(Nonce::from_slice(&nonce), &aad, &mut body, tag),
            Aead::Aes256(c) => c.decrypt_in_place_detached(Nonce::from_slice(&nonce), &aad, &mut body, tag),
        }
        .map_err(|_| RecordError::Auth)?;
        match self.version {
            TlsVersion::V12 => Ok(OpenedRecord { content_type: wire[0], plaintext: body }),
            TlsVersion::V13 => {
                let end = body.iter().rposition(|&b| b != 0).ok_or(RecordError::NoContentType)?;
                let content_type = body[end];
                body.truncate(end);
                Ok(OpenedRecord { content_type, plaintext: body })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Cipher;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// A TLS 1.3 record from RFC 8448: traffic key and 12-byte IV, record
    /// number, content type, data, and the complete record.
    struct Rfc8448 {
        key: &'static str,
        iv: &'static str,
        seq: u64,
        content_type: u8,
        data: Vec<u8>,
        wire: &'static str,
    }

    /// TLS 1.3 crypto state from a 12-byte IV as RFC 8448 prints it.
    fn v13(key: &str, iv: &str) -> RecordCipher {
        let (k, iv) = (hex(key), hex(iv));
        let info = TlsCryptoInfo::new(
            TlsVersion::V13,
            Cipher::from_key_size(k.len()).unwrap(),
            k,
            iv[4..].try_into().unwrap(),
            iv[..4].try_into().unwrap(),
            0,
        )
        .unwrap();
        RecordCipher::new(&info).unwrap()
    }

    /// RFC 8448 section 3 (simple 1-RTT handshake): records sealed with the
    /// published traffic keys reproduce the published "complete record"
    /// bytes, and open to the published payload and content type.
    #[test]
    fn rfc8448_records() {
        let app: Vec<u8> = (0u8..0x32).collect();
        let cases = [
            // {client} send application_data record (client application keys, record 0).
            Rfc8448 {
                key: "17422dda596ed5d9acd890e3c63f5051",
                iv: "5b78923dee08579033e523d9",
                seq: 0,
                content_type: content_type::APPLICATION_DATA,
                data: app.clone(),
                wire: "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b
                       62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4",
            },
            // {client} send alert record: close_notify (client application keys, record 1).
            Rfc8448 {
                key: "17422dda596ed5d9acd890e3c63f5051",
                iv: "5b78923dee08579033e523d9",
                seq: 1,
                content_type: content_type::ALERT,
                data: vec![1, 0],
                wire: "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3",
            },
            // {server} send application_data record (server application keys,
            // record 1: after the NewSessionTicket record).
            Rfc8448 {
                key: "9f02283b6c9c07efc26bb9f2ac92e356",
                iv: "cf782b88dd83549aadf1e984",
                seq: 1,
                content_type: content_type::APPLICATION_DATA,
                data: app,
                wire: "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8
                       fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d",
            },
            // {client} send handshake record: Finished (client handshake keys, record 0).
            Rfc8448 {
                key: "dbfaa693d1762c5b666af5d950258d01",
                iv: "5bd3c71b836e0b76bb73265f",
                seq: 0,
                content_type: content_type::HANDSHAKE,
                data: hex("14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61"),
                wire: "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1c
                       aeacab6867d726c40546",
            },
        ];
        for Rfc8448 { key, iv, seq, content_type: ct, data, wire } in cases {
            let c = v13(key, iv);
            let wire = hex(wire);
            assert_eq!(c.seal(seq, ct, [0; 8], &data).unwrap(), wire, "seal seq {seq} type {ct}");
            assert_eq!(c.open(seq, &wire).unwrap(), OpenedRecord { content_type: ct, plaintext: data });
            assert_eq!(c.open(seq + 1, &wire), Err(RecordError::Auth), "wrong record number");
        }
    }

    /// A record computed outside this crate.
    struct Independent {
        version: TlsVersion,
        key: Vec<u8>,
        salt: [u8; 4],
        /// TLS 1.2: the record's explicit nonce; TLS 1.3: the IV tail.
        iv: [u8; 8],
        seq: u64,
        content_type: u8,
        data: &'static [u8],
        wire: &'static str,
    }

    /// Records computed independently with OpenSSL's AES-GCM
    /// (python-cryptography `AESGCM`, nonce and AAD built by hand as the
    /// module doc states): TLS 1.2 with an explicit nonce unrelated to the
    /// record number, an empty record, an alert, and TLS 1.3 with AES-256.
    #[test]
    fn independent_tls12_and_aes256_records() {
        let k128: Vec<u8> = (0..16).collect();
        let k256: Vec<u8> = (0x20..0x40).collect();
        let cases = [
            Independent {
                version: TlsVersion::V12,
                key: k128.clone(),
                salt: [0xa0, 0xa1, 0xa2, 0xa3],
                iv: [0, 0, 0, 0, 0, 0, 1, 3],
                seq: 0x0102_0304_0506_0708,
                content_type: 23,
                data: b"tlsnic TLS 1.2 AES-128-GCM vector",
                wire: "17030300390000000000000103c46054a3d7a3e863db8d1f98ae41b28251127f7459b7ebf9a44750515f9118cf3e0264
                       121ce95b5c24dc0a55a6ddca05f1",
            },
            Independent {
                version: TlsVersion::V12,
                key: k256.clone(),
                salt: [0xde, 0xad, 0xbe, 0xef],
                iv: [0xff; 8],
                seq: 0xffff_ffff_ffff_fffe,
                content_type: 21,
                data: &[1, 0],
                wire: "150303001affffffffffffffffa108b7a2073fe48d36af18d6e2898457549c",
            },
            Independent {
                version: TlsVersion::V12,
                key: k128,
                salt: [0xa0, 0xa1, 0xa2, 0xa3],
                iv: [0; 8],
                seq: 5,
                content_type: 23,
                data: b"",
                wire: "17030300180000000000000000576d7260ba7ff2ff8114d1b51d20251c",
            },
            Independent {
                version: TlsVersion::V13,
                key: k256,
                salt: [0, 1, 2, 3],
                iv: [4, 5, 6, 7, 8, 9, 10, 11],
                seq: 0x0000_0001_ffff_ffff,
                content_type: 23,
                data: b"tlsnic TLS 1.3 AES-256-GCM vector",
                wire: "1703030032c143a7916ca7ac89abbf37b1542ef8b8127b0c8e09939106401354c33ff8c578fbc9bc8e81a25f612cde85
                       5268202d0c0875",
            },
        ];
        for v in cases {
            let cipher = Cipher::from_key_size(v.key.len()).unwrap();
            // For TLS 1.2 the crypto_info iv is the first explicit nonce;
            // each record here is the first one sent.
            let info = TlsCryptoInfo::new(v.version, cipher, v.key, v.iv, v.salt, v.seq).unwrap();
            let c = RecordCipher::new(&info).unwrap();
            let wire = hex(v.wire);
            let sealed = c.seal(v.seq, v.content_type, explicit_nonce(info.iv, 0), v.data).unwrap();
            assert_eq!(sealed, wire, "{:?} {cipher:?}", v.version);
            let o = c.open(v.seq, &wire).unwrap();
            assert_eq!((o.content_type, &o.plaintext[..]), (v.content_type, v.data));
        }
    }

    #[test]
    fn plaintext_records_have_the_kernel_layout() {
        let r = plaintext_record(TlsVersion::V12, 23, [1, 2, 3, 4, 5, 6, 7, 8], &[9; 3]).unwrap();
        assert_eq!(r.len(), 3 + 29);
        assert_eq!(&r[..13], &[23, 3, 3, 0, 27, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&r[13..16], &[9; 3]);
        assert_eq!(&r[16..], &[0; 16]);
        let r = plaintext_record(TlsVersion::V13, content_type::HANDSHAKE, [0xff; 8], &[9; 3]).unwrap();
        assert_eq!(&r[..5], &[23, 3, 3, 0, 20], "outer type is application_data, len = n + 17");
        assert_eq!(r[8], content_type::HANDSHAKE, "inner type after the data");
        assert_eq!(r.len(), 3 + 22);
        assert_eq!(plaintext_record(TlsVersion::V12, 23, [0; 8], &[0; 16_385]), Err(RecordError::DataTooLong(16_385)));
        assert_eq!(plaintext_record(TlsVersion::V13, 23, [0; 8], &[0; 16_384]).unwrap().len(), 16_384 + 22);
    }

    #[test]
    fn explicit_nonce_is_iv_plus_records_sent() {
        assert_eq!(explicit_nonce([0, 0, 0, 0, 0, 0, 0, 0xff], 1), [0, 0, 0, 0, 0, 0, 1, 0], "carry");
        assert_eq!(explicit_nonce([0xff; 8], 2), [0, 0, 0, 0, 0, 0, 0, 1], "wraps like the kernel's increment");
        assert_eq!(explicit_nonce([1, 2, 3, 4, 5, 6, 7, 8], 0), [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn round_trips_and_rejections() {
        for version in [TlsVersion::V12, TlsVersion::V13] {
            for cipher in [Cipher::Aes128Gcm, Cipher::Aes256Gcm] {
                let key: Vec<u8> = (0..cipher.key_size() as u8).map(|b| b.wrapping_mul(37)).collect();
                let info = TlsCryptoInfo::new(version, cipher, key, [3; 8], [4; 4], u64::MAX - 3).unwrap();
                let c = RecordCipher::new(&info).unwrap();
                for (i, n) in [0usize, 1, 15, 16, 17, 1000, 16_384].into_iter().enumerate() {
                    let data: Vec<u8> = (0..n).map(|b| (b * 7 + i) as u8).collect();
                    let seq = info.rec_seq.wrapping_add(i as u64);
                    let pt = plaintext_record(version, 23, explicit_nonce(info.iv, i as u64), &data).unwrap();
                    let mut rec = pt.clone();
                    c.seal_in_place(seq, &mut rec).unwrap();
                    assert_eq!(rec[..version.prepend_size()], pt[..version.prepend_size()], "header kept");
                    assert_ne!(rec[rec.len() - 16..], [0; 16], "tag written");
                    assert_eq!(c.open(seq, &rec).unwrap().plaintext, data, "{version:?} {cipher:?} n={n}");
                    let mut bad = rec.clone();
                    let k = bad.len() - 1 - (i * 5) % (bad.len() - version.prepend_size());
                    bad[k] ^= 0x40;
                    assert_eq!(c.open(seq, &bad), Err(RecordError::Auth), "flipped byte {k}");
                }
            }
        }
    }

    #[test]
    fn malformed_records_are_rejected() {
        let info = TlsCryptoInfo::new(TlsVersion::V13, Cipher::Aes128Gcm, [0; 16], [0; 8], [0; 4], 0).unwrap();
        let c = RecordCipher::new(&info).unwrap();
        assert_eq!(c.open(0, &[23, 3]), Err(RecordError::Truncated { have: 2, need: 5 }));
        assert_eq!(c.open(0, &[23, 3, 3, 0, 17]), Err(RecordError::Truncated { have: 5, need: 22 }));
        assert_eq!(c.open(0, &[23, 3, 3, 0, 0, 9]), Err(RecordError::Length { declared: 5, actual: 6 }));
        assert_eq!(c.open(0, &[23, 3, 1, 0, 0]), Err(RecordError::Version([3, 1])));
        assert_eq!(c.open(0, &[22, 3, 3, 0, 0]), Err(RecordError::OuterType(22)));
        assert_eq!(c.open(0, &[&[23u8, 3, 3, 0, 16][..], &[0; 16]].concat()), Err(RecordError::TooShort(16)));
        let long = [&[23u8, 3, 3, 0x41, 0x01][..], &vec![0; 0x4101]].concat();
        assert_eq!(c.open(0, &long), Err(RecordError::TooLong(0x4101)));
        // A TLS 1.3 record whose inner plaintext is all zero has no type.
        let mut r = plaintext_record(TlsVersion::V13, 0, [0; 8], &[0; 4]).unwrap();
        c.seal_in_place(0, &mut r).unwrap();
        assert_eq!(c.open(0, &r), Err(RecordError::NoContentType));
    }

    #[test]
    fn split_records_follows_length_fields() {
        let a = plaintext_record(TlsVersion::V12, 23, [0; 8], &[1; 5]).unwrap();
        let b = plaintext_record(TlsVersion::V12, 21, [0; 8], &[]).unwrap();
        let s = [a.clone(), b.clone()].concat();
        assert_eq!(split_records(&s).unwrap(), vec![&a[..], &b[..]]);
        assert_eq!(split_records(&s[..s.len() - 1]), Err(RecordError::Truncated { have: 28, need: 29 }));
        assert_eq!(split_records(&s[..a.len() + 3]), Err(RecordError::Truncated { have: 3, need: 5 }));
        assert!(split_records(&[]).unwrap().is_empty());
    }
}
