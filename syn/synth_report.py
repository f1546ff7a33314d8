#!/usr/bin/env python3
"""Summary and memory report of one Yosys run of syn/synth_check.sh.

Usage: syn/synth_report.py OUT TOP MODE SECONDS [DEFINE...]

Reads, in the directory OUT (build/synth by default):
  TOP.json      `stat -json` at the end of the run (cell counts per module
                and for the whole design, instances counted);
  TOP.mem.json  `write_json -selected` of the `$mem_v2` cells and of the
                module instances (no nets): what Yosys kept as memories,
                and where they sit in the hierarchy (not written in light
                mode, which infers no memories);
  TOP.log       the Yosys log (arrays the frontend turned into registers);
  TOP.times     bash `times` after the run: the CPU time of Yosys.
Prints the one-line summary of `make synth-check` and, when memories were
inferred, a short memory table; writes everything into TOP.ram.json.

Memory classes (from the `$mem_v2` parameters):
  sync RAM   every read port clocked (RD_CLK_ENABLE): block-RAM candidates;
  async RAM  a read port without a clock: LUT RAM at best, flip-flops and
             read multiplexers at worst;
  ROM        no write port (constant tables, e.g. the AES S-box), by the
             same sync/async rule.
Only the Python 3 standard library is used.
"""

import json
import os
import re
import sys

TOP_N = 8  # largest memories listed


def norm(name):
    """Module and cell names: stat -json escapes public names with '\\'."""
    return name[1:] if name.startswith("\\") else name


def short(module):
    """`$paramod$<hash>\\ram_sdp` or `$paramod\\ram_sdp\\W=...` -> `ram_sdp`."""
    if module.startswith("$paramod"):
        parts = module.split("\\")
        return parts[1] if len(parts) > 1 else module
    return module


def pint(value):
    """A Yosys JSON parameter: binary string (or an int with -compat-int)."""
    if isinstance(value, int):
        return value
    value = value.strip()
    if value and set(value) <= set("01"):
        return int(value, 2)
    return 0  # x/z bits: not a number


def is_ff(cell_type):
    # gate-level flip-flops ($_DFF_P_, $_DFFE_PP_, $_SDFF_..., $_ALDFF_...)
    # and, before techmap (light mode), word-level ones ($dff, $adffe, ...)
    return cell_type.startswith("$") and not cell_type.startswith("$paramod") and "DFF" in cell_type.upper()


def ff_totals(stat_modules):
    """Flip-flop bits per module including its submodules (instances counted)."""
    mods = {norm(m): d.get("num_cells_by_type", {}) for m, d in stat_modules.items()}
    memo = {}

    def total(m):
        if m in memo:
            return memo[m]
        memo[m] = 0  # no recursion through a (malformed) cycle
        n = 0
        for t, k in mods.get(m, {}).items():
            t = norm(t)
            if t in mods:
                n += k * total(t)
            elif is_ff(t):
                n += k
        memo[m] = n
        return n

    return {m: total(m) for m in mods}


def walk(modules, top):
    """(path, module, cell) for every `$mem_v2` under TOP, and the instances."""
    mems, insts = [], []

    def rec(mod, path):
        cells = modules.get(mod, {}).get("cells", {})
        for name, cell in sorted(cells.items()):
            t = cell["type"]
            p = path + (norm(name),)
            if t == "$mem_v2":
                mems.append((p, mod, cell))
            elif not t.startswith("$") or t.startswith("$paramod"):
                insts.append((".".join(p), len(p), norm(t)))
                rec(norm(t), p)

    rec(top, ())
    return mems, insts


def mem_record(parts, mod, cell):
    """One memory; `path` names it by instance path (cell names joined by
    '.'; Yosys' generated names, starting with '$', shown as <rom>/<ram>)."""
    prm = cell["parameters"]
    width, depth = pint(prm["WIDTH"]), pint(prm["SIZE"])
    rd, wr = pint(prm["RD_PORTS"]), pint(prm["WR_PORTS"])
    clk_en = pint(prm.get("RD_CLK_ENABLE", "0"))
    sync = rd > 0 and clk_en == (1 << rd) - 1
    kind = "rom" if wr == 0 else "ram"
    return {
        "path": ".".join(f"<{kind}>" if n.startswith("$") else n for n in parts),
        "cell": parts[-1],
        "module": short(mod),
        "memid": norm(str(prm.get("MEMID", ""))),
        "src": cell.get("attributes", {}).get("src", ""),
        "width": width,
        "depth": depth,
        "bits": width * depth,
        "rd_ports": rd,
        "wr_ports": wr,
        "read": "sync" if sync else "async",
        "kind": kind,
    }


def cpu_seconds(times_path):
    """User + system time of the children from bash `times` output."""
    try:
        lines = open(times_path).read().splitlines()
    except OSError:
        return None
    if len(lines) < 2:
        return None
    total = 0.0
    for m, sec in re.findall(r"(\d+)m([\d.]+)s", lines[1]):
        total += int(m) * 60 + float(sec)
    return round(total)


def frontend_arrays(log_path, modules):
    """Arrays Yosys' frontend replaced by registers (never a memory cell).

    The log holds them for every file read; only those in a file named
    after a module of this design are kept (one module per file).
    """
    seen = {}
    if not os.path.exists(log_path):
        return []
    pat = re.compile(r"Replacing memory (\S+) with list of registers\. See (.+?)\s*$")
    with open(log_path, errors="replace") as f:
        for line in f:
            m = pat.search(line)
            if m:
                name, src = norm(m.group(1)), m.group(2)
                if os.path.basename(src.split(":")[0]).rsplit(".", 1)[0] in modules:
                    seen[(name, src)] = True
    return [{"name": n, "src": s} for n, s in sorted(seen)]


