"""
test_proxy.py - the client's address behind a reverse proxy. With
`--trusted-proxy 127.0.0.1` the address the proxy appended last to
X-Forwarded-For is what the audit trail records (the auditor needs the user's
machine, not nginx's); an earlier hop, or the header from a client that is not
a trusted proxy, is the client's own word and is never believed. A value that
is not an address leaves the proxy's own. A wrong --trusted-proxy is refused at
start with one line.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, main, API, PASSWORD, Server  # noqa: E402


class TrustedProxyTest(TzCase):
    SERVER_ARGS = ["--trusted-proxy", "::1,127.0.0.1"]
    USERS = ("auditor", "zstaff")

    def login_ip(self, headers):
        """Signs zstaff in with these headers; the ip of the audit entry it left."""
        r = self.c.get(API + "/audit?after=0&limit=1", token=self.T["auditor"])
        self.assertStatus(r, 200)
        before = r.json["last_seq"]
        r = self.c.request("POST", API + "/auth/login", {"username": "zstaff", "password": PASSWORD},
                           headers=headers)
        self.assertStatus(r, 200)
        r = self.c.get(API + "/audit?after=%d&limit=50" % before, token=self.T["auditor"])
        self.assertStatus(r, 200)
        logins = [e for e in r.json["entries"] if e["action"] == "login"]
        self.assertEqual(len(logins), 1, r.json["entries"])
        return logins[0]["ip"]

    def test_the_client_the_proxy_saw_is_recorded(self):
        self.assertEqual(self.login_ip({"X-Forwarded-For": "10.20.30.40"}), "10.20.30.40")
        # only the last hop is the proxy's; what the client wrote before it is ignored
        self.assertEqual(self.login_ip({"X-Forwarded-For": "1.1.1.1, 10.20.30.41"}), "10.20.30.41")
        self.assertEqual(self.login_ip({"X-Forwarded-For": "2001:db8::1"}), "2001:db8::1")

    def test_no_header_or_nonsense_keeps_the_proxy_address(self):
        self.assertEqual(self.login_ip({}), "127.0.0.1")
        self.assertEqual(self.login_ip({"X-Forwarded-For": "10.0.0.1, not-an-address"}), "127.0.0.1")

    def test_untrusted_peer_cannot_name_itself(self):
        plain = Server(name="plain")
        try:
            plain.init()
            plain.start()
            r = plain.client.request("POST", API + "/auth/login",
                                     {"username": "admin", "password": "Admin@12345"},
                                     headers={"X-Forwarded-For": "10.9.9.9"})
            self.assertStatus(r, 200)
            token = r.json["token"]
            r = plain.client.get(API + "/me", token=token)
            self.assertStatus(r, 200)
            rows = plain.query("SELECT ip FROM audit_log WHERE action = 'login'")
            self.assertEqual([ip for (ip,) in rows], ["127.0.0.1"])
        finally:
            plain.stop()
            plain.kill()
            plain.cleanup()

    def test_a_wrong_trusted_proxy_is_refused_at_start(self):
        r = subprocess.run([self.srv.bin, "serve"] + self.srv.store_args() +
                           ["--listen", "127.0.0.1:0", "--trusted-proxy", "nginx.local"],
                           env=self.srv.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--trusted-proxy: 'nginx.local' is not an IP address",
                      r.stderr.decode("utf-8"))


if __name__ == "__main__":
    main()
