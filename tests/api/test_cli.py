"""
test_cli.py - the command line as an operator uses it: init refuses to
overwrite, audit verify exit codes, an online backup taken while the server
writes, restore of that backup, usage errors.
"""
import os
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, tz_bin, sqlite_only, PNG, CT_PNG  # noqa: E402


def run(*args, env=None):
    r = subprocess.run([tz_bin()] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120, env=env)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


class CliTest(TzCase):
    def test_init_refuses_an_existing_database(self):
        rc, out, err = run("init", *self.srv.store_args())
        self.assertEqual(rc, 1, out + err)
        self.assertIn("exists", err)
        self.assertEqual(len(err.strip().splitlines()), 1, "a one-line message")

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("no-such-command")[0], 2)
        store = self.srv.store_args()
        self.assertEqual(run("serve", "--listen", "nonsense", *store)[0], 2)
        self.assertEqual(run("audit", *store)[0], 2)
        self.assertEqual(run("backup", *store)[0], 2)

    def test_serve_on_missing_database_fails_cleanly(self):
        rc, out, err = run("serve", *self.srv.missing_store_args(), "--listen", "127.0.0.1:0")
        self.assertEqual(rc, 1)
        self.assertIn("does not exist", err)

    @sqlite_only("backs up and restores the SQLite file, and inspects the copies with python's sqlite3")
    def test_online_backup_while_writing_then_restore(self):
        sup = self.T["sup"]
        stop = threading.Event()
        made = []

        def writer():
            while not stop.is_set() and len(made) < 200:
                r = self.c.post("/api/v1/items", {"ledger": "reform", "title": "并发写入"},
                                token=sup)
                if r.status == 201:
                    made.append(r.json["id"])

        t = threading.Thread(target=writer)
        t.start()
        try:
            limit = time.time() + 30
            while len(made) < 5 and time.time() < limit:
                time.sleep(0.01)
            self.assertGreaterEqual(len(made), 5, "the server accepts writes")
            copy = os.path.join(self.srv.dir, "copy.db")
            rc, out, err = run("backup", "--db", self.srv.db, "--to", copy)
            self.assertEqual(rc, 0, out + err)
        finally:
            stop.set()
            t.join()
        # the copy is a consistent database whose audit chain verifies
        rc, out, err = run("audit", "verify", "--db", copy)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("intact", out)
        db = sqlite3.connect(copy)
        n_items = db.execute("select count(*) from items").fetchone()[0]
        n_events = db.execute("select count(*) from events where action='create'").fetchone()[0]
        self.assertEqual(n_items, n_events, "every item in the copy has its create event")
        self.assertEqual(db.execute("pragma integrity_check").fetchone()[0], "ok")
        db.close()
        # a second backup to the same path is refused, writing nothing
        rc, out, err = run("backup", "--db", self.srv.db, "--to", copy)
        self.assertEqual(rc, 1)

        # restore into a fresh path and serve it
        restored = os.path.join(self.srv.dir, "restored.db")
        rc, out, err = run("restore", "--from", copy, "--db", restored)
        self.assertEqual(rc, 0, out + err)
        db = sqlite3.connect(restored)
        self.assertEqual(db.execute("select count(*) from items").fetchone()[0], n_items)
        db.close()
        rc, out, err = run("audit", "verify", "--db", restored)
        self.assertEqual(rc, 0, out + err)

    @sqlite_only("restore reads a SQLite file (--from FILE)")
    def test_restore_refuses_a_file_that_is_not_a_database(self):
        junk = os.path.join(self.srv.dir, "junk.db")
        with open(junk, "wb") as f:
            f.write(b"not a database at all" * 100)
        rc, out, err = run("restore", "--from", junk, "--db", os.path.join(self.srv.dir, "x.db"))
        self.assertEqual(rc, 1)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    @sqlite_only("tampers with a backup copy of the SQLite file through python's sqlite3")
    def test_audit_verify_names_the_tampered_entry(self):
        item = self.to_in_progress()
        self.upload(item["id"], PNG, CT_PNG, name="证据.png", token=self.T["zstaff"])
        copy = os.path.join(self.srv.dir, "tamper.db")
        rc, out, err = run("backup", "--db", self.srv.db, "--to", copy)
        self.assertEqual(rc, 0, out + err)
        db = sqlite3.connect(copy)
        seq = db.execute("select max(seq) from audit_log").fetchone()[0] // 2
        db.execute("update audit_log set actor = 'mallory' where seq = ?", (seq,))
        db.commit()
        db.close()
        rc, out, err = run("audit", "verify", "--db", copy)
        self.assertEqual(rc, 3, out + err)
        self.assertIn("first broken seq %d" % seq, out)


if __name__ == "__main__":
    main()
