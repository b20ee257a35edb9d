"""`waymark triage --area example`: one triage input on standard input, the decision on standard
output; bad input exits 2 naming the field (../shared/domain/triage-contract.md)."""
import json
import subprocess
import unittest

from harness import BIN, ROOT


def triage(body, *flags):
    text = body if isinstance(body, str) else json.dumps(body)
    p = subprocess.run([BIN, "triage", "--area", "example"] + list(flags), cwd=ROOT,
                       capture_output=True, text=True, input=text, timeout=120)
    return p.returncode, p.stdout, p.stderr


def input_(**overrides):
    body = {"age": 14, "locality": "city", "source": "B1", "needs": ["anxiety"], "risks": [],
            "context": [], "impact": "mild"}
    body.update(overrides)
    return body


class TriageCliTest(unittest.TestCase):
    def test_suicide_plan_is_an_emergency_with_its_reasons(self):
        code, out, err = triage(input_(needs=["suicidal-thoughts"], risks=["suicide-plan"],
                                       impact="severe", source="A1"), "--explain")
        self.assertEqual(code, 0, err)
        d = json.loads(out)
        self.assertEqual(d["priority"], "emergency")
        self.assertIn("crisis-response-1h", [a["code"] for a in d["alerts"]])
        self.assertTrue(d["modelVersion"].startswith("Example area triage@"))
        # The winning row first, then every other row the priority table matched.
        priority_rows = [r["rule"] for r in d["rulesFired"] if r["decision"] == "Priority"]
        self.assertGreater(len(priority_rows), 1)
        self.assertIn("Suicide plan", priority_rows[0])
        # --explain: one sentence per matching row on standard error.
        self.assertRegex(err, r"Row \d+ of Priority: Suicide plan")
        self.assertEqual(len([l for l in err.splitlines() if l.startswith("Row ")]),
                         len(d["rulesFired"]))

    def test_mild_anxiety_is_routine_and_gets_a_service(self):
        code, out, err = triage(input_())
        self.assertEqual(code, 0, err)
        d = json.loads(out)
        self.assertEqual(d["priority"], "routine")
        self.assertTrue(d["services"], d)
        self.assertFalse(d["outOfArea"])

    def test_unknown_postcode_is_out_of_area_not_an_error(self):
        body = input_()
        del body["locality"]
        body["postcode"] = "ZZ99 9ZZ"
        code, out, err = triage(body)
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["outOfArea"])

    def test_bad_input_exits_2_naming_the_field(self):
        cases = [
            (input_(locality="mars"), "locality", "rutland"),
            (input_(needs=["sadness"]), "needs", "anxiety"),
            (input_(risks=["maybe"]), "risks", "suicide-plan"),
            (input_(impact="huge"), "impact", "severe"),
            (input_(source="Z9"), "source", "B1"),
            (input_(age=40), "age", "25"),
            (input_(age="fourteen"), "age", ""),
        ]
        for body, field, allowed in cases:
            code, out, err = triage(body)
            self.assertEqual(code, 2, (body, out, err))
            self.assertEqual(out, "", body)
            self.assertIn(field, err, body)
            self.assertIn(allowed, err, body)
        body = input_()
        del body["age"]
        code, _, err = triage(body)
        self.assertEqual(code, 2)
        self.assertIn("age", err)
        code, _, err = triage("{not json")
        self.assertEqual(code, 2)
        self.assertIn("not JSON", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
