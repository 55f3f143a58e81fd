"""
test_export.py - GET /ledgers/{ledger}/export.xlsx and `taizhang export`,
checked as a user would: the workbook is unzipped with zipfile and its sheet
read with xml.etree - title, export line, Chinese header, one row per item of
the list for the same filters, typed cells (a date is a number with a date
style), the petitioner masked for a co-unit and plain for the supervisor, the
caller's scope, 404 for an unknown ledger, 401 without a session; no export
file outlives its response.
"""
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, tz_bin, API, CT_XLSX  # noqa: E402

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
M = "{%s}" % NS["m"]


def enc(query):
    """A query string with its Chinese values percent-encoded."""
    return urllib.parse.quote(query, safe="=&,.-_")


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


class Sheet:
    """The first sheet of a workbook as rows of cells {value, type, style}."""

    def __init__(self, data):
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
        shared = []
        # constant-memory workbooks write strings inline; read shared ones when there are
        if "xl/sharedStrings.xml" in names:
            root = ET.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter(M + "t")))
        styles = ET.fromstring(z.read("xl/styles.xml"))
        self.num_fmts = {int(f.get("numFmtId")): f.get("formatCode")
                         for f in styles.iter(M + "numFmt")}
        xfs = styles.find("m:cellXfs", NS)
        self.xf_fmt = [int(x.get("numFmtId", "0")) for x in xfs.findall("m:xf", NS)]
        self.xf_fill = [int(x.get("fillId", "0")) for x in xfs.findall("m:xf", NS)]
        self.fills = []
        for f in styles.find("m:fills", NS).findall("m:fill", NS):
            fg = f.find(".//m:fgColor", NS)
            self.fills.append(fg.get("rgb") if fg is not None else None)
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
        self.xml = sheet
        self.rows = []
        for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
            cells = {}
            for c in row.findall("m:c", NS):
                t = c.get("t")
                style = int(c.get("s", "0"))
                if t == "inlineStr":
                    v = "".join(x.text or "" for x in c.iter(M + "t"))
                elif t == "s":
                    v = shared[int(c.find("m:v", NS).text)]
                else:
                    ve = c.find("m:v", NS)
                    v = None if ve is None else float(ve.text)
                cells[col_index(c.get("r"))] = {"v": v, "t": t, "s": style}
            self.rows.append(cells)
        self.header = [self.rows[2][i]["v"] for i in sorted(self.rows[2])]
        self.data = self.rows[3:]

    def col(self, label):
        return self.header.index(label)

    def value(self, row, label):
        c = row.get(self.col(label))
        return c["v"] if c else None

    def is_date_style(self, style):
        code = self.num_fmts.get(self.xf_fmt[style], "")
        return "yy" in code and "d" in code

    def fill(self, style):
        return self.fills[self.xf_fill[style]]


