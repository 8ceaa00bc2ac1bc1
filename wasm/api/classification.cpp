// /v1/cpc: the CPC scheme, one symbol with its ancestors and children. Reference data, the
// same for every organisation, so it may be cached publicly.
#include "bindings/d1.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/patents/cpc.hpp"

namespace ptmc::api {

using schema::Schema;

namespace {

constexpr int64_t kMaxChildren = 1000;

// A code's own fields, which its ancestors and children show too.
std::vector<schema::Field> own_fields() {
  return {{"symbol", Schema::string(), "symbol", "A01B1/02"},
          {"level", Schema::integer("0 for a main group, the dots of a subgroup; null above groups.").nullable(), "level", 1},
          {"title", Schema::string(), "title", "Spades; Shovels {(hand-operated dredgers E02F3/02)}"}};
}

Schema entry_schema() {
  std::vector<schema::Property> properties;
  for (const auto& field : own_fields()) properties.push_back(schema::required(field.name, field.schema));
  return Schema::object(std::move(properties));
}

}  // namespace

const schema::ObjectType& cpc_code_object() {
  using schema::added_field;
  static const schema::ObjectType code("cpc_code", "A CPC symbol in its hierarchy.", [] {
    auto fields = own_fields();
    fields.push_back(added_field("parents", Schema::array(entry_schema(), "Ancestors, the section first."),
                                 {{{"symbol", "A"}, {"level", nullptr}, {"title", "HUMAN NECESSITIES"}},
                                  {{"symbol", "A01"},
                                   {"level", nullptr},
                                   {"title", "AGRICULTURE; FORESTRY; ANIMAL HUSBANDRY; HUNTING; TRAPPING; FISHING"}},
                                  {{"symbol", "A01B1/00"}, {"level", 0}, {"title", "Hand tools"}}}));
    fields.push_back(added_field("children", Schema::array(entry_schema()), Json::array()));
    fields.push_back(added_field("children_truncated", Schema::boolean("More than 1000 children exist."), false));
    return fields;
  }());
  return code;
}

namespace {

// "A01B1/00" arrives as two path segments; sections, classes and subclasses as one.
std::string symbol_text(const RequestContext& context) {
  std::string text = context.query.value("symbol", "");
  if (const auto* subgroup = string_field(context.query, "subgroup")) text += "/" + *subgroup;
  return text;
}

void symbol_rules(const RequestContext& context, Violations& violations) {
  if (context.query.contains("symbol") && !patents::cpc_symbol(symbol_text(context)))
    violations.add("symbol", "is not a CPC symbol (such as H, H01, H01L or H01L21/02)");
}

// An ancestor or a child: the fields the code has of its own, without "object".
Json entry_json(const Json& row) {
  Json entry = cpc_code_object().render(row);
  entry.erase("object");
  return entry;
}

Task<http::Response> get_cpc(RequestContext& context) {
  std::string symbol = patents::cpc_symbol(symbol_text(context)).value_or("");
  auto [code, parents, children] = co_await d1::batch({
      {"SELECT " + cpc_code_object().select_list() + " FROM cpc_codes WHERE symbol = ?1", {symbol}},
      // Ancestors, the section first; the depth bound guards against a cycle in loaded data.
      {"WITH RECURSIVE up (symbol, level, title, parent, depth) AS (SELECT symbol, level, title, parent, 0 FROM cpc_codes "
       "WHERE symbol = ?1 UNION ALL SELECT c.symbol, c.level, c.title, c.parent, up.depth + 1 FROM cpc_codes c JOIN up ON "
       "c.symbol = up.parent WHERE up.depth < 32) SELECT " +
           cpc_code_object().select_list() + " FROM up WHERE depth > 0 ORDER BY depth DESC",
       {symbol}},
      {"SELECT " + cpc_code_object().select_list() + " FROM cpc_codes WHERE parent = ?1 ORDER BY symbol LIMIT ?2",
       {symbol, kMaxChildren + 1}},
  });
  if (code.rows.empty()) co_return context.fail(errors::resource_missing("CPC symbol", symbol));
  Json body = cpc_code_object().render(code.rows[0]);
  body["parents"] = Json::array();
  for (const auto& row : parents.rows) body["parents"].push_back(entry_json(row));
  body["children"] = Json::array();
  const Json& child_rows = children.rows;
  for (size_t i = 0; i < child_rows.size() && static_cast<int64_t>(i) < kMaxChildren; ++i)
    body["children"].push_back(entry_json(child_rows[i]));
  body["children_truncated"] = static_cast<int64_t>(child_rows.size()) > kMaxChildren;
  http::Response response = http::json_response(200, body);
  response.headers.set("cache-control", "public, max-age=86400");
  co_return response;
}

}  // namespace

std::vector<Route> classification_routes() {
  const Json example = cpc_code_object().example();
  auto operation = [&](std::string id, std::string summary, std::vector<schema::Parameter> parameters) {
    return schema::Operation{.id = std::move(id),
                             .tag = "Classification",
                             .summary = std::move(summary),
                             .description =
                                 "A CPC symbol with its title, its ancestors (the section first) and its "
                                 "children (up to 1000). Public reference data: `Cache-Control: public`.",
                             .parameters = std::move(parameters),
                             .replies = {{200, "The symbol.", Schema::ref("CpcCode"), example}},
                             .errors = {"resource_missing"},
                             .rules = symbol_rules};
  };
  auto symbol = [](const char* text) { return schema::path_param("symbol", Schema::string(text).length(1, 16)); };
  return {
      {"GET", "/v1/cpc/{symbol}", get_cpc, operation("getCpc", "A CPC section, class or subclass", {symbol("H, H01 or H01L.")})},
      {"GET", "/v1/cpc/{symbol}/{subgroup}", get_cpc,
       operation("getCpcGroup", "A CPC group",
                 {symbol("The part before the slash: H01L21."),
                  schema::path_param("subgroup", Schema::string("After the slash: 02.").length(2, 6))})},
  };
}

}  // namespace ptmc::api
