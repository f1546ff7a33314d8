//! The Verilated device's TX path as the driver's [`TxDevice`] sees it:
//! the driver's [`TxWork`] encoded in the RTL's TX stream format, context
//! ids, and the device counters.
//!
//! [`TxDevice`]: tlsnic_driver::tx_offload::TxDevice

use crate::csr;
use std::collections::HashMap;
use tlsnic_driver::tx_offload::{TagCompletion, TxDeviceCounters, TxWork};
use tlsnic_driver::types::{CtxId, DeviceError, TlsCryptoInfo};
use tlsnic_sim::{Sim, SimError};

/// The TX descriptor (`s_tx_axis_tuser`, `TXD_*`) of a frame: marked (or
/// DUMP) frame of context `ctx` with operation `op` (`TXD_OP_*`).
fn txd(op: u64, ctx: u64) -> u64 {
    1 << csr::TXD_OFFLOAD | op << csr::TXD_OP_LSB | ctx << csr::TXD_CTX_LSB
}

/// Encodes the driver's [`TxWork`] in the RTL's TX stream format
/// (docs/tx.md): a frame as it is, tuser = offload flag and context (0 when
/// unmarked); [`TxWork::Resync`] and [`TxWork::ContextUpdate`] as a DUMP
/// frame with the start flag and no bytes (record start sequence number,
/// record number); each [`TxWork::Dump`] as a DUMP frame without the start
/// flag at its context's running sequence number. A DUMP frame is a
/// 16-byte header (`DUMP_*`: sequence number, record number, flags) and the
/// bytes. [`TxWork::Retransmit`] is two frames: a retransmit descriptor
/// (`TXD_OP_RETX_DESC`, the 48-byte `RETX_*` header: sequence number,
/// record number, offset in the record, the record's header, TLS 1.2
/// nonce and tag when known) and the segment (`TXD_OP_RETX`).
#[derive(Debug, Default)]
pub struct RtlEncoder {
    /// Per context: sequence number of the next dumped byte, record number.
    cursor: HashMap<CtxId, (u32, u64)>,
}

impl RtlEncoder {
    /// The frames and their tuser for `work`, in order. Errors: a context
    /// id beyond 16 bits, or a `Dump` with no `Resync` before it on its
    /// context.
    pub fn encode(&mut self, work: TxWork) -> Result<Vec<(Vec<u8>, u64)>, DeviceError> {
        let ctx16 = |c: CtxId| {
            u16::try_from(c.0).map(u64::from).map_err(|_| DeviceError::Rejected(format!("{c}: ctx_id is 16 bits")))
        };
        let dump = |ctx: u64, seq: u32, rec_num: u64, start: bool, bytes: &[u8]| {
            let mut f = vec![0; csr::DUMP_HDR_BYTES];
            f[csr::DUMP_SEQ_OFF..][..4].copy_from_slice(&seq.to_be_bytes());
            f[csr::DUMP_REC_OFF..][..8].copy_from_slice(&rec_num.to_be_bytes());
            f[csr::DUMP_FLAGS_OFF] = u8::from(start) << csr::DUMP_FLAG_START;
            f.extend_from_slice(bytes);
            (f, txd(csr::TXD_OP_DUMP, ctx))
        };
        let one = match work {
            TxWork::Frame { desc, frame } if desc.offload => (frame, txd(csr::TXD_OP_SEND, ctx16(desc.ctx_id)?)),
            TxWork::Frame { frame, .. } => (frame, 0),
            TxWork::Resync { ctx_id, rec_start_seq: seq, rec_num }
            | TxWork::ContextUpdate { ctx_id, tcp_seq: seq, rec_num } => {
                let ctx = ctx16(ctx_id)?;
                self.cursor.insert(ctx_id, (seq, rec_num));
                dump(ctx, seq, rec_num, true, &[])
            }
            TxWork::Retransmit { ctx_id, seq, rec_num, offset, header, nonce, tag, frame } => {
                let ctx = ctx16(ctx_id)?;
                let mut d = vec![0; csr::RETX_HDR_BYTES];
                d[csr::RETX_SEQ_OFF..][..4].copy_from_slice(&seq.to_be_bytes());
                d[csr::RETX_REC_OFF..][..8].copy_from_slice(&rec_num.to_be_bytes());
                d[csr::RETX_OFFSET_OFF..][..2].copy_from_slice(&offset.to_be_bytes());
                d[csr::RETX_TLSHDR_OFF..][..5].copy_from_slice(&header);
                d[csr::RETX_NONCE_OFF..][..8].copy_from_slice(&nonce);
                if let Some(t) = tag {
                    d[csr::RETX_FLAGS_OFF] = 1 << csr::RETX_FLAG_TAG;
                    d[csr::RETX_TAG_OFF..][..16].copy_from_slice(&t);
                }
                return Ok(vec![(d, txd(csr::TXD_OP_RETX_DESC, ctx)), (frame, txd(csr::TXD_OP_RETX, ctx))]);
            }
            TxWork::Dump { ctx_id, bytes } => {
                let ctx = ctx16(ctx_id)?;
                let c = self
                    .cursor
                    .get_mut(&ctx_id)
                    .ok_or_else(|| DeviceError::Rejected(format!("Dump before Resync on {ctx_id}")))?;
                let f = dump(ctx, c.0, c.1, false, &bytes);
                c.0 = c.0.wrapping_add(bytes.len() as u32);
                f
            }
        };
        Ok(vec![one])
    }
}

