#!/usr/bin/env bash
# Throughput benchmark: net_vnetx against DPDK's net_virtio_user, both talking
# to the same vhost-user backend (a second dpdk-testpmd with net_vhost).
#
# Method (see shared notes on benchmarking): two interactive testpmds with one
# forwarding core each, pinned apart (backend --lcores 0@0,1@1, frontend
# --lcores 0@1,1@0), --in-memory, distinct --file-prefix, the frontend with
# --single-file-segments, --txd=1024 --rxd=1024, --record-core-cycles.  The
# receiver starts first and stops last; the sender stops first and the
# receiver drains, so the sender's TX-packets equals the receiver's RX-packets.
#   tx: frontend txonly -> backend rxonly      rx: backend txonly -> frontend rxonly
# Mpps = packets received / forwarding time, where the forwarding time is the
# sender's forwarding-loop cycles over the TSC clock (txonly counts every loop
# iteration); the script's wall-clock start..stop is recorded next to it.
# Runs are interleaved (vnetx in_order=0, vnetx in_order=1, virtio_user
# in_order=0, virtio_user in_order=1, vnetx ...) and medians over the
# repetitions are reported; each vnetx row sits beside virtio_user with the
# same devargs.
#
# Usage: devtools/bench.sh [options]
#   --reps N       repetitions per configuration (default 3)
#   --seconds D    forwarding time per run, seconds (default 5)
#   --sizes "S.."  packet sizes (default "64 1518")
#   --mrg "M.."    mrg_rxbuf values (default "0 1")
#   --dirs "D.."   directions, tx and/or rx (default "tx rx")
#   --queue-size N ring size: devarg queue_size of both frontends and testpmd's
#                  --txd/--rxd on both sides (default 1024)
#   --vnetx-args A extra vnetx devargs, e.g. "cq=1,mac=02:00:00:00:00:42"
#   --fe-cmd CMD   testpmd command sent to the frontend before forwarding
#                  starts, e.g. "set promisc all off"
#   --backend-args A extra backend testpmd arguments, e.g. "--eth-peer=0,02:00:00:00:00:42"
#   --fe-args A    extra frontend testpmd arguments, e.g. "--record-burst-stats"
#                  (with --keep-logs: the burst sizes are in the logs' stop output)
#   --frontends F  which frontends (default "vnetx vnetx_io1 vu_io0 vu_io1":
#                  vnetx and net_virtio_user with in_order=0 and 1); also
#                  vu_vec: net_virtio_user at its own vector path
#                  (vectorized=1; split: in_order=0, its SSE rx needs
#                  mrg_rxbuf=0, so run it with --mrg 0; packed: in_order=1
#                  and --force-max-simd-bitwidth=512, its AVX512 path),
#                  reported beside vnetx's chosen path (vectorized=auto);
#                  and null: net_null in one testpmd, no backend, the floor
#                  (testpmd's own cycles/packet with a PMD that does nothing)
#   --packed       packed virtqueues (packed_vq=1) for every frontend
#   --so-ref PATH  a second vnetx PMD (say, the tree before a change), run as
#                  frontends ref (in_order=0) and ref_io1 (in_order=1), interleaved
#                  with the others and reported beside vnetx in a table of its own
#   --quick        smoke test: 1 repetition, 2 s, 64 B only
#   --so PATH      vnetx PMD (default $VNETX_SO or build/drivers/net/vnetx/librte_net_vnetx.so,
#                  built with devtools/setup.sh + meson + ninja when missing)
#   --out FILE     markdown report (default build/bench/results.md)
#   --csv FILE     raw per-run results (default: FILE of --out with .csv)
#   --keep-logs    keep the testpmd logs of successful runs too
#   --report-only  no runs: re-render the report from the existing --csv
#   --retries N    re-run a run in which the two testpmds got less than --min-share
#                  of the 2 CPUs (other processes competed), at most N times (default 2)
#   --min-share P  percent (default 90)
#   --idle-wait S  before each run, wait up to S seconds for the CPUs to be
#                  less than 15% busy (default 60; 0: do not wait)
# Environment: TESTPMD (default dpdk-testpmd).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=devtools/testpmd-lib.sh
. "$top/devtools/testpmd-lib.sh"

