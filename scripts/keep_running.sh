#!/bin/sh
# Usage: scripts/keep_running.sh COMMAND [ARG...]
#
# Runs COMMAND again whenever it dies (a worker killed with kill -9, an out-of-memory kill), so
# that under `make run` honcho never sees the process end and keeps web and sandbox running.
# Each run gets its own process group: whatever the dead command leaves behind (pool
# processes, the embedded beat) is killed before the next start, so no two beats run.
# TERM or INT (honcho stopping, Ctrl-C) stops the command and this loop: TERM first (a Celery
# worker's warm shutdown finishes its tasks), QUIT after KEEP_RUNNING_STOP_WAIT seconds (Celery's
# cold shutdown), so it ends before honcho's own 5 seconds run out and it kills everything.
set -u
delay="${KEEP_RUNNING_DELAY:-2}"
stop_wait="${KEEP_RUNNING_STOP_WAIT:-3}"
child=""

alive() {
    kill -0 "$1" 2>/dev/null
}

stop() {
    trap - TERM INT
    if [ -n "$child" ]; then
        # The command stops its own children (a Celery worker its pool and beat); signalling
        # them directly would leave it hanging in its warm shutdown.
        kill -TERM "$child" 2>/dev/null
        ticks=$((stop_wait * 10))
        while alive "$child" && [ "$ticks" -gt 0 ]; do
            sleep 0.1
            ticks=$((ticks - 1))
        done
        if alive "$child"; then
            echo "keep_running: '$1' still running after ${stop_wait}s; cold shutdown" >&2
            kill -QUIT "$child" 2>/dev/null
            ticks=10
            while alive "$child" && [ "$ticks" -gt 0 ]; do
                sleep 0.1
                ticks=$((ticks - 1))
            done
        fi
        kill -KILL "-$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit 0
}
trap 'stop "$1"' TERM INT

while :; do
    setsid "$@" &
    child=$!
    wait "$child"
    status=$?
    kill -KILL "-$child" 2>/dev/null  # leftovers of the dead run
    child=""
    echo "keep_running: '$1' ended (status $status); starting it again in ${delay}s" >&2
    sleep "$delay" &
    wait $!
done
