// The hourly housekeeping job: every table that grows keeps to its retention, the audit log
// is archived to R2 before it is deleted, and ingestion jobs left with nothing to drive them
// are queued again. Each step is bounded per run, so a backlog drains over several runs rather
// than one statement too long for D1.
#pragma once

#include "wasm/runtime/task.hpp"

#include <cstdint>
#include <string>

namespace ptmc::background {

inline constexpr int64_t kDayMs = 24 * 3'600'000LL;
// How long rows stay in D1 (events: events::kRetentionMs, 30 days; idempotency keys 24 h).
inline constexpr int64_t kAuditLogRetentionMs = 90 * kDayMs;  // then archived to R2
inline constexpr int64_t kWebhookAttemptRetentionMs = 30 * kDayMs;
inline constexpr int64_t kIngestionErrorRetentionMs = 90 * kDayMs;  // after their job finished
inline constexpr int64_t kJobRunRetentionMs = 90 * kDayMs;
// What a failed CPC job staged, kept this long for an operator's rerun from its checkpoint.
inline constexpr int64_t kFailedStagingRetentionMs = 7 * kDayMs;
inline constexpr int64_t kDeletePerStep = 10'000;    // rows per DELETE statement
inline constexpr int64_t kArchivePerObject = 1'000;  // audit rows per NDJSON object
inline constexpr int kArchiveObjectsPerRun = 10;

// The R2 prefix of the audit log's archive: {prefix}{YYYY-MM-DD of the first row}/{first id}-{last id}.ndjson,
// one JSON object per line, the columns of audit_log with `detail` as an object.
inline constexpr const char* kAuditArchivePrefix = "archive/audit_log/";

// Runs housekeeping job `job_id` once (a redelivered message of a finished run does nothing).
Task<bool> run_housekeeping(const std::string& job_id);

}  // namespace ptmc::background
