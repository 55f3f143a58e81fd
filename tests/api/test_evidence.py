#!/usr/bin/env python3
"""Evidence (佐证材料, SPEC 2.6): upload answers, accepted types and magic,
415, 413 with nothing stored, download headers with a Chinese name,
content-addressed storage, uploads only while open."""
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


def upload_path(item_id, name):
    return API + "/items/%s/attachments?name=%s" % (item_id, urllib.parse.quote(name))


class EvidenceTest(h.TzCase):
    USERS = ("sup", "zmgr", "zstaff", "sstaff", "viewer", "lead")

    def setUp(self):
        self.it = self.to_in_progress()

    def post_file(self, data, ctype, name="file.bin", token=None, item=None):
        return self.c.request("POST", upload_path((item or self.it)["id"], name), raw=data, content_type=ctype,
                              token=token or self.T["zstaff"])

    def test_upload_201_fields(self):
        data = h.PNG + b"fields"
        ev0 = len(self.events(self.it["id"]))
        r = self.post_file(data, h.CT_PNG, name="整改后照片.png")
        self.assertStatus(r, 201)
        j = r.json
        for k in ("id", "name", "size", "content_type", "digest", "uploaded_by", "uploaded_at"):
            self.assertIn(k, j)
        self.assertEqual(j["name"], "整改后照片.png")
        self.assertEqual(j["size"], len(data))
        self.assertEqual(j["content_type"], h.CT_PNG)
        self.assertEqual(j["digest"], h.sha256_hex(data))
        self.assertRegex(j["digest"], r"^[0-9a-f]{64}$")
        self.assertIsNotNone(j["uploaded_by"])
        self.assertTrue(str(j["uploaded_at"]).startswith(h.DEFAULT_TODAY), j["uploaded_at"])
        it = self.get_item(self.it["id"])
        self.assertEqual(it["version"], self.it["version"] + 1)
        self.assertEqual(len(it["attachments"]), 1)
        a = it["attachments"][0]
        for k in ("id", "name", "size", "content_type", "digest", "uploaded_by", "uploaded_at"):
            self.assertEqual(a[k], j[k], k)
        evs = self.events(self.it["id"])
        self.assertEqual(len(evs), ev0 + 1)
        self.assertEqual(evs[-1]["action"], "attach")
        self.assertEqual(evs[-1]["actor"]["username"], "zstaff")

    def test_all_accepted_types(self):
        cases = [(h.PNG, h.CT_PNG, "a.png"), (h.JPEG, h.CT_JPEG, "b.jpg"), (h.PDF, h.CT_PDF, "c.pdf"),
                 (h.OLE, h.CT_DOC, "d.doc"), (h.ZIP, h.CT_DOCX, "e.docx"), (h.OLE + b"x", h.CT_XLS, "f.xls"),
                 (h.ZIP + b"x", h.CT_XLSX, "g.xlsx"), (h.ZIP + b"ofd", h.CT_OFD, "h.ofd")]
        for data, ct, name in cases:
            r = self.post_file(data, ct, name=name)
            self.assertStatus(r, 201, msg=ct)
            self.assertEqual(r.json["content_type"], ct)
        self.assertEqual(len(self.get_item(self.it["id"])["attachments"]), len(cases))

    def _assert_refused_415(self, data, ctype, name):
        before = self.srv.files_on_disk()
        r = self.post_file(data, ctype, name=name)
        self.assertError(r, 415, "unsupported_media_type", msg="%s %s" % (ctype, name))
        self.assertEqual(self.srv.files_on_disk(), before)
        now = self.get_item(self.it["id"])
        self.assertEqual(now["version"], self.it["version"])
        self.assertEqual(now["attachments"], [])

    def test_415_other_types(self):
        self._assert_refused_415(h.GIF, "image/gif", "a.gif")
        self._assert_refused_415(b"hello", "text/plain", "a.txt")
        self._assert_refused_415(b"<html></html>", "text/html", "a.html")
        self._assert_refused_415(b"MZ\x90\x00", "application/octet-stream", "a.exe")
        self._assert_refused_415(h.PNG, None, "no-type.png")

    def test_415_magic_mismatch(self):
        self._assert_refused_415(h.JPEG, h.CT_PNG, "jpeg-as.png")
        self._assert_refused_415(h.PNG, h.CT_JPEG, "png-as.jpg")
        self._assert_refused_415(h.ZIP, h.CT_PDF, "zip-as.pdf")
        self._assert_refused_415(h.OLE, h.CT_DOCX, "ole-as.docx")
        self._assert_refused_415(h.ZIP, h.CT_DOC, "zip-as.doc")
        self._assert_refused_415(h.PDF, h.CT_XLSX, "pdf-as.xlsx")
        self._assert_refused_415(h.GIF, h.CT_PNG, "gif-as.png")
        self._assert_refused_415(b"%PDF", h.CT_OFD, "pdf-as.ofd")
        self._assert_refused_415(b"\x89PN", h.CT_PNG, "short.png")

    def test_download_headers_and_bytes(self):
        data = h.PDF + "整改报告".encode("utf-8")
        name = "城东区整改报告（第1批）.pdf"
        att = self.upload(self.it["id"], data=data, ctype=h.CT_PDF, name=name, token=self.T["zstaff"])
        r = self.c.get(API + "/attachments/%s" % att["id"], token=self.T["zmgr"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, data)
        self.assertEqual((r.header("Content-Type") or "").split(";")[0].strip(), h.CT_PDF)
        cd = r.header("Content-Disposition") or ""
        self.assertTrue(cd.startswith("attachment"), cd)
        m = re.search(r"filename\*=UTF-8''([^;\s]+)", cd)
        self.assertIsNotNone(m, cd)
        self.assertEqual(urllib.parse.unquote(m.group(1), encoding="utf-8", errors="strict"), name)
        # the header itself stays ASCII
        cd.encode("ascii")

    def test_download_png_by_viewer_and_leader(self):
        data = h.PNG + b"viewer-dl"
        att = self.upload(self.it["id"], data=data, name="照片 1.png", token=self.T["sup"])
        for u in ("viewer", "lead", "sup"):
            r = self.c.get(API + "/attachments/%s" % att["id"], token=self.T[u])
            self.assertEqual(r.status, 200, "%s %r" % (u, r))
            self.assertEqual(r.body, data)
            self.assertEqual((r.header("Content-Type") or "").split(";")[0].strip(), h.CT_PNG)
        r = self.c.get(API + "/attachments/%s" % att["id"], token=self.T["sstaff"])
        self.assertError(r, 404, "not_found")

    def test_name_with_quotes_gives_well_formed_header(self):
        name = 'a"b;c d.png'
        att = self.upload(self.it["id"], data=h.PNG + b"weird", name=name, token=self.T["zstaff"])
        d = self.c.get(API + "/attachments/%s" % att["id"], token=self.T["zstaff"])
        self.assertEqual(d.status, 200)
        cd = d.header("Content-Disposition") or ""
        m = re.search(r"filename\*=UTF-8''([^;\s]+)", cd)
        self.assertIsNotNone(m, cd)
        self.assertNotIn('"', m.group(1))
        self.assertEqual(urllib.parse.unquote(m.group(1)), name)

    def test_dedup_on_disk(self):
        data = h.JPEG + b"same bytes twice"
        before = self.srv.files_on_disk()
        a = self.upload(self.it["id"], data=data, ctype=h.CT_JPEG, name="一.jpg", token=self.T["zstaff"])
        mid = self.srv.files_on_disk()
        self.assertEqual(len(mid), len(before) + 1, "one new file on disk")
        other = self.to_in_progress()
        b = self.upload(other["id"], data=data, ctype=h.CT_JPEG, name="二.jpg", token=self.T["zstaff"])
        after = self.srv.files_on_disk()
        self.assertEqual(after, mid, "same bytes are stored once")
        self.assertEqual(a["digest"], b["digest"])
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(b["name"], "二.jpg")
        new = [p for p in mid if p not in before]
        with open(new[0], "rb") as f:
            self.assertEqual(f.read(), data, "stored file holds the bytes as uploaded")
        r = self.c.get(API + "/attachments/%s" % b["id"], token=self.T["zstaff"])
        self.assertEqual(r.body, data)
        cd = r.header("Content-Disposition") or ""
        self.assertIn(urllib.parse.quote("二.jpg"), cd)

    def test_stored_under_files_dir(self):
        data = h.PDF + b"where"
        before = self.srv.files_on_disk()
        self.upload(self.it["id"], data=data, ctype=h.CT_PDF, name="w.pdf")
        after = self.srv.files_on_disk()
        self.assertEqual(len(after), len(before) + 1)

    def test_upload_on_closed_409(self):
        it = self.to_closed()
        before = self.srv.files_on_disk()
        r = self.post_file(h.PNG + b"closed", h.CT_PNG, name="late.png", item=it, token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        r = self.post_file(h.PNG + b"closed", h.CT_PNG, name="late.png", item=it, token=self.T["zstaff"])
        self.assertError(r, 409, "invalid_transition")
        self.assertEqual(self.srv.files_on_disk(), before)
        self.assertEqual(self.get_item(it["id"])["version"], it["version"])

    def test_upload_on_draft_and_cancelled_409(self):
        d = self.create_item(title="草稿上传")
        r = self.post_file(h.PNG + b"draft", h.CT_PNG, item=d, token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")
        c = self.act(self.act(self.create_item(title="撤销上传"), "assign"), "cancel", comment="撤销")
        r = self.post_file(h.PNG + b"cancelled", h.CT_PNG, item=c, token=self.T["sup"])
        self.assertError(r, 409, "invalid_transition")

    def test_upload_allowed_in_assigned_submitted_ongoing(self):
        a = self.act(self.create_item(title="已交办上传"), "assign")
        self.assertStatus(self.post_file(h.PNG + b"assigned", h.CT_PNG, item=a), 201)
        s = self.to_submitted()
        self.assertStatus(self.post_file(h.PNG + b"submitted", h.CT_PNG, item=s), 201)
        o = self.act(self.get_item(s["id"]), "keep_ongoing", comment="长期坚持", report_every_days=30)
        self.assertStatus(self.post_file(h.PNG + b"ongoing", h.CT_PNG, item=o), 201)

    def test_who_may_upload(self):
        self.assertError(self.post_file(h.PNG + b"v", h.CT_PNG, token=self.T["viewer"]), 403, "forbidden")
        self.assertError(self.post_file(h.PNG + b"l", h.CT_PNG, token=self.T["lead"]), 403, "forbidden")
        self.assertError(self.post_file(h.PNG + b"s", h.CT_PNG, token=self.T["sstaff"]), 404, "not_found")
        self.assertStatus(self.post_file(h.PNG + b"m", h.CT_PNG, token=self.T["zmgr"]), 201)
        self.assertStatus(self.post_file(h.PNG + b"p", h.CT_PNG, token=self.T["sup"]), 201)

    def test_co_unit_staff_may_upload(self):
        it = self.create_item(title="配合上传", lead_unit_id=self.U["STJ"], co_unit_ids=[self.U["ZJJ"]])
        it = self.act(it, "assign")
        self.assertStatus(self.post_file(h.PNG + b"co", h.CT_PNG, item=it, token=self.T["zstaff"]), 201)

    def test_upload_unknown_item_404(self):
        r = self.c.request("POST", upload_path(99999999, "x.png"), raw=h.PNG, content_type=h.CT_PNG,
                           token=self.T["sup"])
        self.assertError(r, 404, "not_found")


class UploadCapTest(h.TzCase):
    USERS = ("sup", "zstaff")
    SERVER_ARGS = ["--max-upload", "65536"]

    def test_413_over_cap_nothing_stored(self):
        it = self.to_in_progress()
        ev0 = len(self.events(it["id"]))
        before = self.srv.files_on_disk()
        data = h.PNG + b"\x00" * (65537 - len(h.PNG))
        self.assertEqual(len(data), 65537)
        r = self.c.request("POST", upload_path(it["id"], "大图.png"), raw=data, content_type=h.CT_PNG,
                           token=self.T["zstaff"])
        self.assertError(r, 413, "too_large")
        self.assertEqual(self.srv.files_on_disk(), before, "a refused upload left a file")
        now = self.get_item(it["id"])
        self.assertEqual(now["attachments"], [])
        self.assertEqual(now["version"], it["version"])
        self.assertEqual(len(self.events(it["id"])), ev0)

    def test_413_much_larger(self):
        it = self.to_in_progress()
        before = self.srv.files_on_disk()
        data = h.PDF + b"\x00" * (3 * 1024 * 1024)
        head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n" % (
                    upload_path(it["id"], "big.pdf"), self.T["zstaff"], h.CT_PDF, len(data))).encode()
        r = self.c.raw_exchange(head, [data[i:i + 65536] for i in range(0, len(data), 65536)])
        self.assertError(r, 413, "too_large")
        self.assertEqual(self.srv.files_on_disk(), before)
        self.assertEqual(self.get_item(it["id"])["attachments"], [])

    def test_exactly_cap_is_accepted(self):
        it = self.to_in_progress()
        data = h.PNG + b"\x01" * (65536 - len(h.PNG))
        r = self.c.request("POST", upload_path(it["id"], "刚好.png"), raw=data, content_type=h.CT_PNG,
                           token=self.T["zstaff"])
        self.assertStatus(r, 201)
        self.assertEqual(r.json["size"], 65536)
        d = self.c.get(API + "/attachments/%s" % r.json["id"], token=self.T["zstaff"])
        self.assertEqual(d.body, data)


if __name__ == "__main__":
    h.main()
