// Plain words for the family's status page: why a referral was sent where it was, at a
// reading age a 12-year-old can manage, with no clinical terms and nothing a clinician
// wrote in free text (override reasons are for staff).
// Thread-safety: pure functions over immutable tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace waymark::workflow {

// The need in plain words ("feeling low", "worry"), or "" for a need this page never names
// back (self-harm, suicidal thoughts, abuse, psychosis...: the holder of the link may not be
// the young person, and these are said face to face, not on a web page).
std::string PlainNeed(std::string_view code);

// "a", "a and b", "a, b and c".
std::string JoinInWords(const std::vector<std::string>& words);

// The "because" of "We sent your request to X because ...", without a full stop: what the
// young person told us that this service helps with (needs it takes, named in plain words),
// or, when the decision says help is needed soon or nothing can be named, why in general
// terms from the priority and THRIVE group of the decision.
//   needs_named: the referral's needs the service takes (as codes); priority and
//   thrive_group: the decision's ("" before triage).
std::string BecauseInWords(const std::vector<std::string>& needs_named, std::string_view priority,
                           std::string_view thrive_group);

}  // namespace waymark::workflow
