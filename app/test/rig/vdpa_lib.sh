#!/bin/bash
# Helpers for kernel-rig scenarios on a real vDPA net device (sourced after
# lib.sh; the 6.12 guest kernel, --kernel trixie).  The device is a VDUSE
# one whose userspace provider is DPDK 24.11's testpmd (net_vhost on
# /dev/vduse/vduse0) from the Debian trixie root devtools/trixie-root.sh
# builds (RIG_TRIXIE, passed by kernel-rig.sh when the scenario says
# "# rig-needs: trixie-root"), run chrooted in it, interactive, fed from a
# FIFO like lib.sh's tp_run.  `vdpa dev add` binds the device to vhost_vdpa:
# $VDPA_DEV (/dev/vhost-vdpa-N) is the frontend's path.
# Pinning (2 vCPUs): the provider runs -l 0,1 --main-lcore 1 (forwarding on
# lcore 0), a lib.sh frontend -l 0,1 (forwarding on lcore 1).
# Logs: $RIG_OUT/provider.log (testpmd), $RIG_OUT/provider-cmds.log (the
# commands sent, the vdpa tool's output, timings).
set -u
VP_ROOT=${RIG_TRIXIE:-}
VP_NAME=vduse0
VP_LOG=$RIG_OUT/provider.log
VP_CMDS=$RIG_OUT/provider-cmds.log
VP_PID='' VP_KILLED=0
VDPA_DEV=''
VP_EAL=()    # more EAL arguments for the provider (--log-level ...)
# testpmd writes its prompt and the echo of the commands a byte at a time,
# and the vhost library logs from other threads whole lines at any moment:
# prompts cannot be counted.  Each batch of commands ends with a fence, a
# command whose one-line answer only it prints.
VP_FENCE_CMD='show port summary all'
VP_FENCE='Number of available ports:'

