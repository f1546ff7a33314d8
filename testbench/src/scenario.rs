//! Scenarios on the Verilated RTL, shared by the tests and the `tlsnic` CLI.

use crate::gcm_job::{decode, GcmJob, GcmResult, Op};
use crate::reference::Gcm;
use crate::seed::rng;
use rand::Rng;
use tlsnic_sim::{Sim, SimError, Top};

/// Lengths every random GCM run includes: empty, sub-block, block edges and
/// the largest TLS record body (2^14 + 256).
pub const EDGE_LENGTHS: [usize; 10] = [0, 1, 15, 16, 17, 31, 32, 33, 16_384, 16_640];

/// Errors of a scenario.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The simulator failed (timeout, bad port...).
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The harness output could not be split into jobs.
    #[error(transparent)]
    Decode(#[from] crate::gcm_job::DecodeError),
    /// The device interface refused an operation of the host models.
    #[error(transparent)]
    Device(#[from] tlsnic_driver::types::DeviceError),
    /// The TX driver could not transmit a frame.
    #[error(transparent)]
    Xmit(#[from] tlsnic_driver::tx_offload::XmitError),
    /// The kTLS socket model refused an operation.
    #[error(transparent)]
    Ktls(#[from] tlsnic_driver::ktls_tx::KtlsError),
    /// The RTL disagreed with the reference model.
    #[error("mismatch in job {index} ({what}): {detail}")]
    Mismatch {
        /// Job number in the run.
        index: usize,
        /// What differed.
        what: &'static str,
        /// Job description.
        detail: String,
    },
    /// An output frame differed from what the references expect: which,
    /// where, and when it left the device.
    #[error(transparent)]
    Diverged(#[from] crate::diverge::Divergence),
    /// A check of the run failed (a count, a verdict, a state of the
    /// device): what was expected and what was found.
    #[error("{0}")]
    Check(String),
}

impl ScenarioError {
    /// The cycles `first..last` to look at in a waveform of the run, when
    /// the error knows them: those in one of which a divergent frame left
    /// the device, the cycle of a failed RTL assertion or of a stall.
    pub fn cycles(&self) -> Option<(u64, u64)> {
        match self {
            ScenarioError::Diverged(d) => d.cycles,
            ScenarioError::Sim(SimError::Stalled { cycle, .. }) => Some((*cycle, *cycle + 1)),
            ScenarioError::Sim(SimError::Assertion(m)) => crate::diverge::assertion_cycle(m).map(|c| (c, c + 1)),
            _ => None,
        }
    }
}

/// A job with what the reference model says must come out.
#[derive(Clone, Debug)]
pub struct CheckedJob {
    /// The job as driven.
    pub job: GcmJob,
    /// Expected output body.
    pub body: Vec<u8>,
    /// Expected computed tag.
    pub tag: [u8; 16],
    /// Expected tag match.
    pub auth_ok: bool,
    /// The job was tampered with (decrypt with a flipped bit).
    pub tampered: bool,
}

/// Random job mix: key sizes, new and reused keys, TLS 1.2 (13-byte) and
/// TLS 1.3 (5-byte) AAD plus other AAD lengths, body lengths from
/// [`EDGE_LENGTHS`] and random, random chunking, encrypt and decrypt, and
/// decrypts with a flipped tag or ciphertext bit. Body chunks start at any
/// lane of a `w`-byte beat.
pub fn random_jobs<R: Rng>(r: &mut R, n: usize, w: usize) -> Vec<CheckedJob> {
    let mut out = Vec::with_capacity(n);
    let mut key: Vec<u8> = Vec::new();
    for i in 0..n {
        let new_key = key.is_empty() || r.gen_bool(0.3);
        if new_key {
            key = (0..if r.gen_bool(0.5) { 16 } else { 32 }).map(|_| r.gen()).collect();
        }
        let aad_len = match r.gen_range(0..10) {
            0..=3 => 13,
            4..=7 => 5,
            8 => 0,
            _ => r.gen_range(1..=48),
        };
        let body_len = if i < EDGE_LENGTHS.len() * 4 {
            EDGE_LENGTHS[i % EDGE_LENGTHS.len()]
        } else {
            match r.gen_range(0..10) {
                0..=3 => r.gen_range(0..=48),
                4..=7 => r.gen_range(0..=1500),
                8 => r.gen_range(0..=4096),
                _ => r.gen_range(0..=16_640),
            }
        };
        let iv: [u8; 12] = r.gen();
        let aad: Vec<u8> = (0..aad_len).map(|_| r.gen()).collect();
        let pt: Vec<u8> = (0..body_len).map(|_| r.gen()).collect();
        let gcm = Gcm::new(&key).expect("16 or 32 byte key");
        let mut ct = pt.clone();
        let tag = gcm.seal(&iv, &aad, &mut ct);
        let op = if r.gen_bool(0.5) { Op::Encrypt } else { Op::Decrypt };
        let mut job = GcmJob::simple(op, &key, iv, &aad, if op == Op::Encrypt { &pt } else { &ct });
        job.new_key = new_key;
        job.tag = tag;
        let mean = [1usize, 7, 64, 1448, 9000][r.gen_range(0..5)];
        job.rechunk(r, mean, w);
        let checked = match op {
            Op::Encrypt => CheckedJob { job, body: ct, tag, auth_ok: true, tampered: false },
            Op::Decrypt => {
                let tamper = r.gen_bool(0.2);
                let mut exp_pt = pt.clone();
                let mut exp_tag = tag;
                if tamper {
                    if body_len > 0 && r.gen_bool(0.5) {
                        let bit = r.gen_range(0..body_len * 8);
                        job.body[bit / 8] ^= 1 << (bit % 8);
                        exp_pt[bit / 8] ^= 1 << (bit % 8);
                        // The computed tag is the one over the received ciphertext.
                        let mut c2 = exp_pt.clone();
                        exp_tag = gcm.seal(&iv, &aad, &mut c2);
                        debug_assert_eq!(c2, job.body);
                    } else {
                        let bit = r.gen_range(0..128);
                        job.tag[bit / 8] ^= 1 << (bit % 8);
                    }
                }
                CheckedJob { job, body: exp_pt, tag: exp_tag, auth_ok: !tamper, tampered: tamper }
            }
        };
        out.push(checked);
    }
    out
}

/// Drive `jobs` through a `gcm_stream_top` model and return the results.
pub fn run_jobs(sim: &mut Sim, jobs: &[GcmJob]) -> Result<Vec<GcmResult>, ScenarioError> {
    let w = sim.beat_bytes();
    let mut beats = Vec::new();
    let mut budget = 1_000u64;
    for j in jobs {
        let b = j.beats(w);
        budget += 64 + 4 * b.len() as u64;
        beats.extend(b);
    }
    sim.push_beats(0, &beats)?;
    sim.run_until_idle(budget * 8, 64)?;
    let out = sim.take_beats(0);
    Ok(decode(jobs, &out, w)?)
}

/// Compare results with the reference expectations.
pub fn check(jobs: &[CheckedJob], res: &[GcmResult], first_index: usize) -> Result<(), ScenarioError> {
    for (i, (c, r)) in jobs.iter().zip(res).enumerate() {
        let detail = || {
            format!(
                "{:?} AES-{} new_key={} aad={} body={} chunks={} tampered={}",
                c.job.op,
                c.job.key.len() * 8,
                c.job.new_key,
                c.job.aad.len(),
                c.job.body.len(),
                c.job.chunks.len(),
                c.tampered
            )
        };
        let mismatch = |what| ScenarioError::Mismatch { index: first_index + i, what, detail: detail() };
        if !r.keep_preserved {
            return Err(mismatch("beat layout"));
        }
        if r.format_error {
            return Err(mismatch("format error flag"));
        }
        if r.body != c.body {
            return Err(mismatch("body"));
        }
        if r.tag != c.tag {
            return Err(mismatch("computed tag"));
        }
        if r.auth_ok != c.auth_ok {
            return Err(mismatch("authentication verdict"));
        }
    }
    Ok(())
}

/// Summary of a random GCM run.
#[derive(Clone, Debug, Default)]
pub struct GcmRunReport {
    /// Jobs checked.
    pub cases: usize,
    /// Of which encryptions.
    pub encrypts: usize,
    /// Of which AES-256.
    pub aes256: usize,
    /// Tampered decrypts, all rejected.
    pub tampered_rejected: usize,
    /// Body bytes processed.
    pub bytes: u64,
    /// Simulated cycles.
    pub cycles: u64,
}

/// Run `n` random jobs (seeded) through the RTL in batches, with random
/// backpressure on both stream ends when `backpressure` is set. Stops at the
/// first mismatch.
pub fn gcm_random_run(
    seed: u64,
    n: usize,
    backpressure: bool,
    mut progress: impl FnMut(usize),
) -> Result<GcmRunReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::GcmStream)?;
    sim.reset(4);
    if backpressure {
        sim.set_backpressure(seed ^ 0x5eed, 0.2, 0.2);
    }
    let jobs = random_jobs(&mut r, n, sim.beat_bytes());
    let mut rep = GcmRunReport::default();
    let start = sim.cycle();
    for (bi, batch) in jobs.chunks(250).enumerate() {
        let plain: Vec<GcmJob> = batch.iter().map(|c| c.job.clone()).collect();
        let res = run_jobs(&mut sim, &plain)?;
        check(batch, &res, bi * 250)?;
        for c in batch {
            rep.cases += 1;
            rep.encrypts += usize::from(c.job.op == Op::Encrypt);
            rep.aes256 += usize::from(c.job.key.len() == 32);
            rep.tampered_rejected += usize::from(c.tampered);
            rep.bytes += c.job.body.len() as u64;
        }
        progress(rep.cases);
    }
    rep.cycles = sim.cycle() - start;
    Ok(rep)
}

/// Throughput of back-to-back records through the harness.
#[derive(Clone, Debug)]
pub struct Throughput {
    /// Record body length.
    pub record_len: usize,
    /// Records per phase.
    pub records: usize,
    /// Cycles to encrypt all records (first input beat to last output beat).
    pub encrypt_cycles: u64,
    /// Cycles to decrypt them.
    pub decrypt_cycles: u64,
    /// Cycles of one key set-up (from the harness CSR).
    pub key_setup_cycles: u32,
}

impl Throughput {
    /// Payload bytes per cycle while encrypting.
    pub fn encrypt_bytes_per_cycle(&self) -> f64 {
        (self.record_len * self.records) as f64 / self.encrypt_cycles as f64
    }
    /// Payload bytes per cycle while decrypting.
    pub fn decrypt_bytes_per_cycle(&self) -> f64 {
        (self.record_len * self.records) as f64 / self.decrypt_cycles as f64
    }
}

/// Step the model until `want` beats have come out of port 0.
fn run_until_beats(
    sim: &mut Sim,
    collected: &mut Vec<tlsnic_sim::Beat>,
    want: usize,
    max: u64,
) -> Result<(), ScenarioError> {
    let start = sim.cycle();
    while collected.len() < want {
        if sim.cycle() - start > max {
            return Err(SimError::Timeout { cycles: max }.into());
        }
        sim.tick(1);
        collected.extend(sim.take_beats(0));
        sim.watchdog()?;
    }
    Ok(())
}

/// Encrypt `records` records of `record_len` bytes back to back (key set-up
/// once, TLS 1.2 style 13-byte AAD, one chunk per record), then decrypt them;
/// check every byte and tag against the reference; count cycles.
pub fn gcm_throughput(
    sim: &mut Sim,
    key: &[u8],
    record_len: usize,
    records: usize,
) -> Result<Throughput, ScenarioError> {
    let gcm = Gcm::new(key).map_err(|e| ScenarioError::Mismatch { index: 0, what: "key", detail: e.to_string() })?;
    let mut enc = Vec::new();
    let mut expect = Vec::new();
    for i in 0..records {
        let mut iv = [0u8; 12];
        iv[4..].copy_from_slice(&(i as u64).to_be_bytes());
        let mut aad = [0u8; 13];
        aad[..8].copy_from_slice(&(i as u64).to_be_bytes());
        aad[8] = 0x17;
        aad[9] = 3;
        aad[10] = 3;
        aad[11..].copy_from_slice(&(record_len as u16).to_be_bytes());
        let pt: Vec<u8> = (0..record_len).map(|b| (b as u8).wrapping_mul(31).wrapping_add(i as u8)).collect();
        let mut ct = pt.clone();
        let tag = gcm.seal(&iv, &aad, &mut ct);
        let mut job = GcmJob::simple(Op::Encrypt, key, iv, &aad, &pt);
        job.new_key = false;
        enc.push(job);
        expect.push((pt, ct, tag));
    }
    // Key set-up happens once, in an untimed warm-up job.
    let warm = GcmJob::simple(Op::Encrypt, key, [0; 12], &[], &[0; 16]);
    let warm_res = run_jobs(sim, std::slice::from_ref(&warm))?;
    let mut warm_ct = [0u8; 16];
    let warm_tag = gcm.seal(&[0; 12], &[], &mut warm_ct);
    if warm_res[0].body != warm_ct || warm_res[0].tag != warm_tag {
        return Err(ScenarioError::Mismatch { index: 0, what: "warm-up", detail: "key set-up job".into() });
    }
    let key_setup_cycles = sim.csr_read(0x10)?;
    let w = sim.beat_bytes();
    let mut phase = |jobs: &[GcmJob]| -> Result<(u64, Vec<GcmResult>), ScenarioError> {
        let beats: Vec<_> = jobs.iter().flat_map(|j| j.beats(w)).collect();
        let want: usize = jobs.iter().map(|j| j.body_beats(w) + 1).sum();
        let start = sim.cycle();
        sim.push_beats(0, &beats)?;
        let mut got = Vec::new();
        run_until_beats(sim, &mut got, want, 100 * want as u64 + 10_000)?;
        let cycles = sim.cycle() - start;
        Ok((cycles, decode(jobs, &got, w)?))
    };
    let (encrypt_cycles, res) = phase(&enc)?;
    for (i, (r, (_, ct, tag))) in res.iter().zip(&expect).enumerate() {
        if &r.body != ct || &r.tag != tag {
            return Err(ScenarioError::Mismatch {
                index: i,
                what: "throughput encrypt",
                detail: format!("record {i}"),
            });
        }
    }
    let dec: Vec<GcmJob> = enc
        .iter()
        .zip(&expect)
        .map(|(e, (_, ct, tag))| {
            let mut d = e.clone();
            d.op = Op::Decrypt;
            d.new_key = false;
            d.body = ct.clone();
            d.tag = *tag;
            d
        })
        .collect();
    let (decrypt_cycles, res) = phase(&dec)?;
    for (i, (r, (pt, _, tag))) in res.iter().zip(&expect).enumerate() {
        if &r.body != pt || &r.tag != tag || !r.auth_ok {
            return Err(ScenarioError::Mismatch {
                index: i,
                what: "throughput decrypt",
                detail: format!("record {i}"),
            });
        }
    }
    Ok(Throughput { record_len, records, encrypt_cycles, decrypt_cycles, key_setup_cycles })
}
