// Tests for service/framework_service.h against a real SQLite store in a temporary directory:
// importing (new, unchanged, changed), that stored versions stay as they were, exports that
// re-import unchanged and repeat byte for byte, and the errors a user sees.
#include "service/framework_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "storage/sqlite/sqlite_store.h"
#include "testing/framework_samples.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

using testing::ChangedSampleFramework;
using testing::SampleFramework;

class FrameworkServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<FrameworkService>(*store_);
  }

  // Writes `text` to a file named `name` in the test's directory; returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = (dir_.path() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::string WriteJson(const std::string& name, const model::Framework& f) {
    return WriteFile(name, formats::WriteFrameworkJson(f));
  }

  ImportOutcome MustImport(const std::string& path) {
    Result<ImportOutcome> outcome = service_->Import(path);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? *outcome : ImportOutcome{};
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<FrameworkService> service_;
};

TEST_F(FrameworkServiceTest, ImportingTheSameFileTwiceKeepsVersionOne) {
  const std::string path = WriteJson("ic.json", SampleFramework());
  ImportOutcome first = MustImport(path);
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.stored.framework.version, 1);
  EXPECT_TRUE(model::SameContent(first.stored.framework, SampleFramework()));

  ImportOutcome second = MustImport(path);
  EXPECT_TRUE(second.unchanged);
  EXPECT_EQ(second.stored.framework.version, 1);
  EXPECT_EQ(second.stored.created_at, first.stored.created_at);
  EXPECT_EQ(service_->Versions("integrated-care")->size(), 1u);
}

TEST_F(FrameworkServiceTest, AFileThatClaimsAnotherVersionNumberIsStillUnchanged) {
  model::Framework f = SampleFramework();
  MustImport(WriteJson("ic.json", f));
  f.version = 7;  // files carry the version they were exported from; content decides
  ImportOutcome again = MustImport(WriteJson("ic-v7.json", f));
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.stored.framework.version, 1);
}

TEST_F(FrameworkServiceTest, AChangedFileBecomesTheNextVersionAndTheOldOneStays) {
  MustImport(WriteJson("ic.json", SampleFramework()));
  ASSERT_TRUE(store_->MarkFrameworkVersionInUse("integrated-care", 1).ok());

  ImportOutcome changed = MustImport(WriteJson("ic.json", ChangedSampleFramework()));
  EXPECT_FALSE(changed.unchanged);
  EXPECT_EQ(changed.stored.framework.version, 2);

  Result<storage::StoredFramework> v1 = service_->Show("integrated-care", 1);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_TRUE(model::SameContent(v1->framework, SampleFramework()));
  EXPECT_TRUE(v1->in_use);
  Result<storage::StoredFramework> latest = service_->Show("integrated-care", std::nullopt);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->framework.version, 2);
  EXPECT_TRUE(model::SameContent(latest->framework, ChangedSampleFramework()));

  // Going back to the first content is a change too: it becomes version 3.
  ImportOutcome back = MustImport(WriteJson("ic.json", SampleFramework()));
  EXPECT_FALSE(back.unchanged);
  EXPECT_EQ(back.stored.framework.version, 3);
}

TEST_F(FrameworkServiceTest, ExportsReimportUnchanged) {
  MustImport(WriteJson("ic.json", SampleFramework()));
  MustImport(WriteJson("ic.json", ChangedSampleFramework()));
  struct Case {
    formats::FrameworkFormat format;
    const char* file;
  };
  for (const Case& c : {Case{formats::FrameworkFormat::kJson, "export.json"},
                        Case{formats::FrameworkFormat::kCase, "export-case.json"}}) {
    Result<std::string> text = service_->Export("integrated-care", std::nullopt, c.format);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    ImportOutcome again = MustImport(WriteFile(c.file, *text));
    EXPECT_TRUE(again.unchanged) << c.file;
    EXPECT_EQ(again.stored.framework.version, 2) << c.file;
  }
  // An old version exported and re-imported is a change relative to the latest.
  Result<std::string> v1 = service_->Export("integrated-care", 1, formats::FrameworkFormat::kJson);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  Result<ImportOutcome> text_import = service_->ImportText(*v1, "v1.json");
  ASSERT_TRUE(text_import.ok()) << text_import.status().ToString();
  EXPECT_EQ(text_import->stored.framework.version, 3);
  EXPECT_TRUE(model::SameContent(text_import->stored.framework, SampleFramework()));
}

