#!/usr/bin/env python3
"""Reference vectors for the crypto unit benches (tb/crypto): AES-128/256
block encryptions and GF(2^128) products in the GCM bit order.

The reference is written out here from the standards, not taken from the
RTL: the S-box is computed from the inverse in GF(2^8) and the affine map
(FIPS-197 5.1.1), the key expansion and cipher follow FIPS-197 5.1-5.2,
and the GF(2^128) product follows NIST SP 800-38D 6.3 (Algorithm 1). The
script checks itself first against FIPS-197 appendix C.1 and C.3 and the
GHASH of GCM test case 2 (McGrew and Viega), and refuses to write vectors
if any check fails.

  gen_crypto_vectors.py aes --seed N --count C --lanes L --out FILE
      line: key256 key(64 hex) block_0..block_{L-1} ct_0..ct_{L-1}
      (every line its own random key; the first four lines are FIPS-197
      C.1 / C.3 and two of their blocks under the other key size)
  gen_crypto_vectors.py gf --seed N --count C --out FILE
      line: a b a*b (32 hex each)
"""
import argparse
import random
import sys


def gmul8(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return p


def make_sbox():
    s = []
    for x in range(256):
        inv = 0
        if x:
            inv = next(y for y in range(1, 256) if gmul8(x, y) == 1)
        rot = lambda v, n: ((v << n) | (v >> (8 - n))) & 0xFF
        s.append(inv ^ rot(inv, 1) ^ rot(inv, 2) ^ rot(inv, 3) ^ rot(inv, 4) ^ 0x63)
    return s


SBOX = make_sbox()


def expand(key):
    nk = len(key) // 4
    nr = nk + 6
    w = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (nr + 1)):
        t = list(w[i - 1])
        if i % nk == 0:
            t = [SBOX[t[1]] ^ rcon, SBOX[t[2]], SBOX[t[3]], SBOX[t[0]]]
            rcon = gmul8(rcon, 2)
        elif nk > 6 and i % nk == 4:
            t = [SBOX[b] for b in t]
        w.append([w[i - nk][j] ^ t[j] for j in range(4)])
    return [sum(w[4 * r:4 * r + 4], []) for r in range(nr + 1)]


def aes_encrypt(key, block):
    rks = expand(key)
    nr = len(rks) - 1
    s = [block[i] ^ rks[0][i] for i in range(16)]
    for r in range(1, nr + 1):
        s = [SBOX[b] for b in s]
        # ShiftRows: byte (row, col) = s[4*col + row] from column col + row
        s = [s[4 * ((c + rr) % 4) + rr] for c in range(4) for rr in range(4)]
        if r != nr:
            out = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                out += [gmul8(a[0], 2) ^ gmul8(a[1], 3) ^ a[2] ^ a[3],
                        a[0] ^ gmul8(a[1], 2) ^ gmul8(a[2], 3) ^ a[3],
                        a[0] ^ a[1] ^ gmul8(a[2], 2) ^ gmul8(a[3], 3),
                        gmul8(a[0], 3) ^ a[1] ^ a[2] ^ gmul8(a[3], 2)]
            s = out
        s = [s[i] ^ rks[r][i] for i in range(16)]
    return bytes(s)


def gf_mul(x, y):
    """X * Y in GF(2^128), SP 800-38D Algorithm 1 (bit 0 = MSB of byte 0)."""
    r = 0xE1 << 120
    z, v = 0, y
    for i in range(128):
        if (x >> (127 - i)) & 1:
            z ^= v
        v = (v >> 1) ^ (r if v & 1 else 0)
    return z


def self_check():
    h = bytes.fromhex
    ok = True
    # FIPS-197 C.1 and C.3
    pt = h("00112233445566778899aabbccddeeff")
    ok &= aes_encrypt(h("000102030405060708090a0b0c0d0e0f"), pt) == h("69c4e0d86a7b0430d8cdb78070b4c55a")
    ok &= aes_encrypt(h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                      pt) == h("8ea2b7ca516745bfeafc49904b496089")
    # GCM test case 2: H = E_0(0), C = E_0(J0 + 1) ^ 0, GHASH(H, {}, C)
    key = bytes(16)
    hh = int.from_bytes(aes_encrypt(key, bytes(16)), "big")
    ok &= hh == 0x66e94bd4ef8a2c3b884cfa59ca342b2e
    c = int.from_bytes(aes_encrypt(key, bytes(12) + (2).to_bytes(4, "big")), "big")
    ok &= c == 0x0388dace60b6a392f328c2b971b2fe78
    ghash = gf_mul(gf_mul(c, hh) ^ 128, hh)
    ok &= ghash == 0xf38cbb1ad69223dcc3457ae5b6b0f885
    if not ok:
        sys.exit("gen_crypto_vectors: the reference fails its own known-answer checks")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["aes", "gf"])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--lanes", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    self_check()
    rnd = random.Random(a.seed)
    lines = []
    if a.mode == "aes":
        h = bytes.fromhex
        fixed = [(h("000102030405060708090a0b0c0d0e0f"), False),
                 (h("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), True),
                 (h("2b7e151628aed2a6abf7158809cf4f3c"), False),
                 (h("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"), True)]
        for i in range(a.count):
            if i < len(fixed):
                key, k256 = fixed[i]
                blocks = [h("00112233445566778899aabbccddeeff")] * a.lanes
            else:
                k256 = rnd.random() < 0.5
                key = rnd.randbytes(32 if k256 else 16)
                blocks = [rnd.randbytes(16) for _ in range(a.lanes)]
            # the RTL's 256-bit key port: AES-128 keys in the top half, the
            # bottom half random (ignored by the RTL)
            port = key if k256 else key + rnd.randbytes(16)
            cts = [aes_encrypt(key, b) for b in blocks]
            lines.append(" ".join([str(int(k256)), port.hex()] + [b.hex() for b in blocks] + [c.hex() for c in cts]))
    else:
        for _ in range(a.count):
            x, y = rnd.getrandbits(128), rnd.getrandbits(128)
            if rnd.random() < 0.05:
                x = 1 << 127          # the field's 1
            lines.append(f"{x:032x} {y:032x} {gf_mul(x, y):032x}")
    with open(a.out, "w") as f:
        f.write(f"{len(lines)}\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
