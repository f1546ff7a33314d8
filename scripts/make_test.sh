#!/usr/bin/env bash
# make test: runs the steps given (make targets) in order, each under a
# banner, and prints the time of each at the end; stops at the first that
# fails. A step written A+B+C runs the targets A, B and C at once (steps
# that leave a core idle: single-threaded Verilator and Yosys runs), each
# into build/test/<target>.log, printed under its banner when all of them
# are done; the group fails if any of them does.
#
# Usage: scripts/make_test.sh STEP...   (MAKE: the make to call)
set -uo pipefail
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
logs=build/test
mkdir -p "$logs"
times=""
t_all=$SECONDS

run() {   # run TARGET: the make target, with make test's environment
    $MAKE --no-print-directory DEPS_DONE=1 "$1"
}

# run_member TARGET: a member of a group, into build/test/TARGET.log;
# its exit status and seconds into build/test/TARGET.rc.
run_member() {
    local s0=$SECONDS rc
    run "$1" > "$logs/$1.log" 2>&1
    rc=$?
    echo "$rc $((SECONDS - s0))" > "$logs/$1.rc"
    return "$rc"
}
. syn/jobs.sh

for step in "$@"; do
    IFS=+ read -r -a group <<< "$step"
    if [ "${#group[@]}" -eq 1 ]; then
        echo; echo "================ make $step ================"
        s0=$SECONDS
        if ! run "$step"; then
            echo; echo "================ make test: FAILED in make $step ================" >&2
            exit 1
        fi
        times="$times $step $((SECONDS - s0))s,"
        continue
    fi
    echo; echo "================ make ${group[*]} (at once) ================"
    failed=""
    run_jobs "${#group[@]}" run_member "${group[@]}"
    for t in "${group[@]}"; do
        echo; echo "================ make $t ================"
        cat "$logs/$t.log"
        read -r rc secs < "$logs/$t.rc"
        times="$times $t ${secs}s,"
        [ "$rc" -eq 0 ] || failed="$failed $t"
    done
    if [ -n "$failed" ]; then
        echo; echo "================ make test: FAILED in make${failed} ================" >&2
        exit 1
    fi
done
echo; echo "================ make test: OK in $((SECONDS - t_all))s:${times%,} ================"
