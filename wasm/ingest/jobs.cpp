#include "wasm/ingest/jobs.hpp"

#include "bindings/d1.hpp"
#include "bindings/fetch.hpp"
#include "bindings/queue.hpp"
#include "bindings/r2.hpp"
#include "wasm/auth/principal.hpp"
#include "wasm/config/config.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/events/events.hpp"
#include "wasm/ingest/allowance.hpp"
#include "wasm/ingest/cpc_loader.hpp"
#include "wasm/ingest/inputs.hpp"
#include "wasm/ingest/loader.hpp"
#include "wasm/patents/documents.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>
#include <map>

namespace ptmc::ingest {
namespace {

constexpr int64_t kChunkBytes = 1 << 20;  // what one R2 range read brings into the module
constexpr size_t kStatementsPerBatch = 200;
constexpr size_t kRecordsPerBatch = 100;         // a grant makes 5 to 20 statements; 100 assignments about 40
constexpr int64_t kChunksPerBatch = 64;          // so that large documents cannot make a batch's reads unbounded
constexpr size_t kCpcMasterRowsPerBatch = 5000;  // about 150 KB of JSON: one statement
constexpr int64_t kLeaseMs = 10 * 60'000;        // an attempt that stops renewing this frees the job
constexpr int kOriginTries = 5;                  // per attempt, 1, 2, 4 and 8 s apart; then the queue's backoff
constexpr int64_t kOriginFirstBackoffMs = 1000;
constexpr int64_t kOriginTimeoutMs = 10 * 60'000;

// What a run has read since its last checkpoint; it is committed with those rows.
struct Progress {
  const std::string& job;
  int64_t now_ms;
  Allowance allowance;
  EntityResolver entities;
  std::vector<ParsedRecord> records_pending;
  std::vector<d1::Statement> pending;  // skipped records, fee events, staged CPC titles
  std::vector<Json> cpc_master_rows;   // staged in few statements
  int64_t records = 0, loaded = 0, skipped = 0;
  int64_t bytes_before_file = 0;  // the sizes of the job's files before the one being read
  int64_t errors_recorded = 0;    // of the job, so far (at most kMaxErrorsRecorded)
  int64_t chunks = 0;             // ranges read since the last checkpoint

  // Documents' own XML, to copy from the file being read to their full-text objects before the
  // checkpoint that passes them; a later copy of a number in one batch replaces an earlier one.
  std::map<std::string, r2::Unpack> full_texts;

