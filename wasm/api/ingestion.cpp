// /v1/ingestion: the ingestion jobs and, per source, how fresh the data is, for platform
// operators only; /v1/sources: how fresh each source is, for every key, without the internals.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/ingestion.hpp"
#include "wasm/ingest/jobs.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::api {

using schema::required;
using schema::Schema;

namespace {

std::vector<std::string> job_statuses() { return {std::begin(ingest::kJobStatuses), std::end(ingest::kJobStatuses)}; }

}  // namespace

const schema::ObjectType& ingestion_job_object() {
  auto seconds = [](const char* description) { return Schema::integer(description).nullable(); };
  static const schema::ObjectType job(
      "ingestion_job", "One source's files for one day, loaded with checkpoints.",
      {{"id", Schema::string(), "id", "us:assignment:2016-01-01"},
       {"jurisdiction", Schema::string(), "jurisdiction", "us"},
       {"source", Schema::string().one_of(ingest::source_names()), "source", "assignment"},
       {"date", Schema::date(), "date", "2016-01-01"},
       {"status", Schema::string().one_of(job_statuses()), "status", "succeeded"},
       {"records", Schema::integer(), "records", 8},
       {"loaded", Schema::integer(), "loaded", 7},
       {"skipped", Schema::integer(), "skipped", 1},
       {"attempts", Schema::integer("Tries of the part left; an invocation that hands over to the next starts the count again."),
        "attempts", 1},
       {"invocations",
        Schema::integer("Queue invocations the job has taken: a long file takes several, each stopping at a checkpoint."),
        "invocations", 1},
       {"error", Schema::string().nullable(), "error", nullptr},
       {"checkpoint",
        Schema::object({required("file", Schema::string().nullable()), required("offset", Schema::integer())}),
        "json_object('file', checkpoint_file, 'offset', checkpoint_offset)",
        {{"file", "raw/us/assignment/2016-01-01/ad20160101.xml"}, {"offset", 29758}},
        &schema::kJsonObject},
       {"bytes_total", Schema::integer("The size of the job's files, once listed."), "bytes_total", 29758},
       {"bytes_done", Schema::integer("Bytes loaded so far, up to the last checkpoint."), "bytes_done", 29758},
       {"created_at", Schema::integer("Unix seconds."), "created_at", 1451613600, &schema::kSeconds},
       {"started_at", seconds("Unix seconds."), "started_at", 1451613601, &schema::kSeconds},
       {"finished_at", seconds("Unix seconds."), "finished_at", 1451613605, &schema::kSeconds}});
  return job;
}

const schema::ObjectType& ingestion_error_object() {
  static const schema::ObjectType error(
      "ingestion_error", "A record an ingestion job skipped.",
      {{"file", Schema::string(), "file", "raw/us/assignment/2016-01-03/ad20160103.xml"},
       {"byte_offset", Schema::integer("Where the skipped record starts in its file."), "byte_offset", 23},
       {"reason", Schema::string(), "reason", "no reel, frame, recorded date or conveyance text"}});
  return error;
}

namespace {

constexpr int64_t kHourMs = 3'600'000;

Json job_json(const Json& row) { return ingestion_job_object().render(row); }

std::string job_select(const std::string& rest) { return "SELECT " + ingestion_job_object().select_list() + " FROM " + rest; }

Task<http::Response> get_job(RequestContext& context) {
  std::string id = path_id(context);
  auto row = co_await d1::first({job_select("ingestion_jobs WHERE id = ?1"), {id}});
  if (!row) co_return context.fail(errors::resource_missing("ingestion_job", id));
  co_return http::json_response(200, job_json(*row));
}

// The records a job skipped, in file order: where, and why.
Task<http::Response> list_job_errors(RequestContext& context) {
  std::string id = path_id(context);
  const Page& page = context.page;
  auto [job, result] =
      co_await all(d1::first({"SELECT id FROM ingestion_jobs WHERE id = ?1", {id}}),
                   d1::all(items_query("SELECT " + item_columns(ingestion_error_object(), "file, byte_offset") +
                                           " FROM ingestion_errors WHERE job_id = ?2 AND (?3 IS NULL OR (file, byte_offset) "
                                           "> (?3, ?4)) ORDER BY file, byte_offset LIMIT ?1",
                                       {page.limit + 1, id, page.after_at(0), page.after_at(1)})));
  if (!job) co_return context.fail(errors::resource_missing("ingestion_job", id));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["file"], row["byte_offset"]}); });
}

// An operator's request to load (source, date): files uploaded under raw/us/{source}/{date}/,
// or fetched from the origin. Queues the job unless it exists; a failed one runs again, and so
// does a succeeded one whose files changed, or that is forced.
Task<http::Response> create_job(RequestContext& context) {
  auto [id, queued] = co_await ingest::start_ingestion(context.body.value("source", ""), context.body.value("date", ""),
                                                       {.rerun = true, .force = context.body.value("force", false)});
  auto row = co_await d1::first({job_select("ingestion_jobs WHERE id = ?1"), {id}});
  if (!row) co_return context.fail(errors::resource_missing("ingestion_job", id));
  co_return http::json_response(queued ? 202 : 200, job_json(*row));
}

