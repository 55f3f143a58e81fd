"""
test_sessions.py - session and lockout timers, shortened through the
environment (TAIZHANG_SESSION_IDLE, TAIZHANG_SESSION_MAX, TAIZHANG_LOCKOUT) so
that the expiry itself is observed: an idle session ends, a busy one ends at its
absolute limit, and a locked account opens again when the lock runs out.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import Server, Fixture, main, API, PASSWORD  # noqa: E402


class TimedServer(Server):
    def __init__(self, timers, **kw):
        super().__init__(**kw)
        self.timers = timers

    def env(self, today=None):
        e = super().env(today)
        e.update(self.timers)
        return e


class SessionTimers(unittest.TestCase):
    def start(self, **timers):
        srv = TimedServer({k: str(v) for k, v in timers.items()}, name=self.id())
        srv.init()
        srv.start()
        self.addCleanup(srv.cleanup)
        self.addCleanup(srv.stop)
        return srv

    def login(self, srv, user, password):
        return srv.client.post(API + "/auth/login", {"username": user, "password": password})

    def test_idle_session_expires(self):
        srv = self.start(TAIZHANG_SESSION_IDLE=2)
        tok = self.login(srv, "admin", "Admin@12345").json["token"]
        self.assertEqual(srv.client.get(API + "/me", token=tok).status, 200)
        time.sleep(3)
        r = srv.client.get(API + "/me", token=tok)
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.error.get("code"), "unauthorized")

    def test_activity_keeps_a_session_alive_past_the_idle_limit(self):
        srv = self.start(TAIZHANG_SESSION_IDLE=3)
        tok = self.login(srv, "admin", "Admin@12345").json["token"]
        for _ in range(6):
            time.sleep(1)
            r = srv.client.get(API + "/me", token=tok)
            self.assertEqual(r.status, 200, "active for %s" % r)

    def test_busy_session_ends_at_its_absolute_limit(self):
        srv = self.start(TAIZHANG_SESSION_IDLE=60, TAIZHANG_SESSION_MAX=3)
        tok = self.login(srv, "admin", "Admin@12345").json["token"]
        for _ in range(3):
            self.assertEqual(srv.client.get(API + "/me", token=tok).status, 200)
            time.sleep(0.5)
        time.sleep(2)
        self.assertEqual(srv.client.get(API + "/me", token=tok).status, 401)

    def test_lock_runs_out(self):
        srv = self.start(TAIZHANG_LOCKOUT=3)
        for _ in range(5):
            self.assertEqual(self.login(srv, "admin", "wrong-Passw0rd").status, 401)
        r = self.login(srv, "admin", "Admin@12345")
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.error.get("code"), "locked")
        time.sleep(3.5)
        self.assertEqual(self.login(srv, "admin", "Admin@12345").status, 200)
        # a fresh count after the lock: four failures do not lock again
        for _ in range(4):
            self.assertEqual(self.login(srv, "admin", "wrong-Passw0rd").status, 401)
        self.assertEqual(self.login(srv, "admin", "Admin@12345").status, 200)

    def test_bad_timer_setting_is_refused(self):
        srv = TimedServer({"TAIZHANG_SESSION_IDLE": "soon"}, name="bad")
        self.addCleanup(srv.cleanup)
        with self.assertRaises(RuntimeError) as cm:
            srv.init()
        self.assertIn("TAIZHANG_SESSION_IDLE", str(cm.exception))


if __name__ == "__main__":
    main()
