#!/usr/bin/env python3
# Endpoints for the kernel-rig exception-path scenarios (exception.sh,
# exception_bench.sh), run in the namespaces on either side of testpmd.
#
#  xfer.py tcp-recv READY PORT [--hash]
#      accept one connection on PORT, read to EOF; prints
#      "bytes N sha256 H seconds S" (H is "-" without --hash).  READY is a
#      file written once the socket listens (what the caller waits for).
#  xfer.py tcp-send HOST PORT BYTES [--hash]
#      connect and send BYTES bytes of a pseudo-random stream (a 1000003-byte
#      random block repeated: no segment of 1448 bytes lines up with its
#      period, so a misplaced segment changes the sum); prints the same line.
#  xfer.py udp-echo READY PORT
#      echo every datagram back to its sender, until killed.
#  xfer.py udp-check HOST PORT COUNT
#      COUNT datagrams of sizes 1..1472 (cycling, each with its sequence
#      number and a payload derived from it), one at a time, each until its
#      echo comes back (up to 5 tries of 2 s: UDP may lose one); an echo
#      whose content differs from what was sent fails at once.  Prints
#      "udp sent N verified N retries R bytes B".
# Exit 0 when done; 1 on any error or mismatch (with the reason on stderr).
import hashlib
import os
import socket
import struct
import sys
import time

BLOCK = 1000003
CHUNK = 1 << 18


def fail(msg):
    print(f"xfer: {msg}", file=sys.stderr)
    sys.exit(1)


def ready(path):
    with open(path + ".tmp", "w") as f:
        f.write(f"{os.getpid()}\n")
    os.rename(path + ".tmp", path)


def tcp_recv(readyf, port, want_hash):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(1)
    ready(readyf)
    c, _ = ls.accept()
    h = hashlib.sha256() if want_hash else None
    buf = bytearray(CHUNK)
    mv = memoryview(buf)
    n = 0
    t0 = time.monotonic()
    while True:
        k = c.recv_into(buf)
        if k == 0:
            break
        if h:
            h.update(mv[:k])
        n += k
    secs = time.monotonic() - t0
    c.close()
    print(f"bytes {n} sha256 {h.hexdigest() if h else '-'} seconds {secs:.3f}")


def tcp_send(host, port, total, want_hash):
    block = os.urandom(BLOCK)
    data = memoryview(block + block[:CHUNK])
    h = hashlib.sha256() if want_hash else None
    s = socket.create_connection((host, port), timeout=120)
    off = sent = 0
    t0 = time.monotonic()
    while sent < total:
        k = min(CHUNK, total - sent)
        piece = data[off:off + k]
        s.sendall(piece)
        if h:
            h.update(piece)
        sent += k
        off = (off + k) % BLOCK
    s.shutdown(socket.SHUT_WR)
    # EOF from the peer: it read everything.
    while s.recv(4096):
        pass
    secs = time.monotonic() - t0
    s.close()
    print(f"bytes {sent} sha256 {h.hexdigest() if h else '-'} seconds {secs:.3f}")


def payload(seq, size):
    seed = hashlib.sha256(struct.pack("!I", seq)).digest()
    body = (seed * (size // len(seed) + 1))[:max(size - 4, 0)]
    return (struct.pack("!I", seq) + body)[:size]


def udp_echo(readyf, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    ready(readyf)
    while True:
        d, a = s.recvfrom(65535)
        s.sendto(d, a)


def udp_check(host, port, count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2.0)
    retries = verified = nbytes = 0
    for seq in range(count):
        size = 4 + seq * 37 % 1469  # 4..1472
        p = payload(seq, size)
        for _ in range(5):
            s.sendto(p, (host, port))
            try:
                while True:
                    d, _ = s.recvfrom(65535)
                    if len(d) >= 4 and struct.unpack("!I", d[:4])[0] < seq:
                        continue  # a late echo of an earlier try
                    break
            except socket.timeout:
                retries += 1
                continue
            if d != p:
                fail(f"udp datagram {seq} ({size} B): the echo differs "
                     f"({len(d)} B, first difference at byte "
                     f"{next((i for i in range(min(len(d), size)) if d[i] != p[i]), min(len(d), size))})")
            verified += 1
            nbytes += size
            break
        else:
            fail(f"udp datagram {seq}: no echo after 5 tries")
    print(f"udp sent {count} verified {verified} retries {retries} bytes {nbytes}")


def main():
    a = sys.argv[1:]
    if not a:
        fail("usage: see the header")
    hashed = "--hash" in a
    a = [x for x in a if x != "--hash"]
    if a[0] == "tcp-recv":
        tcp_recv(a[1], int(a[2]), hashed)
    elif a[0] == "tcp-send":
        tcp_send(a[1], int(a[2]), int(a[3]), hashed)
    elif a[0] == "udp-echo":
        udp_echo(a[1], int(a[2]))
    elif a[0] == "udp-check":
        udp_check(a[1], int(a[2]), int(a[3]))
    else:
        fail(f"unknown mode {a[0]}")


if __name__ == "__main__":
    main()
