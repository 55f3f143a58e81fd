#!/usr/bin/env python3
"""Who sees what (SPEC 2.2): invisible items are 404 everywhere, drafts are for
supervisors and leaders, co-units see, scope reaches down the tree never up,
viewers read but do not act."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class ScopeTest(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "substaff", "submgr", "sstaff", "smgr", "viewer", "dstaff")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c, T, U = cls.c, cls.T, cls.U

        def mk(title, lead, co=(), assign=True, accept_by=None):
            r = c.post(API + "/items", {"ledger": "rectification", "title": title, "lead_unit_id": U[lead],
                                       "co_unit_ids": [U[x] for x in co], "deadline": "2026-12-31"},
                       token=T["sup"])
            assert r.status == 201, r
            it = r.json
            if assign:
                r = c.post(API + "/items/%s/actions" % it["id"], {"action": "assign", "version": it["version"]},
                           token=T["sup"])
                assert r.status == 200, r
                it = r.json
            if accept_by:
                r = c.post(API + "/items/%s/actions" % it["id"], {"action": "accept", "version": it["version"]},
                           token=T[accept_by])
                assert r.status == 200, r
                it = r.json
            return it

        # led by STJ, in progress, with one attachment (uploaded by STJ staff)
        cls.stj = mk("生态环境局事项", "STJ", accept_by="sstaff")
        r = c.request("POST", API + "/items/%s/attachments?name=%s" % (cls.stj["id"], urllib.parse.quote("环保.png")),
                      raw=h.PNG + b"stj", content_type=h.CT_PNG, token=T["sstaff"])
        assert r.status == 201, r
        cls.stj_att = r.json
        cls.zjj = mk("住建局事项", "ZJJ", accept_by="zstaff")
        cls.zjj_draft = mk("住建局草稿", "ZJJ", assign=False)
        cls.co = mk("生态牵头住建配合", "STJ", co=("ZJJ",), accept_by="sstaff")
        cls.sub = mk("质监站事项", "ZJZ", accept_by="substaff")
        cls.dg = mk("社区事项", "DGSQ")

    def item_path(self, it, suffix=""):
        return API + "/items/%s%s" % (it["id"], suffix)

    # ---- STJ item hidden from ZJJ staff everywhere
    def test_other_unit_get_404(self):
        self.assertError(self.c.get(self.item_path(self.stj), token=self.T["zstaff"]), 404, "not_found")

    def test_other_unit_list_absent_and_total_excludes(self):
        j = self.list_items("per_page=200", token=self.T["zstaff"])
        ids = [it["id"] for it in j["items"]]
        self.assertNotIn(self.stj["id"], ids)
        self.assertEqual(j["total"], len(ids))
        self.assertIn(self.zjj["id"], ids)
        j = self.list_items("q=%s" % urllib.parse.quote("生态环境局事项"), token=self.T["zstaff"])
        self.assertEqual(j["total"], 0)
        self.assertEqual(j["items"], [])

    def test_other_unit_actions_404(self):
        v0 = self.get_item(self.stj["id"])["version"]
        for body in ({"action": "report", "comment": "越界", "version": self.stj["version"]},
                     {"action": "accept", "version": self.stj["version"]},
                     {"action": "no_such_action", "version": self.stj["version"]}):
            r = self.c.post(self.item_path(self.stj, "/actions"), body, token=self.T["zstaff"])
            self.assertError(r, 404, "not_found", msg=str(body))
        self.assertEqual(self.get_item(self.stj["id"])["version"], v0)

    def test_other_unit_events_404(self):
        self.assertError(self.c.get(self.item_path(self.stj, "/events"), token=self.T["zstaff"]), 404, "not_found")

    def test_other_unit_patch_404(self):
        r = self.c.patch(self.item_path(self.stj), {"title": "x", "version": 1}, token=self.T["zmgr"])
        self.assertError(r, 404, "not_found")

    def test_other_unit_upload_404_and_nothing_stored(self):
        before = self.srv.files_on_disk()
        r = self.c.request("POST", self.item_path(self.stj, "/attachments?name=x.png"),
                           raw=h.PNG + b"intruder", content_type=h.CT_PNG, token=self.T["zstaff"])
        self.assertError(r, 404, "not_found")
        self.assertEqual(self.srv.files_on_disk(), before)

    def test_other_unit_attachment_download_404(self):
        r = self.c.get(API + "/attachments/%s" % self.stj_att["id"], token=self.T["zstaff"])
        self.assertError(r, 404, "not_found")
        self.assertNotIn(h.PNG, r.body)
        r = self.c.get(API + "/attachments/%s" % self.stj_att["id"], token=self.T["sstaff"])
        self.assertEqual(r.status, 200)
        r = self.c.get(API + "/attachments/%s" % self.stj_att["id"], token=self.T["lead"])
        self.assertEqual(r.status, 200)

    def test_same_404_for_hidden_and_absent(self):
        a = self.c.get(self.item_path(self.stj), token=self.T["zstaff"])
        b = self.c.get(API + "/items/99999999", token=self.T["zstaff"])
        self.assertEqual(a.status, b.status)
        self.assertEqual(a.error.get("code"), b.error.get("code"))

    # ---- drafts
    def test_draft_invisible_to_unit(self):
        for u in ("zstaff", "zmgr", "viewer"):
            self.assertError(self.c.get(self.item_path(self.zjj_draft), token=self.T[u]), 404, "not_found", msg=u)
            ids = self.list_all_ids("", token=self.T[u])
            self.assertNotIn(self.zjj_draft["id"], ids, u)
        self.assertStatus(self.c.get(self.item_path(self.zjj_draft), token=self.T["sup"]), 200)
        self.assertStatus(self.c.get(self.item_path(self.zjj_draft), token=self.T["lead"]), 200)
        self.assertIn(self.zjj_draft["id"], self.list_all_ids("", token=self.T["lead"]))

    def test_draft_visible_after_assign_and_hidden_after_object(self):
        it = self.create_item(title="交办后可见")
        self.assertError(self.c.get(self.item_path(it), token=self.T["zstaff"]), 404, "not_found")
        it = self.act(it, "assign")
        self.assertStatus(self.c.get(self.item_path(it), token=self.T["zstaff"]), 200)
        self.assertIn(it["id"], self.list_all_ids("", token=self.T["zstaff"]))
        it = self.act(it, "object", token=self.T["zstaff"], comment="非我局职责")
        self.assertError(self.c.get(self.item_path(it), token=self.T["zstaff"]), 404, "not_found")
        self.assertNotIn(it["id"], self.list_all_ids("", token=self.T["zstaff"]))

    def test_cancelled_draft_stays_hidden_cancelled_assigned_stays_visible(self):
        a = self.act(self.create_item(title="草稿撤销"), "cancel", comment="重复")
        self.assertError(self.c.get(self.item_path(a), token=self.T["zstaff"]), 404, "not_found")
        b = self.act(self.act(self.create_item(title="交办后撤销"), "assign"), "cancel", comment="撤销")
        self.assertStatus(self.c.get(self.item_path(b), token=self.T["zstaff"]), 200)
        self.assertIn(b["id"], self.list_all_ids("status=cancelled", token=self.T["zstaff"]))

    # ---- co-units
    def test_co_unit_sees_and_reports(self):
        self.assertStatus(self.c.get(self.item_path(self.co), token=self.T["zstaff"]), 200)
        self.assertStatus(self.c.get(self.item_path(self.co, "/events"), token=self.T["zstaff"]), 200)
        self.assertIn(self.co["id"], self.list_all_ids("", token=self.T["zstaff"]))
        it = self.act(self.co["id"], "report", token=self.T["zstaff"], comment="配合单位进展")
        self.assertEqual(it["status"], "in_progress")
        att = self.upload(self.co["id"], token=self.T["zstaff"], data=h.PNG + b"co")
        self.assertEqual(self.c.get(API + "/attachments/%s" % att["id"], token=self.T["sstaff"]).status, 200)

    def test_co_unit_scope_not_upward(self):
        # a co-unit's subtree: ZJZ staff do not see items where ZJJ (above them) is co-unit
        self.assertError(self.c.get(self.item_path(self.co), token=self.T["substaff"]), 404, "not_found")

    def test_co_unit_added_after_assign_sees(self):
        it = self.act(self.create_item(title="交办后增加配合单位"), "assign")
        self.assertError(self.c.get(self.item_path(it), token=self.T["sstaff"]), 404, "not_found")
        r = self.c.patch(self.item_path(it), {"co_unit_ids": [self.U["STJ"]], "version": it["version"]},
                         token=self.T["sup"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["co_unit_ids"], [self.U["STJ"]])
        self.assertStatus(self.c.get(self.item_path(it), token=self.T["sstaff"]), 200)

    # ---- tree: down, never up
    def test_unit_above_sees_below(self):
        for u in ("zstaff", "zmgr", "viewer"):
            self.assertStatus(self.c.get(self.item_path(self.sub), token=self.T[u]), 200, msg=u)
            self.assertIn(self.sub["id"], self.list_all_ids("", token=self.T[u]), u)
        # the manager above may report and, as the lead unit is below, also submit
        it = self.act(self.sub["id"], "report", token=self.T["zstaff"], comment="上级单位代报", progress=100)
        self.assertEqual(it["progress"], 100)
        self.upload(self.sub["id"], token=self.T["zstaff"], data=h.PNG + b"sub")
        it = self.act(self.sub["id"], "submit", token=self.T["zmgr"])
        self.assertEqual(it["status"], "submitted")

    def test_unit_below_does_not_see_above(self):
        for u in ("substaff", "submgr"):
            self.assertError(self.c.get(self.item_path(self.zjj), token=self.T[u]), 404, "not_found", msg=u)
            self.assertNotIn(self.zjj["id"], self.list_all_ids("", token=self.T[u]), u)
        self.assertStatus(self.c.get(self.item_path(self.sub), token=self.T["substaff"]), 200)

    def test_street_staff_sees_community_items(self):
        self.assertStatus(self.c.get(self.item_path(self.dg), token=self.T["dstaff"]), 200)
        self.assertError(self.c.get(self.item_path(self.dg), token=self.T["zstaff"]), 404, "not_found")
        # staff of the street above may accept where a unit below is lead
        it = self.act(self.dg["id"], "accept", token=self.T["dstaff"])
        self.assertEqual(it["status"], "in_progress")

    # ---- viewer
    def test_viewer_reads_but_cannot_act(self):
        self.assertStatus(self.c.get(self.item_path(self.zjj), token=self.T["viewer"]), 200)
        self.assertStatus(self.c.get(self.item_path(self.zjj, "/events"), token=self.T["viewer"]), 200)
        v = self.get_item(self.zjj["id"])["version"]
        for body in ({"action": "report", "comment": "查看者", "version": v},
                     {"action": "accept", "version": v}, {"action": "submit", "version": v},
                     {"action": "remind", "version": v}):
            r = self.c.post(self.item_path(self.zjj, "/actions"), body, token=self.T["viewer"])
            self.assertError(r, 403, "forbidden", msg=str(body))
        r = self.c.request("POST", self.item_path(self.zjj, "/attachments?name=v.png"), raw=h.PNG + b"viewer",
                           content_type=h.CT_PNG, token=self.T["viewer"])
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.get_item(self.zjj["id"])["version"], v)
        # not outside its subtree
        self.assertError(self.c.get(self.item_path(self.stj), token=self.T["viewer"]), 404, "not_found")

    # ---- leader and supervisor see all
    def test_leader_and_supervisor_see_everything(self):
        all_ids = {self.stj["id"], self.zjj["id"], self.zjj_draft["id"], self.co["id"], self.sub["id"], self.dg["id"]}
        for u in ("sup", "lead"):
            ids = set(self.list_all_ids("", token=self.T[u]))
            self.assertTrue(all_ids <= ids, u)

    def test_leader_cannot_act_but_instruct(self):
        r = self.act(self.stj["id"], "remind", token=self.T["lead"], expect=403)
        self.assertError(r, 403, "forbidden")
        r = self.act(self.stj["id"], "report", token=self.T["lead"], comment="x", expect=403)
        self.assertError(r, 403, "forbidden")
        it = self.act(self.stj["id"], "instruct", token=self.T["lead"], comment="抓紧办理")
        self.assertEqual(it["status"], "in_progress")

    def test_dashboard_counts_only_visible(self):
        d = self.c.get(API + "/dashboard", token=self.T["zstaff"])
        self.assertStatus(d, 200)
        t = d.json["totals"]
        # visible to zstaff: zjj, co, sub (+ items created in other tests of this class)
        ids = self.list_all_ids("status=assigned,in_progress,submitted,ongoing", token=self.T["zstaff"])
        self.assertEqual(t["open"], len(ids))
        unit_ids = {u["unit_id"] for u in d.json["by_unit"] if u["open"] or u["closed"]}
        self.assertNotIn(self.U["DGSQ"], unit_ids)


if __name__ == "__main__":
    h.main()
