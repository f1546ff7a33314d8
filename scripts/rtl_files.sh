#!/usr/bin/env bash
# Print the RTL files of rtl/files.f (comments and blank lines removed), one
# per line; fail with a clear message if a listed file is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
while IFS= read -r line; do
    f=${line%%//*}
    f=$(echo "$f" | xargs)
    [ -z "$f" ] && continue
    if [ ! -f "$root/$f" ]; then
        echo "rtl/files.f lists $f, which does not exist" >&2
        status=1
    fi
    echo "$f"
done < "$root/rtl/files.f"
exit $status