vp_note() { echo "$(date +%T.%3N) $*" >>"$VP_CMDS"; }
# vdpa_skip reason: the scenario cannot run here (exit 77, the reason in
# $RIG_OUT/skip-reason for kernel-rig.sh to say).
vdpa_skip() { echo "SKIP: $*"; echo "$*" >"$RIG_OUT/skip-reason"; exit 77; }
# vdpa_require: skip unless the guest can host a VDUSE device and the
# trixie root is there.
vdpa_require() {
	[ -c /dev/vduse/control ] || vdpa_skip "no /dev/vduse/control (kernel $(uname -r); run with --kernel trixie)"
	[ -d /sys/bus/vdpa/drivers/vhost_vdpa ] || vdpa_skip "vhost_vdpa is not loaded"
	[ -n "$VP_ROOT" ] || vdpa_skip "no trixie root (RIG_TRIXIE unset: devtools/trixie-root.sh could not build it)"
	[ -x "$VP_ROOT/usr/bin/dpdk-testpmd" ] || vdpa_skip "no dpdk-testpmd in the trixie root $VP_ROOT"
	[ -x "$VP_ROOT/usr/sbin/vdpa" ] || vdpa_skip "no vdpa tool in the trixie root $VP_ROOT"
}
# pmd_trim root dir pmd...: over root's EAL plugin directory dir, one with
# copies of only the plugins librte_<pmd>.so.  EAL dlopens every driver in
# that directory (about 150), which is most of a testpmd start under TCG
# (testpmd launch to prompt: 5-8 s trimmed, 10-45 s not).  The trimmed
# directory keeps every library's soname link (.so.NN, which EAL does not
# load) into the original, bound at root/run/<dir's name>-all, for
# testpmd's own links to drivers (its RUNPATH).  Copies, not links, for the
# plugins: EAL refuses a plugin whose real path has a world-writable parent
# (the guest's /run).  Once per guest.
pmd_trim() {
	local root=$1 dir=$2 all f p
	shift 2
	all=/run/${dir##*/}-all
	[ -e "$root$dir/.vnetx-trimmed" ] && return 0
	mkdir -p "$root$all" && mount --bind "$root$dir" "$root$all" &&
	mount -t tmpfs -o mode=755 tmpfs "$root$dir" || return 1
	# One ln for all (a process costs tens of ms under TCG); the targets as
	# a process chrooted in root sees them.
	f=("$root$all"/*.so.[0-9][0-9])
	ln -s "${f[@]#"$root"}" "$root$dir/" || return 1
	for p in "$@"; do cp -L "$root$all/librte_$p.so" "$root$dir/" || return 1; done
	touch "$root$dir/.vnetx-trimmed"
}
# vp_mounts: what a process in the (read-only) trixie root needs: writable
# /run (/var/run/dpdk) and /tmp, the guest's /dev (with /dev/hugepages and
# /dev/vduse), /proc and /sys; unless VP_ALL_PMDS=1, the plugin directory
# trimmed to the provider's two PMDs.  Once; left for the guest's power-off.
VP_PMDS=/usr/lib/x86_64-linux-gnu/dpdk/pmds-25.0
vp_mounts() {
	grep -q " $VP_ROOT/run " /proc/mounts && return 0
	mount -t tmpfs -o mode=755 tmpfs "$VP_ROOT/run" &&
	mount -t tmpfs tmpfs "$VP_ROOT/tmp" &&
	mount --rbind /dev "$VP_ROOT/dev" &&
	mount -t proc proc "$VP_ROOT/proc" &&
	mount --rbind /sys "$VP_ROOT/sys" || return 1
	[ "${VP_ALL_PMDS:-0}" = 1 ] || pmd_trim "$VP_ROOT" "$VP_PMDS" net_vhost mempool_ring
}
# vp_chroot cmd...: run in the trixie root.
vp_chroot() { chroot "$VP_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
# vdpa_tool args...: trixie's vdpa tool, its output in the commands log too.
vdpa_tool() {
	local rc
	vp_note "vdpa $*"
	vp_chroot /usr/sbin/vdpa "$@" >>"$VP_CMDS" 2>&1
	rc=$?
	[ $rc -eq 0 ] || vp_note "vdpa $* exited $rc"
	return $rc
}
# wait_for cond_cmd tenths: until cond_cmd succeeds, at most tenths/10 s.
wait_for() {
	local i
	for i in $(seq "$2"); do
		eval "$1" && return 0
		sleep 0.1
	done
	return 1
}
vp_fences() { grep -c "$VP_FENCE" "$VP_LOG"; }

# vduse_provider_start [queues] [testpmd args]: the provider up (prompt
# there, forwarding stopped), /dev/vduse/$VP_NAME bound to vhost_vdpa,
# $VDPA_DEV set.  After vp_kill, a restart reattaches to the same device.  Forward mode io unless the args say otherwise.  1 (with
# the reason on stdout) if any step fails within its bound.
vduse_provider_start() {
	local q=${1:-1} t0 i
	[ $# -gt 0 ] && shift
	t0=$(date +%s.%N)
	vp_mounts || { echo "vduse_provider_start: mounts in $VP_ROOT failed"; return 1; }
	rm -f /tmp/vduse.in; mkfifo /tmp/vduse.in
	vp_note "provider start: queues $q, args $* (mounts took $(vp_since "$t0") s)"
	rm -f "$VP_ROOT/tmp/provider.pid"
	# sh records testpmd's own pid (stdbuf execs it) for vp_kill.
	vp_chroot timeout "${VP_TIMEOUT:-900}" sh -c 'echo $$ >/tmp/provider.pid; exec "$@"' provider \
		stdbuf -oL /usr/bin/dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --in-memory --single-file-segments --file-prefix rigvduse "${VP_EAL[@]}" \
		--vdev "net_vhost0,iface=/dev/vduse/$VP_NAME,queues=$q" \
		-- -i --forward-mode=io --rxq="$q" --txq="$q" --txd=256 --rxd=256 --total-num-mbufs=8192 "$@" \
		</tmp/vduse.in >"$VP_LOG" 2>&1 &
	VP_PID=$! VP_KILLED=0
	exec 7>/tmp/vduse.in
	# The node appears when testpmd starts the port, before its prompt; the
	# fence answered: the prompt is there.
	echo "$VP_FENCE_CMD" >&7
	for i in $(seq 1200); do
		[ -c "/dev/vduse/$VP_NAME" ] && [ "$(vp_fences)" -ge 1 ] && break
		kill -0 "$VP_PID" 2>/dev/null || { echo "provider exited: $(tail -n 3 "$VP_LOG")"; return 1; }
		sleep 0.1
	done
	[ -c "/dev/vduse/$VP_NAME" ] || { echo "no /dev/vduse/$VP_NAME after 120 s"; return 1; }
	[ "$(vp_fences)" -ge 1 ] || { echo "no provider prompt after 120 s"; return 1; }
	vp_note "provider prompt and /dev/vduse/$VP_NAME after $(vp_since "$t0") s"
	if [ -e "/sys/bus/vdpa/devices/$VP_NAME" ]; then
		vp_note "$VP_NAME still on the vdpa bus: the provider reattached"
	else
		vdpa_tool dev add name "$VP_NAME" mgmtdev vduse || { echo "vdpa dev add failed: $(tail -n 2 "$VP_CMDS")"; return 1; }
	fi
	wait_for 'ls /sys/bus/vdpa/devices/$VP_NAME/ 2>/dev/null | grep -q "^vhost-vdpa-"' 200 ||
		{ echo "$VP_NAME not bound to vhost_vdpa: $(ls /sys/bus/vdpa/devices/$VP_NAME/ 2>&1 | tr '\n' ' ')"; return 1; }
	VDPA_DEV=/dev/$(ls "/sys/bus/vdpa/devices/$VP_NAME/" | grep -m1 "^vhost-vdpa-")
	wait_for '[ -c "$VDPA_DEV" ]' 200 || { echo "no $VDPA_DEV"; return 1; }
	vp_note "$VDPA_DEV there after $(vp_since "$t0") s"
	VP_START_SECS=$(vp_since "$t0")
	return 0
}
# vp_kill [signal]: signal (default KILL) the provider's testpmd itself.
vp_kill() {
	local pid
	pid=$(cat "$VP_ROOT/tmp/provider.pid" 2>/dev/null) || return 1
	vp_note "kill -${1:-KILL} $pid (provider testpmd)"
	VP_KILLED=1
	kill "-${1:-KILL}" "$pid"
}
# vp_msg_timeout secs: the VDUSE device's bound on each message to the
# provider (default 30 s; after one times out the device is broken: every
# later message fails at once with EIO).  No module parameter sets it.
vp_msg_timeout() { echo "$1" >"/sys/class/vduse/$VP_NAME/msg_timeout"; }
# vduse_destroy [name]: VDUSE_DESTROY_DEV, for a device whose provider died
# (a provider that quits destroys its own); after vdpa dev del.  While the
# device lives, a provider started with its name reattaches to it (DPDK
# 24.11's VDUSE reconnection, state in the trixie root's /run/vduse/NAME).
vduse_destroy() {
	python3 -c '
import fcntl, os, sys
fd = os.open("/dev/vduse/control", os.O_RDWR)
fcntl.ioctl(fd, 0x41008103, sys.argv[1].encode().ljust(256, b"\0"))  # _IOW(0x81, 3, char[256])
' "${1:-$VP_NAME}"
}
vp_since() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }

# fenced_do fd log cmd...: send a testpmd (22.11 or 24.11) the commands on
# fd, then the fence; once the fence has answered in log, all are done (1 if
# not within 120 s).
fenced_do() {
	local fd=$1 log=$2 n c
	shift 2
	n=$(grep -c "$VP_FENCE" "$log")
	for c in "$@"; do echo "$c" >&"$fd"; done
	echo "$VP_FENCE_CMD" >&"$fd"
	wait_for '[ "$(grep -c "$VP_FENCE" "$log")" -gt $n ]' 1200
}
# stat_in log field: the value after "field:" (RX-packets, TX-packets,
# RX-errors, ...) in the last "show port stats 0" block of log (lines of
# other threads may sit between the block's lines).
stat_in() {
	awk -v f="$2: *[0-9]+" '/NIC statistics for port 0/ {v = ""; want = 1}
		want && match($0, f) {v = substr($0, RSTART, RLENGTH); sub(/.*: */, "", v); want = 0}
		END {if (v == "") exit 1; print v}' "$1"
}
# vp_do cmd...: provider commands, fenced.
vp_do() {
	vp_note "> $*"
	fenced_do 7 "$VP_LOG" "$@" || { vp_note "no answer to: $*"; return 1; }
}
# vp_stat field: the provider's port 0 counter, asked now.
vp_stat() { vp_do "show port stats 0" && stat_in "$VP_LOG" "$1"; }
# fe_do cmd..., fe_stat field: the same for a lib.sh tp_run testpmd (fd 9,
# $TP_LOG).
fe_do() { fenced_do 9 "$TP_LOG" "$@"; }
fe_stat() { fe_do "show port stats 0" && stat_in "$TP_LOG" "$1"; }
vp_rx() { vp_stat RX-packets; }
vp_tx() { vp_stat TX-packets; }
# vp_mode mode: stop forwarding (if started), set the mode, start.
vp_mode() { vp_do "stop" "set fwd $1" "start"; }

