// The event and audit entries every workflow command writes, and the JSON views of a
// referral's informants and contacts that several readers share.
// Thread-safety: pure functions (InformantsJson reads a thread-safe Store).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/store.h"
#include "workflow/intake.h"

namespace waymark::workflow {

// A change of state of referral `reference`: what (kind), who, when, why (reason).
store::Event NewEvent(const std::string& reference, std::string kind, const Actor& actor,
                      domain::Timestamp at, std::string reason = {},
                      nlohmann::json data = nlohmann::json());
// A read or change of identifiable data in referral `reference`.
store::AuditEntry NewAudit(const Actor& actor, domain::Timestamp at, std::string action,
                           const std::string& reference, std::string fields,
                           std::string reason = {});

// Every informant of the referral with every version of their view.
Result<nlohmann::json> InformantsJson(store::Store& store, const std::string& reference);
nlohmann::json ContactsJson(const std::vector<store::ContactRow>& contacts);

}  // namespace waymark::workflow
