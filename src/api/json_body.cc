// Request bodies: JSON only, bounded nesting (the size limit is the server's).
#include <fmt/format.h>

#include "api/app.h"

namespace waymark::api {
namespace {
constexpr int kMaxDepth = 32;

// Nesting depth of JSON text outside strings; stops early once over the limit.
int NestingDepth(std::string_view s) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > kMaxDepth) return max_depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max_depth;
}
}  // namespace

Result<nlohmann::json> ParseJsonBody(const http::Request& req) {
  std::string type = req.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return Status::Invalid("Send the body as JSON with the header Content-Type: application/json.",
                           {{"", "Content-Type must be application/json"}});
  }
  if (NestingDepth(req.body) > kMaxDepth) {
    return Status::Invalid(fmt::format("The JSON is nested more than {} levels deep.", kMaxDepth),
                           {{"", "nested too deeply"}});
  }
  auto j = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::Invalid("The body is not valid JSON (or not valid UTF-8).",
                           {{"", "malformed JSON"}});
  }
  return j;
}

}  // namespace waymark::api
