// D1: SQL against the `DB` binding (SQLite semantics). batch() is one transaction.
#pragma once

#include "wasm/runtime/effect.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ptmc::d1 {

struct Statement {
  std::string sql;
  Json params = Json::array();  // scalars only: null, number, string
};

struct Meta {
  int64_t changes = 0;
  int64_t last_row_id = 0;
  int64_t rows_read = 0;
  int64_t rows_written = 0;
};

struct Rows {
  Json rows = Json::array();  // objects keyed by column name
  Meta meta;
};

Effect<std::optional<Json>> first(Statement statement);
Effect<Rows> all(Statement statement);
Effect<Meta> run(Statement statement);
Effect<std::vector<Rows>> batch(std::vector<Statement> statements);

}  // namespace ptmc::d1
