#!/bin/sh
# Usage: scripts/keep_running.sh COMMAND [ARG...]
#
# Runs COMMAND again whenever it dies (a worker killed with kill -9, an out-of-memory kill), so
# that under `make run` honcho never sees the process end and keeps web and sandbox running.
# Each run gets its own process group: whatever the dead command leaves behind (pool
# processes, the embedded beat) is killed before the next start, so no two beats run.
# TERM or INT (honcho stopping, Ctrl-C) stops the command and this loop: TERM first (a Celery
# worker's warm shutdown finishes its tasks), QUIT after KEEP_RUNNING_STOP_WAIT seconds (Celery's
# cold shutdown), KILL after KEEP_RUNNING_KILL_WAIT more, so it ends before honcho's own 5
# seconds run out and it kills everything.
#
# If this script itself is killed (kill -9), a guard it leaves beside it notices, stops the
# orphaned command the same way and takes over as this script, started afresh. The guard holds
# honcho's output pipe meanwhile: honcho ends a process when that pipe closes, so an orphaned
# worker that died later used to take web and sandbox down with it.
set -u
delay="${KEEP_RUNNING_DELAY:-2}"
stop_wait="${KEEP_RUNNING_STOP_WAIT:-3}"
kill_wait="${KEEP_RUNNING_KILL_WAIT:-1}"
script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
state="$(mktemp "${TMPDIR:-/tmp}/keep_running.XXXXXX")"  # the pid of the current run
supervisor=$$
child=""
guard=""
stopping=""

alive() {
    kill -0 "$1" 2>/dev/null || return 1
    # A killed process its parent has not reaped yet still answers kill -0.
    [ -r "/proc/$1/stat" ] || return 0
    case "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)" in
    Z* | "") return 1 ;;
    esac
    return 0
}

wait_gone() {  # PID TENTHS: poll until PID is gone, at most TENTHS tenths of a second
    ticks=$2
    while alive "$1" && [ "$ticks" -gt 0 ]; do
        sleep 0.1
        ticks=$((ticks - 1))
    done
}

stop_run() {  # PID NAME: the command stops its own children (a Celery worker its pool and beat);
    # signalling them directly would leave it hanging in its warm shutdown.
    kill -TERM "$1" 2>/dev/null
    wait_gone "$1" $((stop_wait * 10))
    if alive "$1"; then
        echo "keep_running: '$2' still running after ${stop_wait}s; cold shutdown" >&2
        kill -QUIT "$1" 2>/dev/null
        wait_gone "$1" $((kill_wait * 10))
    fi
    kill -KILL "-$1" 2>/dev/null
}

guard_start() {  # COMMAND...: the guard against this script being killed
    (
        while alive "$supervisor"; do
            sleep 1
        done
        run="$(cat "$state" 2>/dev/null)"
        echo "keep_running: the supervisor of '$1' (pid $supervisor) is gone; taking over" >&2
        [ -n "$run" ] && stop_run "$run" "$1"
        rm -f "$state"
        exec sh "$script" "$@"
    ) &
    guard=$!
}

stop() {
    trap - TERM INT
    [ -n "$guard" ] && kill "$guard" 2>/dev/null
    if [ -n "$child" ]; then
        stop_run "$child" "$1"
        wait "$child" 2>/dev/null
    fi
    rm -f "$state"
    exit 0
}
# A signal that arrives while a run is being started (before its pid is known) stops that run
# right after it has one.
trap 'stopping=1; [ -n "$child" ] && stop "$1"' TERM INT

guard_start "$@"
while :; do
    setsid "$@" &
    child=$!
    echo "$child" >"$state"
    [ -n "$stopping" ] && stop "$1"
    wait "$child"
    status=$?
    [ -n "$stopping" ] && stop "$1"
    kill -KILL "-$child" 2>/dev/null  # leftovers of the dead run
    child=""
    : >"$state"
    echo "keep_running: '$1' ended (status $status); starting it again in ${delay}s" >&2
    sleep "$delay" &
    wait $!
    [ -n "$stopping" ] && stop "$1"
done
