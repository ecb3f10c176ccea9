// formats/indicator_csv.cc — the indicator CSV reader (see indicator_csv.h for the rules).
#include "formats/indicator_csv.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

#include "formats/csv.h"

namespace trellis::formats {
namespace {

using analytics::SpcDay;
using analytics::SpcSeries;

std::string Where(std::string_view file, size_t line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}

std::string_view Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// A finite decimal number ("12", "-3.5", "+4", "1e3"); nullopt for anything else, including
// "nan", "inf", hex and trailing characters.
std::optional<double> ParseNumber(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string FormatNumber(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// Per-indicator reading state.
struct Pending {
  SpcSeries series;
  size_t last_line = 0;    // line of the previous row of this indicator
  size_t target_line = 0;  // line that set the target
};

}  // namespace

std::string IndicatorNameFromFileName(std::string_view file_name) {
  const size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) file_name = file_name.substr(0, dot);
  return file_name.empty() ? "indicator" : std::string(file_name);
}

Result<std::vector<SpcSeries>> ReadIndicatorCsv(std::string_view text, std::string_view file_name,
                                                IndicatorCsvOptions options) {
  CsvOptions csv_options;
  csv_options.skip_comments = false;  // an indicator name may start with '#'
  Result<CsvTable> parsed = ParseCsv(text, file_name, csv_options);
  if (!parsed.ok()) return parsed.status();
  const CsvTable& table = *parsed;
  constexpr std::string_view kExpected = "date,value[,target][,indicator]";
  for (size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    if (name != "date" && name != "value" && name != "target" && name != "indicator")
      return Status::InvalidArgument(Where(file_name, table.header_line) + "unknown column '" +
                                     name + "' (expected: " + std::string(kExpected) + ")");
    for (size_t k = 0; k < c; ++k)
      if (table.header[k] == name)
        return Status::InvalidArgument(Where(file_name, table.header_line) + "column '" + name +
                                       "' appears twice");
  }
  TRELLIS_RETURN_IF_ERROR(RequireColumns(table, file_name, {"date", "value"}));
  const size_t date_col = *table.Column("date");
  const size_t value_col = *table.Column("value");
  const std::optional<size_t> target_col = table.Column("target");
  const std::optional<size_t> indicator_col = table.Column("indicator");
  if (table.rows.empty())
    return Status::InvalidArgument(Where(file_name, table.header_line) +
                                   "no data rows after the header");

  std::vector<Pending> pending;
  std::unordered_map<std::string, size_t> index;  // indicator name → position in `pending`
  const std::string default_name = IndicatorNameFromFileName(file_name);
  for (const CsvRow& row : table.rows) {
    const std::string where = Where(file_name, row.line);
    if (row.fields.size() != table.header.size())
      return Status::InvalidArgument(where + "expected " + std::to_string(table.header.size()) +
                                     " fields, found " + std::to_string(row.fields.size()));
    std::string name = default_name;
    if (indicator_col) {
      name = std::string(Trim(row.fields[*indicator_col]));
      if (name.empty()) return Status::InvalidArgument(where + "field 'indicator': empty");
    }
    auto [it, inserted] = index.try_emplace(name, pending.size());
    if (inserted) {
      pending.emplace_back();
      pending.back().series.indicator = name;
    }
    Pending& p = pending[it->second];

    const std::string_view date_text = Trim(row.fields[date_col]);
    const std::optional<SpcDay> date = analytics::ParseIsoDate(date_text);
    if (!date)
      return Status::InvalidArgument(where + "field 'date': '" + std::string(date_text) +
                                     "' is not a valid date (YYYY-MM-DD)");
    if (!p.series.dates.empty() && *date <= p.series.dates.back()) {
      const std::string whose = indicator_col ? " of indicator '" + name + "'" : "";
      if (*date == p.series.dates.back())
        return Status::InvalidArgument(where + "field 'date': " + std::string(date_text) +
                                       " repeats the date on line " + std::to_string(p.last_line) +
                                       whose);
      return Status::InvalidArgument(
          where + "field 'date': " + std::string(date_text) + " is before " +
          analytics::FormatIsoDate(p.series.dates.back()) + " on line " +
          std::to_string(p.last_line) + whose + "; dates must be strictly increasing");
    }

    const std::string_view value_text = Trim(row.fields[value_col]);
    double value = std::nan("");
    if (value_text.empty()) {
      if (!options.allow_missing)
        return Status::InvalidArgument(where +
                                       "field 'value': missing value (--skip-missing drops "
                                       "such rows)");
    } else {
      const std::optional<double> v = ParseNumber(value_text);
      if (!v)
        return Status::InvalidArgument(where + "field 'value': '" + std::string(value_text) +
                                       "' is not a number");
      value = *v;
    }

    if (target_col) {
      const std::string_view target_text = Trim(row.fields[*target_col]);
      if (!target_text.empty()) {
        const std::optional<double> t = ParseNumber(target_text);
        if (!t)
          return Status::InvalidArgument(where + "field 'target': '" + std::string(target_text) +
                                         "' is not a number");
        if (p.series.target && *p.series.target != *t)
          return Status::InvalidArgument(
              where + "field 'target': " + FormatNumber(*t) + " differs from the target " +
              FormatNumber(*p.series.target) + " on line " + std::to_string(p.target_line) +
              "; an indicator has one target");
        if (!p.series.target) {
          p.series.target = *t;
          p.target_line = row.line;
        }
      }
    }
    p.series.dates.push_back(*date);
    p.series.values.push_back(value);
    p.last_line = row.line;
  }
  std::vector<SpcSeries> out;
  out.reserve(pending.size());
  for (Pending& p : pending) out.push_back(std::move(p.series));
  return out;
}

}  // namespace trellis::formats
