#!/bin/bash
# Kernel-rig scenario "vdpa_bench" (not in CI): vnetx and DPDK 22.11's own
# net_virtio_user side by side on the same vhost-vdpa device, in one guest
# boot.  The device is a VDUSE net device provided by DPDK 24.11's testpmd
# (trixie root, vdpa_lib.sh), bound to vhost_vdpa; the provider stays up for
# the whole run.  Rounds alternate vnetx, virtio_user, vnetx, ...; each
# starts the frontend's testpmd (one process at a time holds
# /dev/vhost-vdpa-N), measures both directions with 64-byte frames, quits:
#   tx: frontend txonly -> provider rxonly: the provider's RX-packets delta
#       between two counter reads (the frontend's TX-packets alongside);
#   rx: provider txonly -> frontend rxonly: the frontend's RX-packets delta
#       (the provider's TX-packets alongside).
# The window: after a warm-up, "show port stats 0" to both testpmds, sleep,
# again to both, stop.  The commands go down the FIFOs unanswered and the
# answers are read once forwarding has stopped: with both vCPUs busy
# forwarding, a shell polling a log takes seconds per read (and slows the
# forwarding it measures).  The rate is testpmd's own "Rx-pps"/"Tx-pps" of
# the second read: the counter delta over the time between the two reads,
# on the process's clock (the delta and that window are printed too).
# These are QEMU TCG numbers (an emulated CPU, the guest kernel's vhost-vdpa
# and VDUSE in between): compare the ratio, never the absolute rates.
# Both frontends run the same EAL (memory, IOVA, plugins, -d the vnetx PMD)
# and testpmd options; only the vdev differs, each PMD with its own defaults
# but the ring size (256): vnetx mrg_rxbuf=1 in_order=0, virtio_user
# mrg_rxbuf=1 in_order=1.
# Arguments (devtools/kernel-rig.sh vdpa_bench [ROUNDS [SECONDS]]): rounds
# per PMD (default 5), seconds per window (default 5).
# Exit: 0 when both PMDs were measured in every round (a benchmark does not
# fail on speed); 1 when a frontend failed (the reason printed; the other
# PMD is still measured); 77 skip (vdpa_require).
# rig-kernel: trixie
# rig-needs: trixie-root
set -u
. "$RIG_REPO/app/test/rig/lib.sh"
. "$RIG_REPO/app/test/rig/vdpa_lib.sh"
IFS=, read -r ROUNDS WINDOW _ <<<"${RIG_ARGS:-}"
ROUNDS=${ROUNDS:-5} WINDOW=${WINDOW:-5}
WARMUP=1
PMDS="vnetx virtio_user"
# Memory as vdpa_smoke.sh needs it for virtio_user 22.11 (IOVA as VA, all
# memory at start in one memfd segment), the same for vnetx.  Not with
# --in-memory: 22.11's EAL takes --no-huge as legacy memory and refuses the
# pair.
EAL=(-l 0,1 --no-pci --no-huge -m 256 --iova-mode=va -d "$SO" --log-level "pmd.net.vnetx.*:info")
# The provider outlives every frontend: its bound covers the whole run.
VP_TIMEOUT=$((ROUNDS * 2 * 150 + 300))

vdpa_require
# The testpmd logs on the guest's tmpfs while the run polls them (the
# results export is 9p), copied to the results at the end, however it ends.
OUT=$RIG_OUT
RIG_OUT=/tmp/vdpa_bench
mkdir -p "$RIG_OUT"
VP_LOG=$RIG_OUT/provider.log VP_CMDS=$RIG_OUT/provider-cmds.log
trap 'cp -a "$RIG_OUT"/. "$OUT"/' EXIT
# The plugins the frontends use: net_virtio (virtio_user) and mempool_ring;
# both processes load the same set, and vnetx by -d.
pmd_trim "" /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0 net_virtio mempool_ring || fail "pmd_trim"
echo "kernel $(uname -r); DPDK in the trixie root: $(vp_chroot dpkg-query -W -f '${Version}' dpdk-dev); frontend dpdk-testpmd $(dpkg-query -W -f '${Version}' dpdk 2>/dev/null)"
SO_SUM=$(sha256sum "$SO" | cut -c1-16)
echo "vnetx $SO sha256 $SO_SUM; $ROUNDS rounds per PMD, ${WINDOW}s windows (${WARMUP}s warm-up), 64 B, ring 256, 1 queue"
vduse_provider_start 1 || fail "provider: see provider.log, provider-cmds.log"
echo "provider up, $VDPA_DEV there, in $VP_START_SECS s"