def main():
    out, top, mode, secs = sys.argv[1:5]
    defines = sys.argv[5:]
    stat = json.load(open(os.path.join(out, f"{top}.json")))
    design = stat["design"]
    by_type = design.get("num_cells_by_type", {})
    ffs = sum(n for t, n in by_type.items() if is_ff(t))
    mem_cells = sum(n for t, n in by_type.items() if t.startswith("$mem"))
    ff_by_mod = ff_totals(stat["modules"])

    report = {
        "top": top,
        "mode": mode,
        "seconds": int(secs),
        "cpu_seconds": cpu_seconds(os.path.join(out, f"{top}.times")),
        "defines": defines,
        "cells": design["num_cells"],
        "flip_flops": ffs,
        "memory_cells": mem_cells,
    }

    mem_path = os.path.join(out, f"{top}.mem.json")
    mems, insts = [], []
    params = {}
    if mode != "light" and os.path.exists(mem_path):
        netlist = json.load(open(mem_path))["modules"]
        modules = {norm(m): d for m, d in netlist.items()}
        params = {k: pint(v) for k, v in modules.get(top, {}).get("parameter_default_values", {}).items()}
        raw, insts = walk(modules, top)
        mems = sorted((mem_record(*r) for r in raw), key=lambda r: (-r["bits"], r["path"]))
    report["parameters"] = params

    classes = {}
    for r in mems:
        key = f"{r['read']}_{r['kind']}"
        c = classes.setdefault(key, {"count": 0, "bits": 0})
        c["count"] += 1
        c["bits"] += r["bits"]
    for key in ("sync_ram", "async_ram", "sync_rom", "async_rom"):
        classes.setdefault(key, {"count": 0, "bits": 0})
    report["memory_classes"] = classes
    report["memories"] = mems
    # flip-flops per instance, two levels down: where the registers are
    report["flip_flops_by_instance"] = {
        p: ff_by_mod.get(m, 0) for p, depth, m in insts if depth <= 2 and ff_by_mod.get(m, 0) > 0
    }
    design_modules = {short(norm(m)) for m in stat["modules"]}
    report["frontend_register_arrays"] = frontend_arrays(os.path.join(out, f"{top}.log"), design_modules)

    with open(os.path.join(out, f"{top}.ram.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")

    # ---- console
    if mode == "full":
        what = "full synth"
        cells = f"{design['num_cells']} gate cells, {ffs} flip-flops"
    elif mode == "keepmem":
        what = "synth, memories kept"
        cells = f"{design['num_cells']} cells: {mem_cells} RAM/ROM cells, {ffs} flip-flops, the rest gates"
    else:
        what = "structural: proc/flatten/opt"
        cells = f"{design['num_cells']} word-level cells, {ffs} of them registers"
    cpu = f" ({report['cpu_seconds']} s CPU)" if report["cpu_seconds"] is not None else ""
    print(f"synth-check {top}: OK [{what}] check -assert clean, no latches, {cells}, {secs} s{cpu}")
    if params:
        print("    parameters: " + " ".join(f"{k}={v}" for k, v in sorted(params.items())))
    for d in defines:
        print(f"    (checked with `define {d})")
    if mode == "light":
        return
    when = "kept as cells" if mode == "keepmem" else "inferred before memory_map turned them into gates"
    sr, ar = classes["sync_ram"], classes["async_ram"]
    srom, arom = classes["sync_rom"], classes["async_rom"]
    print(f"    memories ({when}): {sr['count']} sync-read RAM ({sr['bits']} bits, block-RAM candidates), "
          f"{ar['count']} async-read RAM ({ar['bits']} bits), "
          f"{srom['count'] + arom['count']} ROM ({srom['bits'] + arom['bits']} bits, {arom['count']} async-read)")
    if mems:
        # identical memories of one module (e.g. the S-boxes) on one line
        groups = {}
        for r in mems:
            key = (r["module"], r["width"], r["depth"], r["read"], r["kind"])
            groups.setdefault(key, []).append(r)
        rows = sorted(groups.values(), key=lambda g: (-g[0]["bits"] * len(g), g[0]["path"]))
        print(f"    {'bits':>8} {'width x depth':>14}  read  kind  instance (module)")
        for g in rows[:TOP_N]:
            r = g[0]
            path = r["path"]
            what = f"{path} ({r['module']})" if len(g) == 1 else f"{len(g)} x {r['module']}, e.g. {path}"
            print(f"    {r['bits'] * len(g):>8} {r['width']:>6} x {r['depth']:<6} {r['read']:<5} {r['kind']:<4}  {what}")
        if len(rows) > TOP_N:
            print(f"    ... {len(mems) - sum(len(g) for g in rows[:TOP_N])} more in {out}/{top}.ram.json")
    fa = report["frontend_register_arrays"]
    if fa:
        files = sorted({a["src"].split(":")[0] for a in fa})
        print(f"    {len(fa)} arrays became registers in the frontend (counted as flip-flops; "
              f"list in {out}/{top}.ram.json), in: {' '.join(files)}")


if __name__ == "__main__":
    main()
