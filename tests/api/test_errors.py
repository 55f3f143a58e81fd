#!/usr/bin/env python3
"""Every error code of SPEC 4 is reachable, in the error envelope, and a refused
request writes nothing (version and events unchanged)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class ErrorsTest(h.TzCase):
    USERS = ("sup", "zstaff", "zmgr", "viewer", "sstaff", "lead")

    def setUp(self):
        # a fresh in_progress item led by ZJJ for each test
        self.it = self.to_in_progress()
        self.ev0 = len(self.events(self.it["id"]))

    def assertUnchanged(self, item=None):
        item = item or self.it
        now = self.get_item(item["id"])
        self.assertEqual(now["version"], item["version"], "a refused request changed the version")
        self.assertEqual(now["status"], item["status"])
        self.assertEqual(now["progress"], item["progress"])
        self.assertEqual(now["title"], item["title"])
        self.assertEqual(now["deadline"], item["deadline"])
        self.assertEqual(len(self.events(item["id"])), self.ev0, "a refused request wrote an event")

    def post_raw(self, path, raw, token=None, ctype="application/json"):
        return self.c.request("POST", path, raw=raw, content_type=ctype, token=token or self.T["sup"])

    def actions_path(self):
        return API + "/items/%s/actions" % self.it["id"]

    # ---- envelope
    def test_error_envelope_shape_and_json_content_type(self):
        r = self.c.get(API + "/items/999999", token=self.T["sup"])
        self.assertError(r, 404, "not_found")
        self.assertTrue((r.header("Content-Type") or "").startswith("application/json"), r.headers)
        self.assertEqual(set(r.json.keys()), {"error"})
        self.assertTrue(r.json["error"]["message"])
        self.assertTrue(set(r.json["error"].keys()) <= {"code", "message", "field"}, r.json)

    # ---- 400
    def test_400_malformed_json_on_create(self):
        n0 = self.list_items("")["total"]
        r = self.post_raw(API + "/items", b'{"ledger": "rectification", "title": ')
        self.assertError(r, 400, "bad_request")
        self.assertEqual(self.list_items("")["total"], n0)

    def test_400_malformed_json_on_action(self):
        r = self.post_raw(self.actions_path(), b'{"action": "report", "version": 3,,}')
        self.assertError(r, 400, "bad_request")
        self.assertUnchanged()

    def test_400_trailing_garbage(self):
        r = self.post_raw(self.actions_path(), b'{"action": "remind", "version": %d} x' % self.it["version"])
        self.assertError(r, 400, "bad_request")
        self.assertUnchanged()

    def test_400_invalid_utf8_in_string(self):
        body = b'{"action": "report", "version": %d, "comment": "\xff\xfe\xe4\xb8"}' % self.it["version"]
        r = self.post_raw(self.actions_path(), body, token=self.T["zstaff"])
        self.assertError(r, 400, "bad_request")
        self.assertUnchanged()

    def test_400_invalid_utf8_on_create(self):
        n0 = self.list_items("")["total"]
        r = self.post_raw(API + "/items", b'{"ledger": "rectification", "title": "\xc3\x28"}')
        self.assertError(r, 400, "bad_request")
        self.assertEqual(self.list_items("")["total"], n0)

    def test_400_json_not_an_object(self):
        for raw in (b'[1, 2]', b'"assign"', b'42', b'null'):
            r = self.post_raw(self.actions_path(), raw)
            self.assertError(r, 400, "bad_request", msg=raw)
        r = self.post_raw(API + "/items", b'["rectification"]')
        self.assertError(r, 400, "bad_request")
        self.assertUnchanged()

    def test_400_empty_body_on_action(self):
        r = self.post_raw(self.actions_path(), b"")
        self.assertEqual(r.status, 400, r)
        self.assertUnchanged()

    # ---- 401
    def test_401_without_token(self):
        r = self.c.post(self.actions_path(), {"action": "remind", "version": self.it["version"]})
        self.assertError(r, 401, "unauthorized")
        self.assertUnchanged()

    def test_401_before_404(self):
        self.assertError(self.c.get(API + "/items/999999"), 401, "unauthorized")

    def test_patch_check_order(self):
        # roles (403) before version (409)
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"title": "x", "version": 1}, token=self.T["zstaff"])
        self.assertError(r, 403, "forbidden")
        # version (409 version_conflict) before state (409 invalid_transition)
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"deadline": "2027-06-30", "version": 1},
                         token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"deadline": "2027-06-30", "version": self.it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        # 404 before everything but sign-in
        r = self.c.request("PATCH", API + "/items/%s" % self.it["id"], raw=b"{bad", content_type="application/json",
                           token=self.T["sstaff"])
        self.assertError(r, 404, "not_found")
        self.assertUnchanged()

    # ---- 403
    def test_403_staff_creates_item(self):
        n0 = self.list_items("")["total"]
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "科员新建",
                                        "lead_unit_id": self.U["ZJJ"]}, token=self.T["zstaff"])
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.list_items("")["total"], n0)

    def test_403_staff_submits(self):
        r = self.c.post(self.actions_path(), {"action": "submit", "version": self.it["version"]},
                        token=self.T["zstaff"])
        self.assertError(r, 403, "forbidden")
        self.assertUnchanged()

    def test_403_staff_patches(self):
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"title": "科员改", "version": self.it["version"]},
                         token=self.T["zstaff"])
        self.assertError(r, 403, "forbidden")
        self.assertUnchanged()

    # ---- 404
    def test_404_unknown_item(self):
        self.assertError(self.c.get(API + "/items/999999", token=self.T["sup"]), 404, "not_found")
        r = self.c.post(API + "/items/999999/actions", {"action": "remind", "version": 1}, token=self.T["sup"])
        self.assertError(r, 404, "not_found")
        self.assertError(self.c.get(API + "/items/999999/events", token=self.T["sup"]), 404, "not_found")
        r = self.c.patch(API + "/items/999999", {"title": "x", "version": 1}, token=self.T["sup"])
        self.assertError(r, 404, "not_found")
        self.assertError(self.c.get(API + "/attachments/999999", token=self.T["sup"]), 404, "not_found")

    def test_404_unknown_route(self):
        for p in (API + "/nothing-here", API + "/items/1/nothing", API + "/itemsx"):
            self.assertError(self.c.get(p, token=self.T["sup"]), 404, "not_found", msg=p)

    def test_404_odd_item_ids(self):
        for p in ("abc", "1abc", "-1", "0", "1.5", "99999999999999999999999"):
            r = self.c.get(API + "/items/" + p, token=self.T["sup"])
            self.assertError(r, 404, "not_found", msg=p)

    def test_422_unknown_co_unit(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "co_unit_ids": [999999]},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="co_unit_ids")

    def test_404_before_400_for_invisible_item(self):
        # the item is led by ZJJ; sstaff (STJ) may not see it: malformed body still answers 404
        r = self.post_raw(self.actions_path(), b'{"action":', token=self.T["sstaff"])
        self.assertError(r, 404, "not_found")
        self.assertUnchanged()

    # ---- 405
    def test_405_wrong_method_on_known_path(self):
        cases = [("DELETE", API + "/items"), ("PUT", API + "/items"),
                 ("DELETE", API + "/items/%s" % self.it["id"]),
                 ("GET", API + "/items/%s/actions" % self.it["id"]),
                 ("GET", API + "/auth/login"), ("DELETE", API + "/dashboard"),
                 ("POST", API + "/dashboard")]
        for m, p in cases:
            r = self.c.request(m, p, token=self.T["sup"], raw=b"{}" if m != "GET" else None,
                               content_type="application/json" if m != "GET" else None)
            self.assertError(r, 405, "method_not_allowed", msg="%s %s" % (m, p))
        self.assertUnchanged()

    # ---- 409
    def test_409_version_conflict(self):
        r = self.c.post(self.actions_path(), {"action": "report", "comment": "旧版本", "progress": 10,
                                              "version": self.it["version"] - 1}, token=self.T["zstaff"])
        self.assertError(r, 409, "version_conflict")
        self.assertUnchanged()

    def test_409_version_conflict_future_version(self):
        r = self.c.post(self.actions_path(), {"action": "remind", "version": self.it["version"] + 5},
                        token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")
        self.assertUnchanged()

    def test_409_invalid_transition(self):
        r = self.c.post(self.actions_path(), {"action": "verify", "comment": "验收",
                                              "version": self.it["version"]}, token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        self.assertUnchanged()

    def test_409_patch_stale(self):
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"title": "旧", "version": 1},
                         token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")
        self.assertUnchanged()

    # ---- 413
    def test_413_json_body_over_1mib(self):
        n0 = self.list_items("")["total"]
        big = b'{"ledger": "rectification", "title": "big", "description": "' + b"a" * (1024 * 1024 + 100) + b'"}'
        head = ("POST %s/items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (API, self.T["sup"], len(big))).encode()
        chunks = [big[i:i + 65536] for i in range(0, len(big), 65536)]
        r = self.c.raw_exchange(head, chunks)
        self.assertError(r, 413, "too_large")
        self.assertEqual(self.list_items("")["total"], n0)
        # the server still answers afterwards
        self.assertStatus(self.c.get("/healthz"), 200)

    def test_413_action_body_over_1mib(self):
        big = ('{"action": "report", "version": %d, "comment": "' % self.it["version"]).encode() + \
            b"x" * (1024 * 1024 + 10) + b'"}'
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (self.actions_path(), self.T["zstaff"], len(big))).encode()
        r = self.c.raw_exchange(head, [big[i:i + 65536] for i in range(0, len(big), 65536)])
        self.assertError(r, 413, "too_large")
        self.assertUnchanged()

    def test_body_just_under_1mib_is_not_413(self):
        desc = "b" * (1024 * 1024 - 400)
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "接近上限", "description": desc},
                        token=self.T["sup"])
        self.assertStatus(r, 201)

    # ---- 415
    def test_415_attachment_type(self):
        r = self.c.request("POST", API + "/items/%s/attachments?name=a.txt" % self.it["id"],
                           raw=b"plain text", content_type="text/plain", token=self.T["zstaff"])
        self.assertError(r, 415, "unsupported_media_type")
        self.assertUnchanged()

    def test_415_json_route_with_other_content_type(self):
        n0 = self.list_items("")["total"]
        r = self.c.request("POST", API + "/items", raw=b'{"ledger": "rectification", "title": "t"}',
                           content_type="text/plain", token=self.T["sup"])
        self.assertError(r, 415, "unsupported_media_type")
        self.assertEqual(self.list_items("")["total"], n0)

    # ---- 422
    def test_422_unknown_field_on_create(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "colour": "red"},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="colour")

    def test_422_wrong_type_on_create(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": 123}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="title")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "lead_unit_id": "ZJJ"},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="lead_unit_id")
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "co_unit_ids": 5},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="co_unit_ids")

    def test_422_missing_title(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "lead_unit_id": self.U["ZJJ"]},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="title")

    def test_422_empty_title(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": ""}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="title")

    def test_422_unknown_ledger(self):
        r = self.c.post(API + "/items", {"ledger": "nonsense", "title": "t"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="ledger")

    def test_422_bad_dates(self):
        for d in ("2026-02-30", "2026-13-01", "2026-1-5", "20261231", "tomorrow", "2025-02-29"):
            r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "deadline": d},
                            token=self.T["sup"])
            self.assertError(r, 422, "validation_failed", field="deadline", msg=d)

    def test_leap_day_is_a_date(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "闰日", "deadline": "2028-02-29"},
                        token=self.T["sup"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["deadline"], "2028-02-29")

    def test_422_unknown_lead_unit(self):
        r = self.c.post(API + "/items", {"ledger": "rectification", "title": "t", "lead_unit_id": 999999},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="lead_unit_id")

    def test_422_progress_out_of_range(self):
        for p in (101, -1):
            r = self.c.post(self.actions_path(), {"action": "report", "comment": "进展", "progress": p,
                                                  "version": self.it["version"]}, token=self.T["zstaff"])
            self.assertError(r, 422, "validation_failed", field="progress", msg=str(p))
        r = self.c.post(self.actions_path(), {"action": "report", "comment": "进展", "progress": "50",
                                              "version": self.it["version"]}, token=self.T["zstaff"])
        self.assertError(r, 422, "validation_failed", field="progress")
        r = self.c.post(self.actions_path(), {"action": "report", "comment": "进展", "progress": 50.5,
                                              "version": self.it["version"]}, token=self.T["zstaff"])
        self.assertError(r, 422, "validation_failed", field="progress")
        self.assertUnchanged()

    def test_422_per_page_bounds(self):
        for q in ("per_page=0", "per_page=201", "per_page=-1", "per_page=abc"):
            r = self.c.get(API + "/items?" + q, token=self.T["sup"])
            self.assertError(r, 422, "validation_failed", field="per_page", msg=q)
        self.assertStatus(self.c.get(API + "/items?per_page=1", token=self.T["sup"]), 200)
        self.assertStatus(self.c.get(API + "/items?per_page=200", token=self.T["sup"]), 200)

    def test_422_unknown_action_names_action(self):
        r = self.c.post(self.actions_path(), {"action": "approve", "version": self.it["version"]},
                        token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="action")
        r = self.c.post(self.actions_path(), {"version": self.it["version"]}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="action")
        r = self.c.post(self.actions_path(), {"action": 7, "version": self.it["version"]}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="action")
        self.assertUnchanged()

    def test_422_typing_before_roles(self):
        # the viewer may not act at all, but an unknown action is a typing error, checked first
        r = self.c.post(self.actions_path(), {"action": "frobnicate", "version": self.it["version"]},
                        token=self.T["viewer"])
        self.assertError(r, 422, "validation_failed", field="action")
        r = self.post_raw(self.actions_path(), b'{"action": "report"', token=self.T["viewer"])
        self.assertError(r, 400, "bad_request")

    def test_422_missing_version(self):
        r = self.c.post(self.actions_path(), {"action": "remind"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="version")
        r = self.c.patch(API + "/items/%s" % self.it["id"], {"title": "无版本"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="version")
        r = self.c.post(self.actions_path(), {"action": "remind", "version": "3"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="version")
        self.assertUnchanged()

    def test_422_unknown_field_on_action(self):
        r = self.c.post(self.actions_path(), {"action": "remind", "version": self.it["version"],
                                              "urgency": "high"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="urgency")
        self.assertUnchanged()

    def test_422_requirement_comment(self):
        r = self.c.post(self.actions_path(), {"action": "report", "version": self.it["version"], "progress": 30},
                        token=self.T["zstaff"])
        self.assertError(r, 422, "validation_failed", field="comment")
        self.assertUnchanged()

    def test_422_units_parent_checks(self):
        r = self.c.post(API + "/units", {"code": "ORPH", "name": "孤儿", "kind": "department",
                                        "parent_id": 999999}, token=self.T["admin"])
        self.assertError(r, 422, "validation_failed", field="parent_id")
        r = self.c.post(API + "/units", {"code": "BADK", "name": "错类", "kind": "galaxy",
                                        "parent_id": self.U["ROOT"]}, token=self.T["admin"])
        self.assertError(r, 422, "validation_failed", field="kind")
        # a cycle: make ZJJ's parent its own child ZJZ
        r = self.c.patch(API + "/units/%s" % self.U["ZJJ"], {"parent_id": self.U["ZJZ"]},
                         token=self.T["admin"])
        self.assertError(r, 422, "validation_failed", field="parent_id")
        r = self.c.get(API + "/units/%s" % self.U["ZJJ"], token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["parent_id"], self.U["ROOT"])

    def test_unit_kind_does_not_restrict_parent_and_roots_allowed(self):
        r = self.c.post(API + "/units", {"code": "ENT1", "name": "某企业", "kind": "enterprise",
                                        "parent_id": self.U["DGSQ"]}, token=self.T["admin"])
        self.assertStatus(r, 201)
        r = self.c.post(API + "/units", {"code": "ROOT2", "name": "第二根", "kind": "district",
                                        "parent_id": None}, token=self.T["admin"])
        self.assertStatus(r, 201)
        self.assertIsNone(r.json["parent_id"])

    def test_422_bad_user_roles(self):
        r = self.c.post(API + "/users", {"username": "badrole", "display_name": "x", "unit_id": self.U["ZJJ"],
                                        "roles": ["emperor"], "password": h.PASSWORD}, token=self.T["admin"])
        self.assertError(r, 422, "validation_failed", field="roles")

    # ---- a refused action of every kind writes nothing
    def test_refusals_write_nothing(self):
        v = self.it["version"]
        attempts = [
            (self.T["zstaff"], {"action": "verify", "comment": "x", "version": v}),        # 403
            (self.T["sup"], {"action": "verify", "comment": "x", "version": v}),           # 409 state
            (self.T["sup"], {"action": "remind", "version": v - 1}),                      # 409 version
            (self.T["zstaff"], {"action": "report", "version": v}),                       # 422 comment
            (self.T["zmgr"], {"action": "submit", "version": v}),                         # 422 progress
            (self.T["sstaff"], {"action": "report", "comment": "x", "version": v}),       # 404
            (self.T["viewer"], {"action": "report", "comment": "x", "version": v}),       # 403
            (self.T["lead"], {"action": "assign", "version": v}),                         # 403
        ]
        for tok, body in attempts:
            r = self.c.post(self.actions_path(), body, token=tok)
            self.assertGreaterEqual(r.status, 400, "%r %r" % (body, r))
        self.assertUnchanged()


if __name__ == "__main__":
    h.main()
