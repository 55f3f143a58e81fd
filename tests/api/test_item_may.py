#!/usr/bin/env python3
"""What an item says its reader may do beside the closed loop (`may`: upload
evidence, report a period of its series), checked against what the API then
accepts, and attachments asked for inline (?inline=1) for the UI's previews."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402


class ItemMayTest(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "viewer")

    def may(self, item_id, who):
        return self.get_item(item_id, token=self.T[who])["may"]

    def test_attach_follows_who_may_upload(self):
        draft = self.create_item()
        self.assertEqual(self.may(draft["id"], "sup"), {"attach": False, "series": False})
        it = self.to_in_progress()
        for who, allowed in (("sup", True), ("zmgr", True), ("zstaff", True), ("viewer", False),
                             ("lead", False)):
            self.assertEqual(self.may(it["id"], who)["attach"], allowed, who)
            self.upload(it["id"], token=self.T[who], expect=201 if allowed else 403)
        closed = self.to_closed()
        self.assertFalse(self.may(closed["id"], "zstaff")["attach"])
        self.upload(closed["id"], token=self.T["zstaff"], expect=409)

    def test_series_only_for_series_ledgers_and_their_reporters(self):
        ind = self.create_item(ledger="indicator", title="地区生产总值增长目标",
                               fields={"measure": "地区生产总值", "unit_of_measure": "%",
                                       "annual_target": 6.0, "target_kind": "增速"})
        ind = self.act(ind, "assign")
        for who, allowed in (("sup", True), ("zstaff", True), ("zmgr", True), ("viewer", False),
                             ("lead", False)):
            self.assertEqual(self.may(ind["id"], who)["series"], allowed, who)
        r = self.c.request("PUT", API + "/items/%s/series/2026-03" % ind["id"], {"yoy": 5.8},
                           token=self.T["zstaff"])
        self.assertStatus(r, 200)
        r = self.c.request("PUT", API + "/items/%s/series/2026-04" % ind["id"], {"yoy": 5.8},
                           token=self.T["viewer"])
        self.assertEqual(r.status, 403)
        plain = self.to_in_progress()
        self.assertFalse(self.may(plain["id"], "sup")["series"])
        self.act(ind, "cancel", comment="指标调整")
        self.assertFalse(self.may(ind["id"], "sup")["series"])

    def test_inline_only_when_asked_and_only_for_viewable_types(self):
        it = self.to_in_progress()
        png = self.upload(it["id"], name="现场.png", token=self.T["zstaff"])
        pdf = self.upload(it["id"], data=h.PDF + b"x", ctype=h.CT_PDF, name="报告.pdf",
                          token=self.T["zstaff"])
        doc = self.upload(it["id"], data=h.OLE, ctype=h.CT_DOC, name="说明.doc",
                          token=self.T["zstaff"])
        for att, inline in ((png, True), (pdf, True), (doc, False)):
            r = self.c.get(API + "/attachments/%s?inline=1" % att["id"], token=self.T["zstaff"])
            self.assertEqual(r.status, 200)
            cd = r.header("Content-Disposition") or ""
            self.assertTrue(cd.startswith("inline;" if inline else "attachment;"), cd)
            self.assertIn("filename*=UTF-8''", cd)
            r = self.c.get(API + "/attachments/%s" % att["id"], token=self.T["zstaff"])
            self.assertTrue((r.header("Content-Disposition") or "").startswith("attachment;"))
        r = self.c.get(API + "/attachments/%s?inline=1" % png["id"], token=self.T["sstaff"])
        self.assertError(r, 404, "not_found")


if __name__ == "__main__":
    h.main()
