#!/usr/bin/env python3
"""
import.py - the import benchmark (docs/PERFORMANCE.md, "Import"): `taizhang
import` of 100 000 rows, as .xlsx and as CSV (UTF-8 and GB18030), into a fresh
Chengdong demo database, each run under /usr/bin/time -v for wall time and
peak RSS; then the round trip: the 100 000 imported items exported and
imported back unchanged (every row compared, nothing written), and once more
with every title edited (100 000 PATCH-equivalent edits).

The files are written here with zipfile and XML strings in the export's layout
(title row, export line, header on row 3; inline strings; dates as serials
with a date style), so the figures do not depend on a spreadsheet program.

usage: bench/import.py [--bin build/taizhang] [--rows 100000] [--dir /tmp/tz-import-bench]
"""
import argparse
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = ["序号", "编号", "事项", "牵头单位", "配合单位", "责任领导", "办结时限", "状态", "亮灯",
          "进度", "问题来源", "来源批次/文号", "整改目标", "整改措施", "整改类型", "版本"]
WORDS = ["湟水河", "生态修复", "老旧小区", "改造", "排污口", "整治", "扬尘", "管控", "背街小巷",
         "提升", "供暖", "管网", "垃圾分类", "黑臭水体", "违建", "拆除", "消防通道", "畅通"]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def rows(n, units):
    base = datetime.date(2026, 12, 1)
    for i in range(n):
        title = "%s%s%s第%d项" % (WORDS[i % 18], WORDS[(i * 7) % 18], WORDS[(i * 5) % 18], i + 1)
        lead = units[i % len(units)]
        co = units[(i * 3 + 1) % len(units)] if i % 3 == 0 else ""
        due = base + datetime.timedelta(days=i % 400)
        yield [str(i + 1), "", title, lead, co, "张副区长", due, "", "", "0",
               "省委（专项）巡视反馈问题", "青巡反馈〔2026〕%d号" % (i % 50 + 1),
               "完成整改并建立长效机制", "一、排查摸底\n二、限期整改", "限期整改", ""]


def write_xlsx(path, n, units):
    def cell(r, c, v):
        ref = "%s%d" % (col(c), r)
        if isinstance(v, datetime.date):
            return '<c r="%s" s="1"><v>%d</v></c>' % (ref, (v - datetime.date(1899, 12, 30)).days)
        if v == "":
            return ""
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v))

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="台账" '
                   'sheetId="1" r:id="rId1"/></sheets></workbook>' % (MAIN_NS, REL_NS))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                   'Type="x"/></Relationships>')
        z.writestr("xl/styles.xml", '<styleSheet xmlns="%s"><cellXfs count="2"><xf numFmtId="0"/>'
                   '<xf numFmtId="14"/></cellXfs></styleSheet>' % MAIN_NS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(('<worksheet xmlns="%s"><sheetData>' % MAIN_NS).encode())
            f.write(('<row r="1">%s</row><row r="2">%s</row><row r="3">%s</row>' % (
                cell(1, 0, "督察巡视反馈问题整改台账"), cell(2, 0, "导出时间：2026-11-30"),
                "".join(cell(3, c, h) for c, h in enumerate(HEADER)))).encode())
            buf = []
            for i, values in enumerate(rows(n, units)):
                r = i + 4
                buf.append('<row r="%d">%s</row>' % (r, "".join(cell(r, c, v) for c, v in enumerate(values))))
                if len(buf) == 1000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write("".join(buf).encode())
            f.write(b"</sheetData></worksheet>")


def write_csv(path, n, units, encoding):
    def q(v):
        if isinstance(v, datetime.date):
            v = v.isoformat()
        return '"%s"' % v.replace('"', '""') if any(ch in v for ch in ',"\n') else v

    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(",".join(HEADER) + "\r\n")
        for values in rows(n, units):
            f.write(",".join(q(v) for v in values) + "\r\n")


def timed(label, args, env):
    """Runs args under /usr/bin/time -v; prints wall and CPU (user + system) seconds and peak RSS."""
    t = time.time()
    r = subprocess.run(["/usr/bin/time", "-v"] + args, env=env, capture_output=True)
    wall = time.time() - t
    err = r.stderr.decode("utf-8", "replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err))
    if r.returncode != 0:
        sys.exit("%s failed (%d): %s" % (label, r.returncode, err[-2000:]))
    out = r.stdout.decode("utf-8", "replace").strip()
    print("%-44s %7.2f s %7.2f s %8.1f MB   %s" % (label, wall, cpu, rss,
                                                 out.splitlines()[-1] if out else ""))
    return wall, rss, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "taizhang"))
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--dir", default="/tmp/tz-import-bench")
    a = ap.parse_args()
    shutil.rmtree(a.dir, ignore_errors=True)
    os.makedirs(a.dir)
    demo = json.load(open(os.path.join(ROOT, "data", "demo", "chengdong.json"), encoding="utf-8"))
    units = [u["name"] for u in demo["units"]][1:]
    env = dict(os.environ, TAIZHANG_TODAY="2026-11-30", TAIZHANG_IMPORT_MAX_ROWS="1000000",
               TAIZHANG_IMPORT_MAX_BYTES=str(200 << 20))
    files = {"xlsx": os.path.join(a.dir, "rows.xlsx"), "csv": os.path.join(a.dir, "rows.csv"),
             "gb": os.path.join(a.dir, "rows-gb18030.csv")}
    write_xlsx(files["xlsx"], a.rows, units)
    write_csv(files["csv"], a.rows, units, "utf-8")
    write_csv(files["gb"], a.rows, units, "gb18030")
    for k, p in files.items():
        print("%-8s %s  %.1f MB" % (k, p, os.path.getsize(p) / 1e6))

    def fresh_db(name):
        db = os.path.join(a.dir, name + ".db")
        subprocess.run([a.bin, "demo", "--db", db], env=env, check=True, capture_output=True)
        # the first open of a database backfills its search index: not the import's cost
        subprocess.run([a.bin, "export", "--db", db, "--ledger", "policy", "--out",
                        os.path.join(a.dir, "warm.xlsx")], env=env, check=True, capture_output=True)
        return db

    def imp(label, db, path, *extra):
        return timed(label, [a.bin, "import", "--db", db, "--ledger", "rectification", "--file",
                             path, "--as", "dcs"] + list(extra), env)

    print("\n%-44s %9s %9s %11s" % ("run", "wall", "CPU", "peak RSS"))
    db = fresh_db("xlsx")
    imp("xlsx %d rows, dry run" % a.rows, db, files["xlsx"], "--dry-run")
    imp("xlsx %d rows, creates" % a.rows, db, files["xlsx"])
    imp("csv UTF-8 %d rows, creates" % a.rows, fresh_db("csv"), files["csv"])
    imp("csv GB18030 %d rows, creates" % a.rows, fresh_db("gb"), files["gb"])
    # the round trip of the imported items
    out = os.path.join(a.dir, "export.xlsx")
    timed("export of the ledger (for the round trip)",
          [a.bin, "export", "--db", db, "--ledger", "rectification", "--out", out], env)
    imp("round trip, unchanged", db, out)
    edited = os.path.join(a.dir, "edited.xlsx")
    src = zipfile.ZipFile(out)
    with zipfile.ZipFile(edited, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                # the titles only ("…第N项"), not the header's 事项
                data = re.sub("(第[0-9]+项)</t>".encode(), "\\1（已核实）</t>".encode(), data)
            z.writestr(info, data)
    imp("round trip, every title edited", db, edited)


if __name__ == "__main__":
    main()
