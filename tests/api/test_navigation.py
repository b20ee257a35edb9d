"""The navigation scenario against the real server: refer -> route -> decline -> re-route ->
accept -> book -> attend -> discharge; concurrent decisions; illegal transitions; the
family's story at each step; the triage queue (order and every filter) and a service's lists
(review, caseload, near-breach alerts); alerts acknowledged and cleared."""
import datetime
import http.client
import json
import sqlite3
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

    def owner(self, ref):
        _, _, r = self.server.request("GET", "/api/v1/referrals/" + ref, cookie=self.triage)
        return r["status"], r["owner"]

    def lists(self, service, cookie=None):
        code, _, out = self.server.request("GET", "/api/v1/services/%s/lists" % service,
                                           cookie=cookie or self.service)
        self.assertEqual(code, 200, out)
        return out

    def queue(self, query=""):
        code, _, out = self.server.request("GET", "/api/v1/queue" + query, cookie=self.triage)
        self.assertEqual(code, 200, out)
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
        # Sent to X because Y: what the young person told us, in plain words; never the
        # clinician's reason or the service's description.
        self.assertEqual(story["whatIsHappening"],
                         "We sent your request to Early intervention service because you told "
                         "us about worry, and they help young people with this.")
        self.assertNotIn("school", story["whatIsHappening"])
        # The service declines: back to triage, with the reason, never a dead end. Followed
        # until the referral is owned again: at every step exactly one owner.
        out = self.act(ref, "decline", self.service, reasonCode="needs-met-elsewhere",
                       reason="Needs are more than low level")
        self.assertEqual((out["status"], out["owner"]), ("awaiting-decision", "triage-team"))
        self.assertEqual(self.owner(ref), ("awaiting-decision", "triage-team"))
        self.assertIn("finding the right place", self.family(ack)["whatIsHappening"])
        entry = [q for q in self.queue()["referrals"] if q["reference"] == ref][0]
        self.assertTrue(entry["declined"])
        self.assertTrue(entry["triageDueAt"])  # a fresh triage clock from the decline
        self.assertNotIn(ref, [e["reference"] for e in self.lists("early-intervention")["inbox"]])
        out = self.act(ref, "route", self.triage, serviceId="camhs", reason="Declined by early help")
        self.assertEqual(self.owner(ref), ("routed", "service:camhs"))
        self.assertIn(ref, [e["reference"] for e in self.lists("camhs")["inbox"]])
        self.assertNotIn(ref, [q["reference"] for q in self.queue()["referrals"]])
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
        out = self.act(ack["reference"], "decline", self.service, reasonCode="outside-area",
                       version=v, expect=409)
        self.assertEqual(out["current"]["status"], "routed")

    def test_bad_action_bodies_name_fields(self):
        ack = self.refer()
        ref = ack["reference"]
        v = self.version(ref)
        for action, body, paths in (
                ("route", {}, {"version", "serviceId"}),
                ("route", {"version": v, "serviceId": "nope"}, {"serviceId"}),
                ("route", {"version": v, "serviceId": "camhs"}, {"reason"}),
                ("decline", {"version": v}, {"reasonCode"}),
                ("decline", {"version": v, "reasonCode": "busy"}, {"reasonCode"}),
                ("decline", {"version": v, "reasonCode": "other"}, {"reason"}),
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

    def test_queue_order_priority_then_time_left(self):
        emergency = self.refer(risks=["suicide-plan"])["reference"]
        urgent = self.refer(risks=["safeguarding"], needs=["domestic-abuse"])["reference"]
        routine = self.refer()["reference"]
        items = self.queue("?limit=500")["referrals"]
        refs = [r["reference"] for r in items]
        self.assertLess(refs.index(emergency), refs.index(urgent))
        self.assertLess(refs.index(urgent), refs.index(routine))
        by_ref = {r["reference"]: r for r in items}
        self.assertEqual(by_ref[emergency]["priority"], "emergency")
        self.assertEqual(by_ref[urgent]["priority"], "urgent")
        # The whole queue: by priority, then by the time left on the triage clock.
        keys = [(r["priorityRank"], r.get("minutesLeft", -10 ** 9)) for r in items]
        self.assertTrue(len(keys) >= 3)
        self.assertEqual(keys, sorted(keys))

    def test_queue_each_filter(self):
        today = datetime.date.today()
        sixteen = today.replace(year=today.year - 16) - datetime.timedelta(days=30)
        pro = {"type": "professional", "name": "Dr Example", "role": "GP",
               "organisation": "Example Surgery", "email": "gp@example.org"}
        city = self.refer()["reference"]
        east = self.refer(youngPerson=dict(valid_referral()["youngPerson"], postcode="LE13 9ZZ",
                                           dateOfBirth=sixteen.isoformat()),
                          referrer=pro, source="A1",
                          risks=["safeguarding"], needs=["domestic-abuse"])["reference"]
        full = {r["reference"]: r for r in self.queue("?limit=500")["referrals"]}
        group = full[city]["thriveGroup"]
        priority = full[east]["priority"]
        self.assertTrue(group and priority)
        for query, field, value, expect in (
                ("priority=" + priority, "priority", priority, east),
                ("thriveGroup=" + group, "thriveGroup", group, city),
                ("locality=east", "locality", "east", east),
                ("source=A1", "source", "A1", east),
                ("ageBand=16-17", None, None, east)):
            items = self.queue("?limit=500&" + query)["referrals"]
            # A filter that matched nothing would pass an "all match" check: it must not.
            self.assertTrue(items, query)
            self.assertIn(expect, [r["reference"] for r in items], query)
            if field:
                self.assertTrue(all(r[field] == value for r in items), query)
            else:
                self.assertTrue(all(16 <= r["ageOnReceipt"] <= 17 for r in items), query)
        both = self.queue("?ageBand=16-17&locality=east")["referrals"]
        self.assertIn(east, [r["reference"] for r in both])
        self.assertNotIn(city, [r["reference"] for r in both])

    def test_queue_unknown_filter_codes_are_named_400s(self):
        for query, param, allowed in (
                ("priority=soon", "priority", "emergency, very-urgent, urgent, routine"),
                ("thriveGroup=tier-4", "thriveGroup", "getting-advice"),
                ("locality=mars", "locality", "city, east, west, rutland, out-of-area"),
                ("source=ZZ", "source", "B1"),
                ("ageBand=old", "ageBand", "11-15"),
                ("ageBand=5-99", "ageBand", "0 to 25"),
                ("limit=0", "limit", "1 to 500")):
            code, _, out = self.server.request("GET", "/api/v1/queue?" + query,
                                               cookie=self.triage)
            self.assertEqual(code, 400, query)
            fields = {f["path"]: f["message"] for f in out["error"]["fields"]}
            self.assertIn(param, fields, query)
            self.assertIn(allowed, fields[param], query)

    def test_missed_appointment_review_back_to_triage(self):
        ack = self.refer()
        ref = ack["reference"]
        self.act(ref, "route", self.triage, serviceId="camhs", reason="Known to CAMHS")
        self.act(ref, "accept", self.service)
        out = self.act(ref, "book-contact", self.service, bookedFor="2030-01-06T10:00:00Z",
                       mechanism="01", purpose="assessment")
        contact = out["navigation"]["contacts"][0]
        self.assertEqual(contact["purpose"], "assessment")
        out = self.act(ref, "record-attendance", self.service, contactId=contact["id"],
                       attendStatus="3")
        self.assertIn("review", out["navigation"]["possibleActions"])
        self.assertIn(ref, [e["reference"] for e in self.lists("camhs")["reviewList"]])
        out = self.act(ref, "review", self.service, expect=400, reviewOutcome="forget-it",
                       reason="x")
        self.assertEqual([f["path"] for f in out["error"]["fields"]], ["reviewOutcome"])
        out = self.act(ref, "review", self.service, reviewOutcome="back-to-triage",
                       reason="Missed the assessment; the family would rather see the school nurse")
        self.assertEqual((out["status"], out["owner"]), ("awaiting-decision", "triage-team"))
        self.assertNotIn(ref, [e["reference"] for e in self.lists("camhs")["reviewList"]])
        entry = [q for q in self.queue("?limit=500")["referrals"] if q["reference"] == ref][0]
        self.assertTrue(entry["returned"])
        # Not a URL action on its own: only through review.
        self.act(ref, "return-to-triage", self.triage, expect=404)

    def test_chat_service_clock_stops_at_the_first_chat(self):
        ref = self.refer()["reference"]
        self.act(ref, "route", self.triage, serviceId="online-counselling")
        self.act(ref, "accept", self.service)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out = self.act(ref, "book-contact", self.service, bookedFor=now, mechanism="13")
        contact = out["navigation"]["contacts"][0]["id"]
        out = self.act(ref, "record-attendance", self.service, contactId=contact, attendStatus="5")
        self.assertEqual(out["status"], "in-care")
        self.assertTrue(out["navigation"]["clockStopAt"])
        lists = self.lists("online-counselling")
        self.assertIn(ref, [e["reference"] for e in lists["caseload"]])
        self.assertNotIn(ref, [e["reference"] for e in lists["waitingList"]])

    def test_service_closes_a_withdrawn_referral(self):
        ref = self.refer()["reference"]
        self.act(ref, "route", self.triage, serviceId="camhs", reason="Known to CAMHS")
        self.act(ref, "accept", self.service)
        self.act(ref, "close", self.triage, expect=403, reason="Withdrawn by the family")
        out = self.act(ref, "close", self.service, reason="Withdrawn by the family")
        self.assertEqual((out["status"], out["owner"]), ("closed", ""))

    def test_near_breach_alert_reaches_the_service(self):
        ref = self.refer()["reference"]
        self.act(ref, "route", self.triage, serviceId="camhs", reason="Known to CAMHS")
        self.act(ref, "accept", self.service)
        due = self.server.sql("SELECT near_breach_alert_at FROM referrals WHERE reference = ?",
                              (ref,))[0][0]
        self.assertTrue(due)  # three quarters of the way to the 13-week target
        # Move it into the past, as the passing weeks would.
        con = sqlite3.connect(self.server.db, timeout=30)
        con.execute("UPDATE referrals SET near_breach_alert_at = '2020-01-01T00:00:00.000Z' "
                    "WHERE reference = ?", (ref,))
        con.commit()
        con.close()
        lists = self.lists("camhs")
        mine = [a for a in lists["alerts"] if a["reference"] == ref]
        self.assertEqual(len(mine), 1, lists["alerts"])
        self.assertEqual((mine[0]["code"], mine[0]["audience"]), ("near-breach", "service:camhs"))
        entry = [e for e in lists["waitingList"] if e["reference"] == ref][0]
        self.assertEqual(entry["alertId"], mine[0]["id"])
        # Once per referral.
        self.assertEqual(len([a for a in self.lists("camhs")["alerts"] if a["reference"] == ref]), 1)
        code, _, out = self.server.request("POST", "/api/v1/alerts/%s/acknowledge" % mine[0]["id"],
                                           {}, cookie=self.service)
        self.assertEqual(code, 200, out)
        self.assertEqual(out["state"], "cleared")
        self.assertNotIn(ref, [a["reference"] for a in self.lists("camhs")["alerts"]])

    def test_acknowledge_an_alert(self):
        ack = self.refer(risks=["suicide-plan"])
        ref = ack["reference"]
        alert = [a for a in self.queue()["alerts"] if a["reference"] == ref][0]
        path = "/api/v1/alerts/%s/acknowledge" % alert["id"]
        self.assertEqual(self.server.request("POST", path, {})[0], 401)
        self.assertEqual(self.server.request("POST", path, {},
                                             cookie=self.server.sign_in("commissioner"))[0], 403)
        self.assertEqual(self.server.request("POST", path, {}, cookie=self.service)[0], 403)
        code, _, out = self.server.request("POST", path, {}, cookie=self.triage)
        self.assertEqual(code, 200, out)
        self.assertEqual(out["state"], "cleared")
        self.assertTrue(out["acknowledgedBy"])
        self.assertTrue(out["acknowledgedAt"])
        self.assertNotIn(alert["id"], [a["id"] for a in self.queue()["alerts"]])
        code, _, again = self.server.request("POST", path, {}, cookie=self.triage)
        self.assertEqual(code, 409, again)
        self.assertIn("already acknowledged", again["error"]["message"])
        code, _, _ = self.server.request("POST", "/api/v1/alerts/nope/acknowledge", {},
                                         cookie=self.triage)
        self.assertEqual(code, 404)
        audit = self.server.sql("SELECT actor FROM audit_log WHERE action = 'alert.acknowledge' "
                                "AND record = ?", ("referral/" + ref,))
        self.assertEqual(len(audit), 1)
        # The stream replays open alerts only: this one is gone from the replay.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=20)
        conn.request("GET", "/api/v1/alerts/stream", headers={"Cookie": self.triage})
        resp = conn.getresponse()
        marker = self.refer(risks=["suicide-plan"])["reference"]  # something new to wait for
        seen = b""
        while marker.encode() not in seen:
            line = resp.readline()
            self.assertTrue(line, "stream closed")
            seen += line
        conn.close()
        self.assertNotIn(alert["id"].encode(), seen)

    def test_routing_clears_the_triage_alert(self):
        ref = self.refer(risks=["suicide-plan"])["reference"]
        self.assertIn(ref, [a["reference"] for a in self.queue()["alerts"]])
        self.act(ref, "route", self.triage, serviceId="crisis", reason="Crisis team now")
        self.assertNotIn(ref, [a["reference"] for a in self.queue()["alerts"]])
        rows = self.server.sql("SELECT cleared_reason FROM alerts WHERE reference = ?", (ref,))
        self.assertTrue(rows)
        self.assertTrue(all(r[0] == "left-triage" for r in rows), rows)

    def test_crisis_alert_on_the_live_stream(self):
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
