//! Helpers shared by the TX integration tests.

#![allow(dead_code)] // each test binary uses a different part

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tlsnic_driver::ktls_tx::KtlsTx;
use tlsnic_driver::record::{split_records, RecordCipher};
use tlsnic_driver::testing::RefTxDevice;
use tlsnic_driver::tx_offload::{TagCompletion, TxDevice, TxDeviceCounters, TxWork};
use tlsnic_driver::types::{CtxId, DeviceError, TlsCryptoInfo};

/// The seed for a random test: `TLSNIC_SEED` (decimal or 0x hex) if set,
/// else random; printed either way (run with `--nocapture` to see it).
pub fn seed(name: &str) -> u64 {
    let seed = match std::env::var("TLSNIC_SEED") {
        Ok(s) => {
            let t = s.trim();
            let v = match t.strip_prefix("0x") {
                Some(h) => u64::from_str_radix(h, 16).ok(),
                None => t.parse().ok(),
            };
            v.unwrap_or_else(|| panic!("TLSNIC_SEED={s:?} is not a number"))
        }
        Err(_) => rand::random(),
    };
    println!("{name}: seed={seed} (replay with TLSNIC_SEED={seed})");
    seed
}

/// The generator of every random test.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The reference device, with a log of the work posted to it.
pub struct Recorder {
    /// The device.
    pub dev: RefTxDevice,
    /// Work in order.
    pub log: Vec<TxWork>,
    /// Tag completions are held back (reported as none yet) while set.
    pub hold_tags: bool,
    /// Reading tag completions fails while set.
    pub fail_tags: bool,
}

impl Recorder {
    pub fn new(contexts: usize) -> Self {
        Recorder { dev: RefTxDevice::new(contexts), log: Vec::new(), hold_tags: false, fail_tags: false }
    }
}

impl TxDevice for Recorder {
    fn add_tx_context(&mut self, info: &TlsCryptoInfo, sn: u32) -> Result<CtxId, DeviceError> {
        self.dev.add_tx_context(info, sn)
    }
    fn del_tx_context(&mut self, ctx: CtxId) -> Result<(), DeviceError> {
        self.dev.del_tx_context(ctx)
    }
    fn post(&mut self, work: TxWork) -> Result<(), DeviceError> {
        self.log.push(work.clone());
        self.dev.post(work)
    }
    fn tx_counters(&mut self) -> Result<TxDeviceCounters, DeviceError> {
        self.dev.tx_counters()
    }
    fn tag_completions(&mut self) -> Result<Vec<TagCompletion>, DeviceError> {
        if self.fail_tags {
            return Err(DeviceError::Rejected("tag completions unreadable".into()));
        }
        if self.hold_tags {
            return Ok(Vec::new());
        }
        self.dev.tag_completions()
    }
}

/// Decrypt a connection's offloaded byte stream (from the offload start)
/// with aes-gcm: the application bytes of its records, in order, checking
/// every record's number and content type.
pub fn open_stream(info: &TlsCryptoInfo, stream: &[u8], content_type: u8) -> Result<Vec<u8>, String> {
    let c = RecordCipher::new(info).map_err(|e| e.to_string())?;
    let mut app = Vec::new();
    for (i, r) in split_records(stream).map_err(|e| e.to_string())?.iter().enumerate() {
        let o = c.open(info.rec_seq.wrapping_add(i as u64), r).map_err(|e| format!("record {i}: {e}"))?;
        if o.content_type != content_type {
            return Err(format!("record {i}: content type {}", o.content_type));
        }
        app.extend(o.plaintext);
    }
    Ok(app)
}

/// All bytes the socket holds from `from` to its write_seq.
pub fn held(sk: &KtlsTx, from: u32) -> Vec<u8> {
    sk.bytes(from, sk.write_seq().wrapping_sub(from) as usize).expect("held")
}
