#!/usr/bin/env python3
"""The hostile batch of issue 11.1: a 2 MB body of 650,000 empty objects sent to
`POST /predict/batch` (at most 256 items), PARALLEL at once, on 127.0.0.1. Prints each
answer's status and size and the server's RSS before, at its peak and after. Usage:

    huge_batch.py PORT PID [PARALLEL=1]
"""
import socket
import sys
import threading
import time

port, pid = int(sys.argv[1]), int(sys.argv[2])
parallel = int(sys.argv[3]) if len(sys.argv) > 3 else 1
body = b'{"items":[' + b",".join([b"{}"] * 650000) + b"]}"


def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


before = rss()
peak = [before]
stop = False


def watch():
    while not stop:
        peak[0] = max(peak[0], rss())
        time.sleep(0.002)


answers = []


def send():
    s = socket.create_connection(("127.0.0.1", port))
    head = b"POST /predict/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)
    s.sendall(head + body)
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    status, _, rest = data.partition(b"\r\n\r\n")
    answers.append((status.split(b"\r\n")[0].decode(), len(rest)))


watcher = threading.Thread(target=watch)
watcher.start()
clients = [threading.Thread(target=send) for _ in range(parallel)]
for c in clients:
    c.start()
for c in clients:
    c.join()
time.sleep(0.3)
stop = True
watcher.join()
print(f"{len(body) / 1e6:.1f} MB body x{parallel}: {answers}")
print(f"RSS {before:.0f} MB before, peak {peak[0]:.0f} MB (+{peak[0] - before:.0f} MB), {rss():.0f} MB after")
