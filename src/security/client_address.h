// The key a per-client rate limit counts under. An IPv4 address is one client; an IPv6
// client usually holds a whole /64 (and can pick any address in it), so IPv6 addresses are
// counted by their /64. Addresses are as the server sees the connection: behind a proxy that
// is the proxy (docs/security.md, "Behind a proxy").
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace waymark::security {

// "203.0.113.7" -> "203.0.113.7"; "2001:db8:1:2:3:4:5:6" -> "2001:db8:1:2::/64";
// "::ffff:203.0.113.7" (IPv4 mapped) -> "203.0.113.7". Text that is not an address is
// returned unchanged.
std::string RateLimitKey(std::string_view address);

}  // namespace waymark::security
