// Ingestion jobs on the native host: cron -> job row + INGEST_US message -> consumer reading R2 in
// ranges with checkpoints. Crash and resume, reruns, malformed records, the last attempt.
#include "tests/flow/requests.hpp"
#include "wasm/ingest/jobs.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

constexpr int64_t kJanFirst2016At2 = 1451613600000;  // 2016-01-01T02:00:00Z, the assignment cron
const std::string kFile = "raw/us/assignment/2016-01-01/ad20160101.xml";

void start_host_day(Host& host) { host.now_ms = kJanFirst2016At2; }

Json job(Host& host) { return host.query("SELECT * FROM ingestion_jobs WHERE id = 'us:assignment:2016-01-01'").at(0); }

// Delivers JOBS until it is empty, moving the clock past each retry's delay.
void drain(Host& host) {
  for (int round = 0; round < 50 && !host.queues["INGEST_US"].empty(); ++round) {
    host.deliver_queue("INGEST_US");
    host.advance(3'600'000);
  }
}

Json rows(Host& host) {
  return host.query(
      "SELECT a.id, a.conveyance_type, count(p.sequence) AS parties FROM assignments a "
      "JOIN assignment_parties p ON p.assignment_id = a.id GROUP BY a.id ORDER BY a.id");
}

}  // namespace

TEST_CASE("a cron tick records one job per source and day, and enqueues it once", "[ingestion]") {
  Host host;
  start_host_day(host);
  Json first = host.scheduled("0 2 * * *");
  CHECK(first["job_id"] == "us:assignment:2016-01-01");
  CHECK(first["created"] == true);
  CHECK(host.scheduled("0 2 * * *")["created"] == false);  // a second tick the same day
  CHECK(host.queues["INGEST_US"].size() == 1);
  CHECK(job(host)["status"] == "queued");
  host.now_ms = 1451952000000;  // Tuesday 2016-01-05 00:00
  CHECK(host.scheduled("0 0 * * 2")["job_id"] == "us:grant:2016-01-05");
}

TEST_CASE("the consumer loads the day's files, records malformed records, and a rerun changes nothing", "[ingestion]") {
  Host host;
  start_host_day(host);
  std::string file = fixture("assignment_ad20160101_subset.xml");
  // One more record, without a reel number: skipped with its offset, the others still load.
  size_t end = file.rfind("</patent-assignments>");
  file.insert(end, "<patent-assignment><assignment-record><frame-no>1</frame-no></assignment-record></patent-assignment>");
  host.r2[kFile] = {file, "e1", "application/xml", 0};
  host.scheduled("0 2 * * *");
  drain(host);
  Json done = job(host);
  CHECK(done["status"] == "succeeded");
  CHECK(done["records"] == 8);
  CHECK(done["loaded"] == 7);
  CHECK(done["skipped"] == 1);
  Json errors = host.query("SELECT file, byte_offset, reason FROM ingestion_errors");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["file"] == kFile);
  CHECK(errors[0]["byte_offset"] == static_cast<int64_t>(end));
  CHECK(errors[0]["reason"] == "no reel, frame, recorded date or conveyance text");
  Json loaded = rows(host);
  CHECK(loaded.size() == 7);

  // A redelivered message, or the job started again, changes nothing.
  host.queues["INGEST_US"].push_back({"again", Json{{"job_id", "us:assignment:2016-01-01"}, {"kind", "ingest"}}, 0, 0});
  drain(host);
  CHECK(rows(host) == loaded);
  CHECK(job(host)["records"] == 8);
}

