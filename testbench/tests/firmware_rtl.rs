//! The firmware on the Verilated device: commands through the queue
//! install contexts that then carry traffic; a fuzz of random and malformed
//! descriptors gets one completion each, writes nothing for a rejected
//! command, never hangs, and leaves the valid contexts working.

use rand::Rng;
use tlsnic_device::rx::{sim_rx_counters, sim_rx_frames};
use tlsnic_device::tx::RtlEncoder;
use tlsnic_driver::record::{plaintext_record, RecordCipher};
use tlsnic_driver::rx_device::RxReason;
use tlsnic_driver::tcp::{parse, FrameTemplate};
use tlsnic_driver::tx_offload::{TxDesc, TxWork};
use tlsnic_driver::types::{Cipher, TlsVersion};
use tlsnic_driver::types::{CtxId, FlowKey, TlsCryptoInfo};
use tlsnic_firmware::fw::Firmware;
use tlsnic_firmware::queue::{flags, CmdRing, Command, Completion, CplRing, Opcode, Status};
use tlsnic_firmware::{regs, RegisterBus};
use tlsnic_sim::{Sim, Top};
use tlsnic_testbench::rx::{scoreboard, RxStream, SentFrame};
use tlsnic_testbench::seed::{rng, test_seed};

/// The model's bus, counting writes.
struct Counting<'a> {
    sim: &'a mut Sim,
    writes: u64,
}

impl RegisterBus for Counting<'_> {
    fn read32(&mut self, a: u32) -> u32 {
        self.sim.read32(a)
    }
    fn write32(&mut self, a: u32, v: u32) {
        self.writes += 1;
        self.sim.write32(a, v)
    }
}

fn add_rx_cmd(s: &RxStream, tag: u16) -> Command {
    let mut c = Command { opcode: Opcode::AddRx as u8, tag, ..Command::default() };
    c.key_len = s.info.key.len() as u8;
    c.key[..s.info.key.len()].copy_from_slice(&s.info.key);
    c.salt = s.info.salt;
    c.iv = s.info.iv;
    c.tcp_seq = s.start;
    c.rec_seq = s.info.rec_seq;
    if s.info.version == TlsVersion::V13 {
        c.flags |= flags::TLS13;
    }
    match (s.flow.saddr(), s.flow.daddr()) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(b)) => {
            c.saddr[..4].copy_from_slice(&a.octets());
            c.daddr[..4].copy_from_slice(&b.octets());
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) => {
            c.flags |= flags::IPV6;
            c.saddr = a.octets();
            c.daddr = b.octets();
        }
        _ => unreachable!(),
    }
    c.sport = s.flow.sport();
    c.dport = s.flow.dport();
    c
}

fn run_one(fw: &mut Firmware<Counting<'_>>, c: &Command) -> Completion {
    let (mut q, mut cq) = (CmdRing::default(), CplRing::default());
    q.push(&c.encode()).unwrap();
    assert_eq!(fw.process(&mut q, &mut cq), 1);
    Completion::decode(&cq.pop().unwrap())
}

fn random_command(r: &mut impl Rng, tag: u16, protected: &[u16]) -> Command {
    if r.gen_bool(0.1) {
        // 128 random bytes
        let mut b = [0u8; 128];
        r.fill(&mut b[..]);
        b[2..4].copy_from_slice(&tag.to_le_bytes());
        return Command::decode(&b);
    }
    let mut c = Command { opcode: r.gen_range(0..11), tag, ..Command::default() };
    c.key_len = *[0u8, 16, 32, 24, 16, 32].get(r.gen_range(0..6)).unwrap();
    if c.opcode != Opcode::AddTx as u8 && c.opcode != Opcode::AddRx as u8 && r.gen_bool(0.8) {
        c.key_len = 0;
    }
    for b in c.key.iter_mut().take(usize::from(c.key_len).min(32)) {
        *b = r.gen();
    }
    c.ctx_id = if r.gen_bool(0.8) { r.gen_range(0..80) } else { r.gen() };
    if protected.contains(&c.ctx_id) && matches!(c.opcode, 1 | 2 | 4 | 5 | 8) {
        c.ctx_id = 70; // out of range: rejected
    }
    c.flags = if r.gen_bool(0.9) { r.gen_range(0..8) } else { r.gen() };
    c.tcp_seq = r.gen();
    c.rec_seq = r.gen();
    r.fill(&mut c.saddr[..4]);
    r.fill(&mut c.daddr[..4]);
    if c.flags & flags::IPV6 != 0 {
        r.fill(&mut c.saddr[..]);
    }
    c.sport = r.gen();
    c.dport = r.gen();
    if r.gen_bool(0.05) {
        c.reserved[r.gen_range(0..28)] = r.gen_range(1..=255);
    }
    if r.gen_bool(0.05) {
        c.version = r.gen();
    }
    c
}

