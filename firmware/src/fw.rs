//! Command processing: every descriptor from the command ring is validated
//! completely before any register is written, then executed through the
//! command registers and the doorbell, and answered with exactly one
//! completion. Polling is bounded: a device that stays busy yields a
//! `Timeout` completion, never a hang.

use crate::queue::{flags, CmdRing, Command, Completion, CplRing, Opcode, Status, CMD_VERSION};
use crate::regs;
use crate::RegisterBus;

/// Status reads allowed per command before `Timeout`.
pub const POLL_BUDGET: u32 = 2000;

/// Counters READ_STATS serves, in blocks of five: the TX counters
/// (`REG_TX_STATS`, `TX_CNT_N` of them), then the RX counters
/// (`REG_RX_STATS`, `RX_CNT_N`).
const STAT_REGS: usize = regs::TX_CNT_N + regs::RX_CNT_N;

/// Why [`Firmware::init`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitError {
    /// The ID register does not read "TLSN".
    NotTlsnic(u32),
    /// N_CTX is 0 or above the 16-bit context id space.
    BadContextCount(u32),
}

/// The firmware.
pub struct Firmware<B: RegisterBus> {
    bus: B,
    n_ctx: u32,
    caps: u32,
    version: u32,
    done: u32,
}

impl<B: RegisterBus> Firmware<B> {
    /// Probe the device on `bus`.
    pub fn init(mut bus: B) -> Result<Self, InitError> {
        let id = bus.read32(u32::from(regs::REG_ID));
        if id != regs::ID_VALUE {
            return Err(InitError::NotTlsnic(id));
        }
        let n_ctx = bus.read32(u32::from(regs::REG_N_CTX));
        if n_ctx == 0 || n_ctx > 0x1_0000 {
            return Err(InitError::BadContextCount(n_ctx));
        }
        let caps = bus.read32(u32::from(regs::REG_CAPS));
        let version = bus.read32(u32::from(regs::REG_VERSION));
        Ok(Firmware { bus, n_ctx, caps, version, done: 0 })
    }

    /// Contexts per direction.
    pub fn n_ctx(&self) -> u32 {
        self.n_ctx
    }

    /// The bus (for tests and the simulation glue).
    pub fn bus(&mut self) -> &mut B {
        &mut self.bus
    }

    /// Commands completed since init.
    pub fn completed(&self) -> u32 {
        self.done
    }

    /// Process commands while there are some and the completion ring has
    /// room (a command is never consumed without its completion). Returns
    /// the number processed.
    pub fn process(&mut self, cmds: &mut CmdRing, cpls: &mut CplRing) -> usize {
        let mut n = 0;
        while cpls.len() < 64 {
            let Some(raw) = cmds.pop() else { break };
            let cpl = self.execute(&Command::decode(&raw));
            cpls.push(&cpl.encode()).expect("room checked");
            self.done = self.done.wrapping_add(1);
            n += 1;
        }
        n
    }

    /// Validate and run one command.
    pub fn execute(&mut self, c: &Command) -> Completion {
        let mut cpl =
            Completion { tag: c.tag, status: Status::Ok as u8, opcode: c.opcode, ctx_id: c.ctx_id, data: [0; 6] };
        let r = self.validate(c).and_then(|op| self.run(op, c, &mut cpl));
        if let Err(s) = r {
            cpl.status = s as u8;
        }
        cpl
    }

