//! The simulation layer itself: CSR transactions, port errors, waveforms,
//! beat widths.

use tlsnic_sim::{beats_to_frame, frame_beats, keep_lanes, Beat, Sim, Top};

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

#[test]
fn frames_cut_into_beats_of_any_width() {
    let bytes: Vec<u8> = (0..150u8).collect();
    for w in [16usize, 64] {
        let beats = frame_beats(&bytes, 7, w);
        assert_eq!(beats.len(), 150usize.div_ceil(w), "{w}-byte beats");
        for (i, b) in beats.iter().enumerate() {
            let last = i + 1 == beats.len();
            assert_eq!(b.last, last);
            assert_eq!(b.user, 7);
            let n = if last { 150 - w * i } else { w };
            assert_eq!(b.keep, keep_lanes(0, n), "beat {i} of {w}-byte beats");
            assert!(b.data[n..].iter().all(|&x| x == 0), "lanes beyond the kept ones are zero");
        }
        let f = beats_to_frame(&beats);
        assert_eq!((f.data, f.user_first, f.user_last), (bytes.clone(), 7, 7));
    }
    // An empty frame is one beat without lanes; a 64-byte frame one full beat.
    let e = frame_beats(&[], 1, 64);
    assert_eq!((e.len(), e[0].keep, e[0].last), (1, 0, true));
    assert_eq!(frame_beats(&[5; 64], 0, 64)[0].keep, u64::MAX);
    // Lanes anywhere in a 512-bit beat.
    let b = Beat::at_lane(60, &[1, 2, 3], true, 0);
    assert_eq!(b.keep, 0b111 << 60);
    assert_eq!(b.kept().collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(keep_lanes(3, 0), 0);
}

#[test]
fn beat_width_of_the_tops_and_lanes_beyond_it() {
    for top in [Top::GcmStream, Top::TlsOffload] {
        let mut sim = Sim::new(top).unwrap();
        assert_eq!(sim.beat_bytes(), 16, "{top:?}");
        // tkeep lanes beyond the stream are refused, nothing is queued.
        let wide = Beat::packed(&[0; 17], true, 0);
        assert!(sim.push_beats(0, &[Beat::packed(&[1], false, 0), wide]).is_err());
        assert_eq!(sim.pending_in(0).unwrap(), 0);
    }
}
