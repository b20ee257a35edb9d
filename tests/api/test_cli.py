"""The `waymark` command line: help, usage errors (exit 2), migrate, import, export."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import BIN, ROOT, valid_referral


def run(*args, stdin=None):
    p = subprocess.run([BIN] + list(args), cwd=ROOT, capture_output=True, text=True, input=stdin,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "w.db")

    def tearDown(self):
        self.dir.cleanup()

    def test_help_lists_every_command(self):
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        for cmd in ("serve", "migrate", "import", "export", "audit", "routes", "export-person",
                    "purge"):
            self.assertIn(cmd, out)

    def test_usage_errors_exit_2(self):
        for args in (["--nope"], ["serve", "--db", self.db, "--bogus"],
                     ["serve", "--db", self.db, "--port", "70000"],
                     ["serve", "--db", self.db, "--port", "abc"], ["serve"],
                     ["export", "--db", self.db, "--format", "xml"], ["frobnicate"], [],
                     ["serve", "--db", self.db, "--area", "../etc"],
                     ["serve", "--db", self.db, "--area", "no-such-area"]):
            with self.subTest(args=args):
                code, out, err = run(*args)
                self.assertEqual(code, 2, (args, out, err))
                self.assertTrue(err.strip(), "no message on stderr")

    def test_migrate_is_idempotent(self):
        self.assertEqual(run("migrate", "--db", self.db)[0], 0)
        self.assertEqual(run("migrate", "--db", self.db)[0], 0)

    def test_import_and_export(self):
        path = os.path.join(self.dir.name, "in.jsonl")
        good = valid_referral()
        bad = valid_referral(impact="enormous")
        dated = dict(valid_referral(), receivedAt="2026-01-15T10:00:00Z")
        with open(path, "w") as f:
            f.write(json.dumps(good) + "\n")
            f.write("not json\n")
            f.write(json.dumps(bad) + "\n")
            f.write("\n")
            f.write(json.dumps(dated) + "\n")
        code, out, err = run("import", "--db", self.db, path)
        self.assertEqual(code, 1, out + err)  # some lines were rejected
        self.assertIn("Imported 2 referral(s); rejected 2 line(s)", out)
        self.assertIn("line 2: not a JSON object", out)
        self.assertIn("line 3: impact: must be one of", out)
        code, out, err = run("export", "--db", self.db, "--format", "jsonl")
        self.assertEqual(code, 0, err)
        lines = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(len(lines), 2)
        self.assertIn("2026-01-15T10:00:00.000Z", [l["receivedAt"] for l in lines])
        for l in lines:
            self.assertEqual(l["referral"]["youngPerson"]["nhsNumber"], "9434765919")
            self.assertEqual(l["status"], "received")

    def test_import_all_good_exits_0(self):
        path = os.path.join(self.dir.name, "in.jsonl")
        with open(path, "w") as f:
            for _ in range(1200):
                f.write(json.dumps(valid_referral()) + "\n")
        code, out, err = run("import", "--db", self.db, path)
        self.assertEqual(code, 0, out + err)
        self.assertIn("Imported 1200 referral(s); rejected 0 line(s)", out)

    def test_export_person_and_purge_dry_run(self):
        path = os.path.join(self.dir.name, "in.jsonl")
        with open(path, "w") as f:
            f.write(json.dumps(valid_referral()) + "\n")
        self.assertEqual(run("import", "--db", self.db, path)[0], 0)
        code, out, err = run("export-person", "--db", self.db, "--nhs-number", "9434765919")
        self.assertEqual(code, 0, err)
        bundle = json.loads(out)
        self.assertEqual(len(bundle["referrals"]), 1)
        self.assertEqual(bundle["referrals"][0]["submission"]["youngPerson"]["givenName"], "Alex")
        code, _, err = run("export-person", "--db", self.db, "--nhs-number", "123")
        self.assertEqual(code, 2)
        code, out, _ = run("purge", "--db", self.db, "--dry-run")
        self.assertEqual(code, 0)
        self.assertIn("Would pseudonymise 0 of 1", out)
        code, out, _ = run("audit", "verify", "--db", self.db)
        self.assertEqual(code, 0, out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
