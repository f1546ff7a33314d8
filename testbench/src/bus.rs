//! The firmware's register bus over the Verilated device's AXI4-Lite port:
//! the same firmware code that will drive an FPGA's register port drives
//! the simulation.

use tlsnic_firmware::RegisterBus;
use tlsnic_sim::Sim;

/// `RegisterBus` on a Verilated `tls_offload_top`. Every access is a real
/// AXI4-Lite transaction and advances the simulation by its cycles.
pub struct SimBus<'a> {
    /// The model.
    pub sim: &'a mut Sim,
}

impl RegisterBus for SimBus<'_> {
    fn read32(&mut self, addr: u32) -> u32 {
        // The CSR space is 16 bits wide; addresses above it read as the
        // device's "no register" value.
        match u16::try_from(addr) {
            Ok(a) => self.sim.csr_read(a).expect("AXI4-Lite read completes"),
            Err(_) => 0xDEAD_BEEF,
        }
    }

    fn write32(&mut self, addr: u32, value: u32) {
        if let Ok(a) = u16::try_from(addr) {
            self.sim.csr_write(a, value).expect("AXI4-Lite write completes");
        }
    }
}
