//! The first frame-building API (used by `testbench`, re-exported there as
//! `tlsnic_testbench::net`), now a thin layer over [`crate::tcp`]: the
//! frames are the same bytes as before. New code uses
//! [`crate::tcp::FrameTemplate`] and [`crate::tcp::parse`].

use crate::tcp::{FrameTemplate, ParsedFrame};
use crate::types::FlowKey;

pub use crate::tcp::{checksums_ok, ones_sum};

/// Where the parts of a frame are ([`crate::tcp::ParsedFrame`]).
pub type Parsed = ParsedFrame;

/// Addressing of one TCP connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// IPv6 instead of IPv4.
    pub ipv6: bool,
    /// 802.1Q tag (VLAN id) or none.
    pub vlan: Option<u16>,
    /// Source address (IPv4 uses the first 4 bytes).
    pub src: [u8; 16],
    /// Destination address.
    pub dst: [u8; 16],
    /// TCP source port.
    pub sport: u16,
    /// TCP destination port.
    pub dport: u16,
    /// IPv4 option bytes (multiple of 4, at most 40; NOPs).
    pub ip_opts: usize,
    /// TCP option bytes (multiple of 4, at most 40; NOPs).
    pub tcp_opts: usize,
}

impl Flow {
    /// The connection's addresses and ports.
    pub fn key(&self) -> FlowKey {
        if self.ipv6 {
            FlowKey::V6 { saddr: self.src.into(), daddr: self.dst.into(), sport: self.sport, dport: self.dport }
        } else {
            let v4 = |a: &[u8; 16]| <[u8; 4]>::try_from(&a[..4]).expect("4 bytes").into();
            FlowKey::V4 { saddr: v4(&self.src), daddr: v4(&self.dst), sport: self.sport, dport: self.dport }
        }
    }

    /// The frame template: IP id 0x1234, DF, TTL 64, ack 0x01020304,
    /// PSH|ACK, window 0xffff, NOP options.
    pub fn template(&self) -> FrameTemplate {
        let mut t = FrameTemplate::new(self.key());
        t.vlan = self.vlan.map(|v| v & 0x0fff);
        if !self.ipv6 {
            t.ip_options = vec![1; self.ip_opts];
        }
        t.tcp_options = vec![1; self.tcp_opts];
        t.ip_id = 0x1234;
        t.ack = 0x0102_0304;
        t
    }

    /// Build a frame carrying `payload` at TCP sequence number `seq`, with a
    /// correct IPv4 header checksum and TCP checksum.
    ///
    /// # Panics
    /// If the option lengths are not multiples of 4 up to 40, or the packet
    /// exceeds 64 KB.
    pub fn frame(&self, seq: u32, payload: &[u8]) -> Vec<u8> {
        self.template().build(seq, payload).unwrap_or_else(|e| panic!("{self:?}: {e}"))
    }
}

/// Parse a TCP frame built by [`Flow::frame`] (or its encrypted version).
pub fn parse(f: &[u8]) -> Option<Parsed> {
    crate::tcp::parse(f).ok()
}
