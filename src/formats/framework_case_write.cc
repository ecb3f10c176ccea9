// formats/framework_case_write.cc — exports a framework as a CASE 1.1 CFPackage (1EdTech).
// Required fields follow the CASE 1.1 JSON binding (CFDocument: identifier, uri, creator, title,
// lastChangeDateTime; CFItem: identifier, fullStatement, uri, lastChangeDateTime; CFAssociation:
// identifier, associationType, uri, originNodeURI, destinationNodeURI, lastChangeDateTime; rubric
// parts: identifier, uri, lastChangeDateTime). Identifiers are UUID v5 over
// "code|version|node", so re-exporting the same framework version yields the same package.
// What CASE cannot say (framework code and version, role profiles, verbatim crosswalk ends) rides
// in "extensions":{"trellis":…}, which CASE 1.1 allows on every class.
#include <map>

#include "formats/framework_case_ids.h"
#include "formats/framework_io.h"
#include "formats/json_fields.h"

namespace trellis::formats {
namespace {

using nlohmann::ordered_json;

class PackageWriter {
 public:
  PackageWriter(const model::Framework& f, std::string_view stamp) : f_(f), stamp_(stamp) {}

  std::string Write() {
    ordered_json items = ordered_json::array();
    ordered_json associations = ordered_json::array();
    ordered_json document_link = Link(f_.title, Id("document"));
    for (size_t d = 0; d < f_.domains.size(); ++d) {
      const model::Domain& domain = f_.domains[d];
      std::string domain_node = "domain/" + domain.code;
      items.push_back(Item(domain_node, domain.title, domain.code, "Domain", domain.description));
      associations.push_back(ChildOf(domain_node, domain.title, document_link, d + 1));
      ordered_json domain_link = Link(domain.title, Id(domain_node));
      for (size_t c = 0; c < domain.competencies.size(); ++c) {
        const model::Competency& comp = domain.competencies[c];
        std::string comp_node = "competency/" + comp.code;
        items.push_back(Item(comp_node, comp.title, comp.code, "Competency", comp.description));
        associations.push_back(ChildOf(comp_node, comp.title, domain_link, c + 1));
        ordered_json comp_link = Link(comp.title, Id(comp_node));
        for (size_t i = 0; i < comp.items.size(); ++i) {
          const model::Item& item = comp.items[i];
          std::string item_node = "item/" + item.code;
          items.push_back(Item(item_node, item.text, item.code, "Indicator", ""));
          associations.push_back(ChildOf(item_node, item.text, comp_link, i + 1));
        }
      }
    }
    std::map<std::string, int> repeats;
    for (const model::CrosswalkLink& link : f_.crosswalk) {
      std::string node =
          "crosswalk/" + link.association_type + "/" + link.origin_code + "/" + link.destination;
      // Identical links would otherwise share an identifier.
      if (int n = ++repeats[node]; n > 1) node += "/" + std::to_string(n);
      associations.push_back(Crosswalk(node, link));
    }

    ordered_json trellis = ordered_json::object();
    trellis["code"] = f_.code;
    trellis["framework_version"] = f_.version;
    trellis["scale_rubric"] = Id("scale");
    trellis["role_profiles"] = WriteRoleProfiles(f_.role_profiles);
    ordered_json document = ordered_json::object();
    document["identifier"] = Id("document");
    document["uri"] = UrnFor(Id("document"));
    document["creator"] = "Trellis";
    document["title"] = f_.title;
    document["lastChangeDateTime"] = stamp_;
    if (!f_.description.empty()) document["description"] = f_.description;
    document["version"] = std::to_string(f_.version);
    document["caseVersion"] = "1.1";
    document["frameworkType"] = "Competency framework";
    document["extensions"] = {{"trellis", std::move(trellis)}};

    ordered_json package = ordered_json::object();
    package["CFDocument"] = std::move(document);
    package["CFItems"] = std::move(items);
    package["CFAssociations"] = std::move(associations);
    package["CFRubrics"] = ordered_json::array({Rubric()});
    return DumpJson(package);
  }

 private:
  std::string Id(std::string_view node) const { return TrellisNodeId(f_.code, f_.version, node); }

  ordered_json Link(const std::string& title, const std::string& id) const {
    return {{"title", title}, {"identifier", id}, {"uri", UrnFor(id)}};
  }

