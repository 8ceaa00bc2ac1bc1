// The native host: runs the core in-process exactly as the JS shim runs it on workerd —
// through the module's C ABI and the wire format — with every binding implemented here:
// SQLite with the files in migrations/ (as D1), in-memory KV, R2, queues and Durable Object
// storage, a controllable clock, seeded randomness, captured logs and fault injection.
#pragma once

#include "bindings/fetch.hpp"
#include "wasm/http/frame_codec.hpp"
#include "wasm/http/message.hpp"
#include "wasm/runtime/task.hpp"
#include "wasm/runtime/wire.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace ptmc::native {

struct KvEntry {
  std::string value;
  Json metadata;
  std::optional<int64_t> expires_at_ms;
};

struct R2Entry {
  std::string body;
  std::string etag;
  std::string content_type;
  int64_t uploaded_ms = 0;
};

struct QueuedMessage {
  std::string id;
  Json body;
  int64_t attempts = 0;  // deliveries so far
  int64_t visible_at_ms = 0;
};

class Host {
 public:
  struct Options {
    // A test pepper, and PBKDF2 at its minimum so sanitized runs stay quick.
    std::map<std::string, std::string> vars = {{"ENVIRONMENT", "test"},
                                               {"PATOMIC_DEBUG_ROUTES", "true"},
                                               {"API_KEY_PEPPER", "native-host-test-pepper"},
                                               {"API_KEY_PBKDF2_ITERATIONS", "1000"}};
    std::string migrations_dir = PATOMIC_MIGRATIONS_DIR;
    int max_retries = 3;  // as wrangler.toml's consumer: then the dead-letter queue
    uint64_t seed = 42;
  };

  Host();
  explicit Host(Options options);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Entry points: each runs one task to completion, executing its effects as they come.
  http::Response fetch(std::string method, std::string target, http::Headers headers = {}, std::string body = {});
  Json scheduled(std::string cron);
  // Delivers every visible message of `queue` to the consumer and applies its answers.
  Json deliver_queue(const std::string& queue);

  // Runs any start frame to completion and returns the finished frame (for codec-level tests);
  // `object_key` ("BINDING/name") is the Durable Object whose storage the frame's task may use.
  wire::Frame run(wire::Frame start, const std::string& object_key = "");
  // Runs a task directly, without the module's entry dispatch (for binding-level tests).
  wire::Frame run(Task<wire::Frame> body);

  // The effect kinds this host runs.
  static std::vector<std::string> effect_kinds();

  // D1, for seeding and for assertions.
  Json query(const std::string& sql, Json params = Json::array());

  // The other bindings' state, open to tests.
  std::map<std::string, KvEntry> kv;
  std::map<std::string, R2Entry> r2;
  std::map<std::string, std::vector<QueuedMessage>> queues;           // by producer binding
  std::map<std::string, std::map<std::string, Json>> object_storage;  // by "BINDING/name"
  std::function<http::Response(const outbound::Request&)> outbound;   // unset: fetch fails
  // Called with each effect's kind just before the host runs it: a test can run another task
  // there (a cron tick between two of a job's batches), as concurrent isolates would.
  std::function<void(const std::string& kind)> before_effect;

  // For fuzzers: begin_scratch() marks the state of every binding (D1 by a savepoint, the others
  // by copy, and the clock and randomness), and end_scratch() puts it back, so each input runs
  // on the same state, as reproducible as the first, without the cost of a new host.
  void begin_scratch();
  void end_scratch();

  // Time and faults.
  int64_t now_ms = 1767225600000;  // 2026-01-01T00:00:00Z
  void advance(int64_t ms) { now_ms += ms; }
  // Effects whose kind starts with `prefix` fail `times` times (-1: until heal()).
  // The next `times` effects whose kind starts with `prefix` fail (-1: all), after `after` of them succeed.
  void fail(std::string prefix, std::string message = "injected fault", int times = -1, int after = 0);
  void heal() { faults_.clear(); }

  // Captured output: log lines as JSON, and every effect in the order it ran (its kind, and
  // its whole request).
  std::vector<Json> logs;
  std::vector<std::string> effect_log;
  std::vector<Json> effects;
  // Round trips of the last finished task (batches of effects handed to the host).
  int last_round_trips = 0;

 private:
  struct FaultRule {
    std::string prefix;
    std::string message;
    int remaining;
    int after;  // matching calls that still succeed before the faults start
  };

  wire::Frame run_task(wire::Frame start, const std::string& object_key);
  // Executes effect batches until the task's output says done.
  wire::Frame drive(const std::function<std::string_view()>& output, const std::function<void(const std::string&)>& resume,
                    const std::string& object_key);
  Json execute(Json& effect, wire::Frame& request, wire::Frame& results, const std::string& object_key);
  std::optional<std::string> injected_fault(const std::string& kind);

  Json d1_statement(const Json& statement);
  Json d1_effect(const std::string& kind, const Json& effect, wire::Frame& results);
  Json kv_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results);
  Json r2_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results);
  Json queue_effect(const std::string& kind, const Json& effect);
  Json object_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results,
                     const std::string& object_key);
  Json fetch_effect(const Json& effect, wire::Frame& request, wire::Frame& results);

  struct Scratch {
    std::map<std::string, KvEntry> kv;
    std::map<std::string, R2Entry> r2;
    std::map<std::string, std::vector<QueuedMessage>> queues;
    std::map<std::string, std::map<std::string, Json>> object_storage;
    int64_t now_ms;
    uint64_t random_state, message_counter;
    int64_t etag_counter;
  };

  Options options_;
  sqlite3* db_ = nullptr;
  std::optional<Scratch> scratch_;
  std::vector<FaultRule> faults_;
  uint64_t random_state_;
  uint64_t message_counter_ = 0;
  int64_t etag_counter_ = 0;
};

// Called with each way a response departs from its route's declaration (the core checks every
// one in native builds: wasm/reference/contract.hpp). By default the process stops, as for a
// host bug, so a fuzzer reports the input; the native tests fail the test that made the request.
using ContractViolationHandler = void (*)(const std::string& violation);
ContractViolationHandler& contract_violation_handler();

// The parsed JSON body of a response (null when it is not JSON).
Json body_json(const http::Response& response);

}  // namespace ptmc::native
