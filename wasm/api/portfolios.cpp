// /v1/portfolios: an organisation's watched patents. Every statement is scoped to the
// caller's organisation: another organisation's portfolio answers 404, as if it did not exist.
#include "bindings/d1.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/portfolios.hpp"
#include "wasm/patents/number.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc::api {

using schema::optional;
using schema::required;
using schema::Schema;

namespace {
constexpr const char* kExampleId = "pf_8c1d2e3f4a5b6c7d";
constexpr int64_t kExampleTime = 1795392000;
}  // namespace

const schema::ObjectType& portfolio_object() {
  static const schema::ObjectType portfolio(
      "portfolio", "An organisation's set of watched patents.",
      {{"id", Schema::string(), "p.id", kExampleId},
       {"name", Schema::string(), "p.name", "Competitor watch"},
       {"description", Schema::string().nullable(), "p.description", nullptr},
       {"patent_count", Schema::integer(), "(SELECT count(*) FROM portfolio_patents pp WHERE pp.portfolio_id = p.id)", 2},
       {"created_at", Schema::integer("Unix seconds."), "p.created_at", kExampleTime, &schema::kSeconds},
       {"updated_at", Schema::integer("Unix seconds."), "p.updated_at", kExampleTime, &schema::kSeconds}});
  return portfolio;
}

const schema::ObjectType& portfolio_patent_object() {
  static const schema::ObjectType entry(
      "portfolio_patent", "A patent in a portfolio.",
      {{"portfolio_id", Schema::string(), "pp.portfolio_id", kExampleId},
       {"number", Schema::string("Canonical."), "pp.patent_number", "D656296"},
       {"title", Schema::string(), "pt.title", "Ready to eat snack piece"},
       {"added_at", Schema::integer("Unix seconds."), "pp.added_at", kExampleTime, &schema::kSeconds}});
  return entry;
}

namespace {

Json portfolio_json(const Json& row) { return portfolio_object().render(row); }
Json entry_json(const Json& row) { return portfolio_patent_object().render(row); }

d1::Statement select_portfolio(const std::string& id, const std::string& org_id) {
  return {"SELECT " + portfolio_object().select_list() + " FROM portfolios p WHERE p.id = ?1 AND p.org_id = ?2", {id, org_id}};
}

Task<http::Response> create_portfolio(RequestContext& context) {
  std::string id = accounts::new_id("pf");
  int64_t now = services::now_ms();
  auto [inserted, portfolio] = co_await d1::batch({
      {"INSERT INTO portfolios (id, org_id, name, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
       {id, org_of(context), context.body.value("name", ""), context.body.value("description", Json()), now}},
      select_portfolio(id, org_of(context)),
  });
  co_return http::json_response(201, portfolio_json(portfolio.rows.at(0)));
}

Task<http::Response> list_portfolios(RequestContext& context) {
  const Page& page = context.page;
  auto result =
      co_await d1::all(items_query("SELECT " + item_columns(portfolio_object(), "p.created_at AS created_at, p.id AS id") +
                                       " FROM portfolios p WHERE p.org_id = ?2 AND (?3 IS NULL OR "
                                       "(p.created_at, p.id) < (?3, ?4)) ORDER BY p.created_at DESC, p.id DESC LIMIT ?1",
                                   {page.limit + 1, org_of(context), page.after_at(0), page.after_at(1)}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["created_at"], row["id"]}); });
}

Task<http::Response> get_portfolio(RequestContext& context) {
  std::string id = path_id(context);
  auto row = co_await d1::first(select_portfolio(id, org_of(context)));
  if (!row) co_return context.fail(errors::resource_missing("portfolio", id));
  co_return http::json_response(200, portfolio_json(*row));
}

// Only the members sent change; `description: null` clears it.
Task<http::Response> update_portfolio(RequestContext& context) {
  std::string id = path_id(context);
  const Json& body = context.body;
  auto [updated, portfolio] = co_await d1::batch({
      {"UPDATE portfolios SET name = CASE WHEN ?3 THEN ?4 ELSE name END, description = CASE WHEN ?5 THEN ?6 ELSE "
       "description END, updated_at = ?7 WHERE id = ?1 AND org_id = ?2",
       {id, org_of(context), body.contains("name") ? 1 : 0, body.value("name", Json()), body.contains("description") ? 1 : 0,
        body.value("description", Json()), services::now_ms()}},
      select_portfolio(id, org_of(context)),
  });
  if (portfolio.rows.empty()) co_return context.fail(errors::resource_missing("portfolio", id));
  co_return http::json_response(200, portfolio_json(portfolio.rows[0]));
}