  bool full() const {
    return records_pending.size() >= kRecordsPerBatch || pending.size() >= kStatementsPerBatch || chunks >= kChunksPerBatch ||
           cpc_master_rows.size() >= kCpcMasterRowsPerBatch;
  }
  void keep_full_text(const std::string& file, int64_t begin, int64_t end, const std::string& number) {
    std::string to = patents::document_key(number, patents::kFullTextFile);
    full_texts[to] = r2::Unpack{file, begin, end - begin, false, end - begin, std::nullopt, to, "application/xml"};
  }
  void skip(const std::string& file, int64_t offset, const std::string& reason) {
    ++records;
    ++skipped;
    if (errors_recorded >= kMaxErrorsRecorded) return;
    ++errors_recorded;
    pending.push_back(
        {"INSERT INTO ingestion_errors (job_id, file, byte_offset, reason) VALUES (?1, ?2, ?3, ?4) "
         "ON CONFLICT DO NOTHING",
         {job, file, offset, reason}});
  }
  void load(ParsedRecord record) {
    ++records;
    ++loaded;
    records_pending.push_back(std::move(record));
  }
  void load(std::vector<d1::Statement> statements) {
    ++records;
    ++loaded;
    for (auto& statement : statements) pending.push_back(std::move(statement));
  }
  void load(const CpcMasterLine& line) {
    ++records;
    ++loaded;
    cpc_master_rows.push_back(cpc_master_row(line));
  }
  // Commits what is pending with the checkpoint (the next unread byte of `file`, and what a
  // resumed reader needs) in one batch, plus `finish` when the job ends with it.
  Task<void> checkpoint(const std::string& file, int64_t offset, Json state = Json(), std::vector<d1::Statement> finish = {}) {
    std::vector<Effect<r2::Unpacked>> copies;
    for (auto& [to, copy] : full_texts) copies.push_back(r2::unpack(std::move(copy)));
    allowance.copied(copies.size());
    full_texts.clear();
    for (const auto& copied : co_await all(std::move(copies)))
      if (!copied.object)  // the file changed under the job: its next run copies again
        services::write_log_line(
            dump_json({{"level", "warn"}, {"msg", "full text not copied"}, {"job_id", job}, {"reason", copied.problem}}));
    std::set<std::string> names;
    for (const auto& record : records_pending) collect_entity_names(record, names);
    co_await entities.resolve(std::move(names));
    std::vector<d1::Statement> batch = batch_statements(records_pending, entities, now_ms);
    for (auto& statement : pending) batch.push_back(std::move(statement));
    cpc_master_staging_statements(batch, job, cpc_master_rows);
    batch.push_back(
        {"UPDATE ingestion_jobs SET checkpoint_file = ?2, checkpoint_offset = ?3, checkpoint_state = ?4, "
         "records = records + ?5, loaded = loaded + ?6, skipped = skipped + ?7, bytes_done = ?8, lease_until = ?9 "
         "WHERE id = ?1",
         {job, file, offset, state.is_null() ? Json() : Json(dump_json(state)), records, loaded, skipped,
          bytes_before_file + offset, services::now_ms() + kLeaseMs}});
    for (auto& statement : finish) batch.push_back(std::move(statement));
    co_await d1::batch_list(std::move(batch));
    records_pending.clear();
    pending.clear();
    cpc_master_rows.clear();
    records = loaded = skipped = chunks = 0;
  }
};

// One XML file from `start`, record by record, checkpointing before each batch grows too big;
// false when the invocation's allowance ran out at a checkpoint before the end.
Task<bool> load_records(Progress& progress, const Source& source, const r2::ObjectInfo& file, int64_t start) {
  RecordReader reader{std::string(source.record_root)};
  int64_t read_to = start;
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
      ++progress.chunks;
      reader.feed(chunk->body);
      continue;
    }
    int64_t at = start + static_cast<int64_t>(result.offset);
    if (result.kind == RecordReader::Result::Kind::done) break;
    if (result.kind == RecordReader::Result::Kind::error) {  // broken XML: nothing after it can be trusted
      progress.skip(file.key, at, result.problem);
      break;
    }
    // A checkpoint resumes at the record's document, its prolog (and so its entities) included.
    int64_t document = start + static_cast<int64_t>(result.document_offset), end = start + static_cast<int64_t>(result.end);
    if (progress.full()) {
      co_await progress.checkpoint(file.key, document);
      if (progress.allowance.spent()) co_return false;
    }
    std::string problem;
    if (auto record = parse_record(result.record, problem)) {
      if (const auto* patent = std::get_if<PatentDocument>(&*record))
        progress.keep_full_text(file.key, document, end, patent->number);
      progress.load(std::move(*record));
    } else {
      progress.skip(file.key, at, problem);
    }
  }
  co_await progress.checkpoint(file.key, file.size);
  co_return true;
}

