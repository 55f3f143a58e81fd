#!/usr/bin/env python3
"""Notifications (docs/DECISIONS.md, Notifications): robot channels per unit
(WeCom, DingTalk with 加签, a generic webhook signed with HMAC), the outbox
and its sender thread (retries with backoff, dead letters, nothing sent
twice, nothing lost over a restart), 催办/督办 sent at once, the daily digest,
and the admin API (403 for others, secrets masked, URLs checked).

Every robot here is a Receiver: a python http.server on 127.0.0.1 in a thread
that records each request and answers what the test tells it to. No test
reaches beyond the loopback address."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tzharness as h  # noqa: E402
from tzharness import API  # noqa: E402

WAIT = 20  # seconds: the longest a delivery may take here (poll 1 s, backoff 1 s)


class Receiver:
    """A robot on loopback. answers: a list of (status, body) used in turn; when
    it runs out, `default` answers. Every request is recorded with its path,
    query, headers and body."""

    def __init__(self, default=(200, {"errcode": 0, "errmsg": "ok"}), port=0):
        self.requests = []
        self.answers = []
        self.default = default
        self.cv = threading.Condition()
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n)
                u = urllib.parse.urlsplit(self.path)
                with rec.cv:
                    status, answer = rec.answers.pop(0) if rec.answers else rec.default
                    rec.requests.append({
                        "path": u.path, "query": urllib.parse.parse_qs(u.query),
                        "raw_query": u.query, "headers": dict(self.headers.items()),
                        "body": body, "json": json.loads(body.decode("utf-8")),
                        "answered": status})
                    rec.cv.notify_all()
                data = json.dumps(answer).encode() if not isinstance(answer, bytes) else answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def on(self, path):
        """The requests received on one path."""
        with self.cv:
            return [r for r in self.requests if r["path"] == path]

    def wait(self, path, n, timeout=WAIT):
        """Waits until at least n requests arrived on path; returns them."""
        deadline = time.time() + timeout
        with self.cv:
            while True:
                got = [r for r in self.requests if r["path"] == path]
                if len(got) >= n or time.time() > deadline:
                    return got
                self.cv.wait(deadline - time.time())

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def dingtalk_sign(secret, ts):
    """DingTalk's 加签, computed here independently of the server."""
    mac = hmac.new(secret.encode(), ("%s\n%s" % (ts, secret)).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class NotifyBase(h.TzCase):
    USERS = ("sup", "lead", "zmgr", "zstaff", "sstaff", "dstaff", "auditor")
    SERVER_ARGS = ["--notify-at", "off", "--notify-backoff", "1,1,1"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = Receiver()

    @classmethod
    def tearDownClass(cls):
        cls.rx.close()
        super().tearDownClass()

    def add_channel(self, expect=201, **kw):
        body = {"unit_id": self.U["ZJJ"], "kind": "wecom", "name": "住建局工作群"}
        body.update(kw)
        r = self.c.post(API + "/notify/channels", body, token=self.T["admin"])
        self.assertStatus(r, expect, msg="add channel")
        return r.json

    def outbox(self, state=None):
        q = "?state=" + state if state else ""
        r = self.c.get(API + "/notify/outbox" + q, token=self.T["admin"])
        self.assertStatus(r, 200)
        return r.json["messages"]

    def message(self, mid):
        for m in self.outbox():
            if m["id"] == mid:
                return m
        self.fail("message %s not in the outbox" % mid)

    def wait_state(self, pred, what, timeout=WAIT):
        """Waits until one outbox message satisfies pred; returns it."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for m in self.outbox():
                if pred(m):
                    return m
            time.sleep(0.2)  # polling the API: there is no event to wait on
        self.fail("no outbox message became %s: %r" % (what, self.outbox()))


class ChannelsTest(NotifyBase):
    def test_00_admin_only(self):
        ch = self.add_channel(url=self.rx.url("/a/send?key=k"))
        for who in ("sup", "zmgr", "lead", "auditor"):
            tok = self.T[who]
            for method, path, body in [
                    ("GET", "/notify/channels", None),
                    ("POST", "/notify/channels", {"unit_id": self.U["ZJJ"], "kind": "wecom",
                                                  "name": "x", "url": "http://127.0.0.1/"}),
                    ("PATCH", "/notify/channels/%d" % ch["id"], {"name": "y"}),
                    ("DELETE", "/notify/channels/%d" % ch["id"], None),
                    ("POST", "/notify/channels/%d/test" % ch["id"], None),
                    ("GET", "/notify/outbox", None),
                    ("GET", "/notify/dead", None),
                    ("POST", "/notify/dead/1/retry", None),
                    ("POST", "/notify/daily/run", None)]:
                r = self.c.request(method, API + path, body=body, token=tok)
                self.assertStatus(r, 403, code="forbidden", msg="%s %s as %s" % (method, path, who))
        r = self.c.get(API + "/notify/channels")
        self.assertStatus(r, 401)
        self.assertEqual(self.c.get(API + "/notify/channels/%d" % ch["id"],
                                    token=self.T["admin"]).status, 405)
        r = self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])
        self.assertStatus(r, 204)

    def test_01_validation(self):
        bad = [
            ({"url": "ftp://127.0.0.1/x"}, "url"),
            ({"url": "javascript:alert(1)"}, "url"),
            ({"url": "http:///nohost"}, "url"),
            ({"url": "http://127.0.0.1/a b"}, "url"),
            ({"url": "127.0.0.1/robot"}, "url"),
            ({"url": "http://127.0.0.1/", "kind": "slack"}, "kind"),
            ({"url": "http://127.0.0.1/", "unit_id": 999999}, "unit_id"),
            ({"url": "http://127.0.0.1/", "msgtype": "card"}, "msgtype"),
            ({"url": "http://127.0.0.1/", "name": ""}, "name"),
            ({}, "url"),
        ]
        before = len(self.c.get(API + "/notify/channels", token=self.T["admin"]).json["channels"])
        for extra, field in bad:
            r = self.c.post(API + "/notify/channels",
                            dict({"unit_id": self.U["ZJJ"], "kind": "wecom", "name": "群"}, **extra),
                            token=self.T["admin"])
            self.assertStatus(r, 422, code="validation_failed", field=field, msg=repr(extra))
        r = self.c.post(API + "/notify/channels", {"unit_id": self.U["ZJJ"], "kind": "wecom",
                                                   "name": "群", "url": "http://127.0.0.1/",
                                                   "colour": "red"}, token=self.T["admin"])
        self.assertStatus(r, 422)
        after = len(self.c.get(API + "/notify/channels", token=self.T["admin"]).json["channels"])
        self.assertEqual(before, after, "bad input writes nothing")
        ch = self.add_channel(url="https://qyapi.example.invalid/x?key=abc")
        r = self.c.patch(API + "/notify/channels/%d" % ch["id"], {"url": "file:///etc/passwd"},
                         token=self.T["admin"])
        self.assertStatus(r, 422, field="url")
        r = self.c.patch(API + "/notify/channels/999999", {"name": "x"}, token=self.T["admin"])
        self.assertStatus(r, 404)
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])

    def test_02_secrets_masked(self):
        key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
        token = "1a2b3c4d5e6f7a8b9c0d"
        secret = "SEC0123456789abcdef"
        wc = self.add_channel(url=self.rx.url("/cgi-bin/webhook/send?key=" + key))
        dt = self.add_channel(unit_id=self.U["STJ"], kind="dingtalk", name="生态环境局群",
                              url=self.rx.url("/robot/send?access_token=" + token), secret=secret)
        self.assertEqual(wc["url"], self.rx.url("/cgi-bin/webhook/send?key=693a****"))
        self.assertFalse(wc["has_secret"])
        self.assertEqual(dt["url"], self.rx.url("/robot/send?access_token=1a2b****"))
        self.assertTrue(dt["has_secret"])
        self.assertEqual(dt["unit_name"], "生态环境局")
        r = self.c.get(API + "/notify/channels", token=self.T["admin"])
        text = r.body.decode("utf-8")
        for s in (key, token, secret):
            self.assertNotIn(s, text)
        self.assertNotIn("secret\"", text.replace("has_secret\"", ""))
        # a change without the secret keeps it; "" clears it
        r = self.c.patch(API + "/notify/channels/%d" % dt["id"], {"name": "生态群"},
                         token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertTrue(r.json["has_secret"])
        self.assertEqual(r.json["name"], "生态群")
        r = self.c.patch(API + "/notify/channels/%d" % dt["id"], {"secret": ""},
                         token=self.T["admin"])
        self.assertFalse(r.json["has_secret"])
        # changes are audited, without the key
        r = self.c.get(API + "/audit?limit=1000", token=self.T["auditor"])
        self.assertStatus(r, 200)
        entries = [e for e in r.json["entries"] if e["action"].startswith("notify.channel")]
        self.assertGreaterEqual(len([e for e in entries if e["action"] == "notify.channel.create"]), 2)
        self.assertTrue(any(e["action"] == "notify.channel.update" for e in entries))
        self.assertNotIn(key, json.dumps(r.json, ensure_ascii=False))
        self.assertNotIn(secret, json.dumps(r.json, ensure_ascii=False))
        for c in (wc, dt):
            self.c.request("DELETE", API + "/notify/channels/%d" % c["id"], token=self.T["admin"])


class DeliveryTest(NotifyBase):
    def test_10_remind_reaches_the_lead_units_wecom_group(self):
        ch = self.add_channel(url=self.rx.url("/wecom1/send?key=abc123"))
        other = self.add_channel(unit_id=self.U["STJ"], url=self.rx.url("/wecom-stj/send?key=x"))
        it = self.create_item(title="老旧小区改造进度滞后", deadline="2026-12-02")
        it = self.act(it, "assign", comment="请住建局牵头")
        self.assertEqual(self.rx.on("/wecom1/send"), [], "an assignment sends nothing")
        it = self.act(it, "remind", comment="请于本周内报送进展")
        got = self.rx.wait("/wecom1/send", 1)
        self.assertEqual(len(got), 1, got)
        req = got[0]
        self.assertEqual(req["query"], {"key": ["abc123"]})
        self.assertTrue(req["headers"]["Content-Type"].startswith("application/json"))
        self.assertEqual(req["json"]["msgtype"], "markdown")
        self.assertEqual(set(req["json"]), {"msgtype", "markdown"})
        md = req["json"]["markdown"]["content"]
        for s in ("催办", it["code"], "老旧小区改造进度滞后", "2026年12月2日", "请于本周内报送进展",
                  "测试sup", "住建局", "/#/items/%d" % it["id"]):
            self.assertIn(s, md)
        self.assertEqual(it["light"], "yellow")  # two working days before the deadline
        self.assertIn("状态灯：黄灯", md)
        m = self.wait_state(lambda m: m["item_id"] == it["id"] and m["state"] == "sent", "sent")
        self.assertEqual(m["attempts"], 1)
        self.assertEqual(m["event"], "remind")
        self.assertEqual(self.rx.on("/wecom-stj/send"), [], "other units hear nothing")
        # a text channel gets the same without Markdown
        self.c.patch(API + "/notify/channels/%d" % ch["id"], {"msgtype": "text"},
                     token=self.T["admin"])
        self.act(it, "remind", comment="再次催办")
        got = self.rx.wait("/wecom1/send", 2)
        self.assertEqual(len(got), 2)
        self.assertEqual(got[1]["json"]["msgtype"], "text")
        content = got[1]["json"]["text"]["content"]
        self.assertIn(it["code"], content)
        self.assertIn("再次催办", content)
        self.assertNotIn("**", content)
        # a refused action sends nothing
        r = self.act(it, "remind", token=self.T["zstaff"], expect=403)
        self.assertEqual(len(self.rx.on("/wecom1/send")), 2)
        for c in (ch, other):
            self.c.request("DELETE", API + "/notify/channels/%d" % c["id"], token=self.T["admin"])

    def test_11_supervise_reaches_dingtalk_signed(self):
        secret = "SECd8a1b2c3e4f5"
        ch = self.add_channel(unit_id=self.U["STJ"], kind="dingtalk", name="生态环境局群",
                              url=self.rx.url("/robot/send?access_token=tok42"), secret=secret)
        it = self.to_in_progress(lead="STJ", staff="sstaff", title="河道垃圾清理")
        t0 = int(time.time() * 1000)
        self.act(it, "supervise", comment="区领导督办，限期整改")
        got = self.rx.wait("/robot/send", 1)
        t1 = int(time.time() * 1000)
        self.assertEqual(len(got), 1)
        q = got[0]["query"]
        self.assertEqual(q["access_token"], ["tok42"])
        ts = q["timestamp"][0]
        self.assertTrue(t0 - 1000 <= int(ts) <= t1 + 1000, (t0, ts, t1))
        # parse_qs has URL-decoded the sign: compare with the plain base64
        self.assertEqual(q["sign"][0], dingtalk_sign(secret, ts))
        self.assertIn("sign=" + urllib.parse.quote_plus(dingtalk_sign(secret, ts)),
                      got[0]["raw_query"])
        body = got[0]["json"]
        self.assertEqual(body["msgtype"], "markdown")
        self.assertIn("督办", body["markdown"]["title"])
        self.assertIn(it["code"], body["markdown"]["title"])
        self.assertIn("区领导督办，限期整改", body["markdown"]["text"])
        self.wait_state(lambda m: m["item_id"] == it["id"] and m["event"] == "supervise" and
                        m["state"] == "sent", "sent")
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])

    def test_12_webhook_signed_with_hmac(self):
        secret = "whsec-5f1e"
        ch = self.add_channel(unit_id=self.U["DGJ"], kind="webhook", name="街道系统",
                              url=self.rx.url("/hook"), secret=secret)
        r = self.c.post(API + "/notify/channels/%d/test" % ch["id"], token=self.T["admin"])
        self.assertStatus(r, 202)
        mid = r.json["message_id"]
        got = self.rx.wait("/hook", 1)
        self.assertEqual(len(got), 1)
        hd = got[0]["headers"]
        ts = hd["X-Taizhang-Timestamp"]
        want = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + got[0]["body"],
                                    hashlib.sha256).hexdigest()
        self.assertEqual(hd["X-Taizhang-Signature"], want)
        self.assertEqual(hd["X-Taizhang-Delivery"], str(mid))
        self.assertEqual(hd["X-Taizhang-Event"], "test")
        self.assertLess(abs(int(ts) - time.time()), 60)
        j = got[0]["json"]
        self.assertEqual(j["id"], mid)
        self.assertEqual(j["event"], "test")
        self.assertEqual(j["unit"], "DGJ")
        self.assertIn("测试", j["title"])
        self.assertIn("街道系统", j["markdown"])
        self.assertIsNone(j["item_id"])
        # a tampered body would not verify
        bad = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + got[0]["body"] + b" ",
                                   hashlib.sha256).hexdigest()
        self.assertNotEqual(hd["X-Taizhang-Signature"], bad)
        self.wait_state(lambda m: m["id"] == mid and m["state"] == "sent", "sent")
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])

    def test_13_retried_then_delivered_once(self):
        ch = self.add_channel(url=self.rx.url("/flaky/send?key=f"))
        self.rx.answers += [(500, {"error": "busy"}), (503, {"error": "busy"})]
        r = self.c.post(API + "/notify/channels/%d/test" % ch["id"], token=self.T["admin"])
        mid = r.json["message_id"]
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "sent", "sent")
        self.assertEqual(m["attempts"], 3)
        self.assertIsNone(m["last_error"])
        got = self.rx.on("/flaky/send")
        self.assertEqual([g["answered"] for g in got], [500, 503, 200])
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])

    def test_14_errcode_in_a_200_is_a_failure(self):
        ch = self.add_channel(url=self.rx.url("/badkey/send?key=wrong"))
        self.rx.answers.append((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
        mid = self.c.post(API + "/notify/channels/%d/test" % ch["id"],
                          token=self.T["admin"]).json["message_id"]
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "dead", "dead")
        self.assertEqual(m["attempts"], 1, "a wrong key is not retried")
        self.assertIn("93000", m["last_error"])
        # a rate limit is retried
        self.rx.answers.append((200, {"errcode": 45009, "errmsg": "api freq out of limit"}))
        mid = self.c.post(API + "/notify/channels/%d/test" % ch["id"],
                          token=self.T["admin"]).json["message_id"]
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "sent", "sent")
        self.assertEqual(m["attempts"], 2)
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])

    def test_15_dead_letters_and_retry(self):
        ch = self.add_channel(url=self.rx.url("/down/send?key=d"))
        self.rx.answers += [(502, b"bad gateway")] * 4
        mid = self.c.post(API + "/notify/channels/%d/test" % ch["id"],
                          token=self.T["admin"]).json["message_id"]
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "dead", "dead")
        self.assertEqual(m["attempts"], 4, "three waits: four attempts")
        self.assertEqual(m["last_error"], "HTTP 502")
        r = self.c.get(API + "/notify/dead", token=self.T["admin"])
        self.assertStatus(r, 200)
        dead = [d for d in r.json["messages"] if d["id"] == mid]
        self.assertEqual(len(dead), 1)
        self.assertEqual(dead[0]["unit_name"], "住建局")
        self.assertEqual(len(self.rx.on("/down/send")), 4)
        r = self.c.post(API + "/notify/dead/%d/retry" % mid, token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["state"], "pending")
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "sent", "sent")
        self.assertEqual(m["attempts"], 1)
        self.assertEqual(len(self.rx.on("/down/send")), 5)
        r = self.c.post(API + "/notify/dead/%d/retry" % mid, token=self.T["admin"])
        self.assertStatus(r, 404, msg="only a dead letter is re-queued")
        r = self.c.get(API + "/notify/outbox?state=lost", token=self.T["admin"])
        self.assertStatus(r, 422, field="state")
        # a message whose channel was deleted dies at once
        self.rx.answers += [(500, {})]
        mid = self.c.post(API + "/notify/channels/%d/test" % ch["id"],
                          token=self.T["admin"]).json["message_id"]
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])
        m = self.wait_state(lambda m: m["id"] == mid and m["state"] == "dead", "dead")
        self.rx.answers.clear()


class RestartTest(NotifyBase):
    """Messages pending when the server stops are delivered after it starts again."""
    SERVER_ARGS = ["--notify-at", "off", "--notify-backoff", "3"]

    def test_20_pending_messages_survive_a_restart(self):
        # a port that refuses connections: bound, never listening
        hold = socket.socket()
        hold.bind(("127.0.0.1", 0))
        port = hold.getsockname()[1]
        ch = self.add_channel(url="http://127.0.0.1:%d/later/send?key=z" % port)
        it = self.to_in_progress(title="重启后送达")
        self.act(it, "remind", comment="重启前催办")
        m = self.wait_state(lambda m: m["item_id"] == it["id"] and m["attempts"] == 1 and
                            m["state"] == "pending", "pending after one failure")
        self.assertIn("127.0.0.1", m["last_error"] or "", m)
        self.restart()
        hold.close()
        rx = Receiver(port=port)
        try:
            m = self.wait_state(lambda m: m["item_id"] == it["id"] and m["state"] == "sent",
                                "sent after the restart")
            self.assertEqual(m["attempts"], 2)
            got = rx.wait("/later/send", 1)
            self.assertEqual(len(got), 1)
            self.assertIn("重启前催办", got[0]["json"]["markdown"]["content"])
            # one more restart sends nothing again
            self.restart()
            self.assertEqual(len(self.outbox("pending")), 0)
            self.assertEqual(len(rx.on("/later/send")), 1)
        finally:
            rx.close()
        self.c.request("DELETE", API + "/notify/channels/%d" % ch["id"], token=self.T["admin"])


class DailyDemoTest(h.TzCase):
    """The daily digest on the Chengdong demo at 2026-11-30 (red and yellow items)."""

    @classmethod
    def setUpClass(cls):
        cls.rx = Receiver()
        cls.srv = h.Server(name="daily")
        env = cls.srv.env()
        r = subprocess.run([h.tz_bin(), "demo"] + cls.srv.store_args(), env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("taizhang demo failed: %s" % r.stderr.decode("utf-8", "replace"))
        cls.srv.start(extra_args=["--notify-at", "off", "--notify-backoff", "1"])
        cls.c = cls.srv.client
        cls.T = {}
        for u in ("admin", "dcs"):
            r = cls.c.post(API + "/auth/login", {"username": u, "password": "Demo@2026"})
            assert r.status == 200, r
            cls.T[u] = r.json["token"]

    @classmethod
    def tearDownClass(cls):
        cls.rx.close()
        try:
            cls.srv.stop()
        finally:
            cls.srv.kill()

    def units_with(self, light):
        """{unit id: set of codes} of the open items with this light, as GET /items lists them."""
        out = {}
        page = 1
        while True:
            r = self.c.get(API + "/items?light=%s&status=assigned,in_progress&per_page=200&page=%d"
                           % (light, page), token=self.T["dcs"])
            self.assertStatus(r, 200)
            for it in r.json["items"]:
                out.setdefault(it["lead_unit_id"], []).append(it)
            if page * 200 >= r.json["total"]:
                return out
            page += 1

    def test_30_daily_digest(self):
        red, yellow = self.units_with("red"), self.units_with("yellow")
        busy = sorted(set(red) | set(yellow))
        self.assertGreaterEqual(len(busy), 2, "the demo has red and yellow items in several units")
        units = self.c.get(API + "/units", token=self.T["admin"]).json["units"]
        quiet = [u["id"] for u in units if u["id"] not in busy]
        self.assertTrue(quiet)
        chans = {}
        for uid in busy[:3] + quiet[:1]:
            r = self.c.post(API + "/notify/channels",
                            {"unit_id": uid, "kind": "wecom", "name": "群%d" % uid,
                             "url": self.rx.url("/daily/%d?key=k" % uid)}, token=self.T["admin"])
            self.assertStatus(r, 201)
            chans[uid] = r.json["id"]
        r = self.c.post(API + "/notify/daily/run", token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["day"], "2026-11-30")
        self.assertEqual(r.json["queued"], 3)
        for uid in busy[:3]:
            got = self.rx.wait("/daily/%d" % uid, 1)
            self.assertEqual(len(got), 1, uid)
            md = got[0]["json"]["markdown"]["content"]
            self.assertIn("2026年11月30日", md)
            overdue = [i for i in red.get(uid, []) if i["deadline"] and i["deadline"] < "2026-11-30"]
            soon = [i for i in red.get(uid, []) + yellow.get(uid, [])
                    if i["deadline"] and i["deadline"] >= "2026-11-30"]
            self.assertIn("逾期 **%d** 项，临期 **%d** 项" % (len(overdue), len(soon)), md)
            for i in (overdue + soon)[:5]:
                self.assertIn(i["code"], md)
        # a second run sends nothing new; a quiet unit got nothing
        r = self.c.post(API + "/notify/daily/run", token=self.T["admin"])
        self.assertStatus(r, 200)
        self.assertEqual(r.json["queued"], 0)
        msgs = self.c.get(API + "/notify/outbox", token=self.T["admin"]).json["messages"]
        self.assertEqual(len([m for m in msgs if m["event"] == "daily"]), 3)
        for uid in busy[:3]:
            self.assertEqual(len(self.rx.on("/daily/%d" % uid)), 1)
        self.assertEqual(self.rx.on("/daily/%d" % quiet[0]), [])

    def relogin(self):
        type(self).c = self.srv.client
        for u in ("admin", "dcs"):
            r = self.c.post(API + "/auth/login", {"username": u, "password": "Demo@2026"})
            self.assertStatus(r, 200)
            self.T[u] = r.json["token"]

    def sender_pass(self):
        """Waits for one full pass of the sender: a test message queued now is sent
        after the pass's daily check, which comes first in every pass."""
        chans = self.c.get(API + "/notify/channels", token=self.T["admin"]).json["channels"]
        r = self.c.post(API + "/notify/channels/%d/test" % chans[0]["id"], token=self.T["admin"])
        self.assertStatus(r, 202)
        mid = r.json["message_id"]
        deadline = time.time() + WAIT
        while time.time() < deadline:
            msgs = self.c.get(API + "/notify/outbox", token=self.T["admin"]).json["messages"]
            if any(m["id"] == mid and m["state"] == "sent" for m in msgs):
                return msgs
            time.sleep(0.2)  # polling the API: there is no event to wait on
        self.fail("the test message was not sent")

    def dailies(self, msgs, day):
        return [m for m in msgs if m["event"] == "daily" and m["dedupe_key"].endswith(day)]

    def test_31_scheduled_run_once_a_day_across_restarts(self):
        args = ["--notify-at", "00:00", "--notify-backoff", "1"]
        # 00:00 has passed whatever the time: a server catches up at once, once a day; today's
        # digest was written by the admin's run in test_30, so nothing new comes
        n_before = len(self.dailies(self.sender_pass(), "2026-11-30"))
        self.srv.restart(extra_args=args)
        self.relogin()
        self.assertEqual(len(self.dailies(self.sender_pass(), "2026-11-30")), n_before)
        # the next business day: one digest per busy unit, written by the scheduled job
        self.srv.restart(today="2026-12-01", extra_args=args)
        self.relogin()
        msgs = self.sender_pass()
        daily = self.dailies(msgs, "2026-12-01")
        self.assertEqual(len(daily), n_before)
        deadline = time.time() + WAIT
        while time.time() < deadline and not all(
                m["state"] == "sent" for m in self.dailies(
                    self.c.get(API + "/notify/outbox", token=self.T["admin"]).json["messages"],
                    "2026-12-01")):
            time.sleep(0.2)
        n_requests = len(self.rx.requests)
        # a restart the same day writes and sends nothing again
        self.srv.restart(today="2026-12-01", extra_args=args)
        self.relogin()
        msgs = self.sender_pass()
        self.assertEqual(len(self.dailies(msgs, "2026-12-01")), n_before)
        digests = [r for r in self.rx.requests if "每日提醒" in json.dumps(r["json"], ensure_ascii=False)]
        self.assertEqual(len(digests), 2 * n_before, "one digest per unit on each of two days")
        self.assertGreaterEqual(len(self.rx.requests), n_requests)

class TwoServersTest(NotifyBase):
    """Two servers on one database (issue 6's set-up, here with SQLite): each
    message is sent once, and the day's digest is written by one of them."""
    SERVER_ARGS = ["--notify-at", "off", "--notify-backoff", "1"]

    def test_40_two_senders_one_database(self):
        args = ["--notify-at", "00:00", "--notify-backoff", "1"]
        for unit in ("ZJJ", "STJ"):
            self.add_channel(unit_id=self.U[unit], name="群" + unit,
                             url=self.rx.url("/two/%s/send?key=k" % unit))
        zjj = self.to_in_progress(title="住建局临期事项", deadline="2026-12-01")
        stj = self.to_in_progress(title="生态局临期事项", deadline="2026-12-01", lead="STJ",
                                  staff="sstaff")
        self.assertEqual((zjj["light"], stj["light"]), ("yellow", "yellow"))
        # both servers start after 00:00 with nobody having run the day: they race for it
        self.srv.stop()
        second = h.Server(dirpath=self.srv.dir, name="second")
        try:
            self.srv.start(extra_args=args)
            second.start(extra_args=args)
            self.fx.relogin()
            type(self).c = self.srv.client
            other = second.client
            # reminders through both servers, each sent by whichever sender claims it
            for i in range(6):
                it = zjj if i % 2 == 0 else stj
                c = self.c if i < 3 else other
                ver = c.get(API + "/items/%d" % it["id"], token=self.T["sup"]).json["version"]
                r = c.post(API + "/items/%d/actions" % it["id"],
                           {"action": "remind", "version": ver, "comment": "第%d次催办" % i},
                           token=self.T["sup"])
                self.assertStatus(r, 200)
            for unit in ("ZJJ", "STJ"):
                self.rx.wait("/two/%s/send" % unit, 4)  # one digest and three reminders each
            deadline = time.time() + WAIT
            while time.time() < deadline and (self.outbox("pending") or self.outbox("sending")):
                time.sleep(0.2)  # polling the API: there is no event to wait on
            got = self.rx.on("/two/ZJJ/send") + self.rx.on("/two/STJ/send")
            texts = [r["json"]["markdown"]["content"] for r in got]
            for i in range(6):
                self.assertEqual(len([t for t in texts if "第%d次催办" % i in t]), 1, i)
            self.assertEqual(len([t for t in texts if "每日提醒" in t]), 2, texts)
            self.assertEqual(len(got), 8)
            self.assertTrue(all(m["attempts"] == 1 for m in self.outbox("sent")))
        finally:
            second.stop()
            second.kill()


if __name__ == "__main__":
    h.main()
