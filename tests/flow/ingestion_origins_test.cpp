// Origins as the USPTO runs them, on the native host: a template per source with the date parts
// its file names use, the API key sent from a secret, retries with backoff on 429, 5xx and a
// body short of its Content-Length, and a refused key failing the job at once with an event.
#include "tests/flow/requests.hpp"
#include "tests/zip_writer.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

struct Asked {
  std::string url, api_key;
};

Host::Options origin_options() {
  Host::Options options;
  options.vars["INGEST_ORIGIN_US"] = "http://127.0.0.1:9/uspto/{source}/{date}.xml";
  options.vars["INGEST_ORIGIN_US_GRANT"] = "http://127.0.0.1:9/bulk/grant/{yyyy}/ipg{yymmdd}.zip";
  options.vars["INGEST_ORIGIN_US_API_KEY"] = "odp-key-for-tests";
  return options;
}

// The origin answers the nth request (from 1) with `answer`; `asked` records each request.
void serve(Host& host, std::vector<Asked>& asked, std::function<http::Response(int nth)> answer) {
  host.outbound = [&asked, answer](const outbound::Request& request) {
    asked.push_back({request.url, std::string(request.headers.get("x-api-key").value_or(""))});
    return answer(static_cast<int>(asked.size()));
  };
}

http::Response with_length(std::string body, size_t length) {
  http::Response response{200, {}, std::move(body)};
  response.headers.set("content-length", std::to_string(length));
  return response;
}

}  // namespace

TEST_CASE("a day's file is downloaded with the origin's key, retried 1, 2 and 4 s apart on 429, 503 and a short body",
          "[ingest][origin]") {
  std::vector<Asked> asked;
  std::string file = fixture("assignment_ad20160101_subset.xml");
  Host host(origin_options());
  serve(host, asked, [&](int nth) {
    if (nth == 1) return http::Response{429, {}, "slow down"};
    if (nth == 2) return http::Response{503, {}, "busy"};
    if (nth == 3) return with_length(file.substr(0, 1000), file.size());  // the connection dropped
    return with_length(file, file.size());
  });
  int64_t started = host.now_ms;
  Json job = run_ingestion_job(host, "assignment", "2016-01-01", {});
  CHECK(job["status"] == "succeeded");
  CHECK(job["attempts"] == 1);
  CHECK(job["loaded"] == 7);
  REQUIRE(asked.size() == 4);
  for (const auto& request : asked) {
    CHECK(request.url == "http://127.0.0.1:9/uspto/assignment/2016-01-01.xml");
    CHECK(request.api_key == "odp-key-for-tests");
  }
  CHECK(host.now_ms - started >= 7'000);  // slept 1 s, 2 s, then 4 s
  CHECK(host.r2.at("raw/us/assignment/2016-01-01/origin").body == file);
}

TEST_CASE("a source's own template names the file as the USPTO does, and its ZIP archive loads", "[ingest][origin]") {
  std::vector<Asked> asked;
  std::string archive = zip_archive(
      {{"ipg120327.xml", fixture("grant_ipg120327_one_v42.xml") + fixture("grant_ipg120327_two_concat_v42.xml"), true}});
  Host host(origin_options());
  serve(host, asked, [&](int) { return with_length(archive, archive.size()); });
  Json job = run_ingestion_job(host, "grant", "2012-03-27", {});
  CHECK(job["status"] == "succeeded");
  CHECK(job["loaded"] == 3);
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].url == "http://127.0.0.1:9/bulk/grant/2012/ipg120327.zip");
}

TEST_CASE("a refused key fails the job at once, tried once, and operators hear of it; a missing file fails it too",
          "[ingest][origin]") {
  std::vector<Asked> asked;
  int status = 401;
  Host host(origin_options());
  serve(host, asked, [&](int) { return http::Response{status, {}, "no"}; });
  std::string operator_secret = operator_key(host);
  std::string tenant = owner_key(host);
  for (int refused : {401, 403}) {
    status = refused;
    asked.clear();
    std::string date = refused == 401 ? "2016-01-02" : "2016-01-03";
    Json job = run_ingestion_job(host, "assignment", date, {});
    CHECK(job["status"] == "failed");
    CHECK(job["attempts"] == 1);
    CHECK(asked.size() == 1);  // never retried: a wrong key stays wrong
    CHECK(job["error"] ==
          "the origin answered " + std::to_string(refused) + " for http://127.0.0.1:9/uspto/assignment/" + date + ".xml");
  }
  Json events = body_json(host.fetch("GET", "/v1/events?type=ingestion.source.unauthorized", bearer(operator_secret)))["data"];
  REQUIRE(events.size() == 2);
  CHECK(events[0]["data"]["job_id"] == "us:assignment:2016-01-03");
  CHECK(events[0]["data"]["source"] == "assignment");
  CHECK(events[0]["data"]["error"] == "the origin answered 403 for http://127.0.0.1:9/uspto/assignment/2016-01-03.xml");
  CHECK(events[0]["data"].dump().find("odp-key-for-tests") == std::string::npos);  // the key itself is never written
  CHECK(host.fetch("GET", "/v1/events?type=ingestion.source.unauthorized", bearer(tenant)).status == 400);

  status = 404;
  asked.clear();
  Json missing = run_ingestion_job(host, "assignment", "2016-01-04", {});
  CHECK(missing["status"] == "failed");
  CHECK(missing["error"] == "the origin answered 404 for http://127.0.0.1:9/uspto/assignment/2016-01-04.xml");
  CHECK(asked.size() == 1);
  CHECK(body_json(host.fetch("GET", "/v1/events?type=ingestion.source.unauthorized", bearer(operator_secret)))["data"].size() ==
        2);
}

TEST_CASE("an origin down for good: five tries an attempt, four attempts, then the dead-letter queue", "[ingest][origin]") {
  std::vector<Asked> asked;
  Host host(origin_options());
  serve(host, asked, [](int) { return http::Response{503, {}, "down"}; });
  Json job = run_ingestion_job(host, "assignment", "2016-01-01", {});
  CHECK(job["status"] == "failed");
  CHECK(job["attempts"] == 4);
  CHECK(asked.size() == 20);
  CHECK(job["error"] == "the origin answered 503 for http://127.0.0.1:9/uspto/assignment/2016-01-01.xml");
  CHECK(host.queues["INGEST_US_DLQ"].size() == 1);
  CHECK(host.r2.empty());
}