// A line file (maintenance fees, CPC titles, the CPC master file) from `start`, in ranges, a
// line never split. CPC titles and symbols are staged; the job's last batch swaps them in.
// false as load_records.
Task<bool> load_lines(Progress& progress, const Source& source, const r2::ObjectInfo& file, int64_t start, CpcParents parents) {
  bool cpc = source.name == "cpc";
  std::string carry;
  int64_t carry_at = start;
  for (int64_t read_to = start; read_to < file.size;) {
    auto chunk = co_await r2::get(file.key, r2::Range{read_to, std::min(kChunkBytes, file.size - read_to), std::nullopt});
    if (!chunk || chunk->body.empty()) break;
    read_to += static_cast<int64_t>(chunk->body.size());
    ++progress.chunks;
    carry += chunk->body;
    bool last = read_to >= file.size;
    size_t begin = 0;
    for (size_t end; (end = carry.find('\n', begin)) != std::string::npos || (last && begin < carry.size()); begin = end + 1) {
      if (end == std::string::npos) end = carry.size();
      std::string_view line = std::string_view(carry).substr(begin, end - begin);
      int64_t at = carry_at + static_cast<int64_t>(begin);
      if (line.empty() || line == "\r") continue;
      if (progress.full()) {
        co_await progress.checkpoint(file.key, at, cpc ? parents.state() : Json());
        if (progress.allowance.spent()) co_return false;
      }
      std::string problem;
      if (cpc) {
        if (auto title = read_cpc_line(line, problem))
          progress.load({cpc_staging_statement(progress.job, *title, parents.parent_of(*title))});
        else progress.skip(file.key, at, problem);
      } else if (source.name == "cpc_master") {
        if (auto symbol = read_cpc_master_line(line, problem)) progress.load(*symbol);
        else progress.skip(file.key, at, problem);
      } else if (auto event = read_fee_event_line(line, problem)) {
        progress.load(fee_event_statements(*event, progress.now_ms));
      } else {
        progress.skip(file.key, at, problem);
      }
    }
    carry.erase(0, std::min(begin, carry.size()));
    carry_at += static_cast<int64_t>(begin);
  }
  co_await progress.checkpoint(file.key, file.size, cpc ? parents.state() : Json());
  co_return true;
}

// The origin's URL for a job: the source's template, else the jurisdiction's, with {source},
// {date} (YYYY-MM-DD) and the parts the USPTO names its files by ({yyyymmdd}: ad20160101.zip,
// {yymmdd}: ipg120327.zip, {yyyy}: the year's folder, {mm}: the month of a monthly file) filled in.
std::optional<std::string> origin_url(const Jurisdiction& jurisdiction, std::string_view source, std::string_view date) {
  std::string source_var = std::string(jurisdiction.origin_var) + "_";
  for (char c : source) source_var += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string yyyymmdd = std::string(date.substr(0, 4)) + std::string(date.substr(5, 2)) + std::string(date.substr(8, 2));
  return config().origin_url(source_var,
                             {{"{source}", source},
                              {"{date}", date},
                              {"{yyyymmdd}", yyyymmdd},
                              {"{yymmdd}", std::string_view(yyyymmdd).substr(2)},
                              {"{yyyy}", date.substr(0, 4)},
                              {"{mm}", date.substr(5, 2)}},
                             jurisdiction.origin_var);
}

struct Download {
  enum class Kind {
    stored,
    transient,     // 429, 5xx, network errors, a short body: the queue retries the job
    missing,       // another 4xx (no file that day): the job fails
    unauthorized,  // 401 or 403: the key is wrong or lapsed; the job fails and operators hear of it
  } kind;
  std::string problem;
};

// Downloads the day's file into R2 with the origin's key, trying again with backoff on 429,
// 5xx, network errors and a body shorter than its Content-Length.
Task<Download> download_from_origin(const Jurisdiction& jurisdiction, const std::string& url, const std::string& key) {
  http::Headers headers;
  if (auto api_key = config().get(jurisdiction.origin_key_var); !api_key.empty())
    headers.set(jurisdiction.origin_key_header, std::string(api_key));
  int64_t backoff_ms = kOriginFirstBackoffMs;
  std::string problem;
  for (int attempt = 1; attempt <= kOriginTries; ++attempt) {
    auto fetched = co_await r2::put_from_url(url, headers, key, kOriginTimeoutMs).checked();
    if (!fetched.ok()) {
      problem = "the origin is unreachable: " + fetched.fault().message;
    } else if (auto download = fetched.take(); download.object) {
      co_return Download{Download::Kind::stored};
    } else if (!download.problem.empty()) {
      problem = download.problem + " for " + url;
    } else {
      problem = "the origin answered " + std::to_string(download.status) + " for " + url;
      if (download.status == 401 || download.status == 403) co_return Download{Download::Kind::unauthorized, problem};
      if (download.status != 429 && download.status < 500) co_return Download{Download::Kind::missing, problem};
    }
    if (attempt < kOriginTries) {
      co_await outbound::sleep(backoff_ms);
      backoff_ms *= 2;
    }
  }
  co_return Download{Download::Kind::transient, problem};
}

