//! The simulation layer itself: CSR transactions, port errors, waveforms.

use tlsnic_sim::{Sim, Top};

#[test]
fn csr_reads_id_and_counts_cycles() {
    let mut sim = Sim::new(Top::GcmStream).unwrap();
    sim.reset(4);
    assert_eq!(sim.csr_read(0x0000).unwrap(), 0x544C_534E, "ID register");
    assert_eq!(sim.csr_read(0x0F00).unwrap(), 0xDEAD_BEEF, "unmapped register");
    let c0 = sim.csr_read(0x0008).unwrap();
    sim.tick(100);
    let c1 = sim.csr_read(0x0008).unwrap();
    assert!(c1 - c0 >= 100, "cycle counter advanced {} for 100 ticks", c1 - c0);
    // Writes to read-only registers complete and change nothing.
    sim.csr_write(0x0000, 0).unwrap();
    assert_eq!(sim.csr_read(0x0000).unwrap(), 0x544C_534E);
}

#[test]
fn bad_ports_are_errors() {
    let mut sim = Sim::new(Top::GcmStream).unwrap();
    assert!(sim.push_beats(3, &[]).is_err());
    assert!(sim.pending_in(1).is_err());
    assert!(sim.out_count(7).is_err());
    assert!(sim.take_beats(5).is_empty());
}

#[test]
fn waveform_only_when_asked() {
    let dir = std::env::temp_dir().join(format!("tlsnic-wave-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.fst");
    {
        let mut sim = Sim::with_wave(Top::GcmStream, &path).unwrap();
        sim.reset(2);
        sim.tick(50);
    }
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    assert!(len > 0, "FST file written");
    let other = dir.join("never.fst");
    {
        let mut sim = Sim::new(Top::GcmStream).unwrap();
        sim.tick(10);
    }
    assert!(!other.exists());
    assert!(Sim::with_wave(Top::GcmStream, &dir.join("no/such/dir/x.fst")).is_err());
    std::fs::remove_dir_all(&dir).ok();
}
