#include "security/client_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace waymark::security {

std::string RateLimitKey(std::string_view address) {
  std::string text(address);
  // "[2001:db8::1]" and a zone ("fe80::1%eth0") are written in several ways.
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (auto pct = text.find('%'); pct != std::string::npos) text.resize(pct);
  unsigned char v6[16];
  if (inet_pton(AF_INET6, text.c_str(), v6) != 1) return std::string(address);
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  char out[INET6_ADDRSTRLEN];
  if (std::memcmp(v6, kMapped, sizeof kMapped) == 0) {
    inet_ntop(AF_INET, v6 + 12, out, sizeof out);
    return out;
  }
  std::memset(v6 + 8, 0, 8);
  inet_ntop(AF_INET6, v6, out, sizeof out);
  return std::string(out) + "/64";
}

}  // namespace waymark::security
