"""The public directory of services and the area, and locality from postcode at intake."""
from harness import ServerTestCase, main, valid_referral

CONTRACT_IDS = {"online-counselling", "chat-health", "early-intervention", "camhs",
                "eating-disorders", "crisis", "eip", "ld-outreach", "post-abuse-counselling",
                "young-peoples-team", "ceips", "early-help-city", "early-help-county",
                "early-help-rutland", "lac-wraparound", "adhd-support", "bereavement",
                "liaison-psychiatry", "ld-autism-intensive"}


class DirectoryTest(ServerTestCase):
    demo = False

    def test_every_service_listed(self):
        code, _, body = self.server.request("GET", "/api/v1/services")
        self.assertEqual(code, 200)
        self.assertEqual({s["id"] for s in body["services"]}, CONTRACT_IDS)
        for s in body["services"]:
            self.assertTrue(s["contact"]["example"], s["id"])

    def test_search_by_need_age_and_locality(self):
        code, _, body = self.server.request(
            "GET", "/api/v1/services?need=eating-disorder&age=15&locality=city")
        ids = [s["id"] for s in body["services"]]
        self.assertIn("eating-disorders", ids)
        self.assertNotIn("bereavement", ids)
        code, _, body = self.server.request("GET", "/api/v1/services?age=20&need=eating-disorder")
        self.assertNotIn("eating-disorders", [s["id"] for s in body["services"]])  # up to 18
        _, _, body = self.server.request("GET", "/api/v1/services?locality=east&need=anxiety")
        self.assertNotIn("ceips", [s["id"] for s in body["services"]])  # city only

    def test_bad_search_names_the_parameter(self):
        for query, path in (("age=abc", "age"), ("age=40", "age"), ("need=worry", "need"),
                            ("locality=mars", "locality")):
            code, _, problem = self.server.request("GET", "/api/v1/services?" + query)
            self.assertEqual(code, 400, query)
            self.assertIn(path, [f["path"] for f in problem["error"]["fields"]], problem)

    def test_one_service_and_unknown(self):
        code, _, s = self.server.request("GET", "/api/v1/services/crisis")
        self.assertEqual((code, s["id"]), (200, "crisis"))
        self.assertEqual(self.server.request("GET", "/api/v1/services/nope")[0], 404)

    def test_area(self):
        code, _, area = self.server.request("GET", "/api/v1/area")
        self.assertEqual(code, 200)
        self.assertEqual({l["code"] for l in area["localities"]}, {"city", "east", "west", "rutland"})

    def test_intake_places_postcode_in_locality(self):
        for postcode, locality in (("LE1 5WW", "city"), ("le15 6aa", "rutland"),
                                   ("SW1A 1AA", "out-of-area")):
            body = valid_referral()
            body["youngPerson"]["postcode"] = postcode
            code, _, ack = self.server.request("POST", "/api/v1/referrals", body)
            self.assertEqual(code, 201, ack)
            got = self.server.sql("SELECT locality FROM referrals WHERE reference = ?",
                                  (ack["reference"],))[0][0]
            self.assertEqual(got, locality, postcode)


if __name__ == "__main__":
    main()
