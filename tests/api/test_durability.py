"""A server killed (SIGKILL) in the middle of a load and started again still has every
referral it acknowledged."""
import threading
import time
import unittest

from harness import Server, valid_referral


class DurabilityTest(unittest.TestCase):
    def test_killed_mid_load_keeps_every_acknowledged_referral(self):
        server = Server(demo=False).start()
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    code, _, ack = server.request("POST", "/api/v1/referrals", valid_referral())
                except Exception:  # connection refused or reset once the server is killed
                    return
                if code == 201:
                    with lock:
                        acknowledged.append(ack["reference"])

        threads = [threading.Thread(target=client) for _ in range(16)]
        for t in threads:
            t.start()
        deadline = time.time() + 30
        while time.time() < deadline:
            with lock:
                if len(acknowledged) >= 150:
                    break
            time.sleep(0.05)
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        self.assertGreater(len(acknowledged), 20, "load did not get going")

        again = Server(db=server.db, demo=False).start()
        try:
            stored = {r[0] for r in again.sql("SELECT reference FROM referrals")}
            lost = [r for r in acknowledged if r not in stored]
            self.assertEqual(lost, [], "acknowledged referrals lost after kill")
            # Every stored referral has its received event (nothing half-stored).
            orphans = again.sql("SELECT COUNT(*) FROM referrals r WHERE NOT EXISTS "
                                "(SELECT 1 FROM events e WHERE e.reference = r.reference)")[0][0]
            self.assertEqual(orphans, 0)
            code, _, _ = again.request("GET", "/api/v1/health")
            self.assertEqual(code, 200)
        finally:
            self.assertEqual(again.stop(), 0)
            again.cleanup()
            server.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
