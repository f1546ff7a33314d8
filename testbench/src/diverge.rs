//! Where a run went wrong, for its waveform: the first output frame that
//! differs from what the references expect (frame index, first wrong byte,
//! expected and got) with the cycles in which it left the device, or the
//! cycle of a failed RTL assertion; and the window of cycles a replay
//! dumps around it (`tlsnic regress` prints the replay command with that
//! window, docs/build.md).

/// Cycles a replay's waveform starts before the first cycle of a
/// divergence: enough for the frame's way through the pipeline (a
/// 9600-byte frame is 600 beats at 128 bits) and what led to it.
pub const WAVE_BEFORE: u64 = 5000;
/// Cycles a replay's waveform goes on after the last cycle of a
/// divergence.
pub const WAVE_AFTER: u64 = 200;

/// Environment variable of the test hook [`injected_mismatch`].
pub const MISMATCH_ENV: &str = "TLSNIC_TB_MISMATCH";

/// The first output frame that differs from the expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// Which check (and connection, stream offset...).
    pub what: String,
    /// Index of the frame in the run's output order.
    pub frame: usize,
    /// First byte that differs; `None` when the frame is wrong as a whole
    /// (marked when it must not be, missing, not parsable).
    pub byte: Option<usize>,
    /// The expected byte there (`None`: the expected frame ends before).
    pub expected: Option<u8>,
    /// The byte the device delivered (`None`: its frame ends before).
    pub got: Option<u8>,
    /// The cycles `first..last` (as [`tlsnic_sim::Sim::cycle`] counts)
    /// in one of which the frame left the device: it was not out yet when
    /// the model had run `first` cycles, and was taken from it after
    /// `last`.
    pub cycles: Option<(u64, u64)>,
}

impl Divergence {
    /// A frame wrong as a whole.
    pub fn frame(what: impl Into<String>, frame: usize, cycles: Option<(u64, u64)>) -> Divergence {
        Divergence { what: what.into(), frame, byte: None, expected: None, got: None, cycles }
    }

    /// Frame `frame` delivered as `got` where `want` was expected (they
    /// differ); the first difference.
    pub fn bytes(
        what: impl Into<String>,
        frame: usize,
        got: &[u8],
        want: &[u8],
        cycles: Option<(u64, u64)>,
    ) -> Divergence {
        let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
        Divergence {
            what: what.into(),
            frame,
            byte: Some(at),
            expected: want.get(at).copied(),
            got: got.get(at).copied(),
            cycles,
        }
    }
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = |x: Option<u8>| x.map_or("end of frame".to_string(), |v| format!("{v:#04x}"));
        write!(f, "{}: frame {}", self.what, self.frame)?;
        if let Some(at) = self.byte {
            write!(f, ", byte {at}: expected {}, got {}", b(self.expected), b(self.got))?;
        }
        if let Some((a, z)) = self.cycles {
            write!(f, "; it left the device in cycles {a}..{z}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Divergence {}

/// The waveform window (cycles `from..to`) around cycles `first..last`
/// of a divergence.
pub fn wave_window((first, last): (u64, u64)) -> (u64, u64) {
    (first.saturating_sub(WAVE_BEFORE), last.saturating_add(WAVE_AFTER))
}

/// The cycle of a failed RTL assertion named in `msg` (the simulator's
/// message, `cycle N (waveform time ...)`, as it appears in an error or a
/// panic message), if any.
pub fn assertion_cycle(msg: &str) -> Option<u64> {
    let at = msg.find("ssertion")?;
    let rest = &msg[at..];
    let c = rest.find("cycle ")? + "cycle ".len();
    let digits: String = rest[c..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The cycles a failure message names, in the forms the testbench and the
/// simulator write them, as a range `first..last`: a divergent frame's
/// `in cycles A..B`, a failed RTL assertion's `cycle N`
/// ([`assertion_cycle`]; `N..N + 1`), a stall's `at cycle N` (`N..N +
/// 1`). For messages that are all that is left of a failure (a panic's, a
/// replay's error).
pub fn cycles_in(msg: &str) -> Option<(u64, u64)> {
    let num = |s: &str| -> Option<u64> { s.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok() };
    if let Some(at) = msg.find("in cycles ") {
        let rest = &msg[at + "in cycles ".len()..];
        let (a, b) = rest.split_once("..")?;
        return Some((num(a)?, num(b)?));
    }
    if let Some(c) = assertion_cycle(msg) {
        return Some((c, c + 1));
    }
    let at = msg.find("stalled")?;
    let rest = &msg[at..];
    let c = num(&rest[rest.find("at cycle ")? + "at cycle ".len()..])?;
    Some((c, c + 1))
}

/// Test hook of the failure path (replay command, waveform window): with
/// `TLSNIC_TB_MISMATCH=N` set, the RX scoreboard
/// ([`crate::rx::scoreboard_at`]) and the wire checks of
/// [`crate::tx::tx_random_run`] expect a wrong byte in output frame N, so
/// a correct run fails there. Unset (always, but in the test of that
/// path): `None`.
pub fn injected_mismatch() -> Option<usize> {
    std::env::var(MISMATCH_ENV).ok().and_then(|v| v.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_and_message() {
        let d = Divergence::bytes("conn 2", 7, &[1, 2, 3, 4], &[1, 2, 9, 4], Some((100, 180)));
        assert_eq!((d.byte, d.expected, d.got), (Some(2), Some(9), Some(3)));
        assert_eq!(
            d.to_string(),
            "conn 2: frame 7, byte 2: expected 0x09, got 0x03; it left the device in cycles 100..180"
        );
        let short = Divergence::bytes("x", 0, &[1, 2], &[1, 2, 3], None);
        assert_eq!((short.byte, short.expected, short.got), (Some(2), Some(3), None));
        assert!(short.to_string().ends_with("expected 0x03, got end of frame"), "{short}");
        assert_eq!(wave_window((100, 180)), (0, 380));
        assert_eq!(wave_window((10_000, 10_500)), (5_000, 10_700));
    }

    #[test]
    fn assertion_cycles_are_found_in_errors_and_panics() {
        assert_eq!(assertion_cycle("RTL assertion failed: cycle 1234 (waveform time 2469): x"), Some(1234));
        assert_eq!(assertion_cycle("RX frames drain: Assertion(\"cycle 77 (waveform time 155): y\")"), Some(77));
        assert_eq!(assertion_cycle("simulation timed out after 5 cycles"), None);
    }

    #[test]
    fn cycles_are_found_in_messages() {
        let d = Divergence::frame("x", 3, Some((40, 90)));
        assert_eq!(cycles_in(&format!("panicked: {d}")), Some((40, 90)));
        assert_eq!(cycles_in("RTL assertion failed: cycle 12 (waveform time 25): x"), Some((12, 13)));
        let stall = "device stalled: no stream handshake for 20000 cycles at cycle 31000 with input pending; in0";
        assert_eq!(cycles_in(stall), Some((31_000, 31_001)));
        assert_eq!(cycles_in("conn 3: 10 of 12 application bytes, wrong"), None);
    }
}