TEST_F(FrameworkServiceTest, CsvExportKeepsTheHierarchy) {
  MustImport(WriteJson("ic.json", SampleFramework()));
  Result<std::string> csv =
      service_->Export("integrated-care", std::nullopt, formats::FrameworkFormat::kCsv);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  Result<model::Framework> back = formats::ReadFrameworkCsv(*csv, "integrated-care.csv");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->code, "integrated-care");
  // CSV has no column for domain descriptions; everything else of the hierarchy survives.
  std::vector<model::Domain> expected = SampleFramework().domains;
  for (model::Domain& d : expected) d.description.clear();
  EXPECT_EQ(back->domains, expected);
}

TEST_F(FrameworkServiceTest, RepeatedExportsAreByteIdentical) {
  MustImport(WriteJson("ic.json", SampleFramework()));
  const formats::FrameworkFormat kFormats[] = {formats::FrameworkFormat::kCsv,
                                               formats::FrameworkFormat::kJson,
                                               formats::FrameworkFormat::kCase};
  std::vector<std::string> first;
  for (formats::FrameworkFormat format : kFormats) {
    Result<std::string> text = service_->Export("integrated-care", 1, format);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    first.push_back(*text);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a wall-clock stamp would move
  for (size_t i = 0; i < first.size(); ++i) {
    Result<std::string> again = service_->Export("integrated-care", 1, kFormats[i]);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, first[i]) << formats::FrameworkFormatName(kFormats[i]);
  }
  Result<storage::StoredFramework> stored = service_->Show("integrated-care", 1);
  ASSERT_TRUE(stored.ok());
  Result<std::string> case_text =
      service_->Export("integrated-care", 1, formats::FrameworkFormat::kCase);
  ASSERT_TRUE(case_text.ok());
  EXPECT_NE(case_text->find(stored->created_at), std::string::npos)
      << "CASE lastChangeDateTime should be the version's stored time " << stored->created_at;
}

TEST_F(FrameworkServiceTest, ErrorsNameTheProblem) {
  Result<ImportOutcome> missing = service_->Import((dir_.path() / "nope.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  const std::string bad = WriteFile("bad.csv",
                                    "domain_code,domain,competency_code,competency,item_code,item\n"
                                    "D,Domain,C,Competency,I1,First\n"
                                    "D,Domain,C,Competency,I1,Second\n");
  Result<model::Framework> invalid = FrameworkService::Validate(bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find("bad.csv:3"), std::string::npos)
      << invalid.status().message();
  EXPECT_NE(invalid.status().message().find("item_code"), std::string::npos)
      << invalid.status().message();
  Result<ImportOutcome> not_imported = service_->Import(bad);
  EXPECT_EQ(not_imported.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(service_->List()->empty());

  Result<std::string> unknown =
      service_->Export("nope", std::nullopt, formats::FrameworkFormat::kJson);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  Result<storage::StoredFramework> no_version = service_->Show("nope", 2);
  EXPECT_EQ(no_version.status().code(), StatusCode::kNotFound);
}

TEST_F(FrameworkServiceTest, ImportValidatesFrameworksBuiltInCode) {
  model::Framework f = SampleFramework();
  f.domains[0].competencies[0].items.clear();  // every competency needs an item
  Result<ImportOutcome> outcome = service_->ImportFramework(f, "editor");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(outcome.status().message().find("editor"), std::string::npos)
      << outcome.status().message();
}

// Four importers of the same new file at once: one stores version 1, the others see it
// unchanged — never a duplicate version.
TEST_F(FrameworkServiceTest, ConcurrentIdenticalImportsStoreOneVersion) {
  const std::string path = WriteJson("ic.json", SampleFramework());
  std::vector<Result<ImportOutcome>> outcomes(4, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (size_t t = 0; t < outcomes.size(); ++t)
    threads.emplace_back([&, t] { outcomes[t] = service_->Import(path); });
  for (std::thread& th : threads) th.join();
  int stored = 0;
  for (const Result<ImportOutcome>& o : outcomes) {
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    EXPECT_EQ(o->stored.framework.version, 1);
    if (!o->unchanged) ++stored;
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(service_->Versions("integrated-care")->size(), 1u);
}

TEST(FrameworkSize, CountsDomainsCompetenciesAndItems) {
  FrameworkSize size = SizeOf(SampleFramework());
  EXPECT_EQ(size.domains, 2u);
  EXPECT_EQ(size.competencies, 3u);
  EXPECT_EQ(size.items, 6u);
}

}  // namespace
}  // namespace trellis::service
