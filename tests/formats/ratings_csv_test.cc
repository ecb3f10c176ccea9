// Tests for formats/ratings_csv.h: every input problem names file, line and field (table-
// driven, each checked sequentially and with chunk boundaries everywhere), quoting and line ends,
// the parallel path giving exactly the sequential result, and --max-errors.
#include "formats/ratings_csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <tuple>

namespace trellis::formats {
namespace {

using model::RaterGroup;

model::Framework Small() {
  model::Framework f;
  f.code = "small";
  f.domains = {{"D1", "d", "", {{"C1", "c", "", {{"I1", "i"}, {"I2", "i"}, {"I3", "i"}}}}}};
  return f;
}

const char kHeader[] = "subject,rater,group,item,score\n";
const char kHeaderC[] = "subject,rater,group,item,score,comment\n";

struct BadInput {
  std::string text;
  std::string message;
};

TEST(ParseRatingsCsv, EveryProblemNamesFileLineAndField) {
  const std::string h = kHeader, hc = kHeaderC;
  const BadInput cases[] = {
      {"", "r.csv:1: the file is empty (no header)"},
      {"subject,rater,group,item\nS1,P1,peer,I1\n",
       "r.csv:1: missing column 'score' (expected: subject,rater,group,item,score[,comment])"},
      {"subject,rater,group,item,score,score\n", "r.csv:1: column 'score' appears twice"},
      {h + "S1,S1,self,I1,3\nS1,P1,peer,X9,3\n",
       "r.csv:3: field 'item': unknown item 'X9' (not in framework 'small')"},
      {h + "S1,P1,boss,I1,3\n",
       "r.csv:2: field 'group': unknown group 'boss' (expected one of: self, manager, peer, "
       "direct_report, partner, community, other)"},
      {h + "S1,P1,peer,I1,7\n", "r.csv:2: field 'score': 7 is outside the scale 1..5"},
      {h + "S1,P1,peer,I1,0\n", "r.csv:2: field 'score': 0 is outside the scale 1..5"},
      {h + "S1,P1,peer,I1,-12\n", "r.csv:2: field 'score': -12 is outside the scale 1..5"},
      {h + "S1,P1,peer,I1,3.5\n",
       "r.csv:2: field 'score': '3.5' is not an integer on the scale 1..5 (leave it empty for "
       "\"not observed\")"},
      {h + "S1,P1,peer,I1, 3\n",
       "r.csv:2: field 'score': ' 3' is not an integer on the scale 1..5 (leave it empty for "
       "\"not observed\")"},
      {h + "S1,P1,self,I1,3\n",
       "r.csv:2: field 'rater': a 'self' rating's rater must be its subject 'S1', found 'P1'"},
      {h + "S1,S1,peer,I1,3\n",
       "r.csv:2: field 'group': rater 'S1' is the subject, so the group must be 'self', found "
       "'peer'"},
      {h + "S1,P1,peer,I1,3\nS2,P1,manager,I1,3\nS1,P1,direct_report,I2,4\n",
       "r.csv:4: field 'group': rater 'P1' for subject 'S1' is in group 'direct_report' here but "
       "in group 'peer' at line 2 (one group per rater and subject)"},
      {h + "S1,P1,peer,I1,3\nS1,P1,peer,I2,3\nS2,P1,peer,I1,3\nS1,P1,peer,I1,\n",
       "r.csv:5: field 'item': a second rating of item 'I1' by rater 'P1' for subject 'S1' "
       "(first at line 2)"},
      {hc + "S1,P1,peer,I1,3,fine\nS1,P2,peer,I1,3,\"open\n",
       "r.csv:3: field 'comment': unterminated quoted field (a '\"' is never closed)"},
      {hc + "S1,P1,peer,I1,3,\"x\"y\n",
       "r.csv:2: field 'comment': unexpected character after a closing quote (quote the whole "
       "field and double any '\"' inside it)"},
      {h + "S1,P\"1,peer,I1,3\n",
       "r.csv:2: field 'rater': a '\"' inside an unquoted field (quote the field and double the "
       "'\"')"},
      {h + "S1,P1,peer,I1\n", "r.csv:2: expected 5 fields as in the header, found 4"},
      {h + "S1,P1,peer,I1,3,x,y\n", "r.csv:2: expected 5 fields as in the header, found 7"},
      {h + "S1,P\xC3\x28,peer,I1,3\n", "r.csv:2: field 'rater': invalid UTF-8 text"},
      {h + ",P1,peer,I1,3\n", "r.csv:2: field 'subject': empty (every rating names its subject)"},
      {h + "S1,,peer,I1,3\n", "r.csv:2: field 'rater': empty (every rating names its rater)"},
      // The line is the physical line: a quoted comment spanning lines moves later records.
      {hc + "S1,P1,peer,I1,3,\"two\nlines, \"\"quoted\"\"\"\nS1,P1,peer,I2,9,\n",
       "r.csv:4: field 'score': 9 is outside the scale 1..5"},
      {"\xEF\xBB\xBF" + h + "\r\nS1,P1,peer,I1,6\r\n",
       "r.csv:3: field 'score': 6 is outside the scale 1..5"},
  };
  const model::Framework f = Small();
  for (const BadInput& c : cases) {
    for (size_t chunk : {size_t{0}, size_t{1}, size_t{5}}) {
      RatingsReadOptions options;
      options.chunk_bytes = chunk;
      options.threads = chunk == 0 ? 1 : 3;
      Result<model::RatingSet> r = ParseRatingsCsv(c.text, "r.csv", f, options);
      ASSERT_FALSE(r.ok()) << c.text;
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_EQ(r.status().message(), c.message) << "input: " << c.text << "\nchunk " << chunk;
    }
  }
}

// check_pairs = false (trellis analyse, whose analysis makes those checks): a file whose only
// problems are across a subject's rows is returned as read; a file with any other problem is
// checked in full, so the listed problems do not change.
TEST(ParseRatingsCsv, PairChecksLeftToTheCallerOnlyWhenNothingElseIsWrong) {
  const model::Framework f = Small();
  const std::string pairs_only = std::string(kHeader) +
                                 "S1,P1,peer,I1,3\n"
                                 "S1,P1,manager,I2,3\n"  // P1 in two groups
                                 "S1,P2,peer,I1,4\n"
                                 "S1,P2,peer,I1,\n";  // I1 twice by P2
  const std::string also_bad_item = pairs_only + "S1,P3,peer,I9,3\n";
  RatingsReadOptions options;
  options.max_errors = 5;
  options.threads = 2;
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    options.chunk_bytes = chunk;
    options.check_pairs = false;
    Result<model::RatingSet> unchecked = ParseRatingsCsv(pairs_only, "r.csv", f, options);
    ASSERT_TRUE(unchecked.ok()) << unchecked.status().ToString();
    EXPECT_EQ(unchecked->RowCount(), 4u);
    Result<model::RatingSet> mixed = ParseRatingsCsv(also_bad_item, "r.csv", f, options);
    options.check_pairs = true;
    Result<model::RatingSet> checked = ParseRatingsCsv(also_bad_item, "r.csv", f, options);
    ASSERT_FALSE(mixed.ok());
    EXPECT_EQ(mixed.status().message(), checked.status().message());
    EXPECT_EQ(mixed.status().message(),
              "r.csv:3: field 'group': rater 'P1' for subject 'S1' is in group 'manager' here but "
              "in group 'peer' at line 2 (one group per rater and subject)\n"
              "r.csv:5: field 'item': a second rating of item 'I1' by rater 'P2' for subject "
              "'S1' (first at line 4)\n"
              "r.csv:6: field 'item': unknown item 'I9' (not in framework 'small')");
  }
}

TEST(ParseRatingsCsv, ListsUpToMaxErrorsInFileOrder) {
  const std::string text = std::string(kHeader) +
                           "S1,P1,peer,I1,3\n"   // 2
                           "S1,P1,peer,I9,3\n"   // 3 unknown item
                           "S1,P1,peer,I1,4\n"   // 4 duplicate of line 2
                           "S1,P2,peer,I1,8\n"   // 5 outside the scale
                           "S1,P3,boss,I1,3\n";  // 6 unknown group
  const model::Framework f = Small();
  RatingsReadOptions options;
  options.max_errors = 3;
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    options.chunk_bytes = chunk;
    options.threads = 2;
    Result<model::RatingSet> r = ParseRatingsCsv(text, "r.csv", f, options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(),
              "r.csv:3: field 'item': unknown item 'I9' (not in framework 'small')\n"
              "r.csv:4: field 'item': a second rating of item 'I1' by rater 'P1' for subject "
              "'S1' (first at line 2)\n"
              "r.csv:5: field 'score': 8 is outside the scale 1..5\n"
              "r.csv: stopped after 3 problems (there may be more)");
  }
  options.max_errors = 10;
  Result<model::RatingSet> all = ParseRatingsCsv(text, "r.csv", f, options);
  ASSERT_FALSE(all.ok());
  const std::string listed = all.status().message();
  EXPECT_EQ(std::count(listed.begin(), listed.end(), '\n'), 3) << listed;
  options.max_errors = 1;  // the default: the first problem only
  Result<model::RatingSet> first = ParseRatingsCsv(text, "r.csv", f, options);
  EXPECT_EQ(first.status().message(),
            "r.csv:3: field 'item': unknown item 'I9' (not in framework 'small')\n"
            "r.csv: stopped after 1 problem (there may be more)");
}

