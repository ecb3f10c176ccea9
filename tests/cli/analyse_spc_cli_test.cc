// End-to-end tests of `trellis analyse` and `trellis spc`: small inputs whose figures are
// worked out by hand in the comments, run through the built binary, output parsed as JSON.
#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace trellis::cli {
namespace {

using nlohmann::json;

constexpr char kFramework[] = R"({"format":"trellis-framework","version":1,"code":"mini",
  "title":"Mini","scale":{"min":1,"max":5,"labels":{}},
  "domains":[{"code":"D","title":"Domain","description":"",
    "competencies":[{"code":"C1","title":"Competency","description":"",
      "items":[{"code":"I1","text":"First."},{"code":"I2","text":"Second."}]}]}],
  "role_profiles":[{"level":"operational","function":"generalist",
    "expectations":{"C1":{"level":4,"importance":2}}}]})";

// S1 rates themself 4; manager 3; peers 2, 3, 4; one direct report 5 (each on both items).
// The lone direct report cannot be shown, so the peers are merged into `combined` (n 4, mean
// 3.5) and the peer group disappears. others = manager + 4 anonymous: n 5, mean 3.4.
constexpr char kRatings[] =
    "subject,rater,group,item,score,comment\n"
    "S1,S1,self,I1,4,\nS1,S1,self,I2,4,\n"
    "S1,M1,manager,I1,3,\nS1,M1,manager,I2,3,\n"
    "S1,P1,peer,I1,2,\"Listens, then acts\"\nS1,P1,peer,I2,2,\n"
    "S1,P2,peer,I1,3,\nS1,P2,peer,I2,3,\n"
    "S1,P3,peer,I1,4,\nS1,P3,peer,I2,4,\n"
    "S1,D1,direct_report,I1,5,\nS1,D1,direct_report,I2,5,\n";

json ReadJson(const std::filesystem::path& path) { return json::parse(ReadAll(path)); }

