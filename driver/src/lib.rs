//! Host side of tlsnic: a model of the kernel TLS core (kTLS) and of a
//! driver implementing `tlsdev_ops`, in the kernel's vocabulary
//! (`tls_dev_add`, `tls_get_record`, `tx_tls_ooo`, ...).
//!
//! TLS_HW TX, from the application to the wire:
//!
//! - [`types`]: TLS version and cipher, `tls12_crypto_info`-like crypto
//!   state ([`types::TlsCryptoInfo`]), context ids and device errors,
//!   IPv4/IPv6 flow keys, TCP sequence arithmetic modulo 2^32.
//! - [`record`]: TLS 1.2 / 1.3 AES-GCM record protection (RustCrypto
//!   `aes-gcm`): the plaintext record a TLS_HW device gets, software
//!   encryption, decryption and verification; the independent reference of
//!   every test.
//! - [`ktls_tx`]: a socket's TX side: record framing, the record store
//!   until ACK, `tls_get_record` with the start marker, pre-offload data,
//!   TX resync ("next record sync"), the software fallback.
//! - [`tcp`]: TSO segmentation and retransmission; Ethernet / 802.1Q /
//!   IPv4 / IPv6 / TCP frame building, parsing and checksums.
//! - [`tx_offload`]: the TX driver: `tls_dev_add` / `tls_dev_del` /
//!   `tls_dev_resync` against an abstract device ([`tx_offload::TxDevice`])
//!   and `xmit`, which marks in-order segments and handles out-of-order
//!   ones by crypto-state rebuild (mlx5: Resync + Dump) or by software
//!   fallback and next-record sync, with the driver's `tx_tls_*`
//!   statistics.
//! - [`testing`] (feature `testing`): a reference TX device, the
//!   behavioural model the RTL is compared against.
//!
//! The Verilated device implements [`tx_offload::TxDevice`] in the
//! testbench (`tlsnic_testbench::nic::SimNic`), which also encodes
//! [`tx_offload::TxWork`] in the RTL's TX stream format.

pub mod ktls_tx;
pub mod nic;
pub mod record;
pub mod rx_device;
pub mod rx_host;
pub mod stats;
pub mod tcp;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tx_offload;
pub mod types;
