// Per-client rate limits for public endpoints: a token bucket per (limit, client address).
// Thread-safety: Allow() is safe from many threads (one mutex; buckets are tiny).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace waymark::http {

struct RateLimit {
  double burst = 10;      // requests allowed at once
  double perMinute = 30;  // sustained rate
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // True when `key` (a client address) may make one more request now. When false,
  // `retry_after` says how long until it may.
  bool Allow(const std::string& key, std::chrono::seconds* retry_after,
             Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  RateLimit limit_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;  // guarded by mu_
  Clock::time_point last_sweep_{};         // guarded by mu_
};

}  // namespace waymark::http
