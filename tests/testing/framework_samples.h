// testing/framework_samples.h — frameworks built in code for the storage, contract and service
// tests, so they need no file readers. Each exercises every part of the model: scale labels,
// descriptions (with quotes, commas and non-ASCII text), several domains, role profiles with
// expectations, and CASE crosswalk links. Header-only; thread-safe (returns fresh values).
#pragma once

#include <string>

#include "model/framework.h"

namespace trellis::testing {

// A valid framework: 2 domains, 3 competencies, 6 items, 2 role profiles, 1 crosswalk link.
inline model::Framework SampleFramework(const std::string& code = "integrated-care") {
  model::Framework f;
  f.code = code;
  f.title = "Integrated care management";
  f.description =
      "Competencies for managing \"across\" organisations, e.g. health, care — and more";
  f.version = 1;
  f.scale.min = 1;
  f.scale.max = 5;
  f.scale.labels = {{1, "Rarely"}, {3, "Sometimes"}, {5, "Almost always"}};
  f.domains = {
      {"SYS",
       "Systems leadership",
       "Leading across organisational boundaries",
       {{"SYS.1",
         "Shared purpose",
         "",
         {{"SYS.1.a", "Builds a shared purpose with partner organisations"},
          {"SYS.1.b", "Explains how their team's work serves the population, not one body"}}},
        {"SYS.2",
         "Accountability",
         "Clear owners, reviews, consequences",
         {{"SYS.2.a", "Names who is accountable for each shared commitment"}}}}},
      {"DATA",
       "Learning from data",
       "",
       {{"DATA.1",
         "Uses shared data",
         "Reads SPC charts; asks what changed",
         {{"DATA.1.a", "Uses run charts rather than red/amber/green ratings"},
          {"DATA.1.b", "Shares data with partners, in the open"},
          {"DATA.1.c", "Asks \"what would we expect to see?\" before acting, naïvely or not"}}}}},
  };
  f.role_profiles = {
      {model::Level::kStrategic,
       model::Function::kGeneralist,
       {{"SYS.1", {4, 3}}, {"SYS.2", {4, 2}}, {"DATA.1", {3, 2}}}},
      {model::Level::kOperational, model::Function::kClinical, {{"DATA.1", {4, 3}}}},
  };
  f.crosswalk = {{"SYS.1", "exactMatchOf", "urn:example:nhs-leadership:system-1"}};
  return f;
}

// SampleFramework with content changed: a reworded item and an extra competency.
inline model::Framework ChangedSampleFramework(const std::string& code = "integrated-care") {
  model::Framework f = SampleFramework(code);
  f.domains[0].competencies[0].items[0].text = "Builds and keeps a shared purpose with partners";
  f.domains[1].competencies.push_back(
      {"DATA.2", "Evaluates", "", {{"DATA.2.a", "Tests changes with small cycles"}}});
  return f;
}

// A minimal valid framework with `n` as part of its content, for bulk and concurrency tests.
inline model::Framework NumberedFramework(const std::string& code, int n) {
  model::Framework f;
  f.code = code;
  f.title = code + " #" + std::to_string(n);
  f.domains = {{"D", "Domain", "", {{"C", "Competency", "", {}}}}};
  for (int i = 0; i <= n % 5; ++i) {
    f.domains[0].competencies[0].items.push_back(
        {"I" + std::to_string(i), "Item " + std::to_string(i) + " of " + std::to_string(n)});
  }
  return f;
}

}  // namespace trellis::testing
