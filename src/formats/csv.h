// formats/csv.h — a small RFC 4180 CSV reader for the import formats (framework CSV, people,
// indicators). Hand-written rather than taken from a library because every error must name the
// physical line, UTF-8 must be validated with the line named, and a UTF-8 BOM and CRLF line
// ends must be accepted; Debian's libcsv gives none of that. The hot ratings reader of
// analytics has its own parallel parser (formats/ratings_csv.h). Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace trellis::formats {

struct CsvRow {
  size_t line = 0;  // 1-based physical line on which the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // first record, names trimmed of surrounding spaces
  size_t header_line = 0;
  std::vector<CsvRow> rows;  // records after the header

  // Column index of `name`, or nullopt.
  std::optional<size_t> Column(std::string_view name) const;
};

struct CsvOptions {
  // Skip records whose line is empty or starts with '#' (framework CSV does; others need not).
  bool skip_comments = true;
};

// Parses `text` (the whole file) read from `file_name` (used only in messages).
// A UTF-8 BOM is dropped; CRLF and LF line ends are accepted; blank lines are skipped.
// kInvalidArgument, message "FILE:LINE: …", on: invalid UTF-8, an unterminated quoted field, a
// character after a closing quote, an empty file (no header).
Result<CsvTable> ParseCsv(std::string_view text, std::string_view file_name,
                          CsvOptions options = {});

// Reads the whole file. kNotFound if it cannot be opened (message names the path and reason).
Result<std::string> ReadFileToString(const std::string& path);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends `field` as one CSV field (the writers of every CSV export): quoted, inner quotes
// doubled (RFC 4180), when it holds a comma, quote or line break, or when ParseCsv would
// otherwise change it on reading back: surrounding spaces or tabs (trimmed) and a leading '#'
// (a comment line when it starts a record).
void AppendCsvField(std::string_view field, std::string* out);
// The same, as a string.
std::string CsvField(std::string_view field);

// Checks that every name in `required` is a column of `table`; kInvalidArgument
// "FILE:LINE: missing column 'name' (expected: a,b,c)" otherwise.
Status RequireColumns(const CsvTable& table, std::string_view file_name,
                      const std::vector<std::string_view>& required);

}  // namespace trellis::formats
