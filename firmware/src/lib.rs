//! tlsnic control-plane firmware.
//!
//! `no_std`: it sees the device only through [`RegisterBus`], so the same code
//! drives the Verilated model in simulation and an FPGA's register port.
//!
//! - [`regs`]: the device's register map.
//! - [`queue`]: the command queue (descriptors, completions, rings) between
//!   the driver and the firmware (docs/firmware.md).
//! - [`fw`]: command processing over the register bus.
#![no_std]

pub mod fw;
pub mod queue;
pub mod regs;

/// A 32-bit register bus (AXI4-Lite in the device).
pub trait RegisterBus {
    /// Read the 32-bit register at byte address `addr`.
    fn read32(&mut self, addr: u32) -> u32;
    /// Write the 32-bit register at byte address `addr`.
    fn write32(&mut self, addr: u32, value: u32);
}

impl<B: RegisterBus + ?Sized> RegisterBus for &mut B {
    fn read32(&mut self, addr: u32) -> u32 {
        (**self).read32(addr)
    }
    fn write32(&mut self, addr: u32, value: u32) {
        (**self).write32(addr, value)
    }
}
