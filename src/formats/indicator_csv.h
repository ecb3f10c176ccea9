// formats/indicator_csv.h — reads the indicator CSV of DESIGN.md into SPC series:
// `date,value[,target][,indicator]`, ISO dates, one chart per indicator. Used by `trellis spc`
// and tests. Pure functions over strings; thread-safe. Every error names file, line and field:
// "indicator.csv:7: field 'value': 'abc' is not a number".
//
// Rules: the header names `date` and `value` and optionally `target` and `indicator` (in any
// order; any other column is an error, so a misspelt "Target" is not silently ignored).
// Without an `indicator` column the file is one indicator named after the file's stem
// ("beds.csv" → "beds"). With one, rows group by indicator in the file order of each name's
// first appearance; rows of different indicators may interleave.
#pragma once

#include <string_view>
#include <vector>

#include "analytics/spc.h"
#include "core/status.h"

namespace trellis::formats {

struct IndicatorCsvOptions {
  // false: an empty value is an error naming the line. true: the row is kept with a NaN value
  // so that analytics (SpcOptions::skip_missing) drops it and reports it.
  bool allow_missing = false;
};

// Parses `text`, read from `file_name` (used in messages and for the default indicator name).
// kInvalidArgument "FILE:LINE: …" on: a CSV syntax error; a missing `date` or `value` column;
// an unknown or repeated column; a row with the wrong number of fields; a date that is not a
// real calendar date in YYYY-MM-DD form; a date not strictly after the previous date of the
// same indicator; a value or target that is not a finite number; an empty value (unless
// allow_missing); an empty indicator name; a target that differs from an earlier target of the
// same indicator (empty target cells are allowed); a file with no data rows.
Result<std::vector<analytics::SpcSeries>> ReadIndicatorCsv(std::string_view text,
                                                           std::string_view file_name,
                                                           IndicatorCsvOptions options = {});

// The default indicator name for a file: its base name without the last extension
// ("data/beds.csv" → "beds"); "indicator" when that is empty.
std::string IndicatorNameFromFileName(std::string_view file_name);

}  // namespace trellis::formats
