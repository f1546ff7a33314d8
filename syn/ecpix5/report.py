#!/usr/bin/env python3
"""build/fpga/report.json and a readable summary from one run of
syn/ecpix5/fpga.sh: resources and Fmax from nextpnr's JSON report (its log
when the run failed), the build's parameters, and the throughput
(payload bytes per clock x 8 x Fmax).

Bytes per clock (throughput_gbps = bytes per clock x 8 x Fmax): given as
FPGA_BYTES_PER_CLOCK, else from build/bench-board.json (`make bench-board`:
the bench on the board configuration's simulation model,
tls_offload_top_board) when the build keeps that configuration (no DEV_*
crypto parameter changed in FPGA_PARAMS): the smallest payload bytes per
clock of the TX and RX runs at 1448-byte segments, TLS 1.2 and 1.3 (one
AES-128 connection, and 64 connections, half of them AES-256; each
direction alone). build/bench.json (`make bench`) measures the full-rate
configuration and is not used. A build with the stand-in device (STUB=1)
has no engine: its throughput is null.

Usage: report.py [--failed]   (environment: FPGA_PARAMS, FPGA_TARGET_MHZ,
FPGA_BYTES_PER_CLOCK; fpga.sh sets them)
"""
import json
import os
import re
import sys

OUT = "build/fpga"
BOARD = "ecpix5"
DEVICE = "LFE5UM5G-85F-8BG554"   # CABGA554 = BG554, speed grade 8


def top_default(name):
    """Default of parameter `name` in rtl/board/ecpix5_top.sv."""
    text = open("rtl/board/ecpix5_top.sv").read()
    m = re.search(r"parameter\s+int\s+%s\s*=\s*(\d+)" % name, text)
    return int(m.group(1)) if m else None


def params():
    p = {}
    for word in os.environ.get("FPGA_PARAMS", "").split():
        k, _, v = word.partition("=")
        p[k] = v
    return p


def data_w():
    """Stream width of the board's device: the DATA_W that board_selftest
    gives tls_offload_top (the device's own default is a define)."""
    text = open("rtl/board/board_selftest.sv").read()
    m = re.search(r"tls_offload_top\s*#\s*\([^;]*?\.DATA_W\((\d+)\)", text)
    return int(m.group(1)) if m else None


# Parameters of the device's crypto configuration in ecpix5_top: the
# board bench (tls_offload_top_board in sim/build.rs) has their defaults.
CRYPTO_PARAMS = ("DEV_AES_STAGES", "DEV_GHASH_DIGIT", "DEV_KS_DEPTH", "DEV_LEAN")
BENCH = "build/bench-board.json"
BENCH_MODEL = "tls_offload_top_board"


def bytes_per_clock(p):
    env = os.environ.get("FPGA_BYTES_PER_CLOCK")
    if env:
        return float(env), "FPGA_BYTES_PER_CLOCK (given to make fpga)"
    changed = [k for k in CRYPTO_PARAMS if k in p and int(p[k]) != top_default(k)]
    if changed:
        return None, f"none: FPGA_PARAMS changes {', '.join(changed)}; {BENCH} is of the default board configuration: pass FPGA_BYTES_PER_CLOCK"
    if not os.path.exists(BENCH):
        return None, f"none: run make bench-board ({BENCH}) or pass FPGA_BYTES_PER_CLOCK"
    try:
        b = json.load(open(BENCH))
        if b.get("device_model") != BENCH_MODEL:
            return None, f"none: {BENCH} is of model {b.get('device_model')}, not {BENCH_MODEL}"
        figs = [b["tx_mtu_bytes_per_cycle"][v] for v in ("tls12", "tls13")]
        figs += [b["rx_mtu_bytes_per_cycle"][v] for v in ("tls12", "tls13")]
        figs += [r["payload_bytes_per_cycle"] for r in b.get("throughput", [])
                 if r["segment"] == 1448 and not r["concurrent"] and r["data_w"] == 128]
        return min(figs), (f"{BENCH}: smallest TX/RX payload bytes per cycle at 1448-byte segments "
                           f"(make bench-board, RTL simulation of {BENCH_MODEL})")
    except (KeyError, ValueError, TypeError) as e:
        return None, f"none: {BENCH} has no usable figure ({e})"


def clocks_from_log():
    """[(name, achieved, constraint)] from the last timing summary of nextpnr.log."""
    res = {}
    try:
        for line in open(f"{OUT}/nextpnr.log"):
            m = re.search(r"Max frequency for clock\s+'([^']+)':\s*([\d.]+) MHz \((PASS|FAIL) at ([\d.]+) MHz\)", line)
            if m:
                res[m.group(1)] = (float(m.group(2)), float(m.group(4)))
    except OSError:
        pass
    return [(k, a, c) for k, (a, c) in res.items()]


