//! tlsnic verification library: stimulus generators, network impairments,
//! the independent reference model (RustCrypto `aes-gcm`), scoreboards and
//! scenarios that run on the Verilated RTL.
//!
//! It reaches the device through the device adapter (`tlsnic-device`: the
//! model as the driver's NIC) and `tlsnic-sim`; neither depends on it. This
//! crate knows TLS and nothing of Verilator; `tlsnic-sim` knows Verilator
//! and nothing of TLS.

pub mod board;
pub mod flowhash;
pub mod gcm_job;
pub mod reference;
pub mod regress;
pub mod retx_bench;
pub mod rx;
pub mod scenario;
pub mod secrets;
pub mod seed;
pub mod stats;
pub mod throughput;
pub mod tls;
pub mod tx;
pub mod wire;
