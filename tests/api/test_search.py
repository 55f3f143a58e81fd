"""
test_search.py - Chinese full-text search (GET /search?q=): substrings of
three or more characters through the trigram index, one- and two-character
queries by substring, results limited to what the caller may see, snippets
escaped with the match marked, and protected personal data never matched.
"""
import os
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API  # noqa: E402


class SearchTest(TzCase):
    def search(self, q, user="sup", expect=200):
        r = self.c.get(API + "/search?q=" + quote(q), token=self.T[user])
        self.assertEqual(r.status, expect, r)
        return r.json

    def test_search(self):
        proj = self.create_item(ledger="project", title="湟水河生态修复工程",
                                lead_unit_id=self.U["STJ"], description="河道清淤与岸线绿化")
        pol = self.create_item(ledger="policy", title="关于加快生态修复的实施意见",
                               fields={"doc_no": "东政〔2026〕1号", "body": "推进生态修复和南北山绿化"})
        other = self.create_item(ledger="rectification", title="餐饮油烟扰民",
                                 lead_unit_id=self.U["STJ"])
        found = self.search("生态修复")
        ids = [r["id"] for r in found["results"]]
        self.assertIn(proj["id"], ids)
        self.assertIn(pol["id"], ids)
        self.assertNotIn(other["id"], ids)
        hit = [r for r in found["results"] if r["id"] == proj["id"]][0]
        self.assertIn("<mark>生态修复</mark>", hit["snippet"])
        self.assertEqual(hit["code"], proj["code"])
        # one and two characters
        self.assertIn(proj["id"], [r["id"] for r in self.search("湟")["results"]])
        self.assertIn(proj["id"], [r["id"] for r in self.search("清淤")["results"]])
        # an edit is searchable at once
        item = self.get_item(other["id"])
        r = self.c.patch(API + "/items/%d" % other["id"],
                         {"description": "涉及生态修复区域的油烟管控", "version": item["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        self.assertIn(other["id"], [r["id"] for r in self.search("生态修复")["results"]])

    def test_scope_escaping_and_protected_data(self):
        mine = self.to_in_progress(title="<b>老旧小区</b>改造")
        theirs = self.to_in_progress(title="老旧小区加装电梯", lead="STJ", staff="sstaff")
        draft = self.create_item(title="老旧小区草稿")
        ids = [r["id"] for r in self.search("老旧小区", user="zstaff")["results"]]
        self.assertIn(mine["id"], ids)
        self.assertNotIn(theirs["id"], ids)
        self.assertNotIn(draft["id"], ids)
        hit = [r for r in self.search("老旧小区", user="zstaff")["results"]
               if r["id"] == mine["id"]][0]
        self.assertIn("&lt;b&gt;<mark>老旧小区</mark>&lt;/b&gt;", hit["snippet"])
        self.create_item(ledger="petition", title="拆迁补偿", lead_unit_id=self.U["ZJJ"],
                         fields={"petitioner": "欧阳锋", "contact": "13900001111",
                                 "received_on": "2026-11-02"})
        self.assertEqual(self.search("欧阳锋")["total"], 0)
        self.assertEqual(self.search("13900001111")["total"], 0)
        r = self.c.get(API + "/search?q=", token=self.T["sup"])
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.error.get("field"), "q")


if __name__ == "__main__":
    main()
