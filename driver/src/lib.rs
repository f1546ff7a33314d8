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
//!   ones by crypto-state rebuild (mlx5: Resync + Dump), by software
//!   fallback and next-record sync, or by random-access retransmission
//!   with the tags the device reports in tag completions, with the
//!   driver's `tx_tls_*` statistics.
//! - [`testing`] (feature `testing`): a reference TX device, the
//!   behavioural model the RTL is compared against.
//!
//! TLS_HW RX, from the wire to the application:
//!
//! - [`rx_device`]: the device contract of the RX path
//!   ([`rx_device::RxDevice`]: context add/delete/resync, frames in,
//!   frames out with their descriptor and reason, the `rx_tls_*` device
//!   counters).
//! - [`rx_host`]: a socket's kTLS RX core (TCP reassembly with per-byte
//!   `decrypted` marks, strparser, device / mixed / software records with
//!   `tls_device_reencrypt`, the async resync log, stack-driven back-off)
//!   and the RX driver (`tls_dev_add(RX)`, `tls_dev_del`, resync requests
//!   answered through `tls_dev_resync`, driver counters).
//!
//! Both directions:
//!
//! - [`nic`]: the NIC as the kernel sees it: `tlsdev_ops` over both
//!   drivers, the `tls-hw-tx-offload` / `tls-hw-rx-offload` features (new
//!   connections only), capacity (`devlink resource`), `/proc/net/tls_stat`,
//!   and the RX path on tokio with resync requests handled by a worker.
//! - [`stats`]: `ethtool -S` ordering and formatting of every counter.
//!
//! The Verilated device implements [`tx_offload::TxDevice`] and
//! [`rx_device::RxDevice`] in the testbench
//! (`tlsnic_testbench::nic::SimNic`), which also encodes
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
