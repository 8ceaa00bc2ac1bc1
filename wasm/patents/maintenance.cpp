#include "wasm/patents/maintenance.hpp"

#include <algorithm>

namespace ptmc::patents {
namespace {

int digits(const std::string& text, size_t at, size_t count) {
  int value = 0;
  for (size_t i = at; i < at + count && i < text.size(); ++i) value = value * 10 + (text[i] - '0');
  return value;
}

std::string two(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

// Older payment codes: large entity M170/M171/M173 and M183–M185, small entity M283–M285, for
// the 4th, 8th and 12th year (M172 and others are surcharges or notices, not payments).
struct OldPayment {
  const char* code;
  int year;
};
constexpr OldPayment kOldPayments[] = {{"M170", 4},  {"M171", 8}, {"M173", 12}, {"M183", 4}, {"M184", 8},
                                       {"M185", 12}, {"M283", 4}, {"M284", 8},  {"M285", 12}};

// Which fee year a payment code settles, 0 for other events. New-style codes are M, the entity
// (1 large, 2 small, 3 micro), 55, then 1, 2 or 3 for the 4th, 8th or 12th year.
int fee_year(const std::string& code) {
  if (code.size() == 5 && code[0] == 'M' && code[1] >= '1' && code[1] <= '3' && code.substr(2, 2) == "55" && code[4] >= '1' &&
      code[4] <= '3')
    return 4 * (code[4] - '0');
  for (const auto& payment : kOldPayments)
    if (code == payment.code) return payment.year;
  return 0;
}

}  // namespace

std::string date_of(int64_t unix_ms) {
  // Days since 1970-01-01 to a civil date, counting in 400-year eras that start on March 1st
  // (so that the leap day ends a year).
  int64_t days = (unix_ms >= 0 ? unix_ms : unix_ms - 86'399'999) / 86'400'000 + 719'468;
  int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  int64_t day_of_era = days - era * 146'097;
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t shifted_month = (5 * day_of_year + 2) / 153;
  int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return std::to_string(year) + "-" + two(month) + "-" + two(day);
}

std::string add_months(const std::string& date, int months) {
  int year = digits(date, 0, 4), month = digits(date, 5, 2), day = digits(date, 8, 2);
  int total = year * 12 + (month - 1) + months;
  year = total / 12;
  month = total % 12 + 1;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  day = std::min(day, kDays[month - 1] + (month == 2 && leap ? 1 : 0));
  return std::to_string(year) + "-" + two(month) + "-" + two(day);
}

std::optional<MaintenanceStatus> maintenance_status(const std::string& number, const std::string& filing_date,
                                                    const std::string& grant_date, std::vector<FeeEvent> events,
                                                    const std::string& today) {
  if (grant_date.size() != 10) return std::nullopt;
  bool design = number.rfind("D", 0) == 0;
  bool plant = number.rfind("PP", 0) == 0;
  MaintenanceStatus result;
  if (design) {
    result.expires_on = add_months(grant_date, (!filing_date.empty() && filing_date < "2015-05-13" ? 14 : 15) * 12);
  } else if (filing_date.size() == 10) {
    std::string twenty = add_months(filing_date, 240);
    result.expires_on = filing_date < "1995-06-08" ? std::max(twenty, add_months(grant_date, 204)) : twenty;
  }

  std::sort(events.begin(), events.end(), [](const FeeEvent& a, const FeeEvent& b) { return a.date < b.date; });
  for (const auto& event : events) {
    if (int year = fee_year(event.code);
        year && std::find(result.fees_paid.begin(), result.fees_paid.end(), year) == result.fees_paid.end())
      result.fees_paid.push_back(year);
    if (event.code == "EXP.") result.lapsed_on = event.date;
    if (event.code == "EXPX") result.lapsed_on.reset();  // reinstated
  }
  std::sort(result.fees_paid.begin(), result.fees_paid.end());
  if (!design && !plant)
    for (int year : {4, 8, 12})
      if (std::find(result.fees_paid.begin(), result.fees_paid.end(), year) == result.fees_paid.end()) {
        result.next_fee_due = add_months(grant_date, year * 12 - 6);
        break;
      }
  if (result.lapsed_on) {  // ended early: more telling than the term it would have reached
    result.status = "lapsed";
    result.next_fee_due.reset();
  } else if (result.expires_on && today >= *result.expires_on) {
    result.status = "expired";
    result.next_fee_due.reset();
  } else {
    result.status = "in_force";
  }
  return result;
}

}  // namespace ptmc::patents