TEST(ParseRatingsCsv, ReadsQuotingLineEndsAndColumnsInAnyOrder) {
  const std::string text =
      "\xEF\xBB\xBF"
      "note,score,item,group,rater,subject,comment\r\n"
      "x,4,I1,peer,P1,S2,\"a, \"\"quoted\"\"\r\nmulti-line\"\r\n"
      "\r\n"
      "y,,I2,self,S1,S1,\n"
      "\"z\",\"5\",I3,manager,\"M,1\",S1,naïve";  // no final line end
  RatingsReadOptions options;
  options.keep_comments = true;
  Result<model::RatingSet> r = ParseRatingsCsv(text, "r.csv", Small(), options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject_ids, (std::vector<std::string>{"S1", "S2"}));
  EXPECT_EQ(r->rater_ids, (std::vector<std::string>{"M,1", "P1", "S1"}));
  EXPECT_EQ(r->subject_begin, (std::vector<uint32_t>{0, 2, 3}));
  // S1's rows in file order: self I2 not observed, then M,1 on I3.
  EXPECT_EQ(r->rater, (std::vector<uint32_t>{2, 0, 1}));
  EXPECT_EQ(r->item, (std::vector<uint16_t>{1, 2, 0}));
  EXPECT_EQ(r->group,
            (std::vector<RaterGroup>{RaterGroup::kSelf, RaterGroup::kManager, RaterGroup::kPeer}));
  EXPECT_EQ(r->score, (std::vector<int8_t>{model::kNotObserved, 5, 4}));
  ASSERT_EQ(r->comments.size(), 2u);
  std::vector<std::string> texts = {r->comments[0].text, r->comments[1].text};
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts[0], "a, \"quoted\"\r\nmulti-line");
  EXPECT_EQ(texts[1], "naïve");
}

