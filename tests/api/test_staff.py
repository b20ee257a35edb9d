"""Staff sign-in, sessions, role checks, audited reads, and informants' versioned views."""
import base64
import hashlib
import hmac
import os
import sqlite3
import stat
import struct
import subprocess
import time

from harness import BIN, ROOT, Server, ServerTestCase, main, valid_referral


def totp(secret_b32, at=None):
    """RFC 6238, as an authenticator app computes it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    step = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % code


class StaffTest(ServerTestCase):
    def new_referral(self):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral())
        self.assertEqual(code, 201, ack)
        return ack

    def test_demo_accounts_printed_for_every_role(self):
        for role in ("triage-clinician", "service-clinician", "service-manager", "commissioner",
                     "clinical-lead", "admin", "safeguarding-lead"):
            self.assertIn("demo-" + role, self.server.logins)

    def test_sign_in_cookie_flags(self):
        user = "demo-triage-clinician"
        code, headers, body = self.server.request(
            "POST", "/api/v1/auth/sign-in", {"username": user, "password": self.server.logins[user]})
        self.assertEqual(code, 200, body)
        cookie = headers["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertEqual(body["roles"], ["triage-clinician"])
        hashed = self.server.sql("SELECT id_hash FROM sessions")
        value = cookie.split(";")[0].split("=", 1)[1]
        self.assertNotIn(value, [h[0] for h in hashed], "session id stored in clear")

    def test_totp_second_factor(self):
        user = "demo-commissioner"
        password = self.server.logins[user]
        cookie = self.server.sign_in("commissioner")
        code, _, enrol = self.server.request("POST", "/api/v1/auth/totp", raw=b"{}", cookie=cookie)
        self.assertEqual(code, 200, enrol)
        self.assertTrue(enrol["otpauthUri"].startswith("otpauth://totp/Waymark:"))
        code, _, bad = self.server.request("POST", "/api/v1/auth/totp/confirm", {"code": "000000"},
                                           cookie=cookie)
        self.assertEqual(code, 400)
        now_code = totp(enrol["secret"])
        code, _, done = self.server.request("POST", "/api/v1/auth/totp/confirm",
                                            {"code": now_code}, cookie=cookie)
        self.assertEqual(code, 200, done)
        # Stored encrypted under the key file beside the database, never as the secret.
        stored = self.server.sql("SELECT totp_secret FROM accounts WHERE username = ?", (user,))
        self.assertNotIn(enrol["secret"], stored[0][0])
        self.assertTrue(stored[0][0].startswith("sb1:"), stored)
        mode = os.stat(self.server.db + ".key").st_mode
        self.assertEqual(stat.S_IMODE(mode), 0o600)
        recovery = done["recoveryCodes"]
        self.assertEqual(len(recovery), 10)
        # Now the password alone is not enough, and the answer says what is missing.
        code, _, need = self.server.request("POST", "/api/v1/auth/sign-in",
                                            {"username": user, "password": password})
        self.assertEqual(code, 401)
        self.assertEqual(need["error"]["fields"][0]["path"], "code")
        code, _, ok = self.server.request("POST", "/api/v1/auth/sign-in",
                                          {"username": user, "password": password,
                                           "code": now_code})
        self.assertEqual(code, 200, ok)
        # The same code cannot be used twice (replay).
        code, _, _ = self.server.request("POST", "/api/v1/auth/sign-in",
                                         {"username": user, "password": password,
                                          "code": now_code})
        self.assertEqual(code, 401)
        # A recovery code works once.
        body = {"username": user, "password": password, "code": recovery[0].upper()}
        self.assertEqual(self.server.request("POST", "/api/v1/auth/sign-in", body)[0], 200)
        self.assertEqual(self.server.request("POST", "/api/v1/auth/sign-in", body)[0], 401)
        stored = self.server.sql("SELECT code_hash FROM recovery_codes")
        self.assertNotIn(recovery[1], [r[0] for r in stored])

    def test_admin_manages_accounts_but_reads_no_record(self):
        admin = self.server.sign_in("admin")
        code, _, problem = self.server.request(
            "POST", "/api/v1/accounts", {"username": "new-clinician", "displayName": "New",
                                         "password": "short", "roles": ["wizard"]}, cookie=admin)
        self.assertEqual(code, 400)
        self.assertIn("roles", {f["path"] for f in problem["error"]["fields"]})
        code, _, problem = self.server.request(
            "POST", "/api/v1/accounts", {"username": "new-clinician", "displayName": "New",
                                         "password": "short", "roles": ["triage-clinician"]},
            cookie=admin)
        self.assertEqual(code, 400)
        self.assertEqual(problem["error"]["fields"][0]["path"], "password")
        password = "violet harbour tram lantern"
        code, _, made = self.server.request(
            "POST", "/api/v1/accounts", {"username": "new-clinician", "displayName": "New",
                                         "password": password, "roles": ["triage-clinician"]},
            cookie=admin)
        self.assertEqual(code, 201, made)
        # The same username again: a conflict named beside the field, nothing stored.
        code, _, problem = self.server.request(
            "POST", "/api/v1/accounts", {"username": "new-clinician", "displayName": "Other",
                                         "roles": ["commissioner"]}, cookie=admin)
        self.assertEqual(code, 409, problem)
        self.assertEqual(problem["error"]["fields"][0]["path"], "username")
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM accounts WHERE username = 'new-clinician'")[0][0], 1)
        self.assertTrue(made["pendingApproval"])
        self.assertNotIn("oneTimePassword", made)  # the admin chose it, so it is not echoed
        code, _, listing = self.server.request("GET", "/api/v1/accounts", cookie=admin)
        account = [a for a in listing["accounts"] if a["username"] == "new-clinician"][0]
        self.assertNotIn("passwordHash", account)
        self.assertTrue(account["pendingApproval"])
        # Two-person rule: the admin's new clinician cannot sign in until a clinical lead
        # approves, and the admin cannot approve it.
        code, _, body = self.server.request(
            "POST", "/api/v1/auth/sign-in", {"username": "new-clinician", "password": password})
        self.assertEqual(code, 403, body)
        self.assertIn("waiting for a clinical lead", body["error"]["message"])
        approve = "/api/v1/accounts/%s/approve" % account["id"]
        self.assertEqual(self.server.request("POST", approve, raw=b"", cookie=admin)[0], 403)
        lead = self.server.sign_in("clinical-lead")
        self.assertEqual(self.server.request("POST", approve, raw=b"", cookie=lead)[0], 200)
        self.assertEqual(self.server.request("POST", approve, raw=b"", cookie=lead)[0], 409)
        # The administrator's password works once, only to choose the person's own.
        code, _, body = self.server.request(
            "POST", "/api/v1/auth/sign-in", {"username": "new-clinician", "password": password})
        self.assertEqual(code, 401)
        self.assertEqual(body["error"]["fields"][0]["path"], "newPassword")
        own = "amber orchard kite seven"
        code, headers, _ = self.server.request(
            "POST", "/api/v1/auth/sign-in",
            {"username": "new-clinician", "password": password, "newPassword": own})
        self.assertEqual(code, 200)
        self.assertEqual(self.server.request(
            "POST", "/api/v1/auth/sign-in",
            {"username": "new-clinician", "password": password})[0], 401)
        session = headers["Set-Cookie"].split(";")[0]
        # A real account must set up its second factor before anything else.
        _, _, me = self.server.request("GET", "/api/v1/auth/me", cookie=session)
        self.assertTrue(me["secondFactorSetupNeeded"])
        self.assertEqual(self.server.request("GET", "/api/v1/queue", cookie=session)[0], 403)
        code, _, _ = self.server.request("POST", "/api/v1/accounts/%s/disable" % account["id"],
                                         raw=b"{}", cookie=admin)
        self.assertEqual(code, 200)
        self.assertEqual(self.server.request("GET", "/api/v1/auth/me", cookie=session)[0], 401)
        clinician = self.server.sign_in("triage-clinician")
        self.assertEqual(self.server.request("GET", "/api/v1/accounts", cookie=clinician)[0], 403)
        # Every step is in the audit log, by whom, with no password or name in it.
        rows = self.server.sql("SELECT action, role, fields FROM audit_log WHERE record = ? "
                               "ORDER BY seq", ("account/" + account["id"],))
        self.assertEqual([r[0] for r in rows], ["account.create", "account.approve",
                                                "account.password-set", "account.disable"])
        self.assertEqual([r[1] for r in rows], ["admin", "clinical-lead", "self", "admin"])
        self.assertNotIn(password, str(self.server.sql("SELECT * FROM audit_log")))

    def test_generated_one_time_password_and_role_change_needs_approval_again(self):
        admin = self.server.sign_in("admin")
        code, _, made = self.server.request(
            "POST", "/api/v1/accounts", {"username": "new-commissioner", "displayName": "C",
                                         "roles": ["commissioner"]}, cookie=admin)
        self.assertEqual(code, 201, made)
        self.assertFalse(made["pendingApproval"])  # reads no clinical record
        self.assertGreaterEqual(len(made["oneTimePassword"]), 12)
        code, _, out = self.server.request(
            "POST", "/api/v1/accounts/%s/roles" % made["id"],
            {"roles": ["commissioner", "service-clinician"], "services": ["nowhere"]},
            cookie=admin)
        self.assertEqual((code, out["error"]["fields"][0]["path"]), (400, "services"), out)
        code, _, out = self.server.request(
            "POST", "/api/v1/accounts/%s/roles" % made["id"],
            {"roles": ["commissioner", "service-clinician"], "services": ["camhs"]}, cookie=admin)
        self.assertEqual(code, 200, out)
        self.assertTrue(out["pendingApproval"])
        code, _, body = self.server.request("POST", "/api/v1/auth/sign-in", {
            "username": "new-commissioner", "password": made["oneTimePassword"]})
        self.assertEqual(code, 403, body)
        actions = [r[0] for r in self.server.sql(
            "SELECT action FROM audit_log WHERE record = ? ORDER BY seq",
            ("account/" + made["id"],))]
        self.assertEqual(actions, ["account.create", "account.roles-change"])

    def test_a_lead_who_is_also_admin_cannot_approve_their_own_request(self):
        dual, _, _ = self.server.new_staff("dual-admin-lead", ["admin", "clinical-lead"])
        code, _, made = self.server.request(
            "POST", "/api/v1/accounts", {"username": "asked-by-dual", "displayName": "A",
                                         "roles": ["safeguarding-lead"]}, cookie=dual)
        self.assertEqual(code, 201, made)
        code, _, body = self.server.request(
            "POST", "/api/v1/accounts/%s/approve" % made["id"], raw=b"", cookie=dual)
        self.assertEqual(code, 403, body)
        self.assertIn("another clinical lead", body["error"]["message"])
        lead = self.server.sign_in("clinical-lead")
        self.assertEqual(self.server.request(
            "POST", "/api/v1/accounts/%s/approve" % made["id"], raw=b"", cookie=lead)[0], 200)

    def test_wrong_password_and_unknown_user_look_the_same(self):
        a = self.server.request("POST", "/api/v1/auth/sign-in",
                                {"username": "demo-admin", "password": "wrong"})
        b = self.server.request("POST", "/api/v1/auth/sign-in",
                                {"username": "nobody", "password": "wrong"})
        self.assertEqual((a[0], b[0]), (401, 401))
        self.assertEqual(a[2], b[2])
        c = self.server.request("POST", "/api/v1/auth/sign-in", {"username": ""})
        self.assertEqual(c[0], 400)
        self.assertEqual({f["path"] for f in c[2]["error"]["fields"]}, {"username", "password"})

    def test_staff_read_is_audited_and_role_checked(self):
        ack = self.new_referral()
        path = "/api/v1/referrals/" + ack["reference"]
        self.assertEqual(self.server.request("GET", path)[0], 401)
        commissioner = self.server.sign_in("commissioner")
        self.assertEqual(self.server.request("GET", path, cookie=commissioner)[0], 403)
        admin = self.server.sign_in("admin")
        self.assertEqual(self.server.request("GET", path, cookie=admin)[0], 403)
        clinician = self.server.sign_in("triage-clinician")
        before = self.server.sql("SELECT COUNT(*) FROM audit_log WHERE action='referral.read'")[0][0]
        code, _, record = self.server.request("GET", path, cookie=clinician)
        self.assertEqual(code, 200, record)
        self.assertEqual(record["submission"]["youngPerson"]["givenName"], "Alex")
        self.assertEqual(record["events"][0]["kind"], "referral.received")
        rows = self.server.sql("SELECT actor, role, record, client FROM audit_log "
                               "WHERE action='referral.read' ORDER BY seq")
        self.assertEqual(len(rows), before + 1)
        self.assertEqual(rows[-1][1:3], ("triage-clinician", "referral/" + ack["reference"]))
        self.assertEqual(rows[-1][3], "127.0.0.1")

    def test_lockout_after_repeated_failures(self):
        user = "demo-service-manager"
        for _ in range(5):
            code, _, body = self.server.request("POST", "/api/v1/auth/sign-in",
                                                {"username": user, "password": "wrong-password"})
            self.assertEqual(code, 401)
        # Now even the right password is refused for a while, with the same message.
        code, _, locked = self.server.request(
            "POST", "/api/v1/auth/sign-in", {"username": user, "password": self.server.logins[user]})
        self.assertEqual(code, 401)
        self.assertEqual(locked["error"]["message"], body["error"]["message"])
        row = self.server.sql("SELECT failed_sign_ins, locked_until FROM accounts WHERE username = ?",
                              (user,))[0]
        self.assertGreaterEqual(row[0], 5)
        self.assertTrue(row[1])

    def test_sign_out_everywhere(self):
        first = self.server.sign_in("clinical-lead")
        second = self.server.sign_in("clinical-lead")
        code, _, _ = self.server.request("POST", "/api/v1/auth/sign-out-everywhere", raw=b"",
                                         cookie=first)
        self.assertEqual(code, 200)
        for cookie in (first, second):
            self.assertEqual(self.server.request("GET", "/api/v1/auth/me", cookie=cookie)[0], 401)

    def test_queue_lists_without_names(self):
        self.new_referral()
        cookie = self.server.sign_in("triage-clinician")
        code, _, body = self.server.request("GET", "/api/v1/referrals", cookie=cookie)
        self.assertEqual(code, 200)
        self.assertTrue(body["referrals"])
        self.assertNotIn("Alex", str(body))

    def test_sign_out_ends_session(self):
        cookie = self.server.sign_in("clinical-lead")
        self.assertEqual(self.server.request("GET", "/api/v1/auth/me", cookie=cookie)[0], 200)
        code, headers, _ = self.server.request("POST", "/api/v1/auth/sign-out", raw=b"",
                                               cookie=cookie)
        self.assertEqual(code, 200)
        self.assertIn("Max-Age=0", headers["Set-Cookie"])
        self.assertEqual(self.server.request("GET", "/api/v1/auth/me", cookie=cookie)[0], 401)

    def test_informant_views_are_versioned(self):
        # The young person agrees to a parent being asked (decision 0012: otherwise no invite).
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral(
            consent={"youngPersonAgrees": True, "parentMayBeContacted": True}))
        self.assertEqual(code, 201, ack)
        token = {"X-Status-Token": ack["statusToken"]}
        base = "/api/v1/referrals/%s/informants" % ack["reference"]
        self.assertEqual(self.server.request("POST", base, {"role": "parent"})[0], 404)
        code, _, problem = self.server.request("POST", base, {"role": "aunt"}, headers=token)
        self.assertEqual(code, 400)
        code, _, invite = self.server.request("POST", base, {"role": "parent"}, headers=token)
        self.assertEqual(code, 201, invite)
        views = "/api/v1/informants/%s/views" % invite["informantId"]
        bad = self.server.request("POST", views, {"concerns": "x"},
                                  headers={"X-Invite-Token": "wrong"})
        self.assertEqual(bad[0], 404)
        inv = {"X-Invite-Token": invite["inviteToken"]}
        code, _, problem = self.server.request("POST", views, {"needs": ["nope"], "x": 1}, headers=inv)
        self.assertEqual(code, 400)
        self.assertEqual({f["path"] for f in problem["error"]["fields"]}, {"needs[0]", "x"})
        v1 = self.server.request("POST", views, {"concerns": "Not sleeping", "impact": "moderate"},
                                 headers=inv)
        v2 = self.server.request("POST", views, {"concerns": "Worse this week",
                                                 "needs": ["sleep"]}, headers=inv)
        self.assertEqual((v1[0], v1[2]["version"]), (201, 1))
        self.assertEqual((v2[0], v2[2]["version"]), (201, 2))
        cookie = self.server.sign_in("triage-clinician")
        _, _, record = self.server.request("GET", "/api/v1/referrals/" + ack["reference"],
                                           cookie=cookie)
        parent = record["informants"][0]
        self.assertEqual(parent["role"], "parent")
        self.assertEqual([v["version"] for v in parent["views"]], [1, 2])
        self.assertEqual(parent["views"][0]["answers"]["concerns"], "Not sleeping")


class RequiredSecondFactorTest(ServerTestCase):
    """With --require-second-factor staff can do nothing but set one up."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra=("--public-rate-limit", "0", "--require-second-factor")).start()

    def test_enrol_then_work(self):
        user = "demo-triage-clinician"
        password = self.server.logins[user]
        cookie = self.server.sign_in("triage-clinician")
        code, _, problem = self.server.request("GET", "/api/v1/queue", cookie=cookie)
        self.assertEqual(code, 403)
        self.assertEqual(problem["error"]["fields"][0]["path"], "code")
        code, _, me = self.server.request("GET", "/api/v1/auth/me", cookie=cookie)
        self.assertTrue(me["secondFactorSetupNeeded"])
        code, _, enrol = self.server.request("POST", "/api/v1/auth/totp", raw=b"{}", cookie=cookie)
        self.assertEqual(code, 200)
        first = totp(enrol["secret"])
        code, _, _ = self.server.request("POST", "/api/v1/auth/totp/confirm", {"code": first},
                                         cookie=cookie)
        self.assertEqual(code, 200)
        # The enrolment session stays limited; a new sign-in with a code is a full one.
        self.assertEqual(self.server.request("GET", "/api/v1/queue", cookie=cookie)[0], 403)
        code, headers, _ = self.server.request(
            "POST", "/api/v1/auth/sign-in", {"username": user, "password": password, "code": first})
        self.assertEqual(code, 200)
        full = headers["Set-Cookie"].split(";")[0]
        self.assertEqual(self.server.request("GET", "/api/v1/queue", cookie=full)[0], 200)


