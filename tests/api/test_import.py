"""
test_import.py - POST /ledgers/{ledger}/import (and `taizhang import`), as the
office and the units use it: the exported workbook comes back (unchanged, or
with a progress cell edited in the sheet's XML), old ledgers arrive as .xlsx
files written here with zipfile and XML strings or as CSV in UTF-8, UTF-8 with
BOM and GB18030. Checked: counts and preview, conflicts with web edits, bad
cells by row and column with nothing written, dry runs writing nothing, the
damaged and hostile files (corrupt zip, encrypted OLE, a zip bomb, a million
empty rows), formulas, a merged two-row header, dates typed as text, the size
and row caps, the importer's scope, the audit entry.
"""
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, tz_bin, Store, API, CT_XLSX  # noqa: E402

CT_CSV = "text/csv"
EXCEL_EPOCH = 25569  # 1970-01-01

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(iso):
    import datetime
    d = datetime.date.fromisoformat(iso)
    return (d - datetime.date(1970, 1, 1)).days + EXCEL_EPOCH


def cell_xml(ref, v, shared):
    """One <c>: str, int/float, ("date", iso), ("f", formula, cached), ("b", bool)."""
    if v is None:
        return ""
    if isinstance(v, tuple) and v[0] == "date":
        return '<c r="%s" s="1"><v>%d</v></c>' % (ref, serial(v[1]))
    if isinstance(v, tuple) and v[0] == "cdate":
        return '<c r="%s" s="2"><v>%d</v></c>' % (ref, serial(v[1]))
    if isinstance(v, tuple) and v[0] == "f":
        cached = "" if v[2] is None else "<v>%s</v>" % esc(v[2])
        t = ' t="str"' if isinstance(v[2], str) else ""
        return '<c r="%s"%s><f>%s</f>%s</c>' % (ref, t, esc(v[1]), cached)
    if isinstance(v, tuple) and v[0] == "b":
        return '<c r="%s" t="b"><v>%d</v></c>' % (ref, 1 if v[1] else 0)
    if isinstance(v, (int, float)):
        return '<c r="%s"><v>%s</v></c>' % (ref, v)
    if shared is not None:
        if v not in shared:
            shared[v] = len(shared)
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, shared[v])
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v))


def sheet_rows_xml(rows, shared):
    """rows: [(row_number, [values])]."""
    out = []
    for n, values in rows:
        cells = "".join(cell_xml("%s%d" % (col_name(i), n), v, shared)
                        for i, v in enumerate(values))
        out.append('<row r="%d">%s</row>' % (n, cells))
    return "".join(out)


def make_xlsx(rows, use_shared=True, merges=(), sheet_name="Sheet1", tail_rows_xml=""):
    """A minimal workbook written by hand: workbook, rels, styles (a built-in
    date style 14 and a custom 年月日 style), shared strings, one sheet."""
    shared = {} if use_shared else None
    data = sheet_rows_xml(rows, shared) + tail_rows_xml
    merge_xml = ""
    if merges:
        merge_xml = '<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges))
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>%s</sheetData>%s</worksheet>'
             % (MAIN_NS, REL_NS, data, merge_xml))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
                   '<sheet name="%s" sheetId="1" r:id="rId7"/></sheets></workbook>'
                   % (MAIN_NS, REL_NS, esc(sheet_name)))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId7" Type="%s/worksheet" '
                   'Target="worksheets/data.xml"/></Relationships>' % REL_NS)
        z.writestr("xl/styles.xml",
                   '<?xml version="1.0"?><styleSheet xmlns="%s"><numFmts count="1">'
                   '<numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
                   '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/>'
                   '<xf numFmtId="176"/></cellXfs></styleSheet>' % MAIN_NS)
        if shared is not None:
            items = sorted(shared.items(), key=lambda kv: kv[1])
            z.writestr("xl/sharedStrings.xml",
                       '<?xml version="1.0"?><sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                       % (MAIN_NS, len(items), len(items),
                          "".join("<si><t>%s</t></si>" % esc(s) for s, _ in items)))
        z.writestr("xl/worksheets/data.xml", sheet)
    return buf.getvalue()


HEADER = ["编号", "事项", "牵头单位", "配合单位", "责任领导", "办结时限", "整改类型", "进度", "版本"]