vdev_of() {
	case $1 in
	vnetx) echo "net_vnetx0,path=$VDPA_DEV,queue_size=256" ;;
	virtio_user) echo "net_virtio_user0,path=$VDPA_DEV,queue_size=256" ;;
	esac
}
# why name: the frontend's log lines that say why it failed.
why() { grep -vE "^[[:space:]]|^$|^Usage|Detected|options" "$RIG_OUT/$1.log" | tail -n 5 | tr '\n' ' '; }
# last2 log field: field's value in the last two "show port stats 0"
# blocks of log, "first second" (fields: RX-packets, TX-packets, Rx-pps,
# Tx-pps; lines of other threads may sit inside a block).
last2() {
	awk -v f="$2: *[0-9]+" '/NIC statistics for port 0/ {want = 1}
		want && match($0, f) {v = substr($0, RSTART, RLENGTH); sub(/.*: */, "", v); a = b; b = v; n++; want = 0}
		END {if (n < 2) exit 1; print a, b}' "$1"
}
# window sfd slog rfd rlog: both testpmds (sender on fd sfd, log slog;
# receiver rfd, rlog) already set up, stopped; start the receiver, then the
# sender, warm up, two reads WINDOW apart, stop the sender, then the
# receiver; then wait for both (fenced).  Nothing forks while they forward
# but sleep.
window() {
	local sfd=$1 slog=$2 rfd=$3 rlog=$4
	kill -0 "$TP_PID" 2>/dev/null && kill -0 "$VP_PID" 2>/dev/null || return 1
	echo "start" >&"$rfd"
	echo "start" >&"$sfd"
	sleep "$WARMUP"
	echo "show port stats 0" >&"$rfd"
	echo "show port stats 0" >&"$sfd"
	sleep "$WINDOW"
	echo "show port stats 0" >&"$rfd"
	echo "show port stats 0" >&"$sfd"
	echo "stop" >&"$sfd"
	echo "stop" >&"$rfd"
	fenced_do "$sfd" "$slog" && fenced_do "$rfd" "$rlog"
}
# measure sfd slog rfd rlog sfield rfield: after window, "rate count secs
# sender_rate sender_count" from the last two reads of each side.
measure() {
	local r rp s sp
	r=$(last2 "$4" "$6") && rp=$(last2 "$4" "${6/RX-packets/Rx-pps}") &&
	s=$(last2 "$2" "$5") && sp=$(last2 "$2" "${5/TX-packets/Tx-pps}") || return 1
	echo "$r $rp $s $sp" | awk '{rc = $2 - $1; sc = $6 - $5; printf "%d %d %.2f %d %d\n", $4, rc, ($4 > 0 ? rc / $4 : 0), $8, sc}'
}

