// Events on the native host: each written in the batch of its change, visible to the right
// organisations, never twice for a rerun, filtered by type and kept 30 days.
#include "tests/flow/requests.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// The types of the events `key` sees, newest first, optionally of one type.
std::vector<std::string> types(Host& host, const std::string& key, const std::string& type = "") {
  Json page = body_json(host.fetch("GET", "/v1/events?limit=100" + (type.empty() ? "" : "&type=" + type), bearer(key)));
  std::vector<std::string> out;
  for (const auto& event : page["data"]) out.push_back(event["type"]);
  return out;
}

size_t count_of(const std::vector<std::string>& list, const std::string& type) {
  return static_cast<size_t>(std::count(list.begin(), list.end(), type));
}

}  // namespace

TEST_CASE("key events belong to their organisation", "[events]") {
  Host host;
  std::string acme = owner_key(host, "a@example.com", "Acme");
  std::string other = owner_key(host, "b@example.com", "Other");
  host.advance(1000);  // events list newest first, by time
  Json created = body_json(host.fetch("POST", "/v1/keys", json_bearer(acme), R"({"name":"ci","role":"member"})"));
  host.advance(1000);
  host.fetch("DELETE", "/v1/keys/" + created["id"].get<std::string>(), bearer(acme));
  host.advance(1000);
  host.fetch("DELETE", "/v1/keys/" + created["id"].get<std::string>(), bearer(acme));  // idempotent: no second event
  CHECK(types(host, acme) == std::vector<std::string>{"key.revoked", "key.created", "key.created"});  // with the owner key's
  CHECK(types(host, other) == std::vector<std::string>{"key.created"});
  Json page = body_json(host.fetch("GET", "/v1/events?type=key.revoked", bearer(acme)));
  CHECK(page["data"][0]["data"]["id"] == created["id"]);
  CHECK(page["data"][0]["id"].get<std::string>().rfind("evt_", 0) == 0);
  CHECK(error_code(host.fetch("GET", "/v1/events?type=key.exploded", bearer(acme))) == "parameter_invalid");
}

