#!/usr/bin/env python3
"""Wrong-password logins against a ferrapi app on 127.0.0.1 (issue 11.5).

Keeps CONCURRENCY wrong-password logins in flight for SECONDS, each from its own loopback
address (127.x.y.z, so a per-address rate limit does not hide the hashing cost), while
timing GET /health/live; prints its latency percentiles and the server's RSS before,
during and after. Usage:

    login_flood.py PORT PID [CONCURRENCY=32] [SECONDS=10] [PATH=/token]
"""
import asyncio
import itertools
import sys
import time

PORT, PID = int(sys.argv[1]), int(sys.argv[2])
CONCURRENCY = int(sys.argv[3]) if len(sys.argv) > 3 else 32
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 10
PATH = sys.argv[5] if len(sys.argv) > 5 else "/token"
BODY = b"username=alice&password=not-the-password"
sources = (f"127.{a}.{b}.{c}" for a, b, c in itertools.product(range(1, 250), range(256), range(1, 255)))


def rss_mb():
    for line in open(f"/proc/{PID}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def request(raw, source=None):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT, local_addr=(source, 0) if source else None)
    writer.write(raw)
    data = await reader.read()
    writer.close()
    return data.split(b" ", 2)[1]


async def attacker(stop, statuses):
    raw = (f"POST {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
           f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(BODY)}\r\n\r\n").encode() + BODY
    while time.monotonic() < stop:
        status = await request(raw, next(sources))
        statuses[status] = statuses.get(status, 0) + 1


async def main():
    health = b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    before = rss_mb()
    stop = time.monotonic() + SECONDS
    statuses = {}
    attackers = [asyncio.ensure_future(attacker(stop, statuses)) for _ in range(CONCURRENCY)]
    latencies, peak = [], before
    while time.monotonic() < stop:
        t = time.monotonic()
        assert await request(health) == b"200"
        latencies.append(time.monotonic() - t)
        peak = max(peak, rss_mb())
        await asyncio.sleep(0.02)
    await asyncio.gather(*attackers)
    await asyncio.sleep(2)
    after = rss_mb()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
    print(f"{CONCURRENCY} concurrent wrong-password logins for {SECONDS:.0f} s: {statuses}")
    print(f"  /health/live: {len(latencies)} requests, p50 {p(.5):.1f} ms, p99 {p(.99):.1f} ms, max {latencies[-1]*1000:.1f} ms")
    print(f"  RSS: {before:.0f} MB before, {peak:.0f} MB peak, {after:.0f} MB 2 s after")


asyncio.run(main())
