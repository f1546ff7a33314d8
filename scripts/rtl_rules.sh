#!/usr/bin/env bash
# Synthesis rules lint cannot see: no `initial` blocks and no wildcard
# package imports in the RTL (Yosys rejects the latter; the former is
# simulation-only).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
for f in $(scripts/rtl_files.sh); do
    if grep -nE '^\s*initial\b' "$f"; then echo "$f: 'initial' in RTL" >&2; bad=1; fi
    if grep -nE 'import\s+\w+::\*' "$f"; then echo "$f: wildcard import (use pkg::NAME)" >&2; bad=1; fi
done
[ $bad -eq 0 ] && echo "rtl rules: no initial blocks, no wildcard imports"
exit $bad
