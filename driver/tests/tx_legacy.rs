//! The first kTLS TX model API and the legacy TX driver (`tx_driver`) that
//! `testbench/src/tx.rs` still uses.

use tlsnic_driver::ktls_tx::{KtlsTx, RecordLookup};
use tlsnic_driver::tx_driver::{DevError, TxDevice, TxDriver, TxWork, DUMP_CHUNK};
use tlsnic_driver::types::{CryptoInfo, TlsVersion};

fn info(version: TlsVersion) -> CryptoInfo {
    CryptoInfo { version, key: vec![1; 16], salt: [2; 4], iv: [0, 0, 0, 0, 0, 0, 0, 9], rec_seq: 100 }
}

struct Dev {
    n: usize,
    added: Vec<u16>,
}

impl TxDevice for Dev {
    fn tx_contexts(&self) -> usize {
        self.n
    }
    fn add_tx_context(&mut self, ctx: u16, _: &CryptoInfo, _: u32) -> Result<(), DevError> {
        self.added.push(ctx);
        Ok(())
    }
    fn del_tx_context(&mut self, ctx: u16) -> Result<(), DevError> {
        self.added.retain(|&c| c != ctx);
        Ok(())
    }
}

#[test]
fn records_are_framed_as_the_kernel_does() {
    let mut s = KtlsTx::new(info(TlsVersion::V12), u32::MAX - 10, vec![0xee; 20]);
    let (a, b) = s.push_record(&[7; 3]);
    assert_eq!(a, u32::MAX - 10);
    assert_eq!(b.wrapping_sub(a), 3 + 29);
    let r = s.bytes(a, 32).unwrap();
    assert_eq!(&r[..5], &[0x17, 3, 3, 0, 27]);
    assert_eq!(&r[5..13], &[0, 0, 0, 0, 0, 0, 0, 9], "explicit nonce = iv + 0");
    assert_eq!(&r[16..], &[0; 16], "tag space");
    s.push_record(&[]);
    let r2 = s.bytes(b, 29).unwrap();
    assert_eq!(&r2[5..13], &[0, 0, 0, 0, 0, 0, 0, 10], "explicit nonce = iv + 1");
    let mut t = KtlsTx::new(info(TlsVersion::V13), 5, Vec::new());
    let (c, d) = t.push_record(&[1, 2]);
    let r3 = t.bytes(c, (d - c) as usize).unwrap();
    assert_eq!(r3.len(), 2 + 22);
    assert_eq!(r3[7], 0x17, "inner content type");
}

#[test]
fn get_record_and_ack_follow_tls_get_record() {
    let start = 1000;
    let mut s = KtlsTx::new(info(TlsVersion::V13), start, vec![0; 50]);
    let (a0, a1) = s.push_record(&[0; 10]);
    let (_, b1) = s.push_record(&[0; 10]);
    assert_eq!(s.get_record(start - 50), RecordLookup::Marker);
    assert_eq!(s.get_record(start - 51), RecordLookup::None);
    match s.get_record(a1 + 3) {
        RecordLookup::Record(r) => assert_eq!((r.start, r.rec_num), (a1, 101)),
        x => panic!("{x:?}"),
    }
    assert_eq!(s.get_record(b1), RecordLookup::None, "not sent yet");
    s.ack(a1);
    assert_eq!(s.records_held(), 1);
    assert_eq!(s.get_record(a0), RecordLookup::None, "acknowledged and freed");
    assert!(s.bytes(a0, 1).is_none());
}

#[test]
fn driver_classifies_out_of_order_segments() {
    let start = 0xffff_fff0; // wraps
    let mut s = KtlsTx::new(info(TlsVersion::V12), start, vec![0xaa; 40]);
    let (r0, _) = s.push_record(&[5; 20_000 / 2]);
    let mut dev = Dev { n: 1, added: Vec::new() };
    let mut drv = TxDriver::new(1);
    let ctx = drv.tls_dev_add(&mut dev, &info(TlsVersion::V12), start).unwrap();
    assert_eq!(drv.tls_dev_add(&mut dev, &info(TlsVersion::V12), start), Err(DevError::TableFull));
    // In order: marked, nothing else.
    let w = drv.xmit(&s, ctx, r0, 100, vec![1]);
    assert!(matches!(&w[..], [TxWork::Frame { desc, .. }] if desc.offload));
    // Retransmission inside the record: DUMP of the 50 bytes before it.
    let w = drv.xmit(&s, ctx, r0.wrapping_add(50), 10, vec![2]);
    match &w[..] {
        [TxWork::Dump { seq, rec_num, start: true, bytes, .. }, TxWork::Frame { desc, .. }] => {
            assert_eq!((*seq, *rec_num, bytes.len()), (r0, 100, 50));
            assert!(desc.offload);
        }
        x => panic!("{x:?}"),
    }
    // Deep inside a large record: DUMP in chunks.
    let w = drv.xmit(&s, ctx, r0.wrapping_add(9_000), 10, vec![3]);
    assert_eq!(w.iter().filter(|x| matches!(x, TxWork::Dump { .. })).count(), 9_000usize.div_ceil(DUMP_CHUNK));
    // Pre-offload data: unmarked; straddling the marker: dropped.
    let w = drv.xmit(&s, ctx, start.wrapping_sub(40), 40, vec![4]);
    assert!(matches!(&w[..], [TxWork::Frame { desc, .. }] if !desc.offload));
    assert!(drv.xmit(&s, ctx, start.wrapping_sub(5), 10, vec![5]).is_empty());
    // Unknown data: dropped.
    assert!(drv.xmit(&s, ctx, start.wrapping_add(1_000_000), 10, vec![6]).is_empty());
    let st = &drv.stats;
    assert_eq!((st.tx_tls_ooo, st.tx_tls_skip_no_sync_data, st.tx_tls_drop_no_sync_data), (5, 1, 2));
    drv.tls_dev_del(&mut dev, ctx).unwrap();
    assert!(dev.added.is_empty());
    assert_eq!(drv.tls_dev_del(&mut dev, ctx), Err(DevError::NoContext(ctx)));
}

#[test]
fn tso_segments_respect_mss_and_the_offload_start() {
    let start = 0xffff_ff00;
    let mut s = KtlsTx::new(info(TlsVersion::V13), start, vec![1; 100]);
    for n in [0usize, 1, 5000, 16_384] {
        s.push_record(&vec![3; n]);
    }
    for mss in [1usize, 7, 536, 1448, 9000] {
        let segs = s.segments(s.stream_start(), mss);
        assert!(segs.iter().all(|&(_, l)| l >= 1 && l <= mss));
        assert!(segs.iter().any(|&(q, _)| q == start), "a segment starts at the offload start");
        let total: usize = segs.iter().map(|&(_, l)| l).sum();
        assert_eq!(total, s.write_seq().wrapping_sub(s.stream_start()) as usize);
        for w in segs.windows(2) {
            assert_eq!(w[0].0.wrapping_add(w[0].1 as u32), w[1].0, "contiguous");
        }
    }
}
