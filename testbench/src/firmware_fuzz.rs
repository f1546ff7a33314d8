//! The firmware on the Verilated device: commands through the queue
//! install contexts that then carry traffic; a fuzz of random and malformed
//! descriptors gets one completion each, writes nothing for a rejected
//! command, never hangs, and leaves the valid contexts working (RX frames
//! checked by the scoreboard, a TX record by `aes-gcm`). The test
//! (`tests/firmware_rtl.rs`) and the regression's `firmware_fuzz` family
//! run [`firmware_fuzz_run`].

use crate::diverge::Divergence;
use crate::rx::{scoreboard_at, RxStream, SentFrame};
use crate::scenario::ScenarioError;
use crate::seed::rng;
use rand::Rng;
use std::collections::BTreeMap;
use tlsnic_device::rx::{sim_rx_counters, sim_rx_frames};
use tlsnic_device::tx::RtlEncoder;
use tlsnic_driver::record::{plaintext_record, RecordCipher};
use tlsnic_driver::rx_device::RxReason;
use tlsnic_driver::tcp::{parse, FrameTemplate};
use tlsnic_driver::tx_offload::{TxDesc, TxWork};
use tlsnic_driver::types::{Cipher, CtxId, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_firmware::fw::Firmware;
use tlsnic_firmware::queue::{flags, CmdRing, Command, Completion, CplRing, Opcode, Status};
use tlsnic_firmware::{regs, RegisterBus};
use tlsnic_sim::{Sim, Top};

/// Fuzzed commands per run.
pub const FUZZ_COMMANDS: u16 = 1500;

fn check(what: String) -> ScenarioError {
    ScenarioError::Check(what)
}

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
        _ => unreachable!("a flow's two addresses are of one family"),
    }
    c.sport = s.flow.sport();
    c.dport = s.flow.dport();
    c
}

/// The firmware on the model's bus.
fn init(sim: &mut Sim) -> Result<Firmware<Counting<'_>>, ScenarioError> {
    Firmware::init(Counting { sim, writes: 0 }).map_err(|e| check(format!("firmware init: {e:?}")))
}

