#!/usr/bin/env python3
"""Lights (亮灯, SPEC 2.5) with TAIZHANG_TODAY fixing the business date, and the
restart technique (stop, serve the same db with another TAIZHANG_TODAY) for
time-dependent cases: behind schedule, submitted items judged at their submit
date, ongoing report age, on_time, holidays and makeup working days."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class LightsTodayTest(h.TzCase):
    """TAIZHANG_TODAY = 2026-11-30, a Monday; no holidays near it."""
    USERS = ("sup", "zstaff", "zmgr")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.by_deadline = {}
        for d in ("2026-11-27", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03",
                  "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-31"):
            r = cls.c.post(API + "/items", {"ledger": "rectification", "title": "亮灯 " + d,
                                           "lead_unit_id": cls.U["ZJJ"], "deadline": d}, token=cls.T["sup"])
            assert r.status == 201, r
            r = cls.c.post(API + "/items/%s/actions" % r.json["id"], {"action": "assign", "version": r.json["version"]},
                           token=cls.T["sup"])
            assert r.status == 200, r
            cls.by_deadline[d] = r.json

    def light(self, d):
        return self.get_item(self.by_deadline[d]["id"])["light"]

    def test_overdue_red(self):
        self.assertEqual(self.light("2026-11-27"), "red")
        self.assertEqual(self.light("2026-11-29"), "red")

    def test_due_today_yellow(self):
        self.assertEqual(self.light("2026-11-30"), "yellow")

    def test_within_three_working_days_yellow(self):
        self.assertEqual(self.light("2026-12-01"), "yellow")
        self.assertEqual(self.light("2026-12-02"), "yellow")
        self.assertEqual(self.light("2026-12-03"), "yellow")

    def test_four_working_days_green(self):
        self.assertEqual(self.light("2026-12-04"), "green")
        # the weekend after adds no working day: (11-30, 12-05] and (11-30, 12-06] hold 4
        self.assertEqual(self.light("2026-12-05"), "green")
        self.assertEqual(self.light("2026-12-06"), "green")
        self.assertEqual(self.light("2026-12-31"), "green")

    def test_light_in_answer_of_assign(self):
        self.assertEqual(self.by_deadline["2026-11-27"]["light"], "red")
        self.assertEqual(self.by_deadline["2026-12-03"]["light"], "yellow")
        self.assertEqual(self.by_deadline["2026-12-04"]["light"], "green")

    def test_light_after_accept_same(self):
        it = self.create_item(title="签收后亮灯", deadline="2026-12-02")
        it = self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["zstaff"])
        self.assertEqual(it["light"], "yellow")

    def test_draft_none_even_if_overdue(self):
        it = self.create_item(title="草稿不亮灯", deadline="2026-11-01")
        self.assertEqual(it["light"], "none")
        self.assertEqual(self.get_item(it["id"])["light"], "none")

    def test_cancelled_none(self):
        it = self.act(self.create_item(title="撤销不亮灯", deadline="2026-11-01"), "assign")
        self.assertEqual(it["light"], "red")
        it = self.act(it, "cancel", comment="撤销")
        self.assertEqual(it["light"], "none")

    def test_closed_done(self):
        it = self.to_closed(deadline="2026-12-02")
        self.assertEqual(it["light"], "done")

    def test_ongoing_fresh_green(self):
        it = self.to_submitted(deadline="2026-12-01")
        it = self.act(it, "keep_ongoing", comment="长期坚持", report_every_days=30)
        self.assertEqual(it["light"], "green")

    def test_past_deadline_valid_on_create_and_red_at_once(self):
        it = self.create_item(title="过去的期限", deadline="2025-06-30")
        self.assertEqual(it["deadline"], "2025-06-30")
        it = self.act(it, "assign")
        self.assertEqual(it["light"], "red")

    def test_warn_days_three_on_other_ledgers(self):
        for ledger in ("reform", "livelihood"):
            a = self.act(self.create_item(ledger=ledger, title="三天预警", deadline="2026-12-03"), "assign")
            b = self.act(self.create_item(ledger=ledger, title="四天不预警", deadline="2026-12-04"), "assign")
            self.assertEqual(a["light"], "yellow", ledger)
            self.assertEqual(b["light"], "green", ledger)

    def test_list_filter_red_exactly(self):
        expect_red = set()
        for it in self.list_items("per_page=200")["items"]:
            if it["light"] == "red":
                expect_red.add(it["id"])
        self.assertTrue({self.by_deadline["2026-11-27"]["id"], self.by_deadline["2026-11-29"]["id"]} <= expect_red)
        j = self.list_items("light=red&per_page=200")
        got = {it["id"] for it in j["items"]}
        self.assertEqual(got, expect_red)
        self.assertEqual(j["total"], len(expect_red))
        for it in j["items"]:
            self.assertEqual(it["light"], "red")

    def test_list_filter_comma_lights(self):
        j = self.list_items("light=yellow,green&per_page=200")
        lights = {it["light"] for it in j["items"]}
        self.assertTrue(lights <= {"yellow", "green"}, lights)
        ids = {it["id"] for it in j["items"]}
        for d in ("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-31"):
            self.assertIn(self.by_deadline[d]["id"], ids, d)
        self.assertNotIn(self.by_deadline["2026-11-27"]["id"], ids)
        j = self.list_items("light=none&per_page=200")
        self.assertTrue(all(it["light"] == "none" for it in j["items"]))

    def test_dashboard_lights_consistent(self):
        d = self.c.get(API + "/dashboard", token=self.T["sup"])
        self.assertStatus(d, 200)
        t = d.json["totals"]
        self.assertEqual(t["open"], t["green"] + t["yellow"] + t["red"])
        for light in ("green", "yellow", "red"):
            self.assertEqual(t[light], self.list_items("light=%s&per_page=1" % light)["total"], light)


class LightsOverTimeTest(h.TzCase):
    """Items made on 2026-11-02 (Mon), judged after a restart on 2026-11-30."""
    TODAY = "2026-11-02"
    USERS = ("sup", "zstaff", "zmgr")

    def test_over_time(self):
        # ---------------------------------------------------------- day 1: 2026-11-02
        mk = {}

        def progress_item(name, p, deadline="2026-12-31"):
            it = self.to_in_progress(deadline=deadline, title=name)
            if p:
                it = self.act(it, "report", token=self.T["zstaff"], comment="进度%d" % p, progress=p)
            mk[name] = it
            return it

        progress_item("L0", 0)
        progress_item("L17", 17)
        progress_item("L18", 18)
        progress_item("L50", 50)
        for n in ("L0", "L17", "L18"):
            self.assertEqual(mk[n]["light"], "green", n)
            self.assertTrue(mk[n]["assigned_at"].startswith("2026-11-02"))
        # submitted on 11-02 with deadline 11-10
        mk["S"] = self.to_submitted(deadline="2026-11-10", title="S")
        self.assertEqual(mk["S"]["light"], "green")
        # submitted later (11-30) than its deadline 11-20
        s2 = self.to_in_progress(deadline="2026-11-20", title="S2")
        s2 = self.act(s2, "report", token=self.T["zstaff"], comment="完成", progress=100)
        self.upload(s2["id"], token=self.T["zstaff"])
        mk["S2"] = s2
        # plain overdue-to-be
        mk["R"] = self.act(self.create_item(title="R", deadline="2026-11-20"), "assign")
        self.assertEqual(mk["R"]["light"], "green")
        # ongoing, last report on 11-02
        for n, every in (("O28", 28), ("O14", 14), ("O13", 13)):
            it = self.to_submitted(deadline="2026-12-31", title=n)
            it = self.act(it, "keep_ongoing", comment="长期坚持", report_every_days=every)
            it = self.act(it, "report", token=self.T["zstaff"], comment="定期报告")
            self.assertEqual(it["light"], "green")
            mk[n] = it
        # the reopen of an item closed on 11-02
        c = self.to_closed(deadline="2026-11-25", title="C")
        self.assertIs(c["on_time"], True)
        self.assertTrue(c["closed_at"].startswith("2026-11-02"))
        mk["C"] = c

        # ---------------------------------------------------------- day 2: 2026-11-30
        self.restart(today="2026-11-30")
        L = {n: self.get_item(it["id"]) for n, it in mk.items()}
        # behind schedule: f = 28/59, 100 f - 30 = 17.46
        self.assertEqual(L["L0"]["light"], "yellow")
        self.assertEqual(L["L17"]["light"], "yellow")
        self.assertEqual(L["L18"]["light"], "green")
        self.assertEqual(L["L50"]["light"], "green")
        # submitted: judged at its submit date (11-02), not today
        self.assertEqual(L["S"]["status"], "submitted")
        self.assertEqual(L["S"]["light"], "green")
        self.assertEqual(L["R"]["light"], "red")
        self.assertEqual(L["S2"]["light"], "red")
        self.assertEqual(L["O28"]["light"], "green")
        self.assertEqual(L["O14"]["light"], "yellow")
        self.assertEqual(L["O13"]["light"], "red")
        self.assertEqual(L["C"]["light"], "done")
        self.assertIs(L["C"]["on_time"], True)

        # the light filter sees the same
        reds = {it["id"] for it in self.list_items("light=red&per_page=200")["items"]}
        self.assertEqual(reds, {mk["R"]["id"], mk["S2"]["id"], mk["O13"]["id"]})
        yellows = {it["id"] for it in self.list_items("light=yellow&per_page=200")["items"]}
        self.assertEqual(yellows, {mk["L0"]["id"], mk["L17"]["id"], mk["O14"]["id"]})

        # a report makes the lagging item green again (progress catches up)
        l0 = self.act(L["L0"], "report", token=self.T["zstaff"], comment="赶进度", progress=30)
        self.assertEqual(l0["light"], "green")
        # an ongoing report resets its age
        o13 = self.act(L["O13"], "report", token=self.T["zstaff"], comment="本期报告")
        self.assertEqual(o13["light"], "green")

        # late submit: red at its submit date, verify -> on_time false
        s2 = self.act(L["S2"], "submit", token=self.T["zmgr"])
        self.assertEqual(s2["light"], "red")
        s2 = self.act(s2, "verify", comment="验收")
        self.assertIs(s2["on_time"], False)
        self.assertEqual(s2["light"], "done")
        self.assertTrue(s2["closed_at"].startswith("2026-11-30"))
        # submitted in time, verified late: on_time true
        s = self.act(L["S"], "verify", comment="验收")
        self.assertIs(s["on_time"], True)

        # dashboard: closed on time (S, C) / (closed (S, S2, C) + open past deadline (R)) = 2/4
        d = self.c.get(API + "/dashboard", token=self.T["sup"])
        self.assertStatus(d, 200)
        t = d.json["totals"]
        self.assertEqual(t["closed"], 3)
        self.assertAlmostEqual(t["on_time_rate"], 0.5, places=6)
        self.assertEqual(t["red"], 1)        # R
        self.assertEqual(t["open"], t["green"] + t["yellow"] + t["red"])
        self.assertEqual(t["open"], 8)       # L0 L17 L18 L50 R O28 O14 O13

        # reopen clears on_time and gives a new assigned_at of today
        c = self.act(L["C"], "reopen", deadline="2026-12-31", comment="反弹")
        self.assertIsNone(c["on_time"])
        self.assertTrue(c["assigned_at"].startswith("2026-11-30"))
        self.assertEqual(c["original_deadline"], "2026-11-25")
        self.assertEqual(c["light"], "green")

        # ---------------------------------------------------------- day 3: 2026-12-29
        self.restart(today="2026-12-29")
        # reopened item: assigned 11-30, deadline 12-31, progress 100 kept from before -> 2 working days: yellow
        self.assertEqual(self.get_item(mk["C"]["id"])["light"], "yellow")
        # L18: f = 57/59, 100f - 30 = 66.6 > 18, and 2 working days left -> yellow either way
        self.assertEqual(self.get_item(mk["L18"]["id"])["light"], "yellow")


class LightsDecemberLagTest(h.TzCase):
    """Behind schedule alone makes yellow when the deadline is far (many working days left)."""
    TODAY = "2026-11-02"
    USERS = ("sup", "zstaff")

    def test_lag_only_rule(self):
        a = self.to_in_progress(deadline="2027-01-31", title="A")    # 90 days
        a = self.act(a, "report", token=self.T["zstaff"], comment="10", progress=10)
        b = self.to_in_progress(deadline="2027-01-31", title="B")
        b = self.act(b, "report", token=self.T["zstaff"], comment="40", progress=40)
        # assigned on the deadline's day: no lag rule (D is not after the day of assigned_at)
        e = self.act(self.create_item(title="E", deadline="2026-11-02"), "assign")
        self.assertEqual(e["light"], "yellow")
        self.restart(today="2026-12-02")
        # f = 30/90, 100 f - 30 = 3.33 -> both green
        self.assertEqual(self.get_item(a["id"])["light"], "green")
        self.assertEqual(self.get_item(b["id"])["light"], "green")
        self.restart(today="2026-12-17")
        # f = 45/90 = 0.5 -> 20: A (10) yellow, B (40) green
        self.assertEqual(self.get_item(a["id"])["light"], "yellow")
        self.assertEqual(self.get_item(b["id"])["light"], "green")
        self.assertEqual(self.get_item(e["id"])["light"], "red")


class HolidayLightsTest(h.TzCase):
    """Working days follow the 2026 State Council calendar (DOMAIN 6.5)."""
    TODAY = "2026-02-12"     # Thursday before 春节; 02-14 (Sat) is a makeup working day
    USERS = ("sup",)

    def mk(self, d):
        return self.act(self.create_item(title="节假日 " + d, deadline=d), "assign")

    def test_spring_festival_and_national_day(self):
        # (02-12, D]: 02-13 (1), 02-14 Sat makeup (2), 02-15..02-23 holiday, 02-24 (3), 02-25 (4)
        self.assertEqual(self.mk("2026-02-14")["light"], "yellow")
        self.assertEqual(self.mk("2026-02-23")["light"], "yellow")
        self.assertEqual(self.mk("2026-02-24")["light"], "yellow")
        self.assertEqual(self.mk("2026-02-25")["light"], "green")
        self.assertEqual(self.mk("2026-02-26")["light"], "green")

        self.restart(today="2026-09-29")   # Tuesday before 国庆
        # (09-29, D]: 09-30 (1), 10-01..10-07 holiday, 10-08 (2), 10-09 (3), 10-10 Sat makeup (4)
        self.assertEqual(self.mk("2026-10-07")["light"], "yellow")
        self.assertEqual(self.mk("2026-10-09")["light"], "yellow")
        self.assertEqual(self.mk("2026-10-10")["light"], "green")
        self.assertEqual(self.mk("2026-10-12")["light"], "green")

        self.restart(today="2026-04-30")   # Thursday before 劳动节 (05-01..05-05 off)
        # (04-30, D]: 05-06 (1), 05-07 (2), 05-08 (3), 05-09 Sat makeup (4)
        self.assertEqual(self.mk("2026-05-08")["light"], "yellow")
        self.assertEqual(self.mk("2026-05-09")["light"], "green")


if __name__ == "__main__":
    h.main()
