#include "bindings/native_host/host.hpp"

#include "wasm/app/entry.hpp"
#include "wasm/runtime/root_task.hpp"
#include "wasm/runtime/services.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

// The module's C ABI (wasm/app/exports.cpp), linked in-process.
extern "C" {
uint8_t* ptmc_alloc(uint32_t length);
void ptmc_configure(uint8_t* bytes, uint32_t length);
uint32_t ptmc_start(uint8_t* bytes, uint32_t length);
uint32_t ptmc_resume(uint32_t id, uint8_t* bytes, uint32_t length);
const uint8_t* ptmc_output(uint32_t id);
uint32_t ptmc_output_len(uint32_t id);
void ptmc_release(uint32_t id);
uint32_t ptmc_max_request_body();
}

namespace ptmc::native {
namespace {

Json ok(Json value = nullptr) { return {{"ok", true}, {"value", std::move(value)}}; }
Json failed(std::string error) { return {{"ok", false}, {"error", std::move(error)}}; }

[[noreturn]] void host_bug(const char* what) {
  std::fprintf(stderr, "native host: %s\n", what);
  std::abort();
}

void stop_on_contract_violation(const std::string& violation) {
  std::fprintf(stderr, "native host: response contract violation: %s\n", violation.c_str());
  std::abort();
}

// Copies an encoded frame into module memory, as the shim does.
std::pair<uint8_t*, uint32_t> to_module(std::string_view bytes) {
  uint8_t* buffer = ptmc_alloc(static_cast<uint32_t>(bytes.size()));
  if (!buffer) host_bug("the module could not allocate a frame");  // as the shim, which traps the instance
  std::memcpy(buffer, bytes.data(), bytes.size());
  return {buffer, static_cast<uint32_t>(bytes.size())};
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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
    case SQLITE_INTEGER: return sqlite3_column_int64(statement, column);
    case SQLITE_FLOAT: return sqlite3_column_double(statement, column);
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
    default: return nullptr;
  }
}

std::string next_etag(int64_t& counter) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(++counter));
  return buffer;
}

// One page of a sorted map's keys under the effect's prefix, after its cursor, as KV and R2
// page their listings. `render` gives an entry's JSON, or null to pass over it.
struct ListPage {
  Json items = Json::array();
  bool more = false;
  std::string cursor;
};

template <class Map, class Render>
ListPage list_page(const Map& map, const Json& effect, Render render) {
  std::string prefix = effect.value("prefix", "");
  auto limit = static_cast<size_t>(integer_field(effect, "limit").value_or(1000));
  std::string after = effect.value("cursor", "");
  ListPage page;
  for (auto it = map.lower_bound(after.empty() ? prefix : after); it != map.end(); ++it) {
    if (it->first.rfind(prefix, 0) != 0) break;
    if (it->first == after) continue;
    Json item = render(it->first, it->second);
    if (item.is_null()) continue;
    if (page.items.size() == limit) {
      page.more = true;
      break;
    }
    page.items.push_back(std::move(item));
    page.cursor = it->first;
  }
  if (!page.more) page.cursor.clear();
  return page;
}

Json object_info(const std::string& key, const R2Entry& entry) {
  return {{"key", key},
          {"size", entry.body.size()},
          {"etag", entry.etag},
          {"contentType", entry.content_type},
          {"uploaded", entry.uploaded_ms}};
}

}  // namespace

Host::Host() : Host(Options{}) {}