default_so=$top/build/drivers/net/vnetx/librte_net_vnetx.so
so=${VNETX_SO:-$default_so}
reps=3 secs=5 sizes="64 1518" mrgs="0 1" dirs="tx rx"
out=$top/build/bench/results.md csv='' keep_logs=0 report_only=0 retries=2 min_share=90 idle_wait=60
qsize=1024 drain=0.5 vnetx_args= fe_cmd= backend_args= fe_args_opt= frontends_opt= packed=0 so_ref=

usage() { sed -n '/^# Usage:/,/^# Environment/s/^# \{0,1\}//p' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
    case $1 in
    --reps) reps=$2; shift ;;
    --seconds) secs=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --mrg) mrgs=$2; shift ;;
    --dirs) dirs=$2; shift ;;
    --queue-size) qsize=$2; shift ;;
    --vnetx-args) vnetx_args=$2; shift ;;
    --fe-cmd) fe_cmd=$2; shift ;;
    --backend-args) backend_args=$2; shift ;;
    --fe-args) fe_args_opt=$2; shift ;;
    --frontends) frontends_opt=$2; shift ;;
    --packed) packed=1 ;;
    --quick) reps=1 secs=2 sizes=64 ;;
    --so) so=$2; shift ;;
    --so-ref) so_ref=$2; shift ;;
    --out) out=$2; shift ;;
    --csv) csv=$2; shift ;;
    --keep-logs) keep_logs=1 ;;
    --report-only) report_only=1 ;;
    --retries) retries=$2; shift ;;
    --min-share) min_share=$2; shift ;;
    --idle-wait) idle_wait=$2; shift ;;
    -h | --help) usage 0 ;;
    *) echo "bench: unknown option $1" >&2; usage 1 >&2 ;;
    esac
    shift
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "bench: --reps must be a positive integer" >&2; exit 1; }
if ! [[ $qsize =~ ^[0-9]+$ ]] || [ "$qsize" -lt 16 ] || [ $((qsize & (qsize - 1))) != 0 ]; then
    echo "bench: --queue-size must be a power of two >= 16" >&2
    exit 1
fi
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "bench: --seconds must be a positive integer" >&2; exit 1; }
for d in $dirs; do [[ $d == tx || $d == rx ]] || { echo "bench: --dirs: tx or rx, not $d" >&2; exit 1; }; done
[[ $retries =~ ^[0-9]+$ ]] || { echo "bench: --retries must be an integer" >&2; exit 1; }
[[ $min_share =~ ^[0-9]+$ ]] || { echo "bench: --min-share must be an integer" >&2; exit 1; }
[[ $idle_wait =~ ^[0-9]+$ ]] || { echo "bench: --idle-wait must be an integer" >&2; exit 1; }
[ -n "$csv" ] || csv=${out%.md}.csv
[ "$(id -u)" = 0 ] || echo "bench: warning: not root; hugepages may be unavailable" >&2

