#!/usr/bin/env bash
# Integration: a vnetx port inside OVS-DPDK (ovs-vswitchd-dpdk, DPDK 22.11)
# loading the PMD with -d, wired to DPDK's vhost-user backend (a testpmd with
# net_vhost).  Exact packet counts both ways through the OVS datapath.
# Usage: ovs_dpdk.sh PMD.so      Exit 77 (skipped) without OVS-DPDK.
set -uo pipefail
so=${1:?usage: ovs_dpdk.sh librte_net_vnetx.so}
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=devtools/testpmd-lib.sh
. "$top/devtools/testpmd-lib.sh"

vswitchd=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
if [ ! -x "$vswitchd" ] || ! command -v ovsdb-server >/dev/null; then
    echo "*** SKIPPED ovs_dpdk: $vswitchd not installed (apt-get install openvswitch-switch-dpdk) ***"
    echo "0 passed, 0 failed, 1 skipped"
    exit 77
fi

passed=0 failed=0
ok() { echo "  [PASS] ovs_dpdk/$1"; passed=$((passed + 1)); }
ko() { echo "  [FAIL] ovs_dpdk/$1: $2"; failed=$((failed + 1)); }

run=$(mktemp -d /var/tmp/vnetx-ovs.XXXXXX)
export OVS_RUNDIR=$run OVS_LOGDIR=$run OVS_DBDIR=$run OVS_SYSCONFDIR=$run
V="ovs-vsctl --timeout=30 --db=unix:$run/db.sock"
sock=$run/vhost.sock
cleanup() {
    [ -f "$run/vswitchd.pid" ] && kill "$(cat "$run/vswitchd.pid")" 2>/dev/null
    [ -f "$run/ovsdb.pid" ] && kill "$(cat "$run/ovsdb.pid")" 2>/dev/null
    tp_cleanup
    for _ in $(seq 50); do [ -f "$run/vswitchd.pid" ] && kill -0 "$(cat "$run/vswitchd.pid")" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$run"
}
trap cleanup EXIT

# Wait (bounded) until "$@" succeeds.
await() {
    local secs=$1 i
    shift
    for i in $(seq $((secs * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

ovsdb-tool create "$run/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$run/conf.db" --remote="punix:$run/db.sock" --pidfile="$run/ovsdb.pid" \
    --detach --log-file="$run/ovsdb.log" || { ko start "ovsdb-server failed"; echo "$passed passed, $failed failed"; exit 1; }
$V --no-wait init
$V --no-wait set Open_vSwitch . other_config:dpdk-init=true \
    "other_config:dpdk-extra=-d $so --in-memory --single-file-segments --no-pci --file-prefix vnxovs$$" \
    other_config:dpdk-lcore-mask=0x1 other_config:pmd-cpu-mask=0x2 \
    other_config:stats-update-interval=1000

# The backend: net_vhost creates its socket at port start.
tp_start be "$run/backend.log" --lcores 0@0,1@1 --in-memory --no-pci --file-prefix vnxovsbe$$ \
    --vdev "net_vhost0,iface=$sock" -- -i --forward-mode=rxonly
tp_ready be 60 || { ko start "backend testpmd: $TP_ERR"; echo "$passed passed, $failed failed"; exit 1; }
tp_cmd be "start"
await 30 test -S "$sock"

"$vswitchd" "unix:$run/db.sock" --pidfile="$run/vswitchd.pid" --detach \
    --log-file="$run/vswitchd.log" || { ko start "ovs-vswitchd-dpdk failed"; echo "$passed passed, $failed failed"; exit 1; }
$V add-br br0 -- set bridge br0 datapath_type=netdev
$V add-port br0 vx0 -- set Interface vx0 type=dpdk "options:dpdk-devargs=net_vnetx0,path=$sock" \
    ofport_request=1 2>"$run/add-port.err"
link_up() { [ "$($V get Interface vx0 link_state 2>/dev/null)" = up ]; }
if await 30 link_up && [ "$($V get Interface vx0 status:driver_name | tr -d '"')" = net_vnetx ]; then
    ok port_up
else
    ko port_up "link_state=$($V get Interface vx0 link_state 2>&1) error=$($V get Interface vx0 error 2>&1) $(cat "$run/add-port.err")"
    grep -iE 'vnetx|error' "$run/vswitchd.log" | tail -5
    echo "$passed passed, $failed failed"; exit 1
fi

# OVS -> vnetx -> backend: 100 packet-outs, each a 64-byte frame.
ovs-ofctl del-flows br0
ovs-ofctl add-flow br0 "in_port=1,actions=drop"
frame=ffffffffffff0200000000010800450000320001000040110000c0000201c0000202$(printf '0%.0s' $(seq 1 60))
be_rx() { tp_cmd be "show port stats 0" >/dev/null; echo "$TP_OUT" | awk '/RX-packets:/ {print $2; exit}'; }
be_rx_is() { [ "$(be_rx)" = "$1" ]; }
base=$(be_rx)   # anything OVS flooded before the flows were replaced
for _ in $(seq 100); do ovs-ofctl packet-out br0 "in_port=LOCAL packet=$frame actions=output:1"; done
if await 10 be_rx_is $((base + 100)); then ok ovs_to_backend_100; else ko ovs_to_backend_100 "backend received $(($(be_rx) - base)) of 100"; fi

# backend -> vnetx -> OVS: 4 bursts of 32 from the backend (tx_first), counted
# by OVS on vx0 (stats refresh every second).
vx_rx() { $V get Interface vx0 statistics:rx_packets 2>/dev/null; }
vx_rx_is() { [ "$(vx_rx)" = "$1" ]; }
tp_cmd be "stop"
tp_cmd be "set fwd io"
base=$(vx_rx)
tp_cmd be "start tx_first 4"
tp_cmd be "stop"
if await 15 vx_rx_is $((base + 128)); then ok backend_to_ovs_128; else ko backend_to_ovs_128 "OVS counted $(($(vx_rx) - base)) of 128 on vx0"; fi

# Removing the port detaches the device and closes the connection.
$V del-port br0 vx0
if await 10 grep -q "has been removed and detached" "$run/vswitchd.log"; then ok del_port; else ko del_port "no detach in the OVS log"; fi
if grep -iE "vnetx.*(ERR|error)" "$run/vswitchd.log" | grep -v "connection .* lost" | grep -q .; then
    ko no_errors "$(grep -iE 'vnetx.*(ERR|error)' "$run/vswitchd.log" | head -3)"
else
    ok no_errors
fi
tp_quit be 20
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