class ExportTest(TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "viewer", "auditor")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def export(self, ledger="rectification", query="", token=None, expect=200):
        r = self.c.get(API + "/ledgers/%s/export.xlsx%s" % (ledger, "?" + enc(query) if query else ""),
                       token=token or self.T["sup"])
        self.assertEqual(r.status, expect, r)
        return r

    def sheet(self, *a, **kw):
        r = self.export(*a, **kw)
        self.assertEqual(r.header("Content-Type"), CT_XLSX)
        return Sheet(r.body)

    def setUp(self):
        if getattr(type(self), "_made", False):
            return
        type(self)._made = True
        # rectification items of two units, assigned so unit staff see theirs
        for i in range(3):
            it = self.create_item(title="住建整改%d" % i, lead_unit_id=self.U["ZJJ"],
                                  deadline="2026-12-%02d" % (10 + i),
                                  fields={"rect_type": "限期整改", "measures": ["一、排查", "二、整改"]})
            self.act(it, "assign")
        for i in range(2):
            it = self.create_item(title="生态整改%d" % i, lead_unit_id=self.U["STJ"])
            self.act(it, "assign")
        self.create_item(title="草稿不导出给单位")  # draft: the supervisor only
        p = self.create_item(ledger="petition", title="信访件", lead_unit_id=self.U["ZJJ"],
                             co_unit_ids=[self.U["STJ"]],
                             fields={"petitioner": "张某某", "contact": "13912345678",
                                     "received_on": "2026-11-02", "channel": "走访"})
        self.act(p, "assign")
        self.create_item(ledger="project", title="项目",
                         fields={"total_investment": 1234.5, "start_date": "2026-03-01"})

    def test_layout_title_headers_and_rows(self):
        s = self.sheet()
        self.assertEqual(s.rows[0][0]["v"], "督察巡视反馈问题整改台账")
        line = s.rows[1][0]["v"]
        self.assertIn("导出时间", line)
        self.assertIn("范围", line)
        self.assertIn("筛选", line)
        self.assertEqual(s.header[:10], ["序号", "编号", "事项", "牵头单位", "配合单位",
                                         "责任领导", "办结时限", "状态", "亮灯", "进度"])
        self.assertEqual(s.header[-1], "版本")
        pane = s.xml.find(".//m:pane", NS)
        self.assertEqual(pane.get("state"), "frozen")
        self.assertEqual(pane.get("ySplit"), "3")
        total = self.list_items("ledger=rectification&per_page=1")["total"]
        self.assertEqual(len(s.data), total)
        row = next(r for r in s.data if s.value(r, "事项") == "住建整改0")
        self.assertEqual(s.value(row, "牵头单位"), "住建局")
        self.assertEqual(s.value(row, "状态"), "已交办")
        self.assertIn(s.value(row, "亮灯"), ("绿灯", "黄灯", "红灯"))
        due = row[s.col("办结时限")]
        self.assertIsNone(due["t"], "a date is a number")
        # 2026-12-10 as an Excel serial (1900 system)
        self.assertEqual(due["v"], 46366.0)
        self.assertTrue(s.is_date_style(due["s"]), s.num_fmts)
        light = row[s.col("亮灯")]
        self.assertIsNotNone(s.fill(light["s"]), "the light cell is coloured")
        self.assertEqual(s.value(row, "版本"), float(self.get_item(
            next(i["id"] for i in self.list_items(enc("q=住建整改0"))["items"]))["version"]))
        measures = next(f["label"] for f in self.ledger_fields("rectification")
                        if f["key"] == "measures")
        self.assertEqual(s.value(row, measures), "一、排查\n二、整改")

    def ledger_fields(self, key):
        r = self.c.get(API + "/ledgers", token=self.T["sup"])
        return next(l for l in r.json["ledgers"] if l["key"] == key)["fields"]

    def test_filters_match_the_list(self):
        for q in ["status=assigned", "unit=%d" % self.U["STJ"], "due_before=2026-12-11",
                  "q=住建", "f.rect_type=限期整改&sort=-deadline"]:
            s = self.sheet(query=q)
            total = self.list_items(enc("ledger=rectification&per_page=1&" + q))["total"]
            self.assertEqual(len(s.data), total, q)
        s = self.sheet(query="sort=-deadline&status=assigned")
        codes = [s.value(r, "编号") for r in s.data]
        listed = [i["code"] for i in self.list_items(
            "ledger=rectification&per_page=200&sort=-deadline&status=assigned")["items"]]
        self.assertEqual(codes, listed, "the list's order")
        self.assertIn("状态为已交办", s.rows[1][0]["v"])

    def test_scope_of_a_unit(self):
        s = self.sheet(token=self.T["zstaff"])
        titles = sorted(s.value(r, "事项") for r in s.data)
        self.assertEqual(titles, ["住建整改0", "住建整改1", "住建整改2"])
        total = self.list_items("ledger=rectification&per_page=1", token=self.T["zstaff"])["total"]
        self.assertEqual(len(s.data), total)
        self.assertEqual(len(self.sheet(token=self.T["auditor"]).data), 0)

    def test_petitioner_masked_for_a_co_unit(self):
        labels = {f["key"]: f["label"] for f in self.ledger_fields("petition")}
        sup = self.sheet("petition")
        self.assertEqual(sup.value(sup.data[0], labels["petitioner"]), "张某某")
        self.assertEqual(sup.value(sup.data[0], labels["contact"]), "13912345678")
        co = self.sheet("petition", token=self.T["sstaff"])
        self.assertEqual(len(co.data), 1)
        self.assertEqual(co.value(co.data[0], labels["petitioner"]), "张**")
        self.assertEqual(co.value(co.data[0], labels["contact"]), "139****5678")
        received = co.data[0][co.col(labels["received_on"])]
        self.assertTrue(co.is_date_style(received["s"]))
        lead = self.sheet("petition", token=self.T["zstaff"])
        self.assertEqual(lead.value(lead.data[0], labels["petitioner"]), "张某某")

    def test_money_is_a_number_with_two_decimals(self):
        labels = {f["key"]: f["label"] for f in self.ledger_fields("project")}
        s = self.sheet("project")
        cell = s.data[0][s.col(labels["total_investment"])]
        self.assertEqual(cell["v"], 1234.5)
        self.assertEqual(s.num_fmts.get(s.xf_fmt[cell["s"]]), "#,##0.00")

    def test_download_headers(self):
        r = self.export()
        cd = r.header("Content-Disposition")
        self.assertTrue(cd.startswith("attachment"), cd)
        name = urllib.parse.unquote(cd.split("filename*=UTF-8''")[1])
        self.assertEqual(name, "督察巡视反馈问题整改-2026-11-30.xlsx")

    def test_errors(self):
        r = self.export("no_such_ledger", expect=404)
        self.assertEqual(r.error["code"], "not_found")
        self.export("Bad-Name", expect=404)
        r = self.c.get(API + "/ledgers/rectification/export.xlsx")
        self.assertEqual(r.status, 401)
        r = self.export(query="status=nonsense", expect=422)
        self.assertEqual(r.error["field"], "status")
        r = self.export(query="f.colour=红", expect=422)

    def test_every_export_is_audited(self):
        def exports():
            out, after = [], 0
            while True:
                r = self.c.get(API + "/audit?after=%d&limit=500" % after, token=self.T["auditor"])
                self.assertEqual(r.status, 200, r)
                es = r.json["entries"]
                out += [e for e in es if e["action"] == "ledger.export"]
                if len(es) < 500:
                    return out
                after = es[-1]["seq"]
        before = len(exports())
        n = len(self.sheet(token=self.T["zstaff"], query="light=green").data)
        after = exports()
        self.assertEqual(len(after), before + 1, "one audit entry per export")
        e = after[-1]
        self.assertEqual(e["target"], "ledger:rectification")
        self.assertEqual(e["actor"], "zstaff")
        detail = e["detail"] if isinstance(e["detail"], dict) else json.loads(e["detail"])
        self.assertEqual(detail["rows"], n)
        self.assertIn("绿灯", detail["summary"])

    def test_no_file_outlives_the_response(self):
        tmp = tempfile.gettempdir()
        before = {f for f in os.listdir(tmp) if f.startswith("taizhang-export-")}
        for _ in range(3):
            self.export()
        self.export("no_such_ledger", expect=404)
        after = {f for f in os.listdir(tmp) if f.startswith("taizhang-export-")}
        self.assertEqual(after - before, set())


