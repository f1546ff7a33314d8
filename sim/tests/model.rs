//! The simulation layer itself: CSR transactions, port errors, waveforms,
//! beat widths, assertions.

use tlsnic_sim::{beats_to_frame, frame_beats, keep_lanes, Beat, Sim, SimError, StreamViolation, Top};

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
    assert!(sim.hold_output(9, true).is_err());
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
    let device = tlsnic_sim::device_data_w().unwrap() as usize / 8;
    for (top, bytes) in [(Top::GcmStream, 16), (Top::TlsOffload, device)] {
        let mut sim = Sim::new(top).unwrap();
        assert_eq!(sim.beat_bytes(), bytes, "{top:?}");
        // tkeep lanes beyond the stream are refused, nothing is queued.
        if bytes == 64 {
            continue; // a beat has no lanes beyond 64
        }
        let wide = Beat::packed(&vec![0; bytes + 1], true, 0);
        assert!(sim.push_beats(0, &[Beat::packed(&[1], false, 0), wide]).is_err());
        assert_eq!(sim.pending_in(0).unwrap(), 0);
    }
}

/// The device with its wire TX output held (tready low): host TX frames
/// (36 KB, more than its input and output FIFOs hold) fill it until it
/// stalls its input.
fn stalled_device() -> Sim {
    let mut sim = Sim::new(Top::TlsOffload).unwrap();
    sim.reset(4);
    sim.set_backpressure(1, 0.0, 1.0);
    for i in 0..24u8 {
        sim.push_frame(0, &[i; 1500], 0).unwrap();
    }
    sim
}

/// Ticks until a call fails; the error and the cycles it took.
fn run_to_failure(sim: &mut Sim, max: u64) -> (SimError, u64) {
    let t0 = sim.cycle();
    loop {
        if let Err(e) = sim.try_tick(1) {
            return (e, sim.cycle() - t0);
        }
        assert!(sim.cycle() - t0 < max, "no assertion in {max} cycles");
    }
}

#[test]
fn withdrawn_tvalid_fires_the_input_checker() {
    let mut sim = stalled_device();
    sim.inject_stream_violation(0, StreamViolation::WithdrawValid).unwrap();
    let (e, cycles) = run_to_failure(&mut sim, 5000);
    let SimError::Assertion(msg) = &e else { panic!("not an assertion: {e}") };
    println!("{e} (after {cycles} cycles)");
    assert!(msg.contains("u_chk_s_tx_axis.ValidHeld_A"), "{msg}");
    assert!(!msg.contains("PayloadStable_A"), "{msg}");
    // The failure sticks until acknowledged: time cannot advance.
    let at = sim.cycle();
    assert!(matches!(sim.csr_read(0x0000), Err(SimError::Assertion(m)) if m == *msg));
    assert!(matches!(sim.try_tick(1), Err(SimError::Assertion(_))));
    assert!(matches!(sim.run_until_idle(100, 10), Err(SimError::Assertion(_))));
    assert_eq!(sim.cycle(), at);
    assert_eq!(sim.take_assertion().as_ref(), Some(msg));
    assert_eq!(sim.take_assertion(), None);
    assert_eq!(sim.csr_read(0x0000).unwrap(), 0x544C_534E, "runs again once acknowledged");
}

#[test]
fn changed_tdata_fires_the_input_checker() {
    let mut sim = stalled_device();
    sim.inject_stream_violation(0, StreamViolation::ChangeData).unwrap();
    let (e, _) = run_to_failure(&mut sim, 5000);
    let SimError::Assertion(msg) = &e else { panic!("not an assertion: {e}") };
    assert!(msg.contains("u_chk_s_tx_axis.PayloadStable_A"), "{msg}");
    assert!(!msg.contains("ValidHeld_A"), "{msg}");
}

#[test]
fn gcm_harness_input_has_a_checker_too() {
    let mut sim = Sim::new(Top::GcmStream).unwrap();
    sim.reset(4);
    sim.set_backpressure(1, 0.0, 1.0);
    // Job header: encrypt, no AAD, reuse the (zero) key; then body beats.
    let mut beats = vec![Beat::packed(&[0; 16], false, 0)];
    beats.extend((0..64).map(|i| Beat::packed(&[i as u8; 16], i == 63, 0)));
    sim.push_beats(0, &beats).unwrap();
    sim.inject_stream_violation(0, StreamViolation::WithdrawValid).unwrap();
    let (e, _) = run_to_failure(&mut sim, 5000);
    let SimError::Assertion(msg) = &e else { panic!("not an assertion: {e}") };
    assert!(msg.contains("u_chk_s_axis.ValidHeld_A"), "{msg}");
}

