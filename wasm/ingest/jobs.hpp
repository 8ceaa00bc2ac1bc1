// Ingestion jobs: a cron tick (or an operator, POST /v1/ingestion/jobs) records the job of
// (jurisdiction, source, date) and enqueues it on its jurisdiction's queue; the consumer runs
// it, reading the day's files from R2 (raw/{jurisdiction}/{source}/{date}/…) in byte ranges,
// or first downloading the day's file from the configured origin when none was uploaded. It
// loads with checkpoints, so a retried or crashed attempt resumes where the last one stopped
// and ends with exactly the rows of an uninterrupted run.
#pragma once

#include "bindings/r2.hpp"
#include "wasm/config/config.hpp"
#include "wasm/runtime/task.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::ingest {

// A jurisdiction's queue (wrangler.toml producer binding), its origin URL templates (vars: one
// per source, `origin_var` + "_" + the source in capitals, else `origin_var` with {source};
// empty: uploads only) and the secret holding the origin's API key, sent as the
// `origin_key_header` header when set. EP, WO, JP and CN take the same shape, with their own
// sources and parsers.
struct Jurisdiction {
  std::string_view code, queue, origin_var, origin_key_var, origin_key_header;
};
// The USPTO's Open Data Portal takes its key as X-API-KEY.
inline constexpr Jurisdiction kJurisdictions[] = {
    {"us", "INGEST_US", "INGEST_ORIGIN_US", "INGEST_ORIGIN_US_API_KEY", "X-API-KEY"}};
const Jurisdiction* find_jurisdiction(std::string_view code);

// What a US source's files hold: XML records under `record_root`, or lines (empty root); and
// how often it arrives, after how many hours without a load its data is stale.
struct Source {
  std::string_view name, record_root;
  int64_t expected_hours, stale_hours;
};
inline constexpr Source kUsSources[] = {{"assignment", "patent-assignment", 24, 48},
                                        {"grant", "us-patent-grant", 7 * 24, 9 * 24},
                                        {"application", "us-patent-application", 7 * 24, 9 * 24},
                                        {"maintenance", "", 7 * 24, 9 * 24},
                                        {"cpc", "", 31 * 24, 35 * 24},
                                        {"cpc_master", "", 31 * 24, 35 * 24}};
const Source* find_source(std::string_view name);
std::vector<std::string> source_names();

// A job's status, as ingestion_jobs.status holds it.
inline constexpr std::string_view kJobStatuses[] = {"queued", "running", "succeeded", "failed"};

struct Schedule {
  std::string_view cron;    // as in wrangler.toml [triggers] crons
  std::string_view source;  // one of kUsSources
};

// Daily assignments 02:00 UTC; grants Tuesday 00:00; applications Thursday 00:00; maintenance
// fees Monday 03:00; CPC titles on the 1st at 04:00; the CPC master classification file on the
// 16th at 05:00 (the month's file, dated the 1st, is published by about the 15th: its origin
// template names it with {yyyy}-{mm}-01).
inline constexpr Schedule kSchedules[] = {{"0 2 * * *", "assignment"},  {"0 0 * * 2", "grant"}, {"0 0 * * 4", "application"},
                                          {"0 3 * * 1", "maintenance"}, {"0 4 1 * *", "cpc"},   {"0 5 16 * *", "cpc_master"}};

std::optional<std::string_view> source_for_cron(std::string_view cron);
std::string job_id(std::string_view source, std::string_view date);  // "us:assignment:2016-01-01"

// Records the job unless it exists and enqueues it. With `rerun` (an operator's request), a
// failed job is queued again, and so is a running one whose lease has lapsed (its attempt died
// with nothing left to drive it); both resume from their checkpoint. A succeeded one runs again
// from the start when the day's files differ from those it ran on (a corrected file published
// again) or when `force`d; otherwise, like a queued or leased one, it is left alone. Answers the
// id and whether this call queued it.
struct Start {
  bool rerun = false, force = false;
};
Task<std::pair<std::string, bool>> start_ingestion(std::string source, std::string date, Start how = {});
// What identifies a day's files (in key order): each one's key, etag and size.
std::string inputs_fingerprint(const std::vector<r2::ObjectInfo>& files);

// Jobs with nothing left to drive them (a lost message, a trap, a killed process): running
// without a live lease, or queued for over kStrandedAfterMs. Queues up to 100 of them again, to
// resume from their checkpoints; answers how many. The hourly housekeeping runs it.
inline constexpr int64_t kStrandedAfterMs = 3'600'000;
// What one queue invocation spends on a job before it commits a checkpoint and hands the rest
// to a new message (docs/decisions.md 47): the platform counts an invocation's subrequests and
// bounds its CPU time, which its wall-clock time bounds from above. A batch of records costs at
// most 2 × 100 full-text copies, 64 range reads, one call per name shard and one D1 batch.
inline constexpr Config::Number kInvocationSubrequests{"INGEST_INVOCATION_SUBREQUESTS", 900, 300, 10'000'000};
inline constexpr Config::Number kInvocationSeconds{"INGEST_INVOCATION_SECONDS", 25, 1, 840};
// A job records at most this many skipped records (file, offset, reason); it counts them all.
inline constexpr int64_t kMaxErrorsRecorded = 10'000;
Task<int64_t> requeue_stranded();

// After an attempt that trapped the module (the shim reports it to a fresh instance): the job
// fails with the reason, since retrying would trap again, and waits for an operator's rerun.
Task<bool> fail_trapped(std::string id, std::string trap);

// One attempt at a job: done (succeeded or failed, by this attempt or an earlier one), busy
// (another attempt holds it: try later), or failed with a reason worth retrying.
struct Attempt {
  enum class Kind { done, busy, failed } kind;
  std::string reason;
};
// Runs or resumes a job.
Task<Attempt> run_ingestion(std::string id);

// After a failed attempt: frees the job for the next one, or, after the last, marks it failed.
Task<bool> after_failed_attempt(std::string id, bool last_attempt, std::string reason);

}  // namespace ptmc::ingest
