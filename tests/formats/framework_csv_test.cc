// Tests for the framework CSV reader and writer.
#include <gtest/gtest.h>

#include "formats/framework_io.h"
#include "framework_test_util.h"

namespace trellis::formats {
namespace {

using testing::CsvFixtureFramework;
using testing::ReadData;

TEST(FrameworkCsv, ReadsTheFixture) {
  Result<model::Framework> f =
      ReadFrameworkCsv(ReadData("integrated-care.csv"), "data/integrated-care.csv");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  model::Framework want = CsvFixtureFramework();
  EXPECT_TRUE(model::SameContent(*f, want)) << WriteFrameworkJson(*f);
  EXPECT_EQ(f->code, "integrated-care");  // from the file name's stem
  EXPECT_EQ(f->title, "integrated-care");
  EXPECT_EQ(f->scale.min, 1);
  EXPECT_EQ(f->scale.max, 5);
}

TEST(FrameworkCsv, AcceptsBomCrlfAndQuotedNewlines) {
  Result<model::Framework> f = ReadFrameworkCsv(ReadData("crlf-bom.csv"), "crlf-bom.csv");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->ItemCount(), 2u);
  EXPECT_EQ(f->domains[0].code, "D");  // the BOM is not part of the first column name
  EXPECT_EQ(f->domains[0].competencies[0].items[0].text, "First item");
  EXPECT_EQ(f->domains[0].competencies[0].items[1].text, "Second,\r\nitem");
}

TEST(FrameworkCsv, ColumnsMayComeInAnyOrder) {
  const char* text =
      "item,item_code,competency,competency_code,domain,domain_code\n"
      "Listens,I1,Listening,C1,People,D1\n";
  Result<model::Framework> f = ReadFrameworkCsv(text, "x.csv");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->domains[0].code, "D1");
  EXPECT_EQ(f->domains[0].competencies[0].items[0], (model::Item{"I1", "Listens"}));
}

TEST(FrameworkCsv, WriteThenReadRoundTrips) {
  model::Framework f = CsvFixtureFramework();
  std::string text = WriteFrameworkCsv(f);
  Result<model::Framework> back = ReadFrameworkCsv(text, "integrated-care.csv");
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << text;
  EXPECT_TRUE(model::SameContent(*back, f));
}

TEST(FrameworkCsv, WriterQuotesWhatTheReaderWouldAlter) {
  model::Framework f;
  f.code = "q";
  f.title = "q";
  f.domains = {{"#D", "A, B", "", {{"C", "Say \"hi\"", "", {{"I", "two\nlines"}}}}}};
  std::string text = WriteFrameworkCsv(f);
  EXPECT_EQ(text,
            "domain_code,domain,competency_code,competency,item_code,item\n"
            "\"#D\",\"A, B\",C,\"Say \"\"hi\"\"\",I,\"two\nlines\"\n");
  Result<model::Framework> back = ReadFrameworkCsv(text, "q.csv");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(model::SameContent(*back, f));
}

TEST(FrameworkCsv, WriterAddsDescriptionColumnOnlyWhenNeeded) {
  std::string text = WriteFrameworkCsv(CsvFixtureFramework());
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "domain_code,domain,competency_code,competency,item_code,item,description");
}

}  // namespace
}  // namespace trellis::formats
