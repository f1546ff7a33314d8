//! The command queue between the driver and the firmware (docs/firmware.md):
//! fixed-size little-endian command descriptors and completions in two
//! rings with free-running producer and consumer indices.

/// Descriptor format version.
pub const CMD_VERSION: u8 = 1;
/// Size of a command descriptor.
pub const CMD_SIZE: usize = 128;
/// Size of a completion.
pub const CPL_SIZE: usize = 32;

/// Command opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Opcode {
    /// Install a TX context at `ctx_id`.
    AddTx = 1,
    /// Delete TX context `ctx_id`.
    DelTx = 2,
    /// Install an RX context for a 4-tuple; the device picks the id.
    AddRx = 3,
    /// Delete RX context `ctx_id`.
    DelRx = 4,
    /// RX resync: the record numbered `rec_seq` starts at `tcp_seq`.
    RxResync = 5,
    /// Capabilities into the completion.
    QueryCaps = 6,
    /// Statistics block `ctx_id` (five counters) into the completion.
    ReadStats = 7,
    /// TX resync (next-record sync): the record numbered `rec_seq` starts
    /// at `tcp_seq`, which TX context `ctx_id` now expects. The driver
    /// issues it only when none of the context's frames is queued ahead of
    /// it (the TX queue's in-band context-update frame is the ordered
    /// alternative, docs/tx.md).
    TxResync = 8,
}

impl Opcode {
    /// The opcode with value `v`.
    pub fn from_u8(v: u8) -> Option<Opcode> {
        Some(match v {
            1 => Opcode::AddTx,
            2 => Opcode::DelTx,
            3 => Opcode::AddRx,
            4 => Opcode::DelRx,
            5 => Opcode::RxResync,
            6 => Opcode::QueryCaps,
            7 => Opcode::ReadStats,
            8 => Opcode::TxResync,
            _ => return None,
        })
    }
}

/// `flags` bits.
pub mod flags {
    /// TLS 1.3 (else 1.2).
    pub const TLS13: u8 = 1;
    /// RX: stack-driven resync (else stream scan).
    pub const STACK_DRIVEN: u8 = 2;
    /// RX: the 4-tuple is IPv6.
    pub const IPV6: u8 = 4;
    /// Every defined bit.
    pub const ALL: u8 = TLS13 | STACK_DRIVEN | IPV6;
}

/// Completion status codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// Done.
    Ok = 0,
    /// Unknown descriptor version.
    BadVersion = 1,
    /// Unknown opcode.
    BadOpcode = 2,
    /// Reserved bytes or flag bits set.
    Reserved = 3,
    /// Key length not 16 or 32.
    BadKeyLength = 4,
    /// `ctx_id` out of range.
    BadContext = 5,
    /// The operation is not supported.
    Unsupported = 6,
    /// The device stayed busy or did not complete in the poll budget.
    Timeout = 7,
    /// The RX flow is installed already.
    FlowExists = 8,
    /// No free context: the connection stays in software.
    TableFull = 9,
    /// The context is not installed.
    NotInstalled = 10,
    /// The device reported another error.
    Device = 11,
}

impl Status {
    /// The status with value `v`.
    pub fn from_u8(v: u8) -> Option<Status> {
        use Status::*;
        Some(match v {
            0 => Ok,
            1 => BadVersion,
            2 => BadOpcode,
            3 => Reserved,
            4 => BadKeyLength,
            5 => BadContext,
            6 => Unsupported,
            7 => Timeout,
            8 => FlowExists,
            9 => TableFull,
            10 => NotInstalled,
            11 => Device,
            _ => return None,
        })
    }
}

/// A command descriptor, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command {
    /// Format version ([`CMD_VERSION`]).
    pub version: u8,
    /// Opcode byte (not necessarily a known one).
    pub opcode: u8,
    /// Echoed in the completion.
    pub tag: u16,
    /// [`flags`].
    pub flags: u8,
    /// Key length: 16 or 32.
    pub key_len: u8,
    /// Context id.
    pub ctx_id: u16,
    /// TCP sequence number.
    pub tcp_seq: u32,
    /// Record sequence number.
    pub rec_seq: u64,
    /// Key (`key_len` bytes used).
    pub key: [u8; 32],
    /// Salt (implicit nonce / first IV bytes).
    pub salt: [u8; 4],
    /// IV (TLS 1.2 explicit nonce start / last IV bytes).
    pub iv: [u8; 8],
    /// RX: source address (the peer; IPv4 in bytes 0..4).
    pub saddr: [u8; 16],
    /// RX: destination address (local).
    pub daddr: [u8; 16],
    /// RX: source port.
    pub sport: u16,
    /// RX: destination port.
    pub dport: u16,
    /// Bytes 100..128: must be zero.
    pub reserved: [u8; 28],
}

impl Default for Command {
    fn default() -> Self {
        Command {
            version: CMD_VERSION,
            opcode: 0,
            tag: 0,
            flags: 0,
            key_len: 0,
            ctx_id: 0,
            tcp_seq: 0,
            rec_seq: 0,
            key: [0; 32],
            salt: [0; 4],
            iv: [0; 8],
            saddr: [0; 16],
            daddr: [0; 16],
            sport: 0,
            dport: 0,
            reserved: [0; 28],
        }
    }
}

fn arr<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

