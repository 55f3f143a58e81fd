#!/usr/bin/env python3
"""Sign-in, lockout, password policy, CSRF, logout, 401 everywhere, 三员分立 (SPEC 2.2, 4)."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


def session_cookie(r):
    for v in r.headers_all("Set-Cookie"):
        m = re.match(r"\s*(tz_session=[^;]*)", v)
        if m:
            return m.group(1), v
    return None, None


class AuthTest(h.TzCase):
    USERS = ("sup", "zstaff", "zmgr", "auditor", "lead")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one visible item for the role tests
        r = cls.c.post(API + "/items", {"ledger": "rectification", "title": "登录测试事项",
                                       "lead_unit_id": cls.U["ZJJ"], "deadline": "2026-12-31"},
                       token=cls.T["sup"])
        assert r.status == 201, r
        cls.item = r.json

    # ---- login
    def test_login_ok_returns_token_csrf_user_expiry(self):
        r = self.c.post(API + "/auth/login", {"username": "zstaff", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        j = r.json
        for k in ("token", "csrf", "user", "expires_at"):
            self.assertIn(k, j)
        self.assertIsInstance(j["token"], str)
        self.assertGreaterEqual(len(j["token"]), 16)
        self.assertIsInstance(j["csrf"], str)
        self.assertTrue(j["csrf"])
        self.assertEqual(j["user"]["username"], "zstaff")
        self.assertNotIn("password", j["user"])
        self.assertNotIn("password_hash", j["user"])
        self.assertEqual(j["user"]["roles"], ["staff"])
        self.assertEqual(j["user"]["unit_id"], self.U["ZJJ"])

    def test_login_sets_httponly_strict_cookie(self):
        r = self.c.post(API + "/auth/login", {"username": "zstaff", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        ck, full = session_cookie(r)
        self.assertIsNotNone(ck, "no tz_session cookie in %r" % r.headers)
        attrs = [a.strip().lower() for a in full.split(";")[1:]]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=strict", attrs)
        self.assertIn("path=/", attrs)
        self.assertNotIn("secure", attrs, "Secure only over TLS (SPEC 4)")

    def test_login_wrong_password_401(self):
        r = self.c.post(API + "/auth/login", {"username": "zmgr", "password": "Wrong#pass1"})
        self.assertError(r, 401, "unauthorized")
        self.assertNotIn("token", r.json)
        # a later right password still works (one failure does not lock)
        r = self.c.post(API + "/auth/login", {"username": "zmgr", "password": h.PASSWORD})
        self.assertStatus(r, 200)

    def test_login_unknown_user_401(self):
        r = self.c.post(API + "/auth/login", {"username": "nobody", "password": h.PASSWORD})
        self.assertError(r, 401, "unauthorized")

    def test_login_malformed_body_400(self):
        r = self.c.request("POST", API + "/auth/login", raw=b'{"username": "zstaff", ',
                           content_type="application/json")
        self.assertError(r, 400, "bad_request")

    def test_lockout_after_five_failures(self):
        r = self.c.post(API + "/users", {"username": "locky", "display_name": "锁定测试",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["admin"])
        self.assertStatus(r, 201)
        for i in range(5):
            r = self.c.post(API + "/auth/login", {"username": "locky", "password": "Bad#pass%d" % i})
            self.assertError(r, 401, "unauthorized", msg="failure %d" % (i + 1))
        r = self.c.post(API + "/auth/login", {"username": "locky", "password": h.PASSWORD})
        self.assertError(r, 429, "locked", msg="6th attempt with the right password")
        r = self.c.post(API + "/auth/login", {"username": "locky", "password": "Bad#pass9"})
        self.assertError(r, 429, "locked", msg="wrong password while locked")
        # other users are not affected
        r = self.c.post(API + "/auth/login", {"username": "zstaff", "password": h.PASSWORD})
        self.assertStatus(r, 200)

    def test_zz_lockout_survives_restart(self):
        r = self.c.post(API + "/users", {"username": "lockr", "display_name": "重启锁定",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["admin"])
        self.assertStatus(r, 201)
        for i in range(5):
            r = self.c.post(API + "/auth/login", {"username": "lockr", "password": "Bad#pass%d" % i})
            self.assertError(r, 401, "unauthorized")
        self.restart()
        r = self.c.post(API + "/auth/login", {"username": "lockr", "password": h.PASSWORD})
        self.assertError(r, 429, "locked", msg="the failure count is written, so a restart does not unlock")

    def test_success_resets_failure_count(self):
        r = self.c.post(API + "/users", {"username": "resetty", "display_name": "计数重置",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["admin"])
        self.assertStatus(r, 201)
        for i in range(4):
            r = self.c.post(API + "/auth/login", {"username": "resetty", "password": "Bad#pass%d" % i})
            self.assertError(r, 401, "unauthorized")
        r = self.c.post(API + "/auth/login", {"username": "resetty", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        # "five consecutive": the success broke the run
        for i in range(4):
            r = self.c.post(API + "/auth/login", {"username": "resetty", "password": "Bad#pass%d" % i})
            self.assertError(r, 401, "unauthorized")
        r = self.c.post(API + "/auth/login", {"username": "resetty", "password": h.PASSWORD})
        self.assertStatus(r, 200)

    # ---- password policy
    def _mkuser(self, username, password):
        return self.c.post(API + "/users", {"username": username, "display_name": "密码策略",
                                           "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                           "password": password}, token=self.T["admin"])

    def test_password_seven_chars_422(self):
        self.assertError(self._mkuser("pw7", "Ab1!xyz"), 422, "validation_failed", field="password")

    def test_password_two_classes_422(self):
        self.assertError(self._mkuser("pw2a", "abcdefgh12"), 422, "validation_failed", field="password")
        self.assertError(self._mkuser("pw2b", "ABCDEFGH!!"), 422, "validation_failed", field="password")

    def test_password_equal_to_username_422(self):
        self.assertError(self._mkuser("Abc12345x", "Abc12345x"), 422, "validation_failed",
                         field="password")

    def test_password_refused_creates_nothing(self):
        self._mkuser("ghost7", "Ab1!xyz")
        r = self.c.post(API + "/auth/login", {"username": "ghost7", "password": "Ab1!xyz"})
        self.assertError(r, 401, "unauthorized")
        r = self.c.get(API + "/users", token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertNotIn("ghost7", r.body.decode("utf-8"))

    def test_password_policy_ok_three_classes_eight_chars(self):
        r = self._mkuser("pwok", "abcdef1!")
        self.assertStatus(r, 201)
        self.assertIn("id", r.json)
        self.assertEqual(r.json["username"], "pwok")
        self.assertNotIn("password", r.json)
        for k in ("id", "username", "display_name", "unit_id", "roles", "disabled", "created_at"):
            self.assertIn(k, r.json)

    def test_only_admin_creates_users(self):
        r = self.c.post(API + "/users", {"username": "bysup", "display_name": "x",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["sup"])
        self.assertError(r, 403, "forbidden")

    # ---- CSRF
    def _cookie_login(self, who="sup"):
        r = self.c.post(API + "/auth/login", {"username": who, "password": h.PASSWORD})
        self.assertStatus(r, 200)
        ck, _ = session_cookie(r)
        self.assertIsNotNone(ck)
        return ck, r.json["csrf"]

    def test_cookie_read_needs_no_csrf(self):
        ck, _ = self._cookie_login("sup")
        r = self.c.get(API + "/me", cookie=ck)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["user"]["username"], "sup")

    def test_cookie_write_without_csrf_403(self):
        ck, csrf = self._cookie_login("sup")
        n0 = self.list_items("")["total"]
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "无CSRF"}, cookie=ck)
        self.assertError(r, 403, "csrf_failed")
        self.assertEqual(self.list_items("")["total"], n0, "refused write created an item")

    def test_cookie_write_with_wrong_csrf_403(self):
        ck, csrf = self._cookie_login("sup")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "错误CSRF"}, cookie=ck,
                        csrf=csrf + "x")
        self.assertError(r, 403, "csrf_failed")

    def test_cookie_write_with_other_sessions_csrf_403(self):
        ck, _ = self._cookie_login("sup")
        _, other = self._cookie_login("sup")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "他人CSRF"}, cookie=ck,
                        csrf=other)
        self.assertError(r, 403, "csrf_failed")

    def test_cookie_write_with_csrf_passes(self):
        ck, csrf = self._cookie_login("sup")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "带CSRF"}, cookie=ck,
                        csrf=csrf)
        self.assertStatus(r, 201)

    def test_cookie_action_without_csrf_403_and_nothing_changes(self):
        ck, csrf = self._cookie_login("sup")
        it = self.create_item(title="CSRF动作")
        r = self.c.post(API + "/items/%s/actions" % it["id"], {"action": "assign", "version": it["version"]},
                        cookie=ck)
        self.assertError(r, 403, "csrf_failed")
        self.assertEqual(self.get_item(it["id"])["status"], "draft")
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "改", "version": it["version"]},
                         cookie=ck)
        self.assertError(r, 403, "csrf_failed")
        r = self.c.post(API + "/items/%s/actions" % it["id"], {"action": "assign", "version": it["version"]},
                        cookie=ck, csrf=csrf)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "assigned")

    def test_csrf_checked_before_visibility(self):
        ck, _ = self._cookie_login("zstaff")
        r = self.c.post(API + "/items/987654/actions", {"action": "report", "version": 1}, cookie=ck)
        self.assertError(r, 403, "csrf_failed")

    def test_bearer_write_needs_no_csrf(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "Bearer写"},
                        token=self.T["sup"])
        self.assertStatus(r, 201)

    # ---- logout
    def test_logout_204_and_token_dies(self):
        tok = self.fx.login("zstaff")
        r = self.c.get(API + "/me", token=tok)
        self.assertStatus(r, 200)
        r = self.c.post(API + "/auth/logout", token=tok)
        self.assertEqual(r.status, 204, r)
        self.assertEqual(r.body, b"")
        r = self.c.get(API + "/me", token=tok)
        self.assertError(r, 401, "unauthorized")
        r = self.c.get(API + "/items/%s" % self.item["id"], token=tok)
        self.assertError(r, 401, "unauthorized")
        # other sessions of the same user live on
        r = self.c.get(API + "/me", token=self.T["zstaff"])
        self.assertStatus(r, 200)

    def test_cookie_logout_kills_cookie(self):
        ck, csrf = self._cookie_login("zmgr")
        r = self.c.post(API + "/auth/logout", cookie=ck, csrf=csrf)
        self.assertEqual(r.status, 204, r)
        r = self.c.get(API + "/me", cookie=ck)
        self.assertError(r, 401, "unauthorized")

    # ---- 401 everywhere
    def test_401_on_every_protected_route(self):
        iid = self.item["id"]
        routes = [
            ("GET", API + "/me"), ("GET", API + "/units"), ("POST", API + "/units"),
            ("GET", API + "/units/%s" % self.U["ZJJ"]), ("PATCH", API + "/units/%s" % self.U["ZJJ"]),
            ("GET", API + "/users"), ("POST", API + "/users"),
            ("GET", API + "/users/1"), ("PATCH", API + "/users/1"),
            ("GET", API + "/ledgers"), ("GET", API + "/items"), ("POST", API + "/items"),
            ("GET", API + "/items/%s" % iid), ("PATCH", API + "/items/%s" % iid),
            ("POST", API + "/items/%s/actions" % iid), ("GET", API + "/items/%s/events" % iid),
            ("POST", API + "/items/%s/attachments?name=a.png" % iid),
            ("GET", API + "/attachments/1"), ("GET", API + "/dashboard"),
            ("GET", API + "/audit"), ("GET", API + "/audit/verify"),
            ("POST", API + "/auth/logout"), ("GET", API + "/search?q=abc"),
            ("GET", API + "/calendar/2026"), ("GET", API + "/todos"),
            ("GET", API + "/items/999999"), ("GET", API + "/items/999999/events"),
        ]
        for m, p in routes:
            body = b"{}" if m in ("POST", "PATCH") else None
            ct = "application/json" if body is not None else None
            if p.endswith("a.png"):
                body, ct = h.PNG, h.CT_PNG
            r = self.c.request(m, p, raw=body, content_type=ct)
            self.assertError(r, 401, "unauthorized", msg="%s %s" % (m, p))

    def test_401_with_bogus_token(self):
        r = self.c.get(API + "/me", token="not-a-token")
        self.assertError(r, 401, "unauthorized")
        r = self.c.get(API + "/items", token="A" * 64)
        self.assertError(r, 401, "unauthorized")
        r = self.c.get(API + "/me", cookie="tz_session=bogus")
        self.assertError(r, 401, "unauthorized")

    def test_public_routes(self):
        r = self.c.get("/healthz")
        self.assertEqual(r.status, 200, r)
        r = self.c.get("/metrics")
        self.assertEqual(r.status, 200, r)
        self.assertIn("taizhang_http_requests_total", r.body.decode("utf-8"))
        self.assertTrue((r.header("Content-Type") or "").startswith("text/plain"), r.headers)
        r = self.c.get(API + "/openapi.json")
        self.assertEqual(r.status, 200, r)
        self.assertIsInstance(r.json, dict)
        self.assertTrue(str(r.json.get("openapi", "")).startswith("3.1"), r.json.get("openapi"))
        self.assertIn("paths", r.json)

    def test_metrics_counter_grows(self):
        def total():
            r = self.c.get("/metrics")
            self.assertEqual(r.status, 200)
            n = 0.0
            for line in r.body.decode("utf-8").splitlines():
                if line.startswith("taizhang_http_requests_total"):
                    n += float(line.rsplit(" ", 1)[1])
            return n
        a = total()
        for _ in range(5):
            self.c.get(API + "/me", token=self.T["zstaff"])
        b = total()
        self.assertGreaterEqual(b - a, 5)

    def test_cookie_upload_and_patch_need_csrf(self):
        it = self.act(self.create_item(title="CSRF上传"), "assign")
        ck, csrf = self._cookie_login("sup")
        p = API + "/items/%s/attachments?name=a.png" % it["id"]
        r = self.c.request("POST", p, raw=h.PNG, content_type=h.CT_PNG, cookie=ck)
        self.assertError(r, 403, "csrf_failed")
        self.assertEqual(self.get_item(it["id"])["attachments"], [])
        r = self.c.request("POST", p, raw=h.PNG, content_type=h.CT_PNG, cookie=ck, csrf=csrf)
        self.assertStatus(r, 201)
        v = self.get_item(it["id"])["version"]
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "带CSRF改", "version": v}, cookie=ck, csrf=csrf)
        self.assertStatus(r, 200)

    def test_expires_at_uses_real_clock(self):
        import datetime
        r = self.c.post(API + "/auth/login", {"username": "zstaff", "password": h.PASSWORD})
        self.assertStatus(r, 200)
        real = datetime.datetime.now(datetime.timezone.utc).date()
        ok = {(real + datetime.timedelta(days=d)).isoformat() for d in (0, 1)}
        self.assertIn(str(r.json["expires_at"])[:10], ok, r.json["expires_at"])

    # ---- me
    def test_me(self):
        r = self.c.get(API + "/me", token=self.T["zstaff"])
        self.assertStatus(r, 200)
        j = r.json
        self.assertEqual(j["user"]["username"], "zstaff")
        self.assertEqual(j["user"]["unit_id"], self.U["ZJJ"])
        self.assertEqual(j["unit"]["id"], self.U["ZJJ"])
        self.assertEqual(j["unit"]["code"], "ZJJ")
        self.assertEqual(j["roles"], ["staff"])
        self.assertNotIn("password", j["user"])

    def test_me_admin_root_unit(self):
        r = self.c.get(API + "/me", token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["unit"]["code"], "ROOT")
        self.assertEqual(r.json["unit"]["kind"], "district")
        self.assertEqual(r.json["roles"], ["admin"])

    # ---- 三员分立
    def test_admin_cannot_read_audit(self):
        self.assertError(self.c.get(API + "/audit", token=self.T["admin"]), 403, "forbidden")
        self.assertError(self.c.get(API + "/audit/verify", token=self.T["admin"]), 403, "forbidden")

    def test_admin_sees_no_items(self):
        j = self.list_items("", token=self.T["admin"])
        self.assertEqual(j["items"], [])
        self.assertEqual(j["total"], 0)
        self.assertError(self.c.get(API + "/items/%s" % self.item["id"], token=self.T["admin"]),
                         404, "not_found")
        self.assertError(self.c.get(API + "/items/%s/events" % self.item["id"], token=self.T["admin"]),
                         404, "not_found")

    def test_admin_cannot_create_items(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "管理员建"},
                        token=self.T["admin"])
        self.assertError(r, 403, "forbidden")

    def test_auditor_reads_audit_only(self):
        self.assertStatus(self.c.get(API + "/audit", token=self.T["auditor"]), 200)
        self.assertStatus(self.c.get(API + "/audit/verify", token=self.T["auditor"]), 200)
        j = self.list_items("", token=self.T["auditor"])
        self.assertEqual(j["items"], [])
        self.assertEqual(j["total"], 0)
        self.assertError(self.c.get(API + "/items/%s" % self.item["id"], token=self.T["auditor"]),
                         404, "not_found")
        r = self.c.post(API + "/units", {"code": "AUD", "name": "审计建", "kind": "department",
                                        "parent_id": self.U["ROOT"]}, token=self.T["auditor"])
        self.assertError(r, 403, "forbidden")
        r = self.c.post(API + "/users", {"username": "byaud", "display_name": "x",
                                        "unit_id": self.U["ZJJ"], "roles": ["staff"],
                                        "password": h.PASSWORD}, token=self.T["auditor"])
        self.assertError(r, 403, "forbidden")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "审计员建"},
                        token=self.T["auditor"])
        self.assertError(r, 403, "forbidden")

    def test_others_cannot_read_audit(self):
        for u in ("sup", "lead", "zstaff"):
            self.assertError(self.c.get(API + "/audit", token=self.T[u]), 403, "forbidden", msg=u)

    def test_only_admin_creates_units(self):
        r = self.c.post(API + "/units", {"code": "SUPU", "name": "督查建", "kind": "department",
                                        "parent_id": self.U["ROOT"]}, token=self.T["sup"])
        self.assertError(r, 403, "forbidden")


if __name__ == "__main__":
    h.main()
