"""A young person's confidentiality choices are honoured on a parent's status page; a
safeguarding override needs a reason, is audited and alerts the safeguarding lead; a family's
link can be re-issued and the old one stops working."""
import subprocess

from harness import BIN, ROOT, ServerTestCase, main, valid_referral


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
        # The audit entry points at the event that holds the reason: audit rows keep no free
        # text (retention can blank the event; the append-only log it cannot).
        audit = self.server.sql("SELECT reason FROM audit_log WHERE record = ? AND action = "
                                "'confidentiality.safeguarding-override'", ("referral/" + ref,))
        self.assertRegex(audit[0][0], r"^see event [0-9a-f]{32}$")
        event = self.server.sql("SELECT reason FROM events WHERE id = ?", (audit[0][0][10:],))
        self.assertEqual(event[0][0], reason)
        # An IG review sees the reason beside the entry.
        out = subprocess.run([BIN, "audit", "show", "--db", self.server.db, "--record", ref],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn(audit[0][0] + ": " + reason, out.stdout)
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

    def choose(self, ref, cookie, **choices):
        body = {"version": self.version(ref, cookie), "parentMayBeTold": False,
                "parentMayBeContacted": False}
        body.update(choices)
        code, _, out = self.server.request("POST", "/api/v1/referrals/%s/confidentiality" % ref,
                                           body, cookie=cookie)
        self.assertEqual(code, 200, out)

    def test_booking_honours_how_the_young_person_may_be_contacted(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        ref = ack["reference"]
        triage = self.server.sign_in("triage-clinician")
        self.choose(ref, triage, contactMethods=["text"], safeToLeaveMessage=False)
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/actions/route" % ref,
            {"version": self.version(ref, triage), "serviceId": "camhs", "reason": "Tested"},
            cookie=triage)
        self.assertEqual(code, 200, out)
        service = self.server.sign_in("service-clinician")
        act = lambda action, **b: self.server.request(
            "POST", "/api/v1/referrals/%s/actions/%s" % (ref, action),
            dict(version=self.version(ref, triage), **b), cookie=service)
        self.assertEqual(act("accept")[0], 200)
        code, _, problem = act("book-contact", bookedFor="2030-01-06T10:00:00Z", mechanism="02")
        self.assertEqual(code, 409, problem)
        self.assertIn("asked not to be contacted by phone", problem["error"]["message"])
        self.assertIn("text", problem["error"]["message"])
        self.assertEqual(problem["error"]["fields"][0]["path"], "mechanism")
        code, _, out = act("book-contact", bookedFor="2030-01-06T10:00:00Z", mechanism="09")
        self.assertEqual(code, 200, out)
        code, _, out = act("book-contact", bookedFor="2030-01-07T10:00:00Z", mechanism="01")
        self.assertEqual(code, 200, out)  # face to face is not a way of contacting them
        data = self.server.sql("SELECT data FROM events WHERE reference = ? AND kind = "
                               "'contact.booked'", (ref,))
        self.assertTrue(all('"doNotLeaveMessages":true' in d for (d,) in data), data)

    def test_parent_invited_only_when_the_young_person_agrees(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        ref = ack["reference"]
        token = {"X-Status-Token": ack["statusToken"]}
        invite = lambda role: self.server.request(
            "POST", "/api/v1/referrals/%s/informants" % ref, {"role": role}, headers=token)
        # The young person said no to contacting a parent (valid_referral's consent).
        code, _, problem = invite("parent")
        self.assertEqual(code, 409, problem)
        self.assertIn("parent", problem["error"]["message"])
        self.assertEqual(invite("school")[0], 201)
        triage = self.server.sign_in("triage-clinician")
        code, _, _ = self.server.request(
            "POST", "/api/v1/referrals/%s/safeguarding-override" % ref,
            {"version": self.version(ref, triage),
             "reason": "Safeguarding: a parent must be involved to keep them safe."},
            cookie=triage)
        self.assertEqual(code, 200)
        self.assertEqual(invite("parent")[0], 201)

    def test_whoever_holds_the_link_for_a_parent_sees_only_what_a_parent_may(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        ref = ack["reference"]
        triage = self.server.sign_in("triage-clinician")
        self.choose(ref, triage)
        # The young person referred themselves: their own link shows the details.
        self.assertNotEqual(self.status(ack)[2]["stage"], "private")
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/status-token" % ref,
            {"version": self.version(ref, triage), "holder": "parent"}, cookie=triage)
        self.assertEqual(code, 200, out)
        self.assertEqual(self.status(ack, out["statusToken"])[2]["stage"], "private")
        rows = self.server.sql("SELECT role, fields FROM audit_log WHERE action = "
                               "'referral.status-read' AND record = ? ORDER BY seq",
                               ("referral/" + ref,))
        self.assertEqual(rows[-1], ("parent", "status (restricted)"))
        code, _, problem = self.server.request(
            "POST", "/api/v1/referrals/%s/status-token" % ref,
            {"version": self.version(ref, triage), "holder": "neighbour"}, cookie=triage)
        self.assertEqual((code, problem["error"]["fields"][0]["path"]), (400, "holder"))

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
