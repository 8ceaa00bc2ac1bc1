// Whether a US patent is in force, from its kind, dates and maintenance-fee events.
//
// Rules (35 U.S.C. 41(b), 154, 173): utility patents owe fees 3.5, 7.5 and 11.5 years after
// grant, payable without surcharge from 3 years, with a 6-month grace period; an unpaid fee
// ends the patent at 4, 8 or 12 years (USPTO event "EXP."), unless it is reinstated ("EXPX").
// Design and plant patents owe no maintenance fees. Terms: utility and plant patents end 20
// years after filing (for applications filed before 1995-06-08, the later of that and 17
// years after grant); design patents 15 years after grant (14 if filed before 2015-05-13).
// Patent term adjustments and terminal disclaimers are not modelled: expires_on is the
// statutory term.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc::patents {

// What the API says of a patent: maintenance_status()'s three answers, and not_granted for a
// document without a grant.
inline constexpr std::string_view kStatuses[] = {"in_force", "lapsed", "expired", "not_granted"};
// Who paid, as the USPTO's fee file says: N (large entity), Y (small), M (micro).
inline constexpr std::string_view kEntityStatuses[] = {"N", "Y", "M"};

struct FeeEvent {
  std::string date;  // YYYY-MM-DD
  std::string code;  // M1551, M2552, M170, EXP., EXPX, REM., ...
};

struct MaintenanceStatus {
  std::string status;                       // of kStatuses: in_force, lapsed (a fee went unpaid), expired (its term ended)
  std::vector<int> fees_paid;               // the fee years paid: 4, 8, 12
  std::optional<std::string> next_fee_due;  // the next fee's due date (no surcharge), if one is still owed
  std::optional<std::string> lapsed_on;     // the date of the expiry event, when lapsed
  std::optional<std::string> expires_on;    // the statutory end of term
};

// `number` is canonical ("D656296" for a design); dates are YYYY-MM-DD; `today` too.
// nullopt when the patent has no grant date (an application).
std::optional<MaintenanceStatus> maintenance_status(const std::string& number, const std::string& filing_date,
                                                    const std::string& grant_date, std::vector<FeeEvent> events,
                                                    const std::string& today);

// The UTC calendar date of a Unix time in milliseconds, YYYY-MM-DD.
std::string date_of(int64_t unix_ms);

// `date` plus whole months, clamped to the month's last day (2012-02-29 + 12 months = 2013-02-28).
std::string add_months(const std::string& date, int months);

}  // namespace ptmc::patents
