"""
test_demo.py - the Chengdong demo and the issue's user story on it.

`taizhang demo` builds the database a new user gets from `make run`; then, with
the documented demo accounts, the supervision office assigns a draft
rectification item to 住建局, 住建局 staff sign for it, report, upload a photo,
the 住建局 manager submits, the supervisor verifies; the dashboard counts it as
closed on time and the audit chain is intact.
"""
import os
import subprocess
import sys
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import Server, main, tz_bin, PNG, CT_PNG, API  # noqa: E402
import unittest  # noqa: E402

DEMO_PASSWORD = "Demo@2026"
TODAY = "2026-11-30"


class DemoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(today=TODAY, name="demo")
        env = cls.srv.env()
        r = subprocess.run([tz_bin(), "demo", *cls.srv.store_args()], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
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

    def all_items(self, user):
        out, page = [], 1
        while True:
            r = self.c.get(API + "/items?per_page=200&page=%d" % page, token=self.token(user))
            self.assertEqual(r.status, 200, r)
            out += r.json["items"]
            if len(out) >= r.json["total"]:
                return out
            page += 1

    def test_every_role_signs_in(self):
        for user, role in [("admin", "admin"), ("auditor", "auditor"), ("leader", "leader"),
                           ("dcs", "supervisor"), ("zjj_mgr", "manager"),
                           ("zjj_staff", "staff")]:
            r = self.c.get(API + "/me", token=self.token(user))
            self.assertEqual(r.status, 200, r)
            self.assertIn(role, r.json["roles"])

    def test_demo_covers_every_ledger_state_and_light(self):
        items = self.all_items("leader")
        self.assertGreaterEqual(len(items), 60)
        ledgers = {i["ledger"] for i in items}
        self.assertEqual(len(ledgers), 10, ledgers)
        states = {i["status"] for i in items}
        for s in ("draft", "assigned", "in_progress", "submitted", "closed", "ongoing",
                  "cancelled", "registered"):
            self.assertIn(s, states)
        lights = {i["light"] for i in items}
        for light in ("none", "green", "yellow", "red", "done"):
            self.assertIn(light, lights)
        titles = " ".join(i["title"] for i in items)
        for work in ("湟水河", "曹家沟", "火车站南岸广场", "保交楼"):
            self.assertIn(work, titles)

    def test_ledger_rules_on_the_seed_works(self):
        items = {i["title"]: i for i in self.all_items("leader")}
        # risk points in the four official colours
        colours = {i["fields"].get("risk_color") for i in items.values() if i["ledger"] == "risk_point"}
        self.assertEqual(colours, {"red", "orange", "yellow", "blue"})
        # 曹家沟's section is still worse than its Ⅲ target after five months of samples
        cj = items["曹家沟（城东段）出境断面氨氮浓度超标"]
        self.assertEqual((cj["fields"]["water_class"], cj["fields"]["complies"]), ("Ⅳ类", False))
        self.assertEqual(cj["light"], "yellow")
        series = self.c.get(API + "/items/%d/series" % cj["id"], token=self.token("stj_staff")).json["series"]
        self.assertEqual([p["period"] for p in series], ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"])
        self.assertEqual(series[0]["evaluation"]["water_class"], "劣Ⅴ类")
        # the 湟水河 restoration project and its monitoring section are linked, both ways
        project = items["湟水河（城东段）生态保护修复工程"]
        track = items["湟水河（城东段）小峡桥断面水质跟踪评估"]
        self.assertEqual((project["links"], track["links"]), ([track["id"]], [project["id"]]))
        self.assertTrue(track["fields"]["complies"])
        # indicators judged against their pace: 固定资产投资 far behind its growth target
        fai = items["固定资产投资增长目标"]
        self.assertEqual((fai["fields"]["pace_light"], fai["light"]), ("red", "red"))
        self.assertIn("低于目标3.90个百分点", fai["fields"]["pace_reason"])
        # a project whose investment lags the time progress
        self.assertEqual(items["东关大街片区雨污分流改造工程"]["pace"]["light"], "yellow")
        # searching 生态修复 finds the restoration projects and the policies that mention it
        r = self.c.get(API + "/search?q=" + quote("生态修复"), token=self.token("leader"))
        found = {x["title"] for x in r.json["results"]}
        self.assertIn("湟水河（城东段）生态保护修复工程", found)
        self.assertIn("城东区湟水河流域生态保护修复实施方案（2026—2028年）", found)
        # petitions show their statutory clocks
        self.assertTrue(all(i["clocks"] for i in items.values() if i["ledger"] == "petition"))

    def test_unit_sees_only_its_items(self):
        zjj = [u for u in self.c.get(API + "/units", token=self.token("zjj_staff")).json["units"]
               if u["name"] == "区住房和城乡建设局" or u["code"] == "ZJJ"][0]
        mine = self.all_items("zjj_staff")
        self.assertTrue(mine)
        everyone = self.all_items("leader")
        self.assertLess(len(mine), len(everyone))
        for it in mine:
            if it["ledger"] == "policy":
                continue
            self.assertTrue(it["lead_unit_id"] == zjj["id"] or zjj["id"] in it["co_unit_ids"],
                            it["code"])
            self.assertNotEqual(it["status"], "draft")

    def test_closed_loop_story(self):
        units = self.c.get(API + "/units", token=self.token("dcs")).json["units"]
        zjj = [u for u in units if u["code"] == "ZJJ"][0]["id"]
        drafts = self.c.get(API + "/items?ledger=rectification&status=draft",
                            token=self.token("dcs")).json["items"]
        self.assertTrue(drafts, "the demo has a draft rectification item")
        item = drafts[0]
        r = self.c.patch(API + "/items/%d" % item["id"],
                         {"lead_unit_id": zjj, "deadline": "2026-12-31",
                          "version": item["version"]}, token=self.token("dcs"))
        self.assertEqual(r.status, 200, r)
        item = r.json

        def act(user, action, **kw):
            body = {"action": action, "version": item["version"]}
            body.update(kw)
            r = self.c.post(API + "/items/%d/actions" % item["id"], body, token=self.token(user))
            self.assertEqual(r.status, 200, r)
            return r.json

        before = self.c.get(API + "/dashboard", token=self.token("leader")).json["totals"]
        item = act("dcs", "assign")
        self.assertEqual(item["status"], "assigned")
        item = act("zjj_staff", "accept")
        item = act("zjj_staff", "report", comment="已完成整改，现场复核无问题", progress=100)
        r = self.c.post(API + "/items/%d/attachments?name=%s" % (item["id"], quote("整改后现场照片.png")),
                        raw=PNG, content_type=CT_PNG, token=self.token("zjj_staff"))
        self.assertEqual(r.status, 201, r)
        item = self.c.get(API + "/items/%d" % item["id"], token=self.token("zjj_mgr")).json
        item = act("zjj_mgr", "submit")
        item = act("dcs", "verify", comment="验收合格，同意销号")
        self.assertEqual(item["status"], "closed")
        self.assertTrue(item["on_time"])
        after = self.c.get(API + "/dashboard", token=self.token("leader")).json["totals"]
        self.assertEqual(after["closed"], before["closed"] + 1)
        r = self.c.get(API + "/audit/verify", token=self.token("auditor"))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["ok"], r.json)
        rc = subprocess.run([tz_bin(), "audit", "verify", *self.srv.store_args()],
                            stdout=subprocess.PIPE, timeout=60).returncode
        self.assertEqual(rc, 0)


if __name__ == "__main__":
    main()
