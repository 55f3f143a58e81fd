"""
tzharness.py - shared code of the black-box API tests (tests/api/test_*.py).

Python 3 standard library only. Each test file starts its own taizhang server
in a fresh temporary directory:

    TZ_BIN init  --db DIR/tz.db               (TAIZHANG_ADMIN_PASSWORD=Admin@12345)
    TZ_BIN serve --db DIR/tz.db --listen 127.0.0.1:0   (TAIZHANG_TODAY=2026-11-30)

reads "listening on http://127.0.0.1:PORT/" from its stdout, talks to it with
http.client, and stops it with SIGTERM (it must exit 0 within 10 s). The
server's stderr goes to a file that is printed when a test fails.

Two stores. With TZ_STORE=pg (ctest's api_pg_* tests) every Server gets its own
fresh PostgreSQL database, created with psql in the cluster whose base conninfo
is in the file TZ_PG_CONNINFO_FILE (scripts/pg-cluster.sh writes it), and every
command gets "--pg CONNINFO --data-dir DIR" instead of "--db DIR/tz.db". Tests
build a command's store arguments with Server.store_args() (or Store.args()),
never by hand; a test about the SQLite file itself is marked @sqlite_only(why).

Fixtures (units, users, items) are made through the API. Password hashing is
argon2id (~0.2 s), so users are created and signed in once per test class.
"""
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

ADMIN_PASSWORD = "Admin@12345"
PASSWORD = "Passw0rd!x"          # meets the policy: 10 chars, 4 classes
DEFAULT_TODAY = "2026-11-30"     # a Monday
API = "/api/v1"

ITEM_KEYS = [
    "id", "code", "ledger", "title", "description", "source", "lead_unit_id",
    "co_unit_ids", "leader", "deadline", "original_deadline", "status", "light",
    "progress", "extension_count", "supervised", "location", "fields",
    "created_at", "updated_at", "assigned_at", "closed_at", "on_time",
    "attachments", "extension", "version", "remind_count", "reopen_count",
    "report_every_days",
]

# Minimal bytes with the right magic for each accepted type.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(64))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(64))
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(range(32))

CT_PNG = "image/png"
CT_JPEG = "image/jpeg"
CT_PDF = "application/pdf"
CT_DOC = "application/msword"
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CT_XLS = "application/vnd.ms-excel"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CT_OFD = "application/ofd"

_SERVERS = []      # every Server started in this process, for stderr dumps
_FAILED = [False]


STORE = os.environ.get("TZ_STORE", "sqlite")
if STORE not in ("sqlite", "pg"):
    raise RuntimeError("TZ_STORE must be 'sqlite' or 'pg', not %r" % STORE)


def sqlite_only(reason):
    """Decorator for a test method or class that is about the SQLite file itself
    (opens it with the sqlite3 module, copies it, backs it up or restores it):
    skipped under TZ_STORE=pg, with the reason."""
    return unittest.skipIf(STORE == "pg", "SQLite only: " + reason)


def tz_bin():
    b = os.environ.get("TZ_BIN")
    if not b:
        here = os.path.dirname(os.path.abspath(__file__))
        for cand in ("build-api/taizhang", "build/taizhang"):
            p = os.path.join(here, "..", "..", cand)
            if os.path.exists(p):
                return os.path.abspath(p)
        raise RuntimeError("TZ_BIN is not set")
    return b


# --------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body
        self._json = None
        self._json_done = False

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def headers_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def json(self):
        if not self._json_done:
            self._json_done = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except Exception:
                self._json = None
        return self._json

    @property
    def error(self):
        j = self.json
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            return j["error"]
        return {}

    def __repr__(self):
        b = self.body[:600]
        try:
            b = b.decode("utf-8")
        except Exception:
            pass
        return "<HTTP %s %r>" % (self.status, b)


