//! CSR map of `tls_offload_top` (docs/registers.md) and the command
//! handshake: write the command registers, ring the doorbell, poll
//! `CMD_STATUS` until the command completes.

use tlsnic_sim::{Sim, SimError};

pub use tlsnic_firmware::regs::*;

/// Error codes in `CMD_STATUS[7:4]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmdError {
    /// 1: unknown opcode.
    BadOpcode,
    /// 2: ctx_id out of range.
    BadCtx,
    /// 3: the 4-tuple is installed already.
    FlowExists,
    /// 4: no free RX context.
    TableFull,
    /// 5: the context is not installed.
    NotInstalled,
    /// Any other code.
    Other(u32),
}

impl CmdError {
    fn from_code(code: u32) -> CmdError {
        match code {
            1 => CmdError::BadOpcode,
            2 => CmdError::BadCtx,
            3 => CmdError::FlowExists,
            4 => CmdError::TableFull,
            5 => CmdError::NotInstalled,
            c => CmdError::Other(c),
        }
    }
}

/// Ring the doorbell with `op` and wait for the completion.
pub fn command(sim: &mut Sim, op: u32) -> Result<Result<(), CmdError>, SimError> {
    let before = sim.csr_read(STATUS)? >> 16;
    sim.csr_write(DOORBELL, op)?;
    for _ in 0..1000 {
        let st = sim.csr_read(STATUS)?;
        if st & 1 == 0 && (st >> 16) != before {
            return Ok(if st & 2 == 0 { Ok(()) } else { Err(CmdError::from_code((st >> 4) & 0xf)) });
        }
    }
    Err(SimError::Timeout { cycles: 1000 })
}

/// Write the key (zero-padded to 32 bytes) and the 12-byte salt||IV.
pub fn write_key_iv(sim: &mut Sim, key: &[u8], iv12: &[u8; 12]) -> Result<(), SimError> {
    let mut k = [0u8; 32];
    k[..key.len()].copy_from_slice(key);
    for w in 0..8 {
        sim.csr_write(KEY + 4 * w as u16, u32::from_be_bytes(k[4 * w..4 * w + 4].try_into().unwrap()))?;
    }
    for w in 0..3 {
        sim.csr_write(IV + 4 * w as u16, u32::from_be_bytes(iv12[4 * w..4 * w + 4].try_into().unwrap()))?;
    }
    Ok(())
}

/// Write the TCP sequence number and record number registers.
pub fn write_seq_rec(sim: &mut Sim, seq: u32, rec: u64) -> Result<(), SimError> {
    sim.csr_write(SEQ, seq)?;
    sim.csr_write(REC_HI, (rec >> 32) as u32)?;
    sim.csr_write(REC_LO, rec as u32)
}
