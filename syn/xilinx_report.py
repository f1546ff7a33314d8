#!/usr/bin/env python3
"""Summarize syn/synth_xilinx.sh runs into one JSON file and a table.

Usage: syn/xilinx_report.py OUT.json DIR...

Each DIR (build/synth/xilinx/w<DATA_W>-n<N_CTX>) holds a run of
`synth_xilinx -family xcup` of tls_offload_top: tls_offload_top.stat.json
(`stat -json`), tls_offload_top.ltp (`ltp -noff` over LUT/MUXF/CARRY cells)
and tls_offload_top.done (seconds). Resources per configuration:
  lut       LUT1..LUT6 and LUT6_2 cells (logic)
  lutram    LUTs used as memory: RAM32M/RAM64M (4 LUTs), RAM32M16/RAM64M8
            (8), RAM*X1D (2), RAM*X1S (1), SRL16E/SRLC32E (1)
  ff        FDRE, FDSE, FDCE, FDPE
  bram      RAMB36E2 + RAMB18E2 / 2 (36 Kb block RAMs)
  uram      URAM288
  dsp       DSP48E2
  carry     CARRY8 cells
  logic_levels  the longest path between sequential cells in LUT, MUXF and
            CARRY cells (the proxy for 250 MHz; no timing engine ran)
Gb/s at 250 MHz are not computed here: they come from the bench (payload
bytes per clock x 8 x 250 MHz, docs/synthesis.md).
"""

import json
import os
import re
import sys

TOP = "tls_offload_top"

LUTRAM = {"RAM32M": 4, "RAM64M": 4, "RAM32M16": 8, "RAM64M8": 8, "RAM32X1D": 2, "RAM64X1D": 2,
          "RAM128X1D": 4, "RAM256X1D": 8, "RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2,
          "RAM256X1S": 4, "SRL16E": 1, "SRLC32E": 1}


def cells_by_type(stat):
    """Cell counts by type of the (flattened) top."""
    if "design" in stat and "num_cells_by_type" in stat["design"]:
        return stat["design"]["num_cells_by_type"]
    mods = stat.get("modules", {})
    for name, m in mods.items():
        if name.lstrip("\\") == TOP:
            return m.get("num_cells_by_type", {})
    raise SystemExit(f"xilinx_report: no {TOP} in the stat output")


def one(d):
    m = re.search(r"w(\d+)-n(\d+)$", d.rstrip("/"))
    if not m:
        raise SystemExit(f"xilinx_report: {d}: expected .../w<DATA_W>-n<N_CTX>")
    data_w, n_ctx = int(m.group(1)), int(m.group(2))
    with open(os.path.join(d, f"{TOP}.stat.json")) as f:
        stat = json.load(f)
    c = cells_by_type(stat)
    n = lambda *ts: sum(int(c.get(t, 0)) for t in ts)
    with open(os.path.join(d, f"{TOP}.ltp")) as f:
        ltp = f.read()
    lm = re.search(r"Longest topological path in \S+ \(length=(\d+)\)", ltp)
    if not lm:
        raise SystemExit(f"xilinx_report: {d}: no ltp result")
    with open(os.path.join(d, f"{TOP}.done")) as f:
        secs = int(f.read().strip())
    return {
        "data_w": data_w,
        "n_ctx": n_ctx,
        "lut": n("LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", "LUT6_2"),
        "lutram": sum(int(c.get(t, 0)) * k for t, k in LUTRAM.items()),
        "ff": n("FDRE", "FDSE", "FDCE", "FDPE"),
        "bram": n("RAMB36E2") + n("RAMB18E2") / 2,
        "ramb36": n("RAMB36E2"),
        "ramb18": n("RAMB18E2"),
        "uram": n("URAM288"),
        "dsp": n("DSP48E2"),
        "carry": n("CARRY8"),
        "muxf": n("MUXF7", "MUXF8", "MUXF9"),
        "logic_levels": int(lm.group(1)),
        "seconds": secs,
    }


def main():
    out, dirs = sys.argv[1], sys.argv[2:]
    rows = [one(d) for d in dirs]
    doc = {
        "tool": "yosys synth_xilinx -family xcup -flatten -noiopad",
        "top": TOP,
        "note": "logic_levels: longest path between sequential cells in LUT/MUXF/CARRY cells; "
                "a proxy for 250 MHz, no timing engine ran",
        "configs": rows,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"synth-xilinx {TOP} (UltraScale+, Yosys synth_xilinx; no timing engine): {out}")
    print(f"    {'DATA_W':>6} {'N_CTX':>5} {'LUT':>8} {'LUTRAM':>7} {'FF':>7} {'BRAM36':>7} "
          f"{'URAM':>5} {'DSP':>4} {'levels':>6} {'time':>7}")
    for r in rows:
        print(f"    {r['data_w']:>6} {r['n_ctx']:>5} {r['lut']:>8} {r['lutram']:>7} {r['ff']:>7} "
              f"{r['bram']:>7g} {r['uram']:>5} {r['dsp']:>4} {r['logic_levels']:>6} {r['seconds']:>5} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