class ImportTest(TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "viewer", "auditor")

    # ---- helpers
    def imp(self, data, ledger="rectification", ct=CT_XLSX, token=None, query=""):
        path = API + "/ledgers/%s/import%s" % (ledger, ("?" + query) if query else "")
        return self.c.request("POST", path, raw=data, content_type=ct,
                              token=token or self.T["sup"], timeout=60)

    def export(self, token=None):
        r = self.c.get(API + "/ledgers/rectification/export.xlsx", token=token or self.T["sup"])
        self.assertEqual(r.status, 200, r)
        return r.body

    def items(self, q="ledger=rectification&per_page=200"):
        r = self.c.get(API + "/items?" + q, token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def count(self):
        r = self.c.get(API + "/items?ledger=rectification&per_page=1", token=self.T["sup"])
        return r.json["total"]

    def by_title(self, title):
        return [i for i in self.items() if i["title"] == title]

    def audit_actions(self):
        tok = self.T["auditor"]
        out, after = [], 0
        while True:
            r = self.c.get(API + "/audit?after=%d&limit=1000" % after, token=tok)
            self.assertEqual(r.status, 200, r)
            entries = r.json.get("entries", r.json.get("audit", []))
            if not entries:
                return out
            out.extend(entries)
            after = entries[-1]["seq"]

    def data_requests(self, unit):
        r = self.c.get(API + "/dashboard/burden", token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        return sum(m.get("data_requests", 0) for m in r.json["months"]
                   if m["unit_id"] == self.U[unit])

    def in_progress_item(self, title, unit="ZJJ"):
        it = self.create_item(title=title, lead_unit_id=self.U[unit], fields={"rect_type": "限期整改"})
        self.act(it, "assign")
        it = self.act(it, "accept", token=self.T["zstaff" if unit == "ZJJ" else "sstaff"])
        return it

    @staticmethod
    def set_cell(xlsx_bytes, ref, value):
        """Edits one numeric cell of the exported sheet in its XML (as Excel would save it)."""
        src = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    text = data.decode("utf-8")
                    pat = re.compile(r'<c r="%s"([^>]*?)(/>|>.*?</c>)' % ref)
                    m = pat.search(text)
                    assert m, "cell %s not in the sheet" % ref
                    attrs = re.sub(r'\s*t="[^"]*"', "", m.group(1))
                    text = text[:m.start()] + '<c r="%s"%s><v>%s</v></c>' % (
                        ref, attrs, value) + text[m.end():]
                    data = text.encode("utf-8")
                z.writestr(info, data)
        return out.getvalue()

    @staticmethod
    def row_of(xlsx_bytes, code):
        """The sheet row number of the item with this code in an export (inline strings)."""
        text = zipfile.ZipFile(io.BytesIO(xlsx_bytes)).read("xl/worksheets/sheet1.xml").decode()
        for m in re.finditer(r'<row r="(\d+)"[^>]*>(.*?)</row>', text):
            if ">%s<" % code in m.group(2):
                return int(m.group(1))
        raise AssertionError("code %s not exported" % code)

    # ---- the round trip
    def test_round_trip_unchanged_then_progress_edit_is_one_update(self):
        it = self.in_progress_item("往返整改事项")
        self.create_item(title="往返草稿")
        data = self.export()
        n = self.count()
        r = self.imp(data, query="name=%E5%8F%B0%E8%B4%A6.xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["creates"], 0, r.json)
        self.assertEqual(r.json["updates"], 0, r.json)
        self.assertEqual(r.json["unchanged"], n, r.json)
        self.assertEqual(r.json["errors"], [])
        self.assertEqual(r.json["header_row"], 3)
        self.assertEqual(self.count(), n)
        # the unit filled in 60 % offline: the office imports it
        row = self.row_of(data, it["code"])
        edited = self.set_cell(data, "J%d" % row, 60)
        n_audit = len(self.audit_actions())
        pre = self.imp(edited, query="dry_run=1")
        self.assertEqual(pre.status, 200, pre)
        self.assertEqual(pre.json["dry_run"], True)
        self.assertEqual(len(self.audit_actions()), n_audit, "a dry run wrote audit entries")
        self.assertEqual((pre.json["updates"], pre.json["creates"]), (1, 0), pre.json)
        self.assertEqual(pre.json["preview"]["updates"][0]["code"], it["code"])
        self.assertEqual(pre.json["preview"]["updates"][0]["progress"], 60)
        self.assertEqual(self.get_item(it["id"])["progress"], 0, "a dry run wrote")
        before = self.data_requests("ZJJ")
        r = self.imp(edited, query="name=back.xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["updates"], 1, r.json)
        # forms gathered from the unit: one data request in the burden meter (DOMAIN 9.3)
        self.assertEqual(self.data_requests("ZJJ"), before + 1)
        got = self.get_item(it["id"])
        self.assertEqual(got["progress"], 60)
        self.assertEqual(got["version"], it["version"] + 1)
        ev = self.events(it["id"])[-1]
        self.assertEqual(ev["action"], "report")
        self.assertIn("back.xlsx", ev["comment"])
        self.assertIn("代录", ev["comment"])
        # the audit entry of the import
        entries = [e for e in self.audit_actions() if e["action"] == "ledger.import"]
        self.assertTrue(entries)
        detail = entries[-1]["detail"]
        self.assertEqual((detail["file"], detail["updates"], detail["creates"]), ("back.xlsx", 1, 0))
        self.assertEqual(entries[-1]["target"], "ledger:rectification")
        self.assertEqual(entries[-1]["actor"], "sup")
        # the same file again: the version moved on, so it is a conflict now
        r = self.imp(edited)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json["error"]["code"], "version_conflict")

    def test_web_edit_in_between_is_a_conflict_and_nothing_is_written(self):
        a = self.in_progress_item("冲突事项甲")
        b = self.in_progress_item("冲突事项乙")
        data = self.export()
        edited = self.set_cell(data, "J%d" % self.row_of(data, a["code"]), 30)
        edited = self.set_cell(edited, "J%d" % self.row_of(edited, b["code"]), 40)
        # meanwhile on the web
        cur = self.get_item(b["id"])
        r = self.c.patch(API + "/items/%d" % b["id"], {"leader": "李副区长", "version": cur["version"]},
                         token=self.T["sup"])
        self.assertEqual(r.status, 200, r)
        r = self.imp(edited)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json["error"]["code"], "version_conflict")
        self.assertEqual(r.json["conflicts"], 1)
        conflict = r.json["preview"]["conflicts"][0]
        self.assertEqual(conflict["code"], b["code"])
        self.assertEqual(conflict["current_version"], cur["version"] + 1)
        self.assertEqual(self.get_item(a["id"])["progress"], 0, "a row was written")
        # explicitly skipping the conflicting rows imports the others
        r = self.imp(edited, query="skip_conflicts=1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["updates"], r.json["conflicts"]), (1, 1))
        self.assertEqual(self.get_item(a["id"])["progress"], 30)
        self.assertEqual(self.get_item(b["id"])["progress"], 0)

    # ---- bad cells
    def test_bad_cells_are_listed_by_row_and_column_and_nothing_is_written(self):
        n = self.count()
        rows = [(1, ["整改台账（旧）"]), (2, HEADER),
                (3, [None, "好的一行", "住建局", None, "王局长", ("date", "2026-12-31"), "限期整改"]),
                (4, [None, "坏日期", "住建局", None, None, "明年春天", "限期整改"]),
                (5, [None, "坏单位", "不存在的局", None, None, None, "马上整改"]),
                (6, [None, "", "住建局"])]
        data = make_xlsx(rows)
        pre = self.imp(data, query="dry_run=1")
        self.assertEqual(pre.status, 200, pre)
        self.assertEqual(pre.json["creates"], 1)
        r = self.imp(data)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["error"]["code"], "validation_failed")
        errs = {(e["row"], e["column"]) for e in r.json["errors"]}
        self.assertIn((4, "F 办结时限"), errs, r.json["errors"])
        self.assertIn((5, "C 牵头单位"), errs, r.json["errors"])
        self.assertIn((5, "G 整改类型"), errs, r.json["errors"])
        self.assertIn((6, "B 事项"), errs, r.json["errors"])
        reasons = " ".join(e["reason"] for e in r.json["errors"])
        self.assertIn("不是有效的日期", reasons)
        self.assertIn("限期整改", reasons)  # the choices are named
        self.assertEqual(self.count(), n, "a bad file wrote items")
        self.assertEqual(self.by_title("好的一行"), [])
        # fixed: everything goes in, dates typed as text too
        rows[3] = (4, [None, "日期文本一", "住建局", None, None, "2026/12/31", "限期整改"])
        rows[4] = (5, [None, "日期文本二", "生态环境局", "住建局、东关大街街道办事处", None,
                       "2027年1月5日", "立行立改"])
        rows[5] = (6, [None, "日期文本三", "住建局", None, None, "2027.02.03", None])
        data = make_xlsx(rows)
        r = self.imp(data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["creates"], 4, r.json)
        self.assertEqual(self.count(), n + 4)
        two = self.by_title("日期文本二")[0]
        self.assertEqual(two["deadline"], "2027-01-05")
        self.assertEqual(two["lead_unit_id"], self.U["STJ"])
        self.assertEqual(sorted(two["co_unit_ids"]), sorted([self.U["ZJJ"], self.U["DGJ"]]))
        self.assertEqual(two["fields"]["rect_type"], "立行立改")
        self.assertEqual(two["status"], "draft")
        self.assertEqual(self.by_title("日期文本一")[0]["deadline"], "2026-12-31")
        self.assertEqual(self.by_title("日期文本三")[0]["deadline"], "2027-02-03")
        self.assertEqual(self.by_title("好的一行")[0]["deadline"], "2026-12-31")
        self.assertEqual(self.events(two["id"])[0]["action"], "create")

    def test_an_assigned_items_deadline_is_not_edited_by_import(self):
        it = self.in_progress_item("已交办改时限")
        data = self.export()
        row = self.row_of(data, it["code"])
        r = self.imp(self.set_cell(data, "G%d" % row, serial("2027-06-30")))
        self.assertEqual(r.status, 422, r)
        self.assertEqual([(e["row"], e["column"]) for e in r.json["errors"]], [(row, "G 办结时限")])
        self.assertIn("延期审批", r.json["errors"][0]["reason"])
        self.assertEqual(self.get_item(it["id"])["deadline"], it["deadline"])

    def test_formula_cells_use_their_cached_value(self):
        rows = [(1, HEADER),
                (2, [None, ("f", 'CONCATENATE("公式","事项")', "公式事项"), "住建局", None, None,
                     ("f", "DATE(2026,12,20)", 46376), "限期整改"])]
        r = self.imp(make_xlsx(rows, use_shared=False))
        self.assertEqual(r.status, 200, r)
        got = self.by_title("公式事项")[0]
        self.assertEqual(got["deadline"], "2026-12-20")  # a formula's number in a General cell
        rows = [(1, HEADER), (2, [None, "无缓存公式", "住建局", None, None, ("f", "TODAY()", None)])]
        r = self.imp(make_xlsx(rows))
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["errors"][0]["column"], "F 办结时限")
        self.assertIn("公式", r.json["errors"][0]["reason"])

    def test_merged_two_row_header_and_custom_date_style(self):
        rows = [(1, ["整改台账"]),
                (2, ["编号", "事项", "责任", None, "时间", "其他", "备注"]),
                (3, [None, None, "牵头单位", "配合单位", "办结时限", "问题来源"]),
                (4, [None, "合并表头事项", "住建局", "生态环境局", ("cdate", "2027-03-31"),
                     "省委（专项）巡视反馈问题"])]
        data = make_xlsx(rows, merges=("A1:F1", "A2:A3", "B2:B3", "C2:D2"))
        r = self.imp(data)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["header_row"], 2)
        got = self.by_title("合并表头事项")[0]
        self.assertEqual(got["deadline"], "2027-03-31")
        self.assertEqual(got["co_unit_ids"], [self.U["STJ"]])
        self.assertEqual(got["fields"].get("source_type"), "省委（专项）巡视反馈问题")
        self.assertEqual(r.json["warnings"], [{"column": "G 备注", "reason": "未识别的列，已忽略"}])

    def test_a_million_empty_rows_are_skipped(self):
        empty = "".join('<row r="%d"><c r="A%d" s="0"/></row>' % (n, n) for n in range(3, 1000003))
        last = sheet_rows_xml([(1000003, [None, "百万行之后", "住建局"])], None)
        data = make_xlsx([(1, HEADER), (2, [None, "百万行之前", "住建局"])],
                         use_shared=False, tail_rows_xml=empty + last)
        self.assertLess(len(data), 8 << 20)
        t = time.time()
        r = self.imp(data)
        took = time.time() - t
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["rows"], r.json["creates"]), (2, 2), r.json)
        self.assertEqual(len(self.by_title("百万行之后")), 1)
        self.assertLess(took, 30, "a sheet of empty rows took %.1fs" % took)

    # ---- hostile and broken files
    def test_corrupt_encrypted_and_non_workbooks_are_refused(self):
        n = self.count()
        good = make_xlsx([(1, HEADER), (2, [None, "不该写入", "住建局"])])
        r = self.imp(good[: len(good) // 2])
        self.assertEqual(r.status, 422, r)
        self.assertIn("不是有效的 .xlsx", r.json["error"]["message"])
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
        r = self.imp(ole)
        self.assertEqual(r.status, 422, r)
        self.assertIn("密码", r.json["error"]["message"])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "不是工作簿")
        r = self.imp(buf.getvalue())
        self.assertEqual(r.status, 422, r)
        r = self.imp(make_xlsx([(1, ["甲", "乙"]), (2, ["1", "2"])]))
        self.assertEqual(r.status, 422, r)
        self.assertIn("表头", r.json["error"]["message"])
        # a cell (shared or inline) longer than 100 000 bytes
        for shared in (True, False):
            r = self.imp(make_xlsx([(1, HEADER), (2, [None, "长" * 40000, "住建局"])],
                                   use_shared=shared))
            self.assertEqual(r.status, 422, r)
            self.assertIn("超过 100000 字节", r.json["error"]["message"])
        self.assertEqual(self.count(), n)

    def test_zip_bomb_is_refused_fast(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("xl/workbook.xml", '<workbook xmlns="%s"><sheets/></workbook>' % MAIN_NS)
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(('<worksheet xmlns="%s"><sheetData>' % MAIN_NS).encode())
                chunk = b"<row/>" * (1 << 20)
                for _ in range(50):  # 300 MiB of XML
                    f.write(chunk)
        data = buf.getvalue()
        self.assertLess(len(data), 2 << 20)
        t = time.time()
        r = self.imp(data)
        self.assertEqual(r.status, 413, r)
        self.assertIn("压缩炸弹", r.json["error"]["message"])
        self.assertLess(time.time() - t, 10)

    # ---- CSV
    def test_csv_in_utf8_bom_and_gb18030(self):
        text = ("编号,事项,牵头单位,办结时限,整改类型\r\n"
                ',"%s，含逗号和""引号""",住建局,2026-12-31,限期整改\r\n'
                ',"%s\n第二行",生态环境局,2027年1月31日,\r\n')
        for enc, label in (("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8-BOM"), ("gb18030", "GB18030")):
            title = "CSV%s" % label
            data = (text % (title, title + "乙")).encode(enc)
            r = self.imp(data, ct=CT_CSV)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json["encoding"], label)
            self.assertEqual(r.json["creates"], 2, r.json)
            got = self.by_title('%s，含逗号和"引号"' % title)
            self.assertEqual(len(got), 1, label)
            self.assertEqual(got[0]["lead_unit_id"], self.U["ZJJ"])
            self.assertEqual(len(self.by_title(title + "乙\n第二行")), 1, label)
        # a generic type: the name decides
        r = self.imp(("事项,牵头单位\n按文件名,住建局\n").encode(), ct="application/octet-stream",
                     query="name=a.csv")
        self.assertEqual(r.status, 200, r)
        # neither UTF-8 nor GB18030
        r = self.imp(b"\xff\xfe\x00\x00\xff\xff\xfe" * 10, ct=CT_CSV)
        self.assertEqual(r.status, 422, r)
        self.assertIn("无法识别的文件编码", r.json["error"]["message"])
        r = self.imp("编号,事项\n,\"没有闭合\n".encode(), ct=CT_CSV)
        self.assertEqual(r.status, 422, r)

    def test_the_ledgers_own_rules_answer_in_chinese(self):
        text = "事项,牵头单位,总投资（万元）,开工日期,项目阶段\n负数投资,住建局,-5,2026/3/1,在建\n"
        r = self.imp(text.encode(), ledger="project", ct=CT_CSV)
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json["errors"], [{"row": 2, "column": "C 总投资（万元）",
                                             "reason": "不符合要求：不能为负数"}])
        r = self.imp(text.replace("-5", "\"1,234.5\"").encode(), ledger="project", ct=CT_CSV)
        self.assertEqual(r.status, 200, r)
        got = [i for i in self.items("ledger=project&per_page=200") if i["title"] == "负数投资"][0]
        self.assertEqual(got["fields"]["total_investment"], 1234.5)
        self.assertEqual(got["fields"]["start_date"], "2026-03-01")
        self.assertEqual(got["fields"]["phase"], "在建")

    # ---- scope
    def test_units_report_their_own_progress_and_cannot_create_or_edit(self):
        mine = self.in_progress_item("住建自己的事项")
        other = self.in_progress_item("生态的事项", unit="STJ")
        data = self.export(token=self.T["zstaff"])
        self.assertNotIn(other["code"].encode(), data)
        edited = self.set_cell(data, "J%d" % self.row_of(data, mine["code"]), 45)
        asked = self.data_requests("ZJJ")
        r = self.imp(edited, token=self.T["zstaff"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["updates"], 1)
        self.assertEqual(self.data_requests("ZJJ"), asked, "a unit's own report is no request")
        self.assertEqual(self.get_item(mine["id"])["progress"], 45)
        self.assertNotIn("代录", self.events(mine["id"])[-1]["comment"])
        # another unit's code, a new row, an edit of a title: refused, nothing written
        rows = [(1, HEADER),
                (2, [other["code"], "生态的事项", "生态环境局", None, None, None, None, 50,
                     other["version"]]),
                (3, [None, "单位新建", "住建局"])]
        r = self.imp(make_xlsx(rows), token=self.T["zstaff"])
        self.assertEqual(r.status, 422, r)
        reasons = {e["row"]: e["reason"] for e in r.json["errors"]}
        self.assertIn("无权查看", reasons[2])
        self.assertIn("无权新建", reasons[3])
        self.assertEqual(self.get_item(other["id"])["progress"], 0)
        cur = self.get_item(mine["id"])
        rows = [(1, HEADER), (2, [mine["code"], "改了标题", "住建局", None, None, None, None, 45,
                                  cur["version"]])]
        r = self.imp(make_xlsx(rows), token=self.T["zstaff"])
        self.assertEqual(r.status, 422, r)
        self.assertIn("无权", r.json["errors"][0]["reason"])
        # the auditor and the admin do not import at all
        r = self.imp(make_xlsx(rows), token=self.T["auditor"])
        self.assertEqual(r.status, 403, r)

    def test_unknown_ledger_and_no_session(self):
        r = self.imp(b"x", ledger="nope")
        self.assertEqual(r.status, 404, r)
        r = self.c.request("POST", API + "/ledgers/rectification/import", raw=b"x",
                           content_type=CT_CSV)
        self.assertEqual(r.status, 401, r)

    # ---- the command line
    def test_cli_import_dry_run_and_real(self):
        rows = [(1, HEADER), (2, [None, "命令行导入", "住建局", None, None, "2026-12-31"])]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "old.xlsx")
            with open(path, "wb") as f:
                f.write(make_xlsx(rows))
            env = dict(os.environ, TAIZHANG_TODAY="2026-11-30")
            head = [tz_bin(), "import"] + self.srv.store_args() + ["--ledger", "rectification",
                                                                    "--file"]
            base = head + [path, "--as", "sup"]
            r = subprocess.run(base + ["--dry-run"], env=env, capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 0, r)
            self.assertIn("新建 1", r.stdout.decode())
            self.assertEqual(self.by_title("命令行导入"), [])
            r = subprocess.run(base, env=env, capture_output=True, timeout=60)
            self.assertEqual(r.returncode, 0, r)
            self.assertEqual(len(self.by_title("命令行导入")), 1)
            self.assertIn("新建 1，更新 0", r.stdout.decode())
            # not a terminal: plain progress lines, no carriage returns
            self.assertEqual(r.stderr.decode(), "imported 1 rows\n")
            bad = os.path.join(d, "bad.csv")
            with open(bad, "wb") as f:
                f.write(b"\xff\xfe\xff" * 5)
            r = subprocess.run(head + [bad, "--as", "sup"], env=env, capture_output=True,
                               timeout=60)
            self.assertEqual(r.returncode, 1, r)
            self.assertIn("无法识别的文件编码", r.stderr.decode())
            self.assertEqual(len(r.stderr.decode().strip().splitlines()), 1)


