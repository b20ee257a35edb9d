// Server-sent events: a handler answers with an EventSource, and the server keeps the
// connection open and writes each message the source hands it, with a heartbeat comment so a
// dead connection is noticed. Used by the on-call screen's live alert stream.
// Thread-safety: Subscribe/Unsubscribe/Publish are safe from any thread.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace waymark::http {

// A fan-out of text messages to every open stream.
class EventHub {
 public:
  using Sink = std::function<void(const std::string& sse_message)>;
  // Returns an id for Unsubscribe. `sink` is called from the publishing thread.
  int Subscribe(Sink sink);
  void Unsubscribe(int id);
  // Sends `data` (one line of JSON) as an SSE event named `event` to every subscriber.
  void Publish(const std::string& event, const std::string& data);
  size_t subscribers() const;

  // Formats one SSE message.
  static std::string Format(const std::string& event, const std::string& data);

 private:
  mutable std::mutex mu_;
  int next_id_ = 1;
  std::map<int, Sink> sinks_;  // guarded by mu_
};

}  // namespace waymark::http
