// What one queue invocation may still spend on a job (docs/decisions.md 47). Every effect is a
// subrequest, and a byte-range copy (a staged entry, a full text) two: its read and its write.
// A step (a batch, an archive entry) is not begun unless twice the dearest one so far still
// fits, so an invocation stops between steps with room to hand over.
#pragma once

#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>
#include <cstdint>

namespace ptmc::ingest {

inline constexpr int64_t kHandOverEffects = 8;  // what ending an invocation takes: a checkpoint, the requeue, the message

class Allowance {
 public:
  Allowance(int64_t subrequests, int64_t deadline_ms) : subrequests_(subrequests), deadline_ms_(deadline_ms) {}
  void copied(size_t copies) { copies_ += static_cast<int64_t>(copies); }
  // A step is what was spent since the last spent() or start_step() (so that a step's cost
  // leaves out what was spent between steps, such as finding entries staged already).
  void start_step() { used_before_ = used(); }
  bool spent() {
    int64_t now_used = used();
    dearest_step_ = std::max(dearest_step_, now_used - used_before_);
    used_before_ = now_used;
    return now_used + 2 * dearest_step_ + kHandOverEffects > subrequests_ || services::now_ms() >= deadline_ms_;
  }

 private:
  int64_t used() const { return current_task().stats().effects + copies_; }
  int64_t subrequests_, deadline_ms_;
  int64_t copies_ = 0, dearest_step_ = 0, used_before_ = 0;
};

}  // namespace ptmc::ingest
