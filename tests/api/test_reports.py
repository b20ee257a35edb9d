"""Commissioner reports over HTTP: every figure suppressed or rounded, CSV for each table,
no identifiable data, only for commissioners and clinical leads."""
import csv
import datetime
import json
import os
import sqlite3
import subprocess

from harness import BIN, ROOT, Server, ServerTestCase, main, valid_referral


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
        self.assertEqual(by_source["B2"], "*")  # 1 is suppressed
        # 8 in all rounds to 10 and is shown: B1 (7) would be 10 - 1, so it is hidden too
        # (complementary suppression), however many other sources there are.
        self.assertEqual(by_source["all referrals"], 10)
        self.assertEqual(by_source["B1"], "*")
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

    def test_period_is_whole_months(self):
        cookie = self.server.sign_in("commissioner")
        month = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m")
        code, _, dash = self.server.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
        self.assertEqual(code, 200)
        self.assertEqual(dash["to"], month)  # default: the 12 months to this one
        months = [r[0] for r in {t["id"]: t for t in dash["tables"]}["referrals-by-month"]["rows"]]
        self.assertEqual(len(months), 12)
        self.assertEqual((months[0], months[-1]), (dash["from"], month))
        code, _, dash = self.server.request(
            "GET", "/api/v1/reports/dashboard?from=%s&to=%s" % (month, month), cookie=cookie)
        self.assertEqual(code, 200)
        self.assertEqual((dash["from"], dash["to"]), (month, month))
        code, headers, text = self.server.request(
            "GET", "/api/v1/reports/referrals-by-month.csv?from=2025-11&to=2026-02", cookie=cookie)
        self.assertEqual(code, 200)
        self.assertEqual([line.split(",")[0] for line in text.strip().split("\n")],
                         ["month", "2025-11", "2025-12", "2026-01", "2026-02"])

    def test_access_against_trajectory(self):
        cookie = self.server.sign_in("commissioner")
        code, _, dash = self.server.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
        self.assertEqual(code, 200)
        rows = {t["id"]: t for t in dash["tables"]}["access-trajectory"]["rows"]
        self.assertEqual([r[0] for r in rows[:5]], ["2016", "2017", "2018", "2019", "2020"])
        self.assertEqual([r[2] for r in rows[:5]], ["4200", "4500", "5088", "5406", "5565"])
        self.assertTrue(rows[5][0].startswith("12 months to "), rows[5])
        self.assertEqual(rows[5][3], "*")  # too few seen to show a share

    def test_bad_dates_and_roles(self):
        cookie = self.server.sign_in("commissioner")
        code, _, problem = self.server.request("GET", "/api/v1/reports/dashboard?from=soon",
                                               cookie=cookie)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "from")
        code, _, problem = self.server.request(
            "GET", "/api/v1/reports/dashboard?from=2026-05&to=2026-04", cookie=cookie)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "to")
        code, _, problem = self.server.request(
            "GET", "/api/v1/reports/dashboard?from=2026-05-01", cookie=cookie)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "from")
        for role in ("triage-clinician", "admin", "service-clinician"):
            self.assertEqual(self.server.request("GET", "/api/v1/reports/dashboard",
                                                 cookie=self.server.sign_in(role))[0], 403)

    def test_unrounded_only_for_the_national_analyst(self):
        for _ in range(3):
            self.server.request("POST", "/api/v1/referrals", valid_referral())
        for role in ("commissioner", "clinical-lead"):
            code, _, problem = self.server.request(
                "GET", "/api/v1/reports/dashboard?unrounded=true", cookie=self.server.sign_in(role))
            self.assertEqual(code, 403, (role, problem))
            self.assertEqual(problem["error"]["fields"][0]["path"], "unrounded")
            code, _, _ = self.server.request("GET", "/api/v1/reports/referrals-by-month.csv"
                                             "?unrounded=true", cookie=self.server.sign_in(role))
            self.assertEqual(code, 403, role)
        analyst = self.server.sign_in("national-analyst")
        code, _, problem = self.server.request("GET", "/api/v1/reports/dashboard?unrounded=yes",
                                               cookie=analyst)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "unrounded")
        code, _, dash = self.server.request("GET", "/api/v1/reports/dashboard?unrounded=true",
                                            cookie=analyst)
        self.assertEqual(code, 200, dash)
        self.assertTrue(dash["unrounded"])
        months = {t["id"]: t for t in dash["tables"]}["referrals-by-month"]["rows"]
        total = sum(r[1] for r in months)
        self.assertGreaterEqual(total, 3)
        self.assertEqual(total, self.server.sql(
            "SELECT COUNT(*) FROM referrals WHERE received_at >= ?", (dash["from"] + "-01",))[0][0])
        # The same analyst without the flag sees controlled figures like everyone else.
        code, _, dash = self.server.request("GET", "/api/v1/reports/dashboard", cookie=analyst)
        self.assertEqual(code, 200)
        self.assertNotIn("unrounded", dash)
        for r in {t["id"]: t for t in dash["tables"]}["referrals-by-month"]["rows"]:
            self.assertTrue(r[1] == "*" or r[1] % 5 == 0, r)

    def test_mhsds_export_reread_code_by_code(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals",
                                           valid_referral(needs=["anxiety"]))
        code, _, bare = self.server.request("POST", "/api/v1/referrals", valid_referral(needs=[]))
        triage = self.server.sign_in("triage-clinician")
        service = self.server.sign_in("service-clinician")
        ref = ack["reference"]

        def act(action, cookie, **body):
            _, _, r = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=triage)
            body["version"] = r["version"]
            code, _, out = self.server.request(
                "POST", "/api/v1/referrals/%s/actions/%s" % (ref, action), body, cookie=cookie)
            self.assertEqual(code, 200, out)
            return out
        act("route", triage, serviceId="camhs", reason="Known to CAMHS")
        act("accept", service)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out = act("book-contact", service, bookedFor=now, mechanism="02")
        act("record-attendance", service, contactId=out["navigation"]["contacts"][0]["id"],
            attendStatus="5")
        month = now[:7]
        outdir = os.path.join(self.server.dir, "mhsds")
        p = subprocess.run([BIN, "export", "mhsds", "--db", self.server.db, "--month", month,
                            "--out", outdir], cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)

        def read(name):
            with open(os.path.join(outdir, name)) as f:
                return list(csv.DictReader(f))
        referrals = {r["ServiceRequestId"]: r for r in read("MHS101Referral.csv")}
        r = referrals[ref]
        self.assertEqual(r["SourceOfReferralMH"], "B1")
        self.assertEqual(r["PrimReasonReferralMH"], "05")
        self.assertEqual(r["AgeServReferRecDate"], str(datetime.date.today().year - 2011 -
                         ((datetime.date.today().month, datetime.date.today().day) < (5, 14))))
        mpi = read("MHS001MPI.csv")
        self.assertIn("9434765919", [m["NHSNumber"] for m in mpi])
        self.assertIn(r["LocalPatientId"], [m["LocalPatientId"] for m in mpi])
        types = [t for t in read("MHS102ServiceTypeReferredTo.csv") if t["ServiceRequestId"] == ref]
        self.assertEqual(len(types), 1)
        self.assertTrue(types[0]["ServTeamTypeRefToMH"])
        contacts = [c for c in read("MHS201CareContact.csv") if c["ServiceRequestId"] == ref]
        self.assertEqual((contacts[0]["AttendStatus"], contacts[0]["ConsMechanismMH"]), ("5", "02"))
        quality = read("DataQuality.csv")
        self.assertIn((bare["reference"], "PrimReasonReferralMH"),
                      [(q["ServiceRequestId"], q["Item"]) for q in quality])
        # No outcome questionnaires yet: MHS606 has its header and no rows, and says why.
        with open(os.path.join(outdir, "MHS606CodedScoreAssessmentRefer.csv")) as f:
            self.assertEqual(f.read(), "ServiceRequestId,LocalPatientId,CodedAssToolType,"
                             "PersScore,AssToolCompTimestamp\n")
        mhs606 = [q for q in quality if q["Item"] == "MHS606"]
        self.assertEqual(len(mhs606), 1)
        self.assertIn("no coded assessments recorded yet", mhs606[0]["Problem"])
        code = subprocess.run([BIN, "export", "mhsds", "--db", self.server.db, "--month", "2026-13",
                               "--out", outdir], cwd=ROOT, capture_output=True).returncode
        self.assertEqual(code, 2)