// If the statement before changed the job: ingestion.job.completed with its counts, which every
// organisation sees, or ingestion.job.failed with its error, which only the platform's
// operators do (the error can name origins and internal paths).
d1::Statement job_event(const std::string& id, std::string_view type) {
  bool failed = type == "ingestion.job.failed";
  return {std::string(events::kInsertSql) + "?4, ?2, ?3, " +
              "json_object('object', 'ingestion_job', 'id', id, 'source', source, 'date', date, 'status', status, 'records', "
              "records, 'loaded', loaded, 'skipped', skipped" +
              (failed ? ", 'error', error" : "") + ") FROM ingestion_jobs WHERE id = ?1 AND changes() = 1",
          {id, std::string(type), services::now_ms(), failed ? Json(std::string(auth::kPlatformOrgId)) : Json()}};
}

// `also` commits with the failure (an event of its cause).
Task<void> fail_job(const std::string& id, const std::string& error, std::string_view unless_status = "failed",
                    std::vector<d1::Statement> also = {}) {
  std::vector<d1::Statement> batch{
      {"UPDATE ingestion_jobs SET status = 'failed', finished_at = ?2, lease_until = NULL, error = ?3 WHERE id = ?1 "
       "AND status != ?4",
       {id, services::now_ms(), error, std::string(unless_status)}},
      job_event(id, "ingestion.job.failed")};
  for (auto& statement : also) batch.push_back(std::move(statement));
  co_await d1::batch_list(std::move(batch));
}

// A day's files in key order, the order they load in.
Task<std::vector<r2::ObjectInfo>> day_files(const std::string& prefix) {
  auto listing = co_await r2::list(prefix);
  std::sort(listing.objects.begin(), listing.objects.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  co_return std::move(listing.objects);
}

// The message that drives a US job.
queue::Message job_message(const Json& id) {
  return {{{"job_id", id}, {"kind", "ingest"}, {"jurisdiction", kJurisdictions[0].code}}, std::nullopt};
}

// The end of an invocation that loaded: with what it spent, for operators and scripts/bench.
void log_invocation(const std::string& id, std::string_view msg) {
  services::write_log_line(dump_json({{"level", "info"},
                                      {"msg", msg},
                                      {"job_id", id},
                                      {"effects", current_task().stats().effects},
                                      {"memory_bytes", services::linear_memory_bytes()}}));
}

// The invocation's allowance ran out at a checkpoint: the job is queued again, its attempts
// counted afresh for the part that is left, and a new message carries on from the checkpoint
// (a lost one is requeued by the housekeeping, as any stranded job).
Task<void> hand_over(const std::string& id) {
  co_await d1::run(
      {"UPDATE ingestion_jobs SET status = 'queued', queued_at = ?2, lease_until = NULL, attempts = 0 "
       "WHERE id = ?1 AND status = 'running'",
       {id, services::now_ms()}});
  co_await queue::send(std::string(kJurisdictions[0].queue), job_message(id));
}

}  // namespace

const Jurisdiction* find_jurisdiction(std::string_view code) {
  for (const auto& jurisdiction : kJurisdictions)
    if (jurisdiction.code == code) return &jurisdiction;
  return nullptr;
}

std::vector<std::string> source_names() {
  std::vector<std::string> names;
  for (const auto& source : kUsSources) names.emplace_back(source.name);
  return names;
}

const Source* find_source(std::string_view name) {
  for (const auto& source : kUsSources)
    if (source.name == name) return &source;
  return nullptr;
}

