#!/usr/bin/env python3
"""
notify.py - what notifications cost on a large district: the daily digest of
every unit (one robot channel per unit, all pointing at a receiver on
loopback) over a generated database, the sender's delivery rate, and what a
channel adds to a 催办 action.

usage: bench/notify.py BIN DB
  BIN  a taizhang binary (RelWithDebInfo for figures), DB a database made by
       build/tz_gen (it is changed: an admin and a supervisor are added).
Prints Markdown lines for docs/PERFORMANCE.md. Only 127.0.0.1 is used; every
wait is bounded.
"""
import http.server
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
import urllib.request

PASSWORD = "Bench@2026x"
TODAY = "2026-11-30"


class Receiver:
    """A robot on loopback that answers errcode 0 and counts what it gets."""

    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()
        rec = self

        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with rec.lock:
                    rec.n += 1
                data = b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def call(url, token, method, path, body=None):
    req = urllib.request.Request(url + "/api/v1" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        text = r.read()
        return json.loads(text) if text else None


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, db = sys.argv[1], sys.argv[2]
    env = dict(os.environ, TAIZHANG_TODAY=TODAY, TAIZHANG_LOG="warn")
    for user, roles in (("bench_admin", "admin"), ("bench_sup", "supervisor")):
        subprocess.run([binary, "user", "add", "--db", db, "--username", user, "--password",
                        PASSWORD, "--roles", roles, "--unit", "ROOT"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rx = Receiver()
    proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                             "--notify-at", "off"], env=env, stdout=subprocess.PIPE)
    try:
        buf = b""
        deadline = time.time() + 60
        while time.time() < deadline and b"listening" not in buf:
            if select.select([proc.stdout], [], [], 1)[0]:
                buf += os.read(proc.stdout.fileno(), 4096)
        port = re.search(rb":(\d+)/", buf).group(1).decode()
        url = "http://127.0.0.1:" + port
        admin = call(url, None, "POST", "/auth/login",
                     {"username": "bench_admin", "password": PASSWORD})["token"]
        sup = call(url, None, "POST", "/auth/login",
                   {"username": "bench_sup", "password": PASSWORD})["token"]
        units = call(url, admin, "GET", "/units")["units"]
        items = call(url, sup, "GET", "/items?status=in_progress&per_page=50")["items"]

        # a 催办 without and with a channel on the lead unit
        def remind_ms(its):
            t = []
            for it in its:
                t0 = time.perf_counter()
                call(url, sup, "POST", "/items/%d/actions" % it["id"],
                     {"action": "remind", "version": it["version"], "comment": "bench"})
                t.append((time.perf_counter() - t0) * 1000)
            t.sort()
            return t[len(t) // 2]
        without = remind_ms(items[:25])
        for u in units:
            call(url, admin, "POST", "/notify/channels",
                 {"unit_id": u["id"], "kind": "wecom", "name": "bench",
                  "url": "http://127.0.0.1:%d/send?key=k" % rx.port})
        with_ch = remind_ms(items[25:50])

        t0 = time.perf_counter()
        r = call(url, admin, "POST", "/notify/daily/run")
        run_end = time.perf_counter()
        run_s = run_end - t0
        t0 = time.perf_counter()
        r2 = call(url, admin, "POST", "/notify/daily/run")
        rerun_s = time.perf_counter() - t0
        expect = r["queued"] + 25
        deadline = time.time() + 300
        while rx.n < expect and time.time() < deadline:
            time.sleep(0.05)  # a benchmark's bounded poll of a counter
        drain_s = time.perf_counter() - run_end
        print("| daily digest, %d units with a channel | %d queued | %.2f s |"
              % (len(units), r["queued"], run_s))
        print("| the same run again (idempotent) | %d queued | %.2f s |" % (r2["queued"], rerun_s))
        print("| the digests delivered to a loopback robot (from the run's answer) | %d messages |"
              " %.2f s (%.0f/s) |" % (r["queued"], drain_s, r["queued"] / drain_s if drain_s else 0))
        print("| 催办 action, median of 25 | without / with a channel | %.1f ms / %.1f ms |"
              % (without, with_ch))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