def util_from_log():
    """{cell type: {"used", "available"}} from nextpnr.log's device utilisation."""
    util = {}
    try:
        for line in open(f"{OUT}/nextpnr.log"):
            m = re.match(r"Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", line)
            if m:
                util[m.group(1)] = {"used": int(m.group(2)), "available": int(m.group(3))}
    except OSError:
        pass
    return util


def main():
    failed = "--failed" in sys.argv
    p = params()
    stub = int(p.get("STUB", top_default("STUB") or 0)) != 0
    n_ctx = int(p.get("DEV_N_CTX", top_default("DEV_N_CTX") or 0))
    target = float(os.environ.get("FPGA_TARGET_MHZ", "100"))
    util = {}
    clocks = []
    rep_path = f"{OUT}/nextpnr-report.json"
    if not failed and os.path.exists(rep_path):
        rep = json.load(open(rep_path))
        util = rep.get("utilization", rep.get("utilisation", {}))
        for name, f in rep.get("fmax", {}).items():
            clocks.append((name, float(f["achieved"]), float(f["constraint"])))
    if not clocks:
        clocks = clocks_from_log()
    if not util:
        util = util_from_log()
    used = lambda k: util.get(k, {}).get("used")
    times = {}
    if os.path.exists(f"{OUT}/times.json"):
        times = json.load(open(f"{OUT}/times.json"))
    fmax = min((a for _, a, _ in clocks), default=None)
    met = (not failed) and bool(clocks) and all(a >= c for _, a, c in clocks)
    bpc, bpc_src = bytes_per_clock(p)
    if stub:
        bpc, bpc_src = None, "none: STUB=1 build (stand-in device without an engine)"
    thr = round(bpc * 8 * fmax / 1000.0, 3) if (bpc is not None and fmax) else None
    report = {
        "board": BOARD,
        "device": DEVICE,
        "lut4": used("TRELLIS_COMB"),
        "ff": used("TRELLIS_FF"),
        "dp16kd": used("DP16KD"),
        "mult18": used("MULT18X18D"),
        "fmax_mhz": round(fmax, 2) if fmax else None,
        "target_mhz": target,
        "timing_met": met,
        "data_w": data_w(),
        "n_ctx": n_ctx,
        "throughput_gbps": thr,
        # details
        "engine": "tls_offload_stub (no cryptography)" if stub else "tls_offload_top",
        "params": p,
        "bytes_per_clock": bpc,
        "bytes_per_clock_source": bpc_src,
        "clocks": [{"name": n, "achieved_mhz": a, "constraint_mhz": c} for n, a, c in clocks],
        "available": {k: util.get(k, {}).get("available") for k in ("TRELLIS_COMB", "TRELLIS_FF", "DP16KD", "MULT18X18D")},
        "yosys_seconds": times.get("yosys_seconds"),
        "nextpnr_seconds": times.get("nextpnr_seconds"),
        "bitstream": None if failed else f"{OUT}/ecpix5.bit",
    }
    with open(f"{OUT}/report.json", "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    av = report["available"]
    pct = lambda k, v: f" / {av[k]} ({100.0 * v / av[k]:.1f} %)" if (v is not None and av.get(k)) else ""
    print(f"fpga report ({OUT}/report.json): {BOARD} {DEVICE}, {report['engine']}, params {p or 'defaults'}")
    print(f"  LUT4 {report['lut4']}{pct('TRELLIS_COMB', report['lut4'])}, FF {report['ff']}{pct('TRELLIS_FF', report['ff'])}, "
          f"DP16KD {report['dp16kd']}{pct('DP16KD', report['dp16kd'])}, MULT18 {report['mult18']}{pct('MULT18X18D', report['mult18'])}")
    for n, a, c in clocks:
        print(f"  clock {n}: Fmax {a:.2f} MHz, target {c:.2f} MHz: {'met' if a >= c else 'NOT met'}")
    print(f"  timing met: {met}; DATA_W {report['data_w']}, N_CTX {n_ctx}; throughput "
          f"{'%s Gb/s (%.3f B/clock x 8 x %.2f MHz)' % (thr, bpc, fmax) if thr is not None else 'n/a (' + ('no Fmax' if not fmax else bpc_src) + ')'}")
    print(f"  yosys {times.get('yosys_seconds')} s, nextpnr {times.get('nextpnr_seconds')} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
