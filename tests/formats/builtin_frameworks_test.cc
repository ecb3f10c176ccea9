// Tests for the built-in frameworks shipped as data under frameworks/: each loads through
// LoadFrameworkFile, validates, and keeps the shape docs/frameworks.md promises (8 domains of
// 2–4 competencies of 2–4 items; generalist profiles for both levels covering every competency;
// the three-part context check). A failure here means a hand edit broke the data.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "formats/framework_io.h"
#include "model/framework.h"
#include "model/person.h"

namespace trellis::formats {
namespace {

using model::Competency;
using model::Domain;
using model::Framework;
using model::Function;
using model::Item;
using model::Level;
using model::RoleProfile;

std::string BuiltinPath(const std::string& file_name) {
  return std::string(TRELLIS_SOURCE_DIR) + "/frameworks/" + file_name;
}

// The profile for exactly this level × function (no fallback), or nullptr.
const RoleProfile* ExactProfile(const Framework& f, Level level, Function function) {
  for (const RoleProfile& p : f.role_profiles)
    if (p.level == level && p.function == function) return &p;
  return nullptr;
}

// Loaded once for the whole suite; the file does not change while the tests run.
const Result<Framework>& IntegratedCare() {
  static const auto* loaded =
      new Result<Framework>(LoadFrameworkFile(BuiltinPath("integrated-care.json")));
  return *loaded;
}

class IntegratedCareFramework : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(IntegratedCare().ok()) << IntegratedCare().status().ToString();
  }
  const Framework& f() const { return *IntegratedCare(); }
};

TEST_F(IntegratedCareFramework, LoadsAndValidates) {
  Status valid = ValidateFramework(f(), "integrated-care.json");
  EXPECT_TRUE(valid.ok()) << valid.ToString();
  EXPECT_EQ(f().code, "integrated-care");
  EXPECT_FALSE(f().title.empty());
  EXPECT_FALSE(f().description.empty());
}

TEST_F(IntegratedCareFramework, HasEightDomainsOfTwoToFourCompetenciesOfTwoToFourItems) {
  ASSERT_EQ(f().domains.size(), 8u);
  const std::set<std::string> want_domains = {"SYS", "SHL", "REL", "COD",
                                              "NET", "ACC", "DAT", "RES"};
  std::set<std::string> domain_codes;
  for (const Domain& d : f().domains) {
    domain_codes.insert(d.code);
    EXPECT_FALSE(d.title.empty()) << d.code;
    EXPECT_FALSE(d.description.empty()) << d.code;
    EXPECT_GE(d.competencies.size(), 2u) << d.code;
    EXPECT_LE(d.competencies.size(), 4u) << d.code;
    for (const Competency& c : d.competencies) {
      EXPECT_EQ(c.code.rfind(d.code, 0), 0u) << c.code << " is not under domain " << d.code;
      EXPECT_FALSE(c.title.empty()) << c.code;
      EXPECT_FALSE(c.description.empty()) << c.code;
      EXPECT_GE(c.items.size(), 2u) << c.code;
      EXPECT_LE(c.items.size(), 4u) << c.code;
      for (const Item& i : c.items) {
        EXPECT_EQ(i.code.rfind(c.code + ".", 0), 0u) << i.code << " is not under " << c.code;
        EXPECT_FALSE(i.text.empty()) << i.code;
      }
    }
  }
  EXPECT_EQ(domain_codes, want_domains);
}

TEST_F(IntegratedCareFramework, CodesAreUnique) {
  std::set<std::string> competencies, items;
  size_t n_competencies = 0;
  for (const Domain& d : f().domains) {
    for (const Competency& c : d.competencies) {
      ++n_competencies;
      EXPECT_TRUE(competencies.insert(c.code).second) << "duplicate competency " << c.code;
      for (const Item& i : c.items)
        EXPECT_TRUE(items.insert(i.code).second) << "duplicate item " << i.code;
    }
  }
  EXPECT_EQ(items.size(), f().ItemCount());
  // The documented size of the questionnaire (docs/frameworks.md).
  EXPECT_GE(n_competencies, 22u);
  EXPECT_LE(n_competencies, 28u);
  EXPECT_GE(f().ItemCount(), 60u);
  EXPECT_LE(f().ItemCount(), 80u);
}

TEST_F(IntegratedCareFramework, ScaleIsOneToFiveWithEveryPointLabelled) {
  EXPECT_EQ(f().scale.min, 1);
  EXPECT_EQ(f().scale.max, 5);
  ASSERT_EQ(f().scale.labels.size(), 5u);
  for (int score = 1; score <= 5; ++score) {
    auto it = f().scale.labels.find(score);
    ASSERT_NE(it, f().scale.labels.end()) << score;
    EXPECT_FALSE(it->second.empty()) << score;
  }
}

TEST_F(IntegratedCareFramework, EveryProfileCoversEveryCompetencyWithinTheScale) {
  ASSERT_NE(ExactProfile(f(), Level::kStrategic, Function::kGeneralist), nullptr);
  ASSERT_NE(ExactProfile(f(), Level::kOperational, Function::kGeneralist), nullptr);
  for (const RoleProfile& p : f().role_profiles) {
    const std::string name =
        std::string(model::LevelName(p.level)) + "/" + std::string(model::FunctionName(p.function));
    for (const Domain& d : f().domains)
      for (const Competency& c : d.competencies)
        EXPECT_EQ(p.expectations.count(c.code), 1u) << name << " lacks " << c.code;
    for (const auto& [code, e] : p.expectations) {
      EXPECT_NE(f().FindCompetency(code), nullptr) << name << " names unknown " << code;
      EXPECT_GE(e.level, f().scale.min) << name << " " << code;
      EXPECT_LE(e.level, f().scale.max) << name << " " << code;
      EXPECT_GE(e.importance, 1) << name << " " << code;
      EXPECT_LE(e.importance, 3) << name << " " << code;
    }
  }
}

