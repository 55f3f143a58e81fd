#!/usr/bin/env python3
"""Audit (SPEC 2.7): entries for logins, changes and denials; the hash chain;
verify through the API and the command line; tampering names the first broken seq."""
import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


def mentions(entry, *needles):
    s = json.dumps(entry, ensure_ascii=False)
    return all(str(n) in s for n in needles)


def about_item(e, it):
    """The entry names the item: its id in target (or detail), or its code anywhere."""
    import re
    s = json.dumps([e.get("target"), e.get("detail")], ensure_ascii=False)
    return bool(re.search(r"(?<![0-9])%d(?![0-9])" % it["id"], s)) or it["code"] in json.dumps(e, ensure_ascii=False)


class AuditTest(h.TzCase):
    # a business date far from the real one: audit times must use the real clock
    TODAY = "2026-06-01"
    USERS = ("sup", "zstaff", "sstaff", "auditor")

    def entries(self, after=0, limit=500):
        out = []
        while True:
            r = self.c.get(API + "/audit?after=%d&limit=%d" % (after, limit), token=self.T["auditor"])
            self.assertStatus(r, 200)
            es = r.json["entries"]
            out += es
            if len(es) < limit:
                return out
            after = es[-1]["seq"]

    def last_seq(self):
        es = self.entries()
        return es[-1]["seq"] if es else 0

    def verify_api(self):
        r = self.c.get(API + "/audit/verify", token=self.T["auditor"])
        self.assertStatus(r, 200)
        for k in ("ok", "checked", "first_broken_seq", "algorithm"):
            self.assertIn(k, r.json)
        return r.json

    def verify_cli(self):
        r = subprocess.run([self.srv.bin, "audit", "verify"] + self.srv.store_args(), env=self.srv.env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")

    # ---- shape and chain
    def test_last_seq_pages_from_the_end(self):
        es = self.entries()
        r = self.c.get(API + "/audit?after=0&limit=1", token=self.T["auditor"])
        self.assertStatus(r, 200)
        last = r.json["last_seq"]
        self.assertGreaterEqual(last, es[-1]["seq"])
        r = self.c.get(API + "/audit?after=%d&limit=2" % max(0, last - 2), token=self.T["auditor"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["entries"][-1]["seq"], last)

    def test_entries_shape_and_chain(self):
        es = self.entries()
        self.assertGreater(len(es), 0)
        self.assertEqual(es[0]["seq"], 1)
        self.assertEqual(es[0]["prev_hash"], "0" * 64)
        for i, e in enumerate(es):
            for k in ("seq", "at", "actor", "ip", "action", "target", "detail", "prev_hash", "hash"):
                self.assertIn(k, e)
            self.assertEqual(e["seq"], i + 1)
            self.assertRegex(e["hash"], r"^[0-9a-f]{64}$")
            if i:
                self.assertEqual(e["prev_hash"], es[i - 1]["hash"], "chain broken at seq %d" % e["seq"])

    def test_hash_recomputable(self):
        """hash = H(prev_hash || canonical entry), canonical = compact UTF-8 JSON of
        {seq, at, actor, ip, action, target, detail} in that key order."""
        alg = self.verify_api()["algorithm"].lower().replace("-", "")
        self.assertIn(alg, ("sm3", "sha256", "hmacsm3", "hmacsha256"))
        if alg.startswith("hmac"):
            self.skipTest("keyed chain cannot be recomputed without the key")
        for e in self.entries()[:40]:
            canon_variants = []
            details = [e["detail"]]
            if isinstance(e["detail"], str):
                try:
                    details.append(json.loads(e["detail"]))
                except ValueError:
                    pass
            else:
                details.append(json.dumps(e["detail"], ensure_ascii=False, separators=(",", ":")))
            for d in details:
                obj = {"seq": e["seq"], "at": e["at"], "actor": e["actor"], "ip": e["ip"],
                       "action": e["action"], "target": e["target"], "detail": d}
                canon_variants.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            prevs = [e["prev_hash"].encode("ascii"), bytes.fromhex(e["prev_hash"])]
            got = set()
            for p in prevs:
                for cnon in canon_variants:
                    got.add(hashlib.new(alg, p + cnon).hexdigest())
            self.assertIn(e["hash"], got, "seq %d: hash does not follow SPEC 2.7 (%s)" % (e["seq"], alg))

    def test_audit_times_use_real_clock(self):
        es = self.entries()
        real = datetime.datetime.now(datetime.timezone.utc)
        ok_dates = {(real + datetime.timedelta(days=d)).date().isoformat() for d in (-1, 0, 1)}
        for e in es[-5:]:
            self.assertIn(e["at"][:10], ok_dates, "audit time %s is not the real clock" % e["at"])
            self.assertFalse(e["at"].startswith(self.TODAY))

    def test_after_and_limit(self):
        es = self.entries()
        self.assertGreaterEqual(len(es), 6)
        r = self.c.get(API + "/audit?after=3&limit=2", token=self.T["auditor"])
        self.assertStatus(r, 200)
        self.assertEqual([e["seq"] for e in r.json["entries"]], [4, 5])
        r = self.c.get(API + "/audit?after=%d" % es[-1]["seq"], token=self.T["auditor"])
        self.assertStatus(r, 200)
        for e in r.json["entries"]:
            self.assertGreater(e["seq"], es[-1]["seq"])

    def test_audit_only_for_auditor(self):
        for u in ("admin", "sup", "zstaff"):
            self.assertError(self.c.get(API + "/audit", token=self.T[u]), 403, "forbidden", msg=u)
            self.assertError(self.c.get(API + "/audit/verify", token=self.T[u]), 403, "forbidden", msg=u)
        self.assertError(self.c.get(API + "/audit"), 401, "unauthorized")

    # ---- what gets audited
    def test_login_success_and_failure_audited(self):
        s0 = self.last_seq()
        self.fx.login("zstaff")
        r = self.c.post(API + "/auth/login", {"username": "zstaff", "password": "Wrong#pass1"})
        self.assertEqual(r.status, 401)
        new = self.entries(after=s0)
        logins = [e for e in new if "login" in e["action"].lower()]
        self.assertGreaterEqual(len(logins), 2, new)
        self.assertTrue(any(mentions(e, "zstaff") for e in logins), logins)
        for e in logins:
            self.assertEqual(e["ip"], "127.0.0.1")
        self.assertNotEqual(logins[0]["action"] + json.dumps(logins[0]["detail"], ensure_ascii=False),
                            logins[1]["action"] + json.dumps(logins[1]["detail"], ensure_ascii=False),
                            "success and failure are told apart")
        self.assertNotIn("Wrong#pass1", json.dumps(new, ensure_ascii=False), "password written to the audit log")
        self.assertNotIn(h.PASSWORD, json.dumps(new, ensure_ascii=False), "password written to the audit log")

    def test_unknown_user_login_failure_audited(self):
        s0 = self.last_seq()
        r = self.c.post(API + "/auth/login", {"username": "ghost", "password": "Wrong#pass1"})
        self.assertEqual(r.status, 401)
        new = self.entries(after=s0)
        self.assertTrue(any("login" in e["action"].lower() and mentions(e, "ghost") for e in new), new)

    def test_actions_and_creation_audited(self):
        s0 = self.last_seq()
        it = self.create_item(title="审计事项")
        it = self.act(it, "assign")
        it = self.act(it, "remind")
        new = self.entries(after=s0)
        about = [e for e in new if about_item(e, it)]
        self.assertGreaterEqual(len(about), 3, new)
        # one entry per accepted action
        for word in ("create", "assign", "remind"):
            self.assertEqual(len([e for e in about if word in e["action"].lower()]), 1, (word, about))
        for e in about:
            self.assertTrue(mentions(e["actor"], "sup") or mentions(e["actor"], self.fx.user_ids["sup"]), e)

    def test_upload_and_patch_audited(self):
        it = self.to_in_progress(title="上传审计")
        s0 = self.last_seq()
        self.upload(it["id"], token=self.T["zstaff"])
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "改名", "version": it["version"] + 1},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        new = self.entries(after=s0)
        about = [e for e in new if about_item(e, it)]
        self.assertGreaterEqual(len(about), 2, new)

    def test_403_denial_audited(self):
        it = self.to_in_progress(title="拒绝审计403")
        s0 = self.last_seq()
        r = self.act(it, "verify", token=self.T["zstaff"], comment="越权", expect=403)
        self.assertError(r, 403, "forbidden")
        new = self.entries(after=s0)
        hits = [e for e in new if about_item(e, it) and
                (mentions(e["actor"], "zstaff") or mentions(e["actor"], self.fx.user_ids["zstaff"]))]
        self.assertGreaterEqual(len(hits), 1, "no audit entry for the 403: %r" % new)

    def test_404_scope_denial_audited(self):
        it = self.to_in_progress(title="拒绝审计404")
        s0 = self.last_seq()
        r = self.c.get(API + "/items/%s" % it["id"], token=self.T["sstaff"])
        self.assertError(r, 404, "not_found")
        new = self.entries(after=s0)
        hits = [e for e in new if about_item(e, it) and
                (mentions(e["actor"], "sstaff") or mentions(e["actor"], self.fx.user_ids["sstaff"]))]
        self.assertGreaterEqual(len(hits), 1, "no audit entry for the 404 scope denial: %r" % new)

    def test_csrf_denial_audited(self):
        import re
        r = self.c.post(API + "/auth/login", {"username": "sup", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        ck = None
        for v in r.headers_all("Set-Cookie"):
            m = re.match(r"\s*(tz_session=[^;]*)", v)
            if m:
                ck = m.group(1)
        self.assertIsNotNone(ck)
        s0 = self.last_seq()
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "无CSRF"}, cookie=ck)
        self.assertError(r, 403, "csrf_failed")
        new = self.entries(after=s0)
        self.assertTrue(any(mentions(e["actor"], "sup") or mentions(e["actor"], self.fx.user_ids["sup"])
                            for e in new), "no audit entry for the CSRF denial: %r" % new)

    def test_admin_denial_audited(self):
        s0 = self.last_seq()
        self.assertError(self.c.get(API + "/audit", token=self.T["admin"]), 403, "forbidden")
        new = self.entries(after=s0)
        self.assertTrue(any(mentions(e["actor"], "admin") or mentions(e["actor"], self.fx.user_ids["admin"])
                            for e in new), new)

    def test_refused_transition_writes_audit_not_event(self):
        it = self.to_in_progress(title="409审计")
        ev0 = len(self.events(it["id"]))
        s0 = self.last_seq()
        r = self.act(it, "verify", comment="x", expect=409)
        self.assertError(r, 409, "invalid_transition")
        self.assertEqual(len(self.events(it["id"])), ev0)
        new = self.entries(after=s0)
        self.assertTrue(any(about_item(e, it) for e in new), new)

    def test_cli_exit_codes(self):
        r = subprocess.run([self.srv.bin, "no-such-command"], env=self.srv.env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(r.returncode, 2, "usage error")
        missing = self.srv.missing_store_args()
        r = subprocess.run([self.srv.bin, "audit", "verify"] + missing, env=self.srv.env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(r.returncode, 1, "user error")
        self.assertEqual(len(r.stderr.decode("utf-8", "replace").strip().splitlines()), 1, r.stderr)
        if h.STORE == "sqlite":
            self.assertFalse(os.path.exists(missing[1]), "verify must not create a database")

    def test_zy_verify_intact_api_and_cli(self):
        """The intact chain verifies through the API and the CLI, on either store
        (the tampering below is done on the SQLite file)."""
        v = self.verify_api()
        self.assertIs(v["ok"], True, v)
        self.assertIsNone(v["first_broken_seq"])
        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 0, out + err)

    # ---- verify, tamper, CLI; named zz so it runs last
    @h.sqlite_only("tampers with the audit log through python's sqlite3 module and VACUUM INTO")
    def test_zz_verify_tamper_and_cli(self):
        v = self.verify_api()
        self.assertIs(v["ok"], True)
        self.assertIsNone(v["first_broken_seq"])
        n = self.last_seq()
        self.assertGreaterEqual(v["checked"], n - 1)
        self.assertGreaterEqual(n, 10)
        self.assertIn(v["algorithm"].lower().replace("-", ""), ("sm3", "sha256", "hmacsm3", "hmacsha256"))
        self.assertTrue(v["algorithm"].lower().replace("-", "").endswith("sm3"), "SM3 is the default")

        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 0, out + err)

        # a deleted entry (in a copy of the intact database) breaks the chain
        copy = os.path.join(self.srv.dir, "copy.db")
        db = sqlite3.connect(self.srv.db, timeout=10)
        try:
            db.execute("VACUUM INTO ?", (copy,))
        finally:
            db.close()
        db = sqlite3.connect(copy)
        try:
            db.execute("DELETE FROM audit_log WHERE seq = 5")
            db.commit()
        finally:
            db.close()
        r = subprocess.run([self.srv.bin, "audit", "verify", "--db", copy], env=self.srv.env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        os.remove(copy)

        # tamper with one stored entry while the server runs
        k = 7
        db = sqlite3.connect(self.srv.db, timeout=10)
        try:
            (orig,) = db.execute("SELECT detail FROM audit_log WHERE seq = ?", (k,)).fetchone()
            if orig is None:
                tampered = "x"
            elif isinstance(orig, str) and orig.strip().startswith("{") and orig.strip() != "{}":
                tampered = orig.rstrip()[:-1] + ',"x":1}'
            elif isinstance(orig, str) and orig.strip() == "{}":
                tampered = '{"x":1}'
            else:
                tampered = str(orig) + "x"
            db.execute("UPDATE audit_log SET detail = ? WHERE seq = ?", (tampered, k))
            db.commit()
        finally:
            db.close()
        v = self.verify_api()
        self.assertIs(v["ok"], False)
        self.assertEqual(v["first_broken_seq"], k)
        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 3, out + err)
        self.assertIn(str(k), out)

        # restore: intact again
        db = sqlite3.connect(self.srv.db, timeout=10)
        try:
            db.execute("UPDATE audit_log SET detail = ? WHERE seq = ?", (orig, k))
            db.commit()
        finally:
            db.close()
        v = self.verify_api()
        self.assertIs(v["ok"], True, v)
        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 0, out + err)

        # tamper with the action of a later entry: that one is named
        k2 = 9
        db = sqlite3.connect(self.srv.db, timeout=10)
        try:
            (act,) = db.execute("SELECT action FROM audit_log WHERE seq = ?", (k2,)).fetchone()
            db.execute("UPDATE audit_log SET action = ? WHERE seq = ?", (act + "x", k2))
            db.commit()
        finally:
            db.close()
        v = self.verify_api()
        self.assertIs(v["ok"], False)
        self.assertEqual(v["first_broken_seq"], k2)
        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 3, out + err)
        self.assertIn(str(k2), out)

        # and the stored hash of an earlier one: the earliest break is named
        k3 = 4
        db = sqlite3.connect(self.srv.db, timeout=10)
        try:
            db.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", ("f" * 64, k3))
            db.commit()
        finally:
            db.close()
        v = self.verify_api()
        self.assertEqual(v["first_broken_seq"], k3)
        rc, out, err = self.verify_cli()
        self.assertEqual(rc, 3, out + err)


if __name__ == "__main__":
    h.main()
