// The typed bindings against the native host's implementations of D1, KV, R2 and queues:
// the semantics the JS shim must match on workerd (see tests/integration).
#include "bindings/d1.hpp"
#include "bindings/effect_kinds.hpp"
#include "bindings/kv.hpp"
#include "bindings/native_host/host.hpp"
#include "bindings/queue.hpp"
#include "bindings/r2.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace ptmc;
using native::Host;

namespace {

Task<wire::Frame> insert_then_conflict() {
  auto outcome = co_await d1::batch({
                                        {"INSERT INTO organisations (id, name, created_at) VALUES ('org_1', 'A', 1)"},
                                        {"INSERT INTO organisations (id, name, created_at) VALUES ('org_1', 'dup', 2)"},
                                    })
                     .checked();
  co_return wire::Frame{{{"ok", outcome.ok()}, {"error", outcome.ok() ? "" : outcome.fault().message}}, {}};
}

Task<wire::Frame> kv_round_trip() {
  co_await kv::put("short", "v1", {60, {{"etag", "x"}}});
  co_await kv::put("long", std::string("\x00\x01", 2));
  auto [short_value, missing] = co_await all(kv::get("short"), kv::get("absent"));
  co_return wire::Frame{{{"short", short_value->bytes}, {"metadata", short_value->metadata}, {"missing", missing.has_value()}},
                        {}};
}

Task<wire::Frame> kv_after_ttl() {
  auto value = co_await kv::get("short");
  auto bad_ttl = co_await kv::put("k", "v", {30, nullptr}).checked();
  co_return wire::Frame{{{"present", value.has_value()}, {"bad_ttl_ok", bad_ttl.ok()}}, {}};
}

Task<wire::Frame> r2_ranges() {
  auto stored = co_await r2::put("raw/us/file.xml", "0123456789", "application/xml");
  auto [whole, middle, tail, head, missing] =
      co_await all(r2::get("raw/us/file.xml"), r2::get("raw/us/file.xml", r2::Range{3, 4, {}}),
                   r2::get("raw/us/file.xml", r2::Range{{}, {}, 3}), r2::head("raw/us/file.xml"), r2::get("nope"));
  auto listing = co_await r2::list("raw/");
  co_await r2::remove({"raw/us/file.xml"});
  auto gone = co_await r2::head("raw/us/file.xml");
  co_return wire::Frame{{{"etag", stored.etag},
                         {"whole", whole->body},
                         {"middle", middle->body},
                         {"middle_offset", middle->range_offset},
                         {"tail", tail->body},
                         {"size", head->size},
                         {"type", head->content_type},
                         {"missing", missing.has_value()},
                         {"listed", listing.objects.size()},
                         {"gone", !gone.has_value()}},
                        {}};
}

Task<wire::Frame> queue_batch() {
  co_await queue::send_batch("JOBS", {{{{"n", 1}}, std::nullopt}, {{{"n", 2}}, 30}});
  co_return wire::Frame{};
}

}  // namespace

TEST_CASE("d1::batch is one transaction: a failing statement undoes the others", "[bindings]") {
  Host host;
  auto done = host.run(insert_then_conflict());
  CHECK(done.meta["ok"] == false);
  CHECK(done.meta["error"].get<std::string>().find("UNIQUE constraint failed") != std::string::npos);
  CHECK(host.query("SELECT count(*) AS n FROM organisations").at(0)["n"] == 0);
}

TEST_CASE("a batch answered with another count of results than its statements is malformed", "[bindings]") {
  Json one = {{"results", Json::array()}, {"meta", Json::object()}};
  CHECK(d1::detail::batch_results(EffectResult{true, Json::array({one, one}), std::nullopt, ""}, 2).ok());
  for (Json answer : {Json::array({one}), Json::array({one, one, one}), Json::object()}) {
    INFO(answer.dump());
    auto outcome = d1::detail::batch_results(EffectResult{true, answer, std::nullopt, ""}, 2);
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.fault().message == "malformed result from host");
  }
}

TEST_CASE("the native host runs exactly the effect kinds the bindings declare", "[bindings]") {
  std::vector<std::string> declared;
  for (const EffectKind* kind : effect_kind::kAll) declared.emplace_back(kind->name);
  std::sort(declared.begin(), declared.end());
  CHECK(std::adjacent_find(declared.begin(), declared.end()) == declared.end());  // each once
  CHECK(Host::effect_kinds() == declared);  // its dispatch table; the handlers compare against the same constants
}

TEST_CASE("kv stores bytes with metadata and expires them after their TTL", "[bindings]") {
  Host host;
  auto done = host.run(kv_round_trip());
  CHECK(done.meta["short"] == "v1");
  CHECK(done.meta["metadata"] == Json{{"etag", "x"}});
  CHECK(done.meta["missing"] == false);
  CHECK(host.kv.size() == 2);
  CHECK(host.kv["long"].value == std::string("\x00\x01", 2));
  host.advance(61'000);
  auto later = host.run(kv_after_ttl());
  CHECK(later.meta["present"] == false);
  CHECK(later.meta["bad_ttl_ok"] == false);  // KV refuses TTLs under 60 s
}

TEST_CASE("r2 serves whole objects, byte ranges and suffixes", "[bindings]") {
  Host host;
  auto done = host.run(r2_ranges());
  CHECK_FALSE(done.meta["etag"].get<std::string>().empty());
  CHECK(done.meta["whole"] == "0123456789");
  CHECK(done.meta["middle"] == "3456");
  CHECK(done.meta["middle_offset"] == 3);
  CHECK(done.meta["tail"] == "789");
  CHECK(done.meta["size"] == 10);
  CHECK(done.meta["type"] == "application/xml");
  CHECK(done.meta["missing"] == false);
  CHECK(done.meta["listed"] == 1);
  CHECK(done.meta["gone"] == true);
  CHECK(host.last_round_trips == 5);  // put, the five reads in one all(), list, remove, head
}

TEST_CASE("queue batches keep each message's delay", "[bindings]") {
  Host host;
  host.run(queue_batch());
  REQUIRE(host.queues["JOBS"].size() == 2);
  CHECK(host.queues["JOBS"][0].visible_at_ms == host.now_ms);
  CHECK(host.queues["JOBS"][1].visible_at_ms == host.now_ms + 30'000);
}
