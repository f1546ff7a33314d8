//! tlsnic control-plane firmware.
//!
//! `no_std`: it sees the device only through [`RegisterBus`], so the same code
//! drives the Verilated model in simulation and an FPGA's register port.
#![no_std]

/// A 32-bit register bus (AXI4-Lite in the device).
pub trait RegisterBus {
    /// Read the 32-bit register at byte address `addr`.
    fn read32(&mut self, addr: u32) -> u32;
    /// Write the 32-bit register at byte address `addr`.
    fn write32(&mut self, addr: u32, value: u32);
}
