#include "bindings/native_host/host.hpp"

#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/runtime/step_frames.hpp"

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

enum class Binding { d1, kv, r2, queue, object, fetch, timer };

// The kinds this host runs, each with the binding that runs it: as worker-shim/effects.mjs's
// table, exactly the kinds of bindings/effect_kinds.hpp (tests/flow/bindings_test.cpp).
const std::map<std::string, Binding, std::less<>>& binding_of_kind() {
  namespace kind = effect_kind;
  static const std::map<std::string, Binding, std::less<>> table = {
      {kind::d1_first.name, Binding::d1},
      {kind::d1_all.name, Binding::d1},
      {kind::d1_run.name, Binding::d1},
      {kind::d1_batch.name, Binding::d1},
      {kind::kv_get.name, Binding::kv},
      {kind::kv_put.name, Binding::kv},
      {kind::r2_get.name, Binding::r2},
      {kind::r2_head.name, Binding::r2},
      {kind::r2_put.name, Binding::r2},
      {kind::r2_put_from_url.name, Binding::r2},
      {kind::r2_unpack.name, Binding::r2},
      {kind::r2_delete.name, Binding::r2},
      {kind::r2_list.name, Binding::r2},
      {kind::queue_send.name, Binding::queue},
      {kind::queue_send_batch.name, Binding::queue},
      {kind::do_call.name, Binding::object},
      {kind::do_storage_get.name, Binding::object},
      {kind::do_storage_put.name, Binding::object},
      {kind::do_storage_delete.name, Binding::object},
      {kind::fetch.name, Binding::fetch},
      {kind::timer_sleep.name, Binding::timer},
  };
  return table;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

  // Configuring starts the module's isolate afresh: each Host is a new isolate.
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

wire::Frame Host::run(wire::Frame start, const std::string& object_key) { return run_task(std::move(start), object_key); }

wire::Frame Host::run(Task<wire::Frame> body) {
  RootTask task(std::move(body));
  std::string output = wire::encode_step(task.start());
  auto resume = [&](const std::string& frame) {
    output = wire::encode_step(task.resume(wire::decode_results(frame, task.awaited_results())));
  };
  return drive([&] { return std::string_view(output); }, resume, "");
}

wire::Frame Host::run_task(wire::Frame start, const std::string& object_key) {
  auto [buffer, length] = to_module(wire::encode(start));
  uint32_t id = ptmc_start(buffer, length);
  wire::Frame done = drive([id] { return std::string_view(reinterpret_cast<const char*>(ptmc_output(id)), ptmc_output_len(id)); },
                           [id](const std::string& frame) {
                             auto [buffer, length] = to_module(frame);
                             ptmc_resume(id, buffer, length);
                           },
                           object_key);
  ptmc_release(id);
  return done;
}

wire::Frame Host::drive(const std::function<std::string_view()>& output, const std::function<void(const std::string&)>& resume,
                        const std::string& object_key) {
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
  auto binding = binding_of_kind().find(kind);
  if (binding == binding_of_kind().end()) return failed("unknown effect kind '" + kind + "'");
  switch (binding->second) {
    case Binding::d1:
      return d1_effect(kind, effect, results);
    case Binding::kv:
      return kv_effect(kind, effect, request, results);
    case Binding::r2:
      return r2_effect(kind, effect, request, results);
    case Binding::queue:
      return queue_effect(kind, effect);
    case Binding::object:
      return object_effect(kind, effect, request, results, object_key);
    case Binding::fetch:
      return fetch_effect(effect, request, results);
    case Binding::timer:
      advance(integer_field(effect, "ms").value_or(0));
      return ok();
  }
  host_bug("a kind without a binding");
}

std::vector<std::string> Host::effect_kinds() {
  std::vector<std::string> kinds;
  for (const auto& [kind, binding] : binding_of_kind()) kinds.emplace_back(kind);
  return kinds;
}

ContractViolationHandler& contract_violation_handler() {
  static ContractViolationHandler handler = stop_on_contract_violation;
  return handler;
}

http::Response Host::fetch(std::string method, std::string target, http::Headers headers, std::string body) {
  wire::Frame start = http::request_to_frame("fetch", std::move(method), "https://api.patomic.test" + target, headers);
  // As the shim: a body over the module's limit is not handed over at all.
  if (body.size() > ptmc_max_request_body()) start.meta["body_too_large"] = true;
  else if (!body.empty()) start.meta["body"] = start.add_blob(std::move(body));
  wire::Frame done = run(std::move(start));
  for (const auto& violation : done.meta.value("contract_violations", Json::array()))
    contract_violation_handler()(violation.is_string() ? violation.get<std::string>() : violation.dump());
  auto answered = http::response_from_frame(done);
  if (!answered) host_bug("fetch entry did not answer a response");
  http::Response response = std::move(*answered);
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
      message->visible_at_ms =
          now_ms + 1000 * (decision != decisions.end() ? integer_field(*decision, "delaySeconds").value_or(0) : 0);
    }
  }
  return decisions;
}

Json body_json(const http::Response& response) { return parse_json(response.body).value_or(Json()); }

}  // namespace ptmc::native
