// formats/csv.cc — RFC 4180 reader with line-accurate errors (see csv.h for why hand-written).
#include "formats/csv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace trellis::formats {
namespace {

std::string Where(std::string_view file, size_t line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::optional<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

Result<CsvTable> ParseCsv(std::string_view text, std::string_view file_name, CsvOptions options) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // Validate UTF-8 line by line so the error names the line.
  {
    size_t line = 1, start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '\n') {
        if (!IsValidUtf8(text.substr(start, i - start)))
          return Status::InvalidArgument(Where(file_name, line) + "invalid UTF-8 text");
        ++line;
        start = i + 1;
      }
    }
  }
  CsvTable table;
  std::vector<CsvRow> records;
  size_t i = 0, n = text.size(), line = 1;
  while (i < n) {
    // Skip blank and comment lines at record start.
    size_t eol = text.find('\n', i);
    size_t end = eol == std::string_view::npos ? n : eol;
    std::string_view raw = text.substr(i, end - i);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    bool blank = raw.find_first_not_of(" \t") == std::string_view::npos;
    if (blank || (options.skip_comments && raw.front() == '#')) {
      i = end + 1;
      ++line;
      continue;
    }
    CsvRow row;
    row.line = line;
    std::string field;
    bool done = false;
    while (!done) {
      field.clear();
      if (i < n && text[i] == '"') {
        size_t quote_line = line;
        ++i;
        while (true) {
          if (i >= n)
            return Status::InvalidArgument(Where(file_name, quote_line) +
                                           "unterminated quoted field (a '\"' is never closed)");
          char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
        // After a closing quote: separator, line end or end of input.
        if (i < n && text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')) ++i;
        if (i < n && text[i] != ',' && text[i] != '\n')
          return Status::InvalidArgument(
              Where(file_name, line) + "field " + std::to_string(row.fields.size() + 1) +
              ": unexpected character after a closing quote (quote the whole field and double "
              "any '\"' inside it)");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n') {
          if (text[i] == '"')
            return Status::InvalidArgument(
                Where(file_name, line) + "field " + std::to_string(row.fields.size() + 1) +
                ": a '\"' inside an unquoted field (quote the field and double the '\"')");
          field.push_back(text[i]);
          ++i;
        }
        if (!field.empty() && field.back() == '\r' && (i == n || text[i] == '\n')) field.pop_back();
      }
      row.fields.push_back(field);
      if (i >= n) {
        done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // '\n'
        ++i;
        ++line;
        done = true;
      }
    }
    records.push_back(std::move(row));
  }
  if (records.empty())
    return Status::InvalidArgument(std::string(file_name) + ":1: the file is empty (no header)");
  table.header_line = records.front().line;
  for (std::string& h : records.front().fields) table.header.push_back(Trim(h));
  records.erase(records.begin());
  table.rows = std::move(records);
  return table;
}

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status RequireColumns(const CsvTable& table, std::string_view file_name,
                      const std::vector<std::string_view>& required) {
  std::string expected;
  for (std::string_view r : required) {
    if (!expected.empty()) expected += ",";
    expected += r;
  }
  for (std::string_view r : required) {
    if (!table.Column(r))
      return Status::InvalidArgument(Where(file_name, table.header_line) + "missing column '" +
                                     std::string(r) + "' (expected: " + expected + ")");
  }
  return Status::Ok();
}

void AppendCsvField(std::string_view field, std::string* out) {
  const bool quote =
      field.find_first_of(",\"\r\n") != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                          field.back() == '\t' || field.front() == '#'));
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string CsvField(std::string_view field) {
  std::string out;
  AppendCsvField(field, &out);
  return out;
}

}  // namespace trellis::formats
