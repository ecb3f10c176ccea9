// Tests for formats/csv.h: quoting, BOM, CRLF, comments, and errors naming file and line.
#include "formats/csv.h"

#include <gtest/gtest.h>

namespace trellis::formats {
namespace {

TEST(ParseCsv, ReadsQuotedFieldsBomAndCrlf) {
  auto t = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n1,\"x, \"\"y\"\"\"\r\n\r\n# note\r\n2,\"multi\nline\"\r\n",
      "f.csv");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].fields[1], "x, \"y\"");
  EXPECT_EQ(t->rows[1].line, 5u);
  EXPECT_EQ(t->rows[1].fields[1], "multi\nline");
}

struct BadCsv {
  const char* text;
  const char* message;
};

TEST(ParseCsv, ErrorsNameFileAndLine) {
  const BadCsv cases[] = {
      {"a,b\n1,\"open\n2,3\n", "f.csv:2: unterminated quoted field"},
      {"a,b\n1,\"x\"y\n", "f.csv:2: field 2: unexpected character after a closing quote"},
      {"a,b\n1,x\"y\n", "f.csv:2: field 2: a '\"' inside an unquoted field"},
      {"a,b\n1,2\n3,\xC3\x28\n", "f.csv:3: invalid UTF-8 text"},
      {"\n\n", "f.csv:1: the file is empty"},
  };
  for (const BadCsv& c : cases) {
    auto t = ParseCsv(c.text, "f.csv");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.status().message().rfind(c.message, 0), 0u)
        << "got: " << t.status().message() << "\nwant prefix: " << c.message;
  }
}

TEST(RequireColumns, NamesTheMissingColumn) {
  auto t = ParseCsv("date,target\n", "ind.csv");
  ASSERT_TRUE(t.ok());
  Status s = RequireColumns(*t, "ind.csv", {"date", "value"});
  EXPECT_EQ(s.message(), "ind.csv:1: missing column 'value' (expected: date,value)");
}

}  // namespace
}  // namespace trellis::formats
