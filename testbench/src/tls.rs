//! TLS record layer for the testbench: the plaintext records a kernel hands
//! to a TLS_HW device, and the independent check of what the device sent.

use crate::reference::Gcm;

/// One direction of a TLS connection as installed with `tls_dev_add`.
#[derive(Clone, Debug)]
pub struct TlsDir {
    /// TLS 1.3 (else 1.2).
    pub v13: bool,
    /// AES key, 16 or 32 bytes.
    pub key: Vec<u8>,
    /// TLS 1.2: salt (4) || first explicit nonce (8); TLS 1.3: the 12-byte IV.
    pub iv: [u8; 12],
    /// Record sequence number of the first offloaded record.
    pub rec_seq: u64,
}

/// Bytes a record adds around its data (header, nonce, inner type, tag).
pub fn overhead(v13: bool) -> usize {
    if v13 {
        5 + 1 + 16
    } else {
        5 + 8 + 16
    }
}

impl TlsDir {
    /// The `i`-th record (from offload start) as the kernel queues it for a
    /// TLS_HW device: header, TLS 1.2 explicit nonce, plaintext, TLS 1.3
    /// inner content type, and 16 zero bytes where the tag goes.
    pub fn plaintext_record(&self, i: u64, data: &[u8]) -> Vec<u8> {
        let mut r = Vec::with_capacity(data.len() + 29);
        let len = data.len() + overhead(self.v13) - 5;
        r.extend_from_slice(&[0x17, 3, 3]);
        r.extend_from_slice(&(len as u16).to_be_bytes());
        if !self.v13 {
            let n = u64::from_be_bytes(self.iv[4..].try_into().unwrap()).wrapping_add(i);
            r.extend_from_slice(&n.to_be_bytes());
        }
        r.extend_from_slice(data);
        if self.v13 {
            r.push(0x17);
        }
        r.extend_from_slice(&[0; 16]);
        r
    }

    /// A record encrypted in software (as sent before offload started), with
    /// record sequence number `rec_seq` (TLS 1.2 explicit nonce = `rec_seq`).
    pub fn sealed_record(&self, rec_seq: u64, data: &[u8]) -> Vec<u8> {
        let gcm = Gcm::new(&self.key).expect("16 or 32 byte key");
        let len = data.len() + overhead(self.v13) - 5;
        let mut hdr = vec![0x17, 3, 3];
        hdr.extend_from_slice(&(len as u16).to_be_bytes());
        let mut body = data.to_vec();
        let mut iv = self.iv;
        let mut rec = hdr.clone();
        let aad = if self.v13 {
            body.push(0x17);
            for (k, b) in rec_seq.to_be_bytes().iter().enumerate() {
                iv[4 + k] ^= b;
            }
            hdr
        } else {
            iv[4..].copy_from_slice(&rec_seq.to_be_bytes());
            rec.extend_from_slice(&rec_seq.to_be_bytes());
            let mut aad = rec_seq.to_be_bytes().to_vec();
            aad.extend_from_slice(&[0x17, 3, 3]);
            aad.extend_from_slice(&(data.len() as u16).to_be_bytes());
            aad
        };
        let tag = gcm.seal(&iv, &aad, &mut body);
        rec.extend_from_slice(&body);
        rec.extend_from_slice(&tag);
        rec
    }

    /// Decrypt and authenticate the wire record `rec` (whole record) sent as
    /// record number `rec_seq`; returns the application data.
    pub fn open_record(&self, rec_seq: u64, rec: &[u8]) -> Result<Vec<u8>, String> {
        let gcm = Gcm::new(&self.key).map_err(|e| e.to_string())?;
        if rec.len() < overhead(self.v13) || rec[1] != 3 || rec[2] != 3 {
            return Err("malformed record".into());
        }
        let (iv, aad, body_start) = if self.v13 {
            let mut iv = self.iv;
            for (k, b) in rec_seq.to_be_bytes().iter().enumerate() {
                iv[4 + k] ^= b;
            }
            (iv, rec[..5].to_vec(), 5)
        } else {
            let mut iv = [0u8; 12];
            iv[..4].copy_from_slice(&self.iv[..4]);
            iv[4..].copy_from_slice(&rec[5..13]);
            let n = rec.len() - 29;
            let mut aad = rec_seq.to_be_bytes().to_vec();
            aad.extend_from_slice(&rec[..3]);
            aad.extend_from_slice(&(n as u16).to_be_bytes());
            (iv, aad, 13)
        };
        let tag: [u8; 16] = rec[rec.len() - 16..].try_into().unwrap();
        let mut body = rec[body_start..rec.len() - 16].to_vec();
        if !gcm.open(&iv, &aad, &mut body, &tag) {
            return Err(format!("record {rec_seq}: authentication failed"));
        }
        if self.v13 {
            match body.pop() {
                Some(0x17) => {}
                t => return Err(format!("record {rec_seq}: inner content type {t:?}")),
            }
        }
        Ok(body)
    }
}

/// Split a byte stream into whole records (by their length fields).
pub fn split_records(stream: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < stream.len() {
        if stream.len() - p < 5 {
            return Err(format!("truncated header at {p}"));
        }
        let len = usize::from(u16::from_be_bytes([stream[p + 3], stream[p + 4]]));
        if stream.len() - p < 5 + len {
            return Err(format!("truncated record at {p}"));
        }
        out.push(&stream[p..p + 5 + len]);
        p += 5 + len;
    }
    Ok(out)
}
