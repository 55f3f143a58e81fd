#!/usr/bin/env python3
"""GET /items filters, sorting and paging; GET /dashboard totals, by_ledger and
by_unit (SPEC 4), over a fixed set of nine items (TAIZHANG_TODAY 2026-11-30)."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class ListDashboardTest(h.TzCase):
    USERS = ("sup", "zstaff", "zmgr", "dstaff", "viewer")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c, T, U = cls.c, cls.T, cls.U

        def post(path, body, who="sup", status=200):
            r = c.post(API + path, body, token=T[who])
            assert r.status == status, (path, body, r)
            return r.json

        def mk(title, lead, deadline, ledger="rectification", co=(), description="", assign=True):
            it = post("/items", {"ledger": ledger, "title": title, "description": description,
                                 "lead_unit_id": U[lead], "co_unit_ids": [U[x] for x in co],
                                 "deadline": deadline}, status=201)
            if assign:
                it = act(it, "assign")
            return it

        def act(it, action, who="sup", **kw):
            body = {"action": action, "version": it["version"]}
            body.update(kw)
            return post("/items/%s/actions" % it["id"], body, who=who)

        I = {}
        I["A"] = mk("湟水河排污口整治", "ZJJ", "2026-11-27", description="城东段")
        I["B"] = mk("质监站安全检查", "ZJZ", "2026-12-02")
        I["C"] = mk("大气污染防治", "STJ", "2026-12-31", co=("ZJJ",))
        I["C"] = act(I["C"], "supervise")
        I["C"] = act(I["C"], "supervise")
        I["D"] = mk("工地管理", "STJ", "2026-12-10", description="建筑工地扬尘治理专项行动")
        I["D"] = act(I["D"], "supervise")
        I["E"] = mk("社区草稿", "DGSQ", "2027-03-01", assign=False)
        I["F"] = mk("营商环境改革", "DGJ", "2026-12-20", ledger="reform")
        g = mk("老旧小区改造", "ZJJ", "2026-12-15")
        g = act(g, "accept", who="zstaff")
        g = act(g, "report", who="zstaff", comment="完成", progress=100)
        r = c.request("POST", API + "/items/%s/attachments?name=g.png" % g["id"], raw=h.PNG,
                      content_type=h.CT_PNG, token=T["zstaff"])
        assert r.status == 201, r
        g = cls_get(c, T, g["id"])
        g = act(g, "submit", who="zmgr")
        I["G"] = act(g, "verify", comment="合格")
        hh = mk("撤销事项", "STJ", "2026-12-05")
        I["H"] = act(hh, "cancel", comment="重复")
        i = mk("背街小巷整治", "ZJJ", "2026-12-08")
        i = act(i, "accept", who="zstaff")
        i = act(i, "report", who="zstaff", comment="进度30", progress=30)
        i = act(i, "request_extension", who="zmgr", deadline="2027-01-08", comment="延期")
        I["I"] = act(i, "approve_extension", comment="同意")
        cls.I = I
        cls.ids = {k: v["id"] for k, v in I.items()}

    # ---------------------------------------------------------------- helpers
    def q(self, query, who="sup"):
        j = self.list_items(query + ("&" if query else "") + "per_page=200", token=self.T[who])
        self.assertEqual(j["total"], len(j["items"]), query)
        return j

    def names(self, query, who="sup"):
        rev = {v: k for k, v in self.ids.items()}
        return sorted(rev[it["id"]] for it in self.q(query, who)["items"])

    def ordered(self, query, who="sup"):
        rev = {v: k for k, v in self.ids.items()}
        return [rev[it["id"]] for it in self.q(query, who)["items"]]

    # ---------------------------------------------------------------- fixture sanity
    def test_fixture_states_and_lights(self):
        want = {"A": ("assigned", "red"), "B": ("assigned", "yellow"), "C": ("assigned", "green"),
                "D": ("assigned", "green"), "E": ("draft", "none"), "F": ("assigned", "green"),
                "G": ("closed", "done"), "H": ("cancelled", "none"), "I": ("in_progress", "green")}
        for k, (st, light) in want.items():
            it = self.get_item(self.ids[k])
            self.assertEqual((it["status"], it["light"]), (st, light), k)
        self.assertEqual(self.get_item(self.ids["I"])["deadline"], "2027-01-08")

    # ---------------------------------------------------------------- list basics
    def test_defaults(self):
        j = self.list_items("")
        for k in ("items", "total", "page", "per_page"):
            self.assertIn(k, j)
        self.assertEqual(j["page"], 1)
        self.assertEqual(j["per_page"], 25)
        self.assertEqual(j["total"], 9)
        # default sort: deadline, id
        self.assertEqual(self.ordered(""), ["A", "B", "H", "D", "G", "F", "C", "I", "E"])
        for it in j["items"]:
            for k in h.ITEM_KEYS:
                self.assertIn(k, it, "list items carry the whole item")

    def test_filter_ledger(self):
        self.assertEqual(self.names("ledger=reform"), ["F"])
        self.assertEqual(self.names("ledger=rectification"), ["A", "B", "C", "D", "E", "G", "H", "I"])
        self.assertEqual(self.names("ledger=policy"), [])

    def test_filter_status_comma_list(self):
        self.assertEqual(self.names("status=assigned"), ["A", "B", "C", "D", "F"])
        self.assertEqual(self.names("status=draft,cancelled"), ["E", "H"])
        self.assertEqual(self.names("status=in_progress,closed"), ["G", "I"])
        self.assertEqual(self.names("status=submitted"), [])

    def test_filter_light_comma_list(self):
        self.assertEqual(self.names("light=red"), ["A"])
        self.assertEqual(self.names("light=red,yellow"), ["A", "B"])
        self.assertEqual(self.names("light=green"), ["C", "D", "F", "I"])
        self.assertEqual(self.names("light=none"), ["E", "H"])
        self.assertEqual(self.names("light=done"), ["G"])

    def test_filter_unit_subtree_lead_or_co(self):
        self.assertEqual(self.names("unit=%s" % self.U["ZJJ"]), ["A", "B", "C", "G", "I"])
        self.assertEqual(self.names("unit=%s" % self.U["ZJZ"]), ["B"])
        self.assertEqual(self.names("unit=%s" % self.U["STJ"]), ["C", "D", "H"])
        self.assertEqual(self.names("unit=%s" % self.U["DGJ"]), ["E", "F"])
        self.assertEqual(self.names("unit=%s" % self.U["DGSQ"]), ["E"])
        self.assertEqual(len(self.names("unit=%s" % self.U["ROOT"])), 9)
        self.assertEqual(self.names("unit=%s" % self.U["DCS"]), [])

    def test_filter_due_bounds_inclusive(self):
        self.assertEqual(self.names("due_before=2026-12-02"), ["A", "B"])
        self.assertEqual(self.names("due_before=2026-12-01"), ["A"])
        self.assertEqual(self.names("due_after=2026-12-31"), ["C", "E", "I"])
        self.assertEqual(self.names("due_after=2026-12-05&due_before=2026-12-15"), ["D", "G", "H"])
        self.assertEqual(self.names("due_after=2027-03-02"), [])

    def test_filter_due_bad_date_422(self):
        r = self.c.get(API + "/items?due_before=2026-02-30", token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="due_before")
        r = self.c.get(API + "/items?due_after=soon", token=self.T["sup"])
        self.assertError(r, 422, "validation_failed", field="due_after")

    def test_filter_supervised_at_least(self):
        self.assertEqual(self.names("supervised=1"), ["C", "D"])
        self.assertEqual(self.names("supervised=2"), ["C"])
        self.assertEqual(len(self.names("supervised=0")), 9)

    def test_filter_q_substring(self):
        self.assertEqual(self.names("q=" + urllib.parse.quote("排污")), ["A"])
        self.assertEqual(self.names("q=" + urllib.parse.quote("扬尘")), ["D"])       # description
        self.assertEqual(self.names("q=" + urllib.parse.quote("城东段")), ["A"])
        self.assertEqual(self.names("q=" + urllib.parse.quote(self.I["B"]["code"])), ["B"])
        self.assertEqual(self.names("q=GG-2026"), ["F"])
        self.assertEqual(self.names("q=" + urllib.parse.quote("不存在的词")), [])
        self.assertEqual(self.names("q=" + urllib.parse.quote("治")),
                         ["A", "C", "D", "I"])     # 整治, 防治, 治理, 整治 (1 character)

    def test_filters_combine(self):
        self.assertEqual(self.names("ledger=rectification&light=green&unit=%s" % self.U["STJ"]), ["C", "D"])
        self.assertEqual(self.names("status=assigned&supervised=1&due_before=2026-12-15"), ["D"])

    # ---------------------------------------------------------------- sorting
    def test_sort_deadline(self):
        self.assertEqual(self.ordered("sort=deadline"), ["A", "B", "H", "D", "G", "F", "C", "I", "E"])
        self.assertEqual(self.ordered("sort=-deadline"), ["E", "I", "C", "F", "G", "D", "H", "B", "A"])

    def test_sort_code(self):
        items = self.q("sort=code")["items"]
        codes = [it["code"] for it in items]
        self.assertEqual(codes, sorted(codes))
        self.assertEqual(codes[0][:2], "GG")
        codes = [it["code"] for it in self.q("sort=-code")["items"]]
        self.assertEqual(codes, sorted(codes, reverse=True))

    def test_sort_progress(self):
        ps = [it["progress"] for it in self.q("sort=progress")["items"]]
        self.assertEqual(ps, sorted(ps))
        ps = [it["progress"] for it in self.q("sort=-progress")["items"]]
        self.assertEqual(ps, sorted(ps, reverse=True))
        self.assertEqual(ps[0], 100)

    def test_sort_updated_at(self):
        us = [it["updated_at"] for it in self.q("sort=updated_at")["items"]]
        self.assertEqual(us, sorted(us))
        us = [it["updated_at"] for it in self.q("sort=-updated_at")["items"]]
        self.assertEqual(us, sorted(us, reverse=True))

    def test_sort_light(self):
        a = self.ordered("sort=light")
        b = self.ordered("sort=-light")
        self.assertEqual(sorted(a), sorted(self.ids))
        self.assertEqual(sorted(b), sorted(self.ids))
        # items of one light stay together, and descending reverses the groups
        la = [self.get_item(self.ids[k])["light"] for k in a]
        lb = [self.get_item(self.ids[k])["light"] for k in b]
        groups_a = [x for i, x in enumerate(la) if i == 0 or la[i - 1] != x]
        groups_b = [x for i, x in enumerate(lb) if i == 0 or lb[i - 1] != x]
        self.assertEqual(len(groups_a), len(set(la)), la)
        self.assertEqual(groups_b, list(reversed(groups_a)))

    def test_sort_bad_key_422(self):
        for s in ("title", "deadline;drop", "--deadline"):
            r = self.c.get(API + "/items?sort=" + urllib.parse.quote(s), token=self.T["sup"])
            self.assertError(r, 422, "validation_failed", field="sort", msg=s)

    # ---------------------------------------------------------------- paging
    def test_paging(self):
        seen = []
        for page, n in ((1, 2), (2, 2), (3, 2), (4, 2), (5, 1), (6, 0)):
            j = self.list_items("per_page=2&page=%d" % page)
            self.assertEqual(j["total"], 9)
            self.assertEqual(j["page"], page)
            self.assertEqual(j["per_page"], 2)
            self.assertEqual(len(j["items"]), n, page)
            seen += [it["id"] for it in j["items"]]
        order = self.ordered("")
        self.assertEqual(seen, [self.ids[k] for k in order])

    def test_paging_with_filter_total(self):
        j = self.list_items("light=green&per_page=1&page=2")
        self.assertEqual(j["total"], 4)
        self.assertEqual(len(j["items"]), 1)

    def test_per_page_bounds(self):
        for q in ("per_page=0", "per_page=201"):
            self.assertError(self.c.get(API + "/items?" + q, token=self.T["sup"]), 422, "validation_failed",
                             field="per_page", msg=q)
        self.assertEqual(self.list_items("per_page=200")["per_page"], 200)
        self.assertEqual(len(self.list_items("per_page=1")["items"]), 1)

    # ---------------------------------------------------------------- scope in lists
    def test_list_as_unit_staff(self):
        self.assertEqual(self.names("", "zstaff"), ["A", "B", "C", "G", "I"])
        self.assertEqual(self.names("unit=%s" % self.U["STJ"], "zstaff"), ["C"])
        self.assertEqual(self.names("", "viewer"), ["A", "B", "C", "G", "I"])
        self.assertEqual(self.names("", "dstaff"), ["F"])

    # ---------------------------------------------------------------- dashboard
    def dash(self, who):
        r = self.c.get(API + "/dashboard", token=self.T[who])
        self.assertStatus(r, 200)
        for k in ("totals", "by_ledger", "by_unit"):
            self.assertIn(k, r.json)
        return r.json

    def test_dashboard_totals_supervisor(self):
        t = self.dash("sup")["totals"]
        self.assertEqual(t["open"], 6)
        self.assertEqual(t["green"], 4)
        self.assertEqual(t["yellow"], 1)
        self.assertEqual(t["red"], 1)
        self.assertEqual(t["closed"], 1)
        self.assertEqual(t["open"], t["green"] + t["yellow"] + t["red"])
        self.assertAlmostEqual(t["on_time_rate"], 0.5, places=6)

    def test_dashboard_by_ledger(self):
        bl = {b["ledger"]: b for b in self.dash("sup")["by_ledger"]}
        r = bl["rectification"]
        self.assertEqual((r["open"], r["green"], r["yellow"], r["red"], r["closed"]), (5, 3, 1, 1, 1))
        self.assertAlmostEqual(r["on_time_rate"], 0.5, places=6)
        g = bl["reform"]
        self.assertEqual((g["open"], g["green"], g["yellow"], g["red"], g["closed"]), (1, 1, 0, 0, 0))
        self.assertIsNone(g["on_time_rate"])
        for b in bl.values():
            self.assertEqual(b["open"], b["green"] + b["yellow"] + b["red"], b)

    def test_dashboard_by_unit(self):
        bu = {u["unit_id"]: u for u in self.dash("sup")["by_unit"]}
        z = bu[self.U["ZJJ"]]
        self.assertEqual(z["name"], "住建局")
        self.assertEqual((z["open"], z["red"], z["yellow"], z["closed"], z["extension_count"]), (2, 1, 0, 1, 1))
        self.assertAlmostEqual(z["on_time_rate"], 0.5, places=6)
        s = bu[self.U["ZJZ"]]
        self.assertEqual((s["open"], s["red"], s["yellow"], s["closed"]), (1, 0, 1, 0))
        self.assertIsNone(s["on_time_rate"])
        st = bu[self.U["STJ"]]
        self.assertEqual((st["open"], st["red"], st["yellow"], st["closed"], st["extension_count"]), (2, 0, 0, 0, 0))
        d = bu[self.U["DGJ"]]
        self.assertEqual((d["open"], d["closed"]), (1, 0))
        if self.U["DGSQ"] in bu:
            self.assertEqual(bu[self.U["DGSQ"]]["open"], 0)
        for k in ("unit_id", "name", "open", "red", "yellow", "closed", "on_time_rate", "extension_count"):
            self.assertIn(k, z)

    def test_dashboard_scoped_to_unit_staff(self):
        for who in ("zstaff", "viewer"):
            t = self.dash(who)["totals"]
            self.assertEqual((t["open"], t["green"], t["yellow"], t["red"], t["closed"]), (4, 2, 1, 1, 1), who)
            self.assertAlmostEqual(t["on_time_rate"], 0.5, places=6)

    def test_dashboard_on_time_rate_null(self):
        d = self.dash("dstaff")
        t = d["totals"]
        self.assertEqual((t["open"], t["green"], t["closed"]), (1, 1, 0))
        self.assertIsNone(t["on_time_rate"])
        bu = {u["unit_id"]: u for u in d["by_unit"]}
        self.assertNotIn(self.U["ZJJ"], [k for k, u in bu.items() if u["open"] or u["closed"]])

    def test_dashboard_admin_sees_nothing(self):
        r = self.c.get(API + "/dashboard", token=self.T["admin"])
        if r.status == 200:
            t = r.json["totals"]
            self.assertEqual((t["open"], t["closed"]), (0, 0))
        else:
            self.assertError(r, 403, "forbidden")


class QueryTextTest(h.TzCase):
    """q is a literal substring; text round-trips; encoded commas split like commas."""
    USERS = ("sup",)

    def test_q_is_literal(self):
        a = self.create_item(title="完成率100%以上")
        b = self.create_item(title="完成率1000以上")
        c = self.create_item(title="编号a_b")
        d = self.create_item(title="编号axb")
        ids = lambda q: sorted(x["id"] for x in self.list_items("per_page=200&q=" + urllib.parse.quote(q))["items"])
        self.assertEqual(ids("100%"), [a["id"]])
        self.assertEqual(ids("a_b"), [c["id"]])
        self.assertEqual(ids("%"), [a["id"]])
        self.assertEqual(ids("_"), [c["id"]])
        self.assertEqual(ids("完成率100"), sorted([a["id"], b["id"]]))
        self.assertNotIn(d["id"], ids("a_b"))

    def test_q_case_and_quotes(self):
        e = self.create_item(title="It's \"quoted\" 标题")
        got = [x["id"] for x in self.list_items("per_page=200&q=" + urllib.parse.quote("It's \"quoted"))["items"]]
        self.assertEqual(got, [e["id"]])

    def test_text_round_trip(self):
        title = "𠮷野家 😀 — 《整改》\t制表\\反斜杠 \u2028"
        it = self.create_item(title=title, description="换行\n第二行")
        self.assertEqual(it["title"], title)
        got = self.get_item(it["id"])
        self.assertEqual(got["title"], title)
        self.assertEqual(got["description"], "换行\n第二行")
        j = self.list_items("per_page=200&q=" + urllib.parse.quote("𠮷野家"))
        self.assertEqual([x["id"] for x in j["items"]], [it["id"]])

    def test_encoded_comma_list(self):
        a = self.create_item(title="逗号")
        st = sorted(x["id"] for x in self.list_items("per_page=200&status=draft%2Ccancelled")["items"])
        st2 = sorted(x["id"] for x in self.list_items("per_page=200&status=draft,cancelled")["items"])
        self.assertEqual(st, st2)
        self.assertIn(a["id"], st)

    def test_page_beyond_end(self):
        j = self.list_items("per_page=200&page=99")
        self.assertEqual(j["items"], [])
        self.assertGreater(j["total"], 0)
        self.assertEqual(j["page"], 99)


def cls_get(c, T, item_id):
    r = c.get(API + "/items/%s" % item_id, token=T["sup"])
    assert r.status == 200, r
    return r.json


if __name__ == "__main__":
    h.main()
