// /v1/patents: US grants and publications, one by number (in any usual form) or listed with
// filters, keyset-paginated. Every filter and sort has an index (migrations/0004_patents.sql).
#include "bindings/d1.hpp"
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/http/range.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/patents/number.hpp"
#include "wasm/patents/ownership.hpp"
#include "wasm/runtime/services.hpp"

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

namespace {

using schema::Schema;

void number_rules(const RequestContext& context, Violations& violations) {
  const auto* text = string_field(context.query, "number");
  if (text && !patents::parse_us_number(*text))
    violations.add("number", "is not a US patent or publication number (such as 10,000,001, US10000001B2, D662395 or "
                             "US 2012/0123456 A1)");
}

// The canonical number of the path's {number}, which number_rules has checked.
std::string canonical_number(const RequestContext& context) {
  return patents::parse_us_number(context.query.value("number", "")).value_or(patents::DocumentNumber{}).canonical;
}

d1::Statement patent_exists(const std::string& number) { return {"SELECT number FROM patents WHERE number = ?1", {number}}; }

// A patent is known when it is loaded or when a recorded assignment names it (assignments
// arrive daily, grants weekly, and older grants may never be loaded).
d1::Statement patent_known(const std::string& number) {
  return {"SELECT 1 AS known WHERE EXISTS (SELECT 1 FROM patents WHERE number = ?1) OR EXISTS (SELECT 1 FROM "
          "assignment_properties WHERE patent_number = ?1)",
          {number}};
}

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
    std::string position = by_number ? bind((*page.after)[0]) : "(" + bind((*page.after)[0]) + ", " + bind((*page.after)[1]) + ")";
    where += " AND " + keyset + (sort.descending ? " < " : " > ") + position;
  }
  const char* order = sort.descending ? " DESC" : " ASC";
  std::string sql = "SELECT " + patent_object().select_list() + " FROM patents p WHERE " + where + " ORDER BY " + column + order +
                    (by_number ? "" : std::string(", p.number") + order) + " LIMIT ?1";
  auto result = co_await d1::all({std::move(sql), std::move(params)});
  co_return http::json_response(
      200, list_json(context, result.rows,
                     [&](const Json& row) {
                       return by_number ? Json::array({row["number"]}) : Json::array({row[sort.column], row["number"]});
                     },
                     [](const Json& row) { return patent_object().render(row); }));
}

