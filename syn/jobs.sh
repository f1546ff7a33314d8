# Sourced by the syn/ scripts, scripts/formal.sh and scripts/make_test.sh:
# run_jobs JOBS FUNC ITEM... calls `FUNC ITEM`
# for every ITEM, at most JOBS at once (each in the background), waits for
# all of them, and returns 1 if any failed, 0 otherwise.
run_jobs() {
    local jobs=$1 func=$2 item failed=0 running=0
    shift 2
    for item in "$@"; do
        if [ "$running" -ge "$jobs" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
        "$func" "$item" &
        running=$((running + 1))
    done
    while [ "$running" -gt 0 ]; do
        wait -n || failed=1
        running=$((running - 1))
    done
    return "$failed"
}
