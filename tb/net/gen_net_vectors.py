#!/usr/bin/env python3
"""Frame generator and reference model for the tb/net testbenches.

Python 3 standard library only. Writes two files into OUT:
  frames.hex  one frame byte per line ($readmemh), frames back to back
  frames.txt  a header line "count total_bytes", then one line of hex fields
              (at most 32 bits each) per frame, in the order gen_parse /
              gen_csum write them and the SV testbenches read them

Modes:
  parse  realistic and malformed Ethernet/VLAN/IPv4/IPv6/TCP/UDP/ARP frames,
         truncations and fuzz; expected net_hdr_parse records (meta, loc,
         eof, and the beat index of each) and the tcp_csum result for the
         parser -> tcp_csum chain
  csum   random bytes with random checksum coverage (odd and even offsets,
         padding, truncation) for tcp_csum alone

The expectations are computed here from the byte-level definitions in
docs/net.md, independently of the RTL's structure.
"""
import argparse
import random
import struct
from collections import Counter

TPID = 0x8100
ET_IPV4 = 0x0800
ET_IPV6 = 0x86DD
ET_ARP = 0x0806


# ----------------------------------------------------------------- checksums
def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def sum16(data):
    """Integer sum of the big-endian 16-bit words of data (odd tail padded)."""
    if len(data) % 2:
        data = data + b"\x00"
    return sum(struct.unpack(">%dH" % (len(data) // 2), data))


def csum(data):
    return (~fold(sum16(data))) & 0xFFFF


# ------------------------------------------------------------------ builders
def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def eth(rng, ethertype, vlan):
    h = rbytes(rng, 12)
    if vlan:
        h += struct.pack(">HH", TPID, rng.getrandbits(16))
    return h + struct.pack(">H", ethertype)


def ipv4_hdr(rng, src, dst, proto, l4len, ihl=5, frag=0, totlen=None, good_csum=True, ver=4):
    opts = rbytes(rng, 4 * ihl - 20) if ihl > 5 else b""
    if totlen is None:
        totlen = 4 * ihl + l4len
    flags_frag = frag if frag else (0x4000 if rng.random() < 0.5 else 0)
    h = struct.pack(">BBHHHBBH4s4s", (ver << 4) | ihl, rng.getrandbits(8), totlen & 0xFFFF,
                    rng.getrandbits(16), flags_frag, rng.randrange(1, 256), proto, 0, src, dst) + opts
    c = csum(h)
    if not good_csum:
        c ^= 1 << rng.randrange(16)
    return h[:10] + struct.pack(">H", c) + h[12:]


def ipv6_hdr(rng, src, dst, nh, l4len, plen=None, ver=6):
    if plen is None:
        plen = l4len
    return struct.pack(">IHBB16s16s", (ver << 28) | rng.getrandbits(20), plen & 0xFFFF, nh,
                       rng.randrange(1, 256), src, dst)


def tcp_seg(rng, src, dst, v6, payload, doff=5, good_csum=True):
    opts = rbytes(rng, 4 * doff - 20) if doff > 5 else b""
    h = struct.pack(">HHIIBBHHH", rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(32),
                    rng.getrandbits(32), doff << 4, rng.getrandbits(8), rng.getrandbits(16), 0,
                    rng.getrandbits(16)) + opts
    seg = h + payload
    if v6:
        ph = src + dst + struct.pack(">IxxxB", len(seg), 6)
    else:
        ph = src + dst + struct.pack(">xBH", 6, len(seg))
    c = csum(ph + seg)
    if not good_csum:
        c ^= 1 << rng.randrange(16)
    return seg[:16] + struct.pack(">H", c) + seg[18:]


def payload_len(rng, big=False):
    if big:
        return rng.randrange(1400, 9001)
    r = rng.random()
    if r < 0.15:
        return 0
    if r < 0.5:
        return rng.randrange(1, 64)
    if r < 0.9:
        return rng.randrange(64, 1461)
    return rng.randrange(1461, 9001)


def pad60(rng, f):
    return f + rbytes(rng, 60 - len(f)) if len(f) < 60 else f


def tcp_frame(rng, v6=False, vlan=None, ihl=None, doff=None, big=False, good_ip=True,
              good_tcp=True, pay=None):
    if vlan is None:
        vlan = rng.random() < 0.3
    if doff is None:
        doff = 5 if rng.random() < 0.4 else rng.randrange(5, 16)
    if pay is None:
        pay = payload_len(rng, big)
    payload = rbytes(rng, pay)
    if v6:
        src, dst = rbytes(rng, 16), rbytes(rng, 16)
        seg = tcp_seg(rng, src, dst, True, payload, doff, good_tcp)
        f = eth(rng, ET_IPV6, vlan) + ipv6_hdr(rng, src, dst, 6, len(seg)) + seg
    else:
        if ihl is None:
            ihl = 5 if rng.random() < 0.5 else rng.randrange(5, 16)
        src, dst = rbytes(rng, 4), rbytes(rng, 4)
        seg = tcp_seg(rng, src, dst, False, payload, doff, good_tcp)
        f = eth(rng, ET_IPV4, vlan) + ipv4_hdr(rng, src, dst, 6, len(seg), ihl, good_csum=good_ip) + seg
    return pad60(rng, f)


def set_ip_field(f, off, fmt, val, fix_csum=True):
    """Overwrite an IPv4 header field (offset from L3) and, if asked, re-sum."""
    b = bytearray(f)
    l3 = 18 if b[12:14] == b"\x81\x00" else 14
    struct.pack_into(fmt, b, l3 + off, val)
    if fix_csum:
        ihl = b[l3] & 15
        struct.pack_into(">H", b, l3 + 10, 0)
        struct.pack_into(">H", b, l3 + 10, csum(bytes(b[l3:l3 + 4 * ihl])))
    return bytes(b)


def gen_parse_frame(rng):
    """One frame of a random category: (name, bytes)."""
    kinds = [
        ("tcp4", 12), ("tcp4_opts", 6), ("tcp6", 10), ("tcp_big", 3), ("tcp_pad", 4),
        ("bad_ipcsum", 3), ("bad_tcpcsum", 3), ("udp4", 3), ("udp6", 2), ("icmp4", 2),
        ("arp", 2), ("other_et", 2), ("v6_ext", 2), ("frag", 3), ("bad_ver", 2), ("bad_ihl", 2),
        ("totlen_small", 2), ("len_long", 3), ("tcp_len_short", 2), ("doff_small", 2),
        ("v6_plen", 2), ("trunc", 12), ("garbage", 4), ("tiny", 2), ("ip_no_tcp_pay", 2),
    ]
    name = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    vlan = rng.random() < 0.3
    if name == "tcp4":
        return name, tcp_frame(rng, ihl=5)
    if name == "tcp4_opts":
        return name, tcp_frame(rng, ihl=rng.randrange(6, 16))
    if name == "tcp6":
        return name, tcp_frame(rng, v6=True)
    if name == "tcp_big":
        return name, tcp_frame(rng, v6=rng.random() < 0.5, big=True)
    if name == "tcp_pad":
        return name, tcp_frame(rng, ihl=5, doff=5, pay=rng.randrange(0, 6))
    if name == "bad_ipcsum":
        return name, tcp_frame(rng, good_ip=False)
    if name == "bad_tcpcsum":
        return name, tcp_frame(rng, v6=rng.random() < 0.5, good_tcp=False)
    if name in ("udp4", "udp6", "icmp4"):
        pay = rbytes(rng, payload_len(rng))
        if name == "udp6":
            src, dst = rbytes(rng, 16), rbytes(rng, 16)
            l4 = rbytes(rng, 8) + pay
            return name, pad60(rng, eth(rng, ET_IPV6, vlan) + ipv6_hdr(rng, src, dst, 17, len(l4)) + l4)
        src, dst = rbytes(rng, 4), rbytes(rng, 4)
        l4 = rbytes(rng, 8) + pay
        ihl = rng.randrange(5, 16)
        return name, pad60(rng, eth(rng, ET_IPV4, vlan)
                           + ipv4_hdr(rng, src, dst, 17 if name == "udp4" else 1, len(l4), ihl) + l4)
    if name == "ip_no_tcp_pay":
        # IPv4 header ending right at the frame end (header sum in the last beat)
        ihl = rng.randrange(5, 16)
        src, dst = rbytes(rng, 4), rbytes(rng, 4)
        tail = rbytes(rng, rng.randrange(0, 4))
        return name, eth(rng, ET_IPV4, vlan) + ipv4_hdr(rng, src, dst, rng.choice([1, 17, 59]),
                                                        len(tail), ihl) + tail
    if name == "arp":
        return name, pad60(rng, eth(rng, ET_ARP, vlan) + rbytes(rng, 28))
    if name == "other_et":
        return name, pad60(rng, eth(rng, rng.choice([0x88CC, 0x8847, 0x0842, 0x9100, 0x86DC]), vlan)
                           + rbytes(rng, rng.randrange(0, 200)))
    if name == "v6_ext":
        src, dst = rbytes(rng, 16), rbytes(rng, 16)
        l4 = bytes([6, 0]) + rbytes(rng, 6) + rbytes(rng, 20 + payload_len(rng))
        return name, pad60(rng, eth(rng, ET_IPV6, vlan)
                           + ipv6_hdr(rng, src, dst, rng.choice([0, 43, 44, 60]), len(l4)) + l4)
    if name == "frag":
        f = tcp_frame(rng, v6=False)
        val = rng.choice([0x2000, 0x2000 | rng.randrange(1, 0x2000), rng.randrange(1, 0x2000)])
        return name, set_ip_field(f, 6, ">H", val)
    if name == "bad_ver":
        if rng.random() < 0.5:
            f = tcp_frame(rng, v6=False)
            b = bytearray(f)
            l3 = 18 if b[12:14] == b"\x81\x00" else 14
            return name, set_ip_field(f, 0, ">B", (rng.choice([0, 6, 5, 15]) << 4) | (b[l3] & 15))
        f = bytearray(tcp_frame(rng, v6=True))
        l3 = 18 if f[12:14] == b"\x81\x00" else 14
        f[l3] = (rng.choice([0, 4, 7]) << 4) | (f[l3] & 15)
        return name, bytes(f)
    if name == "bad_ihl":
        f = tcp_frame(rng, v6=False, ihl=5)
        b = bytearray(f)
        l3 = 18 if b[12:14] == b"\x81\x00" else 14
        return name, set_ip_field(f, 0, ">B", 0x40 | rng.randrange(0, 5))
    if name == "totlen_small":
        f = tcp_frame(rng, v6=False)
        b = bytearray(f)
        l3 = 18 if b[12:14] == b"\x81\x00" else 14
        return name, set_ip_field(f, 2, ">H", rng.randrange(0, 4 * (b[l3] & 15)))
    if name == "len_long":
        v6 = rng.random() < 0.5
        f = tcp_frame(rng, v6=v6)
        b = bytearray(f)
        l3 = 18 if b[12:14] == b"\x81\x00" else 14
        if v6:
            plen = struct.unpack_from(">H", b, l3 + 4)[0]
            struct.pack_into(">H", b, l3 + 4, min(0xFFFF, plen + rng.choice([1, 2, 100, 60000])))
            return name, bytes(b)
        tl = struct.unpack_from(">H", b, l3 + 2)[0]
        return name, set_ip_field(f, 2, ">H", min(0xFFFF, tl + rng.choice([1, 2, 100, 60000])))
    if name == "tcp_len_short":
        # the IP length ends inside the TCP header
        v6 = rng.random() < 0.5
        f = tcp_frame(rng, v6=v6, doff=rng.randrange(5, 16))
        b = bytearray(f)
        l3 = 18 if b[12:14] == b"\x81\x00" else 14
        if v6:
            doff = b[l3 + 40 + 12] >> 4
            struct.pack_into(">H", b, l3 + 4, rng.randrange(0, 4 * doff))
            return name, bytes(b)
        ihl = b[l3] & 15
        doff = b[l3 + 4 * ihl + 12] >> 4
        return name, set_ip_field(f, 2, ">H", 4 * ihl + rng.randrange(0, 4 * doff))
    if name == "doff_small":
        f = bytearray(tcp_frame(rng, v6=rng.random() < 0.5, doff=5))
        l3 = 18 if f[12:14] == b"\x81\x00" else 14
        l4 = l3 + 40 if f[l3] >> 4 == 6 else l3 + 4 * (f[l3] & 15)
        f[l4 + 12] = (rng.randrange(0, 5) << 4) | (f[l4 + 12] & 15)
        return name, bytes(f)
    if name == "v6_plen":
        f = bytearray(tcp_frame(rng, v6=True))
        l3 = 18 if f[12:14] == b"\x81\x00" else 14
        plen = struct.unpack_from(">H", f, l3 + 4)[0]
        struct.pack_into(">H", f, l3 + 4, max(0, plen - rng.randrange(1, 8)))
        return name, bytes(f)
    if name == "trunc":
        kind, f = gen_parse_frame(rng)
        while kind in ("trunc", "tiny"):
            kind, f = gen_parse_frame(rng)
        cut = rng.randrange(1, min(len(f), 150) + 1) if rng.random() < 0.85 else rng.randrange(1, len(f) + 1)
        return name, f[:cut]
    if name == "garbage":
        f = bytearray(rbytes(rng, rng.randrange(1, 200)))
        if len(f) >= 14 and rng.random() < 0.8:
            vl = rng.random() < 0.3 and len(f) >= 18
            if vl:
                f[12:14] = b"\x81\x00"
            et_at = 16 if vl else 12
            f[et_at:et_at + 2] = struct.pack(">H", rng.choice([ET_IPV4, ET_IPV6]))
            l3 = et_at + 2
            if len(f) > l3 and rng.random() < 0.7:
                f[l3] = (rng.choice([4, 6]) << 4) | rng.randrange(16)
            if len(f) > l3 + 9 and rng.random() < 0.7:
                f[l3 + (6 if f[l3] >> 4 == 6 else 9)] = 6
        return name, bytes(f)
    if name == "tiny":
        return name, rbytes(rng, rng.randrange(1, 21))
    raise AssertionError(name)


# ------------------------------------------------------------ reference model
def ref_parse(f, K):
    """Expected net_hdr_parse outputs and tcp_csum result for frame f."""
    n = len(f)
    last_beat = (n - 1) // K

    def has(p):
        return p < n

    def be(off, size):
        return int.from_bytes(f[off:off + size], "big")

    m = dict(is_tcp=0, parse_err=0, vlan=0, ipv4=0, ipv6=0, ip_csum_ok=0, ip_proto=0, l3_off=0,
             l4_off=0, payload_off=0, payload_len=0, src_ip=0, dst_ip=0, src_port=0, dst_port=0,
             tcp_seq=0, tcp_flags=0)
    vlan = has(13) and be(12, 2) == TPID
    l3 = 18 if vlan else 14
    ipv4 = ipv6 = False
    if has(l3 - 1):
        et = be(l3 - 2, 2)
        ipv4, ipv6 = et == ET_IPV4, et == ET_IPV6
    ip = ipv4 or ipv6
    m.update(vlan=int(vlan), ipv4=int(ipv4), ipv6=int(ipv6), l3_off=l3 if ip else 0)

    ver = f[l3] >> 4 if has(l3) else None
    ihl = f[l3] & 15 if has(l3) else None
    proto_pos = l3 + (6 if ipv6 else 9)
    proto = f[proto_pos] if has(proto_pos) else None
    if ip and proto is not None:
        m["ip_proto"] = proto
    totlen = be(l3 + 2, 2) if has(l3 + 3) else None
    plen = be(l3 + 4, 2) if has(l3 + 5) else None
    l4 = None
    if ipv6:
        l4 = l3 + 40
    elif ipv4 and has(l3) and ihl >= 5:
        l4 = l3 + 4 * ihl
    if l4 is not None:
        m["l4_off"] = l4

    tcp_cand = ((ipv4 and has(l3) and ver == 4 and ihl >= 5) or (ipv6 and has(l3) and ver == 6)) \
        and proto == 6
    tcp_ip_len = None
    if tcp_cand:
        tcp_ip_len = plen if ipv6 else (totlen - 4 * ihl) & 0xFFFF

    # IPv4 header checksum
    ip_ok = False
    if ipv4 and has(l3) and ver == 4 and ihl >= 5 and has(l3 + 4 * ihl - 1):
        ip_ok = fold(sum16(f[l3:l3 + 4 * ihl])) == 0xFFFF
    m["ip_csum_ok"] = int(ip_ok)

    v4_err = v6_err = tcp_err = False
    if ipv4:
        frag = has(l3 + 7) and ((f[l3 + 6] & 0x20) or (be(l3 + 6, 2) & 0x1FFF))
        v4_err = (not has(l3 + 19) or ver != 4 or ihl < 5 or not has(l3 + 4 * ihl - 1)
                  or totlen < 4 * ihl or bool(frag) or not ip_ok)
    if ipv6:
        v6_err = not has(l3 + 39) or ver != 6
    doff = f[l4 + 12] >> 4 if (tcp_cand and has(l4 + 12)) else None
    if tcp_cand:
        tcp_err = (not has(l4 + 19) or doff < 5 or not has(l4 + 4 * doff - 1)
                   or tcp_ip_len < 4 * doff)
    hdr_err = (ipv4 and v4_err) or (ipv6 and v6_err) or (tcp_cand and tcp_err)
    len_err = False
    if ip:
        fixed_end = l3 + (39 if ipv6 else 19)
        len_err = not has(fixed_end) or n < (l3 + 40 + plen if ipv6 else l3 + totlen)

    # record timing
    meta_beat = last_beat
    if tcp_cand and doff is not None:
        hdr_end = l4 + max(20, 4 * doff)
        meta_beat = min((hdr_end - 1) // K, last_beat)
    at_tlast = meta_beat == last_beat
    parse_err = hdr_err or (at_tlast and len_err)
    is_tcp = tcp_cand and not parse_err
    m.update(is_tcp=int(is_tcp), parse_err=int(parse_err))
    if tcp_cand and doff is not None and doff >= 5:
        m["payload_off"] = l4 + 4 * doff
    if is_tcp:
        m["payload_len"] = tcp_ip_len - 4 * doff
    if ipv4 and has(l3 + 19):
        m["src_ip"], m["dst_ip"] = be(l3 + 12, 4), be(l3 + 16, 4)
    if ipv6 and has(l3 + 39):
        m["src_ip"], m["dst_ip"] = be(l3 + 8, 16), be(l3 + 24, 16)
    if tcp_cand and has(l4 + 19):
        m.update(src_port=be(l4, 2), dst_port=be(l4 + 2, 2), tcp_seq=be(l4 + 4, 4),
                 tcp_flags=f[l4 + 13])

    eof = dict(tcp_ok=int(tcp_cand and not hdr_err and not len_err), len_err=int(len_err))

    loc = None
    if tcp_cand and (ipv6 or totlen >= 4 * ihl):
        loc = dict(beat=proto_pos // K, ipv6=int(ipv6), addr_off=l3 + (8 if ipv6 else 12),
                   l4_off=l4, l4_len=tcp_ip_len)
    cs = dict(ok=0, sum=0, rx=0)
    if loc is not None:
        cs = tcp_csum_ref(f, loc)
    return dict(meta=m, meta_beat=meta_beat, eof=eof, loc=loc, csum=cs)


def tcp_csum_ref(f, loc):
    """tcp_csum result: pseudo-header + segment, without the checksum field.

    Built as the standard RFC 793 computation (pseudo-header bytes, segment
    bytes with the checksum zeroed, padded), over the bytes the frame has.
    """
    n = len(f)
    l4, ln, a = loc["l4_off"], loc["l4_len"], loc["addr_off"]
    alen = 32 if loc["ipv6"] else 8
    addrs = f[a:a + alen].ljust(alen, b"\x00") if a < n else bytes(alen)
    if a % 2 != l4 % 2:
        raise ValueError("address and segment parity differ")
    seg = bytearray(f[l4:min(l4 + ln, n)]) if l4 < n else bytearray()
    for p in (16, 17):
        if p < len(seg):
            seg[p] = 0
    if loc["ipv6"]:
        ph = addrs + struct.pack(">IxxxB", ln, 6)
    else:
        ph = addrs + struct.pack(">xBH", 6, ln)
    s = fold(sum16(ph) + sum16(bytes(seg)))
    rx = ((f[l4 + 16] if l4 + 16 < n else 0) << 8) | (f[l4 + 17] if l4 + 17 < n else 0)
    ok = int(fold(s + rx) == 0xFFFF)
    return dict(ok=ok, sum=s, rx=rx)


def tcp_csum_ref_positional(f, loc):
    """Same result, computed per byte position (L4-aligned weights)."""
    n = len(f)
    l4, ln, a = loc["l4_off"], loc["l4_len"], loc["addr_off"]
    alen = 32 if loc["ipv6"] else 8
    s = 0
    for lo, hi in ((a, a + alen), (l4, l4 + ln)):
        for p in range(lo, min(hi, n)):
            if lo == l4 and p in (l4 + 16, l4 + 17):
                continue
            s += f[p] << 8 if (p - l4) % 2 == 0 else f[p]
    s = fold(s + 6 + ln)
    rx = ((f[l4 + 16] if l4 + 16 < n else 0) << 8) | (f[l4 + 17] if l4 + 17 < n else 0)
    return dict(ok=int(fold(s + rx) == 0xFFFF), sum=s, rx=rx)


# -------------------------------------------------------------------- output
def words32(v):
    """A 128-bit value as four 32-bit fields, most significant first."""
    return [(v >> s) & 0xFFFFFFFF for s in (96, 64, 32, 0)]


def write_bytes(fh, f):
    fh.write("".join("%02x\n" % b for b in f))


def gen_parse(rng, count, K, out):
    kinds = Counter()
    frames = []
    # a few fixed frames first: minimal TCP, both IP versions, each VLAN form
    for v6 in (False, True):
        for vlan in (False, True):
            frames.append(("tcp_fixed", tcp_frame(rng, v6=v6, vlan=vlan, ihl=5, doff=5, pay=0)))
            frames.append(("tcp_fixed", tcp_frame(rng, v6=v6, vlan=vlan, ihl=15, doff=15, pay=9000)))
    for ihl in range(5, 16):
        for doff in (5, 15):
            frames.append(("tcp_fixed", tcp_frame(rng, ihl=ihl, doff=doff, vlan=rng.random() < 0.5)))
    # every truncation point of a few templates, up to just past the headers
    for v6 in (False, True):
        for vlan in (False, True):
            for ihl, doff in ((5, 5), (15, 15), (rng.randrange(6, 15), rng.randrange(6, 15))):
                if v6:
                    ihl = 5                     # no IHL in IPv6; vary the TCP options only
                f = tcp_frame(rng, v6=v6, vlan=vlan, ihl=ihl, doff=doff, pay=8)
                hdr = (18 if vlan else 14) + (40 if v6 else 4 * ihl) + 4 * doff
                frames += [("trunc_sweep", f[:cut]) for cut in range(1, hdr + 3)]
    while len(frames) < count:
        frames.append(gen_parse_frame(rng))
    names = sorted({k for k, _ in frames})
    total = sum(len(f) for _, f in frames)
    with open(out + "/frames.hex", "w") as hx, open(out + "/frames.txt", "w") as tx:
        tx.write("%x %x\n" % (len(frames), total))
        start = 0
        for name, f in frames:
            r = ref_parse(f, K)
            if r["loc"] is not None:
                assert tcp_csum_ref_positional(f, r["loc"]) == r["csum"], name
            kinds[name] += 1
            m, e, loc, cs = r["meta"], r["eof"], r["loc"], r["csum"]
            loc = loc or dict(beat=0xFFFF, ipv6=0, addr_off=0, l4_off=0, l4_len=0)
            fields = [start, len(f), r["meta_beat"], loc["beat"], names.index(name),
                      m["is_tcp"], m["parse_err"], m["vlan"], m["ipv4"], m["ipv6"], m["ip_csum_ok"],
                      m["ip_proto"], m["l3_off"], m["l4_off"], m["payload_off"], m["payload_len"],
                      *words32(m["src_ip"]), *words32(m["dst_ip"]), m["src_port"], m["dst_port"], m["tcp_seq"],
                      m["tcp_flags"], e["tcp_ok"], e["len_err"],
                      loc["ipv6"], loc["addr_off"], loc["l4_off"], loc["l4_len"],
                      cs["ok"], cs["sum"], cs["rx"]]
            tx.write(" ".join("%x" % v for v in fields) + "\n")
            write_bytes(hx, f)
            start += len(f)
    with open(out + "/kinds.txt", "w") as kf:
        for i, k in enumerate(names):
            kf.write("%d %s %d\n" % (i, k, kinds[k]))
    return kinds, frames


def gen_csum(rng, count, K, out):
    kinds = Counter()
    total = 0
    with open(out + "/frames.hex", "w") as hx, open(out + "/frames.txt", "w") as tx:
        lines = []
        start = 0
        for i in range(count):
            n = rng.randrange(1, 200) if rng.random() < 0.6 else rng.randrange(200, 9200)
            f = bytearray(rbytes(rng, n))
            if rng.random() < 0.03:
                f = bytearray(b"\xff" * n)          # largest sums
            kind = "no_loc"
            loc = None
            if rng.random() < 0.92:
                v6 = rng.random() < 0.4
                alen = 32 if v6 else 8
                l4 = rng.randrange(alen, max(alen + 1, min(n + 20, 300)))
                a = rng.randrange(0, l4 - alen + 1)
                if (a - l4) % 2:
                    a = a + 1 if a + 1 <= l4 - alen else a - 1
                r = rng.random()
                if r < 0.4:
                    ln = max(0, n - l4)
                elif r < 0.6:
                    ln = max(0, n - l4 - rng.randrange(1, 30))      # Ethernet padding
                elif r < 0.8:
                    ln = max(0, n - l4) + rng.randrange(1, 60)      # truncated
                elif r < 0.9:
                    ln = rng.randrange(0, 20)                       # tiny / no field
                else:
                    ln = rng.randrange(0, 0x10000)
                loc = dict(ipv6=int(v6), addr_off=a, l4_off=l4, l4_len=ln)
                kind = ("odd" if l4 % 2 else "even") + ("_v6" if v6 else "_v4")
                if rng.random() < 0.4 and l4 + 17 < n and 18 <= ln:
                    f[l4 + 16:l4 + 18] = b"\x00\x00"
                    s = tcp_csum_ref(bytes(f), loc)["sum"]
                    f[l4 + 16:l4 + 18] = struct.pack(">H", (~s) & 0xFFFF)
                    kind += "_good"
                first = min(a, l4) // K
                # loc_valid comes in the cycle after this beat
                loc["beat"] = rng.randrange(0, min(first, (n - 1) // K) + 1)
            f = bytes(f)
            if loc is not None:
                cs = tcp_csum_ref(f, loc)
                assert cs == tcp_csum_ref_positional(f, loc)
                if kind.endswith("_good"):
                    assert cs["ok"] == 1
            else:
                cs = dict(ok=0, sum=0, rx=0)
                loc = dict(beat=0xFFFF, ipv6=0, addr_off=0, l4_off=0, l4_len=0)
            kinds[kind] += 1
            lines.append([start, n, loc["beat"], loc["ipv6"], loc["addr_off"],
                          loc["l4_off"], loc["l4_len"], cs["ok"], cs["sum"], cs["rx"]])
            write_bytes(hx, f)
            start += n
        total = start
        tx.write("%x %x\n" % (count, total))
        for fl in lines:
            tx.write(" ".join("%x" % v for v in fl) + "\n")
    return kinds


# capacity of the SV testbenches (MEM_BYTES, MAX_FR)
TB_MEM_BYTES = 1 << 26
TB_MAX_FR = 1 << 16


def check_capacity(out):
    with open(out + "/frames.txt") as fh:
        n, total = (int(x, 16) for x in fh.readline().split())
    if n > TB_MAX_FR or total > TB_MEM_BYTES:
        raise SystemExit("%d frames / %d bytes exceed the testbench capacity (%d / %d): lower COUNT"
                         % (n, total, TB_MAX_FR, TB_MEM_BYTES))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["parse", "csum"])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--keep-w", type=int, default=16, help="bytes per beat (DATA_W / 8)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    if a.mode == "parse":
        kinds, _ = gen_parse(rng, a.count, a.keep_w, a.out)
    else:
        kinds = gen_csum(rng, a.count, a.keep_w, a.out)
    check_capacity(a.out)
    print("%s vectors (seed %d, %d frames): %s" % (
        a.mode, a.seed, sum(kinds.values()), ", ".join("%s=%d" % kv for kv in sorted(kinds.items()))))


if __name__ == "__main__":
    main()