    fn validate(&self, c: &Command) -> Result<Opcode, Status> {
        if c.version != CMD_VERSION {
            return Err(Status::BadVersion);
        }
        let op = Opcode::from_u8(c.opcode).ok_or(Status::BadOpcode)?;
        if c.reserved.iter().any(|&b| b != 0) || c.flags & !flags::ALL != 0 {
            return Err(Status::Reserved);
        }
        let adds = matches!(op, Opcode::AddTx | Opcode::AddRx);
        if adds && c.key_len != 16 && c.key_len != 32 {
            return Err(Status::BadKeyLength);
        }
        // key bytes beyond the key length must be zero, as must unused fields
        if !adds && c.key_len != 0 {
            return Err(Status::Reserved);
        }
        if adds && c.key[usize::from(c.key_len)..].iter().any(|&b| b != 0) {
            return Err(Status::Reserved);
        }
        let needs_ctx =
            matches!(op, Opcode::AddTx | Opcode::DelTx | Opcode::DelRx | Opcode::RxResync | Opcode::TxResync);
        if needs_ctx && u32::from(c.ctx_id) >= self.n_ctx {
            return Err(Status::BadContext);
        }
        if op == Opcode::ReadStats && usize::from(c.ctx_id) >= STAT_REGS.div_ceil(5) {
            return Err(Status::BadContext);
        }
        if op == Opcode::AddRx
            && c.flags & flags::IPV6 == 0
            && (c.saddr[4..].iter().chain(&c.daddr[4..]).any(|&b| b != 0))
        {
            return Err(Status::Reserved);
        }
        Ok(op)
    }

    fn rd(&mut self, a: u16) -> u32 {
        self.bus.read32(u32::from(a))
    }

    fn wr(&mut self, a: u16, v: u32) {
        self.bus.write32(u32::from(a), v)
    }

    /// Wait until the device takes a command.
    fn wait_idle(&mut self) -> Result<u32, Status> {
        for _ in 0..POLL_BUDGET {
            let st = self.rd(regs::REG_CMD_STATUS);
            if st & 1 << regs::STATUS_BUSY == 0 {
                return Ok(st);
            }
        }
        Err(Status::Timeout)
    }

    /// Ring the doorbell and wait for the completion count to move.
    fn doorbell(&mut self, op: u32) -> Result<(), Status> {
        let before = field(self.wait_idle()?, regs::STATUS_COUNT_LSB, regs::STATUS_COUNT_W);
        self.wr(regs::REG_CMD_DOORBELL, op);
        for _ in 0..POLL_BUDGET {
            let st = self.rd(regs::REG_CMD_STATUS);
            if st & 1 << regs::STATUS_BUSY == 0 && field(st, regs::STATUS_COUNT_LSB, regs::STATUS_COUNT_W) != before {
                if st & 1 << regs::STATUS_FAILED == 0 {
                    return Ok(());
                }
                return Err(match field(st, regs::STATUS_CODE_LSB, regs::STATUS_CODE_W) {
                    regs::ERR_BAD_OP => Status::BadOpcode,
                    regs::ERR_BAD_CTX => Status::BadContext,
                    regs::ERR_FLOW_EXISTS => Status::FlowExists,
                    regs::ERR_TABLE_FULL => Status::TableFull,
                    regs::ERR_NOT_INSTALLED => Status::NotInstalled,
                    _ => Status::Device,
                });
            }
        }
        Err(Status::Timeout)
    }

    fn write_crypto(&mut self, c: &Command) {
        for w in 0..8 {
            let k = u32::from_be_bytes([c.key[4 * w], c.key[4 * w + 1], c.key[4 * w + 2], c.key[4 * w + 3]]);
            self.wr(regs::REG_CMD_KEY + 4 * w as u16, k);
        }
        let iv = [
            c.salt[0], c.salt[1], c.salt[2], c.salt[3], c.iv[0], c.iv[1], c.iv[2], c.iv[3], c.iv[4], c.iv[5], c.iv[6],
            c.iv[7],
        ];
        for w in 0..3 {
            self.wr(
                regs::REG_CMD_IV + 4 * w as u16,
                u32::from_be_bytes([iv[4 * w], iv[4 * w + 1], iv[4 * w + 2], iv[4 * w + 3]]),
            );
        }
        self.write_seq_rec(c);
    }

    fn write_seq_rec(&mut self, c: &Command) {
        self.wr(regs::REG_CMD_SEQ, c.tcp_seq);
        self.wr(regs::REG_CMD_REC_HI, (c.rec_seq >> 32) as u32);
        self.wr(regs::REG_CMD_REC_LO, c.rec_seq as u32);
    }

