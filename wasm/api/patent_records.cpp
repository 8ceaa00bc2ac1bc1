// A patent's records: its citations, recorded assignments, chain of title and maintenance fees
// (/v1/patents/{number}/…), each answered in one round trip.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/patents/maintenance.hpp"
#include "wasm/patents/ownership.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::api {

const schema::ObjectType& citation_object() {
  using schema::Schema;
  auto text = [](const char* description = "") { return Schema::string(description).nullable(); };
  static const schema::ObjectType citation(
      "citation", "One document citing another.",
      {{"citing_number", Schema::string(), "c.citing_number", "D656308"},
       {"cited_number", Schema::string(), "c.cited_number", "D621603"},
       {"cited_country", Schema::string(), "c.cited_country", "US"},
       {"cited_kind", text(), "c.cited_kind", "S"},
       {"cited_date", text("As printed: YYYY-MM or YYYY-MM-DD."), "c.cited_date", "2010-08"},
       {"category", text("cited by examiner, cited by applicant, cited by other (before about 2010), …"), "c.category",
        "cited by examiner"},
       {"title", text("The other document's title, when it is in the database."), "p.title", nullptr}});
  return citation;
}

const schema::ObjectType& assignment_object() {
  using schema::required;
  using schema::Schema;
  auto name = [] { return required("name", Schema::string()); };
  static const schema::ObjectType assignment(
      "assignment", "A recorded assignment (USPTO Assignment Recordation).",
      {{"id", Schema::string("reel-frame"), "a.id", "37244-562"},
       {"reel", Schema::integer(), "a.reel", 37244},
       {"frame", Schema::integer(), "a.frame", 562},
       {"conveyance_type", Schema::string().one_of(patents::conveyance_type_names()), "a.conveyance_type", "assignment"},
       {"conveyance_text", Schema::string("As recorded."), "a.conveyance_text",
        "ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS)."},
       {"recorded_date", Schema::date(), "a.recorded_date", "2015-12-31"},
       {"page_count", Schema::integer().nullable(), "a.page_count", 3},
       {"correspondent_name", Schema::string().nullable(), "a.correspondent_name", "JOHN DOE"},
       schema::added_field("assignors",
                           Schema::array(Schema::object({name(), required("execution_date", Schema::date().nullable())})),
                           {{{"name", "SMITH, JANE"}, {"execution_date", "2015-12-18"}}}),
       schema::added_field("assignees", Schema::array(Schema::object({name()})), {{{"name", "EXAMPLE CORP."}}})});
  return assignment;
}

const schema::ObjectType& chain_of_title_object() {
  using schema::added_field;
  using schema::required;
  using schema::Schema;
  auto names = [] { return Schema::array(Schema::string()); };
  static const schema::ObjectType chain(
      "chain_of_title", "Owners over time.",
      {added_field("number", Schema::string(), "10000001"), added_field("complete", Schema::boolean(), true),
       added_field("current_owners", names(), {"EXAMPLE CORP."}), added_field("unassigned_inventors", names(), Json::array()),
       added_field("links",
                   Schema::array(Schema::object(
                       {required("assignment_id", Schema::string()), required("conveyance_type", Schema::string()),
                        required("recorded_date", Schema::date()), required("execution_date", Schema::date().nullable()),
                        required("assignors", names()), required("assignees", names()),
                        required("from_inventors", Schema::boolean()), required("breaks_chain", Schema::boolean())})),
                   {{{"assignment_id", "37244-562"},
                     {"conveyance_type", "assignment"},
                     {"recorded_date", "2015-12-31"},
                     {"execution_date", "2015-12-18"},
                     {"assignors", {"SMITH, JANE"}},
                     {"assignees", {"EXAMPLE CORP."}},
                     {"from_inventors", true},
                     {"breaks_chain", false}}})});
  return chain;
}

const schema::ObjectType& maintenance_object() {
  using schema::added_field;
  using schema::required;
  using schema::Schema;
  auto date = [] { return Schema::date().nullable(); };
  static const schema::ObjectType maintenance(
      "maintenance", "Maintenance-fee events and the status they add up to.",
      {added_field("number", Schema::string(), "4289713"),
       added_field("status", Schema::string().one_of({std::begin(patents::kStatuses), std::end(patents::kStatuses)}), "expired"),
       added_field("fees_paid", Schema::array(Schema::integer("4, 8 or 12 (years).")), {4, 8, 12}),
       added_field("next_fee_due", date(), nullptr), added_field("lapsed_on", date(), nullptr),
       added_field("expires_on", date(), "2001-01-05"),
       added_field("events",
                   Schema::array(Schema::object(
                       {required("date", Schema::date()), required("code", Schema::string()),
                        required("entity_status", Schema::string().one_of({std::begin(patents::kEntityStatuses),
                                                                           std::end(patents::kEntityStatuses)}))})),
                   {{{"date", "1985-03-06"}, {"code", "M170"}, {"entity_status", "Y"}}})});
  return maintenance;
}

