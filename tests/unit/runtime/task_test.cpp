// The coroutine runtime driven by hand, frame by frame, as a host would.
#include "bindings/d1.hpp"
#include "bindings/kv.hpp"
#include "wasm/runtime/step_frames.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

namespace {

struct Driver {
  RootTask task;
  wire::Frame output;

  explicit Driver(Task<wire::Frame> body) : task(std::move(body)) { output = *wire::decode(wire::encode_step(task.start())); }
  bool done() const { return output.meta["state"] == "done"; }
  const Json& effects() const { return output.meta["effects"]; }
  void answer(Json results, std::vector<std::string> blobs = {}) {
    auto frame = wire::encode(wire::Frame{{{"results", std::move(results)}}, std::move(blobs)});
    output = *wire::decode(wire::encode_step(task.resume(wire::decode_results(frame, task.awaited_results()))));
  }
};

Json ok(Json value = nullptr) { return {{"ok", true}, {"value", std::move(value)}}; }
Json failed(const char* error) { return {{"ok", false}, {"error", error}}; }

Task<int64_t> count_users() {
  auto row = co_await d1::first({"SELECT count(*) AS n FROM users"});
  co_return row ? (*row)["n"].get<int64_t>() : -1;
}

Task<wire::Frame> nested_then_parallel() {
  int64_t users = co_await count_users();
  auto [cached, listed] = co_await all(kv::get("a"), d1::all({"SELECT 1"}));
  co_return wire::Frame{{{"users", users}, {"cached", cached ? cached->bytes : ""}, {"rows", listed.rows.size()}}, {}};
}

Task<wire::Frame> guarded() {
  auto outcome = co_await catch_faults(count_users());
  co_return wire::Frame{{{"ok", outcome.ok()}, {"source", outcome.ok() ? "" : outcome.fault().source}}, {}};
}

Task<wire::Frame> checked() {
  auto outcome = co_await kv::get("k").checked();
  co_return wire::Frame{{{"ok", outcome.ok()}, {"error", outcome.ok() ? "" : outcome.fault().message}}, {}};
}

}  // namespace

TEST_CASE("a task suspends on each effect and all() batches several into one round trip", "[runtime]") {
  Driver driver(nested_then_parallel());
  REQUIRE_FALSE(driver.done());
  REQUIRE(driver.effects().size() == 1);
  CHECK(driver.effects()[0]["kind"] == "d1.first");
  driver.answer(Json::array({ok({{"n", 7}})}));

  REQUIRE(driver.effects().size() == 2);
  CHECK(driver.effects()[0]["kind"] == "kv.get");
  CHECK(driver.effects()[1]["kind"] == "d1.all");
  driver.answer(Json::array({{{"ok", true}, {"value", {{"metadata", nullptr}}}, {"body", 0}},
                             ok({{"results", Json::array({{{"1", 1}}})}, {"meta", Json::object()}})}),
                {"cached-bytes"});
  REQUIRE(driver.done());
  CHECK(driver.output.meta["users"] == 7);
  CHECK(driver.output.meta["cached"] == "cached-bytes");
  CHECK(driver.output.meta["rows"] == 1);
}