class ReportCountsMigrationTest(ServerTestCase):
    def test_counts_are_rebuilt_for_a_store_made_before_them(self):
        parent = {"type": "parent", "name": "Sam Parent", "phone": "07700 900456"}
        for body in [valid_referral()] * 6 + [valid_referral(referrer=parent, source="B2")] * 2:
            code, _, _ = self.server.request("POST", "/api/v1/referrals", body)
            self.assertEqual(code, 201)
        cookie = self.server.sign_in("commissioner")
        _, _, before = self.server.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
        self.assertEqual(self.server.stop(), 0)
        # Make the file look as it did before migration 010.
        con = sqlite3.connect(self.server.db)
        con.execute("DROP TABLE report_counts")
        con.execute("DELETE FROM schema_migrations WHERE version = 10")
        con.commit()
        con.close()
        again = Server(db=self.server.db).start()
        try:
            self.assertGreaterEqual(again.sql("SELECT COUNT(*) FROM report_counts")[0][0], 8)
            cookie = again.sign_in("commissioner")
            _, _, after = again.request("GET", "/api/v1/reports/dashboard", cookie=cookie)
            by_source = {r[0]: r[1] for r in {t["id"]: t for t in after["tables"]}
                         ["referrals-by-source"]["rows"]}
            self.assertEqual(by_source, {"B1": "*", "B2": "*", "all referrals": 10})
            self.assertEqual(before["tables"], after["tables"])
        finally:
            self.assertEqual(again.stop(), 0)
            again.cleanup()

if __name__ == "__main__":
    main()