// `rater_first` writes the same campaign with the columns rater,subject,… (which the reader's
// repeat fast path does not take: every record goes the general way).
std::string RandomCampaign(std::mt19937& rng, size_t rows, bool rater_first = false) {
  const char* groups[] = {"manager", "peer", "direct_report", "partner", "community", "other"};
  const char* comments[] = {"",
                            "",
                            "",
                            "plain",
                            "\"a,b\"",
                            "\"x\ny\"",
                            "\"\"\"q\"\"\"",
                            "\"\n\n,\n\"",
                            "\"multi\r\nline\""};
  std::string text = rater_first ? "rater,subject,group,item,score,comment\n" : kHeaderC;
  size_t written = 0;
  for (int s = 0; written < rows; ++s) {
    const std::string subject = "S" + std::to_string(s);
    const int raters = 1 + rng() % 6;
    for (int r = 0; r < raters && written < rows; ++r) {
      const std::string rater = "R" + std::to_string(rng() % 40);
      if (rater == subject) continue;
      // One group per (subject, rater): derive it from both.
      const char* group = groups[(s * 7 + std::stoi(rater.substr(1))) % 6];
      const std::string ids = rater_first ? rater + "," + subject : subject + "," + rater;
      bool used = text.find("\n" + ids + ",") != std::string::npos;
      if (used) continue;
      for (const char* item : {"I1", "I2", "I3"}) {
        const int score = rng() % 6;
        text += ids + "," + group + "," + item + "," + (score == 0 ? "" : std::to_string(score)) +
                "," + comments[rng() % 9] + "\n";
        ++written;
      }
    }
  }
  return text;
}

