#!/usr/bin/env python3
"""The closed loop (SPEC 2.3, 2.4): the full user story, every action, role and
requirement refusals, the check order, PATCH rules."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402

TODAY = h.DEFAULT_TODAY


class LoopTest(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "smgr", "viewer")

    # ------------------------------------------------------------ full story
    def test_00_full_user_story(self):
        sup, zstaff, zmgr = self.T["sup"], self.T["zstaff"], self.T["zmgr"]
        it = self.create_item(title="湟水河城东段排污口整治", description="中央环保督察反馈问题",
                              source="中央第三生态环境保护督察组反馈第12条", leader="王副区长",
                              deadline=h.OMIT, lead_unit_id=h.OMIT,
                              fields={"rect_type": "限期整改", "target": "排污口全部封堵"})
        for k in h.ITEM_KEYS:
            self.assertIn(k, it, "item JSON lacks %s" % k)
        self.assertRegex(it["code"], r"^ZG-2026-\d{4}$")
        self.assertEqual(it["status"], "draft")
        self.assertEqual(it["light"], "none")
        self.assertEqual(it["progress"], 0)
        self.assertEqual(it["version"], 1)
        self.assertEqual(it["supervised"], 0)
        self.assertEqual(it["extension_count"], 0)
        self.assertEqual(it["remind_count"], 0)
        self.assertEqual(it["reopen_count"], 0)
        self.assertEqual(it["attachments"], [])
        self.assertIsNone(it["extension"])
        self.assertIsNone(it["on_time"])
        self.assertIsNone(it["closed_at"])
        self.assertIsNone(it["assigned_at"])
        self.assertTrue(it["created_at"].startswith(TODAY), it["created_at"])
        self.assertEqual(it["fields"].get("rect_type"), "限期整改")
        self.assertEqual(it["source"], "中央第三生态环境保护督察组反馈第12条")
        self.assertEqual(self.get_item(it["id"]), it, "POST answer differs from GET")

        # assign needs lead unit, then deadline
        r = self.act(it, "assign", expect=422)
        self.assertError(r, 422, "validation_failed", field="lead_unit_id")
        r = self.c.patch(API + "/items/%s" % it["id"], {"lead_unit_id": self.U["ZJJ"], "version": it["version"]},
                         token=sup)
        self.assertStatus(r, 200)
        it = r.json
        r = self.act(it, "assign", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        it = self.c.patch(API + "/items/%s" % it["id"], {"deadline": "2026-12-31", "version": it["version"]},
                          token=sup).json
        self.assertEqual(it["deadline"], "2026-12-31")

        v = it["version"]
        it = self.act(it, "assign", comment="请住建局牵头整改")
        self.assertEqual(it["status"], "assigned")
        self.assertEqual(it["version"], v + 1)
        self.assertTrue(it["assigned_at"].startswith(TODAY))
        self.assertEqual(it["original_deadline"], "2026-12-31")
        self.assertEqual(it["light"], "green")

        it = self.act(it, "accept", token=zstaff)
        self.assertEqual(it["status"], "in_progress")
        it = self.act(it, "report", token=zstaff, comment="已封堵3处", progress=60)
        self.assertEqual(it["progress"], 60)
        self.assertEqual(it["status"], "in_progress")
        it = self.act(it, "report", token=zstaff, comment="全部封堵", progress=100)
        self.assertEqual(it["progress"], 100)
        att = self.upload(it["id"], token=zstaff, name="封堵后现场.png")
        it = self.get_item(it["id"])
        self.assertEqual([a["id"] for a in it["attachments"]], [att["id"]])
        it = self.act(it, "submit", token=zmgr, comment="申请销号")
        self.assertEqual(it["status"], "submitted")
        it = self.act(it, "verify", token=sup, comment="现场核查属实，同意销号")
        self.assertEqual(it["status"], "closed")
        self.assertEqual(it["light"], "done")
        self.assertIs(it["on_time"], True)
        self.assertTrue(it["closed_at"].startswith(TODAY), it["closed_at"])
        self.assertEqual(it["progress"], 100)

        # events: oldest first, with actors and before/after
        evs = self.events(it["id"])
        acts = [e["action"] for e in evs]
        self.assertEqual(acts, ["create", "edit", "edit", "assign", "accept", "report", "report", "attach",
                                "submit", "verify"])
        seqs = [e["seq"] for e in evs]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), len(seqs))
        for e in evs:
            for k in ("seq", "at", "actor", "action", "comment", "before", "after"):
                self.assertIn(k, e)
            for k in ("id", "username", "display_name", "unit_id"):
                self.assertIn(k, e["actor"])
        by = {e["action"]: e for e in evs}
        self.assertEqual(by["create"]["actor"]["username"], "sup")
        self.assertEqual(by["accept"]["actor"]["username"], "zstaff")
        self.assertEqual(by["accept"]["actor"]["unit_id"], self.U["ZJJ"])
        self.assertEqual(by["submit"]["actor"]["username"], "zmgr")
        self.assertEqual(by["assign"]["before"]["status"], "draft")
        self.assertEqual(by["assign"]["after"]["status"], "assigned")
        self.assertEqual(by["assign"]["comment"], "请住建局牵头整改")
        self.assertEqual(by["verify"]["before"]["status"], "submitted")
        self.assertEqual(by["verify"]["after"]["status"], "closed")
        self.assertEqual(by["verify"]["comment"], "现场核查属实，同意销号")
        reports = [e for e in evs if e["action"] == "report"]
        self.assertEqual(reports[0]["before"]["progress"], 0)
        self.assertEqual(reports[0]["after"]["progress"], 60)
        self.assertEqual(reports[1]["before"]["progress"], 60)
        self.assertEqual(reports[1]["after"]["progress"], 100)
        self.assertEqual(reports[0]["comment"], "已封堵3处")
        edits = [e for e in evs if e["action"] == "edit"]
        self.assertEqual(edits[1]["after"].get("deadline"), "2026-12-31")
        for e in evs:
            self.assertTrue(e["at"].startswith(TODAY), e["at"])

        # dashboard counts it closed, on_time_rate 1 (this test runs first: no other item exists yet)
        d = self.c.get(API + "/dashboard", token=sup)
        self.assertStatus(d, 200)
        t = d.json["totals"]
        self.assertGreaterEqual(t["closed"], 1)
        self.assertEqual(t["on_time_rate"], 1)
        self.assertEqual(t["open"], t["green"] + t["yellow"] + t["red"])
        closed = self.list_items("status=closed&per_page=200")["total"]
        self.assertEqual(t["closed"], closed)
        rect = [b for b in d.json["by_ledger"] if b["ledger"] == "rectification"]
        self.assertEqual(len(rect), 1)
        self.assertEqual(rect[0]["closed"], closed)
        zjj = [u for u in d.json["by_unit"] if u["unit_id"] == self.U["ZJJ"]]
        self.assertEqual(len(zjj), 1)
        self.assertGreaterEqual(zjj[0]["closed"], 1)

    # ------------------------------------------------------------ codes
    def test_codes_sequential_per_ledger(self):
        a = self.create_item(title="编号一")
        b = self.create_item(title="编号二")
        na, nb = int(a["code"][-4:]), int(b["code"][-4:])
        self.assertEqual(nb, na + 1)
        g = self.create_item(ledger="reform", title="改革任务编号")
        self.assertRegex(g["code"], r"^GG-2026-\d{4}$")
        m = self.create_item(ledger="livelihood", title="民生实事编号")
        self.assertRegex(m["code"], r"^MS-2026-0001$")
        x = self.create_item(ledger="project", title="项目编号")
        self.assertRegex(x["code"], r"^XM-2026-0001$")

    def test_eco_problem_requires_location(self):
        r = self.c.post(API + "/items", {"ledger": "eco_problem", "title": "河道垃圾"}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="location")
        it = self.create_item(ledger="eco_problem", title="河道垃圾",
                              location={"lat": 36.62, "lon": 101.80, "address": "曹家沟"})
        self.assertRegex(it["code"], r"^ST-2026-\d{4}$")
        self.assertEqual(it["location"]["address"], "曹家沟")

    def test_ledgers_endpoint_lists_ten(self):
        r = self.c.get(API + "/ledgers", token=self.T["zstaff"])
        self.assertStatus(r, 200)
        ls = r.json["ledgers"]
        keys = {l["key"]: l for l in ls}
        self.assertEqual(set(keys), {"rectification", "reform", "project", "policy", "eco_problem",
                                     "risk_point", "hazard", "petition", "livelihood", "indicator"})
        pref = {"rectification": "ZG", "reform": "GG", "project": "XM", "policy": "ZC", "eco_problem": "ST",
                "risk_point": "FX", "hazard": "YH", "petition": "XF", "livelihood": "MS", "indicator": "ZB"}
        for k, p in pref.items():
            self.assertEqual(keys[k]["prefix"], p, k)
            self.assertTrue(keys[k]["name"])
        self.assertTrue(keys["policy"]["register"])
        self.assertTrue(keys["risk_point"]["register"])
        self.assertFalse(keys["rectification"]["register"])

    # ------------------------------------------------------------ object
    def test_object_back_to_draft(self):
        it = self.create_item(title="异议退回")
        it = self.act(it, "assign")
        self.assertIsNotNone(it["assigned_at"])
        r = self.act(it, "object", token=self.T["zstaff"], expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "object", token=self.T["zstaff"], comment="", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        it2 = self.act(it, "object", token=self.T["zstaff"], comment="不属于我局职责")
        self.assertEqual(it2["status"], "draft")
        self.assertIsNone(it2["assigned_at"])
        self.assertEqual(it2["light"], "none")
        self.assertEqual(it2["version"], it["version"] + 1)
        # back in draft: invisible to the unit
        self.assertError(self.c.get(API + "/items/%s" % it["id"], token=self.T["zstaff"]), 404, "not_found")
        # the supervisor may assign again
        it3 = self.act(it2, "assign")
        self.assertEqual(it3["status"], "assigned")
        self.assertEqual(it3["original_deadline"], it["original_deadline"])

    def test_object_only_from_assigned_and_only_lead(self):
        it = self.to_in_progress()
        r = self.act(it, "object", token=self.T["zstaff"], comment="晚了", expect=409)
        self.assertError(r, 409, "invalid_transition")
        it = self.create_item(title="配合单位不能退回", lead_unit_id=self.U["STJ"], co_unit_ids=[self.U["ZJJ"]])
        it = self.act(it, "assign")
        r = self.act(it, "object", token=self.T["zstaff"], comment="配合单位异议", expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(it, "accept", token=self.T["zstaff"], expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it, "accept", token=self.T["sstaff"])
        self.assertEqual(it["status"], "in_progress")

    # ------------------------------------------------------------ reject
    def test_reject_keeps_progress_and_evidence(self):
        it = self.to_submitted()
        r = self.act(it, "reject", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        it = self.act(it, "reject", comment="佐证材料不足")
        self.assertEqual(it["status"], "in_progress")
        self.assertEqual(it["progress"], 100)
        self.assertEqual(len(it["attachments"]), 1)
        self.assertIsNone(it["closed_at"])
        # and it can be submitted again
        it = self.act(it, "submit", token=self.T["zmgr"])
        self.assertEqual(it["status"], "submitted")

    def test_verify_needs_comment(self):
        it = self.to_submitted()
        r = self.act(it, "verify", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "verify", comment="", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")

    # ------------------------------------------------------------ extension
    def test_extension_request_and_approve(self):
        it = self.to_in_progress(deadline="2026-12-15")
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2026-12-10",
                     comment="需要延期", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2026-12-15",
                     comment="同一天", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        r = self.act(it, "request_extension", token=self.T["zmgr"], comment="无日期", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-15", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "request_extension", token=self.T["zstaff"], deadline="2027-01-15",
                     comment="科员申请", expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-15",
                      comment="冬季无法施工")
        self.assertEqual(it["status"], "in_progress")
        self.assertEqual(it["deadline"], "2026-12-15")
        ext = it["extension"]
        self.assertIsNotNone(ext)
        self.assertEqual(ext["deadline"], "2027-01-15")
        self.assertEqual(ext["comment"], "冬季无法施工")
        self.assertIn("by", ext)
        self.assertIn("at", ext)
        # one pending at a time
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-02-15",
                     comment="再次申请", expect=409)
        self.assertError(r, 409, "invalid_transition")
        # only the supervisor approves
        r = self.act(it, "approve_extension", token=self.T["zmgr"], expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it, "approve_extension", comment="同意延期")
        self.assertEqual(it["deadline"], "2027-01-15")
        self.assertEqual(it["original_deadline"], "2026-12-15")
        self.assertEqual(it["extension_count"], 1)
        self.assertIsNone(it["extension"])
        # nothing pending now
        r = self.act(it, "approve_extension", expect=409)
        self.assertError(r, 409, "invalid_transition")
        r = self.act(it, "deny_extension", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_extension_approve_later_date(self):
        it = self.to_in_progress(deadline="2026-12-15")
        it = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-15", comment="延期")
        r = self.act(it, "approve_extension", deadline="2027-01-10", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        it = self.act(it, "approve_extension", deadline="2027-02-01", comment="给足时间")
        self.assertEqual(it["deadline"], "2027-02-01")
        self.assertEqual(it["extension_count"], 1)

    def test_extension_deny(self):
        it = self.to_in_progress(deadline="2026-12-15")
        it = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-15", comment="延期")
        it = self.act(it, "deny_extension", comment="不同意")
        self.assertEqual(it["deadline"], "2026-12-15")
        self.assertEqual(it["extension_count"], 0)
        self.assertIsNone(it["extension"])
        # a new request is possible after the denial
        it = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-05", comment="再申请")
        self.assertEqual(it["extension"]["deadline"], "2027-01-05")

    def test_submit_withdraws_pending_extension(self):
        it = self.to_in_progress(deadline="2026-12-15")
        it = self.act(it, "report", token=self.T["zstaff"], comment="完成", progress=100)
        self.upload(it["id"], token=self.T["zstaff"])
        it = self.act(it["id"], "request_extension", token=self.T["zmgr"], deadline="2027-01-15", comment="延期")
        it = self.act(it, "submit", token=self.T["zmgr"])
        self.assertEqual(it["status"], "submitted")
        self.assertIsNone(it["extension"])
        self.assertEqual(it["deadline"], "2026-12-15")

    def test_extension_only_in_progress(self):
        it = self.create_item(title="交办未签收延期")
        it = self.act(it, "assign")
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-06-01",
                     comment="延期", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_extension_after_deadline_refused(self):
        it = self.to_in_progress(deadline="2026-11-27")
        self.assertEqual(it["light"], "red")
        r = self.act(it, "request_extension", token=self.T["zmgr"], deadline="2027-01-15",
                     comment="逾期后申请", expect=None)
        self.assertIn(r.status, (409, 422), r)
        now = self.get_item(it["id"])
        self.assertIsNone(now["extension"])
        self.assertEqual(now["version"], it["version"])

    # ------------------------------------------------------------ remind / supervise
    def test_remind(self):
        it = self.create_item(title="催办")
        r = self.act(it, "remind", expect=409)
        self.assertError(r, 409, "invalid_transition")
        it = self.act(it, "assign")
        it = self.act(it, "remind", comment="请尽快签收")
        self.assertEqual(it["remind_count"], 1)
        self.assertEqual(it["status"], "assigned")
        it = self.act(it, "remind")
        self.assertEqual(it["remind_count"], 2)
        r = self.act(it, "remind", token=self.T["lead"], expect=403)
        self.assertError(r, 403, "forbidden")

    def test_supervise_max_two(self):
        it = self.to_in_progress()
        it = self.act(it, "supervise", comment="列入督办")
        self.assertEqual(it["supervised"], 1)
        it = self.act(it, "supervise", comment="领导督办")
        self.assertEqual(it["supervised"], 2)
        r = self.act(it, "supervise", expect=409)
        self.assertError(r, 409, "invalid_transition")
        self.assertEqual(self.get_item(it["id"])["supervised"], 2)

    def test_remind_and_supervise_refused_on_closed(self):
        it = self.to_closed()
        self.assertError(self.act(it, "remind", expect=409), 409, "invalid_transition")
        self.assertError(self.act(it, "supervise", expect=409), 409, "invalid_transition")

    # ------------------------------------------------------------ reopen / keep_ongoing
    def test_reopen(self):
        it = self.to_closed()
        self.assertIs(it["on_time"], True)
        r = self.act(it, "reopen", expect=422)
        self.assertError(r, 422, "validation_failed", field="deadline")
        r = self.act(it, "reopen", deadline="2027-03-31", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        it = self.act(it, "reopen", deadline="2027-03-31", comment="问题反弹，重新整改")
        self.assertEqual(it["status"], "in_progress")
        self.assertIsNone(it["closed_at"])
        self.assertIsNone(it["on_time"])
        self.assertEqual(it["deadline"], "2027-03-31")
        self.assertEqual(it["original_deadline"], "2026-12-31")
        self.assertEqual(it["reopen_count"], 1)
        self.assertTrue(it["assigned_at"].startswith(TODAY))
        self.assertIn(it["light"], ("green", "yellow", "red"))

    def test_reopen_only_closed_or_ongoing(self):
        it = self.to_in_progress()
        r = self.act(it, "reopen", deadline="2027-03-31", comment="x", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_keep_ongoing(self):
        it = self.to_submitted()
        r = self.act(it, "keep_ongoing", report_every_days=30, expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "keep_ongoing", comment="阶段目标完成", expect=422)
        self.assertError(r, 422, "validation_failed", field="report_every_days")
        it = self.act(it, "keep_ongoing", comment="阶段目标完成，转长期坚持", report_every_days=30)
        self.assertEqual(it["status"], "ongoing")
        self.assertEqual(it["report_every_days"], 30)
        self.assertEqual(it["light"], "green")
        self.assertIsNone(it["closed_at"])
        it = self.act(it, "report", token=self.T["zstaff"], comment="本月巡查无反弹")
        self.assertEqual(it["status"], "ongoing")
        it = self.act(it, "remind")
        self.assertEqual(it["remind_count"], 1)
        it = self.act(it, "reopen", deadline="2027-03-31", comment="反弹")
        self.assertEqual(it["status"], "in_progress")
        self.assertEqual(it["reopen_count"], 1)

    # ------------------------------------------------------------ cancel / instruct
    def test_cancel_from_draft_and_assigned(self):
        a = self.create_item(title="撤销草稿")
        r = self.act(a, "cancel", expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        a = self.act(a, "cancel", comment="重复录入")
        self.assertEqual(a["status"], "cancelled")
        self.assertEqual(a["light"], "none")
        b = self.act(self.create_item(title="撤销已交办"), "assign")
        b = self.act(b, "cancel", comment="已由其他事项覆盖")
        self.assertEqual(b["status"], "cancelled")
        # cancelled after assignment stays visible in scope
        self.assertStatus(self.c.get(API + "/items/%s" % b["id"], token=self.T["zstaff"]), 200)
        c = self.to_in_progress()
        r = self.act(c, "cancel", comment="办理中不能撤销", expect=409)
        self.assertError(r, 409, "invalid_transition")
        r = self.act(b, "assign", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_instruct_by_leader_any_state(self):
        it = self.create_item(title="领导批示")
        r = self.act(it, "instruct", token=self.T["lead"], expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        it2 = self.act(it, "instruct", token=self.T["lead"], comment="请督查室跟进")
        self.assertEqual(it2["status"], "draft")
        self.assertEqual(it2["version"], it["version"] + 1)
        r = self.act(it2, "instruct", comment="督查室不能批示", expect=403)
        self.assertError(r, 403, "forbidden")
        closed = self.to_closed()
        c2 = self.act(closed, "instruct", token=self.T["lead"], comment="巩固成效")
        self.assertEqual(c2["status"], "closed")
        ev = self.events(closed["id"])[-1]
        self.assertEqual(ev["action"], "instruct")
        self.assertEqual(ev["comment"], "巩固成效")
        self.assertEqual(ev["actor"]["username"], "lead")

    # ------------------------------------------------------------ roles
    def test_role_refusals(self):
        it = self.create_item(title="角色")
        r = self.act(it, "assign", token=self.T["lead"], expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it, "assign")
        r = self.act(it, "accept", token=self.T["viewer"], expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it, "accept", token=self.T["zmgr"])       # managers may accept too
        self.assertEqual(it["status"], "in_progress")
        it = self.act(it, "report", token=self.T["zstaff"], comment="完成", progress=100)
        self.upload(it["id"], token=self.T["zstaff"])
        r = self.act(it["id"], "submit", token=self.T["zstaff"], expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(it["id"], "submit", token=self.T["sup"], expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(it["id"], "report", token=self.T["viewer"], comment="查看者", expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it["id"], "submit", token=self.T["zmgr"])
        r = self.act(it, "verify", token=self.T["zmgr"], comment="自己验收", expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(it, "verify", token=self.T["lead"], comment="领导验收", expect=403)
        self.assertError(r, 403, "forbidden")

    def test_manager_of_co_unit_cannot_submit(self):
        it = self.create_item(title="配合单位销号", lead_unit_id=self.U["STJ"], co_unit_ids=[self.U["ZJJ"]])
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["sstaff"])
        it = self.act(it, "report", token=self.T["sstaff"], comment="完成", progress=100)
        self.upload(it["id"], token=self.T["sstaff"])
        r = self.act(it["id"], "submit", token=self.T["zmgr"], expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(it["id"], "request_extension", token=self.T["zmgr"], deadline="2027-05-01",
                     comment="延期", expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(it["id"], "submit", token=self.T["smgr"])
        self.assertEqual(it["status"], "submitted")

    def test_co_unit_report_keeps_item_progress(self):
        it = self.create_item(title="配合单位进展", lead_unit_id=self.U["STJ"], co_unit_ids=[self.U["ZJJ"]])
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["sstaff"])
        it = self.act(it, "report", token=self.T["sstaff"], comment="牵头进展", progress=40)
        self.assertEqual(it["progress"], 40)
        it2 = self.act(it, "report", token=self.T["zstaff"], comment="配合单位完成份内工作", progress=90)
        self.assertEqual(it2["progress"], 40)
        self.assertEqual(it2["version"], it["version"] + 1)
        ev = self.events(it["id"])[-1]
        self.assertEqual(ev["action"], "report")
        self.assertEqual(ev["actor"]["username"], "zstaff")
        self.assertIn("90", str(ev["before"]) + str(ev["after"]) + str(ev),
                      "the co-unit's share is kept on the event")

    # ------------------------------------------------------------ requirements
    def test_requirement_refusals_name_fields(self):
        it = self.to_in_progress()
        r = self.act(it, "report", token=self.T["zstaff"], expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "report", token=self.T["zstaff"], comment="", progress=10, expect=422)
        self.assertError(r, 422, "validation_failed", field="comment")
        r = self.act(it, "submit", token=self.T["zmgr"], expect=422)
        self.assertError(r, 422, "validation_failed", field="progress")
        it = self.act(it, "report", token=self.T["zstaff"], comment="进度60", progress=60)
        self.upload(it["id"], token=self.T["zstaff"])
        r = self.act(it["id"], "submit", token=self.T["zmgr"], expect=422)
        self.assertError(r, 422, "validation_failed", field="progress")
        it2 = self.to_in_progress()
        it2 = self.act(it2, "report", token=self.T["zstaff"], comment="完成", progress=100)
        r = self.act(it2, "submit", token=self.T["zmgr"], expect=422)
        self.assertError(r, 422, "validation_failed", field="attachments")
        self.assertEqual(self.get_item(it2["id"])["version"], it2["version"])

    def test_progress_may_go_down(self):
        it = self.to_in_progress()
        it = self.act(it, "report", token=self.T["zstaff"], comment="60", progress=60)
        it = self.act(it, "report", token=self.T["zstaff"], comment="发现新问题", progress=40)
        self.assertEqual(it["progress"], 40)
        it = self.act(it, "report", token=self.T["zstaff"], comment="只说明不改进度")
        self.assertEqual(it["progress"], 40)

    def test_report_not_in_assigned(self):
        it = self.act(self.create_item(title="未签收报进展"), "assign")
        r = self.act(it, "report", token=self.T["zstaff"], comment="x", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_version_increments_on_every_event(self):
        it = self.create_item(title="版本")
        self.assertEqual(it["version"], 1)
        it = self.act(it, "assign")
        self.assertEqual(it["version"], 2)
        it = self.act(it, "remind")
        self.assertEqual(it["version"], 3)
        self.upload(it["id"])
        self.assertEqual(self.get_item(it["id"])["version"], 4)
        self.assertEqual(len(self.events(it["id"])), 4)

    def test_concurrent_same_version_one_wins(self):
        import threading
        it = self.to_in_progress()
        v = it["version"]
        results = []

        def go(i):
            r = self.c.post(API + "/items/%s/actions" % it["id"],
                            {"action": "report", "comment": "并发%d" % i, "progress": 10 + i, "version": v},
                            token=self.T["zstaff"])
            results.append(r)

        ths = [threading.Thread(target=go, args=(i,)) for i in range(8)]
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        ok = [r for r in results if r.status == 200]
        self.assertEqual(len(ok), 1, results)
        for r in results:
            if r.status != 200:
                self.assertError(r, 409, "version_conflict")
        now = self.get_item(it["id"])
        self.assertEqual(now["version"], v + 1)
        self.assertEqual(len([e for e in self.events(it["id"]) if e["action"] == "report"]), 1)

    def test_updated_at_moves_and_created_at_stays(self):
        it = self.create_item(title="时间戳")
        it2 = self.act(it, "assign")
        self.assertEqual(it2["created_at"], it["created_at"])
        self.assertGreaterEqual(it2["updated_at"], it["updated_at"])
        self.assertTrue(it2["updated_at"].startswith(TODAY))

    # ------------------------------------------------------------ check order
    def test_check_order_stale_version_and_wrong_role_is_403(self):
        it = self.to_in_progress()
        r = self.act(it, "submit", token=self.T["zstaff"], version=it["version"] - 1, expect=403)
        self.assertError(r, 403, "forbidden")

    def test_check_order_stale_version_and_wrong_state_is_version_conflict(self):
        it = self.to_in_progress()
        r = self.act(it, "verify", comment="x", version=it["version"] - 1, expect=409)
        self.assertError(r, 409, "version_conflict")

    def test_check_order_wrong_state_before_requirements(self):
        it = self.to_in_progress()
        r = self.act(it, "verify", expect=409)               # no comment, but the state fails first
        self.assertError(r, 409, "invalid_transition")
        r = self.act(it, "verify", comment="验收", expect=409)
        self.assertError(r, 409, "invalid_transition")

    def test_check_order_version_before_requirements(self):
        it = self.to_in_progress()
        r = self.act(it, "report", token=self.T["zstaff"], version=it["version"] - 1, expect=409)
        self.assertError(r, 409, "version_conflict")

    def test_check_order_role_before_state(self):
        it = self.to_closed()
        r = self.act(it, "accept", token=self.T["viewer"], expect=403)
        self.assertError(r, 403, "forbidden")

    def test_check_order_404_before_role(self):
        it = self.to_in_progress()
        r = self.act(it, "verify", token=self.T["sstaff"], comment="x", expect=404)
        self.assertError(r, 404, "not_found")

    # ------------------------------------------------------------ PATCH
    def test_patch_title(self):
        it = self.create_item(title="原标题")
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "新标题", "description": "新说明",
                                                       "version": it["version"]}, token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["title"], "新标题")
        self.assertEqual(r.json["description"], "新说明")
        self.assertEqual(r.json["version"], it["version"] + 1)
        for k in h.ITEM_KEYS:
            self.assertIn(k, r.json)
        self.assertEqual(self.get_item(it["id"]), r.json)
        ev = self.events(it["id"])[-1]
        self.assertEqual(ev["action"], "edit")
        self.assertEqual(ev["before"]["title"], "原标题")
        self.assertEqual(ev["after"]["title"], "新标题")

    def test_patch_title_after_assign_ok(self):
        it = self.to_in_progress()
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "办理中改标题", "version": it["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "in_progress")

    def test_patch_stale_version(self):
        it = self.create_item(title="并发")
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "A", "version": it["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "B", "version": it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")
        now = self.get_item(it["id"])
        self.assertEqual(now["title"], "A")
        self.assertEqual(now["version"], it["version"] + 1)

    def test_patch_deadline_or_lead_after_assign_409(self):
        it = self.act(self.create_item(title="交办后改期限"), "assign")
        r = self.c.patch(API + "/items/%s" % it["id"], {"deadline": "2027-06-30", "version": it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        r = self.c.patch(API + "/items/%s" % it["id"], {"lead_unit_id": self.U["STJ"], "version": it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        now = self.get_item(it["id"])
        self.assertEqual(now["deadline"], "2026-12-31")
        self.assertEqual(now["lead_unit_id"], self.U["ZJJ"])
        self.assertEqual(now["version"], it["version"])

    def test_patch_deadline_on_draft_ok_and_past_deadline_valid(self):
        it = self.create_item(title="草稿改期限")
        r = self.c.patch(API + "/items/%s" % it["id"], {"deadline": "2026-10-01", "version": it["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["deadline"], "2026-10-01")
        it = self.act(r.json, "assign")
        self.assertEqual(it["light"], "red")

    def test_patch_forbidden_fields_422(self):
        it = self.create_item(title="禁改字段")
        for field, val in (("status", "closed"), ("light", "green"), ("progress", 50), ("code", "ZG-2026-9999"),
                           ("on_time", True), ("extension_count", 3), ("created_at", "2026-01-01T00:00:00+08:00"),
                           ("closed_at", "2026-01-01T00:00:00+08:00"), ("original_deadline", "2027-01-01"),
                           ("assigned_at", "2026-01-01T00:00:00+08:00"),
                           ("updated_at", "2026-01-01T00:00:00+08:00")):
            r = self.c.patch(API + "/items/%s" % it["id"], {field: val, "title": "附带改标题",
                                                           "version": it["version"]}, token=self.T["sup"])
            self.assertError(r, 422, "validation_failed", field=field, msg=field)
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "版本类型错", "version": "1"},
                         token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="version")
        now = self.get_item(it["id"])
        self.assertEqual(now["title"], "禁改字段")
        self.assertEqual(now["version"], it["version"])

    def test_patch_closed_and_cancelled_409(self):
        it = self.to_closed()
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "已销号改", "version": it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        c = self.act(self.create_item(title="已撤销"), "cancel", comment="撤销")
        r = self.c.patch(API + "/items/%s" % c["id"], {"title": "已撤销改", "version": c["version"]},
                         token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")

    def test_patch_check_order_version_before_state(self):
        # SPEC 2.4 check order: version current (409 version_conflict) before the state (409 invalid_transition)
        it = self.to_closed()
        r = self.c.patch(API + "/items/%s" % it["id"], {"title": "旧版本改已销号", "version": it["version"] - 1},
                         token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")
        it = self.act(self.create_item(title="旧版本改期限"), "assign")
        r = self.c.patch(API + "/items/%s" % it["id"], {"deadline": "2027-06-30", "version": it["version"] - 1},
                         token=self.T["sup"])
        self.assertError(r, 409, "version_conflict")

    def test_patch_by_non_supervisor_403(self):
        it = self.to_in_progress()
        for u in ("zstaff", "zmgr", "lead", "viewer"):
            r = self.c.patch(API + "/items/%s" % it["id"], {"title": "越权", "version": it["version"]},
                             token=self.T[u])
            self.assertError(r, 403, "forbidden", msg=u)

    def test_patch_unknown_field_422(self):
        it = self.create_item(title="未知字段")
        r = self.c.patch(API + "/items/%s" % it["id"], {"priority": 1, "version": it["version"]},
                         token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="priority")

    # ------------------------------------------------------------ registers
    def test_policy_register(self):
        it = self.create_item(ledger="policy", title="关于深化改革的实施意见", lead_unit_id=h.OMIT,
                              deadline=h.OMIT, fields={"doc_no": "城政发〔2026〕1号", "issuer": "城东区人民政府"})
        self.assertRegex(it["code"], r"^ZC-2026-\d{4}$")
        self.assertEqual(it["status"], "registered")
        self.assertEqual(it["light"], "none")
        # readable by every holder of an item role
        self.assertStatus(self.c.get(API + "/items/%s" % it["id"], token=self.T["sstaff"]), 200)
        self.assertStatus(self.c.get(API + "/items/%s" % it["id"], token=self.T["viewer"]), 200)
        r = self.act(it, "assign", expect=409)
        self.assertError(r, 409, "invalid_transition")
        it = self.act(it, "instruct", token=self.T["lead"], comment="认真贯彻")
        self.assertEqual(it["status"], "registered")
        it = self.act(it, "cancel", comment="已废止")
        self.assertEqual(it["status"], "cancelled")


if __name__ == "__main__":
    h.main()
