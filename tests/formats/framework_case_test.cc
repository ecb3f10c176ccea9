// Tests for CASE 1.1 CFPackage import and export.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "formats/framework_io.h"
#include "framework_test_util.h"

namespace trellis::formats {
namespace {

using nlohmann::json;
using testing::ReadData;
using testing::RichFramework;

constexpr char kStamp[] = "2026-01-01T00:00:00Z";

// The identifier pattern of the CASE 1.1 JSON binding, plus version 5 (name-based, SHA-1).
const std::regex kUuidV5("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(FrameworkCase, ExportThenImportKeepsEverything) {
  model::Framework f = RichFramework();
  Result<model::Framework> back = ReadFrameworkCase(WriteFrameworkCase(f, kStamp), "rich.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(model::SameContent(*back, f)) << WriteFrameworkJson(*back);
  EXPECT_EQ(back->version, 3);
}

TEST(FrameworkCase, ExportHasTheRequiredCase11Fields) {
  json p = json::parse(WriteFrameworkCase(RichFramework(), kStamp));
  for (const char* k : {"identifier", "uri", "creator", "title", "lastChangeDateTime"})
    EXPECT_TRUE(p["CFDocument"].contains(k)) << k;
  EXPECT_EQ(p["CFDocument"]["lastChangeDateTime"], kStamp);
  EXPECT_EQ(p["CFDocument"]["caseVersion"], "1.1");
  EXPECT_EQ(p["CFDocument"]["version"], "3");
  ASSERT_EQ(p["CFItems"].size(), 2u + 3u + 5u);
  for (const json& item : p["CFItems"]) {
    for (const char* k : {"identifier", "fullStatement", "uri", "lastChangeDateTime"})
      EXPECT_TRUE(item.contains(k)) << k << " in " << item.dump();
    EXPECT_TRUE(std::regex_match(item["identifier"].get<std::string>(), kUuidV5));
    EXPECT_EQ(item["uri"], "urn:uuid:" + item["identifier"].get<std::string>());
  }
  for (const json& a : p["CFAssociations"]) {
    for (const char* k : {"identifier", "associationType", "uri", "originNodeURI",
                          "destinationNodeURI", "lastChangeDateTime"})
      EXPECT_TRUE(a.contains(k)) << k << " in " << a.dump();
    for (const char* end : {"originNodeURI", "destinationNodeURI"})
      for (const char* k : {"title", "identifier", "uri"}) EXPECT_TRUE(a[end].contains(k));
  }
  const json& levels = p["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"];
  ASSERT_EQ(levels.size(), 5u);
  EXPECT_EQ(levels[0]["score"], 1);
  EXPECT_EQ(levels[0]["quality"], "Rarely");
  EXPECT_FALSE(levels[1].contains("quality"));  // 2 has no label
  EXPECT_EQ(p["CFDocument"]["extensions"]["trellis"]["role_profiles"].size(), 2u);
}

TEST(FrameworkCase, ExportMapsTheHierarchy) {
  json p = json::parse(WriteFrameworkCase(RichFramework(), kStamp));
  const json& domain = p["CFItems"][0];
  EXPECT_EQ(domain["CFItemType"], "Domain");
  EXPECT_EQ(domain["humanCodingScheme"], "SYS");
  EXPECT_EQ(domain["fullStatement"], "Leading across the system");
  EXPECT_EQ(domain["notes"], "Working as one system across organisations.");
  EXPECT_EQ(p["CFItems"][1]["CFItemType"], "Competency");
  EXPECT_EQ(p["CFItems"][2]["CFItemType"], "Indicator");
  // The first association: the domain (origin, child) is a child of the document.
  const json& a = p["CFAssociations"][0];
  EXPECT_EQ(a["associationType"], "isChildOf");
  EXPECT_EQ(a["originNodeURI"]["identifier"], domain["identifier"]);
  EXPECT_EQ(a["destinationNodeURI"]["identifier"], p["CFDocument"]["identifier"]);
  EXPECT_EQ(a["sequenceNumber"], 1);
  // The crosswalk comes last, with its ends kept verbatim.
  const json& x = p["CFAssociations"].back();
  EXPECT_EQ(x["associationType"], "isRelatedTo");
  EXPECT_EQ(x["extensions"]["trellis"]["destination"], "SYS.2.a");
}

TEST(FrameworkCase, IdentifiersAreStableAcrossExportsOfOneVersion) {
  model::Framework f = RichFramework();
  std::string first = WriteFrameworkCase(f, kStamp);
  EXPECT_EQ(WriteFrameworkCase(f, kStamp), first);
  json a = json::parse(first);
  json b = json::parse(WriteFrameworkCase(f, "2027-06-30T12:00:00Z"));
  EXPECT_EQ(a["CFItems"][4]["identifier"], b["CFItems"][4]["identifier"]);
  EXPECT_EQ(a["CFDocument"]["identifier"], b["CFDocument"]["identifier"]);
  f.version = 4;  // a new version is a new set of identifiers
  json c = json::parse(WriteFrameworkCase(f, kStamp));
  EXPECT_NE(a["CFItems"][4]["identifier"], c["CFItems"][4]["identifier"]);
  // Every identifier in the package is distinct.
  std::set<std::string> ids;
  size_t n = 0;
  for (const char* list : {"CFItems", "CFAssociations"})
    for (const json& x : a[list]) {
      ids.insert(x["identifier"].get<std::string>());
      ++n;
    }
  EXPECT_EQ(ids.size(), n);
}

TEST(FrameworkCase, ImportsAnOpenSaltExportWithItsHierarchy) {
  Result<model::Framework> f =
      ReadFrameworkCase(ReadData("opensalt-export.json"), "opensalt-export.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  model::Framework want;
  want.code = "fframwaith-arweinyddiaeth-gofal-integredig";
  want.title = "Fframwaith Arweinyddiaeth Gofal Integredig";
  want.description = "Cymwyseddau rheoli ar gyfer gofal integredig (Welsh edition).";
  want.scale.min = 1;
  want.scale.max = 4;
  want.scale.labels = {{1, "Anaml"}, {2, "Weithiau"}, {4, "Bob amser"}};
  // Domains in sequenceNumber order (B before A); A.1's items likewise; the item without a
  // humanCodingScheme gets the first 8 hex digits of its identifier.
  want.domains = {
      {"B",
       "Dysgu o ddata a rennir",
       "",
       {{"B.1",
         "Defnyddio data i ddysgu",
         "Sgyrsiau caffi am rifau — café-style.",
         {{"B.1.a", "Yn darllen siart SPC ac yn gwahaniaethu signal a sŵn"}}}}},
      {"A",
       "Arwain ar draws y system",
       "Gweithio fel un system ar draws sefydliadau.",
       {{"A.1",
         "Pwrpas cyffredin",
         "",
         {{"c2000000", "Yn esbonio penderfyniadau yn nhermau canlyniadau i drigolion"},
          {"A.1.a", "Yn dod â phartneriaid ynghyd o amgylch nod cyffredin"}}}}},
  };
  want.crosswalk = {
      {"A.1", "exactMatchOf", "https://salt.example.org/uri/f7a3c1de-0000-4000-8000-000000000001"},
      {"B.1.a", "isRelatedTo", "A.1"},
  };
  EXPECT_TRUE(model::SameContent(*f, want)) << WriteFrameworkJson(*f);
  EXPECT_EQ(f->version, 2);
}

TEST(FrameworkCase, ForeignImportSurvivesTrellisRoundTrip) {
  Result<model::Framework> f =
      ReadFrameworkCase(ReadData("opensalt-export.json"), "opensalt-export.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Result<model::Framework> back = ReadFrameworkCase(WriteFrameworkCase(*f, kStamp), "again.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(model::SameContent(*back, *f));
}

// A package as another tool might write it: two levels, no CFItemType, no humanCodingScheme
// on the competency, unknown fields, items listed before their parent.
constexpr char kTwoLevels[] = R"({
  "CFDocument": {"identifier": "doc-1", "uri": "https://x.example/doc-1", "creator": "X",
                 "title": "Équipe — compétences", "lastChangeDateTime": "2025-01-01T00:00:00Z",
                 "vendorField": 42},
  "CFItems": [
    {"identifier": "i-2", "uri": "https://x.example/i-2", "fullStatement": "Écoute",
     "humanCodingScheme": "L.2", "lastChangeDateTime": "2025-01-01T00:00:00Z"},
    {"identifier": "i-1", "uri": "https://x.example/i-1", "fullStatement": "Parle",
     "humanCodingScheme": "L.1", "lastChangeDateTime": "2025-01-01T00:00:00Z"},
    {"identifier": "comp-1", "uri": "https://x.example/comp-1", "fullStatement": "Communication",
     "lastChangeDateTime": "2025-01-01T00:00:00Z"}
  ],
  "CFAssociations": [
    {"identifier": "a-1", "uri": "https://x.example/a-1", "associationType": "isChildOf",
     "originNodeURI": {"title": "", "identifier": "comp-1", "uri": "https://x.example/comp-1"},
     "destinationNodeURI": {"title": "", "identifier": "doc-1", "uri": "https://x.example/doc-1"},
     "lastChangeDateTime": "2025-01-01T00:00:00Z"},
    {"identifier": "a-2", "uri": "https://x.example/a-2", "associationType": "isChildOf",
     "originNodeURI": {"title": "", "identifier": "i-1", "uri": "https://x.example/i-1"},
     "destinationNodeURI": {"title": "", "identifier": "comp-1", "uri": "https://x.example/comp-1"},
     "lastChangeDateTime": "2025-01-01T00:00:00Z"},
    {"identifier": "a-3", "uri": "https://x.example/a-3", "associationType": "isChildOf",
     "originNodeURI": {"title": "", "identifier": "i-2", "uri": "https://x.example/i-2"},
     "destinationNodeURI": {"title": "", "identifier": "comp-1", "uri": "https://x.example/comp-1"},
     "lastChangeDateTime": "2025-01-01T00:00:00Z"}
  ]
})";

TEST(FrameworkCase, TwoLevelTreeBecomesCompetenciesInOneDomain) {
  Result<model::Framework> f = ReadFrameworkCase(kTwoLevels, "two.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->code, "equipe-competences");  // ASCII slug of the title
  ASSERT_EQ(f->domains.size(), 1u);
  EXPECT_EQ(f->domains[0].code, f->code);  // the synthetic domain is named after the framework
  EXPECT_EQ(f->domains[0].title, "Équipe — compétences");
  ASSERT_EQ(f->domains[0].competencies.size(), 1u);
  const model::Competency& c = f->domains[0].competencies[0];
  EXPECT_EQ(c.title, "Communication");
  EXPECT_EQ(c.code.size(), 8u);  // derived from "comp-1", stable
  EXPECT_EQ(c.code, f->domains[0].competencies[0].code);
  // No sequenceNumber: CFItems order.
  EXPECT_EQ(c.items, (std::vector<model::Item>{{"L.2", "Écoute"}, {"L.1", "Parle"}}));
  EXPECT_EQ(f->scale.min, 1);  // no rubric: default scale
  EXPECT_EQ(f->scale.max, 5);
  Result<model::Framework> again = ReadFrameworkCase(kTwoLevels, "two.json");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->domains[0].competencies[0].code, c.code);
}

TEST(FrameworkCase, DeclaredTypesWinOverDepthAndIgnoreCase) {
  // A four-level tree whose types say: DOMAIN → competency → indicator → indicator.
  std::string text = R"({"CFDocument":{"identifier":"d","uri":"u:d","creator":"c","title":"T",
    "lastChangeDateTime":"2025-01-01T00:00:00Z"},
    "CFItems":[
      {"identifier":"1","uri":"u:1","fullStatement":"Dom","humanCodingScheme":"D","CFItemType":"DOMAIN","lastChangeDateTime":"x"},
      {"identifier":"2","uri":"u:2","fullStatement":"Comp","humanCodingScheme":"C","CFItemType":"competency","lastChangeDateTime":"x"},
      {"identifier":"3","uri":"u:3","fullStatement":"Ind","humanCodingScheme":"I","CFItemType":"Indicator","lastChangeDateTime":"x"},
      {"identifier":"4","uri":"u:4","fullStatement":"Sub","humanCodingScheme":"I.1","lastChangeDateTime":"x"}],
    "CFAssociations":[
      {"identifier":"a1","uri":"u:a1","associationType":"isChildOf","originNodeURI":{"title":"","identifier":"1","uri":"u:1"},"destinationNodeURI":{"title":"","identifier":"d","uri":"u:d"},"lastChangeDateTime":"x"},
      {"identifier":"a2","uri":"u:a2","associationType":"IsChildOf","originNodeURI":{"title":"","identifier":"2","uri":"u:2"},"destinationNodeURI":{"title":"","identifier":"1","uri":"u:1"},"lastChangeDateTime":"x"},
      {"identifier":"a3","uri":"u:a3","associationType":"isChildOf","originNodeURI":{"title":"","identifier":"3","uri":"u:3"},"destinationNodeURI":{"title":"","identifier":"2","uri":"u:2"},"lastChangeDateTime":"x"},
      {"identifier":"a4","uri":"u:a4","associationType":"isChildOf","originNodeURI":{"title":"","identifier":"4","uri":"u:4"},"destinationNodeURI":{"title":"","identifier":"3","uri":"u:3"},"lastChangeDateTime":"x"}]})";
  Result<model::Framework> f = ReadFrameworkCase(text, "typed.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->domains.size(), 1u);
  EXPECT_EQ(f->domains[0].code, "D");
  EXPECT_EQ(f->domains[0].competencies[0].code, "C");
  // The level below an indicator is flattened into the competency.
  EXPECT_EQ(f->domains[0].competencies[0].items,
            (std::vector<model::Item>{{"I", "Ind"}, {"I.1", "Sub"}}));
}

}  // namespace
}  // namespace trellis::formats