void ExpectSameSet(const model::RatingSet& a, const model::RatingSet& b) {
  EXPECT_EQ(a.subject_ids, b.subject_ids);
  EXPECT_EQ(a.rater_ids, b.rater_ids);
  EXPECT_EQ(a.subject_begin, b.subject_begin);
  EXPECT_EQ(a.rater, b.rater);
  EXPECT_EQ(a.item, b.item);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.score, b.score);
  auto key = [](const model::RatingComment& c) {
    return std::make_tuple(c.subject, c.rater, c.item, c.text);
  };
  std::vector<std::tuple<uint32_t, uint32_t, uint16_t, std::string>> ca, cb;
  for (const auto& c : a.comments) ca.push_back(key(c));
  for (const auto& c : b.comments) cb.push_back(key(c));
  std::sort(ca.begin(), ca.end());
  std::sort(cb.begin(), cb.end());
  EXPECT_EQ(ca, cb);
}

TEST(ParseRatingsCsv, ParallelChunksGiveTheSequentialResultEvenInsideQuotes) {
  std::mt19937 rng(7);
  const std::string text = RandomCampaign(rng, 3000);
  const model::Framework f = Small();
  RatingsReadOptions sequential;
  sequential.threads = 1;
  sequential.keep_comments = true;
  Result<model::RatingSet> expected = ParseRatingsCsv(text, "r.csv", f, sequential);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_EQ(expected->RowCount(), 3000u);
  // Cuts after 1, 3, 17 … bytes land inside quoted comments (multi-line ones included).
  for (size_t chunk : {1, 3, 17, 64, 1000}) {
    for (int threads : {2, 3}) {
      RatingsReadOptions options = sequential;
      options.threads = threads;
      options.chunk_bytes = chunk;
      Result<model::RatingSet> got = ParseRatingsCsv(text, "r.csv", f, options);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ExpectSameSet(*expected, *got);
    }
  }
}