TEST_CASE("a consumer killed mid-file resumes from its checkpoint with exactly the rows of a clean run", "[ingestion]") {
  std::string file = many_assignments(100);
  REQUIRE(file.size() > 2'000'000);

  Host clean;
  start_host_day(clean);
  clean.r2[kFile] = {file, "e1", "application/xml", 0};
  clean.scheduled("0 2 * * *");
  drain(clean);
  REQUIRE(job(clean)["status"] == "succeeded");
  CHECK(job(clean)["loaded"] == 700);

  Host crashed;
  start_host_day(crashed);
  crashed.r2[kFile] = {file, "e1", "application/xml", 0};
  crashed.scheduled("0 2 * * *");
  crashed.fail("d1.batch", "the isolate was evicted", 1, 5);  // the sixth batch of the first attempt dies
  crashed.deliver_queue("INGEST_US");
  Json stopped = job(crashed);
  CHECK(stopped["status"] == "running");
  CHECK(stopped["checkpoint_offset"].get<int64_t>() > 0);  // stopped mid-file, past a checkpoint
  CHECK(stopped["checkpoint_offset"].get<int64_t>() < static_cast<int64_t>(file.size()));
  CHECK(stopped["loaded"].get<int64_t>() < 700);
  crashed.advance(3'600'000);
  drain(crashed);
  Json resumed = job(crashed);
  CHECK(resumed["status"] == "succeeded");
  CHECK(resumed["attempts"] == 2);
  CHECK(resumed["records"] == 700);  // counted once: counts move with their rows
  CHECK(resumed["loaded"] == 700);
  CHECK(rows(crashed) == rows(clean));
  CHECK(crashed.query("SELECT count(*) AS n FROM assignment_properties") ==
        clean.query("SELECT count(*) AS n FROM assignment_properties"));
}

TEST_CASE("a file longer than one invocation's allowance loads in several, each within it, to the rows of one run",
          "[ingestion]") {
  std::string grants = many_grants(80);  // 240 grants, each copied to its full text: three batches
  auto loaded_rows = [](Host& host) {
    Json tables = Json::array();
    for (const char* table : {"patents", "patent_text", "inventors", "patent_assignees", "citations", "patent_cpc"})
      tables.push_back(host.query(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2"));
    return tables;
  };
  auto full_texts = [](Host& host) {
    return std::count_if(host.r2.begin(), host.r2.end(), [](const auto& object) {
      return object.first.rfind("patents/", 0) == 0 && object.first.find("/fulltext.xml") != std::string::npos;
    });
  };
  Host whole;
  Json once = run_ingestion_job(whole, "grant", "2012-03-27", {{"ipg120327.xml", grants}});
  REQUIRE(once["status"] == "succeeded");
  CHECK(once["invocations"] == 1);

  Host::Options options;
  options.vars["INGEST_INVOCATION_SUBREQUESTS"] = "300";
  Host parts(options);
  std::string key = operator_key(parts);
  parts.r2["raw/us/grant/2012-03-27/ipg120327.xml"] = {grants, "\"g1\"", "application/xml", 0};
  REQUIRE(parts.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), R"({"source":"grant","date":"2012-03-27"})").status == 202);
  std::vector<int64_t> subrequests = deliver_counting_subrequests(parts);  // per invocation
  Json job = body_json(parts.fetch("GET", "/v1/ingestion/jobs/us:grant:2012-03-27", bearer(key)));
  CHECK(job["status"] == "succeeded");
  CHECK(job["invocations"] == 3);  // each of the first two stopped at the checkpoint after its batch
  CHECK(job["invocations"] == static_cast<int64_t>(subrequests.size()));
  CHECK(job["records"] == 240);
  CHECK(job["loaded"] == 240);
  for (int64_t used : subrequests) CHECK(used <= 300);
  CHECK(loaded_rows(parts) == loaded_rows(whole));
  CHECK(full_texts(parts) == 240);
  CHECK(full_texts(whole) == 240);

  // A setting that is not a number in its range fails the job, saying which.
  Host::Options unreadable;
  unreadable.vars["INGEST_INVOCATION_SUBREQUESTS"] = "lots";
  Host misconfigured(unreadable);
  Json failed = run_ingestion_job(misconfigured, "grant", "2012-03-27", {{"ipg120327.xml", many_grants(1)}});
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"].get<std::string>().find("INGEST_INVOCATION_SUBREQUESTS") != std::string::npos);
  CHECK(misconfigured.query("SELECT count(*) AS n FROM patents")[0]["n"] == 0);
}

TEST_CASE("a job that fails every attempt ends failed with the reason, and its message in the dead-letter queue", "[ingestion]") {
  Host host;
  start_host_day(host);
  host.r2[kFile] = {fixture("assignment_ad20160101_subset.xml"), "e1", "application/xml", 0};
  host.scheduled("0 2 * * *");
  host.fail("r2.get", "R2 is down");
  drain(host);
  Json failed = job(host);
  CHECK(failed["status"] == "failed");
  CHECK(failed["error"].get<std::string>().find("R2 is down") != std::string::npos);
  CHECK(host.queues["INGEST_US_DLQ"].size() == 1);

  Host empty;
  start_host_day(empty);
  empty.scheduled("0 2 * * *");
  drain(empty);
  CHECK(job(empty)["status"] == "failed");
  CHECK(job(empty)["error"] == "no files under raw/us/assignment/2016-01-01/");
}