declare -A CMDLINE=() # "dir frontend" -> example command lines
# ---- report -------------------------------------------------------------
report() {
    local mhz
    mhz=$(awk -F, 'NR > 1 && ($8 == "ok" || $8 == "disturbed") {print $18; exit}' "$csv")
    echo "## vnetx vs net_virtio_user (DPDK $(pkg-config --modversion libdpdk 2>/dev/null || echo '?'), vhost-user backend: net_vhost)"
    echo
    echo "vnetx PMD: $so_desc."
    echo "Medians of $reps run(s) of ${secs}s each; 1 queue, $([ "$packed" = 1 ] && echo packed || echo split) ring, ring size $qsize (queue_size=$qsize, --txd/--rxd=$qsize), TSC ${mhz:-?} MHz."
    echo "tx: frontend txonly -> backend rxonly; rx: backend txonly -> frontend rxonly. Mpps = packets received / sender's forwarding time."
    echo "Cycles/packet are the frontend's (testpmd --record-core-cycles): on tx (txonly) that is clock/rate when the frontend is saturated; on rx (rxonly) it is the receive cost."
    echo "Ratio = vnetx Mpps / virtio_user Mpps, both with the devargs of the row (in_order=1 is virtio_user's default, in_order=0 vnetx's)."
    echo
    awk -F, -v reps="$reps" -v minshare="$min_share" -v qsize="$qsize" -v packed="$packed" '
    function median(key,   n, i, j, t, a) {
        n = cnt[key]; if (n == 0) return ""
        for (i = 1; i <= n; i++) a[i] = val[key, i]
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function add(key, v) { cnt[key]++; val[key, cnt[key]] = v + 0 }
    function fmt(v, f) { return v == "" ? "n/a" : sprintf(f, v) }
    # vnetx (in_order 0 and 1) beside frontends o0 and o1, called name.
    function versus(name, o0, o1,   i, io, c, kv, ko, vm, vc, om, oc, ratio, label) {
        print "| direction | size | devargs | vnetx Mpps | " name " Mpps | ratio Mpps | vnetx cyc/pkt | " name " cyc/pkt |"
        print "|---|---|---|---|---|---|---|---|"
        for (i = 1; i <= no; i++) {
            split(order[i], c, SUBSEP)
            for (io = 0; io <= 1; io++) {
                kv = order[i] SUBSEP (io ? "vnetx_io1" : "vnetx")
                ko = order[i] SUBSEP (io ? o1 : o0)
                vm = median("mpps" SUBSEP kv); vc = median("fc" SUBSEP kv)
                om = median("mpps" SUBSEP ko); oc = median("fc" SUBSEP ko)
                if (vm == "" && om == "") continue
                ratio = (vm != "" && om != "" && om > 0) ? sprintf("%.2f", vm / om) : "n/a"
                label = (packed ? "packed_vq=1," : "") "queue_size=" qsize ",mrg_rxbuf=" c[3] ",in_order=" io
                print "| " c[1] " | " c[2] " | " label " | " fmt(vm, "%.2f") " | " fmt(om, "%.2f") " | " ratio " | " fmt(vc, "%.1f") " | " fmt(oc, "%.1f") " |"
            }
        }
    }
    NR == 1 { next }
    $8 == "ok" || $8 == "disturbed" {
        if ($8 == "disturbed") dist++
        k = $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
        add("mpps" SUBSEP k, $15); add("fc" SUBSEP k, $16); add("bc" SUBSEP k, $17)
        if (!(($3 SUBSEP $4 SUBSEP $5) in seen)) { seen[$3 SUBSEP $4 SUBSEP $5] = 1; order[++no] = $3 SUBSEP $4 SUBSEP $5 }
    }
    $8 == "error" { bad[$3 SUBSEP $4 SUBSEP $5 SUBSEP $6]++ }
    $8 == "retried" { retried++ }
    END {
        versus("virtio_user", "vu_io0", "vu_io1")
        nvec = 0
        for (k in cnt) if (k ~ /vu_vec/) nvec++
        if (nvec) {
            print ""
            print "The same runs: vnetx (its chosen path, vectorized=auto) beside net_virtio_user at its vector path (vu_vec: vectorized=1" (packed ? ", in_order=1, --force-max-simd-bitwidth=512" : ", in_order=0") "), both in_order columns against the same vu_vec runs."
            print ""
            versus("virtio_user vector", "vu_vec", "vu_vec")
        }
        nnull = 0
        for (k in cnt) if (k ~ /null/) nnull++
        if (nnull) {
            print ""
            print "The floor, in the same runs: net_null in one testpmd (no backend; txonly into it, rxonly from it), medians."
            print ""
            print "| direction | size | net_null Mpps | net_null cyc/pkt |"
            print "|---|---|---|---|"
            for (i = 1; i <= no; i++) {
                split(order[i], c, SUBSEP)
                kn = order[i] SUBSEP "null"
                if (median("mpps" SUBSEP kn) == "") continue
                if ((c[1] SUBSEP c[2]) in floor_done) continue
                floor_done[c[1] SUBSEP c[2]] = 1
                print "| " c[1] " | " c[2] " | " fmt(median("mpps" SUBSEP kn), "%.2f") " | " fmt(median("fc" SUBSEP kn), "%.1f") " |"
            }
        }
        nref = 0
        for (k in cnt) if (k ~ /ref/) nref++
        if (nref) {
            print ""
            print "The same runs: vnetx beside the reference PMD (--so-ref), interleaved."
            print ""
            versus("reference", "ref", "ref_io1")
        }
        print ""
        print "Backend (net_vhost) cycles/packet, medians: on tx the backend receives (rxonly), on rx it sends (txonly)."
        print ""
        print "| direction | size | mrg_rxbuf | with vnetx in_order=0 | with vnetx in_order=1 | with virtio_user in_order=0 | with virtio_user in_order=1 |"
        print "|---|---|---|---|---|---|---|"
        for (i = 1; i <= no; i++) {
            split(order[i], c, SUBSEP)
            print "| " c[1] " | " c[2] " | " c[3] " | " fmt(median("bc" SUBSEP order[i] SUBSEP "vnetx"), "%.1f") " | " \
                fmt(median("bc" SUBSEP order[i] SUBSEP "vnetx_io1"), "%.1f") " | " \
                fmt(median("bc" SUBSEP order[i] SUBSEP "vu_io0"), "%.1f") " | " fmt(median("bc" SUBSEP order[i] SUBSEP "vu_io1"), "%.1f") " |"
        }
        spread = ""
        for (i = 1; i <= no; i++) {
            split(order[i], c, SUBSEP)
            for (f = 1; f <= 4; f++) {
                fe = f == 1 ? "vnetx" : f == 2 ? "vnetx_io1" : f == 3 ? "vu_io0" : "vu_io1"
                key = "mpps" SUBSEP order[i] SUBSEP fe
                lo = hi = ""
                for (j = 1; j <= cnt[key]; j++) {
                    v = val[key, j]
                    if (lo == "" || v < lo) lo = v
                    if (hi == "" || v > hi) hi = v
                }
                if (cnt[key] >= 2 && lo > 0 && hi / lo > 1.3)
                    spread = spread sprintf("%s%s %s mrg_rxbuf=%s %s %.2f-%.2f", spread == "" ? "" : "; ", c[1], c[2], c[3],
                                            f == 1 ? "vnetx in_order=0" : f == 2 ? "vnetx in_order=1" : f == 3 ? "virtio_user in_order=0" : "virtio_user in_order=1", lo, hi)
            }
        }
        if (spread != "") { print ""; print "Runs of one configuration differing by more than 30% (Mpps min-max; the machine is shared, medians resist this): " spread "." }
        nb = 0
        for (k in bad) nb += bad[k]
        if (nb) { print ""; print "**" nb " run(s) failed** and are not in the medians: see the error column of the CSV." }
        if (retried + dist) {
            print ""
            print retried + 0 " run(s) were repeated because other processes took more than " (100 - minshare) "% of the CPUs during them" \
                (dist ? "; " dist " run(s) still disturbed after the retries are in the medians (status \"disturbed\" in the CSV)." : ".")
        }
    }' "$csv"
    echo
    echo "Runs whose sender TX-packets differed from the receiver's RX-packets: $(awk -F, 'NR > 1 && $12 == "no"' "$csv" | wc -l)"
    echo
    if [ "${#CMDLINE[@]}" -gt 0 ]; then
        echo "testpmd command lines (first run of each kind; socket path, --file-prefix, --txpkts and mrg_rxbuf vary per run)."
        echo "Commands on stdin: receiver and sender \`show port info 0\` until link up, \`clear port stats all\`, receiver \`start\`, sender \`start\`, sleep ${secs}s, sender \`stop\`, sleep ${drain}s, receiver \`stop\`, \`show port stats all\`, \`show port xstats all\`, \`quit\`."
        echo
        echo '```'
        local k
        for k in "tx vnetx" "tx vnetx_io1" "tx vu_io0" "tx vu_io1" "rx vnetx" "rx vnetx_io1" "rx vu_io0" "rx vu_io1"; do
            [ -n "${CMDLINE[$k]:-}" ] || continue
            echo "# ${k% *} direction, ${k#* } (vnetx/vnetx_io1: in_order=0/1; vu_io0/vu_io1: net_virtio_user in_order=0/1)"
            echo "${CMDLINE[$k]}"
        done
        echo '```'
        echo
    fi
    echo "Raw per-run results: $csv"
}
if [ "$report_only" = 1 ]; then
    [ -f "$csv" ] || { echo "bench: $csv: no such file" >&2; exit 1; }
    so_desc="(see the run's report)"
    report | tee "$out"
    exit 0
fi

command -v "$TESTPMD" >/dev/null || { echo "bench: $TESTPMD not found (run devtools/setup.sh)" >&2; exit 1; }
vnetx_ensure_so "$so" "$default_so"
so=$(realpath "$so")

mkdir -p "$(dirname "$out")" "$(dirname "$csv")"
logdir=$(dirname "$out")/logs
rm -rf "$logdir"
mkdir -p "$logdir"
# Benchmark a private copy, so that a rebuild during the run cannot mix versions.
snap=$(cd "$(dirname "$out")" && pwd)/pmd-snapshot
mkdir -p "$snap"
chmod 755 "$snap"
[ "$(realpath "$so")" = "$snap/librte_net_vnetx.so" ] || cp -p "$so" "$snap/librte_net_vnetx.so"
so_desc="$so (sha256 $(sha256sum "$so" | cut -c1-12), built $(date -r "$so" '+%F %T'); source tree at bench time: $(git -C "$top" describe --always --dirty 2>/dev/null || echo '?'))"
so=$snap/librte_net_vnetx.so
if [ -n "$so_ref" ]; then
    [ -f "$so_ref" ] || { echo "bench: --so-ref $so_ref: no such file" >&2; exit 1; }
    mkdir -p "$snap/ref"
    chmod 755 "$snap/ref"
    cp -p "$so_ref" "$snap/ref/librte_net_vnetx.so"
    so_desc+="; reference PMD: $so_ref (sha256 $(sha256sum "$so_ref" | cut -c1-12))"
    so_ref=$snap/ref/librte_net_vnetx.so
fi
# Sockets live in a private directory (mktemp -d is mode 0700).
sockdir=$(mktemp -d "${TMPDIR:-/tmp}/vnetx-bench.XXXXXX")
TP_TIMEOUT=$((secs + 120))

cleanup() {
    trap - EXIT INT TERM
    tp_cleanup
    rm -rf "$sockdir"
}
trap cleanup EXIT
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM

common_tp=(-i "--txd=$qsize" "--rxd=$qsize" --record-core-cycles)
frontends=${frontends_opt:-vnetx vnetx_io1 vu_io0 vu_io1${so_ref:+ ref ref_io1}}

# Frontend vdev for FRONTEND with mrg_rxbuf=MRG on socket SOCK.
fe_vdev() {
    local base="path=$3,queue_size=$qsize,mrg_rxbuf=$2"
    [ "$packed" = 1 ] && base+=",packed_vq=1"
    case $1 in
    vnetx) echo "net_vnetx0,$base,in_order=0${vnetx_args:+,$vnetx_args}" ;;
    vnetx_io1 | ref_io1) echo "net_vnetx0,$base,in_order=1${vnetx_args:+,$vnetx_args}" ;;
    ref) echo "net_vnetx0,$base,in_order=0${vnetx_args:+,$vnetx_args}" ;;
    vu_io0) echo "net_virtio_user0,$base,in_order=0" ;;
    vu_io1) echo "net_virtio_user0,$base,in_order=1" ;;
    vu_vec) if [ "$packed" = 1 ]; then echo "net_virtio_user0,$base,in_order=1,vectorized=1"
            else echo "net_virtio_user0,$base,in_order=0,vectorized=1"; fi ;;
    esac
}

