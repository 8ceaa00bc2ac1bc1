// D1 on SQLite: statements, batches in one transaction, and D1's limits.
#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

#include <sqlite3.h>

namespace ptmc::native {
namespace {

bool bind_params(sqlite3_stmt* statement, const Json& params, std::string& error) {
  if (!params.is_array()) return error = "params must be an array", false;
  // D1 binds at most 100 values per statement; so does this host, so tests catch a bigger one.
  if (params.size() > 100) return error = "D1_ERROR: too many SQL variables (" + std::to_string(params.size()) + " > 100)", false;
  for (size_t i = 0; i < params.size(); ++i) {
    const Json& value = params[i];
    int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    if (value.is_null()) rc = sqlite3_bind_null(statement, index);
    else if (value.is_boolean()) rc = sqlite3_bind_int(statement, index, value.get<bool>() ? 1 : 0);
    else if (value.is_number_integer()) rc = sqlite3_bind_int64(statement, index, value.get<int64_t>());
    else if (value.is_number_float()) rc = sqlite3_bind_double(statement, index, value.get<double>());
    else if (value.is_string()) {
      const auto& text = value.get_ref<const std::string&>();
      rc = sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    } else {
      return error = "D1_TYPE_ERROR: unsupported parameter type at index " + std::to_string(i), false;
    }
    if (rc != SQLITE_OK) return error = "D1_ERROR: cannot bind parameter " + std::to_string(i), false;
  }
  return true;
}

Json column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return sqlite3_column_int64(statement, column);
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_TEXT:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, column)),
                         static_cast<size_t>(sqlite3_column_bytes(statement, column)));
    case SQLITE_BLOB: {
      // D1 hands blobs back as arrays of byte values.
      auto* bytes = static_cast<const uint8_t*>(sqlite3_column_blob(statement, column));
      Json out = Json::array();
      for (int i = 0; i < sqlite3_column_bytes(statement, column); ++i) out.push_back(bytes[i]);
      return out;
    }
    default:
      return nullptr;
  }
}

// As the shim: the texts of the statement's `lines` column leave its rows, to travel as the
// lines of the result's body.
bool take_lines(const Json& statement, Json& value, std::vector<std::string>& lines, std::string& error) {
  const auto* column = string_field(statement, "lines");
  if (!column) return true;
  for (Json& row : value["results"]) {
    Json& text = row[*column];
    if (!text.is_string() || text.get_ref<const std::string&>().find('\n') != std::string::npos)
      return error = "d1: column " + *column + " is not single-line text", false;
    lines.push_back(std::move(text.get_ref<std::string&>()));
    text = nullptr;
  }
  value["lines"] = *column;
  return true;
}

Json with_lines(Json entry, const std::vector<std::string>& lines, wire::Frame& results) {
  if (lines.empty()) return entry;
  std::string body;
  for (size_t i = 0; i < lines.size(); ++i) body += (i ? "\n" : "") + lines[i];
  entry["body"] = results.add_blob(std::move(body));
  return entry;
}

}  // namespace

Json Host::d1_statement(const Json& statement) {
  const auto* sql = string_field(statement, "sql");
  if (!sql) return failed("D1_ERROR: missing sql");
  sqlite3_stmt* prepared = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db_, sql->c_str(), static_cast<int>(sql->size()), &prepared, &tail) != SQLITE_OK)
    return failed(std::string("D1_ERROR: ") + sqlite3_errmsg(db_));
  std::string error;
  if (!bind_params(prepared, statement.value("params", Json::array()), error)) {
    sqlite3_finalize(prepared);
    return failed(error);
  }
  Json rows = Json::array();
  int rc;
  while ((rc = sqlite3_step(prepared)) == SQLITE_ROW) {
    Json row = Json::object();
    for (int column = 0; column < sqlite3_column_count(prepared); ++column)
      row[sqlite3_column_name(prepared, column)] = column_value(prepared, column);
    rows.push_back(std::move(row));
  }
  bool read_only = sqlite3_stmt_readonly(prepared);
  sqlite3_finalize(prepared);
  if (rc != SQLITE_DONE) return failed(std::string("D1_ERROR: ") + sqlite3_errmsg(db_));
  int64_t changes = read_only ? 0 : sqlite3_changes(db_);
  Json meta = {{"changes", changes},
               {"last_row_id", sqlite3_last_insert_rowid(db_)},
               {"rows_read", rows.size()},
               {"rows_written", changes}};
  return ok({{"results", std::move(rows)}, {"meta", std::move(meta)}});
}

Json Host::d1_effect(const std::string& kind, const Json& effect, wire::Frame& results) {
  std::vector<std::string> lines;
  std::string error;
  if (kind == effect_kind::d1_batch.name) {
    const Json& statements = effect.value("statements", Json());
    if (!statements.is_array()) return failed("D1_ERROR: statements must be an array");
    // One transaction: all or nothing, as env.DB.batch(). A savepoint, so that it nests in a
    // scratch transaction (begin_scratch) as it would be one of its own otherwise.
    sqlite3_exec(db_, "SAVEPOINT batch", nullptr, nullptr, nullptr);
    Json outputs = Json::array();
    for (const Json& statement : statements) {
      Json result = d1_statement(statement);
      if (result["ok"].get<bool>() && !take_lines(statement, result["value"], lines, error)) result = failed(error);
      if (!result["ok"].get<bool>()) {
        sqlite3_exec(db_, "ROLLBACK TO batch; RELEASE batch", nullptr, nullptr, nullptr);
        return result;
      }
      outputs.push_back(std::move(result["value"]));
    }
    sqlite3_exec(db_, "RELEASE batch", nullptr, nullptr, nullptr);
    return with_lines(ok(std::move(outputs)), lines, results);
  }
  Json result = d1_statement(effect);
  if (!result["ok"].get<bool>()) return result;
  Json& value = result["value"];
  if (kind == effect_kind::d1_first.name) return ok(value["results"].empty() ? Json() : value["results"][0]);
  if (kind == effect_kind::d1_all.name)
    return take_lines(effect, value, lines, error) ? with_lines(std::move(result), lines, results) : failed(error);
  if (kind == effect_kind::d1_run.name) return ok(value["meta"]);
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::query(const std::string& sql, Json params) {
  Json result = d1_statement({{"sql", sql}, {"params", std::move(params)}});
  if (!result["ok"].get<bool>()) {
    std::fprintf(stderr, "query failed: %s\n", result["error"].get<std::string>().c_str());
    host_bug("query failed");
  }
  return result["value"]["results"];
}

}  // namespace ptmc::native
