// Postcode normalisation and locality lookup.
#include "directory/area.h"

#include <cctype>

namespace waymark::directory {
namespace {

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A9, A99, AA9, AA99, A9A, AA9A.
bool IsOutward(std::string_view s) {
  if (s.size() < 2 || s.size() > 4 || !IsLetter(s[0])) {
    return false;
  }
  std::size_t i = 1;
  if (IsLetter(s[i])) {
    ++i;
  }
  if (i >= s.size() || !IsDigit(s[i])) {
    return false;
  }
  ++i;
  if (i == s.size()) {
    return true;
  }
  if (i + 1 != s.size()) {
    return false;
  }
  return IsDigit(s[i]) || IsLetter(s[i]);
}

// 9AA.
bool IsInward(std::string_view s) {
  return s.size() == 3 && IsDigit(s[0]) && IsLetter(s[1]) && IsLetter(s[2]);
}

}  // namespace

std::optional<std::string> PostcodeDistrict(std::string_view postcode) {
  std::string s;
  s.reserve(postcode.size());
  for (char c : postcode) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      continue;
    }
    s.push_back(static_cast<char>(std::toupper(u)));
  }
  if (s.size() >= 5 && IsInward(std::string_view(s).substr(s.size() - 3))) {
    std::string outward = s.substr(0, s.size() - 3);
    if (IsOutward(outward)) {
      return outward;
    }
  }
  if (IsOutward(s)) {
    return s;
  }
  return std::nullopt;
}

const Locality* Area::FindLocality(std::string_view code) const {
  for (const auto& l : settings_.localities) {
    if (l.code == code) {
      return &l;
    }
  }
  return nullptr;
}

std::string Area::LocalityForPostcode(std::string_view postcode) const {
  const auto district = PostcodeDistrict(postcode);
  if (!district) {
    return std::string(kOutOfArea);
  }
  auto it = settings_.postcode_districts.find(*district);
  if (it == settings_.postcode_districts.end()) {
    return std::string(kOutOfArea);
  }
  return it->second;
}

nlohmann::json ToPublicJson(const Area& area) {
  nlohmann::json localities = nlohmann::json::array();
  for (const auto& l : area.localities()) {
    localities.push_back({{"code", l.code}, {"name", l.name}});
  }
  return {{"id", area.id()}, {"name", area.name()}, {"localities", localities}};
}

}  // namespace waymark::directory