# vduse_provider_stop: vdpa dev del first (the device unbound from
# vhost_vdpa, $VDPA_DEV gone), then quit the provider (it destroys the VDUSE
# device; if vp_kill killed it, vduse_destroy).  Bounded: the provider is
# killed if it does not quit in 60 s.  Frontends must have closed $VDPA_DEV:
# vdpa dev del waits for that (the node goes at once, the command returns
# at the last close).
vduse_provider_stop() {
	local rc=0
	if [ -e "/sys/bus/vdpa/devices/$VP_NAME" ]; then
		timeout 60 chroot "$VP_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin /usr/sbin/vdpa dev del "$VP_NAME" >>"$VP_CMDS" 2>&1 ||
			{ vp_note "vdpa dev del $VP_NAME failed or hung"; rc=1; }
		vp_note "vdpa dev del $VP_NAME done"
		[ -n "$VDPA_DEV" ] && ! wait_for '[ ! -e "$VDPA_DEV" ]' 100 && { vp_note "$VDPA_DEV still there"; rc=1; }
	fi
	if [ -n "$VP_PID" ] && kill -0 "$VP_PID" 2>/dev/null; then
		vp_note "> quit"
		echo quit >&7
		exec 7>&-
		wait_for '! kill -0 $VP_PID 2>/dev/null' 600 || { vp_note "provider did not quit: killed"; vp_kill KILL; rc=1; }
		wait "$VP_PID" 2>/dev/null
		vp_note "provider exited"
	fi
	if [ -n "$VP_PID" ] && [ "$VP_KILLED" = 1 ]; then
		exec 7>&-
		wait "$VP_PID" 2>/dev/null
		[ -e "/dev/vduse/$VP_NAME" ] && vduse_destroy && vp_note "destroyed $VP_NAME (its provider was killed)"
		# and the killed provider's reconnect file, which would make a new
		# provider of that name refuse to start.
		rm -f "$VP_ROOT/run/vduse/$VP_NAME"
	fi
	wait_for '[ ! -e "/dev/vduse/$VP_NAME" ]' 100 || { vp_note "/dev/vduse/$VP_NAME still there"; rc=1; }
	VP_PID='' VP_KILLED=0''
	return $rc
}

# Scenario helpers the vdpa scenarios share.
# phase name: the time since the previous phase (T_PHASE, set at sourcing).
T0=$(date +%s.%N)
T_PHASE=$T0
phase() { echo "phase $1: $(vp_since "$T_PHASE") s"; T_PHASE=$(date +%s.%N); }
# wait_eq cmd want tenths: until cmd prints want (the far end has drained
# its ring); its last output in $GOT.
wait_eq() {
	local i
	for i in $(seq "$3"); do
		GOT=$(eval "$1")
		[ "$GOT" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# link_is want: a lib.sh frontend's link reaches want within 20 s.
link_is() {
	local i
	for i in $(seq 40); do
		[ "$(tp_link)" = "$1" ] && return 0
		sleep 0.5
	done
	return 1
}
