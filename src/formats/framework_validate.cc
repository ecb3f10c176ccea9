// formats/framework_validate.cc — the invariants of model/framework.h, checked in document order
// so the first problem reported is the first one a reader of the file would meet.
#include "formats/framework_validate.h"

#include <map>
#include <utility>

#include "formats/framework_io.h"

namespace trellis::formats {
namespace {

using Kind = FrameworkNode::Kind;

FrameworkNode DomainNode(size_t d) {
  FrameworkNode n;
  n.kind = Kind::kDomain;
  n.domain = d;
  return n;
}
FrameworkNode CompetencyNode(size_t d, size_t c) {
  FrameworkNode n = DomainNode(d);
  n.kind = Kind::kCompetency;
  n.competency = c;
  return n;
}
FrameworkNode ItemNode(size_t d, size_t c, size_t i) {
  FrameworkNode n = CompetencyNode(d, c);
  n.kind = Kind::kItem;
  n.item = i;
  return n;
}
FrameworkNode IndexedNode(Kind kind, size_t index, std::string key = "") {
  FrameworkNode n;
  n.kind = kind;
  n.index = index;
  n.key = std::move(key);
  return n;
}

FrameworkIssue Issue(FrameworkNode node, std::string field, std::string message,
                     std::optional<FrameworkNode> first = std::nullopt) {
  return FrameworkIssue{std::move(node), std::move(field), std::move(message), std::move(first)};
}

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string ProfileName(const model::RoleProfile& p) {
  return std::string(model::LevelName(p.level)) + " × " +
         std::string(model::FunctionName(p.function));
}

std::optional<FrameworkIssue> CheckScale(const model::Scale& scale) {
  FrameworkNode node;
  node.kind = Kind::kScale;
  if (scale.min >= scale.max)
    return Issue(
        node, "min",
        "min " + std::to_string(scale.min) + " must be below max " + std::to_string(scale.max));
  // Widened so that extreme values cannot overflow the subtraction.
  if (static_cast<long long>(scale.max) - scale.min + 1 > kMaxScalePoints)
    return Issue(node, "max",
                 "a scale has at most " + std::to_string(kMaxScalePoints) + " points, " +
                     std::to_string(scale.min) + ".." + std::to_string(scale.max) + " has more");
  for (const auto& [score, label] : scale.labels) {
    if (score < scale.min || score > scale.max)
      return Issue(node, "labels",
                   "the label for " + std::to_string(score) + " is outside the scale " +
                       std::to_string(scale.min) + ".." + std::to_string(scale.max));
    if (IsBlank(label))
      return Issue(node, "labels", "the label for " + std::to_string(score) + " is empty");
  }
  return std::nullopt;
}

// Checks the domain → competency → item tree. Codes are unique per scope: domains among
// domains, competencies across the framework, items across the framework.
std::optional<FrameworkIssue> CheckTree(const model::Framework& f) {
  std::map<std::string, FrameworkNode> domain_codes, competency_codes, item_codes;
  for (size_t d = 0; d < f.domains.size(); ++d) {
    const model::Domain& domain = f.domains[d];
    FrameworkNode dn = DomainNode(d);
    if (IsBlank(domain.code)) return Issue(dn, "code", "a domain needs a code");
    if (auto [it, fresh] = domain_codes.emplace(domain.code, dn); !fresh)
      return Issue(dn, "code", "duplicate domain code '" + domain.code + "'", it->second);
    if (IsBlank(domain.title)) return Issue(dn, "title", "a domain needs a title");
    for (size_t c = 0; c < domain.competencies.size(); ++c) {
      const model::Competency& comp = domain.competencies[c];
      FrameworkNode cn = CompetencyNode(d, c);
      if (IsBlank(comp.code)) return Issue(cn, "code", "a competency needs a code");
      if (auto [it, fresh] = competency_codes.emplace(comp.code, cn); !fresh)
        return Issue(cn, "code", "duplicate competency code '" + comp.code + "'", it->second);
      if (IsBlank(comp.title)) return Issue(cn, "title", "a competency needs a title");
      for (size_t i = 0; i < comp.items.size(); ++i) {
        const model::Item& item = comp.items[i];
        FrameworkNode in = ItemNode(d, c, i);
        if (IsBlank(item.code)) return Issue(in, "code", "an item needs a code");
        if (auto [it, fresh] = item_codes.emplace(item.code, in); !fresh)
          return Issue(in, "code", "duplicate item code '" + item.code + "'", it->second);
        if (IsBlank(item.text)) return Issue(in, "text", "an item needs text");
      }
      if (comp.items.empty()) return Issue(cn, "items", "a competency needs at least one item");
    }
    if (domain.competencies.empty())
      return Issue(dn, "competencies", "a domain needs at least one competency");
  }
  if (f.domains.empty())
    return Issue(FrameworkNode{}, "domains", "a framework needs at least one domain");
  return std::nullopt;
}

std::optional<FrameworkIssue> CheckProfiles(const model::Framework& f) {
  std::map<std::pair<model::Level, model::Function>, size_t> seen;
  for (size_t p = 0; p < f.role_profiles.size(); ++p) {
    const model::RoleProfile& profile = f.role_profiles[p];
    FrameworkNode pn = IndexedNode(Kind::kProfile, p);
    if (auto [it, fresh] = seen.emplace(std::pair(profile.level, profile.function), p); !fresh)
      return Issue(pn, "function", "duplicate role profile " + ProfileName(profile),
                   IndexedNode(Kind::kProfile, it->second));
    for (const auto& [code, expectation] : profile.expectations) {
      if (f.FindCompetency(code) == nullptr)
        return Issue(pn, "expectations", "unknown competency '" + code + "'");
      FrameworkNode en = IndexedNode(Kind::kProfile, p, code);
      if (expectation.level < f.scale.min || expectation.level > f.scale.max)
        return Issue(en, "level",
                     std::to_string(expectation.level) + " is outside the scale " +
                         std::to_string(f.scale.min) + ".." + std::to_string(f.scale.max));
      if (expectation.importance < 1 || expectation.importance > 3)
        return Issue(en, "importance", std::to_string(expectation.importance) + " is outside 1..3");
    }
  }
  return std::nullopt;
}

std::optional<FrameworkIssue> CheckCrosswalk(const model::Framework& f) {
  for (size_t k = 0; k < f.crosswalk.size(); ++k) {
    const model::CrosswalkLink& link = f.crosswalk[k];
    FrameworkNode n = IndexedNode(Kind::kCrosswalk, k);
    if (IsBlank(link.origin_code)) return Issue(n, "origin", "a crosswalk link needs an origin");
    if (IsBlank(link.association_type)) return Issue(n, "type", "a crosswalk link needs a type");
    if (IsBlank(link.destination))
      return Issue(n, "destination", "a crosswalk link needs a destination");
  }
  return std::nullopt;
}

bool IsPlainKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string AppendJsonKey(std::string_view path, std::string_view key) {
  std::string out(path);
  if (IsPlainKey(key)) return out + "." + std::string(key);
  out += "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"]";
}

std::string JsonPathLocator::Path(const FrameworkNode& n) {
  auto idx = [](size_t i) { return "[" + std::to_string(i) + "]"; };
  switch (n.kind) {
    case Kind::kFramework:
      return "$";
    case Kind::kScale:
      return "$.scale";
    case Kind::kDomain:
      return "$.domains" + idx(n.domain);
    case Kind::kCompetency:
      return "$.domains" + idx(n.domain) + ".competencies" + idx(n.competency);
    case Kind::kItem:
      return "$.domains" + idx(n.domain) + ".competencies" + idx(n.competency) + ".items" +
             idx(n.item);
    case Kind::kProfile: {
      std::string p = "$.role_profiles" + idx(n.index);
      return n.key.empty() ? p : AppendJsonKey(p + ".expectations", n.key);
    }
    case Kind::kCrosswalk:
      return "$.crosswalk" + idx(n.index);
  }
  return "$";
}

std::string JsonPathLocator::Where(const FrameworkNode& node) const {
  return file_ + ": " + Path(node);
}

std::string JsonPathLocator::Reference(const FrameworkNode& node) const {
  return "at " + Path(node);
}

std::optional<FrameworkIssue> FindFrameworkIssue(const model::Framework& f) {
  if (IsBlank(f.code)) return Issue(FrameworkNode{}, "code", "a framework needs a code");
  if (IsBlank(f.title)) return Issue(FrameworkNode{}, "title", "a framework needs a title");
  if (f.version < 1)
    return Issue(FrameworkNode{}, "framework_version",
                 "the framework version must be at least 1, not " + std::to_string(f.version));
  if (auto issue = CheckScale(f.scale)) return issue;
  if (auto issue = CheckTree(f)) return issue;
  if (auto issue = CheckProfiles(f)) return issue;
  return CheckCrosswalk(f);
}

std::string FormatIssue(const FrameworkIssue& issue, const FrameworkLocator& locator) {
  std::string out = locator.Where(issue.node) + ": field '" +
                    locator.Field(issue.node, issue.field) + "': " + issue.message;
  if (issue.first) out += " (first " + locator.Reference(*issue.first) + ")";
  return out;
}

Status ValidateFramework(const model::Framework& framework, std::string_view file_name) {
  std::optional<FrameworkIssue> issue = FindFrameworkIssue(framework);
  if (!issue) return Status::Ok();
  return Status::InvalidArgument(FormatIssue(*issue, JsonPathLocator(file_name)));
}

}  // namespace trellis::formats