class DemoRoundTripTest(TzCase):
    """Every ledger of the Chengdong demo, exported and imported back unchanged, changes nothing:
    lists, units, dates, enums, booleans, money and the petitioner's fields read back as they were
    written (`taizhang export` then `taizhang import --dry-run`, as the office)."""
    USERS = ("sup",)

    def test_every_demo_ledger_round_trips_unchanged(self):
        env = dict(os.environ, TAIZHANG_TODAY="2026-11-30")
        with tempfile.TemporaryDirectory() as d:
            store = Store(d, "demo.db")
            self.addCleanup(store.cleanup)
            db = store.args()
            r = subprocess.run([tz_bin(), "demo"] + db, env=env, capture_output=True,
                               timeout=300)
            self.assertEqual(r.returncode, 0, r)
            ledgers = ["rectification", "reform", "project", "policy", "eco_problem",
                       "risk_point", "hazard", "petition", "livelihood", "indicator"]
            for ledger in ledgers:
                out = os.path.join(d, ledger + ".xlsx")
                r = subprocess.run([tz_bin(), "export"] + db + ["--ledger", ledger, "--out",
                                                                  out], env=env, capture_output=True, timeout=120)
                self.assertEqual(r.returncode, 0, r)
                n = int(re.search(r"exported (\d+) items", r.stdout.decode()).group(1))
                self.assertGreater(n, 0, ledger)
                r = subprocess.run([tz_bin(), "import"] + db + ["--ledger", ledger, "--file",
                                                                  out, "--as", "dcs", "--dry-run"], env=env,
                                   capture_output=True, timeout=120)
                self.assertEqual(r.returncode, 0, (ledger, r))
                self.assertEqual(r.stdout.decode().strip(),
                                 "预览：新建 0，更新 0，未变 %d，冲突 0（共 %d 行）" % (n, n), ledger)


