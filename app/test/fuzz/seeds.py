#!/usr/bin/env python3
# Seed corpora of the fuzz targets: a few well-formed inputs each, in the
# encoding the target reads (see the comments of each target), so the
# fuzzer starts from deep states instead of having to find them.  The
# committed corpora (app/test/fuzz/corpus/) hold these (seed-*), regression
# inputs (regress-*) and the merged finds of longer runs (sha1 names):
#   vnetx-fuzz-T -merge=1 NEW app/test/fuzz/corpus/T build-fuzz/corpus/T
# Usage: seeds.py OUT_DIR   (writes OUT_DIR/<target>/seed-*)
import os
import struct
import sys

out = sys.argv[1]


def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(bytes(data))


# ---- devargs: strings
for i, s in enumerate([
    "path=/tmp/vhost.sock",
    "path=/tmp/s.sock,mac=02:00:00:00:00:01,queue_size=1024,mrg_rxbuf=0,cq=1,packed_vq=1,"
    "in_order=1,server=1,reconnect_ms=0,socket_mode=0660,speed=25000",
    "path=/dev/vhost-net,iface=vx0,queues=2,keep_iface=1,busy_poll_us=50",
    "path=/dev/vhost-net,vhostfd=3:4,tapfd=5:6,queues=2",
    "path=/x,queues=1024,queue_size=16,vectorized=0",
]):
    write("devargs", str(i), s.encode())

# ---- datapath: cfg byte, then steps (vnetx_fuzz_datapath.c)
TAKE, COMPLETE, RX, TX, SUPPR, SCRIBBLE = range(6)


def step(kind, rx):
    return [(kind << 1) | (1 if rx else 0)]


def rx_script(n, mrg):
    s = step(TAKE, True)
    if mrg:
        # a 2-buffer frame (header says 2), then single ones
        s += step(COMPLETE, True) + [n - 1] + [0x06, 2, 0x00] + [0x06, 1] * (n - 2) + [0]
    else:
        s += step(COMPLETE, True) + [n - 1] + [0x00] * n + [0]
    s += step(RX, True) + [0x3f]
    return s


def tx_script():
    s = step(TX, False) + [3, 0x00, 0x02, 0x08, 0x04]
    s += step(TAKE, False)
    s += step(COMPLETE, False) + [3, 0x00, 0x08, 0x00, 0x00, 0]
    s += step(TX, False) + [0, 0x01]
    return s


for cfg_name, cfg in [("split", 0), ("packed", 1), ("split-inorder", 2), ("packed-inorder", 3)]:
    for mrg in (False, True):
        c = cfg | (4 if mrg else 0) | (2 << 3)  # 64 entries
        write("datapath", f"{cfg_name}-{'mrg' if mrg else 'plain'}",
              [c] + rx_script(4, mrg) + tx_script() + rx_script(6, mrg))
# packed rings that are not a power of two (f_ring_size: (cfg >> 3) = 7q + k
# picks 16 << k, then q = 1: +1, 2: -1): 255 (k 4, q 2) and 1025 (k 6, q 1)
for ring_name, v in [("255", 7 * 2 + 4), ("1025", 7 * 1 + 6)]:
    for io in (0, 2):
        for mrg in (False, True):
            c = (1 | io | (4 if mrg else 0) | (v << 3)) & 0xff
            write("datapath", f"packed{ring_name}{'-inorder' if io else ''}-{'mrg' if mrg else 'plain'}",
                  [c] + rx_script(4, mrg) + tx_script() + rx_script(6, mrg))
# the vector rx bursts: split rings with an odd quotient ((cfg >> 3) = 7 + k:
# 64 entries, q 1), in order or not, mergeable or not, with longer scripts
# (groups of four)
for io in (0, 2):
    for mrg in (False, True):
        c = (io | (4 if mrg else 0) | ((7 * 1 + 2) << 3)) & 0xff
        write("datapath", f"split-vector{'-inorder' if io else ''}-{'mrg' if mrg else 'plain'}",
              [c] + rx_script(8, mrg) + tx_script() + rx_script(12, mrg) + rx_script(16, mrg))
# garbage ids and an index jump, on a 16-entry split ring
write("datapath", "garbage", [0x00] + step(TAKE, True) + step(COMPLETE, True) +
      [1, 0x07, 0xff, 0x7f, 0x40, 0x00, 0x00, 0xf5, 0x10, 0x00] + step(RX, True) + [8])

# ---- cvq: cfg, ndesc, 64 command bytes, descriptors, avail (vnetx_fuzz_cvq.c)
NEXT, WRITE, AVAIL = 1, 2, 0x80
buf = [0, 0, 1] + [0] * 61          # RX PROMISC on


def cvq_split():
    d = []
    for off, ln, fl, nx in [(0, 2, NEXT, 1), (2, 1, NEXT, 2), (3, 1, WRITE, 0)]:
        d += [0] + list(struct.pack("<H", off)) + [ln] + list(struct.pack("<H", fl)) + \
             list(struct.pack("<H", nx)) + list(struct.pack("<H", 0))
    return [0, 3] + buf + d + [1]


def cvq_packed():
    d = []
    for off, ln, fl in [(0, 2, NEXT), (2, 1, NEXT), (3, 1, WRITE)]:
        d += [0] + list(struct.pack("<H", off)) + [ln] + list(struct.pack("<H", fl | AVAIL)) + \
             list(struct.pack("<H", 0))
    return [1, 3] + buf + d + [3]


write("cvq", "split", cvq_split())
write("cvq", "packed", cvq_packed())

# ---- user_msg: flags, attach mask, request selectors, backend bytes
def reply(req, payload):
    return list(struct.pack("<III", req, 0x5, len(payload))) + list(payload)


write("user_msg", "get", [1 << 1, 0, 0] + reply(1, struct.pack("<Q", 1 << 32)))
write("user_msg", "ack-and-base", [1 | (2 << 1), 0x02, 1, 2] + reply(2, struct.pack("<Q", 0)) +
      reply(11, struct.pack("<II", 0, 5)))
write("user_msg", "bad-size", [1 << 1, 0, 0] + list(struct.pack("<III", 1, 0x5, 4)) + [0] * 4)


# vdpa: /proc/devices text, NUL, then features (8, big-endian),
# max_virtqueue_pairs (2), ring count (8), a packed base (8), an IOVA range
# first/last (8 + 8) and a region iova/size (8 + 8).
def be64(v):
    return struct.pack(">Q", v)


devices = b"Character devices:\n  1 mem\n 10 misc\n511 vhost-vdpa\n\nBlock devices:\n  8 sd\n"
write("vdpa", "mq", devices + b"\0" + be64(1 << 22) + struct.pack(">H", 4) + be64(9) +
      be64(0x80008000) + be64(0) + be64((1 << 48) - 1) + be64(0x7f0000000000) + be64(1 << 30))
write("vdpa", "single", b"Character devices:\n  1 mem\n\0" + be64(0) + struct.pack(">H", 1) +
      be64(2) + be64(0) + be64(0x1000) + be64(0xffff) + be64(0xf000) + be64(0x1000))
