// Plain request and response values that handlers see, independent of Boost.Beast, and the
// router that maps (method, path pattern) to a handler.
// Thread-safety: a Router is built before the server starts and then only read.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waymark::http {

class EventHub;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string, percent-decoded
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string clientAddress;
  std::string requestId;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. {reference}
  std::string route;                          // the matched pattern, for logs
  std::any user;  // set by the permission guard: who is calling (security::Principal)

  std::string Header(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  std::string Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the connection stays open as a server-sent-events stream: `body` is sent
  // first, then every message of the hub until the client goes away.
  class EventHub* stream = nullptr;

  Response& Header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/referrals/{reference}/status"; a trailing "/*" matches the rest
  Handler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  // Finds the handler for a request and fills req.params and req.route. nullptr when no
  // route matches; `method_allowed` tells whether another method would have matched.
  const Route* Match(Request& req, bool* path_matched) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Percent-decoding of a path or query component ('+' is a space in queries).
std::string PercentDecode(std::string_view in, bool plus_is_space);
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace waymark::http
