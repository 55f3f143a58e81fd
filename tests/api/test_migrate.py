"""
test_migrate.py - `taizhang migrate --from FILE --pg CONNINFO`: a district
moves its SQLite database into PostgreSQL and finds it there as it left it.

The demo, with a closed-loop action taken through a server (so the audit
chain has fresh entries), is migrated into a fresh PostgreSQL database; then
the audit chain verifies there, a server on it answers the item list, the
dashboard, an item's events, a Chinese search and the war map as the SQLite
server did, and a new item gets the next code and a new id. Migrating again
into the same database, or from a file that is not a taizhang database, is
refused with one line and writes nothing. The progress shows as plain lines
in a log and as a bar on a terminal.

Meaningful only against a PostgreSQL cluster: skipped under TZ_STORE=sqlite.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import API, STORE, Server, Store, main, tz_bin  # noqa: E402
from test_cli_progress import on_terminal  # noqa: E402

DEMO_PASSWORD = "Demo@2026"
TODAY = "2026-11-30"
ENV = dict(os.environ, TAIZHANG_TODAY=TODAY)


class SqliteFile:
    """A Server's store that is a SQLite file whatever TZ_STORE says: the source."""

    def __init__(self, path):
        self.db = path

    def args(self):
        return ["--db", self.db]

    def cleanup(self):
        pass