namespace {

using schema::Schema;

// Backward: what this document cites, in its own order. Forward: the documents that cite it.
Task<http::Response> list_citations(RequestContext& context) {
  std::string number = canonical_number(context);
  bool forward = context.query.value("direction", "backward") == "forward";
  const Page& page = context.page;
  d1::Statement query;
  if (forward)
    query = items_query("SELECT " + item_columns(citation_object(), "c.citing_number AS citing_number, c.sequence AS sequence") +
                            " FROM citations c JOIN patents p ON p.number = c.citing_number WHERE c.cited_number = ?2 AND "
                            "c.cited_country = 'US' AND (?3 IS NULL OR (c.citing_number, c.sequence) > (?3, ?4)) "
                            "ORDER BY c.citing_number, c.sequence LIMIT ?1",
                        {page.limit + 1, number, page.after_at(0), page.after_at(1)});
  else
    query = items_query("SELECT " + item_columns(citation_object(), "c.sequence AS sequence") +
                            " FROM citations c LEFT JOIN patents p ON p.number = c.cited_number AND c.cited_country = 'US' "
                            "WHERE c.citing_number = ?2 AND (?3 IS NULL OR c.sequence > ?3) ORDER BY c.sequence LIMIT ?1",
                        {page.limit + 1, number, page.after_at(0)});
  auto [patent, citations] = co_await d1::batch({patent_exists(number), std::move(query)});
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  co_return items_response(context, citations.rows, [&](const Json& row) {
    return forward ? Json::array({row["citing_number"], row["sequence"]}) : Json::array({row["sequence"]});
  });
}

// The parties of the assignments a statement selects (its first column is the id), in order.
d1::Statement parties_of(const std::string& assignments_sql) {
  return {"SELECT assignment_id, role, name, execution_date FROM assignment_parties WHERE assignment_id IN (SELECT id FROM (" +
              assignments_sql + ")) ORDER BY assignment_id, role, sequence",
          {}};
}

Json assignment_json(const Json& row, const Json& parties) {
  Json out = assignment_object().render(row);
  out["assignors"] = Json::array();
  out["assignees"] = Json::array();
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
      "SELECT " + assignment_object().select_list() +
      " FROM assignments a WHERE a.id IN (SELECT assignment_id FROM assignment_properties WHERE "
      "patent_number = ?2) AND (?3 IS NULL OR (a.recorded_date, a.id) < (?3, ?4)) ORDER BY a.recorded_date DESC, a.id DESC "
      "LIMIT ?1";
  Json params = {page.limit + 1, number, page.after_at(0), page.after_at(1)};
  auto parties = parties_of(page_sql);
  parties.params = params;
  auto [patent, assignments, assignment_parties] =
      co_await d1::batch({patent_known(number), {page_sql, params}, std::move(parties)});
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  const Json& party_rows = assignment_parties.rows;
  co_return http::json_response(200, list_json(
                                         context, assignments.rows,
                                         [](const Json& row) {
                                           return Json::array({row["recorded_date"], row["id"]});
                                         },
                                         [&](const Json& row) { return assignment_json(row, party_rows); }));
}

constexpr int64_t kMaxChainLinks = 1000;

// The conveyance types that move title, as an SQL list: "'assignment', 'merger', …".
const std::string& title_transfer_types() {
  static const std::string list = [] {
    std::string out;
    for (const auto& type : patents::kConveyanceTypes)
      if (type.transfers_title) out += (out.empty() ? "'" : ", '") + std::string(type.name) + "'";
    return out;
  }();
  return list;
}

// Owners over time, from the assignments that move title, those recorded against its
// application before grant included; see wasm/patents/ownership.hpp and docs/rules.md.
Task<http::Response> get_ownership(RequestContext& context) {
  std::string number = canonical_number(context);
  std::string conveyances_sql =
      "SELECT a.id, a.conveyance_type, a.recorded_date FROM assignments a WHERE a.id IN (SELECT assignment_id FROM "
      "assignment_properties WHERE patent_number = ?1 UNION SELECT ap.assignment_id FROM patents p JOIN "
      "assignment_properties ap ON ap.application_number = p.application_number WHERE p.number = ?1) AND "
      "a.conveyance_type IN (" +
      title_transfer_types() + ") ORDER BY a.recorded_date, a.id LIMIT " + std::to_string(kMaxChainLinks);
  auto parties = parties_of(conveyances_sql);
  parties.params = {number};
  auto [patent, grant_owners, inventor_rows, conveyance_rows, conveyance_parties] = co_await d1::batch({
      patent_known(number),
      {"SELECT name_as_filed FROM patent_assignees WHERE patent_number = ?1 ORDER BY sequence", {number}},
      {"SELECT first_name, last_name FROM inventors WHERE patent_number = ?1 ORDER BY sequence", {number}},
      {conveyances_sql, {number}},
      std::move(parties),
  });
  if (patent.rows.empty()) co_return context.fail(errors::resource_missing("patent", number));
  std::vector<std::string> owners_at_grant;
  for (const auto& row : grant_owners.rows) owners_at_grant.push_back(row.value("name_as_filed", ""));
  std::vector<patents::PersonName> inventors;
  std::vector<std::string> inventor_names;  // as the grant spells them: "Timothy R. Segall"
  for (const auto& row : inventor_rows.rows) {
    const auto* given = string_field(row, "first_name");
    const auto* family = string_field(row, "last_name");
    inventors.push_back(patents::person_name(given ? *given : "", family ? *family : ""));
    inventor_names.push_back((given && !given->empty() ? *given + " " : "") + (family ? *family : ""));
  }
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
  auto chain = patents::chain_of_title(std::move(conveyances), std::move(owners_at_grant), inventors);
  Json links = Json::array();
  for (const auto& link : chain.links) {
    const auto& c = link.conveyance;
    links.push_back({{"assignment_id", c.id},
                     {"conveyance_type", c.type},
                     {"recorded_date", c.recorded_date},
                     {"execution_date", c.execution_date.empty() ? Json() : Json(c.execution_date)},
                     {"assignors", c.assignors},
                     {"assignees", c.assignees},
                     {"from_inventors", link.from_inventors},
                     {"breaks_chain", link.breaks_chain}});
  }
  Json unassigned = Json::array();
  for (size_t index : chain.unassigned_inventors) unassigned.push_back(inventor_names[index]);
  co_return http::json_response(200, {{"object", "chain_of_title"},
                                      {"number", number},
                                      {"complete", chain.complete},
                                      {"current_owners", chain.current_owners},
                                      {"unassigned_inventors", std::move(unassigned)},
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

}  // namespace

std::vector<Route> patent_record_routes() {
  auto paged = [](std::vector<schema::Parameter> more) { return page_parameters(with_number(std::move(more))); };
  return {
      {"GET",
       "/v1/patents/{number}/citations",
       list_citations,
       {.id = "listPatentCitations",
        .tag = "Patents",
        .summary = "List a patent's citations",
        .description = "`backward`: the documents this one cites, in its order. `forward`: the documents that cite it, by "
                       "number. `title` is the other document's, when it is in the database.",
        .parameters = paged({schema::query_param(
            "direction", Schema::string("Which way to follow citations.").one_of({"backward", "forward"}).fallback("backward"))}),
        .replies = {{200, "A page of citations.", list_of("Citation", "A page of citations."),
                     list_example(citation_object().example())}},
        .errors = {"invalid_cursor"},
        .rules = number_rules}},
      {"GET",
       "/v1/patents/{number}/assignments",
       list_assignments,
       {.id = "listPatentAssignments",
        .tag = "Patents",
        .summary = "List a patent's recorded assignments",
        .description = "Newest recorded first, with assignors (and when they signed) and assignees.",
        .parameters = paged({}),
        .replies = {{200, "A page of assignments.", list_of("Assignment", "A page of assignments."),
                     list_example(assignment_object().example())}},
        .errors = {"invalid_cursor"},
        .rules = number_rules}},
      {"GET",
       "/v1/patents/{number}/ownership",
       get_ownership,
       {.id = "getPatentOwnership",
        .tag = "Patents",
        .summary = "A patent's chain of title",
        .description = "Owners over time from the assignments that move title, those recorded against the application "
                       "included, in execution order. A link neither `from_inventors` nor from the previous owners "
                       "`breaks_chain`; `unassigned_inventors` never assigned; either makes `complete` false.",
        .parameters = with_number(),
        .replies = {{200, "The chain of title.", Schema::ref("ChainOfTitle"), chain_of_title_object().example()}},
        .rules = number_rules}},
      {"GET",
       "/v1/patents/{number}/maintenance",
       get_maintenance,
       {.id = "getPatentMaintenance",
        .tag = "Patents",
        .summary = "A patent's maintenance fees and status",
        .description = "Fee events oldest first, and the status they add up to: `in_force`, `lapsed` (a fee went unpaid "
                       "and the patent was not reinstated), `expired` (its statutory term ended) or `not_granted`. "
                       "`expires_on` is the statutory term, without term adjustments or disclaimers.",
        .parameters = with_number(),
        .replies = {{200, "Fee events and status.", Schema::ref("Maintenance"), maintenance_object().example()}},
        .rules = number_rules}},
  };
}

}  // namespace ptmc::api