Host::Host(Options options) : options_(std::move(options)), random_state_(options_.seed | 1) {
  services::override_for_host({
      [this] { return now_ms; },
      [this](uint8_t* out, size_t length) {
        for (size_t i = 0; i < length; ++i) {  // xorshift64: reproducible, not secret
          random_state_ ^= random_state_ << 13;
          random_state_ ^= random_state_ >> 7;
          random_state_ ^= random_state_ << 17;
          out[i] = static_cast<uint8_t>(random_state_);
        }
      },
      [this](std::string_view line) {
        auto parsed = parse_json(line);
        logs.push_back(parsed ? *parsed : Json(std::string(line)));
      },
  });

  app::reset_isolate_state();
  wire::Frame configure;
  configure.meta["vars"] = Json::object();
  for (const auto& [name, value] : options_.vars) configure.meta["vars"][name] = value;
  auto [buffer, length] = to_module(wire::encode(configure));
  ptmc_configure(buffer, length);

  if (sqlite3_open(":memory:", &db_) != SQLITE_OK) host_bug("cannot open SQLite");
  sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);  // D1's default
  std::vector<std::filesystem::path> migrations;
  for (const auto& file : std::filesystem::directory_iterator(options_.migrations_dir))
    if (file.path().extension() == ".sql") migrations.push_back(file.path());
  std::sort(migrations.begin(), migrations.end());
  for (const auto& migration : migrations) {
    char* error = nullptr;
    if (sqlite3_exec(db_, read_file(migration).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::fprintf(stderr, "migration %s: %s\n", migration.c_str(), error ? error : "?");
      host_bug("migration failed");
    }
  }
}

Host::~Host() {
  services::override_for_host({});
  sqlite3_close(db_);
}

void Host::begin_scratch() {
  sqlite3_exec(db_, "SAVEPOINT scratch", nullptr, nullptr, nullptr);
  scratch_ = Scratch{kv, r2, queues, object_storage, now_ms, random_state_, message_counter_, etag_counter_};
}

void Host::end_scratch() {
  sqlite3_exec(db_, "ROLLBACK TO scratch; RELEASE scratch", nullptr, nullptr, nullptr);
  if (!scratch_) return;
  kv = std::move(scratch_->kv);
  r2 = std::move(scratch_->r2);
  queues = std::move(scratch_->queues);
  object_storage = std::move(scratch_->object_storage);
  now_ms = scratch_->now_ms;
  random_state_ = scratch_->random_state;
  message_counter_ = scratch_->message_counter;
  etag_counter_ = scratch_->etag_counter;
  scratch_.reset();
  logs.clear();
  effect_log.clear();
  effects.clear();
}

void Host::fail(std::string prefix, std::string message, int times, int after) {
  faults_.push_back({std::move(prefix), std::move(message), times, after});
}

std::optional<std::string> Host::injected_fault(const std::string& kind) {
  for (auto& rule : faults_) {
    if (rule.remaining == 0 || kind.rfind(rule.prefix, 0) != 0) continue;
    if (rule.after > 0) {
      --rule.after;
      continue;
    }
    if (rule.remaining > 0) --rule.remaining;
    return rule.message;
  }
  return std::nullopt;
}

wire::Frame Host::run(wire::Frame start) { return run_task(std::move(start), ""); }

wire::Frame Host::run(Task<wire::Frame> body) {
  RootTask task(std::move(body));
  task.start();
  return drive([&] { return std::string_view(task.output()); }, [&](const std::string& frame) { task.resume(frame); }, "");
}

wire::Frame Host::run_task(wire::Frame start, const std::string& object_key) {
  auto [buffer, length] = to_module(wire::encode(start));
  uint32_t id = ptmc_start(buffer, length);
  wire::Frame done = drive(
      [id] { return std::string_view(reinterpret_cast<const char*>(ptmc_output(id)), ptmc_output_len(id)); },
      [id](const std::string& frame) {
        auto [buffer, length] = to_module(frame);
        ptmc_resume(id, buffer, length);
      },
      object_key);
  ptmc_release(id);
  return done;
}

