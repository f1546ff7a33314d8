#!/usr/bin/env python3
"""Compare runs of one top at several sizes (syn/synth_scale.sh).

Usage: syn/synth_scale.py MAX_PCT NAME=VALUE:REPORT...

Each REPORT is a TOP.ram.json written by syn/synth_report.py for one size
(NAME=VALUE, e.g. TLSNIC_N_CTX=64), smallest first. Prints a table (cells,
flip-flops, memories, time per size), the instances whose flip-flops
changed, and the verdict on two figures of the smallest and the largest
size, each of which must differ by less than MAX_PCT percent of the
smaller value (exit 0; else exit 1):
  flip-flops                   the gate-level flip-flops;
  flip-flops + async-read RAM  adds the bits of async-read RAMs: keepmem
                               synthesis keeps them as memory cells, but a
                               real target builds them from flip-flops (or
                               LUT RAM) with read multiplexers, so a
                               per-context table read asynchronously is a
                               flip-flop table that the first figure misses.
Sync-read RAM and ROM bits may grow (block RAM, constant tables).
"""

import json
import sys

SHOW = 8  # instances listed


def main():
    max_pct = float(sys.argv[1])
    runs = []
    for arg in sys.argv[2:]:
        size, path = arg.split(":", 1)
        runs.append((size, json.load(open(path))))
    top = runs[0][1]["top"]
    print(f"synth-scale {top} ({runs[0][1]['mode']} synthesis at each size):")
    print(f"    {'size':<20} {'cells':>9} {'flip-flops':>10} {'sync RAM bits':>14} "
          f"{'async RAM bits':>14} {'ROM bits':>9} {'time':>8}")
    for size, r in runs:
        c = r["memory_classes"]
        rom = c["sync_rom"]["bits"] + c["async_rom"]["bits"]
        print(f"    {size:<20} {r['cells']:>9} {r['flip_flops']:>10} "
              f"{c['sync_ram']['bits']:>14} {c['async_ram']['bits']:>14} {rom:>9} {r['seconds']:>6} s"
              + (f" ({r['cpu_seconds']} s CPU)" if r.get("cpu_seconds") is not None else ""))

    (s0, r0), (s1, r1) = runs[0], runs[-1]

    # where the flip-flops changed (instances two levels down)
    i0, i1 = r0["flip_flops_by_instance"], r1["flip_flops_by_instance"]
    deltas = []
    for p in sorted(set(i0) | set(i1)):
        a, b = i0.get(p, 0), i1.get(p, 0)
        if a != b:
            deltas.append((abs(b - a), p, a, b))
    deltas.sort(reverse=True)
    if deltas:
        print(f"    flip-flops that changed, by instance ({s0} -> {s1}):")
        for _, p, a, b in deltas[:SHOW]:
            print(f"      {p:<40} {a:>8} -> {b:>8} ({b - a:+d})")
        if len(deltas) > SHOW:
            print(f"      ... {len(deltas) - SHOW} more")

    # the async-read RAMs whose size changed
    a0 = {m["path"]: m["bits"] for m in r0["memories"] if m["kind"] == "ram" and m["read"] == "async"}
    a1 = {m["path"]: m["bits"] for m in r1["memories"] if m["kind"] == "ram" and m["read"] == "async"}
    grow = sorted(((a1.get(p, 0) - a0.get(p, 0), p) for p in set(a0) | set(a1)
                   if a1.get(p, 0) != a0.get(p, 0)), reverse=True)
    if grow:
        print(f"    async-read RAMs that changed, bits ({s0} -> {s1}):")
        for _, p in grow[:SHOW]:
            print(f"      {p:<40} {a0.get(p, 0):>8} -> {a1.get(p, 0):>8}")
        if len(grow) > SHOW:
            print(f"      ... {len(grow) - SHOW} more")

    def figure(r):
        return r["flip_flops"] + r["memory_classes"]["async_ram"]["bits"]

    ok = True
    for what, v0, v1 in (("flip-flops", r0["flip_flops"], r1["flip_flops"]),
                         ("flip-flops + async-read RAM bits", figure(r0), figure(r1))):
        pct = 100.0 * abs(v1 - v0) / max(min(v0, v1), 1)
        good = pct < max_pct
        ok = ok and good
        print(f"    {'ok  ' if good else 'FAIL'} {what}: {v0} at {s0}, {v1} at {s1}: "
              f"ratio {v1 / max(v0, 1):.3f}, {pct:.1f} % apart (limit {max_pct:g} %)")
    if ok:
        print("synth-scale: OK: the register count does not grow with the size")
        return 0
    print("synth-scale: FAILED: the register count grows with the size (above)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
