// libFuzzer target: FEEL evaluation of arbitrary text (a model comes from outside and FEEL
// has loops, recursion and built-ins that make lists and strings). Parses as an expression
// and evaluates it with nothing in scope, then as unary tests against the value it gave.
// Must not crash, leak or run past the evaluation limits of feel.h.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/feel.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace feel = waymark::rules::feel;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  feel::Names names;
  feel::Scope scope;
  waymark::rules::Value value;
  if (auto expr = feel::ParseExpression(text, names); expr.ok())
    value = feel::Evaluate(*expr.value(), scope);
  if (auto tests = feel::ParseUnaryTests(text, names); tests.ok())
    (void)feel::Satisfies(*tests.value(), value, scope);
  return 0;
}
