// FEEL built-in functions (DMN 1.5 section 10.3.4): conversion, boolean, string, list,
// numeric, date and time, range, temporal, sort, context and miscellaneous functions.
#pragma once

#include <algorithm>
#include <string>
#include <unordered_map>

#include "rules/value.h"

namespace waymark::rules {

// Every built-in by its FEEL name ("string length", "date and time", ...). Built once,
// then read-only: safe to share between threads.
const std::unordered_map<std::string, Value>& Builtins();

// Stable merge sort with a "precedes" predicate (robust to inconsistent predicates), as the
// FEEL `sort` does: `less(x, y)` gives a bool, or nullopt to stop (then false).
template <typename Less>
bool MergeSort(List& v, Less less) {
  if (v.size() < 2) return true;
  List tmp(v.size());
  for (size_t width = 1; width < v.size(); width *= 2) {
    for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, v.size()), hi = std::min(lo + 2 * width, v.size());
      size_t a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        auto r = less(v[b], v[a]);
        if (!r) return false;
        tmp[k++] = *r ? v[b++] : v[a++];
      }
      while (a < mid) tmp[k++] = v[a++];
      while (b < hi) tmp[k++] = v[b++];
    }
    v.swap(tmp);
  }
  return true;
}

}  // namespace waymark::rules