namespace {

// Backward: what this document cites, in its own order. Forward: the documents that cite it.
Task<http::Response> list_citations(RequestContext& context) {
  std::string number = canonical_number(context);
  bool forward = context.query.value("direction", "backward") == "forward";
  const Page& page = context.page;
  d1::Statement query;
  if (forward)
    query = {"SELECT c.citing_number, c.sequence, c.cited_number, c.cited_country, c.cited_kind, c.cited_date, c.category, "
             "p.title FROM citations c JOIN patents p ON p.number = c.citing_number WHERE c.cited_number = ?2 AND "
             "c.cited_country = 'US' AND (?3 IS NULL OR (c.citing_number, c.sequence) > (?3, ?4)) "
             "ORDER BY c.citing_number, c.sequence LIMIT ?1",
             {page.limit + 1, number, page.after_at(0), page.after_at(1)}};
  else
    query = {"SELECT c.citing_number, c.sequence, c.cited_number, c.cited_country, c.cited_kind, c.cited_date, c.category, "
             "p.title FROM citations c LEFT JOIN patents p ON p.number = c.cited_number AND c.cited_country = 'US' "
             "WHERE c.citing_number = ?2 AND (?3 IS NULL OR c.sequence > ?3) ORDER BY c.sequence LIMIT ?1",
             {page.limit + 1, number, page.after_at(0)}};
  auto [patent, citations] = co_await d1::batch({patent_exists(number), std::move(query)});
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  co_return http::json_response(
      200, list_json(context, citations.rows,
                     [&](const Json& row) {
                       return forward ? Json::array({row["citing_number"], row["sequence"]}) : Json::array({row["sequence"]});
                     },
                     [](const Json& row) {
                       Json out = {{"object", "citation"}};
                       for (const char* name : {"citing_number", "cited_number", "cited_country", "cited_kind", "cited_date",
                                                "category", "title"})
                         out[name] = row.value(name, Json());
                       return out;
                     }));
}

// The parties of the assignments a statement selects (its first column is the id), in order.
d1::Statement parties_of(const std::string& assignments_sql) {
  return {"SELECT assignment_id, role, name, execution_date FROM assignment_parties WHERE assignment_id IN (SELECT id FROM (" +
              assignments_sql + ")) ORDER BY assignment_id, role, sequence",
          {}};
}

Json assignment_json(const Json& row, const Json& parties) {
  Json out = {{"object", "assignment"}, {"assignors", Json::array()}, {"assignees", Json::array()}};
  for (const char* name : {"id", "reel", "frame", "conveyance_type", "conveyance_text", "recorded_date", "page_count",
                           "correspondent_name"})
    out[name] = row.value(name, Json());
  for (const auto& party : parties) {
    if (party["assignment_id"] != row["id"]) continue;
    bool assignor = party["role"] == "assignor";
    Json entry = {{"name", party["name"]}};
    if (assignor) entry["execution_date"] = party["execution_date"];
    out[assignor ? "assignors" : "assignees"].push_back(std::move(entry));
  }
  return out;
}

// Newest recorded first, each with its assignors and assignees, in one round trip.
Task<http::Response> list_assignments(RequestContext& context) {
  std::string number = canonical_number(context);
  const Page& page = context.page;
  std::string page_sql =
      "SELECT a.id, a.reel, a.frame, a.conveyance_text, a.conveyance_type, a.recorded_date, a.page_count, "
      "a.correspondent_name FROM assignments a WHERE a.id IN (SELECT assignment_id FROM assignment_properties WHERE "
      "patent_number = ?2) AND (?3 IS NULL OR (a.recorded_date, a.id) < (?3, ?4)) ORDER BY a.recorded_date DESC, a.id DESC "
      "LIMIT ?1";
  Json params = {page.limit + 1, number, page.after_at(0), page.after_at(1)};
  auto parties = parties_of(page_sql);
  parties.params = params;
  auto [patent, assignments, assignment_parties] = co_await d1::batch({patent_known(number), {page_sql, params}, std::move(parties)});
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  const Json& party_rows = assignment_parties.rows;
  co_return http::json_response(
      200, list_json(context, assignments.rows,
                     [](const Json& row) { return Json::array({row["recorded_date"], row["id"]}); },
                     [&](const Json& row) { return assignment_json(row, party_rows); }));
}

constexpr int64_t kMaxChainLinks = 1000;

// Owners over time, from the assignments that move title; see wasm/patents/ownership.hpp.
Task<http::Response> get_ownership(RequestContext& context) {
  std::string number = canonical_number(context);
  std::string conveyances_sql =
      "SELECT a.id, a.conveyance_type, a.recorded_date FROM assignments a WHERE a.id IN (SELECT assignment_id FROM "
      "assignment_properties WHERE patent_number = ?1) AND a.conveyance_type IN ('assignment', 'employer_assignment', "
      "'merger', 'change_of_name', 'correction') ORDER BY a.recorded_date, a.id LIMIT " + std::to_string(kMaxChainLinks);
  auto parties = parties_of(conveyances_sql);
  parties.params = {number};
  auto [patent, grant_owners, conveyance_rows, conveyance_parties] = co_await d1::batch({
      patent_known(number),
      {"SELECT name_as_filed FROM patent_assignees WHERE patent_number = ?1 ORDER BY sequence", {number}},
      {conveyances_sql, {number}},
      std::move(parties),
  });
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  std::vector<std::string> owners_at_grant;
  for (const auto& row : grant_owners.rows) owners_at_grant.push_back(row.value("name_as_filed", ""));
  std::vector<patents::Conveyance> conveyances;
  for (const auto& row : conveyance_rows.rows) {
    patents::Conveyance conveyance{row.value("id", ""), row.value("conveyance_type", ""), row.value("recorded_date", ""), ""};
    for (const auto& party : conveyance_parties.rows) {
      if (party["assignment_id"] != row["id"]) continue;
      const auto* name = string_field(party, "name");
      if (!name) continue;
      if (party["role"] == "assignee") {
        conveyance.assignees.push_back(*name);
      } else {
        conveyance.assignors.push_back(*name);
        if (const auto* executed = string_field(party, "execution_date"); executed && conveyance.execution_date.empty())
          conveyance.execution_date = *executed;  // the first assignor's signature dates the conveyance
      }
    }
    conveyances.push_back(std::move(conveyance));
  }
  auto chain = patents::chain_of_title(std::move(conveyances), std::move(owners_at_grant));
  Json links = Json::array();
  for (const auto& link : chain.links) {
    const auto& c = link.conveyance;
    links.push_back({{"assignment_id", c.id},
                     {"conveyance_type", c.type},
                     {"recorded_date", c.recorded_date},
                     {"execution_date", c.execution_date.empty() ? Json() : Json(c.execution_date)},
                     {"assignors", c.assignors},
                     {"assignees", c.assignees},
                     {"breaks_chain", link.breaks_chain}});
  }
  co_return http::json_response(200, {{"object", "chain_of_title"},
                                      {"number", number},
                                      {"complete", chain.complete},
                                      {"current_owners", chain.current_owners},
                                      {"links", std::move(links)}});
}

// Fee events, oldest first, and the status they add up to; see wasm/patents/maintenance.hpp.
Task<http::Response> get_maintenance(RequestContext& context) {
  std::string number = canonical_number(context);
  // The fee file carries each patent's filing and grant dates too, so a patent whose grant is
  // not loaded still has a status.
  auto [dates, fee_events] = co_await d1::batch({
      {"SELECT filing_date, grant_date FROM patents WHERE number = ?1 UNION ALL SELECT filing_date, grant_date FROM "
       "maintenance_fee_events WHERE patent_number = ?1 LIMIT 1",
       {number}},
      {"SELECT event_date, event_code, entity_status FROM maintenance_fee_events WHERE patent_number = ?1 "
       "ORDER BY event_date, event_code",
       {number}},
  });
  if (dates.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  const Json& patent = dates.rows[0];
  std::vector<patents::FeeEvent> events;
  Json event_list = Json::array();
  for (const auto& row : fee_events.rows) {
    events.push_back({row.value("event_date", ""), row.value("event_code", "")});
    event_list.push_back({{"date", row["event_date"]}, {"code", row["event_code"]}, {"entity_status", row["entity_status"]}});
  }
  auto text = [&](const char* name) { return patent[name].is_string() ? patent[name].get<std::string>() : std::string(); };
  auto status = patents::maintenance_status(number, text("filing_date"), text("grant_date"), std::move(events),
                                            patents::date_of(services::now_ms()));
  auto optional = [](const std::optional<std::string>& value) { return value ? Json(*value) : Json(); };
  Json body = {{"object", "maintenance"}, {"number", number}, {"events", std::move(event_list)}};
  body["status"] = status ? status->status : "not_granted";
  body["fees_paid"] = status ? Json(status->fees_paid) : Json::array();
  body["next_fee_due"] = status ? optional(status->next_fee_due) : Json();
  body["lapsed_on"] = status ? optional(status->lapsed_on) : Json();
  body["expires_on"] = status ? optional(status->expires_on) : Json();
  co_return http::json_response(200, body);
}

// A stored document, streamed from R2 by the host (the module never holds it), with ETag,
// If-None-Match (by conditional_get), Range and If-Range. One round trip: the object's head.
Task<http::Response> serve_document(RequestContext& context, const char* file, const char* what) {
  std::string number = canonical_number(context);
  auto info = co_await r2::head("patents/" + number + "/" + file);
  if (!info) co_return context.fail(errors::resource_missing(what, number));
  std::string etag = "\"" + info->etag + "\"";
  auto range = context.request.headers.get("range");
  if (auto if_range = context.request.headers.get("if-range"); if_range && *if_range != etag) range.reset();  // changed since
  auto selection = http::select_range(range, info->size);
  if (selection.kind == http::RangeSelection::Kind::unsatisfiable) {
    http::Response refused = context.fail(errors::range_not_satisfiable(info->size));
    refused.headers.set("content-range", "bytes */" + std::to_string(info->size));
    co_return refused;
  }
  http::Response response{200, {}, ""};
  response.headers.set("content-type", info->content_type.empty() ? "application/octet-stream" : info->content_type);
  response.headers.set("etag", etag);
  response.headers.set("accept-ranges", "bytes");
  // Private: the answer needed a key (and carries its rate-limit headers), so no shared cache may
  // keep it for others; the key holder may, as the document changes only with a new version.
  response.headers.set("cache-control", "private, max-age=86400");
  const auto& bytes = selection.range;
  if (selection.kind == http::RangeSelection::Kind::partial) {
    response.status = 206;
    response.headers.set("content-range", "bytes " + std::to_string(bytes.offset) + "-" +
                                              std::to_string(bytes.offset + bytes.length - 1) + "/" + std::to_string(info->size));
  }
  if (bytes.length > 0) response.blob = http::BlobBody{info->key, bytes.offset, bytes.length, info->etag};
  co_return response;
}

Task<http::Response> get_fulltext(RequestContext& context) {
  co_return co_await serve_document(context, "fulltext.xml", "full text");
}

Task<http::Response> get_pdf(RequestContext& context) { co_return co_await serve_document(context, "document.pdf", "PDF"); }

}  // namespace

std::vector<schema::Parameter> patent_list_parameters(bool with_assignee) {
  auto date = [](const char* text) { return Schema::date(text).example("2012-03-27"); };
  std::vector<schema::Parameter> filters = {
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
  if (with_assignee)
    filters.insert(filters.begin(),
                   schema::query_param("assignee", Schema::string("A canonical assignee id (see /v1/assignees).").length(1, 64)));
  return page_parameters(std::move(filters));
}

std::vector<Route> patent_routes() {
  const Json example = patent_object().example();
  Json detail_example = example;
  detail_example["inventors"] = {{{"first_name", "Nicole"}, {"last_name", "Cavin"}, {"city", "Frisco"}, {"state", "TX"},
                                  {"country", "US"}}};
  detail_example["assignees"] = {{{"id", "ent_5f2a9c0d1e7b3a48"}, {"name", "Frito-Lay North America, Inc."},
                                  {"name_as_filed", "Frito-Lay North America, Inc."}}};
  detail_example["cpc"] = Json::array();  // a 2012 design grant carries Locarno, not CPC, classes
  auto number_param = schema::path_param("number", Schema::string("The document number.").length(1, 40).example("US10000001B2"));
  auto of_number = [&](std::vector<schema::Parameter> more) {
    more.insert(more.begin(), number_param);
    return more;
  };
  auto paged = [&](std::vector<schema::Parameter> more) { return page_parameters(of_number(std::move(more))); };
  auto document_route = [&](std::string_view pattern, Endpoint handler, std::string id, std::string summary, std::string type) {
    return Route{"GET", pattern, handler,
                 {.id = std::move(id), .tag = "Patents", .summary = std::move(summary),
                  .description = "Streamed from storage. `Range: bytes=START-END`, `bytes=START-` and `bytes=-LAST` answer "
                                 "206 with `Content-Range`; a range past the end answers 416 with `Content-Range: bytes "
                                 "*/SIZE`. `If-Range` with a stale ETag, a malformed `Range` or several ranges answer the "
                                 "whole document.",
                  .parameters = of_number({}),
                  .replies = {{200, "The whole document.", std::nullopt, {}, type},
                              {206, "The requested range.", std::nullopt, {}, type}},
                  .errors = {"resource_missing", "range_not_satisfiable", "object_changed"},
                  .rules = number_rules}};
  };
  const Json citation_example = {{"object", "citation"}, {"citing_number", "D656308"}, {"cited_number", "D621603"},
                                 {"cited_country", "US"}, {"cited_kind", "S"}, {"cited_date", "2010-08"},
                                 {"category", "cited by examiner"}, {"title", nullptr}};
  const Json assignment_example = {{"object", "assignment"}, {"id", "37244-562"}, {"reel", 37244}, {"frame", 562},
                                   {"conveyance_type", "assignment"},
                                   {"conveyance_text", "ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS)."},
                                   {"recorded_date", "2015-12-31"}, {"page_count", 3}, {"correspondent_name", "JOHN DOE"},
                                   {"assignors", {{{"name", "SMITH, JANE"}, {"execution_date", "2015-12-18"}}}},
                                   {"assignees", {{{"name", "EXAMPLE CORP."}}}}};
  return {
      {"GET", "/v1/patents", list_patents,
       {.id = "listPatents", .tag = "Patents", .summary = "List patents",
        .description = "Grants and publications, filtered and sorted; every combination is keyset-paginated.",
        .parameters = patent_list_parameters(true),
        .replies = {{200, "A page of patents.", list_of("Patent", "A page of patents."),
                     list_example(example)}},
        .errors = {"invalid_cursor"},
        .rules = patent_list_rules}},
      {"GET", "/v1/patents/{number}", get_patent,
       {.id = "getPatent", .tag = "Patents", .summary = "Retrieve a patent",
        .description = "By number in any usual US form: `10,000,001`, `US10000001B2`, `10000001`, `D662395`, "
                       "`US 2012/0123456 A1`.",
        .parameters = of_number({}),
        .replies = {{200, "The patent, with its inventors, assignees and CPC classifications.", Schema::ref("PatentDetail"),
                     detail_example}},
        .rules = number_rules}},
      {"GET", "/v1/patents/{number}/citations", list_citations,
       {.id = "listPatentCitations", .tag = "Patents", .summary = "List a patent's citations",
        .description = "`backward`: the documents this one cites, in its order. `forward`: the documents that cite it, by "
                       "number. `title` is the other document's, when it is in the database.",
        .parameters = paged({schema::query_param(
            "direction", Schema::string("Which way to follow citations.").one_of({"backward", "forward"}).fallback("backward"))}),
        .replies = {{200, "A page of citations.", list_of("Citation", "A page of citations."),
                     list_example(citation_example)}},
        .errors = {"invalid_cursor"},
        .rules = number_rules}},
      {"GET", "/v1/patents/{number}/assignments", list_assignments,
       {.id = "listPatentAssignments", .tag = "Patents", .summary = "List a patent's recorded assignments",
        .description = "Newest recorded first, with assignors (and when they signed) and assignees.",
        .parameters = paged({}),
        .replies = {{200, "A page of assignments.", list_of("Assignment", "A page of assignments."),
                     list_example(assignment_example)}},
        .errors = {"invalid_cursor"},
        .rules = number_rules}},
      {"GET", "/v1/patents/{number}/ownership", get_ownership,
       {.id = "getPatentOwnership", .tag = "Patents", .summary = "A patent's chain of title",
        .description = "Owners over time from the assignments that move title (assignments, employer assignments, mergers, "
                       "changes of name, corrections), in execution order. A link whose assignors are not among the "
                       "previous link's assignees `breaks_chain`; `complete` is false when any does.",
        .parameters = of_number({}),
        .replies = {{200, "The chain of title.", Schema::ref("ChainOfTitle"),
                     {{"object", "chain_of_title"}, {"number", "10000001"}, {"complete", true},
                      {"current_owners", {"EXAMPLE CORP."}},
                      {"links", {{{"assignment_id", "37244-562"}, {"conveyance_type", "assignment"}, {"recorded_date", "2015-12-31"},
                                  {"execution_date", "2015-12-18"}, {"assignors", {"SMITH, JANE"}},
                                  {"assignees", {"EXAMPLE CORP."}}, {"breaks_chain", false}}}}}}},
        .rules = number_rules}},
      document_route("/v1/patents/{number}/fulltext", get_fulltext, "getPatentFulltext", "A patent's full text (XML)",
                     "application/xml"),
      document_route("/v1/patents/{number}/pdf", get_pdf, "getPatentPdf", "A patent's PDF", "application/pdf"),
      {"GET", "/v1/patents/{number}/maintenance", get_maintenance,
       {.id = "getPatentMaintenance", .tag = "Patents", .summary = "A patent's maintenance fees and status",
        .description = "Fee events oldest first, and the status they add up to: `in_force`, `lapsed` (a fee went unpaid "
                       "and the patent was not reinstated), `expired` (its statutory term ended) or `not_granted`. "
                       "`expires_on` is the statutory term, without term adjustments or disclaimers.",
        .parameters = of_number({}),
        .replies = {{200, "Fee events and status.", Schema::ref("Maintenance"),
                     {{"object", "maintenance"}, {"number", "4289713"}, {"status", "expired"}, {"fees_paid", {4, 8, 12}},
                      {"next_fee_due", nullptr}, {"lapsed_on", nullptr}, {"expires_on", "2001-01-05"},
                      {"events", {{{"date", "1985-03-06"}, {"code", "M170"}, {"entity_status", "Y"}}}}}}},
        .rules = number_rules}},
  };
}

}  // namespace ptmc::api