std::optional<std::string_view> source_for_cron(std::string_view cron) {
  for (const auto& schedule : kSchedules)
    if (schedule.cron == cron) return schedule.source;
  return std::nullopt;
}

std::string job_id(std::string_view source, std::string_view date) {
  return "us:" + std::string(source) + ":" + std::string(date);
}

std::string inputs_fingerprint(const std::vector<r2::ObjectInfo>& files) {
  std::string listed;
  for (const auto& file : files) listed += file.key + '\t' + file.etag + '\t' + std::to_string(file.size) + '\n';
  return crypto::base64url(crypto::bytes_of(crypto::murmur3_128(listed)));
}

Task<std::pair<std::string, bool>> start_ingestion(std::string source, std::string date, Start how) {
  std::string id = job_id(source, date);
  // Only an operator's request looks at the files; no files at all (an origin's day) is no change.
  std::string fingerprint;
  if (how.rerun) {
    auto files = co_await day_files("raw/" + std::string(kJurisdictions[0].code) + "/" + source + "/" + date + "/");
    if (!files.empty()) fingerprint = inputs_fingerprint(files);
  }
  // A failed or lapsed job resumes from its checkpoint; a succeeded one starts again from nothing.
  auto afresh = [](const char* column, const char* value) {
    return std::string(column) + " = CASE WHEN ingestion_jobs.status = 'succeeded' THEN " + value + " ELSE ingestion_jobs." +
           column + " END";
  };
  auto queued = co_await d1::run(
      {"INSERT INTO ingestion_jobs (id, jurisdiction, source, date, status, created_at, queued_at) VALUES (?1, 'us', ?2, ?3, "
       "'queued', ?4, ?4) ON CONFLICT (id) DO UPDATE SET " +
           afresh("checkpoint_file", "NULL") + ", " + afresh("checkpoint_offset", "0") + ", " +
           afresh("checkpoint_state", "NULL") + ", " + afresh("records", "0") + ", " + afresh("loaded", "0") + ", " +
           afresh("skipped", "0") + ", " + afresh("bytes_done", "0") + ", " + afresh("invocations", "0") + ", " +
           afresh("started_at", "NULL") +
           ", status = 'queued', queued_at = ?4, lease_until = NULL, error = NULL, finished_at = NULL, "
           "attempts = CASE WHEN ingestion_jobs.status IN ('failed', 'succeeded') THEN 0 ELSE ingestion_jobs.attempts END "
           "WHERE ?5 AND (ingestion_jobs.status = 'failed' OR (ingestion_jobs.status = 'running' AND "
           "(ingestion_jobs.lease_until IS NULL OR ingestion_jobs.lease_until < ?4)) OR (ingestion_jobs.status = 'succeeded' "
           "AND (?6 OR (?7 != '' AND ingestion_jobs.inputs_fingerprint IS NOT ?7))))",
       {id, source, date, services::now_ms(), how.rerun ? 1 : 0, how.force ? 1 : 0, fingerprint}});
  if (queued.changes == 1) co_await queue::send(std::string(kJurisdictions[0].queue), job_message(id));
  co_return std::pair{id, queued.changes == 1};
}

Task<int64_t> requeue_stranded() {
  int64_t now = services::now_ms();
  auto stranded = co_await d1::all(
      {"UPDATE ingestion_jobs SET status = 'queued', queued_at = ?1, lease_until = NULL WHERE id IN (SELECT id FROM "
       "ingestion_jobs WHERE (status = 'running' AND (lease_until IS NULL OR lease_until < ?1)) OR (status = 'queued' AND "
       "COALESCE(queued_at, created_at) < ?2) LIMIT 100) RETURNING id",
       {now, now - kStrandedAfterMs}});
  std::vector<queue::Message> messages;
  for (const auto& row : stranded.rows) messages.push_back(job_message(row["id"]));
  if (!messages.empty()) co_await queue::send_batch(std::string(kJurisdictions[0].queue), std::move(messages));
  co_return static_cast<int64_t>(stranded.rows.size());
}