class Client:
    def __init__(self, port, host="127.0.0.1"):
        self.host = host
        self.port = port

    def request(self, method, path, body=None, token=None, headers=None, raw=None,
                content_type=None, cookie=None, csrf=None, timeout=20):
        hdrs = {}
        data = None
        if raw is not None:
            data = raw
            if content_type is not None:
                hdrs["Content-Type"] = content_type
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            hdrs["Content-Type"] = content_type or "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        if cookie:
            hdrs["Cookie"] = cookie
        if csrf:
            hdrs["X-CSRF-Token"] = csrf
        if headers:
            hdrs.update(headers)
        if data is not None or method in ("POST", "PUT", "PATCH"):
            hdrs.setdefault("Content-Length", str(len(data or b"")))
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            rb = r.read()
            return Response(r.status, r.getheaders(), rb)
        finally:
            conn.close()

    def raw_exchange(self, head, body_chunks, timeout=20):
        """Sends a hand-made request (head: bytes up to and including the blank
        line, then body chunks), tolerating the server closing early, and
        returns the parsed response."""
        import socket
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        try:
            try:
                s.sendall(head)
                for c in body_chunks:
                    s.sendall(c)
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            buf = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                    resp = _parse_raw_response(buf)
                    if resp is not None:
                        return resp
            except (ConnectionResetError, OSError):
                pass
            return _parse_raw_response(buf, final=True)
        finally:
            s.close()

    # convenience
    def get(self, path, token=None, **kw):
        return self.request("GET", path, token=token, **kw)

    def post(self, path, body=None, token=None, **kw):
        return self.request("POST", path, body=body, token=token, **kw)

    def patch(self, path, body=None, token=None, **kw):
        return self.request("PATCH", path, body=body, token=token, **kw)


