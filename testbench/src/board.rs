//! The board self-test (`rtl/board/board_selftest.sv`) in simulation: the
//! core of the ECPIX-5 top, run through its simulation top's status
//! registers (`rtl/board/board_sim_top.sv`), until its PASS or FAIL LED
//! would light.

use tlsnic_sim::{Sim, SimError};

/// `board_sim_top` register addresses.
pub mod reg {
    /// "SELF".
    pub const ID: u16 = 0x00;
    /// [0] pass, [1] fail, [2] running, [3] heartbeat, [4] activity,
    /// [15:8] fail code, [23:16] sequencer code.
    pub const STATUS: u16 = 0x04;
    /// Frames checked intact.
    pub const FRAMES_OK: u16 = 0x08;
    /// Frame index of the first failure.
    pub const FAIL_FRAME: u16 = 0x0C;
    /// Beat of the first failure within its frame.
    pub const FAIL_BEAT: u16 = 0x10;
    /// Device commands the sequencer completed.
    pub const CMDS: u16 = 0x14;
    /// [0] corrupt_key; writing [1] = 1 restarts the self-test.
    pub const CONTROL: u16 = 0x18;
    /// [7:0] connections, [30:8] records per connection, [31] stand-in
    /// device (STUB=1).
    pub const PARAMS: u16 = 0x1C;
}

/// The value of `reg::ID`.
pub const ID: u32 = 0x5345_4C46;

/// What the self-test's LEDs and status registers showed at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelftestResult {
    /// The PASS LED.
    pub pass: bool,
    /// The FAIL LED.
    pub fail: bool,
    /// `board_selftest`'s fail code (0 when passed).
    pub fail_code: u8,
    /// The sequencer's code (install stage and device error code).
    pub seq_code: u8,
    /// Frames the checker found intact.
    pub frames_ok: u32,
    /// Frame index and beat of the first failure.
    pub fail_at: (u32, u32),
    /// Device commands completed (two per connection when all installed).
    pub cmds: u32,
    /// Connections and records per connection of the build.
    pub n_conn: u32,
    /// Records per connection.
    pub n_rec: u32,
    /// The build has the stand-in device (`tls_offload_stub`, no
    /// cryptography) instead of `tls_offload_top`.
    pub stub: bool,
    /// Cycles from the restart to PASS or FAIL.
    pub cycles: u64,
}

impl SelftestResult {
    /// The fail code's meaning (board_selftest.sv).
    pub fn fail_reason(&self) -> &'static str {
        match self.fail_code {
            0 => "none",
            0x02 => "record not decrypted (authentication failed?)",
            0x03 => "data differs from the plaintext sent",
            0x04 => "framing (tkeep/tlast) differs",
            0x05 => "RX ctx_id differs from the installed context",
            0x06 => "extra frame",
            0x07 => "no progress (watchdog)",
            0x11..=0x1F => "context install failed",
            _ => "unknown code",
        }
    }
}

/// Restart the self-test (with one RX key bit flipped when `corrupt_key`)
/// and run until PASS or FAIL, polling the status every 1000 cycles; gives
/// up after `max_cycles`.
pub fn run_selftest(sim: &mut Sim, corrupt_key: bool, max_cycles: u64) -> Result<SelftestResult, SimError> {
    if sim.csr_read(reg::ID)? != ID {
        return Err(SimError::Model("not the board self-test top (ID register)".into()));
    }
    sim.csr_write(reg::CONTROL, 0b10 | u32::from(corrupt_key))?;
    let start = sim.cycle();
    let status = loop {
        let s = sim.csr_read(reg::STATUS)?;
        if s & 0b11 != 0 {
            break s;
        }
        if sim.cycle() - start > max_cycles {
            return Err(SimError::Timeout { cycles: max_cycles });
        }
        sim.tick(1000);
    };
    let cycles = sim.cycle() - start;
    let params = sim.csr_read(reg::PARAMS)?;
    Ok(SelftestResult {
        pass: status & 1 != 0,
        fail: status & 2 != 0,
        fail_code: (status >> 8) as u8,
        seq_code: (status >> 16) as u8,
        frames_ok: sim.csr_read(reg::FRAMES_OK)?,
        fail_at: (sim.csr_read(reg::FAIL_FRAME)?, sim.csr_read(reg::FAIL_BEAT)?),
        cmds: sim.csr_read(reg::CMDS)?,
        n_conn: params & 0xFF,
        n_rec: (params >> 8) & 0x7F_FFFF,
        stub: params >> 31 != 0,
        cycles,
    })
}
