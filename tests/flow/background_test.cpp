// Cron -> queue -> consumer, and the Durable Object, on the native host.
#include "bindings/native_host/host.hpp"
#include "wasm/background/background.hpp"
#include "wasm/background/housekeeping.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using native::body_json;
using native::Host;

TEST_CASE("a cron tick records a job and enqueues it, and the consumer runs it once", "[jobs]") {
  Host host;
  host.query("INSERT INTO rate_limits (key_id, window_start, count) VALUES ('k', ?1, 5), ('k', ?2, 1)",
             {host.now_ms - 10 * 60'000, host.now_ms});

  Json tick = host.scheduled("15 * * * *");
  REQUIRE(tick["ok"] == true);
  std::string job_id = tick["job_id"];
  CHECK(host.query("SELECT status FROM job_runs WHERE id = ?1", {job_id}).at(0)["status"] == "queued");
  REQUIRE(host.queues["JOBS"].size() == 1);
  CHECK(host.queues["JOBS"][0].body == Json{{"job_id", job_id}, {"kind", "housekeeping"}});

  Json decisions = host.deliver_queue("JOBS");
  CHECK(decisions == Json::array({{{"id", "msg-1"}, {"action", "ack"}}}));
  CHECK(host.queues["JOBS"].empty());
  Json job = host.query("SELECT status, attempts FROM job_runs WHERE id = ?1", {job_id}).at(0);
  CHECK(job["status"] == "succeeded");
  CHECK(job["attempts"] == 1);
  // Only the current window survives.
  CHECK(host.query("SELECT count(*) AS n FROM rate_limits").at(0)["n"] == 1);

  // At-least-once: a redelivery of a finished job changes nothing.
  host.queues["JOBS"].push_back({"msg-again", {{"job_id", job_id}, {"kind", "housekeeping"}}, 0, 0});
  CHECK(host.deliver_queue("JOBS")[0]["action"] == "ack");
  CHECK(host.query("SELECT attempts FROM job_runs WHERE id = ?1", {job_id}).at(0)["attempts"] == 1);
}

TEST_CASE("an unknown cron does nothing and says so", "[jobs]") {
  Host host;
  Json tick = host.scheduled("0 0 31 2 *");
  CHECK(tick["ok"] == false);
  CHECK(host.queues["JOBS"].empty());
  CHECK(host.query("SELECT count(*) AS n FROM job_runs").at(0)["n"] == 0);
}

TEST_CASE("a failed enqueue marks the job failed instead of leaving it queued", "[jobs]") {
  Host host;
  host.fail("queue.", "Queue send failed: 503");
  Json tick = host.scheduled("15 * * * *");
  CHECK(tick["ok"] == false);
  Json job = host.query("SELECT status, detail FROM job_runs").at(0);
  CHECK(job["status"] == "failed");
  CHECK(job["detail"] == "enqueue failed: Queue send failed: 503");
}

TEST_CASE("a poison message goes straight to the dead-letter queue with its reason", "[jobs]") {
  Host host;
  host.queues["JOBS"].push_back({"bad-1", {{"kind", "housekeeping"}}, 0, 0});
  host.queues["JOBS"].push_back({"bad-2", "not an object", 0, 0});
  Json decisions = host.deliver_queue("JOBS");
  CHECK(decisions.size() == 2);
  CHECK(decisions[0]["action"] == "ack");
  CHECK(host.queues["JOBS"].empty());
  REQUIRE(host.queues["JOBS_DLQ"].size() == 2);
  CHECK(host.queues["JOBS_DLQ"][0].body["reason"] == "job_id must be a string of 1 to 64 characters");
  CHECK(host.queues["JOBS_DLQ"][1].body["body"] == "not an object");
}

TEST_CASE("a failing D1 retries the message with backoff, then dead-letters it", "[jobs]") {
  Host host;
  REQUIRE(host.scheduled("15 * * * *")["ok"] == true);
  host.fail("d1.", "D1_ERROR: overloaded");
  Json first = host.deliver_queue("JOBS");
  CHECK(first[0]["action"] == "retry");
  CHECK(first[0]["delaySeconds"] == 10);
  CHECK(host.deliver_queue("JOBS").empty());  // not visible until the delay has passed
  host.advance(10'000);
  CHECK(host.deliver_queue("JOBS")[0]["delaySeconds"] == 20);
  host.advance(20'000);
  CHECK(host.deliver_queue("JOBS")[0]["delaySeconds"] == 40);
  host.advance(40'000);
  host.deliver_queue("JOBS");  // the fourth failure: past max_retries = 3
  CHECK(host.queues["JOBS"].empty());
  CHECK(host.queues["JOBS_DLQ"].size() == 1);
}

TEST_CASE("a Durable Object answers envelopes for bad calls and storage faults", "[objects]") {
  Host host;
  auto call = [&](std::string class_name, std::string method, std::string path, std::string body) {
    wire::Frame frame = http::request_to_frame("object.fetch", method, "https://object" + path, {});
    frame.meta["class"] = class_name;
    frame.meta["body"] = frame.add_blob(std::move(body));
    return host.run(std::move(frame), "ENTITIES/shard-5");
  };
  const std::string names = R"({"names": ["ACME WIDGETS"]})";
  CHECK(call("EntityRegistry", "POST", "/resolve", names).meta["status"] == 200);
  CHECK(host.object_storage["ENTITIES/shard-5"].count("n:ACME WIDGETS") == 1);
  CHECK(call("EntityRegistry", "POST", "/elsewhere", names).meta["status"] == 404);
  CHECK(call("EntityRegistry", "GET", "/resolve", names).meta["status"] == 405);
  CHECK(call("EntityRegistry", "POST", "/resolve", R"({"names": []})").meta["status"] == 400);
  CHECK(call("Sequencer", "POST", "/next", "").meta.contains("rejected"));
  host.fail("do.storage.", "storage reset");
  auto faulted = call("EntityRegistry", "POST", "/resolve", names);
  CHECK(faulted.meta["status"] == 503);
  CHECK((*parse_json(*faulted.take_blob(faulted.meta, "body")))["error"]["code"] == "service_unavailable");
}

// Issue 12, item 13: audit_log, webhook_attempts and ingestion_errors were never cleaned.
TEST_CASE("trust 13: housekeeping keeps every growing table to its retention, archiving the audit log to R2 first",
          "[jobs][trust]") {
  Host host;
  int64_t now = host.now_ms;
  const int64_t day = background::kDayMs;
  for (int i = 0; i < 1500; ++i)  // 1,500 rows 100 days old, then one from yesterday
    host.query("INSERT INTO audit_log (at, org_id, event, detail) VALUES (?1, 'org_a', 'key.created', ?2)",
               {now - 100 * day + i, dump_json({{"n", i}})});
  host.query("INSERT INTO audit_log (at, org_id, event, detail) VALUES (?1, 'org_a', 'key.revoked', '{}')", {now - day});
  host.query("INSERT INTO organisations (id, name, created_at) VALUES ('org_a', 'A', 0)");
  host.query(
      "INSERT INTO webhook_endpoints (id, org_id, url, enabled_events, secret_sealed, status, created_at, updated_at) "
      "VALUES ('we_a', 'org_a', 'https://h.example/', '[\"*\"]', 'x', 'enabled', 0, 0)");
  for (int64_t age : {40, 1})
    host.query(
        "INSERT INTO webhook_attempts (endpoint_id, event_id, event_type, attempt, status, latency_ms, created_at) VALUES "
        "('we_a', ?1, 't', 1, 200, 5, ?2)",
        {"evt_" + std::to_string(age), now - age * day});
  for (auto [job, finished] : {std::pair{"us:grant:2020-01-07", now - 100 * day}, {"us:grant:2026-01-01", now - day}}) {
    host.query(
        "INSERT INTO ingestion_jobs (id, jurisdiction, source, date, status, created_at, finished_at) VALUES "
        "(?1, 'us', 'grant', '2020-01-07', 'succeeded', 0, ?2)",
        {job, finished});
    host.query("INSERT INTO ingestion_errors (job_id, file, byte_offset, reason) VALUES (?1, 'f', 0, 'r')", {job});
  }
  host.query("INSERT INTO job_runs (id, kind, status, enqueued_at) VALUES ('job_old', 'housekeeping', 'succeeded', ?1)",
             {now - 100 * day});
  // CPC jobs that failed with rows staged: 8 days ago (given up) and yesterday (an operator may rerun it).
  for (auto [job, finished] : {std::pair{"us:cpc_master:2025-08-16", now - 8 * day}, {"us:cpc_master:2025-09-16", now - day}}) {
    host.query(
        "INSERT INTO ingestion_jobs (id, jurisdiction, source, date, status, created_at, finished_at) VALUES "
        "(?1, 'us', 'cpc_master', '2025-08-16', 'failed', 0, ?2)",
        {job, finished});
    host.query("INSERT INTO patent_cpc_staging (job_id, patent_number, symbol, position) VALUES (?1, '8123456', 'A01B1/02', 0)",
               {job});
    host.query("INSERT INTO cpc_staging (job_id, symbol, level, title) VALUES (?1, 'A01B1/02', 1, 'Spades')", {job});
  }

  host.fail("r2.put", "R2 unavailable", 1);  // the archive cannot be written: nothing is deleted
  REQUIRE(host.scheduled("15 * * * *")["ok"] == true);
  host.deliver_queue("JOBS");
  CHECK(host.query("SELECT count(*) AS n FROM audit_log").at(0)["n"] == 1501);
  host.advance(20'000);
  host.deliver_queue("JOBS");  // the retry

  CHECK(host.query("SELECT count(*) AS n FROM audit_log").at(0)["n"] == 1);
  std::vector<std::string> objects;
  std::string archived;
  for (const auto& [key, object] : host.r2)
    if (key.rfind(background::kAuditArchivePrefix, 0) == 0) {
      objects.push_back(key);
      archived += object.body;
    }
  REQUIRE(objects.size() == 2);  // 1,000 rows an object
  CHECK(objects[0] == "archive/audit_log/2025-09-23/1-1000.ndjson");
  size_t lines = 0;
  for (size_t at = 0; (at = archived.find('\n', at)) != std::string::npos; ++at) ++lines;
  CHECK(lines == 1500);
  Json first = parse_json(archived.substr(0, archived.find('\n'))).value_or(Json());
  CHECK(first["event"] == "key.created");
  CHECK(first["detail"]["n"] == 0);  // the detail as an object, not text
  CHECK(host.query("SELECT event_id FROM webhook_attempts") == Json::array({{{"event_id", "evt_1"}}}));
  CHECK(host.query("SELECT job_id FROM ingestion_errors") == Json::array({{{"job_id", "us:grant:2026-01-01"}}}));
  CHECK(host.query("SELECT count(*) AS n FROM job_runs WHERE id = 'job_old'").at(0)["n"] == 0);
  CHECK(host.query("SELECT job_id FROM patent_cpc_staging") == Json::array({{{"job_id", "us:cpc_master:2025-09-16"}}}));
  CHECK(host.query("SELECT job_id FROM cpc_staging") == Json::array({{{"job_id", "us:cpc_master:2025-09-16"}}}));
}
