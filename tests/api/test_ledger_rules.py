"""
test_ledger_rules.py - the rules each ledger adds to the closed loop, through the
API with the vectors of DOMAIN: a risk point graded by LEC/LS when it is
written, a petition's statutory clocks rolled past holidays, a project whose
investment lags the time progress, an indicator's monthly series judged
against its pace, a water section worse than its target class, and a progress
report entered once and recorded on every linked item the unit leads.

The server's business date is 2026-11-30 (the harness): 11 statistical months
are closed, so the time progress is 91.67%.
"""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API, TzCase, main  # noqa: E402


class RiskPointTest(TzCase):
    def risk(self, fields, expect=201):
        return self.create_item(ledger="risk_point", title="储罐区", deadline=h.OMIT,
                                fields=fields, expect=expect)

    def test_lec_graded_when_written(self):
        # D = 6 x 6 x 7 = 252: 较大 (160 < D <= 320)
        it = self.risk({"l": 6, "e": 6, "c": 7, "check_every_days": 15})
        f = it["fields"]
        self.assertEqual((f["d"], f["risk_level"], f["risk_color"]), (252, "较大", "orange"))
        self.assertEqual(f["suggested_control_level"], "公司级")
        self.assertEqual(it["report_every_days"], 15)
        # a limit itself falls in the lower band by default: 3 x 6 x ... = 160 is not 较大
        it = self.risk({"method": "LEC", "l": 1, "e": 10, "c": 15})  # 150: 一般
        self.assertEqual((it["fields"]["risk_level"], it["fields"]["risk_color"]), ("一般", "yellow"))
        it = self.risk({"l": 0.5, "e": 6, "c": 15})  # 45: 低
        self.assertEqual((it["fields"]["d"], it["fields"]["risk_color"]), (45, "blue"))
        it = self.risk({"l": 10, "e": 6, "c": 7})  # 420: 重大
        self.assertEqual((it["fields"]["risk_level"], it["fields"]["risk_color"]), ("重大", "red"))

    def test_ls_and_regrading_on_patch(self):
        it = self.risk({"method": "LS", "l": 4, "s": 4})
        self.assertEqual((it["fields"]["r"], it["fields"]["risk_level"]), (16, "较大"))
        # the client sends back what it read, computed keys included: they are derived again
        fields = dict(it["fields"], l=5, s=5)
        r = self.c.patch(API + "/items/%d" % it["id"], {"fields": fields, "version": it["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual((r.json["fields"]["r"], r.json["fields"]["risk_color"]), (25, "red"))
        # a computed value sent on its own is not believed
        fields = dict(r.json["fields"], risk_level="低")
        r = self.c.patch(API + "/items/%d" % it["id"], {"fields": fields, "version": r.json["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["fields"]["risk_level"], "重大")

    def test_factor_outside_its_table_writes_nothing(self):
        before = self.list_items("ledger=risk_point&per_page=1")["total"]
        for fields, field in (({"l": 4, "e": 6, "c": 7}, "l"), ({"l": 6, "e": 5, "c": 7}, "e"),
                              ({"l": 6, "e": 6, "c": 8}, "c"), ({"method": "LS", "l": 6, "s": 3}, "l"),
                              ({"l": 6, "s": 3}, "l")):
            r = self.risk(fields, expect=422)
            self.assertError(r, 422, "validation_failed", field=field)
        self.assertEqual(self.list_items("ledger=risk_point&per_page=1")["total"], before)


class ReformAndHazardTest(TzCase):
    def test_reform_progress_from_milestones(self):
        ms = [{"name": "方案印发", "due": "2026-03-31", "done": True},
              {"name": "试点运行", "due": "2026-12-20", "done": False},
              {"name": "全面推开", "due": "2027-06-30", "done": False},
              {"name": "总结评估", "due": "2027-12-31", "done": False}]
        it = self.create_item(ledger="reform", title="高效办成一件事", fields={"milestones": ms})
        self.assertEqual(it["progress"], 25)
        ms[1]["done"] = True
        r = self.c.patch(API + "/items/%d" % it["id"], {"fields": {"milestones": ms}, "version": it["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.json["progress"], 50)

    def test_hazard_links_to_a_risk_point(self):
        rp = self.create_item(ledger="risk_point", title="燃气管网", deadline=h.OMIT, fields={"l": 3, "e": 6, "c": 15})
        hz = self.create_item(ledger="hazard", title="立管锈蚀", fields={"grade": "一般", "risk_point_id": rp["id"]})
        self.assertEqual(hz["fields"]["risk_point_id"], rp["id"])
        other = self.create_item()
        for bad in (other["id"], 999999):
            r = self.create_item(ledger="hazard", title="错链", fields={"risk_point_id": bad}, expect=422)
            self.assertError(r, 422, "validation_failed", field="risk_point_id")


class PetitionClocksTest(TzCase):
    def clocks(self, it):
        return {c["name"]: (c["rule"], c["due"]) for c in it["clocks"]}

    def test_clocks_roll_past_holidays(self):
        it = self.create_item(ledger="petition", title="反映供暖不达标",
                              fields={"petitioner": "王某某", "received_on": "2026-09-16"})
        c = self.clocks(it)
        # 15 days end on 10-01 (国庆): rolled to 10-08, the first working day
        self.assertEqual(c["告知受理"], ("15日", "2026-10-08"))
        # 5 working days: 09-17, 09-18, 09-20 (makeup Sunday), 09-21, 09-22
        self.assertEqual(c["异议"], ("5个工作日", "2026-09-22"))
        # 60 days from 09-16 end on Sunday 11-15: rolled to Monday
        self.assertEqual(c["办理期限"], ("60日", "2026-11-16"))
        self.assertNotIn("申请复查", c)

    def test_acceptance_extension_and_review(self):
        it = self.create_item(ledger="petition", title="反映征收补偿",
                              fields={"received_on": "2026-09-16", "accepted_on": "2026-09-18",
                                      "extended": True, "replied_on": "2026-11-10"})
        c = self.clocks(it)
        self.assertEqual(c["办理期限"], ("60日+30日", "2026-12-17"))
        self.assertEqual(c["申请复查"], ("30日", "2026-12-10"))
        # the list shows the clocks too
        listed = [x for x in self.list_items("ledger=petition&per_page=200")["items"] if x["id"] == it["id"]]
        self.assertEqual(self.clocks(listed[0]), c)

    def test_dates_out_of_order_refused(self):
        r = self.create_item(ledger="petition", title="日期颠倒",
                             fields={"received_on": "2026-09-16", "accepted_on": "2026-09-10"},
                             expect=422)
        self.assertError(r, 422, "validation_failed", field="accepted_on")


class ProjectPaceTest(TzCase):
    def project(self, completed, phase="在建"):
        it = self.create_item(ledger="project", title="火车站南岸广场改造",
                              fields={"annual_plan_investment": 10000, "completed_investment": completed,
                                      "phase": phase})
        return self.act(it, "assign")

    def test_investment_against_time_progress(self):
        it = self.project(9500)  # 95% against 91.67%
        self.assertEqual(it["light"], "green")
        self.assertEqual(it["pace"]["light"], "green")
        it = self.project(8800)  # 3.67 points behind: within the 5-point yellow band
        self.assertEqual(it["light"], "yellow")
        self.assertEqual(it["pace"]["reason"], "年度计划投资完成88.00%，时序进度91.67%，低于时序进度3.67个百分点")
        it = self.project(8000)  # 11.67 points behind
        self.assertEqual(it["light"], "red")
        it = self.project(100, phase="前期")  # investment is not judged before 新开工
        self.assertEqual(it["light"], "green")
        self.assertIsNone(it["pace"])
        it = self.project(9500, phase="停缓建")
        self.assertEqual(it["light"], "red")

    def test_negative_investment_refused(self):
        r = self.create_item(ledger="project", title="负投资", fields={"completed_investment": -1}, expect=422)
        self.assertError(r, 422, "validation_failed", field="completed_investment")


class SeriesTest(TzCase):
    def put(self, item_id, period, body, token=None, expect=200):
        r = self.c.request("PUT", API + "/items/%d/series/%s" % (item_id, period), body,
                           token=token or self.T["sup"])
        if expect is not None:
            self.assertStatus(r, expect, msg="PUT series %s" % period)
        return r

    def indicator(self, **fields):
        it = self.create_item(ledger="indicator", title="固定资产投资", lead_unit_id=self.U["ZJJ"],
                              fields=dict({"measure": "固定资产投资", "unit_of_measure": "万元"}, **fields))
        return self.act(it, "assign")

    def test_plan_pace_of_domain_example(self):
        # DOMAIN 7.2: after 1-2月 the time progress is 16.67%; 12.85% done is 3.82 points behind
        it = self.indicator(annual_target=10000)
        r = self.put(it["id"], "2026-02", {"value": 1285})
        self.assertEqual(r.json["evaluation"]["light"], "yellow")
        self.assertEqual(r.json["evaluation"]["reason"], "完成年度目标12.85%，时序进度16.67%，低于时序进度3.82个百分点")
        self.assertEqual(r.json["item"]["light"], "yellow")
        self.assertEqual(r.json["item"]["fields"]["latest_period"], "2026-02")
        r = self.put(it["id"], "2026-03", {"value": 1000}, token=self.T["zstaff"])  # 10% vs 25%
        self.assertEqual(r.json["item"]["light"], "red")
        r = self.put(it["id"], "2026-04", {"value": 4000}, token=self.T["zstaff"])
        self.assertEqual(r.json["item"]["light"], "green")
        # a period reported again replaces what was there
        self.put(it["id"], "2026-02", {"value": 2000})
        periods = self.c.get(API + "/items/%d/series" % it["id"], token=self.T["zstaff"]).json["series"]
        self.assertEqual([(p["period"], p["data"]["value"]) for p in periods],
                         [("2026-02", 2000), ("2026-03", 1000), ("2026-04", 4000)])
        self.assertEqual([e["action"] for e in self.events(it["id"])].count("series"), 4)

    def test_growth_pace_and_sign_flip(self):
        it = self.indicator()
        self.assertEqual(self.put(it["id"], "2026-02", {"yoy": 7.0, "target": 6.5}).json["item"]["light"], "green")
        self.assertEqual(self.put(it["id"], "2026-03", {"yoy": 6.0, "target": 6.5}).json["item"]["light"], "yellow")
        self.assertEqual(self.put(it["id"], "2026-04", {"yoy": 5.0, "target": 6.5}).json["item"]["light"], "red")
        # 正转负 is red even against a negative target
        self.put(it["id"], "2026-05", {"yoy": 1.0, "target": -2})
        r = self.put(it["id"], "2026-06", {"yoy": -0.5, "target": -2})
        self.assertEqual(r.json["evaluation"]["light"], "red")

    def test_growth_target_of_the_item(self):
        # a "%" indicator's annual target is a growth rate: a period's yoy is judged against it
        it = self.indicator(unit_of_measure="%", annual_target=6.5)
        r = self.put(it["id"], "2026-03", {"yoy": 5.9})
        self.assertEqual(r.json["evaluation"]["light"], "yellow")
        self.assertEqual(r.json["evaluation"]["reason"], "增速5.90%，目标6.50%，低于目标0.60个百分点")
        # target_kind says otherwise: 总量 judges the value against the year's total
        it = self.indicator(unit_of_measure="%", annual_target=200, target_kind="总量")
        r = self.put(it["id"], "2026-06", {"value": 100, "yoy": 1})
        self.assertEqual(r.json["evaluation"]["light"], "green")

    def test_series_refusals(self):
        it = self.indicator(annual_target=100)
        for period, body, status, field in (
                ("2026-01", {"value": 1}, 422, "period"),   # January goes with February
                ("2026-13", {"value": 1}, 422, "period"),
                ("2026-1", {"value": 1}, 422, "period"),
                ("2026-03", {"value": "1"}, 422, "value"),
                ("2026-03", {"note": "无数据"}, 422, "value"),
                ("2026-03", {"value": 1, "colour": 1}, 422, "colour")):
            r = self.put(it["id"], period, body, expect=status)
            self.assertError(r, status, "validation_failed", field=field)
        self.assertEqual(self.c.get(API + "/items/%d/series" % it["id"], token=self.T["sup"]).json["series"], [])
        # another unit's staff may not report; a viewer may not either
        self.assertStatus(self.put(it["id"], "2026-03", {"value": 1}, token=self.T["viewer"], expect=None), 403)
        self.assertStatus(self.put(it["id"], "2026-03", {"value": 1}, token=self.T["sstaff"], expect=None), 404)
        # ledgers without series
        rect = self.create_item()
        self.assertStatus(self.put(rect["id"], "2026-03", {"value": 1}, expect=None), 404)
        self.assertStatus(self.c.get(API + "/items/%d/series/2026-03" % it["id"], token=self.T["sup"]), 404)

    def test_water_section_against_its_target(self):
        it = self.create_item(ledger="eco_problem", title="曹家沟出境断面氨氮超标", lead_unit_id=self.U["ZJJ"],
                              location={"lat": 36.62, "lon": 101.83, "address": "曹家沟入湟口"},
                              fields={"found_by": "监测", "category": "水", "target_class": "Ⅲ类"})
        it = self.act(it, "assign")
        self.assertEqual(it["light"], "green")
        r = self.put(it["id"], "2026-10", {"氨氮": 1.62, "tp": "0.18", "DO": 6.1, "section": "曹家沟入湟口"})
        ev = r.json["evaluation"]
        self.assertEqual((ev["water_class"], ev["complies"]), ("Ⅴ类", False))
        self.assertEqual([(x["item"], x["limit"], x["multiple"]) for x in ev["exceed"]], [("nh3_n", "1", "0.62")])
        self.assertEqual(r.json["data"]["tp"], 0.18)
        f = r.json["item"]["fields"]
        self.assertEqual((f["water_class"], f["complies"], f["exceed"]), ("Ⅴ类", False, ["氨氮超标0.62倍"]))
        self.assertEqual(r.json["item"]["light"], "yellow")
        r = self.put(it["id"], "2026-11", {"nh3_n": 0.8, "tp": 0.15, "do": 6.1}, token=self.T["zstaff"])
        self.assertEqual((r.json["evaluation"]["water_class"], r.json["item"]["light"]), ("Ⅲ类", "green"))
        # an unknown item, a negative value, a value finer than a thousandth: 422 naming it
        for body, field in (({"锰": 0.1}, "锰"), ({"nh3_n": -1}, "nh3_n"), ({"tp": "0.0125"}, "tp"),
                            ({"aqi": 501}, "aqi"), ({"section": "无数据"}, "nh3_n")):
            self.assertError(self.put(it["id"], "2026-12", body, expect=422), 422, "validation_failed",
                             field=field)


class FieldFilterTest(TzCase):
    def ids(self, query, token=None):
        return sorted(self.list_all_ids(query, token=token))

    def test_key_fields_filter_the_list(self):
        major = self.create_item(ledger="hazard", title="燃气立管锈蚀", fields={"grade": "重大",
                                 "measures": ["更换立管", "加装报警器"]})
        minor = self.create_item(ledger="hazard", title="消防通道堵塞", fields={"grade": "一般"})
        q = urllib.parse.quote("重大")
        self.assertEqual(self.ids("ledger=hazard&f.grade=" + q), [major["id"]])
        self.assertEqual(self.ids("ledger=hazard&f.grade=" + urllib.parse.quote("一般")), [minor["id"]])
        self.assertEqual(self.ids("ledger=hazard&f.measures=" + urllib.parse.quote("加装报警器")), [major["id"]])
        # computed fields filter too: the red risk points
        red = self.create_item(ledger="risk_point", title="液氨制冷车间", deadline=h.OMIT,
                               fields={"l": 10, "e": 6, "c": 15})
        self.create_item(ledger="risk_point", title="办公区", deadline=h.OMIT, fields={"l": 1, "e": 1, "c": 1})
        self.assertEqual(self.ids("ledger=risk_point&f.risk_color=red"), [red["id"]])
        petition = self.create_item(ledger="petition", title="积案", fields={"received_on": "2026-03-02",
                                    "backlog": True, "petitioner": "李某"})
        self.assertEqual(self.ids("ledger=petition&f.backlog=true"), [petition["id"]])
        self.assertEqual(self.ids("ledger=petition&f.backlog=false"), [])

    def test_bad_field_filters(self):
        for query, field in (("f.grade=x", "ledger"), ("ledger=hazard,petition&f.grade=x", "ledger"),
                             ("ledger=hazard&f.colour=red", "f.colour"),
                             ("ledger=hazard&f.grade=" + urllib.parse.quote("特大"), "f.grade"),
                             ("ledger=hazard&f.risk_point_id=abc", "f.risk_point_id"),
                             ("ledger=petition&f.petitioner=" + urllib.parse.quote("李某"), "f.petitioner")):
            r = self.list_items(query, expect=422)
            self.assertError(r, 422, "validation_failed", field=field)


class ReportOnceTest(TzCase):
    def test_report_recorded_on_linked_items_the_unit_leads(self):
        a = self.to_in_progress(title="湟水河生态修复（整改）")
        b = self.to_in_progress(title="湟水河生态修复（项目）")
        other = self.to_in_progress(title="另一单位牵头", lead="STJ", staff="sstaff")
        r = self.c.patch(API + "/items/%d" % a["id"],
                         {"links": [b["id"], other["id"]], "version": self.get_item(a["id"])["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["links"], sorted([b["id"], other["id"]]))
        self.assertEqual(self.get_item(b["id"])["links"], [a["id"]], "a link shows on both items")
        a = self.act(a, "report", token=self.T["zstaff"], comment="完成护岸整治1.2公里", progress=40)
        self.assertEqual(a["progress"], 40)
        b2 = self.get_item(b["id"])
        self.assertEqual(b2["progress"], 40, "recorded on the linked item without re-entry")
        last = self.events(b["id"])[-1]
        self.assertEqual(last["action"], "report")
        self.assertIn("完成护岸整治1.2公里", last["comment"])
        self.assertIn(a["code"], last["comment"])
        self.assertEqual(self.get_item(other["id"])["progress"], 0, "not on an item another unit leads")
        # linked: false keeps the report on this item only; a list must name linked items
        self.act(a, "report", token=self.T["zstaff"], comment="仅本事项", progress=50, linked=False)
        self.assertEqual(self.get_item(b["id"])["progress"], 40)
        r = self.act(a, "report", token=self.T["zstaff"], comment="同步", progress=60, linked=[other["id"]],
                     expect=422)
        self.assertError(r, 422, "validation_failed", field="linked")
        self.assertEqual(self.get_item(a["id"])["progress"], 50, "nothing written")

    def test_bad_links_refused(self):
        a = self.create_item()
        for links in ([a["id"]], [999999], ["x"], 5):
            r = self.c.patch(API + "/items/%d" % a["id"], {"links": links, "version": a["version"]},
                             token=self.T["sup"])
            self.assertError(r, 422, "validation_failed", field="links")

    def test_location_outside_china_refused(self):
        r = self.create_item(location={"lat": 48.85, "lon": 2.35}, expect=422)
        self.assertError(r, 422, "validation_failed", field="location")


if __name__ == "__main__":
    main()
