#include "wasm/background/housekeeping.hpp"

#include "bindings/d1.hpp"
#include "bindings/r2.hpp"
#include "wasm/auth/principal.hpp"
#include "wasm/events/events.hpp"
#include "wasm/ingest/jobs.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::background {
namespace {

// Audit rows older than the retention, to R2 first and out of D1 only once stored. A failed
// put faults the run before anything is deleted; the next run writes the same object again.
Task<int64_t> archive_audit_log(int64_t now) {
  int64_t cutoff = now - kAuditLogRetentionMs, archived = 0;
  for (int object = 0; object < kArchiveObjectsPerRun; ++object) {
    auto old =
        co_await d1::all({"SELECT id, at, org_id, key_id, actor_ip, event, detail, request_id FROM audit_log WHERE at < ?1 "
                          "ORDER BY id LIMIT ?2",
                          {cutoff, kArchivePerObject}});
    if (old.rows.empty()) break;
    std::string lines;
    for (auto row : old.rows) {
      row["detail"] = parse_json(row.value("detail", "{}")).value_or(Json::object());
      lines += dump_json(row) + "\n";
    }
    const Json& first = old.rows.front();
    const Json& last = old.rows.back();
    std::string key = std::string(kAuditArchivePrefix) + patents::date_of(first.value("at", int64_t(0))) + "/" +
                      std::to_string(first.value("id", int64_t(0))) + "-" + std::to_string(last.value("id", int64_t(0))) +
                      ".ndjson";
    co_await r2::put(key, std::move(lines), "application/x-ndjson");
    co_await d1::run({"DELETE FROM audit_log WHERE id BETWEEN ?1 AND ?2 AND at < ?3", {first["id"], last["id"], cutoff}});
    archived += static_cast<int64_t>(old.rows.size());
    if (static_cast<int64_t>(old.rows.size()) < kArchivePerObject) break;
  }
  co_return archived;
}

}  // namespace

Task<bool> run_housekeeping(const std::string& job_id) {
  int64_t now = services::now_ms();
  auto [recorded, run] = co_await d1::batch({
      {"INSERT INTO job_runs (id, kind, cron, status, attempts, enqueued_at) VALUES (?1, 'housekeeping', '', 'queued', 0, ?2) "
       "ON CONFLICT (id) DO NOTHING",
       {job_id, now}},
      {"SELECT status FROM job_runs WHERE id = ?1", {job_id}},
  });
  // At-least-once delivery: a job that already succeeded is not run again.
  if (!run.rows.empty() && run.rows[0]["status"] == "succeeded") co_return true;

  // At most ?2 rows of `table` where `where` holds; `key` is its primary key, one or more columns.
  auto bounded = [](const char* table, const char* key, const char* where) {
    return std::string("DELETE FROM ") + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " WHERE " + where +
           " LIMIT ?2)";
  };
  const char* failed_before = "job_id IN (SELECT id FROM ingestion_jobs WHERE status = 'failed' AND finished_at < ?1)";
  auto [rate_limit_windows, idempotency_keys, old_events, old_attempts, old_errors, old_job_runs, old_titles, old_symbols] =
      co_await d1::batch({
          {"DELETE FROM rate_limits WHERE window_start < ?1", {now - 2 * auth::kRateLimitWindowMs}},
          {"DELETE FROM idempotency_keys WHERE expires_at <= ?1", {now}},
          {bounded("events", "seq", "created_at < ?1"), {now - events::kRetentionMs, kDeletePerStep}},
          {bounded("webhook_attempts", "id", "created_at < ?1"), {now - kWebhookAttemptRetentionMs, kDeletePerStep}},
          // A job's errors together (at most ingest::kMaxErrorsRecorded of them), the oldest job's first.
          {"DELETE FROM ingestion_errors WHERE job_id IN (SELECT id FROM ingestion_jobs j WHERE finished_at < ?1 AND EXISTS "
           "(SELECT 1 FROM ingestion_errors e WHERE e.job_id = j.id) ORDER BY finished_at LIMIT 1)",
           {now - kIngestionErrorRetentionMs}},
          {bounded("job_runs", "id", "enqueued_at < ?1 AND status != 'queued'"), {now - kJobRunRetentionMs, kDeletePerStep}},
          {bounded("cpc_staging", "job_id, symbol", failed_before), {now - kFailedStagingRetentionMs, kDeletePerStep}},
          {bounded("patent_cpc_staging", "job_id, patent_number, symbol", failed_before),
           {now - kFailedStagingRetentionMs, kDeletePerStep}},
      });
  int64_t archived = co_await archive_audit_log(now);
  int64_t requeued = co_await ingest::requeue_stranded();
  Json counts = {{"rate_limit_windows_deleted", rate_limit_windows.meta.changes},
                 {"idempotency_keys_deleted", idempotency_keys.meta.changes},
                 {"events_deleted", old_events.meta.changes},
                 {"webhook_attempts_deleted", old_attempts.meta.changes},
                 {"ingestion_errors_deleted", old_errors.meta.changes},
                 {"job_runs_deleted", old_job_runs.meta.changes},
                 {"staged_cpc_rows_deleted", old_titles.meta.changes + old_symbols.meta.changes},
                 {"audit_rows_archived", archived},
                 {"ingestion_jobs_requeued", requeued}};
  co_await d1::run(
      {"UPDATE job_runs SET status = 'succeeded', attempts = attempts + 1, finished_at = ?2, detail = ?3 WHERE id = ?1",
       {job_id, services::now_ms(), dump_json(counts)}});
  counts["level"] = "info";
  counts["msg"] = "job succeeded";
  counts["job_id"] = job_id;
  services::write_log_line(dump_json(counts));
  co_return true;
}

}  // namespace ptmc::background
