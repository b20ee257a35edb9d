// The directory of services, public and free of identifiable data.
#include <charconv>

#include "api/app.h"
#include "api/handlers.h"
#include "directory/service.h"
#include "http/server.h"

namespace waymark::api {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
// The directory's public shape plus the plain-words description the public pages show
// (the staff pages keep `description`). Falls back to `description` when the area's file
// gives none, so a page never has an empty card.
json ServiceJson(const directory::Service& s) {
  json j = directory::ToPublicJson(s);
  j["publicDescription"] = s.public_description.empty() ? s.description : s.public_description;
  return j;
}
}  // namespace

Response ListServices(AppContext& ctx, Request& req) {
  const auto area = ctx.area.Current();
  directory::SearchQuery q;
  std::vector<FieldError> errors;
  if (auto v = req.Query("need"); !v.empty()) q.need = v;
  if (auto v = req.Query("locality"); !v.empty()) q.locality = v;
  // A postcode district (the web page sends only the outward code, e.g. LE1) stands for its
  // locality; a full postcode works too. Never echoed or logged.
  if (auto v = req.Query("postcode"); !v.empty() && !q.locality) {
    q.locality = area->LocalityForPostcode(v);
  }
  if (auto v = req.Query("source"); !v.empty()) q.source = v;
  if (auto v = req.Query("age"); !v.empty()) {
    int age = -1;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), age);
    if (ec != std::errc() || ptr != v.data() + v.size()) {
      errors.push_back({"age", "must be a whole number from 0 to 25"});
    } else {
      q.age = age;
    }
  }
  if (!errors.empty()) return http::Problem(Status::Invalid("Check the search.", errors));
  auto found = area->directory().Search(q);
  if (!found.ok()) return http::Problem(found.status());
  json out = json::array();
  for (const auto* s : found.value()) out.push_back(ServiceJson(*s));
  return http::Json(200, json({{"services", out}}).dump());
}

Response GetService(AppContext& ctx, Request& req) {
  const auto area = ctx.area.Current();
  const auto* s = area->directory().Find(req.params["id"]);
  if (!s) return http::Problem(Status::NotFound("There is no service with that id."));
  return http::Json(200, ServiceJson(*s).dump());
}

Response GetArea(AppContext& ctx, Request&) {
  return http::Json(200, directory::ToPublicJson(*ctx.area.Current()).dump());
}

}  // namespace waymark::api
