"""
test_scaleout.py - two servers and nginx: two `taizhang serve` processes on one
PostgreSQL database and one data directory, behind nginx, behave as one system.

  - a change made through one server is seen at once through the other, and a
    session opened on one is accepted (and ended) on the other;
  - two people writing the same item through different servers: the stale write
    gets a clean 409, and the item keeps the first change;
  - failed sign-ins spread over both servers lock the account as one count;
  - a server killed (SIGKILL) under load loses no acknowledged write, nginx sends
    the rest to the survivor, and the audit chain still verifies;
  - a change made through one server reaches the live streams (SSE) open on both.

PostgreSQL only (TZ_STORE=pg): a SQLite file has one server by design. nginx is
Debian's (scripts/deps.sh), run in the foreground with a config in a temporary
directory; NGINX=/path overrides the binary.

The nginx upstream retries on the other server only what cannot have been
applied twice: `proxy_next_upstream error timeout` (the default set, written out)
and never `non_idempotent`, so a POST or PATCH that reached a server that then
died is answered 502 rather than replayed on the survivor.

Tests run in name order; the kill is the last one (test_9_*), as it leaves one
server.
"""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API, Client, Fixture, Server, TzCase, main  # noqa: E402
from test_stream import Stream  # noqa: E402

NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
THREADS = 8
LOAD_BEFORE_S = 2.5     # writing through nginx before the kill
LOAD_AFTER_S = 3.0      # and after it, on the survivor alone


def free_port():
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


NGINX_CONF = """\
# written by test_scaleout.py
{user}worker_processes 1;
error_log {tmp}/error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    log_format up '$request $status $upstream_addr $upstream_status $request_time';
    access_log {tmp}/access.log up;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 64m;

    upstream taizhang {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        # another server only for what was not sent, or is safe to send twice
        proxy_next_upstream error timeout;
        proxy_connect_timeout 2s;
        location / {{
            proxy_pass http://taizhang;
        }}
        location = /api/v1/stream {{
            proxy_pass http://taizhang;
            proxy_buffering off;
            proxy_read_timeout 1h;
            add_header X-Upstream $upstream_addr;
        }}
    }}
}}
"""


