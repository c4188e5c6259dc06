# shellcheck shell=bash disable=SC2034  # (TP_CMD, TP_ERR, TP_OUT are for the callers)
# Helpers shared by devtools/bench.sh and devtools/demo.sh (sourced, not run).
#
# Drives interactive dpdk-testpmd processes through a FIFO on stdin, with the
# output line-buffered into a log file.  Every testpmd runs under timeout(1),
# so a hung process cannot outlive its deadline; tp_cleanup (call it from an
# EXIT trap) stops whatever is still running, by pid.
#
#   tp_start NAME LOG ARGS...   start "testpmd ARGS..." as NAME
#   tp_ready NAME [SECS]        wait for its first prompt (ports configured)
#   tp_cmd NAME "CMD" [SECS]    send one command, wait for the next prompt;
#                               the command's output is left in $TP_OUT
#   tp_link_up NAME [SECS]      poll "show port info 0" until "Link status: up"
#   tp_quit NAME [SECS]         "quit", then wait for exit (killed if it hangs);
#                               its exit status is left in ${TP_RC[NAME]}
#   tp_cleanup                  stop every testpmd still running
#   tp_child NAME               pid of the testpmd process (child of timeout)
#   vnetx_ensure_so SO DEFAULT  build the PMD if SO is DEFAULT and missing

TESTPMD=${TESTPMD:-dpdk-testpmd}
TP_TIMEOUT=${TP_TIMEOUT:-300}   # hard limit on the life of one testpmd, seconds
declare -A TP_PID=() TP_FD=() TP_LOG=() TP_CMD=() TP_RC=()
TP_OUT=
TP_ERR=

# Shell-quoted command line, for printing.
tp_quote() {
    local a out=
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./=,:@+-]+$ ]]; then out+="$a "; else out+="$(printf '%q' "$a") "; fi
    done
    printf '%s' "${out% }"
}

# Pid of the testpmd itself (the child of its timeout(1)).
tp_child() { pgrep -P "${TP_PID[$1]}" 2>/dev/null | head -n1; }

tp_alive() { [ -n "${TP_PID[$1]:-}" ] && kill -0 "${TP_PID[$1]}" 2>/dev/null; }

tp_start() {
    local name=$1 log=$2 fifo fd
    shift 2
    fifo="${log%.log}.stdin"
    rm -f "$fifo"
    mkfifo -m 600 "$fifo"
    # Read-write open of a FIFO never blocks; testpmd's stdin is its read end.
    exec {fd}<>"$fifo"
    TP_FD[$name]=$fd
    TP_LOG[$name]=$log
    TP_CMD[$name]="$(tp_quote "$TESTPMD" "$@")"
    : >"$log"
    (
        # Do not leak the other testpmds' stdin FIFOs into this one.
        for f in "${TP_FD[@]}"; do eval "exec $f>&-"; done
        exec timeout -k 5 "$TP_TIMEOUT" stdbuf -oL -eL "$TESTPMD" "$@" <"$fifo" >"$log" 2>&1
    ) &
    TP_PID[$name]=$!
}

# Number of prompts printed so far (one per completed command, plus the first).
tp_prompts() { grep -o 'testpmd> ' "${TP_LOG[$1]}" 2>/dev/null | wc -l; }

tp_fail() {
    TP_ERR="$1: $2 (log: ${TP_LOG[$1]})"
    return 1
}

tp_ready() {
    local name=$1 secs=${2:-60} i
    for ((i = 0; i < secs * 20; i++)); do
        [ "$(tp_prompts "$name")" -ge 1 ] && return 0
        tp_alive "$name" || { tp_fail "$name" "testpmd exited during start-up"; return 1; }
        sleep 0.05
    done
    tp_fail "$name" "no prompt after ${secs}s"
}

tp_cmd() {
    local name=$1 cmd=$2 secs=${3:-30} n size i
    tp_alive "$name" || { tp_fail "$name" "testpmd is not running (before '$cmd')"; return 1; }
    n=$(tp_prompts "$name")
    size=$(stat -c %s "${TP_LOG[$name]}")
    printf '%s\n' "$cmd" 1>&"${TP_FD[$name]}"
    for ((i = 0; i < secs * 100; i++)); do
        if [ "$(tp_prompts "$name")" -gt "$n" ]; then
            TP_OUT=$(tail -c +"$((size + 1))" "${TP_LOG[$name]}")
            return 0
        fi
        tp_alive "$name" || { tp_fail "$name" "testpmd exited during '$cmd'"; return 1; }
        sleep 0.01
    done
    tp_fail "$name" "'$cmd' did not complete in ${secs}s"
}

tp_link_up() {
    local name=$1 secs=${2:-15} i
    for ((i = 0; i < secs * 5; i++)); do
        tp_cmd "$name" "show port info 0" || return 1
        grep -q 'Link status: up' <<<"$TP_OUT" && return 0
        sleep 0.2
    done
    tp_fail "$name" "link still down after ${secs}s"
}

# Wait up to SECS for NAME to exit; then TERM, then KILL.
tp_reap() {
    local name=$1 secs=${2:-10} pid=${TP_PID[$1]:-} i
    [ -n "$pid" ] || return 0
    for ((i = 0; i < secs * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null # timeout(1) passes it on to testpmd
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if kill -0 "$pid" 2>/dev/null; then
            local kids
            kids=$(pgrep -P "$pid" 2>/dev/null || true)
            # shellcheck disable=SC2086 # a list of pids
            kill -KILL "$pid" $kids 2>/dev/null
        fi
    fi
    wait "$pid" 2>/dev/null
    TP_RC[$name]=$?   # testpmd's exit status (through timeout(1))
    [ -n "${TP_FD[$name]:-}" ] && eval "exec ${TP_FD[$name]}>&-"
    unset "TP_PID[$name]" "TP_FD[$name]"
    return 0
}

tp_quit() {
    local name=$1 secs=${2:-10}
    if tp_alive "$name"; then
        printf 'quit\n' 1>&"${TP_FD[$name]}" 2>/dev/null
    fi
    tp_reap "$name" "$secs"
}

tp_cleanup() {
    local name
    for name in "${!TP_PID[@]}"; do
        tp_alive "$name" && kill -TERM "${TP_PID[$name]}" 2>/dev/null
    done
    for name in "${!TP_PID[@]}"; do tp_reap "$name" 3; done
}

# Build the PMD when SO is the default path and is missing:
# devtools/setup.sh, meson setup build (if not yet), ninja -C build.
vnetx_ensure_so() {
    local so=$1 def=$2 top
    [ -f "$so" ] && return 0
    if [ "$so" != "$def" ]; then
        echo "error: $so does not exist" >&2
        return 1
    fi
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    echo "building the vnetx PMD ($so missing)..." >&2
    "$top/devtools/setup.sh" "$top/build" >&2 || return 1
    [ -f "$top/build/build.ninja" ] || (cd "$top" && meson setup build >&2) || return 1
    ninja -C "$top/build" >&2 || return 1
    [ -f "$so" ] || { echo "error: build finished but $so is missing" >&2; return 1; }
}
