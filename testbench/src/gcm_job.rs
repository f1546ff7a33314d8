//! Jobs for the `gcm_stream_top` crypto harness: beat encoding of a record
//! (header, key, AAD, expected tag, chunked body) and decoding of the result.
//!
//! The body of a job is cut into *chunks*, the way segments cut a TLS record:
//! a chunk starts at any byte lane of a new beat, fills the following beats
//! and ends anywhere; empty beats may occur between chunks. The RTL sees a
//! byte stream with holes at every chunk edge, which is what the TX and RX
//! paths will hand it.
//!
//! Beat width: every function takes the model's beat width `w`
//! ([`tlsnic_sim::Sim::beat_bytes`], 16 at 128 bits). Each field of a job
//! starts a new beat and fills lanes from lane 0, `w` bytes per beat: the
//! header (16 bytes), the key (32 bytes), the AAD, the expected tag (16
//! bytes); at `w` = 16 this is exactly the harness format of
//! `gcm_stream_top` (rtl/top/gcm_stream_top.sv). The status beat carries the
//! tag in lanes 0-15 with every lane kept.

use rand::Rng;
use tlsnic_sim::{keep_lanes, Beat};

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

    /// Cut the body into random chunks at random lanes of a `w`-byte beat
    /// (about `mean` bytes each, at most about 64 chunks), with occasional
    /// empty beats.
    pub fn rechunk<R: Rng>(&mut self, rng: &mut R, mean: usize, w: usize) {
        let lanes = u8::try_from(w).expect("at most 64-byte beats");
        let mean = mean.max(self.body.len() / 64);
        self.chunks.clear();
        self.gaps.clear();
        self.segments = rng.gen_bool(0.5);
        let mut left = self.body.len();
        loop {
            let n = if left == 0 { 0 } else { rng.gen_range(1..=left.min(2 * mean.max(1))) };
            self.chunks.push((n, rng.gen_range(0..lanes)));
            self.gaps.push(if rng.gen_bool(0.1) { rng.gen_range(1..3) } else { 0 });
            left -= n;
            if left == 0 {
                break;
            }
        }
    }

    /// Input beats for the harness, `w` bytes per beat.
    pub fn beats(&self, w: usize) -> Vec<Beat> {
        let mut out = Vec::new();
        let mut field = |bytes: &[u8]| {
            for c in bytes.chunks(w) {
                out.push(Beat::packed(c, false, 0));
            }
        };
        let mut hdr = [0u8; 16];
        hdr[0] =
            u8::from(self.op == Op::Decrypt) | (u8::from(self.key.len() == 32) << 1) | (u8::from(self.new_key) << 2);
        hdr[2..4].copy_from_slice(&(self.aad.len() as u16).to_be_bytes());
        hdr[4..16].copy_from_slice(&self.iv);
        field(&hdr);
        if self.new_key {
            let mut k = [0u8; 32];
            k[..self.key.len()].copy_from_slice(&self.key);
            field(&k);
        }
        field(&self.aad);
        if self.op == Op::Decrypt {
            field(&self.tag);
        }
        let mut pos = 0;
        for (&(len, lane), &gap) in self.chunks.iter().zip(&self.gaps) {
            for _ in 0..gap {
                out.push(Beat::default());
            }
            let mut lane = lane as usize;
            let mut left = len;
            loop {
                let n = left.min(w - lane);
                out.push(Beat::at_lane(lane, &self.body[pos..pos + n], false, 0));
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

    /// Number of body beats `beats(w)` produces (one output beat each).
    pub fn body_beats(&self, w: usize) -> usize {
        let fields = 16usize.div_ceil(w)
            + if self.new_key { 32usize.div_ceil(w) } else { 0 }
            + self.aad.len().div_ceil(w)
            + if self.op == Op::Decrypt { 16usize.div_ceil(w) } else { 0 };
        self.beats(w).len() - fields
    }
}

/// Split harness output beats (`w` bytes each) into one result per job.
pub fn decode(jobs: &[GcmJob], beats: &[Beat], w: usize) -> Result<Vec<GcmResult>, DecodeError> {
    let mut res = Vec::with_capacity(jobs.len());
    let mut it = beats.iter();
    for (j, job) in jobs.iter().enumerate() {
        let inputs = job.beats(w);
        let body_in: Vec<&Beat> = inputs[inputs.len() - job.body_beats(w)..].iter().collect();
        let mut body = Vec::with_capacity(job.body.len());
        let mut keep_preserved = true;
        for bin in &body_in {
            let b = it.next().ok_or(DecodeError::Truncated(j))?;
            keep_preserved &= b.keep == bin.keep && !b.last;
            body.extend(b.kept());
        }
        let st = it.next().ok_or(DecodeError::Truncated(j))?;
        keep_preserved &= st.last && st.keep == keep_lanes(0, w);
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&st.data[..16]);
        res.push(GcmResult { body, tag, auth_ok: st.user & 1 != 0, format_error: st.user & 4 != 0, keep_preserved });
    }
    let left = it.count();
    if left != 0 {
        return Err(DecodeError::Trailing(left));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// What the harness returns for `job` if it passed the body through:
    /// one beat per body beat with the same lanes, then the status beat.
    fn echo(job: &GcmJob, w: usize) -> Vec<Beat> {
        let beats = job.beats(w);
        let mut out: Vec<Beat> = beats[beats.len() - job.body_beats(w)..].to_vec();
        for b in &mut out {
            b.last = false;
        }
        let mut st = Beat::packed(&[0xee; 64][..w], true, 1);
        st.data[..16].copy_from_slice(&job.tag);
        out.push(st);
        out
    }

    #[test]
    fn jobs_for_128_and_512_bit_beats() {
        let mut r = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let body: Vec<u8> = (0..700).map(|i| i as u8).collect();
        for (w, new_key, op) in [(16, true, Op::Encrypt), (64, true, Op::Decrypt), (64, false, Op::Encrypt)] {
            let mut job = GcmJob::simple(op, &[7; 32], [1; 12], &[2; 70], &body);
            job.new_key = new_key;
            job.tag = [9; 16];
            job.rechunk(&mut r, 64, w);
            let beats = job.beats(w);
            assert!(
                beats.iter().all(|b| b.keep.checked_shr(w as u32).unwrap_or(0) == 0),
                "lanes within {w}-byte beats"
            );
            assert_eq!(beats.iter().filter(|b| b.last).count(), 1);
            // header, key, AAD and tag beats: each field from lane 0
            let fields =
                1 + usize::from(new_key) * 32usize.div_ceil(w) + 70usize.div_ceil(w) + usize::from(op == Op::Decrypt);
            assert_eq!(beats.len() - job.body_beats(w), fields, "w={w}");
            assert_eq!(beats[0].keep, keep_lanes(0, 16));
            let body_out: Vec<u8> = beats[fields..].iter().flat_map(Beat::kept).collect();
            assert_eq!(body_out, body, "w={w}: body bytes in order");
            let res = decode(std::slice::from_ref(&job), &echo(&job, w), w).unwrap();
            assert_eq!((res[0].body == body, res[0].tag, res[0].keep_preserved), (true, [9; 16], true), "w={w}");
        }
    }
}