# Parse testpmd's "stop" output in $1 into the named variables:
# rxp txp txdrop cyc totcyc mhz (empty when absent).
parse_stop() {
    local s=$1
    rxp=$(awk '/RX-packets:/ {print $2; exit}' <<<"$s")
    txp=$(awk '/TX-packets:/ {print $2; exit}' <<<"$s")
    txdrop=$(awk '/TX-dropped:/ {print $4; exit}' <<<"$s")
    cyc=$(sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' <<<"$s" | head -n1)
    totcyc=$(sed -n 's/.*(total cycles=\([0-9]*\) .*/\1/p' <<<"$s" | head -n1)
    mhz=$(sed -n 's/.* at \([0-9]*\) MHz Clock.*/\1/p' <<<"$s" | head -n1)
}

# CPU time (clock ticks) used so far by the two testpmds, and steal time of the
# machine: "ours steal".  Both forwarding cores spin, so over a window of T
# seconds undisturbed testpmds use 2*T*CLK_TCK ticks.
ncpu=$(nproc)
clk_tck=$(getconf CLK_TCK)
cpu_snapshot() {
    local ours=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && ours=$((ours + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$ours $(awk '/^cpu / {print $9; exit}' /proc/stat)"
}

# Percentage of the machine's CPU time that was busy over half a second.
cpu_busy_pct() {
    local a b
    a=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit}' /proc/stat)
    sleep 0.5
    b=$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); t = y[1] - x[1] + y[2] - x[2]
        printf "%d\n", (t > 0 ? 100 * (y[1] - x[1]) / t : 0)}'
}

