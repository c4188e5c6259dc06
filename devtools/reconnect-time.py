#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Time from a vhost-user backend (re)start to link up on a vnetx port.

A vnetx port in dpdk-testpmd (the frontend, -i, never forwarding) and DPDK's
net_vhost in a second dpdk-testpmd (the backend).  The backend is killed
(SIGKILL) and started again N times; every line either process prints is
timestamped as it arrives, and for each restart the script records:

  spawn->up   backend process started -> the frontend's LSC event (link up)
  sock->conn  the backend's socket is there (its "socket created" log line)
              -> vnetx logs the connection: how fast vnetx notices
  conn->up    connection -> LSC event: the vhost-user negotiation, mostly
              the backend's time to answer
  kill->down  SIGKILL -> the frontend's LSC event (link down)

After a kill the script removes the backend's stale socket, as a service
manager would (DPDK's vhost server refuses to bind over it).

Modes: client (vnetx connects, net_vhost listens) and server (vnetx
listens, net_vhost client=1 connects).  Prints medians, min and max in ms.

  devtools/reconnect-time.py --so build/drivers/net/vnetx/librte_net_vnetx.so \
      [--restarts 20] [--modes client,server] [--vnetx-args packed_vq=1]
"""
import argparse
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TESTPMD = os.environ.get("TESTPMD", "dpdk-testpmd")


class Proc:
    """A testpmd whose output lines are timestamped on arrival."""

    def __init__(self, name, args, log):
        self.name = name
        self.lines = queue.Queue()
        self.log = open(log, "w")
        self.p = subprocess.Popen(["stdbuf", "-oL", "-eL", TESTPMD] + args,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1,
                                  start_new_session=True)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            now = time.monotonic()
            self.log.write("%.6f %s" % (now, line))
            self.log.flush()
            self.lines.put((now, line))
        self.lines.put((time.monotonic(), None))

    def wait_line(self, pattern, timeout):
        """(time, line) of the next line containing @pattern."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("%s: no '%s' within %ss" % (self.name, pattern, timeout))
            try:
                t, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise RuntimeError("%s exited while waiting for '%s'" % (self.name, pattern))
            if pattern in line:
                return t, line

    def ready(self, timeout):
        """Wait until testpmd takes commands (its prompt has no newline:
        ask for something that has)."""
        self.p.stdin.write("show port info 0\n")
        self.p.stdin.flush()
        self.wait_line("Link status", timeout)

    def kill(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()

    def quit(self):
        if self.p.poll() is None:
            try:
                self.p.stdin.write("quit\n")
                self.p.stdin.flush()
                self.p.wait(timeout=20)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.kill()


def run_mode(mode, args, workdir):
    sock = os.path.join(workdir, "rt-%s.sock" % mode)
    if os.path.exists(sock):
        os.unlink(sock)
    vdev = "net_vnetx0,path=%s%s%s" % (sock, ",server=1" if mode == "server" else "",
                                      "," + args.vnetx_args if args.vnetx_args else "")
    fe_args = ["--lcores", "0@1,1@0", "--in-memory", "--single-file-segments", "--no-pci",
               "--file-prefix", "rtf%d" % os.getpid(), "-d", args.so, "--vdev", vdev,
               "--log-level", "pmd.net.vnetx.*:info", "--", "-i", "--disable-link-check"]
    be_vdev = "net_vhost0,iface=%s,queues=1%s" % (sock, ",client=1" if mode == "server" else "")
    be_args = ["--lcores", "0@0,1@1", "--in-memory", "--no-pci",
               "--file-prefix", "rtb%d" % os.getpid(), "--vdev", be_vdev, "--", "-i",
               "--disable-link-check"]
    # The backend's own log line saying its socket is there.
    sock_line = "vhost-user client: socket created" if mode == "server" else "vhost-user server: socket created"
    fe = Proc("frontend", fe_args, os.path.join(workdir, "%s.fe.log" % mode))
    res = {"spawn->up": [], "sock->conn": [], "conn->up": [], "kill->down": []}
    be = None
    try:
        fe.ready(60)
        for i in range(args.restarts + 1):
            t_spawn = time.monotonic()
            be = Proc("backend", be_args, os.path.join(workdir, "%s.be%d.log" % (mode, i)))
            t_sock, _ = be.wait_line(sock_line, 60)
            t_conn, _ = fe.wait_line("vhost-user backend connected", 30)
            t_up, _ = fe.wait_line("link state change event", 30)
            if i > 0:  # the first start is not a restart
                res["spawn->up"].append((t_up - t_spawn) * 1000)
                res["sock->conn"].append((t_conn - t_sock) * 1000)
                res["conn->up"].append((t_up - t_conn) * 1000)
            be.ready(60)
            t_kill = time.monotonic()
            be.kill()
            t_down, _ = fe.wait_line("link state change event", 30)
            res["kill->down"].append((t_down - t_kill) * 1000)
            be = None
            if mode == "client" and os.path.exists(sock):
                os.unlink(sock)
    finally:
        if be is not None:
            be.kill()
        fe.quit()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--so", default="build/drivers/net/vnetx/librte_net_vnetx.so")
    ap.add_argument("--restarts", type=int, default=20)
    ap.add_argument("--modes", default="client,server")
    ap.add_argument("--vnetx-args", default="")
    ap.add_argument("--logdir", default=None, help="keep the testpmd logs here")
    args = ap.parse_args()
    args.so = os.path.abspath(args.so)
    if not os.path.exists(args.so):
        sys.exit("no PMD at %s: build first (meson setup build && ninja -C build)" % args.so)
    workdir = args.logdir or tempfile.mkdtemp(prefix="vnetx-rt-")
    os.makedirs(workdir, exist_ok=True)
    print("reconnect-time: %d restarts per mode, vnetx args '%s', logs in %s"
          % (args.restarts, args.vnetx_args, workdir))
    print("| mode | measure | median ms | min ms | max ms | n |")
    print("|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        res = run_mode(mode, args, workdir)
        for k, v in res.items():
            print("| %s | %s | %.1f | %.1f | %.1f | %d |"
                  % (mode, k, statistics.median(v), min(v), max(v), len(v)), flush=True)


if __name__ == "__main__":
    main()
