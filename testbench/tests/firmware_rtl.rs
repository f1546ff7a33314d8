//! The firmware on the Verilated device: commands through the queue
//! install contexts that then carry traffic; a fuzz of random and malformed
//! descriptors gets one completion each, writes nothing for a rejected
//! command, never hangs, and leaves the valid contexts working (the
//! scenario is the library's `firmware_fuzz`, also the regression's
//! `firmware_fuzz` family).

use tlsnic_testbench::firmware_fuzz::{firmware_fuzz_run, FUZZ_COMMANDS};
use tlsnic_testbench::seed::test_seed;

#[test]
fn firmware_commands_and_fuzz_on_the_device() {
    let seed = test_seed("firmware_commands_and_fuzz_on_the_device");
    let rep = firmware_fuzz_run(seed).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    assert_eq!(rep.commands, u64::from(FUZZ_COMMANDS), "seed {seed}");
    eprintln!("seed {seed}: {} fuzzed commands, completions by status {:?}", rep.commands, rep.by_status);
}
