"""Starts the real `waymark` binary on a free port and speaks real HTTP to it.

Used by every tests/api/test_*.py file. Only the Python standard library, so the tests run
on a fresh machine with nothing but Debian's python3.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("WAYMARK_BIN", os.path.join(ROOT, "build-debug", "waymark"))


class Server:
    """One `waymark serve` process with its own temporary database."""

    def __init__(self, db=None, demo=True, extra=("--public-rate-limit", "0")):
        self.dir = tempfile.mkdtemp(prefix="waymark-api-")
        self.db = db or os.path.join(self.dir, "waymark.db")
        self.demo = demo
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.logins = {}
        self.stdout_lines = []

    def start(self):
        args = [BIN, "serve", "--port", "0", "--db", self.db, "--area", "example"] + self.extra
        if self.demo:
            args.append("--demo")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("server exited early: " + open(self.stderr_path).read()[-2000:])
            self.stdout_lines.append(line)
            m = re.search(r"Open: https?://[^:]+:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
            m = re.match(r"\s+(demo-[a-z-]+)\s+(\S+)$", line)
            if m:
                self.logins[m.group(1)] = m.group(2)
            if "Stop with Ctrl+C" in line:
                return self
        raise RuntimeError("server did not start in time")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "stderr", None):
            self.stderr.close()
        return self.proc.returncode if self.proc else None

    def kill(self):
        """SIGKILL: no chance to flush anything; durability must not depend on it."""
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def logs(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def request(self, method, path, body=None, headers=None, raw=None, cookie=None):
        """Returns (status, headers, parsed JSON body or text)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        h = {"Content-Type": "application/json"} if data is not None else {}
        # As a browser does: state changes say where they come from (CSRF defence). A test
        # passes headers={"Origin": None} to send none.
        if method not in ("GET", "HEAD"):
            h["Origin"] = "http://127.0.0.1:%d" % self.port
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        if cookie:
            h["Cookie"] = cookie
        req = urllib.request.Request(self.url(path), data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.headers, _decode(resp.read(), resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.headers, _decode(e.read(), e.headers)

    def sign_in(self, role):
        user = "demo-" + role
        status, headers, body = self.request("POST", "/api/v1/auth/sign-in",
                                             {"username": user, "password": self.logins[user]})
        assert status == 200, (status, body)
        cookie = headers["Set-Cookie"].split(";")[0]
        return cookie

    def new_staff(self, username, roles, services=None, approver="clinical-lead",
                  admin_cookie=None):
        """A real (not demo) staff account, as an administrator asks for it: created with a
        one-time password, approved by a clinical lead when a role reads clinical records,
        first sign-in choosing a password, second factor set up, then a full sign-in.
        Returns (session cookie, password, TOTP secret)."""
        admin = admin_cookie or self.sign_in("admin")
        body = {"username": username, "displayName": "Synthetic " + username, "roles": roles}
        if services is not None:
            body["services"] = services
        code, _, made = self.request("POST", "/api/v1/accounts", body, cookie=admin)
        assert code == 201, (code, made)
        if made["pendingApproval"]:
            code, _, out = self.request("POST", "/api/v1/accounts/%s/approve" % made["id"],
                                        raw=b"", cookie=self.sign_in(approver))
            assert code == 200, (code, out)
        password = "synthetic harbour lantern meadow"
        code, headers, out = self.request("POST", "/api/v1/auth/sign-in", {
            "username": username, "password": made["oneTimePassword"], "newPassword": password})
        assert code == 200, (code, out)
        enrol_cookie = headers["Set-Cookie"].split(";")[0]
        code, _, enrol = self.request("POST", "/api/v1/auth/totp", raw=b"", cookie=enrol_cookie)
        assert code == 200, (code, enrol)
        code, _, out = self.request("POST", "/api/v1/auth/totp/confirm",
                                    {"code": totp(enrol["secret"])}, cookie=enrol_cookie)
        assert code == 200, (code, out)
        code, headers, out = self.request("POST", "/api/v1/auth/sign-in", {
            "username": username, "password": password, "code": totp(enrol["secret"])})
        assert code == 200, (code, out)
        return headers["Set-Cookie"].split(";")[0], password, enrol["secret"]

    def sql(self, query, args=()):
        """Reads the server's database directly (a second, read-only connection)."""
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=30)
        try:
            return con.execute(query, args).fetchall()
        finally:
            con.close()


def totp(secret_b32, at=None):
    """RFC 6238, as an authenticator app computes it."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    step = int((at or time.time()) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000
    return "%06d" % code


def _decode(raw, headers):
    ctype = headers.get("Content-Type", "")
    if "json" in ctype:
        return json.loads(raw.decode()) if raw else None
    return raw.decode(errors="replace")


def valid_referral(**overrides):
    """A synthetic, valid self-referral. No real person: names are made up and the NHS number
    is from the published example (9434765919)."""
    body = {
        "referrer": {"type": "self"},
        "youngPerson": {
            "givenName": "Alex",
            "familyName": "Testperson",
            "dateOfBirth": "2011-05-14",
            "nhsNumber": "9434765919",
            "postcode": "LE1 5WW",
            "gender": "Z",
            "ethnicCategory": "Z",
            "contact": {"phone": "07700 900123", "preferredMethod": "text"},
        },
        "source": "B1",
        "needs": ["anxiety"],
        "risks": [],
        "context": [],
        "impact": "mild",
        "durationWeeks": 6,
        "description": "Worried all the time about school.",
        "consent": {"youngPersonAgrees": True, "parentMayBeContacted": False},
    }
    for k, v in overrides.items():
        body[k] = v
    return body


# Every identifier the API tests send. After each test class the server's logs are searched
# for all of them: identifiable data must never reach a log.
IDENTIFIERS = ["Alex", "Testperson", "9434765919", "943 476 5919", "LE1 5WW", "2011-05-14",
               "07700 900123", "07700 900456", "Sam Parent", "Dr Example", "gp@example.org",
               "Zebedee", "Quantock", "LE2 7QQ", "2012-07-09", "SW1A 1AA", "le15 6aa"]


def assert_no_identifiers(logs):
    found = [i for i in IDENTIFIERS if i in logs]
    assert not found, "identifiable data in the logs: %s" % found


def assert_json_lines(logs):
    """Every line the server logs is one JSON object (structured logs, issue 6)."""
    bad = []
    for line in logs.splitlines():
        if not line.strip():
            continue
        try:
            if not isinstance(json.loads(line), dict):
                bad.append(line)
        except ValueError:
            bad.append(line)
    assert not bad, "log lines that are not JSON: %s" % bad[:5]


class ServerTestCase(unittest.TestCase):
    """A test class sharing one server; each test sees the database as earlier tests left it."""

    demo = True

    @classmethod
    def setUpClass(cls):
        cls.server = Server(demo=cls.demo).start()

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        logs = cls.server.logs()
        cls.server.cleanup()
        # A sanitizer report or crash in the server fails the suite.
        assert "runtime error" not in logs and "ERROR: AddressSanitizer" not in logs, logs[-3000:]
        assert_no_identifiers(logs)
        assert_json_lines(logs)
        assert rc == 0, "server exit code %s" % rc


def main():
    unittest.main(verbosity=2)
