#!/usr/bin/env python3
"""Ledger rules of SPEC 3 that the API shows: 重大 hazards (五到位 before accept,
supervised from the start), risk points (created ongoing), petitions (protected
petitioner, statutory clocks, received_on required), policy register,
POST /risk/assess bands, and search scope."""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


def field_is(err, name):
    f = err.get("field") or ""
    return f == name or f == "fields." + name or f.endswith("." + name)


class LedgerRulesTest(h.TzCase):
    USERS = ("sup", "lead", "zstaff", "zmgr", "sstaff", "viewer")

    # ---- hazard
    def test_major_hazard_plan_before_accept(self):
        it = self.create_item(ledger="hazard", title="燃气管道腐蚀", fields={"grade": "重大"})
        self.assertRegex(it["code"], r"^YH-2026-\d{4}$")
        self.assertGreaterEqual(it["supervised"], 1, "a 重大 hazard is supervised from the start")
        it = self.act(it, "assign")
        r = self.act(it, "accept", token=self.T["zstaff"], expect=422)
        self.assertError(r, 422, "validation_failed")
        self.assertTrue(field_is(r.error, "measures"), r.error)
        plan = {"grade": "重大", "measures": ["更换腐蚀管段"], "responsible": "李四"}
        r = self.c.patch(API + "/items/%s" % it["id"], {"fields": plan, "version": self.get_item(it["id"])["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        r = self.act(it, "accept", token=self.T["zstaff"], expect=422)
        self.assertError(r, 422, "validation_failed")
        self.assertTrue(field_is(r.error, "funds"), r.error)
        plan.update({"funds": "50万元", "plan_deadline": "2026-12-20", "contingency": "燃气泄漏应急预案"})
        r = self.c.patch(API + "/items/%s" % it["id"], {"fields": plan, "version": self.get_item(it["id"])["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        it = self.act(it, "accept", token=self.T["zstaff"])
        self.assertEqual(it["status"], "in_progress")

    def test_ordinary_hazard_accepts_without_plan(self):
        it = self.create_item(ledger="hazard", title="消防通道堵塞", fields={"grade": "一般"})
        self.assertEqual(it["supervised"], 0)
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["zstaff"])
        self.assertEqual(it["status"], "in_progress")

    # ---- risk point
    def test_risk_point_created_ongoing(self):
        it = self.create_item(ledger="risk_point", title="液化气站储罐区", deadline=h.OMIT,
                              fields={"l": 6, "e": 6, "c": 7, "check_every_days": 30})
        self.assertRegex(it["code"], r"^FX-2026-\d{4}$")
        self.assertEqual(it["status"], "ongoing")
        self.assertEqual(it["report_every_days"], 30)
        self.assertEqual(it["light"], "green")
        # D = 252: 较大 / orange
        self.assertEqual(it["fields"].get("risk_level"), "较大")
        self.assertEqual(it["fields"].get("risk_color"), "orange")
        it = self.act(it, "report", token=self.T["zstaff"], comment="月度复核：管控措施有效")
        self.assertEqual(it["status"], "ongoing")

    def test_risk_point_needs_no_lead_or_deadline(self):
        it = self.create_item(ledger="risk_point", title="无牵头风险点", deadline=h.OMIT, lead_unit_id=h.OMIT,
                              fields={"l": 1, "s": 2, "check_every_days": 90})
        self.assertEqual(it["status"], "ongoing")

    # ---- petition
    def test_petition_received_on_required(self):
        r = self.c.post(API + "/items", {"ledger": "petition", "title": "信访无日期",
                                        "fields": {"petitioner": "王五"}}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed")
        self.assertTrue(field_is(r.error, "received_on"), r.error)

    def test_petition_protected_and_clocks(self):
        it = self.create_item(ledger="petition", title="小区漏水信访", lead_unit_id=self.U["ZJJ"],
                              co_unit_ids=[self.U["STJ"]],
                              fields={"petitioner": "张三", "received_on": "2026-09-23", "channel": "走访"})
        self.assertRegex(it["code"], r"^XF-2026-\d{4}$")
        clocks = it.get("clocks") or it["fields"].get("clocks")
        self.assertIsInstance(clocks, list, it)
        notice = [c for c in clocks if c.get("name") == "告知受理"]
        self.assertEqual(len(notice), 1, clocks)
        self.assertEqual(notice[0].get("rule"), "15日")
        self.assertEqual(notice[0].get("due"), "2026-10-08")
        it = self.act(it, "assign")
        for who in ("sup", "lead", "zstaff", "zmgr"):
            got = self.get_item(it["id"], token=self.T[who])
            self.assertEqual(got["fields"]["petitioner"], "张三", who)
        got = self.get_item(it["id"], token=self.T["sstaff"])       # co-unit
        self.assertEqual(got["fields"]["petitioner"], "张**")
        self.assertNotIn("张三", str(got))
        # nor in lists or events
        j = self.list_items("ledger=petition&per_page=200", token=self.T["sstaff"])
        self.assertIn(it["id"], [x["id"] for x in j["items"]])
        self.assertNotIn("张三", str(j))
        evs = self.c.get(API + "/items/%s/events" % it["id"], token=self.T["sstaff"])
        self.assertStatus(evs, 200)
        self.assertNotIn("张三", evs.body.decode("utf-8"))
        # search neither matches nor shows it for the co-unit
        r = self.c.get(API + "/search?q=" + urllib.parse.quote("张三"), token=self.T["sstaff"])
        self.assertStatus(r, 200)
        self.assertNotIn(it["id"], [x["id"] for x in r.json["results"]])
        self.assertNotIn("张三", r.body.decode("utf-8"))

    # ---- policy
    def test_policy_register_readable_by_all_item_roles(self):
        it = self.create_item(ledger="policy", title="城东区优化营商环境若干措施", lead_unit_id=h.OMIT, deadline=h.OMIT,
                              fields={"doc_no": "城政办〔2026〕8号", "issuer": "城东区人民政府办公室"})
        self.assertEqual(it["status"], "registered")
        self.assertEqual(it["light"], "none")
        for who in ("zstaff", "sstaff", "viewer", "lead"):
            self.assertStatus(self.c.get(API + "/items/%s" % it["id"], token=self.T[who]), 200, msg=who)
        self.assertError(self.c.get(API + "/items/%s" % it["id"], token=self.T["admin"]), 404, "not_found")
        r = self.act(it, "report", token=self.T["zstaff"], comment="学习", expect=None)
        self.assertIn(r.status, (403, 409), r)

    # ---- risk assessment
    def assess(self, body, expect=200):
        r = self.c.post(API + "/risk/assess", body, token=self.T["sup"])
        self.assertStatus(r, expect, msg=str(body))
        return r.json

    def test_risk_assess_lec_bands(self):
        cases = [((10, 10, 7), 700, "重大", "red", 1), ((6, 6, 7), 252, "较大", "orange", 2),
                 ((3, 6, 7), 126, "一般", "yellow", 3), ((10, 1, 7), 70, "低", "blue", 4),
                 ((0.5, 10, 15), 75, "一般", "yellow", 3), ((1, 10, 7), 70, "低", "blue", 4),
                 ((0.1, 10, 100), 100, "一般", "yellow", 3)]
        for (l, e, c), score, level, color, code in cases:
            j = self.assess({"method": "LEC", "l": l, "e": e, "c": c})
            self.assertAlmostEqual(float(j["score"]), score, places=6, msg=str((l, e, c)))
            self.assertEqual((j["level"], j["color"], j["level_code"]), (level, color, code), str((l, e, c)))

    def test_risk_assess_lec_exact_decimal(self):
        # 0.1 * 3 * 100 is 30.000000000000004 in binary floats; exactly 30 in tenths
        j = self.assess({"method": "LEC", "l": 0.1, "e": 3, "c": 100})
        self.assertEqual(j["score"], 30)
        self.assertNotIn("0000", json.dumps(j["score"]))
        # 0.5 * 0.5 * 7 = 1.75 in tenths rounds half up to 1.8, printed with one decimal
        j = self.assess({"method": "LEC", "l": 0.5, "e": 0.5, "c": 7})
        self.assertEqual(json.dumps(j["score"]), "1.8")
        self.assertEqual((j["level"], j["color"]), ("低", "blue"))

    def test_risk_assess_ls(self):
        for (l, s), score, level, color, code in (((5, 4), 20, "重大", "red", 1), ((4, 4), 16, "较大", "orange", 2),
                                                  ((3, 3), 9, "一般", "yellow", 3), ((2, 4), 8, "低", "blue", 4),
                                                  ((1, 1), 1, "低", "blue", 4), ((5, 5), 25, "重大", "red", 1)):
            j = self.assess({"method": "LS", "l": l, "s": s})
            self.assertAlmostEqual(float(j["score"]), score, places=6)
            self.assertEqual((j["level"], j["color"], j["level_code"]), (level, color, code), str((l, s)))

    def test_risk_assess_factor_outside_table_422(self):
        r = self.c.post(API + "/risk/assess", {"method": "LEC", "l": 4, "e": 6, "c": 7}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="l")
        r = self.c.post(API + "/risk/assess", {"method": "LEC", "l": 6, "e": 5, "c": 7}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="e")
        r = self.c.post(API + "/risk/assess", {"method": "LEC", "l": 6, "e": 6, "c": 8}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="c")
        r = self.c.post(API + "/risk/assess", {"method": "LS", "l": 6, "s": 3}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="l")
        r = self.c.post(API + "/risk/assess", {"method": "LS", "l": 3, "s": 0}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="s")
        r = self.c.post(API + "/risk/assess", {"method": "XYZ", "l": 3, "s": 3}, token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="method")

    # ---- search scope
    def test_search_scope(self):
        a = self.act(self.create_item(title="生态环境局专属污水处理厂提标", lead_unit_id=self.U["STJ"]), "assign")
        b = self.act(self.create_item(title="住建局专属污水管网改造", lead_unit_id=self.U["ZJJ"]), "assign")
        r = self.c.get(API + "/search?q=" + urllib.parse.quote("污水"), token=self.T["zstaff"])
        self.assertStatus(r, 200)
        ids = [x["id"] for x in r.json["results"]]
        self.assertIn(b["id"], ids)
        self.assertNotIn(a["id"], ids)
        self.assertEqual(r.json["total"], len(ids))
        for x in r.json["results"]:
            for k in ("id", "ledger", "code", "title", "snippet"):
                self.assertIn(k, x)
        r = self.c.get(API + "/search?q=" + urllib.parse.quote("污水处理厂"), token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertIn(a["id"], [x["id"] for x in r.json["results"]])
        r = self.c.get(API + "/search?q=" + urllib.parse.quote("污水处理厂"), token=self.T["admin"])
        if r.status == 200:
            self.assertEqual(r.json["results"], [])


if __name__ == "__main__":
    h.main()
