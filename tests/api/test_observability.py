"""
test_observability.py - what an operator watches: one log line per request
(method, path, status, milliseconds), Prometheus metrics by route and status
with a latency histogram and open items by light, and a clean shutdown that
still answers the request in flight when SIGTERM arrives.
"""
import os
import re
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, Client, main, API, PASSWORD  # noqa: E402


class ObservabilityTest(TzCase):
    def test_request_log_line(self):
        self.c.get(API + "/items/987654", token=self.T["sup"])
        time.sleep(0.2)
        errpath = self.srv.stderr_paths[-1][0]
        with open(errpath, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertRegex(log, r"GET /api/v1/items/987654 404 \d+\.\d+ms")

    def test_metrics_by_route_status_and_lights(self):
        for _ in range(3):
            self.c.get(API + "/items/987654", token=self.T["sup"])
        item = self.to_in_progress(deadline="2026-11-01")  # red at once
        r = self.c.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/plain"))
        text = r.body.decode()
        m = re.search(r'taizhang_http_requests_total\{method="GET",route="/api/v1/items/\{id\}",'
                      r'status="404"\} (\d+)', text)
        self.assertIsNotNone(m, text[:2000])
        self.assertGreaterEqual(int(m.group(1)), 3)
        self.assertRegex(text, r'taizhang_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+')
        count = int(re.search(r"taizhang_http_request_duration_seconds_count (\d+)", text).group(1))
        self.assertGreater(count, 3)
        dash = self.c.get(API + "/dashboard", token=self.T["sup"]).json["totals"]
        for light in ("green", "yellow", "red"):
            m = re.search(r'taizhang_open_items\{light="%s"\} (\d+)' % light, text)
            self.assertIsNotNone(m, light)
            self.assertEqual(int(m.group(1)), dash[light], light)
        self.assertGreaterEqual(dash["red"], 1)
        self.assertEqual(self.get_item(item["id"])["light"], "red")

    def test_sigterm_finishes_the_request_in_flight(self):
        # a login spends ~0.2 s in argon2id: SIGTERM lands while it runs
        result = {}

        def login():
            c = Client(self.srv.port)
            result["r"] = c.post(API + "/auth/login", {"username": "sup", "password": PASSWORD})

        t = threading.Thread(target=login)
        t.start()
        time.sleep(0.05)
        self.srv.proc.send_signal(signal.SIGTERM)
        t.join(10)
        self.assertEqual(result["r"].status, 200, result.get("r"))
        self.assertEqual(self.srv.proc.wait(10), 0)
        self.srv.proc = None
        self.srv._errf.close()
        # and it starts again on the same database
        self.srv.start()
        type(self).c = self.srv.client
        self.fx.relogin()
        self.assertEqual(self.c.get("/healthz").status, 200)


if __name__ == "__main__":
    main()
