"""
test_hazard_stats.py - quarterly hazard statistics per unit (GET
/dashboard/hazards): the figures of the enterprises' quarterly hazard report
(DOMAIN 4.6), counted by lead unit over hazard items in the loop.

The class builds one scenario across two quarters: the server first runs on
2026-09-10 (Q3) and makes some hazards there, then restarts on the harness's
2026-11-30 (Q4) and makes more, closing some of each through the closed loop.
Drafts, cancelled hazards and other ledgers' items are made too and must not
count. Every figure of both quarters is asserted exactly.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API, DEFAULT_TODAY  # noqa: E402

Q3_DAY = "2026-09-10"

PLAN = {"measures": ["更换腐蚀管段"], "funds": "50万元", "plan_deadline": "2026-12-20",
        "responsible": "李四", "contingency": "燃气泄漏应急预案"}


def major(**extra):
    f = {"grade": "重大"}
    f.update(PLAN)
    f.update(extra)
    return f


GENERAL = {"grade": "一般"}

COUNT_KEYS = ("found", "major", "general", "rectified", "rectified_on_time", "open_at_end",
              "overdue", "major_open")


def figures(found=0, major=0, rectified=0, on_time=0, open_at_end=0, overdue=0, major_open=0):
    return {"found": found, "major": major, "general": found - major, "rectified": rectified,
            "rectified_on_time": on_time, "open_at_end": open_at_end, "overdue": overdue,
            "major_open": major_open}


# What each quarter must show, by unit key; units not listed must be absent.
Q3 = {
    # A1 (一般, late, open at Q3's end), A2 (重大, open)
    "ZJJ": figures(found=2, major=1, open_at_end=2, overdue=1, major_open=1),
    # A3 (closed on time in Q3), A4 (submitted before its deadline: open, not overdue)
    "STJ": figures(found=2, rectified=1, on_time=1, open_at_end=1),
}
Q4 = {
    # B1 (closed on time), B2 (重大, past due); A1 closed late in Q4; A2 still open
    "ZJJ": figures(found=2, major=1, rectified=2, on_time=1, open_at_end=2, overdue=1,
                   major_open=2),
    # B3, the subunit's
    "ZJZ": figures(found=1, open_at_end=1),
    # B4 (重大, submitted after its deadline: overdue); A4 still submitted in time
    "STJ": figures(found=1, major=1, open_at_end=2, overdue=1, major_open=1),
}
RATES = {("Q3", "ZJJ"): 0.0, ("Q3", "STJ"): 0.5,
         ("Q4", "ZJJ"): 0.5, ("Q4", "ZJZ"): 0.0, ("Q4", "STJ"): 0.0}


class HazardStatsTest(TzCase):
    TODAY = Q3_DAY
    USERS = ("sup", "lead", "zmgr", "zstaff", "substaff", "submgr", "smgr", "sstaff", "viewer",
             "auditor")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        builder = cls("test_quarter_four_exact")
        builder.build_q3()
        builder.restart(today=DEFAULT_TODAY)
        builder.build_q4()

    # ---- the scenario
    def hazard(self, fields, **kw):
        return self.create_item(ledger="hazard", title="隐患", fields=fields, **kw)

    def build_q3(self):
        # A1: ZJJ 一般, due 09-20, in progress until it closes late in Q4
        type(self).a1 = self.to_in_progress(deadline="2026-09-20", ledger="hazard",
                                            fields=GENERAL)
        # A2: ZJJ 重大 with its plan, due at year end, open all along
        self.to_in_progress(deadline="2026-12-31", ledger="hazard", fields=major())
        # A3: STJ 一般, closed on time on 09-10
        it = self.to_closed(deadline="2026-09-30", lead="STJ", staff="sstaff", mgr="smgr",
                            ledger="hazard", fields=GENERAL)
        self.assertTrue(it["on_time"])
        # A4: STJ 一般, submitted on 09-10 before its deadline of 09-15, never verified
        self.to_submitted(deadline="2026-09-15", lead="STJ", staff="sstaff", mgr="smgr",
                          ledger="hazard", fields=GENERAL)

    def build_q4(self):
        # A1 closes now, after its deadline
        it = self.act(self.a1, "report", token=self.T["zstaff"], comment="已整改", progress=100)
        self.upload(it["id"], token=self.T["zstaff"])
        it = self.act(it, "submit", token=self.T["zmgr"], comment="申请销号")
        it = self.act(it, "verify", comment="复查合格")
        self.assertFalse(it["on_time"])
        # B1: ZJJ, no grade given (counts as 一般), closed on time
        it = self.to_closed(deadline="2026-12-31", ledger="hazard", fields={})
        self.assertTrue(it["on_time"])
        # B2: ZJJ 重大, due 11-20, in progress: overdue
        self.to_in_progress(deadline="2026-11-20", ledger="hazard", fields=major())
        # B3: ZJZ (under ZJJ) 一般, in progress
        self.to_in_progress(deadline="2026-12-31", lead="ZJZ", staff="substaff",
                            ledger="hazard", fields=GENERAL)
        # B4: STJ 重大, due 11-25, submitted today (late): overdue though submitted
        it = self.to_submitted(deadline="2026-11-25", lead="STJ", staff="sstaff", mgr="smgr",
                               ledger="hazard", fields=major())
        self.assertEqual(it["status"], "submitted")
        # not counted: a draft, a cancelled hazard, another ledger's closed item
        self.hazard(major(), deadline="2026-12-31")
        it = self.act(self.hazard(GENERAL, deadline="2026-12-31"), "assign")
        self.act(it, "cancel", comment="重复录入")
        self.to_closed(deadline="2026-12-31")

    # ---- helpers
    def stats(self, query="", token=None, expect=200):
        r = self.c.get(API + "/dashboard/hazards" + query, token=token or self.T["sup"])
        self.assertStatus(r, expect, msg=query)
        return r.json if expect == 200 else r

    def check_quarter(self, got, name, want, year, quarter, first, last):
        self.assertEqual((got["year"], got["quarter"], got["from"], got["to"]),
                         (year, quarter, first, last))
        by_id = {self.U[k]: k for k in want}
        self.assertEqual([u["unit_id"] for u in got["units"]], sorted(by_id),
                         "units listed, in unit order")
        totals = dict.fromkeys(COUNT_KEYS, 0)
        for row in got["units"]:
            key = by_id[row["unit_id"]]
            self.assertEqual({k: row[k] for k in COUNT_KEYS}, want[key], "%s %s" % (name, key))
            self.assertAlmostEqual(row["rectification_rate"], RATES[(name, key)],
                                   msg="%s %s" % (name, key))
            for k in COUNT_KEYS:
                totals[k] += want[key][k]
        self.assertEqual({k: got["totals"][k] for k in COUNT_KEYS}, totals)
        denom = totals["rectified"] + totals["open_at_end"]
        self.assertAlmostEqual(got["totals"]["rectification_rate"], totals["rectified"] / denom)

    # ---- the figures
    def test_quarter_four_exact(self):
        got = self.stats("?year=2026&quarter=4")
        self.check_quarter(got, "Q4", Q4, 2026, 4, "2026-10-01", "2026-12-31")
        names = {u["unit_id"]: u["name"] for u in got["units"]}
        self.assertEqual(names[self.U["ZJJ"]], "住建局")
        self.assertEqual(names[self.U["STJ"]], "生态环境局")
        self.assertAlmostEqual(got["totals"]["rectification_rate"], 2 / 7)

    def test_quarter_three_exact(self):
        got = self.stats("?year=2026&quarter=3")
        self.check_quarter(got, "Q3", Q3, 2026, 3, "2026-07-01", "2026-09-30")

    def test_defaults_are_the_quarter_of_today(self):
        self.assertEqual(self.stats(""), self.stats("?year=2026&quarter=4"))
        self.assertEqual(self.stats("?quarter=3"), self.stats("?year=2026&quarter=3"))
        self.assertEqual(self.stats("?year=2026"), self.stats("?year=2026&quarter=4"))

    def test_quarter_without_hazards_is_empty_with_null_rate(self):
        got = self.stats("?year=2026&quarter=1")
        self.assertEqual((got["from"], got["to"]), ("2026-01-01", "2026-03-31"))
        self.assertEqual(got["units"], [])
        self.assertEqual({k: got["totals"][k] for k in COUNT_KEYS}, figures())
        self.assertIsNone(got["totals"]["rectification_rate"])
        got = self.stats("?year=2025&quarter=4")
        self.assertEqual(got["units"], [])
        self.assertEqual(got["to"], "2025-12-31")

    # ---- refusals
    def test_bad_year_or_quarter_is_422(self):
        cases = [("?quarter=5", "quarter"), ("?quarter=0", "quarter"), ("?quarter=q4", "quarter"),
                 ("?quarter=", "quarter"), ("?quarter=-1", "quarter"), ("?quarter=4.0", "quarter"),
                 ("?year=1899", "year"), ("?year=3000", "year"), ("?year=20x6", "year"),
                 ("?year=", "year"), ("?year=-2026&quarter=4", "year"),
                 ("?year=99999999999999999999", "year"), ("?year=1899&quarter=9", "year")]
        for query, field in cases:
            r = self.stats(query, expect=422)
            self.assertError(r, 422, "validation_failed", field=field, msg=query)

    def test_sign_in_and_an_item_role_are_needed(self):
        r = self.c.get(API + "/dashboard/hazards")
        self.assertError(r, 401, None)
        r = self.stats("?year=2026&quarter=4", token=self.T["auditor"], expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.stats("?year=2026&quarter=4", token=self.T["admin"], expect=403)
        self.assertError(r, 403, "forbidden")

    # ---- scope
    def test_unit_users_see_their_subtree_only(self):
        for who in ("zstaff", "viewer"):
            got = self.stats("?year=2026&quarter=4", token=self.T[who])
            self.assertEqual([u["unit_id"] for u in got["units"]],
                             [self.U["ZJJ"], self.U["ZJZ"]], who)
            self.assertEqual(got["totals"]["found"], Q4["ZJJ"]["found"] + Q4["ZJZ"]["found"])
            self.assertEqual(got["totals"]["open_at_end"],
                             Q4["ZJJ"]["open_at_end"] + Q4["ZJZ"]["open_at_end"])
        got = self.stats("?year=2026&quarter=4", token=self.T["substaff"])
        self.assertEqual([u["unit_id"] for u in got["units"]], [self.U["ZJZ"]])
        got = self.stats("?year=2026&quarter=4", token=self.T["sstaff"])
        self.assertEqual([u["unit_id"] for u in got["units"]], [self.U["STJ"]])
        self.assertEqual({k: got["totals"][k] for k in COUNT_KEYS}, Q4["STJ"])
        # the leader sees what the supervisor sees
        self.assertEqual(self.stats("?year=2026&quarter=4", token=self.T["lead"]),
                         self.stats("?year=2026&quarter=4"))


if __name__ == "__main__":
    main()