/// One command through the queue: its completion.
fn run_one(fw: &mut Firmware<Counting<'_>>, c: &Command) -> Result<Completion, ScenarioError> {
    let (mut q, mut cq) = (CmdRing::default(), CplRing::default());
    q.push(&c.encode()).map_err(|_| check("command ring full".into()))?;
    let n = fw.process(&mut q, &mut cq);
    ensure!(n == 1, "command {c:?}: {n} commands processed");
    let cpl = cq.pop().ok_or_else(|| check(format!("command {c:?}: no completion")))?;
    Ok(Completion::decode(&cpl))
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
    c.key_len = [0u8, 16, 32, 24, 16, 32][r.gen_range(0..6)];
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

/// What [`firmware_fuzz_run`] did.
#[derive(Clone, Debug, Default)]
pub struct FuzzReport {
    /// Fuzzed commands, each completed.
    pub commands: u64,
    /// Completions by status code.
    pub by_status: BTreeMap<u8, u64>,
    /// RX frames of the valid context afterwards, all decrypted.
    pub rx_frames: u64,
    /// Bytes of the TX record sent after the TX resync.
    pub tx_bytes: usize,
}

/// Identification registers, capabilities, a TX and an RX context added
/// through the queue (a second add of the flow refused, a TX resync of a
/// missing or out-of-range context rejected), then [`FUZZ_COMMANDS`]
/// random and malformed commands (never touching the two valid contexts):
/// one completion each, with the command's tag and a known status, and no
/// register written for a command the firmware rejects. Afterwards the RX
/// context decrypts a 30-record stream (every frame checked by the
/// scoreboard) and the TX context, moved by a TX resync through the queue,
/// encrypts a record under the new record number (opened with aes-gcm).
pub fn firmware_fuzz_run(seed: u64) -> Result<FuzzReport, ScenarioError> {
    let mut r = rng(seed);
    let mut sim = Sim::new(Top::TlsOffload)?;
    sim.reset(8);
    let s = RxStream::random(&mut r, 9, true, TlsVersion::V13, Cipher::Aes256Gcm, 30, 3000);
    let mut fw = init(&mut sim)?;
    ensure!(fw.n_ctx() == 64, "N_CTX {}, the device's default is 64", fw.n_ctx());
    // read-only identification registers
    let rd = |fw: &mut Firmware<Counting<'_>>, a: u16| fw.bus().read32(a.into());
    let v = rd(&mut fw, regs::REG_VERSION);
    ensure!(v == regs::VERSION_VALUE, "VERSION {v:#x}, {:#x} expected", regs::VERSION_VALUE);
    let all_caps =
        [regs::CAP_TX, regs::CAP_RX, regs::CAP_TLS13, regs::CAP_AES256, regs::CAP_STREAM_SCAN, regs::CAP_TX_RETX];
    let caps = rd(&mut fw, regs::REG_CAPS);
    let want: u32 = all_caps.iter().map(|b| 1 << b).sum();
    ensure!(caps == want, "CAPS {caps:#x}, {want:#x} expected");
    let data_w = tlsnic_sim::device_data_w()?;
    let dw = rd(&mut fw, regs::REG_DATA_W);
    ensure!(dw == data_w, "DATA_W {dw}: the model asked for is {data_w} bits");

    // capabilities, a TX context, the RX context of the stream
    let caps = run_one(&mut fw, &Command { opcode: Opcode::QueryCaps as u8, tag: 1, ..Command::default() })?;
    ensure!(
        (caps.status, caps.data[0], caps.data[1] & 3) == (0, 64, 3),
        "QUERY_CAPS: status {}, data {:?}",
        caps.status,
        &caps.data[..2]
    );
    let mut tx = add_rx_cmd(&s, 2);
    tx.opcode = Opcode::AddTx as u8;
    tx.ctx_id = 5;
    tx.flags &= flags::TLS13;
    tx.saddr = [0; 16];
    tx.daddr = [0; 16];
    tx.sport = 0;
    tx.dport = 0;
    let st = run_one(&mut fw, &tx)?.status;
    ensure!(st == Status::Ok as u8, "ADD_TX: status {st}");
    let add = run_one(&mut fw, &add_rx_cmd(&s, 3))?;
    ensure!(add.status == Status::Ok as u8, "ADD_RX: status {}", add.status);
    let rx_ctx = add.ctx_id;
    // the same flow again: refused by the device
    let st = run_one(&mut fw, &add_rx_cmd(&s, 4))?.status;
    ensure!(st == Status::FlowExists as u8, "ADD_RX of an installed flow: status {st}, not FlowExists");
    // TX resync of a context not installed, and out of range
    let upd = |ctx: u16, seq: u32, rec: u64| Command {
        opcode: Opcode::TxResync as u8,
        ctx_id: ctx,
        tcp_seq: seq,
        rec_seq: rec,
        ..Command::default()
    };
    let st = run_one(&mut fw, &upd(6, 1, 1))?.status;
    ensure!(st == Status::NotInstalled as u8, "TX_RESYNC of a free context: status {st}, not NotInstalled");
    let st = run_one(&mut fw, &upd(64, 1, 1))?.status;
    ensure!(st == Status::BadContext as u8, "TX_RESYNC of context 64: status {st}, not BadContext");

    // fuzz
    let (mut q, mut cq) = (CmdRing::default(), CplRing::default());
    let mut counts = BTreeMap::<u8, u64>::new();
    let total = FUZZ_COMMANDS;
    let mut tag = 100u16;
    let mut got = 0u64;
    while tag < 100 + total || !q.is_empty() {
        while tag < 100 + total && q.len() < 64 {
            let c = random_command(&mut r, tag, &[5, rx_ctx]);
            q.push(&c.encode()).map_err(|_| check("command ring full".into()))?;
            tag += 1;
        }
        let before_writes = fw.bus().writes;
        // one at a time, to see the writes of each
        let raw = q.pop().expect("the ring holds a command");
        let c = Command::decode(&raw);
        let mut one = CmdRing::default();
        one.push(&raw).map_err(|_| check("command ring full".into()))?;
        let n = fw.process(&mut one, &mut cq);
        ensure!(n == 1, "command {c:?}: {n} processed, every command completes");
        let cpl = Completion::decode(&cq.pop().ok_or_else(|| check(format!("command {c:?}: no completion")))?);
        got += 1;
        ensure!(cpl.tag == c.tag, "completion tag {} for the command of tag {}", cpl.tag, c.tag);
        let st = Status::from_u8(cpl.status).ok_or_else(|| check(format!("command {c:?}: status {}", cpl.status)))?;
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
            let w = fw.bus().writes - before_writes;
            ensure!(w == 0, "a rejected command ({st:?}) wrote {w} registers: {c:?}");
        }
    }
    ensure!(got == u64::from(total), "{got} completions for {total} commands");
    ensure!(counts.len() >= 5, "the fuzz reached few outcomes: {counts:?}");

    // the valid RX context still decrypts its stream
    let _ = fw;
    let segs = s.segments(&mut r, 1, 1448);
    let sent: Vec<SentFrame> =
        segs.iter().map(|&(o, l)| SentFrame { bytes: s.frame(o, l), origin: Some((0, o)) }).collect();
    let (mut out, mut stamps) = (Vec::new(), Vec::new());
    for chunk in sent.chunks(16) {
        let c0 = sim.cycle();
        let got = sim_rx_frames(&mut sim, 50_000_000, chunk.iter().map(|f| f.bytes.clone()).collect());
        stamps.extend(std::iter::repeat_n((c0, sim.cycle()), got.len()));
        out.extend(got);
    }
    let t = scoreboard_at(std::slice::from_ref(&s), &sent, &out, &stamps)?;
    if let Some(i) = out.iter().position(|f| f.meta.reason != RxReason::Decrypted) {
        let what = format!("the valid RX context after the fuzz: {:?}, not decrypted", out[i].meta.reason);
        return Err(Divergence::frame(what, i, stamps.get(i).copied()).into());
    }
    let c = sim_rx_counters(&mut sim);
    ensure!(c.ctx_full > 0 || c.ctx_add > 1, "the fuzz installed no RX context: {c:?}");

    // The valid TX context works too: a TX resync through the queue moves
    // it to record `rec` at `seq`, and a record sent there leaves encrypted
    // under that record number (checked with the aes-gcm reference).
    let (seq, rec): (u32, u64) = (r.gen(), r.gen_range(0..1 << 40));
    let mut fw = init(&mut sim)?;
    let st = run_one(&mut fw, &upd(5, seq, rec))?.status;
    ensure!(st == Status::Ok as u8, "TX_RESYNC of the valid TX context: status {st}");
    let _ = fw;
    let info = TlsCryptoInfo::new(TlsVersion::V13, Cipher::Aes256Gcm, s.info.key.clone(), s.info.iv, s.info.salt, 0)
        .map_err(|e| check(format!("crypto info: {e}")))?;
    let data: Vec<u8> = (0..r.gen_range(1..1400)).map(|_| r.gen()).collect();
    let plain = plaintext_record(TlsVersion::V13, 23, [0; 8], &data).map_err(|e| check(format!("record: {e}")))?;
    let tmpl = FrameTemplate::new(FlowKey::V4 {
        saddr: [10, 9, 0, 1].into(),
        daddr: [10, 9, 0, 2].into(),
        sport: 1234,
        dport: 443,
    });
    let frame = tmpl.build(seq, &plain).map_err(|e| check(format!("frame: {e}")))?;
    let frames = RtlEncoder::default()
        .encode(TxWork::Frame { desc: TxDesc::offload(CtxId(5)), frame })
        .map_err(|e| check(format!("TX encoding: {e:?}")))?;
    for (f, u) in frames {
        sim.push_frame(0, &f, u)?;
    }
    let c0 = sim.cycle();
    sim.run_until_idle(1_000_000, 300)?;
    let cycles = Some((c0, sim.cycle()));
    let wire = sim.take_frames(0);
    ensure!(wire.len() == 1, "{} TX frames left the device, 1 expected", wire.len());
    let p = parse(&wire[0].data).map_err(|e| Divergence::frame(format!("TX frame: {e}"), 0, cycles))?;
    let opened = RecordCipher::new(&info)
        .map_err(|e| check(format!("cipher: {e}")))?
        .open(rec, p.payload_of(&wire[0].data))
        .map_err(|e| Divergence::frame(format!("TX record after the resync: {e}"), 0, cycles))?;
    ensure!(opened.plaintext == data, "TX record after the resync: plaintext differs");
    // The device checks by itself what the firmware checks first: commands
    // written to the registers directly, bypassing the firmware.
    for (op, ctx, code) in
        [(regs::OP_DEL_TX, 64, regs::ERR_BAD_CTX), (regs::OP_DEL_RX, 64, regs::ERR_BAD_CTX), (7, 0, regs::ERR_BAD_OP)]
    {
        let st0 = sim.csr_read(regs::REG_CMD_STATUS)?;
        sim.csr_write(regs::REG_CMD_CTRL, ctx << regs::CTRL_CTX_LSB)?;
        sim.csr_write(regs::REG_CMD_DOORBELL, op)?;
        let count = |s: u32| (s >> regs::STATUS_COUNT_LSB) & ((1 << regs::STATUS_COUNT_W) - 1);
        let mut st = st0;
        for _ in 0..10_000 {
            st = sim.csr_read(regs::REG_CMD_STATUS)?;
            if st & 1 << regs::STATUS_BUSY == 0 && count(st) != count(st0) {
                break;
            }
        }
        let got = (st >> regs::STATUS_CODE_LSB) & ((1 << regs::STATUS_CODE_W) - 1);
        ensure!(
            count(st) != count(st0) && st & 1 << regs::STATUS_FAILED != 0 && got == code,
            "doorbell {op} with context {ctx} written directly: status {st:#x}, error code {code} expected"
        );
    }
    Ok(FuzzReport { commands: got, by_status: counts, rx_frames: t.frames, tx_bytes: data.len() })
}
