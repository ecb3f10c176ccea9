// cli/framework_outline.cc — renders a framework as an indented outline and a profile table.
#include "cli/framework_outline.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "service/framework_service.h"

namespace trellis::cli {
namespace {

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string ShortLevel(model::Level level) { return level == model::Level::kStrategic ? "S" : "O"; }

// Role profiles as a table: rows are competencies, columns profiles ("S gen" = strategic ×
// generalist); a cell is "level/importance", "-" where the profile sets no expectation.
void WriteProfileTable(const model::Framework& f, std::ostringstream& out) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"competency"};
  for (const model::RoleProfile& p : f.role_profiles)
    header.push_back(ShortLevel(p.level) + " " + std::string(model::FunctionName(p.function)));
  rows.push_back(header);
  for (const model::Domain& d : f.domains) {
    for (const model::Competency& c : d.competencies) {
      std::vector<std::string> row = {c.code};
      for (const model::RoleProfile& p : f.role_profiles) {
        auto it = p.expectations.find(c.code);
        row.push_back(it == p.expectations.end() ? "-"
                                                 : std::to_string(it->second.level) + "/" +
                                                       std::to_string(it->second.importance));
      }
      rows.push_back(row);
    }
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  for (const auto& row : rows) {
    std::string line = "  ";
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : Pad(row[i], widths[i] + 2);
    out << line << "\n";
  }
}

std::string Count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Word-wraps `text` to `width` columns, each line starting with `indent`.
std::string Wrap(const std::string& text, const std::string& indent, size_t width) {
  std::istringstream words(text);
  std::string word, line, out;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

}  // namespace

std::string DescribeSize(const model::Framework& framework) {
  const service::FrameworkSize size = service::SizeOf(framework);
  return Count(size.domains, "domain", "domains") + ", " +
         Count(size.competencies, "competency", "competencies") + ", " +
         Count(size.items, "item", "items");
}

std::string FrameworkOutline(const storage::StoredFramework& stored) {
  const model::Framework& f = stored.framework;
  std::ostringstream out;
  out << f.code << " version " << f.version << ": " << f.title << "\n";
  out << "  stored " << stored.created_at << (stored.in_use ? ", in use" : "") << "\n";
  out << Wrap(f.description, "  ", 100);

  out << "\nScale " << f.scale.min << ".." << f.scale.max << "\n";
  for (int score = f.scale.min; score <= f.scale.max; ++score) {
    auto it = f.scale.labels.find(score);
    out << "  " << score << (it == f.scale.labels.end() ? "" : "  " + it->second) << "\n";
  }

  out << "\n" << DescribeSize(f) << "\n";
  for (const model::Domain& d : f.domains) {
    out << "  " << d.code << "  " << d.title << "\n";
    for (const model::Competency& c : d.competencies) {
      out << "    " << c.code << "  " << c.title << "\n";
      for (const model::Item& i : c.items) out << "      " << i.code << "  " << i.text << "\n";
    }
  }

  if (f.role_profiles.empty()) {
    out << "\nNo role profiles\n";
  } else {
    out << "\nRole profiles: expected level/importance (1 useful .. 3 essential); "
           "S strategic, O operational\n";
    WriteProfileTable(f, out);
  }
  if (!f.crosswalk.empty()) {
    out << "\nCrosswalk\n";
    for (const model::CrosswalkLink& l : f.crosswalk)
      out << "  " << l.origin_code << "  " << l.association_type << "  " << l.destination << "\n";
  }
  return out.str();
}

}  // namespace trellis::cli
