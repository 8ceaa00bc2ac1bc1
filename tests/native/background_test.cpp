// Cron -> queue -> consumer, and the Durable Object, on the native host.
#include "bindings/native_host/host.hpp"
#include "wasm/jobs/jobs.hpp"

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

TEST_CASE("retry delays double from 10 s and stop at an hour", "[jobs]") {
  CHECK(jobs::retry_delay_seconds(1) == 10);
  CHECK(jobs::retry_delay_seconds(2) == 20);
  CHECK(jobs::retry_delay_seconds(9) == 2560);
  CHECK(jobs::retry_delay_seconds(10) == 3600);
  CHECK(jobs::retry_delay_seconds(1000) == 3600);
}

TEST_CASE("the Sequencer object counts per name in its own storage", "[objects]") {
  Host host;
  CHECK(body_json(host.fetch("POST", "/__debug/sequence/alpha"))["seq"] == 1);
  CHECK(body_json(host.fetch("POST", "/__debug/sequence/alpha"))["seq"] == 2);
  CHECK(body_json(host.fetch("POST", "/__debug/sequence/beta"))["seq"] == 1);
  CHECK(host.object_storage["SEQUENCER/alpha"]["seq"] == 2);
}

TEST_CASE("the Sequencer answers envelopes for bad calls and storage faults", "[objects]") {
  Host host;
  auto wrong_path = host.run(wire::Frame{{{"entry", "object.fetch"}, {"class", "Sequencer"}, {"method", "POST"},
                                          {"url", "https://object/elsewhere"}, {"headers", Json::array()}}, {}});
  CHECK(wrong_path.meta["status"] == 404);
  auto wrong_class = host.run(wire::Frame{{{"entry", "object.fetch"}, {"class", "Nope"}, {"method", "POST"},
                                           {"url", "https://object/next"}, {"headers", Json::array()}}, {}});
  CHECK(wrong_class.meta.contains("rejected"));
  host.fail("do.storage.", "storage reset");
  auto response = host.fetch("POST", "/__debug/sequence/alpha");
  CHECK(response.status == 503);
  CHECK(body_json(response)["error"]["code"] == "service_unavailable");
}
