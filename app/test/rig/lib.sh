#!/bin/bash
# Helpers the kernel-rig scenarios source: a testpmd driven through a FIFO,
# its counters, waiting on its output, UDP senders, taps.
set -u
fail() { echo "FAIL: $*"; exit 1; }
SO=$RIG_BUILD/drivers/net/vnetx/librte_net_vnetx.so
IP=/usr/sbin/ip
EAL=(-l 0,1 --no-pci --in-memory --single-file-segments -d "$SO" --log-level "pmd.net.vnetx.*:info")
TP_WRAP=()   # a command testpmd runs under (setpriv, a descriptor manager)

# tp_run name mode vdev [testpmd args]: testpmd -i, fed from a FIFO; its
# output in $RIG_OUT/name.log; returns once the prompt is there.  vdev may
# name several devices, separated by spaces (one --vdev each).
tp_run() {
	local name=$1 mode=$2 vdev=$3 v vdevs=()
	shift 3
	for v in $vdev; do vdevs+=(--vdev "$v"); done
	rm -f "/tmp/$name.in"; mkfifo "/tmp/$name.in"
	timeout "${TP_TIMEOUT:-300}" "${TP_WRAP[@]}" stdbuf -oL dpdk-testpmd "${EAL[@]}" --file-prefix "rig$name" "${vdevs[@]}" \
		-- -i --forward-mode="$mode" --txd=256 --rxd=256 --total-num-mbufs=8192 "$@" </tmp/$name.in >"$RIG_OUT/$name.log" 2>&1 &
	TP_PID=$!
	TP_LOG=$RIG_OUT/$name.log
	exec 9>"/tmp/$name.in"
	for _ in $(seq 600); do
		grep -q "testpmd> " "$TP_LOG" && return 0
		kill -0 $TP_PID 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
tp_cmd() { echo "$1" >&9; }
# tp_do cmd...: send the commands, return once testpmd has prompted after
# the last (1 if it did not within 120 s).
tp_do() {
	local n c
	n=$(grep -o "testpmd> " "$TP_LOG" | wc -l)
	for c in "$@"; do tp_cmd "$c"; done
	for _ in $(seq 1200); do
		[ "$(grep -o "testpmd> " "$TP_LOG" | wc -l)" -ge $((n + $#)) ] && return 0
		sleep 0.1
	done
	return 1
}
tp_quit() { tp_cmd quit; exec 9>&-; wait $TP_PID; }
# tp_wait pattern count [seconds]: until the log has count lines matching.
tp_wait() {
	local i
	for i in $(seq $((${3:-30} * 10))); do
		[ "$(grep -c -- "$1" "$TP_LOG")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# tp_link: the port's link status as testpmd shows it now (up/down).
tp_link() {
	local n
	n=$(grep -c "Link status:" "$TP_LOG")
	tp_cmd "show port info 0"
	tp_wait "Link status:" $((n + 1)) 20 || { echo "?"; return; }
	grep -o "Link status: *[a-z]*" "$TP_LOG" | tail -n1 | awk '{print $3}'
}
# port_stat log field [port]: the value after "field:" in the last "stop"
# block of the port (default 0).
port_stat() {
	grep -A4 "Forward statistics for port ${3:-0} " "$1" | grep -o "$2: *[0-9]*" | tail -n1 | awk '{print $2}'
}
# show_stat field: the value in "show port stats 0", asked now.
show_stat() {
	local n
	n=$(grep -c "NIC statistics for port 0" "$TP_LOG")
	tp_cmd "show port stats 0"
	tp_wait "NIC statistics for port 0" $((n + 1)) 20 || return 1
	sleep 0.2
	grep -A3 "NIC statistics for port 0" "$TP_LOG" | grep -o "$1: *[0-9]*" | tail -n1 | awk '{print $2}'
}
tapstat() { cat "/sys/class/net/$1/statistics/$2"; }
# udp_send dst count size: count datagrams of size bytes, each from its
# own socket (a new source port: a new flow for the tap's queue steering).
udp_send() {
	python3 -c '
import socket, sys
dst, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(bytes(size), (dst, 9))
    s.close()' "$@"
}
# tap_add name addr/24 [ip tuntap flags]: an up tap with an address and a
# static neighbour .2 (IPv6 off: nothing else goes out).
tap_add() {
	local name=$1 addr=$2
	shift 2
	$IP tuntap add dev "$name" mode tap vnet_hdr "$@" || fail "ip tuntap add $name"
	sysctl -qw "net.ipv6.conf.$name.disable_ipv6=1"
	$IP addr add "$addr/24" dev "$name"
	$IP link set "$name" up
	$IP neigh replace "${addr%.*}.2" lladdr 02:00:00:00:00:02 dev "$name"
}
# refused name pattern vdev [EAL args]: the probe fails with a log line
# matching pattern.  (testpmd --help: EAL probes the port, then testpmd
# prints its usage and exits, without building its pools; TCG is slow.)
refused() {
	local name=$1 pattern=$2 vdev=$3
	shift 3
	timeout 120 "${TP_WRAP[@]}" dpdk-testpmd "${EAL[@]}" "$@" --file-prefix "rig$name" \
		--vdev "$vdev" -- --help >"$RIG_OUT/$name.log" 2>&1
	grep -q -- "$pattern" "$RIG_OUT/$name.log" || fail "$name: '$pattern' not in $name.log: $(grep -i vnetx "$RIG_OUT/$name.log" | tail -3)"
	echo "refused ($name): $(grep -o -- "$pattern.*" "$RIG_OUT/$name.log" | head -n1 | cut -c1-160)"
}
