// D1: SQL against the `DB` binding (SQLite semantics). batch() is one transaction.
#pragma once

#include "wasm/runtime/effect.hpp"

#include <functional>
#include <memory>
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

// What a statement sent with ride_along found: its rows, or why there are none.
struct Ride {
  bool boarded = false;
  std::optional<Rows> rows;  // once its trip came back, unless D1 failed
  std::string error;
};

// Sends `statement` in the running task's next round trip instead of one of its own, when that
// trip holds only D1 reads (a d1.first, d1.all or d1.batch of SELECTs): in one batch with the
// first of them, so one transaction, the statement first. A trip holding anything else waits
// while the statement goes alone first. `admit` sees its rows and says whether the task may see
// anything of the trip; when not, or when D1 failed, the task unwinds to the first catch_faults
// boundary set after this call, with a fault from `source`. When the task made no trip at all,
// `boarded` stays false: withdraw the rider (TaskContext::withdraw_rider) and send it yourself.
std::shared_ptr<Ride> ride_along(Statement statement, std::function<bool(const Rows&)> admit, std::string source);

}  // namespace ptmc::d1
