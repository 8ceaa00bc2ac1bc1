// Background work: cron ticks enqueue jobs; the queue consumer runs them.
// A job is a row in job_runs (the record) plus a message on the JOBS queue (the trigger).
#pragma once

#include "wasm/runtime/task.hpp"
#include "wasm/runtime/wire.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::background {

inline constexpr const char* kQueue = "JOBS";
inline constexpr const char* kDeadLetterQueue = "JOBS_DLQ";

// The job kind a cron expression starts; nullopt for an unknown schedule.
std::optional<std::string_view> job_for_cron(std::string_view cron);

// Entry points. Input and output shapes are in docs/wire-format.md.
Task<wire::Frame> on_scheduled(wire::Frame input);
Task<wire::Frame> on_queue_batch(wire::Frame input);

// Backoff for a failed attempt: 10 s doubling per attempt, capped at one hour.
int64_t retry_delay_seconds(int64_t attempts);

}  // namespace ptmc::background
