"""
test_list_order.py - a list filtered by one unit comes in deadline order (the
per-unit index of schema 3), items without a deadline last, pages that join up,
and the order follows a deadline that moves (extension) and a unit that changes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API  # noqa: E402


class ListOrderTest(TzCase):
    def ids(self, query):
        out, page = [], 1
        while True:
            r = self.c.get(API + "/items?%s&per_page=3&page=%d" % (query, page), token=self.T["sup"])
            self.assertEqual(r.status, 200, r)
            out += [(i["id"], i["deadline"]) for i in r.json["items"]]
            if len(out) >= r.json["total"]:
                return out
            page += 1

    def test_unit_filter_in_deadline_order(self):
        stj = self.U["STJ"]
        made = []
        for deadline in ("2027-03-01", "2026-12-20", None, "2027-01-15", "2026-12-20",
                         "2027-02-01", None, "2026-12-31"):
            kw = {"lead_unit_id": stj, "title": "排序 %s" % deadline}
            kw["deadline"] = deadline
            made.append(self.create_item(**kw)["id"])
        # one more where STJ is only a co-unit
        made.append(self.create_item(lead_unit_id=self.U["ZJJ"], co_unit_ids=[stj],
                                     deadline="2026-12-25", title="配合")["id"])
        got = self.ids("unit=%d" % stj)
        self.assertEqual(sorted(i for i, _ in got), sorted(made))
        key = [(d is None, d or "", i) for i, d in got]
        self.assertEqual(key, sorted(key), got)
        desc = self.ids("unit=%d&sort=-deadline" % stj)
        self.assertEqual([i for i, _ in desc], [i for i, _ in reversed(got)])
        # a deadline that moves takes the item to its new place in the unit's order
        first = got[0][0]
        item = self.get_item(first)
        r = self.c.patch(API + "/items/%d" % first, {"deadline": "2027-12-31",
                                                     "version": item["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        moved = self.ids("unit=%d" % stj)
        with_deadline = [i for i, d in moved if d is not None]
        self.assertEqual(with_deadline[-1], first)
        # a unit that changes takes the item out of the old unit's list
        item = self.get_item(first)
        r = self.c.patch(API + "/items/%d" % first, {"lead_unit_id": self.U["ZJJ"],
                                                     "version": item["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(first, [i for i, _ in self.ids("unit=%d" % stj)])

    def test_subtree_filter_in_deadline_order(self):
        # DGJ (a street) with DGSQ (a community) below it: a subtree of two units
        made = []
        for unit, deadline in (("DGJ", "2027-01-10"), ("DGSQ", "2026-12-15"), ("DGSQ", None),
                               ("DGJ", "2026-12-15"), ("DGSQ", "2027-02-01")):
            made.append(self.create_item(lead_unit_id=self.U[unit], deadline=deadline,
                                         title="街道 %s" % deadline)["id"])
        # led by the street, the community a co-unit: listed once
        made.append(self.create_item(lead_unit_id=self.U["DGJ"], co_unit_ids=[self.U["DGSQ"]],
                                     deadline="2026-12-31", title="街道与社区")["id"])
        got = self.ids("unit=%d" % self.U["DGJ"])
        self.assertEqual(sorted(i for i, _ in got), sorted(made), "each item once")
        key = [(d is None, d or "", i) for i, d in got]
        self.assertEqual(key, sorted(key), got)
        desc = self.ids("unit=%d&sort=-deadline" % self.U["DGJ"])
        self.assertEqual([i for i, _ in desc], [i for i, _ in reversed(got)])


if __name__ == "__main__":
    main()
