// Crisis signals. The word list is deliberately broad: a false alarm costs a clinician a
// minute; a missed one can cost a life (docs/clinical-safety.md, hazard H1).
#include "domain/crisis.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace waymark::domain {
namespace {

constexpr std::array<std::string_view, 12> kDangerRisks = {
    "suicidal-ideation",   "suicide-plan",           "suicide-attempt",   "self-harm-recent",
    "self-harm-medical",   "harm-to-others",         "acute-psychosis",   "rapid-weight-loss",
    "medical-instability", "not-eating-or-drinking", "risk-of-admission", "exploitation"};

constexpr std::array<std::string_view, 1> kDangerContexts = {"in-emergency-department"};
constexpr std::array<std::string_view, 1> kDangerNeeds = {"suicidal-thoughts"};

// Each entry matches where a word starts ("overdos" matches "overdosed" but "rape" does not
// match "grape"). Kept lower case. Phrases people actually write in a referral, not only the
// clinical words: an overdose is as often "took 20 paracetamol" as "overdose". Words that
// teenagers use every day for other things ("hanging out", "stable") are left out.
constexpr std::string_view kCrisisWords[] = {
    // suicide and wanting to die
    "suicid", "kill myself", "kill herself", "kill himself", "kill themselves", "end my life",
    "end her life", "end his life", "end their life", "end it all", "take my life", "want to die",
    "wants to die", "wanted to die", "better off dead", "wish i was dead", "wish i were dead",
    "want to be dead", "no reason to live", "don't want to live", "dont want to live",
    "do not want to live", "don't want to be here", "dont want to be here",
    "do not want to be here", "not be here anymore", "goodbye letter", "suicide note",
    "killing myself", "killing herself", "killing himself", "kms", "kys", "unalive",
    "don't want to be alive", "do not want to be alive", "wanna die", "wanna be dead",
    "rather be dead", "ending it all", "end myself", "no point living", "no point in living",
    "not worth living", "nothing to live for", "better off without me", "can't go on",
    "cannot go on", "can't do this anymore", "cant cope anymore", "can't cope anymore",
    // how: overdose, hanging, jumping
    "overdos", "paracetamol", "took too many", "too many pills", "too many tablets",
    "swallowed pills", "swallowed tablets", "took pills", "took tablets", "taken pills",
    "taken tablets", "taken too many", "slit my wrists", "cut my wrists", "hang myself",
    "hang herself", "hang himself", "hang themselves", "hanged", "ligature", "noose", "jump off",
    "jump in front", "in front of a train",
    // self-harm
    "self harm", "self-harm", "selfharm", "cut myself", "cutting", "cuts on", "hurt myself",
    "hurting myself", "harm myself", "burn myself", "burning myself",
    // harm to others, weapons
    "hurt someone", "kill someone", "kill him", "kill her", "kill them", "stabbed", "stabbing",
    "stab him", "stab her", "stab them", "stab someone", "stab myself", "knife", "weapon", "gun",
    // not safe, abuse, exploitation
    "not safe", "unsafe", "abused", "abusing me", "raped", "rape", "sexual assault", "touching me",
    "hits me", "beats me", "groomed", "grooming", "county lines", "ran away from home",
    "run away from home", "missing from home",
    // psychosis and physical danger
    "hearing voices", "voices tell", "fainted", "fainting"};

// What both the text and each listed phrase are compared as: lower case, apostrophes
// (straight or curly) dropped so "don't" and "dont" are one word, and every run of
// punctuation, spaces or line breaks made one space, so "self-harm", "self harm" and
// "Self--Harm!" match alike and a phrase split over a line break still matches. Bytes of
// non-ASCII letters are kept as they are.
std::string Normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(' ');
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\'') continue;
    if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x99 ||
         static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      i += 2;  // a curly apostrophe from a phone keyboard
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(static_cast<char>(c));
    } else if (out.back() != ' ') {
      out.push_back(' ');
    }
  }
  return out;
}

}  // namespace

bool ContainsCrisisWords(std::string_view text) {
  // Each phrase normalised once: " kill myself" (the leading space: where a word starts).
  static const std::vector<std::string> kPhrases = [] {
    std::vector<std::string> out;
    for (auto w : kCrisisWords) {
      std::string phrase = Normalise(w);
      if (phrase.size() > 1 && phrase.back() == ' ') phrase.pop_back();
      out.push_back(std::move(phrase));
    }
    return out;
  }();
  const std::string t = Normalise(text);
  for (const auto& phrase : kPhrases)
    if (t.find(phrase) != std::string::npos) return true;
  return false;
}

bool SignalsImmediateDanger(const nlohmann::json& body) {
  if (!body.is_object()) return false;
  auto has = [&](const char* key, auto pred) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_array()) return false;
    for (const auto& v : *it) {
      if (v.is_string() && pred(v.template get_ref<const std::string&>())) return true;
    }
    return false;
  };
  if (has("risks", [](const std::string& c) {
        return std::find(kDangerRisks.begin(), kDangerRisks.end(), c) != kDangerRisks.end();
      })) {
    return true;
  }
  auto in = [](const auto& list) {
    return [&list](const std::string& c) {
      return std::find(std::begin(list), std::end(list), c) != std::end(list);
    };
  };
  if (has("context", in(kDangerContexts)) || has("needs", in(kDangerNeeds))) return true;
  auto d = body.find("description");
  return d != body.end() && d->is_string() && ContainsCrisisWords(d->get_ref<const std::string&>());
}

nlohmann::json CrisisSignals() {
  auto strings = [](const auto& list) {
    nlohmann::json a = nlohmann::json::array();
    for (auto s : list) a.push_back(std::string(s));
    return a;
  };
  return {{"risks", strings(kDangerRisks)},
          {"context", strings(kDangerContexts)},
          {"needs", strings(kDangerNeeds)},
          {"words", strings(kCrisisWords)},
          {"wordsMatch",
           "lower case, where a word starts; apostrophes (straight or curly) dropped; every run "
           "of punctuation or spaces counts as one space"}};
}

nlohmann::json CrisisHelp() {
  return {{"message",
           "If you or someone else is in danger right now, get help straight away. You do not "
           "have to wait for us."},
          {"contacts",
           nlohmann::json::array(
               {{{"name", "Emergency services"},
                 {"how", "Call 999"},
                 {"when", "if life is at risk now"}},
                {{"name", "NHS 111"},
                 {"how", "Call 111 and choose option 2"},
                 {"when", "for urgent mental health help, any time"}},
                {{"name", "Shout"}, {"how", "Text SHOUT to 85258"}, {"when", "free, 24 hours"}},
                {{"name", "Childline"}, {"how", "Call 0800 1111"}, {"when", "free, for under-19s"}},
                {{"name", "Samaritans"}, {"how", "Call 116 123"}, {"when", "free, 24 hours"}}})}};
}

}  // namespace waymark::domain
