// tests/formats/framework_test_util.h — shared fixtures for the framework format tests: reading
// files under tests/formats/data and a rich framework that uses every field Trellis models.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "formats/csv.h"
#include "model/framework.h"

namespace trellis::formats::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(TRELLIS_SOURCE_DIR) + "/tests/formats/data/" + name;
}

inline std::string ReadData(const std::string& name) {
  Result<std::string> text = ReadFileToString(DataPath(name));
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

// What tests/formats/data/integrated-care.csv holds: two domains, non-ASCII text, competency
// descriptions, a title with a comma and quotes.
inline model::Framework CsvFixtureFramework() {
  model::Framework f;
  f.code = "integrated-care";
  f.title = "integrated-care";
  f.domains = {
      {"SYS",
       "Leading across the system",
       "",
       {{"SYS.1",
         "Shared purpose",
         "Builds a purpose partners own, not just sign.",
         {{"SYS.1.a", "Brings partners together around a common goal"},
          {"SYS.1.b", "Explains decisions in terms of residents' outcomes"}}},
        {"SYS.2",
         "Accountability, \"owned\" jointly",
         "",
         {{"SYS.2.a", "Names who is accountable for each shared commitment"}}}}},
      {"DATA",
       "Learning from shared data",
       "",
       {{"DATA.1",
         "Using data to learn",
         "Café-table conversations about numbers — in Welsh: "
         "sgyrsiau am ddata.",
         {{"DATA.1.a", "Reads an SPC chart and tells signal from noise"},
          {"DATA.1.b", "Shares data with partners, e.g. the ŵyr-cymorth team"}}}}},
  };
  return f;
}

// The CSV fixture plus everything CSV cannot carry: labels, descriptions, profiles, crosswalk.
inline model::Framework RichFramework() {
  model::Framework f = CsvFixtureFramework();
  f.title = "Integrated care leadership — Arweinyddiaeth gofal integredig";
  f.description = "Management competencies for an integrated care partnership.";
  f.version = 3;
  f.scale.min = 1;
  f.scale.max = 5;
  f.scale.labels = {{1, "Rarely"}, {3, "Often"}, {5, "Almost always — bron bob amser"}};
  f.domains[0].description = "Working as one system across organisations.";
  f.domains[1].description = "Données partagées: learning from shared data.";
  model::RoleProfile strategic;
  strategic.level = model::Level::kStrategic;
  strategic.function = model::Function::kGeneralist;
  strategic.expectations = {{"SYS.1", {5, 3}}, {"DATA.1", {4, 2}}};
  model::RoleProfile operational_finance;
  operational_finance.level = model::Level::kOperational;
  operational_finance.function = model::Function::kFinance;
  operational_finance.expectations = {{"SYS.2", {3, 1}}};
  f.role_profiles = {strategic, operational_finance};
  f.crosswalk = {
      {"SYS.1", "exactMatchOf", "https://example.org/nhs-leadership/competencies/LA-3"},
      {"DATA.1.a", "isRelatedTo", "SYS.2.a"},
  };
  return f;
}

}  // namespace trellis::formats::testing
