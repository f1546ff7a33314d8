//! The tlsnic device adapter: the Verilated device (`tlsnic-sim`) as the
//! host driver (`tlsnic-driver`) sees a NIC. Product code: the CLI's
//! `serve`, `connect`, `replay` and `stats` run on it, and so does every
//! test of the verification crate (`tlsnic-testbench`), which depends on
//! this crate and never the other way round.
//!
//! Layers, lowest first: [`csr`] (the register map, generated from
//! `rtl/regmap.rdl` and `rtl/regmap.toml`, and the command handshake), [`fwcmd`] (context
//! commands through the firmware's queue), [`tx`] and [`rx`] (each path
//! behind the driver's device trait), [`nic`] (both paths on one model as
//! a `NicDevice`), [`replay`] (a packet capture and key log through the RX
//! path and the kernel RX model).

pub mod csr;
pub mod fwcmd;
pub mod nic;
pub mod replay;
pub mod rx;
pub mod tx;
