// The query plans of every list (EXPLAIN QUERY PLAN on SQLite, the engine under D1): each
// SELECT that a list's first page and its keyset page run, with every sort and each filter a
// client can send, reads in the order of an index, so a page costs the same at any depth: no
// ORDER BY sorts in a temporary B-tree, and no table is scanned except along the index that
// gives the order. The lists and their parameters are read from the OpenAPI document, so a new
// list or filter is checked without changing this test.
//
// Sorts that are bounded by one parent are allowed, each for its reason (kBoundedSorts).
#include "tests/flow/requests.hpp"

#include <regex>

using namespace ptmc;
using namespace ptmc::testing;
using native::body_json;
using native::Host;

namespace {

// The SELECTs among the effects the host ran from `first` on, with their parameters.
std::vector<std::pair<std::string, Json>> selects_since(const Host& host, size_t first) {
  std::vector<std::pair<std::string, Json>> out;
  auto add = [&](const Json& statement) {
    std::string sql = statement.value("sql", "");
    if (sql.rfind("SELECT", 0) == 0 || sql.rfind("WITH", 0) == 0) out.emplace_back(sql, statement.value("params", Json::array()));
  };
  for (size_t i = first; i < host.effects.size(); ++i) {
    const Json& effect = host.effects[i];
    std::string kind = effect.value("kind", "");
    if (kind == "d1.batch")
      for (const Json& statement : effect["statements"]) add(statement);
    else if (kind.rfind("d1.", 0) == 0) add(effect);
  }
  return out;
}

// Lists whose sort runs over one parent's rows, found through an index, and so is bounded by
// that parent, not by the table: the request (its path and query) matches, and why it is fine.
constexpr std::pair<const char*, const char*> kBoundedSorts[] = {
    {"/v1/patents/[^/?]+/assignments", "one patent's recorded assignments, by recording date"},
    {"/v1/assignees/[^/?]+/patents|[?&]assignee=", "one assignee's patents (patent_assignees by assignee_id)"},
    {"/v1/search", "the matches of a full-text query, by bm25 rank"},
};

bool bounded_sort(const std::string& target) {
  for (const auto& [pattern, why] : kBoundedSorts)
    if (std::regex_search(target, std::regex(pattern))) return true;
  return false;
}

// What is wrong with a plan: a sort outside an index, or a whole-table scan other than one along
// the primary key that gives the order (patents sorted by number).
std::vector<std::string> plan_problems(Host& host, const std::string& target, const std::string& sql, const Json& params) {
  static const std::regex whole_scan("^SCAN [A-Za-z_0-9]+$");
  static const std::regex sort_outside_index("USE TEMP B-TREE FOR .*ORDER BY");  // whole or partial
  bool scan_gives_order = sql.find("ORDER BY p.number") != std::string::npos;
  std::vector<std::string> problems;
  for (const Json& row : host.query("EXPLAIN QUERY PLAN " + sql, params)) {
    std::string detail = row.value("detail", "");
    if ((std::regex_match(detail, whole_scan) && !scan_gives_order) ||
        (std::regex_search(detail, sort_outside_index) && !bounded_sort(target)))
      problems.push_back(detail);
  }
  return problems;
}

// A value the parameter accepts: its example, its first allowed value, or one of its type.
std::string sample_value(const Json& parameter, const std::map<std::string, std::string>& known) {
  std::string name = parameter["name"];
  if (auto found = known.find(name); found != known.end()) return found->second;
  const Json& schema = parameter["schema"];
  if (schema.contains("example"))
    return schema["example"].is_string() ? schema["example"].get<std::string>() : schema["example"].dump();
  if (schema.contains("enum")) return schema["enum"][0];
  if (schema.value("format", "") == "date") return "2012-03-27";
  if (schema.value("type", "") == "integer") return std::to_string(schema.value("minimum", 1));
  return "a";
}

}  // namespace

