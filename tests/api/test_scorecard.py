"""
test_scorecard.py - the per-unit scorecard (GET /dashboard/units) and the
burden meter (GET /dashboard/burden): what a unit did and what it received,
counted against the lead unit, each number drillable to its items, and a unit
user seeing only its own subtree.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API  # noqa: E402


class ScorecardTest(TzCase):
    def row(self, token, unit):
        r = self.c.get(API + "/dashboard/units", token=token)
        self.assertEqual(r.status, 200, r)
        rows = [u for u in r.json["units"] if u["unit_id"] == unit]
        return rows[0] if rows else None

    def test_scorecard_and_burden(self):
        zjj = self.U["ZJJ"]
        sup = self.T["sup"]
        before = self.row(sup, zjj) or {"total": 0, "closed": 0, "reminders": 0,
                                        "supervisions": 0, "objections": 0, "extensions": 0,
                                        "red": 0, "overdue": 0}
        self.to_closed()                                   # closed on time
        late = self.to_in_progress(deadline="2026-11-20")  # past due: red, overdue
        it = self.act(late, "remind")
        it = self.act(it, "remind")
        it = self.act(it, "supervise")
        objected = self.create_item(title="退回的事项")
        objected = self.act(objected, "assign")
        self.act(objected, "object", token=self.T["zstaff"], comment="不属于本单位职责")
        ext = self.to_in_progress(deadline="2026-12-20")
        ext = self.act(ext, "request_extension", token=self.T["zmgr"], deadline="2027-01-20",
                       comment="施工季节受限")
        self.act(ext, "approve_extension")

        row = self.row(sup, zjj)
        self.assertEqual(row["closed"] - before["closed"], 1)
        self.assertEqual(row["overdue"] - before["overdue"], 1)
        self.assertEqual(row["reminders"] - before["reminders"], 2)
        self.assertEqual(row["supervisions"] - before["supervisions"], 1)
        self.assertEqual(row["objections"] - before["objections"], 1)
        self.assertEqual(row["extensions"] - before["extensions"], 1)
        self.assertEqual(row["name"], "住建局")
        self.assertAlmostEqual(row["close_rate"], row["closed"] / row["total"])
        # each number leads to its items
        for key in ("closed", "overdue", "red"):
            r = self.c.get(row["items"][key] + "&per_page=200", token=sup)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["total"], row[key], key)
            self.assertTrue(all(i["lead_unit_id"] == zjj for i in r.json["items"]))
        # the on-time rate's denominator: closed plus open overdue
        r = self.c.get(row["items"]["due"] + "&per_page=200", token=sup)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["total"], row["closed"] + row["overdue"])
        # what the unit received: the items behind each tally
        ids = {"reminders": {late["id"]}, "supervisions": {late["id"]},
               "objections": {objected["id"]}, "extensions": {ext["id"]}}
        for key, want in ids.items():
            r = self.c.get(row["items"][key] + "&per_page=200", token=sup)
            self.assertEqual(r.status, 200, r)
            got = {i["id"] for i in r.json["items"]}
            self.assertTrue(want <= got, key)
            self.assertLessEqual(r.json["total"], row[key], key)
        r = self.c.get(API + "/items?received=remind&received_by=%d" % self.U["STJ"], token=sup)
        self.assertNotIn(late["id"], {i["id"] for i in r.json["items"]})
        r = self.c.get(API + "/items?received=praise", token=sup)
        self.assertEqual((r.status, r.error.get("field")), (422, "received"))
        r = self.c.get(API + "/items?received_by=%d" % zjj, token=sup)
        self.assertEqual((r.status, r.error.get("field")), (422, "received_by"))

        r = self.c.get(API + "/dashboard/burden?from=2026-11&to=2026-11", token=sup)
        self.assertEqual(r.status, 200, r)
        nov = [m for m in r.json["months"] if m["unit_id"] == zjj and m["month"] == "2026-11"]
        self.assertEqual(len(nov), 1)
        self.assertGreaterEqual(nov[0]["reminders"], 2)
        self.assertGreaterEqual(nov[0]["objections"], 1)
        r = self.c.get(API + "/dashboard/burden?from=2026-12&to=2026-12", token=sup)
        self.assertEqual([m for m in r.json["months"] if m["unit_id"] == zjj], [])
        r = self.c.get(API + "/dashboard/burden?from=2026-13", token=sup)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error.get("field"), "from")

    def test_unit_user_sees_its_subtree_only(self):
        self.to_in_progress(lead="STJ", staff="sstaff")
        self.to_in_progress()
        r = self.c.get(API + "/dashboard/units", token=self.T["zstaff"])
        self.assertEqual(r.status, 200, r)
        ids = {u["unit_id"] for u in r.json["units"]}
        self.assertIn(self.U["ZJJ"], ids)
        self.assertNotIn(self.U["STJ"], ids)
        r = self.c.get(API + "/dashboard/units", token=self.T["admin"] if "admin" in self.T
                       else self.T["auditor"])
        self.assertEqual(r.status, 403, r)


if __name__ == "__main__":
    main()