TEST_CASE("GET /v1/ingestion/jobs and /status: counts, and fresh, warning or stale by source", "[ingestion]") {
  Host host;
  start_host_day(host);
  host.r2[kFile] = {fixture("assignment_ad20160101_subset.xml"), "e1", "application/xml", 0};
  host.scheduled("0 2 * * *");
  drain(host);
  std::string owner = operator_key(host);
  Json jobs = body_json(host.fetch("GET", "/v1/ingestion/jobs?source=assignment", bearer(owner)));
  REQUIRE(jobs["data"].size() == 1);
  CHECK(jobs["data"][0]["status"] == "succeeded");
  CHECK(jobs["data"][0]["loaded"] == 7);
  CHECK(jobs["data"][0]["checkpoint"]["file"] == kFile);
  CHECK(body_json(host.fetch("GET", "/v1/ingestion/jobs?status=failed", bearer(owner)))["data"].empty());

  auto staleness = [&](const std::string& source) {
    Json status = body_json(host.fetch("GET", "/v1/ingestion/status", bearer(owner)));
    for (const auto& entry : status["sources"])
      if (entry["source"] == source) return entry["staleness"].get<std::string>();
    return std::string("absent");
  };
  CHECK(staleness("assignment") == "fresh");
  CHECK(staleness("grant") == "stale");  // never loaded
  host.advance(30 * 3'600'000);
  CHECK(staleness("assignment") == "warning");  // past a day, within 48 hours
  host.advance(20 * 3'600'000);
  CHECK(staleness("assignment") == "stale");

  std::string member = body_json(host.fetch("POST", "/v1/keys", json_bearer(owner), R"({"role":"member"})"))["secret"];
  CHECK(error_code(host.fetch("GET", "/v1/ingestion/status", bearer(member))) == "missing_scope");
}

// Issue 12, item 8: every tenant owner key held ingestion:write, so any tenant could queue or
// rerun the platform's jobs, read its R2 paths and errors, and see the origin URL in events.
TEST_CASE("trust 8: platform ingestion answers operators only, and tenants see freshness and counts", "[ingestion][trust]") {
  Host::Options options;
  options.vars["INGEST_ORIGIN_US"] = "https://origin.internal.example/{source}/{date}.xml";
  Host host(options);
  start_host_day(host);
  std::string tenant = owner_key(host);
  CHECK(body_json(host.fetch("GET", "/v1/me", bearer(tenant)))["scopes"].dump().find("ingestion") == std::string::npos);
  for (auto [method, path] : {std::pair{"POST", "/v1/ingestion/jobs"},
                              {"GET", "/v1/ingestion/jobs"},
                              {"GET", "/v1/ingestion/status"},
                              {"GET", "/v1/ingestion/jobs/us:assignment:2016-01-01"},
                              {"GET", "/v1/ingestion/jobs/us:assignment:2016-01-01/errors"}}) {
    INFO(method << " " << path);
    auto refused = host.fetch(method, path, json_bearer(tenant),
                              method == std::string("POST") ? R"({"source":"assignment","date":"2016-01-01"})" : "");
    CHECK(refused.status == 403);
    CHECK(error_code(refused) == "operator_only");
  }
  CHECK(host.query("SELECT count(*) AS n FROM ingestion_jobs").at(0)["n"] == 0);
  // A tenant cannot give itself the scope either.
  CHECK(host.fetch("POST", "/v1/keys", json_bearer(tenant), R"({"scopes":["ingestion:write"]})").status == 400);

  std::string operator_secret = operator_key(host);
  host.outbound = [](const outbound::Request&) { return http::Response{404, {}, ""}; };  // the origin has no file that day
  auto queued =
      host.fetch("POST", "/v1/ingestion/jobs", json_bearer(operator_secret), R"({"source":"assignment","date":"2016-01-02"})");
  CHECK(queued.status == 202);
  drain(host);
  host.r2[kFile] = {fixture("assignment_ad20160101_subset.xml"), "e1", "application/xml", 0};
  CHECK(host.fetch("POST", "/v1/ingestion/jobs", json_bearer(operator_secret), R"({"source":"assignment","date":"2016-01-01"})")
            .status == 202);
  drain(host);

  // The tenant's view: freshness and counts, no runs, paths or errors.
  auto sources = host.fetch("GET", "/v1/sources", bearer(tenant));
  REQUIRE(sources.status == 200);
  CHECK(sources.body.find("raw/us") == std::string::npos);
  CHECK(sources.body.find("origin.internal") == std::string::npos);
  Json assignment = body_json(sources)["sources"][0];
  CHECK(assignment["source"] == "assignment");
  CHECK(assignment["staleness"] == "fresh");
  CHECK(assignment["last_success_loaded"] == 7);
  CHECK_FALSE(assignment.contains("last_run"));
  // Events: the completed load is everyone's (counts only); the failure, with its origin URL, is the operators'.
  auto tenant_events = host.fetch("GET", "/v1/events", bearer(tenant));
  CHECK(tenant_events.body.find("ingestion.job.completed") != std::string::npos);
  CHECK(tenant_events.body.find("ingestion.job.failed") == std::string::npos);
  CHECK(tenant_events.body.find("origin.internal") == std::string::npos);
  auto operator_events = body_json(host.fetch("GET", "/v1/events?type=ingestion.job.failed", bearer(operator_secret)));
  REQUIRE(operator_events["data"].size() == 1);
  CHECK(operator_events["data"][0]["data"]["error"].get<std::string>().find("origin.internal") != std::string::npos);
}