// Most records repeat the start of the previous one (same subject, rater and group, the next
// item), which the reader recognises by comparing bytes; whatever else such a record holds must
// be read, or reported, exactly as any other record.
TEST(ParseRatingsCsv, RecordsRepeatingThePreviousStartAreCheckedAsAnyOther) {
  const std::string h = std::string(kHeader) + "S1,P1,peer,I1,3\n";
  const std::string hc = std::string(kHeaderC) + "S1,P1,peer,I1,3,\n";
  const BadInput cases[] = {
      {h + "S1,P1,peer,I2,7\n", "r.csv:3: field 'score': 7 is outside the scale 1..5"},
      {h + "S1,P1,peer,I2,0\n", "r.csv:3: field 'score': 0 is outside the scale 1..5"},
      {h + "S1,P1,peer,I2,35\n", "r.csv:3: field 'score': 35 is outside the scale 1..5"},
      {h + "S1,P1,peer,I2,x\n",
       "r.csv:3: field 'score': 'x' is not an integer on the scale 1..5 (leave it empty for "
       "\"not observed\")"},
      {h + "S1,P1,peer,I2,3,\n", "r.csv:3: expected 5 fields as in the header, found 6"},
      {h + "S1,P1,peer,I2,3\"\n",
       "r.csv:3: field 'score': a '\"' inside an unquoted field (quote the field and double the "
       "'\"')"},
      {h + "S1,P1,peer,I2,\xC3\x28\n", "r.csv:3: field 'score': invalid UTF-8 text"},
      {h + "S1,P1,peer,I2x,3\n",
       "r.csv:3: field 'item': unknown item 'I2x' (not in framework 'small')"},
      {h + "S1,P1,peer,I1,4\n",
       "r.csv:3: field 'item': a second rating of item 'I1' by rater 'P1' for subject 'S1' "
       "(first at line 2)"},
      {hc + "S1,P1,peer,I2,3,x\"\n",
       "r.csv:3: field 'comment': a '\"' inside an unquoted field (quote the field and double "
       "the '\"')"},
      {hc + "S1,P1,peer,I2,3\n", "r.csv:3: expected 6 fields as in the header, found 5"},
      {hc + "S1,P1,peer,I2,9,\n", "r.csv:3: field 'score': 9 is outside the scale 1..5"},
  };
  const model::Framework f = Small();
  for (const BadInput& c : cases) {
    for (size_t chunk : {size_t{0}, size_t{1}, size_t{5}}) {
      RatingsReadOptions options;
      options.chunk_bytes = chunk;
      options.threads = chunk == 0 ? 1 : 3;
      Result<model::RatingSet> r = ParseRatingsCsv(c.text, "r.csv", f, options);
      ASSERT_FALSE(r.ok()) << c.text;
      EXPECT_EQ(r.status().message(), c.message) << "input: " << c.text << "\nchunk " << chunk;
    }
  }
  // Valid records that differ from the repeated form only in how they are written: a comment
  // and CRLF, a quoted score, an empty score, no '\n' at the end of the file.
  RatingsReadOptions keep;
  keep.keep_comments = true;
  Result<model::RatingSet> r = ParseRatingsCsv(
      hc + "S1,P1,peer,I2,4,said\r\nS1,P1,peer,I3,\"5\",\nS1,P2,peer,I1,,\nS1,P2,peer,I2,2,",
      "r.csv", f, keep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rater_ids, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(r->rater, (std::vector<uint32_t>{0, 0, 0, 1, 1}));
  EXPECT_EQ(r->item, (std::vector<uint16_t>{0, 1, 2, 0, 1}));
  EXPECT_EQ(r->score, (std::vector<int8_t>{3, 4, 5, model::kNotObserved, 2}));
  ASSERT_EQ(r->comments.size(), 1u);
  EXPECT_EQ(r->comments[0].text, "said");
}

TEST(ParseRatingsCsv, RepeatFastPathGivesTheGeneralResult) {
  // The same campaign with the columns subject,rater,… (the fast path reads most records) and
  // rater,subject,… (every record is tokenized and validated field by field).
  for (unsigned seed : {5u, 6u}) {
    std::mt19937 rng_a(seed), rng_b(seed);
    const std::string fast = RandomCampaign(rng_a, 1998);
    const std::string general = RandomCampaign(rng_b, 1998, /*rater_first=*/true);
    ASSERT_NE(fast, general);
    RatingsReadOptions options;
    options.keep_comments = true;
    for (int threads : {1, 2}) {
      options.threads = threads;
      options.chunk_bytes = threads == 1 ? 0 : 97;
      Result<model::RatingSet> a = ParseRatingsCsv(fast, "r.csv", Small(), options);
      Result<model::RatingSet> b = ParseRatingsCsv(general, "r.csv", Small(), options);
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      EXPECT_EQ(a->RowCount(), 1998u);
      ExpectSameSet(*a, *b);
    }
  }
}

TEST(ParseRatingsCsv, ErrorAfterManyQuotedLinesIsFoundInParallel) {
  std::mt19937 rng(11);
  std::string text = RandomCampaign(rng, 900);
  const size_t line = std::count(text.begin(), text.end(), '\n') + 1;
  text += "S1,R1,peer,I1,x,\"late\nproblem\"\n";
  RatingsReadOptions options;
  options.threads = 2;
  options.chunk_bytes = 100;
  Result<model::RatingSet> r = ParseRatingsCsv(text, "r.csv", Small(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "r.csv:" + std::to_string(line) +
                ": field 'score': 'x' is not an integer on the scale 1..5 (leave it empty for "
                "\"not observed\")");
}

TEST(ReadRatingsFile, MapsTheFileAndNamesItInMessages) {
  char path[] = "/tmp/trellis_ratings_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::mt19937 rng(3);
  const std::string text = RandomCampaign(rng, 600);
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  RatingsReadOptions options;
  options.keep_comments = true;
  Result<model::RatingSet> from_file = ReadRatingsFile(path, Small(), options);
  Result<model::RatingSet> from_text = ParseRatingsCsv(text, path, Small(), options);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  ASSERT_TRUE(from_text.ok());
  ExpectSameSet(*from_text, *from_file);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << "S1,R1,peer,I4,3,\n";
  }
  Result<model::RatingSet> bad = ReadRatingsFile(path, Small(), options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind(std::string(path) + ":", 0), 0u) << bad.status().message();
  std::remove(path);
  EXPECT_EQ(ReadRatingsFile(path, Small()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace trellis::formats
