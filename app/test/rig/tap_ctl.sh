#!/bin/bash
# Kernel-rig scenario "tap_ctl": the control side of vhost-kernel ports.
#  link: the port's link follows the tap (ip link set down/up): one LSC
#      event each, none at start, status down/up as shown by testpmd.
#  busy-poll: busy_poll_us=50 is taken by every ring (the port starts).
#  taps vnetx creates: deleted at close, kept with keep_iface=1 (but not
#      after a failed probe).
#  no permission: as user nobody, opening /dev/vhost-net and creating a tap
#      are refused by name; with descriptors a privileged manager opened
#      (vhostfd, tapfd) the same unprivileged testpmd runs, exact tx count.
#  bad input: a non-vhost character device, a single-queue tap with
#      queues=2, a tun (layer 3) device, a non-tun interface, a name too
#      long, packed_vq=1 (vhost-net offers no packed rings), wrong fd lists.
. "$(dirname "$0")/lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
tap_add rigvx0 10.99.0.1

# link
tp_run lsc io "net_vnetx0,path=/dev/vhost-net,iface=rigvx0" || fail "testpmd (lsc) did not start"
[ "$(tp_link)" = up ] || fail "link not up at start"
[ "$(grep -c "link state change event" "$TP_LOG")" -eq 0 ] || fail "an event at start"
$IP link set rigvx0 down
tp_wait "link state change event" 1 || fail "no event after ip link set down"
[ "$(tp_link)" = down ] || fail "link not down after ip link set down"
$IP link set rigvx0 up
tp_wait "link state change event" 2 || fail "no event after ip link set up"
[ "$(tp_link)" = up ] || fail "link not up after ip link set up"
tp_cmd "port stop 0"
tp_wait "Stopping ports" 1
[ "$(tp_link)" = down ] || fail "link not down after port stop"
tp_cmd "port start 0"
[ "$(tp_link)" = up ] || fail "link not up after port start"
tp_quit
n=$(grep -c "link state change event" "$TP_LOG")
[ "$n" -eq 2 ] || fail "$n link events, expected 2 (tap down, tap up)"
echo "link: up at start, down/up with the tap, 2 events, none for port stop/start"

# busy-poll: the port starts only if every ring took the timeout.
tp_run busypoll io "net_vnetx0,path=/dev/vhost-net,iface=rigvx0,busy_poll_us=50" ||
	fail "testpmd (busypoll) did not start"
[ "$(tp_link)" = up ] || fail "busy_poll_us=50: link not up"
tp_quit
grep -q "tap rigvx0, 1 queue(s), busy-poll 50 us" "$TP_LOG" || fail "busy_poll_us=50 not applied (busypoll.log)"
grep -q "Fail to start port" "$TP_LOG" && fail "port with busy_poll_us=50 did not start (busypoll.log)"
echo "busy-poll: port started with busy_poll_us=50, link up"

# taps vnetx creates
tp_run create io "net_vnetx0,path=/dev/vhost-net,iface=rignew0" || fail "testpmd (create) did not start"
[ -d /sys/class/net/rignew0 ] || fail "rignew0 not created"
tp_quit
[ -d /sys/class/net/rignew0 ] && fail "rignew0 still there after close"
tp_run keep io "net_vnetx0,path=/dev/vhost-net,iface=rignew1,keep_iface=1" || fail "testpmd (keep) did not start"
tp_quit
[ -d /sys/class/net/rignew1 ] || fail "rignew1 gone despite keep_iface=1"
$IP link del rignew1
echo "created taps: rignew0 deleted at close, rignew1 kept (keep_iface=1)"

# no permission, then descriptors from a manager
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
# The build may sit where nobody cannot read (/root/...): a root-owned copy
# of the PMD in the guest's /run (EAL refuses plugins under a world-writable
# directory, as the guest's tmpfs mounts are).
chmod 0755 /run && mkdir -m 0755 /run/rigso && cp "$SO" /run/rigso/ &&
	chmod 0644 /run/rigso/librte_net_vnetx.so || fail "copy the PMD"
EAL=(-l 0,1 --no-pci --no-huge -m 256 --iova-mode=va -d /run/rigso/librte_net_vnetx.so
	--log-level "pmd.net.vnetx.*:info")
TP_WRAP=("${NOBODY[@]}")
refused noperm_vhost "Permission denied (needs read/write access, or pass vhostfd)" \
	"net_vnetx0,path=/dev/vhost-net,iface=rigvx0"
chmod 0666 /dev/vhost-net /dev/net/tun   # as distributions ship /dev/net/tun
refused noperm_tap "TUNSETIFF: Operation not permitted: creating a tap.*needs CAP_NET_ADMIN" \
	"net_vnetx0,path=/dev/vhost-net,iface=rigvxnp0"
