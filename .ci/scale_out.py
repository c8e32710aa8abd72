"""Three instances each of the shop and the chat behind haproxy, on one PostgreSQL and one
Redis, all on 127.0.0.1 (issue 14.5). Usage:

    scale_out.py PG_URL REDIS_URL TARGET_DIR [--measure]

Checks: chat messages cross instances; 100 concurrent last-unit orders through the balancer
give exactly one 201; an order retried with one Idempotency-Key is created once; SIGKILL of
an instance during a stream of orders loses no acknowledged order and the balancer routes
around it; SIGTERM of another drops no in-flight request. With --measure, also prints shop
orders/s and chat messages/s with one instance and with three behind the balancer.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from websockets.sync.client import connect as ws_connect

PG_URL, REDIS_URL, TARGET = sys.argv[1], sys.argv[2], sys.argv[3]
MEASURE = "--measure" in sys.argv
DEADLINE = time.time() + 300
procs = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_http(port, path, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answers 200 on {port}{path}")


def start(binary, port, env):
    full = dict(os.environ, RUST_LOG="warn", **env)
    p = subprocess.Popen(
        [os.path.join(TARGET, binary), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=full,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(p)
    return p


def request(port, method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body) if not isinstance(body, str) else body
        h.setdefault("content-type", "application/json")
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    text = r.read()
    c.close()
    try:
        return r.status, json.loads(text) if text else None
    except ValueError:
        return r.status, text


def token(port, user, pw):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", "/token", body=f"username={user}&password={pw}",
              headers={"content-type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    body = json.loads(r.read())
    assert r.status == 200, body
    return body["access_token"]


def haproxy_config(shop_front, shop_ports, chat_front, chat_ports):
    def servers(ports, prefix):
        return "\n".join(
            f"    server {prefix}{i} 127.0.0.1:{p} check inter 250ms fall 2 rise 2"
            for i, p in enumerate(ports)
        )
    return f"""
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout tunnel 1h
    retries 3
    option redispatch
    retry-on conn-failure empty-response response-timeout
frontend shop
    bind 127.0.0.1:{shop_front}
    default_backend shop
backend shop
    balance roundrobin
    option forwardfor
    option httpchk GET /health/ready
    http-request wait-for-body time 2s
{servers(shop_ports, "shop")}
frontend chat
    bind 127.0.0.1:{chat_front}
    default_backend chat
