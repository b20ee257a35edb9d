// NHS number check digit per the NHS Data Dictionary; postcode shape per BS 7666.
#include "domain/identifiers.h"

#include <cctype>
#include <regex>

namespace waymark::domain {

std::optional<std::string> NormaliseNhsNumber(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits += c;
  }
  if (digits.size() != 10) return std::nullopt;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
  int check = 11 - (sum % 11);
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9] - '0') return std::nullopt;
  return digits;
}

std::string FormatNhsNumber(std::string_view d) {
  if (d.size() != 10) return std::string(d);
  return std::string(d.substr(0, 3)) + " " + std::string(d.substr(3, 3)) + " " +
         std::string(d.substr(6));
}

std::optional<std::string> NormalisePostcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == ' ') continue;
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
    compact += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  static const std::regex kShape("^([A-Z]{1,2}[0-9][0-9A-Z]?|GIR)([0-9][A-Z]{2})$");
  std::smatch m;
  if (compact.size() < 5 || compact.size() > 7 || !std::regex_match(compact, m, kShape)) {
    return std::nullopt;
  }
  if (m[1].str() == "GIR" && m[2].str() != "0AA") return std::nullopt;
  return m[1].str() + " " + m[2].str();
}

std::string PostcodeDistrict(std::string_view normalised) {
  auto space = normalised.find(' ');
  return std::string(normalised.substr(0, space));
}

}  // namespace waymark::domain
