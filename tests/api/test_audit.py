"""The audit log: every read and change of identifiable data leaves an entry; the hash chain
detects a row altered, removed or inserted by hand; `audit show` serves an IG review."""
import os
import shutil
import sqlite3
import subprocess
import unittest

from harness import BIN, ROOT, Server, valid_referral


def run(*args):
    p = subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


class AuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server = Server().start()
        cls.refs = []
        for _ in range(3):
            code, _, ack = server.request("POST", "/api/v1/referrals", valid_referral())
            cls.refs.append(ack["reference"])
        cookie = server.sign_in("triage-clinician")
        for ref in cls.refs:
            server.request("GET", "/api/v1/referrals/" + ref, cookie=cookie)
        assert server.stop() == 0
        cls.server = server
        cls.db = server.db

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def copy(self):
        path = os.path.join(self.server.dir, "copy-%s.db" % self._testMethodName)
        shutil.copy(self.db, path)
        return path

    def edit(self, path, sql):
        con = sqlite3.connect(path)
        con.execute(sql)
        con.commit()
        con.close()

    def test_intact_chain(self):
        code, out, err = run("audit", "verify", "--db", self.copy())
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"Audit chain intact: \d+ entries")

    def test_every_create_and_read_is_audited(self):
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT action, record FROM audit_log").fetchall()
        con.close()
        for ref in self.refs:
            self.assertIn(("referral.create", "referral/" + ref), rows)
            self.assertIn(("referral.read", "referral/" + ref), rows)

    def test_altered_row_is_named(self):
        path = self.copy()
        self.edit(path, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
        code, out, _ = run("audit", "verify", "--db", path)
        self.assertEqual(code, 1)
        self.assertIn("entry 2: altered", out)

    def test_removed_row_is_named(self):
        path = self.copy()
        self.edit(path, "DELETE FROM audit_log WHERE seq = 3")
        code, out, _ = run("audit", "verify", "--db", path)
        self.assertEqual(code, 1)
        self.assertIn("entry 4: removed", out)

    def test_inserted_row_is_named(self):
        path = self.copy()
        # Make room at 3 by renumbering, then slip a forged entry in.
        self.edit(path, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3")
        self.edit(path, "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003")
        self.edit(path, "INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES "
                        "(3, '2026-01-01T00:00:00.000Z', 'intruder', 'referral.read', 'x', 'y')")
        code, out, _ = run("audit", "verify", "--db", path)
        self.assertEqual(code, 1)
        self.assertIn("entry 3: inserted", out)
        self.assertIn("entry 4: inserted", out)  # the next real entry no longer links

    def test_rehashing_a_forged_row_still_breaks_the_next_link(self):
        path = self.copy()
        self.edit(path, "UPDATE audit_log SET hash = 'forged' WHERE seq = 2")
        code, out, _ = run("audit", "verify", "--db", path)
        self.assertEqual(code, 1)
        self.assertIn("entry 3: inserted", out)

    def test_show_by_person_record_and_time(self):
        path = self.copy()
        code, out, err = run("audit", "show", "--db", path, "--person", "943 476 5919")
        self.assertEqual(code, 0, err)
        self.assertIn("referral.read", out)
        code, out, _ = run("audit", "show", "--db", path, "--record", self.refs[0])
        self.assertEqual(code, 0)
        lines = out.strip().splitlines()[1:]
        self.assertEqual(len(lines), 2)  # created, read
        code, out, _ = run("audit", "show", "--db", path, "--from", "2999-01-01")
        self.assertEqual(len(out.strip().splitlines()), 1)  # header only
        code, _, err = run("audit", "show", "--db", path, "--from", "yesterday")
        self.assertEqual(code, 2)
        # The review is itself recorded, and the chain stays whole.
        self.assertEqual(run("audit", "verify", "--db", path)[0], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
