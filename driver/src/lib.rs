//! Host side of tlsnic: a model of the kernel TLS core (kTLS) and of a
//! driver implementing `tlsdev_ops`, in the kernel's vocabulary.
//!
//! - [`ktls_tx`]: a TLS_HW socket's TX side: record framing with tag space,
//!   the record store kept until acknowledged, TCP segmentation (TSO) and
//!   retransmission.
//! - [`tx_driver`]: `tls_dev_add` / `tls_dev_del` for TX, frame marking,
//!   out-of-order handling by crypto-state rebuild (DUMP) or software
//!   fallback, and the driver's tx_* statistics.
//! - [`net`]: Ethernet/IP/TCP frame building.

pub mod ktls_tx;
pub mod net;
pub mod tx_driver;
pub mod types;
