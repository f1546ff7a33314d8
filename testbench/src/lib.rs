//! tlsnic verification library: stimulus generators, the independent
//! reference model (RustCrypto `aes-gcm`), scoreboards and scenarios that run
//! on the Verilated RTL through `tlsnic-sim`.
//!
//! This crate knows TLS and nothing of Verilator; `tlsnic-sim` knows
//! Verilator and nothing of TLS.

pub mod board;
pub mod csr;
pub mod flowhash;
pub mod fwcmd;
pub mod gcm_job;
pub mod nic;
pub mod reference;
pub mod replay;
pub mod rx;
pub mod scenario;
pub mod secrets;
pub mod seed;
pub mod stats;
pub mod throughput;
pub mod tls;
pub mod tx;
