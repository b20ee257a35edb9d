// NHS numbers (modulus 11) and UK postcodes: validation and normal forms.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace waymark::domain {

// Accepts 10 digits with optional spaces or hyphens ("943 476 5919"); returns the 10 digits
// when the modulus-11 check digit is right, nullopt otherwise.
std::optional<std::string> NormaliseNhsNumber(std::string_view text);
// "9434765919" -> "943 476 5919".
std::string FormatNhsNumber(std::string_view digits);

// Accepts any case and spacing ("le1 5ww", "LE15WW"); returns "LE1 5WW" when the shape is a
// UK postcode, nullopt otherwise. Shape only: it does not prove the postcode exists.
std::optional<std::string> NormalisePostcode(std::string_view text);
// The outward code (district) of a normalised postcode: "LE1 5WW" -> "LE1".
std::string PostcodeDistrict(std::string_view normalised);

}  // namespace waymark::domain
