// analytics/spc_date.h — calendar dates for SPC charts as day numbers (days since 1970-01-01),
// with strict ISO 8601 "YYYY-MM-DD" parsing and formatting. Used by analytics/spc (dates of
// points, messages), formats/indicator_csv (reading), formats/spc_json (writing) and the
// services' date fields (campaign windows, plan due dates).
// Header-only on purpose: formats/ reads and writes these dates without linking analytics.
// Proleptic Gregorian calendar (H. Hinnant's civil-date algorithms). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trellis::analytics {

// A calendar date as days since 1970-01-01 (negative before it).
using SpcDay = int32_t;

// True for Gregorian leap years (divisible by 4, except centuries not divisible by 400).
constexpr bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days in `month` (1..12) of `year`; 0 for a month outside 1..12.
constexpr int DaysInMonth(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Day number of a valid civil date (the caller checks validity).
constexpr SpcDay DaysFromCivil(int year, int month, int day) {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yoe = year - era * 400;                                               // [0, 399]
  const int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                          // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

constexpr CivilDate CivilFromDays(SpcDay z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{yoe + era * 400 + (m <= 2), m, d};
}

// Parses exactly "YYYY-MM-DD" (four-digit year 0001..9999, month 01..12, a day that exists in
// that month, leap years included). nullopt for anything else, including surrounding spaces.
constexpr std::optional<SpcDay> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int k = 0; k < lengths[p]; ++k) {
      const char c = s[starts[p] + k];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
    return std::nullopt;
  return DaysFromCivil(year, month, day);
}

// "YYYY-MM-DD" (years outside 0..9999 are printed with as many digits as they need).
inline std::string FormatIsoDate(SpcDay day) {
  const CivilDate c = CivilFromDays(day);
  std::string out;
  std::string y = std::to_string(c.year < 0 ? -c.year : c.year);
  if (c.year < 0) out += '-';
  if (y.size() < 4) out.append(4 - y.size(), '0');
  out += y;
  out += '-';
  out += static_cast<char>('0' + c.month / 10);
  out += static_cast<char>('0' + c.month % 10);
  out += '-';
  out += static_cast<char>('0' + c.day / 10);
  out += static_cast<char>('0' + c.day % 10);
  return out;
}

}  // namespace trellis::analytics
