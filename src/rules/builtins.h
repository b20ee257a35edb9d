// FEEL built-in functions (DMN 1.5 section 10.3.4): conversion, boolean, string, list,
// numeric, date and time, range, temporal, sort, context and miscellaneous functions.
#pragma once

#include <string>
#include <unordered_map>

#include "rules/value.h"

namespace waymark::rules {

// Every built-in by its FEEL name ("string length", "date and time", ...). Built once,
// then read-only: safe to share between threads.
const std::unordered_map<std::string, Value>& Builtins();

}  // namespace waymark::rules
