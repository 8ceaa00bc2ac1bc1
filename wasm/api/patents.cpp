// /v1/patents: US grants and publications, one by number (in any usual form) or listed with
// filters, keyset-paginated. Every filter and sort has an index (migrations/0004_patents.sql).
// A patent's records are in patent_records.cpp, its stored documents in documents.cpp.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/patents/number.hpp"

namespace ptmc::api {

const schema::ObjectType& patent_object() {
  using schema::Schema;
  auto date = [](const char* text) { return Schema::date(text).nullable(); };
  static const schema::ObjectType patent(
      "patent", "A US grant or pre-grant publication.",
      {{"number", Schema::string("Canonical: no country, no kind, no leading zeros (11 digits for publications)."), "p.number",
        "D656296"},
       {"country", Schema::string(), "p.country", "US"},
       {"kind", Schema::string("B1, B2, S1, E, P2, A1, …"), "p.kind", "S1"},
       {"document_type", Schema::string().one_of({"grant", "application"}), "p.document_type", "grant"},
       {"title", Schema::string(), "p.title", "Ready to eat snack piece"},
       {"abstract", Schema::string().nullable(), "p.abstract", nullptr},
       {"application_number", Schema::string().nullable(), "p.application_number", "29381217"},
       {"filing_date", date("Filed."), "p.filing_date", "2010-12-16"},
       {"publication_date", date("Published."), "p.publication_date", "2012-03-27"},
       {"grant_date", date("Granted; null for applications."), "p.grant_date", "2012-03-27"},
       {"claims_count", Schema::integer().nullable(), "p.claims_count", nullptr}});
  return patent;
}

void number_rules(const RequestContext& context, Violations& violations) {
  const auto* text = string_field(context.query, "number");
  if (text && !patents::parse_us_number(*text))
    violations.add("number",
                   "is not a US patent or publication number (such as 10,000,001, US10000001B2, D662395 or "
                   "US 2012/0123456 A1)");
}

std::string canonical_number(const RequestContext& context) {
  return patents::parse_us_number(context.query.value("number", "")).value_or(patents::DocumentNumber{}).canonical;
}

d1::Statement patent_exists(const std::string& number) { return {"SELECT number FROM patents WHERE number = ?1", {number}}; }

d1::Statement patent_known(const std::string& number) {
  return {
      "SELECT 1 AS known WHERE EXISTS (SELECT 1 FROM patents WHERE number = ?1) OR EXISTS (SELECT 1 FROM "
      "assignment_properties WHERE patent_number = ?1)",
      {number}};
}

std::vector<schema::Parameter> with_number(std::vector<schema::Parameter> more) {
  more.insert(more.begin(),
              schema::path_param("number", schema::Schema::string("The document number.").length(1, 40).example("US10000001B2")));
  return more;
}

namespace {

using schema::Schema;

// One document with its inventors, assignees and classifications, in one round trip.
Task<http::Response> get_patent(RequestContext& context) {
  auto number = patents::parse_us_number(context.query.value("number", "")).value_or(patents::DocumentNumber{});
  auto [patent, inventors, assignees, cpc] = co_await d1::batch({
      {"SELECT " + patent_object().select_list() + " FROM patents p WHERE p.number = ?1", {number.canonical}},
      {"SELECT first_name, last_name, city, state, country FROM inventors WHERE patent_number = ?1 ORDER BY sequence",
       {number.canonical}},
      {"SELECT a.id, a.name, pa.name_as_filed FROM patent_assignees pa JOIN assignees a ON a.id = pa.assignee_id "
       "WHERE pa.patent_number = ?1 ORDER BY pa.sequence",
       {number.canonical}},
      {"SELECT symbol FROM patent_cpc WHERE patent_number = ?1 ORDER BY position, symbol", {number.canonical}},
  });
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number.canonical));
  Json body = patent_object().render(patent.rows[0]);
  body["inventors"] = inventors.rows;
  body["assignees"] = Json::array();
  for (const auto& row : assignees.rows)
    body["assignees"].push_back({{"id", row["id"]}, {"name", row["name"]}, {"name_as_filed", row["name_as_filed"]}});
  body["cpc"] = Json::array();
  for (const auto& row : cpc.rows) body["cpc"].push_back(row["symbol"]);
  co_return http::json_response(200, body);
}

// The sorts a list offers, the default first: the column, and whether newest (or highest) comes first.
struct Sort {
  const char* name;
  const char* column;
  bool descending;
};
constexpr Sort kSorts[] = {{"-grant_date", "grant_date", true},   {"grant_date", "grant_date", false},
                           {"-filing_date", "filing_date", true}, {"filing_date", "filing_date", false},
                           {"-number", "number", true},           {"number", "number", false}};

std::vector<std::string> sort_names() {
  std::vector<std::string> names;
  for (const auto& sort : kSorts) names.push_back(sort.name);
  return names;
}

const Sort& sort_of(const RequestContext& context) {
  std::string name = context.query.value("sort", kSorts[0].name);
  for (const auto& sort : kSorts)
    if (name == sort.name) return sort;
  return kSorts[0];  // the schema admits only the names above
}

// The exclusive upper bound of a prefix range: "H01L" -> "H01M".
std::string prefix_end(std::string prefix) {
  prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

// A date-range filter's bound: "grant_date" + "_from".
const std::string* date_bound(const Json& query, const char* date, const char* bound) {
  return string_field(query, (std::string(date) + bound).c_str());
}

}  // namespace

void patent_list_rules(const RequestContext& context, Violations& violations) {
  for (const char* date : {"grant_date", "filing_date"}) {
    const auto* from = date_bound(context.query, date, "_from");
    const auto* to = date_bound(context.query, date, "_to");
    if (from && to && *to < *from) violations.add(std::string(date) + "_to", "must not be before " + std::string(date) + "_from");
  }
}

