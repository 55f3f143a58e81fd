"""
test_failures.py - the server when its surroundings fail: the database locked
by another process answers 503 `unavailable` (and writes nothing), a data folder
that cannot take files answers 500 `internal` (and leaves no attachment, event or
file), and both recover by themselves once the cause is gone.
"""
import os
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, sqlite_only, API, PNG, CT_PNG, Server  # noqa: E402


class BusyServer(Server):
    def env(self, today=None):
        e = super().env(today)
        e["TAIZHANG_BUSY_TIMEOUT"] = "300"
        return e


class FailuresTest(TzCase):
    @classmethod
    def setUpClass(cls):
        # the harness's Server with a short lock wait
        import tzharness
        saved = tzharness.Server
        tzharness.Server = BusyServer
        try:
            super().setUpClass()
        finally:
            tzharness.Server = saved

    def count(self, sql):
        return self.srv.query(sql)[0][0]

    @sqlite_only("locks the SQLite file from another process (BEGIN IMMEDIATE through python's sqlite3)")
    def test_locked_database_is_503_and_writes_nothing(self):
        before = self.count("select count(*) from items")
        # today's lights are computed at the first read of the day: done before the lock
        self.assertEqual(self.c.get(API + "/items", token=self.T["sup"]).status, 200)
        other = sqlite3.connect(self.srv.db, timeout=5, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            r = self.c.post(API + "/items", {"ledger": "reform", "title": "锁住时的写入"},
                            token=self.T["sup"])
            self.assertEqual(r.status, 503, r)
            self.assertEqual(r.error.get("code"), "unavailable")
            # reads go on meanwhile
            self.assertEqual(self.c.get(API + "/items", token=self.T["sup"]).status, 200)
        finally:
            other.execute("ROLLBACK")
            other.close()
        self.assertEqual(self.count("select count(*) from items"), before)
        r = self.c.post(API + "/items", {"ledger": "reform", "title": "解锁后的写入"},
                        token=self.T["sup"])
        self.assertEqual(r.status, 201, r)

    def test_unwritable_data_folder_is_500_and_leaves_nothing(self):
        item = self.to_in_progress()
        files = os.path.join(self.srv.dir, "files")
        shutil.rmtree(files, ignore_errors=True)
        with open(files, "w") as f:
            f.write("not a folder")
        try:
            n_att = self.count("select count(*) from attachments")
            n_ev = self.count("select count(*) from events")
            r = self.c.post(API + "/items/%d/attachments?name=x.png" % item["id"], raw=PNG,
                            content_type=CT_PNG, token=self.T["zstaff"])
            self.assertEqual(r.status, 500, r)
            self.assertEqual(r.error.get("code"), "internal")
            self.assertEqual(self.count("select count(*) from attachments"), n_att)
            self.assertEqual(self.count("select count(*) from events"), n_ev)
            self.assertEqual(self.get_item(item["id"])["version"], item["version"])
        finally:
            os.unlink(files)
        r = self.c.post(API + "/items/%d/attachments?name=x.png" % item["id"], raw=PNG,
                        content_type=CT_PNG, token=self.T["zstaff"])
        self.assertEqual(r.status, 201, r)


if __name__ == "__main__":
    main()