    fn ctrl(c: &Command, ctx: u16) -> u32 {
        u32::from(ctx) << regs::CTRL_CTX_LSB
            | u32::from(c.key_len == 32) << regs::CTRL_AES256
            | u32::from(c.flags & flags::TLS13 != 0) << regs::CTRL_TLS13
            | u32::from(c.flags & flags::STACK_DRIVEN != 0) << regs::CTRL_RX_SD
            | u32::from(c.flags & flags::IPV6 != 0) << regs::CTRL_RX_V6
    }

    /// `CMD_CTRL` naming context `ctx` and nothing else.
    fn ctrl_ctx(ctx: u16) -> u32 {
        u32::from(ctx) << regs::CTRL_CTX_LSB
    }

    fn run(&mut self, op: Opcode, c: &Command, cpl: &mut Completion) -> Result<(), Status> {
        match op {
            Opcode::AddTx => {
                self.wait_idle()?;
                self.write_crypto(c);
                self.wr(regs::REG_CMD_CTRL, Self::ctrl(c, c.ctx_id));
                self.doorbell(regs::OP_ADD_TX)
            }
            Opcode::DelTx | Opcode::DelRx => {
                self.wait_idle()?;
                self.wr(regs::REG_CMD_CTRL, Self::ctrl_ctx(c.ctx_id));
                self.doorbell(if op == Opcode::DelTx { regs::OP_DEL_TX } else { regs::OP_DEL_RX })
            }
            Opcode::AddRx => {
                self.wait_idle()?;
                self.write_crypto(c);
                for w in 0..4 {
                    let s = u32::from_be_bytes([
                        c.saddr[4 * w],
                        c.saddr[4 * w + 1],
                        c.saddr[4 * w + 2],
                        c.saddr[4 * w + 3],
                    ]);
                    let d = u32::from_be_bytes([
                        c.daddr[4 * w],
                        c.daddr[4 * w + 1],
                        c.daddr[4 * w + 2],
                        c.daddr[4 * w + 3],
                    ]);
                    self.wr(regs::REG_CMD_SADDR + 4 * w as u16, s);
                    self.wr(regs::REG_CMD_DADDR + 4 * w as u16, d);
                }
                self.wr(
                    regs::REG_CMD_PORTS,
                    u32::from(c.sport) << regs::PORTS_SPORT_LSB | u32::from(c.dport) << regs::PORTS_DPORT_LSB,
                );
                self.wr(regs::REG_CMD_CTRL, Self::ctrl(c, 0));
                self.doorbell(regs::OP_ADD_RX)?;
                cpl.ctx_id = self.rd(regs::REG_CMD_RESULT) as u16;
                Ok(())
            }
            Opcode::RxResync => {
                self.wait_idle()?;
                self.write_seq_rec(c);
                self.wr(regs::REG_CMD_CTRL, Self::ctrl_ctx(c.ctx_id));
                self.doorbell(regs::OP_RESYNC_RX)
            }
            Opcode::QueryCaps => {
                cpl.data = [self.n_ctx, self.caps, self.version, 0, 0, 0];
                Ok(())
            }
            Opcode::ReadStats => {
                let block = usize::from(c.ctx_id);
                for i in 0..5 {
                    let k = block * 5 + i;
                    if k < STAT_REGS {
                        let a = if k < regs::TX_CNT_N {
                            regs::REG_TX_STATS + 4 * k as u16
                        } else {
                            regs::REG_RX_STATS + 4 * (k - regs::TX_CNT_N) as u16
                        };
                        cpl.data[i] = self.rd(a);
                    }
                }
                cpl.data[5] = STAT_REGS.div_ceil(5) as u32;
                Ok(())
            }
            Opcode::TxResync => {
                self.wait_idle()?;
                self.write_seq_rec(c);
                self.wr(regs::REG_CMD_CTRL, Self::ctrl_ctx(c.ctx_id));
                self.doorbell(regs::OP_UPDATE_TX)
            }
        }
    }
}

/// Bits `lsb..lsb + width` of `v`.
fn field(v: u32, lsb: u32, width: u32) -> u32 {
    (v >> lsb) & (u32::MAX >> (32 - width))
}