def _parse_raw_response(buf, final=False):
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        if final:
            return Response(0, [], buf)
        return None
    head = buf[:i].decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", head[0])
    status = int(m.group(1)) if m else 0
    headers = []
    for line in head[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers.append((k.strip(), v.strip()))
    body = buf[i + 4:]
    cl = None
    chunked = False
    for k, v in headers:
        if k.lower() == "content-length":
            cl = int(v)
        if k.lower() == "transfer-encoding" and "chunked" in v.lower():
            chunked = True
    if cl is not None:
        if len(body) < cl and not final:
            return None
        return Response(status, headers, body[:cl])
    if chunked:
        out = b""
        rest = body
        while True:
            j = rest.find(b"\r\n")
            if j < 0:
                return None if not final else Response(status, headers, out)
            n = int(rest[:j].split(b";")[0] or b"0", 16)
            if n == 0:
                return Response(status, headers, out)
            if len(rest) < j + 2 + n + 2:
                return None if not final else Response(status, headers, out)
            out += rest[j + 2:j + 2 + n]
            rest = rest[j + 2 + n + 2:]
    if final:
        return Response(status, headers, body)
    return None


# --------------------------------------------------------------------------
# Store: a SQLite file or a PostgreSQL database


_PG_COUNTER = [0]


def _psql():
    try:
        bindir = subprocess.run(["pg_config", "--bindir"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, timeout=10).stdout.decode().strip()
        if bindir and os.path.exists(os.path.join(bindir, "psql")):
            return os.path.join(bindir, "psql")
    except OSError:
        pass
    return shutil.which("psql") or "psql"


def pg_base_conninfo():
    """The cluster's conninfo without a dbname, from TZ_PG_CONNINFO_FILE."""
    path = os.environ.get("TZ_PG_CONNINFO_FILE")
    if not path:
        raise RuntimeError("TZ_STORE=pg needs TZ_PG_CONNINFO_FILE (scripts/pg-cluster.sh start DIR "
                           "writes DIR/conninfo)")
    try:
        with open(path) as f:
            base = f.read().strip()
    except OSError as e:
        raise RuntimeError("cannot read TZ_PG_CONNINFO_FILE %s: %s (is the cluster started?)" %
                           (path, e))
    if not base:
        raise RuntimeError("TZ_PG_CONNINFO_FILE %s is empty" % path)
    return base


def pg_admin(sql):
    """Runs one statement in the cluster's 'postgres' database; raises on failure."""
    r = subprocess.run([_psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                        pg_base_conninfo() + " dbname=postgres", "-c", sql],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("psql %r failed (%d): %s" % (sql, r.returncode,
                                                       r.stderr.decode("utf-8", "replace").strip()))
    return r.stdout.decode("utf-8", "replace")


class Store:
    """Where a server's data lives: DIR/NAME (SQLite), or under TZ_STORE=pg a
    database of its own, created here and dropped by cleanup(). Evidence files go
    to DIR in both cases."""

    def __init__(self, dirpath, name="tz.db"):
        self.dir = dirpath
        self.db = os.path.join(dirpath, name)   # the SQLite file (unused under pg)
        self.pg_db = None
        self.pg_conninfo = None
        if STORE == "pg":
            _PG_COUNTER[0] += 1
            self.pg_db = "tz_%d_%d" % (os.getpid(), _PG_COUNTER[0])
            pg_admin('DROP DATABASE IF EXISTS "%s"' % self.pg_db)
            pg_admin('CREATE DATABASE "%s"' % self.pg_db)
            self.pg_conninfo = "%s dbname=%s" % (pg_base_conninfo(), self.pg_db)

    def args(self):
        """The store's command-line arguments for any taizhang command."""
        if self.pg_db:
            return ["--pg", self.pg_conninfo, "--data-dir", self.dir]
        return ["--db", self.db]

    def query(self, sql):
        """Runs one read-only SQL statement written for both stores (no parameters:
        inline numbers only) and returns its rows as tuples; under pg the values are
        ints where they look like ints, else strings, and NULL is None."""
        if not self.pg_db:
            import sqlite3
            db = sqlite3.connect(self.db, timeout=10)
            try:
                return [tuple(r) for r in db.execute(sql)]
            finally:
                db.close()
        r = subprocess.run([_psql(), "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\x1e",
                            "-v", "ON_ERROR_STOP=1", self.pg_conninfo, "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("psql %r failed: %s" % (sql, r.stderr.decode("utf-8", "replace")))

        def value(v):
            if v == "\x1e":
                return None
            return int(v) if re.fullmatch(r"-?\d+", v) else v
        return [tuple(value(v) for v in line.split("\x1f"))
                for line in r.stdout.decode("utf-8").split("\n") if line]

    def cleanup(self):
        """Drops the PostgreSQL database (best effort: the cluster goes at the end anyway)."""
        if self.pg_db and not os.environ.get("TZ_KEEP"):
            try:
                pg_admin('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.pg_db)
            except Exception:
                pass
            self.pg_db = None


# --------------------------------------------------------------------------
# Server


class Server:
    def __init__(self, today=DEFAULT_TODAY, extra_args=None, dirpath=None, name="server"):
        self.bin = tz_bin()
        self.own_dir = dirpath is None
        self.dir = dirpath or tempfile.mkdtemp(prefix="tzapi-")
        # a second server on the same directory shares the first one's store
        same = [s for s in _SERVERS if s.dir == self.dir and s.own_store]
        self.own_store = not same
        self.store = same[0].store if same else Store(self.dir)
        self.db = self.store.db
        self.files_dir = os.path.join(self.dir, "files")
        self.today = today
        self.extra_args = list(extra_args or [])
        self.name = name
        self.proc = None
        self.port = None
        self.client = None
        self.n_starts = 0
        self.stderr_paths = []
        _SERVERS.append(self)

    def env(self, today=None):
        e = dict(os.environ)
        e["TAIZHANG_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        e.pop("TAIZHANG_ADMIN_USER", None)
        e["TAIZHANG_TODAY"] = today or self.today
        return e

    def store_args(self):
        """["--db", DIR/tz.db] or, under TZ_STORE=pg, ["--pg", CONNINFO, "--data-dir", DIR]."""
        return self.store.args()

    def query(self, sql):
        """Rows of one SQL statement on this server's store (see Store.query)."""
        return self.store.query(sql)

    def missing_store_args(self):
        """Store arguments naming a database that does not exist."""
        if STORE == "pg":
            return ["--pg", "%s dbname=tz_absent_%d" % (pg_base_conninfo(), os.getpid()),
                    "--data-dir", self.dir]
        return ["--db", os.path.join(self.dir, "absent.db")]

    def init(self):
        r = subprocess.run([self.bin, "init"] + self.store_args(), env=self.env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise RuntimeError("taizhang init failed (%d): %s %s" % (
                r.returncode, r.stdout.decode("utf-8", "replace"),
                r.stderr.decode("utf-8", "replace")))

    def start(self, today=None, extra_args=None):
        if today:
            self.today = today
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.n_starts += 1
        # servers sharing a directory keep their stderr apart by name
        tag = "%d" % self.n_starts if self.own_dir else "%s-%d" % (self.name, self.n_starts)
        errpath = os.path.join(self.dir, "stderr-%s.log" % tag)
        self.stderr_paths.append((errpath, self.today))
        self._errf = open(errpath, "wb")
        args = [self.bin, "serve"] + self.store_args() + ["--listen", "127.0.0.1:0"] + self.extra_args
        self.proc = subprocess.Popen(args, env=self.env(), stdout=subprocess.PIPE,
                                     stderr=self._errf, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        buf = b""
        fd = self.proc.stdout.fileno()
        while time.time() < deadline:
            if self.proc.poll() is not None:
                rest = self.proc.stdout.read() or b""
                raise RuntimeError("taizhang serve exited with %s before listening; stdout: %r" %
                                   (self.proc.returncode, buf + rest))
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                chunk = os.read(fd, 4096)
                if not chunk:
                    continue
                buf += chunk
                m = re.search(rb"listening on http://[^:/\s]+:(\d+)/", buf)
                if m:
                    self.port = int(m.group(1))
                    break
        else:
            self.kill()
            raise RuntimeError("taizhang serve did not print 'listening on' within 20 s; stdout: %r" % buf)
        self.client = Client(self.port)
        return self

    def stop(self):
        """SIGTERM and wait; returns the exit code; raises if it takes > 10 s."""
        if self.proc is None:
            return None
        p = self.proc
        self.proc = None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
        try:
            rc = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            self._errf.close()
            raise AssertionError("taizhang serve did not exit within 10 s of SIGTERM")
        try:
            p.stdout.close()
        except Exception:
            pass
        self._errf.close()
        if rc != 0:
            raise AssertionError("taizhang serve exited %d after SIGTERM (expected 0)" % rc)
        return rc

    def kill(self):
        """SIGKILL (if still running); closes its pipe and stderr file."""
        p, self.proc = self.proc, None
        if p is None:
            return
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
        self._errf.close()

    def restart(self, today=None, extra_args=None):
        self.stop()
        return self.start(today=today, extra_args=extra_args)

    def cleanup(self):
        self.kill()
        if self.own_store:
            self.store.cleanup()
        if self.own_dir and not os.environ.get("TZ_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def files_on_disk(self):
        out = []
        for root, _dirs, files in os.walk(self.files_dir):
            for f in files:
                out.append(os.path.join(root, f))
        return sorted(out)

    def dump_stderr(self, out=sys.stderr):
        for path, today in self.stderr_paths:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            out.write("----- %s stderr (%s, TAIZHANG_TODAY=%s) -----\n" % (self.name, path, today))
            if len(data) > 20000:
                data = b"...\n" + data[-20000:]
            out.write(data.decode("utf-8", "replace"))
            out.write("\n")


# --------------------------------------------------------------------------
# Fixture


UNITS = [
    # key, code, name, kind, parent key
    ("DCS", "DCS", "督查室", "department", "ROOT"),
    ("ZJJ", "ZJJ", "住建局", "department", "ROOT"),
    ("ZJZ", "ZJZ", "住建局质量监督站", "department", "ZJJ"),
    ("STJ", "STJ", "生态环境局", "department", "ROOT"),
    ("DGJ", "DGJ", "东关大街街道办事处", "street", "ROOT"),
    ("DGSQ", "DGSQ", "东关大街清真巷社区", "community", "DGJ"),
]

USERS = {
    # name: (unit key, roles)
    "sup": ("DCS", ["supervisor"]),
    "lead": ("ROOT", ["leader"]),
    "zmgr": ("ZJJ", ["manager"]),
    "zstaff": ("ZJJ", ["staff"]),
    "substaff": ("ZJZ", ["staff"]),
    "submgr": ("ZJZ", ["manager"]),
    "smgr": ("STJ", ["manager"]),
    "sstaff": ("STJ", ["staff"]),
    "dstaff": ("DGJ", ["staff"]),
    "viewer": ("ZJJ", ["viewer"]),
    "auditor": ("ROOT", ["auditor"]),
}


class Fixture:
    """Units and signed-in users on a running server."""

    def __init__(self, server, users=("sup", "lead", "zmgr", "zstaff", "sstaff", "viewer", "auditor")):
        self.server = server
        self.c = server.client
        self.units = {}
        self.tokens = {}
        self.csrf = {}
        self.user_ids = {}
        self.usernames = list(users)
        self.tokens["admin"] = self.login("admin", ADMIN_PASSWORD)
        me = self.c.get(API + "/me", token=self.tokens["admin"])
        if me.status != 200 or not isinstance(me.json, dict):
            raise RuntimeError("GET /me as admin: %r" % me)
        self.units["ROOT"] = me.json["unit"]["id"]
        self.user_ids["admin"] = me.json["user"]["id"]
        for key, code, name, kind, parent in UNITS:
            r = self.c.post(API + "/units", {"code": code, "name": name, "kind": kind,
                                            "parent_id": self.units[parent]},
                            token=self.tokens["admin"])
            if r.status != 201:
                raise RuntimeError("POST /units %s: %r" % (code, r))
            self.units[key] = r.json["id"]
        for u in users:
            unit, roles = USERS[u]
            r = self.c.post(API + "/users", {"username": u, "display_name": "测试" + u,
                                            "unit_id": self.units[unit], "roles": roles,
                                            "password": PASSWORD},
                            token=self.tokens["admin"])
            if r.status != 201:
                raise RuntimeError("POST /users %s: %r" % (u, r))
            self.user_ids[u] = r.json["id"]
        self.relogin(force=True)

    def login(self, username, password=PASSWORD):
        r = self.c.post(API + "/auth/login", {"username": username, "password": password})
        if r.status != 200:
            raise RuntimeError("login %s: %r" % (username, r))
        self.csrf[username] = r.json.get("csrf")
        return r.json["token"]

    def relogin(self, who=None, force=False):
        """Signs in again whoever's session did not survive (e.g. a restart)."""
        self.c = self.server.client
        for u in (who or (["admin"] + self.usernames)):
            if not force and u in self.tokens:
                r = self.c.get(API + "/me", token=self.tokens[u])
                if r.status == 200:
                    continue
            self.tokens[u] = self.login(u, ADMIN_PASSWORD if u == "admin" else PASSWORD)


# --------------------------------------------------------------------------
# Base test case


class TzCase(unittest.TestCase):
    """One server and one fixture per class. Subclasses may set TODAY, USERS,
    SERVER_ARGS."""
    TODAY = DEFAULT_TODAY
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "viewer", "auditor")
    SERVER_ARGS = None
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(today=cls.TODAY, extra_args=cls.SERVER_ARGS, name=cls.__name__)
        try:
            cls.srv.init()
            cls.srv.start()
            cls.fx = Fixture(cls.srv, users=cls.USERS)
        except Exception:
            _FAILED[0] = True
            cls.srv.kill()
            raise
        cls.c = cls.srv.client
        cls.U = cls.fx.units
        cls.T = cls.fx.tokens

    @classmethod
    def tearDownClass(cls):
        try:
            cls.srv.stop()
        except AssertionError:
            _FAILED[0] = True
            raise
        finally:
            cls.srv.kill()

    def restart(self, today=None, extra_args=None):
        type(self).srv.restart(today=today, extra_args=extra_args)
        type(self).c = type(self).srv.client
        self.fx.relogin()

    # ---- assertions
    def assertStatus(self, r, status, code=None, field=None, msg=None):
        info = "%s %r" % (msg or "", r)
        self.assertEqual(r.status, status, info)
        if status >= 400:
            self.assertIsInstance(r.json, dict, "error body is not JSON: " + info)
            self.assertIn("error", r.json, info)
            e = r.json["error"]
            self.assertIsInstance(e, dict, info)
            self.assertIsInstance(e.get("code"), str, info)
            self.assertIsInstance(e.get("message"), str, info)
            if code is not None:
                self.assertEqual(e.get("code"), code, info)
            if field is not None:
                self.assertEqual(e.get("field"), field, info)
        return r

    def assertError(self, r, status, code, field=None, msg=None):
        return self.assertStatus(r, status, code=code, field=field, msg=msg)

    # ---- item helpers
    def create_item(self, token=None, expect=201, **kw):
        body = {"ledger": "rectification", "title": "测试事项", "description": "说明",
                "source": "省委第三巡视组反馈第1条", "lead_unit_id": self.U["ZJJ"],
                "co_unit_ids": [], "leader": "张副区长", "deadline": "2026-12-31",
                "location": None, "fields": {}}
        body.update(kw)
        for k in [k for k, v in body.items() if v is _OMIT]:
            del body[k]
        r = self.c.post(API + "/items", body, token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="create item")
        return r.json if r.status == 201 else r

    def get_item(self, item_id, token=None, expect=200):
        r = self.c.get(API + "/items/%s" % item_id, token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="get item %s" % item_id)
        return r.json if r.status == 200 else r

    def act(self, item, action, token=None, version=None, expect=200, **kw):
        """POSTs an action. item: an item dict or id; version defaults to the current one."""
        item_id = item["id"] if isinstance(item, dict) else item
        if version is None:
            version = self.get_item(item_id)["version"]
        body = {"action": action, "version": version}
        body.update(kw)
        r = self.c.post(API + "/items/%s/actions" % item_id, body, token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="action %s" % action)
        return r.json if (r.status == 200 and expect == 200) else r

    def events(self, item_id, token=None):
        r = self.c.get(API + "/items/%s/events" % item_id, token=token or self.T["sup"])
        self.assertStatus(r, 200, msg="events")
        return r.json["events"]

    def upload(self, item_id, data=PNG, ctype=CT_PNG, name="现场照片.png", token=None, expect=201):
        r = self.c.request("POST", API + "/items/%s/attachments?name=%s" % (
            item_id, urllib.parse.quote(name)), raw=data, content_type=ctype,
            token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="upload")
        return r.json if (r.status == 201 and expect == 201) else r

    def list_items(self, query="", token=None, expect=200):
        r = self.c.get(API + "/items" + (("?" + query) if query else ""), token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="list " + query)
        return r.json if r.status == 200 else r

    def list_all_ids(self, query="", token=None):
        ids = []
        page = 1
        while True:
            q = "per_page=200&page=%d" % page + ("&" + query if query else "")
            j = self.list_items(q, token=token)
            ids += [it["id"] for it in j["items"]]
            if len(j["items"]) < 200:
                return ids
            page += 1

    # ---- common flows
    def to_in_progress(self, deadline="2026-12-31", lead="ZJJ", staff="zstaff", **kw):
        it = self.create_item(deadline=deadline, lead_unit_id=self.U[lead], **kw)
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T[staff])
        return it

    def to_submitted(self, deadline="2026-12-31", lead="ZJJ", staff="zstaff", mgr="zmgr", **kw):
        it = self.to_in_progress(deadline=deadline, lead=lead, staff=staff, **kw)
        it = self.act(it, "report", token=self.T[staff], comment="完成整改", progress=100)
        self.upload(it["id"], token=self.T[staff])
        it = self.act(it["id"], "submit", token=self.T[mgr], comment="申请销号")
        return it

    def to_closed(self, **kw):
        it = self.to_submitted(**kw)
        return self.act(it, "verify", comment="验收合格，同意销号")


class _Omit:
    pass


_OMIT = _Omit()
OMIT = _OMIT


def sha256_hex(b):
    return hashlib.sha256(b).hexdigest()


def main():
    prog = unittest.main(exit=False, verbosity=2)
    ok = prog.result.wasSuccessful()
    if not ok:
        _FAILED[0] = True
        for s in _SERVERS:
            s.dump_stderr()
    for s in _SERVERS:
        s.cleanup()
    sys.exit(0 if ok else 1)
