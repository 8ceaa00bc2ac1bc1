#include "bindings/d1.hpp"

namespace ptmc::d1 {
namespace {

Json statement_json(Statement& statement) {
  return {{"sql", std::move(statement.sql)}, {"params", std::move(statement.params)}};
}

EffectRequest request(const char* kind, Statement& statement) {
  Json meta = statement_json(statement);
  meta["kind"] = kind;
  return {std::move(meta), std::nullopt};
}

std::optional<Meta> decode_meta(const Json& value) {
  if (!value.is_object()) return std::nullopt;
  Meta meta;
  meta.changes = integer_field(value, "changes").value_or(0);
  meta.last_row_id = integer_field(value, "last_row_id").value_or(0);
  meta.rows_read = integer_field(value, "rows_read").value_or(0);
  meta.rows_written = integer_field(value, "rows_written").value_or(0);
  return meta;
}

std::optional<Rows> decode_rows(Json& value) {
  if (!value.is_object()) return std::nullopt;
  auto results = value.find("results");
  auto meta = decode_meta(value.contains("meta") ? value["meta"] : Json::object());
  if (results == value.end() || !results->is_array() || !meta) return std::nullopt;
  for (const auto& row : *results)
    if (!row.is_object()) return std::nullopt;
  return Rows{std::move(*results), *meta};
}

Fault malformed(const char* kind) { return {kind, "malformed result from host"}; }

}  // namespace

Effect<std::optional<Json>> first(Statement statement) {
  return {request("d1.first", statement), [](EffectResult&& result) -> Outcome<std::optional<Json>> {
            if (result.value.is_null()) return std::optional<Json>{};
            if (!result.value.is_object()) return malformed("d1.first");
            return std::optional<Json>{std::move(result.value)};
          }};
}

Effect<Rows> all(Statement statement) {
  return {request("d1.all", statement), [](EffectResult&& result) -> Outcome<Rows> {
            auto rows = decode_rows(result.value);
            return rows ? Outcome<Rows>(std::move(*rows)) : malformed("d1.all");
          }};
}

Effect<Meta> run(Statement statement) {
  return {request("d1.run", statement), [](EffectResult&& result) -> Outcome<Meta> {
            auto meta = decode_meta(result.value);
            return meta ? Outcome<Meta>(*meta) : malformed("d1.run");
          }};
}

Effect<std::vector<Rows>> batch(std::vector<Statement> statements) {
  Json list = Json::array();
  for (auto& statement : statements) list.push_back(statement_json(statement));
  return {{{{"kind", "d1.batch"}, {"statements", std::move(list)}}, std::nullopt},
          [](EffectResult&& result) -> Outcome<std::vector<Rows>> {
            if (!result.value.is_array()) return malformed("d1.batch");
            std::vector<Rows> out;
            for (auto& entry : result.value) {
              auto rows = decode_rows(entry);
              if (!rows) return malformed("d1.batch");
              out.push_back(std::move(*rows));
            }
            return out;
          }};
}

}  // namespace ptmc::d1
