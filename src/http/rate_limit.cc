#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace waymark::http {

bool RateLimiter::Allow(const std::string& key, std::chrono::seconds* retry_after,
                        Clock::time_point now) {
  std::lock_guard lock(mu_);
  const double per_second = limit_.perMinute / 60.0;
  // Forget full buckets now and then so the map does not grow without end.
  if (now - last_sweep_ > std::chrono::minutes(1)) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double refilled = it->second.tokens +
                        per_second * std::chrono::duration<double>(now - it->second.last).count();
      it = refilled >= limit_.burst ? buckets_.erase(it) : std::next(it);
    }
    last_sweep_ = now;
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{limit_.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(
        limit_.burst, b.tokens + per_second * std::chrono::duration<double>(now - b.last).count());
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after) {
    *retry_after =
        std::chrono::seconds(static_cast<long>(std::ceil((1.0 - b.tokens) / per_second)));
  }
  return false;
}

}  // namespace waymark::http
