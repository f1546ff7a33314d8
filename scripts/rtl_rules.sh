#!/usr/bin/env bash
# Source rules of the RTL that `verilator --lint-only -Wall` does not check,
# over every file of rtl/files.f (or FILES_F):
#   - no `initial` block outside an `ifdef`/`ifndef` guarded region
#     (initial blocks are simulation-only; guard them, e.g. `ifndef SYNTHESIS);
#   - no wildcard package import `import pkg::*` (Yosys rejects it: use
#     pkg::NAME instead);
#   - no unpacked array of a package type (`pkg::type_t name [N]`): Yosys
#     0.70 elaborates it as one element-wide register (a record read is not
#     the record written), without a warning (Verilator gets it right): declare
#     `logic [$bits(x)-1:0] name [N]` and cast on read;
#   - `default_nettype none` in every file (no implicit wires).
# Comments (`//` and `/* */`) are ignored. Exits 1 on any violation, naming
# file and line.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(scripts/rtl_files.sh) || exit 1

bad=0
for f in $files; do
    awk -v file="$f" '
        BEGIN { depth = 0; in_block = 0; nettype = 0; bad = 0 }
        {
            line = $0
            # drop /* */ comments, also across lines
            out = ""
            while (line != "") {
                if (in_block) {
                    e = index(line, "*/")
                    if (e == 0) { line = "" } else { line = substr(line, e + 2); in_block = 0 }
                } else {
                    s = index(line, "/*")
                    c = index(line, "//")
                    if (c > 0 && (s == 0 || c < s)) { out = out substr(line, 1, c - 1); line = "" }
                    else if (s > 0) { out = out substr(line, 1, s - 1); line = substr(line, s + 2); in_block = 1 }
                    else { out = out line; line = "" }
                }
            }
            if (out ~ /`default_nettype[ \t]+none/) nettype = 1
            if (out ~ /`(ifdef|ifndef)[ \t]/) depth++
            if (out ~ /`endif/ && depth > 0) depth--
            if (depth == 0 && out ~ /(^|[^A-Za-z0-9_$`])initial([^A-Za-z0-9_$]|$)/) {
                printf "%s:%d: `initial` outside an `ifdef`/`ifndef` guarded region\n", file, FNR > "/dev/stderr"
                bad = 1
            }
            if (out ~ /^[ \t]*[A-Za-z_][A-Za-z0-9_$]*::[A-Za-z_][A-Za-z0-9_$]*[ \t]+[A-Za-z_][A-Za-z0-9_$]*[ \t]*\[/) {
                printf "%s:%d: unpacked array of a package type (Yosys makes it one register): use logic [$bits-1:0] and a cast\n", file, FNR > "/dev/stderr"
                bad = 1
            }
            if (out ~ /import[ \t]+[A-Za-z_][A-Za-z0-9_$]*[ \t]*::[ \t]*\*/) {
                printf "%s:%d: wildcard import (Yosys rejects it): refer to pkg::NAME\n", file, FNR > "/dev/stderr"
                bad = 1
            }
        }
        END {
            if (!nettype) {
                printf "%s: no `default_nettype none`\n", file > "/dev/stderr"
                bad = 1
            }
            exit bad
        }' "$f" || bad=1
done

if [ $bad -ne 0 ]; then
    echo "rtl rules: FAILED (see above)" >&2
    exit 1
fi
echo "rtl rules: OK ($(echo "$files" | wc -l) files: no unguarded initial, no wildcard import, no unpacked array of a package type, default_nettype none)"