// Issue 12, item 12: a job whose attempt trapped stayed `running` for good, and so did one whose
// process was killed mid-file: nothing drove it again, and POST /v1/ingestion/jobs answered 200
// with the stuck job.
namespace {

// A job left as a killed process leaves it: claimed, one checkpoint committed, still leased,
// and no message left to drive it.
void strand(Host& host) {
  start_host_day(host);
  host.r2[kFile] = {many_assignments(30), "e1", "application/xml", 0};
  host.scheduled("0 2 * * *");
  host.fail("d1.batch", "the process died", -1, 1);  // after the first checkpoint
  host.deliver_queue("INGEST_US");
  host.heal();
  host.queues["INGEST_US"].clear();
  host.query("UPDATE ingestion_jobs SET status = 'running', lease_until = ?1", {host.now_ms + 600'000});
  REQUIRE(job(host)["bytes_done"] > 0);
}

// Drains the job's messages, and checks it loaded every record of the stranded file.
void resumes_to_the_end(Host& host) {
  drain(host);
  CHECK(job(host)["status"] == "succeeded");
  CHECK(host.query("SELECT count(*) AS n FROM assignments").at(0)["n"] == 210);
}

}  // namespace

TEST_CASE("trust 12: a trapped attempt fails its job with the reason, and it can be re-queued", "[ingestion][trust]") {
  Host host;
  strand(host);
  // The shim saw the module trap on this batch, and reports it to the fresh instance.
  Json message = {{"job_id", "us:assignment:2016-01-01"}, {"kind", "ingest"}, {"jurisdiction", "us"}};
  Json answer = host.run(wire::Frame{{{"entry", "queue"},
                                      {"queue", "INGEST_US"},
                                      {"trapped", "module trapped: unreachable"},
                                      {"messages", {{{"id", "m1"}, {"body", message}, {"attempts", 2}, {"timestamp", 0}}}}},
                                     {}})
                    .meta;
  CHECK(answer["messages"][0]["action"] == "ack");
  CHECK(job(host)["status"] == "failed");
  CHECK(job(host)["error"] == "the attempt trapped the module (module trapped: unreachable); fix the cause, then re-queue it");
  auto rerun =
      host.fetch("POST", "/v1/ingestion/jobs", json_bearer(operator_key(host)), R"({"source":"assignment","date":"2016-01-01"})");
  CHECK(rerun.status == 202);
  resumes_to_the_end(host);
}

TEST_CASE("trust 12: a job whose lease lapsed with nothing to drive it is re-queued, by housekeeping or an operator",
          "[ingestion][trust]") {
  Host housekept;
  strand(housekept);
  housekept.advance(11 * 60'000);  // the lease lapses; the hourly housekeeping finds the job
  REQUIRE(housekept.scheduled("15 * * * *")["ok"] == true);
  housekept.deliver_queue("JOBS");
  REQUIRE(housekept.queues["INGEST_US"].size() == 1);
  resumes_to_the_end(housekept);

  Host operated;
  strand(operated);
  std::string operator_secret = operator_key(operated);
  auto request = [&] {
    return operated.fetch("POST", "/v1/ingestion/jobs", json_bearer(operator_secret),
                          R"({"source":"assignment","date":"2016-01-01"})");
  };
  CHECK(request().status == 200);  // still leased: answered as it is
  operated.advance(11 * 60'000);
  CHECK(request().status == 202);  // lapsed: queued again, to resume from its checkpoint
  resumes_to_the_end(operated);
}

TEST_CASE("trust 13: a job records at most 10,000 skipped records, and counts them all", "[ingestion][trust]") {
  Host host;
  start_host_day(host);
  std::string file = "<us-patent-assignments>";
  for (int i = 0; i < 10'050; ++i) file += "<patent-assignment></patent-assignment>";
  host.r2[kFile] = {file + "</us-patent-assignments>", "e1", "application/xml", 0};
  host.scheduled("0 2 * * *");
  drain(host);
  CHECK(job(host)["skipped"] == 10'050);
  CHECK(host.query("SELECT count(*) AS n FROM ingestion_errors").at(0)["n"] == ingest::kMaxErrorsRecorded);
}

// Issue 14, item 5: a job's identity was (source, date) alone, so a corrected file the USPTO
// published again for a day already loaded was never loaded.
TEST_CASE("a corrected file for a loaded day loads again, an identical request changes nothing, and force reruns",
          "[ingestion]") {
  Host host;
  std::string key = operator_key(host);
  const std::string file = "raw/us/grant/2012-03-27/ipg120327.xml";
  std::string grants = fixture("grant_ipg120327_one_v42.xml") + fixture("grant_ipg120327_two_concat_v42.xml");
  auto request = [&](const std::string& body) {
    auto response = host.fetch("POST", "/v1/ingestion/jobs", json_bearer(key), body);
    drain(host);
    return response.status;
  };
  auto events = [&](const char* type) {
    return host.query("SELECT count(*) AS n FROM events WHERE type = ?1", {type}).at(0)["n"].get<int64_t>();
  };
  auto grant_job = [&] { return host.query("SELECT * FROM ingestion_jobs WHERE id = 'us:grant:2012-03-27'").at(0); };
  const std::string day = R"({"source":"grant","date":"2012-03-27"})";

  host.r2[file] = {grants + "<us-patent-grant>broken", "e1", "application/xml", 0};
  CHECK(request(day) == 202);
  CHECK(grant_job()["status"] == "succeeded");
  CHECK(grant_job()["skipped"] == 1);
  CHECK(events("patent.created") == 3);
  auto rows = host.query("SELECT * FROM patents ORDER BY number");

  host.advance(60'000);
  CHECK(request(day) == 200);  // the same files: nothing to do
  CHECK(host.query("SELECT * FROM patents ORDER BY number") == rows);

  // Published again with one title corrected (and the broken tail gone): a new etag.
  std::string corrected = grants;
  corrected.replace(corrected.find("Ready to eat snack"), 5, "Fresh");
  host.r2[file] = {corrected, "e2", "application/xml", 0};
  CHECK(request(day) == 202);
  Json rerun = grant_job();
  CHECK(rerun["status"] == "succeeded");
  CHECK(rerun["attempts"] == 1);
  CHECK(rerun["records"] == 3);  // this run's counts, not added to the last
  CHECK(rerun["skipped"] == 0);
  CHECK(host.query("SELECT count(*) AS n FROM ingestion_errors")[0]["n"] == 0);  // the old run's skip is gone
  CHECK(host.query("SELECT title FROM patents WHERE number = 'D656296'")[0]["title"] == "Fresh to eat snack piece");
  CHECK(events("patent.updated") == 1);  // the one document that changed
  CHECK(events("patent.created") == 3);

  rows = host.query("SELECT * FROM patents ORDER BY number");
  CHECK(request(day) == 200);
  CHECK(request(R"({"source":"grant","date":"2012-03-27","force":true})") == 202);
  CHECK(grant_job()["status"] == "succeeded");
  CHECK(grant_job()["records"] == 3);
  CHECK(host.query("SELECT * FROM patents ORDER BY number") == rows);  // nothing changed, nothing touched
  CHECK(events("patent.updated") == 1);
}
