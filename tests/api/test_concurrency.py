"""
test_concurrency.py - many writers at once: every acknowledged write is stored
(group commit must never answer before the change is on disk, nor lose a
member of a group), versions and events agree per item, the audit chain stays
one unforked chain, and two writers of the same version get one 200 and one 409.
"""
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tzharness import TzCase, Client, main, tz_bin, API  # noqa: E402

THREADS = 8
PER_THREAD = 40


class ConcurrencyTest(TzCase):
    def test_concurrent_writers_lose_nothing(self):
        sup = self.T["sup"]
        acked = []
        errors = []
        lock = threading.Lock()

        def writer(n):
            c = Client(self.srv.port)
            for i in range(PER_THREAD):
                r = c.post(API + "/items", {"ledger": "reform", "title": "并发 %d-%d" % (n, i)},
                           token=sup)
                if r.status != 201:
                    with lock:
                        errors.append(r)
                    continue
                item = r.json
                r = c.post(API + "/items/%d/actions" % item["id"],
                           {"action": "cancel", "version": item["version"],
                            "comment": "并发撤销"}, token=sup)
                with lock:
                    if r.status == 200:
                        acked.append((item["id"], r.json["version"]))
                    else:
                        errors.append(r)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(acked), THREADS * PER_THREAD)
        rows = dict((r[0], r[1:]) for r in self.srv.query("select id, status, version from items"))
        n_events = dict(self.srv.query("select item_id, count(*) from events group by item_id"))
        for item_id, version in acked:
            self.assertEqual(rows[item_id], ("cancelled", version))
            self.assertEqual(n_events[item_id], version, "one event per version")
        # the dashboard's trigger-kept counts agree with a count of the items themselves
        kept = set(self.srv.query("select ledger, lead_unit_id, status, light, n, on_time, "
                                  "extensions from item_counts where n > 0"))
        counted = set(self.srv.query(
            "select ledger, coalesce(lead_unit_id, 0), status, light, count(*), "
            "sum(case when on_time = 1 then 1 else 0 end), sum(extension_count) from items "
            "group by 1, 2, 3, 4"))
        self.assertEqual(kept, counted)
        seqs = [r[0] for r in self.srv.query("select seq from audit_log order by seq")]
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)), "no gap, no fork")
        r = subprocess.run([tz_bin(), "audit", "verify"] + self.srv.store_args(),
                           stdout=subprocess.PIPE, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_same_version_twice_one_wins(self):
        item = self.to_in_progress()
        results = []

        def remind():
            c = Client(self.srv.port)
            r = c.post(API + "/items/%d/actions" % item["id"],
                       {"action": "remind", "version": item["version"]}, token=self.T["sup"])
            results.append((r.status, r.error.get("code")))

        for _ in range(5):
            results.clear()
            item = self.get_item(item["id"])
            ts = [threading.Thread(target=remind) for _ in range(4)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            self.assertEqual(sorted(s for s, _ in results), [200, 409, 409, 409], results)
            self.assertEqual([c for s, c in results if s == 409], ["version_conflict"] * 3)


if __name__ == "__main__":
    main()