# fe_gone: the frontend testpmd ended (quit, killed after 30 s), fd 9
# closed.  Never written to once it has exited (SIGPIPE).
fe_gone() {
	if kill -0 "$TP_PID" 2>/dev/null; then
		tp_cmd quit
		wait_for '! kill -0 $TP_PID 2>/dev/null' 300 || kill "$TP_PID" 2>/dev/null
	fi
	exec 9>&-
	wait "$TP_PID" 2>/dev/null
}
declare -A TX TXFE RX RXVP FAILED
# round pmd r: one frontend's round, its line printed, its rates added to
# TX, TXFE, RX, RXVP; 1 with the reason in REASON if it failed.
round() {
	local pmd=$1 r=$2 name="$1$2" t_start a b
	t_start=$(date +%s.%N)
	tp_run "$name" rxonly "$(vdev_of "$pmd")" --txpkts=64 ||
		{ REASON="testpmd did not prompt ($name.log): $(why "$name")"; return 1; }
	link_is up || { REASON="link not up ($name.log): $(why "$name")"; return 1; }
	[ "$pmd" = vnetx ] && [ "$(sha256sum "$SO" | cut -c1-16)" != "$SO_SUM" ] &&
		echo "note: $SO changed during the run (now $(sha256sum "$SO" | cut -c1-16))"

	# tx: frontend txonly -> provider rxonly.
	vp_do "stop" "set txpkts 64" "set fwd rxonly" || { REASON="provider rxonly"; return 1; }
	fe_do "stop" "set fwd txonly" || { REASON="frontend txonly"; return 1; }
	window 9 "$TP_LOG" 7 "$VP_LOG" || { REASON="tx window: no answer ($name.log, provider.log)"; return 1; }
	a=$(measure 9 "$TP_LOG" 7 "$VP_LOG" TX-packets RX-packets) || { REASON="tx: no counters"; return 1; }
	# rx: provider txonly -> frontend rxonly.
	vp_do "set fwd txonly" || { REASON="provider txonly"; return 1; }
	fe_do "set fwd rxonly" || { REASON="frontend rxonly"; return 1; }
	window 7 "$VP_LOG" 9 "$TP_LOG" || { REASON="rx window: no answer ($name.log, provider.log)"; return 1; }
	b=$(measure 7 "$VP_LOG" 9 "$TP_LOG" TX-packets RX-packets) || { REASON="rx: no counters"; return 1; }
	[ "$(fe_stat RX-errors)" = 0 ] || echo "note: $name counted rx errors"
	tp_quit || echo "note: $name testpmd exit $?"

	set -- $a $b
	[ "$1" -gt 0 ] || { REASON="tx: the provider received nothing ($5 sent)"; return 1; }
	[ "$6" -gt 0 ] || { REASON="rx: the frontend received nothing (${10} sent)"; return 1; }
	TX[$pmd]+=" $1" TXFE[$pmd]+=" $4" RX[$pmd]+=" $6" RXVP[$pmd]+=" $9"
	printf "round %d %-11s tx %7d frames/s (%d in %s s; frontend sent %d/s)  rx %7d frames/s (%d in %s s; provider sent %d/s)  [%s s]\n" \
		"$r" "$pmd" "$1" "$2" "$3" "$4" "$6" "$7" "$8" "$9" "$(vp_since "$t_start")"
}

for r in $(seq "$ROUNDS"); do
	for pmd in $PMDS; do
		[ -n "${FAILED[$pmd]:-}" ] && continue
		REASON=''
		round "$pmd" "$r" && continue
		FAILED[$pmd]="round $r: $REASON"
		echo "round $r $pmd FAILED: $REASON"
		# It must let go of the device before the next frontend opens it.
		fe_gone
		vp_do "stop"
	done
done

vduse_provider_stop || echo "note: teardown: see provider-cmds.log"

median() { printf '%s\n' "$@" | sort -g | awk 'NF {a[++n] = $1} END {if (n == 0) exit 1; if (n % 2) print a[(n + 1) / 2]; else print (a[n / 2] + a[n / 2 + 1]) / 2}'; }
mpps() { [ -n "$1" ] && echo "$1" | awk '{printf "%.3f", $1 / 1e6}' || echo "-"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && echo "$1 $2" | awk '{printf "%.2f", $1 / $2}' || echo "-"; }
echo
echo "per round, frames/s:"
for pmd in $PMDS; do
	echo "  tx $pmd:${TX[$pmd]:- none}"
	echo "  rx $pmd:${RX[$pmd]:- none}"
done
echo
echo "| direction (64 B, ring 256) | vnetx median Mpps | virtio_user median Mpps | vnetx/virtio_user |"
echo "|---|---|---|---|"
for d in tx rx; do
	case $d in
	tx) label="tx: frontend -> provider (provider RX)"; vx=$(median ${TX[vnetx]:-}); vu=$(median ${TX[virtio_user]:-}) ;;
	rx) label="rx: provider -> frontend (frontend RX)"; vx=$(median ${RX[vnetx]:-}); vu=$(median ${RX[virtio_user]:-}) ;;
	esac
	echo "| $label | $(mpps "$vx") | $(mpps "$vu") | $(ratio "$vx" "$vu") |"
done
echo "(the senders' own rates, medians: tx frontend sent vnetx $(mpps "$(median ${TXFE[vnetx]:-})"), virtio_user $(mpps "$(median ${TXFE[virtio_user]:-})"); rx provider sent vnetx $(mpps "$(median ${RXVP[vnetx]:-})"), virtio_user $(mpps "$(median ${RXVP[virtio_user]:-})") Mpps)"
echo "QEMU TCG: compare the ratio, not the rates."
echo "total $(vp_since "$T0") s"
for pmd in $PMDS; do
	[ -n "${FAILED[$pmd]:-}" ] && fail "$pmd not measured: ${FAILED[$pmd]}"
done
echo "PASS"
