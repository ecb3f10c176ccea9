// Tests for format names, detection, loading files, and the cross-format round trip.
#include "formats/framework_io.h"

#include <gtest/gtest.h>

#include "framework_test_util.h"

namespace trellis::formats {
namespace {

using testing::DataPath;
using testing::ReadData;
using testing::RichFramework;

TEST(FrameworkFormat, NamesRoundTrip) {
  for (FrameworkFormat f :
       {FrameworkFormat::kCsv, FrameworkFormat::kJson, FrameworkFormat::kCase}) {
    Result<FrameworkFormat> back = ParseFrameworkFormat(FrameworkFormatName(f));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, f);
  }
  Result<FrameworkFormat> bad = ParseFrameworkFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "unknown framework format 'xml' (allowed: csv, json, case)");
}

TEST(DetectFrameworkFormat, UsesExtensionAndContent) {
  auto detect = [](std::string_view name, std::string_view text) {
    Result<FrameworkFormat> f = DetectFrameworkFormat(name, text);
    return f.ok() ? std::string(FrameworkFormatName(*f)) : f.status().message();
  };
  EXPECT_EQ(detect("a.CSV", "anything"), "csv");
  EXPECT_EQ(detect("a.json", R"({"format":"trellis-framework","version":1})"), "json");
  EXPECT_EQ(detect("a.json", "\xEF\xBB\xBF {\"CFDocument\":{}}"), "case");
  EXPECT_EQ(detect("export", R"({"CFItems":[], "CFDocument":{}})"), "case");
  EXPECT_EQ(detect("f.txt", "domain_code,domain,competency_code\n"), "csv");
  // Broken JSON is still routed to a reader, which then reports the position.
  EXPECT_EQ(detect("a.json", "{\"CFDocument\": {"), "case");
  EXPECT_EQ(detect("a.json", "{\"format\": "), "json");
  EXPECT_EQ(detect("a.json", R"({"hello": 1})"),
            "a.json: not a framework: a JSON framework has \"format\": \"trellis-framework\" "
            "(native) or a \"CFDocument\" (CASE 1.1)");
  EXPECT_EQ(detect("a.txt", "hello"),
            "a.txt: cannot tell the framework format (expected a .csv file, native JSON or a "
            "CASE 1.1 package)");
}

TEST(LoadFrameworkFile, ReadsEachFormat) {
  Result<model::Framework> csv = LoadFrameworkFile(DataPath("integrated-care.csv"));
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->code, "integrated-care");
  Result<model::Framework> cas = LoadFrameworkFile(DataPath("opensalt-export.json"));
  ASSERT_TRUE(cas.ok()) << cas.status().ToString();
  EXPECT_EQ(cas->domains.size(), 2u);
}

TEST(LoadFrameworkFile, MissingFileIsNotFound) {
  Result<model::Framework> f = LoadFrameworkFile("/nonexistent/f.json");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(f.status().message().rfind("/nonexistent/f.json: cannot open", 0), 0u);
}

// The issue's acceptance test: CSV → JSON → CASE → JSON loses nothing Trellis models.
TEST(FrameworkRoundTrip, CsvToJsonToCaseToJsonLosesNothing) {
  Result<model::Framework> from_csv =
      ReadFrameworkCsv(ReadData("integrated-care.csv"), "integrated-care.csv");
  ASSERT_TRUE(from_csv.ok()) << from_csv.status().ToString();
  EXPECT_TRUE(model::SameContent(*from_csv, testing::CsvFixtureFramework()));

  // Enrich with what CSV cannot carry, as an OD lead would after importing.
  model::Framework rich = *from_csv;
  model::Framework extras = RichFramework();
  rich.title = extras.title;
  rich.description = extras.description;
  rich.version = extras.version;
  rich.scale = extras.scale;
  for (size_t d = 0; d < rich.domains.size(); ++d)
    rich.domains[d].description = extras.domains[d].description;
  rich.role_profiles = extras.role_profiles;
  rich.crosswalk = extras.crosswalk;
  ASSERT_TRUE(model::SameContent(rich, extras));

  Result<model::Framework> json1 = ReadFrameworkJson(WriteFrameworkJson(rich), "a.json");
  ASSERT_TRUE(json1.ok()) << json1.status().ToString();
  Result<model::Framework> cas =
      ReadFrameworkCase(WriteFrameworkCase(*json1, "2026-01-01T00:00:00Z"), "a.case.json");
  ASSERT_TRUE(cas.ok()) << cas.status().ToString();
  Result<model::Framework> json2 = ReadFrameworkJson(WriteFrameworkJson(*cas), "b.json");
  ASSERT_TRUE(json2.ok()) << json2.status().ToString();
  EXPECT_TRUE(model::SameContent(*json2, rich)) << WriteFrameworkJson(*json2);
  EXPECT_EQ(json2->version, rich.version);
  EXPECT_EQ(WriteFrameworkJson(*json2), WriteFrameworkJson(rich));
  // And back to CSV: the tree survives (CSV drops only what it has no columns for).
  Result<model::Framework> csv2 =
      ReadFrameworkCsv(WriteFrameworkCsv(*json2), "integrated-care.csv");
  ASSERT_TRUE(csv2.ok()) << csv2.status().ToString();
  EXPECT_TRUE(model::SameContent(*csv2, *from_csv));
}

}  // namespace
}  // namespace trellis::formats
