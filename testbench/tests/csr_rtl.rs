//! Every register of the map through the generated definitions
//! (`tlsnic_firmware::regs::REGISTERS`, from rtl/regmap.rdl) on the
//! Verilated device: read-only words ignore writes, write-only words read
//! 0xDEADBEEF, read-write words read back what was written within their
//! fields, and every other word address reads 0xDEADBEEF and ignores writes.

use tlsnic_firmware::regs::{self, Access};
use tlsnic_sim::{Sim, Top};

const NO_REG: u32 = 0xDEAD_BEEF;

/// The bits a read-write register stores: its fields (from the generated
/// field constants).
fn rw_mask(name: &str) -> u32 {
    match name {
        "CMD_SEQ" => u32::MAX,
        "CMD_CTRL" => (1 << (regs::CTRL_RX_V6 + 1)) - 1,
        "CMD_PORTS" => {
            let f = |lsb: u32, w: u32| (((1u64 << w) - 1) as u32) << lsb;
            f(regs::PORTS_SPORT_LSB, regs::PORTS_SPORT_W) | f(regs::PORTS_DPORT_LSB, regs::PORTS_DPORT_W)
        }
        other => panic!("read-write register {other} has no mask here: add it"),
    }
}

#[test]
fn every_register_behaves_as_the_map_defines() {
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let rd = |sim: &mut Sim, a: u16| sim.csr_read(a).expect("CSR read");
    assert_eq!(rd(&mut sim, regs::REG_ID), regs::ID_VALUE);
    assert_eq!(rd(&mut sim, regs::REG_VERSION), regs::VERSION_VALUE);
    assert_eq!(rd(&mut sim, regs::REG_DATA_W), 8 * sim.beat_bytes() as u32);
    assert!(rd(&mut sim, regs::REG_N_CTX) > 0);
    let caps =
        [regs::CAP_TX, regs::CAP_RX, regs::CAP_TLS13, regs::CAP_AES256, regs::CAP_STREAM_SCAN, regs::CAP_TX_RETX];
    assert_eq!(rd(&mut sim, regs::REG_CAPS), caps.iter().map(|b| 1u32 << b).sum::<u32>());

    let mut covered = std::collections::BTreeSet::new();
    for (k, r) in regs::REGISTERS.iter().enumerate() {
        for w in 0..r.words {
            let a = r.addr + 4 * w;
            assert!(covered.insert(a), "{} word {w} at {a:#x} overlaps another register", r.name);
            let pattern = 0x9E37_79B9u32.rotate_left(k as u32 + u32::from(w)) ^ u32::from(a);
            let before = rd(&mut sim, a);
            match r.access {
                Access::Ro => {
                    sim.csr_write(a, !before).expect("CSR write");
                    assert_eq!(rd(&mut sim, a), before, "{} word {w}: read-only, changed by a write", r.name);
                }
                Access::Wo => {
                    assert_eq!(before, NO_REG, "{} word {w}: write-only, reads {before:#x}", r.name);
                    // the doorbell would run a command: its effect is the
                    // firmware tests' (firmware_rtl)
                    if a != regs::REG_CMD_DOORBELL {
                        sim.csr_write(a, pattern).expect("CSR write");
                        assert_eq!(rd(&mut sim, a), NO_REG, "{} word {w}: write-only, read back", r.name);
                    }
                }
                Access::Rw => {
                    sim.csr_write(a, pattern).expect("CSR write");
                    let m = rw_mask(r.name);
                    assert_eq!(rd(&mut sim, a), pattern & m, "{} word {w}: read back within its fields", r.name);
                }
            }
        }
    }
    // Every other word of the register space up to the last block's end
    // (and a few beyond it).
    let end = regs::REGISTERS.iter().map(|r| r.addr + 4 * r.words).max().expect("registers");
    for a in (0..end + 0x40).step_by(4).filter(|a| !covered.contains(a)) {
        assert_eq!(rd(&mut sim, a), NO_REG, "no register at {a:#x}");
        sim.csr_write(a, 0x1234_5678).expect("CSR write");
        assert_eq!(rd(&mut sim, a), NO_REG, "no register at {a:#x}, after a write");
    }
    // The writes to registers that are not the doorbell started nothing.
    let st = rd(&mut sim, regs::REG_CMD_STATUS);
    assert_eq!(st >> regs::STATUS_COUNT_LSB, 0, "no command ran: status {st:#x}");
}
