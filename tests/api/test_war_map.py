#!/usr/bin/env python3
"""What the war map (挂图作战) reads: GET /dashboard's grid (lead units x
ledgers), due (the next 5/10/30 working days) and twelve-month trend, each
matching the item lists it links to; GET /map/items (located items, scoped as
GET /items); GET|PUT|DELETE /map/boundary (the built-in approximate outline,
the administrator's own GeoJSON checked and audited). TAIZHANG_TODAY is
2026-11-30, a Monday."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402

OPEN = "assigned,in_progress,submitted,ongoing"


def square(lon, lat, d=0.01):
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


def collection(*rings):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "片区%d" % i},
         "geometry": {"type": "Polygon", "coordinates": [r]}} for i, r in enumerate(rings)]}


class DashboardWarMapTest(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "dstaff", "auditor")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c, T, U = cls.c, cls.T, cls.U

        def post(path, body, who="sup", status=200):
            r = c.post(API + path, body, token=T[who])
            assert r.status == status, (path, body, r)
            return r.json

        def act(it, action, who="sup", **kw):
            body = {"action": action, "version": it["version"]}
            body.update(kw)
            return post("/items/%s/actions" % it["id"], body, who=who)

        def mk(title, lead, deadline, ledger="rectification", assign=True, location=None,
               co=()):
            it = post("/items", {"ledger": ledger, "title": title, "lead_unit_id": U[lead],
                                 "deadline": deadline, "location": location,
                                 "co_unit_ids": [U[x] for x in co]}, status=201)
            return act(it, "assign") if assign else it

        loc = {"lat": 36.62, "lon": 101.80, "address": "东关大街"}
        I = {}
        I["late"] = mk("逾期整改", "ZJJ", "2026-11-20", location=loc)            # red
        I["d3"] = mk("三个工作日内", "ZJJ", "2026-12-03")                      # yellow, due in 5
        I["d5"] = mk("第五个工作日", "STJ", "2026-12-07", ledger="reform")      # due in 5 (edge)
        I["d6"] = mk("第六个工作日", "STJ", "2026-12-08")                      # due in 10
        I["d25"] = mk("一个月后", "DGJ", "2027-01-04", location=loc)           # due in 30
        I["far"] = mk("远期", "DGJ", "2027-06-30")                             # beyond 30
        I["today"] = mk("今天到期", "ZJJ", "2026-11-30", co=("STJ",))           # due today
        I["draft"] = mk("草稿", "ZJJ", "2026-12-02", assign=False, location=loc)
        g = mk("已销号", "ZJJ", "2026-12-15", ledger="reform",
               location={"lat": 36.61, "lon": 101.85, "address": "韵家口"})
        g = act(g, "accept", who="zstaff")
        g = act(g, "report", who="zstaff", comment="完成", progress=100)
        r = c.request("POST", API + "/items/%s/attachments?name=g.png" % g["id"], raw=h.PNG,
                      content_type=h.CT_PNG, token=T["zstaff"])
        assert r.status == 201, r
        g = c.get(API + "/items/%s" % g["id"], token=T["sup"]).json
        g = act(g, "submit", who="zmgr")
        I["closed"] = act(g, "verify", comment="合格")
        cls.I = I

    def dash(self, who="sup"):
        r = self.c.get(API + "/dashboard", token=self.T[who])
        self.assertStatus(r, 200)
        return r.json

    def total(self, query, who="sup"):
        return self.list_items(query + "&per_page=1", token=self.T[who])["total"]

    def test_existing_keys_stay(self):
        d = self.dash()
        for k in ("totals", "by_ledger", "by_unit", "today", "grid", "due", "trend"):
            self.assertIn(k, d)
        self.assertEqual(d["today"], "2026-11-30")

    def test_grid_adds_up_to_by_unit_and_by_ledger(self):
        d = self.dash()
        by_unit = {u["unit_id"]: u for u in d["by_unit"]}
        by_ledger = {b["ledger"]: b for b in d["by_ledger"]}
        sums_u, sums_l = {}, {}
        for cell in d["grid"]:
            self.assertEqual(cell["open"], cell["green"] + cell["yellow"] + cell["red"], cell)
            for sums, key in ((sums_u, cell["unit_id"]), (sums_l, cell["ledger"])):
                s = sums.setdefault(key, [0, 0, 0, 0, 0])
                for i, k in enumerate(("open", "green", "yellow", "red", "closed")):
                    s[i] += cell[k]
        for uid, s in sums_u.items():
            u = by_unit[uid]
            self.assertEqual(s[0], u["open"], uid)
            self.assertEqual(s[3], u["red"], uid)
            self.assertEqual(s[4], u["closed"], uid)
        for ledger, s in sums_l.items():
            b = by_ledger[ledger]
            self.assertEqual(s, [b["open"], b["green"], b["yellow"], b["red"], b["closed"]])

    def test_grid_cells_match_their_item_lists(self):
        d = self.dash()
        zjj = {c["ledger"]: c for c in d["grid"] if c["unit_id"] == self.U["ZJJ"]}
        rect = zjj["rectification"]
        self.assertEqual((rect["open"], rect["red"], rect["yellow"]), (3, 1, 2))
        self.assertEqual(zjj["reform"]["closed"], 1)
        for c in d["grid"]:
            base = "lead=%d&ledger=%s" % (c["unit_id"], c["ledger"])
            self.assertEqual(self.total(base + "&status=" + OPEN), c["open"], c)
            self.assertEqual(self.total(base + "&light=red"), c["red"], c)
            self.assertEqual(self.total(base + "&status=closed"), c["closed"], c)
        # the draft is in no cell
        self.assertFalse([c for c in d["grid"] if c["open"] + c["closed"] == 0])

    def test_due_windows_use_working_days(self):
        due = {w["working_days"]: w for w in self.dash()["due"]}
        self.assertEqual(sorted(due), [5, 10, 30])
        # 2026-11-30 is a Monday; the 5th working day after it is Monday 2026-12-07
        self.assertEqual(due[5]["before"], "2026-12-07")
        self.assertEqual(due[10]["before"], "2026-12-14")
        # no calendar data ships for 2027: Monday to Friday there (calendar_complete false)
        self.assertEqual(due[30]["before"], "2027-01-11")
        for w in due.values():
            self.assertEqual(w["from"], "2026-11-30")
        # today, d3, d5 | d6 | d25 ; never far, closed, the draft
        self.assertEqual((due[5]["count"], due[10]["count"], due[30]["count"]), (3, 4, 5))
        for w in due.values():
            q = "status=assigned,in_progress&due_after=%s&due_before=%s" % (w["from"], w["before"])
            self.assertEqual(self.total(q), w["count"], w)

    def test_trend_twelve_months_to_today(self):
        trend = self.dash()["trend"]
        self.assertEqual([m["month"] for m in trend][0], "2025-12")
        self.assertEqual([m["month"] for m in trend][-1], "2026-11")
        self.assertEqual(len(trend), 12)
        now = trend[-1]
        # assigned today: everything but the draft
        self.assertEqual(now["opened"], 8)
        self.assertEqual((now["closed"], now["closed_on_time"]), (1, 1))
        self.assertTrue(all(m["opened"] == 0 for m in trend[:-1]))

    def test_scoped_reader_sees_own_subtree(self):
        d = self.dash("dstaff")
        self.assertEqual({c["unit_id"] for c in d["grid"]}, {self.U["DGJ"]})
        due = {w["working_days"]: w["count"] for w in d["due"]}
        self.assertEqual((due[5], due[10], due[30]), (0, 0, 1))
        self.assertEqual(d["trend"][-1]["opened"], 2)
        s = self.dash("sstaff")
        # STJ leads d5, d6 and is a co-unit of "today"
        due = {w["working_days"]: w["count"] for w in s["due"]}
        self.assertEqual((due[5], due[10]), (2, 3))
        self.assertEqual(s["trend"][-1]["opened"], 3)

    # ---------------------------------------------------------------- map items
    def test_map_items_are_the_located_visible_items(self):
        r = self.c.get(API + "/map/items", token=self.T["sup"])
        self.assertStatus(r, 200)
        items = {it["code"]: it for it in r.json["items"]}
        self.assertFalse(r.json["truncated"])
        codes = {self.I[k]["code"] for k in ("late", "d25", "draft", "closed")}
        self.assertEqual(set(items), codes)
        late = items[self.I["late"]["code"]]
        self.assertEqual((late["lat"], late["lon"], late["light"], late["status"]),
                         (36.62, 101.80, "red", "assigned"))
        self.assertEqual(late["address"], "东关大街")
        self.assertEqual(late["lead_unit_id"], self.U["ZJJ"])
        for k in ("id", "code", "title", "ledger", "status", "light", "lat", "lon", "address",
                  "lead_unit_id"):
            self.assertIn(k, late)

    def test_map_items_scoped_as_items(self):
        for who, want in (("zstaff", {"late", "closed"}), ("dstaff", {"d25"}),
                          ("lead", {"late", "d25", "draft", "closed"})):
            r = self.c.get(API + "/map/items", token=self.T[who])
            self.assertStatus(r, 200)
            self.assertEqual({it["code"] for it in r.json["items"]},
                             {self.I[k]["code"] for k in want}, who)
        r = self.c.get(API + "/map/items", token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["items"], [])
        self.assertError(self.c.get(API + "/map/items"), 401, "unauthorized")


class DashboardFollowsWritesTest(h.TzCase):
    """The dashboard's answer is cached per data version: every write shows at once."""
    USERS = ("sup", "zstaff")

    def dash(self):
        r = self.c.get(API + "/dashboard", token=self.T["sup"])
        self.assertStatus(r, 200)
        return r.json

    def test_answer_follows_writes(self):
        before = self.dash()
        it = self.create_item(title="新交办", lead_unit_id=self.U["STJ"], deadline="2026-12-01")
        mid = self.dash()
        self.assertEqual(mid["totals"], before["totals"], "a draft counts nowhere")
        self.act(it, "assign")
        after = self.dash()
        self.assertEqual(after["totals"]["open"], before["totals"]["open"] + 1)
        self.assertEqual(after["due"][0]["count"], before["due"][0]["count"] + 1)
        self.assertEqual(after["trend"][-1]["opened"], before["trend"][-1]["opened"] + 1)
        self.act(it, "cancel", comment="重复交办")

    def test_trend_follows_objection(self):
        it = self.create_item(title="异议", lead_unit_id=self.U["ZJJ"], deadline="2026-12-20")
        base = self.dash()["trend"][-1]["opened"]
        it = self.act(it, "assign")
        self.assertEqual(self.dash()["trend"][-1]["opened"], base + 1)
        self.act(it, "object", token=self.T["zstaff"], comment="不属于本单位职责")
        self.assertEqual(self.dash()["trend"][-1]["opened"], base)


