#include "bindings/d1.hpp"
#include "bindings/queue.hpp"
#include "wasm/background/background.hpp"
#include "wasm/ingest/jobs.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/webhooks/delivery.hpp"

namespace ptmc::background {
namespace {

struct Schedule {
  std::string_view cron;
  std::string_view job;
};

// Must match [triggers] crons in wrangler.toml (with the ingestion ones and the fan-out's).
constexpr Schedule kSchedules[] = {
    {"15 * * * *", "housekeeping"},
};
constexpr std::string_view kWebhookFanOutCron = "* * * * *";

void log_event(std::string_view level, Json fields) {
  fields["level"] = level;
  services::write_log_line(dump_json(fields));
}

// Records the job, then enqueues it; a failed enqueue marks the record failed, never silent.
Task<wire::Frame> start_job(std::string cron, std::string kind) {
  std::string id = "job_" + services::random_hex(12);
  int64_t now = services::now_ms();
  co_await d1::run({"INSERT INTO job_runs (id, kind, cron, status, attempts, enqueued_at) VALUES (?1, ?2, ?3, 'queued', 0, ?4)",
                    {id, kind, cron, now}});
  auto sent = co_await queue::send(kQueue, {{{"job_id", id}, {"kind", kind}}, std::nullopt}).checked();
  if (!sent.ok()) {
    co_await d1::run({"UPDATE job_runs SET status = 'failed', finished_at = ?2, detail = ?3 WHERE id = ?1",
                      {id, services::now_ms(), "enqueue failed: " + sent.fault().message}});
    log_event("error", {{"msg", "job enqueue failed"}, {"job_id", id}, {"detail", sent.fault().message}});
    co_return wire::Frame{{{"ok", false}, {"job_id", id}}, {}};
  }
  log_event("info", {{"msg", "job enqueued"}, {"job_id", id}, {"kind", kind}, {"cron", cron}});
  co_return wire::Frame{{{"ok", true}, {"job_id", id}}, {}};
}

}  // namespace

std::optional<std::string_view> job_for_cron(std::string_view cron) {
  for (const auto& schedule : kSchedules)
    if (schedule.cron == cron) return schedule.job;
  return std::nullopt;
}

// An ingestion tick: the job of this source and this day, once however often the tick fires.
Task<wire::Frame> start_ingestion_job(std::string source, int64_t scheduled_ms) {
  auto [id, created] = co_await ingest::start_ingestion(source, patents::date_of(scheduled_ms));
  log_event("info", {{"msg", created ? "ingestion job enqueued" : "ingestion job exists"}, {"job_id", id}});
  co_return wire::Frame{{{"ok", true}, {"job_id", id}, {"created", created}}, {}};
}

Task<wire::Frame> on_scheduled(wire::Frame input) {
  const auto* cron = string_field(input.meta, "cron");
  if (cron && *cron == kWebhookFanOutCron) {  // every minute: new events to their endpoints
    auto sent = co_await catch_faults(webhooks::fan_out());
    if (sent.ok()) co_return wire::Frame{{{"ok", true}, {"messages", sent.take()}}, {}};
    log_event("error", {{"msg", "webhook fan-out failed"}, {"detail", sent.fault().message}});
    co_return wire::Frame{{{"ok", false}, {"error", sent.fault().source}}, {}};
  }
  if (auto source = cron ? ingest::source_for_cron(*cron) : std::nullopt) {
    int64_t scheduled_ms = integer_field(input.meta, "scheduledTime").value_or(services::now_ms());
    auto started = co_await catch_faults(start_ingestion_job(std::string(*source), scheduled_ms));
    if (started.ok()) co_return started.take();
    log_event("error", {{"msg", "ingestion start failed"}, {"detail", started.fault().message}});
    co_return wire::Frame{{{"ok", false}, {"error", started.fault().source}}, {}};
  }
  auto kind = cron ? job_for_cron(*cron) : std::nullopt;
  if (!kind) {
    log_event("error", {{"msg", "unknown cron"}, {"cron", cron ? *cron : ""}});
    co_return wire::Frame{{{"ok", false}, {"error", "unknown cron"}}, {}};
  }
  auto started = co_await catch_faults(start_job(*cron, std::string(*kind)));
  if (started.ok()) co_return started.take();
  log_event("error", {{"msg", "job start failed"}, {"source", started.fault().source}, {"detail", started.fault().message}});
  co_return wire::Frame{{{"ok", false}, {"error", started.fault().source}}, {}};
}

}  // namespace ptmc::background