/// The event port of `tls_offload_top` (`m_evt_axis`).
pub const EVT_PORT: usize = 2;

/// Decode one event frame of `m_evt_axis` as a tag completion (`EVTD_*`
/// in tuser, the `EVT_*` record); `None` for another event type or a
/// record of the wrong length.
pub fn decode_tag_event(f: &tlsnic_sim::Frame) -> Option<TagCompletion> {
    let ty = f.user_first >> csr::EVTD_TYPE_LSB & ((1 << csr::EVTD_TYPE_W) - 1);
    if ty != csr::EVTD_TYPE_TX_TAG || f.data.len() != csr::EVT_HDR_BYTES {
        return None;
    }
    let ctx = f.user_first >> csr::EVTD_CTX_LSB & ((1 << csr::EVTD_CTX_W) - 1);
    Some(TagCompletion {
        ctx_id: CtxId(ctx as u32),
        rec_num: u64::from_be_bytes(f.data[csr::EVT_REC_OFF..][..8].try_into().ok()?),
        tag: f.data[csr::EVT_TAG_OFF..][..16].try_into().ok()?,
    })
}

/// The tag completions the model has put on its event port so far (other
/// events are an error: the device reports nothing else yet).
pub fn sim_tag_completions(sim: &mut Sim) -> Result<Vec<TagCompletion>, DeviceError> {
    sim.take_frames(EVT_PORT)
        .iter()
        .map(|f| {
            decode_tag_event(f).ok_or_else(|| {
                DeviceError::Rejected(format!(
                    "event not a tag completion: tuser {:#x}, {} bytes",
                    f.user_first,
                    f.data.len()
                ))
            })
        })
        .collect()
}

/// Host-side state of the Verilated TX path: the work encoder and which
/// context ids are in use.
pub struct SimTxState {
    enc: RtlEncoder,
    used: Vec<bool>,
}

impl SimTxState {
    /// For a device with the N_CTX the model reports.
    pub fn new(sim: &mut Sim) -> Result<Self, SimError> {
        let n = sim.csr_read(csr::REG_N_CTX)? as usize;
        Ok(SimTxState { enc: RtlEncoder::default(), used: vec![false; n] })
    }

    /// `TxDevice::add_tx_context` on the model (through the firmware).
    pub fn add(
        &mut self,
        sim: &mut Sim,
        info: &TlsCryptoInfo,
        start_offload_tcp_sn: u32,
    ) -> Result<CtxId, DeviceError> {
        info.validate()?;
        let ctx = self.used.iter().position(|u| !u).ok_or(DeviceError::TableFull)?;
        crate::fwcmd::execute(sim, &crate::fwcmd::add_tx(ctx as u16, info, start_offload_tcp_sn))?;
        self.used[ctx] = true;
        Ok(CtxId(ctx as u32))
    }

