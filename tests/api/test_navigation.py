"""The navigation scenario against the real server: refer -> route -> decline -> re-route ->
accept -> book -> attend -> discharge; concurrent decisions; illegal transitions; the
family's story at each step; the triage queue and a service's lists."""
import threading

from harness import ServerTestCase, main, valid_referral


class NavigationTest(ServerTestCase):
    def setUp(self):
        self.triage = self.server.sign_in("triage-clinician")
        self.service = self.server.sign_in("service-clinician")

    def refer(self, **kw):
        code, _, ack = self.server.request("POST", "/api/v1/referrals", valid_referral(**kw))
        self.assertEqual(code, 201, ack)
        return ack

    def version(self, ref):
        _, _, r = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=self.triage)
        return r["version"]

    def act(self, ref, action, cookie, expect=200, **body):
        body.setdefault("version", self.version(ref))
        code, _, out = self.server.request(
            "POST", "/api/v1/referrals/%s/actions/%s" % (ref, action), body, cookie=cookie)
        self.assertEqual(code, expect, out)
        return out

    def family(self, ack):
        code, _, s = self.server.request(
            "GET", "/api/v1/referrals/%s/status" % ack["reference"],
            headers={"X-Status-Token": ack["statusToken"]})
        self.assertEqual(code, 200, s)
        return s

    def test_full_journey(self):
        ack = self.refer()
        ref = ack["reference"]
        # The model triaged it on arrival; its reasons are there for the clinician.
        _, _, full = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=self.triage)
        self.assertEqual(full["status"], "triaged")
        decision = full["navigation"]["decision"]
        self.assertEqual(decision["services"][0]["id"], "online-counselling")
        self.assertTrue(decision["rulesFired"])
        # Choosing another service than the recommendation needs a reason.
        out = self.act(ref, "route", self.triage, expect=400, serviceId="early-intervention")
        self.assertEqual([f["path"] for f in out["error"]["fields"]], ["reason"])
        out = self.act(ref, "route", self.triage, serviceId="early-intervention",
                       reason="Prefers to meet someone at school")
        self.assertEqual((out["status"], out["owner"]), ("routed", "service:early-intervention"))
        story = self.family(ack)
        self.assertIn("Early intervention", story["headline"])
        # The service declines: back to triage, with the reason, never a dead end.
        out = self.act(ref, "decline", self.service, reason="Needs are more than low level")
        self.assertEqual((out["status"], out["owner"]), ("awaiting-decision", "triage-team"))
        self.assertIn("finding the right place", self.family(ack)["whatIsHappening"])
        _, _, queue = self.server.request("GET", "/api/v1/queue", cookie=self.triage)
        entry = [q for q in queue["referrals"] if q["reference"] == ref][0]
        self.assertTrue(entry["declined"])
        out = self.act(ref, "route", self.triage, serviceId="camhs", reason="Declined by early help")
        out = self.act(ref, "accept", self.service)
        self.assertEqual((out["status"], out["owner"]), ("waiting", "service:camhs"))
        self.assertTrue(out["navigation"]["breachDueAt"])
        story = self.family(ack)
        self.assertEqual(story["stage"], "waiting")
        self.assertGreaterEqual(story["position"], 1)
        self.assertIn("expectedWaitWeeks", story)
        _, _, lists = self.server.request("GET", "/api/v1/services/camhs/lists", cookie=self.service)
        self.assertIn(ref, [e["reference"] for e in lists["waitingList"]])
        out = self.act(ref, "book-contact", self.service, bookedFor="2030-01-06T10:00:00Z",
                       mechanism="01")
        contact = out["navigation"]["contacts"][0]["id"]
        self.assertIn("nextAppointment", self.family(ack))
        # A missed appointment goes to review; it does not close the referral.
        out = self.act(ref, "record-attendance", self.service, contactId=contact, attendStatus="3")
        self.assertEqual(out["status"], "waiting")
        self.assertTrue(out["navigation"]["needsReview"])
        _, _, lists = self.server.request("GET", "/api/v1/services/camhs/lists", cookie=self.service)
        self.assertIn(ref, [e["reference"] for e in lists["reviewList"]])
        out = self.act(ref, "book-contact", self.service, bookedFor="2030-01-13T10:00:00Z",
                       mechanism="11")
        second = [c for c in out["navigation"]["contacts"] if c["attendStatus"] == "0"][0]["id"]
        out = self.act(ref, "record-attendance", self.service, contactId=second, attendStatus="5")
        self.assertEqual(out["status"], "in-care")
        self.assertEqual(out["navigation"]["clockStopAt"], "2030-01-13T10:00:00.000Z")
        out = self.act(ref, "discharge", self.service, reason="Goals met")
        self.assertEqual((out["status"], out["owner"]), ("discharged", ""))
        kinds = [e["kind"] for e in self.server.request(
            "GET", "/api/v1/referrals/" + ref, cookie=self.triage)[2]["events"]]
        self.assertEqual(kinds, ["referral.received", "referral.triaged", "referral.routed",
                                 "referral.declined",
                                 "referral.routed", "referral.accepted", "contact.booked",
                                 "contact.dna", "contact.booked", "contact.first-attended",
                                 "referral.discharge"])

    def test_signpost_tells_the_family(self):
        ack = self.refer()
        self.act(ack["reference"], "signpost", self.triage, reason="Advice is enough",
                 signpostTo="Try the online counselling service; it is free and you can join today.")
        story = self.family(ack)
        self.assertEqual(story["stage"], "closed")
        self.assertIn("online counselling", story["whatIsHappening"])

    def test_illegal_transition_is_refused_clearly(self):
        ack = self.refer()
        # Not routed yet, so not the service's: to its staff it looks like nothing (404, the
        # same as an unknown reference; decision 0012).
        self.act(ack["reference"], "accept", self.service, expect=404)
        self.act(ack["reference"], "route", self.triage, serviceId="online-counselling")
        out = self.act(ack["reference"], "discharge", self.service, reason="x", expect=409)
        self.assertIn("Possible now: accept, decline", out["error"]["message"])

    def test_concurrent_decisions_one_wins(self):
        ack = self.refer()
        ref = ack["reference"]
        v = self.version(ref)
        results = []
        def decide(service):
            code, _, out = self.server.request(
                "POST", "/api/v1/referrals/%s/actions/route" % ref,
                {"version": v, "serviceId": service, "reason": "Tested at once"},
                cookie=self.triage)
            results.append((code, out))
        threads = [threading.Thread(target=decide, args=(s,)) for s in
                   ("camhs", "early-intervention", "bereavement", "chat-health")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(c for c, _ in results)
        self.assertEqual(codes, [200, 409, 409, 409], results)
        loser = [o for c, o in results if c == 409][0]
        self.assertEqual(loser["current"]["status"], "routed")
        self.assertEqual(loser["current"]["version"], v + 1)
        owners = self.server.sql("SELECT owner FROM referrals WHERE reference = ?", (ref,))
        self.assertEqual(len(owners), 1)
        self.assertTrue(owners[0][0].startswith("service:"))

    def test_stale_version_is_a_conflict(self):
        ack = self.refer()
        v = self.version(ack["reference"])
        self.act(ack["reference"], "route", self.triage, serviceId="online-counselling", version=v)
        out = self.act(ack["reference"], "decline", self.service, reason="x", version=v, expect=409)
        self.assertEqual(out["current"]["status"], "routed")

    def test_bad_action_bodies_name_fields(self):
        ack = self.refer()
        ref = ack["reference"]
        v = self.version(ref)
        for action, body, paths in (
                ("route", {}, {"version", "serviceId"}),
                ("route", {"version": v, "serviceId": "nope"}, {"serviceId"}),
                ("route", {"version": v, "serviceId": "camhs"}, {"reason"}),
                ("decline", {"version": v}, {"reason"}),
                ("signpost", {"version": v, "reason": "x"}, {"signpostTo"}),
                ("book-contact", {"version": v, "mechanism": "99"}, {"bookedFor", "mechanism"}),
                ("record-attendance", {"version": v, "attendStatus": "9"},
                 {"contactId", "attendStatus"}),
                ("route", {"version": v, "serviceId": "online-counselling", "colour": 1},
                 {"colour"})):
            code, _, out = self.server.request(
                "POST", "/api/v1/referrals/%s/actions/%s" % (ref, action), body, cookie=self.triage)
            self.assertEqual(code, 400, (action, out))
            self.assertEqual({f["path"] for f in out["error"]["fields"]}, paths, (action, out))
        code, _, _ = self.server.request("POST", "/api/v1/referrals/%s/actions/explode" % ref,
                                         {"version": 1}, cookie=self.triage)
        self.assertEqual(code, 404)

    def test_roles(self):
        ack = self.refer()
        path = "/api/v1/referrals/%s/actions/route" % ack["reference"]
        body = {"version": 1, "serviceId": "camhs"}
        self.assertEqual(self.server.request("POST", path, body)[0], 401)
        for role in ("commissioner", "admin"):
            cookie = self.server.sign_in(role)
            self.assertEqual(self.server.request("POST", path, body, cookie=cookie)[0], 403, role)
        # Service staff may use the route, but this referral is not theirs: 404, as if unknown.
        cookie = self.server.sign_in("service-clinician")
        self.assertEqual(self.server.request("POST", path, body, cookie=cookie)[0], 404)
        self.assertEqual(self.server.request("GET", "/api/v1/queue",
                                             cookie=self.server.sign_in("commissioner"))[0], 403)

    def test_queue_filters(self):
        self.refer()
        _, _, q = self.server.request("GET", "/api/v1/queue?ageBand=11-17&locality=city",
                                      cookie=self.triage)
        self.assertTrue(all(r["locality"] == "city" and 11 <= r["ageOnReceipt"] <= 17
                            for r in q["referrals"]))
        for bad in ("ageBand=old", "priority=soon", "limit=0"):
            code, _, out = self.server.request("GET", "/api/v1/queue?" + bad, cookie=self.triage)
            self.assertEqual(code, 400, bad)

    def test_crisis_alert_on_the_live_stream(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("GET", "/api/v1/alerts/stream", headers={"Cookie": self.triage})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "text/event-stream")
        self.assertEqual(resp.readline(), b"retry: 3000\n")
        ack = self.refer(risks=["suicide-plan"])
        seen = b""
        while ack["reference"].encode() not in seen:
            line = resp.readline()
            self.assertTrue(line, "stream closed before the alert arrived")
            seen += line
        self.assertIn(b"event: alert", seen)
        conn.close()
        _, _, queue = self.server.request("GET", "/api/v1/queue", cookie=self.triage)
        self.assertIn(ack["reference"], [a["reference"] for a in queue["alerts"]])
        # Signed-out users get no stream.
        self.assertEqual(self.server.request("GET", "/api/v1/alerts/stream")[0], 401)


if __name__ == "__main__":
    main()
