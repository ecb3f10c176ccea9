// The Store contract: every backend in Backends() (contract/store_backends.h) must pass these.
// They state what callers rely on — round trips, versioning, errors, durability across reopen,
// idempotent migrations, and safety under concurrent use — without naming a backend.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "contract/store_backends.h"
#include "storage/migrations.h"
#include "testing/framework_samples.h"

namespace trellis::testing {
namespace {

using storage::FrameworkSummary;
using storage::FrameworkVersionInfo;
using storage::Store;
using storage::StoredFramework;

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    instance_ = GetParam().create();
    if (instance_ == nullptr) GTEST_SKIP() << GetParam().name << " is not configured here";
    Result<std::unique_ptr<Store>> store = instance_->Open();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  // Saves `f` as `version`, asserting success.
  FrameworkVersionInfo Save(model::Framework f, int version) {
    f.version = version;
    Result<FrameworkVersionInfo> info = store_->SaveFrameworkVersion(f);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : FrameworkVersionInfo{};
  }

  StoredFramework Get(const std::string& code, std::optional<int> version) {
    Result<StoredFramework> got = store_->GetFramework(code, version);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : StoredFramework{};
  }

  std::unique_ptr<BackendInstance> instance_;
  std::unique_ptr<Store> store_;
};

bool IsUtcTimestamp(const std::string& s) {
  return std::regex_match(s, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"));
}

TEST_P(StoreContractTest, SaveThenGetRoundTripsTheWholeFramework) {
  const model::Framework sample = SampleFramework();
  FrameworkVersionInfo info = Save(sample, 1);
  EXPECT_EQ(info.code, "integrated-care");
  EXPECT_EQ(info.version, 1);
  EXPECT_EQ(info.title, sample.title);
  EXPECT_TRUE(IsUtcTimestamp(info.created_at)) << info.created_at;

  StoredFramework got = Get("integrated-care", 1);
  EXPECT_TRUE(model::SameContent(got.framework, sample));
  EXPECT_EQ(got.framework.version, 1);
  EXPECT_EQ(got.created_at, info.created_at);
  EXPECT_FALSE(got.in_use);
  // Order is content too: domains, competencies and items come back as saved.
  EXPECT_EQ(got.framework.domains[1].competencies[0].items[2].code, "DATA.1.c");
  EXPECT_EQ(got.framework.role_profiles[1].expectations.at("DATA.1").importance, 3);
}

TEST_P(StoreContractTest, RoundTripsAMinimalFramework) {
  model::Framework f = NumberedFramework("minimal", 0);  // no labels, profiles or crosswalk
  f.scale.labels.clear();
  Save(f, 1);
  EXPECT_TRUE(model::SameContent(Get("minimal", std::nullopt).framework, f));
}

TEST_P(StoreContractTest, VersionsIncreaseAndLatestIsTheDefault) {
  Save(SampleFramework(), 1);
  Save(ChangedSampleFramework(), 2);

  StoredFramework latest = Get("integrated-care", std::nullopt);
  EXPECT_EQ(latest.framework.version, 2);
  EXPECT_TRUE(model::SameContent(latest.framework, ChangedSampleFramework()));
  StoredFramework first = Get("integrated-care", 1);
  EXPECT_EQ(first.framework.version, 1);
  EXPECT_TRUE(model::SameContent(first.framework, SampleFramework()));

  Result<std::vector<FrameworkVersionInfo>> versions =
      store_->ListFrameworkVersions("integrated-care");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[1].version, 2);
  EXPECT_LE((*versions)[0].created_at, (*versions)[1].created_at);
}

TEST_P(StoreContractTest, AStoredVersionIsNeverChanged) {
  Save(SampleFramework(), 1);
  ASSERT_TRUE(store_->MarkFrameworkVersionInUse("integrated-care", 1).ok());

  model::Framework changed = ChangedSampleFramework();
  changed.version = 1;
  Result<FrameworkVersionInfo> overwrite = store_->SaveFrameworkVersion(changed);
  ASSERT_FALSE(overwrite.ok());
  EXPECT_EQ(overwrite.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(overwrite.status().message().find("version 1 is already stored"), std::string::npos)
      << overwrite.status().message();

  Save(ChangedSampleFramework(), 2);
  StoredFramework first = Get("integrated-care", 1);
  EXPECT_TRUE(model::SameContent(first.framework, SampleFramework()));
  EXPECT_TRUE(first.in_use);
  EXPECT_FALSE(Get("integrated-care", 2).in_use);
}

TEST_P(StoreContractTest, RejectsVersionsThatSkipOrAreNotPositive) {
  for (int version : {0, -1, 2}) {
    model::Framework f = SampleFramework();
    f.version = version;
    Result<FrameworkVersionInfo> info = store_->SaveFrameworkVersion(f);
    ASSERT_FALSE(info.ok()) << version;
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << version;
  }
  Save(SampleFramework(), 1);
  model::Framework f = ChangedSampleFramework();
  f.version = 3;
  Result<FrameworkVersionInfo> skip = store_->SaveFrameworkVersion(f);
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(skip.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(skip.status().message().find("next version is 2"), std::string::npos)
      << skip.status().message();
}

TEST_P(StoreContractTest, RejectsContentTheSchemaCannotHoldAndStoresNothing) {
  struct Case {
    const char* name;
    void (*spoil)(model::Framework&);
    const char* message;
  };
  const Case cases[] = {
      {"empty code", [](model::Framework& f) { f.code.clear(); }, "framework code is empty"},
      {"duplicate item",
       [](model::Framework& f) { f.domains[1].competencies[0].items[1].code = "SYS.1.a"; },
       "duplicate item code 'SYS.1.a'"},
      {"duplicate competency",
       [](model::Framework& f) { f.domains[1].competencies[0].code = "SYS.2"; },
       "duplicate competency code 'SYS.2'"},
      {"duplicate domain", [](model::Framework& f) { f.domains[1].code = "SYS"; },
       "duplicate domain code 'SYS'"},
      {"unknown competency in a profile",
       [](model::Framework& f) {
         f.role_profiles[0].expectations["NOPE"] = {3, 1};
       },
       "names unknown competency 'NOPE'"},
  };
  for (const Case& c : cases) {
    model::Framework f = SampleFramework();
    c.spoil(f);
    Result<FrameworkVersionInfo> info = store_->SaveFrameworkVersion(f);
    ASSERT_FALSE(info.ok()) << c.name;
    EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(info.status().message().find(c.message), std::string::npos)
        << c.name << ": " << info.status().message();
  }
  Result<std::vector<FrameworkSummary>> list = store_->ListFrameworks();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->empty());
}

TEST_P(StoreContractTest, ListsFrameworksByCodeWithLatestVersion) {
  Result<std::vector<FrameworkSummary>> empty = store_->ListFrameworks();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());

  Save(SampleFramework("zeta"), 1);
  model::Framework retitled = ChangedSampleFramework("zeta");
  retitled.title = "Zeta, second edition";
  Save(retitled, 2);
  Save(SampleFramework("alpha"), 1);

  Result<std::vector<FrameworkSummary>> list = store_->ListFrameworks();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  const FrameworkSummary& a = (*list)[0];
  const FrameworkSummary& z = (*list)[1];
  EXPECT_EQ(a.code, "alpha");
  EXPECT_EQ(a.latest_version, 1);
  EXPECT_EQ(a.version_count, 1);
  EXPECT_EQ(z.code, "zeta");
  EXPECT_EQ(z.title, "Zeta, second edition");
  EXPECT_EQ(z.latest_version, 2);
  EXPECT_EQ(z.version_count, 2);
  EXPECT_TRUE(IsUtcTimestamp(z.created_at)) << z.created_at;
  EXPECT_LE(z.created_at, z.latest_created_at);
}

TEST_P(StoreContractTest, MissingFrameworksAndVersionsAreNotFound) {
  Result<StoredFramework> none = store_->GetFramework("nope", std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("'nope'"), std::string::npos);

  Save(SampleFramework(), 1);
  Result<StoredFramework> v9 = store_->GetFramework("integrated-care", 9);
  ASSERT_FALSE(v9.ok());
  EXPECT_EQ(v9.status().code(), StatusCode::kNotFound);
  EXPECT_NE(v9.status().message().find("no version 9"), std::string::npos) << v9.status().message();

  EXPECT_EQ(store_->ListFrameworkVersions("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->MarkFrameworkVersionInUse("nope", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->MarkFrameworkVersionInUse("integrated-care", 2).code(), StatusCode::kNotFound);
}

TEST_P(StoreContractTest, MarkingInUseIsIdempotentAndListed) {
  Save(SampleFramework(), 1);
  Save(ChangedSampleFramework(), 2);
  ASSERT_TRUE(store_->MarkFrameworkVersionInUse("integrated-care", 1).ok());
  ASSERT_TRUE(store_->MarkFrameworkVersionInUse("integrated-care", 1).ok());
  Result<std::vector<FrameworkVersionInfo>> versions =
      store_->ListFrameworkVersions("integrated-care");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_TRUE((*versions)[0].in_use);
  EXPECT_FALSE((*versions)[1].in_use);
}

TEST_P(StoreContractTest, DataSurvivesReopening) {
  Save(SampleFramework(), 1);
  Save(ChangedSampleFramework(), 2);
  ASSERT_TRUE(store_->MarkFrameworkVersionInUse("integrated-care", 2).ok());
  store_.reset();

  Result<std::unique_ptr<Store>> reopened = instance_->Open();
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(*reopened);
  EXPECT_TRUE(model::SameContent(Get("integrated-care", 1).framework, SampleFramework()));
  StoredFramework latest = Get("integrated-care", std::nullopt);
  EXPECT_EQ(latest.framework.version, 2);
  EXPECT_TRUE(latest.in_use);
  EXPECT_TRUE(model::SameContent(latest.framework, ChangedSampleFramework()));
}

TEST_P(StoreContractTest, MigrationsAreIdempotent) {
  const std::vector<storage::Migration>& known = storage::EmbeddedMigrations();
  ASSERT_FALSE(known.empty());
  Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, known.back().version);

  for (int i = 0; i < 2; ++i) {
    Result<std::vector<storage::AppliedMigration>> again = store_->Migrate();
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_TRUE(again->empty()) << "migration " << (*again)[0].name << " applied twice";
  }
  Save(SampleFramework(), 1);
  store_.reset();
  Result<std::unique_ptr<Store>> reopened = instance_->Open();
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(*reopened);

  Result<std::vector<storage::AppliedMigration>> applied = store_->ListAppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), known.size());
  for (size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ((*applied)[i].version, known[i].version);
    EXPECT_EQ((*applied)[i].name, known[i].name);
  }
  EXPECT_TRUE(model::SameContent(Get("integrated-care", 1).framework, SampleFramework()));
}