    /// `TxDevice::del_tx_context` on the model (through the firmware).
    pub fn del(&mut self, sim: &mut Sim, ctx: CtxId) -> Result<(), DeviceError> {
        let i = ctx.0 as usize;
        if !self.used.get(i).copied().unwrap_or(false) {
            return Err(DeviceError::NoContext(ctx));
        }
        crate::fwcmd::execute(sim, &crate::fwcmd::simple(tlsnic_firmware::queue::Opcode::DelTx, ctx, 0, 0))?;
        self.used[i] = false;
        Ok(())
    }

    /// `TxDevice::post` on the model.
    pub fn post(&mut self, sim: &mut Sim, work: TxWork) -> Result<(), DeviceError> {
        for (bytes, user) in self.enc.encode(work)? {
            sim.push_frame(0, &bytes, user).map_err(|e| DeviceError::Rejected(e.to_string()))?;
        }
        Ok(())
    }
}

/// `TxDevice::tx_counters` on the model.
pub fn sim_tx_counters(sim: &mut Sim) -> Result<TxDeviceCounters, DeviceError> {
    let e = |e: SimError| DeviceError::Rejected(e.to_string());
    let pkts = sim.csr_read(csr::tx_counter(csr::TX_CNT_ENC_PKTS)).map_err(e)?;
    let lo = sim.csr_read(csr::tx_counter(csr::TX_CNT_ENC_BYTES_LO)).map_err(e)?;
    let hi = sim.csr_read(csr::tx_counter(csr::TX_CNT_ENC_BYTES_HI)).map_err(e)?;
    Ok(TxDeviceCounters {
        tx_tls_encrypted_packets: u64::from(pkts),
        tx_tls_encrypted_bytes: u64::from(lo) | u64::from(hi) << 32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlsnic_driver::tx_offload::TxDesc;

    /// The fields of a DUMP frame's header (`DUMP_*`): sequence number,
    /// record number, start flag; the other header bytes must be zero.
    fn dump_header(f: &[u8]) -> (u32, u64, bool) {
        let h = &f[..csr::DUMP_HDR_BYTES];
        let seq = u32::from_be_bytes(h[csr::DUMP_SEQ_OFF..][..4].try_into().unwrap());
        let rec = u64::from_be_bytes(h[csr::DUMP_REC_OFF..][..8].try_into().unwrap());
        let flags = h[csr::DUMP_FLAGS_OFF];
        let mut rest = h.to_vec();
        rest[csr::DUMP_SEQ_OFF..][..4].fill(0);
        rest[csr::DUMP_REC_OFF..][..8].fill(0);
        rest[csr::DUMP_FLAGS_OFF] = 0;
        assert_eq!(flags & !(1 << csr::DUMP_FLAG_START), 0, "reserved flag bits");
        assert!(rest.iter().all(|&b| b == 0), "reserved header bytes");
        (seq, rec, flags >> csr::DUMP_FLAG_START & 1 != 0)
    }

    /// The one frame `work` encodes to.
    fn one(e: &mut RtlEncoder, work: TxWork) -> (Vec<u8>, u64) {
        let mut v = e.encode(work).unwrap();
        assert_eq!(v.len(), 1, "one frame");
        v.remove(0)
    }

    #[test]
    fn rtl_encoder_maps_resync_and_dumps_onto_dump_frames() {
        let mut e = RtlEncoder::default();
        let c = CtxId(3);
        let dump_desc = 1 << csr::TXD_OFFLOAD | csr::TXD_OP_DUMP << csr::TXD_OP_LSB | 3 << csr::TXD_CTX_LSB;
        let (f, u) = one(&mut e, TxWork::Resync { ctx_id: c, rec_start_seq: 0xffff_fff0, rec_num: 9 });
        assert_eq!(u, dump_desc);
        assert_eq!((f.len(), dump_header(&f)), (csr::DUMP_HDR_BYTES, (0xffff_fff0, 9, true)));
        let (f, u) = one(&mut e, TxWork::Dump { ctx_id: c, bytes: vec![7; 20] });
        assert_eq!(u, dump_desc);
        assert_eq!(dump_header(&f), (0xffff_fff0, 9, false));
        assert_eq!(&f[csr::DUMP_HDR_BYTES..], &[7; 20]);
        let (f, _) = one(&mut e, TxWork::Dump { ctx_id: c, bytes: vec![7; 1] });
        assert_eq!(dump_header(&f).0, 4, "running sequence number wraps");
        let (f, u) = one(&mut e, TxWork::ContextUpdate { ctx_id: c, tcp_seq: 77, rec_num: 12 });
        assert_eq!((f.len(), dump_header(&f), u), (csr::DUMP_HDR_BYTES, (77, 12, true), dump_desc));
        let (f, u) = one(&mut e, TxWork::Frame { desc: TxDesc::offload(c), frame: vec![1, 2] });
        assert_eq!(
            (f, u),
            (vec![1, 2], 1 << csr::TXD_OFFLOAD | csr::TXD_OP_SEND << csr::TXD_OP_LSB | 3 << csr::TXD_CTX_LSB)
        );
        let (_, u) = one(&mut e, TxWork::Frame { desc: TxDesc::plain(), frame: vec![1] });
        assert_eq!(u, 0);
        assert!(e.encode(TxWork::Dump { ctx_id: CtxId(4), bytes: vec![] }).is_err());
        assert!(e.encode(TxWork::Frame { desc: TxDesc::offload(CtxId(1 << 16)), frame: vec![] }).is_err());
    }

    #[test]
    fn rtl_encoder_maps_a_retransmission_onto_a_descriptor_and_the_segment() {
        let mut e = RtlEncoder::default();
        let work = |tag| TxWork::Retransmit {
            ctx_id: CtxId(5),
            seq: 0x8000_0001,
            rec_num: 0x0102_0304_0506_0708,
            offset: 0x1234,
            header: [0x17, 3, 3, 0x40, 0x11],
            nonce: [9, 8, 7, 6, 5, 4, 3, 2],
            tag,
            frame: vec![0xaa; 60],
        };
        let v = e.encode(work(Some([0x5a; 16]))).unwrap();
        assert_eq!(v.len(), 2);
        let (d, u) = &v[0];
        assert_eq!(*u, 1 << csr::TXD_OFFLOAD | csr::TXD_OP_RETX_DESC << csr::TXD_OP_LSB | 5 << csr::TXD_CTX_LSB);
        assert_eq!(d.len(), csr::RETX_HDR_BYTES);
        let mut want = vec![0u8; 48];
        want[0..4].copy_from_slice(&[0x80, 0, 0, 1]);
        want[4..12].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        want[12] = 1;
        want[14..16].copy_from_slice(&[0x12, 0x34]);
        want[16..21].copy_from_slice(&[0x17, 3, 3, 0x40, 0x11]);
        want[24..32].copy_from_slice(&[9, 8, 7, 6, 5, 4, 3, 2]);
        want[32..48].fill(0x5a);
        assert_eq!(d, &want, "byte layout of the descriptor");
        assert_eq!(
            v[1],
            (vec![0xaa; 60], 1 << csr::TXD_OFFLOAD | csr::TXD_OP_RETX << csr::TXD_OP_LSB | 5 << csr::TXD_CTX_LSB)
        );
        let v = e.encode(work(None)).unwrap();
        want[12] = 0;
        want[32..48].fill(0);
        assert_eq!(v[0].0, want, "no tag: flag clear, tag bytes zero");
    }

    #[test]
    fn tag_events_decode_and_other_events_do_not() {
        let mut data = vec![0u8; 24];
        data[0..8].copy_from_slice(&77u64.to_be_bytes());
        data[8..24].copy_from_slice(&[0x33; 16]);
        let user = csr::EVTD_TYPE_TX_TAG << csr::EVTD_TYPE_LSB | 9 << csr::EVTD_CTX_LSB;
        let f = tlsnic_sim::Frame { data: data.clone(), user_first: user, user_last: user };
        assert_eq!(decode_tag_event(&f), Some(TagCompletion { ctx_id: CtxId(9), rec_num: 77, tag: [0x33; 16] }));
        let other = tlsnic_sim::Frame { data: data.clone(), user_first: 2, user_last: 2 };
        assert_eq!(decode_tag_event(&other), None);
        let short = tlsnic_sim::Frame { data: data[..23].to_vec(), user_first: user, user_last: user };
        assert_eq!(decode_tag_event(&short), None);
    }
}
