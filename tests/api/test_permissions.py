"""The permission matrix: every route the server registers (from `waymark routes`) x every
role and signed out, checked against the live server. A route without a permission entry
makes `waymark routes` (and the server) refuse to start, which fails this test."""
import json
import subprocess

from harness import BIN, ROOT, ServerTestCase, main, valid_referral

ROLES = ["triage-clinician", "service-clinician", "service-manager", "commissioner",
         "clinical-lead", "admin", "safeguarding-lead"]


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
                  "version": "no-such-version"}
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
