"""
test_cli_progress.py - long commands show their progress as an operator at a
console expects: a bar redrawn in place on a terminal (run here under a
pseudo-terminal), and plain lines, one every tenth of the way, when stderr is
a file or a pipe (a log has no carriage returns). Export, import and report.
"""
import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import main, tz_bin, Store  # noqa: E402

ENV = dict(os.environ, TAIZHANG_TODAY="2026-11-30")


def on_terminal(args):
    """Runs the command with stdout and stderr on a pseudo-terminal; returns what it showed."""
    leader, follower = pty.openpty()
    p = subprocess.Popen([tz_bin()] + args, stdin=follower, stdout=follower, stderr=follower,
                         env=ENV)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the follower side closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    rc = p.wait(timeout=120)
    return rc, shown.decode("utf-8", "replace")


def plain(args):
    r = subprocess.run([tz_bin()] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=ENV, timeout=120)
    return r.returncode, r.stderr.decode("utf-8", "replace")


class ProgressTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="tz-progress-")
        cls.store = Store(cls.dir, "demo.db")
        r = subprocess.run([tz_bin(), "demo", *cls.store.args()], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=ENV, timeout=120)
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.store.cleanup()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_export_draws_a_bar_on_a_terminal(self):
        rc, shown = on_terminal(["export", *self.store.args(), "--ledger", "rectification",
                                 "--out", self.path("t.xlsx")])
        self.assertEqual(rc, 0, shown)
        self.assertIn("\r", shown)  # redrawn in place
        bar = re.search(r"exporting \[(█+)\] 100%  (\d+)/(\d+) rows", shown)
        self.assertIsNotNone(bar, shown)
        self.assertEqual(len(bar.group(1)), 30)  # full at the end
        self.assertEqual(bar.group(2), bar.group(3))

    def test_export_writes_plain_lines_to_a_file(self):
        rc, err = plain(["export", *self.store.args(), "--ledger", "rectification",
                         "--out", self.path("p.xlsx")])
        self.assertEqual(rc, 0, err)
        self.assertNotIn("\r", err)
        self.assertNotIn("█", err)
        lines = err.splitlines()
        self.assertTrue(lines, err)
        total = re.match(r"exported \d+ of (\d+) rows", lines[-1]).group(1)
        self.assertEqual(lines[-1], "exported %s of %s rows" % (total, total))
        self.assertLessEqual(len(lines), 11)  # a line every tenth, and the end once

    def test_report_shows_its_stages(self):
        rc, shown = on_terminal(["report", "bulletin", *self.store.args(),
                                 "--out", self.path("b.pdf")])
        self.assertEqual(rc, 0, shown)
        stages = re.findall(r"report \[[█░]+\] (\d)/3 ([a-z ]+)", shown)
        self.assertEqual([s[0] for s in stages], ["0", "1", "2", "3"], shown)
        rc, err = plain(["report", "bulletin", *self.store.args(), "--out", self.path("b2.pdf")])
        self.assertEqual(rc, 0, err)
        self.assertEqual(err.splitlines(), ["report: gathering figures", "report: drawing the PDF",
                                            "report: recording the audit", "report: done"])

    def test_import_counts_then_fills_the_bar(self):
        rc, err = plain(["export", *self.store.args(), "--ledger", "rectification",
                         "--out", self.path("back.xlsx")])
        self.assertEqual(rc, 0, err)
        rc, shown = on_terminal(["import", *self.store.args(), "--ledger", "rectification",
                                 "--file", self.path("back.xlsx"), "--as", "dcs", "--dry-run"])
        self.assertEqual(rc, 0, shown)
        self.assertRegex(shown, r"importing \[█{30}\] 100%  (\d+)/\1 rows")
        rc, err = plain(["import", *self.store.args(), "--ledger", "rectification",
                         "--file", self.path("back.xlsx"), "--as", "dcs", "--dry-run"])
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"^imported \d+ rows\n")


if __name__ == "__main__":
    main()