Task<http::Response> list_jobs(RequestContext& context) {
  const auto* source = string_field(context.query, "source");
  const auto* status = string_field(context.query, "status");
  const Page& page = context.page;
  auto result = co_await d1::all(items_query(
      "SELECT " + item_columns(ingestion_job_object(), "created_at, id") +
          " FROM ingestion_jobs WHERE (?2 IS NULL OR source = ?2) AND (?3 IS NULL OR "
          "status = ?3) AND (?4 IS NULL OR (created_at, id) < (?4, ?5)) ORDER BY created_at DESC, id DESC LIMIT ?1",
      {page.limit + 1, source ? Json(*source) : Json(), status ? Json(*status) : Json(), page.after_at(0), page.after_at(1)}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); });
}

// Per source, what both views show: the latest success, its counts, and fresh / warning / stale
// by its age. `operators` adds the internals: the latest run whole, and the records skipped.
Task<Json> freshness(bool operators) {
  auto [last_runs, last_successes, error_counts] = co_await d1::batch({
      {job_select("ingestion_jobs j WHERE created_at = (SELECT max(created_at) FROM ingestion_jobs WHERE source = j.source)")},
      {"SELECT source, finished_at, records, loaded FROM ingestion_jobs j WHERE status = 'succeeded' AND finished_at = (SELECT "
       "max(finished_at) FROM ingestion_jobs WHERE source = j.source AND status = 'succeeded')"},
      {"SELECT source, count(*) AS errors FROM ingestion_errors e JOIN ingestion_jobs j ON j.id = e.job_id GROUP BY source"},
  });
  auto by_source = [](const Json& rows, const std::string& source) -> const Json* {
    for (const auto& row : rows)
      if (row["source"] == source) return &row;
    return nullptr;
  };
  int64_t now = services::now_ms();
  Json sources = Json::array();
  for (const auto& rule : ingest::kUsSources) {
    std::string source(rule.name);
    const Json* success = by_source(last_successes.rows, source);
    std::optional<int64_t> success_ms = success ? integer_field(*success, "finished_at") : std::nullopt;
    std::optional<int64_t> age_hours = success_ms ? std::optional<int64_t>((now - *success_ms) / kHourMs) : std::nullopt;
    std::string staleness = !age_hours                          ? "stale"
                            : *age_hours <= rule.expected_hours ? "fresh"
                            : *age_hours <= rule.stale_hours    ? "warning"
                                                                : "stale";
    Json entry = {{"source", source},
                  {"last_success_at", success_ms ? Json(*success_ms / 1000) : Json()},
                  {"age_hours", age_hours ? Json(*age_hours) : Json()},
                  {"staleness", staleness},
                  {"last_success_records", success ? (*success)["records"] : Json()},
                  {"last_success_loaded", success ? (*success)["loaded"] : Json()},
                  {"expected_every_hours", rule.expected_hours},
                  {"stale_after_hours", rule.stale_hours}};
    if (operators) {
      const Json* last = by_source(last_runs.rows, source);
      const Json* errors = by_source(error_counts.rows, source);
      entry["last_run"] = last ? job_json(*last) : Json();
      entry["errors_recorded"] = errors ? (*errors)["errors"] : Json(0);
    }
    sources.push_back(std::move(entry));
  }
  co_return sources;
}

Task<http::Response> ingestion_status(RequestContext&) {
  co_return http::json_response(200, {{"object", "ingestion_status"}, {"sources", co_await freshness(true)}});
}

// The organisations' view: freshness and counts, none of the platform's internals.
Task<http::Response> list_sources(RequestContext&) {
  co_return http::json_response(200, {{"object", "source_freshness"}, {"sources", co_await freshness(false)}});
}

}  // namespace

