#include "bindings/d1.hpp"

#include "bindings/effect_kinds.hpp"

namespace ptmc::d1 {
namespace {

Json statement_json(Statement& statement) {
  Json out = {{"sql", std::move(statement.sql)}, {"params", std::move(statement.params)}};
  if (!statement.lines.empty()) out["lines"] = std::move(statement.lines);
  return out;
}

EffectRequest request(const EffectKind& kind, Statement& statement) { return {&kind, statement_json(statement), std::nullopt}; }

std::optional<Meta> decode_meta(const Json& value) {
  if (!value.is_object()) return std::nullopt;
  Meta meta;
  meta.changes = integer_field(value, "changes").value_or(0);
  meta.last_row_id = integer_field(value, "last_row_id").value_or(0);
  meta.rows_read = integer_field(value, "rows_read").value_or(0);
  meta.rows_written = integer_field(value, "rows_written").value_or(0);
  return meta;
}

// The lines of a result's body, in the order the statements that asked for them are answered.
class Lines {
 public:
  explicit Lines(const std::optional<std::string>& body)
      : rest_(body ? std::string_view(*body) : std::string_view()), more_(body) {}
  std::optional<std::string_view> next() {
    if (!more_) return std::nullopt;
    size_t end = rest_.find('\n');
    auto line = rest_.substr(0, end);
    more_ = end != std::string_view::npos;
    rest_.remove_prefix(more_ ? end + 1 : rest_.size());
    return line;
  }
  bool done() const { return !more_; }

