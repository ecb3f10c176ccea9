// Tests for the native "trellis-framework" JSON reader and writer.
#include <gtest/gtest.h>

#include "formats/framework_io.h"
#include "framework_test_util.h"

namespace trellis::formats {
namespace {

using testing::RichFramework;

TEST(FrameworkJson, WriteThenReadKeepsEverything) {
  model::Framework f = RichFramework();
  std::string text = WriteFrameworkJson(f);
  Result<model::Framework> back = ReadFrameworkJson(text, "rich.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(model::SameContent(*back, f));
  EXPECT_EQ(back->version, 3);
  EXPECT_EQ(WriteFrameworkJson(*back), text);  // stable output
}

TEST(FrameworkJson, WritesTheDesignLayout) {
  std::string text = WriteFrameworkJson(RichFramework());
  // Key order and spelling as in DESIGN.md; UTF-8 kept as text, not \u escapes.
  EXPECT_EQ(text.rfind("{\n  \"format\": \"trellis-framework\",\n  \"version\": 1,\n"
                       "  \"code\": \"integrated-care\",\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("\"framework_version\": 3"), std::string::npos);
  EXPECT_NE(text.find("\"labels\": {\n      \"1\": \"Rarely\",\n      \"3\": \"Often\""),
            std::string::npos);
  EXPECT_NE(text.find("\"SYS.1\": {\n          \"level\": 5,\n          \"importance\": 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("Arweinyddiaeth gofal integredig"), std::string::npos);
  EXPECT_NE(text.find("\"crosswalk\": [\n    {\n      \"origin\": \"SYS.1\",\n      \"type\": "
                      "\"exactMatchOf\""),
            std::string::npos);
}

TEST(FrameworkJson, ReadsAMinimalFileWithDefaults) {
  const char* text = R"({"format":"trellis-framework","version":1,"code":"mini","title":"Mini",
    "domains":[{"code":"D","title":"Domain","competencies":[{"code":"C","title":"Comp",
    "items":[{"code":"I","text":"Does a thing"}]}]}],
    "some_future_field": {"ignored": true}})";
  Result<model::Framework> f = ReadFrameworkJson(text, "mini.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->version, 1);
  EXPECT_EQ(f->scale.min, 1);
  EXPECT_EQ(f->scale.max, 5);
  EXPECT_TRUE(f->scale.labels.empty());
  EXPECT_TRUE(f->role_profiles.empty());
  ASSERT_EQ(f->ItemCount(), 1u);
  EXPECT_EQ(f->domains[0].competencies[0].items[0].text, "Does a thing");
  EXPECT_EQ(f->domains[0].description, "");
}

TEST(FrameworkJson, DecodesEscapesAndKeepsNonAscii) {
  const char* text =
      "{\"format\":\"trellis-framework\",\"version\":1,\"code\":\"c\","
      "\"title\":\"Caf\\u00e9 \xc5\xb5\",\"domains\":[{\"code\":\"D\",\"title\":"
      "\"T\",\"competencies\":[{\"code\":\"C\",\"title\":\"T\",\"items\":[{\"code\":"
      "\"I\",\"text\":\"t\"}]}]}]}";
  Result<model::Framework> f = ReadFrameworkJson(text, "c.json");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->title, "Caf\xc3\xa9 \xc5\xb5");
}

TEST(FrameworkJson, SyntaxErrorColumnCountsCharacters) {
  // "é" is two bytes but one column.
  Result<model::Framework> f = ReadFrameworkJson("{\"title\": \"é\" x}", "f.json");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message().rfind("f.json:1:15: JSON syntax error: ", 0), 0u)
      << f.status().message();
}

}  // namespace
}  // namespace trellis::formats
