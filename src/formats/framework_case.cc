// formats/framework_case.cc — imports a CASE 1.1 CFPackage, from Trellis or from another tool.
// The hierarchy is the isChildOf tree (child = originNodeURI, parent = destinationNodeURI, the
// CFDocument being the root). Each CFItem becomes a domain, competency or indicator by its
// CFItemType (compared case-insensitively) or, when that is missing or foreign, by its place:
// a top-level node three or more levels deep is a domain, one two levels deep is a competency
// (gathered into one synthetic domain named after the framework), nodes under a domain are
// competencies, and everything under a competency is one of its indicators (deeper levels are
// flattened in document order). Siblings are ordered by the isChildOf sequenceNumber when given,
// else by CFItems order. Other association types become crosswalk links. Lenient about what
// Trellis does not need (unknown fields, missing uri or lastChangeDateTime); strict about what it
// does (identifiers, statements, links that resolve).
#include <algorithm>
#include <map>

#include "formats/framework_case_ids.h"
#include "formats/framework_io.h"
#include "formats/framework_validate.h"
#include "formats/json_fields.h"

namespace trellis::formats {
namespace {

using nlohmann::json;
using Kind = FrameworkNode::Kind;

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr int kMaxDepth = 64;  // bounds recursion on hostile input; real frameworks use 3–6
constexpr char kExtensionPath[] = "$.CFDocument.extensions.trellis";

enum class Role { kUnknown, kDomain, kCompetency, kIndicator };

struct CaseNode {
  size_t index = 0;  // position in CFItems
  std::string identifier, uri, statement, code, notes;
  Role declared = Role::kUnknown;
  std::string declared_name;          // CFItemType as written, for messages
  size_t parent = kNone;              // node index, or kNone for the document / no parent
  size_t parent_association = kNone;  // CFAssociations index of the isChildOf link
  std::optional<int> sequence;
  std::vector<size_t> children;
  int height = 0;  // levels in the subtree rooted here (a leaf is 1)
};

struct PendingLink {  // a non-hierarchy association, resolved once codes are known
  size_t association = 0;
  std::string type;
  size_t origin = kNone;  // node index; kNone = the CFDocument
  size_t destination = kNone;
  bool destination_is_document = false;
  std::string destination_identifier, destination_uri;
  std::optional<std::string> verbatim_origin, verbatim_destination;  // Trellis extension
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Role RoleFromType(const std::string& type) {
  std::string t = Lower(Trim(type));
  if (t == "domain") return Role::kDomain;
  if (t == "competency") return Role::kCompetency;
  if (t == "indicator") return Role::kIndicator;
  return Role::kUnknown;
}

// The ASCII letter for an accented Latin letter (é → e, ŵ → w), or 0. Covers Latin-1 and the
// Welsh circumflexed w and y, which is what partnership titles use in practice.
char Unaccent(uint32_t cp) {
  static constexpr char kLatin1[] =  // U+00C0 … U+00FF
      "AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp == 0x174 || cp == 0x175) return 'w';
  if (cp == 0x176 || cp == 0x177) return 'y';
  return 0;
}

// "Integrated Care Leadership" → "integrated-care-leadership", "Équipe" → "equipe"; empty when
// nothing is left. The input is valid UTF-8 (the JSON parser checked it).
std::string Slug(const std::string& title) {
  std::string out;
  for (size_t i = 0; i < title.size() && out.size() < 48;) {
    unsigned char c = static_cast<unsigned char>(title[i]);
    uint32_t cp = c;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    if (len == 2 && i + 1 < title.size()) cp = ((c & 0x1F) << 6) | (title[i + 1] & 0x3F);
    if (len > 2) cp = 0x2000;  // beyond Latin: a separator, like punctuation
    i += len;
    char ascii = cp < 0x80 ? static_cast<char>(cp) : Unaccent(cp);
    if (std::isalnum(static_cast<unsigned char>(ascii))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ascii))));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string Index(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

// Names nodes by their place in the package: "$.CFItems[3]", "$.CFAssociations[7]".
class CaseLocator : public FrameworkLocator {
 public:
  explicit CaseLocator(std::string_view file) : file_(file) {}
  std::vector<size_t> domain_items;  // CFItems index, kNone for the synthetic one
  std::vector<std::vector<size_t>> competency_items;
  std::vector<std::vector<std::vector<size_t>>> item_items;
  std::vector<size_t> crosswalk_associations;
  std::string scale_path = "$.CFDocument";

  std::string Where(const FrameworkNode& n) const override { return file_ + ": " + Path(n); }
  std::string Reference(const FrameworkNode& n) const override { return "at " + Path(n); }
  std::string Field(const FrameworkNode& n, std::string_view field) const override {
    switch (n.kind) {
      case Kind::kDomain:
      case Kind::kCompetency:
      case Kind::kItem:
        if (field == "code") return "humanCodingScheme";
        if (field == "title" || field == "text") return "fullStatement";
        if (field == "description") return "notes";
        if (field == "items" || field == "competencies") return "CFAssociations";
        break;
      case Kind::kScale:
        return "CFRubricCriterionLevels";
      case Kind::kCrosswalk:
        if (field == "origin") return "originNodeURI";
        if (field == "destination") return "destinationNodeURI";
        if (field == "type") return "associationType";
        break;
      default:
        break;
    }
    return std::string(field);
  }

 private:
  std::string Item(size_t index) const {
    return index == kNone ? "$.CFDocument" : Index("$.CFItems", index);
  }
  std::string Path(const FrameworkNode& n) const {
    switch (n.kind) {
      case Kind::kFramework:
        return "$.CFDocument";
      case Kind::kScale:
        return scale_path;
      case Kind::kDomain:
        return Item(domain_items[n.domain]);
      case Kind::kCompetency:
        return Item(competency_items[n.domain][n.competency]);
      case Kind::kItem:
        return Item(item_items[n.domain][n.competency][n.item]);
      case Kind::kProfile: {
        std::string p = Index(std::string(kExtensionPath) + ".role_profiles", n.index);
        return n.key.empty() ? p : AppendJsonKey(p + ".expectations", n.key);
      }
      case Kind::kCrosswalk:
        return Index("$.CFAssociations", crosswalk_associations[n.index]);
    }
    return "$";
  }
  std::string file_;
};

// Reads the package and builds the framework; one instance per call.
class PackageReader {
 public:
  explicit PackageReader(std::string_view file) : file_(file), locator_(file) {}

  Result<model::Framework> Read(std::string_view text) {
    Result<json> doc = ParseJsonDocument(text, file_);
    if (!doc.ok()) return doc.status();
    Result<JsonObject> root = JsonObject::Make(*doc, file_, "$");
    if (!root.ok()) return root.status();
    TRELLIS_RETURN_IF_ERROR(ReadDocument(*root));
    TRELLIS_RETURN_IF_ERROR(ReadItems(*root));
    TRELLIS_RETURN_IF_ERROR(ReadAssociations(*root));
    TRELLIS_RETURN_IF_ERROR(OrderAndMeasure());
    TRELLIS_RETURN_IF_ERROR(BuildTree());
    TRELLIS_RETURN_IF_ERROR(ReadScale(*root));
    ResolveCrosswalk();
    if (std::optional<FrameworkIssue> issue = FindFrameworkIssue(f_))
      return Status::InvalidArgument(FormatIssue(*issue, locator_));
    return std::move(f_);
  }

 private:
  Status ReadDocument(const JsonObject& root) {
    Result<JsonObject> doc = root.Object("CFDocument");
    if (!doc.ok()) return doc.status();
    Result<std::string> identifier = doc->String("identifier");
    if (!identifier.ok()) return identifier.status();
    Result<std::string> title = doc->String("title");
    if (!title.ok()) return title.status();
    Result<std::string> description = doc->OptionalString("description");
    if (!description.ok()) return description.status();
    document_identifier_ = *identifier;
    Result<std::string> uri = doc->OptionalString("uri");
    if (!uri.ok()) return uri.status();
    document_uri_ = *uri;
    f_.title = *title;
    f_.description = *description;
    // CASE's version is free text ("2.1", "2024"); a whole number is taken as the version.
    if (const json* v = doc->Find("version")) {
      std::optional<int> n = JsonToInt(*v);
      if (!n && v->is_string()) {
        std::string s = v->get<std::string>();
        if (!s.empty() && s.size() < 9 && std::all_of(s.begin(), s.end(), ::isdigit))
          n = std::stoi(s);
      }
      if (n && *n >= 1) f_.version = *n;
    }

    Result<std::optional<JsonObject>> extensions = doc->OptionalObject("extensions");
    if (!extensions.ok()) return extensions.status();
    std::optional<JsonObject> trellis;
    if (*extensions) {
      Result<std::optional<JsonObject>> t = (*extensions)->OptionalObject("trellis");
      if (!t.ok()) return t.status();
      trellis = *t;
    }
    std::string code;
    if (trellis) {
      Result<std::string> c = trellis->OptionalString("code");
      if (!c.ok()) return c.status();
      code = *c;
      Result<std::optional<int>> v = trellis->OptionalInt("framework_version");
      if (!v.ok()) return v.status();
      if (*v) f_.version = **v;
      Result<std::string> rubric = trellis->OptionalString("scale_rubric");
      if (!rubric.ok()) return rubric.status();
      scale_rubric_ = *rubric;
      Result<const json*> profiles = trellis->Array("role_profiles", /*required=*/false);
      if (!profiles.ok()) return profiles.status();
      Result<std::vector<model::RoleProfile>> p =
          ReadRoleProfiles(**profiles, file_, std::string(kExtensionPath) + ".role_profiles");
      if (!p.ok()) return p.status();
      f_.role_profiles = std::move(*p);
    }
    // A package from another tool has no Trellis code: derive a readable one from the title.
    if (code.empty()) code = Slug(f_.title);
    if (code.empty()) code = ShortCodeFor(document_identifier_);
    f_.code = code;
    return Status::Ok();
  }

  Status ReadItems(const JsonObject& root) {
    Result<const json*> items = root.Array("CFItems", /*required=*/false);
    if (!items.ok()) return items.status();
    for (size_t k = 0; k < (*items)->size(); ++k) {
      Result<JsonObject> obj = JsonObject::Make((**items)[k], file_, Index("$.CFItems", k));
      if (!obj.ok()) return obj.status();
      CaseNode node;
      node.index = k;
      Result<std::string> identifier = obj->String("identifier");
      if (!identifier.ok()) return identifier.status();
      Result<std::string> statement = obj->String("fullStatement");
      if (!statement.ok()) return statement.status();
      Result<std::string> code = obj->OptionalString("humanCodingScheme");
      if (!code.ok()) return code.status();
      Result<std::string> notes = obj->OptionalString("notes");
      if (!notes.ok()) return notes.status();
      Result<std::string> uri = obj->OptionalString("uri");
      if (!uri.ok()) return uri.status();
      Result<std::string> type = obj->OptionalString("CFItemType");
      if (!type.ok()) return type.status();
      // Some tools give the type only as a link to a CFItemTypes definition.
      if (type->empty()) {
        Result<std::optional<JsonObject>> type_uri = obj->OptionalObject("CFItemTypeURI");
        if (!type_uri.ok()) return type_uri.status();
        if (*type_uri) {
          Result<std::string> t = (*type_uri)->OptionalString("title");
          if (!t.ok()) return t.status();
          *type = *t;
        }
      }
      node.identifier = *identifier;
      node.statement = *statement;
      node.code = Trim(*code);
      if (node.code.empty()) node.code = ShortCodeFor(node.identifier);
      node.notes = *notes;
      node.uri = *uri;
      node.declared = RoleFromType(*type);
      node.declared_name = Trim(*type);
      auto [it, fresh] = by_identifier_.emplace(node.identifier, k);
      if (!fresh)
        return obj->Error("identifier", "duplicate identifier '" + node.identifier +
                                            "' (first at $.CFItems[" + std::to_string(it->second) +
                                            "])");
      if (!node.uri.empty()) by_uri_.emplace(node.uri, k);
      nodes_.push_back(std::move(node));
    }
    return Status::Ok();
  }

  // A link's target: a CFItem (its index), the CFDocument, or nothing in this package.
  struct Target {
    bool found = false;
    bool document = false;
    size_t node = kNone;
    std::string identifier, uri;
  };

  Result<Target> Resolve(const JsonObject& link) const {
    Target t;
    Result<std::string> identifier = link.String("identifier");
    if (!identifier.ok()) return identifier.status();
    Result<std::string> uri = link.OptionalString("uri");
    if (!uri.ok()) return uri.status();
    t.identifier = *identifier;
    t.uri = *uri;
    if (auto it = by_identifier_.find(t.identifier); it != by_identifier_.end()) {
      t.found = true;
      t.node = it->second;
    } else if (t.identifier == document_identifier_ || (!t.uri.empty() && t.uri == document_uri_)) {
      t.found = t.document = true;
    } else if (auto u = by_uri_.find(t.uri); !t.uri.empty() && u != by_uri_.end()) {
      t.found = true;
      t.node = u->second;
    }
    return t;
  }

  Status ReadAssociations(const JsonObject& root) {
    Result<const json*> list = root.Array("CFAssociations", /*required=*/false);
    if (!list.ok()) return list.status();
    for (size_t a = 0; a < (*list)->size(); ++a) {
      Result<JsonObject> obj = JsonObject::Make((**list)[a], file_, Index("$.CFAssociations", a));
      if (!obj.ok()) return obj.status();
      Result<std::string> identifier = obj->String("identifier");
      if (!identifier.ok()) return identifier.status();
      Result<std::string> type = obj->String("associationType");
      if (!type.ok()) return type.status();
      Result<std::optional<int>> sequence = obj->OptionalInt("sequenceNumber");
      if (!sequence.ok()) return sequence.status();
      Result<JsonObject> origin_link = obj->Object("originNodeURI");
      if (!origin_link.ok()) return origin_link.status();
      Result<JsonObject> destination_link = obj->Object("destinationNodeURI");
      if (!destination_link.ok()) return destination_link.status();
      Result<Target> origin = Resolve(*origin_link);
      if (!origin.ok()) return origin.status();
      Result<Target> destination = Resolve(*destination_link);
      if (!destination.ok()) return destination.status();
      std::string missing = "association '" + *identifier + "' points at '";

      if (Lower(*type) == "ischildof") {
        if (!origin->found)
          return obj->Error("originNodeURI",
                            missing + origin->identifier + "', which is not in the package");
        if (origin->document)
          return obj->Error("originNodeURI",
                            "association '" + *identifier + "' makes the CFDocument a child");
        if (!destination->found)
          return obj->Error("destinationNodeURI",
                            missing + destination->identifier + "', which is not in the package");
        CaseNode& child = nodes_[origin->node];
        if (child.parent_association != kNone)
          return obj->Error("originNodeURI", "'" + child.code +
                                                 "' already has a parent (at $.CFAssociations[" +
                                                 std::to_string(child.parent_association) +
                                                 "]); a Trellis framework is a tree");
        child.parent_association = a;
        child.parent = destination->document ? kNone : destination->node;
        child.sequence = *sequence;
        continue;
      }

      if (!origin->found)
        return obj->Error("originNodeURI",
                          missing + origin->identifier + "', which is not in the package");
      PendingLink link;
      link.association = a;
      link.type = *type;
      link.origin = origin->document ? kNone : origin->node;
      link.destination = destination->found && !destination->document ? destination->node : kNone;
      link.destination_is_document = destination->document;
      link.destination_identifier = destination->identifier;
      link.destination_uri = destination->uri;
      // Our own exports carry both ends verbatim, so crosswalks round-trip exactly.
      Result<std::optional<JsonObject>> ext = obj->OptionalObject("extensions");
      if (!ext.ok()) return ext.status();
      if (*ext) {
        Result<std::optional<JsonObject>> t = (*ext)->OptionalObject("trellis");
        if (!t.ok()) return t.status();
        if (*t) {
          Result<std::string> o = (*t)->OptionalString("origin");
          if (!o.ok()) return o.status();
          Result<std::string> d = (*t)->OptionalString("destination");
          if (!d.ok()) return d.status();
          if (!o->empty()) link.verbatim_origin = *o;
          if (!d->empty()) link.verbatim_destination = *d;
        }
      }
      pending_.push_back(std::move(link));
    }
    return Status::Ok();
  }

  // Builds the children lists in sibling order, rejects cycles and measures subtree heights.
  Status OrderAndMeasure() {
    for (size_t k = 0; k < nodes_.size(); ++k) {
      if (nodes_[k].parent == kNone)
        roots_.push_back(k);
      else
        nodes_[nodes_[k].parent].children.push_back(k);
    }
    auto by_sequence = [this](size_t a, size_t b) {
      const auto& sa = nodes_[a].sequence;
      const auto& sb = nodes_[b].sequence;
      if (sa && sb) return *sa < *sb;
      return sa.has_value() && !sb.has_value();  // numbered siblings before unnumbered ones
    };
    std::stable_sort(roots_.begin(), roots_.end(), by_sequence);
    for (CaseNode& n : nodes_) std::stable_sort(n.children.begin(), n.children.end(), by_sequence);

    std::vector<bool> seen(nodes_.size(), false);
    for (size_t r : roots_) TRELLIS_RETURN_IF_ERROR(Measure(r, 1, seen));
    for (size_t k = 0; k < nodes_.size(); ++k) {
      if (!seen[k])
        return Status::InvalidArgument(
            file_ + ": " + Index("$.CFAssociations", nodes_[k].parent_association) +
            ": field 'originNodeURI': the isChildOf links of '" + nodes_[k].code +
            "' form a cycle, so it never reaches the CFDocument");
    }
    return Status::Ok();
  }

  Status Measure(size_t k, int depth, std::vector<bool>& seen) {
    if (depth > kMaxDepth)
      return Status::InvalidArgument(file_ + ": " + Index("$.CFItems", k) +
                                     ": field 'identifier': the isChildOf tree is deeper than " +
                                     std::to_string(kMaxDepth) + " levels");
    seen[k] = true;
    int height = 0;
    for (size_t c : nodes_[k].children) {
      TRELLIS_RETURN_IF_ERROR(Measure(c, depth + 1, seen));
      height = std::max(height, nodes_[c].height);
    }
    nodes_[k].height = height + 1;
    return Status::Ok();
  }

  Status Misplaced(size_t k, const std::string& where) const {
    return Status::InvalidArgument(file_ + ": " + Index("$.CFItems", k) +
                                   ": field 'CFItemType': '" + nodes_[k].declared_name +
                                   "' cannot sit " + where);
  }

  Status BuildTree() {
    std::optional<size_t> synthetic;  // index of the domain holding top-level competencies
    for (size_t r : roots_) {
      const CaseNode& node = nodes_[r];
      Role role = node.declared;
      if (role == Role::kUnknown) role = node.height >= 3 ? Role::kDomain : Role::kCompetency;
      if (role == Role::kIndicator) return Misplaced(r, "at the top level (it needs a Competency)");
      if (role == Role::kDomain) {
        TRELLIS_RETURN_IF_ERROR(AddDomain(r));
        continue;
      }
      if (!synthetic) {
        synthetic = f_.domains.size();
        f_.domains.push_back(model::Domain{f_.code, f_.title, "", {}});
        locator_.domain_items.push_back(kNone);
        locator_.competency_items.emplace_back();
        locator_.item_items.emplace_back();
      }
      TRELLIS_RETURN_IF_ERROR(AddCompetency(*synthetic, r));
    }
    return Status::Ok();
  }

  Status AddDomain(size_t k) {
    const CaseNode& node = nodes_[k];
    size_t d = f_.domains.size();
    f_.domains.push_back(model::Domain{node.code, node.statement, node.notes, {}});
    locator_.domain_items.push_back(node.index);
    locator_.competency_items.emplace_back();
    locator_.item_items.emplace_back();
    for (size_t c : node.children) {
      Role role = nodes_[c].declared;
      if (role == Role::kDomain) return Misplaced(c, "under another node");
      if (role == Role::kIndicator) return Misplaced(c, "directly under a Domain");
      TRELLIS_RETURN_IF_ERROR(AddCompetency(d, c));
    }
    return Status::Ok();
  }

  Status AddCompetency(size_t d, size_t k) {
    const CaseNode& node = nodes_[k];
    model::Domain& domain = f_.domains[d];
    size_t c = domain.competencies.size();
    domain.competencies.push_back(model::Competency{node.code, node.statement, node.notes, {}});
    locator_.competency_items[d].push_back(node.index);
    locator_.item_items[d].emplace_back();
    return AddIndicators(d, c, node.children);
  }

  // Every descendant of a competency is one of its indicators, in document (pre-)order.
  Status AddIndicators(size_t d, size_t c, const std::vector<size_t>& children) {
    for (size_t k : children) {
      const CaseNode& node = nodes_[k];
      if (node.declared == Role::kDomain || node.declared == Role::kCompetency)
        return Misplaced(k, "under a Competency or Indicator");
      f_.domains[d].competencies[c].items.push_back(model::Item{node.code, node.statement});
      locator_.item_items[d][c].push_back(node.index);
      TRELLIS_RETURN_IF_ERROR(AddIndicators(d, c, node.children));
    }
    return Status::Ok();
  }

  // The scale is the rubric named by the Trellis extension, else the first rubric whose first
  // scored criterion has whole-number scores; without one, the default 1..5 scale applies.
  Status ReadScale(const JsonObject& root) {
    const json* rubrics = root.Find("CFRubrics");
    std::string path = "$.CFRubrics";
    if (rubrics == nullptr) {  // some tools nest them under CFDefinitions
      if (const json* defs = root.Find("CFDefinitions"); defs && defs->is_object()) {
        auto it = defs->find("CFRubrics");
        if (it != defs->end()) rubrics = &*it;
        path = "$.CFDefinitions.CFRubrics";
      }
    }
    if (rubrics == nullptr || !rubrics->is_array()) return Status::Ok();
    for (size_t r = 0; r < rubrics->size(); ++r) {
      const json& rubric = (*rubrics)[r];
      if (!rubric.is_object()) continue;
      bool named = !scale_rubric_.empty() && rubric.value("identifier", json()) == scale_rubric_;
      if (!scale_rubric_.empty() && !named) continue;
      std::optional<model::Scale> scale = ScaleFromRubric(rubric);
      if (!scale) {
        if (named)
          return Status::InvalidArgument(file_ + ": " + Index(path, r) +
                                         ": field 'CFRubricCriteria': the Trellis rating scale "
                                         "needs levels with whole-number scores");
        continue;
      }
      f_.scale = std::move(*scale);
      locator_.scale_path = Index(path, r);
      return Status::Ok();
    }
    return Status::Ok();
  }

  static std::optional<model::Scale> ScaleFromRubric(const json& rubric) {
    auto criteria = rubric.find("CFRubricCriteria");
    if (criteria == rubric.end() || !criteria->is_array()) return std::nullopt;
    for (const json& criterion : *criteria) {
      if (!criterion.is_object()) continue;
      auto levels = criterion.find("CFRubricCriterionLevels");
      if (levels == criterion.end() || !levels->is_array() || levels->empty()) continue;
      model::Scale scale;
      bool first = true;
      for (const json& level : *levels) {
        if (!level.is_object()) return std::nullopt;
        auto score = level.find("score");
        if (score == level.end()) return std::nullopt;
        std::optional<int> s = JsonToInt(*score);
        if (!s) return std::nullopt;
        scale.min = first ? *s : std::min(scale.min, *s);
        scale.max = first ? *s : std::max(scale.max, *s);
        first = false;
        std::string label;
        for (const char* key : {"quality", "description"}) {
          auto it = level.find(key);
          if (label.empty() && it != level.end() && it->is_string()) label = it->get<std::string>();
        }
        if (!Trim(label).empty()) scale.labels.emplace(*s, label);
      }
      return scale;
    }
    return std::nullopt;
  }

  void ResolveCrosswalk() {
    for (const PendingLink& p : pending_) {
      model::CrosswalkLink link;
      link.association_type = p.type;
      if (p.verbatim_origin)
        link.origin_code = *p.verbatim_origin;
      else
        link.origin_code = p.origin == kNone ? document_identifier_ : nodes_[p.origin].code;
      if (p.verbatim_destination)
        link.destination = *p.verbatim_destination;
      else if (p.destination != kNone)
        link.destination = nodes_[p.destination].code;
      else if (p.destination_is_document)
        link.destination = document_identifier_;
      else  // outside the package: the URI says where, else the identifier
        link.destination = p.destination_uri.empty() ? p.destination_identifier : p.destination_uri;
      f_.crosswalk.push_back(std::move(link));
      locator_.crosswalk_associations.push_back(p.association);
    }
  }

  std::string file_;
  CaseLocator locator_;
  model::Framework f_;
  std::string document_identifier_, document_uri_, scale_rubric_;
  std::vector<CaseNode> nodes_;
  std::map<std::string, size_t> by_identifier_, by_uri_;
  std::vector<size_t> roots_;
  std::vector<PendingLink> pending_;
};

}  // namespace

Result<model::Framework> ReadFrameworkCase(std::string_view text, std::string_view file_name) {
  return PackageReader(file_name).Read(text);
}

}  // namespace trellis::formats