#[test]
fn firmware_commands_and_fuzz_on_the_device() {
    let seed = test_seed("firmware_commands_and_fuzz_on_the_device");
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload).expect("model");
    sim.reset(8);
    let s = RxStream::random(&mut r, 9, true, TlsVersion::V13, Cipher::Aes256Gcm, 30, 3000);
    let mut fw = Firmware::init(Counting { sim: &mut sim, writes: 0 }).expect("device found");
    assert_eq!(fw.n_ctx(), 64);
    // read-only identification registers
    let rd = |fw: &mut Firmware<Counting<'_>>, a: u16| fw.bus().read32(a.into());
    assert_eq!(rd(&mut fw, regs::REG_VERSION), regs::VERSION_VALUE);
    let all_caps =
        [regs::CAP_TX, regs::CAP_RX, regs::CAP_TLS13, regs::CAP_AES256, regs::CAP_STREAM_SCAN, regs::CAP_TX_RETX];
    assert_eq!(rd(&mut fw, regs::REG_CAPS), all_caps.iter().map(|b| 1 << b).sum::<u32>());
    let data_w = tlsnic_sim::device_data_w().expect("TLSNIC_DATA_W");
    assert_eq!(rd(&mut fw, regs::REG_DATA_W), data_w, "DATA_W: the stream width in bits (the model asked for)");

    // capabilities, a TX context, the RX context of the stream
    let caps = run_one(&mut fw, &Command { opcode: Opcode::QueryCaps as u8, tag: 1, ..Command::default() });
    assert_eq!((caps.status, caps.data[0], caps.data[1] & 3), (0, 64, 3));
    let mut tx = add_rx_cmd(&s, 2);
    tx.opcode = Opcode::AddTx as u8;
    tx.ctx_id = 5;
    tx.flags &= flags::TLS13;
    tx.saddr = [0; 16];
    tx.daddr = [0; 16];
    tx.sport = 0;
    tx.dport = 0;
    assert_eq!(run_one(&mut fw, &tx).status, Status::Ok as u8);
    let add = run_one(&mut fw, &add_rx_cmd(&s, 3));
    assert_eq!(add.status, Status::Ok as u8);
    let rx_ctx = add.ctx_id;
    // the same flow again: refused by the device
    assert_eq!(run_one(&mut fw, &add_rx_cmd(&s, 4)).status, Status::FlowExists as u8);
    // TX resync of a context not installed, and out of range
    let upd = |ctx: u16, seq: u32, rec: u64| Command {
        opcode: Opcode::TxResync as u8,
        ctx_id: ctx,
        tcp_seq: seq,
        rec_seq: rec,
        ..Command::default()
    };
    assert_eq!(run_one(&mut fw, &upd(6, 1, 1)).status, Status::NotInstalled as u8);
    assert_eq!(run_one(&mut fw, &upd(64, 1, 1)).status, Status::BadContext as u8);

    // fuzz
    let (mut q, mut cq) = (CmdRing::default(), CplRing::default());
    let mut counts = std::collections::BTreeMap::<u8, u64>::new();
    let total = 1500u16;
    let mut tag = 100u16;
    let mut got = 0u64;
    while tag < 100 + total || !q.is_empty() {
        while tag < 100 + total && q.len() < 64 {
            let c = random_command(&mut r, tag, &[5, rx_ctx]);
            q.push(&c.encode()).unwrap();
            tag += 1;
        }
        let before_writes = fw.bus().writes;
        // one at a time, to see the writes of each
        let raw = *q.peek().unwrap();
        let c = Command::decode(&raw);
        let mut one = CmdRing::default();
        one.push(&q.pop().unwrap()).unwrap();
        assert_eq!(fw.process(&mut one, &mut cq), 1, "seed {seed}: every command completes");
        let cpl = Completion::decode(&cq.pop().unwrap());
        got += 1;
        assert_eq!(cpl.tag, c.tag, "seed {seed}: completion for the command");
        let st = Status::from_u8(cpl.status).unwrap_or_else(|| panic!("seed {seed}: status {}", cpl.status));
        *counts.entry(cpl.status).or_default() += 1;
        if matches!(
            st,
            Status::BadVersion
                | Status::BadOpcode
                | Status::Reserved
                | Status::BadKeyLength
                | Status::BadContext
                | Status::Unsupported
        ) {
            assert_eq!(fw.bus().writes, before_writes, "seed {seed}: a rejected command wrote registers: {c:?}");
        }
    }
    assert_eq!(got, u64::from(total));
    eprintln!("seed {seed}: {total} fuzzed commands, completions by status {counts:?}");
    assert!(counts.len() >= 5, "seed {seed}: the fuzz reached few outcomes: {counts:?}");

    // the valid RX context still decrypts its stream
    let _ = fw;
    let segs = s.segments(&mut r, 1, 1448);
    let sent: Vec<SentFrame> =
        segs.iter().map(|&(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) }).collect();
    let out = sim_rx_frames(&mut sim, 50_000_000, sent.iter().map(|f| f.bytes.clone()).collect());
    let t = scoreboard(std::slice::from_ref(&s), &sent, &out).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    assert_eq!(t.count(RxReason::Decrypted), sent.len() as u64, "seed {seed}: {:?}", t.by_reason);
    let c = sim_rx_counters(&mut sim);
    assert!(c.ctx_full > 0 || c.ctx_add > 1, "seed {seed}: the fuzz installed contexts");

    // The valid TX context works too: a TX resync through the queue moves
    // it to record `rec` at `seq`, and a record sent there leaves encrypted
    // under that record number (checked with the aes-gcm reference).
    let (seq, rec): (u32, u64) = (r.gen(), r.gen_range(0..1 << 40));
    let mut fw = Firmware::init(Counting { sim: &mut sim, writes: 0 }).expect("device found");
    assert_eq!(run_one(&mut fw, &upd(5, seq, rec)).status, Status::Ok as u8, "seed {seed}: TX resync");
    let info = TlsCryptoInfo::new(TlsVersion::V13, Cipher::Aes256Gcm, s.info.key.clone(), s.info.iv, s.info.salt, 0)
        .expect("crypto info");
    let data: Vec<u8> = (0..r.gen_range(1..1400)).map(|_| r.gen()).collect();
    let plain = plaintext_record(TlsVersion::V13, 23, [0; 8], &data).unwrap();
    let tmpl = FrameTemplate::new(FlowKey::V4 {
        saddr: [10, 9, 0, 1].into(),
        daddr: [10, 9, 0, 2].into(),
        sport: 1234,
        dport: 443,
    });
    let frames = RtlEncoder::default()
        .encode(TxWork::Frame { desc: TxDesc::offload(CtxId(5)), frame: tmpl.build(seq, &plain).unwrap() })
        .unwrap();
    for (f, u) in frames {
        sim.push_frame(0, &f, u).unwrap();
    }
    sim.run_until_idle(1_000_000, 300).unwrap();
    let wire = sim.take_frames(0);
    assert_eq!(wire.len(), 1, "seed {seed}: the TX frame left the device");
    let p = parse(&wire[0].data).unwrap();
    let opened = RecordCipher::new(&info)
        .unwrap()
        .open(rec, p.payload_of(&wire[0].data))
        .unwrap_or_else(|e| panic!("seed {seed}: TX record after the resync: {e}"));
    assert!(opened.plaintext == data, "seed {seed}: TX plaintext");
}