chmod 0600 /dev/vhost-net /dev/net/tun
# The manager (root) opens /dev/vhost-net and a queue of a new tap, brings
# it up, then runs testpmd as nobody with the two descriptors.
cat >/tmp/fdmgr.py <<'PY'
import fcntl, os, struct, subprocess, sys
TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
v = os.open("/dev/vhost-net", os.O_RDWR)
t = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(t, TUNSETIFF, struct.pack("16sH22x", b"rigvxfd0", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
subprocess.run(["ip", "link", "set", "rigvxfd0", "up"], check=True)
subprocess.run(["sysctl", "-qw", "net.ipv6.conf.rigvxfd0.disable_ipv6=1"], check=True)
n = os.open("/dev/null", os.O_RDWR)
for fd in (v, t, n):
    os.set_inheritable(fd, True)
args = [a.replace("@V", str(v)).replace("@T", str(t)).replace("@N", str(n)) for a in sys.argv[1:]]
os.execvp(args[0], args)
PY
TP_WRAP=(python3 /tmp/fdmgr.py "${NOBODY[@]}")
tp_run fds txonly "net_vnetx0,path=/dev/vhost-net,vhostfd=@V,tapfd=@T" || fail "testpmd (fds) did not start: $(tail -5 "$RIG_OUT/fds.log")"
b=$(tapstat rigvxfd0 rx_packets)
tp_cmd start; sleep 3; tp_cmd stop
tp_wait "Forward statistics for port 0" 1 || fail "fds: no statistics"
sleep 0.5
sent=$(port_stat "$TP_LOG" TX-packets)
b=$(( $(tapstat rigvxfd0 rx_packets) - b ))
tp_quit
echo "fds: unprivileged testpmd (uid 65534) sent ${sent:-?}, tap rx_packets +$b"
[ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" -eq "$b" ] || fail "fds: sent ${sent:-?} != tap +$b"
grep -q "tap rigvxfd0 (ifindex [0-9]*, from tapfd)" "$RIG_OUT/fds.log" || fail "fds: tap not taken from tapfd"
refused fds_count "has 2 descriptor(s): queues=1 needs 1, one per queue pair" \
	"net_vnetx0,path=/dev/vhost-net,vhostfd=@V,tapfd=@T:@T"
refused fds_notap "devarg tapfd: descriptor [0-9]* is not an attached tap queue" \
	"net_vnetx0,path=/dev/vhost-net,vhostfd=@V,tapfd=@N"
refused fds_novhost "devarg vhostfd: descriptor [0-9]* is not an open of /dev/vhost-net" \
	"net_vnetx0,path=/dev/vhost-net,vhostfd=@N,tapfd=@T"
refused fds_stdio "devarg vhostfd: descriptor 2 is standard input, output or error: refused" \
	"net_vnetx0,path=/dev/vhost-net,vhostfd=2,tapfd=@T"
refused fds_shared "devargs vhostfd/tapfd name descriptor [0-9]* twice" \
	"net_vnetx0,path=/dev/vhost-net,vhostfd=@V,tapfd=@V"
refused fds_dup "devargs vhostfd/tapfd name descriptor [0-9]* twice" \
	"net_vnetx0,path=/dev/vhost-net,queues=2,vhostfd=@V:@V,tapfd=@T:@N"
TP_WRAP=()
EAL=(-l 0,1 --no-pci --in-memory --single-file-segments -d "$SO" --log-level "pmd.net.vnetx.*:info")

# bad input
refused notvhost "not a vhost device" "net_vnetx0,path=/dev/null"
refused sq "iface=rigvx0 is a single-queue tap: queues=2 needs a multi-queue tap" \
	"net_vnetx0,path=/dev/vhost-net,iface=rigvx0,queues=2"
$IP tuntap add dev rigtun0 mode tun
refused tun "iface=rigtun0 is a tun (layer 3) device" "net_vnetx0,path=/dev/vhost-net,iface=rigtun0"
refused notap "iface=lo names an interface that is not a tun/tap device" "net_vnetx0,path=/dev/vhost-net,iface=lo"
refused longname "devarg iface='a-name-longer-than-15' invalid" "net_vnetx0,path=/dev/vhost-net,iface=a-name-longer-than-15"
refused packed "packed_vq=1 but the backend does not offer VIRTIO_F_RING_PACKED" "net_vnetx0,path=/dev/vhost-net,iface=rignew2,keep_iface=1,packed_vq=1"
[ -d /sys/class/net/rignew2 ] && fail "a failed probe with keep_iface=1 left its tap rignew2"
refused both "iface and tapfd exclude each other" "net_vnetx0,path=/dev/vhost-net,iface=rigvx0,tapfd=3"
echo "PASS"
