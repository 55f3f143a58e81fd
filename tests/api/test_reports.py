#!/usr/bin/env python3
"""
test_reports.py - the printed documents on the Chengdong demo (TAIZHANG_TODAY
2026-11-30): GET /reports/bulletin.pdf (通报) and GET /items/{id}/notice.pdf
(督办通知单), and `taizhang report bulletin|notice`.

Checked as a reader of the paper would: the PDF's text (pdftotext -layout)
has the title with the period, the counters and rates GET /dashboard shows,
a unit's row of the scorecard and the first red item of the war map's red
list; pdffonts shows the Noto CJK faces embedded; page 1 rendered to PNG
(pdftoppm) is A4 with ink on it, and the red masthead is red. The 督办单 has
its number (城东督办〔2026〕第N号), the lead unit, the deadline in Chinese, the
督办 comment as a requirement; its number stays on a second print and differs
between items; an item the caller cannot see is 404, bad dates are 422 with
the field, and every print is one audit entry.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import Server, main, tz_bin, API  # noqa: E402

DEMO_PASSWORD = "Demo@2026"
TODAY = "2026-11-30"
OPEN = "assigned,in_progress,submitted,ongoing"
NUMBER = re.compile(r"城东督办〔2026〕第(\d+)号")


def run(*args, **kw):
    return subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                          **kw)


def pdf_text(data, layout=True):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        r = run("pdftotext", *(["-layout"] if layout else []), f.name, "-")
    assert r.returncode == 0, r.stderr
    return r.stdout.decode("utf-8")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def flat(text):
    """The text without any whitespace: sentences wrapped across lines read whole."""
    return re.sub(r"\s+", "", text)


def fmt_rate(r):
    return "—" if r is None else "%.1f%%" % (round(r * 1000) / 10)


def png_pixels(png):
    """(width, height, rows of RGB bytes) of an 8-bit RGB or RGBA PNG, unfiltered."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    w = h = depth = ctype = None
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def save_page_one(pdf_bytes, name):
    """Page 1 as PNG (50 dpi) into build-test/screenshots/NAME, to be looked at; returns the PNG."""
    d = tempfile.mkdtemp(prefix="tzpdf-")
    try:
        pdf = os.path.join(d, "doc.pdf")
        with open(pdf, "wb") as f:
            f.write(pdf_bytes)
        rr = run("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", pdf, os.path.join(d, "p"))
        assert rr.returncode == 0, rr.stderr
        png_path = os.path.join(d, sorted(x for x in os.listdir(d) if x.endswith(".png"))[0])
        shots = os.path.join(os.path.dirname(tz_bin()), "screenshots")
        os.makedirs(shots, exist_ok=True)
        shutil.copy(png_path, os.path.join(shots, name))
        return read(png_path)
    finally:
        shutil.rmtree(d)


class ReportsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(today=TODAY, name="reports")
        r = run(tz_bin(), "demo", *cls.srv.store_args(), env=cls.srv.env())
        if r.returncode != 0:
            cls.srv.kill()
            raise RuntimeError("taizhang demo failed: %s" % r.stderr.decode("utf-8", "replace"))
        cls.srv.start()
        cls.c = cls.srv.client
        cls.tokens = {}

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def token(self, user):
        if user not in self.tokens:
            r = self.c.post(API + "/auth/login", {"username": user, "password": DEMO_PASSWORD})
            self.assertEqual(r.status, 200, r)
            self.tokens[user] = r.json["token"]
        return self.tokens[user]

    def get_pdf(self, path, user="dcs", expect=200):
        r = self.c.get(API + path, token=self.token(user))
        self.assertEqual(r.status, expect, r)
        if expect == 200:
            self.assertEqual(r.header("Content-Type"), "application/pdf")
            self.assertTrue(r.body.startswith(b"%PDF-"), r.body[:16])
        return r

    def audit(self, action):
        out, after = [], 0
        while True:
            r = self.c.get(API + "/audit?after=%d&limit=500" % after, token=self.token("auditor"))
            self.assertEqual(r.status, 200, r)
            es = r.json["entries"]
            out += [e for e in es if e["action"] == action]
            if len(es) < 500:
                return out
            after = es[-1]["seq"]

    # ---- the bulletin ------------------------------------------------------------

    def test_bulletin_has_the_dashboards_figures(self):
        r = self.get_pdf("/reports/bulletin.pdf?from=2026-11-23&to=2026-11-29")
        cd = r.header("Content-Disposition")
        # 城东区重点工作推进情况通报（2026年11月23日—11月29日）.pdf, RFC 5987
        self.assertIn("filename*=UTF-8''%E5%9F%8E%E4%B8%9C%E5%8C%BA", cd)
        text = pdf_text(r.body)
        f = flat(text)
        self.assertIn("城东区重点工作推进情况通报", f)
        self.assertIn("（2026年11月23日—11月29日）", f)
        self.assertIn("城东区委区政府督查室", f)
        self.assertIn("2026年第48期", f)
        t = self.c.get(API + "/dashboard", token=self.token("dcs")).json["totals"]
        total = t["open"] + t["closed"]
        # 逾期未销号: the open red items past their deadline (长期坚持 is never overdue)
        late = self.c.get(API + "/items?status=assigned,in_progress,submitted&light=red&per_page=1",
                          token=self.token("dcs")).json["total"]
        self.assertEqual(t["overdue"], late)
        self.assertIn("事项共%d项，其中已销号%d项，在办%d项（绿灯%d项、黄灯%d项、红灯%d项），"
                      "逾期未销号%d项" % (total, t["closed"], t["open"], t["green"], t["yellow"],
                                     t["red"], t["overdue"]), f)
        self.assertIn("销号率%s" % fmt_rate(t["closed"] / total), f)
        self.assertIn("按期完成率%s" % fmt_rate(t["on_time_rate"]), f)
        due = t["closed"] + t["overdue"]
        self.assertIn("逾期率%s" % fmt_rate(t["overdue"] / due if due else None), f)
        # a unit's row: the scorecard's figures on one line of the table
        units = [u for u in self.c.get(API + "/dashboard/units", token=self.token("dcs")).json["units"]
                 if u["total"] > 0]
        zjj = next(u for u in units if u["name"] == "区住房和城乡建设局")
        row = next(line for line in text.splitlines() if "区住房和城乡建设局" in line
                   and re.search(r"\d+%|—", line))
        self.assertEqual(re.findall(r"\d+(?:\.\d)?%?|—", row.split("区住房和城乡建设局")[1]),
                         [str(zjj["total"] - zjj["closed"]), str(zjj["red"]), str(zjj["yellow"]),
                          str(zjj["closed"]), fmt_rate(zjj["on_time_rate"])])
        # the red list: the war map's first red item, and its count
        red = self.c.get(API + "/items?light=red&status=%s&sort=deadline&per_page=1" % OPEN,
                         token=self.token("dcs")).json
        self.assertGreater(red["total"], 0)
        self.assertIn(red["items"][0]["code"], f)
        self.assertIn("三、红灯事项清单", f)
        # the period's events and the footer
        self.assertRegex(f, r"本期（2026年11月23日—11月29日），新交办事项\d+项，验收销号\d+项，"
                            r"督查室催办\d+次、督办\d+次")
        pages = int(re.search(r"第1页共(\d+)页", f).group(1))
        self.assertGreaterEqual(pages, 2)
        self.assertIn("第%d页共%d页" % (pages, pages), f)
        # the unit table breaks across pages 1 and 2 (the demo has 20 lead units) and repeats
        # its header at the top of page 2
        second = [line for line in text.split("\f")[1].splitlines() if line.strip()]
        self.assertEqual(second[0].split(), ["序号", "牵头单位", "在办", "红灯", "黄灯", "已销号",
                                             "按期完成率"])
        self.assertRegex(second[1], r"^\s*16\s")

    def test_bulletin_embeds_the_cjk_fonts(self):
        r = self.get_pdf("/reports/bulletin.pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(r.body)
            f.flush()
            out = run("pdffonts", f.name).stdout.decode()
        cjk = [line for line in out.splitlines() if "NotoSerifCJK" in line or "NotoSansCJK" in line]
        self.assertGreaterEqual(len(cjk), 2, out)
        for line in cjk:
            # columns: name type encoding emb sub uni ...
            self.assertEqual(line.split()[-5], "yes", line)

    def test_bulletin_page_one_looks_printed(self):
        r = self.get_pdf("/reports/bulletin.pdf?from=2026-11-23&to=2026-11-29")
        png = save_page_one(r.body, "report-bulletin-page1.png")
        w, h, bpp, rows = png_pixels(png)
        self.assertAlmostEqual(h / w, 297 / 210, delta=0.01)  # A4 portrait
        self.assertAlmostEqual(w, 413, delta=2)                # 210 mm at 50 dpi
        ink = red = 0
        for y, line in enumerate(rows):
            for x in range(0, w * bpp, bpp):
                pr, pg, pb = line[x], line[x + 1], line[x + 2]
                if pr < 200 or pg < 200 or pb < 200:
                    ink += 1
                    # the masthead (督 查 通 报) is red, in the top fifth
                    if y < h // 5 and pr > 150 and pg < 80 and pb < 80:
                        red += 1
        self.assertGreater(ink, w * h // 100, "page 1 is nearly blank")
        self.assertGreater(red, 200, "no red masthead")

    def test_bulletin_default_period_and_bad_dates(self):
        f = flat(pdf_text(self.get_pdf("/reports/bulletin.pdf").body))
        self.assertIn("（2026年11月24日—11月30日）", f)
        for query, field in [("from=2026-13-01", "from"), ("to=yesterday", "to"),
                             ("from=2026-11-30&to=2026-11-01", "from"),
                             ("from=2024-01-01&to=2026-11-30", "from")]:
            r = self.c.get(API + "/reports/bulletin.pdf?" + query, token=self.token("dcs"))
            self.assertEqual(r.status, 422, (query, r))
            self.assertEqual(r.error["field"], field, query)
        r = self.c.get(API + "/reports/bulletin.pdf")
        self.assertEqual(r.status, 401)
        r = self.c.get(API + "/reports/bulletin.pdf", token=self.token("auditor"))
        self.assertEqual(r.status, 403)

    def test_bulletin_of_a_unit_is_scoped(self):
        f = flat(pdf_text(self.get_pdf("/reports/bulletin.pdf", user="zjj_staff").body))
        self.assertIn("统计范围：区住房和城乡建设局及下级单位", f)
        t = self.c.get(API + "/dashboard", token=self.token("zjj_staff")).json["totals"]
        self.assertIn("事项共%d项，其中已销号%d项" % (t["open"] + t["closed"], t["closed"]), f)
        self.assertNotIn("区教育局", f)

    def test_every_print_is_audited(self):
        before = len(self.audit("report.bulletin"))
        self.get_pdf("/reports/bulletin.pdf?from=2026-11-01&to=2026-11-30", user="leader")
        after = self.audit("report.bulletin")
        self.assertEqual(len(after), before + 1)
        self.assertEqual(after[-1]["actor"], "leader")
        self.assertIn("2026-11-01", str(after[-1]["detail"]))

    # ---- the 督办单 -----------------------------------------------------------------

    def item(self, query, user="dcs"):
        r = self.c.get(API + "/items?" + query, token=self.token(user))
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def test_notice_of_a_supervised_item(self):
        # the office 督办s an item in progress with its requirement, then prints the notice
        it = next(i for i in self.item("status=in_progress&sort=deadline&per_page=100")
                  if i["supervised"] == 0 and i["light"] == "green" and i["lead_unit_id"])
        r = self.c.post(API + "/items/%d/actions" % it["id"],
                        {"action": "supervise", "version": it["version"],
                         "comment": "请于12月5日前完成剩余整改并报送现场照片"},
                        token=self.token("dcs"))
        self.assertEqual(r.status, 200, r)
        before = len(self.audit("item.notice"))
        r = self.get_pdf("/items/%d/notice.pdf" % it["id"])
        self.assertIn("filename*=UTF-8''%E7%9D%A3%E5%8A%9E", r.header("Content-Disposition"))
        text = pdf_text(r.body)
        f = flat(text)
        self.assertIn("督办通知单", f)
        self.assertIn("城东区委区政府督查室", f)
        number = NUMBER.search(f)
        self.assertIsNotNone(number, f)
        units = {u["id"]: u["name"] for u in
                 self.c.get(API + "/units", token=self.token("dcs")).json["units"]}
        lead = units[it["lead_unit_id"]]
        self.assertIn("%s：" % lead, f)
        self.assertIn("承办单位%s" % lead, f)
        self.assertIn(it["code"], f)
        y, m, d = (int(x) for x in it["deadline"].split("-"))
        self.assertIn("办结时限%d年%d月%d日" % (y, m, d), f)
        self.assertIn("请于12月5日前完成剩余整改并报送现场照片", f)
        self.assertIn("黄色督办", f)  # a green item supervised once: yellow (orange)
        self.assertEqual(re.findall(r"第\d+页共(\d+)页", f), ["1"])
        save_page_one(r.body, "report-notice.png")
        # printed again: the same number; one audit entry per print
        again = NUMBER.search(flat(pdf_text(self.get_pdf("/items/%d/notice.pdf" % it["id"]).body)))
        self.assertEqual(again.group(0), number.group(0))
        entries = self.audit("item.notice")
        self.assertEqual(len(entries), before + 2)
        self.assertEqual(entries[-1]["target"], "item:%d" % it["id"])
        self.assertIn(number.group(0), str(entries[-1]["detail"]))

    def test_notice_numbers_differ_between_items(self):
        red = self.item("light=red&status=%s&sort=deadline&per_page=3" % OPEN)
        numbers = set()
        for it in red[:2]:
            f = flat(pdf_text(self.get_pdf("/items/%d/notice.pdf" % it["id"]).body))
            numbers.add(NUMBER.search(f).group(0))
            self.assertIn("红色督办", f)
        self.assertEqual(len(numbers), 2)

    def test_every_open_supervised_or_red_item_has_a_one_page_notice(self):
        # the demo's long requirements (ZG-2026-0004 has three) must not push the seal onto a
        # second sheet: the form's text shrinks until the notice fits on one page
        items = self.item("supervised=1&status=%s&per_page=200" % OPEN)
        items += self.item("light=red&status=%s&per_page=200" % OPEN)
        self.assertGreater(len(items), 5)
        for it in {i["id"]: i for i in items}.values():
            f = flat(pdf_text(self.get_pdf("/items/%d/notice.pdf" % it["id"]).body))
            self.assertEqual(re.findall(r"第\d+页共(\d+)页", f), ["1"], it["code"])
            self.assertIn("（盖章）", f, it["code"])

    def test_notice_visibility(self):
        # 住建局 staff see their own items and may print them; another unit's item is 404
        own = self.item("status=in_progress&per_page=50", user="zjj_staff")
        zjj = next(u["id"] for u in self.c.get(API + "/units", token=self.token("dcs")).json["units"]
                   if u["code"] == "ZJJ")
        mine = next(i for i in own if i["lead_unit_id"] == zjj)
        self.get_pdf("/items/%d/notice.pdf" % mine["id"], user="zjj_staff")
        others = [i for i in self.item("status=in_progress&per_page=100")
                  if i["id"] not in {x["id"] for x in own}]
        self.assertTrue(others)
        r = self.c.get(API + "/items/%d/notice.pdf" % others[0]["id"], token=self.token("zjj_staff"))
        self.assertEqual(r.status, 404, r)
        r = self.c.get(API + "/items/%d/notice.pdf" % others[0]["id"], token=self.token("admin"))
        self.assertEqual(r.status, 404, r)
        r = self.c.get(API + "/items/999999/notice.pdf", token=self.token("dcs"))
        self.assertEqual(r.status, 404, r)
        closed = self.item("status=closed&per_page=1")[0]
        r = self.c.get(API + "/items/%d/notice.pdf" % closed["id"], token=self.token("dcs"))
        self.assertEqual((r.status, r.error["code"]), (409, "invalid_transition"))

    def test_no_file_outlives_the_response(self):
        tmp = tempfile.gettempdir()
        before = {f for f in os.listdir(tmp) if f.startswith("taizhang-report-")}
        self.get_pdf("/reports/bulletin.pdf")
        self.c.get(API + "/items/999999/notice.pdf", token=self.token("dcs"))
        after = {f for f in os.listdir(tmp) if f.startswith("taizhang-report-")}
        self.assertEqual(after - before, set())

    # ---- the command line -------------------------------------------------------------

    def test_cli(self):
        d = tempfile.mkdtemp(prefix="tzcli-")
        env = self.srv.env()
        try:
            out = os.path.join(d, "通报.pdf")
            r = run(tz_bin(), "report", "bulletin", *self.srv.store_args(), "--from", "2026-11-23",
                    "--to", "2026-11-29", "--out", out, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(b"printed bulletin", r.stdout)
            self.assertIn(b"report: drawing the PDF", r.stderr)  # plain stages: not a terminal
            self.assertIn("（2026年11月23日—11月29日）", flat(pdf_text(read(out))))
            # a 督办单 by code: the number the API gives for the same item and colour
            it = self.item("light=red&status=%s&sort=deadline&per_page=1" % OPEN)[0]
            api_no = NUMBER.search(flat(pdf_text(
                self.get_pdf("/items/%d/notice.pdf" % it["id"]).body))).group(0)
            nout = os.path.join(d, "n.pdf")
            r = run(tz_bin(), "report", "notice", *self.srv.store_args(), "--item", it["code"],
                    "--out", nout, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(api_no, r.stdout.decode())
            self.assertIn(api_no, flat(pdf_text(read(nout))))
            # user errors exit 1 with one line, usage 2
            r = run(tz_bin(), "report", "bulletin", *self.srv.store_args(), "--from", "2026-02-30",
                    "--out", os.path.join(d, "x.pdf"), env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn(b"'from' must be a date", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(d, "x.pdf")))
            r = run(tz_bin(), "report", "notice", *self.srv.store_args(), "--item", "ZG-1999-0001",
                    env=env)
            self.assertEqual(r.returncode, 1)
            # without the CJK fonts: a clear error naming the package, and no file
            conf = os.path.join(d, "fonts.conf")
            with open(conf, "w") as fc:
                fc.write('<?xml version="1.0"?><fontconfig><dir>%s/none</dir>'
                         '<cachedir>%s/cache</cachedir></fontconfig>' % (d, d))
            nofont = dict(env, FONTCONFIG_FILE=conf)
            r = run(tz_bin(), "report", "bulletin", *self.srv.store_args(), "--out",
                    os.path.join(d, "y.pdf"), env=nofont)
            self.assertEqual(r.returncode, 1)
            self.assertIn("install the Debian package fonts-noto-cjk", r.stderr.decode())
            self.assertFalse(os.path.exists(os.path.join(d, "y.pdf")))
            for args in (["report"], ["report", "notice"], ["report", "bulletin", "--item", "1"],
                         ["report", "poster"]):
                r = run(tz_bin(), *args, *self.srv.store_args(), env=env)
                self.assertEqual(r.returncode, 2, args)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    main()
