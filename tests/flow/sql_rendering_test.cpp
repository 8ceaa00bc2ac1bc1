// Lists answer their items as SQLite wrote them (ObjectType::json_select()); single objects are
// rendered in C++ (ObjectType::render()). Both come from one declaration; this checks that they
// agree, field by field and value by value, on rows of every kind, including the awkward ones
// (nulls, JSON text that is not what its field holds, millisecond timestamps).
#include "tests/flow/requests.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/ingestion.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/api/portfolios.hpp"
#include "wasm/api/webhooks.hpp"
#include "wasm/events/events.hpp"

using namespace ptmc;
using namespace ptmc::testing;
using native::Host;

TEST_CASE("SQLite's rendering of every listed object equals the C++ rendering of the same row", "[schema]") {
  Host::Options options;
  options.vars["WEBHOOK_ALLOW_LOCAL_URLS"] = "true";
  Host host(options);
  run_ingestion_job(host, "grant", "2012-03-27", {{"two.xml", fixture("grant_ipg120327_two_concat_v42.xml")}});
  std::string key = owner_key(host);
  std::string portfolio = native::body_json(host.fetch("POST", "/v1/portfolios", json_bearer(key), R"({"name":"Watch"})"))["id"];
  REQUIRE(host.fetch("POST", "/v1/portfolios/" + portfolio + "/patents", json_bearer(key), R"({"number":"D656308"})").status ==
          201);
  auto created = host.fetch("POST", "/v1/webhook_endpoints", json_bearer(key),
                            R"({"url":"http://127.0.0.1:9/hooks","enabled_events":["*"]})");
  REQUIRE(created.status == 201);
  std::string endpoint = native::body_json(created)["id"];
  host.query(
      "INSERT INTO webhook_attempts (endpoint_id, event_id, event_type, attempt, status, latency_ms, error, created_at) "
      "VALUES (?1, 'evt_1', 'key.created', 1, 200, 12, NULL, 1795392000123), (?1, 'evt_1', 'key.created', 2, NULL, NULL, "
      "'timed out', 1795392060999)",
      {endpoint});
  host.query(
      "INSERT INTO ingestion_errors (job_id, file, byte_offset, reason) VALUES ('us:grant:2012-03-27', 'two.xml', 17, 'x')");
  // Rows whose JSON text is not what the field holds, and a second key with nulls and ms.
  owner_key(host, "second@example.com", "Second");
  host.query(
      "UPDATE api_keys SET scopes = 'not json', expires_at = 1795392000999 WHERE rowid = (SELECT min(rowid) FROM api_keys)");
  host.query("UPDATE events SET data = '[1, 2]' WHERE rowid = (SELECT min(rowid) FROM events)");
  host.query("UPDATE audit_log SET detail = 'not an object' WHERE rowid = (SELECT min(rowid) FROM audit_log)");
  host.query("UPDATE webhook_endpoints SET enabled_events = '{\"a\": 1}'");
  host.query("UPDATE portfolios SET description = NULL");

  const std::vector<std::pair<const schema::ObjectType*, std::string>> listed = {
      {&api::patent_object(), "patents p"},
      {&api::citation_object(), "citations c LEFT JOIN patents p ON p.number = c.cited_number AND c.cited_country = 'US'"},
      {&api::portfolio_object(), "portfolios p"},
      {&api::portfolio_patent_object(), "portfolio_patents pp JOIN patents pt ON pt.number = pp.patent_number"},
      {&accounts::api_key_object(), "api_keys"},
      {&api::audit_event_object(), "audit_log"},
      {&events::event_object(), "events"},
      {&api::webhook_endpoint_object(), "webhook_endpoints"},
      {&api::webhook_attempt_object(), "webhook_attempts"},
      {&api::ingestion_job_object(), "ingestion_jobs"},
      {&api::ingestion_error_object(), "ingestion_errors"},
      {&api::assignee_object(), "assignees"},
  };
  for (const auto& [object, from] : listed) {
    INFO(from);
    REQUIRE_FALSE(object->json_select().empty());
    Json rows = host.query("SELECT " + object->select_list() + ", " + object->json_select() + " AS item FROM " + from);
    REQUIRE(rows.size() >= 1);
    for (const Json& row : rows) {
      auto from_sql = parse_json(row["item"].get<std::string>());
      REQUIRE(from_sql);
      CHECK(*from_sql == object->render(row));
    }
  }
  // A field converted only in C++ keeps its object out of SQL rendering.
  CHECK(api::search_result_object().json_select().empty());
}
