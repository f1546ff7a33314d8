#!/usr/bin/env python3
"""Pre-placement path estimate of a flat synth_ecp5 netlist (Yosys JSON).

Usage: syn/ecp5_paths.py NETLIST.json [--top MODULE] [--period NS]
                         [--net NS] [--depth N] [--out FILE]

nextpnr's timing of a large ECP5 design comes only after placement (half
an hour for the board build); this gives, in seconds after Yosys, where
the long paths are. Arrival times are summed over the combinational cells
between sequential ones (TRELLIS_FF, DP16KD, MULT18X18D; the module's
ports count as inputs at 0 ns and as endpoints) with a fixed delay per
cell and per net hop:

  TRELLIS_FF clock to Q 0.45, setup 0.1; DP16KD and MULT18X18D clock to
  output 4.0 (no output register), setup 0.3; LUT4 0.35; PFUMX/L6MUX21
  0.25 (no net hop from the LUTs of their slice); CCU2C data to sum 0.45,
  to carry 0.4, carry in to carry out 0.05 (no net hop), to sum 0.3;
  TRELLIS_DPR16X4 read address to data 0.45; every other net hop --net
  (0.7 ns by default).

With --net 0.7 the estimate of the board build before this tool (build of
`ecpix5_top` STUB=0, 79,070 LUT4) was 71.7 ns for its worst path; nextpnr
measured 68.4 ns (14.62 MHz) after placing the same netlist: a guide to
which logic to pipeline and by how much, not a timing sign-off. The report
groups the endpoints slower than --period by hierarchy (--depth levels of
the instance path), worst first, and prints the worst path cell by cell.
"""

import argparse
import collections
import json
import sys

SEQ_OUT = {"TRELLIS_FF": 0.45, "DP16KD": 4.0, "MULT18X18D": 4.0, "EHXPLLL": 0.0}
SETUP = {"TRELLIS_FF": 0.1, "DP16KD": 0.3, "MULT18X18D": 0.3}


def cell_delay(typ, ip, op):
    """(delay, takes a net hop) from input port ip to output port op, or None."""
    if typ == "LUT4":
        return 0.35, True
    if typ in ("PFUMX", "L6MUX21"):
        return 0.25, ip not in ("ALUT", "BLUT", "D0", "D1")
    if typ == "CCU2C":
        if ip == "CIN":
            return (0.05 if op == "COUT" else 0.3), False
        return (0.4 if op == "COUT" else 0.45), True
    if typ == "TRELLIS_DPR16X4" and ip.startswith("RAD"):
        return 0.45, True
    return None