class ImportCapsTest(TzCase):
    """The size cap (413) and the row cap (422), set low through the environment."""
    USERS = ("sup",)

    @classmethod
    def setUpClass(cls):
        os.environ["TAIZHANG_IMPORT_MAX_BYTES"] = "65536"
        os.environ["TAIZHANG_IMPORT_MAX_ROWS"] = "5"
        try:
            super().setUpClass()
        finally:
            del os.environ["TAIZHANG_IMPORT_MAX_BYTES"]
            del os.environ["TAIZHANG_IMPORT_MAX_ROWS"]

    def imp(self, data, ct=CT_CSV):
        return self.c.request("POST", API + "/ledgers/rectification/import", raw=data,
                              content_type=ct, token=self.T["sup"], timeout=60)

    def test_size_cap(self):
        data = ("事项,牵头单位\n" + "很长的一行,住建局\n" * 5000).encode()
        self.assertGreater(len(data), 65536)
        r = self.imp(data)
        self.assertEqual(r.status, 413, r)
        self.assertEqual(r.json["error"]["code"], "too_large")

    def test_row_cap_counts_data_rows_not_empty_ones(self):
        ok = "事项,牵头单位\n" + "".join("行%d,住建局\n\n,\n" % i for i in range(5))
        r = self.imp(ok.encode())
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["creates"], 5)
        over = "事项,牵头单位\n" + "".join("超%d,住建局\n" % i for i in range(6))
        r = self.imp(over.encode())
        self.assertEqual(r.status, 422, r)
        self.assertIn("上限 5 行", r.json["error"]["message"])
        r = self.c.get(API + "/items?ledger=rectification&q=%E8%B6%85", token=self.T["sup"])
        self.assertEqual(r.json["total"], 0)


if __name__ == "__main__":
    main()