  ordered_json Item(const std::string& node, const std::string& statement, const std::string& code,
                    const char* type, const std::string& notes) const {
    ordered_json item = ordered_json::object();
    item["identifier"] = Id(node);
    item["uri"] = UrnFor(Id(node));
    item["fullStatement"] = statement;
    item["humanCodingScheme"] = code;
    item["CFItemType"] = type;
    if (!notes.empty()) item["notes"] = notes;
    item["lastChangeDateTime"] = stamp_;
    return item;
  }

  ordered_json ChildOf(const std::string& child_node, const std::string& child_title,
                       const ordered_json& parent_link, size_t sequence) const {
    std::string id = Id("isChildOf/" + child_node);
    ordered_json a = ordered_json::object();
    a["identifier"] = id;
    a["uri"] = UrnFor(id);
    a["associationType"] = "isChildOf";
    a["sequenceNumber"] = sequence;
    a["originNodeURI"] = Link(child_title, Id(child_node));
    a["destinationNodeURI"] = parent_link;
    a["lastChangeDateTime"] = stamp_;
    return a;
  }

  // The node a crosswalk end names: a node of this framework when the text is one of its codes
  // (competencies first, since crosswalks mostly map competencies), else an external reference.
  ordered_json End(const std::string& text) const {
    for (const char* kind : {"competency/", "item/", "domain/"}) {
      for (const model::Domain& d : f_.domains) {
        if (kind == std::string_view("domain/") && d.code == text)
          return Link(d.title, Id(kind + text));
        for (const model::Competency& c : d.competencies) {
          if (kind == std::string_view("competency/") && c.code == text)
            return Link(c.title, Id(kind + text));
          for (const model::Item& i : c.items)
            if (kind == std::string_view("item/") && i.code == text)
              return Link(i.text, Id(kind + text));
        }
      }
    }
    std::string id = LooksLikeUuid(text) ? text : Id("external/" + text);
    std::string uri = text.find(':') != std::string::npos ? text : UrnFor(id);
    return {{"title", text}, {"identifier", id}, {"uri", uri}};
  }

  ordered_json Crosswalk(const std::string& node, const model::CrosswalkLink& link) const {
    std::string id = Id(node);
    ordered_json a = ordered_json::object();
    a["identifier"] = id;
    a["uri"] = UrnFor(id);
    a["associationType"] = link.association_type;
    a["originNodeURI"] = End(link.origin_code);
    a["destinationNodeURI"] = End(link.destination);
    a["lastChangeDateTime"] = stamp_;
    a["extensions"] = {
        {"trellis", {{"origin", link.origin_code}, {"destination", link.destination}}}};
    return a;
  }

  ordered_json Rubric() const {
    std::string rubric_id = Id("scale");
    std::string criterion_id = Id("scale/criterion");
    ordered_json levels = ordered_json::array();
    for (int score = f_.scale.min; score <= f_.scale.max; ++score) {
      std::string id = Id("scale/level/" + std::to_string(score));
      ordered_json level = ordered_json::object();
      level["identifier"] = id;
      level["uri"] = UrnFor(id);
      if (auto it = f_.scale.labels.find(score); it != f_.scale.labels.end())
        level["quality"] = it->second;
      level["score"] = score;
      level["position"] = score - f_.scale.min + 1;
      level["rubricCriterionId"] = criterion_id;
      level["lastChangeDateTime"] = stamp_;
      levels.push_back(std::move(level));
    }
    ordered_json criterion = ordered_json::object();
    criterion["identifier"] = criterion_id;
    criterion["uri"] = UrnFor(criterion_id);
    criterion["description"] = "Rating scale used for every indicator";
    criterion["position"] = 1;
    criterion["rubricId"] = rubric_id;
    criterion["lastChangeDateTime"] = stamp_;
    criterion["CFRubricCriterionLevels"] = std::move(levels);
    ordered_json rubric = ordered_json::object();
    rubric["identifier"] = rubric_id;
    rubric["uri"] = UrnFor(rubric_id);
    rubric["title"] = "Rating scale";
    rubric["lastChangeDateTime"] = stamp_;
    rubric["CFRubricCriteria"] = ordered_json::array({std::move(criterion)});
    return rubric;
  }

  const model::Framework& f_;
  std::string stamp_;
};

}  // namespace

std::string WriteFrameworkCase(const model::Framework& framework,
                               std::string_view last_change_date_time) {
  return PackageWriter(framework, last_change_date_time).Write();
}

}  // namespace trellis::formats