#[test]
#[should_panic(expected = "u_chk_s_tx_axis.ValidHeld_A")]
fn tick_panics_on_an_assertion() {
    let mut sim = stalled_device();
    sim.inject_stream_violation(0, StreamViolation::WithdrawValid).unwrap();
    sim.tick(5000);
}

/// A held output takes nothing (its frames wait in the device) until it is
/// released; the other ports go on.
#[test]
fn a_held_output_takes_nothing_until_released() {
    let mut sim = Sim::new(Top::TlsOffload).unwrap();
    sim.reset(4);
    sim.hold_output(0, true).unwrap();
    let frames: Vec<Vec<u8>> = (0..3).map(|i| vec![i as u8; 200]).collect();
    for f in &frames {
        sim.push_frame(0, f, 0).unwrap();
        sim.push_frame(1, f, 0).unwrap();
    }
    sim.run_until_idle(200_000, 50).unwrap();
    assert_eq!(sim.out_count(0).unwrap(), 0, "nothing taken from the held TX output");
    assert_eq!(sim.take_frames(1).len(), 3, "RX goes on");
    sim.hold_output(0, false).unwrap();
    sim.run_until_idle(200_000, 50).unwrap();
    let out: Vec<Vec<u8>> = sim.take_frames(0).into_iter().map(|f| f.data).collect();
    assert_eq!(out, frames, "released: the frames come out unchanged");
}

#[test]
fn normal_traffic_raises_no_assertion() {
    let mut sim = Sim::new(Top::TlsOffload).unwrap();
    sim.reset(4);
    sim.set_backpressure(3, 0.3, 0.3);
    let frames: Vec<Vec<u8>> = (0..20).map(|i| (0..60 + 37 * i).map(|b| (b * 7 + i) as u8).collect()).collect();
    for f in &frames {
        sim.push_frame(0, f, 0).unwrap();
    }
    let cycles = sim.run_until_idle(200_000, 50).unwrap();
    assert_eq!(sim.csr_read(0x0000).unwrap(), 0x544C_534E);
    sim.csr_write(0x0138, 5).unwrap();
    assert_eq!(sim.csr_read(0x0138).unwrap(), 5);
    let out: Vec<Vec<u8>> = sim.take_frames(0).into_iter().map(|f| f.data).collect();
    assert_eq!(out, frames, "unmarked frames pass unchanged");
    assert_eq!(sim.take_assertion(), None);
    println!("20 frames through TX under 30 % backpressure in {cycles} cycles, no assertion");
}

#[test]
fn an_assertion_reaches_its_own_model() {
    // The Verilator runtime reports to the thread's current context: the
    // last one created here is `b`'s, yet `a` fails and `b` does not.
    let mut a = stalled_device();
    let mut b = Sim::new(Top::TlsOffload).unwrap();
    b.reset(4);
    a.inject_stream_violation(0, StreamViolation::WithdrawValid).unwrap();
    let (e, _) = run_to_failure(&mut a, 5000);
    assert!(matches!(&e, SimError::Assertion(m) if m.contains("u_chk_s_tx_axis.ValidHeld_A")), "{e}");
    b.try_tick(100).unwrap();
    assert_eq!(b.take_assertion(), None);
    // A model moved to another thread.
    let mut c = stalled_device();
    c.inject_stream_violation(0, StreamViolation::ChangeData).unwrap();
    let e = std::thread::spawn(move || run_to_failure(&mut c, 5000).0).join().unwrap();
    assert!(matches!(&e, SimError::Assertion(m) if m.contains("u_chk_s_tx_axis.PayloadStable_A")), "{e}");
    b.try_tick(100).unwrap();
}

#[test]
fn the_stall_watchdog_names_the_streams_long_before_the_cycle_budget() {
    // The wire output never ready: the device fills up, stops taking input,
    // and no handshake happens again. run_until_idle's budget is 50 million
    // cycles (minutes of simulation); the watchdog stops it after
    // STALL_CYCLES without a handshake.
    let mut sim = stalled_device();
    let t0 = sim.cycle();
    let e = sim.run_until_idle(50_000_000, 300).unwrap_err();
    let took = sim.cycle() - t0;
    println!("{e} (after {took} cycles)");
    let SimError::Stalled { quiet, streams, .. } = &e else { panic!("not a stall: {e}") };
    assert!(*quiet >= tlsnic_sim::STALL_CYCLES);
    assert!(took < 4 * tlsnic_sim::STALL_CYCLES, "took {took} cycles");
    assert!(streams.contains("in0: ") && !streams.contains("in0: 0 beats"), "{streams}");
    // once the output drains again, the same frames get through
    sim.set_backpressure(1, 0.0, 0.0);
    sim.run_until_idle(1_000_000, 300).unwrap();
    assert_eq!(sim.take_frames(0).len(), 24);
}