class CommandLineAccountTest(ServerTestCase):
    """The operator makes the first administrator at the command line: a one-time password,
    then the person's own password and a second factor at first sign-in; audited."""

    demo = False

    def test_first_administrator(self):
        out = subprocess.run([BIN, "account", "create", "--db", self.server.db, "--username",
                              "first-admin", "--display-name", "First Admin", "--role", "admin"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        one_time = out.stdout.strip().splitlines()[-1].strip()
        code, _, body = self.server.request("POST", "/api/v1/auth/sign-in", {
            "username": "first-admin", "password": one_time})
        self.assertEqual((code, body["error"]["fields"][0]["path"]), (401, "newPassword"))
        code, headers, _ = self.server.request("POST", "/api/v1/auth/sign-in", {
            "username": "first-admin", "password": one_time,
            "newPassword": "granite meadow signal ferry"})
        self.assertEqual(code, 200)
        cookie = headers["Set-Cookie"].split(";")[0]
        _, _, me = self.server.request("GET", "/api/v1/auth/me", cookie=cookie)
        self.assertTrue(me["secondFactorSetupNeeded"])
        self.assertEqual(self.server.request("GET", "/api/v1/accounts", cookie=cookie)[0], 403)
        rows = self.server.sql("SELECT action, role FROM audit_log WHERE record LIKE 'account/%' "
                               "ORDER BY seq")
        self.assertEqual(rows, [("account.create", "cli"), ("account.password-set", "self")])
        bad = subprocess.run([BIN, "account", "create", "--db", self.server.db, "--username",
                              "x", "--display-name", "X", "--role", "wizard"],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("wizard", bad.stderr)


class TotpSecretsAtRestTest(ServerTestCase):
    """Secrets stored in clear by an earlier version are encrypted at the next start, and
    sign-in with a code still works; a key file that is named but missing stops the start."""

    def test_plaintext_secret_is_encrypted_on_start(self):
        user = "demo-safeguarding-lead"
        cookie = self.server.sign_in("safeguarding-lead")
        code, _, enrol = self.server.request("POST", "/api/v1/auth/totp", raw=b"{}", cookie=cookie)
        self.assertEqual(code, 200)
        code, _, _ = self.server.request("POST", "/api/v1/auth/totp/confirm",
                                         {"code": totp(enrol["secret"])}, cookie=cookie)
        self.assertEqual(code, 200)
        self.assertEqual(self.server.stop(), 0)
        # As an earlier version stored it: the base32 secret itself.
        con = sqlite3.connect(self.server.db)
        con.execute("UPDATE accounts SET totp_secret = ?, totp_last_step = 0 WHERE username = ?",
                    (enrol["secret"], user))
        con.commit()
        con.close()
        again = Server(db=self.server.db).start()
        try:
            stored = again.sql("SELECT totp_secret FROM accounts WHERE username = ?", (user,))
            self.assertTrue(stored[0][0].startswith("sb1:"), stored)
            self.assertNotIn(enrol["secret"], stored[0][0])
            code, _, body = again.request("POST", "/api/v1/auth/sign-in", {
                "username": user, "password": again.logins[user],
                "code": totp(enrol["secret"])})
            self.assertEqual(code, 200, body)
        finally:
            rc = again.stop()
            logs = again.logs()
            again.cleanup()
        self.assertEqual(rc, 0)
        self.assertNotIn("ERROR: AddressSanitizer", logs)
        self.assertIn("totp-secrets-encrypted", logs)

    def test_named_key_file_must_exist(self):
        missing = os.path.join(self.server.dir, "elsewhere.key")
        out = subprocess.run([BIN, "serve", "--port", "0", "--db",
                              os.path.join(self.server.dir, "other.db"), "--secret-key-file",
                              missing], cwd=ROOT, capture_output=True, text=True, timeout=120)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("elsewhere.key", out.stderr)
        self.assertFalse(os.path.exists(missing))


if __name__ == "__main__":
    main()
