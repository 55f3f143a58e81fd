"""
test_pg_failures.py - the server on PostgreSQL when the database misbehaves:
a wrong connection string, a schema newer than the program, and the database
going away under a running server (and coming back). Each is a clear one-line
error and a non-zero exit, or a 503 `unavailable` envelope, never a hang or a
crash; a write the database never took is never acknowledged.

Runs on a private cluster (scripts/pg-cluster.sh) that it halts and resumes,
so that the shared cluster of the other tests is left alone. Only under
TZ_STORE=pg; skipped on SQLite (test_failures.py covers SQLite's own).
"""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness  # noqa: E402
from tzharness import TzCase, main, Server  # noqa: E402
from test_stream import Stream  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "..", "..", "scripts", "pg-cluster.sh")


def cluster(cmd, d):
    r = subprocess.run(["bash", CLUSTER, cmd, d], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if r.returncode != 0:
        raise RuntimeError("pg-cluster.sh %s: %s" % (cmd, r.stderr.decode("utf-8", "replace")))


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@unittest.skipIf(tzharness.STORE != "pg", "PostgreSQL only: the SQLite store's failures are "
                 "in test_failures.py")
class PgFailuresTest(TzCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster_dir = tempfile.mkdtemp(prefix="tz-pgfail-")
        cluster("start", cls.cluster_dir)
        cls.saved_conninfo = os.environ.get("TZ_PG_CONNINFO_FILE")
        os.environ["TZ_PG_CONNINFO_FILE"] = os.path.join(cls.cluster_dir, "conninfo")
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            cluster("resume", cls.cluster_dir)
            super().tearDownClass()
        finally:
            cluster("stop", cls.cluster_dir)
            if cls.saved_conninfo:
                os.environ["TZ_PG_CONNINFO_FILE"] = cls.saved_conninfo

    def run_cli(self, args, timeout=30):
        t0 = time.time()
        r = subprocess.run([self.srv.bin] + args, env=self.srv.env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return r, time.time() - t0

    def assertOneLineFailure(self, r, needle):
        err = r.stderr.decode("utf-8", "replace")
        self.assertEqual(r.returncode, 1, err)
        lines = [ln for ln in err.splitlines() if ln.startswith("taizhang:")]
        self.assertEqual(len(lines), 1, err)
        self.assertIn(needle, lines[0])

    def test_wrong_connection_string_is_one_line_and_exit_1(self):
        # nobody listens on that port: refused at once
        conninfo = "host=127.0.0.1 port=%d user=postgres dbname=tz connect_timeout=3" % closed_port()
        r, took = self.run_cli(["serve", "--pg", conninfo, "--listen", "127.0.0.1:0"])
        self.assertOneLineFailure(r, "cannot connect to PostgreSQL")
        self.assertLess(took, 10)
        # not a connection string at all
        r, _ = self.run_cli(["audit", "verify", "--pg", "this is not=a conninfo"])
        self.assertOneLineFailure(r, "cannot connect to PostgreSQL")
        # a database that does not exist
        r, _ = self.run_cli(["serve"] + self.srv.missing_store_args() + ["--listen", "127.0.0.1:0"])
        self.assertOneLineFailure(r, "does not exist")

    def test_newer_schema_is_refused_and_left_alone(self):
        other = Server(name="newer")
        try:
            other.init()
            other.query("UPDATE tz_schema SET version = 99")
            r, _ = self.run_cli(["serve"] + other.store_args() + ["--listen", "127.0.0.1:0"])
            self.assertOneLineFailure(r, "newer than this program")
            r, _ = self.run_cli(["audit", "verify"] + other.store_args())
            self.assertOneLineFailure(r, "newer than this program")
            self.assertEqual(other.query("SELECT version FROM tz_schema"), [(99,)])
        finally:
            other.cleanup()

    def test_database_away_is_503_then_recovers(self):
        sup = self.T["sup"]
        first = self.create_item(title="数据库离开前")
        before = self.srv.query("SELECT count(*) FROM items")[0][0]
        stream = Stream(self.srv.port, sup)
        self.addCleanup(stream.close)
        self.assertEqual(stream.status, 200)
        cluster("halt", self.cluster_dir)
        try:
            t0 = time.time()
            r = self.c.get(tzharness.API + "/items/%d" % first["id"], token=sup)
            self.assertError(r, 503, "unavailable")
            r = self.c.post(tzharness.API + "/items",
                            {"ledger": "rectification", "title": "数据库不在时的写入",
                             "description": "说明", "source": "测试", "lead_unit_id": self.U["ZJJ"],
                             "deadline": "2026-12-31"}, token=sup)
            self.assertError(r, 503, "unavailable")
            self.assertLess(time.time() - t0, 15, "answers must not hang while the database is away")
        finally:
            cluster("resume", self.cluster_dir)
        # the server finds the database again by itself (a retry or two while connections heal)
        deadline = time.time() + 20
        while True:
            r = self.c.get(tzharness.API + "/items/%d" % first["id"], token=sup)
            if r.status == 200 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertStatus(r, 200, msg="after the database came back")
        # the server's listener found the database again and told the open page to reload
        # (changes by other servers may have been missed meanwhile)
        refresh = [e for e in stream.events(5.0) if e["event"] == "item" and e["data"]["id"] == 0]
        self.assertTrue(refresh, "an open stream hears 'refresh everything' after the outage")
        # the write answered 503 was not stored; a new one is
        self.assertEqual(self.srv.query("SELECT count(*) FROM items")[0][0], before)
        self.create_item(title="数据库回来之后")
        self.assertEqual(self.srv.query("SELECT count(*) FROM items")[0][0], before + 1)
        r = self.run_cli(["audit", "verify"] + self.srv.store_args())[0]
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    main()
