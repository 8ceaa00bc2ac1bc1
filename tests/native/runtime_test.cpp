// The coroutine runtime driven by hand, frame by frame, as a host would.
#include "bindings/d1.hpp"
#include "bindings/kv.hpp"
#include "wasm/runtime/root_task.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

namespace {

struct Driver {
  RootTask task;
  wire::Frame output;

  explicit Driver(Task<wire::Frame> body) : task(std::move(body)) { output = *wire::decode(task.start()); }
  bool done() const { return output.meta["state"] == "done"; }
  const Json& effects() const { return output.meta["effects"]; }
  void answer(Json results, std::vector<std::string> blobs = {}) {
    output = *wire::decode(task.resume(wire::encode(wire::Frame{{{"results", std::move(results)}}, std::move(blobs)})));
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
