#!/usr/bin/env bash
# FuseSoC from PyPI in a private virtual environment (build/venv-fusesoc),
# so that neither `make test` nor the system Python depends on it; then
# `fusesoc --cores-root <repo> ARGS...` with its work tree under
# build/fusesoc. Usage: scripts/fusesoc.sh run --target=lint tlsnic
# (or --target=sim, --target=ecpix5).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-fusesoc
spec=${FUSESOC_SPEC:-fusesoc==2.4.*}
if [ ! -x "$venv/bin/fusesoc" ]; then
    echo "fusesoc: installing $spec into $venv"
    python3 -m venv "$venv"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install -q "$spec"
fi
mkdir -p build/fusesoc
root=$(pwd)
# edalize's trellis flow calls yosys / nextpnr-ecp5 / ecppack: map them to
# the yowasp- commands when only those are installed.
export EDALIZE_LAUNCHER=${EDALIZE_LAUNCHER:-$root/scripts/yowasp_launcher.sh}
cd build/fusesoc
exec "$root/$venv/bin/fusesoc" --cores-root "$root" "$@"