def run(args, timeout=300):
    r = subprocess.run([tz_bin()] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def tables(store):
    """Rows per table of the PostgreSQL database (what 'nothing written' means)."""
    return store.query("SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM items), "
                       "(SELECT count(*) FROM events), (SELECT count(*) FROM audit_log)")[0]


@unittest.skipIf(STORE != "pg", "migrate copies into PostgreSQL: run as api_pg_test_migrate")
class MigrateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-migrate-")
        cls.file = os.path.join(cls.dir, "district.db")
        rc, _, err = run(["demo", "--db", cls.file])
        assert rc == 0, err
        cls.old = Server(today=TODAY, name="sqlite")
        cls.old.store.cleanup()
        cls.old.store = SqliteFile(cls.file)
        cls.old.start()
        # a closed-loop step through the server: new events and audit entries
        c, tok = cls.old.client, cls.login(cls.old, "dcs")
        drafts = c.get(API + "/items?ledger=rectification&status=draft", token=tok).json["items"]
        zjj = [u for u in c.get(API + "/units", token=tok).json["units"] if u["code"] == "ZJJ"][0]
        item = drafts[0]
        r = c.patch(API + "/items/%d" % item["id"],
                    {"lead_unit_id": zjj["id"], "deadline": "2026-12-31",
                     "version": item["version"]}, token=tok)
        assert r.status == 200, r
        r = c.post(API + "/items/%d/actions" % item["id"],
                   {"action": "assign", "version": r.json["version"]}, token=tok)
        assert r.status == 200, r
        cls.acted = item["id"]
        cls.before = cls.snapshot(cls.old)
        cls.old.stop()

        cls.target = Store(cls.dir)
        cls.rc, cls.out, cls.err = run(["migrate", "--from", cls.file,
                                        "--pg", cls.target.pg_conninfo])
        cls.new = Server(today=TODAY, dirpath=cls.dir, name="pg")
        cls.new.store.cleanup()
        cls.new.store = cls.target
        cls.after = None
        if cls.rc == 0:
            cls.new.start()
            cls.after = cls.snapshot(cls.new)  # before any test writes

    @classmethod
    def tearDownClass(cls):
        cls.new.kill()
        cls.old.kill()
        cls.target.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)

    @staticmethod
    def login(srv, user):
        r = srv.client.post(API + "/auth/login", {"username": user, "password": DEMO_PASSWORD})
        assert r.status == 200, r
        return r.json["token"]

    @classmethod
    def snapshot(cls, srv):
        """What a user sees: every item (id, code, version, status), the dashboard, an
        item's events, a Chinese search and the war map's located items."""
        c, tok = srv.client, cls.login(srv, "leader")
        items, page = [], 1
        while True:
            r = c.get(API + "/items?per_page=200&sort=code&page=%d" % page, token=tok)
            assert r.status == 200, r
            items += [(i["id"], i["code"], i["version"], i["status"], i["light"])
                      for i in r.json["items"]]
            if len(items) >= r.json["total"]:
                break
            page += 1
        dash = c.get(API + "/dashboard", token=tok).json
        events = c.get(API + "/items/%d/events" % cls.acted, token=tok).json
        search = c.get(API + "/search?q=" + quote("生态修复"), token=tok).json
        located = c.get(API + "/map/items", token=tok).json
        return {
            "items": sorted(items),
            "totals": dash["totals"],
            "by_unit": dash.get("by_unit"),
            "events": [(e["seq"], e["action"], e["at"]) for e in events["events"]],
            # the same items found; their order is each engine's ranking (FTS5's bm25 on
            # SQLite, title matches then newest on PostgreSQL), not data the copy carries
            "search": sorted(x["id"] for x in search["results"]),
            "located": sorted(i["id"] for i in located["items"]),
        }

    def test_migrates_and_says_so(self):
        self.assertEqual(self.rc, 0, self.err)
        self.assertRegex(self.out, r"^migrated \d+ rows from .*district\.db to the PostgreSQL "
                                   r"database in \d+\.\d s\n$")

    def test_progress_in_a_log_is_plain_lines(self):
        lines = [ln for ln in self.err.splitlines() if ln.startswith("migrated")]
        self.assertGreaterEqual(len(lines), 5, self.err)
        self.assertRegex(lines[-1], r"^migrated (\d+) of \1 rows$")
        self.assertNotIn("\r", self.err)

    def test_audit_chain_verifies_on_pg(self):
        rc, out, err = run(["audit", "verify", "--pg", self.target.pg_conninfo])
        self.assertEqual(rc, 0, err)
        self.assertIn("audit chain intact", out)
        n = self.target.query("SELECT count(*) FROM audit_log")[0][0]
        self.assertIn("%d entries" % n, out)

    def test_server_on_pg_answers_as_before(self):
        after = self.after
        self.assertIsNotNone(after, self.err)
        self.assertGreater(len(after["items"]), 60)
        self.assertTrue(after["search"])
        self.assertTrue(after["located"])
        self.assertGreaterEqual(len(after["events"]), 2)
        for key in self.before:
            self.assertEqual(after[key], self.before[key], key)

    def test_new_item_gets_next_code_and_id(self):
        c, tok = self.new.client, self.login(self.new, "dcs")
        old = [i for i in self.before["items"]]
        max_id = max(i[0] for i in old)
        zjj = [u for u in c.get(API + "/units", token=tok).json["units"] if u["code"] == "ZJJ"][0]
        r = c.post(API + "/items", {"ledger": "rectification", "title": "迁移后新建的整改事项",
                                    "description": "", "source": "迁移测试",
                                    "lead_unit_id": zjj["id"], "co_unit_ids": [],
                                    "leader": "", "deadline": "2026-12-31", "location": None,
                                    "fields": {}}, token=tok)
        self.assertEqual(r.status, 201, r)
        self.assertGreater(r.json["id"], max_id)
        prefix = r.json["code"].rsplit("-", 1)[0]
        same = [i[1] for i in old if i[1].rsplit("-", 1)[0] == prefix]
        self.assertTrue(same, r.json["code"])
        last = max(int(code.rsplit("-", 1)[1]) for code in same)
        self.assertEqual(int(r.json["code"].rsplit("-", 1)[1]), last + 1, r.json["code"])

    def test_second_migration_is_refused(self):
        counts = tables(self.target)
        rc, out, err = run(["migrate", "--from", self.file, "--pg", self.target.pg_conninfo])
        self.assertEqual(rc, 1)
        line = [ln for ln in err.splitlines() if ln.startswith("taizhang:")]
        self.assertEqual(len(line), 1, err)
        self.assertIn("already holds data", line[0])
        self.assertEqual(out, "")
        self.assertEqual(tables(self.target), counts)

    def test_bad_source_is_one_line(self):
        junk = os.path.join(self.dir, "notes.txt")
        with open(junk, "w") as f:
            f.write("not a database\n" * 20)
        empty = Store(self.dir)
        try:
            for path in (junk, os.path.join(self.dir, "absent.db")):
                rc, out, err = run(["migrate", "--from", path, "--pg", empty.pg_conninfo])
                self.assertEqual(rc, 1, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertTrue(err.startswith("taizhang: "), err)
            with open(junk) as f:
                self.assertEqual(f.read(), "not a database\n" * 20)
            # nothing was written: the database has not even got its schema
            self.assertEqual(empty.query("SELECT count(*) FROM pg_tables WHERE tablename = 'items'"),
                             [(0,)])
            rc, _, err = run(["migrate", "--from", self.file])
            self.assertEqual(rc, 2, err)
        finally:
            empty.cleanup()

    def test_progress_bar_on_a_terminal(self):
        fresh = Store(self.dir)
        try:
            rc, shown = on_terminal(["migrate", "--from", self.file, "--pg", fresh.pg_conninfo])
            self.assertEqual(rc, 0, shown)
            self.assertIn("\r\033[K", shown)
            self.assertRegex(shown, r"migrating \[█{30}\] 100%  (\d+)/\1 rows")
        finally:
            fresh.cleanup()


if __name__ == "__main__":
    main()
