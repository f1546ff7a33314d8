//! Context commands on the Verilated device go through the firmware: a
//! descriptor into the command ring, the firmware programs the device over
//! the register bus, one completion back. Every test that installs, deletes
//! or resyncs a context exercises the firmware this way.

use tlsnic_driver::rx_device::RxResyncMode;
use tlsnic_driver::types::{Cipher, CtxId, DeviceError, FlowKey, TlsCryptoInfo, TlsVersion};
use tlsnic_firmware::fw::Firmware;
use tlsnic_firmware::queue::{flags, CmdRing, Command, Completion, CplRing, Opcode, Status};
use tlsnic_sim::Sim;

/// Run `cmd` through the queue and the firmware on `sim`.
pub fn execute(sim: &mut Sim, cmd: &Command) -> Result<Completion, DeviceError> {
    let mut fw = Firmware::init(sim).map_err(|e| DeviceError::Rejected(format!("firmware init: {e:?}")))?;
    let (mut q, mut cq) = (CmdRing::default(), CplRing::default());
    q.push(&cmd.encode()).map_err(|_| DeviceError::QueueFull)?;
    fw.process(&mut q, &mut cq);
    let c = Completion::decode(&cq.pop().ok_or(DeviceError::Rejected("no completion".into()))?);
    let ctx = CtxId(u32::from(cmd.ctx_id));
    match Status::from_u8(c.status) {
        Some(Status::Ok) => Ok(c),
        Some(Status::TableFull) => Err(DeviceError::TableFull),
        Some(Status::NotInstalled | Status::BadContext) => Err(DeviceError::NoContext(ctx)),
        s => Err(DeviceError::Rejected(format!("{s:?}"))),
    }
}

fn crypto(info: &TlsCryptoInfo, cmd: &mut Command) {
    cmd.key_len = info.key.len() as u8;
    cmd.key[..info.key.len()].copy_from_slice(&info.key);
    cmd.salt = info.salt;
    cmd.iv = info.iv;
    cmd.rec_seq = info.rec_seq;
    if info.version == TlsVersion::V13 {
        cmd.flags |= flags::TLS13;
    }
    debug_assert_eq!(info.cipher == Cipher::Aes256Gcm, info.key.len() == 32);
}

/// ADD_TX at `ctx`.
pub fn add_tx(ctx: u16, info: &TlsCryptoInfo, start: u32) -> Command {
    let mut c = Command { opcode: Opcode::AddTx as u8, ctx_id: ctx, tcp_seq: start, ..Command::default() };
    crypto(info, &mut c);
    c
}

/// ADD_RX for `flow` (as received).
pub fn add_rx(flow: FlowKey, info: &TlsCryptoInfo, start: u32, mode: RxResyncMode) -> Command {
    let mut c = Command { opcode: Opcode::AddRx as u8, tcp_seq: start, ..Command::default() };
    crypto(info, &mut c);
    if mode == RxResyncMode::StackDriven {
        c.flags |= flags::STACK_DRIVEN;
    }
    match (flow.saddr(), flow.daddr()) {
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) => {
            c.flags |= flags::IPV6;
            c.saddr = a.octets();
            c.daddr = b.octets();
        }
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(b)) => {
            c.saddr[..4].copy_from_slice(&a.octets());
            c.daddr[..4].copy_from_slice(&b.octets());
        }
        _ => unreachable!("a flow has one address family"),
    }
    c.sport = flow.sport();
    c.dport = flow.dport();
    c
}

/// DEL_TX / DEL_RX / RX_RESYNC of `ctx`.
pub fn simple(op: Opcode, ctx: CtxId, seq: u32, rec: u64) -> Command {
    Command { opcode: op as u8, ctx_id: ctx.0 as u16, tcp_seq: seq, rec_seq: rec, ..Command::default() }
}