wire::Frame Host::drive(const std::function<std::string_view()>& output,
                        const std::function<void(const std::string&)>& resume, const std::string& object_key) {
  for (int round_trips = 0; round_trips < 100000; ++round_trips) {
    auto frame = wire::decode(output());
    if (!frame) host_bug("module wrote a malformed frame");
    if (frame->meta["state"] == "done") {
      last_round_trips = round_trips;
      return std::move(*frame);
    }
    wire::Frame results;
    Json entries = Json::array();
    for (Json& effect : frame->meta["effects"]) entries.push_back(execute(effect, *frame, results, object_key));
    results.meta["results"] = std::move(entries);
    resume(wire::encode(results));
  }
  host_bug("task never finished");
}

Json Host::execute(Json& effect, wire::Frame& request, wire::Frame& results, const std::string& object_key) {
  const auto* kind_field = string_field(effect, "kind");
  std::string kind = kind_field ? *kind_field : "";
  effect_log.push_back(kind);
  effects.push_back(effect);
  if (before_effect) before_effect(kind);
  if (auto fault = injected_fault(kind)) return failed(*fault);
  if (kind.rfind("d1.", 0) == 0) return d1_effect(kind, effect);
  if (kind.rfind("kv.", 0) == 0) return kv_effect(kind, effect, request, results);
  if (kind.rfind("r2.", 0) == 0) return r2_effect(kind, effect, request, results);
  if (kind.rfind("queue.", 0) == 0) return queue_effect(kind, effect);
  if (kind.rfind("do.", 0) == 0) return object_effect(kind, effect, request, results, object_key);
  if (kind == "fetch") return fetch_effect(effect, request, results);
  if (kind == "timer.sleep") {
    advance(integer_field(effect, "ms").value_or(0));
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

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

Json Host::d1_effect(const std::string& kind, const Json& effect) {
  if (kind == "d1.batch") {
    const Json& statements = effect.value("statements", Json());
    if (!statements.is_array()) return failed("D1_ERROR: statements must be an array");
    // One transaction: all or nothing, as env.DB.batch(). A savepoint, so that it nests in a
    // scratch transaction (begin_scratch) as it would be one of its own otherwise.
    sqlite3_exec(db_, "SAVEPOINT batch", nullptr, nullptr, nullptr);
    Json outputs = Json::array();
    for (const Json& statement : statements) {
      Json result = d1_statement(statement);
      if (!result["ok"].get<bool>()) {
        sqlite3_exec(db_, "ROLLBACK TO batch; RELEASE batch", nullptr, nullptr, nullptr);
        return result;
      }
      outputs.push_back(std::move(result["value"]));
    }
    sqlite3_exec(db_, "RELEASE batch", nullptr, nullptr, nullptr);
    return ok(std::move(outputs));
  }
  Json result = d1_statement(effect);
  if (!result["ok"].get<bool>()) return result;
  Json& value = result["value"];
  if (kind == "d1.first") return ok(value["results"].empty() ? Json() : value["results"][0]);
  if (kind == "d1.all") return result;
  if (kind == "d1.run") return ok(value["meta"]);
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::kv_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results) {
  const auto* key = string_field(effect, "key");
  if (kind == "kv.get") {
    if (!key) return failed("kv.get: missing key");
    auto it = kv.find(*key);
    if (it != kv.end() && it->second.expires_at_ms && *it->second.expires_at_ms <= now_ms) kv.erase(it), it = kv.end();
    if (it == kv.end()) return ok();
    Json entry = ok({{"metadata", it->second.metadata}});
    entry["body"] = results.add_blob(it->second.value);
    return entry;
  }
  if (kind == "kv.put") {
    auto value = request.take_blob(effect, "body");
    if (!key || !value) return failed("kv.put: missing key or value");
    auto ttl = integer_field(effect, "expirationTtl");
    if (ttl && *ttl < 60) return failed("KV PUT failed: 400 Invalid expiration_ttl of " + std::to_string(*ttl));
    kv[*key] = {std::move(*value), effect.value("metadata", Json()),
                ttl ? std::optional<int64_t>(now_ms + *ttl * 1000) : std::nullopt};
    return ok();
  }
  if (kind == "kv.delete") {
    if (!key) return failed("kv.delete: missing key");
    kv.erase(*key);
    return ok();
  }
  if (kind == "kv.list") {
    auto page = list_page(kv, effect, [&](const std::string& name, const KvEntry& entry) -> Json {
      if (entry.expires_at_ms && *entry.expires_at_ms <= now_ms) return nullptr;
      Json item = {{"name", name}};
      if (!entry.metadata.is_null()) item["metadata"] = entry.metadata;
      if (entry.expires_at_ms) item["expiration"] = *entry.expires_at_ms / 1000;
      return item;
    });
    Json value = {{"keys", std::move(page.items)}, {"list_complete", !page.more}};
    if (page.more) value["cursor"] = page.cursor;
    return ok(std::move(value));
  }
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::r2_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results) {
  const auto* key = string_field(effect, "key");
  if (kind == "r2.get" || kind == "r2.head") {
    if (!key) return failed(kind + ": missing key");
    auto it = r2.find(*key);
    if (it == r2.end()) return ok();
    Json info = object_info(*key, it->second);
    if (kind == "r2.head") return ok(std::move(info));
    const std::string& body = it->second.body;
    int64_t size = static_cast<int64_t>(body.size());
    int64_t offset = 0, length = size;
    if (effect.contains("range")) {
      const Json& range = effect["range"];
      if (auto suffix = integer_field(range, "suffix")) {
        length = std::min(*suffix, size);
        offset = size - length;
      } else {
        offset = integer_field(range, "offset").value_or(0);
        if (offset < 0 || offset > size) return failed("r2.get: range offset outside the object");
        length = std::min(integer_field(range, "length").value_or(size - offset), size - offset);
      }
    }
    info["rangeOffset"] = offset;
    Json entry = ok(std::move(info));
    entry["body"] = results.add_blob(body.substr(static_cast<size_t>(offset), static_cast<size_t>(length)));
    return entry;
  }
  if (kind == "r2.put") {
    auto body = request.take_blob(effect, "body");
    if (!key || !body) return failed("r2.put: missing key or body");
    R2Entry& entry = r2[*key];
    entry = {std::move(*body), next_etag(etag_counter_), effect.value("contentType", ""), now_ms};
    return ok(object_info(*key, entry));
  }
  if (kind == "r2.put_from_url") {  // through the outbound handler, as the shim through fetch()
    const auto* url = string_field(effect, "url");
    if (!key || !url) return failed("r2.put_from_url: missing key or url");
    if (!outbound) return failed("r2.put_from_url: network unreachable (no outbound handler set)");
    http::Response response = outbound({*url, "GET", {}, "", integer_field(effect, "timeoutMs").value_or(10000)});
    if (response.status != 200) return ok({{"status", response.status}});
    R2Entry& entry = r2[*key];
    entry = {std::move(response.body), next_etag(etag_counter_), "", now_ms};
    return ok({{"status", 200}, {"object", object_info(*key, entry)}});
  }
  if (kind == "r2.delete") {
    for (const Json& name : effect.value("keys", Json::array()))
      if (name.is_string()) r2.erase(name.get<std::string>());
    return ok();
  }
  if (kind == "r2.list") {
    auto page = list_page(r2, effect, [](const std::string& name, const R2Entry& entry) { return object_info(name, entry); });
    Json value = {{"objects", std::move(page.items)}, {"truncated", page.more}};
    if (page.more) value["cursor"] = page.cursor;
    return ok(std::move(value));
  }
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::queue_effect(const std::string& kind, const Json& effect) {
  const auto* binding = string_field(effect, "queue");
  if (!binding) return failed(kind + ": missing queue");
  auto enqueue = [&](const Json& message) {
    int64_t delay = integer_field(message, "delaySeconds").value_or(0);
    queues[*binding].push_back({"msg-" + std::to_string(++message_counter_), message.value("body", Json()), 0,
                                now_ms + delay * 1000});
  };
  if (kind == "queue.send") {
    enqueue(effect);
    return ok();
  }
  if (kind == "queue.sendBatch") {
    for (const Json& message : effect.value("messages", Json::array())) enqueue(message);
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::object_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results,
                         const std::string& object_key) {
  if (kind == "do.call") {
    const auto* binding = string_field(effect, "binding");
    const auto* name = string_field(effect, "name");
    const auto* path = string_field(effect, "path");
    if (!binding || !name || !path) return failed("do.call: missing binding, name or path");
    // As wrangler.toml's [[durable_objects.bindings]].
    static const std::map<std::string, std::string> kClasses = {{"SEQUENCER", "Sequencer"}, {"ENTITIES", "EntityRegistry"},
                                                                     {"FIREHOSE", "Firehose"}};
    auto class_name = kClasses.find(*binding);
    if (class_name == kClasses.end()) return failed("do.call: no Durable Object binding '" + *binding + "'");
    wire::Frame call;
    call.meta = {{"entry", "object.fetch"},
                 {"class", class_name->second},
                 {"method", effect.value("method", "GET")},
                 {"url", "https://object" + *path},
                 {"headers", effect.value("headers", Json::array())}};
    if (auto body = request.take_blob(effect, "body")) call.meta["body"] = call.add_blob(std::move(*body));
    wire::Frame answer = run_task(std::move(call), *binding + "/" + *name);
    if (answer.meta.contains("rejected")) return failed("do.call: object rejected the call");
    Json entry = ok({{"status", answer.meta["status"]}, {"headers", answer.meta["headers"]}});
    if (auto body = answer.take_blob(answer.meta, "body")) entry["body"] = results.add_blob(std::move(*body));
    return entry;
  }
  if (object_key.empty()) return failed(kind + ": storage is only reachable inside a Durable Object");
  auto& storage = object_storage[object_key];
  if (kind == "do.storage.get") {
    Json values = Json::object();
    for (const Json& key : effect.value("keys", Json::array()))
      if (key.is_string() && storage.count(key.get<std::string>())) values[key.get<std::string>()] = storage[key.get<std::string>()];
    return ok(std::move(values));
  }
  if (kind == "do.storage.put") {
    const Json& entries = effect.value("entries", Json());
    if (!entries.is_object()) return failed("do.storage.put: entries must be an object");
    for (const auto& [key, value] : entries.items()) storage[key] = value;
    return ok();
  }
  if (kind == "do.storage.delete") {
    for (const Json& key : effect.value("keys", Json::array()))
      if (key.is_string()) storage.erase(key.get<std::string>());
    return ok();
  }
  return failed("unknown effect kind '" + kind + "'");
}

Json Host::fetch_effect(const Json& effect, wire::Frame& request, wire::Frame& results) {
  if (!outbound) return failed("fetch: network unreachable (no outbound handler set)");
  auto headers = http::Headers::from_json(effect.value("headers", Json::array()));
  const auto* url = string_field(effect, "url");
  if (!url || !headers) return failed("fetch: malformed request");
  outbound::Request call{*url, effect.value("method", "GET"), std::move(*headers),
                         request.take_blob(effect, "body").value_or(""), integer_field(effect, "timeoutMs").value_or(10000),
                         integer_field(effect, "maxResponseBytes").value_or(0), effect.value("redirect", "") == "follow"};
  http::Response response = outbound(call);
  // As the shim: at most maxResponseBytes of the body; redirects are the handler's to answer.
  auto limit = static_cast<size_t>(std::max<int64_t>(0, integer_field(effect, "maxResponseBytes").value_or(0)));
  bool truncated = response.body.size() > limit;
  if (truncated) response.body.resize(limit);
  Json entry = ok({{"status", response.status}, {"headers", response.headers.to_json()}, {"truncated", truncated}});
  entry["body"] = results.add_blob(std::move(response.body));
  return entry;
}

ContractViolationHandler& contract_violation_handler() {
  static ContractViolationHandler handler = stop_on_contract_violation;
  return handler;
}

http::Response Host::fetch(std::string method, std::string target, http::Headers headers, std::string body) {
  wire::Frame start;
  start.meta = {{"entry", "fetch"},
                {"method", std::move(method)},
                {"url", "https://api.patomic.test" + target},
                {"headers", headers.to_json()}};
  // As the shim: a body over the module's limit is not handed over at all.
  if (body.size() > ptmc_max_request_body()) start.meta["body_too_large"] = true;
  else if (!body.empty()) start.meta["body"] = start.add_blob(std::move(body));
  wire::Frame done = run(std::move(start));
  for (const auto& violation : done.meta.value("contract_violations", Json::array()))
    contract_violation_handler()(violation.is_string() ? violation.get<std::string>() : violation.dump());
  auto status = integer_field(done.meta, "status");
  auto response_headers = http::Headers::from_json(done.meta.value("headers", Json()));
  if (!status || !response_headers) host_bug("fetch entry did not answer a response");
  http::Response response{static_cast<int>(*status), std::move(*response_headers), done.take_blob(done.meta, "body").value_or("")};
  if (done.meta.contains("stream")) {  // as the shim does: the bytes come from R2, if the version still matches
    const Json& stream = done.meta["stream"];
    auto found = r2.find(stream.value("key", ""));
    if (found == r2.end() || found->second.etag != stream.value("etag", "")) {
      response = {503, {}, R"({"error":{"code":"object_changed"}})"};
    } else {
      auto offset = static_cast<size_t>(stream.value("offset", int64_t(0)));
      auto length = static_cast<size_t>(stream.value("length", int64_t(0)));
      response.body = found->second.body.substr(std::min(offset, found->second.body.size()), length);
    }
  }
  return response;
}

Json Host::scheduled(std::string cron) {
  return run(wire::Frame{{{"entry", "scheduled"}, {"cron", std::move(cron)}, {"scheduledTime", now_ms}}, {}}).meta;
}

Json Host::deliver_queue(const std::string& queue) {
  auto& pending = queues[queue];
  Json messages = Json::array();
  for (auto& message : pending) {
    if (message.visible_at_ms > now_ms) continue;
    ++message.attempts;
    messages.push_back({{"id", message.id}, {"body", message.body}, {"attempts", message.attempts}, {"timestamp", now_ms}});
  }
  if (messages.empty()) return Json::array();
  Json decisions = run(wire::Frame{{{"entry", "queue"}, {"queue", queue}, {"messages", messages}}, {}}).meta["messages"];
  for (const Json& sent : messages) {
    std::string id = sent["id"];
    auto decision = std::find_if(decisions.begin(), decisions.end(), [&](const Json& d) { return d.value("id", "") == id; });
    auto message = std::find_if(pending.begin(), pending.end(), [&](const QueuedMessage& m) { return m.id == id; });
    // As the shim: a message the consumer did not answer for is retried, never dropped.
    bool acked = decision != decisions.end() && decision->value("action", "") == "ack";
    if (acked) {
      pending.erase(message);
    } else if (message->attempts > options_.max_retries) {
      queues[queue + "_DLQ"].push_back(*message);
      pending.erase(message);
    } else {
      message->visible_at_ms = now_ms + 1000 * (decision != decisions.end() ? integer_field(*decision, "delaySeconds").value_or(0) : 0);
    }
  }
  return decisions;
}

Json Host::query(const std::string& sql, Json params) {
  Json result = d1_statement({{"sql", sql}, {"params", std::move(params)}});
  if (!result["ok"].get<bool>()) {
    std::fprintf(stderr, "query failed: %s\n", result["error"].get<std::string>().c_str());
    host_bug("query failed");
  }
  return result["value"]["results"];
}

Json body_json(const http::Response& response) { return parse_json(response.body).value_or(Json()); }

}  // namespace ptmc::native
