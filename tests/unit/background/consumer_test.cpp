// wasm/background: when a failed job is tried again.
#include "wasm/background/background.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("retry delays double from 10 s and stop at an hour", "[jobs]") {
  CHECK(background::retry_delay_seconds(1) == 10);
  CHECK(background::retry_delay_seconds(2) == 20);
  CHECK(background::retry_delay_seconds(9) == 2560);
  CHECK(background::retry_delay_seconds(10) == 3600);
  CHECK(background::retry_delay_seconds(1000) == 3600);
}