Task<http::Response> list_patents(RequestContext& context) {
  const Json& query = context.query;
  const Sort& sort = sort_of(context);
  bool by_number = std::string_view(sort.column) == "number";
  const Page& page = context.page;

  // Fixed SQL fragments only; every value is bound. ?1 is the page size.
  Json params = Json::array({page.limit + 1});
  auto bind = [&](Json value) {
    params.push_back(std::move(value));
    return "?" + std::to_string(params.size());
  };
  std::string column = std::string("p.") + sort.column;
  std::string where = column + " IS NOT NULL";  // sorting by a date lists the documents that have it
  if (const auto* assignee = string_field(query, "assignee"))
    where += " AND p.number IN (SELECT patent_number FROM patent_assignees WHERE assignee_id = " + bind(*assignee) + ")";
  if (const auto* cpc = string_field(query, "cpc"))
    where += " AND EXISTS (SELECT 1 FROM patent_cpc c WHERE c.patent_number = p.number AND c.symbol >= " + bind(*cpc) +
             " AND c.symbol < " + bind(prefix_end(*cpc)) + ")";
  if (const auto* kind = string_field(query, "kind")) where += " AND p.kind = " + bind(*kind);
  for (const char* date : {"grant_date", "filing_date"}) {
    if (const auto* from = date_bound(query, date, "_from")) where += std::string(" AND p.") + date + " >= " + bind(*from);
    if (const auto* to = date_bound(query, date, "_to")) where += std::string(" AND p.") + date + " <= " + bind(*to);
  }
  // The keyset: (column, number), or number alone when that is the sort.
  std::string keyset = by_number ? "p.number" : "(" + column + ", p.number)";
  if (page.after) {
    std::string position =
        by_number ? bind((*page.after)[0]) : "(" + bind((*page.after)[0]) + ", " + bind((*page.after)[1]) + ")";
    where += " AND " + keyset + (sort.descending ? " < " : " > ") + position;
  }
  const char* order = sort.descending ? " DESC" : " ASC";
  std::string keys = by_number ? "p.number AS number" : column + " AS sort_key, p.number AS number";
  std::string sql = "SELECT " + item_columns(patent_object(), keys) + " FROM patents p WHERE " + where + " ORDER BY " + column +
                    order + (by_number ? "" : std::string(", p.number") + order) + " LIMIT ?1";
  auto result = co_await d1::all(items_query(std::move(sql), std::move(params)));
  co_return items_response(context, result.rows, [&](const Json& row) {
    return by_number ? Json::array({row["number"]}) : Json::array({row["sort_key"], row["number"]});
  });
}

std::vector<schema::Parameter> patent_list_parameters(bool with_assignee) {
  auto date = [](const char* text) { return Schema::date(text).example("2012-03-27"); };
  std::vector<schema::Parameter> filters = {
      schema::query_param(
          "cpc", Schema::string("A CPC symbol or prefix: `H01L`, `H01L21/`, `A23L7/117`.").length(1, 32).example("H01L")),
      schema::query_param("kind", Schema::string("A kind code: B1, B2, S1, E, P2, A1, …").length(1, 2)),
      schema::query_param("grant_date_from", date("Granted on or after.")),
      schema::query_param("grant_date_to", date("Granted on or before.")),
      schema::query_param("filing_date_from", date("Filed on or after.")),
      schema::query_param("filing_date_to", date("Filed on or before.")),
      schema::query_param("sort", Schema::string("Order: a field, descending with `-`. Sorting by a date lists only the "
                                                 "documents that have that date.")
                                      .one_of(sort_names())
                                      .fallback(kSorts[0].name))};
  if (with_assignee)
    filters.insert(filters.begin(),
                   schema::query_param("assignee", Schema::string("A canonical assignee id (see /v1/assignees).").length(1, 64)));
  return page_parameters(std::move(filters));
}

std::vector<Route> patent_routes() {
  const Json example = patent_object().example();
  Json detail_example = example;
  detail_example["inventors"] = {
      {{"first_name", "Nicole"}, {"last_name", "Cavin"}, {"city", "Frisco"}, {"state", "TX"}, {"country", "US"}}};
  detail_example["assignees"] = {{{"id", "ent_5f2a9c0d1e7b3a48"},
                                  {"name", "Frito-Lay North America, Inc."},
                                  {"name_as_filed", "Frito-Lay North America, Inc."}}};
  detail_example["cpc"] = Json::array();  // a 2012 design grant carries Locarno, not CPC, classes
  return {
      {"GET",
       "/v1/patents",
       list_patents,
       {.id = "listPatents",
        .tag = "Patents",
        .summary = "List patents",
        .description = "Grants and publications, filtered and sorted; every combination is keyset-paginated.",
        .parameters = patent_list_parameters(true),
        .replies = {{200, "A page of patents.", list_of("Patent", "A page of patents."), list_example(example)}},
        .errors = {"invalid_cursor"},
        .rules = patent_list_rules}},
      {"GET",
       "/v1/patents/{number}",
       get_patent,
       {.id = "getPatent",
        .tag = "Patents",
        .summary = "Retrieve a patent",
        .description = "By number in any usual US form: `10,000,001`, `US10000001B2`, `10000001`, `D662395`, "
                       "`US 2012/0123456 A1`.",
        .parameters = with_number(),
        .replies = {{200, "The patent, with its inventors, assignees and CPC classifications.", Schema::ref("PatentDetail"),
                     detail_example}},
        .rules = number_rules}},
  };
}

}  // namespace ptmc::api
