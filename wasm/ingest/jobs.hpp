// Ingestion jobs: a cron tick records the job of (source, date) and enqueues it on JOBS; the
// consumer runs it, reading the day's files from R2 (raw/us/{source}/{date}/…) in byte ranges
// and loading them with checkpoints, so a retried or crashed attempt resumes where the last
// one stopped and ends with exactly the rows of an uninterrupted run.
#pragma once

#include "wasm/runtime/task.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ptmc::ingest {

struct Schedule {
  std::string_view cron;    // as in wrangler.toml [triggers] crons
  std::string_view source;  // assignment, grant, application, maintenance, cpc
};

// Daily assignments 02:00 UTC; grants Tuesday 00:00; applications Thursday 00:00; maintenance
// fees Monday 03:00; CPC on the 1st at 04:00.
inline constexpr Schedule kSchedules[] = {{"0 2 * * *", "assignment"}, {"0 0 * * 2", "grant"}, {"0 0 * * 4", "application"},
                                          {"0 3 * * 1", "maintenance"}, {"0 4 1 * *", "cpc"}};

std::optional<std::string_view> source_for_cron(std::string_view cron);
std::string job_id(std::string_view source, std::string_view date);  // "us:assignment:2016-01-01"

// Records the job unless it exists (then nothing happens) and enqueues it. Answers the id and
// whether this call created it.
Task<std::pair<std::string, bool>> start_ingestion(std::string source, std::string date);

// Runs or resumes a job. False when another attempt holds it (try later); true when it is done,
// succeeded or failed, by this attempt or an earlier one.
Task<bool> run_ingestion(std::string id);

// After a failed attempt: frees the job for the next one, or, after the last, marks it failed.
Task<bool> after_failed_attempt(std::string id, bool last_attempt, std::string reason);

}  // namespace ptmc::ingest
