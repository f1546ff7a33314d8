//! The register map of `tls_offload_top` (docs/registers.md): the one
//! definition the firmware, the drivers' simulation glue and the tests use.

/// ID register: 0x544C534E ("TLSN").
pub const ID: u16 = 0x0000;
/// The value of [`ID`].
pub const ID_VALUE: u32 = 0x544C_534E;
/// Device version.
pub const VERSION: u16 = 0x0004;
/// Contexts per direction.
pub const N_CTX: u16 = 0x0008;
/// Capability bits: [0] TX, [1] RX, [2] TLS 1.3, [3] AES-256, [4] stream scan.
pub const CAPS: u16 = 0x000C;
/// TX counters: first register.
pub const TX_STATS: u16 = 0x0200;
/// TX counter registers.
pub const TX_STATS_N: u16 = 12;
/// Key words 0..7 (word 0 = key bytes 0..3, byte 0 in bits 31:24).
pub const KEY: u16 = 0x0100;
/// IV words 0..2: salt (4 bytes) then the 8-byte IV.
pub const IV: u16 = 0x0120;
/// TCP sequence number: start_offload_tcp_sn or a resync's.
pub const SEQ: u16 = 0x012C;
/// Record number, high word.
pub const REC_HI: u16 = 0x0130;
/// Record number, low word.
pub const REC_LO: u16 = 0x0134;
/// [15:0] ctx_id, [16] AES-256, [17] TLS 1.3, [18] RX stack-driven, [19] RX IPv6.
pub const CTRL: u16 = 0x0138;
/// Doorbell (`OP_*`).
pub const DOORBELL: u16 = 0x013C;
/// [0] busy, [1] failed, [2] table full, [7:4] error code, [31:16] completed.
pub const STATUS: u16 = 0x0140;
/// Context id given by the last RX add.
pub const RESULT: u16 = 0x0144;
/// RX flow: source address words 0..3 (IPv4: word 0).
pub const SADDR: u16 = 0x0150;
/// RX flow: destination address words 0..3 (IPv4: word 0).
pub const DADDR: u16 = 0x0160;
/// RX flow: [31:16] source port, [15:0] destination port.
pub const PORTS: u16 = 0x0170;
/// tx_tls_encrypted_packets.
pub const TX_ENC_PKTS: u16 = 0x0200;
/// tx_tls_encrypted_bytes low / high.
pub const TX_ENC_BYTES: u16 = 0x0204;
/// Unmarked frames passed.
pub const TX_PASS: u16 = 0x020C;
/// Marked frames dropped: unparsable.
pub const TX_DROP_PARSE: u16 = 0x0210;
/// Marked frames dropped: no such context.
pub const TX_DROP_CTX: u16 = 0x0214;
/// Marked frames dropped: sequence number not the expected one.
pub const TX_DROP_SEQ: u16 = 0x0218;
/// Marked frames dropped: malformed record or short frame.
pub const TX_DROP_REC: u16 = 0x021C;
/// TX contexts added.
pub const TX_CTX_ADD: u16 = 0x0220;
/// DUMP frames processed.
pub const TX_DUMP_PKTS: u16 = 0x0228;
/// DUMP bytes processed.
pub const TX_DUMP_BYTES: u16 = 0x022C;
/// First RX counter; counter i at `RX_STATS + 4 i` (`RxDevCounters` order).
pub const RX_STATS: u16 = 0x0300;
/// Number of RX counters.
pub const RX_STATS_N: u16 = 20;

/// Doorbell: add a TX context at CTRL's ctx_id.
pub const OP_ADD_TX: u32 = 1;
/// Doorbell: delete TX context.
pub const OP_DEL_TX: u32 = 2;
/// Doorbell: add an RX context (the device picks the slot).
pub const OP_ADD_RX: u32 = 3;
/// Doorbell: delete RX context.
pub const OP_DEL_RX: u32 = 4;
/// Doorbell: RX resync (ctx_id, SEQ, REC).
pub const OP_RESYNC_RX: u32 = 5;
/// Doorbell: TX context update (ctx_id, SEQ, REC): the record numbered REC
/// starts at TCP sequence number SEQ, which the context now expects.
pub const OP_UPDATE_TX: u32 = 6;
