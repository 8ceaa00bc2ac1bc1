// wasm/patents/maintenance: a patent's status from its fee events and its term.
#include "wasm/patents/maintenance.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

TEST_CASE("maintenance status follows the fee events and the statutory term", "[patents]") {
  using patents::maintenance_status;
  auto paid_all = maintenance_status("4289713", "1981-01-05", "1981-09-15",
                                     {{"1985-03-06", "M170"}, {"1988-11-07", "M171"}, {"1993-03-03", "M285"}}, "2026-11-23");
  REQUIRE(paid_all);
  CHECK(paid_all->status == "expired");
  CHECK(paid_all->fees_paid == std::vector<int>{4, 8, 12});
  CHECK(paid_all->expires_on == "2001-01-05");  // filed before 1995-06-08: the later of 20 from filing, 17 from grant

  auto unpaid =
      maintenance_status("4291808", "1980-12-12", "1981-09-29", {{"1985-10-31", "EXP."}, {"1985-08-12", "REM."}}, "2026-11-23");
  CHECK(unpaid->status == "lapsed");
  CHECK(unpaid->lapsed_on == "1985-10-31");

  auto young = maintenance_status("10000001", "2015-03-10", "2018-06-19", {{"2021-12-01", "M1551"}}, "2026-11-23");
  CHECK(young->status == "in_force");
  CHECK(young->fees_paid == std::vector<int>{4});
  CHECK(young->next_fee_due == "2025-12-19");  // 7.5 years after grant
  CHECK(young->expires_on == "2035-03-10");
  auto reinstated =
      maintenance_status("10000001", "2015-03-10", "2018-06-19", {{"2022-06-20", "EXP."}, {"2022-09-01", "EXPX"}}, "2026-11-23");
  CHECK(reinstated->status == "in_force");

  auto design = maintenance_status("D656296", "2010-12-16", "2012-03-27", {}, "2026-11-23");
  CHECK(design->status == "expired");
  CHECK(design->expires_on == "2026-03-27");  // 14 years: filed before 2015-05-13
  CHECK_FALSE(design->next_fee_due);          // designs owe no maintenance fees
  CHECK_FALSE(maintenance_status("20120123456", "2011-06-01", "", {}, "2026-11-23"));

  CHECK(patents::add_months("2012-02-29", 12) == "2013-02-28");
  CHECK(patents::add_months("2018-06-19", 90) == "2025-12-19");
  CHECK(patents::date_of(0) == "1970-01-01");
  CHECK(patents::date_of(951782400000) == "2000-02-29");
  CHECK(patents::date_of(1795392000000) == "2026-11-23");
  CHECK(patents::date_of(-86400000) == "1969-12-31");
}
