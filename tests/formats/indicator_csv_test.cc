// Tests for formats/indicator_csv.h: columns, multiple indicators in file order, targets,
// missing values, and errors that name file, line and field.
#include "formats/indicator_csv.h"

#include <gtest/gtest.h>

#include <cmath>

namespace trellis::formats {
namespace {

using analytics::DaysFromCivil;
using analytics::SpcSeries;

TEST(ReadIndicatorCsv, SingleIndicatorNamedAfterTheFile) {
  auto r = ReadIndicatorCsv(
      "\xEF\xBB\xBF"
      "date,value\r\n2024-01-01,10\r\n2024-02-01, 12.5 \r\n",
      "data/beds.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  const SpcSeries& s = (*r)[0];
  EXPECT_EQ(s.indicator, "beds");
  EXPECT_EQ(s.dates,
            (std::vector<analytics::SpcDay>{DaysFromCivil(2024, 1, 1), DaysFromCivil(2024, 2, 1)}));
  EXPECT_EQ(s.values, (std::vector<double>{10, 12.5}));
  EXPECT_EQ(s.target, std::nullopt);
}

TEST(ReadIndicatorCsv, IndicatorColumnGroupsInOrderOfFirstAppearance) {
  auto r = ReadIndicatorCsv(
      "indicator,date,value,target\n"
      "waits,2024-01-01,5,4\n"
      "beds,2024-01-01,90,\n"
      "waits,2024-02-01,6,4\n"
      "beds,2024-02-01,91,\n"
      "waits,2024-03-01,-1e1,\n",
      "ind.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].indicator, "waits");
  EXPECT_EQ((*r)[0].values, (std::vector<double>{5, 6, -10}));
  EXPECT_EQ((*r)[0].target, 4);  // blank target cells are allowed
  EXPECT_EQ((*r)[1].indicator, "beds");
  EXPECT_EQ((*r)[1].values, (std::vector<double>{90, 91}));
  EXPECT_EQ((*r)[1].target, std::nullopt);
}

TEST(ReadIndicatorCsv, MissingValuesKeptWhenAllowed) {
  IndicatorCsvOptions o;
  o.allow_missing = true;
  auto r = ReadIndicatorCsv("date,value\n2024-01-01,1\n2024-01-02,\n2024-01-03,3\n", "i.csv", o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ((*r)[0].values.size(), 3u);
  EXPECT_TRUE(std::isnan((*r)[0].values[1]));
}

struct BadFile {
  const char* text;
  const char* message;
};

TEST(ReadIndicatorCsv, ErrorsNameFileLineAndField) {
  const BadFile cases[] = {
      {"date,value\n2024-01-01,1\n2024-01-02,abc\n",
       "indicator.csv:3: field 'value': 'abc' is not a number"},
      {"date,value\n2024-01-01,1\n2024-01-02,\n",
       "indicator.csv:3: field 'value': missing value (--skip-missing drops such rows)"},
      {"date,value\n2024-01-01,nan\n", "indicator.csv:2: field 'value': 'nan' is not a number"},
      {"date,value\n2024-01-01,inf\n", "indicator.csv:2: field 'value': 'inf' is not a number"},
      {"date,value\n2024-01-01,1.5x\n", "indicator.csv:2: field 'value': '1.5x' is not a number"},
      {"date,value\n2023-02-29,1\n",
       "indicator.csv:2: field 'date': '2023-02-29' is not a valid date (YYYY-MM-DD)"},
      {"date,value\n2024-04-31,1\n",
       "indicator.csv:2: field 'date': '2024-04-31' is not a valid date (YYYY-MM-DD)"},
      {"date,value\n01/02/2024,1\n",
       "indicator.csv:2: field 'date': '01/02/2024' is not a valid date (YYYY-MM-DD)"},
      {"date,value\n2024-01-02,1\n2024-01-02,2\n",
       "indicator.csv:3: field 'date': 2024-01-02 repeats the date on line 2"},
      {"date,value\n2024-01-02,1\n2024-01-01,2\n",
       "indicator.csv:3: field 'date': 2024-01-01 is before 2024-01-02 on line 2; dates must be "
       "strictly increasing"},
      {"indicator,date,value\na,2024-01-02,1\nb,2024-01-01,1\na,2024-01-02,2\n",
       "indicator.csv:4: field 'date': 2024-01-02 repeats the date on line 2 of indicator 'a'"},
      {"indicator,date,value\n,2024-01-02,1\n", "indicator.csv:2: field 'indicator': empty"},
      {"date,value,target\n2024-01-01,1,90\n2024-01-02,1,\n2024-01-03,1,95\n",
       "indicator.csv:4: field 'target': 95 differs from the target 90 on line 2; an indicator "
       "has one target"},
      {"date,value,target\n2024-01-01,1,high\n",
       "indicator.csv:2: field 'target': 'high' is not a number"},
      {"date,value\n2024-01-01,1,2\n", "indicator.csv:2: expected 2 fields, found 3"},
      {"date,Value\n2024-01-01,1\n",
       "indicator.csv:1: unknown column 'Value' (expected: date,value[,target][,indicator])"},
      {"date\n2024-01-01\n", "indicator.csv:1: missing column 'value' (expected: date,value)"},
      {"date,value,date\n", "indicator.csv:1: column 'date' appears twice"},
      {"date,value\n", "indicator.csv:1: no data rows after the header"},
      {"", "indicator.csv:1: the file is empty"},
  };
  for (const BadFile& c : cases) {
    auto r = ReadIndicatorCsv(c.text, "indicator.csv");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.message, 0), 0u)
        << "got:  " << r.status().message() << "\nwant: " << c.message;
  }
}

TEST(ReadIndicatorCsv, LeapDayAndSignedNumbers) {
  auto r = ReadIndicatorCsv("date,value\n2024-02-29,+3\n2024-03-01,-0.25\n", "x.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].values, (std::vector<double>{3, -0.25}));
}

TEST(IndicatorNameFromFileName, StemOfTheBaseName) {
  EXPECT_EQ(IndicatorNameFromFileName("a/b/beds.csv"), "beds");
  EXPECT_EQ(IndicatorNameFromFileName("waits"), "waits");
  EXPECT_EQ(IndicatorNameFromFileName("dir/.csv"), ".csv");
  EXPECT_EQ(IndicatorNameFromFileName(""), "indicator");
}

}  // namespace
}  // namespace trellis::formats