Task<http::Response> delete_portfolio(RequestContext& context) {
  std::string id = path_id(context);
  auto [entries, portfolio] = co_await d1::batch({
      {"DELETE FROM portfolio_patents WHERE portfolio_id = (SELECT id FROM portfolios WHERE id = ?1 AND org_id = ?2)",
       {id, org_of(context)}},
      {"DELETE FROM portfolios WHERE id = ?1 AND org_id = ?2", {id, org_of(context)}},
  });
  if (portfolio.meta.changes == 0) co_return context.fail(errors::resource_missing("portfolio", id));
  co_return http::json_response(200, {{"object", "portfolio"}, {"id", id}, {"deleted", true}});
}

// The number comes in the body (add) or the path (remove).
void patent_number_rules(const RequestContext& context, Violations& violations) {
  const auto* number = string_field(context.body.is_object() ? context.body : context.query, "number");
  if (number && !patents::parse_us_number(*number))
    violations.add("number", "is not a US patent or publication number (such as 10,000,001 or D662395)");
}

std::string canonical(const std::string& text) {
  return patents::parse_us_number(text).value_or(patents::DocumentNumber{}).canonical;
}

d1::Statement select_entry(const std::string& id, const std::string& org_id, const std::string& number) {
  return {"SELECT " + portfolio_patent_object().select_list() +
              " FROM portfolio_patents pp "
              "JOIN portfolios p ON p.id = pp.portfolio_id JOIN patents pt ON pt.number = pp.patent_number "
              "WHERE pp.portfolio_id = ?1 AND p.org_id = ?2 AND pp.patent_number = ?3",
          {id, org_id, number}};
}

// 201 when added, 200 when it was there already: adding is safe to repeat.
Task<http::Response> add_portfolio_patent(RequestContext& context) {
  std::string id = path_id(context);
  std::string number = canonical(context.body.value("number", ""));
  auto [found, added, entry] = co_await d1::batch({
      {"SELECT (SELECT count(*) FROM portfolios WHERE id = ?1 AND org_id = ?2) AS portfolio, "
       "(SELECT count(*) FROM patents WHERE number = ?3) AS patent",
       {id, org_of(context), number}},
      {"INSERT INTO portfolio_patents (portfolio_id, patent_number, added_at) SELECT p.id, pt.number, ?4 FROM portfolios p, "
       "patents pt WHERE p.id = ?1 AND p.org_id = ?2 AND pt.number = ?3 ON CONFLICT DO NOTHING",
       {id, org_of(context), number, services::now_ms()}},
      select_entry(id, org_of(context), number),
  });
  const Json& counts = found.rows.at(0);
  if (counts.value("portfolio", 0) == 0) co_return context.fail(errors::resource_missing("portfolio", id));
  if (counts.value("patent", 0) == 0) co_return context.fail(errors::resource_missing("patent", number));
  co_return http::json_response(added.meta.changes == 1 ? 201 : 200, entry_json(entry.rows.at(0)));
}

Task<http::Response> list_portfolio_patents(RequestContext& context) {
  std::string id = path_id(context);
  const Page& page = context.page;
  auto [portfolio, entries] = co_await d1::batch({
      {"SELECT id FROM portfolios WHERE id = ?1 AND org_id = ?2", {id, org_of(context)}},
      items_query("SELECT " + item_columns(portfolio_patent_object(), "pp.patent_number AS number") +
                      " FROM portfolio_patents pp "
                      "JOIN patents pt ON pt.number = pp.patent_number JOIN portfolios p ON p.id = pp.portfolio_id "
                      "WHERE pp.portfolio_id = ?2 AND p.org_id = ?3 AND (?4 IS NULL OR pp.patent_number > ?4) "
                      "ORDER BY pp.patent_number LIMIT ?1",
                  {page.limit + 1, id, org_of(context), page.after_at(0)}),
  });
  if (portfolio.rows.empty()) co_return context.fail(errors::resource_missing("portfolio", id));
  co_return items_response(context, entries.rows, [](const Json& row) { return Json::array({row["number"]}); });
}

Task<http::Response> remove_portfolio_patent(RequestContext& context) {
  std::string id = path_id(context);
  std::string number = canonical(context.query.value("number", ""));
  auto result =
      co_await d1::run({"DELETE FROM portfolio_patents WHERE portfolio_id = (SELECT id FROM portfolios WHERE id = ?1 "
                        "AND org_id = ?2) AND patent_number = ?3",
                        {id, org_of(context), number}});
  if (result.changes == 0) co_return context.fail(errors::resource_missing("patent in this portfolio", number));
  co_return http::json_response(200,
                                {{"object", "portfolio_patent"}, {"portfolio_id", id}, {"number", number}, {"deleted", true}});
}

}  // namespace