class Timing:
    def __init__(self, mod, net):
        self.mod, self.net = mod, net
        self.cells = mod["cells"]
        self.name = {}
        for n, v in mod["netnames"].items():
            if v.get("hide_name", 0):
                continue
            for b in v["bits"]:
                if isinstance(b, int) and (b not in self.name or len(n) < len(self.name[b])):
                    self.name[b] = n
        self.drv = {}
        for cn, c in self.cells.items():
            dirs = c.get("port_directions", {})
            for p, bits in c["connections"].items():
                if dirs.get(p) == "output":
                    for b in bits:
                        if isinstance(b, int):
                            self.drv[b] = (cn, p)
        self.arr, self.pred = {}, {}

    def arrival(self, bit):
        """Arrival time of a bit (iterative depth-first, memoized)."""
        if not isinstance(bit, int):
            return 0.0
        stack = [bit]
        while stack:
            b = stack[-1]
            if b in self.arr:
                stack.pop()
                continue
            if b not in self.drv:
                self.arr[b], self.pred[b] = 0.0, None
                stack.pop()
                continue
            cn, op = self.drv[b]
            c = self.cells[cn]
            typ = c["type"]
            if typ in SEQ_OUT or typ not in ("LUT4", "PFUMX", "L6MUX21", "CCU2C", "TRELLIS_DPR16X4"):
                self.arr[b], self.pred[b] = SEQ_OUT.get(typ, 0.0), None
                stack.pop()
                continue
            dirs = c["port_directions"]
            todo, best, bp = [], 0.0, None
            for ip, bits in c["connections"].items():
                if dirs.get(ip) != "input":
                    continue
                d = cell_delay(typ, ip, op)
                if d is None:
                    continue
                for ib in bits:
                    if not isinstance(ib, int):
                        continue
                    if ib not in self.arr:
                        todo.append(ib)
                        continue
                    a = self.arr[ib] + d[0] + (self.net if d[1] else 0.0)
                    if a > best:
                        best, bp = a, ib
            if todo:
                stack.extend(todo)
                continue
            self.arr[b], self.pred[b] = best, bp
            stack.pop()
        return self.arr[bit]

    def endpoints(self):
        """(arrival, name, bit) of every sequential input and output port."""
        ends = []
        for cn, c in self.cells.items():
            typ = c["type"]
            if typ not in SETUP:
                continue
            dirs = c["port_directions"]
            worst, wb = 0.0, None
            for ip, bits in c["connections"].items():
                if dirs.get(ip) != "input" or ip.startswith("CLK"):
                    continue
                for ib in bits:
                    if isinstance(ib, int):
                        a = self.arrival(ib) + self.net + SETUP[typ]
                        if a > worst:
                            worst, wb = a, ib
            nm = cn
            if typ == "TRELLIS_FF":
                nm = self.name.get(c["connections"]["Q"][0], cn)
            ends.append((worst, nm, wb))
        for pn, p in self.mod["ports"].items():
            if p["direction"] == "output":
                for b in p["bits"]:
                    if isinstance(b, int):
                        ends.append((self.arrival(b), "(output)." + pn, b))
        ends.sort(key=lambda e: -e[0])
        return ends

    def path(self, bit):
        out = []
        while isinstance(bit, int):
            cn = self.drv.get(bit, (None, None))[0]
            out.append((self.arr.get(bit, 0.0), self.cells[cn]["type"] if cn else "port", self.name.get(bit, "")))
            bit = self.pred.get(bit)
        return out[::-1]


def group(name, depth):
    parts = name.replace("\\", "").split(".")
    return ".".join(parts[:-1][:depth]) or "(top)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("netlist")
    ap.add_argument("--top", help="module (default: the netlist's top)")
    ap.add_argument("--period", type=float, default=10.0, help="clock period in ns (10)")
    ap.add_argument("--net", type=float, default=0.7, help="delay per net hop in ns (0.7)")
    ap.add_argument("--depth", type=int, default=6, help="hierarchy levels per group (6)")
    ap.add_argument("--out", help="write the report here too")
    a = ap.parse_args()
    with open(a.netlist) as f:
        d = json.load(f)
    mods = d["modules"]
    top = a.top or next((n for n, m in mods.items() if m.get("attributes", {}).get("top")), None)
    if top not in mods:
        sys.exit(f"ecp5_paths: no module {top!r} in {a.netlist}")
    t = Timing(mods[top], a.net)
    ends = t.endpoints()
    if not ends:
        sys.exit("ecp5_paths: no endpoints")
    worst = ends[0][0]
    slow = [e for e in ends if e[0] > a.period]
    lines = [f"ecp5_paths: {top}: worst path {worst:.1f} ns (about {1000 / worst:.1f} MHz; "
             f"estimate, net hop {a.net} ns); {len(slow)} of {len(ends)} endpoints slower than {a.period} ns"]
    groups = collections.defaultdict(lambda: [0, 0.0, ""])
    for arr, nm, _ in slow:
        g = groups[group(nm, a.depth)]
        g[0] += 1
        if arr > g[1]:
            g[1], g[2] = arr, nm
    lines.append(f"{'worst ns':>9} {'endpoints':>9}  hierarchy: worst endpoint")
    for k, (n, w, nm) in sorted(groups.items(), key=lambda x: -x[1][1]):
        lines.append(f"{w:9.1f} {n:9d}  {k}: {nm.split('.')[-1]}")
    lines.append(f"worst path, to {ends[0][1]}:")
    last = None
    for arr, typ, nm in t.path(ends[0][2]):
        if nm and nm != last:
            lines.append(f"  {arr:6.2f} {typ:<15} {nm}")
            last = nm
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
