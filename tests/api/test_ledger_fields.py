"""
test_ledger_fields.py - each ledger's own fields (SPEC 3): GET /ledgers shows
the ten ledgers with their fields under their Chinese labels, and a wrong
kind-specific value is refused with the field named, writing nothing.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API  # noqa: E402


class LedgerFieldsTest(TzCase):
    def test_ledgers_with_their_fields(self):
        r = self.c.get(API + "/ledgers", token=self.T["zstaff"])
        self.assertEqual(r.status, 200, r)
        ledgers = {l["key"]: l for l in r.json["ledgers"]}
        self.assertEqual(len(ledgers), 10)
        fields = {f["key"]: f for f in ledgers["petition"]["fields"]}
        self.assertEqual(fields["received_on"]["label"], "登记日期")
        self.assertTrue(fields["received_on"]["required"])
        rect = {f["key"]: f for f in ledgers["rectification"]["fields"]}
        self.assertEqual(rect["rect_type"]["values"], ["立行立改", "限期整改", "长期坚持"])
        self.assertEqual(ledgers["project"]["prefix"], "XM")

    def n_items(self):
        return self.list_items("per_page=1")["total"]

    def test_wrong_values_are_refused_naming_the_field(self):
        before = self.n_items()
        cases = [
            ({"ledger": "rectification", "fields": {"rect_type": "马上改"}}, "rect_type"),
            ({"ledger": "rectification", "fields": {"colour": "红"}}, "colour"),
            ({"ledger": "project", "fields": {"total_investment": -5}}, "total_investment"),
            ({"ledger": "project", "fields": {"start_date": "2026-02-30"}}, "start_date"),
            ({"ledger": "petition", "fields": {"channel": "走访"}}, "received_on"),
            ({"ledger": "petition"}, "received_on"),
            ({"ledger": "hazard", "fields": {"grade": "特大"}}, "grade"),
        ]
        for body, field in cases:
            body = dict(body, title="字段校验")
            r = self.c.post(API + "/items", body, token=self.T["sup"])
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(r.error.get("field"), field, body)
        self.assertEqual(self.n_items(), before, "nothing written")
        ok = self.create_item(ledger="petition", lead_unit_id=self.U["ZJJ"],
                              fields={"received_on": "2026-11-02", "channel": "走访",
                                      "backlog": True})
        self.assertEqual(ok["fields"]["channel"], "走访")
        self.assertTrue(ok["code"].startswith("XF-2026-"))

    def test_patch_checks_fields_too(self):
        item = self.create_item(ledger="project", fields={"phase": "在建"})
        r = self.c.patch(API + "/items/%d" % item["id"],
                         {"fields": {"phase": "施工中"}, "version": item["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error.get("field"), "phase")
        self.assertEqual(self.get_item(item["id"])["fields"], {"phase": "在建"})

    def test_major_hazard_needs_its_plan_before_accept(self):
        it = self.create_item(ledger="hazard", title="燃气管道腐蚀", fields={"grade": "重大"})
        self.assertTrue(it["code"].startswith("YH-2026-"))
        self.assertGreaterEqual(it["supervised"], 1, "a 重大 hazard is supervised from the start")
        it = self.act(it, "assign")
        r = self.act(it, "accept", token=self.T["zstaff"], expect=422)
        self.assertEqual(r.error.get("field"), "measures")
        plan = {"grade": "重大", "measures": ["更换腐蚀管段"], "funds": "50万元"}
        r = self.c.patch(API + "/items/%d" % it["id"],
                         {"fields": plan, "version": self.get_item(it["id"])["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        r = self.act(self.get_item(it["id"]), "accept", token=self.T["zstaff"], expect=422)
        self.assertEqual(r.error.get("field"), "plan_deadline")
        plan.update({"plan_deadline": "2026-12-20", "responsible": "李四",
                     "contingency": "燃气泄漏应急预案"})
        r = self.c.patch(API + "/items/%d" % it["id"],
                         {"fields": plan, "version": self.get_item(it["id"])["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        it = self.act(self.get_item(it["id"]), "accept", token=self.T["zstaff"])
        self.assertEqual(it["status"], "in_progress")

    def test_ordinary_hazard_accepts_without_plan(self):
        it = self.create_item(ledger="hazard", title="消防通道堵塞", fields={"grade": "一般"})
        self.assertEqual(it["supervised"], 0)
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["zstaff"])
        self.assertEqual(it["status"], "in_progress")

    def test_risk_point_reviewed_every_check_every_days(self):
        it = self.create_item(ledger="risk_point", title="液化气站储罐区", deadline=None,
                              lead_unit_id=self.U["ZJJ"],
                              fields={"method": "LEC", "l": 6, "e": 6, "c": 7,
                                      "check_every_days": 14})
        self.assertTrue(it["code"].startswith("FX-2026-"))
        self.assertEqual(it["status"], "ongoing")
        self.assertEqual(it["report_every_days"], 14)
        self.assertEqual(it["light"], "green")

    def test_petitioner_masked_for_everyone_but_supervisor_leader_and_lead_unit(self):
        it = self.create_item(ledger="petition", title="拆迁补偿信访", lead_unit_id=self.U["ZJJ"],
                              co_unit_ids=[self.U["STJ"]],
                              fields={"petitioner": "张三丰", "contact": "13912345678",
                                      "received_on": "2026-11-02", "channel": "走访"})
        it = self.act(it, "assign")
        full = {"petitioner": "张三丰", "contact": "13912345678"}
        masked = {"petitioner": "张**", "contact": "139****5678"}
        for user, want in (("sup", full), ("lead", full), ("zstaff", full), ("zmgr", full),
                           ("sstaff", masked)):
            got = self.get_item(it["id"], token=self.T[user])["fields"]
            self.assertEqual({k: got[k] for k in want}, want, user)
            listed = [i for i in self.list_items("ledger=petition", token=self.T[user])["items"]
                      if i["id"] == it["id"]][0]["fields"]
            self.assertEqual({k: listed[k] for k in want}, want, user)
            events = self.events(it["id"], token=self.T[user])
            text = str([e["after"] for e in events])
            if want is masked:
                self.assertNotIn("张三丰", text, user)
                self.assertNotIn("13912345678", text, user)
            else:
                self.assertIn("张三丰", text, user)

    def test_reform_milestone_past_due_turns_yellow(self):
        far = "2027-06-30"
        ok = self.to_in_progress(ledger="reform", deadline=far,
                                 fields={"milestones": [{"name": "方案", "due": "2026-11-10",
                                                         "done": True},
                                                        {"name": "试点", "due": "2027-03-01",
                                                         "done": False}]})
        self.assertEqual(ok["light"], "green")
        late = self.to_in_progress(ledger="reform", deadline=far,
                                   fields={"milestones": [{"name": "方案", "due": "2026-11-10",
                                                           "done": False}]})
        self.assertEqual(late["light"], "yellow")
        self.assertIn(late["id"], [i["id"] for i in
                                   self.list_items("light=yellow&ledger=reform")["items"]])
        # marking the milestone done brings it back to green
        item = self.get_item(late["id"])
        r = self.c.patch(API + "/items/%d" % late["id"],
                         {"fields": {"milestones": [{"name": "方案", "due": "2026-11-10",
                                                     "done": True}]},
                          "version": item["version"]}, token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["light"], "green")

    def test_livelihood_progress_from_done_over_target(self):
        it = self.create_item(ledger="livelihood", title="新增普惠性学位",
                              fields={"target_quantity": 400, "done_quantity": 130})
        self.assertEqual(it["progress"], 32)


if __name__ == "__main__":
    main()