// Four threads share one store: two save their own framework's versions in sequence, and all
// four race to save versions of a shared framework (retrying when another thread took the
// number), while reading back whatever is latest. Every read must be a complete, correct
// version; at the end every version must be stored exactly once, numbered without gaps.
TEST_P(StoreContractTest, ConcurrentReadsAndWritesDoNotCorrupt) {
  constexpr int kThreads = 4;
  constexpr int kOwnVersions = 12;
  constexpr int kSharedSavesPerThread = 5;
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);

  auto fail = [&](int t, const std::string& what) {
    if (failures.fetch_add(1) == 0 || errors[t].empty()) errors[t] = what;
  };
  // The shared framework's content for version v, so any reader can check what it got.
  auto shared_content = [](int v) { return NumberedFramework("shared", v); };

  auto work = [&](int t) {
    const std::string own = "own-" + std::to_string(t);
    int own_saved = 0;
    int shared_saved = 0;
    for (int step = 0; step < kOwnVersions + kSharedSavesPerThread * 3; ++step) {
      if (t < 2 && own_saved < kOwnVersions) {  // writers of their own framework
        model::Framework f = NumberedFramework(own, own_saved + 1);
        f.version = own_saved + 1;
        Result<FrameworkVersionInfo> saved = store_->SaveFrameworkVersion(f);
        if (!saved.ok()) return fail(t, saved.status().ToString());
        ++own_saved;
      }
      if (shared_saved < kSharedSavesPerThread) {
        Result<StoredFramework> latest = store_->GetFramework("shared", std::nullopt);
        int next = 1;
        if (latest.ok()) {
          next = latest->framework.version + 1;
        } else if (latest.status().code() != StatusCode::kNotFound) {
          return fail(t, latest.status().ToString());
        }
        model::Framework f = shared_content(next);
        f.version = next;
        Result<FrameworkVersionInfo> saved = store_->SaveFrameworkVersion(f);
        if (saved.ok()) {
          ++shared_saved;
        } else if (saved.status().code() != StatusCode::kAlreadyExists) {
          return fail(t, saved.status().ToString());
        }
      }
      // Readers check every framework they can see is a complete, correct version.
      for (const std::string& code : {std::string("own-0"), std::string("own-1")}) {
        Result<StoredFramework> got = store_->GetFramework(code, std::nullopt);
        if (!got.ok()) {
          if (got.status().code() != StatusCode::kNotFound) return fail(t, got.status().ToString());
          continue;
        }
        if (!model::SameContent(got->framework, NumberedFramework(code, got->framework.version)))
          return fail(t, code + " version " + std::to_string(got->framework.version) + " is torn");
      }
      Result<StoredFramework> shared = store_->GetFramework("shared", std::nullopt);
      if (shared.ok() &&
          !model::SameContent(shared->framework, shared_content(shared->framework.version))) {
        return fail(t, "shared version " + std::to_string(shared->framework.version) + " is torn");
      }
      if (Result<std::vector<FrameworkSummary>> list = store_->ListFrameworks(); !list.ok())
        return fail(t, list.status().ToString());
    }
    if (shared_saved != kSharedSavesPerThread) fail(t, "gave up saving shared versions");
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(work, t);
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_TRUE(errors[t].empty()) << "thread " << t << ": " << errors[t];
  ASSERT_EQ(failures.load(), 0);

  for (const std::string code : {"own-0", "own-1"}) {
    Result<std::vector<FrameworkVersionInfo>> versions = store_->ListFrameworkVersions(code);
    ASSERT_TRUE(versions.ok()) << versions.status().ToString();
    ASSERT_EQ(versions->size(), static_cast<size_t>(kOwnVersions));
    for (int v = 1; v <= kOwnVersions; ++v)
      EXPECT_TRUE(model::SameContent(Get(code, v).framework, NumberedFramework(code, v))) << v;
  }
  Result<std::vector<FrameworkVersionInfo>> shared = store_->ListFrameworkVersions("shared");
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  ASSERT_EQ(shared->size(), static_cast<size_t>(kThreads * kSharedSavesPerThread));
  for (int v = 1; v <= kThreads * kSharedSavesPerThread; ++v) {
    EXPECT_EQ((*shared)[v - 1].version, v);
    EXPECT_TRUE(model::SameContent(Get("shared", v).framework, shared_content(v))) << v;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace trellis::testing