# Other sessions share this machine: wait for it to be (nearly) idle.
wait_idle() {
    local i busy=0
    for ((i = 0; i < idle_wait * 2; i++)); do
        busy=$(cpu_busy_pct)
        [ "$busy" -lt 15 ] && return 0
        [ "$i" = 0 ] && echo "  waiting up to ${idle_wait}s for the CPUs to be idle (now ${busy}% busy)..."
    done
    [ "$idle_wait" = 0 ] || echo "  CPUs still ${busy}% busy after ${idle_wait}s: measuring anyway"
}

# vnetx xstats worth keeping (errors and notifications), as k=v;k=v.
pick_xstats() {
    awk -F': ' '/^(rx|tx)_q[0-9]+_(bad_used|nombuf|kicks|dropped):/ {printf "%s%s=%s", sep, $1, $2; sep=";"}' <<<"$1"
}

echo "run,rep,direction,size,mrg_rxbuf,frontend,frontend_devargs,status,sender_tx,sender_tx_dropped,receiver_rx,counts_match,fwd_seconds,wall_seconds,mpps,frontend_cyc_per_pkt,backend_cyc_per_pkt,tsc_mhz,frontend_xstats,cpu_share_pct,steal_pct,attempt,error" >"$csv"

failures=0
run=0

# One measurement.  Appends a CSV row; returns 1 on failure.
# The floor: testpmd forwarding on net_null alone (txonly into it, rxonly
# from it, frames of the run's size), one forwarding core pinned as the
# frontends are.  One CSV row like the others: sender = receiver = net_null.
run_null() {
    local dir=$1 size=$2 mrg=$3 rep=$4 attempt=$5
    local tag="r$run-$dir-$size-m$mrg-null" mode err='' s_out='' t0 t1 c0 c1 share steal
    local rxp txp txdrop cyc totcyc mhz pk fwd mpps
    [ "$dir" = tx ] && mode=txonly || mode=rxonly
    local -a args=(--lcores "0@1,1@0" --in-memory --no-pci --file-prefix "vnxn$$-$run"
        --vdev "net_null0,size=$size" -- "${common_tp[@]}" "--forward-mode=$mode" "--txpkts=$size")
    {
        tp_start fe "$logdir/$tag.fe.log" "${args[@]}" && tp_ready fe 60 &&
            tp_cmd fe "clear port stats all" && {
            local pid
            pid=$(tp_child fe)
            t0=$(date +%s.%N)
            c0=$(cpu_snapshot "$pid")
            tp_cmd fe start
        } && { sleep "$secs"; c1=$(cpu_snapshot "$pid"); } && tp_cmd fe stop 30 && {
            t1=$(date +%s.%N)
            s_out=$TP_OUT
        }
    } || err=${TP_ERR:-failed}
    [ -n "${CMDLINE["$dir null"]:-}" ] || CMDLINE["$dir null"]="frontend: ${TP_CMD[fe]:-}"
    tp_quit fe 10
    if [ -z "$err" ]; then
        parse_stop "$s_out"
        [ "$dir" = tx ] && pk=$txp || pk=$rxp
        { [ -n "$pk" ] && [ -n "$cyc" ] && [ -n "$totcyc" ] && [ -n "$mhz" ]; } || err="no numbers in the stop output"
    fi
    if [ -n "$err" ]; then
        failures=$((failures + 1))
        echo "  FAILED: null: $err" >&2
        echo "$run,$rep,$dir,$size,$mrg,null,size=$size,error,,,,,,,,,,,,,,$attempt,${err//,/;}" >>"$csv"
        return 1
    fi
    fwd=$(awk -v c="$totcyc" -v m="$mhz" 'BEGIN {printf "%.4f", c / (m * 1e6)}')
    mpps=$(awk -v p="$pk" -v t="$fwd" 'BEGIN {printf "%.3f", (t > 0 ? p / t / 1e6 : 0)}')
    read -r share steal < <(awk -v a="$c0" -v b="$c1" -v s="$secs" -v hz="$clk_tck" -v n="$ncpu" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        printf "%.0f %.0f\n", 100 * (y[1] - x[1]) / (s * hz), 100 * (y[2] - x[2]) / (n * s * hz) }')
    printf '  %-7s %6.2f Mpps  frontend %7s cyc/pkt  (net_null, %s packets, %ss)\n' null "$mpps" "$cyc" "$pk" "$fwd"
    [ "$keep_logs" = 1 ] || rm -f "$logdir/$tag".*.log
    rm -f "$logdir/$tag".*.stdin
    echo "$run,$rep,$dir,$size,$mrg,null,size=$size,ok,$pk,0,$pk,yes,$fwd,$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}'),$mpps,$cyc,,$mhz,,$share,$steal,$attempt," >>"$csv"
    return 0
}

