#!/usr/bin/env python3
"""Slowloris and idle connections against a ferrapi app on 127.0.0.1 (issue 11.2).

Opens IDLE connections that send nothing and SLOW ones that trickle a request head one
byte a second, then times normal requests on fresh connections while they are open, and
reports when the server closed the hostile ones. Usage:

    slowloris.py PORT [IDLE=2000] [SLOW=200] [PATH=/health/live]
"""
import asyncio
import resource
import sys
import time

PORT = int(sys.argv[1])
IDLE = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
SLOW = int(sys.argv[3]) if len(sys.argv) > 3 else 200
PATH = sys.argv[4] if len(sys.argv) > 4 else "/health/live"
HOST = "127.0.0.1"


async def wait_closed(reader, opened, closed_at):
    try:
        while await reader.read(1024):
            pass
    except (ConnectionError, OSError):
        pass
    closed_at.append(time.monotonic() - opened)


async def slow(opened, closed_at):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    watcher = asyncio.ensure_future(wait_closed(reader, opened, closed_at))
    try:
        writer.write(f"GET {PATH} HTTP/1.1\r\nHost: x\r\n".encode())
        for _ in range(120):
            await asyncio.sleep(1)
            if watcher.done():
                break
            writer.write(b"X")
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    await watcher


async def idle(opened, closed_at):
    reader, _writer = await asyncio.open_connection(HOST, PORT)
    await wait_closed(reader, opened, closed_at)


async def normal():
    started = time.monotonic()
    reader, writer = await asyncio.open_connection(HOST, PORT)
    writer.write(f"GET {PATH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    data = await reader.read()
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
    writer.close()
    return time.monotonic() - started


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    opened = time.monotonic()
    idle_closed, slow_closed = [], []
    tasks = [asyncio.ensure_future(idle(opened, idle_closed)) for _ in range(IDLE)]
    tasks += [asyncio.ensure_future(slow(opened, slow_closed)) for _ in range(SLOW)]
    await asyncio.sleep(1.0)
    latencies = []
    for _ in range(200):
        latencies.append(await normal())
        await asyncio.sleep(0.01)
    print(f"{IDLE} idle + {SLOW} slowloris open; 200 normal requests on fresh connections:")
    print(f"  p50 {pct(latencies, .5)*1000:.1f} ms  p99 {pct(latencies, .99)*1000:.1f} ms  max {max(latencies)*1000:.1f} ms")
    done, pending = await asyncio.wait(tasks, timeout=60)
    if pending:
        print(f"  {len(pending)} hostile connections still open after 60 s")
    for name, xs in (("idle", idle_closed), ("slowloris", slow_closed)):
        if xs:
            print(f"  {name}: {len(xs)} closed by the server, after {min(xs):.1f}-{max(xs):.1f} s")


asyncio.run(main())
