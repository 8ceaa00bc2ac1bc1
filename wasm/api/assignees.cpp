// /v1/assignees: canonical entities found by name, and their patents.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/patents/names.hpp"

namespace ptmc::api {

using schema::Schema;

const schema::ObjectType& assignee_object() {
  static const schema::ObjectType assignee(
      "assignee", "A canonical entity that owns patents.",
      {{"id", Schema::string("Canonical entity id."), "id", "ent_5f2a9c0d1e7b3a48"},
       {"name", Schema::string(), "name", "Frito-Lay North America, Inc."},
       {"normalized_name", Schema::string("The name as compared."), "normalized_name", "FRITO LAY NORTH AMERICA"},
       {"country", Schema::string().nullable(), "country", "US"}});
  return assignee;
}

namespace {

void query_rules(const RequestContext& context, Violations& violations) {
  const auto* q = string_field(context.query, "q");
  if (q && patents::normalize_name(*q).empty()) violations.add("q", "must contain a letter or a digit");
}

// Names that start with the normalised query ("frito-lay" finds "FRITO LAY NORTH AMERICA"),
// in name order: a prefix range on the unique index of normalized_name.
Task<http::Response> search_assignees(RequestContext& context) {
  std::string prefix = patents::normalize_name(context.query.value("q", ""));
  const Page& page = context.page;
  std::string end = prefix;
  end.back() = static_cast<char>(end.back() + 1);
  auto result = co_await d1::all(items_query("SELECT " + item_columns(assignee_object(), "normalized_name") +
                                                 " FROM assignees WHERE normalized_name >= ?2 AND normalized_name < ?3 "
                                                 "AND (?4 IS NULL OR normalized_name > ?4) ORDER BY normalized_name LIMIT ?1",
                                             {page.limit + 1, prefix, end, page.after_at(0)}));
  co_return items_response(context, result.rows, [](const Json& row) { return Json::array({row["normalized_name"]}); });
}

// The patents list, with the path's assignee as its filter.
Task<http::Response> list_assignee_patents(RequestContext& context) {
  std::string id = path_id(context);
  auto known = co_await d1::first({"SELECT id FROM assignees WHERE id = ?1", {id}});
  if (!known) co_return context.fail(errors::resource_missing("assignee", id));
  context.query["assignee"] = id;
  co_return co_await list_patents(context);
}

}  // namespace

std::vector<Route> assignee_routes() {
  auto patent_filters = patent_list_parameters(false);
  patent_filters.insert(patent_filters.begin(), schema::path_param("id", Schema::string("The assignee's id.").length(1, 64)));
  return {
      {"GET",
       "/v1/assignees",
       search_assignees,
       {.id = "searchAssignees",
        .tag = "Assignees",
        .summary = "Find assignees by name",
        .description = "Canonical entities whose normalised name starts with the normalised `q`: case, punctuation and "
                       "legal forms (Inc., Corp., GmbH, …) do not matter.",
        .parameters = page_parameters({schema::required_query_param(
            "q", Schema::string("A name or its beginning, in any case and punctuation.").length(1, 100).example("Frito-Lay"))}),
        .replies = {{200, "A page of assignees.", list_of("Assignee", "A page of assignees."),
                     list_example(assignee_object().example())}},
        .errors = {"invalid_cursor"},
        .rules = query_rules}},
      {"GET",
       "/v1/assignees/{id}/patents",
       list_assignee_patents,
       {.id = "listAssigneePatents",
        .tag = "Assignees",
        .summary = "List an assignee's patents",
        .description = "The same list, filters and sorts as `GET /v1/patents`, for one assignee.",
        .parameters = std::move(patent_filters),
        .replies = {{200, "A page of patents.", list_of("Patent", "A page of patents.")}},
        .errors = {"invalid_cursor"},
        .rules = patent_list_rules}},
  };
}

}  // namespace ptmc::api
