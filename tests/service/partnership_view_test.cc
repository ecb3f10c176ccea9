// Tests of service/partnership_view.h on hand-built figures: rows by organisation with sector
// parents, by role with level and function parents, competence vs context, strongest first.
#include "service/partnership_view.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace trellis::service {
namespace {

using analytics::Aggregate;
using analytics::CampaignAnalysis;
using analytics::SetLevel;

struct Subject {
  std::string org;
  model::Sector sector;
  model::Level level;
  model::Function function;
  double c1;  // others.mean on C1 (C2 gets c1 + 1)
  double capacity;
};

std::shared_ptr<const CampaignFigures> FiguresOf(const std::vector<Subject>& subjects,
                                                 bool context) {
  auto figures = std::make_shared<CampaignFigures>();
  CampaignAnalysis& a = figures->competencies;
  a.sets = {{SetLevel::kOverall, "", 0, 2},
            {SetLevel::kDomain, "D1", 0, 2},
            {SetLevel::kCompetency, "C1", 0, 1},
            {SetLevel::kCompetency, "C2", 1, 2}};
  a.subject_count = subjects.size();
  a.aggregates.resize(subjects.size() * 4);
  CampaignAnalysis& c = figures->context;
  c.sets = {{SetLevel::kOverall, "", 0, 3},
            {SetLevel::kDomain, "CAP", 0, 1},
            {SetLevel::kDomain, "COM", 1, 2},
            {SetLevel::kDomain, "CTX", 2, 3}};
  c.subject_count = subjects.size();
  c.aggregates.resize(subjects.size() * 4);
  if (context) {
    figures->context_framework.emplace();
    figures->context_framework->code = "context-check";
  }
  for (size_t s = 0; s < subjects.size(); ++s) {
    const Subject& x = subjects[s];
    SubjectAttributes attributes;
    attributes.person_id = "p" + std::to_string(s);
    attributes.organisation_id = x.org;
    attributes.sector = x.sector;
    attributes.level = x.level;
    attributes.function = x.function;
    figures->subjects.push_back(attributes);
    a.aggregates[s * 4 + 0].others_mean = x.c1 + 0.5;
    a.aggregates[s * 4 + 1].others_mean = x.c1 + 0.5;
    a.aggregates[s * 4 + 2].others_mean = x.c1;
    a.aggregates[s * 4 + 3].others_mean = x.c1 + 1;
    for (int k = 1; k < 4; ++k) c.aggregates[s * 4 + k].others_mean = x.capacity;
  }
  return figures;
}

std::vector<Subject> Partnership() {
  using model::Function;
  using model::Level;
  using model::Sector;
  std::vector<Subject> out;
  // org-a (acute): 6 strategic generalists scoring 4; org-b (acute): 2 operational HR scoring
  // 2; org-c (social care): 5 operational generalists scoring 3.
  for (int i = 0; i < 6; ++i) {
    out.push_back({"org-a", Sector::kAcute, Level::kStrategic, Function::kGeneralist, 4, 4});
  }
  for (int i = 0; i < 2; ++i) {
    out.push_back({"org-b", Sector::kAcute, Level::kOperational, Function::kHr, 2, 2});
  }
  for (int i = 0; i < 5; ++i) {
    out.push_back({"org-c", Sector::kSocialCare, Level::kOperational, Function::kGeneralist, 3, 2});
  }
  return out;
}

TEST(PartnershipView, OrganisationsWithSectorParents) {
  Result<PartnershipView> view = BuildPartnershipView(FiguresOf(Partnership(), true), {});
  ASSERT_TRUE(view.ok()) << view.status().message();
  const analytics::Heatmap& h = view->organisations;
  ASSERT_EQ(h.rows, (std::vector<std::string>{"org-a", "org-b", "org-c"}));
  EXPECT_EQ(h.columns.size(), 2u);
  // org-b is too small; against its sector "acute" (8 subjects, shown) org-a is withheld too.
  EXPECT_EQ(h.At(1, 0).withheld, analytics::CellWithheld::kTooFewSubjects);
  EXPECT_EQ(h.At(0, 0).withheld, analytics::CellWithheld::kComplementary);
  EXPECT_DOUBLE_EQ(h.At(2, 0).mean, 3.0);
  ASSERT_EQ(h.parents.size(), 1u);
  EXPECT_DOUBLE_EQ(h.parents[0].at("acute")[0].mean, (6 * 4.0 + 2 * 2.0) / 8);
  EXPECT_DOUBLE_EQ(h.parents[0].at("social_care")[0].mean, 3.0);
  EXPECT_DOUBLE_EQ(h.total[1].mean, (6 * 5.0 + 2 * 3.0 + 5 * 4.0) / 13);
}

TEST(PartnershipView, RolesWithLevelAndFunctionParents) {
  Result<PartnershipView> view = BuildPartnershipView(FiguresOf(Partnership(), true), {});
  ASSERT_TRUE(view.ok());
  const analytics::Heatmap& h = view->roles;
  ASSERT_EQ(h.rows, (std::vector<std::string>{"operational/generalist", "operational/hr",
                                              "strategic/generalist"}));
  ASSERT_EQ(h.parents.size(), 2u);
  EXPECT_EQ(h.parents[0].at("strategic")[0].subjects, 6u);
  EXPECT_EQ(h.parents[1].at("hr")[0].subjects, 2u);
  EXPECT_FALSE(h.parents[1].at("hr")[0].Shown());
  EXPECT_FALSE(h.At(1, 0).Shown());  // operational/hr: 2 subjects
}

TEST(PartnershipView, ContextByOrganisationOnlyWithAContextCheck) {
  Result<PartnershipView> with = BuildPartnershipView(FiguresOf(Partnership(), true), {});
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->context.columns.size(), 3u);
  EXPECT_DOUBLE_EQ(with->context.At(2, 0).mean, 2.0);
  EXPECT_DOUBLE_EQ(with->overall_by_organisation.At(2, 0).mean, 3.5);
  Result<PartnershipView> without = BuildPartnershipView(FiguresOf(Partnership(), false), {});
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->context.columns.empty());
}

TEST(PartnershipView, DomainsAndStrongestFirst) {
  PartnershipViewOptions options;
  options.level = SetLevel::kDomain;
  Result<PartnershipView> view = BuildPartnershipView(FiguresOf(Partnership(), true), options);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->organisations.columns, std::vector<size_t>{1});
  Result<PartnershipView> competencies = BuildPartnershipView(FiguresOf(Partnership(), true), {});
  ASSERT_TRUE(competencies.ok());
  EXPECT_EQ(competencies->strongest_first, (std::vector<size_t>{1, 0}));
  options.level = SetLevel::kItem;
  EXPECT_FALSE(BuildPartnershipView(FiguresOf(Partnership(), true), options).ok());
}

}  // namespace
}  // namespace trellis::service