TEST_CASE("ingestion writes patent, assignment, portfolio and job events once, and a rerun writes none", "[events]") {
  Host host;
  std::string acme = owner_key(host, "a@example.com", "Acme");
  std::string other = owner_key(host, "b@example.com", "Other");
  run_ingestion_job(host, "grant", "2012-03-27", {{"two.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  std::string assignments = fixture("assignment_ad20160101_subset.xml");
  run_ingestion_job(host, "assignment", "2016-01-01", {{"ad.xml", assignments}});
  auto seen = types(host, acme);
  CHECK(count_of(seen, "patent.created") == 2);
  CHECK(count_of(seen, "assignment.recorded") == 7);
  CHECK(count_of(seen, "portfolio.patent.assigned") == 0);
  CHECK(count_of(seen, "ingestion.job.completed") == 2);

  // Acme then watches US 7,503,059 (its grant loaded long ago), and a new day's assignments
  // (the same records under new reel numbers) move it again: the merger to NYTELL SOFTWARE.
  host.query(
      "INSERT INTO patents (number, kind, document_type, title, grant_date, updated_at) VALUES "
      "('7503059', 'B2', 'grant', 'Dynamic memory allocation', '2009-03-10', 0)");
  Json portfolio = body_json(host.fetch("POST", "/v1/portfolios", json_bearer(acme), R"({"name":"watch"})"));
  REQUIRE(host.fetch("POST", "/v1/portfolios/" + portfolio["id"].get<std::string>() + "/patents", json_bearer(acme),
                     R"({"number":"7503059"})")
              .status == 201);
  for (size_t at = assignments.find("<reel-no>"); at != std::string::npos; at = assignments.find("<reel-no>", at + 1))
    assignments.insert(at + 9, "9");
  run_ingestion_job(host, "assignment", "2016-01-04", {{"ad.xml", assignments}});
  seen = types(host, acme);
  CHECK(count_of(seen, "assignment.recorded") == 14);
  CHECK(count_of(seen, "portfolio.patent.assigned") == 1);
  CHECK(count_of(types(host, other), "portfolio.patent.assigned") == 0);  // not Other's portfolio
  Json assigned = body_json(host.fetch("GET", "/v1/events?type=portfolio.patent.assigned", bearer(acme)))["data"][0]["data"];
  CHECK(assigned["number"] == "7503059");
  CHECK(assigned["portfolio"] == portfolio["id"]);
  CHECK(assigned["conveyance_type"] == "merger");

  // The same files again (as the next days' jobs): no patent, assignment or portfolio event.
  size_t before = seen.size();
  run_ingestion_job(host, "grant", "2012-03-28", {{"two.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  run_ingestion_job(host, "assignment", "2016-01-05", {{"ad.xml", assignments}});
  seen = types(host, acme);
  CHECK(seen.size() == before + 2);  // the two jobs' completions only
  CHECK(count_of(seen, "portfolio.patent.assigned") == 1);

  // A changed title is an update.
  std::string changed = fixture("grant_ipg120327_two_concat_v42.xml");
  changed.replace(changed.find("Universal remote control accessory"), 9, "Versatile");
  run_ingestion_job(host, "grant", "2012-03-29", {{"two.xml", changed}});
  Json updated = body_json(host.fetch("GET", "/v1/events?type=patent.updated", bearer(acme)))["data"];
  REQUIRE(updated.size() == 1);
  CHECK(updated[0]["data"]["number"] == "D656309");

  // A new maintenance-fee event is a status change; the same line again is not.
  const std::string fees = "4291808       06215853 N 19801212 19810929 19851031 EXP.  \n";
  run_ingestion_job(host, "maintenance", "2024-01-01", {{"fees.txt", fees}});
  run_ingestion_job(host, "maintenance", "2024-01-08", {{"fees.txt", fees}});
  Json fee = body_json(host.fetch("GET", "/v1/events?type=maintenance.status_changed", bearer(acme)))["data"];
  REQUIRE(fee.size() == 1);
  CHECK(fee[0]["data"]["event_code"] == "EXP.");

  // A failed job says so, to the platform's operators (its error can name internal paths).
  run_ingestion_job(host, "grant", "2012-04-03", {});
  Json failed = body_json(host.fetch("GET", "/v1/events?type=ingestion.job.failed", bearer(operator_key(host))))["data"];
  CHECK(error_code(host.fetch("GET", "/v1/events?type=ingestion.job.failed", bearer(acme))) == "parameter_invalid");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0]["data"]["error"] == "no files under raw/us/grant/2012-04-03/");
}

TEST_CASE("events are kept 30 days, then the housekeeping job deletes them", "[events]") {
  Host host;
  std::string key = owner_key(host);
  REQUIRE(types(host, key).size() == 1);
  host.advance(29LL * 24 * 3'600'000);
  host.scheduled("15 * * * *");
  host.deliver_queue("JOBS");
  CHECK(types(host, key).size() == 1);
  host.advance(2LL * 24 * 3'600'000);
  host.scheduled("15 * * * *");
  host.deliver_queue("JOBS");
  CHECK(types(host, key).empty());
}

TEST_CASE("the event stream is a WebSocket route: a plain request is 426, an upgrade is handed to the Firehose", "[events]") {
  Host host;
  std::string key = owner_key(host);
  auto plain = host.fetch("GET", "/v1/events/stream", bearer(key));
  CHECK(plain.status == 426);
  CHECK(error_code(plain) == "websocket_required");
  auto headers = bearer(key);
  headers.set("upgrade", "websocket");
  auto upgrade = host.fetch("GET", "/v1/events/stream?cursor=7", headers);
  CHECK(upgrade.status == 101);
}

// Issue 12, item 10: events needed no scope, so a read-only key saw key.created details, and a
// revoked key's stream stayed open.
TEST_CASE("trust 10: events need events:read, each type its own scope, and the stream knows its key", "[events][trust]") {
  Host host;
  std::string owner = owner_key(host);
  host.advance(1000);
  auto mint = [&](const char* body) {
    auto created = host.fetch("POST", "/v1/keys", json_bearer(owner), body);
    REQUIRE(created.status == 201);
    return body_json(created);
  };
  Json bare = mint(R"({"role":"read_only","scopes":[]})");
  Json reader = mint(R"({"role":"read_only","scopes":["events:read"]})");
  host.advance(1000);
  run_ingestion_job(host, "grant", "2012-03-27", {{"one.xml", fixture("grant_ipg120327_one_v42.xml")}});

  auto refused = host.fetch("GET", "/v1/events", bearer(bare["secret"]));
  CHECK(refused.status == 403);
  CHECK(error_code(refused) == "missing_scope");
  CHECK(host.fetch("GET", "/v1/events/stream", bearer(bare["secret"])).status == 403);

  auto seen = types(host, reader["secret"]);
  CHECK(count_of(seen, "patent.created") == 1);
  CHECK(count_of(seen, "ingestion.job.completed") == 1);
  CHECK(count_of(seen, "key.created") == 0);  // keys are for keys:read
  CHECK(error_code(host.fetch("GET", "/v1/events?type=key.created", bearer(reader["secret"]))) == "parameter_invalid");
  CHECK(count_of(types(host, owner), "key.created") == 3);

  // The stream is handed to the Firehose with the key, and only the types it may read.
  http::Headers upgrade = bearer(reader["secret"]);
  upgrade.set("upgrade", "websocket");
  auto forward = host.run(http::request_to_frame("fetch", "GET", "https://api.patomic.test/v1/events/stream", upgrade));
  std::string path = forward.meta["forward"]["path"];
  CHECK(path.find("&key=" + reader["id"].get<std::string>()) != std::string::npos);
  CHECK(path.find("patent.created") != std::string::npos);
  CHECK(path.find("key.created") == std::string::npos);
  // Which keys are still live, as the object asks once per key-cache TTL to close the others' streams.
  host.fetch("DELETE", "/v1/keys/" + reader["id"].get<std::string>(), bearer(owner));
  wire::Frame ask = http::request_to_frame("object.fetch", "POST", "https://object/live-keys", {});
  ask.meta["class"] = "Firehose";
  ask.meta["body"] = ask.add_blob(dump_json({{"key_ids", {reader["id"], bare["id"]}}}));
  auto answer = host.run(std::move(ask));
  CHECK(parse_json(answer.blobs.at(answer.meta["body"].get<size_t>())).value_or(Json())["live"] == Json::array({bare["id"]}));
}