std::vector<Route> portfolio_routes() {
  auto id = schema::path_param("id", Schema::string("The portfolio's id.").length(1, 64).example(kExampleId));
  auto name = Schema::string("A label for people.").length(1, 100).example("Competitor watch");
  auto description = Schema::string().length(0, 1000).nullable();
  const Json portfolio = portfolio_object().example();
  const Json entry = portfolio_patent_object().example();
  auto deleted = [](const char* object) {
    return Schema::object({required("object", Schema::string().one_of({object})), required("id", Schema::string()),
                           required("deleted", Schema::boolean())});
  };
  auto tag = "Portfolios";
  return {
      {"POST",
       "/v1/portfolios",
       create_portfolio,
       {.id = "createPortfolio",
        .tag = tag,
        .summary = "Create a portfolio",
        .body = Schema::object({required("name", name), optional("description", description)}),
        .replies = {{201, "The new portfolio.", Schema::ref("Portfolio"), portfolio}}},
       "portfolios:write"},
      {"GET",
       "/v1/portfolios",
       list_portfolios,
       {.id = "listPortfolios",
        .tag = tag,
        .summary = "List portfolios",
        .description = "Newest first.",
        .parameters = page_parameters(),
        .replies = {{200, "A page of portfolios.", list_of("Portfolio", "A page of portfolios.")}},
        .errors = {"invalid_cursor"}},
       "portfolios:read"},
      {"GET",
       "/v1/portfolios/{id}",
       get_portfolio,
       {.id = "getPortfolio",
        .tag = tag,
        .summary = "Retrieve a portfolio",
        .parameters = {id},
        .replies = {{200, "The portfolio.", Schema::ref("Portfolio"), portfolio}}},
       "portfolios:read"},
      {"PATCH",
       "/v1/portfolios/{id}",
       update_portfolio,
       {.id = "updatePortfolio",
        .tag = tag,
        .summary = "Update a portfolio",
        .description = "Only the members sent change; `description: null` clears it.",
        .parameters = {id},
        .body = Schema::object({optional("name", name), optional("description", description)}),
        .replies = {{200, "The portfolio.", Schema::ref("Portfolio"), portfolio}}},
       "portfolios:write"},
      {"DELETE",
       "/v1/portfolios/{id}",
       delete_portfolio,
       {.id = "deletePortfolio",
        .tag = tag,
        .summary = "Delete a portfolio",
        .description = "With its list of patents.",
        .parameters = {id},
        .replies = {{200, "Deleted.", deleted("portfolio"), {{"object", "portfolio"}, {"id", kExampleId}, {"deleted", true}}}}},
       "portfolios:write"},
      {"POST",
       "/v1/portfolios/{id}/patents",
       add_portfolio_patent,
       {.id = "addPortfolioPatent",
        .tag = tag,
        .summary = "Add a patent to a portfolio",
        .description = "201 when added, 200 when it was already there. The patent must be in the database.",
        .parameters = {id},
        .body = Schema::object({required("number", Schema::string("In any usual US form.").length(1, 40).example("D656296"))}),
        .replies = {{201, "Added.", Schema::ref("PortfolioPatent"), entry},
                    {200, "Already in the portfolio.", Schema::ref("PortfolioPatent"), entry}},
        .rules = patent_number_rules},
       "portfolios:write"},
      {"GET",
       "/v1/portfolios/{id}/patents",
       list_portfolio_patents,
       {.id = "listPortfolioPatents",
        .tag = tag,
        .summary = "List a portfolio's patents",
        .description = "By number.",
        .parameters = page_parameters({id}),
        .replies = {{200, "A page of the portfolio's patents.", list_of("PortfolioPatent", "A page of a portfolio's patents.")}},
        .errors = {"invalid_cursor"}},
       "portfolios:read"},
      {"DELETE",
       "/v1/portfolios/{id}/patents/{number}",
       remove_portfolio_patent,
       {.id = "removePortfolioPatent",
        .tag = tag,
        .summary = "Remove a patent from a portfolio",
        .parameters = {id, schema::path_param("number", Schema::string("In any usual US form.").length(1, 40))},
        .replies = {{200,
                     "Removed.",
                     Schema::object({required("object", Schema::string().one_of({"portfolio_patent"})),
                                     required("portfolio_id", Schema::string()), required("number", Schema::string()),
                                     required("deleted", Schema::boolean())}),
                     {{"object", "portfolio_patent"}, {"portfolio_id", kExampleId}, {"number", "D656296"}, {"deleted", true}}}},
        .rules = patent_number_rules},
       "portfolios:write"},
  };
}

}  // namespace ptmc::api