TEST_F(CliTest, AnalyseWritesTheFiguresOfDesignRules) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", kRatings);
  WriteFile("people.csv", "subject,level,function\nS1,operational,finance\n");
  Outcome run = Trellis(
      "analyse --framework mini.json --ratings ratings.csv --out reports.jsonl "
      "--summary summary.json --profiles people.csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  json line = ReadJson(dir_.path() / "reports.jsonl");
  EXPECT_EQ(line["subject"], "S1");
  const json& c1 = line["competencies"]["C1"];
  EXPECT_DOUBLE_EQ(c1["self"].get<double>(), 4.0);
  EXPECT_NEAR(c1["others"]["mean"].get<double>(), 3.4, 1e-12);
  EXPECT_EQ(c1["others"]["n"], 5);
  EXPECT_EQ(c1["groups"].size(), 2u) << c1["groups"].dump();
  EXPECT_DOUBLE_EQ(c1["groups"]["manager"]["mean"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(c1["groups"]["combined"]["mean"].get<double>(), 3.5);
  EXPECT_EQ(c1["groups"]["combined"]["n"], 4);
  EXPECT_FALSE(c1["groups"].contains("peer"));
  EXPECT_NEAR(c1["gap"].get<double>(), -0.6, 1e-12);
  EXPECT_TRUE(c1["flag"].is_null());
  // Per item, non-self scores 3,2,3,4,5: variance 1.3; v = 1.3 / ((25-1)/12) = 0.65;
  // rwg(J=2) = 2(0.35) / (2(0.35) + 0.65).
  EXPECT_NEAR(c1["rwg"].get<double>(), 0.7 / 1.35, 1e-12);
  EXPECT_DOUBLE_EQ(c1["percentile"].get<double>(), 50.0);  // the only subject
  // finance falls back to operational × generalist: expected 4.
  EXPECT_NEAR(c1["profile_gap"].get<double>(), -0.6, 1e-12);
  EXPECT_NEAR(line["overall"]["others"]["mean"].get<double>(), 3.4, 1e-12);

  json summary = ReadJson(dir_.path() / "summary.json");
  EXPECT_NE(summary.dump().find("\"C1\""), std::string::npos) << summary.dump();
}

// An existing report is replaced whole (through a temporary file renamed over it) keeping its
// permissions; a symlinked report is written through the link. Either way the bytes are those
// of a report written to a new file, and no temporary file is left behind.
TEST_F(CliTest, AnalyseReplacesAnExistingReportKeepingModeAndSymlinks) {
  namespace fs = std::filesystem;
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", kRatings);
  const std::string args = " --framework mini.json --ratings ratings.csv --summary s.json";
  ASSERT_EQ(Trellis("analyse --out fresh.jsonl" + args).exit_code, 0);
  const std::string fresh = ReadAll(dir_.path() / "fresh.jsonl");
  ASSERT_EQ(fresh.rfind("{\"subject\":\"S1\",", 0), 0u) << fresh;

  WriteFile("old.jsonl", std::string(100000, 'x') + "\n");  // longer than the new report
  fs::permissions(dir_.path() / "old.jsonl",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  WriteFile("target.jsonl", "stale\n");
  fs::create_symlink("target.jsonl", dir_.path() / "link.jsonl");
  ASSERT_EQ(Trellis("analyse --out old.jsonl" + args).exit_code, 0);
  ASSERT_EQ(Trellis("analyse --out link.jsonl" + args).exit_code, 0);

  EXPECT_EQ(ReadAll(dir_.path() / "old.jsonl"), fresh);
  EXPECT_EQ(fs::status(dir_.path() / "old.jsonl").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_TRUE(fs::is_symlink(dir_.path() / "link.jsonl"));
  EXPECT_EQ(ReadAll(dir_.path() / "target.jsonl"), fresh);
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST_F(CliTest, AnalyseRejectsAScoreOutsideTheScaleNamingFileLineAndField) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", "subject,rater,group,item,score\nS1,S1,self,I1,4\nS1,P1,peer,I2,7\n");
  Outcome run =
      Trellis("analyse --framework mini.json --ratings ratings.csv --out r.jsonl --summary s.json");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("ratings.csv:3: field 'score': 7 is outside the scale 1..5"),
            std::string::npos)
      << run.err;
}

// The checks across a subject's rows are left by the reader to the analysis; a file that fails
// them is read again, so each problem is still reported with its line, and no report is written.
TEST_F(CliTest, AnalyseReportsARaterInTwoGroupsAndAnItemRatedTwiceWithTheirLines) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv",
            "subject,rater,group,item,score\n"
            "S1,P1,peer,I1,4\n"
            "S1,P2,peer,I1,3\n"
            "S1,P1,manager,I2,4\n"
            "S2,P2,peer,I1,2\n"
            "S2,P2,peer,I1,\n");
  Outcome run = Trellis(
      "analyse --framework mini.json --ratings ratings.csv --out r.jsonl --summary s.json "
      "--max-errors 5");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "trellis: ratings.csv:4: field 'group': rater 'P1' for subject 'S1' is in group "
            "'manager' here but in group 'peer' at line 2 (one group per rater and subject)\n"
            "trellis: ratings.csv:6: field 'item': a second rating of item 'I1' by rater 'P2' for "
            "subject 'S2' (first at line 5)\n");
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "r.jsonl"));
}

// A problem the analysis finds is still reported before a later one: here a missing --profiles
// file, read between the ratings and the analysis.
TEST_F(CliTest, AnalyseReportsAnItemRatedTwiceBeforeAMissingProfilesFile) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", "subject,rater,group,item,score\nS1,P1,peer,I1,4\nS1,P1,peer,I1,3\n");
  Outcome run = Trellis(
      "analyse --framework mini.json --ratings ratings.csv --out r.jsonl --summary s.json "
      "--profiles missing.csv");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "trellis: ratings.csv:3: field 'item': a second rating of item 'I1' by rater 'P1' for "
            "subject 'S1' (first at line 2)\n");
}

