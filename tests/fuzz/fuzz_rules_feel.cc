// libFuzzer target: the FEEL parser (expressions and unary tests) on arbitrary text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/feel.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  waymark::rules::feel::Names names;
  (void)waymark::rules::feel::ParseExpression(text, names);
  (void)waymark::rules::feel::ParseUnaryTests(text, names);
  return 0;
}