run_one() {
    local dir=$1 size=$2 mrg=$3 fe=$4 rep=$5 attempt=$6
    [ "$fe" = null ] && { run_null "$dir" "$size" "$mrg" "$rep" "$attempt"; return; }
    local tag="r$run-$dir-$size-m$mrg-$fe"
    local sock=$sockdir/$tag.sock
    local be_mode fe_mode sender receiver
    local -a be_args fe_args
    if [ "$dir" = tx ]; then be_mode=rxonly fe_mode=txonly sender=fe receiver=be
    else be_mode=txonly fe_mode=rxonly sender=be receiver=fe; fi
    local vdev
    vdev=$(fe_vdev "$fe" "$mrg" "$sock")

    be_args=(--lcores "0@0,1@1" --in-memory --no-pci --file-prefix "vnxb$$-$run"
        --vdev "net_vhost0,iface=$sock,queues=1" -- "${common_tp[@]}" "--forward-mode=$be_mode")
    # shellcheck disable=SC2206  # word-split on purpose: a list of arguments
    [ -n "$backend_args" ] && be_args+=($backend_args)
    fe_args=(--lcores "0@1,1@0" --in-memory --single-file-segments --no-pci --file-prefix "vnxf$$-$run")
    case $fe in vnetx*) fe_args+=(-d "$so") ;; ref*) fe_args+=(-d "$so_ref") ;; esac
    # virtio_user's packed vector path is AVX512, which EAL allows only when
    # asked (its default bitwidth is 256).
    [ "$fe" = vu_vec ] && [ "$packed" = 1 ] && fe_args+=(--force-max-simd-bitwidth=512)
    fe_args+=(--vdev "$vdev" -- "${common_tp[@]}" "--forward-mode=$fe_mode")
    [ -n "$fe_args_opt" ] && fe_args+=($fe_args_opt)
    if [ "$sender" = fe ]; then fe_args+=("--txpkts=$size"); else be_args+=("--txpkts=$size"); fi

    local err='' t0 t1 s_out r_out fe_x='' c0 c1
    local -a pids=()
    local rxp txp txdrop cyc totcyc mhz
    local s_tx='' s_drop='' s_cyc='' s_tot='' s_mhz='' r_rx='' r_cyc=''
    {
        tp_start be "$logdir/$tag.be.log" "${be_args[@]}" &&
            tp_ready be 60 &&
            for ((i = 0; i < 200; i++)); do [ -S "$sock" ] && break; sleep 0.05; done &&
            { [ -S "$sock" ] || { TP_ERR="be: socket $sock not created"; false; }; } &&
            tp_start fe "$logdir/$tag.fe.log" "${fe_args[@]}" &&
            tp_ready fe 60 &&
            tp_link_up fe 15 && tp_link_up be 15 &&
            { [ -z "$fe_cmd" ] || tp_cmd fe "$fe_cmd"; } &&
            tp_cmd be "clear port stats all" && tp_cmd fe "clear port stats all" &&
            tp_cmd $receiver start && {
            pids=("$(tp_child fe)" "$(tp_child be)")
            t0=$(date +%s.%N)
            tp_cmd $sender start
        } && {
            c0=$(cpu_snapshot "${pids[@]}")
            sleep "$secs"
            c1=$(cpu_snapshot "${pids[@]}")
        } &&
            tp_cmd $sender stop 30 && {
            t1=$(date +%s.%N)
            s_out=$TP_OUT
            sleep "$drain"
            tp_cmd $receiver stop 30
        } && {
            r_out=$TP_OUT
            tp_cmd fe "show port stats all" && tp_cmd be "show port stats all"
        } && tp_cmd fe "show port xstats all" && fe_x=$(pick_xstats "$TP_OUT")
    } || err=${TP_ERR:-failed}
    [ -n "${CMDLINE["$dir $fe"]:-}" ] || CMDLINE["$dir $fe"]="backend:  ${TP_CMD[be]:-}"$'\n'"frontend: ${TP_CMD[fe]:-}"
    tp_quit fe 10
    tp_quit be 10
    rm -f "$sock"

    if [ -z "$err" ]; then
        parse_stop "$s_out"; s_tx=$txp s_drop=$txdrop s_cyc=$cyc s_tot=$totcyc s_mhz=$mhz
        parse_stop "$r_out"; r_rx=$rxp r_cyc=$cyc
        if [ -z "$s_tx" ] || [ -z "$r_rx" ] || [ -z "$s_tot" ] || [ -z "$s_mhz" ] || [ -z "$r_cyc" ] || [ -z "$s_cyc" ]; then
            err="no numbers in the stop output (tx=$s_tx rx=$r_rx cycles=$s_tot/$r_cyc)"
        elif [ "$r_rx" -eq 0 ]; then
            err="receiver got 0 packets (sender sent $s_tx)"
        fi
    fi
    local status=ok match='' fwd='' wall='' mpps='' fcyc='' bcyc='' share='' steal=''
    if [ -n "$err" ]; then
        status=error
        failures=$((failures + 1))
        echo "  FAILED: $err" >&2
        [ -n "${TP_LOG[fe]:-}" ] && [ -f "${TP_LOG[fe]}" ] && { echo "  --- ${TP_LOG[fe]} (tail)"; tail -n 8 "${TP_LOG[fe]}"; } >&2
    else
        match=yes
        [ "$s_tx" = "$r_rx" ] || { match=no; echo "  WARNING: sender sent $s_tx, receiver got $r_rx" >&2; }
        fwd=$(awk -v c="$s_tot" -v m="$s_mhz" 'BEGIN {printf "%.4f", c / (m * 1e6)}')
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
        mpps=$(awk -v p="$r_rx" -v t="$fwd" 'BEGIN {printf "%.3f", p / t / 1e6}')
        if [ "$dir" = tx ]; then fcyc=$s_cyc bcyc=$r_cyc; else fcyc=$r_cyc bcyc=$s_cyc; fi
        read -r share steal < <(awk -v a="$c0" -v b="$c1" -v s="$secs" -v hz="$clk_tck" -v n="$ncpu" 'BEGIN {
            split(a, x, " "); split(b, y, " ")
            printf "%.0f %.0f\n", 100 * (y[1] - x[1]) / (2 * s * hz), 100 * (y[2] - x[2]) / (n * s * hz) }')
        printf '  %-7s %6.2f Mpps  frontend %7s cyc/pkt  backend %7s cyc/pkt  (sent %s, received %s, %ss, cpu share %s%%)\n' \
            "$fe" "$mpps" "$fcyc" "$bcyc" "$s_tx" "$r_rx" "$fwd" "$share"
        if [ "$share" -lt "$min_share" ]; then
            if [ "$attempt" -le "$retries" ]; then status=retried; else status=disturbed; fi
            echo "  disturbed: the testpmds got ${share}% of 2 CPUs (steal ${steal}%): other processes compete;" \
                "$([ $status = retried ] && echo "run again" || echo "kept, flagged")" >&2
        fi
        [ "$keep_logs" = 1 ] || rm -f "$logdir/$tag".*.log
    fi
    rm -f "$logdir/$tag".*.stdin
    err=${err//,/;}
    local devargs=${vdev#*.sock,}
    devargs=${devargs//,/ }
    echo "$run,$rep,$dir,$size,$mrg,$fe,$devargs,$status,$s_tx,$s_drop,$r_rx,$match,$fwd,$wall,$mpps,$fcyc,$bcyc,$s_mhz,$fe_x,$share,$steal,$attempt,$err" >>"$csv"
    case $status in ok | disturbed) return 0 ;; retried) return 2 ;; *) return 1 ;; esac
}