 private:
  std::string_view rest_;
  bool more_;
};

// A statement's answer; a statement sent with `lines` gets that column of each row from `lines`.
std::optional<Rows> decode_rows(Json& value, Lines& lines) {
  if (!value.is_object()) return std::nullopt;
  auto results = value.find("results");
  auto meta = decode_meta(value.contains("meta") ? value["meta"] : Json::object());
  if (results == value.end() || !results->is_array() || !meta) return std::nullopt;
  const auto* column = string_field(value, "lines");
  for (auto& row : *results) {
    if (!row.is_object()) return std::nullopt;
    if (!column) continue;
    auto line = lines.next();
    if (!line) return std::nullopt;
    row[*column] = std::string(*line);
  }
  return Rows{std::move(*results), *meta};
}

}  // namespace

Effect<std::optional<Json>> first(Statement statement) {
  return {request(effect_kind::d1_first, statement), [](EffectResult&& result) -> Outcome<std::optional<Json>> {
            if (result.value.is_null()) return std::optional<Json>{};
            if (!result.value.is_object()) return malformed_result();
            return std::optional<Json>{std::move(result.value)};
          }};
}

Effect<Rows> all(Statement statement) {
  return {request(effect_kind::d1_all, statement), [](EffectResult&& result) -> Outcome<Rows> {
            Lines lines(result.body);
            auto rows = decode_rows(result.value, lines);
            return rows && lines.done() ? Outcome<Rows>(std::move(*rows)) : malformed_result();
          }};
}

Effect<Meta> run(Statement statement) {
  return {request(effect_kind::d1_run, statement), [](EffectResult&& result) -> Outcome<Meta> {
            auto meta = decode_meta(result.value);
            return meta ? Outcome<Meta>(*meta) : malformed_result();
          }};
}

namespace detail {

EffectRequest batch_request(std::span<Statement> statements) {
  Json list = Json::array();
  for (auto& statement : statements) list.push_back(statement_json(statement));
  return {&effect_kind::d1_batch, {{"statements", std::move(list)}}, std::nullopt};
}

Outcome<std::vector<Rows>> batch_results(EffectResult&& result, size_t count) {
  if (!result.value.is_array() || result.value.size() != count) return malformed_result();
  Lines lines(result.body);
  std::vector<Rows> out;
  for (auto& entry : result.value) {
    auto rows = decode_rows(entry, lines);
    if (!rows) return malformed_result();
    out.push_back(std::move(*rows));
  }
  if (!lines.done()) return malformed_result();
  return out;
}

}  // namespace detail

Effect<std::vector<Rows>> batch_list(std::vector<Statement> statements) {
  return {detail::batch_request(statements), [](EffectResult&& result) -> Outcome<std::vector<Rows>> {
            size_t count = result.value.is_array() ? result.value.size() : 0;  // as many as came: the caller iterates
            return detail::batch_results(std::move(result), count);
          }};
}

namespace {

bool is_select(const Json& statement) {
  const auto* sql = string_field(statement, "sql");
  if (!sql) return false;
  auto start = sql->find_first_not_of(" \t\r\n(");
  if (start == std::string::npos || sql->size() - start < 6) return false;
  for (size_t i = 0; i < 6; ++i)
    if (((*sql)[start + i] | 0x20) != "select"[i]) return false;
  return true;
}

bool is_read(const EffectRequest& request) {
  if (request.kind == &effect_kind::d1_first || request.kind == &effect_kind::d1_all) return is_select(request.meta);
  if (request.kind != &effect_kind::d1_batch) return false;
  const Json& statements = request.meta["statements"];
  bool reads = statements.is_array() && !statements.empty();
  for (const auto& statement : statements) reads = reads && is_select(statement);
  return reads;
}

// The carrier's result as its own kind answers it, from the batch results after the rider's.
std::optional<Json> carrier_value(const EffectKind* kind, Json& rest) {
  if (kind == &effect_kind::d1_batch) return std::move(rest);
  if (rest.size() != 1 || !rest[0].is_object()) return std::nullopt;
  if (kind == &effect_kind::d1_all) return std::move(rest[0]);
  const Json& rows = rest[0]["results"];
  if (!rows.is_array()) return std::nullopt;
  return rows.empty() ? Json() : rows[0];
}

}  // namespace

std::shared_ptr<Ride> ride_along(Statement statement, std::function<bool(const Rows&)> admit, std::string source) {
  auto ride = std::make_shared<Ride>();
  auto carrier_kind = std::make_shared<const EffectKind*>();  // null: it travels alone
  Rider rider;
  // It travels only with D1 reads, whose answers can be withheld without anything having
  // changed; with anything else it goes first.
  rider.board = [ride, carrier_kind,
                 statement = statement_json(statement)](std::vector<EffectRequest>& requests) -> std::optional<size_t> {
    for (const auto& request : requests)
      if (!is_read(request)) return std::nullopt;
    ride->boarded = true;
    if (requests.empty()) {
      requests.push_back({&effect_kind::d1_all, statement, std::nullopt});
      return 0;
    }
    EffectRequest& carrier = requests[0];
    *carrier_kind = carrier.kind;
    Json statements = Json::array({statement});
    if (carrier.kind == &effect_kind::d1_batch) {
      for (auto& each : carrier.meta["statements"]) statements.push_back(std::move(each));
    } else {
      statements.push_back(std::move(carrier.meta));
    }
    carrier = {&effect_kind::d1_batch, {{"statements", std::move(statements)}}, std::nullopt};
    return 0;
  };
  rider.alight = [ride, carrier_kind, admit = std::move(admit)](EffectResult& result) {
    auto fail = [&](std::string error) {
      ride->error = std::move(error);
      return false;
    };
    if (!result.ok) return fail(result.error);
    Json& value = result.value;
    bool alone = *carrier_kind == nullptr;
    if (!alone && (!value.is_array() || value.empty())) return fail(malformed_result().message);
    Lines none(std::nullopt);  // the rider's statement asks for no lines; the carrier's are the carrier's
    auto rows = decode_rows(alone ? value : value[0], none);
    if (!rows) return fail(malformed_result().message);
    ride->rows = std::move(*rows);
    if (!alone) {
      Json rest(value.begin() + 1, value.end());
      auto carried = carrier_value(*carrier_kind, rest);
      if (!carried) return fail(malformed_result().message);
      value = std::move(*carried);
    }
    return admit(*ride->rows);
  };
  rider.refusal = Fault{std::move(source), "refused"};
  current_task().set_rider(std::move(rider));
  return ride;
}

}  // namespace ptmc::d1
