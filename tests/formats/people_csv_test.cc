// Tests for formats/people_csv.h: roles by subject, errors naming file, line and field, and the
// role-profile lookup with its generalist fallback.
#include "formats/people_csv.h"

#include <gtest/gtest.h>

namespace trellis::formats {
namespace {

TEST(ParsePeopleCsv, ReadsRolesBySubject) {
  auto people = ParsePeopleCsv(
      "subject,level,function,name\nS1,strategic,hr,Ann\n\n"
      "S2,operational,generalist,\"Bo, B\"\n",
      "p.csv");
  ASSERT_TRUE(people.ok()) << people.status().ToString();
  ASSERT_EQ(people->size(), 2u);
  EXPECT_EQ(people->at("S1").level, model::Level::kStrategic);
  EXPECT_EQ(people->at("S1").function, model::Function::kHr);
  EXPECT_EQ(people->at("S2").level, model::Level::kOperational);
}

TEST(ParsePeopleCsv, ErrorsNameFileLineAndField) {
  const std::pair<const char*, const char*> cases[] = {
      {"subject,level\nS1,strategic\n",
       "p.csv:1: missing column 'function' (expected: subject,level,function)"},
      {"subject,level,function\nS1,senior,hr\n",
       "p.csv:2: field 'level': unknown level 'senior' (expected strategic or operational)"},
      {"subject,level,function\nS1,strategic,Finance\n",
       "p.csv:2: field 'function': unknown function 'Finance' (expected one of: generalist, "
       "clinical, hr, finance, it, data, other)"},
      {"subject,level,function\nS1,strategic,hr\nS1,operational,hr\n",
       "p.csv:3: field 'subject': 'S1' is listed twice (first at line 2)"},
      {"subject,level,function\n,strategic,hr\n", "p.csv:2: field 'subject': empty"},
      {"subject,level,function\nS1,strategic\n",
       "p.csv:2: expected 3 fields as in the header, found 2"},
  };
  for (const auto& [text, message] : cases) {
    auto people = ParsePeopleCsv(text, "p.csv");
    ASSERT_FALSE(people.ok()) << text;
    EXPECT_EQ(people.status().message(), message);
  }
}

TEST(SubjectProfiles, FallsBackCellByCellToGeneralistOfTheSameLevel) {
  model::Framework f;
  f.role_profiles = {
      {model::Level::kStrategic, model::Function::kGeneralist, {{"A", {4, 2}}, {"B", {3, 1}}}},
      {model::Level::kStrategic, model::Function::kClinical, {{"B", {5, 3}}}}};
  std::map<std::string, PersonRole> people = {
      {"S1", {model::Level::kStrategic, model::Function::kFinance}},
      {"S2", {model::Level::kStrategic, model::Function::kClinical}},
      {"S3", {model::Level::kOperational, model::Function::kClinical}},
      {"S5", {model::Level::kStrategic, model::Function::kClinical}}};
  SubjectRoleProfiles p = SubjectProfiles(people, {"S1", "S2", "S3", "S4", "S5"}, f);
  ASSERT_NE(p.of_subject[0], nullptr);  // finance: no profile, generalist throughout
  EXPECT_EQ(p.of_subject[0]->expectations, f.role_profiles[0].expectations);
  ASSERT_NE(p.of_subject[1], nullptr);  // clinical sets B; A comes from strategic × generalist
  EXPECT_EQ(p.of_subject[1]->expectations.at("A"), (model::Expectation{4, 2}));
  EXPECT_EQ(p.of_subject[1]->expectations.at("B"), (model::Expectation{5, 3}));
  EXPECT_EQ(p.of_subject[2], nullptr);          // no operational profile at all
  EXPECT_EQ(p.of_subject[3], nullptr);          // not in the people file
  EXPECT_EQ(p.of_subject[4], p.of_subject[1]);  // one shared profile per role

  SubjectRoleProfiles moved = std::move(p);  // pointers stay valid after a move
  EXPECT_EQ(moved.of_subject[1]->expectations.at("B").level, 5);
}

}  // namespace
}  // namespace trellis::formats
