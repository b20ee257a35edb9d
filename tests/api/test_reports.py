"""Commissioner reports over HTTP: every figure suppressed or rounded, CSV for each table,
no identifiable data, only for commissioners and clinical leads."""
import json

from harness import ServerTestCase, main, valid_referral


class ReportsTest(ServerTestCase):
    def test_dashboard_is_disclosure_controlled(self):
        for _ in range(7):
            code, _, _ = self.server.request("POST", "/api/v1/referrals", valid_referral())
            self.assertEqual(code, 201)
        body = valid_referral(referrer={"type": "parent", "name": "Sam Parent",
                                        "phone": "07700 900456"}, source="B2")
        self.server.request("POST", "/api/v1/referrals", body)
        cookie = self.server.sign_in("commissioner")
        code, _, dash = self.server.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
        self.assertEqual(code, 200, dash)
        tables = {t["id"]: t for t in dash["tables"]}
        for needed in ("referrals-by-month", "referrals-by-source", "waits-by-service",
                       "dna-rate", "access", "overrides", "decline-reasons"):
            self.assertIn(needed, tables)
        by_source = {r[0]: r[1] for r in tables["referrals-by-source"]["rows"]}
        self.assertEqual(by_source["B1"], 5)    # 7 rounds to 5
        self.assertEqual(by_source["B2"], "*")  # 1 is suppressed
        for t in dash["tables"]:
            for row in t["rows"]:
                for cell in row[1:]:
                    if isinstance(cell, int):
                        self.assertEqual(cell % 5 if "(%)" not in str(t["columns"]) else 0, 0,
                                         (t["id"], row))
        text = json.dumps(dash)
        for secret in ("Alex", "Testperson", "9434765919", "LE1 5WW", "WM-"):
            self.assertNotIn(secret, text)

    def test_csv_download(self):
        cookie = self.server.sign_in("clinical-lead")
        code, headers, csv = self.server.request("GET", "/api/v1/reports/referrals-by-source.csv",
                                                 cookie=cookie)
        self.assertEqual(code, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/csv"))
        self.assertTrue(csv.startswith("source,referrals\n"))
        self.assertEqual(self.server.request("GET", "/api/v1/reports/nothing.csv",
                                             cookie=cookie)[0], 404)

    def test_bad_dates_and_roles(self):
        cookie = self.server.sign_in("commissioner")
        code, _, problem = self.server.request("GET", "/api/v1/reports/dashboard?from=soon",
                                               cookie=cookie)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "from")
        code, _, _ = self.server.request(
            "GET", "/api/v1/reports/dashboard?from=2026-05-01&to=2026-04-01", cookie=cookie)
        self.assertEqual(code, 400)
        for role in ("triage-clinician", "admin", "service-clinician"):
            self.assertEqual(self.server.request("GET", "/api/v1/reports/dashboard",
                                                 cookie=self.server.sign_in(role))[0], 403)


if __name__ == "__main__":
    main()
