#!/usr/bin/env python3
"""
stream.py - how fast a change reaches the open war maps: opens STREAMS server-sent
event streams (GET /api/v1/stream) as one supervisor, then makes ACTIONS writes
(`remind` on generated items, one at a time, on another connection) and measures,
for every stream, the time from the write's answer to the event's arrival. Prints a
Markdown line with the delivery latency (p50, p99, max), the events delivered and
the server's resident memory before and after the streams opened.

usage: bench/stream.py URL TOKEN SERVER_PID [STREAMS=500] [ACTIONS=200] [FIRST_ID=1]
Only the loopback URL given is used; every wait is bounded.
"""
import json
import selectors
import socket
import sys
import time
import urllib.parse
import urllib.request


def rss_kib(pid):
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    return 0


def open_stream(host, port, token):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(("GET /api/v1/stream HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n"
               "Authorization: Bearer %s\r\n\r\n" % (host, token)).encode())
    s.setblocking(False)
    return s


def call(url, token, method, path, body=None):
    req = urllib.request.Request(url + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def main():
    url, token, pid = sys.argv[1], sys.argv[2], sys.argv[3]
    n_streams = int(sys.argv[4]) if len(sys.argv) > 4 else 500
    n_actions = int(sys.argv[5]) if len(sys.argv) > 5 else 200
    first = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    u = urllib.parse.urlparse(url)
    rss0 = rss_kib(pid)
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(n_streams):
        s = open_stream(u.hostname, u.port, token)
        sel.register(s, selectors.EVENT_READ, i)
        socks.append(s)
    time.sleep(1.0)
    bufs = [b""] * n_streams
    # drain the headers and the retry line
    for key, _ in sel.select(timeout=1.0):
        try:
            bufs[key.data] = b""
            key.fileobj.recv(65536)
        except BlockingIOError:
            pass
    rss1 = rss_kib(pid)

    # items that take a remind: open ones, found through the list
    ids = []
    page = 1
    while len(ids) < n_actions and page < 50:
        j = call(url, token, "GET", "/items?status=assigned,in_progress&per_page=200&page=%d" % page)
        ids += [(it["id"], it["version"]) for it in j["items"] if it["id"] >= first]
        if len(j["items"]) < 200:
            break
        page += 1
    ids = ids[:n_actions]

    latencies = []
    delivered = 0
    for item_id, version in ids:
        call(url, token, "POST", "/items/%d/actions" % item_id, {"action": "remind", "version": version})
        t0 = time.monotonic()
        pending = set(range(n_streams))
        deadline = t0 + 5.0
        marker = ('"id":%d,' % item_id).encode()
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=max(0.0, deadline - time.monotonic())):
                i = key.data
                try:
                    chunk = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                bufs[i] += chunk
                if i in pending and marker in bufs[i]:
                    latencies.append((time.monotonic() - t0) * 1000)
                    pending.discard(i)
                    delivered += 1
                    bufs[i] = b""
    rss2 = rss_kib(pid)
    for s in socks:
        s.close()
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    print("| streams | writes | events delivered | p50 ms | p99 ms | max ms | VmRSS before / with streams / after |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    print("| %d | %d | %d of %d | %.1f | %.1f | %.1f | %d / %d / %d KiB |" % (
        n_streams, len(ids), delivered, n_streams * len(ids), pct(0.5), pct(0.99),
        latencies[-1] if latencies else float("nan"), rss0, rss1, rss2))


if __name__ == "__main__":
    main()
