"""The audit log: every read and change of identifiable data leaves an entry; the keyed chain
(HMAC-SHA256 under a key kept outside the database) and its signed head, in the database and
in a file beside the key, detect a row altered, removed (anywhere, including the last ones
and all of them), inserted or forged by hand; triggers refuse UPDATE and DELETE; `audit show`
serves an IG review."""
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from harness import BIN, ROOT, Server, valid_referral


def run(*args):
    p = subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def put(field):
    return "%d:%s;" % (len(field.encode()), field)


def unkeyed_hash(row, prev):
    """What an attacker without the key can compute: the unkeyed SHA-256 of an entry."""
    seq, at, actor, role, action, record, fields, client, reason = row
    buf = put(prev) + put(str(seq)) + put(at)
    for f in (actor, role, action, record, fields, client, reason):
        buf += put(f or "")
    return hashlib.sha256(buf.encode()).hexdigest()


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
        cls.key = server.db + ".key"
        cls.head = server.db + ".audit-head"
        con = sqlite3.connect(cls.db)
        cls.count = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        con.close()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def copy(self):
        """A copy of the database with its head file; verified with the original key."""
        path = os.path.join(self.server.dir, "copy-%s.db" % self._testMethodName)
        shutil.copy(self.db, path)
        shutil.copy(self.head, path + ".audit-head")
        return path

    def verify(self, path):
        return run("audit", "verify", "--db", path, "--secret-key-file", self.key,
                   "--audit-head-file", path + ".audit-head")

    def tamper(self, path, *sql):
        """What someone with the database file and sqlite3 can do: drop the triggers first."""
        con = sqlite3.connect(path)
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        for q in sql:
            con.execute(q)
        con.commit()
        con.close()

    def test_intact_chain(self):
        self.assertGreater(self.count, 6)
        code, out, err = self.verify(self.copy())
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"Audit chain intact: \d+ entries, keyed \(HMAC-SHA256\) from #1")
        self.assertIn("signed head at #%d" % self.count, out)

    def test_every_create_and_read_is_audited(self):
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT action, record FROM audit_log").fetchall()
        hashes = [h for (h,) in con.execute("SELECT hash FROM audit_log")]
        con.close()
        for ref in self.refs:
            self.assertIn(("referral.create", "referral/" + ref), rows)
            self.assertIn(("referral.read", "referral/" + ref), rows)
        self.assertTrue(all(h.startswith("k1:") for h in hashes), hashes[:3])

    def test_triggers_refuse_update_and_delete(self):
        path = self.copy()
        con = sqlite3.connect(path)
        for q in ("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2",
                  "DELETE FROM audit_log WHERE seq = 3", "DELETE FROM audit_log",
                  "DELETE FROM audit_head"):
            with self.assertRaises(sqlite3.DatabaseError) as e:
                con.execute(q)
            self.assertRegex(str(e.exception), "append-only|cannot be removed")
        con.close()
        self.assertEqual(self.verify(path)[0], 0)

    def test_altered_row_is_named(self):
        path = self.copy()
        self.tamper(path, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1)
        self.assertIn("entry 2: altered", out)

    def test_removed_middle_row_is_named(self):
        path = self.copy()
        self.tamper(path, "DELETE FROM audit_log WHERE seq = 3")
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1)
        self.assertIn("entry 4: removed - entry 3 is missing", out)

    def test_removed_first_row_is_named(self):
        path = self.copy()
        self.tamper(path, "DELETE FROM audit_log WHERE seq = 1")
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1)
        self.assertIn("entry 2: removed - entry 1 is missing", out)

    def test_removed_last_row_is_named(self):
        path = self.copy()
        self.tamper(path, "DELETE FROM audit_log WHERE seq = %d" % self.count)
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("1 entry removed from the end after #%d" % (self.count - 1), out)

    def test_removed_last_three_rows_are_named(self):
        path = self.copy()
        self.tamper(path, "DELETE FROM audit_log WHERE seq > %d" % (self.count - 3))
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("3 entries removed from the end after #%d" % (self.count - 3), out)
        self.assertIn("the head in the database and the head file both record #%d" % self.count,
                      out)

    def test_removed_last_rows_and_head_put_back(self):
        """Without the key the head in the database cannot be re-signed; the file still says."""
        path = self.copy()
        con = sqlite3.connect(path)
        prev = con.execute("SELECT hash FROM audit_log WHERE seq = ?",
                           (self.count - 3,)).fetchone()[0]
        con.close()
        self.tamper(path, "DELETE FROM audit_log WHERE seq > %d" % (self.count - 3),
                    "UPDATE audit_head SET seq = %d, hash = '%s'" % (self.count - 3, prev))
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("head-altered - the chain head in the database was altered", out)
        self.assertIn("3 entries removed from the end after #%d (the head file records #%d)"
                      % (self.count - 3, self.count), out)

    def test_all_rows_deleted(self):
        path = self.copy()
        self.tamper(path, "DELETE FROM audit_log")
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("all %d entries were removed" % self.count, out)

    def test_all_rows_and_head_deleted(self):
        path = self.copy()
        con = sqlite3.connect(path)
        con.execute("DROP TRIGGER audit_head_no_delete")
        con.commit()
        con.close()
        self.tamper(path, "DELETE FROM audit_log", "DELETE FROM audit_head")
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("head-missing", out)
        self.assertIn("all %d entries were removed (the head file records #%d)"
                      % (self.count, self.count), out)

    def test_forged_row_with_rehash_is_named(self):
        """An attacker appends a row and computes its hash as the old unkeyed chain did."""
        path = self.copy()
        con = sqlite3.connect(path)
        last_hash = con.execute("SELECT hash FROM audit_log WHERE seq = ?",
                                (self.count,)).fetchone()[0]
        con.close()
        seq = self.count + 1
        row = (seq, "2026-01-01T00:00:00.000Z", "intruder", "triage-clinician", "referral.read",
               "referral/" + self.refs[0], "all", "127.0.0.1", "")
        forged = unkeyed_hash(row, last_hash)
        self.tamper(path, "INSERT INTO audit_log (seq, at, actor, role, action, record, fields, "
                          "client, reason, prev_hash, hash) VALUES (%d, '%s', '%s', '%s', '%s', "
                          "'%s', '%s', '%s', NULL, '%s', '%s')" % (row[:8] + (last_hash, forged)))
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1, out)
        self.assertIn("entry %d: forged" % seq, out)
        self.assertIn("come after the signed head", out)

    def test_forged_row_with_made_up_mac_is_named(self):
        path = self.copy()
        self.tamper(path,
                    "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3",
                    "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003",
                    "INSERT INTO audit_log (seq, at, actor, action, prev_hash, hash) VALUES "
                    "(3, '2026-01-01T00:00:00.000Z', 'intruder', 'referral.read', 'x', 'k1:%s')"
                    % ("ab" * 32))
        code, out, _ = self.verify(path)
        self.assertEqual(code, 1)
        self.assertIn("entry 3: inserted", out)
        self.assertIn("entry 3: altered", out)
        self.assertIn("entry 4: inserted", out)  # the next real entry no longer links

    def test_wrong_key_finds_every_entry_altered_and_serve_refuses_it(self):
        path = self.copy()
        other = os.path.join(self.server.dir, "other.key")
        with open(other, "w") as f:
            f.write("11" * 32 + "\n")
        os.chmod(other, 0o600)
        code, out, _ = run("audit", "verify", "--db", path, "--secret-key-file", other,
                           "--audit-head-file", path + ".audit-head")
        self.assertEqual(code, 1)
        self.assertEqual(len(re.findall(r": altered", out)), self.count)
        code, out, err = run("audit", "show", "--db", path, "--secret-key-file", other)
        self.assertNotEqual(code, 0)
        self.assertIn("audit key does not match", err)

    def test_show_by_person_record_and_time(self):
        path = self.copy()
        key = ("--secret-key-file", self.key)
        code, out, err = run("audit", "show", "--db", path, "--person", "943 476 5919", *key)
        self.assertEqual(code, 0, err)
        self.assertIn("referral.read", out)
        code, out, _ = run("audit", "show", "--db", path, "--record", self.refs[0], *key)
        self.assertEqual(code, 0)
        lines = out.strip().splitlines()[1:]
        self.assertEqual(len(lines), 2)  # created, read
        code, out, _ = run("audit", "show", "--db", path, "--from", "2999-01-01", *key)
        self.assertEqual(len(out.strip().splitlines()), 1)  # header only
        code, _, err = run("audit", "show", "--db", path, "--from", "yesterday", *key)
        self.assertEqual(code, 2)
        # The review is itself recorded, and the chain stays whole.
        code, out, err = self.verify(path)
        self.assertEqual(code, 0, out + err)
        n = int(re.search(r"intact: (\d+) entries", out).group(1))
        self.assertGreater(n, self.count)
        self.assertIn("signed head at #%d" % n, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
