"""
test_import_bulk.py - what the import's bulk write (store_sqlite.c's bulk mode:
one code reservation, the audit chain's end kept in memory, a create's event
written as text) must keep as POST /items does: consecutive unique codes and
the next code for the next POST, the audit chain verifiable (API and CLI) after
an import followed by ordinary writes, a failed or dry-run import leaving the
code sequence and the chain exactly as before, each imported item with its
`create` event and findable by search, an event's JSON text valid for titles
with quotes, backslashes and control characters, and field texts with escapes
and lists searchable (the search text is read from the fields' JSON text).
"""
import json
import os
import re
import subprocess
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API  # noqa: E402

CT_CSV = "text/csv"
CODE_RE = re.compile(r"^ZG-2026-(\d{4,})$")


def csv_rows(tag, n, bad_last=False):
    lines = ["事项,牵头单位,办结时限,整改类型"]
    for i in range(n):
        due = "不是日期" if bad_last and i == n - 1 else "2027-01-%02d" % (i % 28 + 1)
        lines.append("%s批量事项第%d项,住建局,%s,限期整改" % (tag, i + 1, due))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


class ImportBulkTest(TzCase):
    USERS = ("sup", "zstaff", "auditor")

    # ---- helpers
    def imp(self, data, query=""):
        path = API + "/ledgers/rectification/import" + (("?" + query) if query else "")
        return self.c.request("POST", path, raw=data, content_type=CT_CSV, token=self.T["sup"],
                              timeout=60)

    def items_titled(self, tag):
        r = self.c.get(API + "/items?ledger=rectification&per_page=200&q=" + quote(tag),
                       token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        return [i for i in r.json["items"] if i["title"].startswith(tag)]

    def code_number(self, code):
        m = CODE_RE.match(code)
        self.assertIsNotNone(m, code)
        return int(m.group(1))

    def next_code_by_post(self, title):
        return self.code_number(self.create_item(title=title)["code"])

    def audit_tail(self):
        out, after = [], 0
        while True:
            r = self.c.get(API + "/audit?after=%d&limit=1000" % after, token=self.T["auditor"])
            self.assertEqual(r.status, 200, r)
            es = r.json.get("entries", r.json.get("audit", []))
            if not es:
                return out
            out.extend(es)
            after = es[-1]["seq"]

    def verify(self):
        r = self.c.get(API + "/audit/verify", token=self.T["auditor"])
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["ok"], r.json)
        self.assertIsNone(r.json["first_broken_seq"], r.json)
        cli = subprocess.run([self.srv.bin, "audit", "verify"] + self.srv.store_args(),
                             env=self.srv.env(), capture_output=True, timeout=60)
        self.assertEqual(cli.returncode, 0, cli)
        return r.json["checked"]

    @staticmethod
    def as_obj(v):
        return json.loads(v) if isinstance(v, str) else v

    # ---- tests
    def test_codes_are_consecutive_and_the_next_post_follows_them(self):
        first = self.next_code_by_post("导入前的事项")
        r = self.imp(csv_rows("连号", 40))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["creates"], 40, r.json)
        got = self.items_titled("连号")
        self.assertEqual(len(got), 40)
        numbers = sorted(self.code_number(i["code"]) for i in got)
        self.assertEqual(numbers, list(range(first + 1, first + 41)))
        # in the rows' order
        by_row = {int(re.search(r"第(\d+)项", i["title"]).group(1)): i for i in got}
        self.assertEqual([self.code_number(by_row[k]["code"]) for k in range(1, 41)], numbers)
        self.assertEqual(self.next_code_by_post("导入后的事项"), first + 41)
        # a second import continues from there
        r = self.imp(csv_rows("再导", 3))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(sorted(self.code_number(i["code"]) for i in self.items_titled("再导")),
                         [first + 42, first + 43, first + 44])

    def test_failed_and_dry_run_imports_leave_the_sequence_and_the_chain_as_before(self):
        before_code = self.next_code_by_post("失败前的事项")
        before_audit = self.audit_tail()
        r = self.imp(csv_rows("坏行", 25, bad_last=True))
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["error"]["field"], "file")
        r = self.imp(csv_rows("预演", 25), query="dry_run=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["creates"], 25, r.json)
        self.assertEqual(self.items_titled("坏行"), [])
        self.assertEqual(self.items_titled("预演"), [])
        # the chain: the same entries and hashes, then only the refusal's `deny` entry, chained
        # to the last entry from before (no item entry of the rolled-back rows survives)
        after_audit = self.audit_tail()
        self.assertEqual(after_audit[:len(before_audit)], before_audit)
        self.assertEqual([e["action"] for e in after_audit[len(before_audit):]], ["deny"])
        self.assertEqual(after_audit[-1]["seq"], before_audit[-1]["seq"] + 1)
        self.assertEqual(after_audit[-1]["prev_hash"], before_audit[-1]["hash"])
        self.verify()
        self.assertEqual(self.next_code_by_post("失败后的事项"), before_code + 1)

    def test_the_chain_verifies_after_an_import_and_ordinary_writes(self):
        n0 = len(self.audit_tail())
        r = self.imp(csv_rows("链", 30))
        self.assertEqual(r.status, 200, r)
        es = self.audit_tail()[n0:]
        creates = [e for e in es if e["action"] == "item.create"]
        self.assertEqual(len(creates), 30)
        self.assertEqual(es[-1]["action"], "ledger.import")
        seqs = [e["seq"] for e in es]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))))
        for prev, cur in zip(es, es[1:]):
            self.assertEqual(cur["prev_hash"], prev["hash"])
        # ordinary writes after it chain on
        it = self.items_titled("链")[0]
        self.act(it, "assign")
        self.create_item(title="导入后新建")
        tail = self.audit_tail()
        self.assertEqual(tail[len(es) + n0]["prev_hash"], es[-1]["hash"])
        self.assertGreaterEqual(self.verify(), len(tail))

    def test_imported_items_have_their_create_event_and_are_found_by_search(self):
        r = self.imp(csv_rows("检索", 12))
        self.assertEqual(r.status, 200, r)
        got = self.items_titled("检索")
        self.assertEqual(len(got), 12)
        for it in got:
            evs = self.events(it["id"])
            self.assertEqual([e["action"] for e in evs], ["create"], it["code"])
            after = self.as_obj(evs[0]["after"])
            self.assertEqual(after["title"], it["title"])
            self.assertEqual(after["lead_unit_id"], self.U["ZJJ"])
            self.assertEqual(after["status"], it["status"])
            self.assertEqual(after["fields"].get("rect_type"), "限期整改")
        r = self.c.get(API + "/search?q=" + quote("检索批量事项第7项"), token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        self.assertIn(next(i["id"] for i in got if i["title"].endswith("第7项")),
                      [x["id"] for x in r.json["results"]])
        # the unit sees its new items in its own list (item_units written)
        mine = self.c.get(API + "/items?ledger=rectification&per_page=200&q=" + quote("检索"),
                          token=self.T["zstaff"])
        self.assertEqual(mine.status, 200, mine)

    def test_a_created_items_event_text_escapes_like_json(self):
        title = '引号"反斜杠\\斜杠/退格\b换页\f制表\t控制\x01结束'
        it = self.create_item(title=title, description="第一行\n第二行", source='"来源"')
        ev = self.events(it["id"])[0]
        after = self.as_obj(ev["after"])
        self.assertEqual(after["title"], title)
        self.assertEqual(after["description"], "第一行\n第二行")
        self.assertEqual(after["source"], '"来源"')
        self.assertEqual(after["co_unit_ids"], [])
        self.assertIsNone(after["location"])
        self.assertEqual(self.as_obj(ev["before"]), {})
        entry = [e for e in self.audit_tail() if e["target"] == "item:%d" % it["id"]][-1]
        detail = self.as_obj(entry["detail"])
        self.assertEqual(detail["after"]["title"], title)
        self.assertEqual(detail["code"], it["code"])
        self.verify()

    def test_field_texts_with_escapes_and_lists_are_searchable(self):
        it = self.create_item(title="字段检索", fields={
            "target": '目标"带引号"\\反斜杠\n换行\u0001控制\u00e9\U0001F600尾巴甲乙丙',
            "measures": ["措施一丁戊己", "措施二庚辛壬"], "rect_type": "限期整改"})
        for q in ("尾巴甲乙丙", "带引号", "措施二庚辛壬", "丁戊己"):
            r = self.c.get(API + "/search?q=" + quote(q), token=self.T["sup"])
            self.assertEqual(r.status, 200, r)
            self.assertIn(it["id"], [x["id"] for x in r.json["results"]], q)


if __name__ == "__main__":
    main()
