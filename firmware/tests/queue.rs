//! The command queue's formats and rings.

use tlsnic_firmware::queue::{CmdRing, Command, Completion, CplRing, RingFull, CMD_SIZE};

#[test]
fn descriptors_round_trip() {
    let mut c = Command {
        opcode: 3,
        tag: 0xbeef,
        flags: 5,
        key_len: 32,
        ctx_id: 17,
        tcp_seq: 0xdead_beef,
        rec_seq: u64::MAX - 3,
        ..Command::default()
    };
    for (i, b) in c.key.iter_mut().enumerate() {
        *b = i as u8;
    }
    c.saddr[15] = 9;
    c.sport = 443;
    let b = c.encode();
    assert_eq!(b.len(), CMD_SIZE);
    assert_eq!(&b[2..4], &0xbeefu16.to_le_bytes(), "little-endian tag at byte 2");
    assert_eq!(Command::decode(&b), c);
    let k = Completion { tag: 7, status: 9, opcode: 3, ctx_id: 63, data: [1, 2, 3, 4, 5, 6] };
    assert_eq!(Completion::decode(&k.encode()), k);
}

#[test]
fn rings_fill_drain_and_wrap() {
    let mut q = CmdRing::default();
    let mut c = Command::default();
    for round in 0..5u16 {
        for i in 0..64u16 {
            c.tag = round * 64 + i;
            q.push(&c.encode()).unwrap();
        }
        assert_eq!(q.push(&c.encode()), Err(RingFull));
        for i in 0..64u16 {
            assert_eq!(Command::decode(&q.pop().unwrap()).tag, round * 64 + i);
        }
        assert!(q.pop().is_none());
    }
    assert_eq!(q.producer(), 320);
    assert_eq!(q.consumer(), 320);
    let cq = CplRing::default();
    assert!(cq.is_empty());
}