TEST_CASE("query plans: every list's first and keyset page read an index, with each sort and filter", "[plans]") {
  Host host;
  std::string owner = owner_key(host);
  std::string operator_secret = operator_key(host);
  run_ingestion_job(host, "grant", "2012-03-27", {{"ipg.xml", many_grants(2)}});
  run_ingestion_job(host, "assignment", "2016-01-01", {{"ad.xml", many_assignments(2)}});
  std::string portfolio = body_json(host.fetch("POST", "/v1/portfolios", json_bearer(owner), R"({"name":"watch"})"))["id"];
  for (const char* number : {"D1000000", "D1000001"})
    host.fetch("POST", "/v1/portfolios/" + portfolio + "/patents", json_bearer(owner),
               std::string(R"({"number":")") + number + "\"}");
  host.fetch("POST", "/v1/webhook_endpoints", json_bearer(owner),
             R"({"url":"https://hooks.example.com/a","enabled_events":["*"]})");
  std::string endpoint = body_json(host.fetch("POST", "/v1/webhook_endpoints", json_bearer(owner),
                                              R"({"url":"https://hooks.example.com/b","enabled_events":["*"]})"))["id"];
  std::string assignee = host.query("SELECT id FROM assignees ORDER BY id LIMIT 1")[0]["id"];
  const std::map<std::string, std::string> path_values = {{"number", "D1000000"},
                                                          {"assignees", assignee},
                                                          {"portfolios", portfolio},
                                                          {"webhook_endpoints", endpoint},
                                                          {"jobs", "us:grant:2012-03-27"}};
  const std::map<std::string, std::string> query_values = {{"assignee", assignee}, {"q", "frito"}, {"kind", "S1"}, {"cpc", "A"}};

  Json document = body_json(host.fetch("GET", "/v1/openapi.json", bearer(owner)));
  size_t lists = 0, statements = 0;
  for (const auto& [pattern, item] : document["paths"].items()) {
    if (!item.contains("get")) continue;
    Json parameters = Json::array();  // the operation's own (components, such as If-None-Match, are headers)
    for (const Json& p : item["get"].value("parameters", Json::array()))
      if (p.contains("name")) parameters.push_back(p);
    auto is = [](const char* name) { return [name](const Json& p) { return p["name"] == name; }; };
    if (std::none_of(parameters.begin(), parameters.end(), is("limit"))) continue;
    ++lists;
    // The path with each {name} filled in from the segment before it.
    std::string path = pattern;
    for (std::smatch m; std::regex_search(path, m, std::regex("([a-z_]+)/\\{([a-z_]+)\\}"));) {
      auto value = path_values.find(m[2] == "number" ? "number" : m[1].str());
      INFO(pattern);
      REQUIRE(value != path_values.end());
      path.replace(static_cast<size_t>(m.position(0)), static_cast<size_t>(m.length(0)), m[1].str() + "/" + value->second);
    }
    // Queries: the required parameters, then each optional filter alone; each with every sort.
    std::string required;
    std::vector<std::string> filters = {""}, sorts = {""};
    for (const Json& p : parameters) {
      std::string name = p["name"];
      if (p["in"] != "query" || name == "limit" || name == "cursor") continue;
      if (name == "sort") {
        sorts.clear();
        for (const Json& sort : p["schema"]["enum"]) sorts.push_back("&sort=" + sort.get<std::string>());
      } else if (p.value("required", false)) {
        required += "&" + name + "=" + sample_value(p, query_values);
      } else {
        filters.push_back("&" + name + "=" + sample_value(p, query_values));
      }
    }
    const std::string& key = pattern.rfind("/v1/ingestion", 0) == 0 ? operator_secret : owner;
    for (const auto& filter : filters)
      for (const auto& sort : sorts) {
        std::string target = path + "?limit=1" + required + filter + sort;
        for (int page = 0; page < 2; ++page) {
          host.advance(60'000);  // a new rate-limit window for each request
          size_t first = host.effects.size();
          auto response = host.fetch("GET", target, bearer(key));
          INFO(target);
          REQUIRE(response.status == 200);
          for (const auto& [sql, params] : selects_since(host, first)) {
            ++statements;
            INFO(sql);
            CHECK(plan_problems(host, target, sql, params) == std::vector<std::string>{});
          }
          Json next = body_json(response)["next_cursor"];
          if (!next.is_string()) break;
          target = path + "?limit=1" + required + filter + sort + "&cursor=" + next.get<std::string>();
        }
      }
  }
  CHECK(lists >= 15);  // every list route of the reference, as of this test
  CHECK(statements > 100);
}
