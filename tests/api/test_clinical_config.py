"""The clinical lead's control of the triage decision model and the directory, against the real
server: versions, drafts checked strictly, clinical cases run against a draft, publication
refused while a case fails, publication and rollback live without a restart, directory edits
checked like services.yaml and seen at once by the public directory and the model, a stored
decision reproduced from its versions, and a publication that survives a restart."""
import os
import urllib.parse

from harness import ROOT, Server, ServerTestCase, main, valid_referral

with open(os.path.join(ROOT, "config/areas/example/triage/triage.dmn"), encoding="utf-8") as f:
    DMN = f.read()

# Same rules, new wording of one explanation: passes every clinical case.
REWORDED = DMN.replace("Suicide plan → emergency: crisis response within 1 hour",
                       "Suicide plan → emergency: the crisis team responds within 1 hour", 1)
# A suicide plan made "urgent": the emergency cases fail.
UNSAFE = DMN.replace('<outputEntry id="OutputEntry_Priority_1_1"><text>"emergency"',
                     '<outputEntry id="OutputEntry_Priority_1_1"><text>"urgent"', 1)
assert REWORDED != DMN and UNSAFE != DMN


def q(version):
    return urllib.parse.quote(version, safe="")


def upload(server, cookie, text, note="test"):
    return server.request("POST", "/api/v1/model/versions?file=triage.dmn&note=" + q(note),
                          raw=text.encode(), headers={"Content-Type": "application/xml"},
                          cookie=cookie)


def live_model(server, cookie):
    code, _, body = server.request("GET", "/api/v1/model/versions", cookie=cookie)
    assert code == 200, body
    return body["live"]


def refer_and_read(server, triage_cookie, **overrides):
    code, _, ack = server.request("POST", "/api/v1/referrals", valid_referral(**overrides))
    assert code == 201, ack
    code, _, rec = server.request("GET", "/api/v1/referrals/" + ack["reference"],
                                  cookie=triage_cookie)
    assert code == 200, rec
    return ack["reference"], rec["navigation"]


class ClinicalLeadModelTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.server.sign_in("clinical-lead")
        cls.triage = cls.server.sign_in("triage-clinician")

    def test_bad_upload_names_the_file_and_stores_nothing(self):
        before = self.server.request("GET", "/api/v1/model/versions", cookie=self.lead)[2]
        code, _, body = upload(self.server, self.lead, "<definitions")
        self.assertEqual(code, 400, body)
        self.assertEqual(body["error"]["fields"][0]["path"], "triage.dmn")
        self.assertIn("not well-formed XML", body["error"]["message"])
        code, _, body = upload(self.server, self.lead, DMN.replace(
            '<text>list contains(?, "suicide-plan")</text>', "<text>list contains(?,</text>", 1))
        self.assertEqual(code, 400, body)
        self.assertIn("triage.dmn", body["error"]["message"])
        code, _, body = self.server.request("POST", "/api/v1/model/versions",
                                            {"files": [{"name": "../x.dmn", "text": DMN}]},
                                            cookie=self.lead)
        self.assertEqual(code, 400)
        self.assertEqual(body["error"]["fields"][0]["path"], "files[0].name")
        after = self.server.request("GET", "/api/v1/model/versions", cookie=self.lead)[2]
        self.assertEqual(len(before["versions"]), len(after["versions"]))

    def test_unsafe_draft_fails_its_cases_and_cannot_be_published(self):
        live = live_model(self.server, self.lead)
        code, _, draft = upload(self.server, self.lead, UNSAFE, "suicide plan urgent")
        self.assertEqual(code, 201, draft)
        self.assertEqual(draft["state"], "draft")
        self.assertFalse(draft["live"])
        version = q(draft["version"])
        code, _, report = self.server.request(
            "POST", "/api/v1/model/versions/%s/test" % version, cookie=self.lead)
        self.assertEqual(code, 200, report)
        self.assertGreater(report["failed"], 0)
        self.assertGreater(report["passed"], 100)
        reasons = [r for f in report["failures"] for r in f["failures"]]
        self.assertIn("priority: expected emergency, got urgent", reasons)
        code, _, problem = self.server.request(
            "POST", "/api/v1/model/versions/%s/publish" % version, {"reason": "try"},
            cookie=self.lead)
        self.assertEqual(code, 409, problem)
        self.assertEqual(len(problem["error"]["fields"]), report["failed"])
        self.assertEqual(live_model(self.server, self.lead), live)
        # A suicide plan is still an emergency for the next referral.
        _, nav = refer_and_read(self.server, self.triage, risks=["suicide-plan"])
        self.assertEqual(nav["priority"], "emergency")
        self.assertEqual(nav["modelVersion"], live)

    def test_publish_and_rollback_take_effect_without_a_restart(self):
        first = live_model(self.server, self.lead)
        ref_before, nav = refer_and_read(self.server, self.triage)
        self.assertEqual(nav["modelVersion"], first)
        code, _, draft = upload(self.server, self.lead, REWORDED, "clearer wording")
        self.assertIn(code, (200, 201), draft)
        version = draft["version"]
        code, _, report = self.server.request(
            "POST", "/api/v1/model/versions/%s/test" % q(version), cookie=self.lead)
        self.assertEqual((code, report["failed"]), (200, 0), report)
        code, _, done = self.server.request(
            "POST", "/api/v1/model/versions/%s/publish" % q(version), {"reason": "wording"},
            cookie=self.lead)
        self.assertEqual(code, 200, done)
        self.assertEqual(done["previous"], first)
        self.assertEqual(live_model(self.server, self.lead), version)
        ref_after, nav = refer_and_read(self.server, self.triage, risks=["suicide-plan"])
        self.assertEqual(nav["modelVersion"], version)
        self.assertIn("the crisis team responds",
                      " ".join(r["rule"] for r in nav["decision"]["rulesFired"]))
        self.assertNotIn("input", nav["decision"])  # kept for reproduction, not shown
        # Both stored decisions re-run identically from their own versions.
        for ref, model in ((ref_before, first), (ref_after, version)):
            code, _, again = self.server.request(
                "GET", "/api/v1/referrals/%s/reproduction" % ref, cookie=self.triage)
            self.assertEqual(code, 200, again)
            self.assertTrue(again["identical"], again)
            self.assertEqual(again["modelVersion"], model)
            self.assertNotIn("Alex", str(again))
        # Roll back to the first version.
        code, _, back = self.server.request(
            "POST", "/api/v1/model/versions/%s/rollback" % q(first), {"reason": "not agreed"},
            cookie=self.lead)
        self.assertEqual(code, 200, back)
        _, nav = refer_and_read(self.server, self.triage)
        self.assertEqual(nav["modelVersion"], first)
        # Every step is audited with who and why.
        actions = [r[0] for r in self.server.sql(
            "SELECT action FROM audit_log WHERE record IN (?, ?) ORDER BY seq",
            ("model/" + version, "model/" + first))]
        self.assertIn("model.publish", actions)
        self.assertIn("model.rollback", actions)
        reproduced = self.server.sql(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.reproduce' AND record = ?",
            ("referral/" + ref_before,))[0][0]
        self.assertEqual(reproduced, 1)
        # The stored DMN of a version can be read back.
        code, _, one = self.server.request("GET", "/api/v1/model/versions/" + q(version),
                                           cookie=self.lead)
        self.assertEqual(code, 200)
        self.assertEqual(one["files"][0]["text"], REWORDED)

    def test_only_the_clinical_lead_controls_the_model(self):
        for role in ("admin", "triage-clinician", "commissioner"):
            cookie = self.server.sign_in(role)
            code, _, _ = self.server.request("GET", "/api/v1/model/versions", cookie=cookie)
            self.assertEqual(code, 403, role)
            code, _, _ = upload(self.server, cookie, REWORDED)
            self.assertEqual(code, 403, role)
        # An administrator who is also a clinical lead may (once another clinical lead has
        # approved the account, and it has its own password and second factor).
        both, _, _ = self.server.new_staff("lead-and-admin", ["admin", "clinical-lead"])
        self.assertEqual(self.server.request("GET", "/api/v1/model/versions", cookie=both)[0], 200)
        # A service clinician may not re-run a referral's decision either.
        ref, _ = refer_and_read(self.server, self.triage)
        service = self.server.sign_in("service-clinician")
        code, _, _ = self.server.request("GET", "/api/v1/referrals/%s/reproduction" % ref,
                                         cookie=service)
        self.assertEqual(code, 403)