class BoundaryTest(h.TzCase):
    USERS = ("sup", "zstaff", "auditor")

    def put(self, body, who="admin", ctype="application/geo+json", raw=None):
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        return self.c.request("PUT", API + "/map/boundary", raw=data, content_type=ctype,
                              token=self.T[who])

    def get(self, who="zstaff"):
        r = self.c.get(API + "/map/boundary", token=self.T[who])
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type").startswith("application/geo+json"), r.headers)
        return r

    def test_builtin_outline_of_chengdong(self):
        r = self.get()
        self.assertEqual(r.header("X-Boundary-Source"), "builtin")
        doc = r.json
        self.assertEqual(doc["type"], "FeatureCollection")
        names = [f["properties"]["name"] for f in doc["features"]]
        self.assertIn("城东区（示意边界，非精确）", names)
        for town in ("韵家口镇", "乐家湾镇", "东关大街街道"):
            self.assertIn(town, names)
        lons = [p[0] for f in doc["features"] for p in f["geometry"]["coordinates"][0]]
        lats = [p[1] for f in doc["features"] for p in f["geometry"]["coordinates"][0]]
        self.assertTrue(101.76 < min(lons) and max(lons) < 101.94, (min(lons), max(lons)))
        self.assertTrue(36.53 < min(lats) and max(lats) < 36.67, (min(lats), max(lats)))
        self.assertError(self.c.get(API + "/map/boundary"), 401, "unauthorized")

    def test_only_admin_sets_it(self):
        doc = collection(square(101.8, 36.6))
        for who in ("sup", "zstaff", "auditor"):
            self.assertError(self.put(doc, who=who), 403, "forbidden", msg=who)
        r = self.c.request("DELETE", API + "/map/boundary", token=self.T["sup"])
        self.assertError(r, 403, "forbidden")
        self.assertEqual(self.get().header("X-Boundary-Source"), "builtin")

    def test_bad_boundaries_are_422_naming_the_part(self):
        cases = [
            ({"type": "Topology"}, "type"),
            ({"type": "FeatureCollection", "features": []}, "features"),
            ({"type": "FeatureCollection", "features": [
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [101.8, 36.6]}}]},
             "features[0].geometry.type"),
            (collection(square(101.8, 36.6), [[101.8, 36.6], [101.9, 36.6], [101.9, 36.7]]),
             "features[1].geometry.coordinates[0]"),
            (collection([[101.8, 36.6], [101.9, 36.6], [101.9, 36.7], [101.8, 36.7]]),
             "features[0].geometry.coordinates[0]"),
            (collection(square(-74.0, 40.7)), "features[0].geometry.coordinates[0][0]"),
            (collection(square(101.8, 36.6) + [["a", 36.6]]),
             "features[0].geometry.coordinates[0][5]"),
            ({"type": "Feature", "geometry": {"type": "MultiPolygon",
                                              "coordinates": [[square(101.8, 36.6)], [[]]]}},
             "feature.geometry.coordinates[1][0]"),
        ]
        for doc, field in cases:
            self.assertError(self.put(doc), 422, "validation_failed", field=field, msg=field)
        self.assertError(self.put(None, raw=b"{not json"), 400, "bad_request")
        self.assertError(self.put(collection(square(101.8, 36.6)), ctype="text/plain"), 415,
                         "unsupported_media_type")
        self.assertEqual(self.get().header("X-Boundary-Source"), "builtin")

    def test_upload_audit_and_reset(self):
        doc = collection(square(101.80, 36.60), square(101.82, 36.60))
        doc["features"].append({"type": "Feature", "properties": {"name": "多块"},
                                "geometry": {"type": "MultiPolygon", "coordinates": [
                                    [square(101.84, 36.60, 0.005)],
                                    [square(101.86, 36.60, 0.005)]]}})
        r = self.put(doc, ctype="application/json")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["source"], "uploaded")
        self.assertEqual(r.json["features"], 3)
        self.assertEqual([round(x, 3) for x in r.json["bbox"]], [101.8, 36.6, 101.865, 36.61])
        g = self.get()
        self.assertEqual(g.header("X-Boundary-Source"), "uploaded")
        self.assertEqual(g.json, doc)
        a = self.c.get(API + "/audit?limit=1000", token=self.T["auditor"]).json["entries"]
        ups = [e for e in a if e["action"] == "map.boundary.update"]
        self.assertEqual(len(ups), 1)
        self.assertEqual(ups[0]["target"], "map:boundary")
        self.assertIn('"features":3', json.dumps(ups[0]["detail"], separators=(",", ":"))
                      if not isinstance(ups[0]["detail"], str) else ups[0]["detail"])
        r = self.c.request("DELETE", API + "/map/boundary", token=self.T["admin"])
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.get().header("X-Boundary-Source"), "builtin")
        a = self.c.get(API + "/audit?limit=1000", token=self.T["auditor"]).json["entries"]
        self.assertTrue([e for e in a if e["action"] == "map.boundary.delete"])


if __name__ == "__main__":
    h.main()