backend chat
    balance roundrobin
    option httpchk GET /rooms
{servers(chat_ports, "chat")}
"""


def main():
    env_common = {
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "JWT_SECRET": "scale-out-test-secret-" + uuid.uuid4().hex,
        "DRAIN_SECONDS": "2",
        "BEHIND_PROXY": "1",
    }
    shop_ports = [free_port() for _ in range(3)]
    chat_ports = [free_port() for _ in range(3)]
    shops = [start("shop", p, env_common) for p in shop_ports]
    chats = [start("chat", p, env_common) for p in chat_ports]
    for p in shop_ports:
        wait_http(p, "/health/ready")
    for p in chat_ports:
        wait_http(p, "/rooms")
    shop_front, chat_front = free_port(), free_port()
    cfg = tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False)
    cfg.write(haproxy_config(shop_front, shop_ports, chat_front, chat_ports))
    cfg.close()
    hap = subprocess.Popen(["haproxy", "-f", cfg.name], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    procs.append(hap)
    wait_http(shop_front, "/health/ready")
    wait_http(chat_front, "/rooms")
    print(f"3 shops {shop_ports}, 3 chats {chat_ports}, haproxy :{shop_front} :{chat_front}")

    # 1. Chat across instances.
    members = []
    for i, port in enumerate(chat_ports):
        ws = ws_connect(f"ws://127.0.0.1:{port}/ws/scale?name=m{i}", open_timeout=10)
        members.append(ws)
        # Own join, then the joins of those who come later.
        assert json.loads(ws.recv(timeout=10))["name"] == f"m{i}"
    for i, ws in enumerate(members[:-1]):
        seen = {json.loads(ws.recv(timeout=10))["name"] for _ in range(len(members) - 1 - i)}
        assert seen == {f"m{j}" for j in range(i + 1, len(members))}, seen
    via_lb = ws_connect(f"ws://127.0.0.1:{chat_front}/ws/scale?name=lb", open_timeout=10)
    assert json.loads(via_lb.recv(timeout=10))["name"] == "lb"
    for ws in members:
        assert json.loads(ws.recv(timeout=10))["name"] == "lb"
    members[0].send(json.dumps({"text": "hello from instance 0"}))
    for ws in members + [via_lb]:
        ev = json.loads(ws.recv(timeout=10))
        assert ev == {"type": "message", "room": "scale", "name": "m0",
                      "text": "hello from instance 0"}, ev
    status, rooms = request(chat_ports[2], "GET", "/rooms")
    assert rooms == [{"room": "scale", "members": 4}], rooms
    for ws in members + [via_lb]:
        ws.close()
    print("ok: a chat message sent to instance A reached members on B, C and through haproxy")

    # 2. 100 concurrent orders for the last unit, through the balancer.
    admin = token(shop_front, "admin", "change-me")
    alice = token(shop_front, "alice", "wonderland")
    auth = {"authorization": f"Bearer {alice}"}
    status, product = request(shop_front, "POST", "/products",
                              {"name": "Last one", "price": 5, "stock": 1},
                              {"authorization": f"Bearer {admin}"})
    assert status == 201, product
    pid = product["id"]

    def order(_):
        return request(shop_front, "POST", "/orders",
                       {"items": [{"product_id": pid, "quantity": 1}]}, auth)[0]
    with ThreadPoolExecutor(100) as pool:
        codes = list(pool.map(order, range(100)))
    assert codes.count(201) == 1 and codes.count(409) == 99, sorted(codes)
    print("ok: 100 concurrent last-unit orders over 3 instances: one 201, 99 409")

    # 3. One idempotency key, retried through the balancer (round robin: every instance).
    status, product = request(shop_front, "POST", "/products",
                              {"name": "Plenty", "price": 2, "stock": 100000},
                              {"authorization": f"Bearer {admin}"})
    big = product["id"]
    before = request(shop_front, "GET", "/orders?limit=1", headers=auth)[1]["total"]
    key = {"idempotency-key": str(uuid.uuid4()), **auth}
    body = {"items": [{"product_id": big, "quantity": 1}]}
    ids = {request(shop_front, "POST", "/orders", body, key)[1]["id"] for _ in range(6)}
    after = request(shop_front, "GET", "/orders?limit=1", headers=auth)[1]["total"]
    assert len(ids) == 1 and after == before + 1, (ids, before, after)
    print("ok: an order retried 6 times with one Idempotency-Key was created once")

    # Password guessing is counted once for all instances (Redis) per client address (the
    # X-Forwarded-For haproxy writes; the one a client sends does not help it): 10 a
    # minute whichever instance answers, two of them used by the logins above.
    def guess(_):
        c = http.client.HTTPConnection("127.0.0.1", shop_front, timeout=10)
        c.request("POST", "/token", body="username=alice&password=wrong",
                  headers={"content-type": "application/x-www-form-urlencoded",
                           "x-forwarded-for": "198.51.100.7"})
        return c.getresponse().status
    codes = [guess(i) for i in range(12)]
    answered = codes.count(401)
    assert 8 <= answered <= 9 and codes == [401] * answered + [429] * (12 - answered), codes
    print(f"ok: 12 password guesses spread over 3 instances: {answered} answered, then 429")

    # 4. SIGKILL during a stream of orders: every acknowledged order exists afterwards; a
    # client retries a failed attempt with the same key, as idempotency keys are for.
    acked, failures, stop = [], [], threading.Event()
    orders_before = request(shop_ports[2], "GET", "/orders?limit=1", headers=auth)[1]["total"]

    def stream(n):
        while not stop.is_set():
            k = {"idempotency-key": str(uuid.uuid4()), **auth}
            for attempt in range(20):
                try:
                    s, o = request(shop_front, "POST", "/orders", body, k, timeout=5)
                except OSError as e:
                    failures.append(repr(e))
                    continue
                if s == 201:
                    acked.append(o["id"])
                    break
                failures.append(s)
                time.sleep(0.05)
    threads = [threading.Thread(target=stream, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    killed_at = len(acked)
    shops[0].send_signal(signal.SIGKILL)
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) > killed_at + 20, "orders stopped after the kill"
    missing = [i for i in acked
               if request(shop_ports[1], "GET", f"/orders/{i}", headers=auth)[0] != 200]
    assert not missing, f"acknowledged orders lost: {missing[:10]}"
    assert len(set(acked)) == len(acked), "two attempts answered one order"
    orders_after = request(shop_ports[2], "GET", "/orders?limit=1", headers=auth)[1]["total"]
    assert orders_after - orders_before == len(acked), (
        f"{orders_after - orders_before} orders stored for {len(acked)} attempts")
    print(f"ok: SIGKILL of one instance during {len(acked)} orders: none lost, "
          f"{len(failures)} attempts retried by the client ({set(map(str, failures))})")

    # 5. SIGTERM (drain 2 s) on another instance during a stream: no request fails, with no
    # client retry at all.
    time.sleep(1)  # haproxy has marked the killed one down
    results, stop = [], threading.Event()

    def steady():
        while not stop.is_set():
            try:
                results.append(request(shop_front, "POST", "/orders", body, auth, timeout=10)[0])
            except OSError as e:
                results.append(repr(e))
    threads = [threading.Thread(target=steady) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1)
    shops[1].send_signal(signal.SIGTERM)
    code = shops[1].wait(timeout=30)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    bad = [r for r in results if r != 201]
    assert not bad, f"{len(bad)} of {len(results)} requests failed during SIGTERM: {bad[:5]}"
    assert code == 0, f"the instance exited with {code}"
    print(f"ok: SIGTERM of a second instance during {len(results)} orders: none failed, "
          "it exited 0")

    if MEASURE:
        measure(shop_front, chat_front, shop_ports, chat_ports, env_common, alice, big)


def wrk_orders(port, tok, product, seconds=10):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(
        'wrk.method = "POST"\n'
        f'wrk.headers["authorization"] = "Bearer {tok}"\n'
        'wrk.headers["content-type"] = "application/json"\n'
        f'wrk.body = \'{{"items": [{{"product_id": {product}, "quantity": 1}}]}}\'\n')
    script.close()
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", script.name,
                          f"http://127.0.0.1:{port}/orders"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise SystemExit(out)


def chat_rate(ports, seconds=5):
    """Messages/s delivered: a sender and a listener on each of `ports` (a port may repeat:
    three clients of each on one instance), all in one room."""
    room = "bench" + uuid.uuid4().hex[:6]
    listeners = [ws_connect(f"ws://127.0.0.1:{p}/ws/{room}?name=l{i}")
                 for i, p in enumerate(ports)]
    senders = [ws_connect(f"ws://127.0.0.1:{p}/ws/{room}?name=s{i}")
               for i, p in enumerate(ports)]
    time.sleep(0.5)
    counts = [0] * len(listeners)
    stop = threading.Event()

    def listen(i, ws):
        while not stop.is_set():
            try:
                if json.loads(ws.recv(timeout=0.5)).get("type") == "message":
                    counts[i] += 1
            except TimeoutError:
                pass

    def send(ws):
        while not stop.is_set():
            ws.send('{"text": "x"}')
            time.sleep(0.001)
    threads = [threading.Thread(target=listen, args=(i, ws)) for i, ws in enumerate(listeners)]
    threads += [threading.Thread(target=send, args=(ws,)) for ws in senders]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def measure(shop_front, chat_front, shop_ports, chat_ports, env, tok, product):
    # Only instance 3 of each is left for the shop: start two fresh ones.
    fresh = [free_port(), free_port()]
    for p in fresh:
        start("shop", p, env)
        wait_http(p, "/health/ready")
    one = wrk_orders(fresh[0], tok, product)
    cfg = tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False)
    front, cfront = free_port(), free_port()
    cfg.write(haproxy_config(front, [shop_ports[2]] + fresh, cfront, chat_ports))
    cfg.close()
    procs.append(subprocess.Popen(["haproxy", "-f", cfg.name], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL))
    wait_http(front, "/health/ready")
    three = wrk_orders(front, tok, product)
    print(f"measure: shop orders/s: one instance {one:.0f}, three behind haproxy {three:.0f} "
          f"(ratio {three / one:.2f}; wrk -t1 -c32 -d10s POST /orders)")
    wait_http(cfront, "/rooms")
    c1 = chat_rate([chat_ports[0]] * 3)
    # Six connections through haproxy's round robin: two on each instance.
    c3 = chat_rate([cfront] * 3)
    print(f"measure: chat messages delivered/s (3 senders, 3 listeners, one room): one "
          f"instance {c1:.0f}, three behind haproxy sharing the room through Redis "
          f"{c3:.0f} (ratio {c3 / c1:.2f})")


try:
    main()
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
