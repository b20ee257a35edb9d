#include "workflow/records.h"

#include "security/tokens.h"

namespace waymark::workflow {

using nlohmann::json;

store::Event NewEvent(const std::string& reference, std::string kind, const Actor& actor,
                      domain::Timestamp at, std::string reason, json data) {
  return store::Event{
      security::NewId(), reference,      std::move(kind), actor.id + ":" + actor.role, at,
      std::move(reason), std::move(data)};
}

store::AuditEntry NewAudit(const Actor& actor, domain::Timestamp at, std::string action,
                           const std::string& reference, std::string fields, std::string reason) {
  store::AuditEntry a;
  a.at = at;
  a.actor = actor.id;
  a.role = actor.role;
  a.action = std::move(action);
  a.record = "referral/" + reference;
  a.fields = std::move(fields);
  a.client = actor.client;
  a.reason = std::move(reason);
  return a;
}

Result<json> InformantsJson(store::Store& store, const std::string& reference) {
  auto infs = store.InformantsFor(reference);
  if (!infs.ok()) return infs.status();
  json out = json::array();
  for (const auto& i : infs.value()) {
    auto views = store.ViewsFor(i.id);
    if (!views.ok()) return views.status();
    json vs = json::array();
    for (const auto& v : views.value()) {
      vs.push_back({{"version", v.version},
                    {"submittedAt", domain::FormatTimestamp(v.submittedAt)},
                    {"answers", v.answers}});
    }
    out.push_back({{"id", i.id},
                   {"role", i.role},
                   {"invitedAt", domain::FormatTimestamp(i.invitedAt)},
                   {"views", vs}});
  }
  return out;
}

json ContactsJson(const std::vector<store::ContactRow>& contacts) {
  json out = json::array();
  for (const auto& c : contacts) {
    out.push_back({{"id", c.id},
                   {"bookedFor", domain::FormatTimestamp(c.bookedFor)},
                   {"mechanism", c.mechanism},
                   {"purpose", c.purpose.empty() ? json() : json(c.purpose)},
                   {"attendStatus", c.attendStatus}});
  }
  return out;
}

}  // namespace waymark::workflow