TEST_F(IntegratedCareFramework, ProfileForPicksTheFunctionOrFallsBackToGeneralist) {
  const RoleProfile* op_finance = ExactProfile(f(), Level::kOperational, Function::kFinance);
  ASSERT_NE(op_finance, nullptr);
  EXPECT_EQ(f().ProfileFor(Level::kOperational, Function::kFinance), op_finance);

  // Functions with their own profile at each level (docs/frameworks.md).
  for (Function fn : {Function::kHr, Function::kFinance, Function::kIt, Function::kData}) {
    const RoleProfile* p = f().ProfileFor(Level::kOperational, fn);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->function, fn) << model::FunctionName(fn);
  }
  for (Function fn : {Function::kFinance, Function::kData}) {
    const RoleProfile* p = f().ProfileFor(Level::kStrategic, fn);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->level, Level::kStrategic);
    EXPECT_EQ(p->function, fn) << model::FunctionName(fn);
  }

  // No strategic IT profile and no "other" profile: both fall back to the generalist one.
  const RoleProfile* st_it = f().ProfileFor(Level::kStrategic, Function::kIt);
  ASSERT_NE(st_it, nullptr);
  EXPECT_EQ(st_it->level, Level::kStrategic);
  EXPECT_EQ(st_it->function, Function::kGeneralist);
  const RoleProfile* op_other = f().ProfileFor(Level::kOperational, Function::kOther);
  ASSERT_NE(op_other, nullptr);
  EXPECT_EQ(op_other->level, Level::kOperational);
  EXPECT_EQ(op_other->function, Function::kGeneralist);
}

// The differences between profiles that docs/frameworks.md explains: data managers are expected
// to do more with data than generalists; strategic managers more on systems understanding and
// accountability design than operational ones.
TEST_F(IntegratedCareFramework, ProfilesDifferWhereTheDocsSayTheyDo) {
  const RoleProfile* op_gen = ExactProfile(f(), Level::kOperational, Function::kGeneralist);
  const RoleProfile* op_data = ExactProfile(f(), Level::kOperational, Function::kData);
  const RoleProfile* st_gen = ExactProfile(f(), Level::kStrategic, Function::kGeneralist);
  ASSERT_NE(op_gen, nullptr);
  ASSERT_NE(op_data, nullptr);
  ASSERT_NE(st_gen, nullptr);
  for (const Domain& d : f().domains) {
    int op_data_above = 0, st_above = 0;
    for (const Competency& c : d.competencies) {
      const int gen = op_gen->expectations.at(c.code).level;
      if (d.code == "DAT") {
        EXPECT_GE(op_data->expectations.at(c.code).level, gen) << c.code;
        op_data_above += op_data->expectations.at(c.code).level > gen;
      }
      if (d.code == "SYS" || d.code == "ACC") {
        EXPECT_GE(st_gen->expectations.at(c.code).level, gen) << c.code;
        st_above += st_gen->expectations.at(c.code).level > gen;
      }
    }
    if (d.code == "DAT") {
      EXPECT_GT(op_data_above, 0);
    }
    if (d.code == "SYS" || d.code == "ACC") {
      EXPECT_GT(st_above, 0) << d.code;
    }
  }
}

TEST(ContextCheck, LoadsWithCapacityCommitmentAndContext) {
  Result<Framework> f = LoadFrameworkFile(BuiltinPath("context-check.json"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Status valid = ValidateFramework(*f, "context-check.json");
  EXPECT_TRUE(valid.ok()) << valid.ToString();
  EXPECT_EQ(f->code, "context-check");

  ASSERT_EQ(f->domains.size(), 3u);
  EXPECT_EQ(f->domains[0].code, "CAP");
  EXPECT_EQ(f->domains[1].code, "COM");
  EXPECT_EQ(f->domains[2].code, "CTX");
  std::set<std::string> items;
  for (const Domain& d : f->domains) {
    ASSERT_EQ(d.competencies.size(), 1u) << d.code;
    const Competency& c = d.competencies[0];
    EXPECT_GE(c.items.size(), 3u) << d.code;
    EXPECT_LE(c.items.size(), 4u) << d.code;
    for (const Item& i : c.items) {
      EXPECT_TRUE(items.insert(i.code).second) << "duplicate item " << i.code;
      EXPECT_FALSE(i.text.empty()) << i.code;
    }
  }

  EXPECT_EQ(f->scale.min, 1);
  EXPECT_EQ(f->scale.max, 5);
  EXPECT_EQ(f->scale.labels.size(), 5u);
  EXPECT_EQ(f->scale.labels.at(1), "Strongly disagree");
  EXPECT_EQ(f->scale.labels.at(5), "Strongly agree");
  EXPECT_TRUE(f->role_profiles.empty());
}

}  // namespace
}  // namespace trellis::formats
