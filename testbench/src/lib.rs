//! tlsnic verification library: stimulus generators, network impairments,
//! the independent reference model (RustCrypto `aes-gcm`), scoreboards and
//! scenarios that run on the Verilated RTL.
//!
//! It reaches the device through the device adapter (`tlsnic-device`: the
//! model as the driver's NIC) and `tlsnic-sim`; neither depends on it. This
//! crate knows TLS and nothing of Verilator; `tlsnic-sim` knows Verilator
//! and nothing of TLS.

/// Fail the scenario with [`scenario::ScenarioError::Check`] unless `cond`.
macro_rules! ensure {
    ($cond:expr, $($fmt:tt)+) => {
        if !$cond {
            return Err($crate::scenario::ScenarioError::Check(format!($($fmt)+)));
        }
    };
}

pub mod board;
pub mod diverge;
pub mod firmware_fuzz;
pub mod flowhash;
pub mod gcm_job;
pub mod lifecycle;
pub mod reference;
pub mod regress;
pub mod replay_impaired;
pub mod retx_bench;
pub mod rx;
pub mod rx_directed;
pub mod scenario;
pub mod secrets;
pub mod seed;
pub mod stats;
pub mod throughput;
pub mod tls;
pub mod tx;
pub mod wire;
