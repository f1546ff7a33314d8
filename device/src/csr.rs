//! CSR map of `tls_offload_top` (docs/registers.md; the constants are
//! `tlsnic_firmware::regs`, generated from rtl/regmap.rdl and rtl/regmap.toml) and the command
//! handshake: write the command registers, ring the doorbell, poll
//! `CMD_STATUS` until the command completes.

use tlsnic_sim::{Sim, SimError};

pub use tlsnic_firmware::regs::*;

/// Error codes in the `CMD_STATUS` code field (`ERR_*`).
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
            ERR_BAD_OP => CmdError::BadOpcode,
            ERR_BAD_CTX => CmdError::BadCtx,
            ERR_FLOW_EXISTS => CmdError::FlowExists,
            ERR_TABLE_FULL => CmdError::TableFull,
            ERR_NOT_INSTALLED => CmdError::NotInstalled,
            c => CmdError::Other(c),
        }
    }
}

/// Bits `lsb..lsb + width` of `v`.
fn field(v: u32, lsb: u32, width: u32) -> u32 {
    (v >> lsb) & (u32::MAX >> (32 - width))
}

/// The address of TX counter `i` (`TX_CNT_*`).
pub fn tx_counter(i: usize) -> u16 {
    assert!(i < TX_CNT_N, "TX counter {i}");
    REG_TX_STATS + 4 * i as u16
}

/// The address of RX counter `i` (`RX_CNT_*`).
pub fn rx_counter(i: usize) -> u16 {
    assert!(i < RX_CNT_N, "RX counter {i}");
    REG_RX_STATS + 4 * i as u16
}

/// Ring the doorbell with `op` and wait for the completion.
pub fn command(sim: &mut Sim, op: u32) -> Result<Result<(), CmdError>, SimError> {
    let count = |st: u32| field(st, STATUS_COUNT_LSB, STATUS_COUNT_W);
    let before = count(sim.csr_read(REG_CMD_STATUS)?);
    sim.csr_write(REG_CMD_DOORBELL, op)?;
    for _ in 0..1000 {
        let st = sim.csr_read(REG_CMD_STATUS)?;
        if st & 1 << STATUS_BUSY == 0 && count(st) != before {
            return Ok(if st & 1 << STATUS_FAILED == 0 {
                Ok(())
            } else {
                Err(CmdError::from_code(field(st, STATUS_CODE_LSB, STATUS_CODE_W)))
            });
        }
    }
    Err(SimError::Timeout { cycles: 1000 })
}

/// Write the key (zero-padded to 32 bytes) and the 12-byte salt||IV.
pub fn write_key_iv(sim: &mut Sim, key: &[u8], iv12: &[u8; 12]) -> Result<(), SimError> {
    let mut k = [0u8; 32];
    k[..key.len()].copy_from_slice(key);
    for w in 0..8 {
        sim.csr_write(REG_CMD_KEY + 4 * w as u16, u32::from_be_bytes(k[4 * w..4 * w + 4].try_into().unwrap()))?;
    }
    for w in 0..3 {
        sim.csr_write(REG_CMD_IV + 4 * w as u16, u32::from_be_bytes(iv12[4 * w..4 * w + 4].try_into().unwrap()))?;
    }
    Ok(())
}

/// Write the TCP sequence number and record number registers.
pub fn write_seq_rec(sim: &mut Sim, seq: u32, rec: u64) -> Result<(), SimError> {
    sim.csr_write(REG_CMD_SEQ, seq)?;
    sim.csr_write(REG_CMD_REC_HI, (rec >> 32) as u32)?;
    sim.csr_write(REG_CMD_REC_LO, rec as u32)
}
