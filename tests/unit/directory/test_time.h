// Helpers for directory tests: UTC instants written as calendar values.
#pragma once

#include <chrono>

#include "directory/working_calendar.h"

namespace waymark::directory::testing {

inline Day D(int y, unsigned m, unsigned d) {
  return Day(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

// y-m-d h:min UTC.
inline Timestamp At(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return Timestamp(D(y, m, d)) + std::chrono::hours(h) + std::chrono::minutes(min);
}

}  // namespace waymark::directory::testing
