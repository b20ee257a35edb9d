// Plain words for needs and the "because" of the family's story.
#include "workflow/family_words.h"

#include <array>
#include <utility>

namespace waymark::workflow {
namespace {

// Needs named back on the family's page. Every other need code is left unnamed on purpose.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kPlain = {{
    {"low-mood", "feeling low"},
    {"depression", "feeling low"},
    {"anxiety", "worry"},
    {"panic", "panic"},
    {"phobia", "fears"},
    {"anger", "anger"},
    {"sleep", "sleep"},
    {"bereavement", "losing someone close"},
    {"family-relationships", "problems at home"},
    {"bullying", "bullying"},
    {"academic-stress", "stress about school"},
    {"school-transition", "changing school"},
    {"loneliness", "feeling lonely"},
    {"self-esteem", "confidence"},
    {"social-skills", "getting on with others"},
    {"body-image", "how you feel about how you look"},
    {"eating-difficulties", "worries about eating"},
    {"adhd", "concentration and attention"},
    {"autism", "autism"},
    {"neurodevelopmental", "how you think and learn"},
    {"illness-coping", "coping with an illness"},
    {"information-only", "finding information"},
}};

}  // namespace

std::string PlainNeed(std::string_view code) {
  for (const auto& [c, words] : kPlain) {
    if (c == code) return std::string(words);
  }
  return "";
}

std::string JoinInWords(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

std::string BecauseInWords(const std::vector<std::string>& needs_named, std::string_view priority,
                           std::string_view thrive_group) {
  if (priority == "emergency" || priority == "very-urgent") {
    return "what you told us means you need help soon, and they can help quickly";
  }
  std::vector<std::string> words;
  for (const auto& code : needs_named) {
    std::string w = PlainNeed(code);
    bool seen = false;
    for (const auto& x : words) seen |= x == w;
    if (!w.empty() && !seen && words.size() < 3) words.push_back(w);
  }
  if (!words.empty()) {
    return "you told us about " + JoinInWords(words) + ", and they help young people with this";
  }
  if (thrive_group == "getting-advice") {
    return "they can give you advice and support quickly";
  }
  if (thrive_group == "getting-help") {
    return "they give young people focused help with the things you told us about";
  }
  if (thrive_group == "getting-more-help") {
    return "they have the experts for the kind of help you need";
  }
  if (thrive_group == "getting-risk-support") {
    return "they can help keep you safe";
  }
  return "we think they are the best place to help with what you told us";
}

}  // namespace waymark::workflow