impl Command {
    /// Encode (little-endian fields).
    pub fn encode(&self) -> [u8; CMD_SIZE] {
        let mut b = [0u8; CMD_SIZE];
        b[0] = self.version;
        b[1] = self.opcode;
        b[2..4].copy_from_slice(&self.tag.to_le_bytes());
        b[4] = self.flags;
        b[5] = self.key_len;
        b[6..8].copy_from_slice(&self.ctx_id.to_le_bytes());
        b[8..12].copy_from_slice(&self.tcp_seq.to_le_bytes());
        b[12..20].copy_from_slice(&self.rec_seq.to_le_bytes());
        b[20..52].copy_from_slice(&self.key);
        b[52..56].copy_from_slice(&self.salt);
        b[56..64].copy_from_slice(&self.iv);
        b[64..80].copy_from_slice(&self.saddr);
        b[80..96].copy_from_slice(&self.daddr);
        b[96..98].copy_from_slice(&self.sport.to_le_bytes());
        b[98..100].copy_from_slice(&self.dport.to_le_bytes());
        b[100..128].copy_from_slice(&self.reserved);
        b
    }

    /// Decode; any 128 bytes decode (validation is the firmware's job).
    pub fn decode(b: &[u8; CMD_SIZE]) -> Command {
        Command {
            version: b[0],
            opcode: b[1],
            tag: u16::from_le_bytes([b[2], b[3]]),
            flags: b[4],
            key_len: b[5],
            ctx_id: u16::from_le_bytes([b[6], b[7]]),
            tcp_seq: u32::from_le_bytes(arr(&b[8..12])),
            rec_seq: u64::from_le_bytes(arr(&b[12..20])),
            key: arr(&b[20..52]),
            salt: arr(&b[52..56]),
            iv: arr(&b[56..64]),
            saddr: arr(&b[64..80]),
            daddr: arr(&b[80..96]),
            sport: u16::from_le_bytes([b[96], b[97]]),
            dport: u16::from_le_bytes([b[98], b[99]]),
            reserved: arr(&b[100..128]),
        }
    }
}

/// A completion, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The command's tag.
    pub tag: u16,
    /// [`Status`] value.
    pub status: u8,
    /// The command's opcode byte.
    pub opcode: u8,
    /// ADD_RX: the context id the device gave; else the command's.
    pub ctx_id: u16,
    /// QUERY_CAPS: [N_CTX, capability bits, device version, 0, 0, 0];
    /// READ_STATS: five counters of the block, then the block count.
    pub data: [u32; 6],
}

impl Completion {
    /// Encode (little-endian).
    pub fn encode(&self) -> [u8; CPL_SIZE] {
        let mut b = [0u8; CPL_SIZE];
        b[0..2].copy_from_slice(&self.tag.to_le_bytes());
        b[2] = self.status;
        b[3] = self.opcode;
        b[4..6].copy_from_slice(&self.ctx_id.to_le_bytes());
        for (i, d) in self.data.iter().enumerate() {
            b[8 + 4 * i..12 + 4 * i].copy_from_slice(&d.to_le_bytes());
        }
        b
    }

    /// Decode.
    pub fn decode(b: &[u8; CPL_SIZE]) -> Completion {
        let mut data = [0u32; 6];
        for (i, d) in data.iter_mut().enumerate() {
            *d = u32::from_le_bytes(arr(&b[8 + 4 * i..12 + 4 * i]));
        }
        Completion {
            tag: u16::from_le_bytes([b[0], b[1]]),
            status: b[2],
            opcode: b[3],
            ctx_id: u16::from_le_bytes([b[4], b[5]]),
            data,
        }
    }
}

/// A ring of `N` fixed-size entries of `S` bytes with free-running
/// producer and consumer indices (entry = index mod N): the producer owns
/// `prod`, the consumer `cons`; empty when equal, full when `N` apart.
pub struct Ring<const N: usize, const S: usize> {
    slots: [[u8; S]; N],
    prod: u32,
    cons: u32,
}

/// The ring has no free slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingFull;

impl<const N: usize, const S: usize> Default for Ring<N, S> {
    fn default() -> Self {
        Ring { slots: [[0u8; S]; N], prod: 0, cons: 0 }
    }
}

impl<const N: usize, const S: usize> Ring<N, S> {
    /// Entries waiting.
    pub fn len(&self) -> usize {
        self.prod.wrapping_sub(self.cons) as usize
    }

    /// Nothing waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Producer: add an entry.
    pub fn push(&mut self, e: &[u8; S]) -> Result<(), RingFull> {
        if self.len() >= N {
            return Err(RingFull);
        }
        self.slots[self.prod as usize % N] = *e;
        self.prod = self.prod.wrapping_add(1);
        Ok(())
    }

    /// Consumer: the oldest entry, without removing it.
    pub fn peek(&self) -> Option<&[u8; S]> {
        (!self.is_empty()).then(|| &self.slots[self.cons as usize % N])
    }

    /// Consumer: remove the oldest entry.
    pub fn pop(&mut self) -> Option<[u8; S]> {
        let e = *self.peek()?;
        self.cons = self.cons.wrapping_add(1);
        Some(e)
    }

    /// Producer index (free-running).
    pub fn producer(&self) -> u32 {
        self.prod
    }

    /// Consumer index (free-running).
    pub fn consumer(&self) -> u32 {
        self.cons
    }
}

/// The command ring (64 descriptors).
pub type CmdRing = Ring<64, CMD_SIZE>;
/// The completion ring (64 completions).
pub type CplRing = Ring<64, CPL_SIZE>;
