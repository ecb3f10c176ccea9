// formats/framework_csv.cc — framework CSV: one row per indicator item,
// `domain_code,domain,competency_code,competency,item_code,item[,description]`, where
// `description` describes the row's competency. Rows of one domain or competency repeat its code
// and title; they must agree, and every message names the line where they first differed.
// Tokenising (quotes, BOM, CRLF, UTF-8, comment lines) is formats/csv.h's job.
#include <map>

#include "formats/csv.h"
#include "formats/framework_io.h"
#include "formats/framework_validate.h"

namespace trellis::formats {
namespace {

using Kind = FrameworkNode::Kind;

constexpr std::string_view kRequired[] = {"domain_code", "domain",    "competency_code",
                                          "competency",  "item_code", "item"};
constexpr std::string_view kDescription = "description";
constexpr std::string_view kExpected =
    "domain_code,domain,competency_code,competency,item_code,item[,description]";

std::string At(std::string_view file, size_t line) {
  return std::string(file) + ":" + std::to_string(line);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// "dir/my-framework.csv" → "my-framework".
std::string FileStem(std::string_view file_name) {
  size_t slash = file_name.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  return base.empty() ? "framework" : std::string(base);
}

// Physical lines where each node of the framework being built was first seen.
class CsvLocator : public FrameworkLocator {
 public:
  CsvLocator(std::string_view file, size_t header_line) : file_(file), header_line_(header_line) {}

  std::vector<size_t> domain_lines;
  std::vector<std::vector<size_t>> competency_lines;         // [domain][competency]
  std::vector<std::vector<std::vector<size_t>>> item_lines;  // [domain][competency][item]

  std::string Where(const FrameworkNode& n) const override { return At(file_, Line(n)); }
  std::string Reference(const FrameworkNode& n) const override {
    return "on line " + std::to_string(Line(n));
  }
  std::string Field(const FrameworkNode& n, std::string_view field) const override {
    switch (n.kind) {
      case Kind::kDomain:
        if (field == "code") return "domain_code";
        if (field == "title") return "domain";
        return std::string(field);
      case Kind::kCompetency:
        if (field == "code") return "competency_code";
        if (field == "title") return "competency";
        if (field == "items") return "item_code";
        return std::string(field);
      case Kind::kItem:
        if (field == "code") return "item_code";
        if (field == "text") return "item";
        return std::string(field);
      default:
        return std::string(field);
    }
  }

 private:
  size_t Line(const FrameworkNode& n) const {
    switch (n.kind) {
      case Kind::kDomain:
        return domain_lines[n.domain];
      case Kind::kCompetency:
        return competency_lines[n.domain][n.competency];
      case Kind::kItem:
        return item_lines[n.domain][n.competency][n.item];
      default:
        return header_line_;
    }
  }
  std::string file_;
  size_t header_line_;
};

struct CompetencySeen {
  size_t domain = 0, index = 0, line = 0, description_line = 0;
};

}  // namespace

Result<model::Framework> ReadFrameworkCsv(std::string_view text, std::string_view file_name) {
  Result<CsvTable> table = ParseCsv(text, file_name);
  if (!table.ok()) return table.status();
  for (const std::string& name : table->header) {
    bool known = name == kDescription;
    for (std::string_view r : kRequired) known = known || name == r;
    if (!known)
      return Status::InvalidArgument(At(file_name, table->header_line) + ": unknown column '" +
                                     name + "' (expected: " + std::string(kExpected) + ")");
  }
  TRELLIS_RETURN_IF_ERROR(
      RequireColumns(*table, file_name,
                     std::vector<std::string_view>(std::begin(kRequired), std::end(kRequired))));
  if (table->rows.empty())
    return Status::InvalidArgument(At(file_name, table->header_line) +
                                   ": the file has a header but no items");

  size_t col[6];
  for (size_t k = 0; k < 6; ++k) col[k] = *table->Column(kRequired[k]);
  std::optional<size_t> description_col = table->Column(kDescription);

  model::Framework f;
  f.code = FileStem(file_name);
  f.title = f.code;
  CsvLocator locator(file_name, table->header_line);
  std::map<std::string, size_t> domains;  // code → index
  std::map<std::string, CompetencySeen> competencies;

  for (const CsvRow& row : table->rows) {
    std::string where = At(file_name, row.line);
    if (row.fields.size() != table->header.size())
      return Status::InvalidArgument(where + ": expected " + std::to_string(table->header.size()) +
                                     " fields as in the header, found " +
                                     std::to_string(row.fields.size()));
    std::string v[6];
    for (size_t k = 0; k < 6; ++k) {
      v[k] = Trim(row.fields[col[k]]);
      if (v[k].empty())
        return Status::InvalidArgument(where + ": field '" + std::string(kRequired[k]) +
                                       "': a value is required");
    }
    const auto& [domain_code, domain_title, comp_code, comp_title, item_code, item_text] = v;
    std::string description = description_col ? Trim(row.fields[*description_col]) : "";

    auto [d_it, new_domain] = domains.emplace(domain_code, f.domains.size());
    if (new_domain) {
      f.domains.push_back(model::Domain{domain_code, domain_title, "", {}});
      locator.domain_lines.push_back(row.line);
      locator.competency_lines.emplace_back();
      locator.item_lines.emplace_back();
    } else if (f.domains[d_it->second].title != domain_title) {
      return Status::InvalidArgument(
          where + ": field 'domain': domain '" + domain_code + "' is titled '" +
          f.domains[d_it->second].title + "' on line " +
          std::to_string(locator.domain_lines[d_it->second]) + ", not '" + domain_title + "'");
    }
    size_t d = d_it->second;

    auto [c_it, new_comp] = competencies.emplace(comp_code, CompetencySeen{});
    CompetencySeen& seen = c_it->second;
    if (new_comp) {
      seen = {d, f.domains[d].competencies.size(), row.line, description.empty() ? 0 : row.line};
      f.domains[d].competencies.push_back(
          model::Competency{comp_code, comp_title, description, {}});
      locator.competency_lines[d].push_back(row.line);
      locator.item_lines[d].emplace_back();
    } else {
      model::Competency& comp = f.domains[seen.domain].competencies[seen.index];
      if (seen.domain != d)
        return Status::InvalidArgument(where + ": field 'domain_code': competency '" + comp_code +
                                       "' is in domain '" + f.domains[seen.domain].code +
                                       "' on line " + std::to_string(seen.line) + ", not '" +
                                       domain_code + "'");
      if (comp.title != comp_title)
        return Status::InvalidArgument(where + ": field 'competency': competency '" + comp_code +
                                       "' is titled '" + comp.title + "' on line " +
                                       std::to_string(seen.line) + ", not '" + comp_title + "'");
      // A description may be given on any one row of the competency (spreadsheet users tend to
      // fill only the first); rows that repeat it must agree.
      if (!description.empty()) {
        if (comp.description.empty()) {
          comp.description = description;
          seen.description_line = row.line;
        } else if (comp.description != description) {
          return Status::InvalidArgument(where + ": field 'description': competency '" + comp_code +
                                         "' has a different description on line " +
                                         std::to_string(seen.description_line));
        }
      }
    }
    f.domains[seen.domain].competencies[seen.index].items.push_back(
        model::Item{item_code, item_text});
    locator.item_lines[seen.domain][seen.index].push_back(row.line);
  }

  if (std::optional<FrameworkIssue> issue = FindFrameworkIssue(f))
    return Status::InvalidArgument(FormatIssue(*issue, locator));
  return f;
}

std::string WriteFrameworkCsv(const model::Framework& f) {
  bool with_description = false;
  for (const model::Domain& d : f.domains)
    for (const model::Competency& c : d.competencies)
      with_description = with_description || !c.description.empty();
  std::string out = "domain_code,domain,competency_code,competency,item_code,item";
  out += with_description ? ",description\n" : "\n";
  for (const model::Domain& d : f.domains) {
    for (const model::Competency& c : d.competencies) {
      for (const model::Item& i : c.items) {
        out += CsvField(d.code) + "," + CsvField(d.title) + "," + CsvField(c.code) + "," +
               CsvField(c.title) + "," + CsvField(i.code) + "," + CsvField(i.text);
        if (with_description) out += "," + CsvField(c.description);
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace trellis::formats
