// The HTTP server (Boost.Beast over Asio). Requests are read with a body limit, passed through
// the router to a handler on one of the server's threads, and answered with security headers
// and a structured log line (request id, route pattern, status, time — never the path or
// query, which may hold a token).
// Thread-safety: Start/Stop from one thread; handlers run concurrently on `threads` threads.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "domain/status.h"
#include "http/http.h"

namespace waymark::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int threads = 16;            // handlers block on durable writes, so more than cores
  size_t bodyLimit = 256 * 1024;
  std::string tlsCert;  // PEM certificate chain; empty: plain HTTP
  std::string tlsKey;   // PEM private key
};

class Server {
 public:
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Fails when the address is in use.
  Status Start();
  // The bound port (useful with port 0).
  unsigned short port() const;
  // Stops accepting, closes connections and joins the threads.
  void Stop();
  // Blocks until Stop() is called from another thread or a signal handler.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The JSON problem body of STYLE.md for a status: {"error": {"code", "message", "fields"}}.
Response Problem(const Status& status);
Response Json(int status, const std::string& body);

}  // namespace waymark::http
