// Whether a request signals immediate danger, and the crisis help to show when it does.
// Works on the raw body so crisis help is shown even when the rest of the body is invalid.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace waymark::domain {

// True when any risk code, context code or words in the description suggest the young
// person may be in danger now. Errs on the side of showing help.
bool SignalsImmediateDanger(const nlohmann::json& body);
// True when free text contains words that a clinician should read at once.
bool ContainsCrisisWords(std::string_view text);
// The lists behind SignalsImmediateDanger (risk, context and need codes; words), so the web
// form shows crisis help on exactly the same answers as the server.
nlohmann::json CrisisSignals();
// The crisis numbers: 999, NHS 111 option 2, Shout 85258, Childline, Samaritans.
nlohmann::json CrisisHelp();

}  // namespace waymark::domain
