// /v1/patents: US grants and publications, one by number (in any usual form) or listed with
// filters, keyset-paginated. Every filter and sort has an index (migrations/0004_patents.sql).
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/pagination.hpp"
#include "wasm/patents/number.hpp"

namespace ptmc::api {
namespace {

using schema::Schema;

constexpr const char* kPatentColumns =
    "p.number, p.country, p.kind, p.document_type, p.title, p.abstract, p.application_number, p.filing_date, "
    "p.publication_date, p.grant_date, p.claims_count";

Json patent_json(const Json& row) {
  Json out = {{"object", "patent"}};
  for (const char* name : {"number", "country", "kind", "document_type", "title", "abstract", "application_number",
                           "filing_date", "publication_date", "grant_date", "claims_count"})
    out[name] = row.value(name, Json());
  return out;
}

void number_rules(const RequestContext& context, Violations& violations) {
  const auto* text = string_field(context.query, "number");
  if (text && !patents::parse_us_number(*text))
    violations.add("number", "is not a US patent or publication number (such as 10,000,001, US10000001B2, D662395 or "
                             "US 2012/0123456 A1)");
}

// One document with its inventors, assignees and classifications, in one round trip.
Task<http::Response> get_patent(RequestContext& context) {
  auto number = patents::parse_us_number(context.query.value("number", "")).value_or(patents::DocumentNumber{});
  auto results = co_await d1::batch({
      {std::string("SELECT ") + kPatentColumns + " FROM patents p WHERE p.number = ?1", {number.canonical}},
      {"SELECT first_name, last_name, city, state, country FROM inventors WHERE patent_number = ?1 ORDER BY sequence",
       {number.canonical}},
      {"SELECT a.id, a.name, pa.name_as_filed FROM patent_assignees pa JOIN assignees a ON a.id = pa.assignee_id "
       "WHERE pa.patent_number = ?1 ORDER BY pa.sequence",
       {number.canonical}},
      {"SELECT symbol FROM patent_cpc WHERE patent_number = ?1 ORDER BY position, symbol", {number.canonical}},
  });
  if (results[0].rows.empty()) co_return context.fail(errors::resource_missing("patent", number.canonical));
  Json body = patent_json(results[0].rows[0]);
  body["inventors"] = results[1].rows;
  body["assignees"] = Json::array();
  for (const auto& row : results[2].rows)
    body["assignees"].push_back({{"id", row["id"]}, {"name", row["name"]}, {"name_as_filed", row["name_as_filed"]}});
  body["cpc"] = Json::array();
  for (const auto& row : results[3].rows) body["cpc"].push_back(row["symbol"]);
  co_return http::json_response(200, body);
}

// The sorts a list offers: the column, and whether newest (or highest) comes first.
struct Sort {
  const char* name;
  const char* column;
  bool descending;
};
constexpr Sort kSorts[] = {{"-grant_date", "grant_date", true},   {"grant_date", "grant_date", false},
                           {"-filing_date", "filing_date", true}, {"filing_date", "filing_date", false},
                           {"-number", "number", true},           {"number", "number", false}};

const Sort& sort_of(const RequestContext& context) {
  std::string name = context.query.value("sort", "-grant_date");
  for (const auto& sort : kSorts)
    if (name == sort.name) return sort;
  return kSorts[0];  // the schema admits only the names above
}

// The exclusive upper bound of a prefix range: "H01L" -> "H01M".
std::string prefix_end(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

void list_rules(const RequestContext& context, Violations& violations) {
  for (const char* date : {"grant_date", "filing_date"}) {
    const auto* from = string_field(context.query, (std::string(date) + "_from").c_str());
    const auto* to = string_field(context.query, (std::string(date) + "_to").c_str());
    if (from && to && *to < *from) violations.add(std::string(date) + "_to", "must not be before " + std::string(date) + "_from");
  }
}

Task<http::Response> list_patents(RequestContext& context) {
  const Json& query = context.query;
  const Sort& sort = sort_of(context);
  Violations violations;
  std::string filters = "sort=" + std::string(sort.name);
  for (const char* name : {"assignee", "cpc", "kind", "grant_date_from", "grant_date_to", "filing_date_from", "filing_date_to"})
    if (const auto* value = string_field(query, name)) filters += std::string("&") + name + "=" + *value;
  auto page = read_page(context, filters, violations);
  if (!violations.empty()) co_return context.invalid(violations.error());

  // Fixed SQL fragments only; every value is bound. ?1 is the page size.
  std::string column = std::string("p.") + sort.column;
  std::string sql = std::string("SELECT ") + kPatentColumns + " FROM patents p";
  Json params = Json::array({page.limit + 1});
  std::string where = column + " IS NOT NULL";  // sorting by a date lists the documents that have it
  auto bind = [&](Json value) {
    params.push_back(std::move(value));
    return "?" + std::to_string(params.size());
  };
  if (const auto* assignee = string_field(query, "assignee"))
    where += " AND p.number IN (SELECT patent_number FROM patent_assignees WHERE assignee_id = " + bind(*assignee) + ")";
  if (const auto* cpc = string_field(query, "cpc"))
    where += " AND EXISTS (SELECT 1 FROM patent_cpc c WHERE c.patent_number = p.number AND c.symbol >= " + bind(*cpc) +
             " AND c.symbol < " + bind(prefix_end(*cpc)) + ")";
  if (const auto* kind = string_field(query, "kind")) where += " AND p.kind = " + bind(*kind);
  for (const char* date : {"grant_date", "filing_date"}) {
    if (const auto* from = string_field(query, (std::string(date) + "_from").c_str())) where += std::string(" AND p.") + date + " >= " + bind(*from);
    if (const auto* to = string_field(query, (std::string(date) + "_to").c_str())) where += std::string(" AND p.") + date + " <= " + bind(*to);
  }
  const char* order = sort.descending ? " DESC" : " ASC";
  if (page.after) {
    std::string position = std::string(sort.column) == "number" ? "p.number " + std::string(sort.descending ? "<" : ">") + " " +
                                                                       bind((*page.after)[0])
                                                                 : "(" + column + ", p.number) " + (sort.descending ? "<" : ">") +
                                                                       " (" + bind((*page.after)[0]) + ", " + bind((*page.after)[1]) + ")";
    where += " AND " + position;
  }
  sql += " WHERE " + where + " ORDER BY " + column + order;
  if (std::string(sort.column) != "number") sql += std::string(", p.number") + order;
  sql += " LIMIT ?1";
  auto result = co_await d1::all({std::move(sql), std::move(params)});
  co_return http::json_response(200, list_json(context, result.rows, page,
                                               [&](const Json& row) {
                                                 return std::string(sort.column) == "number"
                                                            ? Json::array({row["number"]})
                                                            : Json::array({row[sort.column], row["number"]});
                                               },
                                               patent_json));
}

}  // namespace

std::vector<Route> patent_routes() {
  const Json example = {{"object", "patent"},
                        {"number", "D656296"},
                        {"country", "US"},
                        {"kind", "S1"},
                        {"document_type", "grant"},
                        {"title", "Ready to eat snack piece"},
                        {"abstract", nullptr},
                        {"application_number", "29381217"},
                        {"filing_date", "2010-12-16"},
                        {"publication_date", "2012-03-27"},
                        {"grant_date", "2012-03-27"},
                        {"claims_count", nullptr}};
  Json detail_example = example;
  detail_example["inventors"] = {{{"first_name", "Nicole"}, {"last_name", "Cavin"}, {"city", "Frisco"}, {"state", "TX"},
                                  {"country", "US"}}};
  detail_example["assignees"] = {{{"id", "ent_5f2a9c0d1e7b3a48"}, {"name", "Frito-Lay North America, Inc."},
                                  {"name_as_filed", "Frito-Lay North America, Inc."}}};
  detail_example["cpc"] = Json::array();  // a 2012 design grant carries Locarno, not CPC, classes
  auto date = [](const char* text) { return Schema::date(text).example("2012-03-27"); };
  std::vector<schema::Parameter> filters = {
      schema::query_param("assignee", Schema::string("A canonical assignee id (see /v1/assignees).").length(1, 64)),
      schema::query_param("cpc", Schema::string("A CPC symbol or prefix: `H01L`, `H01L21/`, `A23L7/117`.").length(1, 32).example("H01L")),
      schema::query_param("kind", Schema::string("A kind code: B1, B2, S1, E, P2, A1, …").length(1, 2)),
      schema::query_param("grant_date_from", date("Granted on or after.")),
      schema::query_param("grant_date_to", date("Granted on or before.")),
      schema::query_param("filing_date_from", date("Filed on or after.")),
      schema::query_param("filing_date_to", date("Filed on or before.")),
      schema::query_param("sort", Schema::string("Order: a field, descending with `-`. Sorting by a date lists only the "
                                                 "documents that have that date.")
                                      .one_of({"-grant_date", "grant_date", "-filing_date", "filing_date", "-number", "number"})
                                      .fallback("-grant_date"))};
  for (auto& parameter : page_parameters()) filters.push_back(std::move(parameter));
  return {
      {"GET", "/v1/patents", list_patents,
       {.id = "listPatents", .tag = "Patents", .summary = "List patents",
        .description = "Grants and publications, filtered and sorted; every combination is keyset-paginated.",
        .parameters = std::move(filters),
        .replies = {{200, "A page of patents.", list_of("Patent", "A page of patents."),
                     {{"object", "list"}, {"data", {example}}, {"has_more", false}, {"next_cursor", nullptr}}}},
        .errors = {"invalid_cursor"},
        .rules = list_rules}},
      {"GET", "/v1/patents/{number}", get_patent,
       {.id = "getPatent", .tag = "Patents", .summary = "Retrieve a patent",
        .description = "By number in any usual US form: `10,000,001`, `US10000001B2`, `10000001`, `D662395`, "
                       "`US 2012/0123456 A1`.",
        .parameters = {schema::path_param("number", Schema::string("The document number.").length(1, 40).example("US10000001B2"))},
        .replies = {{200, "The patent, with its inventors, assignees and CPC classifications.", Schema::ref("PatentDetail"),
                     detail_example}},
        .rules = number_rules}},
  };
}

}  // namespace ptmc::api