// Ratings from a pipe cannot be read twice: the reader makes every check itself, so the run
// neither hangs nor loses the line numbers (`timeout` ends a run that would hang).
TEST_F(CliTest, AnalyseReportsAnItemRatedTwiceInRatingsFromAPipe) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", "subject,rater,group,item,score\nS1,P1,peer,I1,4\nS1,P1,peer,I1,3\n");
  const std::string command = "cd '" + dir_.path().string() +
                              "' && cat ratings.csv | timeout 60 '" +
                              std::string(TRELLIS_BINARY_DIR) +
                              "/trellis' analyse --framework mini.json --ratings /dev/stdin "
                              "--out r.jsonl --summary s.json 2>err.txt";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_EQ(ReadAll(dir_.path() / "err.txt"),
            "trellis: /dev/stdin:3: field 'item': a second rating of item 'I1' by rater 'P1' for "
            "subject 'S1' (first at line 2)\n");
}

TEST_F(CliTest, AnalyseLooksAFrameworkCodeUpInTheDatabase) {
  WriteFile("mini.json", kFramework);
  WriteFile("ratings.csv", kRatings);
  ASSERT_EQ(Trellis("framework import mini.json").exit_code, 0);
  Outcome run =
      Trellis("analyse --framework mini@1 --ratings ratings.csv --out r.jsonl --summary s.json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(ReadJson(dir_.path() / "r.jsonl")["competencies"]["C1"]["others"]["n"], 5);

  Outcome missing =
      Trellis("analyse --framework nosuch --ratings ratings.csv --out r.jsonl --summary s.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nosuch"), std::string::npos) << missing.err;
}

// Twelve points alternating 10, 12 then 30. mean = 162/13; the MRs are eleven 2s and one 18;
// AMR = 40/12, screening drops the 18 (≥ 3.267 × AMR), so AMR = 2 and upl = mean + 5.32.
TEST_F(CliTest, SpcFlagsAnAstronomicalPointAndSetsTheIcons) {
  std::string csv = "date,value\n";
  for (int i = 0; i < 13; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-%02d-01", i < 12 ? i + 1 : 12);
    if (i == 12) std::snprintf(date, sizeof date, "2027-01-01");
    csv += std::string(date) + "," + (i == 12 ? "30" : (i % 2 ? "12" : "10")) + "\n";
  }
  WriteFile("beds.csv", csv);
  Outcome run = Trellis("spc --input beds.csv --target 20");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  json out = json::parse(run.out);
  const json& chart = out["indicators"][0];
  EXPECT_EQ(chart["indicator"], "beds");
  const json& last = chart["points"][12];
  EXPECT_NEAR(last["mean"].get<double>(), 162.0 / 13, 1e-9);
  EXPECT_NEAR(last["upl"].get<double>(), 162.0 / 13 + 2.66 * 2, 1e-9);
  EXPECT_EQ(last["special_cause_type"], "Above UCL");
  EXPECT_EQ(last["point_type"], "special_cause_improvement");
  // The twelve points before it all lie below the mean (≈ 12.46): a shift, flagged in full.
  EXPECT_EQ(chart["points"][0]["special_cause_type"], "7 Points Below CL");
  EXPECT_EQ(chart["points"][11]["point_type"], "special_cause_concern");
  EXPECT_EQ(chart["variation_icon"], "improvement_high");
  EXPECT_EQ(chart["assurance_icon"], "consistent_fail");  // target 20 > upl ≈ 17.78
  EXPECT_EQ(chart["groups"][0]["n"], 13);
  EXPECT_NEAR(chart["groups"][0]["amr"].get<double>(), 2.0, 1e-12);
}

TEST_F(CliTest, SpcRejectsANonNumericValueNamingTheLine) {
  WriteFile("beds.csv", "date,value\n2026-01-01,4\n2026-02-01,abc\n");
  Outcome run = Trellis("spc --input beds.csv");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("beds.csv:3: field 'value': 'abc' is not a number"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace trellis::cli
