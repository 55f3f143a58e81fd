"""
test_stream.py - GET /api/v1/stream: the item changes a user may see arrive as
server-sent events within a second, changes out of the user's scope never do,
a reconnecting client resumes from Last-Event-ID, and the stream needs a session.
"""
import http.client
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import API, TzCase, main  # noqa: E402


class Stream:
    """A raw SSE client over a socket: the events as {id, event, data} dicts."""

    def __init__(self, port, token, last_id=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        head = "GET %s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" % API
        head += "Authorization: Bearer %s\r\n" % token
        if last_id is not None:
            head += "Last-Event-ID: %d\r\n" % last_id
        self.sock.sendall((head + "\r\n").encode())
        self.raw = b""
        while b"\r\n\r\n" not in self.raw:
            self.raw += self.sock.recv(4096)
        header, self.raw = self.raw.split(b"\r\n\r\n", 1)
        lines = header.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v for k, v in (l.split(": ", 1) for l in lines[1:])}
        self.body = b""

    def _dechunk(self):
        """Moves complete chunks from raw to body."""
        while b"\r\n" in self.raw:
            size_line, rest = self.raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            if len(rest) < size + 2:
                return
            self.body += rest[:size]
            self.raw = rest[size + 2:]

    def events(self, within):
        """Every complete event that arrives within `within` seconds."""
        out, deadline = [], time.monotonic() + within
        while True:
            self._dechunk()
            while b"\n\n" in self.body:
                block, self.body = self.body.split(b"\n\n", 1)
                ev = {"id": None, "event": "message", "data": None}
                for line in block.decode("utf-8").split("\n"):
                    if line.startswith("id: "):
                        ev["id"] = int(line[4:])
                    elif line.startswith("event: "):
                        ev["event"] = line[7:]
                    elif line.startswith("data: "):
                        ev["data"] = json.loads(line[6:])
                if ev["event"] != "message" or ev["data"] is not None:
                    out.append(ev)
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(4096)
            except (socket.timeout, TimeoutError):
                return out
            if not chunk:
                return out
            self.raw += chunk

    def close(self):
        self.sock.close()


class StreamTest(TzCase):
    def open(self, who, last_id=None):
        s = Stream(self.srv.port, self.T[who], last_id)
        self.addCleanup(s.close)
        self.assertEqual(s.status, 200)
        self.assertTrue(s.headers["content-type"].startswith("text/event-stream"))
        return s

    def test_visible_changes_arrive_within_a_second(self):
        sup, zj, st = self.open("sup"), self.open("zstaff"), self.open("sstaff")
        it = self.create_item(title="推送测试")
        t0 = time.monotonic()
        it = self.act(it, "assign")
        got = [e for e in zj.events(1.0) if e["event"] == "item"]
        self.assertLess(time.monotonic() - t0, 1.5)
        self.assertEqual([(e["data"]["id"], e["data"]["status"]) for e in got], [(it["id"], "assigned")],
                         "the lead unit hears the assignment, and not the draft before it")
        self.assertEqual(got[0]["data"]["code"], it["code"])
        sup_events = [e["data"]["status"] for e in sup.events(0.5) if e["event"] == "item"]
        self.assertEqual(sup_events, ["draft", "assigned"], "the supervisor sees the draft too")
        self.assertEqual([e for e in st.events(0.5) if e["event"] == "item"], [],
                         "another unit hears nothing of it")

    def test_resume_from_last_event_id(self):
        s = self.open("sup")
        a = self.create_item(title="第一件")
        first = [e for e in s.events(1.0) if e["event"] == "item"]
        self.assertEqual(len(first), 1)
        s.close()
        b = self.create_item(title="第二件")
        again = self.open("sup", last_id=first[0]["id"])
        ids = [e["data"]["id"] for e in again.events(1.0) if e["event"] == "item"]
        self.assertEqual(ids, [b["id"]], "only what happened after the last event seen")
        self.assertNotIn(a["id"], ids)

    def test_rejected_write_is_not_pushed(self):
        s = self.open("sup")
        it = self.create_item(title="冲突")
        s.events(0.5)
        self.act(it, "assign", version=it["version"] + 7, expect=409)
        self.assertEqual([e for e in s.events(0.5) if e["event"] == "item"], [])

    def test_open_streams_do_not_hold_the_server(self):
        streams = [self.open("viewer") for _ in range(24)]
        for st in streams:
            st.events(0.05)
        t0 = time.monotonic()
        r = self.c.get(API + "/me", token=self.T["sup"])
        self.assertEqual(r.status, 200)
        self.assertLess(time.monotonic() - t0, 1.0, "24 open streams must not queue other requests")
        it = self.create_item(title="多连接")
        self.assertEqual(r.status, 200)
        self.assertTrue(it["id"])

    def test_needs_a_session(self):
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=5)
        c.request("GET", API + "/stream")
        r = c.getresponse()
        self.assertEqual(r.status, 401)
        c.close()


if __name__ == "__main__":
    main()
