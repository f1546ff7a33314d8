//! Jobs for the `gcm_stream_top` crypto harness: beat encoding of a record
//! (header, key, AAD, expected tag, chunked body) and decoding of the result.
//!
//! The body of a job is cut into *chunks*, the way segments cut a TLS record:
//! a chunk starts at any byte lane of a new beat, fills the following beats
//! and ends anywhere; empty beats may occur between chunks. The RTL sees a
//! byte stream with holes at every chunk edge, which is what the TX and RX
//! paths will hand it.

use rand::Rng;
use tlsnic_sim::Beat;

/// Direction of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Encrypt and compute the tag.
    Encrypt,
    /// Decrypt and check the expected tag.
    Decrypt,
}

/// One AES-GCM record job.
#[derive(Clone, Debug)]
pub struct GcmJob {
    /// Direction.
    pub op: Op,
    /// 16 or 32 bytes.
    pub key: Vec<u8>,
    /// Whether the harness runs key set-up (else it reuses the previous key).
    pub new_key: bool,
    /// 96-bit IV.
    pub iv: [u8; 12],
    /// Additional authenticated data.
    pub aad: Vec<u8>,
    /// Expected tag (decrypt only).
    pub tag: [u8; 16],
    /// Plaintext (encrypt) or ciphertext (decrypt).
    pub body: Vec<u8>,
    /// Chunk lengths summing to `body.len()`, each with its first lane.
    pub chunks: Vec<(usize, u8)>,
    /// Empty beats inserted before each chunk (same length as `chunks`).
    pub gaps: Vec<u8>,
    /// End a segment after every chunk: the harness saves the engine's
    /// mid-record state and resumes from it, as between two TCP segments.
    pub segments: bool,
}

/// What the harness returned for one job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GcmResult {
    /// Output body bytes (ciphertext or plaintext), in order.
    pub body: Vec<u8>,
    /// Computed tag.
    pub tag: [u8; 16],
    /// Tag matched (decrypt) or 1 (encrypt).
    pub auth_ok: bool,
    /// Body beats whose tkeep was not contiguous.
    pub format_error: bool,
    /// Output beats of the body kept exactly the input tkeep pattern.
    pub keep_preserved: bool,
}

/// Errors decoding the harness output.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The output ended in the middle of a job.
    #[error("output ended inside job {0}")]
    Truncated(usize),
    /// More output frames than jobs.
    #[error("{0} output beats left after the last job")]
    Trailing(usize),
}

impl GcmJob {
    /// A single chunk starting at lane 0.
    pub fn simple(op: Op, key: &[u8], iv: [u8; 12], aad: &[u8], body: &[u8]) -> Self {
        GcmJob {
            op,
            key: key.to_vec(),
            new_key: true,
            iv,
            aad: aad.to_vec(),
            tag: [0; 16],
            body: body.to_vec(),
            chunks: vec![(body.len(), 0)],
            gaps: vec![0],
            segments: false,
        }
    }

    /// Cut the body into random chunks at random lanes (about `mean` bytes
    /// each, at most about 64 chunks), with occasional empty beats.
    pub fn rechunk<R: Rng>(&mut self, rng: &mut R, mean: usize) {
        let mean = mean.max(self.body.len() / 64);
        self.chunks.clear();
        self.gaps.clear();
        self.segments = rng.gen_bool(0.5);
        let mut left = self.body.len();
        loop {
            let n = if left == 0 { 0 } else { rng.gen_range(1..=left.min(2 * mean.max(1))) };
            self.chunks.push((n, rng.gen_range(0..16)));
            self.gaps.push(if rng.gen_bool(0.1) { rng.gen_range(1..3) } else { 0 });
            left -= n;
            if left == 0 {
                break;
            }
        }
    }

    /// Input beats for the harness.
    pub fn beats(&self) -> Vec<Beat> {
        let mut out = Vec::new();
        let full = |bytes: &[u8]| {
            let mut data = [0u8; 16];
            data[..bytes.len()].copy_from_slice(bytes);
            Beat { data, keep: ((1u32 << bytes.len()) - 1) as u16, last: false, user: 0 }
        };
        let mut hdr = [0u8; 16];
        hdr[0] =
            u8::from(self.op == Op::Decrypt) | (u8::from(self.key.len() == 32) << 1) | (u8::from(self.new_key) << 2);
        hdr[2..4].copy_from_slice(&(self.aad.len() as u16).to_be_bytes());
        hdr[4..16].copy_from_slice(&self.iv);
        out.push(full(&hdr));
        if self.new_key {
            let mut k = [0u8; 32];
            k[..self.key.len()].copy_from_slice(&self.key);
            out.push(full(&k[..16]));
            out.push(full(&k[16..]));
        }
        for a in self.aad.chunks(16) {
            out.push(full(a));
        }
        if self.op == Op::Decrypt {
            out.push(full(&self.tag));
        }
        let mut pos = 0;
        for (&(len, lane), &gap) in self.chunks.iter().zip(&self.gaps) {
            for _ in 0..gap {
                out.push(Beat { data: [0; 16], keep: 0, last: false, user: 0 });
            }
            let mut lane = lane as usize;
            let mut left = len;
            loop {
                let n = left.min(16 - lane);
                let mut data = [0u8; 16];
                data[lane..lane + n].copy_from_slice(&self.body[pos..pos + n]);
                let keep = if n == 0 { 0 } else { (((1u32 << n) - 1) << lane) as u16 };
                out.push(Beat { data, keep, last: false, user: 0 });
                pos += n;
                left -= n;
                lane = 0;
                if left == 0 {
                    break;
                }
            }
            if self.segments {
                out.last_mut().expect("a chunk has at least one beat").user = 1;
            }
        }
        out.last_mut().expect("a job has at least one body beat").last = true;
        out
    }

    /// Number of body beats `beats()` produces (one output beat each).
    pub fn body_beats(&self) -> usize {
        let hdr =
            1 + if self.new_key { 2 } else { 0 } + self.aad.len().div_ceil(16) + usize::from(self.op == Op::Decrypt);
        self.beats().len() - hdr
    }
}

/// Split harness output beats into one result per job.
pub fn decode(jobs: &[GcmJob], beats: &[Beat]) -> Result<Vec<GcmResult>, DecodeError> {
    let mut res = Vec::with_capacity(jobs.len());
    let mut it = beats.iter();
    for (j, job) in jobs.iter().enumerate() {
        let inputs = job.beats();
        let body_in: Vec<&Beat> = inputs[inputs.len() - job.body_beats()..].iter().collect();
        let mut body = Vec::with_capacity(job.body.len());
        let mut keep_preserved = true;
        for bin in &body_in {
            let b = it.next().ok_or(DecodeError::Truncated(j))?;
            keep_preserved &= b.keep == bin.keep && !b.last;
            for lane in 0..16 {
                if b.keep & (1 << lane) != 0 {
                    body.push(b.data[lane]);
                }
            }
        }
        let st = it.next().ok_or(DecodeError::Truncated(j))?;
        keep_preserved &= st.last && st.keep == 0xffff;
        res.push(GcmResult {
            body,
            tag: st.data,
            auth_ok: st.user & 1 != 0,
            format_error: st.user & 4 != 0,
            keep_preserved,
        });
    }
    let left = it.count();
    if left != 0 {
        return Err(DecodeError::Trailing(left));
    }
    Ok(res)
}