class Nginx:
    """nginx in the foreground, its prefix, config, logs and pid in a temp dir."""

    def __init__(self, upstream_ports):
        self.ports = list(upstream_ports)
        self.tmp = tempfile.mkdtemp(prefix="tznginx-")
        self.proc = None
        self.port = None

    def start(self):
        for _attempt in range(5):   # the free port may be taken before nginx binds it
            self.port = free_port()
            servers = "\n".join("        server 127.0.0.1:%d max_fails=1 fail_timeout=10s;" % p
                                for p in self.ports)
            # as root, nginx's workers become 'nobody', who cannot enter the 0700 temp dir
            user = "user root;\n" if os.geteuid() == 0 else ""
            conf = os.path.join(self.tmp, "nginx.conf")
            with open(conf, "w") as f:
                f.write(NGINX_CONF.format(user=user, tmp=self.tmp, servers=servers, port=self.port))
            self.proc = subprocess.Popen(
                [NGINX, "-p", self.tmp, "-c", conf, "-e", os.path.join(self.tmp, "error.log"),
                 "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 10
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise RuntimeError("nginx did not start; error log:\n" + self.error_log())

    def error_log(self):
        try:
            with open(os.path.join(self.tmp, "error.log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-8000:]
        except OSError:
            return ""

    def stop(self):
        """SIGTERM (fast shutdown), SIGKILL after 10 s."""
        p, self.proc = self.proc, None
        if p is None:
            return
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def cleanup(self):
        self.stop()
        if not os.environ.get("TZ_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)


class _Front:
    """What Fixture needs of a server: a client (here nginx's)."""

    def __init__(self, port):
        self.client = Client(port)


@unittest.skipIf(h.STORE != "pg", "two servers share a PostgreSQL database; SQLite (TZ_STORE=%s) "
                 "has one server by design" % h.STORE)
class ScaleOutTest(TzCase):
    USERS = ("sup", "zmgr", "zstaff")

    @classmethod
    def setUpClass(cls):
        cls.nginx = None
        cls.a = cls.srv = Server(today=cls.TODAY, name="A")
        cls.b = Server(today=cls.TODAY, dirpath=cls.a.dir, name="B")
        try:
            cls.a.init()
            cls.a.start()
            # the units and users are made on A before B starts: a unit made on one
            # server is a test of its own (test_1_a_new_unit_...), not the fixture's
            cls.fx = Fixture(cls.a, users=cls.USERS)
            cls.b.start()
            cls.nginx = Nginx([cls.a.port, cls.b.port]).start()
            cls.fx.server = _Front(cls.nginx.port)
            cls.fx.relogin(force=True)          # everyone signs in through nginx
        except Exception:
            h._FAILED[0] = True
            cls._shutdown()
            raise
        cls.c = Client(cls.nginx.port)
        cls.ca = cls.a.client
        cls.cb = cls.b.client
        cls.U = cls.fx.units
        cls.T = cls.fx.tokens

    @classmethod
    def _shutdown(cls):
        if cls.nginx is not None:
            cls.nginx.cleanup()
        for s in (cls.b, cls.a):
            s.kill()

    @classmethod
    def tearDownClass(cls):
        try:
            for s in (cls.b, cls.a):
                s.stop()     # SIGTERM; the harness's cleanup kills what is left
        except AssertionError:
            h._FAILED[0] = True
            raise
        finally:
            cls._shutdown()

    def run(self, result=None):
        r = super().run(result)
        ok = result is None or result.wasSuccessful()
        if not ok and self.nginx is not None and not getattr(type(self), "log_shown", False):
            type(self).log_shown = True
            log = self.nginx.error_log()
            if log:
                sys.stderr.write("----- nginx error.log -----\n" + log + "\n")
        return r

    def item_on(self, client, item_id):
        r = client.get(API + "/items/%d" % item_id, token=self.T["sup"])
        self.assertStatus(r, 200, msg="GET item %d on port %d" % (item_id, client.port))
        return r.json

    # ---- 1. one system
    def test_1_a_change_on_one_server_is_seen_on_the_other(self):
        it = self.create_item(title="两台服务器")       # through nginx
        for writer, reader in ((self.ca, self.cb), (self.cb, self.ca)):
            cur = self.item_on(writer, it["id"])
            action = "assign" if cur["status"] == "draft" else "remind"
            r = writer.post(API + "/items/%d/actions" % it["id"],
                            {"action": action, "version": cur["version"]}, token=self.T["sup"])
            self.assertStatus(r, 200, msg=action)
            seen = self.item_on(reader, it["id"])     # at once: no wait, no retry
            self.assertEqual((seen["version"], seen["status"], seen["remind_count"]),
                             (r.json["version"], r.json["status"], r.json["remind_count"]))
        self.assertEqual(seen["status"], "assigned")

    def test_1_a_session_from_one_server_works_on_the_other(self):
        r = self.ca.post(API + "/auth/login", {"username": "zstaff", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        tok = r.json["token"]
        me = self.cb.get(API + "/me", token=tok)
        self.assertStatus(me, 200, msg="a token from A on B")
        self.assertEqual(me.json["user"]["username"], "zstaff")
        self.assertStatus(self.cb.post(API + "/auth/logout", token=tok), 204, msg="logout on B")
        self.assertError(self.ca.get(API + "/me", token=tok), 401, "unauthorized",
                         msg="signed out on B is signed out on A")

    def test_1_a_new_unit_on_one_server_is_known_on_the_other(self):
        adm = self.T["admin"]
        r = self.ca.post(API + "/units", {"code": "XJA", "name": "新建甲局", "kind": "department",
                                         "parent_id": self.U["ROOT"]}, token=adm)
        self.assertStatus(r, 201, msg="unit on A")
        new = r.json["id"]
        self.assertStatus(self.cb.get(API + "/units/%d" % new, token=adm), 200, msg="the unit on B")
        r = self.cb.post(API + "/units", {"code": "XJAK", "name": "新建甲局一科", "kind": "department",
                                         "parent_id": new}, token=adm)
        self.assertStatus(r, 201, msg="a child of A's new unit, made on B")
        r = self.cb.post(API + "/items", {"ledger": "reform", "title": "新单位的事项",
                                         "lead_unit_id": new}, token=self.T["sup"])
        self.assertStatus(r, 201, msg="an item led by A's new unit, made on B")

    def test_1_a_list_on_one_server_counts_a_create_on_the_other(self):
        q = API + "/items?ledger=reform&per_page=5"
        before = self.cb.get(q, token=self.T["sup"])
        self.assertStatus(before, 200)
        self.assertStatus(self.ca.post(API + "/items", {"ledger": "reform", "title": "计数"},
                                       token=self.T["sup"]), 201)
        after = self.cb.get(q, token=self.T["sup"])
        self.assertStatus(after, 200)
        self.assertEqual(after.json["total"], before.json["total"] + 1,
                         "B's total counts the item created on A")

    def test_1_evidence_uploaded_on_one_server_downloads_on_the_other(self):
        it = self.to_in_progress(title="证据共享")
        data = h.PNG + os.urandom(200 * 1024)       # larger than nginx keeps in memory
        ids = []
        for c in (self.ca, self.c):                 # directly on A, and through nginx
            r = c.request("POST", API + "/items/%d/attachments?name=photo.png" % it["id"], raw=data,
                          content_type=h.CT_PNG, token=self.T["zstaff"])
            self.assertStatus(r, 201, msg="upload on port %d" % c.port)
            ids.append(r.json["id"])
        for att in ids:
            for c in (self.cb, self.ca, self.c, self.c):
                r = c.get(API + "/attachments/%s" % att, token=self.T["zmgr"])
                self.assertStatus(r, 200, msg="download %s on port %d" % (att, c.port))
                self.assertEqual(r.body, data, "the same bytes on port %d" % c.port)

    # ---- 2. the same item through two servers
    def test_2_stale_write_on_the_other_server_is_a_clean_409(self):
        it = self.create_item(title="原标题")
        va = self.item_on(self.ca, it["id"])["version"]
        vb = self.item_on(self.cb, it["id"])["version"]
        self.assertEqual(va, vb)
        r1 = self.ca.patch(API + "/items/%d" % it["id"], {"title": "甲的修改", "version": va},
                           token=self.T["sup"])
        self.assertStatus(r1, 200, msg="first writer, on A")
        r2 = self.cb.patch(API + "/items/%d" % it["id"], {"title": "乙的修改", "version": vb},
                           token=self.T["sup"])
        self.assertError(r2, 409, "version_conflict", msg="second writer, stale, on B")
        for c in (self.ca, self.cb):
            now = self.item_on(c, it["id"])
            self.assertEqual((now["title"], now["version"]), ("甲的修改", r1.json["version"]))

    # ---- 3. one lockout count
    def test_3_failures_on_both_servers_lock_as_one_count(self):
        r = self.c.post(API + "/users", {"username": "lockab", "display_name": "双机锁定",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["admin"])
        self.assertStatus(r, 201)
        # five failures, A B A B A: neither server alone has seen five
        for i, c in enumerate((self.ca, self.cb, self.ca, self.cb, self.ca)):
            r = c.post(API + "/auth/login", {"username": "lockab", "password": "Bad#pass%d" % i})
            self.assertError(r, 401, "unauthorized", msg="failure %d" % (i + 1))
        for name, c in (("B", self.cb), ("A", self.ca)):
            r = c.post(API + "/auth/login", {"username": "lockab", "password": h.PASSWORD})
            self.assertError(r, 429, "locked", msg="the right password on %s after 5 failures" % name)

    def test_3_failures_at_once_on_both_servers_all_count(self):
        r = self.c.post(API + "/users", {"username": "lockcc", "display_name": "并发锁定",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["admin"])
        self.assertStatus(r, 201)
        got = []

        def fail(i, c):
            r = c.post(API + "/auth/login", {"username": "lockcc", "password": "Bad#pass%d" % i})
            got.append((r.status, r.error.get("code")))

        # five wrong passwords at the same moment, three on A and two on B
        ts = [threading.Thread(target=fail, args=(i, c))
              for i, c in enumerate((self.ca, self.cb, self.ca, self.cb, self.ca))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(sorted(got), [(401, "unauthorized")] * 5, got)
        r = self.cb.post(API + "/auth/login", {"username": "lockcc", "password": h.PASSWORD})
        self.assertError(r, 429, "locked", msg="five failures at once, none lost")

    # ---- 5. live updates on both servers
    def test_5_a_change_reaches_streams_on_both_servers(self):
        streams = {}
        for name, port in (("A", self.a.port), ("B", self.b.port), ("nginx", self.nginx.port)):
            s = Stream(port, self.T["sup"])
            self.addCleanup(s.close)
            self.assertEqual(s.status, 200, name)
            self.assertTrue(s.headers["content-type"].startswith("text/event-stream"), name)
            s.events(0.2)
            streams[name] = s
        # the server behind the nginx stream (the config adds X-Upstream to it)
        behind = {"127.0.0.1:%d" % self.a.port: "A",
                  "127.0.0.1:%d" % self.b.port: "B"}[streams["nginx"].headers["x-upstream"]]
        arrived = {}        # (written on, stream): seconds after the write
        for on, c in (("A", self.ca), ("B", self.cb)):
            r = c.post(API + "/items", {"ledger": "reform", "title": "推送 %s" % on},
                       token=self.T["sup"])
            self.assertStatus(r, 201)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 5.0 and len([k for k in arrived if k[0] == on]) < 3:
                for name, s in streams.items():
                    if any(e["event"] == "item" and e["data"]["id"] == r.json["id"]
                           for e in s.events(0.05)):
                        arrived[(on, name)] = round(time.monotonic() - t0, 2)
        sys.stderr.write("\n  stream delivery (written on, stream: seconds; nginx is on %s): %r\n"
                         % (behind, arrived))
        # a server's own streams, directly and through nginx (unbuffered)
        self.assertIn(("A", "A"), arrived)
        self.assertIn(("B", "B"), arrived)
        self.assertIn((behind, "nginx"), arrived, "through nginx, a change on its own server")
        # and the other server's changes, within 5 s
        self.assertIn(("A", "B"), arrived, "the stream on B hears a write on A")
        self.assertIn(("B", "A"), arrived, "the stream on A hears a write on B")
        self.assertIn(("A" if behind == "B" else "B", "nginx"), arrived,
                      "the stream through nginx hears a write on the other server")

    # ---- 4. a server killed under load
    def test_9_kill_one_server_under_load(self):
        sup = self.T["sup"]
        lock = threading.Lock()
        acked = []          # (id, t) of creates answered 201
        failed = []         # (status or exception name, t)
        stop = threading.Event()
        t_kill = [None]

        def writer(n):
            c = Client(self.nginx.port)
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = c.post(API + "/items", {"ledger": "reform", "title": "负载 %d-%d" % (n, i)},
                               token=sup, timeout=10)
                    ok = r.status == 201 and isinstance(r.json, dict) and isinstance(r.json.get("id"), int)
                    what = r.json["id"] if ok else r.status
                except (OSError, http.client.HTTPException) as e:
                    ok, what = False, type(e).__name__
                with lock:
                    (acked if ok else failed).append((what, time.monotonic()))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        try:
            time.sleep(LOAD_BEFORE_S)
            t_kill[0] = time.monotonic()
            self.b.kill()                               # SIGKILL, mid-load
            time.sleep(LOAD_AFTER_S)
        finally:
            stop.set()
            for t in threads:
                t.join()

        before = [x for x in acked if x[1] < t_kill[0]]
        after = [x for x in acked if x[1] >= t_kill[0]]
        failed_after = [x for x in failed if x[1] >= t_kill[0]]
        stored = set(r[0] for r in self.a.query("select id from items where title like '负载 %'"))
        acked_ids = set(i for i, _ in acked)
        sys.stderr.write("\n  kill under load: %d creates acknowledged (%d before the kill, %d after), "
                         "%d failed %r, %d stored unacknowledged\n"
                         % (len(acked), len(before), len(after), len(failed),
                            sorted(set(str(w) for w, _ in failed)), len(stored - acked_ids)))
        self.assertGreater(len(before), THREADS, "both servers took writes before the kill")
        # the survivor kept serving: most writes after the kill succeeded
        self.assertGreater(len(after), THREADS)
        self.assertGreaterEqual(len(after), 0.9 * (len(after) + len(failed_after)),
                                "failed after the kill: %r" % failed_after)
        # every acknowledged write is stored; what is stored unacknowledged was a failed request
        self.assertEqual(len(acked_ids), len(acked), "no id answered twice")
        self.assertEqual(acked_ids - stored, set(), "acknowledged but not stored")
        self.assertLessEqual(len(stored - acked_ids), len(failed),
                             "stored without acknowledgement: more than the requests that failed")
        # nothing written twice by a replay: one create event per stored item
        r = self.a.query("select count(*) from events e join items i on i.id = e.item_id "
                         "where i.title like '负载 %'")
        self.assertEqual(r[0][0], len(stored), "one event per created item")
        # the audit chain both servers wrote to is one chain
        r = subprocess.run([h.tz_bin(), "audit", "verify"] + self.a.store_args(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout.decode("utf-8", "replace"))
        # and the survivor still answers through nginx
        self.assertStatus(self.c.get(API + "/me", token=sup), 200)


if __name__ == "__main__":
    main()