class ExportCliTest(TzCase):
    USERS = ("sup",)

    def run_cli(self, *args):
        r = subprocess.run([tz_bin(), "export"] + self.srv.store_args() + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return r.returncode, r.stdout.decode(), r.stderr.decode()

    def test_cli_export(self):
        for i in range(3):
            it = self.create_item(title="命令行导出%d" % i)
            if i:
                self.act(it, "assign")
        out = os.path.join(self.srv.dir, "整改.xlsx")
        rc, so, se = self.run_cli("--ledger", "rectification", "--out", out)
        self.assertEqual(rc, 0, se)
        self.assertIn("exported 3 items", so)
        self.assertIn("3 of 3", se, "plain progress lines off a terminal")
        self.assertNotIn("\r", se)
        with open(out, "rb") as f:
            s = Sheet(f.read())
        self.assertEqual(len(s.data), 3)
        self.assertEqual(s.rows[0][0]["v"], "督察巡视反馈问题整改台账")
        rc, so, se = self.run_cli("--ledger", "rectification", "--out", out, "--status", "assigned")
        self.assertEqual(rc, 0, se)
        with open(out, "rb") as f:
            self.assertEqual(len(Sheet(f.read()).data), 2)

    def test_cli_user_errors(self):
        out = os.path.join(self.srv.dir, "x.xlsx")
        rc, so, se = self.run_cli("--ledger", "nope", "--out", out)
        self.assertEqual(rc, 1)
        self.assertEqual(len(se.strip().splitlines()), 1, se)
        self.assertIn("nope", se)
        rc, so, se = self.run_cli("--ledger", "reform", "--out", "/nonexistent/dir/x.xlsx")
        self.assertEqual(rc, 1)
        self.assertEqual(len(se.strip().splitlines()), 1, se)
        self.assertIn("cannot write", se)
        rc, so, se = self.run_cli("--ledger", "reform", "--status", "bogus", "--out", out)
        self.assertEqual(rc, 1)
        self.assertEqual(self.run_cli("--out", out)[0], 2, "usage: --ledger is needed")


if __name__ == "__main__":
    main()
