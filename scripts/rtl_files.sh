#!/usr/bin/env bash
# Print the RTL files listed in rtl/files.f, one per line, in list order.
#
# Format of the list: one path per line, relative to the repository root;
# `//` starts a comment; blank lines are allowed. FILES_F names another list
# (same format, paths still relative to the repository root), e.g. a private
# copy while some listed files are not written yet.
#
# Exits 1 with a message naming the file and line when a listed file is
# missing or a path is absolute, and when the list is empty. Callers use
#   files=$(scripts/rtl_files.sh) || exit 1
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
list=${FILES_F:-rtl/files.f}
case $list in /*) ;; *) list=$root/$list ;; esac
if [ ! -f "$list" ]; then
    echo "rtl file list $list does not exist" >&2
    exit 1
fi

status=0
count=0
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    f=${line%%//*}
    f=${f%$'\r'}
    # trim leading and trailing white space
    f=${f#"${f%%[![:space:]]*}"}
    f=${f%"${f##*[![:space:]]}"}
    [ -z "$f" ] && continue
    case $f in
        /*)
            echo "${list#"$root"/}:$lineno: $f is an absolute path; list paths relative to the repository root" >&2
            status=1
            continue
            ;;
    esac
    if [ ! -f "$root/$f" ]; then
        echo "${list#"$root"/}:$lineno: $f does not exist (listed but not written yet?)" >&2
        status=1
    fi
    count=$((count + 1))
    echo "$f"
done < "$list"

if [ $count -eq 0 ]; then
    echo "${list#"$root"/} lists no files" >&2
    status=1
fi
exit $status
