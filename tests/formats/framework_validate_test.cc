// Tests for ValidateFramework: each invariant of model/framework.h, with the exact message.
#include <gtest/gtest.h>

#include <functional>

#include "formats/framework_io.h"
#include "framework_test_util.h"

namespace trellis::formats {
namespace {

using testing::RichFramework;

TEST(ValidateFramework, AcceptsTheRichFramework) {
  Status s = ValidateFramework(RichFramework(), "f.json");
  EXPECT_TRUE(s.ok()) << s.ToString();
}

struct BrokenFramework {
  const char* what;
  std::function<void(model::Framework&)> breakit;
  const char* message;
};

TEST(ValidateFramework, NamesWhereAndWhat) {
  const BrokenFramework cases[] = {
      {"duplicate domain code", [](model::Framework& f) { f.domains[1].code = "SYS"; },
       "f.json: $.domains[1]: field 'code': duplicate domain code 'SYS' (first at $.domains[0])"},
      {"duplicate competency code across domains",
       [](model::Framework& f) { f.domains[1].competencies[0].code = "SYS.2"; },
       "f.json: $.domains[1].competencies[0]: field 'code': duplicate competency code 'SYS.2' "
       "(first at $.domains[0].competencies[1])"},
      {"duplicate item code across competencies",
       [](model::Framework& f) { f.domains[1].competencies[0].items[1].code = "SYS.1.b"; },
       "f.json: $.domains[1].competencies[0].items[1]: field 'code': duplicate item code "
       "'SYS.1.b' (first at $.domains[0].competencies[0].items[1])"},
      {"empty competency", [](model::Framework& f) { f.domains[0].competencies[1].items.clear(); },
       "f.json: $.domains[0].competencies[1]: field 'items': a competency needs at least one "
       "item"},
      {"empty domain",
       [](model::Framework& f) {
         f.domains[1].competencies.clear();
         f.role_profiles.clear();
       },
       "f.json: $.domains[1]: field 'competencies': a domain needs at least one competency"},
      {"no domains",
       [](model::Framework& f) {
         f.domains.clear();
         f.role_profiles.clear();
       },
       "f.json: $: field 'domains': a framework needs at least one domain"},
      {"item without text",
       [](model::Framework& f) { f.domains[0].competencies[0].items[0].text = " "; },
       "f.json: $.domains[0].competencies[0].items[0]: field 'text': an item needs text"},
      {"competency without title",
       [](model::Framework& f) { f.domains[1].competencies[0].title = ""; },
       "f.json: $.domains[1].competencies[0]: field 'title': a competency needs a title"},
      {"scale min equals max", [](model::Framework& f) { f.scale.min = f.scale.max = 5; },
       "f.json: $.scale: field 'min': min 5 must be below max 5"},
      {"scale min above max",
       [](model::Framework& f) {
         f.scale.min = 7;
         f.scale.max = 5;
       },
       "f.json: $.scale: field 'min': min 7 must be below max 5"},
      {"huge scale", [](model::Framework& f) { f.scale.max = 2000000000; },
       "f.json: $.scale: field 'max': a scale has at most 101 points, 1..2000000000 has more"},
      {"label outside the scale", [](model::Framework& f) { f.scale.labels[6] = "Beyond"; },
       "f.json: $.scale: field 'labels': the label for 6 is outside the scale 1..5"},
      {"profile names an unknown competency",
       [](model::Framework& f) {
         f.role_profiles[1].expectations["NOPE"] = {3, 1};
       },
       "f.json: $.role_profiles[1]: field 'expectations': unknown competency 'NOPE'"},
      {"expectation level outside the scale",
       [](model::Framework& f) { f.role_profiles[0].expectations["DATA.1"].level = 6; },
       "f.json: $.role_profiles[0].expectations[\"DATA.1\"]: field 'level': 6 is outside the scale "
       "1..5"},
      {"importance outside 1..3",
       [](model::Framework& f) { f.role_profiles[1].expectations["SYS.2"].importance = 0; },
       "f.json: $.role_profiles[1].expectations[\"SYS.2\"]: field 'importance': 0 is outside 1..3"},
      {"duplicate role profile",
       [](model::Framework& f) { f.role_profiles.push_back(f.role_profiles[0]); },
       "f.json: $.role_profiles[2]: field 'function': duplicate role profile strategic × "
       "generalist (first at $.role_profiles[0])"},
      {"crosswalk without destination",
       [](model::Framework& f) { f.crosswalk[1].destination = ""; },
       "f.json: $.crosswalk[1]: field 'destination': a crosswalk link needs a destination"},
      {"framework without code", [](model::Framework& f) { f.code = ""; },
       "f.json: $: field 'code': a framework needs a code"},
  };
  for (const BrokenFramework& c : cases) {
    model::Framework f = RichFramework();
    c.breakit(f);
    Status s = ValidateFramework(f, "f.json");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_EQ(s.message(), c.message) << c.what;
  }
}

}  // namespace
}  // namespace trellis::formats
