"""Intake API against the real server: valid requests, every validation error, hostile bodies,
nothing half-stored, crisis help, the family's status."""
import copy
import re
import threading

import unittest

from harness import Server, ServerTestCase, main, valid_referral

REFERENCE = re.compile(r"^WM-[ACDEFGHJKMNPQRTWXY3467]{4}-[ACDEFGHJKMNPQRTWXY3467]{4}$")


class IntakeTest(ServerTestCase):
    def counts(self):
        return {t: self.server.sql("SELECT COUNT(*) FROM %s" % t)[0][0]
                for t in ("referrals", "events", "audit_log")}

    def post(self, body=None, **kw):
        return self.server.request("POST", "/api/v1/referrals", body, **kw)

    def assert_rejected(self, body, paths, raw=None, status=400):
        before = self.counts()
        code, _, problem = self.post(body, raw=raw)
        self.assertEqual(code, status, problem)
        self.assertIn("error", problem)
        got = {f["path"] for f in problem["error"]["fields"]}
        for p in paths:
            self.assertIn(p, got, problem)
        self.assertEqual(self.counts(), before, "something was stored on error")
        return problem

    def test_locality_without_postcode_must_be_the_areas(self):
        body = valid_referral()
        del body["youngPerson"]["postcode"]
        body["locality"] = "mars"
        problem = self.assert_rejected(body, ["locality"])
        message = [f["message"] for f in problem["error"]["fields"] if f["path"] == "locality"][0]
        for code in ("city", "east", "west", "rutland", "out-of-area"):
            self.assertIn(code, message)
        body["locality"] = "rutland"
        code, _, ack = self.post(body)
        self.assertEqual(code, 201, ack)
        self.assertEqual(self.server.sql("SELECT locality FROM referrals WHERE reference = ?",
                                         (ack["reference"],))[0][0], "rutland")

    def test_health_and_openapi(self):
        code, _, body = self.server.request("GET", "/api/v1/health")
        self.assertEqual((code, body["status"]), (200, "ok"))
        code, headers, text = self.server.request("GET", "/api/v1/openapi.yaml")
        self.assertEqual(code, 200)
        self.assertIn("/api/v1/referrals", text)

    def test_self_referral_stored_with_event_and_audit(self):
        before = self.counts()
        code, headers, ack = self.post(valid_referral())
        self.assertEqual(code, 201, ack)
        self.assertRegex(ack["reference"], REFERENCE)
        self.assertGreaterEqual(len(ack["statusToken"]), 40)
        self.assertNotIn("crisisHelp", ack)
        self.assertIn(ack["reference"], ack["statusUrl"])
        after = self.counts()
        self.assertEqual(after["referrals"], before["referrals"] + 1)
        # Received, then triaged at once by the area's model: two events, one audit entry.
        self.assertEqual(after["events"], before["events"] + 2)
        self.assertEqual(after["audit_log"], before["audit_log"] + 1)
        row = self.server.sql("SELECT status, owner, token_hash, priority, model_version "
                              "FROM referrals WHERE reference = ?", (ack["reference"],))[0]
        self.assertEqual(row[0:2], ("triaged", "triage-team"))
        self.assertNotEqual(row[2], ack["statusToken"], "token stored in clear")
        self.assertEqual(row[3], "routine")
        self.assertRegex(row[4], r"^Example area triage@[0-9a-f]{16}$")
        kinds = [k for (k,) in self.server.sql(
            "SELECT kind FROM events WHERE reference = ? ORDER BY rowid", (ack["reference"],))]
        self.assertEqual(kinds, ["referral.received", "referral.triaged"])

    def test_parent_and_professional(self):
        parent = valid_referral(referrer={"type": "parent", "name": "Sam Parent",
                                          "phone": "07700 900456"}, source="B2",
                                needs=["eating-difficulties"], impact="moderate")
        code, _, ack = self.post(parent)
        self.assertEqual(code, 201, ack)
        pro = valid_referral(referrer={"type": "professional", "name": "Dr Example",
                                       "role": "GP", "organisation": "Example Surgery",
                                       "email": "gp@example.org"}, source="A1")
        code, _, ack = self.post(pro)
        self.assertEqual(code, 201, ack)

    def test_status_for_family(self):
        code, _, ack = self.post(valid_referral())
        code, _, status = self.server.request(
            "GET", "/api/v1/referrals/%s/status" % ack["reference"],
            headers={"X-Status-Token": ack["statusToken"]})
        self.assertEqual(code, 200, status)
        # Triaged by the model on arrival; a clinician has still to read it.
        self.assertEqual(status["stage"], "triaged")
        self.assertEqual(status["headline"], "Your request is being looked at")
        self.assertIn("ifThingsGetWorse", status)
        # Nothing identifiable on the family's page.
        text = str(status)
        for secret in ("Alex", "Testperson", "9434765919", "LE1", "2011-05-14"):
            self.assertNotIn(secret, text)
        # The reference can be typed in lower case with spaces.
        messy = ack["reference"].lower().replace("-", " ")
        code, _, _ = self.server.request("GET", "/api/v1/referrals/%s/status?token=%s"
                                         % (messy.replace(" ", "%20"), ack["statusToken"]))
        self.assertEqual(code, 200)

    def test_wrong_token_and_unknown_reference_look_the_same(self):
        code, _, ack = self.post(valid_referral())
        a = self.server.request("GET", "/api/v1/referrals/%s/status?token=wrong" % ack["reference"])
        b = self.server.request("GET", "/api/v1/referrals/WM-AAAA-AAAA/status?token=%s"
                                % ack["statusToken"])
        c = self.server.request("GET", "/api/v1/referrals/%s/status" % ack["reference"])
        d = self.server.request("GET", "/api/v1/referrals/nonsense/status?token=x")
        for r in (a, b, c, d):
            self.assertEqual(r[0], 404)
        self.assertEqual(a[2], b[2])
        self.assertEqual(a[2], c[2])
        self.assertEqual(a[2], d[2])

    def test_crisis_help_on_danger(self):
        for change in ({"risks": ["suicide-plan"]}, {"risks": ["self-harm-medical"]},
                       {"context": ["in-emergency-department"]},
                       {"description": "I have thought about how I would kill myself"},
                       {"description": "took 20 paracetamol last night, nobody knows"}):
            body = valid_referral(**change)
            code, _, ack = self.post(body)
            self.assertEqual(code, 201, ack)
            self.assertIn("crisisHelp", ack, change)
            text = str(ack["crisisHelp"])
            for number in ("999", "111", "85258", "0800 1111", "116 123"):
                self.assertIn(number, text)

    def test_crisis_signals_are_the_servers_own(self):
        code, headers, signals = self.server.request("GET", "/api/v1/crisis-signals")
        self.assertEqual(code, 200)
        self.assertIn("suicide-plan", signals["risks"])
        self.assertIn("in-emergency-department", signals["context"])
        # Every word in the list shows crisis help when it is sent, and an everyday sentence
        # does not.
        for word in signals["words"][::7]:
            code, _, ack = self.post(valid_referral(description="They said: %s." % word))
            self.assertEqual(code, 201, ack)
            self.assertIn("crisisHelp", ack, word)
        code, _, ack = self.post(valid_referral(description="Hanging out with friends helps."))
        self.assertNotIn("crisisHelp", ack)

    def test_crisis_help_even_when_invalid(self):
        body = valid_referral(risks=["suicide-plan"])
        body["youngPerson"]["dateOfBirth"] = "not a date"
        problem = self.assert_rejected(body, ["youngPerson.dateOfBirth"])
        self.assertIn("crisisHelp", problem)

    def test_every_validation_error_is_named(self):
        cases = [
            ({"referrer": {"type": "alien"}}, ["referrer.type"]),
            # Found by fuzzing: a type that is not text was a 500, not a named error.
            ({"referrer": {"type": {"phone": "x"}}}, ["referrer.type"]),
            ({"referrer": {"type": 7}, "source": "B1"}, ["referrer.type"]),
            ({"referrer": None}, ["referrer"]),
            ({"referrer": {"type": "parent"}, "source": "B2"}, ["referrer.name"]),
            ({"referrer": {"type": "professional", "name": "X"}, "source": "A1"},
             ["referrer.role", "referrer.organisation", "referrer.phone"]),
            ({"referrer": {"type": "self", "email": "not-an-email"}}, ["referrer.email"]),
            ({"source": "ZZ"}, ["source"]),
            ({"source": "A1"}, ["source"]),  # self must be B1
            ({"needs": ["anxiety", "made-up"]}, ["needs[1]"]),
            ({"needs": ["anxiety", "anxiety"]}, ["needs[1]"]),
            ({"needs": "anxiety"}, ["needs"]),
            ({"risks": ["bad"]}, ["risks[0]"]),
            ({"context": [1]}, ["context[0]"]),
            ({"impact": "huge"}, ["impact"]),
            ({"impact": None}, ["impact"]),
            ({"durationWeeks": -1}, ["durationWeeks"]),
            ({"durationWeeks": 2.5}, ["durationWeeks"]),
            ({"durationWeeks": "6"}, ["durationWeeks"]),
            ({"description": 42}, ["description"]),
            ({"description": "x" * 10001}, ["description"]),
            ({"consent": {"youngPersonAgrees": "yes"}},
             ["consent.youngPersonAgrees", "consent.parentMayBeContacted"]),
            ({"consent": None}, ["consent"]),
            ({"triedServices": ["Not An Id!"]}, ["triedServices[0]"]),
            ({"surprise": True}, ["surprise"]),
        ]
        for change, paths in cases:
            with self.subTest(change=change):
                self.assert_rejected(valid_referral(**change), paths)

    def test_young_person_errors(self):
        cases = [
            ({"givenName": ""}, ["youngPerson.givenName"]),
            ({"givenName": "   "}, ["youngPerson.givenName"]),
            ({"familyName": None}, ["youngPerson.familyName"]),
            ({"givenName": "A\u0000B"}, ["youngPerson.givenName"]),
            ({"dateOfBirth": "2011-02-30"}, ["youngPerson.dateOfBirth"]),
            ({"dateOfBirth": "14/05/2011"}, ["youngPerson.dateOfBirth"]),
            ({"dateOfBirth": "2999-01-01"}, ["youngPerson.dateOfBirth"]),
            ({"dateOfBirth": "1990-01-01"}, ["youngPerson.dateOfBirth"]),  # over 25
            ({"nhsNumber": "9434765918"}, ["youngPerson.nhsNumber"]),
            ({"nhsNumber": "12345"}, ["youngPerson.nhsNumber"]),
            ({"postcode": "NOT A POSTCODE"}, ["youngPerson.postcode"]),
            ({"postcode": None}, ["youngPerson.postcode"]),
            ({"gender": "male"}, ["youngPerson.gender"]),
            ({"ethnicCategory": "Q"}, ["youngPerson.ethnicCategory"]),
            ({"contact": {"phone": "call me"}}, ["youngPerson.contact.phone"]),
            ({"contact": {"preferredMethod": "pigeon"}}, ["youngPerson.contact.preferredMethod"]),
            ({"contact": {"fax": "1"}}, ["youngPerson.contact.fax"]),
            ({"shoeSize": 5}, ["youngPerson.shoeSize"]),
        ]
        for change, paths in cases:
            with self.subTest(change=change):
                body = valid_referral()
                body["youngPerson"] = dict(body["youngPerson"], **change)
                self.assert_rejected(body, paths)

    def test_many_errors_at_once(self):
        body = valid_referral(source="??", impact="??", needs=["??"])
        body["youngPerson"]["nhsNumber"] = "1111111112"
        problem = self.assert_rejected(body, ["source", "impact", "needs[0]",
                                              "youngPerson.nhsNumber"])
        self.assertEqual(problem["error"]["code"], "invalid")
        self.assertTrue(problem["error"]["message"])

    def test_age_boundaries(self):
        # 25 today is allowed; 26 is not. Born today (age 0) is allowed.
        import datetime
        today = datetime.date.today()
        def born(years, days=0):
            try:
                d = today.replace(year=today.year - years)
            except ValueError:
                d = today.replace(year=today.year - years, day=28)
            return (d + datetime.timedelta(days=days)).isoformat()
        for dob, ok in ((born(0), True), (born(25), True), (born(26, 1), True),
                        (born(26), False), (born(0, 1), False)):
            body = valid_referral()
            body["youngPerson"]["dateOfBirth"] = dob
            code, _, resp = self.post(body)
            self.assertEqual(code == 201, ok, (dob, resp))

    def test_hostile_bodies(self):
        cases = [
            b"{bad json",
            b"",
            b"null",
            b"[]",
            b"\"a string\"",
            b"42",
            b"[" * 5000 + b"]" * 5000,
            b"{\"a\":" * 100 + b"1" + b"}" * 100,
            b"\xff\xfe\xfa",
            b'{"referrer": {"type": "self\xc3"}}',
        ]
        for raw in cases:
            with self.subTest(raw=raw[:30]):
                self.assert_rejected(None, [""] if raw not in (b"null",) else [""], raw=raw)

    def test_wrong_content_type(self):
        code, _, problem = self.server.request(
            "POST", "/api/v1/referrals", raw=b"{}", headers={"Content-Type": "text/plain"})
        self.assertEqual(code, 400)

    def test_too_large(self):
        before = self.counts()
        body = valid_referral(description="x" * (300 * 1024))
        code, _, problem = self.post(body)
        self.assertEqual(code, 413)
        self.assertEqual(problem["error"]["code"], "too-large")
        self.assertEqual(self.counts(), before)

    def test_unknown_route_and_method(self):
        code, _, problem = self.server.request("GET", "/api/v1/nothing-here")
        self.assertEqual(code, 404)
        self.assertIn("error", problem)
        code, _, _ = self.server.request("DELETE", "/api/v1/referrals")
        self.assertEqual(code, 405)

    def test_security_headers(self):
        _, headers, _ = self.server.request("GET", "/api/v1/health")
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("frame-ancestors 'none'", headers["Content-Security-Policy"])
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertTrue(headers["X-Request-Id"])

    def test_concurrent_submissions_all_stored(self):
        refs, errors = [], []
        def worker():
            for _ in range(10):
                code, _, ack = self.post(valid_referral())
                (refs if code == 201 else errors).append(ack)
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(set(r["reference"] for r in refs)), 80)
        stored = {r[0] for r in self.server.sql("SELECT reference FROM referrals")}
        for r in refs:
            self.assertIn(r["reference"], stored)

    def test_no_identifiable_data_in_logs(self):
        body = valid_referral()
        body["youngPerson"].update(givenName="Zebedee", familyName="Quantock",
                                   postcode="LE2 7QQ", dateOfBirth="2012-07-09")
        code, _, ack = self.post(body)
        self.assertEqual(code, 201)
        self.server.request("GET", "/api/v1/referrals/%s/status?token=%s"
                            % (ack["reference"], ack["statusToken"]))
        import time
        time.sleep(1.5)  # logs flush every second
        logs = self.server.logs()
        for secret in ("Zebedee", "Quantock", "LE2 7QQ", "2012-07-09", "9434765919",
                       ack["statusToken"]):
            self.assertNotIn(secret, logs)


class RateLimitTest(unittest.TestCase):
    def test_public_endpoints_are_rate_limited_per_client(self):
        server = Server(demo=False, extra=("--public-rate-limit", "30")).start()
        try:
            codes = [server.request("POST", "/api/v1/referrals", raw=b"{}")[0] for _ in range(12)]
            self.assertEqual(codes[:10], [400] * 10)
            code, headers, problem = server.request("POST", "/api/v1/referrals", raw=b"{}")
            self.assertEqual(code, 429)
            self.assertEqual(problem["error"]["code"], "too-many-requests")
            self.assertIn("999", problem["error"]["message"])
            self.assertGreaterEqual(int(headers["Retry-After"]), 1)
            # Reading the directory is not limited.
            self.assertEqual(server.request("GET", "/api/v1/services")[0], 200)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()


if __name__ == "__main__":
    main()
