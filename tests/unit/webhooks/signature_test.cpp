// wasm/webhooks/signature (retry_delay_seconds) and delivery (its limits): when a failed delivery
// is tried again, and for how long.
#include "wasm/webhooks/delivery.hpp"
#include "wasm/webhooks/signature.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("retry delays double from the base, stay within 12 hours and ±20 %, and span over 3 days", "[webhooks]") {
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.5) == 60);
  CHECK(webhooks::retry_delay_seconds(2, 60, 0.5) == 120);
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.0) == 48);            // -20 %
  CHECK(webhooks::retry_delay_seconds(1, 60, 0.999) == 71);          // just under +20 %
  CHECK(webhooks::retry_delay_seconds(30, 60, 0.999) == 12 * 3600);  // never past a queue's longest delay
  for (double jitter : {0.0, 0.5, 0.999}) {
    int64_t total = 0;
    for (int64_t attempt = 1; attempt < webhooks::kMaxDeliveries; ++attempt)
      total += webhooks::retry_delay_seconds(attempt, 60, jitter);
    CHECK(total >= 3 * 24 * 3600);
    CHECK(total < webhooks::kDisableAfterMs / 1000);  // one event's retries end before its endpoint is disabled
  }
}
