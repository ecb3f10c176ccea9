// analytics/campaign_builder.h — builds small frameworks and rating sets in code for the
// aggregation tests, so each test states its ratings as readable rows.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/framework.h"
#include "model/ratings.h"

namespace trellis::testing {

// Scale 1..5. D1 = {C1: I1, I2; C2: I3}, D2 = {C3: I4, I5}. Profiles: strategic × generalist
// sets every competency (C1 4/imp 3, C2 3/imp 1, C3 5/imp 2); strategic × clinical sets C1 only
// (5/imp 1).
inline model::Framework SmallFramework() {
  model::Framework f;
  f.code = "small";
  f.title = "Small";
  f.domains = {
      {"D1",
       "Domain one",
       "",
       {{"C1", "C one", "", {{"I1", "i1"}, {"I2", "i2"}}}, {"C2", "C two", "", {{"I3", "i3"}}}}},
      {"D2", "Domain two", "", {{"C3", "C three", "", {{"I4", "i4"}, {"I5", "i5"}}}}},
  };
  f.role_profiles = {
      {model::Level::kStrategic,
       model::Function::kGeneralist,
       {{"C1", {4, 3}}, {"C2", {3, 1}}, {"C3", {5, 2}}}},
      {model::Level::kStrategic, model::Function::kClinical, {{"C1", {5, 1}}}},
  };
  return f;
}

// Collects rows; items by code.
class CampaignBuilder {
 public:
  explicit CampaignBuilder(const model::Framework& framework) : framework_(framework) {}

  // Adds one rater's scores on the items in order (0 = not observed; items omitted when the
  // list is shorter).
  CampaignBuilder& Rate(const std::string& subject, const std::string& rater,
                        model::RaterGroup group, const std::vector<std::string>& items,
                        const std::vector<int>& scores) {
    const std::vector<const model::Item*> all = model::ItemsInOrder(framework_);
    for (size_t i = 0; i < items.size() && i < scores.size(); ++i) {
      uint16_t index = 0;
      while (index < all.size() && all[index]->code != items[i]) ++index;
      EXPECT_LT(index, all.size()) << items[i];
      rows_.push_back({subject, rater, group, index,
                       scores[i] == 0 ? model::kNotObserved : static_cast<int8_t>(scores[i])});
    }
    return *this;
  }

  model::RatingSet Build() const {
    Result<model::RatingSet> set = model::BuildRatingSet(rows_, framework_.ItemCount());
    EXPECT_TRUE(set.ok()) << set.status().ToString();
    return set.ok() ? *set : model::RatingSet{};
  }

 private:
  const model::Framework& framework_;
  std::vector<model::RatingRow> rows_;
};

}  // namespace trellis::testing
