"""HTTPS: `serve --tls-cert --tls-key` serves TLS with HSTS and Secure cookies."""
import http.client
import json
import os
import ssl
import subprocess
import unittest

from harness import Server


class TlsTest(unittest.TestCase):
    def test_https_with_hsts_and_secure_cookie(self):
        server = Server(demo=True)
        cert = os.path.join(server.dir, "cert.pem")
        key = os.path.join(server.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "1", "-subj", "/CN=localhost"],
                       check=True, capture_output=True)
        server.extra += ["--tls-cert", cert, "--tls-key", key]
        server.start()
        try:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=20)
            conn.request("GET", "/api/v1/health")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            self.assertIn("max-age=", resp.getheader("Strict-Transport-Security"))
            resp.read()
            user = "demo-triage-clinician"
            conn.request("POST", "/api/v1/auth/sign-in",
                         json.dumps({"username": user, "password": server.logins[user]}),
                         {"Content-Type": "application/json",
                          "Origin": "https://127.0.0.1:%d" % server.port})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            self.assertIn("Secure", resp.getheader("Set-Cookie"))
            resp.read()
            conn.close()
            # Plain HTTP to the TLS port gets nothing useful and the server keeps going.
            plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            try:
                plain.request("GET", "/api/v1/health")
                plain.getresponse()
            except Exception:
                pass
            conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=20)
            conn.request("GET", "/api/v1/health")
            self.assertEqual(conn.getresponse().status, 200)
        finally:
            self.assertEqual(server.stop(), 0)
            server.cleanup()

    def test_cert_without_key_is_a_usage_error(self):
        from harness import BIN, ROOT
        p = subprocess.run([BIN, "serve", "--db", "/tmp/x.db", "--tls-cert", "/etc/hostname"],
                           cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
