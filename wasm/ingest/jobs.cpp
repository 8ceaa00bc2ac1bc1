#include "wasm/ingest/jobs.hpp"

#include "bindings/d1.hpp"
#include "bindings/queue.hpp"
#include "bindings/r2.hpp"
#include "wasm/ingest/loader.hpp"
#include "wasm/jobs/jobs.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>

namespace ptmc::ingest {
namespace {

constexpr int64_t kChunkBytes = 1 << 20;  // what one R2 range read brings into the module
constexpr size_t kStatementsPerBatch = 200;
constexpr int64_t kLeaseMs = 10 * 60'000;  // an attempt that stops renewing this frees the job

// What a run has loaded since its last checkpoint; it is committed with those rows.
struct Progress {
  const std::string& job;
  std::vector<d1::Statement> pending;
  int64_t records = 0, loaded = 0, skipped = 0;

  void skip(const std::string& file, int64_t offset, const std::string& reason) {
    ++records;
    ++skipped;
    pending.push_back({"INSERT INTO ingestion_errors (job_id, file, byte_offset, reason) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT DO NOTHING",
                       {job, file, offset, reason}});
  }
  void load(std::vector<d1::Statement> statements) {
    ++records;
    ++loaded;
    for (auto& statement : statements) pending.push_back(std::move(statement));
  }
  // Commits what is pending together with the checkpoint: the next unloaded byte of `file`.
  Task<void> checkpoint(const std::string& file, int64_t offset) {
    pending.push_back({"UPDATE ingestion_jobs SET checkpoint_file = ?2, checkpoint_offset = ?3, records = records + ?4, "
                       "loaded = loaded + ?5, skipped = skipped + ?6, lease_until = ?7 WHERE id = ?1",
                       {job, file, offset, records, loaded, skipped, services::now_ms() + kLeaseMs}});
    co_await d1::batch(std::exchange(pending, {}));
    records = loaded = skipped = 0;
  }
};

const char* record_root(const std::string& source) {
  return source == "grant" ? "us-patent-grant" : source == "assignment" ? "patent-assignment" : nullptr;
}

// One XML file from `start`, record by record, checkpointing before each batch grows too big.
Task<void> load_records(Progress& progress, const std::string& source, const r2::ObjectInfo& file, int64_t start) {
  RecordReader reader(record_root(source));
  int64_t read_to = start;
  int64_t now = services::now_ms();
  for (;;) {
    auto result = reader.next();
    if (result.kind == RecordReader::Result::Kind::need_more) {
      if (read_to >= file.size) {
        reader.finish();
        continue;
      }
      auto chunk = co_await r2::get(file.key, r2::Range{read_to, std::min(kChunkBytes, file.size - read_to), std::nullopt});
      if (!chunk || chunk->body.empty()) break;  // the object went away: what was read stands
      read_to += static_cast<int64_t>(chunk->body.size());
      reader.feed(chunk->body);
      continue;
    }
    int64_t at = start + static_cast<int64_t>(result.offset);
    if (result.kind == RecordReader::Result::Kind::done) break;
    if (result.kind == RecordReader::Result::Kind::error) {  // broken XML: nothing after it can be trusted
      progress.skip(file.key, at, result.problem);
      break;
    }
    if (progress.pending.size() >= kStatementsPerBatch) co_await progress.checkpoint(file.key, at);
    std::string problem;
    auto statements = record_statements(source, result.record, now, problem);
    if (statements.empty()) progress.skip(file.key, at, problem);
    else progress.load(std::move(statements));
  }
  co_await progress.checkpoint(file.key, file.size);
}

// A line file (maintenance fees, CPC titles) from `start`, in ranges, a line never split.
Task<void> load_lines(Progress& progress, const std::string& source, const r2::ObjectInfo& file, int64_t start) {
  std::vector<CpcLine> cpc;  // CPC parents follow from the order of the whole list: loaded at the end
  std::string carry;
  int64_t carry_at = start;
  for (int64_t read_to = start; read_to < file.size;) {
    auto chunk = co_await r2::get(file.key, r2::Range{read_to, std::min(kChunkBytes, file.size - read_to), std::nullopt});
    if (!chunk || chunk->body.empty()) break;
    read_to += static_cast<int64_t>(chunk->body.size());
    carry += chunk->body;
    bool last = read_to >= file.size;
    size_t begin = 0;
    for (size_t end; (end = carry.find('\n', begin)) != std::string::npos || (last && begin < carry.size()); begin = end + 1) {
      if (end == std::string::npos) end = carry.size();
      std::string_view line = std::string_view(carry).substr(begin, end - begin);
      int64_t at = carry_at + static_cast<int64_t>(begin);
      if (line.empty() || line == "\r") continue;
      std::string problem;
      if (source == "cpc") {
        if (auto parsed = read_cpc_line(line, problem)) cpc.push_back(std::move(*parsed));
        else progress.skip(file.key, at, problem);
        continue;
      }
      if (progress.pending.size() >= kStatementsPerBatch) co_await progress.checkpoint(file.key, at);
      if (auto event = read_fee_event_line(line, problem)) progress.load({fee_event_statement(*event)});
      else progress.skip(file.key, at, problem);
    }
    carry.erase(0, std::min(begin, carry.size()));
    carry_at += static_cast<int64_t>(begin);
  }
  for (auto& statement : cpc_statements(cpc)) {
    if (progress.pending.size() >= kStatementsPerBatch) co_await d1::batch(std::exchange(progress.pending, {}));
    progress.pending.push_back(std::move(statement));
  }
  progress.records += static_cast<int64_t>(cpc.size());
  progress.loaded += static_cast<int64_t>(cpc.size());
  co_await progress.checkpoint(file.key, file.size);
}

}  // namespace

std::optional<std::string_view> source_for_cron(std::string_view cron) {
  for (const auto& schedule : kSchedules)
    if (schedule.cron == cron) return schedule.source;
  return std::nullopt;
}

std::string job_id(std::string_view source, std::string_view date) { return "us:" + std::string(source) + ":" + std::string(date); }

Task<std::pair<std::string, bool>> start_ingestion(std::string source, std::string date) {
  std::string id = job_id(source, date);
  auto created = co_await d1::run({"INSERT INTO ingestion_jobs (id, jurisdiction, source, date, status, created_at) VALUES "
                                   "(?1, 'us', ?2, ?3, 'queued', ?4) ON CONFLICT (id) DO NOTHING",
                                   {id, source, date, services::now_ms()}});
  if (created.changes == 1) co_await queue::send(jobs::kQueue, {{{"job_id", id}, {"kind", "ingest"}}, std::nullopt});
  co_return std::pair{id, created.changes == 1};
}

Task<bool> run_ingestion(std::string id) {
  int64_t now = services::now_ms();
  auto claimed = co_await d1::first(
      {"UPDATE ingestion_jobs SET status = 'running', attempts = attempts + 1, lease_until = ?2, started_at = "
       "COALESCE(started_at, ?3) WHERE id = ?1 AND (status = 'queued' OR (status = 'running' AND (lease_until IS NULL OR "
       "lease_until < ?3))) RETURNING source, date, checkpoint_file, checkpoint_offset",
       {id, now + kLeaseMs, now}});
  if (!claimed) {
    auto job = co_await d1::first({"SELECT status FROM ingestion_jobs WHERE id = ?1", {id}});
    co_return !job || (*job)["status"] != "running";  // done already (or unknown): nothing to run
  }
  std::string source = claimed->value("source", "");
  std::string date = claimed->value("date", "");
  const auto* resume_file = string_field(*claimed, "checkpoint_file");
  int64_t resume_offset = claimed->value("checkpoint_offset", int64_t(0));
  if (source != "grant" && source != "assignment" && source != "maintenance" && source != "cpc") {
    co_await d1::run({"UPDATE ingestion_jobs SET status = 'failed', finished_at = ?2, error = ?3 WHERE id = ?1",
                      {id, services::now_ms(), "no parser for source '" + source + "' yet"}});
    co_return true;
  }
  auto listing = co_await r2::list("raw/us/" + source + "/" + date + "/");
  std::vector<r2::ObjectInfo> files = listing.objects;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  if (files.empty()) {
    co_await d1::run({"UPDATE ingestion_jobs SET status = 'failed', finished_at = ?2, error = ?3 WHERE id = ?1",
                      {id, services::now_ms(), "no files under raw/us/" + source + "/" + date + "/"}});
    co_return true;
  }
  Progress progress{id};
  for (const auto& file : files) {
    int64_t start = 0;
    if (resume_file && file.key < *resume_file) continue;  // loaded by an earlier attempt
    if (resume_file && file.key == *resume_file) start = resume_offset;
    if (start >= file.size) continue;
    if (record_root(source)) co_await load_records(progress, source, file, start);
    else co_await load_lines(progress, source, file, start);
  }
  co_await d1::run({"UPDATE ingestion_jobs SET status = 'succeeded', finished_at = ?2, lease_until = NULL, error = NULL "
                    "WHERE id = ?1",
                    {id, services::now_ms()}});
  services::write_log_line(dump_json({{"level", "info"}, {"msg", "ingestion succeeded"}, {"job_id", id}}));
  co_return true;
}

Task<bool> after_failed_attempt(std::string id, bool last_attempt, std::string reason) {
  if (last_attempt)
    co_await d1::run({"UPDATE ingestion_jobs SET status = 'failed', finished_at = ?2, lease_until = NULL, error = ?3 "
                      "WHERE id = ?1 AND status != 'succeeded'",
                      {id, services::now_ms(), reason}});
  else
    co_await d1::run({"UPDATE ingestion_jobs SET lease_until = NULL WHERE id = ?1 AND status = 'running'", {id}});
  co_return true;
}

}  // namespace ptmc::ingest