std::vector<Route> ingestion_routes() {
  const Json job_example = ingestion_job_object().example();
  Json queued_example = job_example;  // as POST answers it: nothing loaded yet
  for (const char* count : {"records", "loaded", "skipped", "attempts", "invocations", "bytes_total", "bytes_done"})
    queued_example[count] = 0;
  queued_example["status"] = "queued";
  queued_example["checkpoint"] = {{"file", nullptr}, {"offset", 0}};
  queued_example["started_at"] = queued_example["finished_at"] = nullptr;
  auto freshness_schema = [&](bool operators) {
    std::vector<schema::Property> members = {required("source", Schema::string().one_of(ingest::source_names())),
                                             required("last_success_at", Schema::integer().nullable()),
                                             required("age_hours", Schema::integer().nullable()),
                                             required("staleness", Schema::string().one_of({"fresh", "warning", "stale"})),
                                             required("last_success_records", Schema::integer().nullable()),
                                             required("last_success_loaded", Schema::integer().nullable()),
                                             required("expected_every_hours", Schema::integer()),
                                             required("stale_after_hours", Schema::integer())};
    if (operators) {
      members.push_back(required("last_run", Schema::any("The latest job, or null.")));
      members.push_back(required("errors_recorded", Schema::integer()));
    }
    return Schema::object(std::move(members));
  };
  auto freshness_example = [&](bool operators) {
    Json example = {{"source", "assignment"},     {"last_success_at", 1451613605}, {"age_hours", 5},
                    {"staleness", "fresh"},       {"last_success_records", 8},     {"last_success_loaded", 7},
                    {"expected_every_hours", 24}, {"stale_after_hours", 48}};
    if (operators) {
      example["last_run"] = job_example;
      example["errors_recorded"] = 1;
    }
    return example;
  };
  auto id = schema::path_param(
      "id", Schema::string("{jurisdiction}:{source}:{date}.").length(1, 64).example("us:assignment:2016-01-01"));
  return {
      {"POST",
       "/v1/ingestion/jobs",
       create_job,
       {.id = "createIngestionJob",
        .tag = "Ingestion",
        .summary = "Load a source's files for a day",
        .description = "For files an operator uploaded to R2 under `raw/us/{source}/{date}/` (scripts/ingest does both), or, "
                       "when none were, fetched from the configured origin. Queues the job on its jurisdiction's queue unless "
                       "it exists: a failed job runs again, from its checkpoint; a succeeded one runs again from the start "
                       "when the day's files are not those it ran on (a corrected file published again: each file's key, "
                       "etag and size are compared) or with `force`; rows are upserted, and events written for real changes "
                       "only. Otherwise a queued, running or succeeded job is answered as it is (200). Follow it with "
                       "`GET /v1/ingestion/jobs/{id}`.",
        .body =
            Schema::object({required("source", Schema::string().one_of(ingest::source_names())), required("date", Schema::date()),
                            schema::optional("force", Schema::boolean("Run a succeeded job again over unchanged files."))}),
        .replies = {{202, "Queued by this request.", Schema::ref("IngestionJob"), queued_example},
                    {200, "It existed, and is not queued again.", Schema::ref("IngestionJob"), job_example}}},
       "ingestion:write"},
      {"GET",
       "/v1/ingestion/jobs/{id}",
       get_job,
       {.id = "getIngestionJob",
        .tag = "Ingestion",
        .summary = "Retrieve an ingestion job",
        .description = "With its progress in bytes (up to the last checkpoint) and its counts.",
        .parameters = {id},
        .replies = {{200, "The job.", Schema::ref("IngestionJob"), job_example}}},
       "ingestion:read"},
      {"GET",
       "/v1/ingestion/jobs/{id}/errors",
       list_job_errors,
       {.id = "listIngestionJobErrors",
        .tag = "Ingestion",
        .summary = "List the records a job skipped",
        .description = "In file order: the file, the byte offset where the record starts, and why it was skipped. The rest "
                       "of the file loaded.",
        .parameters = page_parameters({id}),
        .replies = {{200, "A page of skipped records.", list_of("IngestionError", "A page of skipped records."),
                     list_example(ingestion_error_object().example())}},
        .errors = {"invalid_cursor"}},
       "ingestion:read"},
      {"GET",
       "/v1/ingestion/jobs",
       list_jobs,
       {.id = "listIngestionJobs",
        .tag = "Ingestion",
        .summary = "List ingestion jobs",
        .description = "Newest first: one job per source and day, with its counts, checkpoint and last error.",
        .parameters = page_parameters({schema::query_param("source", Schema::string().one_of(ingest::source_names())),
                                       schema::query_param("status", Schema::string().one_of(job_statuses()))}),
        .replies = {{200, "A page of jobs.", list_of("IngestionJob", "A page of ingestion jobs."), list_example(job_example)}},
        .errors = {"invalid_cursor"}},
       "ingestion:read"},
      {"GET",
       "/v1/ingestion/status",
       ingestion_status,
       {.id = "getIngestionStatus",
        .tag = "Ingestion",
        .summary = "How fresh each source is, with the latest runs",
        .description = "For platform operators: `GET /v1/sources`, plus each source's latest run (with its checkpoint and "
                       "error) and the records its jobs skipped.",
        .replies = {{200,
                     "Each source's freshness.",
                     Schema::object({required("object", Schema::string().one_of({"ingestion_status"})),
                                     required("sources", Schema::array(freshness_schema(true)))}),
                     {{"object", "ingestion_status"}, {"sources", {freshness_example(true)}}}}}},
       "ingestion:read"},
      {"GET",
       "/v1/sources",
       list_sources,
       {.id = "listSources",
        .tag = "Patents",
        .summary = "How fresh each source is",
        .description = "Per USPTO source, the age of the latest successful load and its counts: `fresh` within the "
                       "source's interval (assignments daily; grants, applications and maintenance fees weekly; CPC "
                       "monthly), `warning` until 48 hours, 9 days or 35 days, `stale` after (or never loaded).",
        .replies = {{200,
                     "Each source's freshness.",
                     Schema::object({required("object", Schema::string().one_of({"source_freshness"})),
                                     required("sources", Schema::array(freshness_schema(false)))}),
                     {{"object", "source_freshness"}, {"sources", {freshness_example(false)}}}}}}},
  };
}

}  // namespace ptmc::api