n_cfg=0
for dir in $dirs; do for size in $sizes; do for mrg in $mrgs; do n_cfg=$((n_cfg + 1)); done; done; done
total=$((n_cfg * 3 * reps))
echo "bench: $total runs of ${secs}s ($reps reps x $n_cfg configurations x vnetx/virtio_user in_order=0/in_order=1)"
echo "bench: PMD $so_desc"
echo "bench: raw results $csv; logs $logdir"
start_ts=$(date +%s)
for ((rep = 1; rep <= reps; rep++)); do
    for dir in $dirs; do for size in $sizes; do for mrg in $mrgs; do
        echo "[rep $rep/$reps] $dir ${size}B mrg_rxbuf=$mrg"
        for fe in $frontends; do
            for ((attempt = 1; ; attempt++)); do
                run=$((run + 1))
                wait_idle
                rc=0
                run_one "$dir" "$size" "$mrg" "$fe" "$rep" "$attempt" || rc=$?
                [ "$rc" = 2 ] && continue
                break
            done
        done
    done; done; done
done
echo "bench: done in $(($(date +%s) - start_ts))s: $failures failed, $(grep -c ',retried,' "$csv") re-run because disturbed, $(grep -c ',disturbed,' "$csv") disturbed kept"

report | tee "$out"
echo "bench: report written to $out"
[ "$failures" -eq 0 ]