TEST_CASE("a failed effect unwinds to the nearest catch_faults", "[runtime]") {
  Driver driver(guarded());
  driver.answer(Json::array({failed("D1_ERROR: no such table")}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["ok"] == false);
  CHECK(driver.output.meta["source"] == "d1.first");
}

TEST_CASE("a host result of the wrong shape is a fault, not a crash", "[runtime]") {
  Driver driver(guarded());
  driver.answer(Json::array({ok("a string where a row belongs")}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["ok"] == false);
  CHECK(driver.output.meta["source"] == "d1.first");  // the decoder says malformed; the effect names itself
}

TEST_CASE("a results frame with the wrong count fails every pending effect", "[runtime]") {
  Driver driver(guarded());
  driver.answer(Json::array({ok(nullptr), ok(nullptr)}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["ok"] == false);
}

TEST_CASE("checked() hands the failure to the caller instead of faulting", "[runtime]") {
  Driver driver(checked());
  driver.answer(Json::array({failed("KV GET failed: 500")}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["ok"] == false);
  CHECK(driver.output.meta["error"] == "KV GET failed: 500");
}

TEST_CASE("many tasks interleave independently", "[runtime]") {
  Driver first(guarded());
  Driver second(guarded());
  second.answer(Json::array({ok({{"n", 2}})}));
  first.answer(Json::array({failed("boom")}));
  CHECK(second.output.meta["ok"] == true);
  CHECK(first.output.meta["ok"] == false);
}

// A statement riding with the next round trip (d1::ride_along, TaskContext::set_rider).
namespace {

Json batch_result(std::vector<Json> rows_per_statement) {
  Json value = Json::array();
  for (auto& rows : rows_per_statement) value.push_back({{"results", std::move(rows)}, {"meta", Json::object()}});
  return ok(std::move(value));
}

// A read with a statement riding along; the read uses .checked(), so only unwinding (not a
// delivered fault) can keep it from seeing a withheld result. Reports what each side saw.
Task<wire::Frame> read_with_rider(bool then_write) {
  auto ride = d1::ride_along(
      {"INSERT INTO counts (n) VALUES (1) RETURNING n"},
      [](const d1::Rows& rows) { return !rows.rows.empty() && rows.rows[0]["n"] == 1; }, "gate");
  auto outcome = co_await catch_faults([](bool write) -> Task<std::string> {
    if (write) co_await kv::put("k", "v");
    auto row = co_await d1::first({"SELECT name FROM users WHERE id = 1"}).checked();
    co_return row.ok() && *row ? (**row)["name"].get<std::string>() : std::string("(no row)");
  }(then_write));
  bool waiting = current_task().withdraw_rider();
  co_return wire::Frame{{{"read", outcome.ok() ? outcome.take() : "unwound: " + outcome.fault().source},
                         {"rider_rows", ride->rows ? ride->rows->rows.size() : 0},
                         {"waiting", waiting}},
                        {}};
}

}  // namespace

TEST_CASE("a rider travels in one batch with the next trip's D1 read, and the read gets its own answer", "[runtime]") {
  Driver driver(read_with_rider(false));
  REQUIRE(driver.effects().size() == 1);
  const Json& batch = driver.effects()[0];
  CHECK(batch["kind"] == "d1.batch");
  REQUIRE(batch["statements"].size() == 2);
  CHECK(batch["statements"][0]["sql"] == "INSERT INTO counts (n) VALUES (1) RETURNING n");
  CHECK(batch["statements"][1]["sql"] == "SELECT name FROM users WHERE id = 1");
  driver.answer(Json::array({batch_result({Json::array({{{"n", 1}}}), Json::array({{{"name", "ada"}}})})}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["read"] == "ada");
  CHECK(driver.output.meta["rider_rows"] == 1);
  CHECK(driver.output.meta["waiting"] == false);
}

TEST_CASE("a refused rider withholds the whole trip: the reader is destroyed unresumed, even a checked one", "[runtime]") {
  Driver driver(read_with_rider(false));
  driver.answer(Json::array({batch_result({Json::array({{{"n", 2}}}), Json::array({{{"name", "ada"}}})})}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["read"] == "unwound: gate");
  CHECK(driver.output.meta["rider_rows"] == 1);

  Driver failing(read_with_rider(false));
  failing.answer(Json::array({failed("D1_ERROR: busy")}));
  REQUIRE(failing.done());
  CHECK(failing.output.meta["read"] == "unwound: gate");
  CHECK(failing.output.meta["rider_rows"] == 0);
}

TEST_CASE("a trip that could change state waits while the rider goes first, alone", "[runtime]") {
  Driver driver(read_with_rider(true));
  REQUIRE(driver.effects().size() == 1);
  CHECK(driver.effects()[0]["kind"] == "d1.all");  // the rider alone; the kv.put waits
  driver.answer(Json::array({ok({{"results", Json::array({{{"n", 1}}})}, {"meta", Json::object()}})}));
  REQUIRE(driver.effects().size() == 1);
  CHECK(driver.effects()[0]["kind"] == "kv.put");  // admitted: the held trip goes as it was
  driver.answer(Json::array({ok()}));
  REQUIRE(driver.effects().size() == 1);
  CHECK(driver.effects()[0]["kind"] == "d1.first");  // the rider is off: no more merging
  driver.answer(Json::array({ok({{"name", "ada"}})}));
  REQUIRE(driver.done());
  CHECK(driver.output.meta["read"] == "ada");

  Driver refused(read_with_rider(true));
  refused.answer(Json::array({ok({{"results", Json::array()}, {"meta", Json::object()}})}));
  REQUIRE(refused.done());  // the put never went
  CHECK(refused.output.meta["read"] == "unwound: gate");
}

TEST_CASE("a rider the task never took on a trip is still waiting, to be sent by its owner", "[runtime]") {
  auto body = []() -> Task<wire::Frame> {
    auto ride = d1::ride_along(
        {"SELECT 1"}, [](const d1::Rows&) { return true; }, "gate");
    auto outcome = co_await catch_faults([]() -> Task<int> { co_return 1; }());
    co_return wire::Frame{{{"inner", *outcome}, {"waiting", current_task().withdraw_rider()}, {"boarded", ride->boarded}}, {}};
  };
  Driver driver(body());
  REQUIRE(driver.done());
  CHECK(driver.output.meta["waiting"] == true);
  CHECK(driver.output.meta["boarded"] == false);
}
