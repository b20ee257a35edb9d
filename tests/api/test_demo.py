"""`waymark demo generate` drives the real workflow: the store it makes has referrals in every
stage, a whole audit chain, and a dashboard with real figures."""
import csv
import os
import subprocess
import tempfile
import unittest

from harness import BIN, ROOT, Server


class DemoTest(unittest.TestCase):
    def test_generate_then_report(self):
        d = tempfile.mkdtemp(prefix="waymark-demo-")
        db = os.path.join(d, "demo.db")
        p = subprocess.run([BIN, "demo", "generate", "--db", db, "--referrals", "400",
                            "--months", "6", "--threads", "4"], cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Generated 400 synthetic referrals", p.stdout)
        server = Server(db=db).start()
        try:
            stages = dict(server.sql("SELECT status, COUNT(*) FROM referrals GROUP BY status"))
            self.assertEqual(sum(stages.values()), 400)
            for stage in ("waiting", "discharged", "closed"):
                self.assertGreater(stages.get(stage, 0), 0, stages)
            months = server.sql("SELECT COUNT(DISTINCT substr(received_at, 1, 7)) FROM referrals")
            self.assertGreaterEqual(months[0][0], 5)
            declines = server.sql("SELECT COUNT(*) FROM events WHERE kind = 'referral.declined'")
            self.assertGreater(declines[0][0], 20)
            cookie = server.sign_in("commissioner")
            code, _, dash = server.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
            self.assertEqual(code, 200)
            total = {t["id"]: t for t in dash["tables"]}["referrals-by-source"]["rows"]
            self.assertTrue(any(isinstance(r[1], int) and r[1] >= 50 for r in total), total)
        finally:
            self.assertEqual(server.stop(), 0)
        v = subprocess.run([BIN, "audit", "verify", "--db", db], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(v.returncode, 0, v.stdout)
        import datetime
        today = datetime.date.today()
        quarter = "%dQ%d" % (today.year, (today.month - 1) // 3 + 1)
        out = os.path.join(d, "q")
        q = subprocess.run([BIN, "report", "quarterly", "--db", db, "--quarter", quarter,
                            "--out", out], cwd=ROOT, capture_output=True, text=True, timeout=300)
        self.assertEqual(q.returncode, 0, q.stderr)
        html = open(os.path.join(out, "index.html")).read()
        self.assertIn("Quarterly activity: " + quarter, html)
        self.assertNotIn("<script", html)
        self.assertNotIn("Demo Person", html)
        self.assertTrue(os.path.exists(os.path.join(out, "waits-by-service.csv")))
        # A section per service, and the routings by locality and by source per service.
        self.assertIn('<h2 id="by-service">By service</h2>', html)
        self.assertIn('<h3 id="service-camhs">', html)
        self.assertIn("<caption>Routings by locality</caption>", html)
        self.assertIn('<th scope="row">A1 GP</th>', html)  # sources in words, codes in the CSV
        with open(os.path.join(out, "routings-by-service-and-locality.csv"), newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["service", "city", "east", "west", "rutland", "out-of-area", "all"])
        self.assertGreater(len(rows), 2)
        for row in rows[1:]:
            for cell in row[1:]:
                self.assertTrue(cell == "*" or int(cell) % 5 == 0, row)
        bad = subprocess.run([BIN, "report", "quarterly", "--db", db, "--quarter", "2026Q5",
                              "--out", out], cwd=ROOT, capture_output=True)
        self.assertEqual(bad.returncode, 2)
        server.cleanup()


if __name__ == "__main__":
    unittest.main(verbosity=2)
