#!/usr/bin/env python3
"""The to-do list (GET /todos, SPEC 4): what waits for each party as items walk
the closed loop (docs/DECISIONS.md, "The to-do list"), its scope (as GET
/items), its order (most urgent first), counts, and 401 without a session."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class TodosTest(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "substaff", "sstaff", "smgr", "viewer", "auditor")

    def todos(self, who, query=""):
        r = self.c.get(API + "/todos" + (("?" + query) if query else ""), token=self.T[who])
        self.assertStatus(r, 200, msg="todos of " + who)
        j = r.json
        for k in ("today", "count", "counts", "kinds", "todos", "truncated"):
            self.assertIn(k, j)
        return j

    def kinds_of(self, who, item):
        """The kinds of who's to-dos on one item."""
        item_id = item["id"] if isinstance(item, dict) else item
        return sorted(t["kind"] for t in self.todos(who)["todos"] if t["item"]["id"] == item_id)

    def assertKinds(self, item, expected, msg=""):
        """expected: {user: [kinds]}; every other user of the class has none on the item."""
        for who in self.USERS:
            self.assertEqual(self.kinds_of(who, item), sorted(expected.get(who, [])),
                             "%s: to-dos of %s" % (msg, who))

    # ------------------------------------------------------------------ the loop
    def test_00_walk_through_the_loop(self):
        it = self.create_item(title="待办闭环", deadline="2027-01-29")
        self.assertKinds(it, {"sup": ["assign"]}, "draft")

        it = self.act(it, "assign", comment="请住建局牵头")
        self.assertKinds(it, {"zstaff": ["accept"], "zmgr": ["accept"]}, "assigned")
        t = [t for t in self.todos("zstaff")["todos"] if t["item"]["id"] == it["id"]][0]
        self.assertEqual(t["label"], "待签收")
        self.assertEqual(t["item"], {k: it[k] for k in ("id", "code", "title", "ledger", "status",
                                                         "light", "deadline", "lead_unit_id")})
        self.assertEqual(t["due"], "2027-01-29")
        self.assertEqual(t["since"], it["assigned_at"])
        self.assertFalse(t["overdue"])

        it = self.act(it, "object", token=self.T["zstaff"], comment="不属于本单位职责")
        self.assertKinds(it, {"sup": ["objection"]}, "objected")
        it = self.act(it, "assign", comment="经核实仍由住建局牵头")
        it = self.act(it, "accept", token=self.T["zstaff"])
        self.assertKinds(it, {}, "accepted, green")

        it = self.act(it, "report", token=self.T["zstaff"], comment="已完成", progress=100)
        self.assertKinds(it, {"zmgr": ["submit"]}, "progress 100")
        self.upload(it["id"], token=self.T["zstaff"])
        it = self.act(it["id"], "submit", token=self.T["zmgr"], comment="申请销号")
        self.assertKinds(it, {"sup": ["verify"]}, "submitted")

        it = self.act(it, "reject", comment="佐证不全")
        self.assertKinds(it, {"zstaff": ["rework"], "zmgr": ["rework"]}, "rejected")
        it = self.act(it, "report", token=self.T["zstaff"], comment="补充佐证", progress=100)
        self.assertKinds(it, {"zmgr": ["submit"]}, "reported after the rejection")
        it = self.act(it, "submit", token=self.T["zmgr"], comment="再次申请")
        it = self.act(it, "verify", comment="同意销号")
        self.assertKinds(it, {}, "closed")

        it = self.act(it, "reopen", comment="问题反弹", deadline="2027-02-26")
        self.assertKinds(it, {"zstaff": ["reopened"], "zmgr": ["reopened"]}, "reopened")
        it = self.act(it, "report", token=self.T["zstaff"], comment="重新整改", progress=50)
        self.assertKinds(it, {}, "reported after reopening")

    def test_01_extensions(self):
        it = self.to_in_progress(deadline="2027-01-29")
        it = self.act(it, "request_extension", token=self.T["zmgr"], comment="工程量大",
                      deadline="2027-02-26")
        self.assertKinds(it, {"sup": ["extension"]}, "extension requested")
        t = [t for t in self.todos("sup")["todos"] if t["item"]["id"] == it["id"]][0]
        self.assertEqual(t["since"], it["extension"]["at"])
        it = self.act(it, "deny_extension", comment="不同意延期")
        self.assertKinds(it, {"zstaff": ["extension_denied"], "zmgr": ["extension_denied"]},
                         "extension denied")
        it = self.act(it, "report", token=self.T["zstaff"], comment="加快推进", progress=40)
        self.assertKinds(it, {}, "reported after the denial")
        it = self.act(it, "request_extension", token=self.T["zmgr"], comment="再次申请",
                      deadline="2027-02-26")
        it = self.act(it, "approve_extension", comment="同意")
        self.assertKinds(it, {}, "extension approved")

    def test_02_due_overdue_and_supervised(self):
        soon = self.to_in_progress(title="临期事项", deadline="2026-12-02")
        late = self.to_in_progress(title="逾期事项", deadline="2026-11-20")
        self.assertEqual(soon["light"], "yellow")
        self.assertEqual(late["light"], "red")
        self.assertKinds(soon, {"zstaff": ["due"], "zmgr": ["due"]}, "yellow")
        self.assertKinds(late, {"zstaff": ["due"], "zmgr": ["due"]}, "red")
        t = [t for t in self.todos("zstaff")["todos"] if t["item"]["id"] == late["id"]][0]
        self.assertTrue(t["overdue"])
        self.assertEqual(t["label"], "临期逾期")
        late = self.act(late, "supervise", comment="区领导督办")
        self.assertKinds(late, {"zstaff": ["due"], "zmgr": ["due"], "lead": ["supervised_red"]},
                         "red under 督办")
        # a co-unit may report but is not waited for
        co = self.to_in_progress(title="配合事项", deadline="2026-11-25", co_unit_ids=[self.U["STJ"]])
        self.assertEqual(self.get_item(co["id"], token=self.T["sstaff"])["id"], co["id"])
        self.assertKinds(co, {"zstaff": ["due"], "zmgr": ["due"]}, "co-unit")

    def test_03_subtree_lead_unit(self):
        it = self.create_item(title="质监站事项", lead_unit_id=self.U["ZJZ"], deadline="2027-01-29")
        it = self.act(it, "assign")
        self.assertKinds(it, {"zstaff": ["accept"], "zmgr": ["accept"], "substaff": ["accept"]},
                         "lead unit below ZJJ")

    # -------------------------------------------------------------- order, scope
    def test_10_order_most_urgent_first(self):
        for who in ("zstaff", "zmgr", "sup", "lead"):
            todos = self.todos(who)["todos"]
            dues = [t["due"] for t in todos]
            dated = [d for d in dues if d is not None]
            self.assertEqual(dated, sorted(dated), who)
            self.assertEqual(dues, dated + [None] * (len(dues) - len(dated)), who)
            flags = [t["overdue"] for t in todos]
            self.assertEqual(flags, sorted(flags, reverse=True), "overdue first for " + who)
        todos = self.todos("zstaff")["todos"]
        self.assertTrue(todos and todos[0]["overdue"], todos[:1])

    def test_11_scope_as_items(self):
        for who in ("zstaff", "zmgr", "substaff", "sstaff", "smgr"):
            for t in self.todos(who)["todos"]:
                r = self.c.get(API + "/items/%s" % t["item"]["id"], token=self.T[who])
                self.assertStatus(r, 200, msg="%s's to-do %s" % (who, t["item"]["code"]))
                self.assertEqual(r.json["status"], t["item"]["status"])
        # another unit sees none of ZJJ's work; readers and auditors wait for nothing
        for who in ("sstaff", "smgr", "viewer", "auditor"):
            j = self.todos(who)
            self.assertEqual((j["count"], j["todos"], j["counts"]), (0, [], {}), who)
        other = self.create_item(title="生态事项", lead_unit_id=self.U["STJ"], deadline="2027-01-29")
        other = self.act(other, "assign")
        self.assertKinds(other, {"sstaff": ["accept"], "smgr": ["accept"]}, "STJ's item")

    def test_12_counts_and_badge(self):
        for who in ("zstaff", "zmgr", "sup", "lead"):
            j = self.todos(who)
            self.assertEqual(j["count"], sum(j["counts"].values()), who)
            self.assertEqual(j["count"], len(j["todos"]), who)
            self.assertFalse(j["truncated"])
            self.assertEqual({k["kind"]: k["count"] for k in j["kinds"]}, j["counts"])
            for k in j["kinds"]:
                self.assertEqual(k["count"], sum(1 for t in j["todos"] if t["kind"] == k["kind"]))
            badge = self.todos(who, "limit=0")
            self.assertEqual((badge["count"], badge["counts"], badge["todos"]),
                             (j["count"], j["counts"], []), who)
        j = self.todos("zstaff", "limit=1")
        self.assertEqual(len(j["todos"]), 1)
        self.assertTrue(j["truncated"])
        self.assertEqual(j["todos"][0], self.todos("zstaff")["todos"][0])
        self.assertError(self.c.get(API + "/todos?limit=501", token=self.T["zstaff"]), 422,
                         "validation_failed", field="limit")

    def test_13_signed_out(self):
        self.assertError(self.c.get(API + "/todos"), 401, "unauthorized")

    # ------------------------------------------------------- long-term items, later
    def test_20_ongoing_report_due(self):
        it = self.to_submitted(title="长期坚持事项", deadline="2027-01-29")
        it = self.act(it, "keep_ongoing", comment="阶段目标完成", report_every_days=7)
        self.assertKinds(it, {}, "ongoing, just reported")
        self.restart(today="2026-12-10")
        self.assertKinds(it, {"zstaff": ["report"], "zmgr": ["report"]}, "report overdue")
        t = [t for t in self.todos("zmgr")["todos"] if t["item"]["id"] == it["id"]][0]
        self.assertEqual(t["due"], "2026-12-07")
        self.assertTrue(t["overdue"])
        self.act(it, "report", token=self.T["zstaff"], comment="本周巡查正常")
        self.assertKinds(it, {}, "reported")


if __name__ == "__main__":
    h.main()
