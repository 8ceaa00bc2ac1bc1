// D1: SQL against the `DB` binding (SQLite semantics). batch() is one transaction.
#pragma once

#include "wasm/runtime/effect.hpp"

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ptmc::d1 {

struct Statement {
  std::string sql;
  Json params = Json::array();  // scalars only: null, number, string
  // A column of single-line texts (a row's JSON, made by SQLite) that travels as lines of the
  // result's body instead of in its metadata: nothing re-encodes or parses it on the way.
  std::string lines = {};
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
// A batch of however many statements the caller has (rows of a file, minted keys).
Effect<std::vector<Rows>> batch_list(std::vector<Statement> statements);

namespace detail {
EffectRequest batch_request(std::span<Statement> statements);
// The results of a batch of `count` statements; another count is a malformed answer.
Outcome<std::vector<Rows>> batch_results(EffectResult&& result, size_t count);
}  // namespace detail

// A batch written out at its call, whose results are named where they are bound, one per
// statement in order, so no handler reads a result by its position or past the end:
//   auto [patent, inventors] = co_await d1::batch({patent_row(number), inventors_of(number)});
template <size_t N>
Effect<std::array<Rows, N>> batch(Statement (&&statements)[N]) {
  return {detail::batch_request(statements), [](EffectResult&& result) -> Outcome<std::array<Rows, N>> {
            auto rows = detail::batch_results(std::move(result), N);
            if (!rows.ok()) return rows.fault();
            std::array<Rows, N> named;
            std::move(rows->begin(), rows->end(), named.begin());
            return named;
          }};
}

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