class ClinicalLeadDirectoryTest(ServerTestCase):
    def test_edit_is_checked_live_versioned_and_audited(self):
        lead = self.server.sign_in("clinical-lead")
        code, _, before = self.server.request("GET", "/api/v1/directory/versions", cookie=lead)
        self.assertEqual(code, 200)
        change = {"capacity": {"newAssessmentsPerWeek": 12, "basis": "local"},
                  "hours": "Monday to Friday, 9am to 5pm",
                  "contact": {"text": "Example only: ring the team's duty line.", "example": True},
                  "reason": "new commissioning figures"}
        code, _, done = self.server.request("PATCH", "/api/v1/directory/services/camhs", change,
                                            cookie=lead)
        self.assertEqual(code, 200, done)
        self.assertEqual(sorted(done["changed"]), ["capacity", "contact", "hours"])
        self.assertEqual(done["previous"], before["live"])
        # The public directory shows it at once.
        code, _, svc = self.server.request("GET", "/api/v1/services/camhs")
        self.assertEqual(svc["capacity"]["newAssessmentsPerWeek"], 12)
        self.assertEqual(svc["hours"], "Monday to Friday, 9am to 5pm")
        # New decisions name the new directory version.
        triage = self.server.sign_in("triage-clinician")
        _, nav = refer_and_read(self.server, triage)
        self.assertEqual(nav["decision"]["directoryVersion"], done["version"])
        # Checked like services.yaml: the error names the field.
        code, _, problem = self.server.request(
            "PATCH", "/api/v1/directory/services/camhs",
            {"capacity": {"newAssessmentsPerWeek": -1, "basis": "local"}, "reason": "x"},
            cookie=lead)
        self.assertEqual(code, 400, problem)
        self.assertEqual(problem["error"]["fields"][0]["path"], "capacity.newAssessmentsPerWeek")
        code, _, problem = self.server.request(
            "PATCH", "/api/v1/directory/services/camhs", {"name": "Renamed", "reason": "x"},
            cookie=lead)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "name")
        code, _, _ = self.server.request(
            "PATCH", "/api/v1/directory/services/no-such", {"hours": "x", "reason": "x"},
            cookie=lead)
        self.assertEqual(code, 404)
        audit = self.server.sql("SELECT fields, reason FROM audit_log WHERE action = ?",
                                ("directory.edit",))
        self.assertEqual(audit, [("camhs: capacity, contact, hours", "new commissioning figures")])
        # Roll back to the files' version.
        code, _, back = self.server.request(
            "POST", "/api/v1/directory/versions/%s/rollback" % q(before["live"]),
            {"reason": "withdrawn"}, cookie=lead)
        self.assertEqual(code, 200, back)
        code, _, svc = self.server.request("GET", "/api/v1/services/camhs")
        self.assertNotEqual(svc["hours"], "Monday to Friday, 9am to 5pm")
        # The admin may not edit the directory.
        admin = self.server.sign_in("admin")
        code, _, _ = self.server.request("PATCH", "/api/v1/directory/services/camhs", change,
                                         cookie=admin)
        self.assertEqual(code, 403)


class PublicationSurvivesRestartTest(ServerTestCase):
    def test_restart_keeps_the_published_model(self):
        lead = self.server.sign_in("clinical-lead")
        code, _, draft = upload(self.server, lead, REWORDED)
        self.assertEqual(code, 201, draft)
        code, _, _ = self.server.request(
            "POST", "/api/v1/model/versions/%s/publish" % q(draft["version"]), cookie=lead)
        self.assertEqual(code, 200)
        self.assertEqual(self.server.stop(), 0)
        again = Server(db=self.server.db).start()
        try:
            lead = again.sign_in("clinical-lead")
            self.assertEqual(live_model(again, lead), draft["version"])
        finally:
            rc = again.stop()
            logs = again.logs()
            again.cleanup()
        self.assertEqual(rc, 0)
        self.assertNotIn("ERROR: AddressSanitizer", logs)


if __name__ == "__main__":
    main()
