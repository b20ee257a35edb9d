"""A young person's confidentiality choices are honoured on a parent's status page; a
safeguarding override needs a reason, is audited and alerts the safeguarding lead; a family's
link can be re-issued and the old one stops working."""
from harness import ServerTestCase, main, valid_referral


class ConfidentialityTest(ServerTestCase):
    def parent_referral(self):
        body = valid_referral(referrer={"type": "parent", "name": "Sam Parent",
                                        "phone": "07700 900456"}, source="B2")
        code, _, ack = self.server.request("POST", "/api/v1/referrals", body)
        self.assertEqual(code, 201, ack)
        return ack

    def status(self, ack, token=None):
        return self.server.request("GET", "/api/v1/referrals/%s/status" % ack["reference"],
                                   headers={"X-Status-Token": token or ack["statusToken"]})

    def version(self, ref, cookie):
        return self.server.request("GET", "/api/v1/referrals/" + ref, cookie=cookie)[2]["version"]

    def test_choices_honoured_and_override(self):
        ack = self.parent_referral()
        ref = ack["reference"]
        triage = self.server.sign_in("triage-clinician")
        self.assertEqual(self.status(ack)[2]["stage"], "triaged")
        # At first contact the young person (15, assessed competent) asks that the parent is
        # not told more.
        choices = {"version": self.version(ref, triage), "parentMayBeTold": False,
                   "parentMayBeContacted": False, "contactMethods": ["text"],
                   "competence": {"assessed": True, "competent": True,
                                  "notes": "Understands the choice and its consequences."}}
        code, _, out = self.server.request("POST", "/api/v1/referrals/%s/confidentiality" % ref,
                                           choices, cookie=triage)
        self.assertEqual(code, 200, out)
        story = self.status(ack)[2]
        self.assertEqual(story["stage"], "private")
        self.assertIn("999", str(story["ifThingsGetWorse"]))
        # The override needs a reason.
        code, _, problem = self.server.request(
            "POST", "/api/v1/referrals/%s/safeguarding-override" % ref,
            {"version": self.version(ref, triage)}, cookie=triage)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "reason")
        code, _, problem = self.server.request(
            "POST", "/api/v1/referrals/%s/safeguarding-override" % ref,
            {"version": self.version(ref, triage), "reason": 42}, cookie=triage)
        self.assertEqual((code, problem["error"]["fields"][0]["path"]), (400, "reason"))
        reason = "Risk of serious harm: parent must be told to keep her safe tonight."
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/safeguarding-override" % ref,
            {"version": self.version(ref, triage), "reason": reason}, cookie=triage)
        self.assertEqual(code, 200, out)
        self.assertNotEqual(self.status(ack)[2]["stage"], "private")
        lead = self.server.sign_in("safeguarding-lead")
        code, _, alerts = self.server.request("GET", "/api/v1/safeguarding/alerts", cookie=lead)
        self.assertEqual(code, 200)
        self.assertIn(ref, [a["reference"] for a in alerts["alerts"]])
        audit = self.server.sql("SELECT action, reason FROM audit_log WHERE record = ?",
                                ("referral/" + ref,))
        self.assertIn(("confidentiality.safeguarding-override", reason), audit)
        self.assertEqual(self.server.request("GET", "/api/v1/safeguarding/alerts",
                                             cookie=triage)[0], 403)

    def test_competence_flag_for_under_16(self):
        ack = self.parent_referral()
        ref = ack["reference"]
        triage = self.server.sign_in("triage-clinician")
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/confidentiality" % ref,
            {"version": self.version(ref, triage), "parentMayBeTold": False,
             "parentMayBeContacted": False}, cookie=triage)
        self.assertEqual(code, 200, out)
        _, _, record = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=triage)
        self.assertTrue(record["navigation"]["competenceAssessmentNeeded"])
        code, _, problem = self.server.request(
            "POST", "/api/v1/referrals/%s/confidentiality" % ref,
            {"version": record["version"], "parentMayBeTold": "no",
             "contactMethods": ["pigeon"]}, cookie=triage)
        self.assertEqual(code, 400)
        self.assertEqual({f["path"] for f in problem["error"]["fields"]},
                         {"parentMayBeTold", "parentMayBeContacted", "contactMethods[0]"})

    def test_reissue_status_token(self):
        ack = self.parent_referral()
        triage = self.server.sign_in("triage-clinician")
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/status-token" % ack["reference"],
            {"version": self.version(ack["reference"], triage)}, cookie=triage)
        self.assertEqual(code, 200, out)
        self.assertEqual(self.status(ack)[0], 404)
        self.assertEqual(self.status(ack, out["statusToken"])[0], 200)


if __name__ == "__main__":
    main()
