#!/usr/bin/env bash
# vnetx in one command: set up the machine, build the PMD, and pass traffic
# between a vnetx port and DPDK's own vhost-user backend.
#
# Two dpdk-testpmd processes: the backend (net_vhost, a vhost-user server)
# and the frontend on a vnetx port (net_vnetx, the vhost-user client).  Both
# forward in io mode and the frontend starts with "start tx_first", so a
# batch of packets ping-pongs between them: vnetx transmits and receives.
#
# Usage: devtools/demo.sh [--seconds N] [--so PATH]
#   --seconds N  how long to show traffic (default 10)
#   --so PATH    use this vnetx PMD and skip the build (default: build it in build/)
# Run as root (it installs packages and reserves hugepages when missing).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=devtools/testpmd-lib.sh
. "$top/devtools/testpmd-lib.sh"

secs=10 so=${VNETX_SO:-}
while [ $# -gt 0 ]; do
    case $1 in
    --seconds) secs=${2:-}; shift ;;
    --so) so=${2:-}; shift ;;
    -h | --help) sed -n '/^# Usage:/,/^# Run as root/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "demo: unknown option $1 (try --help)" >&2; exit 1 ;;
    esac
    shift
done
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "demo: --seconds needs a positive integer" >&2; exit 1; }

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' D=$'\e[2m' N=$'\e[0m'; else B='' G='' R='' D='' N=''; fi
step() { printf '%s==>%s %s\n' "$B" "$N" "$*"; }
die() {
    printf '%sdemo: %s%s\n' "$R" "$*" "$N" >&2
    exit 1
}
# Print the tail of a log, dimmed, after a failure.
show_log() { [ -f "$1" ] && { printf '%s--- %s (last lines)\n' "$D" "$1"; tail -n "${2:-15}" "$1"; printf '%s' "$N"; } >&2; }

logdir=$top/build/demo
work=''
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    tp_cleanup
    [ -n "$work" ] && rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted, stopping..."; exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "run me as root (DPDK needs hugepages; setup installs packages)"

# ---- 1. machine set-up and build -----------------------------------------
step "Setting up the machine (devtools/setup.sh)"
mkdir -p "$top/build"
"$top/devtools/setup.sh" "$top/build" 2>&1 | sed "s/^/    /" || die "devtools/setup.sh failed"

if [ -z "$so" ]; then
    so=$top/build/drivers/net/vnetx/librte_net_vnetx.so
    mkdir -p "$logdir"
    step "Building vnetx (meson + ninja in build/)"
    if [ ! -f "$top/build/build.ninja" ]; then
        (cd "$top" && meson setup build) >"$logdir/build.log" 2>&1 || { show_log "$logdir/build.log"; die "meson setup failed"; }
    fi
    ninja -C "$top/build" >>"$logdir/build.log" 2>&1 || { show_log "$logdir/build.log" 25; die "build failed"; }
    echo "    ${so#"$top"/}"
fi
[ -f "$so" ] || die "$so: no such file"
so=$(realpath "$so")
mkdir -p "$logdir"

# ---- 2. the two testpmds --------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/vnetx-demo.XXXXXX")
sock=$work/vhost-user.sock
TP_TIMEOUT=$((secs + 120))

step "Starting the vhost-user backend: dpdk-testpmd with net_vhost (io forwarding)"
tp_start backend "$logdir/backend.log" --lcores 0@0,1@1 --in-memory --no-pci --file-prefix "vnetx-demo-be-$$" \
    --vdev "net_vhost0,iface=$sock" -- -i --forward-mode=io
echo "    ${D}${TP_CMD[backend]}${N}"
tp_ready backend 60 || { show_log "$logdir/backend.log"; die "$TP_ERR"; }
for ((i = 0; i < 100; i++)); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ] || { show_log "$logdir/backend.log"; die "the backend did not create $sock"; }

step "Starting dpdk-testpmd on a vnetx port (io forwarding)"
tp_start vnetx "$logdir/vnetx.log" --lcores 0@1,1@0 --in-memory --single-file-segments --no-pci \
    --file-prefix "vnetx-demo-fe-$$" -d "$so" --vdev "net_vnetx0,path=$sock" -- -i --forward-mode=io
echo "    ${D}${TP_CMD[vnetx]}${N}"
tp_ready vnetx 60 || { show_log "$logdir/vnetx.log"; die "$TP_ERR"; }
if tp_link_up vnetx 10; then
    tp_cmd vnetx "show port info 0"
    link_line=$(grep -m1 'Link status:' <<<"$TP_OUT" | sed 's/^ *//')
    speed_line=$(grep -m1 'Link speed:' <<<"$TP_OUT" | sed 's/^ *//')
    printf '    vnetx port 0: %s%s%s, %s\n' "$G" "$link_line" "$N" "$speed_line"
else
    show_log "$logdir/vnetx.log"
    die "the vnetx link did not come up in 10 s"
fi
tp_link_up backend 10 || { show_log "$logdir/backend.log"; die "$TP_ERR"; }

# ---- 3. traffic -----------------------------------------------------------
step "Passing traffic for ${secs}s (the vnetx side sends the first packets, then both echo)"
tp_cmd backend start || die "$TP_ERR"
tp_cmd vnetx "start tx_first" || die "$TP_ERR"
tp_cmd vnetx "show port stats 0" >/dev/null || die "$TP_ERR" # testpmd's pps counts from the previous show
printf '    %s%5s  %-5s %9s %9s %15s %15s%s\n' "$B" time link "rx Mpps" "tx Mpps" "rx packets" "tx packets" "$N"
link_down=0 max_pps=0
# 12345678 -> 12,345,678
fmt() {
    local n=$1 out=
    while [ ${#n} -gt 3 ]; do out=",${n: -3}$out" n=${n:0:${#n}-3}; done
    printf '%s' "$n$out"
}
mpps() { awk -v p="$1" 'BEGIN {printf "%.2f", p / 1e6}'; }
for ((t = 1; t <= secs; t++)); do
    sleep 1
    tp_cmd vnetx "show port info 0" || die "$TP_ERR"
    link=$(sed -n 's/.*Link status: *\([a-z]*\).*/\1/p' <<<"$TP_OUT" | head -n1)
    [ "$link" = up ] || link_down=$((link_down + 1))
    tp_cmd vnetx "show port stats 0" || die "$TP_ERR"
    read -r rxp txp < <(awk '/RX-packets:/ {r = $2} /TX-packets:/ {t = $2} END {print r + 0, t + 0}' <<<"$TP_OUT")
    read -r rxr txr < <(awk '/Rx-pps:/ {r = $2} /Tx-pps:/ {t = $2} END {print r + 0, t + 0}' <<<"$TP_OUT")
    [ "$rxr" -gt "$max_pps" ] && max_pps=$rxr
    printf '    %4ss  %-5s %9s %9s %15s %15s\n' "$t" "${link:-?}" "$(mpps "$rxr")" "$(mpps "$txr")" "$(fmt "$rxp")" "$(fmt "$txp")"
done

# ---- 4. stop and summarise -----------------------------------------------
step "Stopping"
tp_cmd vnetx stop 30 || die "$TP_ERR"
sleep 0.3 # let the backend take what vnetx sent last
tp_cmd backend stop 30 || die "$TP_ERR"
tp_cmd vnetx "show port stats 0" || die "$TP_ERR"
read -r fe_rx fe_tx < <(awk '/RX-packets:/ {r = $2} /TX-packets:/ {t = $2} END {print r + 0, t + 0}' <<<"$TP_OUT")
fe_err=$(awk '/RX-packets:/ {e += $4} /RX-errors:/ || /RX-nombuf:/ {e += $2} /TX-packets:/ {e += $4} END {print e + 0}' <<<"$TP_OUT")
tp_cmd backend "show port stats 0" || die "$TP_ERR"
read -r be_rx be_tx < <(awk '/RX-packets:/ {r = $2} /TX-packets:/ {t = $2} END {print r + 0, t + 0}' <<<"$TP_OUT")
tp_cmd vnetx "show port info 0" || die "$TP_ERR"
link_end=$(sed -n 's/.*Link status: *\([a-z]*\).*/\1/p' <<<"$TP_OUT" | head -n1)
tp_quit vnetx 10
tp_quit backend 10

echo
left=$((be_tx - fe_rx))
ok=1
{ [ "$fe_tx" -gt 0 ] && [ "$fe_rx" -gt 0 ] && [ "$link_down" = 0 ] && [ "$fe_tx" = "$be_rx" ] &&
    [ "$left" -ge 0 ] && [ "$left" -le 2048 ] && [ "$fe_err" = 0 ]; } || ok=0
if [ "$fe_tx" = "$be_rx" ]; then tx_note="all received"; else tx_note="${R}the backend received $(fmt "$be_rx")${N}"; fi
if [ "$left" -ge 0 ] && [ "$left" -le 2048 ]; then rx_note="the other $(fmt "$left") were in flight when forwarding stopped"
else rx_note="${R}of $(fmt "$be_tx") the backend sent${N}"; fi
if [ "$link_down" = 0 ]; then link_note="link ${G}up${N} at every check"
else link_note="${R}link down at $link_down of $secs checks${N}"; fi
printf '%sSummary:%s in %ss vnetx sent %s packets to the vhost-user backend (%s) and received %s back (%s), ' \
    "$B" "$N" "$secs" "$(fmt "$fe_tx")" "$tx_note" "$(fmt "$fe_rx")" "$rx_note"
printf 'peaking at %s Mpps each way with one core per side; %s errors; %s, %s after stopping. ' \
    "$(mpps "$max_pps")" "$fe_err" "$link_note" "${link_end:-unknown}"
if [ "$ok" = 1 ]; then
    printf 'Logs: %s. Next: devtools/bench.sh compares vnetx with DPDK'"'"'s net_virtio_user.\n' "${logdir#"$top"/}/"
else
    printf '%sSomething is wrong%s: see the logs in %s.\n' "$R" "$N" "${logdir#"$top"/}/"
    exit 1
fi
