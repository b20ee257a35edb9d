"""The permission matrix: every route the server registers (from `waymark routes`) x every
role and signed out, checked against the live server. A route without a permission entry
makes `waymark routes` (and the server) refuse to start, which fails this test."""
import http.client
import json
import re
import subprocess

from harness import BIN, IDENTIFIERS, ROOT, ServerTestCase, main, valid_referral

ROLES = ["triage-clinician", "service-clinician", "service-manager", "commissioner",
         "clinical-lead", "admin", "safeguarding-lead", "national-analyst"]


class PermissionMatrixTest(ServerTestCase):
    def test_every_route_every_role(self):
        out = subprocess.run([BIN, "routes", "--area", "example"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        routes = [json.loads(l) for l in out.stdout.splitlines()]
        self.assertGreaterEqual(len(routes), 15)
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        self.assertEqual(code, 201)
        values = {"reference": ack["reference"], "id": "camhs", "action": "route",
                  "version": "no-such-version", "table": "referrals-by-month.csv"}
        # A made-up account id: disabling it is a 404 for the admin, refused for everyone else.
        cookies = {None: None}
        for role in ROLES:
            cookies[role] = self.server.sign_in(role)
        checked = 0
        for r in routes:
            if r["pattern"].endswith("*") or r["pattern"].startswith("/api/v1/auth/sign-out"):
                continue  # catch-alls; sign-out would end the session used below
            if r["pattern"] == "/api/v1/alerts/stream":
                continue  # a stream never ends; checked in test_navigation
            path = r["pattern"]
            for k, v in values.items():
                path = path.replace("{%s}" % k, v)
            for role, cookie in cookies.items():
                allowed = r["public"] or (role is not None and role in r["roles"])
                body = {} if r["method"] == "POST" else None
                code, _, resp = self.server.request(r["method"], path, body, cookie=cookie)
                where = "%s %s as %s -> %s %s" % (r["method"], r["pattern"], role, code, resp)
                if allowed:
                    self.assertNotIn(code, (401, 403), where)
                elif role is None:
                    self.assertEqual(code, 401, where)
                else:
                    self.assertEqual(code, 403, where)
                checked += 1
        self.assertGreater(checked, 100)

    def test_commissioner_and_admin_never_see_a_record(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        for role in ("commissioner", "admin"):
            cookie = self.server.sign_in(role)
            for path in ("/api/v1/referrals/" + ack["reference"], "/api/v1/referrals",
                         "/api/v1/queue"):
                code, _, body = self.server.request("GET", path, cookie=cookie)
                self.assertEqual(code, 403, (role, path))
                self.assertNotIn("Alex", json.dumps(body))

    def test_service_staff_see_only_their_services(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        service = self.server.sign_in("service-clinician")
        path = "/api/v1/referrals/" + ack["reference"]
        # Not routed anywhere yet: not theirs, and it looks like nothing is there.
        code, _, body = self.server.request("GET", path, cookie=service)
        self.assertEqual(code, 404)
        triage = self.server.sign_in("triage-clinician")
        _, _, r = self.server.request("GET", path, cookie=triage)
        code, _, _ = self.server.request(
            "POST", "/api/v1/referrals/%s/actions/route" % ack["reference"],
            {"version": r["version"], "serviceId": "camhs", "reason": "Known to CAMHS"},
            cookie=triage)
        self.assertEqual(code, 200)
        code, _, body = self.server.request("GET", path, cookie=service)
        self.assertEqual(code, 200)

    def routed(self, service, **overrides):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral(**overrides))
        self.assertEqual(code, 201, ack)
        triage = self.server.sign_in("triage-clinician")
        path = "/api/v1/referrals/" + ack["reference"]
        _, _, r = self.server.request("GET", path, cookie=triage)
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/actions/route" % ack["reference"],
            {"version": r["version"], "serviceId": service, "reason": "Tested here"},
            cookie=triage)
        self.assertEqual(code, 200, out)
        return ack["reference"]

    def test_another_services_referral_looks_like_no_referral(self):
        ref = self.routed("bereavement")  # not one of the demo service clinician's services
        service = self.server.sign_in("service-clinician")
        unknown = self.server.request("GET", "/api/v1/referrals/WM-AAAA-AAAA", cookie=service)
        theirs = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=service)
        self.assertEqual((theirs[0], unknown[0]), (404, 404))
        act = lambda r: self.server.request(
            "POST", "/api/v1/referrals/%s/actions/accept" % r, {"version": 3}, cookie=service)
        a, b = act(ref), act("WM-AAAA-AAAA")
        self.assertEqual((a[0], b[0]), (404, 404), (a, b))
        strip = lambda body: body["error"]["message"].replace(ref, "REF").replace(
            "WM-AAAA-AAAA", "REF")
        self.assertEqual(strip(a[2]), strip(b[2]))

    def test_real_per_service_account(self):
        cookie, _, _ = self.server.new_staff("camhs-only", ["service-clinician"], ["camhs"])
        mine, other = self.routed("camhs"), self.routed("early-intervention")
        self.assertEqual(self.server.request("GET", "/api/v1/referrals/" + mine,
                                             cookie=cookie)[0], 200)
        self.assertEqual(self.server.request("GET", "/api/v1/referrals/" + other,
                                             cookie=cookie)[0], 404)
        self.assertEqual(self.server.request("GET", "/api/v1/services/camhs/lists",
                                             cookie=cookie)[0], 200)
        self.assertEqual(self.server.request("GET", "/api/v1/services/early-intervention/lists",
                                             cookie=cookie)[0], 403)
        code, _, _ = self.server.request("POST", "/api/v1/referrals/%s/actions/accept" % other,
                                         {"version": 3}, cookie=cookie)
        self.assertEqual(code, 404)

    def test_safeguarding_lead_reviews_what_has_an_override(self):
        lead = self.server.sign_in("safeguarding-lead")
        triage = self.server.sign_in("triage-clinician")
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        path = "/api/v1/referrals/" + ack["reference"]
        self.assertEqual(self.server.request("GET", path, cookie=lead)[0], 404)  # nothing to review
        version = self.server.request("GET", path, cookie=triage)[2]["version"]
        code, _, out = self.server.request(
            "POST", path + "/safeguarding-override",
            {"version": version, "reason": "Disclosed harm at home during the first call."},
            cookie=triage)
        self.assertEqual(code, 200, out)
        code, _, record = self.server.request("GET", path, cookie=lead)
        self.assertEqual(code, 200, record)
        rows = self.server.sql("SELECT role, reason FROM audit_log WHERE action = 'referral.read' "
                               "AND record = ? ORDER BY seq DESC LIMIT 1",
                               ("referral/" + ack["reference"],))
        self.assertEqual(rows[0], ("safeguarding-lead",
                                   "safeguarding review: safeguarding-override"))
        # Their live stream opens, with the open safeguarding alerts and nothing else.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/api/v1/alerts/stream", headers={"Cookie": lead})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        first = resp.read1(65536).decode()
        conn.close()
        alerts = [json.loads(l[len("data: "):]) for l in first.splitlines()
                  if l.startswith("data: ")]
        self.assertIn(ack["reference"], [a["reference"] for a in alerts])
        self.assertTrue(all(a["code"].startswith("safeguarding") for a in alerts), alerts)

    def test_state_changes_must_say_where_they_come_from(self):
        triage = self.server.sign_in("triage-clinician")
        route = "/api/v1/referrals/WM-AAAA-AAAA/actions/route"
        body = {"version": 1, "serviceId": "camhs"}
        code, _, out = self.server.request("POST", route, body, cookie=triage,
                                           headers={"Origin": None})
        self.assertEqual(code, 403, out)
        self.assertIn("Origin", out["error"]["message"])
        # A browser's Sec-Fetch-Site says the same as Origin: same-origin passes the check.
        same = self.server.request("POST", route, body, cookie=triage,
                                   headers={"Origin": None, "Sec-Fetch-Site": "same-origin"})
        self.assertEqual(same[0], 404)
        cross = self.server.request("POST", route, body, cookie=triage,
                                    headers={"Origin": None, "Sec-Fetch-Site": "cross-site"})
        self.assertEqual(cross[0], 403)
        # Body-less posts too (sign-out everywhere, publish, disable).
        code, _, _ = self.server.request("POST", "/api/v1/auth/sign-out-everywhere", raw=b"",
                                         cookie=triage, headers={"Origin": None})
        self.assertEqual(code, 403)
        # Sign-in sets a cookie: it needs the proof as well; a referral from another system
        # (no cookie, no browser) does not.
        user = "demo-triage-clinician"
        code, _, _ = self.server.request(
            "POST", "/api/v1/auth/sign-in",
            {"username": user, "password": self.server.logins[user]}, headers={"Origin": None})
        self.assertEqual(code, 403)
        code, _, _ = self.server.request("POST", "/api/v1/referrals", valid_referral(),
                                         headers={"Origin": None})
        self.assertEqual(code, 201)
        code, _, _ = self.server.request("POST", "/api/v1/referrals", valid_referral(),
                                         headers={"Origin": "https://elsewhere.example"})
        self.assertEqual(code, 403)

    def test_staff_pages_redirect_when_signed_out(self):
        def get(path, cookie=None):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            resp = conn.getresponse()
            out = (resp.status, resp.getheader("Location"), resp.read())
            conn.close()
            return out
        for path in ("/staff", "/staff/queue", "/staff/referrals/WM-K7MX-3QPA",
                     "/staff/services/camhs"):
            status, location, _ = get(path)
            self.assertEqual((status, location), (303, "/staff/sign-in"), path)
        self.assertEqual(get("/staff/sign-in")[0], 200)
        self.assertEqual(get("/")[0], 200)
        self.assertEqual(get("/staff/queue", "wm_session=made-up")[0], 303)
        self.assertEqual(get("/staff/queue", self.server.sign_in("commissioner"))[0], 200)

    def test_every_identifiable_read_is_audited(self):
        """Walks every staff GET route: each one that answers with referral data leaves an
        audit entry; the rest are listed here as holding none."""
        no_personal_data = {"/api/v1/auth/me", "/api/v1/accounts", "/api/v1/reports/dashboard",
                            "/api/v1/reports/{table}", "/api/v1/model/versions",
                            "/api/v1/model/versions/{version}", "/api/v1/directory/versions"}
        out = subprocess.run([BIN, "routes", "--area", "example"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
        routes = [json.loads(l) for l in out.stdout.splitlines()]
        ref = self.routed("camhs")
        lead = self.server.sign_in("clinical-lead")
        values = {"reference": ref, "id": "camhs", "table": "referrals-by-month.csv",
                  "version": "x"}
        walked = 0
        for r in routes:
            if r["method"] != "GET" or r["public"] or r["pattern"] in no_personal_data:
                continue
            if r["pattern"] == "/api/v1/alerts/stream":
                continue  # a stream: opened in test_safeguarding_lead_reviews_what_has_an_override
            path = r["pattern"]
            for k, v in values.items():
                path = path.replace("{%s}" % k, v)
            before = self.server.sql("SELECT COUNT(*) FROM audit_log")[0][0]
            code, _, body = self.server.request("GET", path, cookie=lead)
            self.assertEqual(code, 200, (path, body))
            after = self.server.sql("SELECT COUNT(*) FROM audit_log")[0][0]
            self.assertGreater(after, before, "%s answered without an audit entry" % path)
            walked += 1
        self.assertGreaterEqual(walked, 6)
        # The family's status page too, as the holder of the link.
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        self.server.request("GET", "/api/v1/referrals/%s/status" % ack["reference"],
                            headers={"X-Status-Token": ack["statusToken"]})
        rows = self.server.sql("SELECT actor, role, fields FROM audit_log WHERE action = "
                               "'referral.status-read' AND record = ?",
                               ("referral/" + ack["reference"],))
        self.assertEqual(rows, [("public", "young-person", "status")])

    def test_audit_rows_hold_no_free_text_or_identifiers(self):
        self.routed("camhs")  # a route with a free-text reason
        everything = json.dumps(self.server.sql("SELECT * FROM audit_log"))
        found = [i for i in IDENTIFIERS if i in everything]
        self.assertFalse(found, found)
        allowed = re.compile(r"^(|see event [0-9a-f]{32}|safeguarding review: [a-z-]+|"
                             r"subject access request|retention: closed for more than \d+ days|"
                             r"re-run the triage decision from its stored model version)$")
        reasons = {r for (r,) in self.server.sql(
            "SELECT COALESCE(reason, '') FROM audit_log WHERE record LIKE 'referral/%'")}
        self.assertFalse([r for r in reasons if not allowed.match(r)], reasons)
        self.assertNotIn("Tested here", everything)

    def test_cross_site_state_change_refused(self):
        triage = self.server.sign_in("triage-clinician")
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        code, _, body = self.server.request(
            "POST", "/api/v1/referrals/%s/actions/route" % ack["reference"],
            {"version": 1, "serviceId": "camhs"}, cookie=triage,
            headers={"Origin": "https://elsewhere.example"})
        self.assertEqual(code, 403, body)


if __name__ == "__main__":
    main()