Task<bool> fail_trapped(std::string id, std::string trap) {
  co_await fail_job(id, "the attempt trapped the module (" + trap + "); fix the cause, then re-queue it", "succeeded");
  co_return true;
}

Task<Attempt> run_ingestion(std::string id) {
  int64_t now = services::now_ms();
  auto [claimed, errors] = co_await all(
      d1::first(
          {"UPDATE ingestion_jobs SET status = 'running', attempts = attempts + 1, invocations = invocations + 1, "
           "lease_until = ?2, started_at = "
           "COALESCE(started_at, ?3) WHERE id = ?1 AND (status = 'queued' OR (status = 'running' AND (lease_until IS NULL "
           "OR lease_until < ?3))) RETURNING jurisdiction, source, date, checkpoint_file, checkpoint_offset, checkpoint_state",
           {id, now + kLeaseMs, now}}),
      d1::first({"SELECT count(*) AS n FROM ingestion_errors WHERE job_id = ?1", {id}}));
  if (!claimed) {
    auto job = co_await d1::first({"SELECT status FROM ingestion_jobs WHERE id = ?1", {id}});
    bool running = job && (*job)["status"] == "running";  // else done already (or unknown): nothing to run
    co_return Attempt{running ? Attempt::Kind::busy : Attempt::Kind::done};
  }
  std::string date = claimed->value("date", "");
  const Jurisdiction* jurisdiction = find_jurisdiction(claimed->value("jurisdiction", ""));
  const Source* source = find_source(claimed->value("source", ""));
  if (!jurisdiction || !source) {
    co_await fail_job(id, "no parser for " + claimed->value("jurisdiction", "") + " " + claimed->value("source", ""));
    co_return Attempt{Attempt::Kind::done};
  }
  // Before any file is listed or staged: a setting that cannot be read fails the job at once.
  auto subrequests = config().number(kInvocationSubrequests);
  auto seconds = config().number(kInvocationSeconds);
  if (!subrequests || !seconds) {
    co_await fail_job(id, "the setting " + (subrequests ? kInvocationSeconds : kInvocationSubrequests).describe() +
                              " is not a whole number in its range");
    co_return Attempt{Attempt::Kind::done};
  }
  const auto* resume_file = string_field(*claimed, "checkpoint_file");
  int64_t resume_offset = claimed->value("checkpoint_offset", int64_t(0));
  const auto* saved_state = string_field(*claimed, "checkpoint_state");
  Json resume_state = saved_state ? parse_json(*saved_state).value_or(Json()) : Json();

  std::string prefix = "raw/" + std::string(jurisdiction->code) + "/" + std::string(source->name) + "/" + date + "/";
  auto listed = co_await day_files(prefix);
  if (listed.empty()) {
    if (auto url = origin_url(*jurisdiction, source->name, date)) {
      auto download = co_await download_from_origin(*jurisdiction, *url, prefix + "origin");
      if (download.kind == Download::Kind::transient)
        co_return Attempt{Attempt::Kind::failed, download.problem};  // the queue retries
      if (download.kind != Download::Kind::stored) {
        std::vector<d1::Statement> also;
        if (download.kind == Download::Kind::unauthorized)
          also.push_back(events::record("ingestion.source.unauthorized", std::string(auth::kPlatformOrgId), services::now_ms(),
                                        {{"object", "ingestion_source"},
                                         {"jurisdiction", jurisdiction->code},
                                         {"source", source->name},
                                         {"job_id", id},
                                         {"error", download.problem}}));
        co_await fail_job(id, download.problem, "failed", std::move(also));
        co_return Attempt{Attempt::Kind::done};
      }
      listed = co_await day_files(prefix);
    }
  }
  std::string fingerprint = inputs_fingerprint(listed);
  if (listed.empty()) {
    co_await fail_job(id, "no files under " + prefix);
    co_return Attempt{Attempt::Kind::done};
  }
  std::string staging = "staged/" + prefix.substr(prefix.find('/') + 1);
  Allowance allowance{*subrequests, now + *seconds * 1000};  // `now`: when the invocation began
  auto inputs = co_await prepare_inputs(*source, staging, std::move(listed), allowance);
  if (!inputs.problem.empty()) {  // nothing is loaded from a day that is not what its source publishes
    co_await remove_staged(staging);
    co_await fail_job(id, inputs.problem);
    co_return Attempt{Attempt::Kind::done};
  }
  if (!inputs.complete) {  // an archive of many entries: the next invocation stages the rest
    co_await hand_over(id);
    log_invocation(id, "ingestion handed over");
    co_return Attempt{Attempt::Kind::done};
  }
  const std::vector<r2::ObjectInfo>& files = inputs.files;
  int64_t bytes_total = 0;
  for (const auto& file : files) bytes_total += file.size;
  co_await d1::run(
      {"UPDATE ingestion_jobs SET bytes_total = ?2, inputs_fingerprint = ?3 WHERE id = ?1", {id, bytes_total, fingerprint}});

  // Files before the checkpoint's are loaded; a checkpoint in no file of the list (an archive
  // published again) starts the day afresh, its rows upserted again.
  auto resume_at =
      std::find_if(files.begin(), files.end(), [&](const auto& file) { return resume_file && file.key == *resume_file; });
  allowance.start_step();  // the loading's steps are its batches
  Progress progress{id, now, allowance};
  progress.errors_recorded = errors ? errors->value("n", int64_t(0)) : 0;
  bool from_the_start = resume_at == files.end();        // no checkpoint, or one in a file no longer listed
  if (from_the_start && progress.errors_recorded > 0) {  // the skips recorded were an earlier run's
    co_await d1::run({"DELETE FROM ingestion_errors WHERE job_id = ?1", {id}});
    progress.errors_recorded = 0;
  }
  if (from_the_start && (source->name == "cpc" || source->name == "cpc_master"))  // and so were the rows staged
    progress.pending = clear_staged_cpc_statements(id);                           // (cleared by the first checkpoint)
  for (auto file_at = files.begin(); file_at != files.end(); ++file_at) {
    const r2::ObjectInfo& file = *file_at;
    int64_t start = 0;
    CpcParents parents;
    bool loaded_before = resume_at != files.end() && file_at < resume_at;
    if (file_at == resume_at) {
      start = resume_offset;
      parents.restore(resume_state);
    }
    if (!loaded_before && start < file.size) {
      bool to_the_end = source->record_root.empty() ? co_await load_lines(progress, *source, file, start, std::move(parents))
                                                    : co_await load_records(progress, *source, file, start);
      // A day of many small files (an archive's parts) stops between two as within one.
      if (!to_the_end || (std::next(file_at) != files.end() && progress.allowance.spent())) {
        co_await hand_over(id);
        log_invocation(id, "ingestion handed over");
        co_return Attempt{Attempt::Kind::done};
      }
    }
    progress.bytes_before_file += file.size;
  }
  std::vector<d1::Statement> finish;
  if (source->name == "cpc") finish = cpc_swap_statements(id);
  if (source->name == "cpc_master") finish = cpc_master_swap_statements(id);
  finish.push_back(
      {"UPDATE ingestion_jobs SET status = 'succeeded', finished_at = ?2, lease_until = NULL, error = NULL, "
       "bytes_done = bytes_total WHERE id = ?1",
       {id, services::now_ms()}});
  finish.push_back(job_event(id, "ingestion.job.completed"));
  co_await d1::batch_list(std::move(finish));
  co_await remove_staged(staging);
  log_invocation(id, "ingestion succeeded");
  co_return Attempt{Attempt::Kind::done};
}

Task<bool> after_failed_attempt(std::string id, bool last_attempt, std::string reason) {
  if (last_attempt) co_await fail_job(id, reason, "succeeded");
  else co_await d1::run({"UPDATE ingestion_jobs SET lease_until = NULL WHERE id = ?1 AND status = 'running'", {id}});
  co_return true;
}

}  // namespace ptmc::ingest
