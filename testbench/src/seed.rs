//! Seeds for random tests: taken from `TLSNIC_SEED` when set (to replay a
//! failure), random otherwise; always printed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seed for a test called `name`: `TLSNIC_SEED` if set, else random.
/// Prints `name: seed=... (replay with TLSNIC_SEED=...)`.
pub fn test_seed(name: &str) -> u64 {
    let seed = match std::env::var("TLSNIC_SEED") {
        Ok(s) => parse_seed(&s).unwrap_or_else(|| panic!("TLSNIC_SEED={s:?} is not a number")),
        Err(_) => rand::random(),
    };
    println!("{name}: seed={seed} (replay with TLSNIC_SEED={seed})");
    seed
}

/// Parse a decimal or `0x` hexadecimal seed.
pub fn parse_seed(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The deterministic generator used by every scenario.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A random initial TCP sequence number for a stream of about `span` bytes:
/// one time in four just below 2^32, so that the stream crosses the
/// sequence-number wrap.
pub fn isn<R: Rng>(r: &mut R, span: u32) -> u32 {
    if r.gen_range(0..4) == 0 {
        0u32.wrapping_sub(r.gen_range(1..=span.max(1)))
    } else {
        r.gen()
    }
}
