#include "http/event_stream.h"

namespace waymark::http {

int EventHub::Subscribe(Sink sink) {
  std::lock_guard lock(mu_);
  int id = next_id_++;
  sinks_.emplace(id, std::move(sink));
  return id;
}

void EventHub::Unsubscribe(int id) {
  std::lock_guard lock(mu_);
  sinks_.erase(id);
}

void EventHub::Publish(const std::string& event, const std::string& data) {
  std::string msg = Format(event, data);
  std::lock_guard lock(mu_);
  for (auto& [id, sink] : sinks_) sink(msg);
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return sinks_.size();
}

std::string EventHub::Format(const std::string& event, const std::string& data) {
  std::string out = "event: " + event + "\n";
  size_t start = 0;
  while (start <= data.size()) {
    size_t nl = data.find('\n', start);
    out += "data: " + data.substr(start, nl == std::string::npos ? std::string::npos : nl - start) +
           "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out + "\n";
}

}  // namespace waymark::http
