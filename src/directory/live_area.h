// The area as it is now: the directory can be edited by the clinical lead while the server
// runs, so readers take a snapshot (a shared_ptr to an immutable Area) and keep it for the
// whole of one request; a new directory version replaces the snapshot atomically.
// Thread-safety: Current and Replace may be called from any thread at once (the pointer is
// a std::atomic<std::shared_ptr>); a snapshot stays valid for as long as its holder keeps it.
#pragma once

#include <atomic>
#include <memory>

#include "directory/area.h"

namespace waymark::directory {

class LiveArea {
 public:
  explicit LiveArea(std::shared_ptr<const Area> area) : area_(std::move(area)) {}
  // A fixed area owned elsewhere (tests, one-shot commands): `area` must outlive this.
  static std::shared_ptr<const Area> Unowned(const Area& area) {
    return std::shared_ptr<const Area>(std::shared_ptr<const Area>(), &area);
  }

  LiveArea(const LiveArea&) = delete;
  LiveArea& operator=(const LiveArea&) = delete;

  // Never null.
  std::shared_ptr<const Area> Current() const { return area_.load(std::memory_order_acquire); }
  void Replace(std::shared_ptr<const Area> next) {
    area_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const Area>> area_;
};

}  // namespace waymark::directory
